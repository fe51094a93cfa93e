// Helpers for the tests that seat a Lua policy in a game: policy files written to a temporary
// scripts folder, budgets small enough for a test, and the game's events by type.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agents/lua/lua_policy.hpp"
#include "engine/game/game.hpp"

namespace chokepoint::lua::tests {

// Policy files in a fresh temporary scripts folder (policies/ and lib/), removed afterwards.
class PolicyFiles {
public:
    PolicyFiles() {
        root_ = std::filesystem::temp_directory_path() /
                ("chokepoint_lua_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
        std::filesystem::create_directories(root_ / "policies");
        std::filesystem::create_directories(root_ / "lib");
    }
    ~PolicyFiles() { std::filesystem::remove_all(root_); }
    PolicyFiles(const PolicyFiles&) = delete;
    PolicyFiles& operator=(const PolicyFiles&) = delete;

    // Writes policies/`name`; returns its path.
    std::string write(const std::string& name, const std::string& text) { return put("policies", name, text); }
    // Writes lib/`name` (a module for require); returns its path.
    std::string lib(const std::string& name, const std::string& text) { return put("lib", name, text); }

private:
    std::string put(const char* folder, const std::string& name, const std::string& text) {
        std::filesystem::path p = root_ / folder / name;
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }

    std::filesystem::path root_;
    static inline int counter_ = 0;
};

// Budgets below the game's defaults, so a runaway script fails fast; `seconds_per_call` is the
// wall-clock limit of one callback.
inline LuaPolicyOptions fast_limits(double seconds_per_call = 0.3) {
    LuaPolicyOptions o;
    o.limits.instructions_per_call = 2'000'000;
    o.limits.seconds_per_call = seconds_per_call;
    o.limits.memory_bytes = 16u << 20;
    return o;
}

// The game's events of `type`, in the order they happened.
inline std::vector<const GameEvent*> events_of(const Game& g, const std::string& type) {
    std::vector<const GameEvent*> out;
    for (const auto& r : g.history())
        for (const auto& e : r.events)
            if (e.type == type) out.push_back(&e);
    return out;
}

}  // namespace chokepoint::lua::tests
