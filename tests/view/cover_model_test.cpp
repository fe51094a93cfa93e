// When stock cover counts as low or short (view/model/cover_model.hpp): the rule on plain
// numbers, the usual cover it measures against, and the rule in real trio games, where an
// importer cut off is flagged and the maker's working inventory is not.
#include "view/model/cover_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "engine/metrics/indicators.hpp"
#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"
#include "view/model/country_model.hpp"
#include "view/model/map_model.hpp"

namespace chokepoint::view {
namespace {

using chokepoint::testing::good_of;
using chokepoint::testing::id_of;
using chokepoint::testing::ScriptedPolicy;

using testing::snapshot_of;

// ---- The rule ---------------------------------------------------------------------------------

CoverLevel judge(double months, double usual, double unmet, bool imported = true) {
    return judge_cover({months, usual, unmet, imported});
}

TEST(CoverRule, AWorkingInventoryAtItsUsualLevelIsNormal) {
    // China's month of NdPr concentrate in the baseline: what it always holds, nothing unmet.
    EXPECT_EQ(judge(1.0, 1.02, 0.0), CoverLevel::Normal);
    // One tranche of twelve priced out (the price just above 1.15 × reference) is no shortage.
    EXPECT_EQ(judge(1.0, 1.02, 1.0 / 12.0), CoverLevel::Normal);
    // Somewhat under the usual level is still normal.
    EXPECT_EQ(judge(0.75, 1.45, 0.0), CoverLevel::Normal);
}

TEST(CoverRule, UnderHalfTheUsualCoverIsLow) {
    // The United States' magnets in the baseline: 1.45 months when the game began, 0.22 after two years.
    EXPECT_EQ(judge(0.22, 1.45, 1.0 / 12.0), CoverLevel::Low);
    EXPECT_DOUBLE_EQ(low_cover_below(1.45, true), 0.725);
    EXPECT_EQ(judge(0.5, 1.45, 0.0, false), CoverLevel::Low) << "made at home or not";
}

TEST(CoverRule, AnImportUnderAWeekIsLowEvenWhenThatIsUsual) {
    EXPECT_DOUBLE_EQ(low_cover_below(0.0, true), kLowFloorMonths);
    EXPECT_EQ(judge(0.1, 0.1, 0.0), CoverLevel::Low);
    EXPECT_EQ(judge(0.0, 0.0, 0.0), CoverLevel::Low);
}

TEST(CoverRule, NoStockOfAGoodMadeAtHomeIsNormalWhenThatIsUsual) {
    // A miner that separates its own ore holds no ore: its inventory is in the ground.
    EXPECT_DOUBLE_EQ(low_cover_below(0.0, false), 0.0);
    EXPECT_EQ(judge(0.0, 0.0, 0.0, false), CoverLevel::Normal);
}

TEST(CoverRule, SixMonthsOrMoreIsNeverLow) {
    // A two-year stockpile drawn down to half a year is no alarm yet; under it, it is.
    EXPECT_DOUBLE_EQ(low_cover_below(24.0, true), kNeverLowMonths);
    EXPECT_EQ(judge(6.0, 24.0, 0.0), CoverLevel::Normal);
    EXPECT_EQ(judge(5.9, 24.0, 0.0), CoverLevel::Low);
}

TEST(CoverRule, MoreThanATenthOfDemandUnmetIsShortWhateverTheStock) {
    EXPECT_EQ(judge(3.0, 1.0, 0.17), CoverLevel::Short);
    EXPECT_EQ(judge(3.0, 1.0, 0.17, false), CoverLevel::Short);
    EXPECT_EQ(judge(0.0, 1.0, 0.5), CoverLevel::Short) << "short outranks low";
    EXPECT_EQ(judge(3.0, 1.0, kShortUnmetShare), CoverLevel::Normal);
    EXPECT_STREQ(to_string(CoverLevel::Short), "short");
}

// ---- Usual cover and unmet demand from a game -------------------------------------------------

TEST(UsualCover, IsTheCoverWhenTheGameBegan) {
    Game game(chokepoint::testing::trio(), GameOptions{false});
    const Definitions& d = game.defs();
    const State start = game.state();
    const auto before = usual_cover(snapshot_of(game));
    for (int t = 0; t < 3; ++t) game.step();
    const auto after = usual_cover(snapshot_of(game));
    ASSERT_EQ(before.size(), 3u);
    ASSERT_EQ(after.size(), 3u);
    for (CountryId c : d.country_ids())
        for (GoodId g : d.good_ids()) {
            SCOPED_TRACE(d.countries[c].id + " " + d.goods[g].id);
            const double began = months_of_cover(d, start, c, g);
            EXPECT_DOUBLE_EQ(before[c][g], began) << "before the first turn";
            EXPECT_DOUBLE_EQ(after[c][g], began) << "three turns later: still the cover the game began with";
        }
}

// North embargoes magnets toward south from the first turn; everyone else plays the autopilot.
struct TrioEmbargo : ::testing::Test {
    Game game{chokepoint::testing::trio(), GameOptions{false}};
    CountryId north = id_of(game, "north"), south = id_of(game, "south");
    GoodId magnet = good_of(game, "magnet");
    Snapshot snap;

    void SetUp() override {
        auto policy = std::make_unique<ScriptedPolicy>();
        policy->turn = [this, autopilot = std::make_shared<AutopilotPolicy>()](PolicyContext& ctx) {
            if (ctx.state().turn == 0) ctx.issue(SetExportRegime{magnet, south, Regime::Embargo});
            autopilot->on_turn(ctx);
        };
        game.set_policy(north, std::move(policy));
        for (int t = 0; t < 4; ++t) game.step();
        snap = snapshot_of(game);
    }
};

TEST_F(TrioEmbargo, UnmetShareIsLastTurnsSectorDemandLeftUnmet) {
    const MarketOutcome& o = game.history().back().outcome;
    double demand = 0.0, met = 0.0;
    for (SectorId k : game.defs().sector_ids())
        if (game.defs().sectors[k].good == magnet) demand += o.demand(south, k), met += o.met(south, k);
    const auto unmet = unmet_share(snap);
    EXPECT_NEAR(unmet[south][magnet], 1.0 - met / demand, 1e-12);
    EXPECT_GT(unmet[south][magnet], kShortUnmetShare) << "cut off from its maker";
    EXPECT_EQ(unmet[north][good_of(game, "ore")], 0.0) << "no sector demands ore";
}

TEST_F(TrioEmbargo, TheImporterCutOffIsFlaggedAndTheMakersWorkingInventoryIsNot) {
    // Before the first turn north holds no ore or oxide (it makes both) and a few days of
    // magnets: all its usual working inventory, none of it low.
    {
        Game fresh(chokepoint::testing::trio(), GameOptions{false});
        for (const StockLine& l : country_card(snapshot_of(fresh), north, true).stocks)
            EXPECT_EQ(l.level, CoverLevel::Normal) << l.name << ": " << l.months_of_cover << " months";
    }
    const CountryCard cut_off = country_card(snap, south, true);
    const CountryCard maker = country_card(snap, north, true);
    auto line = std::find_if(cut_off.stocks.begin(), cut_off.stocks.end(),
                             [&](const StockLine& l) { return l.good == magnet; });
    ASSERT_NE(line, cut_off.stocks.end());
    EXPECT_EQ(line->level, CoverLevel::Short) << line->months_of_cover << " months, unmet " << line->unmet_share;
    for (const StockLine& l : maker.stocks)
        EXPECT_EQ(l.level, CoverLevel::Normal) << l.name << ": " << l.months_of_cover << " months, usual "
                                               << l.usual_months << ", unmet " << l.unmet_share;

    const MapModel m = build_map_model(snap, {});
    EXPECT_EQ(m.countries[south].critical_good, magnet);
    EXPECT_EQ(m.countries[south].cover_level, CoverLevel::Short);
    EXPECT_TRUE(m.countries[south].cover_alarm) << "its ring is red";
    EXPECT_FALSE(m.countries[north].cover_alarm);
    EXPECT_NE(tooltip(m, south, std::nullopt).find("SHORT"), std::string::npos) << tooltip(m, south, std::nullopt);
}

}  // namespace
}  // namespace chokepoint::view
