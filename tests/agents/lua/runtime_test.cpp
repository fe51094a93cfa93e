// The runtime: loading and reloading policies, calling callbacks, error messages, the seeded
// math.random, the safe require, and ctx.memory.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "tests/agents/lua/lua_test_util.hpp"

namespace chokepoint::lua {
namespace {

using tests::Policy;
namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A scripts root in a fresh temporary folder, removed afterwards.
struct TempScripts {
    fs::path root;
    TempScripts() {
        root = fs::temp_directory_path() /
               ("chokepoint_lua_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
        fs::create_directories(root / "lib");
    }
    ~TempScripts() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    void write(const std::string& relative, const std::string& text) const {
        fs::create_directories((root / relative).parent_path());
        std::ofstream(root / relative) << text;
    }
};

TEST(Runtime, CallsACallbackWithArgumentsAndReadsItsResults) {
    Policy p;
    p.load("return { on_proposal = function(ctx, price, tonnes) return price * tonnes, 'accept' end }");
    double value = 0;
    std::string word;
    const CallResult r = p.rt.call(
        "on_proposal",
        [](lua_State* L) {
            lua_newtable(L);
            lua_pushnumber(L, 2.5);
            lua_pushinteger(L, 4);
            return 3;
        },
        [&](lua_State* L, int count) {
            ASSERT_EQ(count, 2);
            value = luaL_checknumber(L, -2);
            word = luaL_checkstring(L, -1);
        });
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_FALSE(r.missing);
    EXPECT_DOUBLE_EQ(value, 10.0);
    EXPECT_EQ(word, "accept");
    EXPECT_TRUE(p.rt.has_callback("on_proposal"));
    EXPECT_FALSE(p.rt.has_callback("on_turn"));
}

TEST(Runtime, AMissingCallbackIsNotAnError) {
    Policy p;
    EXPECT_TRUE(p.call("on_turn").missing);  // nothing loaded yet
    p.load("return { init = function() end, helper = 5 }");
    const CallResult r = p.call("on_turn");
    EXPECT_TRUE(r.ok);
    EXPECT_TRUE(r.missing);
    EXPECT_EQ(p.rt.usage().errors, 0);
    const CallResult bad = p.call("helper");
    EXPECT_FALSE(bad.ok);
    EXPECT_TRUE(contains(bad.error, "helper is a number, not a function")) << bad.error;
}

TEST(Runtime, ErrorsOfTheEngineSideBecomeCallErrors) {
    Policy p;
    p.load("return { on_turn = function(ctx) return ctx end }");
    const CallResult thrown = p.rt.call("on_turn", [](lua_State*) -> int { throw std::runtime_error("no world"); });
    EXPECT_FALSE(thrown.ok);
    EXPECT_TRUE(contains(thrown.error, "no world")) << thrown.error;
    const CallResult checked = p.rt.call(
        "on_turn",
        [](lua_State* L) {
            lua_pushinteger(L, 1);
            return 1;
        },
        [](lua_State* L, int) {
            luaL_checkstring(L, -1);
            lua_pushstring(L, "x");
            lua_error(L);
        });
    EXPECT_FALSE(checked.ok);
    EXPECT_EQ(p.rt.usage().errors, 2);
    EXPECT_TRUE(p.call("on_turn").ok);
}

TEST(Runtime, SyntaxErrorNamesFileAndLine) {
    Policy p;
    const auto error = p.rt.load_text("local a = 1\nlocal b = 2\na, b x\nreturn {}", "scripts/policies/usa.lua");
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(*error, "error in policy 'usa.lua' at load: scripts/policies/usa.lua:3: '=' expected near 'x'");
}

TEST(Runtime, RuntimeErrorNamesFileLineCallbackAndHasATraceback) {
    Policy p;
    ASSERT_FALSE(
        p.rt.load_text("local function helper(t)\n  return t.missing.field\nend\n"
                       "return { on_turn = function(ctx)\n  local v = helper({})\n  return v\nend }",
                       "scripts/policies/usa.lua"));
    const CallResult r = p.call("on_turn");
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.error.rfind("error in policy 'usa.lua' in on_turn(): scripts/policies/usa.lua:2: attempt to index a "
                            "nil value (field 'missing')\nstack traceback:\n",
                            0),
              0u)
        << r.error;
    EXPECT_TRUE(contains(r.error, "scripts/policies/usa.lua:2: in upvalue 'helper'")) << r.error;
    EXPECT_TRUE(contains(r.error, "scripts/policies/usa.lua:5: in function")) << r.error;
    EXPECT_FALSE(contains(r.error, "[C]: in ?")) << r.error;
}

TEST(Runtime, APolicyMustReturnATable) {
    Policy p;
    const auto error = p.rt.load_text("x = 1", "scripts/policies/x.lua");
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(*error, "policy 'x.lua' must return a table of callbacks (got nil)");
    EXPECT_EQ(*p.rt.load_text("return 5", "x.lua"), "policy 'x.lua' must return a table of callbacks (got number)");
}

TEST(Runtime, AFailedReloadKeepsTheOldPolicyWorking) {
    Policy p;
    p.load("local n = 0 return { on_turn = function() n = n + 1 return 'v1 ' .. n end }", "scripts/policies/usa.lua");
    std::string out;
    ASSERT_TRUE(p.call("on_turn", &out).ok);
    for (const char* broken : {"return { on_turn = function() end", "error('at load')", "return 42"})
        EXPECT_TRUE(p.rt.load_text(broken, "scripts/policies/usa2.lua").has_value()) << broken;
    ASSERT_TRUE(p.call("on_turn", &out).ok);
    EXPECT_EQ(out, "v1 2");
    EXPECT_EQ(p.rt.policy_path(), "scripts/policies/usa.lua");
    p.load("return { on_turn = function() return 'v2' end }", "scripts/policies/usa.lua");
    ASSERT_TRUE(p.call("on_turn", &out).ok);
    EXPECT_EQ(out, "v2");
}

TEST(Runtime, LoadFileReadsAPolicyAndRemembersItsPath) {
    TempScripts scripts;
    scripts.write("policies/kor.lua", "return { on_turn = function() return 'kor' end }");
    Policy p;
    const std::string path = (scripts.root / "policies/kor.lua").string();
    ASSERT_FALSE(p.rt.load_file(path).has_value());
    EXPECT_EQ(p.rt.policy_path(), path);
    std::string out;
    ASSERT_TRUE(p.call("on_turn", &out).ok);
    EXPECT_EQ(out, "kor");
    const auto missing = p.rt.load_file((scripts.root / "policies/none.lua").string());
    ASSERT_TRUE(missing.has_value());
    EXPECT_TRUE(contains(*missing, "error in policy 'none.lua' at load: cannot open")) << *missing;
    EXPECT_EQ(p.rt.policy_path(), path);
}

TEST(Runtime, MathRandomIsDeterministicPerSeed) {
    const std::string draw =
        "local t = {} for i = 1, 5 do t[#t + 1] = math.random(1, 1000) end "
        "t[#t + 1] = math.random() return table.concat(t, ' ')";
    Policy a({}, 7), b({}, 7), c({}, 8);
    const std::string first = a.run(draw);
    EXPECT_EQ(first, b.run(draw));
    EXPECT_NE(first, c.run(draw));
    EXPECT_EQ(a.run("math.randomseed(99) local x = math.random(1 << 40) math.randomseed(99) "
                    "return tostring(x == math.random(1 << 40))"),
              "true");
    EXPECT_EQ(a.run("for i = 1, 1000 do local x = math.random(3) assert(x >= 1 and x <= 3) "
                    "local y = math.random(-2, 2) assert(y >= -2 and y <= 2) "
                    "local f = math.random() assert(f >= 0 and f < 1) end "
                    "return math.type(math.random(0)) .. math.random(5, 5)"),
              "integer5");
    EXPECT_TRUE(contains(a.run("return math.random(2, 1)"), "bad argument #1 to 'random' (interval is empty)"));
    EXPECT_TRUE(contains(a.run("return math.random(1, 2, 3)"), "wrong number of arguments"));
    EXPECT_TRUE(contains(a.run("return math.random(1.5)"), "number has no integer representation"));
}

TEST(Runtime, RequireLoadsAHelperOnceFromTheScriptsRoot) {
    TempScripts scripts;
    scripts.write("lib/util.lua",
                  "print('loading util') local M = {} function M.double(x) return 2 * x end "
                  "leaked_from_util = true return M");
    scripts.write("lib/deep/more.lua", "return { answer = require('lib.util').double(21) }");
    scripts.write("lib/loop.lua", "return require('lib.loop')");
    scripts.write("lib/broken.lua", "error('broken helper')");
    Policy p({}, 42, scripts.root.string());
    EXPECT_EQ(p.run("local u = require('lib.util') assert(require('lib.util') == u) "
                    "return u.double(4) + require('lib.deep.more').answer .. tostring(leaked_from_util)"),
              "50nil");
    EXPECT_EQ(p.logs.size(), 1u);  // cached: loaded once
    EXPECT_TRUE(contains(p.run("return require('lib.loop')"), "module 'lib.loop' requires itself")) << p.logs.size();
    const std::string broken = p.run("return require('lib.broken')");
    EXPECT_TRUE(contains(broken, "lib/broken.lua:1: broken helper")) << broken;
    EXPECT_TRUE(contains(broken, "stack traceback:")) << broken;
    // Not left marked as loading after its error: the same error again, not a "loop".
    EXPECT_TRUE(
        contains(p.run("local ok, e = pcall(require, 'lib.broken') return require('lib.broken')"), "broken helper"));
    const std::string shown = (scripts.root / "lib/none.lua").generic_string();
    EXPECT_TRUE(
        contains(p.run("return require('lib.none')"), "module 'lib.none' not found (looked for " + shown + ")"));
}

TEST(Runtime, RequireCannotFollowASymlinkOutOfTheScriptsRoot) {
    TempScripts scripts, outside;
    outside.write("secret.lua", "return 'secret'");
    std::error_code ec;
    fs::create_symlink(outside.root / "secret.lua", scripts.root / "lib" / "escape.lua", ec);
    if (ec) GTEST_SKIP() << "no symlinks here";
    Policy p({}, 42, scripts.root.string());
    const std::string error = p.run("return require('lib.escape')");
    EXPECT_TRUE(contains(error, "module 'lib.escape': " + (scripts.root / "lib/escape.lua").generic_string() +
                                    " is a link to a file outside its scripts folder"))
        << error;
    EXPECT_FALSE(contains(error, "secret")) << error;
}

TEST(Runtime, MemoryIsADeepCopyOfPlainData) {
    Policy p;
    p.load("return { on_turn = function(ctx) return ctx end }");
    lua_State* L = p.rt.state();
    ASSERT_EQ(luaL_dostring(L, "return { plans = { {goal = 'stock', n = 3}, 'two' }, [5] = true, [1.5] = 'x' }"),
              LUA_OK);
    ASSERT_FALSE(p.rt.set_memory(-1).has_value());
    lua_getfield(L, -1, "plans");
    lua_pushstring(L, "changed");
    lua_setfield(L, -2, "extra");  // changing the original afterwards leaves memory alone
    lua_pop(L, 2);
    p.rt.push_memory();
    lua_getfield(L, -1, "plans");
    EXPECT_EQ(lua_getfield(L, -1, "extra"), LUA_TNIL);
    lua_pop(L, 1);
    lua_rawgeti(L, -1, 1);
    lua_getfield(L, -1, "n");
    EXPECT_EQ(lua_tointeger(L, -1), 3);
    lua_pop(L, 4);

    const auto rejected = [&](const char* source) {
        EXPECT_EQ(luaL_dostring(L, source), LUA_OK);
        auto error = p.rt.set_memory(-1);
        lua_pop(L, 1);
        return error.value_or("accepted");
    };
    EXPECT_EQ(rejected("return { plans = { 1, 2, { f = print } } }"),
              "memory.plans[3].f: functions cannot be kept in ctx.memory");
    lua_newtable(L);
    lua_newthread(L);
    lua_setfield(L, -2, "co");
    EXPECT_EQ(*p.rt.set_memory(-1), "memory.co: coroutines cannot be kept in ctx.memory");
    lua_pop(L, 1);
    EXPECT_EQ(rejected("local t = {} t.self = t return { a = t }"),
              "memory.a.self: cycles (a table inside itself) cannot be kept in ctx.memory");
    EXPECT_EQ(rejected("return { m = setmetatable({}, {}) }"),
              "memory.m: tables with metatables cannot be kept in ctx.memory");
    EXPECT_EQ(rejected("return { [{}] = 1 }"), "memory[table]: table keys cannot be kept in ctx.memory");
    EXPECT_EQ(rejected("return { ['a b'] = { [true] = print } }"),
              "memory[\"a b\"][true]: functions cannot be kept in ctx.memory");
    EXPECT_EQ(rejected("return 5"), "memory: ctx.memory must be a table (got number)");
    EXPECT_EQ(rejected("local t = {} return { a = t, b = t }"), "accepted");  // shared, not a cycle
    // After the rejections the last accepted value is kept.
    p.rt.push_memory();
    EXPECT_EQ(lua_getfield(L, -1, "a"), LUA_TTABLE);
    lua_pop(L, 2);
}

TEST(Runtime, MemorySurvivesAReload) {
    Policy p;
    p.load("return { on_turn = function(ctx) ctx.n = (ctx.n or 0) + 1 return ctx.n end }");
    const auto with_memory = [&](std::string* out) {
        return p.rt.call(
            "on_turn",
            [&](lua_State*) {
                p.rt.push_memory();
                return 1;
            },
            [out](lua_State* L, int) { *out = lua_tostring(L, -1); });
    };
    std::string out;
    ASSERT_TRUE(with_memory(&out).ok);
    ASSERT_TRUE(with_memory(&out).ok);
    p.load("return { on_turn = function(ctx) ctx.n = ctx.n * 10 return ctx.n end }");
    ASSERT_TRUE(with_memory(&out).ok);
    EXPECT_EQ(out, "20");
}

TEST(Runtime, ACapTooSmallForTheSandboxIsRefusedAtConstruction) {
    EXPECT_THROW(Runtime("usa", "scripts", Limits{.memory_bytes = 16u << 10}, 1, nullptr), std::runtime_error);
}

TEST(Runtime, UsageAndMemoryAreReported) {
    Policy p;
    EXPECT_GT(p.rt.bytes_in_use(), 10'000u);
    EXPECT_LT(p.rt.bytes_in_use(), 1u << 20);
    p.run("local t = {} for i = 1, 100000 do t[i] = i end return #t");
    EXPECT_GT(p.rt.usage().peak_bytes, 1u << 20);
    EXPECT_GT(p.rt.usage().instructions, 100'000);
    EXPECT_GT(p.rt.usage().seconds, 0.0);
    EXPECT_EQ(p.rt.usage().calls, 1);
    EXPECT_EQ(p.rt.country(), "usa");
}

}  // namespace
}  // namespace chokepoint::lua
