// The game's invariants with deals in force: mass and money balance every turn,
// and determinism — the same proposals give the same game, turn by turn, and the
// forecast helper's counterfactuals leave the game it is used in unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/engine/diplomacy/deals.hpp"

namespace chokepoint {
namespace {

using testing::accepting;
using testing::events_of;
using testing::offer;
using testing::proposing;
using testing::ScriptedPolicy;
using testing::trio;
using testing::Trio;

// ---- Invariants with deals in force -------------------------------------------------------------

double money(const State& s) {
    double m = s.outside;
    for (const auto& c : s.countries) m += c.treasury + c.economy_cash;
    return m;
}

// Plays `turns` turns checking, every turn: produced + imported − exported − consumed − used as
// input = Δ(stock + stockpile) per country and good; world exports = imports; money is conserved.
void expect_balances(Game& g, int turns) {
    const Definitions& d = g.defs();
    State before = g.state();
    const double start = money(before);
    for (int t = 0; t < turns && !g.finished(); ++t) {
        const TurnRecord& r = g.step();
        const State& after = g.state();
        const MarketOutcome& o = r.outcome;
        for (int good = 0; good < d.good_count(); ++good) {
            double world_exports = 0.0, world_imports = 0.0;
            for (int c = 0; c < d.country_count(); ++c) {
                const auto& b = before.countries[static_cast<size_t>(c)];
                const auto& a = after.countries[static_cast<size_t>(c)];
                double held = (a.stock[good] + a.stockpile[good]) - (b.stock[good] + b.stockpile[good]);
                double flow = o.produced(c, good) + o.imported(c, good) - o.exported(c, good) - o.consumed(c, good) -
                              o.used_as_input(c, good);
                double scale =
                    1.0 + std::abs(o.produced(c, good)) + std::abs(b.stock[good]) + std::abs(b.stockpile[good]);
                EXPECT_NEAR(held, flow, 1e-9 * scale)
                    << "turn " << r.turn << " " << d.countries[c].id << " " << d.goods[good].id;
                EXPECT_GE(a.stock[good], -1e-9);
                EXPECT_GE(a.stockpile[good], -1e-9);
                world_exports += o.exported(c, good);
                world_imports += o.imported(c, good);
            }
            EXPECT_NEAR(world_exports, world_imports, 1e-6);
        }
        EXPECT_NEAR(money(after), start, 1e-6 * std::abs(start)) << "turn " << r.turn;
        before = after;
    }
}

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
