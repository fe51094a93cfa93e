// check_…/push: values cross the boundary intact, and a wrong argument is reported at the
// call site in Lua's own words.
#include "agents/lua/convert.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <lua.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace chokepoint::lua {
namespace {

// stockpile_buy(good, tonnes [, price]) -> "good:tonnes:price"
int stockpile_buy(lua_State* L) {
    const std::string good = check_string(L, 1, "good");
    const double tonnes = check_number(L, 2, "tonnes");
    const lua_Integer price = is_absent(L, 3) ? 100 : check_integer(L, 3);
    push(L, good + ":" + std::to_string(static_cast<int>(tonnes)) + ":" + std::to_string(price));
    return 1;
}

int plain_check(lua_State* L) {
    check_number(L, 2);
    return 0;
}

int throws(lua_State*) {
    throw std::runtime_error("engine refused");
}

class Convert : public ::testing::Test {
protected:
    void SetUp() override {
        L = luaL_newstate();
        luaL_openlibs(L);
        lua_register(L, "stockpile_buy", stockpile_buy);
        lua_register(L, "plain_check", plain_check);
        lua_register(L, "throws", guarded<throws>);
    }
    void TearDown() override { lua_close(L); }

    std::string run(const char* code) {
        const bool ok = luaL_dostring(L, code) == LUA_OK;
        std::string out = lua_isnil(L, -1) ? "nil" : luaL_tolstring(L, -1, nullptr);
        lua_settop(L, 0);
        return ok ? out : "error: " + out;
    }

    lua_State* L = nullptr;
};

TEST_F(Convert, GoodArgumentsAreRead) {
    EXPECT_EQ(run("return stockpile_buy('ndpr', 12.0)"), "ndpr:12:100");
    EXPECT_EQ(run("return stockpile_buy('ndpr', 5, 7)"), "ndpr:5:7");
}

TEST_F(Convert, WrongArgumentsAreReportedAtTheCallSite) {
    EXPECT_EQ(
        run("plain_check(1, 'ten')"),
        "error: [string \"plain_check(1, 'ten')\"]:1: bad argument #2 to 'plain_check' (number expected, got string)");
    EXPECT_EQ(run("return stockpile_buy('ndpr', '10')"),
              "error: [string \"return stockpile_buy('ndpr', '10')\"]:1: bad argument #2 to 'stockpile_buy' "
              "(tonnes: number expected, got string)");
    EXPECT_EQ(run("return stockpile_buy(nil, 1)")
                      .find("bad argument #1 to 'stockpile_buy' (good: string expected, got nil)") != std::string::npos,
              true);
    EXPECT_NE(run("return stockpile_buy('x', 0/0)").find("(tonnes: finite number expected, got "), std::string::npos);
    EXPECT_NE(run("return stockpile_buy('x', 1, 2.5)")
                  .find("bad argument #3 to 'stockpile_buy' (number has no integer representation)"),
              std::string::npos);
}

// The range checks behind every id, turn count and quantity a policy passes (issue 17, item 4):
// what is wrong is said before any cast, so no value is undefined behaviour or an alias.
TEST_F(Convert, WholeNumbersAreCheckedBeforeTheyAreCast) {
    auto problem = [&](const char* expression, lua_Integer lo = 0, lua_Integer hi = INT_MAX) {
        lua_settop(L, 0);
        EXPECT_EQ(luaL_dostring(L, (std::string("return ") + expression).c_str()), LUA_OK) << expression;
        lua_Integer v = -7;
        std::string p = integer_problem(L, 1, lo, hi, v);
        return p.empty() ? "ok " + std::to_string(v) : p;
    };
    EXPECT_EQ(problem("5"), "ok 5");
    EXPECT_EQ(problem("5.0"), "ok 5");
    EXPECT_EQ(problem("2^32 + 5"), "whole number out of range (0 to 2147483647), got 4294967301");
    EXPECT_EQ(problem("math.tointeger(2^32) + 5"), "whole number out of range (0 to 2147483647), got 4294967301");
    EXPECT_EQ(problem("2^63"), "whole number out of range (0 to 2147483647), got 9.2233720368548e+18");
    EXPECT_EQ(problem("-2^63"), "whole number out of range (0 to 2147483647), got -9223372036854775808");
    EXPECT_EQ(problem("math.mininteger", LLONG_MIN, LLONG_MAX), "ok -9223372036854775808");
    EXPECT_EQ(problem("-1"), "whole number out of range (0 to 2147483647), got -1");
    EXPECT_EQ(problem("0/0"), "a whole number expected, got nan");
    EXPECT_EQ(problem("-math.huge"), "a whole number expected, got an infinite number");
    EXPECT_EQ(problem("2.5"), "a whole number expected, got 2.5");
    EXPECT_EQ(problem("'10'"), "a whole number expected, got string");
    EXPECT_EQ(problem("nil"), "a whole number expected, got nil");
}

TEST_F(Convert, NumbersAreFiniteUnlessHugeMeansNoLimit) {
    auto problem = [&](const char* expression, bool allow_infinite) {
        lua_settop(L, 0);
        EXPECT_EQ(luaL_dostring(L, (std::string("return ") + expression).c_str()), LUA_OK) << expression;
        lua_Number v = 0;
        std::string p = number_problem(L, 1, allow_infinite, v);
        return p.empty() ? "ok " + number_text(v) : p;
    };
    EXPECT_EQ(problem("2.5", false), "ok 2.5");
    EXPECT_EQ(problem("math.huge", false), "finite number expected, got inf");
    EXPECT_EQ(problem("math.huge", true), "ok inf");
    EXPECT_EQ(problem("0/0", true), "finite number (or math.huge: no limit) expected, got nan");
    EXPECT_EQ(problem("0/0", false), "finite number expected, got nan");
    EXPECT_EQ(problem("'10'", true), "number expected, got string");
}

TEST_F(Convert, CppExceptionsBecomeLuaErrors) {
    EXPECT_EQ(run("local ok, e = pcall(throws) return e"), "engine refused");
    EXPECT_EQ(run("return 'still fine'"), "still fine");
}

TEST_F(Convert, PushesCppValues) {
    push(L, true);
    push(L, 2.5);
    push(L, 7);
    push(L, std::string("s"));
    push(L, std::optional<int>{});
    push(L, std::vector<std::string>{"a", "b"});
    EXPECT_EQ(lua_type(L, 1), LUA_TBOOLEAN);
    EXPECT_EQ(lua_tonumber(L, 2), 2.5);
    EXPECT_TRUE(lua_isinteger(L, 3));
    EXPECT_STREQ(lua_tostring(L, 4), "s");
    EXPECT_TRUE(lua_isnil(L, 5));
    EXPECT_EQ(lua_rawlen(L, 6), 2u);
    lua_rawgeti(L, 6, 2);
    EXPECT_STREQ(lua_tostring(L, -1), "b");
}

TEST_F(Convert, SetsTableFieldsKeepingNumbersAndIntegersApart) {
    lua_newtable(L);
    set_number(L, "stage", 2);
    set_integer(L, "turns", 6);
    set_string(L, "id", "magnet");
    set_bool(L, "binding", true);
    lua_setglobal(L, "t");
    EXPECT_EQ(
        run("return math.type(t.stage) .. ' ' .. math.type(t.turns) .. ' ' .. t.id .. ' ' .. tostring(t.binding)"),
        "float integer magnet true");
}

}  // namespace
}  // namespace chokepoint::lua
