// The scenario loader: a valid file loads with units converted and defaults
// filled; every kind of mistake is reported at the right file, line, column
// and key path. Broken variants are made by editing the minimal fixture so
// each test shows exactly the one change it makes.
#include "engine/scenario/loader.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include <cmath>
#include <string>
#include <vector>

#include "tests/engine/scenario/problems.hpp"
#include "tests/support/files.hpp"

namespace chokepoint {
namespace {

using testing::expect_problem;
using testing::fixture;
using testing::joined;
using testing::kFixture;
using testing::pos;
using testing::problems_of;

// Replaces the only occurrence of `from`; a fixture edit that no longer
// matches (or matches twice) must fail loudly, not test nothing.
std::string edit(const std::string& text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
        ADD_FAILURE() << "edit target must occur exactly once: " << from;
        return text;
    }
    std::string out = text;
    out.replace(at, from.size(), to);
    return out;
}

// ---- A valid scenario ------------------------------------------------------------

TEST(ScenarioLoader, LoadsTheMinimalFixture) {
    Scenario s = load_scenario(kFixture);
    EXPECT_EQ(s.path, kFixture);
    ASSERT_TRUE(s.defs);
    const Definitions& d = *s.defs;
    EXPECT_EQ(d.scenario_name, "Minimal test");
    EXPECT_EQ(d.description, "Three countries and the five default goods.");  // folded, newline trimmed
    EXPECT_EQ(d.start_year, 2026);
    EXPECT_EQ(d.start_month, 1);
    EXPECT_EQ(d.turns, 8);
    EXPECT_EQ(d.turn_months, 3);
    EXPECT_EQ(d.seed, 7u);

    ASSERT_EQ(d.good_count(), 5);
    EXPECT_EQ(d.goods[GoodId{0}].id, "ndpr_concentrate");
    EXPECT_EQ(d.goods[GoodId{4}].id, "ndfeb_magnet");
    EXPECT_EQ(d.goods[GoodId{4}].process, Process::MagnetMaking);
    EXPECT_EQ(d.goods[GoodId{4}].stage, 2);
    // USD/kg in the file, USD/t in the engine.
    EXPECT_DOUBLE_EQ(d.goods[GoodId{0}].reference_price, 25'000.0);
    EXPECT_DOUBLE_EQ(d.goods[GoodId{0}].transport_cost, 500.0);
    EXPECT_DOUBLE_EQ(d.goods[GoodId{0}].env_cost, 3'000.0);
    EXPECT_DOUBLE_EQ(d.goods[GoodId{1}].transport_cost, 0.0);
    EXPECT_TRUE(d.goods[GoodId{0}].recipe.empty());
    ASSERT_EQ(d.goods[GoodId{4}].recipe.size(), 2u);
    EXPECT_EQ(d.goods[GoodId{4}].recipe[0].good, GoodId{d.good_index("ndpr_oxide")});
    EXPECT_DOUBLE_EQ(d.goods[GoodId{4}].recipe[0].tonnes_per_tonne, 0.30);
    EXPECT_EQ(d.goods[GoodId{4}].recipe[1].good, GoodId{d.good_index("dytb_oxide")});
    EXPECT_DOUBLE_EQ(d.goods[GoodId{4}].recipe[1].tonnes_per_tonne, 0.03);

    ASSERT_EQ(d.sector_count(), 2);
    EXPECT_EQ(d.sectors[SectorId{0}].good, GoodId{4});
    EXPECT_FALSE(d.sectors[SectorId{0}].defense);
    EXPECT_TRUE(d.sectors[SectorId{1}].defense);
    EXPECT_DOUBLE_EQ(d.sectors[SectorId{0}].value_per_tonne, 2'000'000.0);
    EXPECT_DOUBLE_EQ(d.sectors[SectorId{0}].criticality, 1.0);  // default
    EXPECT_DOUBLE_EQ(d.sectors[SectorId{1}].criticality, 3.0);
    EXPECT_DOUBLE_EQ(d.sectors[SectorId{0}].growth, 0.15);

    EXPECT_DOUBLE_EQ(d.market.demand_elasticity, 0.25);
    EXPECT_EQ(d.market.demand_steps, 12);  // default
    EXPECT_EQ(d.market.cost_steps, (std::vector<double>{0.8, 1.0, 1.3}));
    const auto& sep = d.process[static_cast<int>(Process::Separation)];
    EXPECT_EQ(sep.lead_turns, 10);
    EXPECT_DOUBLE_EQ(sep.capex_per_tpy, 25'000.0);  // USD thousands → USD
    EXPECT_DOUBLE_EQ(sep.ramp_start, 0.3);
    const auto& mining = d.process[static_cast<int>(Process::Mining)];
    EXPECT_EQ(mining.lead_turns, 28);  // per-process default
    EXPECT_DOUBLE_EQ(mining.capex_per_tpy, 40'000.0);
    EXPECT_DOUBLE_EQ(d.process[static_cast<int>(Process::MagnetMaking)].capex_per_tpy, 15'000.0);
    EXPECT_DOUBLE_EQ(d.leverage.weight_materials, 0.6);
    EXPECT_DOUBLE_EQ(d.leverage.weight_market_access, 0.4);
    EXPECT_EQ(d.leverage.horizon_turns, 4);
    EXPECT_EQ(d.licensing.processing_turns, 2);
    EXPECT_EQ(d.licensing.expiry_turns, 4);
    ASSERT_EQ(d.random_shocks.size(), 1u);
    EXPECT_EQ(d.random_shocks[0].id, "mine_outage");
    EXPECT_DOUBLE_EQ(d.random_shocks[0].capacity_factor, 0.7);
    EXPECT_EQ(d.random_shocks[0].turns, 2);

    ASSERT_EQ(d.country_count(), 3);
    const CountryId china = d.country_id("china"), usa = d.country_id("usa"), japan = d.country_id("japan");
    const CountryDef& cn = d.countries[china];
    EXPECT_DOUBLE_EQ(cn.gdp, 18'700'000e6);  // USD millions → USD
    EXPECT_DOUBLE_EQ(cn.env_weight, 0.3);
    EXPECT_DOUBLE_EQ(d.countries[usa].env_weight, 1.0);  // default
    EXPECT_DOUBLE_EQ(cn.lon, 104.2);
    EXPECT_DOUBLE_EQ(d.countries[usa].lon, -98.6);
    EXPECT_DOUBLE_EQ(cn.reserves[GoodId{0}], 44'000'000.0);
    EXPECT_EQ(cn.reserves.size(), 5u);
    ASSERT_EQ(cn.exports_to.size(), 3u);
    EXPECT_DOUBLE_EQ(cn.exports_to[usa], 439'000e6);
    EXPECT_DOUBLE_EQ(cn.exports_to[china], 0.0);
    EXPECT_DOUBLE_EQ(cn.autopilot.license_approval_share, 0.7);
    EXPECT_TRUE(cn.autopilot.deny_defense_end_use);
    EXPECT_DOUBLE_EQ(d.countries[usa].autopilot.license_approval_share, 0.8);
    EXPECT_EQ(d.countries[japan].policy, "autopilot");  // default
    EXPECT_TRUE(d.countries[japan].human);
    EXPECT_FALSE(cn.human);
}

TEST(ScenarioLoader, FillsTheInitialState) {
    Scenario s = load_scenario(kFixture);
    const Definitions& d = *s.defs;
    const State& st = s.initial;
    const CountryId china{0}, usa{1}, japan{2};
    const GoodId ndpr_conc{0}, ndpr_ox{2}, dytb_ox{3}, magnet{4};
    EXPECT_EQ(st.turn, 0);
    EXPECT_EQ(st.next_id, 1);
    ASSERT_EQ(st.countries.size(), 3u);
    for (const auto& c : st.countries) {
        EXPECT_EQ(c.capacity.size(), 5u);
        EXPECT_EQ(c.unit_cost.size(), 5u);
        EXPECT_EQ(c.stock.size(), 5u);
        EXPECT_EQ(c.stockpile.size(), 5u);
        EXPECT_EQ(c.thrift.size(), 5u);
        EXPECT_EQ(c.production_quota.size(), 5u);
        EXPECT_EQ(c.export_quota.size(), 5u);
        EXPECT_EQ(c.subsidy.size(), 5u);
        EXPECT_EQ(c.price_floor.size(), 5u);
        EXPECT_EQ(c.stockpile_target_months.size(), 5u);
        EXPECT_EQ(c.sector_demand.size(), 2u);
        EXPECT_EQ(c.trust.size(), 3u);
        EXPECT_EQ(c.reserves.size(), 5u);
    }
    const CountryState& cn = st.countries[china];
    EXPECT_DOUBLE_EQ(cn.treasury, 500'000e6);
    EXPECT_DOUBLE_EQ(cn.reserves[ndpr_conc], 44'000'000.0);  // state starts with the defined endowment
    EXPECT_DOUBLE_EQ(st.countries[japan].reserves[ndpr_conc], 0.0);
    EXPECT_DOUBLE_EQ(cn.economy_cash, 0.0);
    EXPECT_DOUBLE_EQ(cn.capacity[ndpr_conc], 210'000.0);  // t/yr, as written
    EXPECT_DOUBLE_EQ(cn.unit_cost[ndpr_conc], 12'000.0);
    EXPECT_DOUBLE_EQ(cn.stock[ndpr_ox], 8'000.0);
    EXPECT_DOUBLE_EQ(cn.stockpile[dytb_ox], 600.0);
    EXPECT_DOUBLE_EQ(cn.stockpile_target_months[dytb_ox], 6.0);
    EXPECT_DOUBLE_EQ(cn.sector_demand[SectorId{1}], 5'000.0);
    // Quotas: t/yr in the file, t/turn in the state (4 turns a year).
    EXPECT_DOUBLE_EQ(cn.production_quota[ndpr_conc], 67'500.0);
    EXPECT_DOUBLE_EQ(cn.export_quota[ndpr_ox], 7'500.0);
    EXPECT_EQ(cn.export_quota[magnet], kUnlimited);
    EXPECT_EQ(st.countries[usa].production_quota[ndpr_conc], kUnlimited);
    EXPECT_DOUBLE_EQ(cn.subsidy[ndpr_ox], 5'000.0);
    EXPECT_DOUBLE_EQ(st.countries[usa].price_floor[ndpr_ox], 110'000.0);
    // Trust: default, named, self.
    EXPECT_DOUBLE_EQ(cn.trust[usa], 0.3);
    EXPECT_DOUBLE_EQ(cn.trust[japan], 0.5);
    EXPECT_DOUBLE_EQ(cn.trust[china], 1.0);
    EXPECT_DOUBLE_EQ(st.countries[usa].trust[china], 0.2);
    EXPECT_DOUBLE_EQ(st.countries[usa].trust[japan], 0.5);
    EXPECT_DOUBLE_EQ(st.countries[japan].trust[japan], 1.0);

    // Trade rules: [exporter][good][destination], 3 countries and 5 goods.
    EXPECT_TRUE(st.rules.covers(3, 5));
    EXPECT_FALSE(st.rules.covers(3, 4));
    EXPECT_EQ(st.rule(china, dytb_ox, usa).regime, Regime::Licensed);
    EXPECT_EQ(st.rule(china, dytb_ox, japan).regime, Regime::Open);
    EXPECT_EQ(st.rule(china, dytb_ox, china).regime, Regime::Open);
    EXPECT_EQ(st.rule(usa, dytb_ox, china).regime, Regime::Open);
    EXPECT_DOUBLE_EQ(st.rule(china, ndpr_ox, usa).duty, 0.15);
    EXPECT_DOUBLE_EQ(st.rule(china, ndpr_ox, japan).duty, 0.15);
    EXPECT_DOUBLE_EQ(st.rule(china, ndpr_ox, china).duty, 0.0);
    EXPECT_TRUE(st.tariff.covers(3, 5));
    EXPECT_DOUBLE_EQ(st.tariff_on(usa, magnet, china), 0.25);
    EXPECT_DOUBLE_EQ(st.tariff_on(usa, magnet, japan), 0.0);

    // Expectations start at the reference prices; last turn's outcome is sized and empty.
    EXPECT_EQ(st.smoothed_price.rows, 3);
    EXPECT_EQ(st.smoothed_price.cols, 5);
    EXPECT_DOUBLE_EQ(st.smoothed_price(japan, magnet), 60'000.0);
    EXPECT_DOUBLE_EQ(st.last.price(usa, ndpr_conc), 25'000.0);
    EXPECT_DOUBLE_EQ(st.last.supply_price(china, dytb_ox), 450'000.0);
    for (const Grid<double, CountryId, GoodId>* g : {&st.last.produced, &st.last.consumed, &st.last.used_as_input, &st.last.imported,
                                  &st.last.exported, &st.last.stock_change, &st.last.stockpile_change}) {
        EXPECT_EQ(g->rows, 3);
        EXPECT_EQ(g->cols, 5);
        EXPECT_EQ(*g, (Grid<double, CountryId, GoodId>(3, 5, 0.0)));
    }
    EXPECT_EQ(st.last.demand, (Grid<double, CountryId, SectorId>(3, 2, 0.0)));
    EXPECT_EQ(st.last.met, (Grid<double, CountryId, SectorId>(3, 2, 0.0)));
    ASSERT_EQ(st.last.flows.size(), 5u);
    for (const auto& f : st.last.flows) EXPECT_EQ(f, CountryMatrix<>(3, 3, 0.0));
    EXPECT_EQ(st.last.cash, (Grid<double, CountryId, CashFlow>(3, kCashFlowCount, 0.0)));
    EXPECT_EQ(st.last.env_cost, (Grid<double, CountryId, GoodId>(3, 5, 0.0)));
    EXPECT_TRUE(st.applications.empty() && st.licenses.empty() && st.projects.empty() && st.shocks.empty());
    (void)d;
}

TEST(ScenarioLoader, SeedsTheRngWithSplitmix64) {
    // Reference outputs of splitmix64 from state 0 (Vigna's splitmix64.c).
    Scenario s = load_scenario_text(edit(fixture(), "seed: 7", "seed: 0"), "seed.yaml");
    EXPECT_EQ(s.initial.rng_state[0], 0xe220a8397b1dcdafULL);
    EXPECT_EQ(s.initial.rng_state[1], 0x6e789e6aa1b965f4ULL);
    EXPECT_EQ(s.initial.rng_state[2], 0x06c45d188009454fULL);
    EXPECT_EQ(s.initial.rng_state[3], 0xf88bb8a8724c81ecULL);
    Scenario seven = load_scenario(kFixture);
    EXPECT_NE(seven.initial.rng_state[0], s.initial.rng_state[0]);
}

TEST(ScenarioLoader, ConvertsAndSortsEvents) {
    Scenario s = load_scenario(kFixture);
    ASSERT_EQ(s.events.size(), 5u);
    // Sorted by turn; the two turn-1 events keep their file order.
    EXPECT_EQ(s.events[0].kind, EventKind::Demand);
    EXPECT_EQ(s.events[1].kind, EventKind::Regime);
    EXPECT_EQ(s.events[2].kind, EventKind::News);
    EXPECT_EQ(s.events[3].kind, EventKind::ExportQuota);
    EXPECT_EQ(s.events[4].kind, EventKind::Project);

    const ScheduledEvent& demand = s.events[0];
    EXPECT_EQ(demand.turn, 0);
    EXPECT_EQ(demand.country, kNoCountry);  // all
    EXPECT_EQ(demand.sector, SectorId{1});
    EXPECT_DOUBLE_EQ(demand.factor, 1.2);

    const ScheduledEvent& regime = s.events[1];
    EXPECT_EQ(regime.turn, 1);
    EXPECT_EQ(regime.country, CountryId{0});
    EXPECT_EQ(regime.good, GoodId{3});
    EXPECT_EQ(regime.target, kNoCountry);
    EXPECT_EQ(regime.regime, Regime::Embargo);

    EXPECT_EQ(s.events[2].text, "Markets brace for licensing");

    const ScheduledEvent& quota = s.events[3];
    EXPECT_EQ(quota.turn, 2);  // 2026-07 is 6 months after 2026-01, 3-month turns
    EXPECT_EQ(quota.country, CountryId{0});
    EXPECT_EQ(quota.good, GoodId{2});
    EXPECT_DOUBLE_EQ(quota.value, 18'000.0);  // stays t/yr in the event
    EXPECT_EQ(quota.text, "China cuts its NdPr oxide export quota by 40 %");

    const ScheduledEvent& project = s.events[4];
    EXPECT_EQ(project.turn, 4);  // 2027-02: 13 months, rounded down to turn 4
    EXPECT_EQ(project.country, CountryId{1});
    EXPECT_EQ(project.target, kNoCountry);  // owner defaults to the host
    EXPECT_DOUBLE_EQ(project.value, 10'000.0);
    EXPECT_EQ(project.turns, 6);
}

TEST(ScenarioLoader, QuotaLiftAndDefaults) {
    std::string text = edit(fixture(), "    tonnes_per_year: 18000\n", "    lift: true\n");
    text = edit(text, "  seed: 7\n", "");
    text = edit(text, "  turn_months: 3\n", "  turn_months: 6\n");
    Scenario s = load_scenario_text(text, "lift.yaml");
    EXPECT_EQ(s.defs->seed, Definitions{}.seed);
    // Turn 1 now holds three events; the quota (first in the file) comes first.
    ASSERT_EQ(s.events.size(), 5u);
    EXPECT_EQ(s.events[1].kind, EventKind::ExportQuota);
    EXPECT_DOUBLE_EQ(s.events[1].value, -1.0);
    EXPECT_EQ(s.events[1].turn, 1);  // 6 months at 6-month turns
    EXPECT_EQ(s.events[2].kind, EventKind::Regime);
    EXPECT_EQ(s.events[4].turn, 2);  // 2027-02: 13 months, rounded down
    // Two turns a year: 270000 t/yr → 135000 t/turn.
    EXPECT_DOUBLE_EQ(s.initial.countries[CountryId{0}].production_quota[GoodId{0}], 135'000.0);
}

// docs/model.md §Turn length: spans and per-turn rates left to their defaults keep their calendar
// meaning at any turn length; a span given in turns is taken as turns of this scenario.
TEST(ScenarioLoader, DefaultsKeepTheirCalendarAtAnyTurnLength) {
    const Definitions q = *load_scenario(kFixture).defs;  // 3-month turns: the stated defaults, exactly
    EXPECT_EQ(q.leverage.horizon_turns, LeverageParams{}.horizon_turns);
    EXPECT_EQ(q.market.price_smoothing, MarketParams{}.price_smoothing);
    EXPECT_EQ(q.market.link_growth, MarketParams{}.link_growth);
    EXPECT_EQ(q.market.link_decay, MarketParams{}.link_decay);
    EXPECT_EQ(q.licensing.expiry_turns, LicensingParams{}.expiry_turns);
    EXPECT_EQ(q.licensing.end_use_discovery, LicensingParams{}.end_use_discovery);
    EXPECT_EQ(q.negotiation.trust.kept_per_turn, TrustParams{}.kept_per_turn);
    EXPECT_EQ(q.process[0].lead_turns, 28);
    EXPECT_EQ(q.countries[CountryId{0}].autopilot.license_validity_turns, 4);

    std::string text = edit(fixture(), "  turn_months: 3\n", "  turn_months: 1\n");
    text = edit(text, "  turns: 8\n", "  turns: 24\n");  // the same two years
    const Definitions m = *load_scenario_text(text, "monthly.yaml").defs;
    EXPECT_EQ(m.leverage.horizon_turns, 12);   // a year
    EXPECT_EQ(m.process[0].lead_turns, 84);    // a mine: 7 years
    EXPECT_EQ(m.process[0].ramp_turns, 12);
    EXPECT_EQ(m.process[1].lead_turns, 10);    // given as 10 turns: 10 months here
    EXPECT_EQ(m.process[2].lead_turns, 36);
    EXPECT_EQ(m.licensing.expiry_turns, 12);
    EXPECT_EQ(m.negotiation.max_duration_turns, 60);
    EXPECT_EQ(m.negotiation.notice_turns, 3);
    EXPECT_EQ(m.negotiation.forecast_turns, 12);
    EXPECT_EQ(m.negotiation.deadline_turns, 1);  // a step of the protocol, not a span of time
    for (CountryId c : m.country_ids()) EXPECT_EQ(m.countries[c].autopilot.license_validity_turns, 12);
    // Rates compound to the quarter's over three months.
    EXPECT_NEAR(std::pow(1.0 - m.market.link_decay, 3), 1.0 - MarketParams{}.link_decay, 1e-12);
    EXPECT_NEAR(std::pow(1.0 + m.market.link_growth, 3), 1.0 + MarketParams{}.link_growth, 1e-12);
    EXPECT_NEAR(std::pow(1.0 - m.market.price_smoothing, 3), 1.0 - MarketParams{}.price_smoothing, 1e-12);
    EXPECT_NEAR(std::pow(1.0 - m.licensing.end_use_discovery, 3), 0.75, 1e-12);
    EXPECT_NEAR(std::pow(1.0 - m.licensing.reexport_discovery, 3), 0.75, 1e-12);
    EXPECT_NEAR(3.0 * m.negotiation.trust.kept_per_turn, TrustParams{}.kept_per_turn, 1e-15);
    EXPECT_LT(m.market.link_decay, MarketParams{}.link_decay);
    // A shortage price may climb as fast a quarter: the smoothed price at most doubles (3× caps, half
    // weight) over three monthly turns as over one quarterly turn.
    const MarketParams mq{};
    const double quarter = 1.0 + mq.price_smoothing * (mq.buyer_price_cap - 1.0);
    EXPECT_NEAR(std::pow(1.0 + m.market.price_smoothing * (m.market.buyer_price_cap - 1.0), 3), quarter, 1e-12);
    EXPECT_NEAR(std::pow(1.0 + m.market.price_smoothing * (m.market.feed_price_cap - 1.0), 3), quarter, 1e-12);
    EXPECT_LT(m.market.buyer_price_cap, mq.buyer_price_cap);
    EXPECT_EQ(q.market.buyer_price_cap, mq.buyer_price_cap);

    const Definitions y = *load_scenario_text(edit(fixture(), "  turn_months: 3\n", "  turn_months: 12\n"),
                                              "yearly.yaml").defs;
    EXPECT_EQ(y.leverage.horizon_turns, 1);
    EXPECT_EQ(y.process[0].lead_turns, 7);
    EXPECT_EQ(y.negotiation.notice_turns, 1);  // a quarter rounds up to the one turn there is
    EXPECT_NEAR(y.market.link_decay, 1.0 - std::pow(0.9, 4), 1e-12);
}

TEST(ScenarioLoader, SpansGivenInMonthsBecomeTurnsOfTheScenario) {
    std::string text = edit(fixture(), "  separation: {lead_turns: 10, capex_per_tpy: 25}\n",
                            "  separation: {lead_months: 30, ramp_months: 9, capex_per_tpy: 25}\n");
    text = edit(text, "  processing_turns: 2\n", "  processing_turns: 2\n  expiry_months: 6\n");
    text = edit(text, "      deny_defense_end_use: true\n",
                "      deny_defense_end_use: true\n      license_validity_months: 24\n");
    text = edit(text, "  weights: {materials: 0.6, market_access: 0.4}\n",
                "  weights: {materials: 0.6, market_access: 0.4}\n  horizon_months: 6\n");
    text = edit(text, "  cost_steps: [0.8, 1.0, 1.3]\n", "  cost_steps: [0.8, 1.0, 1.3]\n  link_growth_per_quarter: 0.44\n");
    for (int months : {1, 3, 6}) {
        std::string t = edit(text, "  turn_months: 3\n", fmt::format("  turn_months: {}\n", months));
        t = edit(t, "  turns: 8\n", fmt::format("  turns: {}\n", 24 / months));  // two years
        const Definitions d = *load_scenario_text(t, "spans.yaml").defs;
        SCOPED_TRACE(months);
        EXPECT_EQ(d.process[1].lead_turns, 30 / months);
        EXPECT_EQ(d.process[1].ramp_turns, months == 6 ? 2 : 9 / months);  // 1.5 turns rounds up
        EXPECT_EQ(d.licensing.expiry_turns, 6 / months);
        EXPECT_EQ(d.leverage.horizon_turns, 6 / months);
        EXPECT_EQ(d.countries[CountryId{0}].autopilot.license_validity_turns, 24 / months);
        EXPECT_NEAR(std::pow(1.0 + d.market.link_growth, 3.0 / months), 1.44, 1e-12);  // 20 % a month, 44 % a quarter, 107 % in 6 months
    }
}

// ---- Mistakes ----------------------------------------------------------------------

TEST(ScenarioLoaderErrors, TypoedKeySuggestsTheClosestOne) {
    std::string text =
        edit(fixture(), "    capacity: {ndpr_concentrate: 45000", "    capacty: {ndpr_concentrate: 45000");
    expect_problem(problems_of(text), "bad.yaml:" + pos(text, "capacty:") +
                                          ": countries.usa.capacty: unknown key (did you mean \"capacity\"?)");
}

TEST(ScenarioLoaderErrors, ASpanInTurnsAndInMonthsOrTooLongInTurns) {
    std::string text = edit(fixture(), "  separation: {lead_turns: 10, capex_per_tpy: 25}\n",
                            "  separation: {lead_turns: 10, lead_months: 30, capex_per_tpy: 25}\n");
    text = edit(text, "  turn_months: 3\n", "  turn_months: 1\n");
    text = edit(text, "  turns: 8\n", "  turns: 24\n");
    text = edit(text, "  weights: {materials: 0.6, market_access: 0.4}\n",
                "  weights: {materials: 0.6, market_access: 0.4}\n  horizon_months: 36\n");
    text = edit(text, "  cost_steps: [0.8, 1.0, 1.3]\n",
                "  cost_steps: [0.8, 1.0, 1.3]\n  link_growth: 0.1\n  link_growth_per_quarter: 0.2\n");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "link_growth_per_quarter") +
                                 ": market.link_growth_per_quarter: give either link_growth or link_growth_per_quarter, not both");
    expect_problem(problems, "bad.yaml:" + pos(text, "lead_months: 30") +
                                 ": investment.separation.lead_months: give either lead_turns or lead_months, not both");
    expect_problem(problems, "bad.yaml:" + pos(text, "horizon_months: 36", 16) +
                                 ": leverage.horizon_months: 36 months is 36 turns here (1-month turns); expected an "
                                 "integer in [1, 12] turns");
}

TEST(ScenarioLoaderErrors, WrongTypes) {
    std::string text = edit(fixture(), "    treasury: 200000", "    treasury: lots");
    text = edit(text, "  cost_steps: [0.8, 1.0, 1.3]", "  cost_steps: {low: 0.8}");
    text = edit(text, "    reference_price: 150", "    reference_price: \"150\"");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "treasury: lots", 10) +
                                 ": countries.usa.treasury: expected a number ≥ 0, got \"lots\"");
    expect_problem(problems, "bad.yaml:" + pos(text, "{low: 0.8}") + ": market.cost_steps: expected a list, got a map");
    expect_problem(problems, "bad.yaml:" + pos(text, "\"150\"") +
                                 ": goods.dytb_concentrate.reference_price: expected a number > 0, got the quoted "
                                 "string \"150\"");
    EXPECT_EQ(problems.size(), 3u) << joined(problems);
}

TEST(ScenarioLoaderErrors, NegativeNumber) {
    std::string text = edit(fixture(), "    gdp: 4200000", "    gdp: -5");
    expect_problem(problems_of(text),
                   "bad.yaml:" + pos(text, "gdp: -5", 5) + ": countries.japan.gdp: expected a number ≥ 0, got -5");
}

TEST(ScenarioLoaderErrors, FractionOutOfRange) {
    std::string text = edit(fixture(), "trust: {china: 0.2}", "trust: {china: 1.3}");
    text = edit(text, "  processing_turns: 2", "  processing_turns: 2\n  end_use_discovery: 1.5");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "1.3}") +
                                 ": countries.usa.trust.china: expected a number in [0, 1], got 1.3");
    expect_problem(problems, "bad.yaml:" + pos(text, "end_use_discovery: 1.5", 19) +
                                 ": licensing.end_use_discovery: expected a number in [0, 1], got 1.5");
}

TEST(ScenarioLoaderErrors, ReexportKeysAreChecked) {
    std::string text = edit(fixture(), "  processing_turns: 2",
                            "  processing_turns: 2\n  reexport_compliance: 1.2\n  content_rule: {enabled: true, threshold: -1}");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "reexport_compliance: 1.2", 21) +
                                 ": licensing.reexport_compliance: expected a number in [0, 1], got 1.2");
    expect_problem(problems, "bad.yaml:" + pos(text, "-1}") +
                                 ": licensing.content_rule.threshold: expected a number in [0, 1], got -1");
}

TEST(ScenarioLoader, ReexportDiscoveryDefaultsToEndUseDiscovery) {
    std::string text = edit(fixture(), "  processing_turns: 2",
                            "  processing_turns: 2\n  end_use_discovery: 0.4\n  reexport_compliance: 0.7\n"
                            "  content_rule: {enabled: true, threshold: 0.001}");
    const Scenario sc = load_scenario_text(text, "ok.yaml");
    EXPECT_DOUBLE_EQ(sc.defs->licensing.reexport_discovery, 0.4);
    EXPECT_DOUBLE_EQ(sc.defs->licensing.reexport_compliance, 0.7);
    EXPECT_TRUE(sc.defs->licensing.reexport_control);
    EXPECT_TRUE(sc.defs->licensing.content_rule);
    EXPECT_DOUBLE_EQ(sc.defs->licensing.content_threshold, 0.001);
}

// A policy file that is nowhere to be found says where the game looked for its data folder and how
// to name another (a binary copied out of its build tree finds none: the modder's review).
TEST(ScenarioLoaderErrors, AMissingPolicyFileSaysWhereTheDataFolderIs) {
    const std::string text = edit(fixture(), "    policy: autopilot\n", "    policy: scripts/policies/nowhere.lua\n");
    const char* env = std::getenv("CHOKEPOINT_DATA_DIR");
    const std::string saved = env ? env : "";
    ::unsetenv("CHOKEPOINT_DATA_DIR");
    const auto problems = problems_of(text);
    if (env) ::setenv("CHOKEPOINT_DATA_DIR", saved.c_str(), 1);
    ASSERT_EQ(problems.size(), 1u) << joined(problems);
    EXPECT_NE(problems[0].find("countries.usa.policy: policy file \"scripts/policies/nowhere.lua\" not found"),
              std::string::npos)
        << problems[0];
    EXPECT_NE(problems[0].find("the game's data folder: "), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("CHOKEPOINT_DATA_DIR"), std::string::npos) << problems[0];
}

// A folder named as the policy is not "not found": it is there, and the wrong kind of thing.
TEST(ScenarioLoaderErrors, AFolderAsThePolicySaysItIsAFolder) {
    chokepoint::testing::ScratchDir dir("policy_folder");
    const std::string folder = dir.path().string();
    const auto problems = problems_of(edit(fixture(), "    policy: autopilot\n", "    policy: " + folder + "\n"));
    ASSERT_EQ(problems.size(), 1u) << joined(problems);
    EXPECT_NE(problems[0].find("countries.usa.policy: policy \"" + folder + "\" is a folder, not a Lua file"),
              std::string::npos)
        << problems[0];
}

TEST(ScenarioLoaderErrors, DanglingCountryReferences) {
    std::string text = edit(fixture(), "trust: {default: 0.5, usa: 0.3}", "trust: {default: 0.5, uas: 0.3}");
    text = edit(text, "{default: licensed, japan: open}", "{default: licensed, russia: open}");
    text = edit(text, "    country: usa\n", "    country: brazil\n");
    auto problems = problems_of(text);
    expect_problem(problems,
                   "bad.yaml:" + pos(text, "uas:") + ": countries.china.trust.uas: unknown country \"uas\" (did you "
                                                     "mean \"usa\"?)");
    expect_problem(problems, "bad.yaml:" + pos(text, "russia:") +
                                 ": countries.china.export_regime.dytb_oxide.russia: unknown country \"russia\" "
                                 "(countries are: china, usa, japan)");
    expect_problem(problems, "bad.yaml:" + pos(text, "brazil") +
                                 ": events[3].country: unknown country \"brazil\" (countries are: china, usa, japan)");
}

TEST(ScenarioLoaderErrors, DanglingGoodReferences) {
    std::string text = edit(fixture(), "{ndpr_oxide: 0.30, dytb_oxide: 0.03}", "{ndpr_oxyde: 0.30, dytb_oxide: 0.03}");
    text = edit(text, "    capacity: {ndpr_concentrate: 45000, ndfeb_magnet: 1000}",
                "    capacity: {ndpr_concentrate: 45000, ndfeb_magnet: 1000, separation: 5}");
    text = edit(text, "    good: ndfeb_magnet\n    value_per_tonne: 2000",
                "    good: magnets\n    value_per_tonne: 2000");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "ndpr_oxyde") +
                                 ": goods.ndfeb_magnet.recipe.ndpr_oxyde: unknown good \"ndpr_oxyde\" (did you mean "
                                 "\"ndpr_oxide\"?)");
    expect_problem(problems, "bad.yaml:" + pos(text, "separation: 5") +
                                 ": countries.usa.capacity.separation: unknown good \"separation\" (goods are: "
                                 "ndpr_concentrate, dytb_concentrate, ndpr_oxide, dytb_oxide, ndfeb_magnet)");
    expect_problem(problems, "bad.yaml:" + pos(text, "magnets") +
                                 ": sectors.ev_motors.good: unknown good \"magnets\" (goods are: ndpr_concentrate, "
                                 "dytb_concentrate, ndpr_oxide, dytb_oxide, ndfeb_magnet)");
}

TEST(ScenarioLoaderErrors, RecipeInputMustHaveALowerStage) {
    std::string text = edit(fixture(), "recipe: {ndpr_concentrate: 1.0}", "recipe: {ndfeb_magnet: 1.0}");
    expect_problem(problems_of(text), "bad.yaml:" + pos(text, "ndfeb_magnet: 1.0") +
                                          ": goods.ndpr_oxide.recipe.ndfeb_magnet: input ndfeb_magnet has stage 2, "
                                          "not lower than this good's stage 1");
}

TEST(ScenarioLoaderErrors, MissingRequiredKeys) {
    std::string text = edit(fixture(), "  turns: 8\n", "");
    text = edit(text, "    target: all\n", "");
    auto problems = problems_of(text);
    // Reported at the map that lacks the key.
    expect_problem(problems, "bad.yaml:" + pos(text, "name: Minimal test") + ": scenario.turns: required key missing");
    expect_problem(problems, "bad.yaml:" + pos(text, "turn: 1\n    type: regime") +
                                 ": events[1].target: required key missing");
}

TEST(ScenarioLoaderErrors, BadIdFormat) {
    std::string text = edit(fixture(), "  mine_outage:", "  Mine-Outage:");
    expect_problem(problems_of(text), "bad.yaml:" + pos(text, "Mine-Outage") +
                                          ": random_shocks.Mine-Outage: bad id \"Mine-Outage\": ids are lowercase "
                                          "words matching [a-z][a-z0-9_]*");
}

TEST(ScenarioLoaderErrors, UnknownEventType) {
    std::string text = edit(fixture(), "    type: news", "    type: newz");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "newz") +
                                 ": events[2].type: unknown event type \"newz\" (did you mean \"news\"?)");
    EXPECT_EQ(problems.size(), 1u) << joined(problems);
}

TEST(ScenarioLoaderErrors, EventTurnOutOfRange) {
    std::string text = edit(fixture(), "  - turn: 1\n    type: news", "  - turn: 8\n    type: news");
    text = edit(text, "  - date: 2026-07", "  - date: 2025-10");
    text = edit(text, "  - date: 2027-02", "  - date: 2028-01");
    auto problems = problems_of(text);
    expect_problem(problems,
                   "bad.yaml:" + pos(text, "8\n    type: news") +
                       ": events[2].turn: expected an integer in [0, 8), got 8");
    expect_problem(problems, "bad.yaml:" + pos(text, "2025-10") +
                                 ": events[0].date: date 2025-10 is before the scenario start 2026-01");
    expect_problem(problems, "bad.yaml:" + pos(text, "2028-01") +
                                 ": events[3].date: date 2028-01 is after the last turn (turn 7 starts 2027-10)");
}

// The hostile-inputs review: 1e308 t of demand passed `check` and ended `run` with "clear_market:
// bid tonnes must be finite", no file, line or key.
TEST(ScenarioLoaderErrors, NumbersTooLargeForTheModelAreRefusedWhereTheyStand) {
    std::string text =
        edit(fixture(), "demand: {ev_motors: 150000, defense: 5000}", "demand: {ev_motors: 1e308, defense: 5000}");
    text = edit(text, "treasury: 500000", "treasury: 2e15");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "1e308") +
                                 ": countries.china.demand.ev_motors: 1e308 is too large: numbers in a scenario are at "
                                 "most 1e15 in size (larger ones overflow the model's sums)");
    expect_problem(problems, "bad.yaml:" + pos(text, "2e15") +
                                 ": countries.china.treasury: 2e15 is too large: numbers in a scenario are at most "
                                 "1e15 in size (larger ones overflow the model's sums)");
}

// The hostile-inputs review: 600 bytes of aliases of aliases ("billion laughs") under
// policy_params ran 107 s and aborted with std::bad_alloc.
TEST(ScenarioLoaderErrors, AnAliasBombIsRefusedBeforeItExpands) {
    std::string bomb = "x0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
    for (int level = 1; level <= 9; ++level) {
        bomb += "x" + std::to_string(level) + ": &x" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) bomb += (i ? ", *x" : "*x") + std::to_string(level - 1);
        bomb += "]\n";
    }
    const std::string text = edit(fixture(), "countries:\n", bomb + "countries:\n");
    auto problems = problems_of(text);
    ASSERT_EQ(problems.size(), 1u) << joined(problems);
    EXPECT_NE(problems[0].find("bad.yaml:"), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("more than 1000000 values once its aliases (*name) are expanded"), std::string::npos)
        << problems[0];
    // A few aliases, as authors use them, are fine.
    const std::string fine = edit(fixture(), "countries:\n", "x0: &x0 [1, 2]\nx1: [*x0, *x0]\ncountries:\n");
    for (const auto& q : problems_of(fine)) EXPECT_EQ(q.find("aliases"), std::string::npos) << q;
}

// The second hostile-inputs review: an alias inside its own anchor is a cycle, and the walk that
// counts expanded values followed it until the stack overflowed (SIGSEGV, no message); a chain of
// aliases each wrapping the last took 29 s for 1,000 lines. Both are refused at once, in words.
TEST(ScenarioLoaderErrors, ASelfReferencingAliasOrALongAliasChainIsRefusedNotACrash) {
    const std::string cycle = edit(fixture(), "countries:\n", "loop: &a [*a]\ncountries:\n");
    auto problems = problems_of(cycle);
    ASSERT_EQ(problems.size(), 1u) << joined(problems);
    EXPECT_NE(problems[0].find("bad.yaml:"), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("nests more than 100 levels deep once its aliases (*name) are expanded"),
              std::string::npos) << problems[0];
    std::string chain = "c0: &c0 [1]\n";
    for (int i = 1; i <= 1000; ++i)
        chain += "c" + std::to_string(i) + ": &c" + std::to_string(i) + " [*c" + std::to_string(i - 1) + "]\n";
    problems = problems_of(edit(fixture(), "countries:\n", chain + "countries:\n"));
    ASSERT_EQ(problems.size(), 1u) << joined(problems);
    EXPECT_NE(problems[0].find("nests more than 100 levels deep"), std::string::npos) << problems[0];
    // A short chain, as authors might write one, is fine.
    const std::string fine = edit(fixture(), "countries:\n", "c0: &c0 [1]\nc1: &c1 [*c0]\nc2: [*c1]\ncountries:\n");
    for (const auto& q : problems_of(fine)) EXPECT_EQ(q.find("aliases"), std::string::npos) << q;
}

// The hostile-inputs review: thousands of nested brackets gave "yaml syntax error: bad file".
TEST(ScenarioLoaderErrors, NestingTooDeepIsSaidInWords) {
    const std::string text = "scenario: " + std::string(3000, '[') + std::string(3000, ']') + "\n";
    auto problems = problems_of(text);
    ASSERT_EQ(problems.size(), 1u) << joined(problems);
    EXPECT_NE(problems[0].find("bad.yaml:1:"), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("levels deep ([ or { inside one another)"), std::string::npos) << problems[0];
}

TEST(ScenarioLoaderErrors, BadRegimeWord) {
    std::string text = edit(fixture(), "{default: licensed, japan: open}", "{default: licensed, japan: banned}");
    text = edit(text, "    regime: embargo", "    regime: embargoed");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "banned") +
                                 ": countries.china.export_regime.dytb_oxide.japan: expected one of open, licensed, "
                                 "embargo, got \"banned\"");
    expect_problem(problems, "bad.yaml:" + pos(text, "embargoed") +
                                 ": events[1].regime: expected one of open, licensed, embargo, got \"embargoed\" (did "
                                 "you mean \"embargo\"?)");
}

TEST(ScenarioLoaderErrors, CapacityWithoutCost) {
    std::string text = edit(fixture(), "cost: {ndpr_oxide: 20, ndfeb_magnet: 22}", "cost: {ndfeb_magnet: 22}");
    expect_problem(problems_of(text), "bad.yaml:" + pos(text, "capacity: {ndpr_oxide: 2000", 11) +
                                          ": countries.japan.capacity.ndpr_oxide: capacity > 0 needs a cost: add "
                                          "countries.japan.cost.ndpr_oxide (USD/kg)");
}

TEST(ScenarioLoaderErrors, MiningWithoutReserves) {
    std::string text = edit(fixture(), "capacity: {ndpr_oxide: 2000, ndfeb_magnet: 15000}",
                            "capacity: {ndpr_concentrate: 100, ndpr_oxide: 2000, ndfeb_magnet: 15000}");
    text = edit(text, "cost: {ndpr_oxide: 20, ndfeb_magnet: 22}",
                "cost: {ndpr_concentrate: 9, ndpr_oxide: 20, ndfeb_magnet: 22}");
    text = edit(text, "reserves: {ndpr_concentrate: 1800000}", "reserves: {ndpr_concentrate: 0}");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "ndpr_concentrate: 100") +
                                 ": countries.japan.capacity.ndpr_concentrate: cannot mine without reserves: add "
                                 "countries.japan.reserves.ndpr_concentrate (t)");
    expect_problem(problems, "bad.yaml:" + pos(text, "ndpr_concentrate: 45000") +
                                 ": countries.usa.capacity.ndpr_concentrate: cannot mine without reserves: "
                                 "countries.usa.reserves.ndpr_concentrate is 0");
}

TEST(ScenarioLoaderErrors, YamlSyntaxError) {
    std::string text = edit(fixture(), "  cost_steps: [0.8, 1.0, 1.3]", "  cost_steps: [0.8, 1.0, 1.3");
    auto problems = problems_of(text, "syntax.yaml");
    ASSERT_EQ(problems.size(), 1u) << joined(problems);
    // yaml-cpp notices the unclosed list at the next key's colon.
    EXPECT_EQ(problems[0],
              "syntax.yaml:" + pos(text, "investment:", 10) + ": yaml syntax error: end of sequence flow not found");
}

TEST(ScenarioLoaderErrors, MissingFile) {
    try {
        load_scenario("tests/scenarios/no_such_file.yaml");
        FAIL() << "expected a ScenarioError";
    } catch (const ScenarioError& e) {
        ASSERT_EQ(e.problems.size(), 1u);
        EXPECT_EQ(e.problems[0],
                  "tests/scenarios/no_such_file.yaml: cannot read scenario file: No such file or directory");
    }
}

TEST(ScenarioLoaderErrors, DuplicateKey) {
    std::string text = edit(fixture(), "    gdp: 4200000\n", "    gdp: 4200000\n    gdp: 4300000\n");
    std::string first = pos(text, "gdp: 4200000");
    expect_problem(problems_of(text), "bad.yaml:" + pos(text, "gdp: 4300000") +
                                          ": countries.japan.gdp: duplicate key (first given on line " +
                                          first.substr(0, first.find(':')) + ")");
}

TEST(ScenarioLoaderErrors, CrossFieldConstraints) {
    std::string text = edit(fixture(), "  cost_steps: [0.8, 1.0, 1.3]",
                            "  cost_steps: [0.8, 1.3, 1.0]\n  release_price_factor: 0.5");
    text = edit(text, "      deny_defense_end_use: true", "      deny_defense_end_use: yes");
    auto problems = problems_of(text);
    expect_problem(problems,
                   "bad.yaml:" + pos(text, "1.0]") + ": market.cost_steps[2]: cost steps must increase: 1 after 1.3");
    expect_problem(problems, "bad.yaml:" + pos(text, "release_price_factor: 0.5", 22) +
                                 ": market.release_price_factor: expected a number > restock_price_factor (0.9), "
                                 "got 0.5");
    expect_problem(problems, "bad.yaml:" + pos(text, "yes") +
                                 ": countries.china.autopilot.deny_defense_end_use: expected true or false, got "
                                 "\"yes\"");
}

TEST(ScenarioLoaderErrors, ReportsEveryProblemInDocumentOrder) {
    std::string text = edit(fixture(), "  turns: 8", "  turns: 0");
    text = edit(text, "    gdp: 4200000", "    gdp: lots");
    text = edit(text, "    stage: 2", "    stage: -2");
    text = edit(text, "    factor: 1.2", "    factor: 0");
    auto problems = problems_of(text);
    ASSERT_EQ(problems.size(), 4u) << joined(problems);
    EXPECT_EQ(problems[0],
              "bad.yaml:" + pos(text, "turns: 0", 7) + ": scenario.turns: expected an integer ≥ 1, got 0");
    EXPECT_EQ(problems[1],
              "bad.yaml:" + pos(text, "-2") + ": goods.ndfeb_magnet.stage: expected an integer ≥ 0, got -2");
    EXPECT_EQ(problems[2],
              "bad.yaml:" + pos(text, "lots") + ": countries.japan.gdp: expected a number ≥ 0, got \"lots\"");
    EXPECT_EQ(problems[3], "bad.yaml:" + pos(text, "    factor: 0", 12) +
                               ": events[4].factor: expected a number > 0, got 0");
}

TEST(ScenarioLoaderErrors, NothingIsReturnedAndWhatJoinsProblems) {
    std::string text = edit(fixture(), "  turns: 8", "  turns: many");
    text = edit(text, "    gdp: 4200000", "    gdp: -1");
    try {
        (void)load_scenario_text(text, "bad.yaml");
        FAIL() << "loaded a broken scenario";
    } catch (const ScenarioError& e) {
        ASSERT_EQ(e.problems.size(), 2u);
        EXPECT_EQ(std::string(e.what()), e.problems[0] + "\n" + e.problems[1]);
    }
}

TEST(ScenarioLoaderErrors, WholeFileProblems) {
    auto empty = problems_of("", "empty.yaml");
    expect_problem(empty, "empty.yaml:1:1: scenario: required key missing");
    expect_problem(empty, "empty.yaml:1:1: countries: required key missing");
    auto list = problems_of("- 1\n- 2\n", "list.yaml");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0], "list.yaml:1:1: expected a map, got a list");
    std::string text = edit(fixture(), "\nsectors:\n", "\nsectrs:\n");
    expect_problem(problems_of(text),
                   "bad.yaml:" + pos(text, "sectrs:") + ": sectrs: unknown key (did you mean \"sectors\"?)");
}

// A tab in the indentation: yaml-cpp's own complaint lands elsewhere ("end of map not found"), so
// the loader also names the line with the tab and its key.
TEST(ScenarioLoaderErrors, ATabInTheIndentationIsNamedWithItsKey) {
    const std::string text = edit(fixture(), "    gdp: 4200000\n", "\tgdp: 4200000\n");
    const auto problems = problems_of(text, "tab.yaml");
    ASSERT_FALSE(problems.empty());
    expect_problem(problems, "tab.yaml:" + pos(text, "\tgdp: 4200000") +
                                 ": yaml syntax error: a tab in the indentation of `gdp` (YAML indents with spaces only)");
}

// Tariffs and export duties are fractions (0.25 = 25 %), at most 10 as the commands and events
// allow: a 45 written for "45 %" is refused, not played as 4500 %.
TEST(ScenarioLoaderErrors, TariffsAndDutiesBeyondTenTimesThePriceAreRefused) {
    std::string text = edit(fixture(), "ndfeb_magnet: {china: 0.25}", "ndfeb_magnet: {china: 45}");
    expect_problem(problems_of(text), "bad.yaml:" + pos(text, "45}") +
                                          ": countries.usa.tariffs.ndfeb_magnet.china: expected a number in [0, 10], got 45");
    EXPECT_NO_THROW(load_scenario_text(edit(fixture(), "ndfeb_magnet: {china: 0.25}", "ndfeb_magnet: {china: 10}"), "ok.yaml"));
}

}  // namespace
}  // namespace chokepoint
