// Hardening (issue 17, item 6): a scenario cannot exhaust the host. Counts are checked before
// anything is sized by them, and bad text in policy parameters is a located error.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "engine/scenario/loader.hpp"

namespace chokepoint {
namespace {

std::string minimal() {
    std::ifstream f("tests/scenarios/minimal.yaml", std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::vector<std::string> problems(const std::string& text) {
    try {
        load_scenario_text(text, "limits.yaml");
    } catch (const ScenarioError& e) {
        return e.problems;
    }
    ADD_FAILURE() << "loaded without problems";
    return {};
}

TEST(ScenarioLimits, TooManyCountriesIsALocatedErrorNotAnAllocation) {
    std::string s = minimal();
    const size_t at = s.find("countries:\n"), end = s.find("\nevents:");
    ASSERT_NE(at, std::string::npos);
    std::string many = "countries:\n";
    for (int k = 0; k < 3000; ++k) many += "  c" + std::to_string(k) + ":\n    name: C\n";
    auto p = problems(s.substr(0, at) + many + s.substr(end));
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("countries: at most 256 countries, got 3000"), std::string::npos) << p[0];
}

TEST(ScenarioLimits, TooManyEventsIsALocatedError) {
    std::string s = minimal();
    std::string events;
    for (int k = 0; k < 20001; ++k) events += "  - turn: 1\n    type: news\n    text: x\n";
    const size_t at = s.find("events:\n");
    ASSERT_NE(at, std::string::npos);
    auto p = problems(s.substr(0, at) + "events:\n" + events);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("events: at most 20000 events, got 20001"), std::string::npos) << p[0];
}

TEST(ScenarioLimits, PolicyParamsThatAreNotUtf8AreALocatedError) {
    std::string s = minimal();
    const std::string key = "  usa:\n";
    const size_t at = s.find(key);
    ASSERT_NE(at, std::string::npos);
    s.insert(at + key.size(), "    policy_params: {name: \"a\xc3\x28z\"}\n");
    auto p = problems(s);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("countries.usa.policy_params: text that is not valid UTF-8"), std::string::npos) << p[0];
}

}  // namespace
}  // namespace chokepoint
