// The markets panel's data, from real games on the trio world: prices by
// country, the gap a restricting exporter opens between inside and outside, and
// world supply and demand.
#include "view/model/market_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"

namespace chokepoint::view {
namespace {

using testing::good_of;
using testing::id_of;

using testing::snapshot_of;

// North embargoes magnets to south from turn `from` on; the autopilot otherwise.
Game embargo_game(int from) {
    Game g(testing::trio(), GameOptions{false});
    const CountryId south = id_of(g, "south");
    const GoodId magnet = good_of(g, "magnet");
    auto north = std::make_unique<testing::ScriptedPolicy>();
    north->turn = [=, autopilot = std::make_shared<AutopilotPolicy>()](PolicyContext& ctx) {
        if (ctx.state().turn == from) {
            EXPECT_TRUE(ctx.issue(SetExportRegime{magnet, south, Regime::Embargo}).ok);
        }
        autopilot->on_turn(ctx);
    };
    g.set_policy(id_of(g, "north"), std::move(north));
    return g;
}

TEST(MarketPrices, OneLinePerCountryInUsdPerKg) {
    Game g(testing::trio(), GameOptions{false});
    for (int t = 0; t < 3; ++t) g.step();
    const Snapshot snap = snapshot_of(g);
    const GoodId magnet = good_of(g, "magnet");
    const PriceSeries p = prices(snap, magnet);
    EXPECT_EQ(p.good_name, "Magnet");
    EXPECT_DOUBLE_EQ(p.reference, 60.0);
    ASSERT_EQ(p.dates.size(), 3u);
    ASSERT_EQ(p.by_country.size(), 3u);
    for (CountryId c : g.defs().country_ids())
        for (int t = 0; t < 3; ++t)
            EXPECT_DOUBLE_EQ(p.by_country[c][t], g.history()[t].outcome.price(c, magnet) / 1000.0);
}

TEST(MarketPrices, OpenTradeShowsTheLargestExporterAndOnlyTransportBetweenInsideAndOutside) {
    Game g(testing::trio(), GameOptions{false});
    for (int t = 0; t < 3; ++t) g.step();
    const Snapshot snap = snapshot_of(g);
    const GoodId magnet = good_of(g, "magnet");
    const PriceSeries p = prices(snap, magnet);
    EXPECT_EQ(p.exporter, id_of(g, "north"));
    EXPECT_FALSE(p.restricting);
    EXPECT_TRUE(p.restriction.empty());
    ASSERT_EQ(p.gap.size(), 3u);
    const double transport = g.defs().goods[magnet].transport_cost / 1000.0;  // USD/kg
    for (size_t t = 0; t < 3; ++t) {
        EXPECT_DOUBLE_EQ(p.gap[t], p.outside[t] - p.inside[t]);
        // Transport, and buyers' limits on how fast they switch suppliers (east pays a little more).
        EXPECT_LE(std::abs(p.gap[t]), 2 * transport) << "turn " << t;
    }
}

TEST(MarketPrices, RestrictingExporterShowsTheGapBetweenInsideAndOutside) {
    Game g = embargo_game(1);
    for (int t = 0; t < 4; ++t) g.step();
    const Snapshot snap = snapshot_of(g);
    const CountryId north = id_of(g, "north");
    const GoodId magnet = good_of(g, "magnet");
    const PriceSeries p = prices(snap, magnet);
    EXPECT_EQ(p.exporter, north);
    EXPECT_TRUE(p.restricting);
    EXPECT_EQ(p.restriction, "embargo: South");
    ASSERT_EQ(p.inside.size(), 4u);
    for (size_t t = 0; t < 4; ++t) EXPECT_DOUBLE_EQ(p.inside[t], p.by_country[north][t]);
    const double transport = g.defs().goods[magnet].transport_cost / 1000.0;
    EXPECT_LE(std::abs(p.gap[0]), 2 * transport) << "before the embargo";
    EXPECT_GT(p.gap.back(), 5 * p.inside.back()) << "inside " << p.inside.back() << " outside " << p.outside.back();
}

TEST(MarketPrices, TheGapOfAnyExporterCanBeAskedFor) {
    Game g = embargo_game(1);
    for (int t = 0; t < 2; ++t) g.step();
    const Snapshot snap = snapshot_of(g);
    const PriceSeries p = prices(snap, good_of(g, "magnet"), id_of(g, "east"));
    EXPECT_EQ(p.exporter, id_of(g, "east"));
    EXPECT_FALSE(p.restricting);
    ASSERT_EQ(p.inside.size(), 2u);
    EXPECT_DOUBLE_EQ(p.inside[1], p.by_country[id_of(g, "east")][1]);
}

TEST(MarketPrices, ExportRestrictionSaysHowAndToWhom) {
    Game g(testing::trio(), GameOptions{false});
    State s = g.state();
    const Definitions& d = g.defs();
    const CountryId north = id_of(g, "north"), south = id_of(g, "south"), east = id_of(g, "east");
    const GoodId oxide = good_of(g, "oxide");
    EXPECT_EQ(export_restriction(d, s, north, oxide), "");
    s.rule(north, oxide, south).regime = Regime::Licensed;
    s.rule(north, oxide, east).regime = Regime::Embargo;
    s.rule(north, oxide, south).duty = 0.25;
    s.countries[north].export_quota[oxide] = 1500;  // t/turn
    EXPECT_EQ(export_restriction(d, s, north, oxide),
              "embargo: East; licensed: South; duty: South 25%; export quota 6000 t/yr");
    s.rule(north, oxide, east).regime = Regime::Licensed;
    s.rule(north, oxide, south).duty = 0;
    s.countries[north].export_quota[oxide] = kUnlimited;
    EXPECT_EQ(export_restriction(d, s, north, oxide), "licensed: all destinations");
}

TEST(SupplyDemand, WorldProductionEqualsUseAndStockBuild) {
    Game g = embargo_game(1);
    for (int t = 0; t < 4; ++t) g.step();
    const Snapshot snap = snapshot_of(g);
    for (GoodId good : g.defs().good_ids()) {
        const SupplyDemand sd = supply_demand(snap, good);
        ASSERT_EQ(sd.produced.size(), 4u);
        for (size_t t = 0; t < 4; ++t) {
            const double used = sd.sector_use[t] + sd.input_use[t] + sd.stock_build[t];
            EXPECT_NEAR(sd.produced[t], used, 1e-6 * std::max(1.0, sd.produced[t])) << sd.good_name << " turn " << t;
            EXPECT_LE(sd.met[t], sd.demand[t] + 1e-6);
            EXPECT_LE(sd.produced[t], sd.capacity[t] + 1e-6);
        }
    }
    const SupplyDemand magnets = supply_demand(snap, good_of(g, "magnet"));
    EXPECT_GT(magnets.demand.back(), 0.0);
    EXPECT_EQ(magnets.input_use.back(), 0.0) << "nothing is made from magnets";
    EXPECT_GT(supply_demand(snap, good_of(g, "oxide")).input_use.back(), 0.0) << "magnet plants use oxide";
}

TEST(SupplyDemand, CountryRowsAreTheLastTurnAtAnnualRates) {
    Game g(testing::trio(), GameOptions{false});
    for (int t = 0; t < 2; ++t) g.step();
    const Snapshot snap = snapshot_of(g);
    const GoodId magnet = good_of(g, "magnet");
    const SupplyDemand sd = supply_demand(snap, magnet);
    ASSERT_EQ(sd.countries.size(), 3u);
    const MarketOutcome& o = g.history().back().outcome;
    double imports = 0, exports = 0;
    for (const MarketRow& r : sd.countries) {
        EXPECT_DOUBLE_EQ(r.produced, o.produced(r.country, magnet) * 4);
        EXPECT_DOUBLE_EQ(r.capacity, g.state().countries[r.country].capacity[magnet]);
        EXPECT_DOUBLE_EQ(r.price, o.price(r.country, magnet) / 1000.0);
        imports += r.imported;
        exports += r.exported;
    }
    EXPECT_NEAR(imports, exports, 1e-6 * exports) << "what one country exports another imports";
    EXPECT_EQ(sd.countries[id_of(g, "south").index()].produced, 0.0);
    EXPECT_GT(sd.countries[id_of(g, "south").index()].imported, 0.0);
}

TEST(SupplyDemand, NothingBeforeTheFirstTurn) {
    Game g(testing::trio(), GameOptions{false});
    const Snapshot snap = snapshot_of(g);
    const GoodId magnet = good_of(g, "magnet");
    EXPECT_TRUE(supply_demand(snap, magnet).countries.empty());
    EXPECT_TRUE(supply_demand(snap, magnet).produced.empty());
    const PriceSeries p = prices(snap, magnet);
    EXPECT_TRUE(p.dates.empty());
    EXPECT_TRUE(p.gap.empty());
    EXPECT_FALSE(main_exporter(snap, magnet)) << "nobody has exported, nobody restricts";
    EXPECT_TRUE(prices(snap, GoodId{99}).by_country.empty()) << "an unknown good";
}

TEST(FormatTonnes, ShortWithAPrefix) {
    EXPECT_EQ(format_tonnes(4.3), "4.3 t");
    EXPECT_EQ(format_tonnes(850, "t/yr"), "850 t/yr");
    EXPECT_EQ(format_tonnes(2500), "2.50 kt");
    EXPECT_EQ(format_tonnes(98400, "t/yr"), "98.4 kt/yr");
    EXPECT_EQ(format_tonnes(1250000), "1.25 Mt");
    EXPECT_EQ(format_tonnes(-2500), "-2.50 kt");
}

}  // namespace
}  // namespace chokepoint::view
