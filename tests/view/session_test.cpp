// The game behind the window: turns run on a worker thread, human seats wait for their
// decisions, and the UI only ever reads published snapshots.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/view/session_wait.hpp"
#include "view/session.hpp"

namespace chokepoint::view {
namespace {

using namespace std::chrono_literals;

using chokepoint::testing::until;

SessionOptions trio(std::vector<std::string> humans = {}) { return chokepoint::testing::trio_session(std::move(humans)); }

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
    EXPECT_EQ(after->start->countries[CountryId{0}].stock, first->state.countries[CountryId{0}].stock);
    EXPECT_NE(after->state.countries[CountryId{0}].stock, first->state.countries[CountryId{0}].stock);
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
    const CountryId south = s.snapshot()->defs->country_id("south");
    const GoodId magnet = GoodId{s.snapshot()->defs->good_index("magnet")};
    s.step();
    auto waiting = until(s, [](const Snapshot& x) { return x.waiting.has_value(); });
    ASSERT_TRUE(waiting->waiting);
    EXPECT_EQ(waiting->waiting->seat, south);
    EXPECT_TRUE(waiting->computing);
    EXPECT_EQ(waiting->state.turn, 0) << "the turn does not finish while the seat decides";
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(s.snapshot()->state.turn, 0);
    s.end_turn(south, {SetTariff{magnet, std::nullopt, 0.3}});
    s.wait_idle();
    auto after = s.snapshot();
    EXPECT_EQ(after->state.turn, 1);
    EXPECT_DOUBLE_EQ(after->state.tariff_on(south, magnet, CountryId{0}), 0.3);
}

// The snapshot after a seat's decisions are taken already says so, whether the game was waiting on
// that seat or not: the server acks and then sends views, and a view after the ack must never ask
// the seat again for the turn it sent (CI saw that once under ASan).
TEST(Session, DecisionsSentShowInTheVerySnapshotAfterTheCall) {
    Session s(trio({"east", "south"}));
    const CountryId east = s.snapshot()->defs->country_id("east");
    const CountryId south = s.snapshot()->defs->country_id("south");
    s.step();
    const auto asked = until(s, [](const Snapshot& x) { return x.waiting.has_value(); });
    ASSERT_TRUE(asked->waiting);
    const CountryId waited = asked->waiting->seat;
    const CountryId other = waited == east ? south : east;
    ASSERT_TRUE(s.submit(other, 0, {}));  // early: the game is not waiting on it
    EXPECT_TRUE(s.snapshot()->sent[other]);
    EXPECT_FALSE(s.snapshot()->sent[waited]);
    ASSERT_TRUE(s.submit(waited, 0, {}));  // the seat the game waits on
    EXPECT_TRUE(s.snapshot()->sent[waited]);
    EXPECT_FALSE(s.submit(waited, 0, {})) << "a turn's decisions are taken once";
    s.wait_idle();
    EXPECT_EQ(s.snapshot()->state.turn, 1);
}

// Every team is shown its advisor's suggestions as soon as the turn's decisions begin, not when the
// game reaches its seat (browser teams decide at the same time), and they are the suggestions the
// game shows when it does reach the seat.
TEST(Session, EverySeatIsAdvisedAsTheDecisionsBeginNotWhenTheGameReachesIt) {
    // The baseline's Lua advisors: trio's autopilot suggests nothing to its later seats.
    SessionOptions o = trio({"china", "usa"});
    o.scenario = "config/scenarios/baseline.yaml";
    Session s(o);
    const CountryId china = s.snapshot()->defs->country_id("china");
    const CountryId usa = s.snapshot()->defs->country_id("usa");
    EXPECT_EQ(s.snapshot()->advice_for(usa), nullptr) << "nothing is being decided yet";
    size_t suggested = 0;
    for (int turn = 0; turn < 4; ++turn) {
        s.step();
        const auto asked = until(s, [](const Snapshot& x) { return x.waiting.has_value(); });
        ASSERT_EQ(asked->waiting->seat, china) << "the baseline asks china before the usa";
        const auto* early = asked->advice_for(usa);
        ASSERT_NE(early, nullptr) << "turn " << turn << ": the usa is advised before the game reaches it";
        EXPECT_EQ(early->turn, turn);
        EXPECT_EQ(early->commands.size(), early->text.size());
        ASSERT_NE(asked->advice_for(china), nullptr);
        EXPECT_EQ(asked->advice_for(china)->text, asked->waiting->advice_text);
        const std::vector<std::string> told_early = early->text;
        suggested += told_early.size();
        ASSERT_TRUE(s.submit(china, turn, {}));
        const auto later = until(s, [&](const Snapshot& x) { return x.waiting && x.waiting->seat == usa; });
        ASSERT_TRUE(later->waiting);
        EXPECT_EQ(later->waiting->advice_text, told_early) << "turn " << turn;
        s.end_turn(usa, {});
        s.wait_idle();
        EXPECT_EQ(s.snapshot()->state.turn, turn + 1);
    }
    EXPECT_GT(suggested, 0u) << "usa.lua suggested nothing: the comparison shows nothing";
}

TEST(Session, HandingASeatBackLetsTheAdvisorPlayIt) {
    Session s(trio({"south"}));
    const CountryId south = s.snapshot()->defs->country_id("south");
    s.step();
    until(s, [](const Snapshot& x) { return x.waiting.has_value(); });
    s.set_human(south, false);
    s.wait_idle();
    auto after = s.snapshot();
    EXPECT_EQ(after->state.turn, 1);
    EXPECT_FALSE(after->human[south]);
}

TEST(Session, LiveInjectAppliesAtTheNextTurn) {
    Session s(trio());
    const auto& d = *s.snapshot()->defs;
    ScheduledEvent e;
    e.kind = EventKind::Trust;
    e.country = d.country_id("north");
    e.target = d.country_id("south");
    e.value = -0.3;
    e.text = "a facilitator's inject";
    const double before = s.snapshot()->state.countries[e.country].trust[e.target];
    s.inject(e);
    s.step();
    s.wait_idle();
    auto after = s.snapshot();
    EXPECT_NEAR(after->state.countries[e.country].trust[e.target], before - 0.3, 1e-9);
    bool logged = false;
    for (const auto& ev : after->history[0]->events) logged |= ev.text == "a facilitator's inject";
    EXPECT_TRUE(logged);
}

// Issue 13, trap 7: an inject for a chosen later turn waits in the queue (listed, cancellable) and
// applies in that turn only; while that turn waits for a seat, every view shows its headline and
// the event log lists it.
TEST(Session, InjectsWaitForTheirTurnCanBeCancelledAndHeadlineTheTurnTheyHit) {
    Session s(trio({"south"}));
    const auto& d = *s.snapshot()->defs;
    const CountryId south = d.country_id("south");
    ScheduledEvent e;
    e.kind = EventKind::News;
    e.text = "ports closed at turn three";
    const int kept = s.inject(e, 2);
    e.text = "never happens";
    const int dropped = s.inject(e, 2);
    e.text = "too early is next";
    const int next = s.inject(e, -5);
    {
        const auto snap = s.snapshot();
        ASSERT_EQ(snap->injects.size(), 3u);
        EXPECT_EQ(snap->injects.front().turn, 0) << "an earlier turn than the next means the next";
        EXPECT_EQ(snap->injects.front().id, next);
        EXPECT_EQ(snap->injects.back().turn, 2);
    }
    EXPECT_TRUE(s.cancel_inject(dropped));
    EXPECT_FALSE(s.cancel_inject(dropped)) << "gone already";
    EXPECT_EQ(s.snapshot()->injects.size(), 2u);
    const auto logged_in = [](const Snapshot& snap, const std::string& text) {
        int turn = -1;
        for (const auto& rec : snap.history)
            for (const auto& ev : rec->events)
                if (ev.text == text) turn = rec->turn;
        return turn;
    };
    for (int turn = 0; turn < 3; ++turn) {
        s.step();
        const auto waiting = until(s, [](const Snapshot& x) { return x.waiting.has_value(); });
        if (turn == 2) {
            ASSERT_EQ(waiting->headlines.size(), 1u) << "the headline shows while the seat decides";
            EXPECT_EQ(waiting->headlines[0].text, "ports closed at turn three");
            ASSERT_EQ(waiting->live_events.size(), 1u);
            EXPECT_EQ(waiting->live_events[0].text, "ports closed at turn three");
        } else if (turn == 1) {
            EXPECT_TRUE(waiting->headlines.empty());
        }
        s.end_turn(south, {});
        s.wait_idle();
    }
    const auto after = s.snapshot();
    EXPECT_TRUE(after->injects.empty());
    EXPECT_TRUE(after->live_events.empty()) << "recorded now: the log reads it from the history";
    EXPECT_EQ(logged_in(*after, "too early is next"), 0);
    EXPECT_EQ(logged_in(*after, "ports closed at turn three"), 2);
    EXPECT_EQ(logged_in(*after, "never happens"), -1) << "a cancelled inject never applies";
    (void)kept;
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
