// The scenario's `negotiation:` section: every setting loads, an absent section
// leaves the defaults, and mistakes are reported at file:line:col with the key
// path. Variants are made by adding one section to the minimal fixture.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/scenario/loader.hpp"
#include "tests/engine/scenario/problems.hpp"

namespace chokepoint {
namespace {

using testing::expect_problem;
using testing::fixture;
using testing::kFixture;
using testing::pos;
using testing::problems_of;

// The fixture with `section` (YAML text, newline-terminated) added before random_shocks.
std::string with_section(const std::string& section) {
    std::string text = fixture();
    const std::string anchor = "\nrandom_shocks:\n";
    size_t at = text.find(anchor);
    if (at == std::string::npos || text.find(anchor, at + 1) != std::string::npos) {
        ADD_FAILURE() << "the fixture must hold exactly one random_shocks section";
        return text;
    }
    text.insert(at + 1, section);
    return text;
}

TEST(NegotiationSection, AbsentSectionKeepsTheDefaults) {
    const NegotiationParams n = load_scenario(kFixture).defs->negotiation;
    const NegotiationParams defaults;
    EXPECT_TRUE(n.enabled);
    EXPECT_TRUE(n.binding);
    EXPECT_EQ(n.rounds, defaults.rounds);
    EXPECT_EQ(n.max_proposals_per_turn, defaults.max_proposals_per_turn);
    EXPECT_EQ(n.deadline_turns, defaults.deadline_turns);
    EXPECT_EQ(n.notice_turns, defaults.notice_turns);
    EXPECT_DOUBLE_EQ(n.trust.breach, defaults.trust.breach);
    EXPECT_DOUBLE_EQ(n.trust.reputation, defaults.trust.reputation);
}

TEST(NegotiationSection, ReadsEverySetting) {
    std::string text = with_section(
        "negotiation:\n"
        "  enabled: false\n"
        "  agreements: non_binding\n"
        "  rounds: 3\n"
        "  max_proposals_per_turn: 5\n"
        "  deadline_turns: 2\n"
        "  max_duration_turns: 12\n"
        "  notice_turns: 0\n"
        "  arrears_grace: 0.5\n"
        "  forecast_turns: 6\n"
        "  forecasts_per_turn: 4\n"
        "  talk_minutes: 6.5\n"
        "  trust: {kept_per_turn: 0.01, completed: 0.1, breach: 0.3, withdrawal: 0.07, end_use: 0.4,"
        " reputation: 0.5}\n");
    const NegotiationParams n = load_scenario_text(text, "good.yaml").defs->negotiation;
    EXPECT_FALSE(n.enabled);
    EXPECT_FALSE(n.binding);
    EXPECT_EQ(n.rounds, 3);
    EXPECT_EQ(n.max_proposals_per_turn, 5);
    EXPECT_EQ(n.deadline_turns, 2);
    EXPECT_EQ(n.max_duration_turns, 12);
    EXPECT_EQ(n.notice_turns, 0);
    EXPECT_DOUBLE_EQ(n.arrears_grace, 0.5);
    EXPECT_EQ(n.forecast_turns, 6);
    EXPECT_EQ(n.forecasts_per_turn, 4);
    EXPECT_DOUBLE_EQ(n.talk_minutes, 6.5);
    EXPECT_DOUBLE_EQ(n.trust.kept_per_turn, 0.01);
    EXPECT_DOUBLE_EQ(n.trust.completed, 0.1);
    EXPECT_DOUBLE_EQ(n.trust.breach, 0.3);
    EXPECT_DOUBLE_EQ(n.trust.withdrawal, 0.07);
    EXPECT_DOUBLE_EQ(n.trust.end_use, 0.4);
    EXPECT_DOUBLE_EQ(n.trust.reputation, 0.5);
}

TEST(NegotiationSection, BindingIsTheWordBinding) {
    std::string text = with_section("negotiation:\n  agreements: binding\n");
    EXPECT_TRUE(load_scenario_text(text, "good.yaml").defs->negotiation.binding);
}

TEST(NegotiationSectionErrors, UnknownKeySuggestsTheClosestOne) {
    std::string text = with_section("negotiation:\n  notice_turn: 2\n  trust: {breach: 0.3, betrayal: 0.1}\n");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "notice_turn:") +
                                 ": negotiation.notice_turn: unknown key (did you mean \"notice_turns\"?)");
    expect_problem(problems, "bad.yaml:" + pos(text, "betrayal") +
                                 ": negotiation.trust.betrayal: unknown key (expected one of: kept_per_turn, "
                                 "completed, breach, withdrawal, end_use, reputation)");
}

TEST(NegotiationSectionErrors, AgreementsMustBeBindingOrNonBinding) {
    std::string text = with_section("negotiation:\n  agreements: nonbinding\n");
    expect_problem(problems_of(text), "bad.yaml:" + pos(text, "nonbinding") +
                                          ": negotiation.agreements: expected one of binding, non_binding, got "
                                          "\"nonbinding\" (did you mean \"non_binding\"?)");
    std::string other = with_section("negotiation:\n  agreements: gentlemen\n");
    expect_problem(problems_of(other), "bad.yaml:" + pos(other, "gentlemen") +
                                           ": negotiation.agreements: expected one of binding, non_binding, got "
                                           "\"gentlemen\"");
}

TEST(NegotiationSectionErrors, SettingsOutOfRange) {
    std::string text = with_section("negotiation:\n  rounds: 0\n  trust: {breach: 1.5}\n");
    auto problems = problems_of(text);
    expect_problem(problems, "bad.yaml:" + pos(text, "rounds: 0", 8) +
                                 ": negotiation.rounds: expected an integer in [1, 8], got 0");
    expect_problem(
        problems, "bad.yaml:" + pos(text, "1.5}") + ": negotiation.trust.breach: expected a number in [0, 1], got 1.5");
}

}  // namespace
}  // namespace chokepoint
