// The game's conservation laws as test assertions: mass balances per country and good every
// turn, and money is neither made nor lost.
#pragma once

#include <gtest/gtest.h>

#include <cmath>

#include "engine/game/game.hpp"

namespace chokepoint::testing {

// All the money in the game: the outside world's and every country's treasury and economy cash.
inline double money(const State& s) {
    double m = s.outside;
    for (const auto& c : s.countries) m += c.treasury + c.economy_cash;
    return m;
}

struct BalanceChecks {
    // Also expect money(state) to stay what it was before the first turn.
    bool money = true;
    // The mass tolerance, 1e-9 × (1 + produced + stock), also grows with the stockpile.
    bool stockpile_in_tolerance = true;
};

// Plays `turns` turns (fewer if the game ends) checking, every turn: produced + imported −
// exported − consumed − used as input = Δ(stock + stockpile) per country and good; stocks and
// stockpiles stay non-negative; world exports = world imports; and money as `checks` says.
inline void expect_balances(Game& g, int turns, BalanceChecks checks = {}) {
    const Definitions& d = g.defs();
    State before = g.state();
    const double start = money(before);
    for (int t = 0; t < turns && !g.finished(); ++t) {
        const TurnRecord& r = g.step();
        const State& after = g.state();
        const MarketOutcome& o = r.outcome;
        for (GoodId good : d.good_ids()) {
            double world_exports = 0.0, world_imports = 0.0;
            for (CountryId c : d.country_ids()) {
                const auto& b = before.countries[c];
                const auto& a = after.countries[c];
                double held = (a.stock[good] + a.stockpile[good]) - (b.stock[good] + b.stockpile[good]);
                double flow = o.produced(c, good) + o.imported(c, good) - o.exported(c, good) - o.consumed(c, good) -
                              o.used_as_input(c, good);
                double scale = 1.0 + std::abs(o.produced(c, good)) + std::abs(b.stock[good]);
                if (checks.stockpile_in_tolerance) scale += std::abs(b.stockpile[good]);
                EXPECT_NEAR(held, flow, 1e-9 * scale)
                    << "turn " << r.turn << " " << d.countries[c].id << " " << d.goods[good].id;
                EXPECT_GE(a.stock[good], -1e-9);
                EXPECT_GE(a.stockpile[good], -1e-9);
                world_exports += o.exported(c, good);
                world_imports += o.imported(c, good);
            }
            EXPECT_NEAR(world_exports, world_imports, 1e-6);
        }
        if (checks.money) {
            EXPECT_NEAR(money(after), start, 1e-6 * std::abs(start)) << "turn " << r.turn;
        }
        before = after;
    }
}

}  // namespace chokepoint::testing
