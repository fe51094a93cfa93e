// The window's title: what a taskbar, a second screen or a script (the e2e tests follow the game
// by it with xdotool) sees of the game: the scenario, the turn, the seat to play, the end.
#include <gtest/gtest.h>

#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"
#include "view/window.hpp"

namespace chokepoint::view {
namespace {

using testing::snapshot_of;

Snapshot trio_after(int turns) {
    Game g(testing::trio(), GameOptions{false});
    for (int i = 0; i < turns; ++i) g.step();
    Snapshot s = snapshot_of(g);
    s.turn_limit = g.defs().turns;
    s.finished = g.finished();
    return s;
}

TEST(WindowTitle, NamesTheScenarioAndTheTurnToPlayCountingFromOne) {
    const Snapshot s = trio_after(0);
    EXPECT_EQ(window_title(s), "Chokepoint - " + s.defs->scenario_name + " - turn 1/" + std::to_string(s.turn_limit));
    const Snapshot later = trio_after(2);
    EXPECT_EQ(window_title(later), "Chokepoint - " + s.defs->scenario_name + " - turn 3/" + std::to_string(s.turn_limit));
}

TEST(WindowTitle, SaysWhichHumanSeatTheGameWaitsFor) {
    Snapshot s = trio_after(1);
    SeatRequest r;
    r.seat = s.defs->country_id("south");
    r.turn = 1;
    s.waiting = r;
    EXPECT_EQ(window_title(s), "Chokepoint - " + s.defs->scenario_name + " - turn 2/" + std::to_string(s.turn_limit) +
                                   " - waiting for South");
}

TEST(WindowTitle, TheLastTurnThenGameOver) {
    const Snapshot s = trio_after(testing::trio().defs->turns);
    ASSERT_TRUE(s.finished);
    EXPECT_EQ(window_title(s), "Chokepoint - " + s.defs->scenario_name + " - turn " + std::to_string(s.turn_limit) + "/" +
                                   std::to_string(s.turn_limit) + " - game over");
}

}  // namespace
}  // namespace chokepoint::view
