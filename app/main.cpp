// chokepoint — one executable, subcommands in the usual style.
//   run      play a scenario headless and print/write the results
//   check    validate a scenario file
//   play     the GUI (the default); without a display or a GUI build, a headless run
//   batch    a sweep of runs (overrides × seeds), resumable and shardable; merge combines shards
//   tournament  Lua policies against a seat's shipped policy on common seeds
// Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 invalid input file, 4 output error.
#include <charconv>
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include "agents/lua/lua_policy.hpp"
#include "app/batch.hpp"
#include "app/check_policy.hpp"
#include "app/game_file_cmds.hpp"
#include "app/reload_at.hpp"
#include "app/serve.hpp"
#include "app/report/debrief_html.hpp"
#include "app/tournament.hpp"
#include "engine/output/writers.hpp"
#include "engine/savegame/game_file.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/world/files.hpp"
#include "engine/game/game.hpp"
#if CHOKEPOINT_HAVE_VIEW
#include "view/window.hpp"
#endif

using namespace chokepoint;

namespace {

constexpr int kExitRuntime = 1, kExitUsage = 2, kExitInput = 3, kExitOutput = 4;
const char* kDefaultScenario = "config/scenarios/baseline.yaml";

struct RunArgs {
    std::string scenario = kDefaultScenario;
    std::optional<int> turns;
    std::optional<std::uint64_t> seed;
    std::string out;
    bool quiet = false;
    int policy_failures = 3;
    std::string leverage = "every";
    int threads = 0;  // 0: one per hardware thread
    std::vector<std::string> reload_at;  // [COUNTRY:]TURN=FILE (app/reload_at.hpp)
    // The game file (docs/game-file.md).
    std::string save, load;
    std::optional<int> at, until;
};

GameOptions game_options(const RunArgs& a) {
    GameOptions o;
    parse_leverage_schedule(a.leverage, o);  // validated by the parser
    o.threads = a.threads;
    return o;
}

// Loads a scenario and applies the command line's overrides.
Scenario load_with_overrides(const RunArgs& a) { return with_overrides(load_scenario(a.scenario), {a.turns, a.seed}); }

int run_headless(const RunArgs& a, bool from_play) {
    Scenario sc = load_with_overrides(a);
    const Definitions& d = *sc.defs;
    if (!a.quiet)
        fmt::print("{} — {} countries, {} turns of {} months from {}, seed {}\n", d.scenario_name, d.country_count(),
                   d.turns, d.turn_months, d.date_of_turn(0), d.seed);
    Game game(std::move(sc), game_options(a));
    LuaPolicyOptions lua;
    lua.max_consecutive_failures = a.policy_failures;
    install_lua_policies(game, lua);
    // policy_params that a policy's declaration refuses are an error in the scenario: no game.
    for (CountryId c : game.defs().country_ids())
        if (const auto* p = dynamic_cast<const LuaPolicy*>(game.policy(c)); p && !p->params_error().empty()) {
            std::fflush(stdout);
            fmt::print(stderr, "{}\n", p->params_error());
            return kExitInput;
        }
    if (auto error = app::schedule_reloads(game, a.reload_at, kNoCountry)) {
        fmt::print(stderr, "chokepoint: {}\n", *error);
        return kExitUsage;
    }
    while (!game.finished()) {
        const TurnRecord& r = game.step();
        if (!a.quiet) fmt::print("{}\n", turn_line(game, r));
        std::fflush(stdout);
    }
    if (const int code = app::finish_run(game, a.out)) return code;
    if (from_play) {
#if CHOKEPOINT_HAVE_VIEW
        fmt::print(
            "\nThis was a headless run: there is no display (DISPLAY is not set). To see the game window,\n"
            "run `chokepoint play` on a desktop; on a server, `xvfb-run -a ./build/chokepoint play --autoplay 8\n"
            "--frames 120 --screenshot shot.png` saves a picture of it. `chokepoint run SCENARIO --out DIR`\n"
            "writes the whole game as CSV and JSON (docs/outputs.md).\n");
#else
        fmt::print(
            "\nThis was a headless run: this build has no game window (SFML/ImGui were not found when it was\n"
            "configured; `make run` installs them). `chokepoint run SCENARIO --out DIR` writes the whole game\n"
            "as CSV and JSON (docs/outputs.md).\n");
#endif
    }
    // What went to standard output is output too: `run > file` on a full disk is an error.
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        fmt::print(stderr, "chokepoint: cannot write to standard output: {}\n", std::strerror(errno));
        return kExitOutput;
    }
    return 0;
}

struct PlayArgs {
    std::vector<std::string> humans;
    int frames = 0;
    std::string screenshot;
    int autoplay = 0;
    float font_scale = 0.0f;
    std::string theme = "dark";
    std::string font;
    std::string size = "1280x720";
    bool headless = false;
    bool frame_times = false;
    bool no_leverage = false;
    bool no_save = false;
    std::string tab;
    std::string shots = ".";
    std::optional<double> talk_minutes;
    bool serve = false;  // teams play from browsers (docs/protocol.md)
    std::string bind = "0.0.0.0";
    int port = 8080;
    std::vector<std::string> tls;  // CERT KEY
};

constexpr unsigned kMinWidth = 640, kMinHeight = 400, kMaxSide = 16384;

// WIDTHxHEIGHT, both whole numbers, at least 640x400 and at most 16384 on a side.
std::optional<std::pair<unsigned, unsigned>> parse_window_size(const std::string& text) {
    const auto x = text.find('x');
    if (x == std::string::npos) return std::nullopt;
    unsigned w = 0, h = 0;
    const char* b = text.data();
    const char* e = b + text.size();
    const auto [wend, wec] = std::from_chars(b, b + x, w);
    const auto [hend, hec] = std::from_chars(b + x + 1, e, h);
    if (wec != std::errc{} || hec != std::errc{} || wend != b + x || hend != e || x == 0) return std::nullopt;
    if (w < kMinWidth || h < kMinHeight || w > kMaxSide || h > kMaxSide) return std::nullopt;
    return std::pair{w, h};
}

const CLI::Validator kWindowSize(
    [](std::string& text) -> std::string {
        if (parse_window_size(text)) return {};
        return "WIDTHxHEIGHT in pixels, from 640x400 to 16384x16384, was expected; got " + text;
    },
    "WxH");

[[maybe_unused]] bool have_display() {
    const char* x = std::getenv("DISPLAY");
    return x && *x;
}

int run_with_game_file(const RunArgs& a);

// Writes `text` to `path` whole; false (errno set) when it cannot.
bool write_whole_file(const std::string& path, const std::string& text) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (f) ok = std::fclose(f) == 0 && ok;
    return ok;
}

// The window's "Debrief report" button: the game file's debrief page written to `out`; "" or why not.
[[maybe_unused]] std::string export_debrief(const std::string& game_file, const std::string& out) {
    try {
        const std::string html = report::render_debrief_html(app::read_debrief_input(game_file), nullptr);
        if (!write_whole_file(out, html)) return fmt::format("cannot write {}: {}", out, std::strerror(errno));
        return {};
    } catch (const std::exception& e) {
        return e.what();
    }
}

int play(const RunArgs& a, const PlayArgs& p) {
    if (!a.reload_at.empty()) {
        fmt::print(stderr, "chokepoint play: --reload-at is for run and check; in the window, edit the file: it "
                           "reloads between turns\n");
        return kExitUsage;
    }
    if (a.at && a.load.empty()) {
        fmt::print(stderr, "chokepoint play: --at needs --load GAME.ckp (the game to go back in)\n");
        return kExitUsage;
    }
    if (!a.load.empty() && a.seed) {
        fmt::print(stderr, "chokepoint play: --seed cannot change a loaded game (its seed is in the file)\n");
        return kExitUsage;
    }
    if (p.no_save && (!a.save.empty() || !a.load.empty())) {
        fmt::print(stderr, "chokepoint play: --no-save is for a new game without --save (a loaded game goes on in a file)\n");
        return kExitUsage;
    }
#if CHOKEPOINT_HAVE_VIEW
    if (!p.headless && have_display()) {
        view::ViewOptions o;
        o.session.scenario = a.scenario;
        o.session.seed = a.seed;
        o.session.humans = p.humans;
        o.session.turns = a.turns.value_or(0);
        o.session.game = game_options(a);
        o.frames = p.frames;
        o.screenshot = p.screenshot;
        o.autoplay = p.autoplay;
        o.font_scale = p.font_scale;
        o.theme = p.theme;
        o.font = p.font;
        o.print_frame_times = p.frame_times;
        o.tab = p.tab;
        o.shots = p.shots;
        o.out = a.out;
        o.session.policy_failures = a.policy_failures;
        o.session.save = a.save;
        o.session.load = a.load;
        o.session.at = a.at;
        o.session.talk_minutes = p.talk_minutes;
        if (p.serve)
            o.serve = view::ServeConfig{p.bind, p.port, p.tls.size() == 2 ? p.tls[0] : "", p.tls.size() == 2 ? p.tls[1] : ""};
        o.autosave = !p.no_save;
        o.export_report = export_debrief;
        const auto [w, h] = *parse_window_size(p.size);  // validated by the parser
        o.width = w;
        o.height = h;
        return view::run_view(o);
    }
#endif
    if (p.frames > 0 || !p.screenshot.empty()) {
        fmt::print(stderr, "chokepoint: --frames and --screenshot need the game window, and there is no display{}; "
                           "try `xvfb-run -a chokepoint play ...`\n",
#if CHOKEPOINT_HAVE_VIEW
                   ""
#else
                   " (and this build has no window)"
#endif
        );
        return kExitRuntime;
    }
    // No window: `play --serve` is `serve`, the facilitator at the terminal.
    if (p.serve) {
        app::ServeArgs sa;
        sa.scenario = a.scenario;
        sa.humans = p.humans;
        sa.bind = p.bind;
        sa.port = p.port;
        sa.load = a.load;
        sa.save = a.save;
        sa.no_save = p.no_save;
        sa.talk_minutes = p.talk_minutes;
        sa.turns = a.turns;
        sa.seed = a.seed;
        sa.leverage = a.leverage;
        sa.threads = a.threads;
        sa.tls = p.tls;
        fmt::print("There is no display: serving the teams' page without the window (the facilitator types commands "
                   "here).\n");
        return app::serve(sa);
    }
    // Headless with a game file: played to the end (or --turns more) and saved, as `run --save/--load`.
    if (!a.save.empty() || !a.load.empty()) return run_with_game_file(a);
    return run_headless(a, true);
}

// A seed is a whole number 0 .. 2^64 − 1 written in decimal: CLI11 alone would saturate larger
// values and wrap negative ones without a word.
const CLI::Validator kSeed(
    [](std::string& text) -> std::string {
        std::uint64_t v = 0;
        const char* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(text.data(), end, v);
        if (text.empty() || ec != std::errc{} || ptr != end)
            return "a seed is a whole number from 0 to 18446744073709551615, got " + text;
        return {};
    },
    "0..2^64-1");

const CLI::Validator kLeverageSchedule(
    [](std::string& text) -> std::string {
        GameOptions o;
        if (parse_leverage_schedule(text, o)) return {};
        return "every, a whole number of turns N >= 1, end or off was expected; got " + text;
    },
    "every|N|end|off");

// `chokepoint report GAME|DIR [GAME_B|DIR_B] -o FILE`, or a tournament's --out folder: exit 3 for
// unreadable input, 4 when the file cannot be written.
int write_report(const std::vector<std::string>& inputs, const std::string& out) {
    if (inputs.size() == 1 && is_tournament_folder(inputs[0])) return write_tournament_report(inputs[0], out);
    std::vector<report::DebriefData> games;
    try {
        for (const auto& in : inputs) games.push_back(app::read_debrief_input(in));
    } catch (const report::DebriefError& e) {
        fmt::print(stderr, "chokepoint report: {}\n", e.what());
        return kExitInput;
    } catch (const GameFileError& e) {
        fmt::print(stderr, "chokepoint report: {}\n", e.what());
        return kExitInput;
    }
    const std::string html = report::render_debrief_html(games[0], games.size() > 1 ? &games[1] : nullptr);
    if (!write_whole_file(out, html)) {
        fmt::print(stderr, "chokepoint report: cannot write {}: {}\n", out, std::strerror(errno));
        return kExitOutput;
    }
    fmt::print("{}: debrief of {} game(s), {} bytes\n", out, games.size(), html.size());
    return 0;
}

void add_run_options(CLI::App* cmd, RunArgs& a) {
    cmd->add_option("scenario", a.scenario, "Scenario YAML file")->capture_default_str();
    cmd->add_option("--turns", a.turns, "Number of turns to play (overrides the scenario)")->check(CLI::Range(1, 1000));
    cmd->add_option("--seed", a.seed, "Random seed (overrides the scenario)")->check(kSeed);
    cmd->add_option("--out", a.out,
                    "Directory for timeseries.csv, leverage.csv, events.jsonl, agreements.csv, summary.json and "
                    "manifest.json");
    cmd->add_flag("--quiet,-q", a.quiet, "Print only the final tables");
    cmd->add_option("--policy-failures", a.policy_failures,
                    "Failed callbacks in a row after which a Lua policy hands over to the autopilot")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    cmd->add_option("--leverage", a.leverage,
                    "When to measure leverage: every (turn), N (every N-th turn and the last), end (the last "
                    "turn only) or off; between measurements scores use the latest one")
        ->capture_default_str()
        ->check(kLeverageSchedule);
    cmd->add_option("--threads", a.threads,
                    "Threads for the leverage measurement (default: all cores); results are the same for any number")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--reload-at", a.reload_at,
                    "COUNTRY:TURN=FILE: replace that country's Lua policy by FILE at the start of turn TURN (ctx.turn, "
                    "0-based), as a hot reload does (memory kept; a file that does not load keeps the old policy "
                    "with a policy_error event); repeatable")
        ->take_all()
        ->allow_extra_args(false);  // one value per use: `--reload-at 3=b.lua SCENARIO` keeps the scenario
}

// The game file's options, for `run` only.
void add_game_file_options(CLI::App* cmd, RunArgs& a) {
    cmd->add_option("--save", a.save,
                    "Game file (SQLite, docs/game-file.md) to save the game to after every turn; with --load: "
                    "save the continued game to this new file instead of the loaded one");
    cmd->add_option("--load", a.load,
                    "Continue a saved game file (replays its journal; the scenario argument is not used); "
                    "--turns is then the number of turns to play on (default: to the end)");
    cmd->add_option("--at", a.at,
                    "With --load: branch the game after this many turns into the new file given by --save (with a "
                    "parent reference)")
        ->check(CLI::Range(0, 1000));
    cmd->add_option("--until", a.until,
                    "With --save on a new game: stop after this many turns (the game's length stays; continue with "
                    "--load)")
        ->check(CLI::Range(1, 1000));
}

int run_with_game_file(const RunArgs& a) {
    if (!a.reload_at.empty()) {
        // A reload changes a policy mid-game; the game file's journal does not record it yet.
        fmt::print(stderr, "chokepoint run: --reload-at cannot be combined with --save or --load yet\n");
        return kExitUsage;
    }
    if (a.at && (a.load.empty() || a.save.empty())) {
        fmt::print(stderr, "chokepoint run: --at needs --load GAME.ckp and --save NEW.ckp (a branch is a new file)\n");
        return kExitUsage;
    }
    if (a.until && !a.load.empty()) {
        fmt::print(stderr, "chokepoint run: --until is for a new game; with --load, --turns N plays N more turns\n");
        return kExitUsage;
    }
    if (!a.load.empty() && a.seed) {
        fmt::print(stderr, "chokepoint run: --seed cannot change a loaded game (its seed is in the file)\n");
        return kExitUsage;
    }
    app::SavedRunArgs s;
    s.scenario = a.scenario, s.load = a.load, s.save = a.save, s.at = a.at, s.turns = a.turns, s.until = a.until;
    if (a.seed) s.seed = *a.seed;
    s.out = a.out, s.leverage = a.leverage, s.threads = a.threads, s.policy_failures = a.policy_failures;
    s.quiet = a.quiet;
    return app::run_saved(s);
}

}  // namespace

namespace {

// Every subcommand's arguments and its CLI11 handle (set when it was chosen).
struct CommandLine {
    RunArgs run_args, play_args;
    PlayArgs view_args;
    std::string replay_file;
    bool replay_quiet = false;
    std::vector<std::string> compare_files;
    std::string check_file;
    app::CheckPolicyArgs policy_args;
    std::vector<std::string> report_dirs;
    std::string report_out = "debrief.html";
    BatchArgs batch_args;
    std::string shard_text = "1/1";
    std::vector<std::string> merge_dirs;
    std::string merge_out;
    bool merge_quiet = false;
    TournamentArgs tour;
    app::ServeArgs serve_args;
    CLI::App* serve_cmd = nullptr;
    CLI::App *run = nullptr, *replay_cmd = nullptr, *compare_cmd = nullptr, *check = nullptr, *report_cmd = nullptr,
             *play_cmd = nullptr, *batch = nullptr, *merge = nullptr, *tournament = nullptr;
};

// `replay GAME`: verify a game file turn by turn.
void add_replay(CLI::App& app, CommandLine& cl) {
    cl.replay_cmd = app.add_subcommand(
        "replay",
        "Replay a game file from its scenario and journal and verify every turn's state hash (exit 1 on a desync)");
    cl.replay_cmd->add_option("game", cl.replay_file, "The game file (.ckp)")->required();
    cl.replay_cmd->add_flag("--quiet,-q", cl.replay_quiet, "Print only the verdict");
}

// `compare A B`: two game files side by side.
void add_compare(CLI::App& app, CommandLine& cl) {
    cl.compare_cmd = app.add_subcommand(
        "compare",
        "Compare two game files (branches): the first turn they diverge, and leverage, prices, unmet "
        "demand and scores at the end");
    cl.compare_cmd->add_option("games", cl.compare_files, "Two game files A.ckp B.ckp")->required()->expected(2);
}

// `check FILE`: a scenario validated, or a policy smoke-run.
void add_check(CLI::App& app, CommandLine& cl) {
    cl.policy_args.scenario = kDefaultScenario;
    cl.check = app.add_subcommand("check", "Validate a scenario (.yaml), or load and smoke-run a Lua policy (.lua)");
    cl.check->add_option("file", cl.check_file, "Scenario YAML file or Lua policy file")->required();
    cl.check->add_option("--scenario", cl.policy_args.scenario, "For a policy: the scenario to smoke-run it in")
        ->capture_default_str();
    cl.check->add_option("--as", cl.policy_args.as,
                         "For a policy: the country it plays (default: the one the scenario "
                         "gives it, else the first)");
    cl.check->add_option("--turns", cl.policy_args.turns, "For a policy: turns to smoke-run (the first turns of the scenario's game, whose length ctx.turns keeps)")
        ->capture_default_str()
        ->check(CLI::Range(1, 400));
    cl.check
        ->add_option("--leverage", cl.policy_args.leverage,
                     "For a policy: when leverage is measured (every, N, end, off)")
        ->capture_default_str()
        ->check(kLeverageSchedule);
    cl.check
        ->add_option("--reload-at", cl.policy_args.reload_at,
                     "For a policy: [COUNTRY:]TURN=FILE, replace the policy (or COUNTRY's) by FILE at the start of "
                     "turn TURN (ctx.turn, 0-based), as a hot reload does; repeatable")
        ->take_all()
        ->allow_extra_args(false);
}

// `report GAME [GAME]`: the debrief page (or a tournament's leaderboard).
void add_report(CLI::App& app, CommandLine& cl) {
    cl.report_cmd =
        app.add_subcommand("report",
                           "Write the debrief report (one self-contained HTML page) from one or two games: game files "
                           "(`run --save`) or `run --out` folders");
    cl.report_cmd
        ->add_option("game", cl.report_dirs,
                     "A game file (GAME.ckp) or output folder; give two to compare them (A and B)")
        ->required()
        ->expected(1, 2);
    cl.report_cmd->add_option("-o,--output", cl.report_out, "The HTML file to write")->capture_default_str();
    cl.report_cmd->footer(
        "Given the folder of `chokepoint tournament --out` (it holds leaderboard.csv and games.csv), "
        "writes the tournament's leaderboard instead: per seat the entrants' mean scores with 95 % "
        "intervals and their paired difference to the shipped policy, and every game with its "
        "forfeit reason (e.g. `report tour/ -o leaderboard.html`).");
}

// `play`: the window (or a headless run without a display).
void add_play(CLI::App& app, CommandLine& cl) {
    cl.play_cmd =
        app.add_subcommand("play", "Open the game window on a scenario (a headless run when there is no display)");
    add_run_options(cl.play_cmd, cl.play_args);
    cl.play_cmd->get_option("--reload-at")->group("");  // refused with a word in play() (it is for run and check)
    cl.play_cmd->add_option("--human", cl.view_args.humans, "A country played by a person (repeat for more seats)")
        ->allow_extra_args(false);  // one country per use: `--human usa SCENARIO` keeps the scenario
    cl.play_cmd
        ->add_option("--talk-minutes", cl.view_args.talk_minutes,
                     "Minutes of negotiation before the teams decide, each turn (0: none; default: the "
                     "scenario's negotiation.talk_minutes, 0)")
        ->check(CLI::Range(0.0, 120.0));
    cl.play_cmd->add_option("--autoplay", cl.view_args.autoplay, "Play this many turns at once when the window opens")
        ->check(CLI::Range(0, 1000));
    cl.play_cmd
        ->add_option("--frames", cl.view_args.frames, "Close the window after this many frames (after --autoplay)")
        ->check(CLI::Range(1, 1000000));
    cl.play_cmd->add_option("--screenshot", cl.view_args.screenshot, "Save the last frame as a PNG (with --frames)");
    cl.play_cmd
        ->add_option("--shots", cl.view_args.shots,
                     "Folder for F12 and Screenshot-button pictures (created if missing; never overwritten)")
        ->capture_default_str();
    cl.play_cmd->add_option("--font-scale", cl.view_args.font_scale, "Text size (1 = 16 px; 1.5-2.5 for a projector)")
        ->check(CLI::Range(0.5, 4.0));
    cl.play_cmd->add_option("--theme", cl.view_args.theme, "dark, light or high-contrast")
        ->check(CLI::IsMember({"dark", "light", "high-contrast"}))
        ->capture_default_str();
    cl.play_cmd->add_option("--font", cl.view_args.font, "A TTF font file instead of DejaVu Sans");
    cl.play_cmd->add_option("--size", cl.view_args.size, "Window size, WIDTHxHEIGHT")
        ->capture_default_str()
        ->check(kWindowSize);
    cl.play_cmd->add_option("--tab", cl.view_args.tab, "The side tab shown first")
        ->check(CLI::IsMember({"Leverage", "Markets", "Country", "Diplomacy", "Licensing", "Seats"}));
    cl.play_cmd->add_flag("--headless", cl.view_args.headless, "Play headless even when there is a display");
    cl.play_cmd->add_flag("--frame-times", cl.view_args.frame_times,
                          "Print frame-time statistics when the window closes");
    cl.play_cmd->add_flag("--no-leverage", cl.view_args.no_leverage,
                          "Do not measure leverage (the same as --leverage off)");
    cl.play_cmd->add_option("--save", cl.play_args.save,
                            "Game file to save the game in after every turn (default: a new file in the games folder, "
                            "docs/game-file.md); with --load: a copy, or with --at a branch, saved there");
    cl.play_cmd->add_option(
        "--load", cl.play_args.load,
        "Go on with a saved game file (the scenario argument is not used); its last seats played by "
        "people stay with people; saved on in the same file");
    cl.play_cmd
        ->add_option("--at", cl.play_args.at,
                     "With --load: go back to after this many turns and play on in a new file (a branch beside "
                     "the loaded one, or --save)")
        ->check(CLI::Range(0, 1000));
    cl.play_cmd->add_flag("--no-save", cl.view_args.no_save, "Do not save the game in a game file");
    CLI::Option* serve = cl.play_cmd->add_flag("--serve", cl.view_args.serve,
                          "Teams play the --human seats from browsers: the window shows their join codes "
                          "(docs/facilitation.md, \"A networked class\")");
    cl.play_cmd->add_option("--bind", cl.view_args.bind, "With --serve: the address to listen on (0.0.0.0: every network)")
        ->capture_default_str()
        ->needs(serve);
    cl.play_cmd->add_option("--port", cl.view_args.port, "With --serve: the port to listen on (0: any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str()
        ->needs(serve);
    cl.play_cmd->add_option("--tls", cl.view_args.tls, "With --serve: CERT KEY, serve HTTPS and WSS (PEM files)")
        ->expected(2)
        ->check(CLI::ExistingFile)
        ->needs(serve);
}

// `batch SWEEP`: a sweep of runs, optionally one shard of it.
void add_batch(CLI::App& app, CommandLine& cl) {
    cl.batch = app.add_subcommand(
        "batch", "Play a sweep (SWEEP.yaml: a scenario, overrides and seeds); runs.csv and series.csv in --out");
    cl.batch->add_option("sweep", cl.batch_args.sweep, "Sweep YAML file (docs/workshops.md)")->required();
    cl.batch->add_option("--out", cl.batch_args.out, "Folder for the runs, runs.csv and series.csv")->required();
    cl.batch->add_option("--jobs,-j", cl.batch_args.jobs, "Games played at once (default: one per core)")
        ->check(CLI::Range(0, 1024));
    cl.batch->add_option("--threads", cl.batch_args.threads, "Leverage threads per game (the cores go to --jobs)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1024));
    cl.batch->add_option("--shard", cl.shard_text, "This machine's slice I/N of the runs (a job array's index)")
        ->capture_default_str()
        ->check(CLI::Validator(
            [](std::string& text) -> std::string {
                int i = 0, n = 0;
                return parse_shard(text, i, n) ? std::string()
                                               : "I/N with 1 <= I <= N <= 10000 was expected; got " + text;
            },
            "I/N"));
    cl.batch->add_option("--leverage", cl.batch_args.leverage, "every, N, end or off (overrides the sweep's)")
        ->check(kLeverageSchedule);
    cl.batch->add_flag("--quiet,-q", cl.batch_args.quiet, "No progress on standard error");
}

// `merge DIR...`: a batch's shards combined.
void add_merge(CLI::App& app, CommandLine& cl) {
    cl.merge = app.add_subcommand("merge", "Combine the shards of a batch (folders of `batch --shard`) into one");
    cl.merge->add_option("dirs", cl.merge_dirs, "The shards' --out folders")->required();
    cl.merge->add_option("--out", cl.merge_out, "Folder for the combined runs, runs.csv and series.csv")->required();
    cl.merge->add_flag("--quiet,-q", cl.merge_quiet, "No summary line");
}

// `tournament POLICY...`: entrants against a seat's shipped policy.
void add_tournament(CLI::App& app, CommandLine& cl) {
    cl.tour.scenario = kDefaultScenario;
    cl.tournament = app.add_subcommand(
        "tournament", "Lua policies play a seat against its shipped policy on the same seeds; a leaderboard");
    cl.tournament->add_option("policies", cl.tour.policies, "The entrants' Lua policy files")->required();
    cl.tournament->add_option("--scenario", cl.tour.scenario, "Scenario YAML file")->capture_default_str();
    // One country per use, so that `--seat north POLICY.lua` leaves the policy to the entrants.
    cl.tournament->add_option("--seat", cl.tour.seats, "A country the entrants play (repeat for more)")
        ->required()
        ->allow_extra_args(false);
    cl.tournament
        ->add_option("--seeds", cl.tour.seeds,
                     "Games per entrant and seat: seeds --first-seed .. --first-seed + N - 1 (1..N by default)")
        ->capture_default_str()
        ->check(CLI::Range(1, 10000));
    cl.tournament->add_option("--first-seed", cl.tour.first_seed, "The first seed")
        ->capture_default_str()
        ->check(kSeed);
    cl.tournament->add_option("--turns", cl.tour.turns, "Turns per game (overrides the scenario)")
        ->check(CLI::Range(1, 1000));
    cl.tournament->add_option("--leverage", cl.tour.leverage, "every, N, end or off")
        ->capture_default_str()
        ->check(kLeverageSchedule);
    cl.tournament->add_option("--threads", cl.tour.threads, "Leverage threads per game (the cores go to --jobs)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1024));
    cl.tournament->add_option("--jobs,-j", cl.tour.jobs, "Games played at once (default: one per core)")
        ->check(CLI::Range(0, 1024));
    cl.tournament->add_option("--out", cl.tour.out,
                              "Folder for leaderboard.csv, games.csv and a record per game: rerun the same command to "
                              "finish an interrupted tournament (`report DIR` makes an HTML leaderboard)");
    cl.tournament->add_flag("--quiet,-q", cl.tour.quiet, "No progress on standard error");
}

// Runs the chosen subcommand (play without one); exceptions go to main.
int run_command(CommandLine& cl) {
    if (*cl.check && cl.check_file.size() > 4 && cl.check_file.substr(cl.check_file.size() - 4) == ".lua") {
        cl.policy_args.policy = cl.check_file;
        return app::check_policy(cl.policy_args);
    }
    if (*cl.check) {
        Scenario sc = load_scenario(cl.check_file);
        const Definitions& d = *sc.defs;
        // Every Lua policy the scenario seats is loaded as `run` loads it: policy_params its
        // declaration refuses (which stop a run) and a script that does not load (whose country
        // would play the autopilot) fail the check.
        std::vector<std::string> problems;
        for (CountryId c : d.country_ids()) {
            const std::string& file = d.countries[c].policy;
            if (file.empty() || file == "autopilot") continue;
            const LuaPolicy policy(d, c, file);
            if (!policy.params_error().empty())
                problems.push_back(policy.params_error());
            else if (!policy.load_error().empty())
                problems.push_back(fmt::format("countries.{}.policy: {} does not load: {}", d.countries[c].id, file,
                                               policy_message_line(policy.load_error())));
        }
        if (!problems.empty()) {
            for (const auto& text : problems) fmt::print(stderr, "{}\n", text);
            return kExitInput;
        }
        fmt::print("{}: ok — \"{}\", {} countries, {} goods, {} sectors, {} turns from {}, {} scheduled events\n",
                   cl.check_file, d.scenario_name, d.country_count(), d.good_count(), d.sector_count(), d.turns,
                   d.date_of_turn(0), sc.events.size());
        return 0;
    }
    if (*cl.report_cmd) return write_report(cl.report_dirs, cl.report_out);
    // An --out that can never be written is refused before the game, not after it (the second
    // hostile review: a file named by --out was refused only once the whole game had been played).
    // The rest (a folder holding files not of an output set) is still checked when writing.
    if (*cl.run && !cl.run_args.out.empty()) {
        std::error_code ec;
        const auto status = std::filesystem::status(cl.run_args.out, ec);
        if (std::filesystem::exists(status) && !std::filesystem::is_directory(status)) {
            fmt::print(stderr,
                       "chokepoint: cannot write the output folder {}: it exists and is not a folder (nothing was "
                       "played)\n",
                       cl.run_args.out);
            return kExitOutput;
        }
    }
    if (*cl.run && (!cl.run_args.save.empty() || !cl.run_args.load.empty() || cl.run_args.at || cl.run_args.until)) {
        if (cl.run_args.save.empty() && cl.run_args.load.empty()) {
            fmt::print(stderr, "chokepoint run: --at and --until need a game file (--save or --load)\n");
            return kExitUsage;
        }
        return run_with_game_file(cl.run_args);
    }
    if (*cl.run) return run_headless(cl.run_args, false);
    if (*cl.replay_cmd) return app::replay_game(cl.replay_file, cl.replay_quiet);
    if (*cl.compare_cmd) return app::compare_games(cl.compare_files[0], cl.compare_files[1]);
    if (*cl.batch) {
        parse_shard(cl.shard_text, cl.batch_args.shard, cl.batch_args.shards);  // validated by the parser
        if (auto found = find_data_file(cl.batch_args.sweep)) cl.batch_args.sweep = *found;
        return run_batch(cl.batch_args);
    }
    if (*cl.merge) return merge_batches(cl.merge_dirs, cl.merge_out, cl.merge_quiet);
    if (*cl.tournament) return run_tournament(cl.tour);
    if (*cl.serve_cmd) return app::serve(cl.serve_args);
    return play(cl.play_args, cl.view_args);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "Chokepoint — a rare-earth geopolitics game. Countries trade, license, stockpile and negotiate\n"
        "rare earths turn by turn; the game measures the balance of leverage between them."};
    app.require_subcommand(0, 1);
    app.footer("Run `chokepoint SUBCOMMAND --help` for a subcommand's options. Without a subcommand: play.");

    CommandLine cl;
    cl.run = app.add_subcommand("run", "Play a scenario headless: a summary per turn, final tables, optional files");
    add_run_options(cl.run, cl.run_args);
    add_game_file_options(cl.run, cl.run_args);
    add_replay(app, cl);
    add_compare(app, cl);
    add_check(app, cl);
    add_report(app, cl);
    add_play(app, cl);
    add_batch(app, cl);
    add_merge(app, cl);
    add_tournament(app, cl);
    cl.serve_cmd = app::add_serve(app, cl.serve_args, kDefaultScenario);
    cl.serve_cmd->get_option("--seed")->check(kSeed);
    cl.serve_cmd->get_option("--leverage")->check(kLeverageSchedule);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : kExitUsage;
    }

    if (cl.view_args.no_leverage) cl.play_args.leverage = "off";

    // A scenario (or policy) path that does not exist from here is looked up in the game's data
    // folders, so an installed copy runs `chokepoint run config/scenarios/crisis-2010.yaml` (and its
    // default scenario) from any directory.
    for (std::string* path :
         {&cl.run_args.scenario, &cl.play_args.scenario, &cl.policy_args.scenario, &cl.check_file, &cl.tour.scenario,
          &cl.serve_args.scenario})
        if (auto found = find_data_file(*path)) *path = *found;

    try {
        return run_command(cl);
    } catch (const ScenarioError& e) {
        fmt::print(stderr, "{}\n", e.what());
        return kExitInput;
    } catch (const GameFileError& e) {
        std::fflush(stdout);
        fmt::print(stderr, "chokepoint: {}\n", e.what());
        return kExitInput;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "chokepoint: {}\n", e.what());
        return kExitRuntime;
    }
}
