// A country governed by a Lua script, end to end on the trio world: commands
// take effect, errors never stop the game, hostile scripts change nothing for
// anyone, hot reload keeps ctx.memory, the same seed gives the same game.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <optional>

#include "agents/lua/lua_policy.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/agents/lua/lua_policy_test_util.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using lua::tests::events_of;
using lua::tests::fast_limits;
using lua::tests::PolicyFiles;

TEST(LuaPolicy, CommandsFromAScriptTakeEffect) {
    PolicyFiles files;
    std::string path = files.write("north.lua", R"(
        return {
          on_turn = function(ctx)
            if ctx.turn == 0 then
              assert(ctx:set_regime("magnet", "south", "embargo"))
              local ok, err = ctx:stockpile_buy("unobtainium", 10, 50)
              assert(ok == nil and err:find("unknown good 'unobtainium'"), err)
            end
          end
        })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north"), south = testing::id_of(game, "south");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    game.step();
    const GoodId magnet = testing::good_of(game, "magnet");
    EXPECT_EQ(game.state().rule(north, magnet, south).regime, Regime::Embargo);
    EXPECT_TRUE(events_of(game, "policy_error").empty());
}

TEST(LuaPolicy, RuntimeErrorNamesFileLineAndCallbackAndTheGameGoesOn) {
    PolicyFiles files;
    std::string path = files.write("broken.lua", "return {\n  on_turn = function(ctx)\n    ctx:set_regime('magnet', 'south', 'embargo')\n    local x = nil\n    return x.field\n  end\n}\n");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north"), south = testing::id_of(game, "south");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    while (!game.finished()) game.step();
    auto errors = events_of(game, "policy_error");
    ASSERT_FALSE(errors.empty());
    const std::string& msg = errors.front()->text;
    EXPECT_NE(msg.find("broken.lua"), std::string::npos) << msg;
    EXPECT_NE(msg.find(":5:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("on_turn"), std::string::npos) << msg;
    EXPECT_NE(msg.find("traceback"), std::string::npos) << msg;
    // The failed callback changed nothing: its embargo (queued before the error) was dropped.
    const GoodId magnet = testing::good_of(game, "magnet");
    EXPECT_EQ(game.state().rule(north, magnet, south).regime, Regime::Open);
    // After three failures in a row the autopilot took over, visibly.
    EXPECT_EQ(events_of(game, "policy_fallback").size(), 1u);
    EXPECT_NE(game.policy(north)->name().find("autopilot fallback"), std::string::npos);
    EXPECT_EQ(game.history().size(), static_cast<size_t>(game.defs().turns));
}

TEST(LuaPolicy, ASyntaxErrorAtLoadFallsBackToTheAutopilotWithTheLine) {
    PolicyFiles files;
    std::string path = files.write("typo.lua", "return {\n  on_turn = function(ctx)\n    local = 3\n  end\n}\n");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    game.step();
    auto errors = events_of(game, "policy_error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors.front()->text.find("typo.lua:3:"), std::string::npos) << errors.front()->text;
    EXPECT_EQ(events_of(game, "policy_fallback").size(), 1u);
}

// Three strikes count per callback: an on_turn that fails every turn hands over to the autopilot
// although on_event, called every turn in between, succeeds (the success used to reset the count,
// and such a policy governed forever).
TEST(LuaPolicy, AnOnTurnFailingEveryTurnFallsBackAlthoughOtherCallbacksSucceed) {
    PolicyFiles files;
    const std::string path = files.write("half.lua", "local p = {}\nfunction p.on_event(ctx, e) ctx.memory.heard = "
                                                     "(ctx.memory.heard or 0) + 1 end\n"
                                                     "function p.on_turn(ctx) error('broken') end\nreturn p\n");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    for (int t = 0; t < 4; ++t) game.step();
    const auto fallbacks = events_of(game, "policy_fallback");
    ASSERT_EQ(fallbacks.size(), 1u);
    EXPECT_EQ(fallbacks.front()->turn, 2) << "the third failed on_turn";
    EXPECT_NE(fallbacks.front()->text.find("failed 3 times in a row in on_turn()"), std::string::npos)
        << fallbacks.front()->text;
    EXPECT_EQ(events_of(game, "policy_error").size(), 3u);
}

// The second hostile-inputs review: 300,000 set_tariff calls a turn, each valid and within the
// instruction budget, made 900,000 events in three turns. A country queues at most
// max_commands() a phase; the rest are refused (nil and a message), and the game goes on.
TEST(LuaPolicy, AFloodOfValidCommandsIsCappedPerTurn) {
    PolicyFiles files;
    const std::string path = files.write("flood.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn > 0 then  -- the refusals filled this turn's log lines: report a turn later
            if ctx.turn == 1 then ctx:log(ctx.memory.result) end
            return
          end
          local ok, refused, why = 0, 0, nil
          for i = 1, 5000 do
            local r, msg = ctx:set_tariff("magnet", "south", (i % 7) / 100)
            if r then ok = ok + 1 else refused = refused + 1; why = why or msg end
          end
          ctx.memory.result = string.format("ok=%d refused=%d why=%s", ok, refused, tostring(why))
        end })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    // 2 s a call: 5000 commands take ~0.1 s here; the test is about the cap, not the clock.
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits(2.0)));
    game.step();
    game.step();
    const auto logs = events_of(game, "policy_log");
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_NE(logs.front()->text.find("ok=1000 refused=4000 why=at most 1000 commands a turn (1000 are queued already)"),
              std::string::npos) << logs.front()->text;
    EXPECT_LE(events_of(game, "tariff_change").size(), 1000u);
    EXPECT_TRUE(events_of(game, "policy_error").empty());
}

// A misspelt callback would never be called and the autopilot would decide in its place without a
// word (a modder's `on_licence_request`): the policy does not load, and the error names the key
// and the callback it looks like. Helpers and other keys of the table are the modder's own.
TEST(LuaPolicy, AMisspeltOrNonFunctionCallbackDoesNotLoad) {
    PolicyFiles files;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"p.on_licence_request = function(ctx, app) end", "'on_licence_request' (defined at "},
        {"p.on_licence_request = function(ctx, app) end", "cb.lua:3) is no callback and would never be "
                                                          "called: did you mean 'on_license_request'?"},
        {"p.onEvent = function(ctx, e) end", "did you mean 'on_event'?"},
        {"p.Init = function(ctx) end", "did you mean 'init'?"},
        {"p.on_shortage = function(ctx) end", "cb.lua:3) is no callback and would never be called (callbacks: init"},
        {"p.on_proposal = 'accept'", "on_proposal is a string, not a function"},
    };
    for (const auto& [line, expected] : cases) {
        const std::string path = files.write("cb.lua", "local p = {}\nfunction p.on_turn(ctx) end\n" + line +
                                                           "\nreturn p\n");
        Game game(testing::trio());
        const CountryId north = testing::id_of(game, "north");
        game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
        game.step();
        auto errors = events_of(game, "policy_error");
        ASSERT_EQ(errors.size(), 1u) << line;
        EXPECT_NE(errors.front()->text.find(expected), std::string::npos) << errors.front()->text;
        EXPECT_EQ(events_of(game, "policy_fallback").size(), 1u) << line;
    }
    // The modder's own keys load: helpers, state, a name that merely starts with "on".
    const std::string fine = files.write("fine.lua", "local p = {only_allies = true, state = {}, params = {}}\n"
                                                     "function p.helper() end\nfunction p.on_turn(ctx) end\nreturn p\n");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, fine, fast_limits()));
    game.step();
    EXPECT_TRUE(events_of(game, "policy_error").empty());
}

// A modder's policy that inherits another's callbacks (`setmetatable(policy, {__index = base})`,
// two levels here) has them called, its own first. The inherited tables are checked at load as the
// policy's own, and a chain deeper than the engine follows is refused. (An __index *function* is never
// called to find a callback: APolicyTableWithAHostileIndexLoadsAndPlays.)
TEST(LuaPolicy, CallbacksInheritedThroughIndexTablesAreCalled) {
    PolicyFiles files;
    const std::string path = files.write("child.lua", R"(
        local grand = { on_turn = function(ctx) ctx:log("grand on_turn " .. ctx.turn) end,
                        init = function(ctx) ctx:log("grand init") end }
        local base = setmetatable({ init = function(ctx) ctx:log("base init") end }, { __index = grand })
        return setmetatable({}, { __index = base }))");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    game.step();
    game.step();
    std::vector<std::string> logs;
    for (const GameEvent* e : events_of(game, "policy_log")) logs.push_back(e->text);
    EXPECT_TRUE(events_of(game, "policy_error").empty());
    ASSERT_EQ(logs.size(), 3u) << ::testing::PrintToString(logs);
    EXPECT_NE(logs[0].find("base init"), std::string::npos) << logs[0];
    EXPECT_NE(logs[1].find("grand on_turn 0"), std::string::npos) << logs[1];
    EXPECT_NE(logs[2].find("grand on_turn 1"), std::string::npos) << logs[2];

    // The load checks inherited tables as the policy's own: a misspelt callback in a base is refused.
    auto load_error = [&](const std::string& name, const std::string& text) {
        const std::string file = files.write(name, text);
        return LuaPolicy(game.defs(), north, file, fast_limits()).load_error();
    };
    EXPECT_NE(load_error("typo.lua", "local base = { on_turns = function(ctx) end }\n"
                                     "return setmetatable({}, { __index = base })\n")
                  .find("typo.lua:1) is no callback and would never be called: did you mean 'on_turn'? (callbacks: "),
              std::string::npos);
    // Eight levels are followed; a ninth is refused rather than silently never called.
    auto chain = [](int levels) {
        std::string text = "local t = { on_turn = function(ctx) ctx:log('deep') end }\n";
        for (int i = 0; i < levels; ++i) text += "t = setmetatable({}, { __index = t })\n";
        return text + "return t\n";
    };
    EXPECT_EQ(load_error("eight.lua", chain(8)), "");
    Game deep(testing::trio());
    deep.set_policy(north, std::make_unique<LuaPolicy>(deep.defs(), north, files.write("eight.lua", chain(8)), fast_limits()));
    deep.step();
    ASSERT_EQ(events_of(deep, "policy_log").size(), 1u);
    EXPECT_NE(events_of(deep, "policy_log").front()->text.find("deep"), std::string::npos);
    EXPECT_NE(load_error("nine.lua", chain(9)).find("callbacks are inherited through at most 8 levels of __index tables"),
              std::string::npos);
    // A cycle (the class idiom Base.__index = Base, or a table that is its own __index) loads.
    EXPECT_EQ(load_error("cycle.lua", "local Base = {}\nBase.__index = Base\nfunction Base.on_turn(ctx) end\n"
                                      "local p = setmetatable({}, Base)\nsetmetatable(Base, { __index = p })\nreturn p\n"),
              "");
}

// A hostile script's failed callbacks change nothing, so the game must be exactly the game in
// which that country's policy does nothing at all — for every country.
void expect_same_as_idle(const std::string& hostile_body) {
    PolicyFiles files;
    std::string hostile = files.write("hostile.lua", "return { on_turn = function(ctx)\n" + hostile_body + "\nend }\n");
    std::string idle = files.write("idle.lua", "return { on_turn = function(ctx) end }\n");
    auto options = fast_limits();
    options.max_consecutive_failures = 1000;  // keep the script in charge all game
    Game a(testing::trio()), b(testing::trio());
    const CountryId south = testing::id_of(a, "south");
    a.set_policy(south, std::make_unique<LuaPolicy>(a.defs(), south, hostile, options));
    b.set_policy(south, std::make_unique<LuaPolicy>(b.defs(), south, idle, options));
    for (int t = 0; t < 4; ++t) {
        a.step();
        b.step();
        EXPECT_TRUE(a.history().back().outcome == b.history().back().outcome) << "turn " << t;
    }
    EXPECT_TRUE(a.state() == b.state());
    EXPECT_EQ(events_of(a, "policy_error").size(), 4u);
}

TEST(LuaSandboxInGame, InfiniteLoopStopsAtTheInstructionBudgetAndChangesNothing) {
    expect_same_as_idle("ctx:set_tariff('magnet', 'all', 0.5)\nwhile true do end");
}

TEST(LuaSandboxInGame, SlowPatternStopsAtTheWallClockGuardAndChangesNothing) {
    expect_same_as_idle("ctx:set_tariff('magnet', 'all', 0.5)\nlocal s = string.rep('a', 40000)\n"
                        "string.find(s, string.rep('.-', 30) .. 'b')");
}

TEST(LuaSandboxInGame, MemoryBombStopsAtTheCapAndChangesNothing) {
    expect_same_as_idle("ctx:set_tariff('magnet', 'all', 0.5)\nlocal t = {}\n"
                        "for i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end");
}

// The policy table's metatable is the script's: the engine reads the table raw (params, callbacks),
// so an __index that loops forever or raises does not run outside a callback's budget. The policy
// loads, its on_turn acts, and the game goes on.
TEST(LuaSandboxInGame, APolicyTableWithAHostileIndexLoadsAndPlays) {
    for (const char* index : {"function() while true do end end", "function() error('no') end"}) {
        PolicyFiles files;
        const std::string path = files.write("meta.lua", std::string(R"(
            local p = {}
            function p.on_turn(ctx) ctx:set_tariff('magnet', 'all', 0.5) end
            return setmetatable(p, { __index = )") + index + " })");
        Game game(testing::trio());
        const CountryId north = testing::id_of(game, "north"), south = testing::id_of(game, "south");
        auto policy = std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits());
        EXPECT_EQ(policy->load_error(), "") << index;
        game.set_policy(north, std::move(policy));
        game.step();
        game.step();
        const GoodId magnet = testing::good_of(game, "magnet");
        EXPECT_DOUBLE_EQ(game.state().tariff_on(north, magnet, south), 0.5) << index;
        EXPECT_TRUE(events_of(game, "policy_error").empty()) << index;
    }
}

TEST(LuaPolicy, HotReloadKeepsMemory) {
    PolicyFiles files;
    std::string path = files.write("counter.lua", R"(
        return { on_turn = function(ctx) ctx.memory.n = (ctx.memory.n or 0) + 1 end })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    game.step();
    game.step();
    // A new version logs the count it finds: memory survived the reload.
    files.write("counter.lua", R"(
        return { on_turn = function(ctx)
          ctx.memory.n = (ctx.memory.n or 0) + 1
          ctx:log("count " .. ctx.memory.n)
        end })");
    game.step();
    ASSERT_EQ(events_of(game, "policy_reloaded").size(), 1u);
    auto logs = events_of(game, "policy_log");
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_NE(logs.front()->text.find("count 3"), std::string::npos) << logs.front()->text;
    // A broken version is reported and the working one keeps running.
    files.write("counter.lua", "return { on_turn = function(ctx) ctx:log('oops' end }");
    game.step();
    auto errors = events_of(game, "policy_error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors.front()->text.find("previous version keeps running"), std::string::npos);
    EXPECT_EQ(events_of(game, "policy_log").size(), 2u);
    EXPECT_NE(events_of(game, "policy_log").back()->text.find("count 4"), std::string::npos);
}

// While a saved game's turns are replayed the file is not watched: a script edited then reloads
// in the first turn after them (the game file journals it there), not in a replayed turn.
TEST(LuaPolicy, AScriptEditedDuringAReplayReloadsInTheFirstNewTurn) {
    PolicyFiles files;
    const std::string path = files.write("quiet.lua", "return { on_turn = function(ctx) end }");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    LuaPolicyOptions o = fast_limits();
    o.replayed_turns = 3;
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, o));
    game.step();
    files.write("quiet.lua", "return { on_turn = function(ctx) ctx:log('edited') end }");
    game.step();
    game.step();
    EXPECT_TRUE(events_of(game, "policy_reloaded").empty()) << "turns 1 and 2 are replayed";
    game.step();
    const auto reloaded = events_of(game, "policy_reloaded");
    ASSERT_EQ(reloaded.size(), 1u);
    EXPECT_EQ(reloaded.front()->turn, 3);
    EXPECT_EQ(events_of(game, "policy_log").size(), 1u);
}

// A batch or tournament records the Lua files its runs read; a resume from another working
// directory must find them, so they are recorded by absolute path. (A policy named by its bare
// file name from inside policies/ finds its modules beside that folder, as docs/lua-api.md says.)
TEST(LuaPolicy, PolicyFilesAreRecordedByAbsolutePath) {
    PolicyFiles files;
    const std::filesystem::path policy = files.write("helped.lua", R"(
        local helper = require("lib.helper")
        return { on_turn = function(ctx) helper.touch() end })");
    files.lib("helper.lua", "return { touch = function() end }");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    std::map<std::string, std::string> read;
    {
        struct BackHome {  // the working directory is the process's: put it back whatever happens
            std::filesystem::path home = std::filesystem::current_path();
            ~BackHome() { std::filesystem::current_path(home); }
        } back;
        std::filesystem::current_path(policy.parent_path());  // the policy named relative to here
        game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, "helped.lua", fast_limits()));
        game.step();
        read = policy_files(game);
    }
    ASSERT_EQ(read.size(), 2u);
    for (const auto& [path, sha] : read) EXPECT_TRUE(std::filesystem::path(path).is_absolute()) << path;
    EXPECT_EQ(policy_files_changed(read), std::nullopt) << "found from another working directory";
}

TEST(LuaPolicy, SameSeedSameGameWithRandomPolicies) {
    PolicyFiles files;
    std::string path = files.write("dice.lua", R"(
        return { on_turn = function(ctx)
          if math.random() < 0.5 then ctx:set_tariff("magnet", "all", math.random(1, 30) / 100) end
        end })");
    auto play = [&](std::uint64_t seed) {
        Scenario sc = testing::trio();
        auto defs = std::make_shared<Definitions>(*sc.defs);
        defs->seed = seed;
        sc.defs = defs;
        Game g(std::move(sc), GameOptions{false});
        for (CountryId c : g.defs().country_ids())
            g.set_policy(c, std::make_unique<LuaPolicy>(g.defs(), c, path, fast_limits()));
        while (!g.finished()) g.step();
        return g.state();
    };
    State a = play(5), b = play(5), c = play(6);
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a == c);
}

TEST(LuaPolicy, LicenseRequestsReachTheScriptWithTheApplication) {
    PolicyFiles files;
    std::string path = files.write("licensor.lua", R"(
        return {
          on_turn = function(ctx)
            if ctx.turn == 0 then ctx:set_regime("magnet", "all", "licensed") end
          end,
          on_license_request = function(ctx, app)
            assert(app.exporter == "north" and app.good == "magnet" and app.tonnes > 0)
            if app.end_use == "defense" then
              assert(ctx:decide_license(app.id, "deny"))
            else
              assert(ctx:decide_license(app.id, "approve", {tonnes = app.tonnes / 2, turns = 2, civilian_only = true}))
            end
          end
        })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    for (int t = 0; t < 4; ++t) game.step();
    EXPECT_TRUE(events_of(game, "policy_error").empty());
    int approved = 0, denied = 0;
    for (const auto& app : game.state().applications) {
        approved += app.status == ApplicationStatus::Approved;
        denied += app.status == ApplicationStatus::Denied;
        if (app.status == ApplicationStatus::Denied) {
            EXPECT_EQ(app.end_use, EndUse::Defense);
        }
    }
    EXPECT_GT(approved, 0);
    EXPECT_GT(denied, 0);
    for (const auto& l : game.state().licenses) EXPECT_TRUE(l.civilian_only);
}

// The application carries its review timing; `share` approves part of the request.
TEST(LuaPolicy, ApplicationsCarryReviewTimingAndSharesApprovePart) {
    PolicyFiles files;
    std::string path = files.write("partial.lua", R"(
        return {
          init = function(ctx)
            -- No turn's forecast budget in init: said so, not "budget spent" (second modder review).
            local f, why = ctx:forecast("south", {{type = "payment", from = "me", to = "south", usd = 1}})
            assert(f == nil and why:find("init runs before any"), tostring(why))
          end,
          on_turn = function(ctx)
            if ctx.turn == 1 then ctx:set_regime("magnet", "all", "licensed") end
            -- Ids and turns from the list reads are integers, as in events and callbacks.
            for _, l in ipairs(ctx:licenses()) do
              for _, k in ipairs({"id", "first_turn", "last_turn"}) do
                assert(math.type(l[k]) == "integer", "licenses()." .. k .. " " .. tostring(l[k]))
              end
            end
            for _, a in ipairs(ctx:applications()) do
              for _, k in ipairs({"id", "filed_turn", "decidable_turn", "start_turn"}) do
                assert(math.type(a[k]) == "integer", "applications()." .. k .. " " .. tostring(a[k]))
              end
            end
            ctx.memory.lists = (ctx.memory.lists or 0) + #ctx:licenses()
            if ctx.turn == 3 then assert(ctx.memory.lists > 0, "no licence listed: nothing was checked") end
          end,
          on_license_request = function(ctx, app)
            assert(math.type(app.id) == "integer")
            if app.filed_turn > 0 then
              assert(app.review_days == 45, "review_days " .. tostring(app.review_days))
              assert(app.decidable_turn == app.filed_turn)
              assert(math.abs(app.first_turn_share - (1 - 45 / 91.3125)) < 1e-9)
              assert(app.start_turn >= app.decidable_turn)
            end
            assert(ctx:decide_license(app.id, "approve", {share = 0.5}))
          end
        })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    for (int t = 0; t < 4; ++t) game.step();
    for (const auto* e : events_of(game, "policy_error")) ADD_FAILURE() << e->text;
    int approved = 0;
    for (const auto& app : game.state().applications) {
        if (app.status != ApplicationStatus::Approved) continue;
        ++approved;
        for (const auto& l : game.state().licenses)
            if (l.application_id == app.id) {
                EXPECT_NEAR(l.tonnes_per_turn, std::floor(app.tonnes_per_turn * 5) / 10, 1e-9);
                if (app.filed_turn == 2) {
                    EXPECT_LT(l.first_turn_share, 0.6);
                }
            }
    }
    EXPECT_GT(approved, 0);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

TEST(LuaPolicy, OnEventHearsOfOtherCountriesMovesTheNextTurn) {
    PolicyFiles files;
    std::string mover = files.write("mover.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn == 0 then ctx:set_regime("magnet", "all", "licensed") end
        end })");
    std::string listener = files.write("listener.lua", R"(
        return {
          on_event = function(ctx, e)
            if e.type == "regime_change" then
              ctx:log("heard " .. e.country .. " " .. e.good .. " " .. e.regime .. " on turn " .. ctx.turn)
            end
          end,
          on_turn = function(ctx) end
        })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north"), east = testing::id_of(game, "east");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, mover, fast_limits()));
    game.set_policy(east, std::make_unique<LuaPolicy>(game.defs(), east, listener, fast_limits()));
    game.step();
    EXPECT_TRUE(events_of(game, "policy_log").empty()) << "decided on the same observation: not yet heard";
    game.step();
    auto logs = events_of(game, "policy_log");
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_NE(logs.front()->text.find("heard north magnet licensed on turn 1"), std::string::npos) << logs.front()->text;
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

TEST(LuaPolicy, MemoryIsPlainDataAndMayBeReplacedWhole) {
    PolicyFiles files;
    std::string path = files.write("memo.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn == 0 then ctx.memory = {plans = {"stockpile"}} end
          if ctx.turn == 1 then ctx:log("plan " .. ctx.memory.plans[1]); ctx.memory.hook = function() end end
          if ctx.turn == 2 then ctx.memory.hook = nil; ctx:log("still " .. ctx.memory.plans[1]) end
        end })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    for (int t = 0; t < 3; ++t) game.step();
    auto logs = events_of(game, "policy_log");
    ASSERT_EQ(logs.size(), 2u);
    EXPECT_NE(logs[0]->text.find("plan stockpile"), std::string::npos) << "a replaced ctx.memory is kept";
    EXPECT_NE(logs[1]->text.find("still stockpile"), std::string::npos);
    auto errors = events_of(game, "policy_error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors.front()->text.find("memory.hook: functions cannot be kept in ctx.memory"), std::string::npos)
        << errors.front()->text;
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// util.keep_stockpile releases a stockpile of an input (no sector of its own) once the home makers
// of what it goes into run short: on heavy_squeeze.yaml west makes magnets from east's heavy oxide;
// east embargoes it; west's policy keeps a heavy-oxide stockpile with the price trigger out of
// reach, and reads ctx:shortfall, which is 0 before the cut and positive once west is short.
TEST(LuaPolicy, KeepStockpileReleasesAnInputWhenItsMakersRunShort) {
    PolicyFiles files;
    const std::string path = files.write("west.lua", R"(
        local util = require("lib.util")
        return {
          on_turn = function(ctx)
            local short = ctx:shortfall("heavy")
            if ctx.turn <= 4 then assert(short == 0, "short before the cut: " .. short) end
            if short > 0 then ctx:log("short " .. ctx.turn) end
            util.keep_stockpile(ctx, "heavy", { release_above = 1000, input_squeeze = true })
          end
        })");
    Scenario sc = load_scenario(CHOKEPOINT_SOURCE_DIR "/tests/scenarios/heavy_squeeze.yaml");
    const CountryId west = sc.defs->country_id("west"), east = sc.defs->country_id("east");
    const GoodId heavy{sc.defs->good_index("heavy")};
    sc.initial.countries[west].stockpile[heavy] = 600.0;
    Game game(std::move(sc), GameOptions{false});
    LuaPolicyOptions options = fast_limits();
    options.scripts_root = std::string(CHOKEPOINT_SOURCE_DIR) + "/scripts";
    game.set_policy(west, std::make_unique<LuaPolicy>(game.defs(), west, path, options));
    auto embargo = std::make_unique<testing::ScriptedPolicy>();
    embargo->turn = [=](PolicyContext& ctx) {
        if (ctx.state().turn == 4) ctx.issue(SetExportRegime{heavy, west, Regime::Embargo});
    };
    game.set_policy(east, std::move(embargo));
    for (int t = 0; t < 4; ++t) game.step();
    EXPECT_NEAR(game.state().countries[west].stockpile[heavy], 600.0, 1e-9) << "nothing released before the cut";
    double released = 0.0;
    for (int t = 4; t < 9; ++t) released -= std::min(0.0, game.step().outcome.stockpile_change(west, heavy));
    EXPECT_GT(released, 100.0) << "west's policy releases heavy oxide once its magnet lines run short";
    EXPECT_TRUE(events_of(game, "policy_error").empty());
    EXPECT_FALSE(events_of(game, "policy_log").empty()) << "ctx:shortfall is positive once west is short";
}

// util.keep_stockpile buys at a pace per quarter, whatever the turn length: a monthly game's step is a
// third of a quarterly one's (it bought half a month's use every month, three times the pace: the
// 2025 replay's China bought 3,747 t of NdPr oxide in one month, a spike in the market).
TEST(LuaPolicy, KeepStockpileBuysAtTheSamePaceAtAnyTurnLength) {
    PolicyFiles files;
    const std::string path = files.write("buyer.lua", R"(
        local util = require("lib.util")
        return { on_turn = function(ctx)
          if ctx.turn > 0 then return end
          local what, t = util.keep_stockpile(ctx, "magnet", { target_months = 24, buy_below = 100 })
          ctx:log("bought " .. tostring(what) .. " " .. t)
        end })");
    auto first_buy = [&](const std::string& scenario) {
        Game game(load_scenario(scenario), GameOptions{false});
        const CountryId south = game.defs().country_id("south");
        LuaPolicyOptions options = fast_limits();
        options.scripts_root = std::string(CHOKEPOINT_SOURCE_DIR) + "/scripts";
        game.set_policy(south, std::make_unique<LuaPolicy>(game.defs(), south, path, options));
        game.step();
        const auto logs = events_of(game, "policy_log");
        if (logs.empty()) return -1.0;
        const std::string& text = logs.front()->text;
        const size_t at = text.find("bought buy ");
        return at == std::string::npos ? -1.0 : std::stod(text.substr(at + 11));
    };
    const std::string trio = CHOKEPOINT_SOURCE_DIR "/tests/scenarios/trio.yaml";
    const std::string monthly = files.write("monthly.yaml", "extends: " + trio + "\nscenario:\n  turn_months: 1\n");
    const double quarter = first_buy(trio), month = first_buy(monthly);
    ASSERT_GT(quarter, 30.0);
    EXPECT_NEAR(month, quarter / 3, 1.0) << "quarterly " << quarter << ", monthly " << month;
}

TEST(LuaPolicy, ReadsGiveOwnAndPublicStateAndClearErrors) {
    PolicyFiles files;
    std::string path = files.write("reader.lua", R"(
        return {
          on_turn = function(ctx)
            if ctx.turn == 0 then assert(ctx:set_regime("magnet", "all", "licensed")) return end
            local pending = ctx:applications()
            local ok, err = pcall(ctx.price, ctx, "bogus")
            local own_ok, own_err = pcall(ctx.stock, ctx, "magnet", "south")
            -- the private reads without arguments refuse a country too (they answered with our own)
            local quiet = {}
            for _, f in ipairs({"treasury", "applications", "my_applications", "licenses", "projects"}) do
              local ok2, e2 = pcall(ctx[f], ctx, "south")
              if ok2 or not tostring(e2):find("takes no country", 1, true) then quiet[#quiet + 1] = f end
            end
            ctx:log(string.format("pending=%d first_from=%s regime=%s stock=%.0f price_ok=%s err=%s own=%s quiet=[%s]",
              #pending, pending[1] and pending[1].importer or "-", ctx:regime("north", "magnet", "south"),
              ctx:stock("magnet"), tostring(ctx:price("magnet", "south") > 0), tostring(err), tostring(own_err),
              table.concat(quiet, ",")))
          end,
          on_license_request = function(ctx, app) assert(ctx:decide_license(app.id, "defer")) end
        })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    game.step();
    game.step();
    auto logs = events_of(game, "policy_log");
    ASSERT_EQ(logs.size(), 1u);
    const std::string& t = logs.front()->text;
    EXPECT_NE(t.find("regime=licensed"), std::string::npos) << t;
    EXPECT_NE(t.find("price_ok=true"), std::string::npos) << t;
    EXPECT_EQ(t.find("pending=0 "), std::string::npos) << "deferred applications stay pending: " << t;
    EXPECT_NE(t.find("unknown good 'bogus'"), std::string::npos) << t;
    EXPECT_NE(t.find("own=ctx:stock reads this country's own state and takes no country"), std::string::npos)
        << "a private read given a country is an error, not the caller's own stock: " << t;
    EXPECT_NE(t.find("quiet=[]"), std::string::npos) << "treasury, applications, ... given a country: " << t;
    EXPECT_TRUE(events_of(game, "policy_error").empty());
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint::lua::tests {
namespace {

// Hardening (issue 17, item 1): a policy that fills its state to just under the memory cap must
// not be able to make a host-side call fail outside a protected call (Lua would panic and abort
// the process). Each callback fails cleanly, is reported, and the game goes on.
TEST(LuaPolicyHardening, AHeapFilledToTheCapCannotAbortTheGame) {
    PolicyFiles files;
    // Dropping ctx.memory lets the string "memory" be collected, so the host's next look-up of
    // ctx.memory has to allocate it again — at the cap.
    std::string hog = files.write("hog.lua", R"(
hoard = {}
return { on_turn = function(ctx)
  ctx.memory = nil
  pcall(function()
    while true do hoard[#hoard + 1] = string.rep("x", 64) .. #hoard end
  end)
  pcall(function()
    while true do hoard[#hoard + 1] = #hoard end
  end)
end })");
    auto options = fast_limits(2.0);
    options.limits.instructions_per_call = 200'000'000;
    options.max_consecutive_failures = 1000;
    Game game(testing::trio());
    const CountryId south = testing::id_of(game, "south");
    game.set_policy(south, std::make_unique<LuaPolicy>(game.defs(), south, hog, options));
    for (int t = 0; t < 4; ++t) game.step();  // an abort here would end the test binary
    EXPECT_EQ(game.state().turn, 4);
}

// Hardening (issue 17, item 3): copying ctx.memory back is the policy's work, inside its time
// budget: a huge memory fails that callback's copy (reported) instead of stalling the host.
TEST(LuaPolicyHardening, CopyingAHugeMemoryCountsAgainstTheTimeBudget) {
    PolicyFiles files;
    // Each turn adds 300,000 entries in a few milliseconds; copying them all back takes longer.
    std::string big = files.write("big.lua", R"(
hoard = {}
return { on_turn = function(ctx)
  local n = #hoard
  for i = n + 1, n + 300000 do hoard[i] = i end
  ctx.memory = { hoard = hoard }
end })");
    auto options = fast_limits(0.1);
    options.limits.instructions_per_call = 200'000'000;
    options.limits.memory_bytes = 256u << 20;
    options.max_consecutive_failures = 1000;
    Game game(testing::trio());
    const CountryId south = testing::id_of(game, "south");
    game.set_policy(south, std::make_unique<LuaPolicy>(game.defs(), south, big, options));
    for (int t = 0; t < 6; ++t) game.step();
    auto errors = events_of(game, "policy_error");
    ASSERT_FALSE(errors.empty());
    // Some turn's copy runs out of the budget (which one depends on the machine: a stall or a
    // collection during a turn's loop ends that turn in on_turn() instead); every error is the clock's.
    std::string all;
    for (const GameEvent* e : errors) {
        all += e->text + "\n";
        EXPECT_NE(e->text.find("time budget of 0.1 s exceeded"), std::string::npos) << e->text;
    }
    EXPECT_NE(all.find("time budget of 0.1 s exceeded copying ctx.memory"), std::string::npos) << all;
}

// Hardening (issue 17, item 3): printing and refused commands are capped per country and turn,
// with one event that counts what was left out; a long line is cut (at a character boundary).
TEST(LuaPolicyHardening, PrintingAndRefusalsAreCappedPerTurn) {
    PolicyFiles files;
    std::string noisy = files.write("noisy.lua", R"(
return { on_turn = function(ctx)
  for i = 1, 3000 do print("line " .. i) end
  for i = 1, 3000 do ctx:set_tariff("magnet", "all", 99) end
  print(string.rep("é", 5000))
end })");
    auto options = fast_limits(2.0);
    options.limits.instructions_per_call = 200'000'000;
    Game game(testing::trio());
    const CountryId south = testing::id_of(game, "south");
    game.set_policy(south, std::make_unique<LuaPolicy>(game.defs(), south, noisy, options));
    game.step();
    game.step();
    for (int turn = 0; turn < 2; ++turn) {
        int output = 0;
        std::vector<const GameEvent*> suppressed;
        for (const auto& e : game.history()[static_cast<size_t>(turn)].events) {
            if (e.country != south) continue;
            if (e.type == "policy_log" || e.type == "command_refused") ++output;
            if (e.type == "policy_output_suppressed") suppressed.push_back(&e);
        }
        EXPECT_EQ(output, PolicyContext::kMaxOutputPerTurn) << "turn " << turn;
        ASSERT_EQ(suppressed.size(), 1u) << "turn " << turn;
        EXPECT_EQ(suppressed[0]->data.value("suppressed", 0), 6001 - PolicyContext::kMaxOutputPerTurn);
        EXPECT_NE(suppressed[0]->text.find("5801 more"), std::string::npos) << suppressed[0]->text;
    }
}

TEST(LuaPolicyHardening, ALongLineIsCutAtACharacterBoundary) {
    PolicyFiles files;
    std::string p = files.write("long.lua", R"(
return { on_turn = function(ctx) print("x" .. string.rep("é", 5000)) end })");
    Game game(testing::trio());
    const CountryId south = testing::id_of(game, "south");
    game.set_policy(south, std::make_unique<LuaPolicy>(game.defs(), south, p, fast_limits()));
    game.step();
    auto logs = events_of(game, "policy_log");
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_LT(logs[0]->text.size(), PolicyContext::kMaxLogChars + 100);
    EXPECT_NE(logs[0]->text.find("(line cut)"), std::string::npos);
    EXPECT_NO_THROW((void)nlohmann::json(logs[0]->text).dump()) << "the cut kept the text valid UTF-8";
}

}  // namespace
}  // namespace chokepoint::lua::tests
