// When leverage is measured (--leverage every|N|end|off) and what scores use in between.
#include <gtest/gtest.h>

#include "engine/leverage/leverage.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

TEST(LeverageSchedule, ParsesEveryNumberEndAndOff) {
    GameOptions o;
    ASSERT_TRUE(parse_leverage_schedule("end", o));
    EXPECT_TRUE(o.measure_leverage);
    EXPECT_EQ(o.leverage_every, 0);
    ASSERT_TRUE(parse_leverage_schedule("5", o));
    EXPECT_EQ(o.leverage_every, 5);
    ASSERT_TRUE(parse_leverage_schedule("off", o));
    EXPECT_FALSE(o.measure_leverage);
    ASSERT_TRUE(parse_leverage_schedule("every", o));
    EXPECT_TRUE(o.measure_leverage);
    EXPECT_EQ(o.leverage_every, 1);
    for (const char* bad : {"", "0", "-2", "3x", "x3", "Every", "ends", "1.5", "99999999999999999999"})
        EXPECT_FALSE(parse_leverage_schedule(bad, o)) << bad;
}

// A game file stores the schedule as text (the window writes it from its GameOptions).
TEST(LeverageSchedule, TextReadsBackAsTheSameSchedule) {
    for (const char* text : {"every", "end", "off", "7"}) {
        GameOptions o;
        ASSERT_TRUE(parse_leverage_schedule(text, o));
        EXPECT_EQ(leverage_schedule_text(o), text);
    }
}

// Plays `turns` of the trio with `options`; returns which turns carry a measurement.
std::vector<int> measured_turns(GameOptions options, int turns, Game** keep = nullptr) {
    static std::unique_ptr<Game> game;
    game = std::make_unique<Game>(testing::trio(), options);
    game->set_turn_limit(turns);
    std::vector<int> measured;
    while (!game->finished()) {
        const TurnRecord& r = game->step();
        if (!r.leverage.index_combined.empty()) measured.push_back(r.turn);
        EXPECT_EQ(r.leverage.index_combined.empty(), !game->leverage_due(r.turn));
    }
    if (keep) *keep = game.get();
    return measured;
}

TEST(LeverageSchedule, MeasuresOnEveryNthTurnAndTheLast) {
    GameOptions o;
    EXPECT_EQ(measured_turns(o, 4), (std::vector<int>{0, 1, 2, 3}));
    o.leverage_every = 3;
    EXPECT_EQ(measured_turns(o, 7), (std::vector<int>{2, 5, 6}));
    o.leverage_every = 0;
    EXPECT_EQ(measured_turns(o, 5), (std::vector<int>{4}));
    o.measure_leverage = false;
    EXPECT_EQ(measured_turns(o, 3), (std::vector<int>{}));
}

TEST(LeverageSchedule, ScoresBetweenMeasurementsUseTheLatestOne) {
    // With the autopilot everywhere nothing in the trio reads leverage, so the games are the same
    // and only the influence score (which is leverage) can differ.
    GameOptions every, second;
    second.leverage_every = 2;
    Game* a = nullptr;
    measured_turns(every, 4, &a);
    const std::vector<TurnRecord> all = a->history();
    const CountryId north = a->defs().country_id("north");
    Game* b = nullptr;
    EXPECT_EQ(measured_turns(second, 4, &b), (std::vector<int>{1, 3}));
    const std::vector<TurnRecord>& some = b->history();
    const auto influence = [&](const std::vector<TurnRecord>& h, int turn) {
        return h[static_cast<std::size_t>(turn)].scores[north].influence;
    };
    ASSERT_GT(influence(all, 0), 0.0);
    ASSERT_NE(influence(all, 1), influence(all, 2));
    EXPECT_EQ(influence(some, 0), 0.0);                // nothing measured yet
    EXPECT_EQ(influence(some, 1), influence(all, 1));  // measured
    EXPECT_EQ(influence(some, 2), influence(all, 1));  // not measured: turn 1's
    EXPECT_EQ(influence(some, 3), influence(all, 3));  // measured
    for (int t = 0; t < 4; ++t)
        EXPECT_EQ(some[static_cast<std::size_t>(t)].scores[CountryId{0}].economy,
                  all[static_cast<std::size_t>(t)].scores[CountryId{0}].economy);
}

// The length of a game in play (the window's class length): never below the turns played (as
// many ends it now), longer also after it was over, beyond the scenario's own length.
TEST(TurnLimit, AGameInPlayIsShortenedEndedOrLengthened) {
    GameOptions off;
    off.measure_leverage = false;
    Game g(testing::trio(), off);
    g.set_turn_limit(6);
    g.step();
    g.step();
    const std::string below = g.change_turn_limit(1);
    EXPECT_NE(below.find("2 turns have been played"), std::string::npos) << below;
    EXPECT_EQ(g.turn_limit(), 6);
    EXPECT_NE(g.change_turn_limit(kMaxTurns + 1), "");
    EXPECT_EQ(g.change_turn_limit(2), "");
    EXPECT_TRUE(g.finished()) << "as many turns as played ends the game now";
    EXPECT_EQ(g.change_turn_limit(g.defs().turns + 3), "") << "longer than the scenario";
    EXPECT_FALSE(g.finished());
    while (!g.finished()) g.step();
    EXPECT_EQ(g.state().turn, g.defs().turns + 3);
}

// With leverage measured every N turns or at the end, a change that would make a played turn the
// last (or stop it being the last) is refused: the game file replays with the new length.
TEST(TurnLimit, AChangeThatWouldRemeasureAPlayedTurnIsRefused) {
    GameOptions at_end;
    at_end.leverage_every = 0;
    Game g(testing::trio(), at_end);
    g.set_turn_limit(5);
    g.step();
    g.step();
    const std::string why = g.change_turn_limit(2);
    EXPECT_NE(why.find("turn 2 was not measured"), std::string::npos) << why;
    EXPECT_EQ(g.turn_limit(), 5);
    EXPECT_EQ(g.change_turn_limit(3), "");
    g.step();
    ASSERT_TRUE(g.finished());
    EXPECT_FALSE(g.history().back().leverage.index_combined.empty()) << "the new last turn is measured";
    EXPECT_NE(g.change_turn_limit(5), "") << "turn 3 was measured as the last one";
    EXPECT_TRUE(g.finished());

    GameOptions every_two;
    every_two.leverage_every = 2;
    Game h(testing::trio(), every_two);
    h.set_turn_limit(6);
    h.step();
    h.step();  // turn 2 of 2: measured, as it would be as the last one
    EXPECT_EQ(h.change_turn_limit(2), "");
    EXPECT_EQ(h.change_turn_limit(3), "");
    h.step();  // turn 3 (index 2), measured as the last
    EXPECT_NE(h.change_turn_limit(4), "") << "turn 3 is not a multiple of 2: it was measured only as the last";
}

}  // namespace
}  // namespace chokepoint
