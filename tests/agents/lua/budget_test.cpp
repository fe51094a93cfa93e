// Budgets: instructions, wall clock (also inside C functions), memory. Every runaway script
// ends in a CallResult error naming the budget, and the next call works normally.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/agents/lua/lua_test_util.hpp"

namespace chokepoint::lua {
namespace {

using tests::Policy;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

double seconds_of(const std::function<void()>& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs `body`, expects an error containing `expected`, then expects the state to work again.
void expect_stopped(Policy& p, const std::string& body, const std::string& expected) {
    const std::string error = p.run(body);
    EXPECT_TRUE(contains(error, expected)) << error;
    EXPECT_TRUE(contains(error, "error in policy 'test.lua' in on_turn()")) << error;
    EXPECT_EQ(p.run("local t = {} for i = 1, 100 do t[i] = i end return #t"), "100");
}

TEST(Budget, InfiniteLoopStopsAtTheInstructionBudget) {
    Policy p;
    expect_stopped(p, "while true do end", "instruction budget of 20000000 exceeded in on_turn()");
    EXPECT_GE(p.rt.usage().instructions, 20'000'000);
    EXPECT_EQ(p.rt.usage().errors, 1);
}

TEST(Budget, TheBudgetErrorNamesTheLineOfTheLoop) {
    Policy p(Limits{.instructions_per_call = 100'000});
    const std::string error = p.run("local x = 0\nwhile true do x = x + 1 end");
    EXPECT_TRUE(contains(error, "scripts/policies/test.lua:3: instruction budget of 100000 exceeded in on_turn()"))
        << error;
    EXPECT_TRUE(contains(error, "stack traceback:")) << error;
}

TEST(Budget, PcallCannotSwallowAnExhaustedBudget) {
    Policy p(Limits{.instructions_per_call = 1'000'000});
    expect_stopped(p, "while true do pcall(function() while true do end end) end", "instruction budget of 1000000");
    expect_stopped(p, "while true do xpcall(function() while true do end end, function(m) return m end) end",
                   "instruction budget of 1000000");
}

TEST(Budget, CoroutinesAreBudgetedToo) {
    // A generous clock: with liblua5.4-c++ each yield is a C++ throw, slow under sanitizers.
    Policy p(Limits{.instructions_per_call = 1'000'000, .seconds_per_call = 20.0});
    expect_stopped(p, "local co = coroutine.create(function() while true do end end) coroutine.resume(co)",
                   "instruction budget of 1000000");
    expect_stopped(p, "coroutine.wrap(function() while true do end end)()", "instruction budget of 1000000");
    expect_stopped(p, "while true do coroutine.resume(coroutine.create(function() while true do end end)) end",
                   "instruction budget of 1000000");
    expect_stopped(p,
                   "local co = coroutine.wrap(function() while true do coroutine.yield() end end) "
                   "while true do co() end",
                   "instruction budget of 1000000");
}

TEST(Budget, ACoroutineKeptFromAnEarlierCallIsStillBudgeted) {
    Policy p(Limits{.instructions_per_call = 1'000'000});
    p.load(R"(
        local co
        return {
            init = function() co = coroutine.create(function() coroutine.yield() while true do end end) coroutine.resume(co) end,
            on_turn = function() return coroutine.resume(co) end,
        })");
    ASSERT_TRUE(p.call("init").ok);
    const CallResult r = p.call("on_turn");
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(contains(r.error, "instruction budget of 1000000")) << r.error;
}

TEST(Budget, SlowPatternStopsAtTheWallClockGuard) {
    Policy p(Limits{.instructions_per_call = 1'000'000'000, .seconds_per_call = 0.2});
    std::string error;
    const double elapsed =
        seconds_of([&] { error = p.run("return string.find(string.rep('a', 30000), string.rep('.-', 40) .. 'b')"); });
    EXPECT_TRUE(contains(error, "time budget of 0.2 s exceeded in a string pattern")) << error;
    EXPECT_LT(elapsed, 1.0);
    expect_stopped(p, "return ('x'):rep(30000):match(string.rep('.-', 30) .. 'y')", "in a string pattern");
    expect_stopped(p, "return ('('):rep(200000):find('%b()')", "in a string pattern");
    expect_stopped(p, "for w in ('a'):rep(30000):gmatch(string.rep('a-', 30) .. 'b') do end", "in a string pattern");
    expect_stopped(p, "return ('a'):rep(30000):gsub(string.rep('a-', 30) .. 'b', '')", "in a string pattern");
}

TEST(Budget, WallClockStopsALoopOfCheapInstructionsToo) {
    Policy p(Limits{.instructions_per_call = 1'000'000'000'000, .seconds_per_call = 0.2});
    std::string error;
    const double elapsed = seconds_of([&] { error = p.run("while true do end"); });
    EXPECT_TRUE(contains(error, "time budget of 0.2 s exceeded in on_turn()")) << error;
    EXPECT_LT(elapsed, 1.0);
}

TEST(Budget, HugeTableMoveStopsAtTheWallClock) {
    Policy p(Limits{.seconds_per_call = 0.2});
    expect_stopped(p, "table.move({}, 1, 1 << 40, 2)", "time budget of 0.2 s exceeded in table.move");
}

TEST(Budget, MemoryBombStopsAtTheCapAndTheStateRecovers) {
    Policy p(Limits{.memory_bytes = 8u << 20});
    const std::size_t before = p.rt.bytes_in_use();
    expect_stopped(p, "local t = {} while true do t[#t + 1] = ('x'):rep(1000) .. #t end",
                   "memory cap of 8 MiB exceeded");
    EXPECT_LE(p.rt.usage().peak_bytes, 8u << 20);
    EXPECT_LT(p.rt.bytes_in_use(), before + (1u << 20));  // the garbage was collected
    expect_stopped(p, "return ('x'):rep(100 * 1024 * 1024)", "memory cap of 8 MiB exceeded");
    expect_stopped(p, "local t = {} for i = 1, 1e6 do t[i] = ('y'):rep(100) .. i end return #table.concat(t)",
                   "memory cap of 8 MiB exceeded");
    expect_stopped(p, "return coroutine.wrap(function() return ('x'):rep(100 * 1024 * 1024) end)()",
                   "memory cap of 8 MiB exceeded");
}

// A memory error carries no traceback (nothing can be allocated for one), so the message names the
// policy's line the budget hook last saw running once over half the cap: the loop that filled the
// heap, or the recursion that grew the stack.
TEST(Budget, AMemoryErrorNamesTheLastLineRun) {
    Policy p(Limits{.memory_bytes = 8u << 20});
    std::string error = p.run("local t = {}\nwhile true do t[#t + 1] = ('x'):rep(1000) .. #t end");
    EXPECT_TRUE(contains(error, "memory cap of 8 MiB exceeded")) << error;
    EXPECT_TRUE(contains(error, "(the last line run: scripts/policies/test.lua:3)")) << error;
    error = p.run("local function f(n)\nreturn 1 + f(n + 1)\nend\nreturn f(1)");
    EXPECT_TRUE(contains(error, "the last line run: scripts/policies/test.lua:3")) << error;
    // A fresh call starts without one: a single huge allocation names no stale line.
    error = p.run("return ('x'):rep(100 * 1024 * 1024)");
    EXPECT_TRUE(contains(error, "memory cap of 8 MiB exceeded")) << error;
    EXPECT_FALSE(contains(error, "the last line run")) << error;
}

// A policy that keeps most of its cap between calls runs out early in its next call, maybe before a
// line of it has run long enough to be named: the message says how much it already held.
TEST(Budget, AMemoryErrorSaysWhatThePolicyHeldBeforeTheCall) {
    Policy p(Limits{.memory_bytes = 8u << 20});
    p.load("local held\nreturn { on_turn = function(ctx)\n"
           "if not held then held = {} for i = 1, 6000 do held[i] = ('x'):rep(1000) .. i end return #held end\n"
           "local t = {} for i = 1, 4000 do t[i] = ('y'):rep(1000) .. i end return #t\nend }");
    std::string out;
    ASSERT_TRUE(p.call("on_turn", &out).ok);
    EXPECT_EQ(out, "6000");
    const CallResult second = p.call("on_turn");
    ASSERT_FALSE(second.ok);
    EXPECT_TRUE(contains(second.error, "memory cap of 8 MiB exceeded")) << second.error;
    EXPECT_TRUE(contains(second.error, "MiB of it already held when the call began")) << second.error;
    EXPECT_TRUE(contains(second.error, "ctx.memory, globals or upvalues")) << second.error;
    // A call that starts with little held says nothing of the kind.
    Policy q(Limits{.memory_bytes = 8u << 20});
    const std::string fresh = q.run("return ('x'):rep(100 * 1024 * 1024)");
    EXPECT_TRUE(contains(fresh, "memory cap of 8 MiB exceeded")) << fresh;
    EXPECT_FALSE(contains(fresh, "already held")) << fresh;
}

TEST(Budget, DefaultMemoryCapIsNamedInMiB) {
    Policy p;
    expect_stopped(p, "return ('x'):rep(1 << 30)", "memory cap of 64 MiB exceeded");
}

TEST(Budget, StringRepWithAHugeCountEndsQuickly) {
    Policy p(Limits{.seconds_per_call = 0.5});
    EXPECT_EQ(p.run("return #string.rep('', 1 << 50) .. #('x'):rep(0) .. #(''):rep(1e15, '')"), "000");
    expect_stopped(p, "return ('ab'):rep(1 << 62)", "resulting string too large");
    expect_stopped(p, "return (''):rep(1 << 28, ',')", "memory cap of 64 MiB exceeded");
    expect_stopped(p, "return (''):rep(1 << 40, ',')", "resulting string too large");  // 5.4 caps at INT_MAX
}

TEST(Budget, InfiniteRecursionIsAStackOverflowError) {
    // A generous clock: under a sanitizer on a loaded machine, deep recursion takes seconds and
    // must end at the stack limit, not at the time budget.
    Limits limits;
    limits.seconds_per_call = 60.0;
    Policy p(limits);
    expect_stopped(p, "local function f(n) return 1 + f(n + 1) end return f(1)", "stack overflow");
    expect_stopped(p,
                   "local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k] end "
                   "return t.x",
                   "stack overflow");
    const std::string r = p.run("local function f() return pcall(f) end return tostring(f())");
    EXPECT_FALSE(r.empty());  // ends one way or another, without a crash
    EXPECT_EQ(p.run("return 'alive'"), "alive");
}

TEST(Budget, AnOverflowThroughNestedCoroutinesNamesItsPositionOnce) {
    // Each coroutine.wrap level adds "test.lua:N: " to the message: hundreds of copies before.
    Limits limits;
    limits.seconds_per_call = 60.0;
    Policy p(limits);
    const std::string error =
        p.run("local function dive() local co = coroutine.wrap(function() return dive() end) return co() end "
              "return dive()");
    EXPECT_TRUE(contains(error, "stack overflow")) << error;
    EXPECT_TRUE(contains(error, "times, once per nested coroutine)")) << error;
    const std::string head = error.substr(0, error.find('\n'));
    EXPECT_LT(head.size(), 300u) << head;
    EXPECT_EQ(p.run("return 'alive'"), "alive");
}

TEST(Budget, OddErrorObjectsAreDescribed) {
    Policy p;
    expect_stopped(p, "error({code = 1})", "test.lua:2: (error object is a table value without __tostring)");
    expect_stopped(p, "error(nil)", "(error object is a nil value)");
    EXPECT_LT(p.run("error(('x'):rep(1 << 24))").size(), 17'000u);
    expect_stopped(p, "error(setmetatable({}, {__tostring = function() error('inner') end}))",
                   "(error object is a table value; its __tostring failed: ");
    expect_stopped(p, "print(setmetatable({}, {__tostring = function() error('in tostring') end}))", "in tostring");
    expect_stopped(p, "return tostring(setmetatable({}, {__tostring = function() while true do end end}))",
                   "instruction budget");
    // Lua runs the handler of a hook-raised error with hooks off: it must not run at all then.
    expect_stopped(p, "xpcall(error, function() while true do end end)", "instruction budget");
    expect_stopped(p, "xpcall(function() while true do end end, function() while true do end end)",
                   "instruction budget");
    EXPECT_EQ(p.run("return select(2, xpcall(error, function(m) return 'handled ' .. m end, 'x'))"), "handled x");
}

TEST(Budget, LoadingAPolicyIsBudgeted) {
    Policy p(Limits{.instructions_per_call = 1'000'000});
    p.load("return { on_turn = function() return 'old' end }");
    const auto error = p.rt.load_text("while true do end return {}", "scripts/policies/loop.lua");
    ASSERT_TRUE(error.has_value());
    EXPECT_TRUE(contains(*error, "error in policy 'loop.lua' at load:")) << *error;
    EXPECT_TRUE(contains(*error, "instruction budget of 1000000 exceeded at load")) << *error;
    std::string out;
    ASSERT_TRUE(p.call("on_turn", &out).ok);
    EXPECT_EQ(out, "old");
}

TEST(Budget, LoadOfAHugeChunkIsRefused) {
    Policy p;
    expect_stopped(p, "return load(('x = 1 '):rep(400000))", "over the 1 MiB a policy may load");
}

TEST(Budget, EachCallStartsWithAFreshBudget) {
    Policy p(Limits{.instructions_per_call = 1'000'000});
    p.load("return { on_turn = function() local x = 0 for i = 1, 100000 do x = x + i end return x end }");
    for (int i = 0; i < 30; ++i) ASSERT_TRUE(p.call("on_turn").ok) << i;  // 30 × ~400k > 1M in total
    EXPECT_EQ(p.rt.usage().calls, 30);
    EXPECT_GT(p.rt.usage().instructions, 3'000'000);
}

}  // namespace
}  // namespace chokepoint::lua
