// Licence timing within a turn, renewals without gaps, scripted approval rules, tariff and
// general-licence events, and the licensing stance inside counterfactuals (docs/model.md
// §Licensing), on the trio world with quarterly turns.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include "engine/instruments/licensing.hpp"
#include "engine/markets/supply_chain.hpp"
#include "engine/sim/license_applications.hpp"
#include "engine/sim/turn.hpp"
#include "tests/engine/scenario/problems.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using testing::id_of;
using testing::good_of;

std::string trio_text() {
    std::ifstream in("tests/scenarios/trio.yaml");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The trio world with `extra` YAML appended (an events: section, licensing: …).
Scenario trio_with(const std::string& extra) { return load_scenario_text(trio_text() + extra, "trio+.yaml"); }

// Licensed volume north → south of good usable in `turn` (first-turn shares counted).
double allowance(const State& s, CountryId a, CountryId b, GoodId g, int turn) {
    double sum = 0.0;
    for (const auto& l : s.licenses)
        if (l.exporter == a && l.importer == b && l.good == g && !l.revoked && l.first_turn <= turn &&
            turn <= l.last_turn)
            sum += license_volume_now(l, turn);
    return sum;
}

TEST(LicenceTiming, ReviewTimingSplitsTheTurn) {
    Scenario sc = testing::trio();
    const Definitions& d = *sc.defs;
    EXPECT_NEAR(d.turn_days(), 91.3125, 1e-9);
    ReviewTiming t = review_timing(d, 45);
    EXPECT_EQ(t.turns, 0);
    EXPECT_NEAR(t.first_share, 1 - 45 / 91.3125, 1e-9);
    EXPECT_EQ(t.lead, 1);
    t = review_timing(d, 100);
    EXPECT_EQ(t.turns, 1);
    EXPECT_NEAR(t.first_share, 2 - 100 / 91.3125, 1e-9);
    t = review_timing(d, 2 * d.turn_days());  // the legacy processing_turns: 2
    EXPECT_EQ(t.turns, 2);
    EXPECT_EQ(t.first_share, 1.0);
    EXPECT_EQ(t.lead, 2);
}

// Licensing of magnets north → south from turn 1, every request approved in full.
const char* kLicensedFromTurn1 = R"(
events:
  - {turn: 0, type: approval_policy, country: north, good: magnet, target: all, share: 1}
  - {turn: 1, type: regime, country: north, good: magnet, target: south, regime: licensed}
)";

TEST(LicenceTiming, FortyFiveDayReviewShipsHalfTheFirstQuarter) {
    Game game(trio_with(kLicensedFromTurn1));
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    game.step();
    const TurnRecord& r1 = game.step();
    const State& s = game.state();
    double volume = 0.0, share = 0.0;
    for (const auto& l : s.licenses)
        if (l.exporter == north && l.importer == south && l.good == magnet && l.first_turn == 1) {
            volume += l.tonnes_per_turn;
            share = l.first_turn_share;
        }
    ASSERT_GT(volume, 100.0);
    EXPECT_NEAR(share, 1 - 45 / 91.3125, 1e-9);
    double flow1 = r1.outcome.flows[magnet](north, south);
    EXPECT_GT(flow1, 0.4 * volume) << "the first quarter ships about half, not nothing";
    EXPECT_LE(flow1, share * volume + 1e-6);
    const TurnRecord& r2 = game.step();
    double flow2 = r2.outcome.flows[magnet](north, south);
    EXPECT_GT(flow2, 1.5 * flow1) << "the next quarter ships the full need";
    EXPECT_LE(flow2, allowance(game.state(), north, south, magnet, 2) + 1e-6);
}

// Full approval from turn 0: licensing changes nothing (flows at renewals, unmet demand).
TEST(LicenceTiming, FullApprovalHasNoGapAtRenewalsAndMatchesOpenTrade) {
    const char* licensed = R"(
events:
  - {turn: 0, type: approval_policy, country: north, good: [oxide, magnet], target: all, share: 1}
  - {turn: 0, type: regime, country: north, good: magnet, target: all, regime: licensed}
  - {turn: 0, type: regime, country: north, good: oxide, target: all, regime: licensed}
)";
    Game open(testing::trio()), lic(trio_with(licensed));
    const CountryId north = id_of(open, "north"), south = id_of(open, "south"), east = id_of(open, "east");
    const GoodId magnet = good_of(open, "magnet");
    double unmet_open = 0.0, unmet_lic = 0.0, demand = 0.0;
    for (int t = 0; t < 12; ++t) {
        const MarketOutcome& a = open.step().outcome;
        const MarketOutcome& b = lic.step().outcome;
        for (CountryId c : {south, east}) {
            unmet_open += testing::unmet(open, a, c);
            unmet_lic += testing::unmet(lic, b, c);
            for (SectorId k : open.defs().sector_ids()) demand += a.demand(c, k);
        }
        EXPECT_GT(b.flows[magnet](north, south), 0.9 * a.flows[magnet](north, south)) << "turn " << t;
        if (t > 0) {
            EXPECT_GT(allowance(lic.state(), north, south, magnet, t), 0.99 * b.flows[magnet](north, south) - 1e-6)
                << "turn " << t;
        }
    }
    EXPECT_NEAR(unmet_lic, unmet_open, 0.002 * demand) << "open " << unmet_open << " licensed " << unmet_lic;
    int renewals = 0;
    for (const auto& l : lic.state().licenses)
        if (l.exporter == north && l.importer == south && l.good == magnet && l.first_turn > 0) ++renewals;
    EXPECT_GE(renewals, 2) << "12 turns with 4-turn licences need renewals";
}

// Licences valid one quarter with a 45-day review (per-shipment licensing, as MOFCOM's in 2025):
// the renewal is filed with the first application, to start as that licence ends. Before, each
// quarter's application was new volume again and its licence started mid-quarter, so at full
// approval every quarter shipped about half (the second historical review: China's magnet exports
// 27-40 % short of open trade, the EU's EV demand up to 27 % unmet).
TEST(LicenceTiming, QuarterLongLicencesAreRenewedWithoutAGap) {
    const char* per_quarter = R"(
events:
  - {turn: 1, type: regime, country: north, good: magnet, target: all, regime: licensed}
  - {turn: 1, type: approval_policy, country: north, good: magnet, target: all, share: 1, review_days: 45,
     validity_turns: 1}
)";
    Game open(testing::trio()), lic(trio_with(per_quarter));
    const CountryId north = id_of(open, "north"), south = id_of(open, "south");
    const GoodId magnet = good_of(open, "magnet");
    for (int t = 0; t < 8; ++t) {
        const double shipped_open = open.step().outcome.flows[magnet](north, south);
        const double shipped = lic.step().outcome.flows[magnet](north, south);
        if (t >= 2) {
            EXPECT_GT(shipped, 0.9 * shipped_open) << "turn " << t;
        }
    }
    int from_a_turns_start = 0;
    for (const auto& l : lic.state().licenses)
        if (l.exporter == north && l.importer == south && l.good == magnet && l.first_turn >= 2) {
            EXPECT_EQ(l.last_turn, l.first_turn) << "one quarter";
            if (l.first_turn_share == 1.0) ++from_a_turns_start;
        }
    EXPECT_GE(from_a_turns_start, 5) << "renewals run whole quarters";
}

// The same per-quarter licensing decided by the exporter's own policy (`mode: policy` keeps only
// the review time; the rule's validity_turns is then its default, 4, which the policy does not
// use): firms expect the route's latest licence length, so the renewals still run whole quarters.
// Before, the rule's default year counted, each pending application looked like it covered the
// next quarter, and every licence started mid-quarter again.
TEST(LicenceTiming, QuarterLongLicencesFromTheExportersPolicyAreRenewedWithoutAGap) {
    const char* per_quarter = R"(
events:
  - {turn: 1, type: regime, country: north, good: magnet, target: all, regime: licensed}
  - {turn: 1, type: approval_policy, country: north, good: magnet, target: all, mode: policy, review_days: 45}
)";
    const auto quarter_licensor = [] {
        auto p = std::make_unique<testing::ScriptedPolicy>();
        p->license = [](PolicyContext& ctx, const LicenseApplication& app) {
            ctx.issue(DecideLicense{app.id, LicenseDecisionKind::Approve, -1, 1, false});
        };
        return p;
    };
    Game open(testing::trio()), lic(trio_with(per_quarter));
    const CountryId north = id_of(open, "north"), south = id_of(open, "south");
    const GoodId magnet = good_of(open, "magnet");
    open.set_policy(north, quarter_licensor());
    lic.set_policy(north, quarter_licensor());
    for (int t = 0; t < 8; ++t) {
        const double shipped_open = open.step().outcome.flows[magnet](north, south);
        const double shipped = lic.step().outcome.flows[magnet](north, south);
        if (t >= 3) {
            EXPECT_GT(shipped, 0.9 * shipped_open) << "turn " << t;
        }
    }
    int from_a_turns_start = 0;
    for (const auto& l : lic.state().licenses)
        if (l.exporter == north && l.importer == south && l.good == magnet && l.first_turn >= 2) {
            EXPECT_EQ(l.last_turn, l.first_turn) << "one quarter";
            if (l.first_turn_share == 1.0) ++from_a_turns_start;
        }
    EXPECT_GE(from_a_turns_start, 4) << "renewals run whole quarters";
}

// Share 0 for south from turn 2 on both goods: its licensed flow stops once its licences end;
// east is unaffected; share 1 again at turn 8 brings south's flow back within two turns.
TEST(ScriptedApproval, DenialStopsOneDestinationAndRestoringBringsItBack) {
    const char* base = R"(
events:
  - {turn: 0, type: regime, country: north, good: oxide, target: all, regime: licensed}
  - {turn: 0, type: regime, country: north, good: magnet, target: all, regime: licensed}
  - {turn: 0, type: approval_policy, country: north, good: [oxide, magnet], target: all, share: 1}
)";
    const char* deny = R"(  - {turn: 2, type: approval_policy, country: north, good: [oxide, magnet], target: south, share: 0}
  - {turn: 8, type: approval_policy, country: north, good: [oxide, magnet], target: south, share: 1, text: restored}
)";
    Game ref(trio_with(base)), game(trio_with(std::string(base) + deny));
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    const GoodId magnet = good_of(game, "magnet"), oxide = good_of(game, "oxide");
    std::vector<double> south_flow, east_ref, east_flow, south_ref;
    for (int t = 0; t < 11; ++t) {
        const MarketOutcome& a = ref.step().outcome;
        const MarketOutcome& b = game.step().outcome;
        south_ref.push_back(a.flows[magnet](north, south));
        south_flow.push_back(b.flows[magnet](north, south));
        east_ref.push_back(a.flows[oxide](north, east));
        east_flow.push_back(b.flows[oxide](north, east));
    }
    // Licences approved at turns 0-1 run 4 turns; the last ends at turn 4 (or 5 for a renewal).
    for (int t = 6; t < 8; ++t) EXPECT_EQ(south_flow[t], 0.0) << "turn " << t;
    // East's licences are not touched (it buys more oxide: it makes the magnets south lacks).
    for (int t = 0; t < 8; ++t) EXPECT_GT(east_flow[t], 0.95 * east_ref[t]) << "turn " << t;
    EXPECT_GT(south_flow[9], 0.8 * south_ref[9]) << "back within two turns of share 1";
    // The decisions were logged as scripted.
    int scripted = 0;
    for (const auto& rec : game.history())
        for (const auto& e : rec.events)
            if (e.type == "license_decision" && e.data.value("scripted", false)) ++scripted;
    EXPECT_GT(scripted, 4);
}

// Rationing holds: with half of each request approved, the licensed volume stays near half of
// what firms ask for the licences' validity instead of creeping back to full by re-applications.
TEST(ScriptedApproval, PartialShareRationsForTheValidity) {
    const char* half = R"(
events:
  - {turn: 0, type: regime, country: north, good: magnet, target: south, regime: licensed}
  - {turn: 0, type: approval_policy, country: north, good: magnet, target: south, share: 0.5, validity_turns: 4}
)";
    Game game(trio_with(half));
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    for (int t = 0; t < 8; ++t) {
        game.step();
        double granted = 0.0, asked = 0.0;
        for (const auto& l : game.state().licenses)
            if (l.exporter == north && l.importer == south && l.good == magnet && l.first_turn <= t && t <= l.last_turn) {
                granted += l.tonnes_per_turn;
                asked += l.requested;
            }
        ASSERT_GT(asked, 0.0) << "turn " << t;
        EXPECT_LT(granted, 0.55 * asked) << "turn " << t;
    }
}

// An easing is not held back by the old rationing: when the scripted share rises, firms ask again
// for the part the old partial licences refused, and the licensed volume reaches the new share
// within the review time instead of at the old licences' expiry.
TEST(ScriptedApproval, AnEasingLetsFirmsAskAgainForWhatWasRefused) {
    const auto licensed_share = [](const Game& game, CountryId a, CountryId b, GoodId g, int t) {
        double granted = 0.0, asked = 0.0;
        for (const auto& l : game.state().licenses)
            if (l.exporter == a && l.importer == b && l.good == g && !l.revoked && l.first_turn <= t && t <= l.last_turn) {
                granted += l.tonnes_per_turn;
                asked += l.requested;
            }
        return std::pair{granted, asked};
    };
    const std::string start = R"(
events:
  - {turn: 0, type: regime, country: north, good: magnet, target: south, regime: licensed}
  - {turn: 0, type: approval_policy, country: north, good: magnet, target: south, share: 0.35, validity_turns: 8}
)";
    for (const bool ease : {false, true}) {
        Game game(trio_with(start + (ease ? "  - {turn: 3, type: approval_policy, country: north, good: magnet, target: "
                                            "south, share: 0.9, validity_turns: 8}\n"
                                          : "")));
        const CountryId north = id_of(game, "north"), south = id_of(game, "south");
        const GoodId magnet = good_of(game, "magnet");
        double before = 0.0;
        for (int t = 0; t < 6; ++t) {
            game.step();
            if (t == 2) before = licensed_share(game, north, south, magnet, t).first;
        }
        const auto [granted, asked] = licensed_share(game, north, south, magnet, 5);
        ASSERT_GT(before, 0.0);
        if (ease) {
            // Two turns after the easing, well before the first licences (turns 0-7) end.
            EXPECT_GT(granted, 1.6 * before) << "the refused part was asked again and approved at the new share";
        } else {
            EXPECT_LT(granted, 0.4 * asked) << "without an easing, rationing holds";
            EXPECT_LT(granted, 1.2 * before);
        }
    }
}

// A stockpile released on a date (a JOGMEC or EU reserve) goes to the country's own firms and
// serves its sectors; it used to vanish, and the shortage was the same as with no stockpile at all
// (the second historical review). South loses north's magnets in turn 1 both times.
TEST(ScriptedEvents, AStockpileReleaseSuppliesTheCountrysFirms) {
    const std::string cut = "  - {turn: 1, type: regime, country: north, good: magnet, target: south, regime: embargo}\n";
    Game none(trio_with("events:\n" + cut));
    Game released(trio_with("events:\n" + cut +
                            "  - {turn: 0, type: stockpile, country: south, good: magnet, tonnes: 2000}\n"
                            "  - {turn: 1, type: stockpile, country: south, good: magnet, tonnes: -2000}\n"));
    const CountryId south = id_of(none, "south");
    const GoodId magnet = good_of(none, "magnet");
    none.step();
    released.step();
    const double before = released.state().countries[south].stockpile[magnet];
    EXPECT_GE(before, 2000.0 - 1e-6);
    const double unmet_none = testing::unmet(none, none.step().outcome, south);
    const double unmet_released = testing::unmet(released, released.step().outcome, south);
    ASSERT_GT(unmet_none, 500.0) << "the cut-off leaves south short";
    EXPECT_LT(unmet_released, unmet_none - 1500.0) << "the 2000 t released serve south's sectors";
    EXPECT_LE(released.state().countries[south].stockpile[magnet], before - 2000.0 + 1e-6);
}

// A dated price floor (the July 2025 US–MP deal, USD 110/kg NdPr): east guarantees its magnet
// makers 200 USD/kg, well above the market, from turn 1 and lifts it at turn 3. Its treasury pays
// the top-up while the floor stands; the state and the event say what was set; 0 lifts.
TEST(ScriptedEvents, ADatedPriceFloorIsPaidByTheTreasuryUntilLifted) {
    Game ref(testing::trio());
    Game floored(trio_with(R"(
events:
  - {turn: 1, type: price_floor, country: east, good: magnet, usd_per_kg: 200}
  - {turn: 3, type: price_floor, country: east, good: magnet, usd_per_kg: 0}
)"));
    const CountryId east = id_of(ref, "east");
    const GoodId magnet = good_of(ref, "magnet");
    std::vector<double> paid;  // the floored game's treasury below the reference's, per turn
    for (int t = 0; t < 5; ++t) {
        ref.step();
        floored.step();
        paid.push_back(ref.state().countries[east].treasury - floored.state().countries[east].treasury);
        if (t >= 1 && t < 3) {
            EXPECT_EQ(floored.state().countries[east].price_floor[magnet], 200000.0) << "turn " << t;
        }
    }
    EXPECT_EQ(paid[0], 0.0) << "nothing before the floor";
    EXPECT_GT(paid[1], 1e6) << "the treasury tops east's magnet sales up to 200 USD/kg";
    EXPECT_GT(paid[2], paid[1]) << "and again the next turn";
    EXPECT_EQ(floored.state().countries[east].price_floor[magnet], 0.0) << "lifted at turn 3";
    EXPECT_NEAR(paid[4], paid[3], 1e-6 * std::abs(paid[3]) + 1.0) << "nothing paid once lifted";
    std::vector<std::string> texts;
    for (const auto& rec : floored.history())
        for (const auto& e : rec.events)
            if (e.type == "scripted") texts.push_back(e.text);
    ASSERT_EQ(texts.size(), 2u);
    EXPECT_EQ(texts[0], "east guarantees its magnet producers $200/kg (price floor)");
    EXPECT_EQ(texts[1], "east lifts its price floor on magnet");
    // The loader names the key of a bad value.
    const auto problems = testing::problems_of(
        trio_text() + "events:\n  - {turn: 1, type: price_floor, country: east, good: magnet, usd_per_kg: -5}\n");
    ASSERT_EQ(problems.size(), 1u) << testing::joined(problems);
    EXPECT_NE(problems[0].find("usd_per_kg"), std::string::npos) << problems[0];
    // `good` may list several: one floor each, the same USD/kg, the author's text once.
    Game both(trio_with(R"(
events:
  - {turn: 1, type: price_floor, country: east, good: [oxide, magnet], usd_per_kg: 150, text: East floors its chain}
)"));
    both.step();
    both.step();
    EXPECT_EQ(both.state().countries[east].price_floor[magnet], 150000.0);
    EXPECT_EQ(both.state().countries[east].price_floor[good_of(both, "oxide")], 150000.0);
    EXPECT_EQ(both.state().countries[east].price_floor[good_of(both, "ore")], 0.0);
    int scripted = 0;
    for (const auto& e : both.history()[1].events) scripted += e.type == "scripted";
    EXPECT_EQ(scripted, 2);
    const auto bad_good = testing::problems_of(
        trio_text() + "events:\n  - {turn: 1, type: price_floor, country: east, good: [oxide, gold], usd_per_kg: 5}\n");
    ASSERT_EQ(bad_good.size(), 1u) << testing::joined(bad_good);
    EXPECT_NE(bad_good[0].find("gold"), std::string::npos) << bad_good[0];
}

TEST(ScriptedEvents, TariffAndGeneralLicence) {
    const char* extra = R"(
events:
  - {turn: 0, type: regime, country: north, good: magnet, target: south, regime: licensed}
  - {turn: 0, type: approval_policy, country: north, good: magnet, target: south, share: 0}
  - {turn: 1, type: general_license, country: north, good: magnet, target: south, tonnes_per_turn: 3000, validity_turns: 2}
  - {turn: 1, type: tariff, country: south, good: magnet, target: all, rate: 0.2}
)";
    Game game(trio_with(extra));
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    const GoodId magnet = good_of(game, "magnet");
    std::vector<double> flow;
    for (int t = 0; t < 5; ++t) flow.push_back(game.step().outcome.flows[magnet](north, south));
    EXPECT_EQ(flow[0], 0.0);
    EXPECT_GT(flow[1], 2000.0);
    EXPECT_LE(flow[1], 3000.0 + 1e-6);
    EXPECT_LE(flow[2], 3000.0 + 1e-6);
    EXPECT_EQ(flow[3], 0.0) << "the general licence ran two turns";
    const State& s = game.state();
    EXPECT_EQ(s.tariff_on(south, magnet, north), 0.2);
    EXPECT_EQ(s.tariff_on(south, magnet, east), 0.2);
}

TEST(ScriptedEvents, BadKeysAreReportedWithPositions) {
    std::string extra = R"(
events:
  - {turn: 0, type: approval_policy, country: north, good: magnet, target: south, share: 1.5}
  - {turn: 0, type: approval_policy, country: north, good: [magnet, magnit], target: all, share: 1}
  - {turn: 0, type: approval_policy, country: north, good: magnet, target: all, mode: maybe, share: 1}
  - {turn: 0, type: tariff, country: south, good: magnet, target: south, rate: 0.1}
  - {turn: 0, type: general_license, country: north, good: magnet, target: all, tonnes_per_turn: 10}
  - {turn: 0, type: general_license, country: north, good: magnet, target: south, tonnes: 10}
)";
    std::string text = trio_text() + extra;
    auto problems = testing::problems_of(text, "t.yaml");
    using testing::pos;
    testing::expect_problem(problems, "t.yaml:" + pos(text, "1.5}") + ": events[0].share: expected a number in [0, 1], got 1.5");
    bool magnit = false, maybe = false, itself = false, all = false, tonnes = false;
    for (const auto& p : problems) {
        magnit |= p.starts_with("t.yaml:" + pos(text, "magnit]")) && p.find("magnit") != std::string::npos;
        maybe |= p.starts_with("t.yaml:" + pos(text, "maybe")) && p.find("events[2].mode") != std::string::npos;
        itself |= p.starts_with("t.yaml:" + pos(text, "south, rate")) && p.find("does not import from itself") != std::string::npos;
        all |= p.find("events[4].target") != std::string::npos && p.find("\"all\"") != std::string::npos;
        tonnes |= p.find("events[5]") != std::string::npos && p.find("tonnes") != std::string::npos;
    }
    EXPECT_TRUE(magnit && maybe && itself && all && tonnes) << testing::joined(problems);
}

// `regime` and `export_duty` take lists of goods and targets, as the licensing events do (a
// historian's "China licenses Dy/Tb oxide and magnets to everyone" is one event, not four).
TEST(ScriptedEvents, RegimeAndExportDutyEventsExpandLists) {
    Scenario sc = trio_with(R"(
events:
  - {turn: 1, type: regime, country: north, good: [oxide, magnet], target: [south, east], regime: licensed}
  - {turn: 1, type: export_duty, country: north, good: [oxide, magnet], target: all, rate: 0.2}
)");
    GameOptions quick;
    quick.measure_leverage = false;
    Game game(std::move(sc), quick);
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    const GoodId oxide = good_of(game, "oxide"), magnet = good_of(game, "magnet");
    game.step();
    game.step();
    const State& s = game.state();
    for (GoodId g : {oxide, magnet})
        for (CountryId b : {south, east}) {
            EXPECT_EQ(s.rule(north, g, b).regime, Regime::Licensed);
            EXPECT_DOUBLE_EQ(s.rule(north, g, b).duty, 0.2);
        }
    std::string text = trio_text() + R"(
events:
  - {turn: 0, type: regime, country: north, good: [oxide, magnit], target: all, regime: embargo}
  - {turn: 0, type: regime, country: north, good: magnet, target: [south, north], regime: embargo}
)";
    auto problems = testing::problems_of(text, "t.yaml");
    bool magnit = false, itself = false;
    for (const auto& p : problems) {
        magnit |= p.starts_with("t.yaml:" + testing::pos(text, "magnit]")) && p.find("events[0].good") != std::string::npos;
        itself |= p.find("events[1].target") != std::string::npos && p.find("does not export to itself") != std::string::npos;
    }
    EXPECT_TRUE(magnit && itself) << testing::joined(problems);
}

// `licensing_rules` switches the origin rules on a date (China's October 2025 content rule, its
// suspension a month later); only the keys given change, and a mistake names file, line and key.
TEST(ScriptedEvents, LicensingRulesEventsAreReadAndChecked) {
    Scenario sc = trio_with(R"(
events:
  - {turn: 2, type: licensing_rules, content_rule: true, content_threshold: 0.001}
  - {turn: 3, type: licensing_rules, content_rule: false, text: suspended for a year}
  - {turn: 4, type: licensing_rules, reexport_control: false}
)");
    std::vector<ScheduledEvent> rules;
    for (const auto& e : sc.events)
        if (e.kind == EventKind::LicensingRules) rules.push_back(e);
    ASSERT_EQ(rules.size(), 3u);
    EXPECT_EQ(rules[0].turn, 2);
    EXPECT_EQ(rules[0].rules.content_rule, true);
    EXPECT_EQ(rules[0].rules.content_threshold, 0.001);
    EXPECT_FALSE(rules[0].rules.reexport_control.has_value());
    EXPECT_EQ(rules[1].rules.content_rule, false);
    EXPECT_EQ(rules[1].text, "suspended for a year");
    EXPECT_EQ(rules[2].rules.reexport_control, false);
    EXPECT_FALSE(rules[2].rules.content_rule.has_value());

    // Played: the rules in force follow the events; the log says what changed.
    GameOptions quick;
    quick.measure_leverage = false;
    Game game(std::move(sc), quick);
    const Definitions& d = game.defs();
    EXPECT_FALSE(origin_rules(d, game.state()).content_rule);
    std::vector<std::string> lines;
    while (game.state().turn < 5) {
        const TurnRecord& r = game.step();
        for (const auto& e : r.events)
            if (e.type == "scripted") lines.push_back(e.text);
        const OriginRules now = origin_rules(d, game.state());
        EXPECT_EQ(now.content_rule, r.turn == 2) << "turn " << r.turn;
        EXPECT_EQ(now.reexport_control, r.turn < 4) << "turn " << r.turn;
    }
    EXPECT_NE(std::find(lines.begin(), lines.end(), "licensing rules: content rule in force, content threshold 0.1 % of value"),
              lines.end())
        << testing::joined(lines);
    EXPECT_NE(std::find(lines.begin(), lines.end(), "licensing rules: re-export control lifted"), lines.end());

    std::string text = trio_text() + R"(
events:
  - {turn: 0, type: licensing_rules}
  - {turn: 0, type: licensing_rules, content_rule: maybe}
  - {turn: 0, type: licensing_rules, content_threshold: 1.5}
  - {turn: 0, type: licensing_rules, country: north, content_rule: true}
)";
    auto problems = testing::problems_of(text, "t.yaml");
    using testing::pos;
    bool none = false, maybe = false, range = false, country = false;
    for (const auto& p : problems) {
        none |= p.find("events[0]") != std::string::npos && p.find("give content_rule, content_threshold or reexport_control") != std::string::npos;
        maybe |= p.starts_with("t.yaml:" + pos(text, "maybe")) && p.find("events[1].content_rule") != std::string::npos;
        range |= p.starts_with("t.yaml:" + pos(text, "1.5}")) && p.find("events[2].content_threshold") != std::string::npos;
        country |= p.find("events[3].country") != std::string::npos;
    }
    EXPECT_TRUE(none && maybe && range && country) << testing::joined(problems);
}

TEST(ScriptedEvents, LegacyProcessingTurnsAndReviewDays) {
    Scenario sc = trio_with("licensing:\n  processing_turns: 1\n");
    EXPECT_EQ(review_timing(*sc.defs, review_days(*sc.defs, sc.initial, CountryId{0}, CountryId{1}, GoodId{2})).turns, 1);
    sc = trio_with("licensing:\n  review_days: 30\n");
    EXPECT_EQ(review_days(*sc.defs, sc.initial, CountryId{0}, CountryId{1}, GoodId{2}), 30.0);
    std::string text = trio_text() + "licensing:\n  review_days: 30\n  processing_turns: 1\n";
    testing::expect_problem(testing::problems_of(text, "t.yaml"),
                            "t.yaml:" + testing::pos(text, "processing_turns") +
                                ": licensing.processing_turns: give either review_days or the older processing_turns, not both");
}

// After north denied south, a counterfactual turn does not approve south's applications;
// outside counterfactuals the autopilot still approves with its parameters.
TEST(CounterfactualStance, RecordedPracticeDecidesInsideCounterfactuals) {
    Scenario sc = trio_with(R"(
events:
  - {turn: 0, type: regime, country: north, good: magnet, target: all, regime: licensed}
)");
    Game game(std::move(sc));
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    const GoodId magnet = good_of(game, "magnet");
    auto policy = std::make_unique<testing::ScriptedPolicy>();
    AutopilotPolicy autopilot;
    policy->license = [south, autopilot](PolicyContext& ctx, const LicenseApplication& app) mutable {
        if (app.importer == south)
            ctx.issue(DecideLicense{app.id, LicenseDecisionKind::Deny, -1.0, 4, false});
        else
            autopilot.on_license_request(ctx, app);
    };
    game.set_policy(north, std::move(policy));
    for (int t = 0; t < 3; ++t) game.step();
    EXPECT_EQ(practice_share(game.state(), LicenseApplication{.exporter = north, .importer = south, .good = magnet}, 1.0), 0.0);

    auto decisions = [&](bool counterfactual) {
        State s = game.state();
        TurnOptions opt;
        opt.scheduled_events = false;
        opt.random_shocks = false;
        opt.negotiation = false;
        opt.counterfactual = counterfactual;
        EventList log;
        play_turn(game.defs(), s, {}, {}, opt, log);
        std::pair<int, int> approved_south_east{0, 0};
        for (const auto& e : log)
            if (e.type == "license_decision" && e.data.value("decision", "") == "approved") {
                if (e.target == south) ++approved_south_east.first;
                if (e.target == east) ++approved_south_east.second;
            }
        return approved_south_east;
    };
    auto cf = decisions(true), live = decisions(false);
    EXPECT_EQ(cf.first, 0) << "the counterfactual keeps north's refusal of south";
    EXPECT_GT(live.first, 0) << "the autopilot outside counterfactuals approves by its parameters";
    (void)cf.second;
}

// A scripted rule applies inside counterfactuals too (it lives in State).
TEST(CounterfactualStance, ScriptedRulesApplyInsideCounterfactuals) {
    Game game(trio_with(R"(
events:
  - {turn: 0, type: regime, country: north, good: magnet, target: all, regime: licensed}
  - {turn: 1, type: approval_policy, country: north, good: magnet, target: south, share: 0}
)"));
    const CountryId south = id_of(game, "south");
    game.step();
    game.step();
    State s = game.state();
    TurnOptions opt;
    opt.scheduled_events = false;
    opt.counterfactual = true;
    EventList log;
    for (int t = 0; t < 5; ++t) play_turn(game.defs(), s, {}, {}, opt, log);  // past the licences in force
    int denied = 0, approved = 0;
    for (const auto& e : log)
        if (e.type == "license_decision" && e.target == south)
            (e.data.value("decision", "") == "approved" ? approved : denied) += 1;
    EXPECT_EQ(approved, 0);
    EXPECT_GT(denied, 0);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// The minimum request (docs/model.md §Constants in the code): firms file nothing for a route and
// good whose request, 1.15 × need, is under 0.5 t/turn, and drop an end-use part under 0.1 t.
// East makes more magnets than it uses here, so its need from North is the relationship alone.
TEST(LicenceApplications, RequestsUnderTheMinimumAreNotFiled) {
    auto filed_for = [](double established) {
        Scenario sc = testing::trio();
        const Definitions& d = *sc.defs;
        State s = sc.initial;
        const CountryId north = d.country_id("north"), east = d.country_id("east");
        const GoodId magnet{d.good_index("magnet")};
        s.turn = 1;
        seed_relationships(d, s);
        s.countries[east].capacity[magnet] = 1e7;
        s.rule(north, magnet, east).regime = Regime::Licensed;
        s.established[magnet](north, east) = established;
        EventList log;
        file_license_applications(d, s, log);
        std::vector<double> parts;
        for (const auto& app : s.applications)
            if (app.exporter == north && app.importer == east && app.good == magnet) parts.push_back(app.tonnes_per_turn);
        return parts;
    };
    EXPECT_TRUE(filed_for(0.0).empty());
    EXPECT_TRUE(filed_for(0.4).empty()) << "1.15 x 0.4 t = 0.46 t: under the minimum";
    const std::vector<double> parts = filed_for(0.5);  // 0.575 t: the civilian part; defense rounds to 0
    ASSERT_EQ(parts.size(), 1u);
    EXPECT_NEAR(parts[0], 0.5, 1e-9);
    const std::vector<double> more = filed_for(40.0);  // 46 t: both parts, in whole tenths
    ASSERT_EQ(more.size(), 2u);
    for (double t : more) EXPECT_NEAR(t * 10, std::round(t * 10), 1e-6);
    EXPECT_NEAR(more[0] + more[1], 46.0, 0.2);
}

}  // namespace
}  // namespace chokepoint
