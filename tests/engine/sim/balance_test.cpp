// Property tests: mass and money balance every turn, determinism.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/engine/sim/balances.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using testing::money;
using testing::trio;
using testing::with_defs;

// The balance tests check mass alone (money has its own test below), to the tolerance that
// scales with production and stock.
void expect_mass_balance(Game& g, int turns) {
    testing::expect_balances(g, turns, {.money = false, .stockpile_in_tolerance = false});
}

TEST(Balance, MassBalancesPerGoodAndCountryEveryTurn) {
    Game game(trio());
    expect_mass_balance(game, 12);
}

TEST(Balance, MassBalancesUnderRestrictionsStockpilesAndProjects) {
    Scenario sc = trio();
    Game game(std::move(sc));
    auto policy = std::make_unique<testing::ScriptedPolicy>();
    policy->turn = [](PolicyContext& ctx) {
        const GoodId magnet = GoodId{ctx.defs().good_index("magnet")}, oxide = GoodId{ctx.defs().good_index("oxide")};
        if (ctx.state().turn == 1) ctx.issue(SetExportRegime{magnet, ctx.defs().country_id("south"), Regime::Licensed});
        if (ctx.state().turn == 2) ctx.issue(SetExportQuota{oxide, 4000});
        if (ctx.state().turn == 3) ctx.issue(StockpileBuy{magnet, 500, 500000});
        if (ctx.state().turn == 5) ctx.issue(StockpileRelease{magnet, 300, 0});
    };
    game.set_policy(testing::id_of(game, "north"), std::move(policy));
    expect_mass_balance(game, 12);
}

TEST(Balance, MoneyIsConservedEveryTurn) {
    Game game(trio());
    auto policy = std::make_unique<testing::ScriptedPolicy>();
    policy->turn = [](PolicyContext& ctx) {
        const GoodId magnet = GoodId{ctx.defs().good_index("magnet")};
        if (ctx.state().turn == 0) ctx.issue(SetTariff{magnet, std::nullopt, 0.2});
        if (ctx.state().turn == 1) ctx.issue(StartProject{std::nullopt, magnet, 5000, 0});
        if (ctx.state().turn == 2) ctx.issue(StockpileBuy{magnet, 400, 400000});
        if (ctx.state().turn == 3) ctx.issue(SetSubsidy{magnet, 2000});
    };
    game.set_policy(testing::id_of(game, "south"), std::move(policy));
    const double start = money(game.state());
    while (!game.finished()) {
        game.step();
        EXPECT_NEAR(money(game.state()), start, 1e-6 * std::abs(start));
    }
    // Something actually moved: the test would pass vacuously otherwise.
    EXPECT_GT(game.state().outside, 0.0);
    EXPECT_NE(game.state().countries[CountryId{1}].treasury, game.scenario().initial.countries[CountryId{1}].treasury);
}

// docs/model.md §Origin and re-export control: per country, good and licensor, every turn,
// 0 ≤ controlled ≤ stock and Δ controlled = controlled in + made − out; with licences, the
// content rule and firms that half comply.
TEST(Balance, OriginAccountsBalanceEveryTurn) {
    Scenario sc = with_defs(load_scenario("tests/scenarios/reexport.yaml"), [](Definitions& d) {
        d.licensing.content_rule = true;
        d.licensing.content_threshold = 0.05;
        d.licensing.reexport_compliance = 0.5;
    });
    Game game(std::move(sc));
    const Definitions& d = game.defs();
    State before = game.state();
    double moved = 0.0;
    while (!game.finished()) {
        const TurnRecord& r = game.step();
        const State& after = game.state();
        for (CountryId c : d.country_ids())
            for (GoodId g : d.good_ids()) {
                const CountryState& cs = after.countries[c];
                const double stock = cs.stock[g];
                double total = 0.0;
                for (CountryId l : d.country_ids()) {
                    const double now = cs.controlled(g, l);
                    const auto& was_grid = before.countries[c].controlled;
                    const double was = was_grid.value_or(g, l);
                    EXPECT_GE(now, 0.0);
                    if (l == c) {
                        EXPECT_EQ(now, 0.0) << "nobody holds material controlled by itself";
                    }
                    total += now;
                    const double in = r.outcome.controlled_in[g](c, l);
                    const double made = r.outcome.controlled_made[g](c, l);
                    const double out = r.outcome.controlled_out[g](c, l);
                    moved += in + made;
                    EXPECT_NEAR(now - was, in + made - out, 1e-6 * (1.0 + stock + in + out))
                        << "turn " << r.turn << " country " << c.value() << " good " << g.value() << " licensor " << l.value();
                }
                EXPECT_LE(total, stock + 1e-6 * (1.0 + stock)) << "turn " << r.turn << " country " << c.value() << " good " << g.value();
            }
        before = after;
    }
    EXPECT_GT(moved, 100.0) << "licensed material moved: the test is not vacuous";
}

TEST(Determinism, SameScenarioAndSeedGiveTheSameGame) {
    Game a(trio()), b(trio());
    while (!a.finished()) {
        a.step();
        b.step();
    }
    EXPECT_TRUE(a.state() == b.state());
    for (size_t t = 0; t < a.history().size(); ++t) {
        EXPECT_TRUE(a.history()[t].outcome == b.history()[t].outcome) << "turn " << t;
        EXPECT_EQ(a.history()[t].leverage.materials.cells, b.history()[t].leverage.materials.cells);
    }
}

}  // namespace
}  // namespace chokepoint
