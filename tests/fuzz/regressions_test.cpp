// Every input the fuzzers found a crash with (tests/fuzz/regressions/<harness>/, docs/testing.md)
// replayed through the same code as the harnesses, in the normal and the ASan build.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fuzz/fuzz_targets.hpp"

namespace chokepoint::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<std::pair<std::string, std::string>> inputs(const std::string& harness) {
    std::vector<std::pair<std::string, std::string>> out;
    fs::path dir = fs::path(CHOKEPOINT_SOURCE_DIR) / "tests/fuzz/regressions" / harness;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (!e.is_regular_file() || e.path().filename().string().front() == '.') continue;  // .gitkeep
        std::ifstream f(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        out.emplace_back(e.path().filename().string(), ss.str());
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(FuzzRegressions, ScenarioLoaderInputs) {
    for (const auto& [name, text] : inputs("scenario_loader"))
        EXPECT_EQ(scenario_loader_one(text), std::nullopt) << name;
}

TEST(FuzzRegressions, PolicyTurnInputs) {
    for (const auto& [name, text] : inputs("policy_turn")) EXPECT_EQ(policy_turn_one(text), std::nullopt) << name;
}

// The harnesses' own checks bite: a located error passes, an unlocated one is a finding.
TEST(FuzzHarness, ScenarioLoaderAcceptsLocatedErrorsAndScenarios) {
    EXPECT_EQ(scenario_loader_one("a: ["), std::nullopt);
    EXPECT_EQ(scenario_loader_one(""), std::nullopt);
    std::ifstream f(fs::path(CHOKEPOINT_SOURCE_DIR) / "tests/scenarios/minimal.yaml");
    std::stringstream ss;
    ss << f.rdbuf();
    EXPECT_EQ(scenario_loader_one(ss.str()), std::nullopt);
}

TEST(FuzzHarness, PolicyTurnSurvivesRunawayAndBrokenPolicies) {
    EXPECT_EQ(policy_turn_one("return { on_turn = function(ctx) while true do end end }"), std::nullopt);
    EXPECT_EQ(policy_turn_one("return { on_turn = function(ctx) local t = {} for i = 1, 1e9 do t[i] = i end end }"),
              std::nullopt);
    EXPECT_EQ(policy_turn_one("this is not lua"), std::nullopt);
    EXPECT_EQ(policy_turn_one(""), std::nullopt);
}

}  // namespace
}  // namespace chokepoint::fuzz
