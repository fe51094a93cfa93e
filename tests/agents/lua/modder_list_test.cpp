// Issue 15, the modder's list: require from a policy kept anywhere, ctx.memory mutated or
// replaced, when on_event hears of a breach, the id ctx:propose returns, the new reads, set_tariff
// on every good, and reloads at a given turn.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "agents/lua/lua_policy.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/agents/lua/lua_policy_test_util.hpp"
#include "tests/engine/diplomacy/deals.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using lua::tests::events_of;
using lua::tests::fast_limits;
using lua::tests::PolicyFiles;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string all_logs(const Game& g) {
    std::string out;
    for (const auto* e : events_of(g, "policy_log")) out += e->text + "\n";
    for (const auto* e : events_of(g, "policy_error")) out += "ERROR " + e->text + "\n";
    return out;
}

bool has_log(const Game& g, const std::string& needle) {
    for (const auto* e : events_of(g, "policy_log"))
        if (contains(e->text, needle)) return true;
    return false;
}

// A folder outside the repository (and outside any scripts/ folder), removed afterwards.
class OutsideFolder {
public:
    OutsideFolder() {
        root_ = std::filesystem::temp_directory_path() /
                ("chokepoint_modder_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
        std::filesystem::create_directories(root_ / "lib");
    }
    ~OutsideFolder() { std::filesystem::remove_all(root_); }
    OutsideFolder(const OutsideFolder&) = delete;
    OutsideFolder& operator=(const OutsideFolder&) = delete;
    std::string write(const std::string& relative, const std::string& text) const {
        const auto p = root_ / relative;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
    const std::filesystem::path& root() const { return root_; }

private:
    std::filesystem::path root_;
    static inline int counter_ = 0;
};

// ---- 1. require from a policy outside the repository ------------------------------------------

TEST(ModderRequire, APolicyKeptElsewhereFindsItsOwnModulesFirstThenTheShippedLib) {
    OutsideFolder dir;
    dir.write("lib/mine.lua", "return { who = 'mine' }\n");
    dir.write("helpers.lua", "return { twice = function(x) return 2 * x end }\n");
    const std::string path = dir.write("my.lua", R"(
        local util = require("lib.util")        -- not beside the policy: the shipped scripts/lib/util.lua
        local mine = require("lib.mine")        -- beside the policy: <folder>/lib/mine.lua
        local helpers = require("helpers")      -- <folder>/helpers.lua
        return { on_turn = function(ctx)
          ctx:log(string.format("clamp %g mine %s twice %d", util.clamp(5, 0, 1), mine.who, helpers.twice(21)))
        end })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    auto policy = std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits());
    ASSERT_EQ(policy->load_error(), "");
    game.set_policy(north, std::move(policy));
    game.step();
    EXPECT_TRUE(has_log(game, "clamp 1 mine mine twice 42")) << all_logs(game);
}

// A modder's project folder with its own scripts/ (no lib/util.lua in it), the policy run from
// there: the shipped helpers are still found, in the installed data (the build's share/chokepoint).
TEST(ModderRequire, RunFromAFolderWithItsOwnScriptsTheShippedLibIsStillFound) {
    OutsideFolder dir;
    const std::string path = dir.write("scripts/mine.lua", R"(
        local util = require("lib.util")
        return { on_turn = function(ctx) ctx:log(string.format("clamp %g", util.clamp(5, 0, 1))) end })");
    struct BackHome {
        std::filesystem::path home = std::filesystem::current_path();
        ~BackHome() { std::filesystem::current_path(home); }
    } back;
    Game game(testing::trio());  // loaded from the source root, before moving
    std::filesystem::current_path(dir.root());
    const CountryId north = testing::id_of(game, "north");
    auto policy = std::make_unique<LuaPolicy>(game.defs(), north, "scripts/mine.lua", fast_limits());
    ASSERT_EQ(policy->load_error(), "");
    game.set_policy(north, std::move(policy));
    game.step();
    EXPECT_TRUE(has_log(game, "clamp 1")) << all_logs(game);
    (void)path;
}

TEST(ModderRequire, TheOwnFolderComesFirstAndAMissingModuleNamesBothPlaces) {
    OutsideFolder dir;
    dir.write("lib/util.lua", "return { clamp = function() return 'own copy' end }\n");
    const std::string path = dir.write("my.lua", R"(
        local util = require("lib.util")
        return { on_turn = function(ctx)
          ctx:log("clamp " .. util.clamp(5, 0, 1))
          local ok, err = pcall(require, "lib.nowhere")
          ctx:log("missing: " .. tostring(err))
          ok, err = pcall(require, "../../etc/passwd")
          ctx:log("escape: " .. tostring(err))
          ok, err = pcall(require, "lib/util")
          ctx:log("slash: " .. tostring(err))
        end })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    game.step();
    EXPECT_TRUE(has_log(game, "clamp own copy")) << all_logs(game);
    const std::string own = (dir.root() / "lib/nowhere.lua").generic_string();
    EXPECT_TRUE(has_log(game, "missing: module 'lib.nowhere' not found (looked for " + own + ", scripts/lib/nowhere.lua)"))
        << all_logs(game);
    EXPECT_TRUE(has_log(game, "escape: invalid module name '../../etc/passwd': a path; require takes dotted names"))
        << all_logs(game);
    EXPECT_TRUE(has_log(game, "slash: invalid module name 'lib/util': a path")) << all_logs(game);
}

TEST(ModderRequire, ASymlinkOutOfThePolicysFolderIsNotFollowed) {
    OutsideFolder dir, elsewhere;
    const std::string secret = elsewhere.write("secret.lua", "return { leaked = true }\n");
    std::filesystem::create_symlink(secret, dir.root() / "lib" / "secret.lua");
    const std::string path = dir.write("my.lua", R"(
        return { on_turn = function(ctx)
          local ok, err = pcall(require, "lib.secret")
          ctx:log("symlink: " .. tostring(ok) .. " " .. tostring(err))
        end })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    game.step();
    EXPECT_TRUE(has_log(game, "symlink: false")) << all_logs(game);
    EXPECT_TRUE(has_log(game, "is a link to a file outside its scripts folder")) << all_logs(game);
}

// ---- 2. ctx.memory: mutate it or replace it --------------------------------------------------

TEST(ModderMemory, MutatedAndReplacedMemoryAreBothKept) {
    PolicyFiles files;
    const std::string path = files.write("memo.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn == 0 then ctx.memory.a = 1 end                     -- mutate
          if ctx.turn == 1 then
            ctx:log("a " .. tostring(ctx.memory.a))
            local old = ctx.memory
            ctx.memory = { b = 2 }                                         -- replace
            old.c = 3                                                      -- the old table is gone
          end
          if ctx.turn == 2 then
            ctx:log(string.format("a %s b %s c %s", tostring(ctx.memory.a), tostring(ctx.memory.b), tostring(ctx.memory.c)))
          end
        end })");
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north");
    game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits()));
    for (int t = 0; t < 3; ++t) game.step();
    EXPECT_TRUE(has_log(game, "a 1")) << all_logs(game);
    EXPECT_TRUE(has_log(game, "a nil b 2 c nil")) << all_logs(game);
}

// ---- 3. on_event: a breach found at the end of turn N is heard in turn N+1 ---------------------

TEST(ModderOnEvent, ABreachFoundAtTheEndOfATurnIsHeardTheNextTurn) {
    Scenario sc = testing::with_defs(testing::trio(), [](Definitions& d) { d.licensing.end_use_discovery = 1.0; });
    const testing::Trio t(*sc.defs);
    testing::in_force(sc, t.south, t.north, {testing::end_use_assurance(t.south, t.north, t.magnet)}, 4);
    Game game(std::move(sc), testing::no_leverage());
    PolicyFiles files;
    const std::string path = files.write("listener.lua", R"(
        return {
          on_event = function(ctx, e)
            if e.type == "agreement_breach" then
              ctx:log(string.format("heard %s by %s of turn %d in turn %d", e.type, e.country, e.turn, ctx.turn))
            end
          end,
          on_turn = function(ctx) end,
        })");
    game.set_policy(t.east, std::make_unique<LuaPolicy>(game.defs(), t.east, path, fast_limits()));
    game.step();
    ASSERT_EQ(testing::events_of(game, "agreement_breach").size(), 1u) << "found at the end of turn 0";
    EXPECT_TRUE(events_of(game, "policy_log").empty()) << all_logs(game);
    game.step();
    EXPECT_TRUE(has_log(game, "heard agreement_breach by south of turn 0 in turn 1")) << all_logs(game);
}

// ---- 7. ctx:propose returns the proposal's id --------------------------------------------------

TEST(ModderPropose, TheIdReturnedIsTheOneTheRecipientAndTheProposalsListSee) {
    PolicyFiles files;
    // North invests first (an id taken earlier in the same queue), then proposes to south and to
    // both; the ids returned must account for it.
    const std::string proposer = files.write("proposer.lua", R"(
        local offer = {{type = "supply", from = "me", to = "them", good = "magnet", tonnes = 10, price = 70}}
        return { on_turn = function(ctx)
          if ctx.turn == 0 then
            local id = assert(ctx:propose("south", offer, {turns = 4}))
            ctx:log("proposed " .. id)
            local ids = assert(ctx:propose({"south", "east"}, offer, {turns = 4}))
            ctx:log(string.format("proposed list %d %d", ids[1], ids[2]))
            local nope, err = ctx:propose("atlantis", offer)
            ctx:log("refused " .. tostring(nope) .. " " .. tostring(err))
          elseif ctx.turn == 1 then
            for _, p in ipairs(ctx:proposals({status = "any"})) do
              if p.from == ctx.country then ctx:log(string.format("listed %d to %s", p.id, p.to)) end
            end
          end
        end })");
    const std::string listener = files.write("listener.lua", R"(
        return { on_proposal = function(ctx, p)
          ctx:log(string.format("%s heard %d", ctx.country, p.id))
        end })");
    Game game(testing::trio(), testing::no_leverage());
    const testing::Trio t(game.defs());
    game.set_policy(t.north, std::make_unique<LuaPolicy>(game.defs(), t.north, proposer, fast_limits()));
    game.set_policy(t.south, std::make_unique<LuaPolicy>(game.defs(), t.south, listener, fast_limits()));
    game.set_policy(t.east, std::make_unique<LuaPolicy>(game.defs(), t.east, listener, fast_limits()));
    game.step();
    game.step();
    int first = 0, a = 0, b = 0;
    for (const auto* e : events_of(game, "policy_log")) {
        std::sscanf(e->text.c_str(), "[north] proposed %d", &first);
        std::sscanf(e->text.c_str(), "[north] proposed list %d %d", &a, &b);
    }
    ASSERT_GT(first, 0) << all_logs(game);
    ASSERT_GT(a, 0) << all_logs(game);
    const auto& ps = game.state().proposals;
    ASSERT_EQ(ps.size(), 3u);
    EXPECT_EQ(ps[0].id, first);
    EXPECT_EQ(ps[0].to, t.south);
    EXPECT_EQ(ps[1].id, a);
    EXPECT_EQ(ps[1].to, t.south);
    EXPECT_EQ(ps[2].id, b);
    EXPECT_EQ(ps[2].to, t.east);
    EXPECT_TRUE(has_log(game, "south heard " + std::to_string(first))) << all_logs(game);
    EXPECT_TRUE(has_log(game, "east heard " + std::to_string(b))) << all_logs(game);
    EXPECT_TRUE(has_log(game, "listed " + std::to_string(first) + " to south")) << all_logs(game);
    EXPECT_TRUE(has_log(game, "refused nil unknown country 'atlantis'")) << all_logs(game);
}

TEST(ModderPropose, IdsTakenByEarlierCountriesCommandsOfTheSameTurnAreCountedIn) {
    PolicyFiles files;
    // North (first in scenario order) starts a project: its id is taken before south's proposal.
    const std::string investor = files.write("investor.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn == 0 then assert(ctx:invest("magnet", 100)) end
        end })");
    const std::string proposer = files.write("proposer.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn == 0 then
            local id = assert(ctx:propose("east", {{type = "supply", from = "them", to = "me", good = "magnet", tonnes = 10, price = 70}}))
            ctx:log("proposed " .. id)
          end
        end })");
    Game game(testing::trio(), testing::no_leverage());
    const testing::Trio t(game.defs());
    game.set_policy(t.north, std::make_unique<LuaPolicy>(game.defs(), t.north, investor, fast_limits()));
    game.set_policy(t.south, std::make_unique<LuaPolicy>(game.defs(), t.south, proposer, fast_limits()));
    game.step();
    ASSERT_EQ(game.state().proposals.size(), 1u) << all_logs(game);
    const Project* built = nullptr;
    for (const auto& p : game.state().projects)
        if (p.owner == t.north && !p.private_firms && !built) built = &p;
    ASSERT_NE(built, nullptr);
    EXPECT_EQ(built->id + 1, game.state().proposals[0].id) << "the project took the id before";
    EXPECT_TRUE(has_log(game, "proposed " + std::to_string(game.state().proposals[0].id))) << all_logs(game);
}

// ---- 9. New reads and set_tariff on every good -------------------------------------------------

TEST(ModderReads, TurnLengthBuildTermsAndImportDemand) {
    PolicyFiles files;
    const std::string path = files.write("reader.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn ~= 1 then return end
          local b = ctx:build_terms("magnet")
          ctx:log(string.format("months %d per_year %g capex %g lead %d %d %s", ctx:turn_months(), ctx:turns_per_year(),
            b.capex_per_tpy, b.lead_turns, b.lead_months, b.process))
          local d = ctx:import_demand("magnet", "south")
          ctx:log(string.format("demand use %.6f capacity %.6f gap %.6f applied %.6f licensed %.6f",
            d.use, d.capacity, d.gap, d.applied, d.licensed))
          local ok, err = ctx:build_terms("unobtainium")
        end })");
    Game game(testing::trio(), testing::no_leverage());
    const testing::Trio t(game.defs());
    game.set_policy(t.north, std::make_unique<LuaPolicy>(game.defs(), t.north, path, fast_limits()));
    game.step();
    game.step();
    const Definitions& d = game.defs();
    const auto& p = d.process[static_cast<int>(d.goods[t.magnet].process)];
    EXPECT_TRUE(has_log(game, fmt::format("months {} per_year {:g} capex {:g} lead {} {} {}", d.turn_months,
                                          d.turns_per_year(), p.capex_per_tpy, std::max(1, p.lead_turns),
                                          std::max(1, p.lead_turns) * d.turn_months,
                                          to_string(d.goods[t.magnet].process))))
        << all_logs(game);
    // The read's numbers against the state they describe (one turn in: the state after turn 0).
    const auto errors = events_of(game, "policy_error");
    ASSERT_EQ(errors.size(), 1u) << "the unknown good raises";
    EXPECT_TRUE(contains(errors[0]->text, "unknown good 'unobtainium'")) << errors[0]->text;
    EXPECT_TRUE(has_log(game, "demand use ")) << all_logs(game);
}

TEST(ModderReads, ImportDemandAddsUpTheImportersApplicationsAndLicences) {
    PolicyFiles files;
    // North licenses magnets to everyone; south's firms apply. North reads south's whole need.
    const std::string path = files.write("licensor.lua", R"(
        return {
          init = function(ctx) assert(ctx:set_regime("magnet", "all", "licensed")) end,
          on_license_request = function(ctx, app) end,   -- leaves them pending
          on_turn = function(ctx)
            local d = ctx:import_demand("magnet", "south")
            local sum = 0
            for _, a in ipairs(ctx:applications()) do
              if a.importer == "south" and a.good == "magnet" then sum = sum + a.tonnes end
            end
            ctx:log(string.format("turn %d applied %.3f pending-to-me %.3f use %.3f cap %.3f gap %.3f", ctx.turn,
              d.applied, sum, d.use, d.capacity, d.gap))
          end,
        })");
    Game game(testing::trio(), testing::no_leverage());
    const testing::Trio t(game.defs());
    game.set_policy(t.north, std::make_unique<LuaPolicy>(game.defs(), t.north, path, fast_limits()));
    for (int i = 0; i < 3; ++i) game.step();
    bool saw_application = false;
    for (const auto* e : events_of(game, "policy_log")) {
        double applied = -1, mine = -2, use = 0, cap = 0, gap = -1;
        int turn = -1;
        ASSERT_EQ(std::sscanf(e->text.c_str(), "[north] turn %d applied %lf pending-to-me %lf use %lf cap %lf gap %lf", &turn,
                              &applied, &mine, &use, &cap, &gap),
                  6)
            << e->text;
        EXPECT_GE(applied + 1e-9, mine) << "every exporter's applications count, north's among them";
        EXPECT_NEAR(gap, std::max(0.0, use - cap), 2e-3);
        saw_application = saw_application || applied > 0;
    }
    EXPECT_TRUE(saw_application) << all_logs(game);
}

TEST(ModderCommands, SetTariffOnAllGoodsSetsEveryGood) {
    PolicyFiles files;
    const std::string path = files.write("tariffs.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn == 0 then
            assert(ctx:set_tariff("all", "south", 0.25))
            local ok, err = ctx:set_tariff("all", "south", -3)
            ctx:log("negative " .. tostring(ok) .. " " .. tostring(err))
          end
        end })");
    Game game(testing::trio(), testing::no_leverage());
    const testing::Trio t(game.defs());
    game.set_policy(t.north, std::make_unique<LuaPolicy>(game.defs(), t.north, path, fast_limits()));
    game.step();
    for (GoodId g : game.defs().good_ids())
        EXPECT_DOUBLE_EQ(game.state().tariff_on(t.north, g, t.south), 0.25) << game.defs().goods[g].id;
    EXPECT_TRUE(has_log(game, "negative nil")) << all_logs(game);
    EXPECT_EQ(testing::events_of(game, "tariff_change").size(), static_cast<size_t>(t.G));
}

// ---- 10. Reload at a given turn ----------------------------------------------------------------

TEST(ModderReloadAt, ThePolicyChangesFromThatTurnAndABrokenFileKeepsTheOld) {
    PolicyFiles files;
    const std::string v1 = files.write("v1.lua", R"(
        return { on_turn = function(ctx)
          ctx.memory.n = (ctx.memory.n or 0) + 1
          ctx:log("v1 turn " .. ctx.turn)
        end })");
    const std::string v2 = files.write("v2.lua", R"(
        return { on_turn = function(ctx) ctx:log("v2 turn " .. ctx.turn .. " n " .. ctx.memory.n) end })");
    const std::string broken = files.write("broken.lua", "return {\n  on_turn = function(ctx)\n    local = 1\n  end\n}\n");
    Game game(testing::trio(), testing::no_leverage());
    const testing::Trio t(game.defs());
    auto policy = std::make_unique<LuaPolicy>(game.defs(), t.north, v1, fast_limits());
    policy->schedule_reload(3, broken);
    policy->schedule_reload(2, v2);
    game.set_policy(t.north, std::move(policy));
    for (int i = 0; i < 4; ++i) game.step();
    EXPECT_TRUE(has_log(game, "v1 turn 0")) << all_logs(game);
    EXPECT_TRUE(has_log(game, "v1 turn 1")) << all_logs(game);
    EXPECT_FALSE(has_log(game, "v1 turn 2")) << all_logs(game);
    EXPECT_TRUE(has_log(game, "v2 turn 2 n 2")) << "memory kept: " << all_logs(game);
    EXPECT_TRUE(has_log(game, "v2 turn 3 n 2")) << "the broken file left v2 in place: " << all_logs(game);
    const auto reloaded = events_of(game, "policy_reloaded");
    ASSERT_EQ(reloaded.size(), 1u);
    EXPECT_EQ(reloaded[0]->turn, 2);
    EXPECT_TRUE(contains(reloaded[0]->text, "v2.lua")) << reloaded[0]->text;
    const auto errors = events_of(game, "policy_error");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0]->turn, 3);
    EXPECT_TRUE(contains(errors[0]->text, "broken.lua:3:")) << errors[0]->text;
    EXPECT_TRUE(contains(errors[0]->text, "the previous version keeps running")) << errors[0]->text;
}

// The reloaded file's declaration decides ctx.params from the turn of the reload (the state kept
// the first version's converted table: the docs-only modder review's v2 read the scenario's values
// unchecked), and a note says when the scenario's values do not fit it.
TEST(ModderReloadAt, TheNewFilesDeclarationDecidesItsParams) {
    PolicyFiles files;
    const std::string v1 = files.write("v1.lua", R"(
        return { on_turn = function(ctx) ctx:log("v1 cover " .. type(ctx.params.cover)) end })");
    const std::string v2 = files.write("v2.lua", R"(
        return { params = { cover = { type = "number", default = 2 } },
                 on_turn = function(ctx) ctx:log(string.format("v2 cover %g", ctx.params.cover)) end })");
    Game game(testing::with_defs(testing::trio(),
                                 [](Definitions& d) {
                                     CountryDef& north = d.countries[CountryId{0}];
                                     north.policy = "the_scenarios_own.lua";
                                     north.policy_params = {{"cover", {{"ndpr_oxide", 3}}}};
                                 }),
              testing::no_leverage());
    const testing::Trio t(game.defs());
    ASSERT_EQ(t.north, CountryId{0});
    auto policy = std::make_unique<LuaPolicy>(game.defs(), t.north, v1, fast_limits());
    policy->schedule_reload(2, v2);
    game.set_policy(t.north, std::move(policy));
    for (int i = 0; i < 4; ++i) game.step();
    EXPECT_TRUE(has_log(game, "v1 cover table")) << all_logs(game);
    EXPECT_TRUE(has_log(game, "v2 cover 2")) << all_logs(game);
    EXPECT_FALSE(has_log(game, "v2 cover table")) << all_logs(game);
    const auto reloaded = events_of(game, "policy_reloaded");
    ASSERT_EQ(reloaded.size(), 1u);
    EXPECT_TRUE(contains(reloaded[0]->text, "plays with its defaults")) << reloaded[0]->text;
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

using lua::tests::events_of;
using lua::tests::fast_limits;
using lua::tests::PolicyFiles;

// ---- 8. Declared, typed policy parameters -------------------------------------------------------

const char* kDeclaring = R"(
    local policy = {}
    policy.params = {
      quota = {type = "number", default = 0.5, min = 0, max = 1, doc = "share of exports allowed"},
      target = {type = "country", default = "south"},
      rounds = {type = "integer", default = 2, min = 1},
      mode = {type = "string", default = "soft", one_of = {"soft", "hard"}},
      verbose = {type = "boolean", default = false},
    }
    function policy.on_turn(ctx)
      local p = ctx.params
      ctx:log(string.format("quota %g target %s rounds %d mode %s verbose %s", p.quota, p.target, p.rounds, p.mode,
        tostring(p.verbose)))
    end
    return policy
)";

// The trio scenario with north governed by `policy` and given `params` (YAML lines at 6 spaces).
Scenario trio_with_params(const std::string& policy, const std::string& params) {
    std::ifstream in("tests/scenarios/trio.yaml", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string anchor = "    name: North\n";
    const auto at = text.find(anchor);
    EXPECT_NE(at, std::string::npos);
    text.insert(at + anchor.size(), "    policy: " + policy + "\n    policy_params:\n" + params);
    return load_scenario_text(text, "trio-params.yaml");
}

TEST(ModderParams, DefaultsFillMissingKeysAndGivenValuesAreKept) {
    PolicyFiles files;
    const std::string path = files.write("declaring.lua", kDeclaring);
    Game game(trio_with_params(path, "      quota: 0.25\n      mode: hard\n"), testing::no_leverage());
    const CountryId north = testing::id_of(game, "north");
    auto policy = std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits());
    ASSERT_EQ(policy->load_error(), "");
    game.set_policy(north, std::move(policy));
    game.step();
    const auto logs = events_of(game, "policy_log");
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_TRUE(contains(logs[0]->text, "quota 0.25 target south rounds 2 mode hard verbose false")) << logs[0]->text;
}

TEST(ModderParams, AMisspeltKeyAWrongTypeAndAnOutOfRangeValueAreRefusedWithTheirPlace) {
    PolicyFiles files;
    const std::string path = files.write("declaring.lua", kDeclaring);
    // Lines: 53 name, 54 policy, 55 policy_params, 56.. the keys (column 7).
    Game game(trio_with_params(path, "      quotq: 0.5\n      target: atlantis\n      rounds: 1.5\n      verbose: \"yes\"\n"),
              testing::no_leverage());
    const CountryId north = testing::id_of(game, "north");
    LuaPolicy policy(game.defs(), north, path, fast_limits());
    const std::string& e = policy.params_error();
    EXPECT_TRUE(contains(e, "trio-params.yaml:56:7: countries.north.policy_params.quotq: unknown parameter of policy " +
                                path + " (did you mean \"quota\"?)"))
        << e;
    EXPECT_TRUE(contains(e, "trio-params.yaml:57:7: countries.north.policy_params.target: unknown country \"atlantis\""))
        << e;
    EXPECT_TRUE(contains(e, "trio-params.yaml:58:7: countries.north.policy_params.rounds: expected an integer >= 1, got 1.5 "
                            "(declared in policy " + path + " as params.rounds)"))
        << e;
    EXPECT_TRUE(contains(e, "trio-params.yaml:59:7: countries.north.policy_params.verbose: expected true or false, got \"yes\""))
        << e;
    EXPECT_EQ(policy.load_error(), e) << "the policy does not govern with parameters it refuses";
    EXPECT_TRUE(policy.fell_back());

    Game range(trio_with_params(path, "      quota: 1.5\n"), testing::no_leverage());
    LuaPolicy out_of_range(range.defs(), north, path, fast_limits());
    EXPECT_TRUE(contains(out_of_range.params_error(),
                         "trio-params.yaml:56:7: countries.north.policy_params.quota: expected a number in [0, 1], got 1.5"))
        << out_of_range.params_error();
}

TEST(ModderParams, AnotherPolicysParamsThatDoNotFitGiveWayToTheDefaultsWithANote) {
    PolicyFiles files;
    const std::string own = files.write("own.lua", "return { on_turn = function(ctx) end }\n");
    const std::string entrant = files.write("declaring.lua", kDeclaring);
    // The scenario's params are for own.lua; the declaring file plays north instead (check --as,
    // a tournament entrant).
    Game game(trio_with_params(own, "      quotq: 0.5\n"), testing::no_leverage());
    const CountryId north = testing::id_of(game, "north");
    auto policy = std::make_unique<LuaPolicy>(game.defs(), north, entrant, fast_limits());
    EXPECT_EQ(policy->load_error(), "");
    EXPECT_EQ(policy->params_error(), "");
    EXPECT_TRUE(contains(policy->params_note(), "are for " + own)) << policy->params_note();
    EXPECT_TRUE(contains(policy->params_note(), "policy_params.quotq: unknown parameter")) << policy->params_note();
    game.set_policy(north, std::move(policy));
    game.step();
    ASSERT_EQ(events_of(game, "policy_log").size(), 1u);
    EXPECT_TRUE(contains(events_of(game, "policy_log")[0]->text, "quota 0.5 target south rounds 2 mode soft"));
}

TEST(ModderParams, AMalformedDeclarationIsTheScriptsError) {
    PolicyFiles files;
    const std::string path = files.write("bad_decl.lua", R"(
        return { params = { quota = {type = "percent", default = 5} }, on_turn = function(ctx) end })");
    Game game(testing::trio(), testing::no_leverage());
    LuaPolicy policy(game.defs(), testing::id_of(game, "north"), path, fast_limits());
    EXPECT_TRUE(contains(policy.load_error(), "params.quota: type must be one of number, integer")) << policy.load_error();
    EXPECT_EQ(policy.params_error(), "");
    const std::string bad_default = files.write("bad_default.lua", R"(
        return { params = { quota = {type = "number", default = 5, max = 1} }, on_turn = function(ctx) end })");
    LuaPolicy other(game.defs(), testing::id_of(game, "north"), bad_default, fast_limits());
    EXPECT_TRUE(contains(other.load_error(), "params.quota.default: expected a number <= 1, got 5")) << other.load_error();
    // A NaN bound would make every comparison false and let any value through.
    const std::string nan_bound = files.write("nan_bound.lua", R"(
        return { params = { quota = {type = "number", default = 5, max = 0/0} }, on_turn = function(ctx) end })");
    LuaPolicy third(game.defs(), testing::id_of(game, "north"), nan_bound, fast_limits());
    EXPECT_TRUE(contains(third.load_error(), "params.quota.max: expected a number")) << third.load_error();
}

TEST(ModderParams, WithoutADeclarationParamsPassAsTheyAre) {
    PolicyFiles files;
    const std::string path = files.write("plain.lua", R"(
        return { on_turn = function(ctx) ctx:log("quotq " .. tostring(ctx.params.quotq)) end })");
    Game game(trio_with_params(path, "      quotq: 0.5\n"), testing::no_leverage());
    const CountryId north = testing::id_of(game, "north");
    auto policy = std::make_unique<LuaPolicy>(game.defs(), north, path, fast_limits());
    ASSERT_EQ(policy->load_error(), "");
    game.set_policy(north, std::move(policy));
    game.step();
    ASSERT_EQ(events_of(game, "policy_log").size(), 1u);
    EXPECT_TRUE(contains(events_of(game, "policy_log")[0]->text, "quotq 0.5"));
}

}  // namespace
}  // namespace chokepoint
