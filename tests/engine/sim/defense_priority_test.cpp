// Defense priority (issue 10, part E) on the trio world: north embargoes magnets to south, so south
// lives on east's magnets and its stock. Defense has its own, less elastic demand; rated defense
// orders (SetDefensePriority) are served before civilian demand, and the strategic stockpile
// covers what the market leaves unmet, mass balanced. docs/model.md §Firms, §Instruments, §Autopilot.
#include <gtest/gtest.h>

#include "engine/commands/dispatch.hpp"
#include "tests/engine/sim/balances.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using testing::good_of;
using testing::id_of;
using testing::ScriptedPolicy;

// The defense sector's elasticity as in the baseline (0.05); the autopilot's priority rule off
// unless `auto_rule`.
Scenario squeeze_world(bool auto_rule) {
    return testing::with_defs(testing::trio(), [&](Definitions& d) {
        for (auto& s : d.sectors)
            if (s.defense) s.elasticity = 0.05;
        for (auto& c : d.countries) c.autopilot.defense_priority = auto_rule;
    });
}

// Issues `first` on turn `when`, autopilot otherwise.
std::unique_ptr<ScriptedPolicy> at_turn(int when, std::function<void(PolicyContext&)> first) {
    auto p = std::make_unique<ScriptedPolicy>();
    AutopilotPolicy autopilot;
    p->turn = [when, first, autopilot](PolicyContext& ctx) mutable {
        if (ctx.state().turn == when) first(ctx);
        autopilot.on_turn(ctx);
    };
    return p;
}

struct Shares {
    double defense = 0.0, civilian = 0.0;  // unmet / demand
};
Shares unmet_shares(const Game& g, const MarketOutcome& o, CountryId c) {
    double dd = 0, du = 0, cd = 0, cu = 0;
    for (SectorId k : g.defs().sector_ids()) {
        const bool def = g.defs().sectors[k].defense;
        (def ? dd : cd) += o.demand(c, k);
        (def ? du : cu) += o.demand(c, k) - o.met(c, k);
    }
    return {dd > 0 ? du / dd : 0.0, cd > 0 ? cu / cd : 0.0};
}

// North embargoes magnets to south from turn 0; south may rate its defense orders on turn 0.
Game squeeze(bool rated, bool auto_rule = false) {
    Game game(squeeze_world(auto_rule));
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    game.set_policy(north, at_turn(0, [=](PolicyContext& ctx) {
        EXPECT_TRUE(ctx.issue(SetExportRegime{magnet, south, Regime::Embargo}).ok);
    }));
    if (rated)
        game.set_policy(south, at_turn(0, [=](PolicyContext& ctx) {
            EXPECT_TRUE(ctx.issue(SetDefensePriority{magnet, true}).ok);
        }));
    return game;
}

TEST(DefensePriority, WithoutRatingDefenseIsServedAtLeastAsWellAsCivilian) {
    Game game = squeeze(false);
    const CountryId south = id_of(game, "south");
    bool squeezed = false, unrated_short = false;
    for (int t = 0; t < 4; ++t) {
        const MarketOutcome& o = game.step().outcome;
        Shares s = unmet_shares(game, o, south);
        squeezed = squeezed || s.civilian > 0.05;
        EXPECT_LE(s.defense, s.civilian + 1e-9) << "turn " << t;
        // Past the buyers' price cap every tranche left bids the same capped price and is rationed
        // pro rata: without a rating, defense is short too (which is what the rating is for).
        if (s.civilian > 0.3) {
            EXPECT_GT(s.defense, 0.0) << "turn " << t;
            unrated_short = true;
        }
    }
    EXPECT_TRUE(squeezed) << "the embargo should leave south's civilian demand short";
    EXPECT_TRUE(unrated_short) << "a deep squeeze should reach past the price cap";
}

TEST(DefensePriority, RatedDefenseIsServedFirstWhenSupplyCoversIt) {
    Game game = squeeze(true);
    const CountryId south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    bool squeezed = false;
    for (int t = 0; t < 4; ++t) {
        const MarketOutcome& o = game.step().outcome;
        if (t == 0) continue;  // the rating is applied after turn 0's policies, before its market
        EXPECT_EQ(game.state().countries[south].defense_priority[magnet], 1);
        Shares s = unmet_shares(game, o, south);
        squeezed = squeezed || s.civilian > 0.05;
        EXPECT_NEAR(s.defense, 0.0, 1e-4) << "turn " << t << ": east's magnets cover south's defense";
        EXPECT_LT(s.defense, s.civilian + 1e-12);
    }
    EXPECT_TRUE(squeezed);
}

TEST(DefensePriority, CommandIsValidated) {
    Game game(squeeze_world(false));
    const CountryId south = id_of(game, "south");
    const GoodId oxide = good_of(game, "oxide");
    const CommandResult r = validate_command(game.defs(), game.state(), south, SetDefensePriority{oxide, true});
    EXPECT_FALSE(r.ok) << "no defense sector consumes oxide";
    EXPECT_FALSE(validate_command(game.defs(), game.state(), south, SetDefensePriority{GoodId{99}, true}).ok);
}

// North and east both embargo south: no magnet reaches it. Its stockpile covers defense.
TEST(DefensePriority, StockpileServesRatedDefenseWithMassBalance) {
    Scenario sc = squeeze_world(false);
    const CountryId south = sc.defs->country_id("south");
    const GoodId magnet = GoodId{sc.defs->good_index("magnet")};
    sc.initial.countries[south].stockpile[magnet] = 3000;
    sc.initial.countries[south].stock[magnet] = 0;
    sc.initial.countries[south].defense_priority[magnet] = 1;
    Game game(std::move(sc));
    const CountryId north = id_of(game, "north"), east = id_of(game, "east");
    for (CountryId c : {north, east})
        game.set_policy(c, at_turn(0, [=](PolicyContext& ctx) {
            EXPECT_TRUE(ctx.issue(SetExportRegime{magnet, south, Regime::Embargo}).ok);
        }));
    // South's own policy must not sell the stockpile to civilians: no orders.
    auto quiet = std::make_unique<ScriptedPolicy>();
    quiet->turn = [](PolicyContext&) {};
    game.set_policy(south, std::move(quiet));
    testing::expect_balances(game, 3);
    const auto& h = game.history();
    double drawn = 0.0;
    for (const auto& r : h) {
        Shares s = unmet_shares(game, r.outcome, south);
        EXPECT_NEAR(s.defense, 0.0, 1e-4) << r.date << ": the stockpile holds 6 turns of defense demand";
        EXPECT_GT(s.civilian, 0.9) << r.date << ": nothing reaches south's civilians";
        EXPECT_LT(r.outcome.stockpile_change(south, magnet), 0.0);
        drawn -= r.outcome.stockpile_change(south, magnet);
        EXPECT_NEAR(r.outcome.consumed(south, magnet), -r.outcome.stockpile_change(south, magnet), 1e-6);
    }
    EXPECT_NEAR(game.state().countries[south].stockpile[magnet],
                3000 - drawn, 1e-6);
}

TEST(DefensePriority, AutopilotRatesDefenseAfterAShortfallAndLiftsItWhenTheSqueezeEnds) {
    Game game = squeeze(false, true);
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    // North lifts the embargo on turn 4.
    game.set_policy(north, at_turn(0, [=](PolicyContext& ctx) {
        EXPECT_TRUE(ctx.issue(SetExportRegime{magnet, south, Regime::Embargo}).ok);
    }));
    auto north_policy = std::make_unique<ScriptedPolicy>();
    AutopilotPolicy autopilot;
    north_policy->turn = [=](PolicyContext& ctx) mutable {
        if (ctx.state().turn == 0) ctx.issue(SetExportRegime{magnet, south, Regime::Embargo});
        if (ctx.state().turn == 4) ctx.issue(SetExportRegime{magnet, south, Regime::Open});
        autopilot.on_turn(ctx);
    };
    game.set_policy(north, std::move(north_policy));
    auto rated = [&] {
        return game.state().countries[south].defense_priority[magnet] != 0;
    };
    bool was_short = false, rated_during = false;
    for (int t = 0; t < 4; ++t) {
        const MarketOutcome& o = game.step().outcome;
        was_short = was_short || unmet_shares(game, o, south).defense > 0.005;
        rated_during = rated_during || rated();
    }
    EXPECT_TRUE(was_short || rated_during);
    EXPECT_TRUE(rated_during) << "a defense shortfall should make the autopilot rate defense orders";
    bool lifted = false;
    for (int t = 4; t < 10 && !lifted; ++t) {
        game.step();
        lifted = !rated();
    }
    EXPECT_TRUE(lifted) << "once trade reopens and demand is met, the rating is lifted";
}

}  // namespace
}  // namespace chokepoint
