// chokepoint — one executable, subcommands in the usual style.
//   run      play a scenario headless and print/write the results
//   check    validate a scenario file
//   play     the GUI (the default); without a display or a GUI build, a headless run
// Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 invalid input file, 4 output error.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "agents/lua_policy.hpp"
#include "app/check_policy.hpp"
#include "engine/output/writers.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/sim/game.hpp"
#include "engine/sim/rng.hpp"

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
};

// Loads a scenario and applies the command line's overrides.
Scenario load_with_overrides(const RunArgs& a) {
    Scenario sc = load_scenario(a.scenario);
    if (a.turns || a.seed) {
        auto defs = std::make_shared<Definitions>(*sc.defs);
        if (a.turns) defs->turns = *a.turns;
        if (a.seed) {
            defs->seed = *a.seed;
            seed_rng(sc.initial.rng_state, *a.seed);
        }
        sc.defs = defs;
    }
    return sc;
}

int run_headless(const RunArgs& a, bool from_play) {
    Scenario sc = load_with_overrides(a);
    const Definitions& d = *sc.defs;
    if (!a.quiet)
        fmt::print("{} — {} countries, {} turns of {} months from {}, seed {}\n", d.scenario_name, d.country_count(),
                   d.turns, d.turn_months, d.date_of_turn(0), d.seed);
    Game game(std::move(sc));
    LuaPolicyOptions lua;
    lua.max_consecutive_failures = a.policy_failures;
    install_lua_policies(game, lua);
    while (!game.finished()) {
        const TurnRecord& r = game.step();
        if (!a.quiet) fmt::print("{}\n", turn_line(game, r));
        std::fflush(stdout);
    }
    fmt::print("{}", final_report(game));
    if (!a.out.empty()) {
        try {
            write_outputs(game, a.out);
        } catch (const std::exception& e) {
            fmt::print(stderr, "chokepoint: {}\n", e.what());
            return kExitOutput;
        }
        fmt::print("\nWrote {0}/timeseries.csv, {0}/leverage.csv, {0}/events.jsonl, {0}/agreements.csv and {0}/summary.json\n", a.out);
    }
    if (from_play)
        fmt::print(
            "\nThis was a headless run: the game window (ImGui + SFML) is not built yet — it is the next\n"
            "milestone after negotiation. Until then, `chokepoint run SCENARIO --out DIR` writes the whole\n"
            "game as CSV and JSON (docs/outputs.md); `chokepoint --help` lists everything.\n");
    return 0;
}

void add_run_options(CLI::App* cmd, RunArgs& a) {
    cmd->add_option("scenario", a.scenario, "Scenario YAML file")->capture_default_str();
    cmd->add_option("--turns", a.turns, "Number of turns to play (overrides the scenario)")->check(CLI::Range(1, 1000));
    cmd->add_option("--seed", a.seed, "Random seed (overrides the scenario)");
    cmd->add_option("--out", a.out, "Directory for timeseries.csv, leverage.csv, events.jsonl, summary.json");
    cmd->add_flag("--quiet,-q", a.quiet, "Print only the final tables");
    cmd->add_option("--policy-failures", a.policy_failures,
                    "Failed callbacks in a row after which a Lua policy hands over to the autopilot")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Chokepoint — a rare-earth geopolitics game. Countries trade, license, stockpile and negotiate\n"
                 "rare earths turn by turn; the game measures the balance of leverage between them."};
    app.require_subcommand(0, 1);
    app.footer("Run `chokepoint SUBCOMMAND --help` for a subcommand's options. Without a subcommand: play.");

    RunArgs run_args, play_args;
    auto* run = app.add_subcommand("run", "Play a scenario headless: a summary per turn, final tables, optional files");
    add_run_options(run, run_args);

    std::string check_file;
    app::CheckPolicyArgs policy_args;
    policy_args.scenario = kDefaultScenario;
    auto* check = app.add_subcommand(
        "check", "Validate a scenario (.yaml), or load and smoke-run a Lua policy (.lua)");
    check->add_option("file", check_file, "Scenario YAML file or Lua policy file")->required();
    check->add_option("--scenario", policy_args.scenario, "For a policy: the scenario to smoke-run it in")
        ->capture_default_str();
    check->add_option("--as", policy_args.as, "For a policy: the country it plays (default: the one the scenario "
                                              "gives it, else the first)");
    check->add_option("--turns", policy_args.turns, "For a policy: turns to smoke-run")
        ->capture_default_str()
        ->check(CLI::Range(1, 400));

    auto* play = app.add_subcommand("play", "Open the game window on a scenario (headless run when there is no display)");
    add_run_options(play, play_args);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : kExitUsage;
    }

    try {
        if (*check && check_file.size() > 4 && check_file.substr(check_file.size() - 4) == ".lua") {
            policy_args.policy = check_file;
            return app::check_policy(policy_args);
        }
        if (*check) {
            Scenario sc = load_scenario(check_file);
            const Definitions& d = *sc.defs;
            fmt::print("{}: ok — \"{}\", {} countries, {} goods, {} sectors, {} turns from {}, {} scheduled events\n",
                       check_file, d.scenario_name, d.country_count(), d.good_count(), d.sector_count(), d.turns,
                       d.date_of_turn(0), sc.events.size());
            return 0;
        }
        if (*run) return run_headless(run_args, false);
        return run_headless(play_args, true);
    } catch (const ScenarioError& e) {
        fmt::print(stderr, "{}\n", e.what());
        return kExitInput;
    } catch (const std::exception& e) {
        fmt::print(stderr, "chokepoint: {}\n", e.what());
        return kExitRuntime;
    }
}
