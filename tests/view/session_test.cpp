// The game behind the window: turns run on a worker thread, human seats wait for their
// decisions, and the UI only ever reads published snapshots.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "view/session.hpp"

namespace chokepoint::view {
namespace {

using namespace std::chrono_literals;

SessionOptions trio(std::vector<std::string> humans = {}) {
    SessionOptions o;
    o.scenario = "tests/scenarios/trio.yaml";
    o.humans = std::move(humans);
    o.game.measure_leverage = false;
    return o;
}

// Polls snapshots until `done` holds (the worker publishes asynchronously).
template <class F>
std::shared_ptr<const Snapshot> until(const Session& s, F done) {
    for (int i = 0; i < 2000; ++i) {
        auto snap = s.snapshot();
        if (done(*snap)) return snap;
        std::this_thread::sleep_for(2ms);
    }
    ADD_FAILURE() << "timed out waiting for the session";
    return s.snapshot();
}

TEST(Session, StartsPausedAtTurnZeroAndStepPlaysOneTurn) {
    Session s(trio());
    auto first = s.snapshot();
    EXPECT_EQ(first->state.turn, 0);
    EXPECT_TRUE(first->history.empty());
    EXPECT_FALSE(first->playing);
    s.step();
    s.wait_idle();
    auto after = s.snapshot();
    EXPECT_EQ(after->state.turn, 1);
    ASSERT_EQ(after->history.size(), 1u);
    EXPECT_EQ(after->history[0]->turn, 0);
    EXPECT_GT(after->version, first->version);
    // Every snapshot carries the state the game began in (the view judges stock cover by it).
    ASSERT_TRUE(after->start);
    EXPECT_EQ(after->start, first->start);
    EXPECT_EQ(after->start->turn, 0);
    EXPECT_EQ(after->start->countries[0].stock, first->state.countries[0].stock);
    EXPECT_NE(after->state.countries[0].stock, first->state.countries[0].stock);
}

// --turns means what it means for `chokepoint run`: the number of turns to play, longer or shorter
// than the scenario's (trio has 12).
TEST(Session, TurnsOverrideTheScenarioLengthBothWays) {
    for (int turns : {3, 15}) {
        SessionOptions o = trio();
        o.turns = turns;
        Session s(o);
        EXPECT_EQ(s.snapshot()->defs->turns, turns);
        s.set_seconds_per_turn(0);
        s.play();
        auto end = until(s, [](const Snapshot& x) { return x.finished && !x.computing; });
        EXPECT_EQ(end->state.turn, turns);
    }
}

TEST(Session, PlayRunsToTheEndAndStops) {
    Session s(trio());
    s.set_seconds_per_turn(0);
    s.play();
    auto end = until(s, [](const Snapshot& x) { return x.finished && !x.computing; });
    EXPECT_EQ(static_cast<int>(end->history.size()), end->turn_limit);
    EXPECT_FALSE(end->playing);
}

TEST(Session, HumanSeatWaitsForEndTurnAndItsDecisionsApply) {
    Session s(trio({"south"}));
    const int south = s.snapshot()->defs->country_index("south");
    const GoodId magnet = GoodId{s.snapshot()->defs->good_index("magnet")};
    s.step();
    auto waiting = until(s, [](const Snapshot& x) { return x.waiting.has_value(); });
    ASSERT_TRUE(waiting->waiting);
    EXPECT_EQ(waiting->waiting->seat, south);
    EXPECT_TRUE(waiting->computing);
    EXPECT_EQ(waiting->state.turn, 0) << "the turn does not finish while the seat decides";
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(s.snapshot()->state.turn, 0);
    s.end_turn(south, {SetTariff{magnet, kAllCountries, 0.3}});
    s.wait_idle();
    auto after = s.snapshot();
    EXPECT_EQ(after->state.turn, 1);
    const int G = after->defs->good_count();
    EXPECT_DOUBLE_EQ(after->state.tariff_on(south, magnet, 0, G), 0.3);
}

TEST(Session, HandingASeatBackLetsTheAdvisorPlayIt) {
    Session s(trio({"south"}));
    const int south = s.snapshot()->defs->country_index("south");
    s.step();
    until(s, [](const Snapshot& x) { return x.waiting.has_value(); });
    s.set_human(south, false);
    s.wait_idle();
    auto after = s.snapshot();
    EXPECT_EQ(after->state.turn, 1);
    EXPECT_FALSE(after->human[static_cast<size_t>(south)]);
}

TEST(Session, LiveInjectAppliesAtTheNextTurn) {
    Session s(trio());
    const auto& d = *s.snapshot()->defs;
    ScheduledEvent e;
    e.kind = EventKind::Trust;
    e.country = d.country_index("north");
    e.target = d.country_index("south");
    e.value = -0.3;
    e.text = "a facilitator's inject";
    const double before = s.snapshot()->state.countries[static_cast<size_t>(e.country)].trust[static_cast<size_t>(e.target)];
    s.inject(e);
    s.step();
    s.wait_idle();
    auto after = s.snapshot();
    EXPECT_NEAR(after->state.countries[static_cast<size_t>(e.country)].trust[static_cast<size_t>(e.target)], before - 0.3, 1e-9);
    bool logged = false;
    for (const auto& ev : after->history[0]->events) logged |= ev.text == "a facilitator's inject";
    EXPECT_TRUE(logged);
}

TEST(Session, ClosingWhileASeatWaitsDoesNotHang) {
    auto s = std::make_unique<Session>(trio({"south"}));
    s->step();
    until(*s, [](const Snapshot& x) { return x.waiting.has_value(); });
    s.reset();  // the destructor wakes the waiting seat and joins the worker
    SUCCEED();
}

}  // namespace
}  // namespace chokepoint::view
