#include "app/tournament.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <cmath>
#include <filesystem>
#include <limits>
#include <variant>

#include "agents/lua/lua_policy.hpp"
#include "app/parallel.hpp"
#include "app/report/tournament_html.hpp"
#include "app/run_records.hpp"
#include "engine/game/game.hpp"
#include "engine/output/csv.hpp"
#include "engine/output/sha256.hpp"
#include "engine/scenario/loader.hpp"

namespace chokepoint {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr int kExitRuntime = 1, kExitInput = 3, kExitOutput = 4;
constexpr const char* kTournamentFile = "tournament.json";

size_t at(int i) { return static_cast<size_t>(i); }

struct Entrant {
    std::string name;  // the file's stem, or "shipped" for the seat's own policy
    std::string path;  // empty: the scenario's policy for the seat
};

struct GameResult {
    double score = 0.0;        // the seat's total score at the end; 0 for a forfeit
    double raw_score = 0.0;    // what the game gave, forfeit or not
    double leverage = 0.0;     // the seat's combined leverage index at the last measurement
    long long errors = 0;      // the entrant's policy errors
    bool forfeit = false;      // an error, a budget exceeded or a script that did not load
    std::string reason;        // why it forfeited (one line); empty when it did not
    std::string failure;       // the game itself failed (should not happen); such a game is not recorded
    std::map<std::string, std::string> files;  // the Lua files the policies read (policy_files), for resume
};

json to_json(const GameResult& r) {
    return json{{"score", r.score},   {"raw_score", r.raw_score}, {"leverage", r.leverage},
                {"errors", r.errors}, {"forfeit", r.forfeit},     {"reason", r.reason}};
}

GameResult from_json(const json& j) {
    GameResult r;
    r.score = j.at("score").get<double>();
    r.raw_score = j.at("raw_score").get<double>();
    r.leverage = j.at("leverage").get<double>();
    r.errors = j.at("errors").get<long long>();
    r.forfeit = j.at("forfeit").get<bool>();
    r.reason = j.at("reason").get<std::string>();
    return r;
}

struct Summary {
    int n = 0;
    double mean = 0.0, low = 0.0, high = 0.0;
};

// Mean and 95 % confidence interval (Student's t) of a sample.
Summary summarize(const std::vector<double>& x) {
    Summary s;
    s.n = static_cast<int>(x.size());
    if (s.n == 0) return s;
    double sum = 0.0;
    for (double v : x) sum += v;
    s.mean = sum / s.n;
    if (s.n < 2) {
        s.low = s.high = s.mean;
        return s;
    }
    double ss = 0.0;
    for (double v : x) ss += (v - s.mean) * (v - s.mean);
    const double half = t95(s.n - 1) * std::sqrt(ss / (s.n - 1) / s.n);
    s.low = s.mean - half;
    s.high = s.mean + half;
    return s;
}

bool is_budget_error(const std::string& message) {
    const std::string line = message.substr(0, message.find('\n'));
    return line.find("exceeded") != std::string::npos &&
           (line.find(" budget of ") != std::string::npos || line.find("memory cap of ") != std::string::npos);
}

// Why the seat's policy forfeited, on one line (games.csv's reason; docs/modding.md §10), from
// the policy's state and its policy_error / policy_fallback events.
std::string forfeit_reason(const Game& game, CountryId seat, const LuaPolicy& lp, long long errors) {
    if (!lp.load_error().empty()) return std::string("load error: ") + policy_message_line(lp.load_error());
    std::string first, first_budget;
    int budget = 0, fell_back_turn = -1;
    for (const TurnRecord& t : game.history())
        for (const GameEvent& e : t.events) {
            if (e.country != seat) continue;
            if (e.type == "policy_fallback" && fell_back_turn < 0) fell_back_turn = e.turn;
            if (e.type != "policy_error") continue;
            const std::string message = e.data.value("error", e.text);
            if (first.empty()) first = policy_message_line(message);
            if (is_budget_error(message) && budget++ == 0) first_budget = policy_message_line(message);
        }
    std::string reason;
    if (budget > 0)
        reason = fmt::format("budget exceeded ({} of {} policy errors; first: {})", budget, errors, first_budget);
    else if (errors > 0)
        reason = first.empty() ? fmt::format("policy errors: {}", errors)
                               : fmt::format("policy errors: {} (first: {})", errors, first);
    if (lp.fell_back())
        reason += std::string(reason.empty() ? "" : "; ") + "fell back to autopilot" +
                  (fell_back_turn >= 0 ? fmt::format(" in turn {}", fell_back_turn) : "");
    return reason;
}

GameResult play_one(const Scenario& base, const TournamentArgs& a, CountryId seat, const Entrant& e, std::uint64_t seed) {
    GameResult r;
    GameOptions options;
    parse_leverage_schedule(a.leverage, options);
    options.threads = a.threads;
    Game game(with_overrides(base, {a.turns, seed}), options);
    LuaPolicyOptions lua;
    lua.hot_reload = false;
    install_lua_policies(game, lua);
    if (!e.path.empty()) game.set_policy(seat, std::make_unique<LuaPolicy>(game.defs(), seat, e.path, lua));
    while (!game.finished()) game.step();
    const TurnRecord& last = game.history().back();
    r.raw_score = last.scores[seat].total;
    for (auto it = game.history().rbegin(); it != game.history().rend(); ++it)
        if (!it->leverage.index_combined.empty()) {
            r.leverage = it->leverage.index_combined[seat];
            break;
        }
    if (const auto* lp = dynamic_cast<const LuaPolicy*>(game.policy(seat))) {
        const auto stats = lp->stats();
        r.errors = stats.value("errors", 0LL);
        r.forfeit = r.errors > 0 || lp->fell_back() || !lp->load_error().empty();
        if (r.forfeit) r.reason = forfeit_reason(game, seat, *lp, r.errors);
    }
    r.score = r.forfeit ? 0.0 : r.raw_score;
    r.files = policy_files(game);
    return r;
}

// The scenario's own policies that do not load (a syntax error, policy_params their declaration
// refuses), said once before the games: such a country is played by the autopilot in every game,
// and in its own seat the shipped entrant forfeits (reason "load error: …").
void warn_of_scenario_load_errors(const Scenario& base, const TournamentArgs& a, const std::vector<CountryId>& seats) {
    GameOptions options;
    options.measure_leverage = false;
    Game game(with_overrides(base, {a.turns, a.first_seed}), options);
    LuaPolicyOptions lua;
    lua.hot_reload = false;
    install_lua_policies(game, lua);
    const Definitions& d = game.defs();
    for (CountryId c : d.country_ids())
        if (const auto* p = dynamic_cast<const LuaPolicy*>(game.policy(c)); p && !p->load_error().empty())
            fmt::print(stderr,
                       "chokepoint tournament: warning: {}'s policy in {} does not load, so the autopilot plays {} "
                       "in every game{}: {}\n",
                       d.countries[c].id, a.scenario, d.countries[c].id,
                       std::find(seats.begin(), seats.end(), c) != seats.end()
                           ? " where it is not the seat, and the shipped entrant forfeits its games"
                           : "",
                       policy_message_line(p->load_error()));
}

std::string file_sha256(const std::string& path) {
    try {
        return sha256_hex(read_text_file(path));
    } catch (const std::exception&) {
        return "unreadable";
    }
}

// What the games' results depend on (not --jobs, --threads or the files' paths): a rerun into the
// same folder must be the same tournament. The scenario's checksum covers the files it extends.
json tournament_plan(const TournamentArgs& a, const Definitions& d, const std::vector<CountryId>& seats,
                     const std::vector<Entrant>& entrants) {
    json policies = json::object();
    for (const CountryDef& c : d.countries)
        policies[c.id] = c.policy.empty() || c.policy == "autopilot" ? std::string("autopilot") : file_sha256(c.policy);
    json seat_ids = json::array(), names = json::array();
    for (CountryId s : seats) seat_ids.push_back(d.countries[s].id);
    for (std::size_t e = 1; e < entrants.size(); ++e)
        names.push_back(json{{"name", entrants[e].name}, {"sha256", file_sha256(entrants[e].path)}});
    std::string scenario_sha = "unreadable";
    try {
        scenario_sha = scenario_sha256(a.scenario, read_text_file(a.scenario));
    } catch (const std::exception&) {
    }
    return json{{"scenario_sha256", scenario_sha},
                {"scenario_policies_sha256", policies},
                {"seats", seat_ids},
                {"entrants", names},
                {"seeds", a.seeds},
                {"first_seed", a.first_seed},
                {"turns", a.turns ? json(*a.turns) : json()},
                {"leverage", a.leverage}};
}

// How the plan of the tournament in a folder differs from this one, for the refusal.
std::string plan_differences(const json& old, const json& now) {
    std::vector<std::string> out;
    auto list = [](const json& items) {
        std::string s;
        for (const json& i : items) s += std::string(s.empty() ? "" : ", ") + (i.is_object() ? i.value("name", "") : i.get<std::string>());
        return s;
    };
    for (const auto& [key, value] : now.items()) {
        const json was = old.contains(key) ? old.at(key) : json();
        if (was == value) continue;
        if (key == "scenario_sha256") out.push_back("the scenario file or a file it extends changed");
        else if (key == "scenario_policies_sha256") out.push_back("a policy file the scenario names changed");
        else if (key == "entrants" && was.is_array() && list(was) == list(value)) out.push_back("an entrant's file changed");
        else if (key == "seats" || key == "entrants")
            out.push_back(fmt::format("{} {} (now {})", key == "seats" ? "--seat" : "entrants", list(was), list(value)));
        else {
            std::string option = key;
            for (char& c : option)
                if (c == '_') c = '-';
            out.push_back(fmt::format("--{} {} (now {})", option, was.is_null() ? "unset" : was.dump(),
                                      value.is_null() ? "unset" : value.dump()));
        }
    }
    std::string s;
    for (const auto& o : out) s += std::string(s.empty() ? "" : "; ") + o;
    return s;
}

std::string game_id(const std::string& seat, int entrant, std::uint64_t seed) {
    return fmt::format("{}-e{}-s{}", seat, entrant, seed);
}

}  // namespace

double t95(int df) {
    static const double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                    2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                    2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1) return std::numeric_limits<double>::infinity();
    if (df <= 30) return kTable[df - 1];
    if (df < 40) return 2.042;
    if (df < 60) return 2.021;
    if (df < 120) return 2.000;
    return 1.980;
}

namespace {

// A command-line failure: the exit code, the message printed already.
struct Exit {
    int code;
};

std::variant<std::vector<CountryId>, Exit> read_seats(const TournamentArgs& a, const Definitions& d) {
    std::vector<CountryId> seats;
    for (const std::string& s : a.seats) {
        const int c = d.country_index(s);
        if (c < 0) {
            std::string ids;
            for (const auto& cd : d.countries) ids += (ids.empty() ? "" : ", ") + cd.id;
            fmt::print(stderr, "chokepoint tournament: --seat {}: no such country in {} (countries: {})\n", s,
                       a.scenario, ids);
            return Exit{kExitInput};
        }
        seats.push_back(CountryId{c});
    }
    return seats;
}

// The shipped policy first, then each policy file (named by its stem, or its path when two share one).
std::variant<std::vector<Entrant>, Exit> read_entrants(const TournamentArgs& a) {
    std::vector<Entrant> entrants{{"shipped", ""}};
    for (const std::string& p : a.policies) {
        std::error_code ec;
        if (!fs::is_regular_file(p, ec)) {
            fmt::print(stderr, "chokepoint tournament: {}: no such policy file\n", p);
            return Exit{kExitInput};
        }
        std::string name = fs::path(p).stem().string();
        for (const Entrant& e : entrants)
            if (e.name == name) name = p;  // two files of the same name: their paths tell them apart
        entrants.push_back({name, p});
    }
    return entrants;
}

struct Job {
    int seat, entrant;
    std::uint64_t seed;
    std::string id;
};

// The tournament's games and their results, in the fixed order seat × entrant × seed.
struct Tournament {
    const TournamentArgs& a;
    const Scenario& base;
    const Definitions& d;
    std::vector<CountryId> seats;
    std::vector<Entrant> entrants;
    std::vector<Job> jobs;
    std::vector<GameResult> results;
    std::string plan_sha;

    const std::string& seat_id(int s) const { return d.countries[seats[at(s)]].id; }

    void plan_jobs() {
        for (int s = 0; s < static_cast<int>(seats.size()); ++s)
            for (int e = 0; e < static_cast<int>(entrants.size()); ++e)
                for (int k = 0; k < a.seeds; ++k) {
                    const std::uint64_t seed = a.first_seed + static_cast<std::uint64_t>(k);
                    jobs.push_back({s, e, seed, game_id(seat_id(s), e, seed)});
                }
        results.resize(jobs.size());
    }

    // With --out, the folder holds this tournament: a game whose record is there is not played
    // again (its result is read). Returns the games left to play, or the exit on a folder that
    // holds another tournament or cannot be written.
    std::variant<std::vector<std::size_t>, Exit> resume(const RunRecords& records) {
        std::vector<std::size_t> todo;
        if (a.out.empty()) {
            for (std::size_t i = 0; i < jobs.size(); ++i) todo.push_back(i);
            return todo;
        }
        const fs::path dir = a.out;
        const json plan = tournament_plan(a, d, seats, entrants);
        plan_sha = sha256_hex(plan.dump());
        if (const auto old = read_json_file(dir / kTournamentFile);
            old && old->contains("plan") && old->at("plan") != plan) {
            fmt::print(stderr,
                       "chokepoint tournament: {} holds a tournament with other arguments ({}); its games do not mix "
                       "with these: use another --out, or delete {} to start again\n",
                       dir.string(), plan_differences(old->at("plan"), plan), dir.string());
            return Exit{kExitOutput};
        }
        std::error_code ec;
        fs::create_directories(records.dir(), ec);
        if (ec) {
            fmt::print(stderr, "chokepoint tournament: cannot create {}: {}\n", records.dir().string(), ec.message());
            return Exit{kExitOutput};
        }
        json header{{"scenario", a.scenario}, {"policies", a.policies}, {"plan_sha256", plan_sha}, {"plan", plan}};
        try {
            write_atomically(dir / kTournamentFile, header.dump(2) + "\n");
        } catch (const std::exception& e) {
            fmt::print(stderr, "chokepoint tournament: {}\n", e.what());
            return Exit{kExitOutput};
        }
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            const auto record = records.finished(jobs[i].id, [&](const json& r) {
                return r.value("plan_sha256", "") == plan_sha && r.value("game", "") == jobs[i].id &&
                       (from_json(r.at("result")), true) &&  // (throws for a malformed result: played again)
                       !policy_files_changed(r.value("files", std::map<std::string, std::string>()));
            });
            if (record)
                results[i] = from_json(record->at("result"));
            else
                todo.push_back(i);
        }
        return todo;
    }

    void play(const std::vector<std::size_t>& todo, const RunRecords& records) {
        Progress progress(static_cast<int>(jobs.size()), static_cast<int>(jobs.size() - todo.size()), a.quiet, "game");
        for_each_parallel(todo.size(), a.jobs, [&](std::size_t t) {
            const std::size_t i = todo[t];
            const Job& j = jobs[i];
            GameResult& r = results[i];
            try {
                r = play_one(base, a, seats[at(j.seat)], entrants[at(j.entrant)], j.seed);
                if (!a.out.empty())
                    records.write(j.id, json{{"game", j.id},
                                             {"plan_sha256", plan_sha},
                                             {"seat", seat_id(j.seat)},
                                             {"entrant", entrants[at(j.entrant)].name},
                                             {"seed", j.seed},
                                             {"result", to_json(r)},
                                             {"files", r.files}});
            } catch (const std::exception& e) {
                r = GameResult{};
                r.failure = e.what();
                r.forfeit = true;
                r.reason = std::string("the game failed: ") + policy_message_line(r.failure);
            }
            progress.finished(j.id, r.failure);
        });
    }

    std::string games_csv() const {
        std::string games = "seat,entrant,seed,score,forfeit,errors,raw_score,leverage,reason\n";
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            const Job& j = jobs[i];
            const GameResult& r = results[i];
            games += fmt::format("{},{},{},{},{},{},{},{},{}\n", seat_id(j.seat),
                                 csv_field(entrants[at(j.entrant)].name), j.seed, csv_num(r.score), r.forfeit ? 1 : 0,
                                 r.errors, csv_num(r.raw_score), csv_num(r.leverage), csv_field(r.reason));
        }
        return games;
    }

    std::vector<double> scores(int s, int e) const {
        std::vector<double> x;
        for (std::size_t i = 0; i < jobs.size(); ++i)
            if (jobs[i].seat == s && jobs[i].entrant == e) x.push_back(results[i].score);
        return x;
    }
    int forfeits(int s, int e) const {
        int n = 0;
        for (std::size_t i = 0; i < jobs.size(); ++i)
            n += jobs[i].seat == s && jobs[i].entrant == e && results[i].forfeit;
        return n;
    }

    // leaderboard.csv and the same table for the terminal: per seat and entrant the mean score
    // with its 95 % interval and the paired difference against the shipped policy (same seeds).
    std::pair<std::string, std::string> leaderboard() const {
        std::string board =
            "seat,entrant,games,forfeits,mean_score,ci95_low,ci95_high,diff_vs_shipped,diff_ci95_low,diff_ci95_high\n";
        std::string table;
        for (int s = 0; s < static_cast<int>(seats.size()); ++s) {
            const std::string& seat = seat_id(s);
            const std::vector<double> shipped = scores(s, 0);
            table += fmt::format(
                "\n{}: entrant               games  mean score  95% interval      vs shipped (paired)\n", seat);
            for (int e = 0; e < static_cast<int>(entrants.size()); ++e) {
                const std::vector<double> x = scores(s, e);
                std::vector<double> diff;
                for (std::size_t k = 0; k < x.size(); ++k) diff.push_back(x[k] - shipped[k]);
                const int lost = forfeits(s, e);
                const Summary m = summarize(x), dm = summarize(diff);
                board +=
                    fmt::format("{},{},{},{},{},{},{},{},{},{}\n", seat, csv_field(entrants[at(e)].name), m.n, lost,
                                csv_num(m.mean), csv_num(m.low), csv_num(m.high), e == 0 ? "" : csv_num(dm.mean),
                                e == 0 ? "" : csv_num(dm.low), e == 0 ? "" : csv_num(dm.high));
                table += fmt::format(
                    "  {:<22} {:>5}  {:>10.4f}  [{:.4f}, {:.4f}]  {}{}\n", entrants[at(e)].name, m.n, m.mean, m.low,
                    m.high,
                    e == 0 ? std::string("-") : fmt::format("{:+.4f} [{:+.4f}, {:+.4f}]", dm.mean, dm.low, dm.high),
                    lost > 0 ? fmt::format("  ({} forfeit)", lost) : "");
            }
        }
        return {board, table};
    }

    // The games that failed (not forfeits: the game itself), named on stderr; kExitRuntime if any.
    int report_failures() const {
        int failed = 0;
        for (std::size_t i = 0; i < jobs.size(); ++i)
            if (!results[i].failure.empty() && failed++ == 0)
                fmt::print(stderr, "chokepoint tournament: game {} failed: {}\n", jobs[i].id, results[i].failure);
        if (failed == 0) return 0;
        fmt::print(stderr, "chokepoint tournament: {} of {} games failed{}\n", failed, jobs.size(),
                   a.out.empty() ? "" : "; run the same command again to retry them (the games played are kept)");
        return kExitRuntime;
    }
};

}  // namespace

int run_tournament(const TournamentArgs& a) {
    Scenario base;
    try {
        base = load_scenario(a.scenario);
    } catch (const ScenarioError& e) {
        fmt::print(stderr, "{}\n", e.what());
        return kExitInput;
    }
    Tournament t{a, base, *base.defs, {}, {}, {}, {}, {}};
    auto seats = read_seats(a, t.d);
    if (auto* exit = std::get_if<Exit>(&seats)) return exit->code;
    t.seats = std::get<std::vector<CountryId>>(std::move(seats));
    try {
        warn_of_scenario_load_errors(base, a, t.seats);
    } catch (const std::exception&) {  // the games themselves fail then, each with its message
    }
    auto entrants = read_entrants(a);
    if (auto* exit = std::get_if<Exit>(&entrants)) return exit->code;
    t.entrants = std::get<std::vector<Entrant>>(std::move(entrants));
    t.plan_jobs();

    const RunRecords records(fs::path(a.out) / "games");
    auto todo = t.resume(records);
    if (auto* exit = std::get_if<Exit>(&todo)) return exit->code;
    const auto& play = std::get<std::vector<std::size_t>>(todo);
    const std::size_t skipped = t.jobs.size() - play.size();
    if (!a.quiet)
        fmt::print(stderr,
                   "{} entrants (the shipped policy included) x {} seat(s) x {} seeds = {} games{}, {} at once\n",
                   t.entrants.size(), t.seats.size(), a.seeds, t.jobs.size(),
                   skipped > 0 ? fmt::format(" ({} already played in {})", skipped, a.out) : "", resolve_jobs(a.jobs));
    t.play(play, records);

    const auto [board, table] = t.leaderboard();
    fmt::print("{}", table);
    if (!a.out.empty()) {
        try {
            write_atomically(fs::path(a.out) / "games.csv", t.games_csv());
            write_atomically(fs::path(a.out) / "leaderboard.csv", board);
        } catch (const std::exception& e) {
            fmt::print(stderr, "chokepoint tournament: {}\n", e.what());
            return kExitOutput;
        }
        fmt::print("\nWrote {0}/leaderboard.csv and {0}/games.csv\n", a.out);
    }
    return t.report_failures();
}

bool is_tournament_folder(const std::string& dir) {
    return report::is_tournament_dir(dir);
}

int write_tournament_report(const std::string& dir, const std::string& out) {
    std::string html;
    try {
        html = report::render_tournament_html(report::read_tournament_dir(dir));
    } catch (const report::DebriefError& e) {
        fmt::print(stderr, "chokepoint report: {}\n", e.what());
        return kExitInput;
    }
    try {
        write_atomically(out, html);
    } catch (const std::exception& e) {
        fmt::print(stderr, "chokepoint report: {}\n", e.what());
        return kExitOutput;
    }
    fmt::print("{}: tournament leaderboard of {}, {} bytes\n", out, dir, html.size());
    return 0;
}

}  // namespace chokepoint
