#include "app/game_file_cmds.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "agents/human_seat.hpp"
#include "agents/saved_game.hpp"
#include "engine/output/sha256.hpp"
#include "engine/output/writers.hpp"
#include "engine/savegame/command_json.hpp"
#include "engine/savegame/game_file.hpp"
#include "engine/savegame/replay.hpp"
#include "engine/savegame/state_json.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/world/files.hpp"

namespace chokepoint::app {

namespace {

constexpr int kExitRuntime = 1, kExitInput = 3, kExitOutput = 4;

// A saved game's scripts as the file has them: no hot reload while it is replayed or reported.
LuaPolicyOptions fixed_scripts() {
    LuaPolicyOptions lua;
    lua.hot_reload = false;
    return lua;
}

GameOptions options_of(const SavedRunArgs& a) {
    GameOptions o;
    parse_leverage_schedule(a.leverage, o);
    o.threads = a.threads;
    return o;
}

}  // namespace

int finish_run(const Game& game, const std::string& out) {
    fmt::print("{}", final_report(game));
    if (out.empty()) return 0;
    OutputManifest m;
    try {
        m = write_outputs(game, out);
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "chokepoint: {}\n", e.what());
        return kExitOutput;
    }
    fmt::print("\nWrote {0}/timeseries.csv, {0}/leverage.csv, {0}/events.jsonl, {0}/agreements.csv and {0}/summary.json "
               "(run {1}, checksums in {0}/{2})\n",
               out, m.run_id, kManifestName);
    return 0;
}

// A loaded game plays on with the policy texts it was saved with, whatever the files say now
// (docs/game-file.md §What load, replay and branch do); say so when a file differs from the text
// the game plays (the one it began with, or the last hot reload journaled), instead of silently
// playing the saved text (the third modder review).
void note_changed_policies(const GameFile& file) {
    for (const ScriptInPlay& p : scripts_in_play(file.header(), file.turns(false))) {
        const PolicyScript& s = p.script;
        std::string error;
        const auto now = read_text_file(s.path, std::size_t{16} << 20, error);
        if (!now || sha256_hex(*now) == s.sha256) continue;
        fmt::print(stderr,
                   "chokepoint: note: {} (played by {}) has changed since {}; the loaded game goes on with the "
                   "text it was {} with (a new game plays the file as it is now)\n",
                   s.path, s.country,
                   p.reloaded_turn < 0 ? std::string("this game began") : fmt::format("it was reloaded in turn {}", p.reloaded_turn),
                   p.reloaded_turn < 0 ? "saved" : "reloaded");
    }
}

int run_saved(const SavedRunArgs& a) {
    LuaPolicyOptions lua;
    lua.max_consecutive_failures = a.policy_failures;
    lua.hot_reload = false;  // a run's scripts are the files as they were when it started
    std::unique_ptr<Game> game;
    std::unique_ptr<JournalDesk> desk;
    std::optional<GameFile> file;
    int stop = 0;
    if (a.load.empty()) {
        Scenario sc = with_overrides(load_scenario(a.scenario), {a.turns, a.seed});
        game = std::make_unique<Game>(std::move(sc), options_of(a));
        install_lua_policies(*game, lua);
        file.emplace(GameFile::create(a.save, make_header(*game, a.scenario, a.leverage)));
        stop = a.until ? std::min(*a.until, game->turn_limit()) : game->turn_limit();
    } else {
        OpenGameOptions o;
        o.load = a.load, o.save = a.save, o.at = a.at, o.lua = lua;
        o.game.threads = a.threads;
        OpenedGame opened = open_saved_game(o);
        game = std::move(opened.game);
        desk = std::move(opened.desk);
        file = std::move(opened.file);
        note_changed_policies(*file);
        if (!a.quiet)
            fmt::print("{}: loaded, {} turns replayed{}\n", a.load, opened.replayed,
                       a.at ? fmt::format(" (branch into {})", a.save) : std::string());
        if (opened.desync_turn >= 0)
            fmt::print(stderr,
                       "chokepoint: warning: {}'s turn {} does not replay as it was saved; {} holds the game as it "
                       "replays now (`chokepoint replay {}` shows the difference)\n",
                       a.load, opened.desync_turn, a.save, a.load);
        stop = a.turns ? std::min(game->state().turn + *a.turns, game->turn_limit()) : game->turn_limit();
    }
    while (!game->finished() && game->state().turn < stop) {
        const TurnRecord& r = game->step();
        save_new_turns(*game, *file);
        if (!a.quiet) fmt::print("{}\n", turn_line(*game, r));
        std::fflush(stdout);
    }
    if (!a.quiet) fmt::print("Saved {} turns of {} in {}\n", file->turns_saved(), game->turn_limit(), file->path());
    return finish_run(*game, a.out);
}

int replay_game(const std::string& path, bool quiet) {
    GameFile file = GameFile::open(path);
    const GameHeader& h = file.header();
    std::unique_ptr<Game> game = game_from_header(h, GameOptions{});
    const std::vector<TurnEntry> turns = file.turns(true);
    const auto desk = install_stored_policies(*game, h, path, fixed_scripts(), turns);
    const ReplayCheck c = replay_turns(*game, turns, static_cast<int>(turns.size()), true,
                                       [&](const TurnEntry& e, bool ok) {
                                           if (ok && !quiet)
                                               fmt::print("turn {:3} {}: OK {}\n", e.turn, e.date, e.state_hash.substr(0, 16));
                                       });
    if (c.desync_turn >= 0) {
        fmt::print("turn {:3}: DESYNC in {} (saved {}, replayed {})\n", c.desync_turn, c.difference,
                   c.expected_hash.substr(0, 16), c.actual_hash.substr(0, 16));
        return kExitRuntime;
    }
    // Every saved turn is checked, or the file says why not: a game length cut below its saved
    // turns (an edited header) would otherwise pass with its later turns unread.
    if (c.turns_played < static_cast<int>(turns.size())) {
        fmt::print("{}: {} turns saved, but the game's length is {}: turns {} to {} were not replayed (the header "
                   "was changed?)\n",
                   path, turns.size(), h.turn_limit, c.turns_played, turns.size() - 1);
        return kExitRuntime;
    }
    fmt::print("{}: {} turns replayed, every state hash verified\n", path, c.turns_played);
    return 0;
}

namespace {

double numeric(const nlohmann::json& j) {
    if (j.is_number()) return j.get<double>();
    return std::nan("");
}

// Per country id: a value from a snapshot's [country][*] grid (row = country index).
std::map<std::string, double> row_sum(const nlohmann::json& snap, const nlohmann::json& grid) {
    std::map<std::string, double> out;
    std::vector<std::string> names;
    for (const auto& id : snap.at("country_order")) names.push_back(id.get<std::string>());
    const int rows = grid.at("rows").get<int>(), cols = grid.at("cols").get<int>();
    for (int r = 0; r < rows && r < static_cast<int>(names.size()); ++r) {
        double s = 0;
        for (int k = 0; k < cols; ++k) s += numeric(grid.at("cells").at(static_cast<size_t>(r * cols + k)));
        out[names[static_cast<size_t>(r)]] = s;
    }
    return out;
}

}  // namespace

int compare_games(const std::string& pa, const std::string& pb) {
    GameFile a = GameFile::open(pa), b = GameFile::open(pb);
    const auto ta = a.turns(true), tb = b.turns(true);
    const size_t n = std::min(ta.size(), tb.size());
    size_t first = n;
    for (size_t t = 0; t < n; ++t)
        if (ta[t].state_hash != tb[t].state_hash) {
            first = t;
            break;
        }
    if (first < n)
        fmt::print("The games diverge at turn {} ({}): {}\n", first, ta[first].date,
                   snapshot_difference(ta[first].snapshot, tb[first].snapshot));
    else if (ta.size() == tb.size())
        fmt::print("The games are identical over their {} turns\n", n);
    else
        fmt::print("The games agree over their {} common turns ({} has {}, {} has {})\n", n, pa, ta.size(), pb,
                   tb.size());
    if (ta.empty() || tb.empty()) return 0;
    const auto& ea = ta.back().snapshot;
    const auto& eb = tb.back().snapshot;
    fmt::print("At the end (turn {} of {}, turn {} of {}), B − A:\n", ta.back().turn, pa, tb.back().turn, pb);
    // Units on the header (the third modder review: "mean price" and "treasury" had none): the
    // country's market price averaged over the goods in USD/kg, the treasury in USD millions.
    fmt::print("{:<14} {:>12} {:>16} {:>14} {:>14}\n", "country", "leverage", "mean price $/kg", "unmet t",
               "treasury $M");
    const auto& la = ea.at("leverage").at("index");
    const auto& lb = eb.at("leverage").at("index");
    const auto& ma = ea.at("markets").at("last");
    const auto& mb = eb.at("markets").at("last");
    const auto pa_sum = row_sum(ea, ma.at("price")), pb_sum = row_sum(eb, mb.at("price"));
    const auto da = row_sum(ea, ma.at("demand")), db = row_sum(eb, mb.at("demand"));
    const auto meta = row_sum(ea, ma.at("met")), metb = row_sum(eb, mb.at("met"));
    const int goods = ma.at("price").at("cols").get<int>();
    const auto& order = ea.at("country_order");
    for (size_t ci = 0; ci < order.size(); ++ci) {
        const std::string id = order[ci].get<std::string>();
        if (!eb.at("countries").contains(id)) continue;
        const double lev = (ci < lb.size() ? numeric(lb[ci]) : 0) - (ci < la.size() ? numeric(la[ci]) : 0);
        const double price = goods > 0 ? (pb_sum.at(id) - pa_sum.at(id)) / goods : 0.0;
        const double unmet = (db.at(id) - metb.at(id)) - (da.at(id) - meta.at(id));
        const double treasury = numeric(eb.at("countries").at(id).at("treasury")) - numeric(ea.at("countries").at(id).at("treasury"));
        fmt::print("{:<14} {:>+12.4f} {:>+16.2f} {:>+14.1f} {:>+14.1f}\n", id, lev, price / 1000, unmet, treasury / 1e6);
    }
    const auto sa = a.scores_at(ta.back().turn), sb = b.scores_at(tb.back().turn);
    fmt::print("{:<14} {:>12} {:>12} {:>12}\n", "country", "score A", "score B", "B − A");
    for (const auto& [id, s] : sa) {
        const auto it = sb.find(id);
        const double other = it == sb.end() ? std::nan("") : it->second;
        fmt::print("{:<14} {:>12.4f} {:>12.4f} {:>+12.4f}\n", id, s, other, other - s);
    }
    return 0;
}

namespace {

std::vector<std::string> described(const Definitions& d, const std::vector<Command>& commands) {
    std::vector<std::string> out;
    for (const auto& c : commands) out.push_back(describe_command(d, c));
    return out;
}

// The human seats' journal rows as readable lines, by country id.
void add_team_decisions(const Game& game, const std::vector<TurnEntry>& turns, const std::string& path,
                        report::DebriefData& out) {
    out.has_decisions = true;
    for (const auto& e : turns)
        for (const auto& [country, row] : e.decisions) {
            report::DebriefDecision dd;
            dd.turn = e.turn;
            dd.date = e.date;
            try {
                const auto decided = decisions_from_json(row);
                const auto advice = advice_from_json(row);
                dd.handed_to_advisor = !decided;
                if (decided) dd.decided = described(game.defs(), *decided);
                dd.advice_recorded = advice.has_value();
                if (advice) dd.advice = described(game.defs(), *advice);
                for (const auto& said : talks_from_json(row).value_or(std::vector<SavedTalk>{}))
                    for (const auto& line : described(game.defs(), said.commands))
                        dd.talked.push_back(fmt::format("round {}: {}", said.round + 1, line));
            } catch (const std::exception& ex) {
                throw GameFileError(fmt::format("{}: turn {}: {}'s decisions row is damaged ({})", path, e.turn,
                                                country, ex.what()));
            }
            out.decisions[country].push_back(std::move(dd));
        }
}

}  // namespace

report::DebriefData debrief_of_game_file(const std::string& path) {
    GameFile file = GameFile::open(path);
    const GameHeader& h = file.header();
    const std::vector<TurnEntry> turns = file.turns(false);
    if (turns.empty()) throw GameFileError(path + ": no turn saved yet (nothing to report)");
    std::unique_ptr<Game> game = game_from_header(h, GameOptions{});
    const auto desk = install_stored_policies(*game, h, path, fixed_scripts(), turns);
    game->set_recorded_leverage(file.leverage_reports());
    const ReplayCheck check = replay_turns(*game, turns, static_cast<int>(turns.size()), true);
    if (check.desync_turn >= 0)
        throw GameFileError(fmt::format("{}: the replay differs from the saved game at turn {} (`chokepoint replay {}` "
                                        "shows where); no report of a game that is not the saved one",
                                        path, check.desync_turn, path));
    std::ostringstream timeseries, events, agreements;
    write_timeseries_csv(*game, timeseries);
    write_events_jsonl(*game, events);
    write_agreements_csv(*game, agreements);
    report::DebriefData d =
        report::read_output_texts(path, {summary_json(*game), timeseries.str(), events.str(), agreements.str()});
    add_team_decisions(*game, turns, path, d);
    return d;
}

report::DebriefData read_debrief_input(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return report::read_output_dir(path);
    if (!std::filesystem::exists(path, ec))
        throw report::DebriefError(path + ": no such game file or `run --out` folder");
    return debrief_of_game_file(path);
}

}  // namespace chokepoint::app
