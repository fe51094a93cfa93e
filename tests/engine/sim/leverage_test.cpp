// Leverage: cutoff damage by counterfactual and the market-access channel.
#include <gtest/gtest.h>

#include <string>

#include "engine/leverage/leverage.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using testing::good_of;
using testing::id_of;
using testing::ScriptedPolicy;
using testing::trio;

TEST(Leverage, SupplierCutoffDamagesTheImporter) {
    Game game(trio());
    const TurnRecord& r = game.step();
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    EXPECT_GT(r.leverage.materials(north, south), 0.05);
    EXPECT_GT(r.leverage.net_materials(north, south), 0.05);
    EXPECT_GT(r.leverage.index_materials[north], r.leverage.index_materials[east]);
    // The by-good breakdown: north ships magnets (and oxide to east), so magnets carry the damage to south.
    const GoodId magnet = GoodId{game.defs().good_index("magnet")};
    EXPECT_GT(r.leverage.materials_by_good[magnet](north, south), 0.0);
    for (double w : r.leverage.weight) EXPECT_GE(w, 0.0);
}

TEST(Leverage, NoFurtherDamageWhereGoodsReachNeitherDirectlyNorThroughOthers) {
    Game game(trio());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    // North and south both embargo east: nothing of north's reaches east, neither directly nor
    // through south's stocks (south could otherwise pass on what it bought from north).
    for (CountryId c : {north, south}) {
        auto p = std::make_unique<ScriptedPolicy>();
        p->turn = [east](PolicyContext& ctx) {
            if (ctx.state().turn == 0)
                for (GoodId g : ctx.defs().good_ids()) ctx.issue(SetExportRegime{g, east, Regime::Embargo});
        };
        game.set_policy(c, std::move(p));
    }
    game.step();
    const TurnRecord& r = game.step();
    // A further cut adds nothing: no reserve, of any good.
    for (CountryId c : {north, south}) {
        EXPECT_EQ(r.leverage.materials_reserve(c, east), 0.0);
        for (GoodId g : game.defs().good_ids())
            EXPECT_EQ(r.leverage.materials_reserve_by_good[g](c, east), 0.0);
    }
    // ...but north's embargo is leverage in use: east's magnet plants starve of north's oxide.
    EXPECT_GT(r.leverage.materials_exercised(north, east), 0.0);
    EXPECT_GT(r.leverage.materials(north, east), 0.0);
    // East is cut off from oxide, so it makes nothing and has nothing to cut off.
    EXPECT_EQ(r.leverage.materials(east, south), 0.0);
    EXPECT_EQ(r.leverage.index_materials[east], 0.0);
    // ...while north's leverage over south is still there: the test can tell the difference.
    EXPECT_GT(r.leverage.materials(north, south), 0.0);
}

// The state after one trio turn, and a copy with every route north → south restricted by `rule`.
struct Restricted {
    Game game{trio()};
    CountryId north, south, east;
    State before, after;
    explicit Restricted(ExportRule rule) {
        game.step();
        north = id_of(game, "north");
        south = id_of(game, "south");
        east = id_of(game, "east");
        before = game.state();
        after = before;
        for (GoodId g : game.defs().good_ids()) {
            after.rule(north, g, south) = rule;
            // Licensed and refused: north's recorded practice toward south is to approve nothing, so
            // the counterfactuals continue the refusal (docs/model.md §Licensing, practice).
            if (rule.regime == Regime::Licensed) {
                std::erase_if(after.license_practice, [&](const LicensePractice& p) {
                    return p.exporter == north && p.importer == south && p.good == g;
                });
                after.license_practice.push_back({north, south, g, 0.0, 0.0});
            }
        }
    }
};

ExportRule with_regime(Regime r, double duty = 0.0) {
    ExportRule rule;
    rule.regime = r;
    rule.duty = duty;
    return rule;
}

TEST(Leverage, ARestrictionNeverLowersThePotentialByItself) {
    for (const ExportRule& rule : {with_regime(Regime::Embargo), with_regime(Regime::Licensed),
                                   with_regime(Regime::Open, 0.5)}) {
        SCOPED_TRACE(std::string(to_string(rule.regime)) + " duty " + std::to_string(rule.duty));
        Restricted w(rule);
        ASSERT_TRUE(w.after.licenses.empty()) << "licensed with no licences";
        const Definitions& d = w.game.defs();
        const LeverageReport r0 = measure_leverage(d, w.before), r1 = measure_leverage(d, w.after);
        EXPECT_TRUE(restricts(d, w.after, w.north, w.south, good_of(w.game, "magnet")));
        EXPECT_NEAR(r1.materials(w.north, w.south), r0.materials(w.north, w.south), 1e-9);
        for (GoodId g : d.good_ids())
            EXPECT_NEAR(r1.materials_by_good[g](w.north, w.south), r0.materials_by_good[g](w.north, w.south), 1e-9);
        EXPECT_EQ(r0.materials_exercised(w.north, w.south), 0.0);
        if (rule.regime == Regime::Open) {
            // A duty of half the reference price does not price south's magnet users out (they
            // value a tonne far above it): nothing exercised, all reserve.
            EXPECT_EQ(r1.materials_exercised(w.north, w.south), 0.0);
            continue;
        }
        // South depended on north's magnets: the restriction in force is leverage exercised.
        EXPECT_GT(r1.materials_exercised(w.north, w.south), 0.1);
        EXPECT_GT(r1.index_exercised[w.north], 0.0);
        EXPECT_LT(r1.materials_reserve(w.north, w.south), r0.materials_reserve(w.north, w.south));
    }
}

TEST(Leverage, ExercisedAndReserveAddUpToThePotential) {
    for (const ExportRule& rule : {with_regime(Regime::Open), with_regime(Regime::Embargo),
                                   with_regime(Regime::Licensed), with_regime(Regime::Open, 0.5)}) {
        SCOPED_TRACE(std::string(to_string(rule.regime)) + " duty " + std::to_string(rule.duty));
        Restricted w(rule);
        const Definitions& d = w.game.defs();
        const LeverageReport r = measure_leverage(d, w.after);
        for (CountryId a : d.country_ids())
            for (CountryId b : d.country_ids()) {
                const double sum = r.materials_exercised(a, b) + r.materials_reserve(a, b);
                // Clamping can only raise the sum above the potential (docs/model.md §Leverage).
                EXPECT_GE(sum, r.materials(a, b) - 1e-12) << a.value() << "→" << b.value();
                EXPECT_NEAR(sum, r.materials(a, b), 1e-9) << a.value() << "→" << b.value();
                for (GoodId g : d.good_ids())
                    EXPECT_NEAR(r.materials_exercised_by_good[g](a, b) + r.materials_reserve_by_good[g](a, b),
                                r.materials_by_good[g](a, b), 1e-9)
                        << a.value() << "→" << b.value() << " good " << g.value();
            }
    }
}

TEST(Leverage, WithoutRestrictionsNothingIsExercisedAndThePotentialIsTheCutoffDamage) {
    Restricted w(with_regime(Regime::Open));
    const Definitions& d = w.game.defs();
    const LeverageReport r = measure_leverage(d, w.before);
    // No restriction anywhere: no open runs, the count of runs is the cut-only measurement's.
    int pairs = 0;
    for (CountryId a : d.country_ids())
        for (CountryId b : d.country_ids()) {
            for (GoodId g : d.good_ids()) EXPECT_FALSE(restricts(d, w.before, a, b, g));
            EXPECT_EQ(r.materials_exercised(a, b), 0.0);
            // Open = today, so the potential is the old D = (U_cut − U_today) / W, the reserve.
            EXPECT_EQ(r.materials(a, b), r.materials_reserve(a, b));
            for (GoodId g : d.good_ids()) {
                EXPECT_EQ(r.materials_exercised_by_good[g](a, b), 0.0);
                EXPECT_EQ(r.materials_by_good[g](a, b), r.materials_reserve_by_good[g](a, b));
            }
            pairs += r.materials(a, b) > 0;
        }
    EXPECT_GT(pairs, 0);
    EXPECT_EQ(r.index_exercised[w.north], 0.0);
    EXPECT_EQ(r.index_reserve[w.north], r.index_materials[w.north]);
    EXPECT_EQ(r.counterfactual_turns, counterfactuals_needed(d, w.before) * d.leverage.horizon_turns);
}

TEST(Leverage, AnEmbargoByTheDominantSupplierDoesNotHandLeverageToTheEmbargoed) {
    Restricted w(with_regime(Regime::Embargo));
    const Definitions& d = w.game.defs();
    const LeverageReport r0 = measure_leverage(d, w.before), r1 = measure_leverage(d, w.after);
    ASSERT_LT(r0.net(w.south, w.north), 0.0) << "north is south's dominant supplier";
    EXPECT_LT(r1.net(w.south, w.north), 0.0);
    EXPECT_GT(r1.net_materials(w.north, w.south), 0.0);
}

TEST(Leverage, MarketAccessFollowsTradeExposure) {
    Game game(trio());
    const CountryMatrix<> m = market_access_damage(game.defs());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    // North sells 400 of its 500 to south: south's tariff hurts north far more than north's hurts south.
    EXPECT_GT(m(south, north), m(north, south));
    EXPECT_GT(m(south, north), 0.0);
    EXPECT_LE(m(south, north), 1.0);
    EXPECT_EQ(m(north, north), 0.0);
    (void)east;
}

}  // namespace
}  // namespace chokepoint
