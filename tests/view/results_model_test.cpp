// The game-over screen's model (issue 13, trap 12): the scoreboard, the team seats' winner and
// the balance of leverage then and now.
#include <gtest/gtest.h>

#include "engine/scenario/loader.hpp"
#include "tests/view/snapshots.hpp"
#include "view/model/results_model.hpp"

namespace chokepoint::view {
namespace {

Snapshot played(int turns, bool leverage) {
    static std::vector<std::unique_ptr<Game>> keep;
    auto g = std::make_unique<Game>(load_scenario("tests/scenarios/trio.yaml"), GameOptions{leverage});
    g->set_turn_limit(turns);
    while (!g->finished()) g->step();
    Snapshot s = testing::snapshot_of(*g);
    s.finished = true;
    s.human.assign(3, 0);
    s.human[CountryId{1}] = s.human[CountryId{2}] = 1;  // south and east are team seats
    keep.push_back(std::move(g));
    return s;
}

TEST(ResultsModel, RanksEveryCountryAndNamesTheBestTeamSeat) {
    const Snapshot s = played(3, true);
    const Results r = results(s);
    ASSERT_TRUE(r.available);
    ASSERT_EQ(r.rows.size(), 3u);
    for (size_t i = 1; i < r.rows.size(); ++i) EXPECT_GE(r.rows[i - 1].total, r.rows[i].total);
    EXPECT_EQ(r.rows.front().rank, 1);
    EXPECT_EQ(r.rows.back().rank, 3);
    const TurnRecord& last = *s.history.back();
    for (const ResultRow& row : r.rows) {
        EXPECT_DOUBLE_EQ(row.total, last.scores[row.country].total);
        EXPECT_EQ(row.team, row.country != CountryId{0});
    }
    // The winner is the best team seat, not the best country overall.
    ASSERT_TRUE(r.teams);
    ASSERT_EQ(r.winners.size(), 1u);
    const double south = last.scores[CountryId{1}].total, east = last.scores[CountryId{2}].total;
    EXPECT_EQ(r.winners[0], south >= east ? "South" : "East");
    // Leverage then and now: the first measurement (turn 0) and the last.
    for (const ResultRow& row : r.rows) {
        EXPECT_TRUE(row.measured);
        EXPECT_DOUBLE_EQ(row.leverage_first, s.history.front()->leverage.index_combined[row.country]);
        EXPECT_DOUBLE_EQ(row.leverage_last, last.leverage.index_combined[row.country]);
    }
    EXPECT_EQ(r.first_date, s.history.front()->date);
}

TEST(ResultsModel, WithoutSeatsOrLeverageEveryCountryCompetesAndNothingIsMeasured) {
    Snapshot s = played(2, false);
    s.human.assign(3, 0);
    const Results r = results(s);
    ASSERT_TRUE(r.available);
    EXPECT_FALSE(r.teams);
    ASSERT_FALSE(r.winners.empty());
    EXPECT_EQ(r.winners[0], r.rows.front().name);
    for (const ResultRow& row : r.rows) EXPECT_FALSE(row.measured);
    EXPECT_FALSE(results(Snapshot{}).available);
}

}  // namespace
}  // namespace chokepoint::view
