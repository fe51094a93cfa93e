// Helpers for the Lua runtime tests: a Runtime whose log lines are collected, and policies
// written inline.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "agents/lua/runtime.hpp"

namespace chokepoint::lua::tests {

inline const char* kPolicyPath = "scripts/policies/test.lua";

struct Policy {
    std::vector<std::pair<std::string, std::string>> logs;  // (country, text)
    Runtime rt;

    explicit Policy(Limits limits = {}, std::uint64_t seed = 42, std::string root = "scripts",
                    std::string country = "usa")
        : rt(std::move(country), std::move(root), limits, seed,
             [this](const std::string& c, const std::string& text) { logs.emplace_back(c, text); }) {}

    // Loads `source` as the policy; fails the test if it does not load.
    void load(const std::string& source, const std::string& path = kPolicyPath) {
        const auto error = rt.load_text(source, path);
        ASSERT_FALSE(error.has_value()) << *error;
    }

    // Calls `callback`; its first result, through tostring, lands in `out`.
    CallResult call(const char* callback, std::string* out = nullptr) {
        return rt.call(callback, {}, [out](lua_State* L, int count) {
            if (out != nullptr && count > 0) *out = luaL_tolstring(L, -count, nullptr);
        });
    }

    // Loads a policy whose on_turn runs `body`, calls it and returns tostring of its result
    // (or the error message).
    std::string run(const std::string& body) {
        const auto error = rt.load_text("return { on_turn = function(ctx)\n" + body + "\nend }", kPolicyPath);
        if (error) return "load failed: " + *error;
        std::string out;
        const CallResult r = call("on_turn", &out);
        return r.ok ? out : r.error;
    }
};

}  // namespace chokepoint::lua::tests
