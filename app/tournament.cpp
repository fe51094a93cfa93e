#include "app/tournament.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "agents/lua/lua_policy.hpp"
#include "app/parallel.hpp"
#include "engine/game/game.hpp"
#include "engine/output/csv.hpp"
#include "engine/scenario/loader.hpp"

namespace chokepoint {

namespace fs = std::filesystem;

namespace {

constexpr int kExitRuntime = 1, kExitInput = 3, kExitOutput = 4;

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
    std::string failure;       // the game itself failed (should not happen)
};

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

GameResult play_one(const Scenario& base, const TournamentArgs& a, int seat, const Entrant& e, std::uint64_t seed) {
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
    r.raw_score = last.scores[static_cast<size_t>(seat)].total;
    for (auto it = game.history().rbegin(); it != game.history().rend(); ++it)
        if (!it->leverage.index_combined.empty()) {
            r.leverage = it->leverage.index_combined[static_cast<size_t>(seat)];
            break;
        }
    if (const auto* lp = dynamic_cast<const LuaPolicy*>(game.policy(seat))) {
        const auto stats = lp->stats();
        r.errors = stats.value("errors", 0LL);
        r.forfeit = r.errors > 0 || lp->fell_back() || !lp->load_error().empty();
    }
    r.score = r.forfeit ? 0.0 : r.raw_score;
    return r;
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

int run_tournament(const TournamentArgs& a) {
    Scenario base;
    try {
        base = load_scenario(a.scenario);
    } catch (const ScenarioError& e) {
        fmt::print(stderr, "{}\n", e.what());
        return kExitInput;
    }
    const Definitions& d = *base.defs;
    std::vector<int> seats;
    for (const std::string& s : a.seats) {
        const int c = d.country_index(s);
        if (c < 0) {
            std::string ids;
            for (const auto& cd : d.countries) ids += (ids.empty() ? "" : ", ") + cd.id;
            fmt::print(stderr, "chokepoint tournament: --seat {}: no such country in {} (countries: {})\n", s, a.scenario, ids);
            return kExitInput;
        }
        seats.push_back(c);
    }
    std::vector<Entrant> entrants{{"shipped", ""}};
    for (const std::string& p : a.policies) {
        std::error_code ec;
        if (!fs::is_regular_file(p, ec)) {
            fmt::print(stderr, "chokepoint tournament: {}: no such policy file\n", p);
            return kExitInput;
        }
        std::string name = fs::path(p).stem().string();
        for (const Entrant& e : entrants)
            if (e.name == name) name = p;  // two files of the same name: their paths tell them apart
        entrants.push_back({name, p});
    }

    struct Job {
        int seat, entrant;
        std::uint64_t seed;
    };
    std::vector<Job> jobs;
    for (int s = 0; s < static_cast<int>(seats.size()); ++s)
        for (int e = 0; e < static_cast<int>(entrants.size()); ++e)
            for (int k = 0; k < a.seeds; ++k) jobs.push_back({s, e, a.first_seed + static_cast<std::uint64_t>(k)});
    if (!a.quiet)
        fmt::print(stderr, "{} entrants (the shipped policy included) x {} seat(s) x {} seeds = {} games, {} at once\n",
                   entrants.size(), seats.size(), a.seeds, jobs.size(), resolve_jobs(a.jobs));

    std::vector<GameResult> results(jobs.size());
    std::mutex mu;
    int done = 0;
    for_each_parallel(jobs.size(), a.jobs, [&](std::size_t i) {
        const Job& j = jobs[i];
        try {
            results[i] = play_one(base, a, seats[static_cast<size_t>(j.seat)], entrants[static_cast<size_t>(j.entrant)], j.seed);
        } catch (const std::exception& e) {
            results[i].failure = e.what();
            results[i].forfeit = true;
        }
        std::lock_guard<std::mutex> lock(mu);
        ++done;
        if (!a.quiet && (done % 10 == 0 || done == static_cast<int>(jobs.size())))
            fmt::print(stderr, "{}/{} games\n", done, jobs.size());
    });

    std::string games = "seat,entrant,seed,score,forfeit,errors,raw_score,leverage\n";
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const Job& j = jobs[i];
        const GameResult& r = results[i];
        games += fmt::format("{},{},{},{},{},{},{},{}\n", d.countries[static_cast<size_t>(seats[static_cast<size_t>(j.seat)])].id,
                             csv_field(entrants[static_cast<size_t>(j.entrant)].name), j.seed, csv_num(r.score),
                             r.forfeit ? 1 : 0, r.errors, csv_num(r.raw_score), csv_num(r.leverage));
    }
    std::string board =
        "seat,entrant,games,forfeits,mean_score,ci95_low,ci95_high,diff_vs_shipped,diff_ci95_low,diff_ci95_high\n";
    std::string table;
    for (int s = 0; s < static_cast<int>(seats.size()); ++s) {
        const std::string& seat = d.countries[static_cast<size_t>(seats[static_cast<size_t>(s)])].id;
        auto scores = [&](int e) {
            std::vector<double> x;
            for (std::size_t i = 0; i < jobs.size(); ++i)
                if (jobs[i].seat == s && jobs[i].entrant == e) x.push_back(results[i].score);
            return x;
        };
        const std::vector<double> shipped = scores(0);
        table += fmt::format("\n{}: entrant               games  mean score  95% interval      vs shipped (paired)\n", seat);
        for (int e = 0; e < static_cast<int>(entrants.size()); ++e) {
            const std::vector<double> x = scores(e);
            std::vector<double> diff;
            for (std::size_t k = 0; k < x.size(); ++k) diff.push_back(x[k] - shipped[k]);
            int forfeits = 0;
            for (std::size_t i = 0; i < jobs.size(); ++i) forfeits += jobs[i].seat == s && jobs[i].entrant == e && results[i].forfeit;
            const Summary m = summarize(x), dm = summarize(diff);
            board += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", seat, csv_field(entrants[static_cast<size_t>(e)].name), m.n,
                                 forfeits, csv_num(m.mean), csv_num(m.low), csv_num(m.high), e == 0 ? "" : csv_num(dm.mean),
                                 e == 0 ? "" : csv_num(dm.low), e == 0 ? "" : csv_num(dm.high));
            table += fmt::format("  {:<22} {:>5}  {:>10.4f}  [{:.4f}, {:.4f}]  {}{}\n", entrants[static_cast<size_t>(e)].name, m.n,
                                 m.mean, m.low, m.high,
                                 e == 0 ? std::string("-") : fmt::format("{:+.4f} [{:+.4f}, {:+.4f}]", dm.mean, dm.low, dm.high),
                                 forfeits > 0 ? fmt::format("  ({} forfeit)", forfeits) : "");
        }
    }
    fmt::print("{}", table);
    if (!a.out.empty()) {
        std::error_code ec;
        fs::create_directories(a.out, ec);
        std::ofstream g(fs::path(a.out) / "games.csv", std::ios::binary), b(fs::path(a.out) / "leaderboard.csv", std::ios::binary);
        g << games;
        b << board;
        g.flush();
        b.flush();
        if (ec || !g || !b) {
            fmt::print(stderr, "chokepoint tournament: cannot write {}/games.csv and leaderboard.csv\n", a.out);
            return kExitOutput;
        }
        fmt::print("\nWrote {0}/leaderboard.csv and {0}/games.csv\n", a.out);
    }
    for (const GameResult& r : results)
        if (!r.failure.empty()) {
            fmt::print(stderr, "chokepoint tournament: a game failed: {}\n", r.failure);
            return kExitRuntime;
        }
    return 0;
}

}  // namespace chokepoint
