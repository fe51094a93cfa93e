// Agreements in force, one behaviour each, on the trio world (north makes
// everything, east makes magnets from north's oxide, south only buys magnets):
// what each clause does, breaches, withdrawal, binding and non-binding mode,
// expiry and trust (the invariants with deals in force: agreement_invariants_test.cpp).
// docs/lua-api.md §Negotiation.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/instruments/investment.hpp"
#include "engine/instruments/licensing.hpp"
#include "engine/markets/supply_chain.hpp"
#include "tests/engine/diplomacy/deals.hpp"

namespace chokepoint {
namespace {

using testing::contains;
using testing::events_of;
using testing::find_agreement;
using testing::in_force;
using testing::no_leverage;
using testing::ScriptedPolicy;
using testing::trio;
using testing::Trio;
using testing::trust;
using testing::with_defs;

// A country that does nothing of its own: no stockpiling, no license decisions, no answers.
std::unique_ptr<ScriptedPolicy> quiet() {
    auto p = std::make_unique<ScriptedPolicy>();
    p->turn = [](PolicyContext&) {};
    p->license = [](PolicyContext&, const LicenseApplication&) {};
    p->proposal = [](PolicyContext&, const Proposal&) {};
    return p;
}

// The autopilot, except that it denies every license application.
std::unique_ptr<ScriptedPolicy> denying_licenses() {
    auto p = std::make_unique<ScriptedPolicy>();
    p->license = [](PolicyContext& ctx, const LicenseApplication& app) {
        ctx.issue(DecideLicense{app.id, LicenseDecisionKind::Deny, -1, 1, false});
    };
    return p;
}

// Runs `then` on turn `when` and the autopilot's on_turn every turn.
std::unique_ptr<ScriptedPolicy> on_turn(int when, std::function<void(PolicyContext&)> then) {
    auto p = std::make_unique<ScriptedPolicy>();
    AutopilotPolicy autopilot;
    p->turn = [when, then, autopilot](PolicyContext& ctx) mutable {
        if (ctx.state().turn == when) then(ctx);
        autopilot.on_turn(ctx);
    };
    return p;
}

const Agreement& agreement(const Game& g, int id) {
    const Agreement* a = find_agreement(g.state(), id);
    if (!a) throw std::runtime_error("no agreement " + std::to_string(id));
    return *a;
}

double sum_cash(const Game& g, CountryId country, CashFlow kind) {
    double sum = 0.0;
    for (const auto& r : g.history()) sum += r.outcome.cash(country, kind);
    return sum;
}

// ---- Supply contracts ---------------------------------------------------------------------------

TEST(SupplyContract, ShipsTheContractedTonnesEveryTurnAndBuildsTrust) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    // East makes magnets from north's oxide; on the spot market it sells south little or none.
    const int id = in_force(sc, t.east, t.south, {testing::supply(t.east, t.south, t.magnet, 2000, 45'000)}, 4);
    Game game(std::move(sc), no_leverage());
    const double kept = game.defs().negotiation.trust.kept_per_turn;
    for (int turn = 0; turn < 3; ++turn) {
        const TurnRecord& r = game.step();
        const ClauseProgress& p = agreement(game, id).progress[0];
        EXPECT_GE(r.outcome.flows[t.magnet](t.east, t.south), 2000.0 - 1e-6) << "turn " << turn;
        EXPECT_NEAR(p.delivered, 2000.0 * (turn + 1), 1e-6) << "turn " << turn;
        EXPECT_EQ(p.arrears, 0.0);
        EXPECT_NEAR(trust(game.state(), t.south, t.east), 0.5 + kept * (turn + 1), 1e-12) << "a kept turn builds trust";
    }
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Active);
}

TEST(SupplyContract, ShipsBeforeTheSpotMarketAtTheContractPrice) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    const int id = in_force(sc, t.north, t.south, {testing::supply(t.north, t.south, t.magnet, 3000, 40'000)}, 4);
    Game game(std::move(sc), no_leverage());
    game.step();  // north now holds oxide and magnets
    // The magnet stage of turn 1 up to the spot market: what the contract moves, and at what price.
    State s = game.state();
    const Definitions& d = game.defs();
    MarketOutcome out;
    reset_outcome(d, out);
    const double buyer_cash = s.countries[t.south].economy_cash, seller_cash = s.countries[t.north].economy_cash;
    const double buyer_stock = s.countries[t.south].stock[t.magnet];
    ship_contracts(d, s, t.magnet, Cutoff{}, out);
    const double shipped = out.flows[t.magnet](t.north, t.south);
    EXPECT_GE(shipped, 3000.0 - 1e-9) << "this turn's volume (and any arrears)";
    EXPECT_NEAR(find_agreement(s, id)->progress[0].this_turn, shipped, 1e-9);
    EXPECT_NEAR(s.countries[t.south].stock[t.magnet] - buyer_stock, shipped, 1e-9);
    EXPECT_NEAR(s.countries[t.south].economy_cash - buyer_cash, -40'000 * shipped, 1e-3);
    EXPECT_NEAR(out.cash(t.south, CashFlow::Purchases), -40'000 * shipped, 1e-3);
    EXPECT_NEAR(out.cash(t.north, CashFlow::Sales), 40'000 * shipped, 1e-3);
    // The seller is paid the price and pays the cost of what it made for the contract.
    EXPECT_NEAR(s.countries[t.north].economy_cash - seller_cash,
                40'000 * shipped + out.cash(t.north, CashFlow::ProductionCost), 1e-3);
    // What the contract made is no longer on offer in the spot market that follows.
    EXPECT_GT(out.produced(t.north, t.magnet), 0.0);
}

TEST(SupplyContract, HasFirstClaimOnTheExportQuotaAndMakesUpArrearsLater) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.countries[t.north].export_quota[t.magnet] = 1000;  // t/turn, over all destinations
    const int id = in_force(sc, t.north, t.south, {testing::supply(t.north, t.south, t.magnet, 3000, 40'000)}, 4);
    Game game(std::move(sc), no_leverage());
    game.set_policy(t.north, on_turn(1, [&](PolicyContext& ctx) { ctx.issue(SetExportQuota{t.magnet, kUnlimited}); }));
    const TurnRecord& first = game.step();
    // The contract ships first, so the spot market finds the quota used up.
    EXPECT_NEAR(first.outcome.flows[t.magnet](t.north, t.south), 1000.0, 1e-9);
    EXPECT_EQ(first.outcome.flows[t.magnet](t.north, t.east), 0.0);
    EXPECT_NEAR(agreement(game, id).progress[0].arrears, 2000.0, 1e-9);
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Active) << "2000 t behind is within a turn's grace";
    game.step();  // the quota is lifted
    const ClauseProgress& p = agreement(game, id).progress[0];
    EXPECT_NEAR(p.delivered, 6000.0, 1e-6) << "two turns' volume after two turns";
    EXPECT_EQ(p.arrears, 0.0);
}

TEST(SupplyContract, UnlicensedRouteDoesNotShipAndBecomesTheSellersBreachAfterTheGrace) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.rule(t.north, t.magnet, t.south).regime = Regime::Licensed;
    const int id = in_force(sc, t.north, t.south, {testing::supply(t.north, t.south, t.magnet, 1000, 50'000)}, 4);
    Game game(std::move(sc), no_leverage());
    game.set_policy(t.north, denying_licenses());
    const TrustParams& tp = game.defs().negotiation.trust;
    ASSERT_DOUBLE_EQ(game.defs().negotiation.arrears_grace, 1.0);

    const TurnRecord& first = game.step();
    EXPECT_EQ(first.outcome.flows[t.magnet](t.north, t.south), 0.0);
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Active) << "one turn behind is within the grace";
    EXPECT_NEAR(agreement(game, id).progress[0].arrears, 1000.0, 1e-9);

    game.step();
    const Agreement& a = agreement(game, id);
    EXPECT_EQ(a.status, AgreementStatus::Breached);
    EXPECT_EQ(a.ended_by, t.north);
    EXPECT_EQ(a.ended_turn, 1);
    EXPECT_EQ(a.breaches, 1);
    auto breaches = events_of(game, "agreement_breach");
    ASSERT_EQ(breaches.size(), 1u);
    EXPECT_EQ(breaches[0].country, t.north);
    EXPECT_EQ(breaches[0].target, t.south);
    EXPECT_EQ(breaches[0].data["agreement"], id);
    EXPECT_TRUE(contains(breaches[0].text, "delivered 0 of 2000 t of magnet owed")) << breaches[0].text;
    // The wronged party loses trust in the breaker; third countries a share of that.
    EXPECT_NEAR(trust(game.state(), t.south, t.north), 0.5 - tp.breach, 1e-12);
    EXPECT_NEAR(trust(game.state(), t.east, t.north), 0.5 - tp.reputation * tp.breach, 1e-12);
    EXPECT_NEAR(trust(game.state(), t.north, t.south), 0.5, 1e-12);
}

// ---- Licenses, regimes, tariffs -----------------------------------------------------------------

TEST(LicenseClause, GrantsAGeneralLicenseWhoseVolumeShips) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.rule(t.north, t.magnet, t.south).regime = Regime::Licensed;
    const int id = in_force(sc, t.north, t.south,
                            {testing::general_license(t.north, t.south, t.magnet, 3000, /*civilian_only=*/false)}, 4);
    Game game(std::move(sc), no_leverage());
    game.set_policy(t.north, denying_licenses());  // the agreement's license is the only one
    ASSERT_EQ(game.state().licenses.size(), 1u);
    const License granted = game.state().licenses[0];
    EXPECT_EQ(granted.agreement_id, id);
    EXPECT_EQ(agreement(game, id).progress[0].license_id, granted.id);
    EXPECT_EQ(granted.exporter, t.north);
    EXPECT_EQ(granted.importer, t.south);
    EXPECT_EQ(granted.good, t.magnet);
    EXPECT_EQ(granted.tonnes_per_turn, 3000.0);
    EXPECT_EQ(granted.first_turn, 0);
    EXPECT_EQ(granted.last_turn, 3);
    EXPECT_EQ(review_days(game.defs(), game.state(), t.north, t.south, t.magnet), 0.0) << "max_delay 0";
    EXPECT_EQ(review_days(game.defs(), game.state(), t.north, t.east, t.magnet), game.defs().licensing.review_days);
    for (int turn = 0; turn < 2; ++turn) {
        double flow = game.step().outcome.flows[t.magnet](t.north, t.south);
        EXPECT_GT(flow, 1000.0) << "turn " << turn;
        EXPECT_LE(flow, 3000.0 + 1e-6) << "turn " << turn;
    }
    EXPECT_GT(game.state().licenses[0].shipped, 2000.0);
}

TEST(RegimeClause, SetsTheRegimeWhenTheAgreementStarts) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.rule(t.north, t.magnet, t.south).regime = Regime::Embargo;
    in_force(sc, t.north, t.south, {testing::regime_change(t.north, t.south, t.magnet, Regime::Open)}, 4);
    EXPECT_EQ(sc.initial.rule(t.north, t.magnet, t.south).regime, Regime::Open);
    EXPECT_EQ(sc.initial.rule(t.north, t.magnet, t.east).regime, Regime::Open);
    Game game(std::move(sc), no_leverage());
    EXPECT_GT(game.step().outcome.flows[t.magnet](t.north, t.south), 1000.0);
}

// An agreement's regime clause changes the route as set_regime would, so it is logged as one: a
// regime_change event naming the agreement (issue 15, the modder's list, item 5).
TEST(RegimeClause, AnAcceptedAgreementLogsARegimeChange) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.rule(t.north, t.magnet, t.east).regime = Regime::Embargo;
    Game game(std::move(sc), no_leverage());
    game.set_policy(t.north, testing::proposing(0, testing::offer(t.east, {testing::regime_change(t.north, t.east, t.magnet,
                                                                                                  Regime::Licensed)})));
    game.set_policy(t.east, testing::accepting());
    game.step();
    EXPECT_TRUE(events_of(game, "regime_change").empty()) << "the proposal is heard in the next turn";
    game.step();
    const auto changes = events_of(game, "regime_change");
    ASSERT_EQ(changes.size(), 1u);
    const GameEvent& e = changes[0];
    EXPECT_EQ(e.country, t.north);
    EXPECT_EQ(e.target, t.east);
    EXPECT_EQ(e.data.value("destination", ""), "east");
    EXPECT_EQ(e.data.value("good", ""), "magnet");
    EXPECT_EQ(e.data.value("regime", ""), "licensed");
    ASSERT_FALSE(game.state().agreements.empty());
    EXPECT_EQ(e.data.value("agreement", -1), game.state().agreements[0].id);
    EXPECT_TRUE(contains(e.text, "(agreement ")) << e.text;
    EXPECT_EQ(game.state().rule(t.north, t.magnet, t.east).regime, Regime::Licensed);
}

TEST(TariffClause, SetsTheImportersTariffOnTheGoodFromThePartner) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    for (GoodId g : sc.defs->good_ids()) {
        sc.initial.tariff_on(t.south, g, t.north) = 0.3;
        sc.initial.tariff_on(t.south, g, t.east) = 0.3;
    }
    in_force(sc, t.south, t.north, {testing::tariff_cap(t.south, t.north, t.magnet, 0.05)}, 4);
    EXPECT_DOUBLE_EQ(sc.initial.tariff_on(t.south, t.magnet, t.north), 0.05);
    EXPECT_DOUBLE_EQ(sc.initial.tariff_on(t.south, t.oxide, t.north), 0.3) << "other goods keep theirs";
    EXPECT_DOUBLE_EQ(sc.initial.tariff_on(t.south, t.magnet, t.east), 0.3) << "other origins keep theirs";
    // "All goods" (good -1) sets every good from the partner.
    in_force(sc, t.south, t.east, {testing::tariff_cap(t.south, t.east, std::nullopt, 0.0)}, 4);
    for (GoodId g : sc.defs->good_ids()) EXPECT_DOUBLE_EQ(sc.initial.tariff_on(t.south, g, t.east), 0.0);
}

// ---- Binding mode: commands that would break an agreement are refused ---------------------------

struct Refusals {
    CommandResult tighten_route, revoke_license, tighten_all, raise_tariff, raise_all_tariffs;
};

TEST(BindingAgreement, RefusesCommandsThatWouldBreakItAndNamesIt) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    ASSERT_TRUE(sc.defs->negotiation.binding);
    sc.initial.rule(t.north, t.magnet, t.south).regime = Regime::Licensed;
    const int id = in_force(sc, t.north, t.south,
                            {testing::general_license(t.north, t.south, t.magnet, 3000, false),
                             testing::tariff_cap(t.south, t.north, t.magnet, 0.05)},
                            8);
    const int license_id = sc.initial.licenses.at(0).id;
    Game game(std::move(sc), no_leverage());
    Refusals r;
    game.set_policy(t.north, on_turn(0, [&](PolicyContext& ctx) {
                        r.tighten_route = ctx.issue(SetExportRegime{t.magnet, t.south, Regime::Embargo});
                        r.revoke_license = ctx.issue(RevokeLicense{license_id});
                        r.tighten_all = ctx.issue(SetExportRegime{t.magnet, std::nullopt, Regime::Embargo});
                    }));
    game.set_policy(t.south, on_turn(0, [&](PolicyContext& ctx) {
                        r.raise_tariff = ctx.issue(SetTariff{t.magnet, t.north, 0.2});
                        r.raise_all_tariffs = ctx.issue(SetTariff{t.magnet, std::nullopt, 0.3});
                    }));
    game.step();
    const std::string named = "agreement " + std::to_string(id) + " with ";
    EXPECT_FALSE(r.tighten_route.ok);
    EXPECT_TRUE(contains(r.tighten_route.message, named + "south")) << r.tighten_route.message;
    EXPECT_TRUE(contains(r.tighten_route.message, "keeps exports of magnet to south at most licensed"))
        << r.tighten_route.message;
    EXPECT_FALSE(r.revoke_license.ok);
    EXPECT_TRUE(contains(r.revoke_license.message,
                         "license " + std::to_string(license_id) + " was granted under " + named + "south"))
        << r.revoke_license.message;
    EXPECT_FALSE(r.raise_tariff.ok);
    EXPECT_TRUE(contains(r.raise_tariff.message, named + "north")) << r.raise_tariff.message;
    EXPECT_TRUE(contains(r.raise_tariff.message, "caps the tariff on magnet from north at 5%"))
        << r.raise_tariff.message;
    // Commands for all partners go through and leave the covered route alone.
    EXPECT_TRUE(r.tighten_all.ok) << r.tighten_all.message;
    EXPECT_TRUE(r.raise_all_tariffs.ok) << r.raise_all_tariffs.message;
    const State& s = game.state();
    EXPECT_EQ(s.rule(t.north, t.magnet, t.south).regime, Regime::Licensed);
    EXPECT_EQ(s.rule(t.north, t.magnet, t.east).regime, Regime::Embargo);
    EXPECT_DOUBLE_EQ(s.tariff_on(t.south, t.magnet, t.north), 0.05);
    EXPECT_DOUBLE_EQ(s.tariff_on(t.south, t.magnet, t.east), 0.3);
    EXPECT_FALSE(s.licenses[0].revoked);
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Active);
}

TEST(BindingAgreement, RegimeClauseHoldsTheRouteAtTheAgreedRegime) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.rule(t.north, t.magnet, t.south).regime = Regime::Embargo;
    in_force(sc, t.north, t.south, {testing::regime_change(t.north, t.south, t.magnet, Regime::Open)}, 4);
    Game game(std::move(sc), no_leverage());
    std::vector<IssuedCommand> queue;
    EventList log;
    PolicyContext ctx(game.defs(), game.state(), t.north, queue, log);
    EXPECT_FALSE(ctx.issue(SetExportRegime{t.magnet, t.south, Regime::Licensed}).ok);
    EXPECT_TRUE(ctx.issue(SetExportRegime{t.magnet, t.east, Regime::Licensed}).ok) << "other routes are free";
}

// ---- Investment partnerships --------------------------------------------------------------------

TEST(InvestmentClause, SplitsTheCapexAndShipsTheOutputShareOnceOnline) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    // South funds 60% of 8000 t/yr of magnet capacity in east for half its output.
    const int id = in_force(sc, t.south, t.east, {testing::investment(t.south, t.east, t.magnet, 8000, 0.5, 0.6)}, 12);
    Game game(std::move(sc), no_leverage());
    ASSERT_EQ(game.state().projects.size(), 1u);
    const Project started = game.state().projects[0];
    EXPECT_EQ(agreement(game, id).progress[0].project_id, started.id);
    EXPECT_EQ(started.owner, t.south);
    EXPECT_EQ(started.host, t.east);
    EXPECT_DOUBLE_EQ(started.output_share, 0.5);
    EXPECT_DOUBLE_EQ(started.owner_capex_share, 0.6);
    EXPECT_FALSE(started.private_firms);
    const double capex = project_capex(game.defs(), t.magnet, 8000);
    EXPECT_DOUBLE_EQ(started.capex, capex);
    const int lead = game.defs().process[static_cast<int>(Process::MagnetMaking)].lead_turns;
    for (int turn = 0; turn < lead + 4; ++turn) {
        const TurnRecord& r = game.step();
        const double shipped = r.outcome.flows[t.magnet](t.east, t.south);
        if (turn < lead) {
            EXPECT_EQ(shipped, 0.0) << "turn " << turn << ": nothing before the plant is online";
        } else {
            EXPECT_GT(shipped, 0.0) << "turn " << turn;
            EXPECT_LE(shipped, 0.5 * 8000 / game.defs().turns_per_year() + 1e-6) << "turn " << turn;
        }
    }
    EXPECT_TRUE(game.state().projects[0].online);
    EXPECT_NEAR(sum_cash(game, t.south, CashFlow::Capex), -0.6 * capex, 1e-3);
    EXPECT_NEAR(sum_cash(game, t.east, CashFlow::Capex), -0.4 * capex, 1e-3);
}

// ---- Stockpile loans ----------------------------------------------------------------------------

TEST(StockpileLoan, MovesInTheFirstTurnAndBackInTheLast) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.countries[t.north].stockpile[t.magnet] = 3000;
    const int id = in_force(sc, t.north, t.south, {testing::stockpile_loan(t.north, t.south, t.magnet, 2000)}, 3);
    Game game(std::move(sc), no_leverage());
    for (CountryId c : {t.north, t.south, t.east}) game.set_policy(c, quiet());
    auto piles = [&] {
        const State& s = game.state();
        return std::make_pair(s.countries[t.north].stockpile[t.magnet], s.countries[t.south].stockpile[t.magnet]);
    };
    const TurnRecord& first = game.step();
    EXPECT_EQ(piles(), std::make_pair(1000.0, 2000.0));
    EXPECT_GE(first.outcome.flows[t.magnet](t.north, t.south), 2000.0) << "recorded as trade";
    game.step();
    EXPECT_EQ(piles(), std::make_pair(1000.0, 2000.0));
    EXPECT_TRUE(events_of(game, "loan_returned").empty());
    game.step();
    EXPECT_EQ(piles(), std::make_pair(3000.0, 0.0));
    auto returned = events_of(game, "loan_returned");
    ASSERT_EQ(returned.size(), 1u);
    EXPECT_EQ(returned[0].turn, 2);
    EXPECT_EQ(returned[0].data["tonnes"], 2000.0);
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Expired);
}

TEST(StockpileLoan, BorrowerWhoSoldTheLoanCannotReturnItAndBreaches) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    // More than south's firms ever hold, so its commercial stock cannot cover the return.
    sc.initial.countries[t.north].stockpile[t.magnet] = 25000;
    const int id = in_force(sc, t.north, t.south, {testing::stockpile_loan(t.north, t.south, t.magnet, 20000)}, 3);
    Game game(std::move(sc), no_leverage());
    for (CountryId c : {t.north, t.east}) game.set_policy(c, quiet());
    auto seller = quiet();
    seller->turn = [&](PolicyContext& ctx) {
        if (ctx.state().turn == 1) {
            EXPECT_TRUE(ctx.issue(StockpileRelease{t.magnet, 20000, 0}).ok);
        }
    };
    game.set_policy(t.south, std::move(seller));
    for (int turn = 0; turn < 3; ++turn) game.step();
    const Agreement& a = agreement(game, id);
    EXPECT_EQ(a.status, AgreementStatus::Breached);
    EXPECT_EQ(a.ended_by, t.south);
    EXPECT_EQ(a.ended_turn, 2);
    EXPECT_TRUE(contains(a.end_reason, "of 20000 t of magnet lent")) << a.end_reason;
    EXPECT_LT(game.state().countries[t.north].stockpile[t.magnet], 25000.0 - 1000.0);
    EXPECT_NEAR(trust(game.state(), t.north, t.south), 0.5 - game.defs().negotiation.trust.breach, 1e-12);
    EXPECT_TRUE(events_of(game, "loan_returned").empty());
}

// North lends south 2000 t of magnets for six turns; south withdraws on turn 1 and holds on to them.
Game borrower_withdraws(bool binding, int& id) {
    Scenario sc = with_defs(trio(), [=](Definitions& d) { d.negotiation.binding = binding; });
    const Trio t(*sc.defs);
    sc.initial.countries[t.north].stockpile[t.magnet] = 3000;
    id = in_force(sc, t.north, t.south, {testing::stockpile_loan(t.north, t.south, t.magnet, 2000)}, 6);
    Game game(std::move(sc), no_leverage());
    for (CountryId c : {t.north, t.east}) game.set_policy(c, quiet());
    auto borrower = quiet();
    borrower->turn = [agreement_id = id](PolicyContext& ctx) {
        if (ctx.state().turn == 1) {
            EXPECT_TRUE(ctx.issue(Withdraw{agreement_id, "we keep the magnets"}).ok);
        }
    };
    game.set_policy(t.south, std::move(borrower));
    return game;
}

TEST(StockpileLoan, WithdrawalCallsTheLoanBackWhenTheAgreementEnds) {
    for (bool binding : {true, false}) {
        SCOPED_TRACE(binding ? "binding" : "non-binding");
        int id = 0;
        Game game = borrower_withdraws(binding, id);
        const Trio t(game.defs());
        const int last_turn_in_force = binding ? 1 + game.defs().negotiation.notice_turns : 1;
        for (int turn = 0; turn <= last_turn_in_force; ++turn) game.step();
        const State& s = game.state();
        EXPECT_EQ(s.countries[t.north].stockpile[t.magnet], 3000.0);
        EXPECT_EQ(s.countries[t.south].stockpile[t.magnet], 0.0);
        auto returned = events_of(game, "loan_returned");
        ASSERT_EQ(returned.size(), 1u);
        EXPECT_EQ(returned[0].turn, last_turn_in_force);
        EXPECT_EQ(agreement(game, id).status, AgreementStatus::Withdrawn) << "returned in full: no breach";
    }
}

// ---- Payments -----------------------------------------------------------------------------------

TEST(PaymentClause, OnceAtTheStartAndPerTurnWhileInForce) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    const double north0 = sc.initial.countries[t.north].treasury, south0 = sc.initial.countries[t.south].treasury;
    const int id =
        in_force(sc, t.south, t.north,
                 {testing::payment(t.south, t.north, 5e6, false), testing::payment(t.south, t.north, 10e6, true)}, 3);
    EXPECT_DOUBLE_EQ(sc.initial.countries[t.north].treasury, north0 + 5e6) << "the one-off payment is made at once";
    EXPECT_DOUBLE_EQ(sc.initial.countries[t.south].treasury, south0 - 5e6);
    Game game(std::move(sc), no_leverage());
    for (CountryId c : {t.north, t.south, t.east}) game.set_policy(c, quiet());  // no other treasury business
    for (int turn = 0; turn < 4; ++turn) {
        game.step();
        const int paid_turns = std::min(turn + 1, 3);
        EXPECT_NEAR(game.state().countries[t.north].treasury, north0 + 5e6 + 10e6 * paid_turns, 1e-3)
            << "turn " << turn;
        EXPECT_NEAR(game.state().countries[t.south].treasury, south0 - 5e6 - 10e6 * paid_turns, 1e-3)
            << "turn " << turn;
    }
    EXPECT_NEAR(agreement(game, id).progress[1].delivered, 30e6, 1e-6);
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Expired);
}

TEST(PaymentClause, PayerWhoCannotPayBreaches) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    sc.initial.countries[t.east].treasury = 15e6;
    const int id = in_force(sc, t.east, t.north, {testing::payment(t.east, t.north, 10e6, true)}, 4);
    Game game(std::move(sc), no_leverage());
    for (CountryId c : {t.north, t.south, t.east}) game.set_policy(c, quiet());
    game.step();
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Active);
    game.step();
    const Agreement& a = agreement(game, id);
    EXPECT_EQ(a.status, AgreementStatus::Breached);
    EXPECT_EQ(a.ended_by, t.east);
    EXPECT_EQ(a.end_reason, "could not pay $10.0M");
    EXPECT_NEAR(game.state().countries[t.east].treasury, 5e6, 1e-6) << "nothing paid in the turn it could not";
}

// ---- End-use assurances -------------------------------------------------------------------------

// South assures north its magnets go to civilian use, then its defense sector uses them.
Game end_use_game(double discovery) {
    Scenario sc = with_defs(trio(), [=](Definitions& d) { d.licensing.end_use_discovery = discovery; });
    const Trio t(*sc.defs);
    in_force(sc, t.south, t.north, {testing::end_use_assurance(t.south, t.north, t.magnet)}, 4);
    return Game(std::move(sc), no_leverage());
}

TEST(EndUseAssurance, DefenseUseFoundOutIsTheImportersBreach) {
    Game game = end_use_game(1.0);
    const Trio t(game.defs());
    const int id = game.state().agreements.at(0).id;
    const TurnRecord& r = game.step();
    ASSERT_GT(r.outcome.met(t.south, SectorId{game.defs().sector_index("defense")}), 0.0)
        << "south's defense sector uses magnets";
    auto found = events_of(game, "end_use_violation");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].country, t.south);
    EXPECT_EQ(found[0].target, t.north);
    EXPECT_EQ(found[0].data["agreement"], id);
    const Agreement& a = agreement(game, id);
    EXPECT_EQ(a.status, AgreementStatus::Breached);
    EXPECT_EQ(a.ended_by, t.south);
    ASSERT_EQ(events_of(game, "agreement_breach").size(), 1u);
    // North loses trust for the diversion (scaled by the share diverted) and for the breach.
    const TrustParams& tp = game.defs().negotiation.trust;
    const double diverted_share = found[0].data["tonnes"].get<double>() / r.outcome.flows[t.magnet](t.north, t.south);
    EXPECT_NEAR(trust(game.state(), t.north, t.south), 0.5 - tp.end_use * diverted_share - tp.breach, 1e-9);
    EXPECT_NEAR(trust(game.state(), t.east, t.south), 0.5 - tp.reputation * tp.breach, 1e-12);
}

TEST(EndUseAssurance, DiversionNobodyFindsOutLeavesTheAgreementStanding) {
    Game game = end_use_game(0.0);
    const int id = game.state().agreements.at(0).id;
    game.step();
    game.step();
    EXPECT_TRUE(events_of(game, "end_use_violation").empty());
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Active);
}

// ---- Withdrawal ---------------------------------------------------------------------------------

struct Withdrawal {
    Game game;
    int id;
    // North's attempts to re-impose the embargo during the notice period and after it.
    std::shared_ptr<std::pair<CommandResult, CommandResult>> tightening;
};

// North eases its magnet embargo on south by agreement, withdraws on turn 1, and tries to
// re-impose the embargo on turns 2 and 3.
Withdrawal withdraw_from_regime_deal(bool binding) {
    Scenario sc = with_defs(trio(), [=](Definitions& d) { d.negotiation.binding = binding; });
    const Trio t(*sc.defs);
    sc.initial.rule(t.north, t.magnet, t.south).regime = Regime::Embargo;
    const int id =
        in_force(sc, t.north, t.south, {testing::regime_change(t.north, t.south, t.magnet, Regime::Open)}, 8);
    Withdrawal w{Game(std::move(sc), no_leverage()), id, std::make_shared<std::pair<CommandResult, CommandResult>>()};
    auto north = std::make_unique<ScriptedPolicy>();
    north->turn = [t, id, results = w.tightening](PolicyContext& ctx) {
        if (ctx.state().turn == 1) {
            EXPECT_TRUE(ctx.issue(Withdraw{id, "circumstances changed"}).ok);
        }
        if (ctx.state().turn == 2) results->first = ctx.issue(SetExportRegime{t.magnet, t.south, Regime::Embargo});
        if (ctx.state().turn == 3) results->second = ctx.issue(SetExportRegime{t.magnet, t.south, Regime::Embargo});
    };
    w.game.set_policy(t.north, std::move(north));
    return w;
}

TEST(Withdrawal, BindingAgreementEndsAfterTheNoticePeriodAndCostsTrust) {
    Withdrawal w = withdraw_from_regime_deal(true);
    Game& game = w.game;
    const Trio t(game.defs());
    const TrustParams& tp = game.defs().negotiation.trust;
    ASSERT_EQ(game.defs().negotiation.notice_turns, 1);
    game.step();
    game.step();
    {
        const Agreement& a = agreement(game, w.id);
        EXPECT_EQ(a.status, AgreementStatus::Active) << "still in force during the notice period";
        EXPECT_EQ(a.withdraw_turn, 2);
        auto notice = events_of(game, "agreement_withdrawal");
        ASSERT_EQ(notice.size(), 1u);
        EXPECT_EQ(notice[0].turn, 1);
        EXPECT_EQ(notice[0].data["effective_turn"], 2);
        EXPECT_TRUE(contains(notice[0].text, "circumstances changed")) << notice[0].text;
        EXPECT_NEAR(trust(game.state(), t.south, t.north), 0.5 - tp.withdrawal, 1e-12);
        EXPECT_NEAR(trust(game.state(), t.east, t.north), 0.5 - tp.reputation * tp.withdrawal, 1e-12);
    }
    game.step();
    {
        const Agreement& a = agreement(game, w.id);
        EXPECT_EQ(a.status, AgreementStatus::Withdrawn);
        EXPECT_EQ(a.ended_turn, 2);
        EXPECT_EQ(a.ended_by, t.north);
        EXPECT_FALSE(w.tightening->first.ok) << "the agreement still binds during the notice";
        EXPECT_EQ(events_of(game, "agreement_ended").size(), 1u);
    }
    game.step();
    EXPECT_TRUE(w.tightening->second.ok) << w.tightening->second.message;
    EXPECT_EQ(game.state().rule(t.north, t.magnet, t.south).regime, Regime::Embargo);
    EXPECT_NEAR(trust(game.state(), t.south, t.north), 0.5 - tp.withdrawal, 1e-12) << "charged once";
}

// The second modder review: a withdrawal given in an agreement's last turn was accepted, announced
// as ending "after" a turn past the agreement's own end, and cost the trust its completion earns.
TEST(Withdrawal, ANoticeThatCouldOnlyTakeEffectAtTheEndIsRefused) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    const int id = in_force(sc, t.south, t.north, {testing::tariff_cap(t.south, t.north, t.magnet, 0.05)}, 2);
    Game game(std::move(sc), no_leverage());
    ASSERT_EQ(agreement(game, id).end_turn, 1);
    CommandResult answer;
    game.set_policy(t.south, on_turn(0, [&](PolicyContext& ctx) { answer = ctx.issue(Withdraw{id, ""}); }));
    game.step();
    EXPECT_FALSE(answer.ok);
    EXPECT_TRUE(contains(answer.message, "is complete at the end of")) << answer.message;
    EXPECT_TRUE(contains(answer.message, "let it run out")) << answer.message;
    game.step();
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Expired);
    EXPECT_TRUE(events_of(game, "agreement_withdrawal").empty());
}

TEST(Withdrawal, NonBindingAgreementEndsAtOnce) {
    Withdrawal w = withdraw_from_regime_deal(false);
    Game& game = w.game;
    const Trio t(game.defs());
    game.step();
    game.step();
    const Agreement& a = agreement(game, w.id);
    EXPECT_EQ(a.status, AgreementStatus::Withdrawn);
    EXPECT_EQ(a.ended_turn, 1);
    EXPECT_EQ(a.ended_by, t.north);
    EXPECT_EQ(a.withdraw_turn, -1);
    EXPECT_NEAR(trust(game.state(), t.south, t.north), 0.5 - game.defs().negotiation.trust.withdrawal, 1e-12);
    EXPECT_TRUE(events_of(game, "agreement_breach").empty());
}

// ---- Non-binding mode ---------------------------------------------------------------------------

struct Tightening {
    CommandResult command;
    Agreement agreement;
    Regime regime;
    double south_trust_in_north;
};

// North has eased its magnet embargo on south by agreement and re-imposes it on turn 1.
Tightening reimpose_embargo(bool binding) {
    Scenario sc = with_defs(trio(), [=](Definitions& d) { d.negotiation.binding = binding; });
    const Trio t(*sc.defs);
    sc.initial.rule(t.north, t.magnet, t.south).regime = Regime::Embargo;
    const int id =
        in_force(sc, t.north, t.south, {testing::regime_change(t.north, t.south, t.magnet, Regime::Open)}, 8);
    Game game(std::move(sc), no_leverage());
    Tightening out;
    game.set_policy(t.north, on_turn(1, [&](PolicyContext& ctx) {
                        out.command = ctx.issue(SetExportRegime{t.magnet, t.south, Regime::Embargo});
                    }));
    game.step();
    game.step();
    out.agreement = agreement(game, id);
    out.regime = game.state().rule(t.north, t.magnet, t.south).regime;
    out.south_trust_in_north = trust(game.state(), t.south, t.north);
    return out;
}

TEST(NonBindingAgreement, TighteningIsAcceptedAndFoundABreachAtTheEndOfTheTurn) {
    Tightening binding = reimpose_embargo(true), cheap_talk = reimpose_embargo(false);
    EXPECT_FALSE(binding.command.ok);
    EXPECT_EQ(binding.regime, Regime::Open);
    EXPECT_EQ(binding.agreement.status, AgreementStatus::Active);

    EXPECT_TRUE(cheap_talk.command.ok) << cheap_talk.command.message;
    EXPECT_EQ(cheap_talk.regime, Regime::Embargo);
    EXPECT_EQ(cheap_talk.agreement.status, AgreementStatus::Breached);
    EXPECT_EQ(cheap_talk.agreement.ended_turn, 1);
    EXPECT_EQ(cheap_talk.agreement.end_reason, "set exports of magnet to south back to embargo");
    EXPECT_NEAR(cheap_talk.south_trust_in_north, 0.5 - TrustParams{}.breach, 1e-12);
}

TEST(NonBindingAgreement, RaisingACappedTariffOrRevokingTheLicenseIsABreach) {
    Scenario sc = with_defs(trio(), [](Definitions& d) { d.negotiation.binding = false; });
    const Trio t(*sc.defs);
    sc.initial.rule(t.north, t.magnet, t.south).regime = Regime::Licensed;
    const int tariff_deal = in_force(sc, t.south, t.north, {testing::tariff_cap(t.south, t.north, t.magnet, 0.05)}, 8);
    const int license_deal =
        in_force(sc, t.north, t.south, {testing::general_license(t.north, t.south, t.magnet, 3000, false)}, 8);
    const int license_id = sc.initial.licenses.at(0).id;
    Game game(std::move(sc), no_leverage());
    game.set_policy(t.south, on_turn(0, [&](PolicyContext& ctx) {
                        EXPECT_TRUE(ctx.issue(SetTariff{t.magnet, t.north, 0.5}).ok);
                    }));
    game.set_policy(t.north,
                    on_turn(0, [&](PolicyContext& ctx) { EXPECT_TRUE(ctx.issue(RevokeLicense{license_id}).ok); }));
    game.step();
    const Agreement& tariff = agreement(game, tariff_deal);
    EXPECT_EQ(tariff.status, AgreementStatus::Breached);
    EXPECT_EQ(tariff.ended_by, t.south);
    EXPECT_TRUE(contains(tariff.end_reason, "raised its tariff on magnet from north to 50%")) << tariff.end_reason;
    const Agreement& license = agreement(game, license_deal);
    EXPECT_EQ(license.status, AgreementStatus::Breached);
    EXPECT_EQ(license.ended_by, t.north);
    EXPECT_TRUE(contains(license.end_reason, "revoked the general license")) << license.end_reason;
    EXPECT_EQ(events_of(game, "agreement_breach").size(), 2u);
}

// The modder's list (issue 15, item 4): an embargo against a non-binding supply clause is a breach
// found at the end of the turn it is imposed, not a missed delivery flagged later.
TEST(NonBindingAgreement, AnEmbargoAgainstASupplyClauseIsABreachTheSameTurn) {
    Scenario sc = with_defs(trio(), [](Definitions& d) { d.negotiation.binding = false; });
    const Trio t(*sc.defs);
    const int id = in_force(sc, t.north, t.south, {testing::supply(t.north, t.south, t.magnet, 100, 70'000)}, 8);
    Game game(std::move(sc), no_leverage());
    game.set_policy(t.north, on_turn(1, [&](PolicyContext& ctx) {
                        EXPECT_TRUE(ctx.issue(SetExportRegime{t.magnet, t.south, Regime::Embargo}).ok);
                    }));
    game.step();
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Active) << "delivered on turn 0";
    game.step();
    const Agreement& a = agreement(game, id);
    EXPECT_EQ(a.status, AgreementStatus::Breached);
    EXPECT_EQ(a.ended_turn, 1);
    EXPECT_EQ(a.ended_by, t.north);
    EXPECT_EQ(a.end_reason, "embargoed magnet to south against its supply clause");
}

// The modder's review: binding mode refuses a policy's contradicting command, but a scripted or
// injected event (history, a facilitator's inject) still can embargo a route under an agreement.
// That is the exporter's breach, as in non-binding mode, not an agreement left "in force" unkept.
TEST(BindingAgreement, AScriptedEmbargoAgainstItsClausesIsTheExportersBreach) {
    Scenario sc = trio();
    ASSERT_TRUE(sc.defs->negotiation.binding);
    const Trio t(*sc.defs);
    sc.initial.rule(t.north, t.magnet, t.south).regime = Regime::Licensed;
    const int license_deal =
        in_force(sc, t.north, t.south, {testing::general_license(t.north, t.south, t.magnet, 3000, false)}, 8);
    const int supply_deal = in_force(sc, t.north, t.east, {testing::supply(t.north, t.east, t.magnet, 100, 70'000)}, 8);
    Game game(std::move(sc), no_leverage());
    game.step();
    EXPECT_EQ(agreement(game, license_deal).status, AgreementStatus::Active);
    EXPECT_EQ(agreement(game, supply_deal).status, AgreementStatus::Active);
    for (CountryId to : {t.south, t.east}) {
        ScheduledEvent embargo;
        embargo.kind = EventKind::Regime;
        embargo.country = t.north;
        embargo.target = to;
        embargo.good = t.magnet;
        embargo.regime = Regime::Embargo;
        embargo.text = "north embargoes magnets";
        game.inject(embargo);
    }
    game.step();
    const Agreement& license = agreement(game, license_deal);
    EXPECT_EQ(license.status, AgreementStatus::Breached);
    EXPECT_EQ(license.ended_by, t.north);
    EXPECT_EQ(license.end_reason, "embargoed magnet to south");
    const Agreement& supply = agreement(game, supply_deal);
    EXPECT_EQ(supply.status, AgreementStatus::Breached);
    EXPECT_EQ(supply.ended_by, t.north);
    EXPECT_EQ(supply.end_reason, "embargoed magnet to east against its supply clause");
    EXPECT_EQ(events_of(game, "agreement_breach").size(), 2u);
}

// ---- Expiry -------------------------------------------------------------------------------------

TEST(Expiry, AgreementReachingItsEndTurnExpiresAndBothPartiesTrustMore) {
    Scenario sc = trio();
    const Trio t(*sc.defs);
    const int id = in_force(sc, t.south, t.north, {testing::tariff_cap(t.south, t.north, t.magnet, 0.05)}, 2);
    Game game(std::move(sc), no_leverage());
    const double completed = game.defs().negotiation.trust.completed;
    EXPECT_EQ(agreement(game, id).end_turn, 1);
    game.step();
    EXPECT_EQ(agreement(game, id).status, AgreementStatus::Active);
    EXPECT_NEAR(trust(game.state(), t.north, t.south), 0.5, 1e-12);
    game.step();
    const Agreement& a = agreement(game, id);
    EXPECT_EQ(a.status, AgreementStatus::Expired);
    EXPECT_EQ(a.ended_turn, 1);
    EXPECT_EQ(a.end_reason, "completed");
    EXPECT_NEAR(trust(game.state(), t.north, t.south), 0.5 + completed, 1e-12);
    EXPECT_NEAR(trust(game.state(), t.south, t.north), 0.5 + completed, 1e-12);
    EXPECT_NEAR(trust(game.state(), t.east, t.south), 0.5, 1e-12) << "third countries are not parties";
    auto ended = events_of(game, "agreement_ended");
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended[0].data["status"], "expired");
    // Once expired, the tariff is free again.
    std::vector<IssuedCommand> queue;
    EventList log;
    PolicyContext ctx(game.defs(), game.state(), t.south, queue, log);
    EXPECT_TRUE(ctx.issue(SetTariff{t.magnet, t.north, 0.5}).ok);
}

}  // namespace
}  // namespace chokepoint
