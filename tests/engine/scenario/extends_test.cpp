// `extends:`: a what-if scenario names a base file and changes only what differs. Maps merge key
// by key, events are the base's followed by the extension's, and every mistake is still reported
// at the file, line and column where it was written.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "engine/scenario/loader.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;

// A scratch folder holding an extension of tests/scenarios/minimal.yaml.
class Extends : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("chokepoint_extends_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& text) {
        fs::path p = dir_ / name;
        std::ofstream(p) << text;
        return p.string();
    }
    std::string base() const { return fs::absolute("tests/scenarios/minimal.yaml").string(); }
    std::vector<std::string> problems(const std::string& path) {
        try {
            load_scenario(path);
        } catch (const ScenarioError& e) {
            return e.problems;
        }
        ADD_FAILURE() << path << " loaded without problems";
        return {};
    }
    fs::path dir_;
};

TEST_F(Extends, OverridesMergeAndEventsAppend) {
    const Scenario b = load_scenario(base());
    const std::string path = write("shock.yaml", "extends: " + base() +
                                                     "\n"
                                                     "scenario:\n"
                                                     "  name: What if\n"
                                                     "countries:\n"
                                                     "  usa:\n"
                                                     "    treasury: 1234\n"
                                                     "events:\n"
                                                     "  - turn: 2\n"
                                                     "    type: news\n"
                                                     "    text: an extra event\n");
    const Scenario s = load_scenario(path);
    EXPECT_EQ(s.defs->scenario_name, "What if");
    EXPECT_EQ(s.defs->turns, b.defs->turns) << "keys not given keep the base's values";
    ASSERT_EQ(s.defs->country_count(), b.defs->country_count());
    for (CountryId c : s.defs->country_ids())
        EXPECT_EQ(s.defs->countries[c].id, b.defs->countries[c].id)
            << "countries keep the base's order";
    const CountryId usa = s.defs->country_id("usa");
    EXPECT_DOUBLE_EQ(s.initial.countries[usa].treasury, 1234e6);
    EXPECT_EQ(s.initial.countries[usa].capacity,
              b.initial.countries[usa].capacity)
        << "a country's other keys are the base's";
    ASSERT_EQ(s.events.size(), b.events.size() + 1);
    EXPECT_TRUE(std::any_of(s.events.begin(), s.events.end(),
                            [](const ScheduledEvent& e) { return e.text == "an extra event" && e.turn == 2; }));
}

TEST_F(Extends, MistakesNameTheExtendingFileLineAndColumn) {
    const std::string path = write("bad.yaml", "extends: " + base() +
                                                   "\n"
                                                   "countries:\n"
                                                   "  usa:\n"
                                                   "    treasury: lots\n"
                                                   "    capacty: {}\n");
    auto p = problems(path);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_NE(p[0].find(path + ":4:15: countries.usa.treasury: expected a number"), std::string::npos) << p[0];
    EXPECT_NE(p[1].find(path + ":5:5: countries.usa.capacty: unknown key"), std::string::npos) << p[1];
}

// The merge onto the base keeps one value of a repeated key; the repeat is an error at its place.
TEST_F(Extends, AKeyGivenTwiceInTheExtendingFileIsAnError) {
    const std::string path = write("twice.yaml", "extends: " + base() +
                                                     "\n"
                                                     "scenario:\n"
                                                     "  name: one\n"
                                                     "  name: two\n"
                                                     "events:\n"
                                                     "  - turn: 2\n"
                                                     "    type: news\n"
                                                     "    text: a\n"
                                                     "    text: b\n"
                                                     "  - turn: 2\n"
                                                     "    type: news\n"
                                                     "    txt: c\n");
    auto p = problems(path);
    ASSERT_EQ(p.size(), 4u);
    EXPECT_NE(p[0].find(path + ":4:3: scenario.name: duplicate key (first given on line 3)"), std::string::npos) << p[0];
    EXPECT_NE(p[1].find(path + ":9:5: events[0].text: duplicate key (first given on line 8)"), std::string::npos) << p[1];
    // The file's other mistakes are reported in the same pass (the workshop analyst's review).
    EXPECT_NE(p[2].find(path + ":10:5: events[1].text: required key missing"), std::string::npos) << p[2];
    EXPECT_NE(p[3].find(path + ":12:5: events[1].txt: unknown key (did you mean \"text\"?)"), std::string::npos) << p[3];
}

// The extending file's own events are numbered as it lists them, from 0, not after the base's.
TEST_F(Extends, ItsOwnEventsAreNumberedFromZero) {
    const std::string path = write("own.yaml", "extends: " + base() +
                                                   "\n"
                                                   "events:\n"
                                                   "  - turn: 2\n"
                                                   "    type: news\n"
                                                   "    text: fine\n"
                                                   "  - turn: 2\n"
                                                   "    type: capacity\n"
                                                   "    country: china\n"
                                                   "    good: ndpr_concentrate\n"
                                                   "    factor: -1\n"
                                                   "    turns: 1\n");
    auto p = problems(path);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find(path + ":10:13: events[1].factor: expected a number"), std::string::npos) << p[0];
}

TEST_F(Extends, AMissingBaseIsReportedWhereItIsNamed) {
    const std::string path = write("lost.yaml", "scenario:\n  name: x\nextends: nowhere.yaml\n");
    auto p = problems(path);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find(path + ":3:10: extends: cannot find the scenario file \"nowhere.yaml\""), std::string::npos)
        << p[0];
}

TEST_F(Extends, AShorterGameDropsTheBasesLaterEventsButChecksItsOwn) {
    const Scenario b = load_scenario(base());
    int late = 0;
    for (const auto& e : b.events) late += e.turn >= 2;
    ASSERT_GT(late, 0) << "the base needs events after turn 1 for this test";
    const std::string path = write("short.yaml", "extends: " + base() + "\nscenario:\n  turns: 2\n");
    const Scenario s = load_scenario(path);
    EXPECT_EQ(s.defs->turns, 2);
    EXPECT_EQ(s.events.size(), b.events.size() - static_cast<size_t>(late));
    const std::string own = write("own.yaml", "extends: " + base() +
                                                  "\nscenario:\n  turns: 2\nevents:\n  - turn: 5\n"
                                                  "    type: news\n    text: too late\n");
    auto p = problems(own);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find(own + ":5:11:"), std::string::npos) << p[0];
}

// A monthly (or half-yearly) variant of a quarterly base keeps the base's calendar: the same months
// of game, and the base's events in the turns that hold their months, whether the base dated them
// or gave turns. (It used to play 8 months of an 8-quarter base and drop the events after them.)
TEST_F(Extends, ChangingTheTurnLengthKeepsTheBasesCalendar) {
    const Scenario b = load_scenario(base());
    ASSERT_EQ(b.defs->turn_months, 3);
    ASSERT_EQ(b.defs->turns, 8);
    auto turns_of = [](const Scenario& s) {
        std::vector<int> t;
        for (const auto& e : s.events) t.push_back(e.turn);
        std::sort(t.begin(), t.end());
        return t;
    };
    // The base: turn: 0, turn: 1 twice, 2026-07 (turn 2), 2027-02 (turn 4).
    ASSERT_EQ(turns_of(b), (std::vector<int>{0, 1, 1, 2, 4}));
    const Scenario monthly = load_scenario(write("monthly.yaml", "extends: " + base() + "\nscenario:\n  turn_months: 1\n"));
    EXPECT_EQ(monthly.defs->turns, 24);
    EXPECT_EQ(turns_of(monthly), (std::vector<int>{0, 3, 3, 6, 13}));
    const Scenario half = load_scenario(write("half.yaml", "extends: " + base() + "\nscenario:\n  turn_months: 6\n"));
    EXPECT_EQ(half.defs->turns, 4);
    EXPECT_EQ(turns_of(half), (std::vector<int>{0, 0, 0, 1, 2}));
    // A length this file gives is taken as written (in its turns); the base's events after it drop.
    const Scenario shorter =
        load_scenario(write("shorter.yaml", "extends: " + base() + "\nscenario:\n  turn_months: 1\n  turns: 6\n"));
    EXPECT_EQ(shorter.defs->turns, 6);
    EXPECT_EQ(turns_of(shorter), (std::vector<int>{0, 3, 3}));
}

TEST_F(Extends, ABasesPolicyPathsStayRelativeToTheBase) {
    std::ifstream in(base(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::string b = text.str();
    const size_t usa = b.find("  usa:\n");
    ASSERT_NE(usa, std::string::npos);
    const std::string was = "    policy: autopilot\n";
    const size_t at = b.find(was, usa);
    ASSERT_NE(at, std::string::npos);
    b.replace(at, was.size(), "    policy: mine.lua\n");
    fs::create_directories(dir_ / "base");
    write("base/base.yaml", b);
    write("base/mine.lua", "return { on_turn = function(ctx) end }\n");
    const Scenario s = load_scenario(write("child.yaml", "extends: base/base.yaml\n"));
    const std::string policy = s.defs->countries[s.defs->country_id("usa")].policy;
    EXPECT_EQ(fs::path(policy), (dir_ / "base" / "mine.lua").lexically_normal()) << policy;
}

// What a resume compares: every file of the chain, found as the loader finds it (beside the
// extending file first), with the text read.
TEST_F(Extends, ExtendedFilesAreTheWholeChainAsTheLoaderFindsIt) {
    fs::create_directories(dir_ / "lib");
    const std::string minimal = "# the base\nextends: " + base() + "\n";
    write("lib/mid.yaml", minimal);
    const std::string child = "extends: lib/mid.yaml\nscenario:\n  turns: 2\n";
    const std::string path = write("child.yaml", child);
    ASSERT_NO_THROW(load_scenario(path));
    const std::vector<ScenarioFile> files = extended_files(child, path);
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(fs::path(files[0].path), (dir_ / "lib" / "mid.yaml").lexically_normal());
    EXPECT_EQ(files[0].text, minimal);
    EXPECT_EQ(fs::path(files[1].path), fs::path(base()).lexically_normal());
    std::ifstream in(base());
    EXPECT_EQ(files[1].text, std::string(std::istreambuf_iterator<char>(in), {}));
    EXPECT_TRUE(extended_files("scenario:\n  turns: 2\n", path).empty()) << "extends nothing";
}

TEST_F(Extends, ACycleIsRefused) {
    const std::string a = (dir_ / "a.yaml").string(), b = (dir_ / "b.yaml").string();
    write("a.yaml", "extends: b.yaml\n");
    write("b.yaml", "extends: a.yaml\n");
    auto p = problems(a);
    ASSERT_FALSE(p.empty());
    EXPECT_NE(p[0].find("more than 8 deep"), std::string::npos) << p[0];
}

// policy_params belong to the policy they were written for: an extension that seats another policy
// in a country does not inherit the base's parameters (which the new policy's declaration would
// refuse, reported at lines of the base under the extension's name); one that keeps the policy
// keeps them.
TEST_F(Extends, ANewPolicyDoesNotInheritTheBasesPolicyParams) {
    const std::string old_policy = write("old.lua", "params = {quota = {type = 'number', default = 1}}\n");
    const std::string new_policy = write("new.lua", "function on_turn(ctx) end\n");
    const std::string with_params = write("with_params.yaml", "extends: " + base() +
                                                                  "\n"
                                                                  "countries:\n"
                                                                  "  usa:\n"
                                                                  "    policy: " + old_policy + "\n"
                                                                  "    policy_params: {quota: 0.5}\n");
    const Scenario kept = load_scenario(write("same.yaml", "extends: " + with_params +
                                                              "\n"
                                                              "countries:\n"
                                                              "  usa:\n"
                                                              "    policy: old.lua\n"));
    const CountryId usa = kept.defs->country_id("usa");
    EXPECT_EQ(kept.defs->countries[usa].policy_params, nlohmann::json({{"quota", 0.5}})) << "the same policy keeps them";
    const Scenario replaced = load_scenario(write("other.yaml", "extends: " + with_params +
                                                                   "\n"
                                                                   "countries:\n"
                                                                   "  usa:\n"
                                                                   "    policy: " + new_policy + "\n"));
    EXPECT_TRUE(replaced.defs->countries[usa].policy_params.empty()) << replaced.defs->countries[usa].policy_params;
    EXPECT_TRUE(replaced.defs->countries[usa].policy_param_places.empty());
    const Scenario given = load_scenario(write("given.yaml", "extends: " + with_params +
                                                                "\n"
                                                                "countries:\n"
                                                                "  usa:\n"
                                                                "    policy: " + new_policy + "\n"
                                                                "    policy_params: {level: 2}\n"));
    const nlohmann::json& own = given.defs->countries[usa].policy_params;
    EXPECT_EQ(own.size(), 1u) << own << ": the new policy's own only, not merged with the old policy's";
    EXPECT_EQ(own.value("level", 0.0), 2.0) << own;
}

// The second hostile-inputs review: a key that is a list or a map in an extending file ended the
// load with "yaml-cpp: ... bad conversion" (exit 1, no file); and a policy parameter the extension
// overrides was placed at the base's line, under the extension's name.
TEST_F(Extends, KeysThatAreNotWordsAndOverriddenParamsAreNamedInTheExtendingFile) {
    const std::string path = write("keys.yaml", "extends: " + base() +
                                                    "\n"
                                                    "countries:\n"
                                                    "  usa:\n"
                                                    "    [a, b]: 3\n");
    auto p = problems(path);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find(path + ":4:5: countries.usa: keys must be plain words, got a list"), std::string::npos) << p[0];

    const std::string with_params = write("with_params.yaml", "extends: " + base() +
                                                                  "\n"
                                                                  "countries:\n"
                                                                  "  usa:\n"
                                                                  "    policy_params:\n"
                                                                  "      quota: 0.5\n"
                                                                  "      level: 1\n");
    const std::string over = write("over.yaml", "extends: " + with_params +
                                                    "\n"
                                                    "countries:\n"
                                                    "  usa:\n"
                                                    "    policy_params:\n"
                                                    "      level: 2\n");
    const Scenario s = load_scenario(over);
    const CountryId usa = s.defs->country_id("usa");
    bool found = false;
    for (const auto& [key, place] : s.defs->countries[usa].policy_param_places)
        if (key == "level") {
            found = true;
            EXPECT_EQ(place.rfind(over + ":5:7: countries.usa.policy_params.level", 0), 0u) << place;
        }
    EXPECT_TRUE(found);
}

}  // namespace
}  // namespace chokepoint
