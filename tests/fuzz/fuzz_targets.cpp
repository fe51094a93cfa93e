#include "tests/fuzz/fuzz_targets.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "agents/lua/lua_policy.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/game/game.hpp"

namespace chokepoint::fuzz {

namespace {

constexpr const char* kFuzzName = "fuzz.yaml";

// `FILE: …` for the fuzzed text itself, or `FILE:LINE:COLUMN: …` (a base file it extends).
bool located(const std::string& problem) {
    if (problem.rfind(std::string(kFuzzName) + ":", 0) == 0) return true;
    std::size_t colon = problem.find(':');
    if (colon == std::string::npos || colon == 0) return false;
    std::size_t i = colon + 1, digits = 0;
    for (int field = 0; field < 2; ++field, ++i) {
        for (digits = 0; i < problem.size() && std::isdigit(static_cast<unsigned char>(problem[i])); ++i) ++digits;
        if (digits == 0 || i >= problem.size() || problem[i] != ':') return false;
    }
    return true;
}

// The tiny world: tests/scenarios/minimal.yaml (three countries, five goods), loaded once.
const Scenario& tiny_world() {
    static const Scenario world = load_scenario(std::string(CHOKEPOINT_SOURCE_DIR) + "/tests/scenarios/minimal.yaml");
    return world;
}

// Where the fuzzed source is written: one file per process, rewritten for every input.
const std::filesystem::path& policy_file() {
    static const std::filesystem::path path = [] {
        auto dir = std::filesystem::temp_directory_path() / ("chokepoint_fuzz_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        static const std::filesystem::path remove_at_exit = dir;
        std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove_all(remove_at_exit, ignored);
        });
        return dir / "fuzz_policy.lua";
    }();
    return path;
}

}  // namespace

std::optional<std::string> scenario_loader_one(std::string_view text) {
    try {
        Scenario sc = load_scenario_text(std::string(text), kFuzzName);
        if (!sc.defs) return "a scenario without definitions was returned";
    } catch (const ScenarioError& e) {
        if (e.problems.empty()) return "a ScenarioError without problems";
        for (const auto& p : e.problems)
            if (!located(p)) return "a problem without a location: " + p;
    } catch (const std::exception& e) {
        return std::string("an exception other than ScenarioError: ") + e.what();
    }
    return std::nullopt;
}

std::optional<std::string> policy_turn_one(std::string_view source) {
    const Scenario& world = tiny_world();
    {
        std::ofstream f(policy_file(), std::ios::binary | std::ios::trunc);
        f.write(source.data(), static_cast<std::streamsize>(source.size()));
        if (!f) return "cannot write " + policy_file().string();
    }
    LuaPolicyOptions options;
    options.limits.instructions_per_call = kFuzzInstructions;
    options.limits.seconds_per_call = kFuzzSecondsPerCall;
    options.limits.memory_bytes = kFuzzMemoryBytes;
    options.hot_reload = false;
    options.scripts_root = std::string(CHOKEPOINT_SOURCE_DIR) + "/scripts";  // require("lib.util") works
    try {
        GameOptions game_options;
        game_options.measure_leverage = false;
        Game game(world, game_options);
        game.set_policy(CountryId{0}, std::make_unique<LuaPolicy>(game.defs(), CountryId{0}, policy_file().string(), options));
        game.step();
        if (game.history().size() != 1) return "the turn was not recorded";
    } catch (const std::exception& e) {
        return std::string("an exception escaped the game: ") + e.what();
    }
    return std::nullopt;
}

}  // namespace chokepoint::fuzz
