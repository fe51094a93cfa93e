// The negotiation phase in the window's session: a team speaks in the rounds (Session::say), the
// facilitator's clock pauses, extends and ends the phase; its arithmetic (TalkClock) on fixed
// times; the deal screen's page (deal_model).
#include <gtest/gtest.h>

#include "engine/scenario/loader.hpp"
#include "tests/view/session_wait.hpp"
#include "view/model/deal_model.hpp"
#include "view/session.hpp"
#include "view/shell/talk_clock.hpp"

namespace chokepoint::view {
namespace {

using chokepoint::testing::until;
using namespace std::chrono_literals;

SessionOptions talks(double minutes) {
    SessionOptions o = chokepoint::testing::trio_session({"north"});
    o.talk_minutes = minutes;
    return o;
}

TEST(SessionTalks, ATeamSpeaksThenDecidesInTheSameTurn) {
    Session s(talks(5));
    s.step();
    auto snap = until(s, [](const Snapshot& x) { return x.talking.has_value(); });
    ASSERT_TRUE(snap->talking);
    EXPECT_EQ(snap->talking->round, 0);
    EXPECT_TRUE(snap->talk_clock.running());
    EXPECT_FALSE(snap->waiting);
    const CountryId north = snap->talking->seat;
    Clause pay;
    pay.kind = ClauseKind::Payment, pay.from = north, pay.to = CountryId{1}, pay.usd = 1e6;
    s.say(north, TalkAnswer{{Propose{{CountryId{1}}, {pay}, 4, "hello"}}, true});
    snap = until(s, [](const Snapshot& x) { return x.waiting.has_value(); });
    ASSERT_TRUE(snap->waiting);
    EXPECT_FALSE(snap->talk_clock.running()) << "the clock stops when the decisions begin";
    // The seat decides on the state after the talks: its proposal went out in round 0.
    bool sent = false;
    for (const auto& p : snap->state.proposals) sent |= p.from == north && p.sent_turn == 0 && p.note == "hello";
    EXPECT_TRUE(sent);
    s.end_turn(north, {});
    s.wait_idle();
    EXPECT_EQ(s.snapshot()->state.turn, 1);
}

TEST(SessionTalks, EndingTheTalksGoesStraightToTheDecisions) {
    Session s(talks(5));
    s.step();
    auto snap = until(s, [](const Snapshot& x) { return x.talking.has_value(); });
    s.pause_talks();
    snap = until(s, [](const Snapshot& x) { return x.talk_clock.paused(); });
    const double left = snap->talk_clock.left(TalkClock::Clock::now());
    s.extend_talks(60);
    snap = until(s, [&](const Snapshot& x) { return x.talk_clock.left(TalkClock::Clock::now()) > left + 59; });
    EXPECT_NEAR(snap->talk_clock.left(TalkClock::Clock::now()), left + 60, 1e-6) << "paused: no time runs";
    s.end_talks();
    snap = until(s, [](const Snapshot& x) { return x.waiting.has_value(); });
    EXPECT_FALSE(snap->talking);
    EXPECT_NE(snap->notes.back().find("ended the negotiation phase"), std::string::npos);
    s.end_turn(snap->waiting->seat, {});
    s.wait_idle();
}

TEST(SessionTalks, WithoutMinutesThereIsNoPhase) {
    Session s(talks(0));
    s.step();
    auto snap = until(s, [](const Snapshot& x) { return x.waiting.has_value() || x.talking.has_value(); });
    EXPECT_TRUE(snap->waiting);
    EXPECT_FALSE(snap->talking);
    EXPECT_FALSE(snap->talk_clock.running());
    s.end_turn(snap->waiting->seat, {});
    s.wait_idle();
}

TEST(TalkClock, PausesExtendsAndRunsOut) {
    using C = TalkClock::Clock;
    const C::time_point t0{};
    TalkClock c;
    EXPECT_FALSE(c.running());
    c.start(3, 300, t0);
    EXPECT_EQ(c.turn(), 3);
    EXPECT_DOUBLE_EQ(c.left(t0 + 100s), 200);
    c.pause(t0 + 100s);
    EXPECT_DOUBLE_EQ(c.left(t0 + 250s), 200) << "no time runs while paused";
    c.extend(60, t0 + 250s);
    EXPECT_DOUBLE_EQ(c.left(t0 + 260s), 260);
    c.resume(t0 + 300s);
    EXPECT_DOUBLE_EQ(c.left(t0 + 310s), 250);
    EXPECT_FALSE(c.expired(t0 + 559s));
    EXPECT_TRUE(c.expired(t0 + 560s));
    EXPECT_DOUBLE_EQ(c.left(t0 + 900s), 0) << "never negative";
    c.extend(-1000, t0 + 310s);
    EXPECT_DOUBLE_EQ(c.left(t0 + 310s), 0) << "taking time off stops at none left";
    EXPECT_DOUBLE_EQ(c.total(), 300 + 60 - 250);
    c.stop();
    EXPECT_FALSE(c.running());
    EXPECT_FALSE(c.expired(t0 + 900s));
}

TEST(TalkClock, TextRoundsUpToTheSecond) {
    EXPECT_EQ(clock_text(245), "4:05");
    EXPECT_EQ(clock_text(0.2), "0:01");
    EXPECT_EQ(clock_text(0), "0:00");
    EXPECT_EQ(clock_text(-3), "0:00");
    EXPECT_EQ(clock_text(3600), "60:00");
}

TEST(DealModel, EachSideGivesWhatItsClausesBindItToAndWhatItPaysInReturn) {
    const Scenario sc = load_scenario("config/scenarios/baseline.yaml");
    const Definitions& d = *sc.defs;
    const CountryId usa = d.country_id("usa"), china = d.country_id("china");
    const GoodId magnet{d.good_index("ndfeb_magnet")};
    Clause supply;
    supply.kind = ClauseKind::Supply, supply.from = china, supply.to = usa, supply.good = magnet;
    supply.tonnes = 100, supply.price = 80000;
    Clause pay;
    pay.kind = ClauseKind::Payment, pay.from = usa, pay.to = china, pay.usd = 5e6;
    Clause loan;
    loan.kind = ClauseKind::StockpileLoan, loan.from = usa, loan.to = china, loan.good = magnet, loan.tonnes = 50,
    loan.turns = 4;
    const DealModel m = deal_model(d, usa, china, {supply, pay, loan}, 8, 1);
    EXPECT_EQ(m.a_name, "United States");
    EXPECT_EQ(m.b_name, "China");
    ASSERT_EQ(m.b_gives.size(), 2u);  // the magnets, and the loan's return
    EXPECT_NE(m.b_gives[0].find("100 t/turn of NdFeB magnet"), std::string::npos) << m.b_gives[0];
    EXPECT_NE(m.b_gives[1].find("returns the 50 t after 4 turns"), std::string::npos) << m.b_gives[1];
    ASSERT_EQ(m.a_gives.size(), 3u);  // the magnets' price, the payment, the loan
    EXPECT_NE(m.a_gives[0].find("$80/kg"), std::string::npos) << m.a_gives[0];
    EXPECT_NE(m.a_gives[0].find("$8.0M a turn"), std::string::npos) << m.a_gives[0];
    EXPECT_NE(m.a_gives[1].find("$5.0M, once"), std::string::npos) << m.a_gives[1];
    EXPECT_NE(m.a_gives[2].find("a loan of 50 t of NdFeB magnet"), std::string::npos) << m.a_gives[2];
    EXPECT_EQ(m.terms, "8 turns, " + d.date_of_turn(1) + " to " + d.date_of_turn(8));
}

}  // namespace
}  // namespace chokepoint::view
