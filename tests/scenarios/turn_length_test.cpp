// The baseline played in months instead of quarters (docs/model.md §Turn length): a licence the
// autopilot grants is valid for a year either way, and the leverage horizon is a year either way.
// Before spans were converted, a monthly game gave four-month licences and a four-month horizon.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "agents/lua/lua_policy.hpp"
#include "engine/game/game.hpp"
#include "engine/scenario/loader.hpp"

namespace chokepoint {
namespace {

constexpr const char* kTurnLengthBaseline = "config/scenarios/baseline.yaml";

void replace_once_in_text(std::string& s, const std::string& from, const std::string& to) {
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
}

// The baseline's ten years in turns of `months` months.
std::string baseline_text_in_months(int months) {
    std::ifstream in(kTurnLengthBaseline);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    replace_once_in_text(s, "  turn_months: 3\n", "  turn_months: " + std::to_string(months) + "\n");
    replace_once_in_text(s, "  turns: 40 ", "  turns: " + std::to_string(120 / months) + " ");
    return s;
}

// Plays `turns` turns without leverage, with the autopilot everywhere or the scenario's Lua policies.
std::unique_ptr<Game> play_in_months(int turn_months, int turns, bool lua = false) {
    auto game = std::make_unique<Game>(load_scenario_text(baseline_text_in_months(turn_months), kTurnLengthBaseline),
                                       GameOptions{false});
    game->set_turn_limit(turns);
    if (lua) install_lua_policies(*game);
    while (!game->finished()) game->step();
    return game;
}

// The baseline's projects under way and its capacity shocks give their spans in months, so a monthly
// variant brings MP's 10X plant online in the same month as the quarterly game (analyst's review:
// read as turns, every project came online three times too early).
TEST(TurnLength, ScriptedProjectsAndShocksKeepTheirMonthsAtAnyTurnLength) {
    const Scenario quarterly = load_scenario_text(baseline_text_in_months(3), kTurnLengthBaseline);
    const Scenario monthly = load_scenario_text(baseline_text_in_months(1), kTurnLengthBaseline);
    ASSERT_EQ(quarterly.events.size(), monthly.events.size());
    int spans = 0;
    for (size_t i = 0; i < quarterly.events.size(); ++i) {
        const ScheduledEvent& q = quarterly.events[i];
        const ScheduledEvent& m = monthly.events[i];
        if (q.kind != EventKind::Project && q.kind != EventKind::Capacity) continue;
        ++spans;
        EXPECT_EQ(m.turn, 3 * q.turn) << "event " << i << ": " << q.text;
        EXPECT_EQ(m.turns, 3 * q.turns) << "event " << i << ": " << q.text;
    }
    EXPECT_GE(spans, 10) << "the baseline scripts its projects under way";
}

// Licence volumes step by 0.1 t a quarter: a monthly game can approve a third of what a quarterly
// one approves a turn (the analyst's 2025 run: 5 % of the USA's 1.8 t a month, 0.09 t, was under
// a fixed 0.1 t step and so denied outright). Quarterly rounding is exactly the old floor(10 x) / 10.
TEST(TurnLength, LicenceVolumesStepByATenthOfATonneAQuarter) {
    Definitions quarterly, monthly;
    quarterly.turn_months = 3;
    monthly.turn_months = 1;
    EXPECT_EQ(quarterly.licence_step(), 0.1);
    EXPECT_EQ(quarterly.round_down_to_licence_step(0.3), std::floor(0.3 * 10) / 10);
    EXPECT_EQ(quarterly.round_down_to_licence_step(0.27), 0.2);
    EXPECT_EQ(quarterly.round_down_to_licence_step(0.09), 0.0);
    EXPECT_NEAR(monthly.licence_step(), 1.0 / 30, 1e-15);
    EXPECT_NEAR(monthly.round_down_to_licence_step(0.09), 2.0 / 30, 1e-15);
    EXPECT_GE(monthly.round_down_to_licence_step(0.09), monthly.licence_step()) << "approved, not denied";
}

TEST(TurnLength, AutopilotLicencesLastAYearInMonthsAsInQuarters) {
    for (int months : {3, 1}) {
        SCOPED_TRACE(months);
        const int turns_a_year = 12 / months;
        auto game = play_in_months(months, 2 * turns_a_year / 3 + 2);  // two quarters and a bit: applications decided
        int granted = 0;
        for (const License& l : game->state().licenses) {
            if (l.scripted || l.agreement_id != 0) continue;
            ++granted;
            EXPECT_EQ(l.last_turn - l.first_turn + 1, turns_a_year) << "licence " << l.id;
        }
        EXPECT_GT(granted, 0) << "the baseline's licensed exports must lead to licences";
        EXPECT_EQ(game->defs().leverage.horizon_turns, turns_a_year);
        // Magnet buyers qualify new suppliers by 20 % more volume a quarter, whatever the turn.
        const Good& magnet = game->defs().goods[GoodId{game->defs().good_index("ndfeb_magnet")}];
        EXPECT_NEAR(std::pow(1.0 + magnet.link_growth, 3.0 / months), 1.2, 1e-12);
    }
}

// The shipped Lua policies state their spans in months too: China's licences (china.lua) last a
// year and the agreements they propose (lib/diplomat.lua, usa.lua, china.lua) two or three years.
TEST(TurnLength, ShippedPoliciesKeepTheirCalendarInMonths) {
    for (int months : {3, 1}) {
        SCOPED_TRACE(months);
        const int turns_a_year = 12 / months;
        auto game = play_in_months(months, 2 * turns_a_year / 3 + 2, true);
        const CountryId china = game->defs().country_id("china");
        int granted = 0;
        for (const License& l : game->state().licenses) {
            if (l.scripted || l.agreement_id != 0 || l.exporter != china) continue;
            ++granted;
            EXPECT_EQ(l.last_turn - l.first_turn + 1, turns_a_year) << "licence " << l.id;
        }
        EXPECT_GT(granted, 0);
        int agreements = 0;
        for (const Agreement& a : game->state().agreements) {
            if (a.proposal_id == 0) continue;  // scripted in the scenario, in its turns
            ++agreements;
            const int span = a.end_turn - a.start_turn + 1;
            const int years = span / turns_a_year;
            EXPECT_EQ(span % turns_a_year, 0) << "agreement " << a.id;
            EXPECT_TRUE(years == 2 || years == 3) << "agreement " << a.id << ": " << years << " years";
        }
        EXPECT_GT(agreements, 0);
    }
}

// A month's turn trades a third of a quarter's: the world's magnet use over a year is the same
// whether the year is played in 4 turns or in 12 (demand is per year, divided by turns per year).
TEST(TurnLength, AYearOfMagnetDemandIsTheSameInMonthsAndQuarters) {
    double demand[2] = {0.0, 0.0};
    int i = 0;
    for (int months : {3, 1}) {
        auto game = play_in_months(months, 12 / months);
        const Definitions& d = game->defs();
        for (const TurnRecord& r : game->history())
            for (CountryId c : d.country_ids())
                for (SectorId k : d.sector_ids())
                    if (d.goods[d.sectors[k].good].id == "ndfeb_magnet") demand[i] += r.outcome.demand(c, k);
        ++i;
    }
    ASSERT_GT(demand[0], 0.0);
    EXPECT_NEAR(demand[1] / demand[0], 1.0, 0.05);
}

}  // namespace
}  // namespace chokepoint
