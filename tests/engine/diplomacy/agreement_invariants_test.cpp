// The game's invariants with deals in force: mass and money balance every turn,
// and determinism — the same proposals give the same game, turn by turn, and the
// forecast helper's counterfactuals leave the game it is used in unchanged.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/engine/diplomacy/deals.hpp"
#include "tests/engine/sim/balances.hpp"

namespace chokepoint {
namespace {

using testing::accepting;
using testing::events_of;
using testing::expect_balances;
using testing::offer;
using testing::proposing;
using testing::ScriptedPolicy;
using testing::trio;
using testing::Trio;

// ---- Invariants with deals in force -------------------------------------------------------------

TEST(AgreementInvariants, MassAndMoneyBalanceWithAContractALoanAndPayments) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.countries[t.north].stockpile[t.magnet] = 1500;
    Game game(std::move(sc));
    game.set_policy(t.north, proposing(0, offer(t.south,
                                                {testing::supply(t.north, t.south, t.magnet, 2000, 50'000),
                                                 testing::stockpile_loan(t.north, t.south, t.magnet, 1000),
                                                 testing::payment(t.south, t.north, 10e6, true)},
                                                4)));
    game.set_policy(t.south, accepting());
    expect_balances(game, game.turn_limit());
    // The deal ran its course, so the balances above were tested with it in force.
    ASSERT_EQ(game.state().agreements.size(), 1u);
    const Agreement& a = game.state().agreements[0];
    EXPECT_EQ(a.status, AgreementStatus::Expired);
    EXPECT_NEAR(a.progress[0].delivered, 4 * 2000.0, 1e-6);
    EXPECT_NEAR(a.progress[2].delivered, 4 * 10e6, 1e-3);
    EXPECT_EQ(events_of(game, "loan_returned").size(), 1u);
}

// Everyone plays the autopilot (which forecasts each proposal before answering); north and east
// make offers to south on turn 0 and north another on turn 2.
Game game_with_offers(bool east_forecasts_every_turn = false) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.countries[t.north].stockpile[t.magnet] = 1500;
    Game game(std::move(sc));
    auto north = std::make_unique<ScriptedPolicy>();
    AutopilotPolicy autopilot;
    north->turn = [t, autopilot](PolicyContext& ctx) mutable {
        if (ctx.state().turn == 0)
            ctx.issue(offer(t.south, {testing::supply(t.north, t.south, t.magnet, 2000, 50'000),
                                      testing::payment(t.south, t.north, 10e6, true)}));
        if (ctx.state().turn == 2)
            ctx.issue(offer(t.south, {testing::stockpile_loan(t.north, t.south, t.magnet, 1000)}));
        autopilot.on_turn(ctx);
    };
    game.set_policy(t.north, std::move(north));
    auto east = std::make_unique<ScriptedPolicy>();
    east->turn = [t, autopilot, east_forecasts_every_turn](PolicyContext& ctx) mutable {
        if (ctx.state().turn == 0)
            ctx.issue(offer(t.south, {testing::supply(t.east, t.south, t.magnet, 1000, 70'000)}));
        if (east_forecasts_every_turn) {
            Proposal draft;
            draft.from = t.east;
            draft.to = t.south;
            draft.clauses = {testing::supply(t.east, t.south, t.magnet, 500, 60'000)};
            Forecast f;
            ctx.forecast(draft, 0, f);
        }
        autopilot.on_turn(ctx);
    };
    game.set_policy(t.east, std::move(east));
    return game;
}

std::vector<std::string> event_texts(const Game& g) {
    std::vector<std::string> out;
    for (const auto& r : g.history())
        for (const auto& e : r.events) out.push_back(std::to_string(e.turn) + " " + e.type + ": " + e.text);
    return out;
}

TEST(AgreementDeterminism, SameProposalsGiveTheSameGameTurnByTurn) {
    Game a = game_with_offers(), b = game_with_offers();
    while (!a.finished()) {
        const TurnRecord& ra = a.step();
        const TurnRecord& rb = b.step();
        ASSERT_TRUE(a.state() == b.state()) << "turn " << ra.turn;
        EXPECT_TRUE(ra.outcome == rb.outcome) << "turn " << ra.turn;
        EXPECT_EQ(ra.leverage.materials.cells, rb.leverage.materials.cells) << "turn " << ra.turn;
    }
    EXPECT_EQ(event_texts(a), event_texts(b));
    EXPECT_FALSE(a.state().agreements.empty()) << "the autopilot took at least one of the offers";
}

TEST(AgreementDeterminism, ForecastsLeaveTheGameUnchanged) {
    Game plain = game_with_offers(false), studied = game_with_offers(true);
    while (!plain.finished()) {
        plain.step();
        studied.step();
    }
    EXPECT_TRUE(plain.state() == studied.state());
    EXPECT_EQ(event_texts(plain), event_texts(studied));
}

}  // namespace
}  // namespace chokepoint
