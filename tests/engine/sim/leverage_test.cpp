// Leverage: cutoff damage by counterfactual and the market-access channel.
#include <gtest/gtest.h>

#include "engine/metrics/leverage.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using testing::id_of;
using testing::ScriptedPolicy;
using testing::trio;

TEST(Leverage, SupplierCutoffDamagesTheImporter) {
    Game game(trio());
    const TurnRecord& r = game.step();
    const int north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    EXPECT_GT(r.leverage.materials(north, south), 0.05);
    EXPECT_GT(r.leverage.net_materials(north, south), 0.05);
    EXPECT_GT(r.leverage.index_materials[north], r.leverage.index_materials[east]);
    // The by-good breakdown: north ships magnets (and oxide to east), so magnets carry the damage to south.
    const int magnet = game.defs().good_index("magnet");
    EXPECT_GT(r.leverage.materials_by_good[magnet](north, south), 0.0);
    for (double w : r.leverage.weight) EXPECT_GE(w, 0.0);
}

TEST(Leverage, NoDamageWhereGoodsReachNeitherDirectlyNorThroughOthers) {
    Game game(trio());
    const int north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    // North and south both embargo east: nothing of north's reaches east, neither directly nor
    // through south's stocks (south could otherwise pass on what it bought from north).
    for (int c : {north, south}) {
        auto p = std::make_unique<ScriptedPolicy>();
        p->turn = [east](PolicyContext& ctx) {
            if (ctx.state().turn == 0)
                for (int g = 0; g < ctx.defs().good_count(); ++g) ctx.issue(SetExportRegime{g, east, Regime::Embargo});
        };
        game.set_policy(c, std::move(p));
    }
    game.step();
    const TurnRecord& r = game.step();
    for (int c : {north, south}) {
        EXPECT_EQ(r.leverage.materials(c, east), 0.0);
        for (int g = 0; g < game.defs().good_count(); ++g) EXPECT_EQ(r.leverage.materials_by_good[g](c, east), 0.0);
    }
    // East is cut off from oxide, so it makes nothing and has nothing to cut off.
    EXPECT_EQ(r.leverage.materials(east, south), 0.0);
    EXPECT_EQ(r.leverage.index_materials[east], 0.0);
    // ...while north's leverage over south is still there: the test can tell the difference.
    EXPECT_GT(r.leverage.materials(north, south), 0.0);
}

TEST(Leverage, MarketAccessFollowsTradeExposure) {
    Game game(trio());
    const Grid<double> m = market_access_damage(game.defs());
    const int north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    // North sells 400 of its 500 to south: south's tariff hurts north far more than north's hurts south.
    EXPECT_GT(m(south, north), m(north, south));
    EXPECT_GT(m(south, north), 0.0);
    EXPECT_LE(m(south, north), 1.0);
    EXPECT_EQ(m(north, north), 0.0);
    (void)east;
}

}  // namespace
}  // namespace chokepoint
