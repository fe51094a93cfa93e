// A modder's review of the Lua layer (docs/lua-api.md): option tables are checked key by key and
// negative amounts refused; pcall cannot catch the memory cap; tostring/print/string.format never
// write an address; a call stopped by the wall clock adds no instructions; an unkeepable
// ctx.memory fails its callback and is left out; messages without a position get one; refusals
// speak the Lua API's units.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "agents/lua/lua_policy.hpp"
#include "tests/agents/lua/lua_policy_test_util.hpp"
#include "tests/agents/lua/lua_test_util.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint::lua::tests {
namespace {

bool has_text(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs `policy` as south in the test trio for `turns` turns; returns the game.
std::unique_ptr<Game> review_game(PolicyFiles& files, const std::string& policy, int turns,
                                  LuaPolicyOptions options = fast_limits(2.0)) {
    const std::string path = files.write("review.lua", policy);
    auto game = std::make_unique<Game>(testing::trio());
    const CountryId south = testing::id_of(*game, "south");
    game->set_policy(south, std::make_unique<LuaPolicy>(game->defs(), south, path, options));
    for (int t = 0; t < turns; ++t) game->step();
    return game;
}

std::string review_logs(const Game& g) {
    std::string out;
    for (const GameEvent* e : events_of(g, "policy_log")) out += e->text + "\n";
    return out;
}

constexpr const char* kReviewTry = R"(
local function try(name, f)
  local ok, a, b = pcall(f)
  print(name .. " | " .. tostring(ok) .. " | " .. tostring(a) .. " | " .. tostring(b))
end
)";

TEST(ModderReview, OptionTablesRefuseNegativeAmountsAndUnknownKeys) {
    PolicyFiles files;
    auto game = review_game(files, std::string(kReviewTry) + R"(
return { on_turn = function(ctx)
  if ctx.turn > 0 then return end
  try("tonnes -1", function() return ctx:decide_license(1, "approve", {tonnes = -1}) end)
  try("tonnes -0.04", function() return ctx:decide_license(1, "approve", {tonnes = -0.04}) end)
  try("tonnes inf", function() return ctx:decide_license(1, "approve", {tonnes = math.huge}) end)
  try("share -0.5", function() return ctx:decide_license(1, "approve", {share = -0.5}) end)
  try("tonne", function() return ctx:decide_license(1, "approve", {tonne = 1}) end)
  try("numbered", function() return ctx:decide_license(1, "approve", {5}) end)
  try("invest hots", function() return ctx:invest("magnet", 10, {hots = "north"}) end)
  try("proposals", function() return ctx:proposals({stats = "any"}) end)
  try("agreements", function() return ctx:agreements({mien = true}) end)
  try("propose turn", function()
    return ctx:propose("north", {{type = "supply", good = "magnet", tonnes = 1, price = 60}}, {turn = 3})
  end)
  try("forecast horizn", function()
    return ctx:forecast("north", {{type = "supply", good = "magnet", tonnes = 1, price = 60}}, {horizn = 3})
  end)
end })", 1);
    const std::string logs = review_logs(*game);
    auto line = [&](const std::string& name) {
        const auto at = logs.find(name + " | ");
        return at == std::string::npos ? std::string("(missing)") : logs.substr(at, logs.find('\n', at) - at);
    };
    EXPECT_TRUE(has_text(line("tonnes -1"), "| true | nil | tonnes must be 0 or more t/turn, got -1")) << logs;
    EXPECT_TRUE(has_text(line("tonnes -0.04"), "| true | nil | tonnes must be 0 or more t/turn, got -0.04")) << logs;
    EXPECT_TRUE(has_text(line("tonnes inf"), "| false | ") && has_text(line("tonnes inf"), "(tonnes: finite number expected"))
        << logs;
    EXPECT_TRUE(has_text(line("share -0.5"), "| true | nil | share must be 0..1, got -0.5")) << logs;
    EXPECT_TRUE(has_text(line("tonne"), "| false | ") &&
                has_text(line("tonne"), "bad argument #3 to 'decide_license' (unknown option 'tonne' (options: tonnes, "
                                        "share, turns, civilian_only))"))
        << logs;
    EXPECT_TRUE(has_text(line("numbered"), "options are named")) << logs;
    EXPECT_TRUE(has_text(line("invest hots"), "unknown option 'hots' (options: host, share)")) << logs;
    EXPECT_TRUE(has_text(line("proposals"), "unknown option 'stats'")) << logs;
    EXPECT_TRUE(has_text(line("agreements"), "unknown option 'mien'")) << logs;
    EXPECT_TRUE(has_text(line("propose turn"), "| true | nil | unknown option 'turn' (options: turns, note)")) << logs;
    EXPECT_TRUE(has_text(line("forecast horizn"), "| true | nil | unknown option 'horizn'")) << logs;
}

TEST(ModderReview, RefusalsSpeakTheLuaApisUnitsAndNames) {
    PolicyFiles files;
    auto game = review_game(files, std::string(kReviewTry) + R"(
return { on_turn = function(ctx)
  if ctx.turn > 0 then return end
  try("buy", function() return ctx:stockpile_buy("magnet", 10, -1) end)
  try("release", function() return ctx:stockpile_release("magnet", 10, -1) end)
  try("floor", function() return ctx:set_price_floor("magnet", -1) end)
  try("subsidy", function() return ctx:set_subsidy("magnet", 2e6) end)
  try("invest", function() return ctx:invest("magnet", -5) end)
  try("invest share", function() return ctx:invest("magnet", 5, {share = 2}) end)
  try("quota nan", function() return ctx:set_production_quota("magnet", 0/0) end)
end })", 1);
    const std::string logs = review_logs(*game);
    EXPECT_TRUE(has_text(logs, "buy | true | nil | max_price must be between 1e-12 and 1e9 USD/kg, got -1")) << logs;
    EXPECT_TRUE(has_text(logs, "release | true | nil | min_price must be between 0 and 1e9 USD/kg, got -1")) << logs;
    EXPECT_TRUE(has_text(logs, "floor | true | nil | usd_per_kg must be between 0 and 1e6 USD/kg, got -1")) << logs;
    EXPECT_TRUE(has_text(logs, "subsidy | true | nil | usd_per_kg must be between 0 and 1e6 USD/kg, got 2000000"))
        << logs;
    EXPECT_TRUE(has_text(logs, "invest | true | nil | tonnes_per_year must be between 1e-6 and 1e7 t/yr, got -5"))
        << logs;
    EXPECT_TRUE(has_text(logs, "invest share | true | nil | share must be 0..1, got 2")) << logs;
    EXPECT_TRUE(has_text(logs, "(tonnes_per_year: finite number (or math.huge: no limit) expected, got nan)")) << logs;
}

TEST(ModderReview, PcallCannotCatchTheMemoryCap) {
    Policy p(Limits{.memory_bytes = 8u << 20});
    for (const char* body :
         {"local ok = pcall(function() local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end end) "
          "return 'caught'",
          "local ok = xpcall(function() local t = {} while true do t[#t + 1] = {} end end, function(m) return m end) "
          "return 'caught'",
          "local co = coroutine.create(function() local t = {} while true do t[#t + 1] = {} end end) "
          "coroutine.resume(co) return 'caught'",
          "local ok = pcall(coroutine.wrap(function() local t = {} while true do t[#t + 1] = {} end end)) "
          "return 'caught'"}) {
        const std::string error = p.run(body);
        EXPECT_TRUE(has_text(error, "memory cap of 8 MiB exceeded")) << body << "\n" << error;
        EXPECT_TRUE(has_text(error, "error in policy 'test.lua' in on_turn()")) << error;
        EXPECT_EQ(p.run("return 'alive'"), "alive");
    }
}

TEST(ModderReview, APcallThatHitTheMemoryCapDropsTheCallbacksCommands) {
    PolicyFiles files;
    LuaPolicyOptions options = fast_limits(2.0);
    options.limits.memory_bytes = 8u << 20;
    options.limits.instructions_per_call = 50'000'000;
    auto game = review_game(files, R"(
return { on_turn = function(ctx)
  pcall(function() local t = {} while true do t[#t + 1] = string.rep("x", 100) .. #t end end)
  ctx:set_price_floor("magnet", 10)
end })", 1, options);
    EXPECT_TRUE(events_of(*game, "price_floor").empty());
    const auto errors = events_of(*game, "policy_error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_TRUE(has_text(errors[0]->text, "review.lua:3: memory cap of 8 MiB exceeded in on_turn()")) << errors[0]->text;
}

// The third modder review: ctx:goods()[i].stage read back as 1.0 (a float), and lifting a price
// floor with nil was logged as "sets a price floor of $0/kg".
TEST(ModderReview, StagesAreIntegersAndLiftingAFloorSaysSo) {
    PolicyFiles files;
    auto game = review_game(files, R"(
return { on_turn = function(ctx)
  if ctx.turn == 0 then
    for _, g in ipairs(ctx:goods()) do ctx:log(g.id .. " stage " .. g.stage .. " " .. math.type(g.stage)) end
    ctx:set_price_floor("magnet", 50)
  else
    ctx:set_price_floor("magnet", nil)
  end
end })", 2);
    const std::string logs = review_logs(*game);
    EXPECT_TRUE(has_text(logs, "magnet stage 2 integer")) << logs;
    EXPECT_FALSE(has_text(logs, "float")) << logs;
    const auto floors = events_of(*game, "price_floor");
    ASSERT_EQ(floors.size(), 2u);
    EXPECT_TRUE(has_text(floors[0]->text, "sets a price floor of $50/kg on magnet")) << floors[0]->text;
    EXPECT_TRUE(has_text(floors[1]->text, "lifts its price floor on magnet")) << floors[1]->text;
    EXPECT_FALSE(has_text(floors[1]->text, "$0/kg")) << floors[1]->text;
}

TEST(ModderReview, TostringPrintAndFormatNeverShowAnAddress) {
    const std::string body = R"(
local t = setmetatable({}, {__name = "Vec"})
local v = setmetatable({}, {__tostring = function() return "V!" end})
local co = coroutine.create(print)
print({}, print, co, t, v, tostring({}), tostring(print))
print(string.format("%s|%s|%10s|%s|%d%%", {}, t, print, v, 3))
print({}, co, 1.5, nil, true)
local ok, err = pcall(string.format, "%p", {})
return tostring(ok) .. " " .. err)";
    std::vector<std::string> texts;
    for (int run = 0; run < 2; ++run) {
        Policy p;  // a fresh state: addresses would differ
        const std::string result = p.run(body);
        EXPECT_TRUE(has_text(result, "false") && has_text(result, "'%p' is not allowed in a policy")) << result;
        std::string all = result + "\n";
        for (const auto& [country, text] : p.logs) all += text + "\n";
        EXPECT_FALSE(has_text(all, "0x")) << all;
        texts.push_back(all);
    }
    EXPECT_EQ(texts[0], texts[1]);
    EXPECT_TRUE(has_text(texts[0], "table\tfunction\tthread\tVec\tV!\ttable\tfunction\n")) << texts[0];
    EXPECT_TRUE(has_text(texts[0], "table|Vec|  function|V!|3%\n")) << texts[0];
}

TEST(ModderReview, ACallStoppedByTheClockAddsNoInstructions) {
    Policy p(Limits{.instructions_per_call = 1'000'000'000'000, .seconds_per_call = 0.25});
    EXPECT_EQ(p.run("local t = {} for i = 1, 100 do t[i] = i end return #t"), "100");
    const long long before = p.rt.usage().instructions;
    EXPECT_GT(before, 0);
    const std::string error = p.run("while true do end");
    EXPECT_TRUE(has_text(error, "time budget of 0.25 s exceeded")) << error;
    // The loading of the second chunk ran instructions too; the stopped call itself adds none.
    const long long load_cost = p.rt.usage().instructions - before;
    EXPECT_LT(load_cost, 1000);
    const std::string again = p.run("string.rep('x', 10):find('(.-)(.-)(.-)(.-)(.-)(.-)(.-)(.-)(.-)x$') while true do end");
    EXPECT_TRUE(has_text(again, "time budget")) << again;
    EXPECT_LT(p.rt.usage().instructions - before, 2000);
}

TEST(ModderReview, AMemoryWithAMetatableFailsItsCallbackOnceAndIsLeftOut) {
    PolicyFiles files;
    auto game = review_game(files, R"(
return { on_turn = function(ctx)
  ctx:set_price_floor("magnet", 10 + ctx.turn)
  ctx:log("memory x", tostring(ctx.memory.x), "meta", tostring(getmetatable(ctx.memory) ~= nil))
  if ctx.turn == 0 then
    ctx.memory.x = 5
    ctx.memory.f = print
    setmetatable(ctx.memory, {__index = function() return 1 end})
  end
end })", 3);
    const auto errors = events_of(*game, "policy_error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_TRUE(has_text(errors[0]->text, "error in policy 'review.lua' in on_turn() (defined at ")) << errors[0]->text;
    EXPECT_TRUE(has_text(errors[0]->text, "review.lua:2): memory")) << errors[0]->text;
    EXPECT_TRUE(has_text(errors[0]->text, "cannot be kept in ctx.memory")) << errors[0]->text;
    // Turn 0's floor was dropped with the failing callback; turns 1 and 2 governed normally.
    const auto floors = events_of(*game, "price_floor");
    ASSERT_EQ(floors.size(), 2u);
    const std::string logs = review_logs(*game);
    EXPECT_TRUE(has_text(logs, "memory x\t5\tmeta\tfalse")) << logs;  // the plain data kept, the rest left out
}

TEST(ModderReview, MessagesWithoutAPositionGetThePolicysLine) {
    Policy p(Limits{.seconds_per_call = 20.0});
    EXPECT_TRUE(has_text(p.run("local s = ('x'):rep(1 << 20)\nreturn s:rep(1 << 40)"),
                         "test.lua:3: resulting string too large"));
    EXPECT_TRUE(has_text(p.run("coroutine.yield(1)"), "test.lua:2: attempt to yield from outside a coroutine"));
    EXPECT_TRUE(has_text(p.run("error(setmetatable({}, {__tostring = function() return 'my error' end}))"),
                         "test.lua:2: my error"));
    EXPECT_TRUE(has_text(p.run("error({})"), "test.lua:2: (error object is a table value without __tostring)"));
    const std::string overflow = p.run("local t = setmetatable({}, {})\ngetmetatable(t).__index = function(t, k) return t[k] end\nreturn t.x");
    EXPECT_TRUE(has_text(overflow, "on_turn(): scripts/policies/test.lua:") && has_text(overflow, "stack overflow")) << overflow;
}

}  // namespace
}  // namespace chokepoint::lua::tests
