// The country inspector's data, from real games on the trio world: capacity by
// stage, projects with their dates, stocks and cover, demand met, scores — and
// nothing private when the viewer may not see it.
#include "view/model/country_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/metrics/indicators.hpp"
#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"

namespace chokepoint::view {
namespace {

using testing::good_of;
using testing::id_of;

using testing::snapshot_of;

// East starts 10 kt/yr of magnet capacity at home on turn 0; north embargoes magnets to south
// from turn 1. Autopilot otherwise.
Game scripted_game() {
    Game g(testing::trio(), GameOptions{false});
    const CountryId south = id_of(g, "south");
    const GoodId magnet = good_of(g, "magnet");
    auto east = std::make_unique<testing::ScriptedPolicy>();
    east->turn = [=, autopilot = std::make_shared<AutopilotPolicy>()](PolicyContext& ctx) {
        if (ctx.state().turn == 0) {
            EXPECT_TRUE(ctx.issue(StartProject{std::nullopt, magnet, 10000, 0}).ok);
        }
        autopilot->on_turn(ctx);
    };
    auto north = std::make_unique<testing::ScriptedPolicy>();
    north->turn = [=, autopilot = std::make_shared<AutopilotPolicy>()](PolicyContext& ctx) {
        if (ctx.state().turn == 1) {
            EXPECT_TRUE(ctx.issue(SetExportRegime{magnet, south, Regime::Embargo}).ok);
        }
        autopilot->on_turn(ctx);
    };
    g.set_policy(id_of(g, "east"), std::move(east));
    g.set_policy(id_of(g, "north"), std::move(north));
    return g;
}

Snapshot played(Game& g, int turns) {
    for (int t = 0; t < turns; ++t) g.step();
    return snapshot_of(g);
}

TEST(CountryCard, CapacityByStageFromTheState) {
    Game g(testing::trio(), GameOptions{false});
    const Snapshot snap = played(g, 2);
    const CountryCard card = country_card(snap, id_of(g, "north"), true);
    EXPECT_EQ(card.name, "North");
    EXPECT_EQ(card.id, "north");
    EXPECT_EQ(card.policy, "autopilot");
    ASSERT_EQ(card.capacity.size(), 3u);
    const double expected[] = {100000, 100000, 200000};
    for (size_t s = 0; s < 3; ++s) {
        EXPECT_EQ(card.capacity[s].stage, static_cast<int>(s));
        ASSERT_EQ(card.capacity[s].goods.size(), 1u);
        const CapacityLine& line = card.capacity[s].goods[0];
        EXPECT_DOUBLE_EQ(line.capacity, expected[s]);
        EXPECT_DOUBLE_EQ(card.capacity[s].capacity, expected[s]);
        EXPECT_DOUBLE_EQ(line.produced, g.history().back().outcome.produced(CountryId{0}, line.good) * 4);
        EXPECT_GT(line.utilisation, 0.0);
        EXPECT_LE(line.utilisation, 1.0 + 1e-9);
    }
    EXPECT_EQ(card.capacity[2].name, "magnet");
    const CountryCard south = country_card(snap, id_of(g, "south"), true);
    for (const StageCapacity& s : south.capacity) EXPECT_EQ(s.capacity, 0.0) << "south only buys";
}

TEST(CountryCard, HidesPrivateDataWhenNotVisible) {
    Game g = scripted_game();
    const Snapshot snap = played(g, 2);
    const CountryId east = id_of(g, "east");
    const CountryCard open = country_card(snap, east, true);
    ASSERT_FALSE(open.projects.empty());
    ASSERT_FALSE(open.stocks.empty());
    ASSERT_FALSE(open.demand_met.empty());
    ASSERT_TRUE(open.treasury_musd.has_value());

    const CountryCard hidden = country_card(snap, east, false);
    EXPECT_FALSE(hidden.private_visible);
    EXPECT_TRUE(hidden.projects.empty());
    EXPECT_TRUE(hidden.stocks.empty());
    EXPECT_TRUE(hidden.demand_met.empty());
    EXPECT_FALSE(hidden.treasury_musd.has_value());
    EXPECT_FALSE(hidden.economy_cash_musd.has_value());
    EXPECT_FALSE(hidden.civilian_met_share.has_value());
    EXPECT_FALSE(hidden.defense_met_share.has_value());
    // The public parts stay.
    EXPECT_EQ(hidden.capacity.size(), open.capacity.size());
    ASSERT_TRUE(hidden.score.has_value());
    EXPECT_EQ(hidden.score->total, open.score->total);
    EXPECT_EQ(hidden.score_history, open.score_history);
}

TEST(CountryCard, ProjectsInThePipelineWithCompletionDates) {
    Game g = scripted_game();
    const Snapshot snap = played(g, 2);
    const Definitions& d = g.defs();
    const CountryId east = id_of(g, "east");
    const GoodId magnet = good_of(g, "magnet");
    const CountryCard card = country_card(snap, east, true);
    ASSERT_EQ(card.projects.size(), 1u);
    const PipelineProject& p = card.projects[0];
    EXPECT_EQ(p.good, magnet);
    EXPECT_EQ(p.host, east);
    EXPECT_EQ(p.owner, east);
    EXPECT_DOUBLE_EQ(p.tonnes_per_year, 10000);
    EXPECT_FALSE(p.online);
    EXPECT_EQ(p.online_turn, 0 + d.process[static_cast<int>(Process::MagnetMaking)].lead_turns);
    EXPECT_EQ(p.online_date, "2031-01") << "four quarters after 2030-01";
    EXPECT_EQ(p.online_date, d.date_of_turn(p.online_turn));
    EXPECT_EQ(p.full_date,
              d.date_of_turn(p.online_turn + d.process[static_cast<int>(Process::MagnetMaking)].ramp_turns));
    EXPECT_EQ(p.start_date, "2030-01");
    EXPECT_EQ(p.turns_to_online, p.online_turn - snap.state.turn);
    EXPECT_GT(p.paid_share, 0.0);
    EXPECT_LT(p.paid_share, 1.0);
    // North's card lists only its own (here: its firms', after the embargo raised prices).
    for (const PipelineProject& q : country_card(snap, id_of(g, "north"), true).projects) {
        EXPECT_NE(q.id, p.id) << "east's project is neither owned nor hosted by north";
        EXPECT_TRUE(q.host == id_of(g, "north") || q.owner == id_of(g, "north"));
    }
}

TEST(CountryCard, AProjectLeavesThePipelineAtNameplate) {
    Game g = scripted_game();
    const CountryId east = id_of(g, "east");
    const Snapshot ramping = played(g, 5);
    const CountryCard mid = country_card(ramping, east, true);
    ASSERT_EQ(mid.projects.size(), 1u);
    EXPECT_TRUE(mid.projects[0].online);
    EXPECT_GT(mid.projects[0].ramp_level, 0.0);
    EXPECT_LT(mid.projects[0].ramp_level, 1.0);
    EXPECT_EQ(mid.projects[0].turns_to_online, 0);
    const Snapshot done = played(g, 6);
    EXPECT_TRUE(country_card(done, east, true).projects.empty());
}

TEST(CountryCard, StocksAndMonthsOfCover) {
    Game g(testing::trio(), GameOptions{false});
    const Snapshot snap = played(g, 1);
    const CountryId north = id_of(g, "north");
    const GoodId magnet = good_of(g, "magnet");
    const CountryCard card = country_card(snap, north, true);
    auto it =
        std::find_if(card.stocks.begin(), card.stocks.end(), [&](const StockLine& l) { return l.good == magnet; });
    ASSERT_NE(it, card.stocks.end());
    const CountryState& cs = snap.state.countries[north];
    EXPECT_DOUBLE_EQ(it->stock, cs.stock[magnet]);
    EXPECT_DOUBLE_EQ(it->stockpile, cs.stockpile[magnet]);
    EXPECT_DOUBLE_EQ(it->use, annual_use(g.defs(), snap.state, north, magnet));
    EXPECT_DOUBLE_EQ(it->months_of_cover, months_of_cover(g.defs(), snap.state, north, magnet));
    EXPECT_GT(it->months_of_cover, 0.0);
}

TEST(CountryCard, DemandMetBySectorFallsForSouthUnderEmbargo) {
    Game g = scripted_game();
    const Snapshot snap = played(g, 4);
    const CountryId south = id_of(g, "south");
    const CountryCard card = country_card(snap, south, true);
    ASSERT_EQ(card.demand_met.size(), 2u);
    const MarketOutcome& o = g.history().back().outcome;
    double worst = 1.0;
    for (const SectorMet& m : card.demand_met) {
        EXPECT_DOUBLE_EQ(m.demand, o.demand(south, m.sector) * 4);
        EXPECT_DOUBLE_EQ(m.met, o.met(south, m.sector) * 4);
        EXPECT_NEAR(m.share, m.met / m.demand, 1e-12);
        worst = std::min(worst, m.share);
    }
    EXPECT_TRUE(card.demand_met[1].defense);
    EXPECT_EQ(card.demand_met[1].name, "Defense");
    EXPECT_LT(worst, 1.0) << "north's embargo leaves some of south's demand unmet";
    ASSERT_TRUE(card.civilian_met_share && card.defense_met_share);
}

// Defense shortfall apart: t/yr of defense demand unmet at last turn's rate, and the goods whose
// defense orders the country has rated (SetDefensePriority).
TEST(CountryCard, DefenseShortfallAndRatedGoods) {
    Game g = scripted_game();
    const CountryId south = id_of(g, "south");
    const GoodId magnet = good_of(g, "magnet");
    auto south_policy = std::make_unique<testing::ScriptedPolicy>();
    south_policy->turn = [=](PolicyContext& ctx) {
        if (ctx.state().turn == 0) {
            EXPECT_TRUE(ctx.issue(SetDefensePriority{magnet, true}).ok);
        }
    };
    g.set_policy(south, std::move(south_policy));
    const Snapshot snap = played(g, 3);
    const CountryCard card = country_card(snap, south, true);
    const MarketOutcome& o = g.history().back().outcome;
    double short_t = 0.0;
    for (SectorId k : g.defs().sector_ids())
        if (g.defs().sectors[k].defense) short_t += (o.demand(south, k) - o.met(south, k)) * 4;
    EXPECT_NEAR(card.defense_shortfall, std::max(0.0, short_t), 1e-6);
    ASSERT_EQ(card.defense_rated.size(), 1u);
    EXPECT_EQ(card.defense_rated[0], "Magnet");
    EXPECT_TRUE(country_card(snap, id_of(g, "north"), true).defense_rated.empty());
}

TEST(CountryCard, ScoresAreTheLatestWithARank) {
    Game g(testing::trio(), GameOptions{false});
    const Snapshot snap = played(g, 3);
    const auto& scores = g.history().back().scores;
    CountryId best{0};
    for (CountryId c : g.defs().country_ids())
        if (scores[c].total > scores[best].total) best = c;
    for (CountryId c : g.defs().country_ids()) {
        const CountryCard card = country_card(snap, c, c == CountryId{0});
        ASSERT_TRUE(card.score.has_value());
        EXPECT_EQ(card.score->total, scores[c].total);
        ASSERT_EQ(card.score_history.size(), 3u);
        EXPECT_EQ(card.score_history[1], g.history()[1].scores[c].total);
        EXPECT_EQ(card.score_rank == 1, c == best);
        EXPECT_FALSE(card.leverage_index.has_value()) << "leverage off";
    }
}

TEST(CountryCard, BeforeTheFirstTurnShowsTheStart) {
    Game g(testing::trio(), GameOptions{false});
    const Snapshot snap = snapshot_of(g);
    const CountryCard card = country_card(snap, id_of(g, "north"), true);
    EXPECT_FALSE(card.played);
    EXPECT_EQ(card.date, "2030-01");
    EXPECT_FALSE(card.score.has_value());
    EXPECT_EQ(card.score_rank, 0);
    EXPECT_TRUE(card.demand_met.empty());
    EXPECT_EQ(card.capacity.size(), 3u);
    EXPECT_FALSE(card.stocks.empty()) << "north starts with magnets in stock";
    EXPECT_EQ(country_card(snap, CountryId{7}, true).name, "") << "an unknown country gives an empty card";
}

}  // namespace
}  // namespace chokepoint::view
