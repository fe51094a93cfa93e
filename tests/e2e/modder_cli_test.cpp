// End-to-end tests of the modder's list (issue 15) on the command line: `--reload-at`, and a
// scenario's policy_params refused by the policy's declared params.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/e2e/run_command.hpp"

namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("chokepoint_e2e_modder_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// tests/scenarios/trio.yaml with north governed by `policy` with `params` (YAML at 6 spaces).
fs::path trio_with(const fs::path& dir, const std::string& policy, const std::string& params) {
    std::ifstream in("tests/scenarios/trio.yaml", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string anchor = "    name: North\n";
    text.insert(text.find(anchor) + anchor.size(),
                "    policy: " + policy + "\n" + (params.empty() ? "" : "    policy_params:\n" + params));
    const fs::path out = dir / "trio.yaml";
    std::ofstream(out, std::ios::binary) << text;
    return out;
}

TEST(CliReloadAt, RunSwitchesThePolicyAtTheTurnAndABrokenFileKeepsTheOld) {
    const fs::path dir = fresh_dir("reload");
    std::ofstream(dir / "v1.lua") << "return { on_turn = function(ctx) ctx:log('v1 turn ' .. ctx.turn) end }\n";
    std::ofstream(dir / "v2.lua") << "return { on_turn = function(ctx) ctx:log('v2 turn ' .. ctx.turn) end }\n";
    std::ofstream(dir / "broken.lua") << "return {\n  on_turn = function(ctx)\n    local = 1\n  end\n}\n";
    const fs::path sc = trio_with(dir, (dir / "v1.lua").string(), "");
    const auto r = chokepoint::testing::run_chokepoint(
        "run " + sc.string() + " --turns 4 --leverage off --out " + (dir / "out").string() + " --reload-at north:2=" +
            (dir / "v2.lua").string() + " --reload-at north:3=" + (dir / "broken.lua").string(),
        120);
    ASSERT_EQ(r.code, 0) << r.out;
    std::ifstream in(dir / "out" / "events.jsonl");
    const std::string events((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(events.find("[north] v1 turn 1"), std::string::npos);
    EXPECT_EQ(events.find("[north] v1 turn 2"), std::string::npos);
    EXPECT_NE(events.find("[north] v2 turn 2"), std::string::npos);
    EXPECT_NE(events.find("[north] v2 turn 3"), std::string::npos) << "the broken file kept v2";
    EXPECT_NE(events.find("\"policy_reloaded\""), std::string::npos);
    EXPECT_NE(events.find("broken.lua:3:"), std::string::npos);
    EXPECT_NE(events.find("the previous version keeps running"), std::string::npos);

    const auto bad = chokepoint::testing::run_chokepoint(
        "run " + sc.string() + " --turns 1 --leverage off --quiet --reload-at atlantis:1=" + (dir / "v2.lua").string());
    EXPECT_EQ(bad.code, 2) << bad.out;
    EXPECT_NE(bad.out.find("no country 'atlantis' (countries: north, south, east)"), std::string::npos) << bad.out;
    const auto autopilot = chokepoint::testing::run_chokepoint(
        "run " + sc.string() + " --turns 1 --leverage off --quiet --reload-at south:1=" + (dir / "v2.lua").string());
    EXPECT_EQ(autopilot.code, 2) << autopilot.out;
    EXPECT_NE(autopilot.out.find("south is not governed by a Lua policy"), std::string::npos) << autopilot.out;
    const auto folder = chokepoint::testing::run_chokepoint(
        "run " + sc.string() + " --turns 1 --leverage off --quiet --reload-at north:1=" + dir.string());
    EXPECT_EQ(folder.code, 2) << folder.out;
    EXPECT_NE(folder.out.find(dir.string() + " is a folder, not a Lua file"), std::string::npos) << folder.out;
    const auto gone = chokepoint::testing::run_chokepoint(
        "run " + sc.string() + " --turns 1 --leverage off --quiet --reload-at north:1=" + (dir / "gone.lua").string());
    EXPECT_EQ(gone.code, 2) << gone.out;
    EXPECT_NE(gone.out.find("no file " + (dir / "gone.lua").string()), std::string::npos) << gone.out;
    fs::remove_all(dir);
}

// --reload-at takes one value per use (the scenario after it stays the scenario), and play, whose
// window reloads an edited file between turns, refuses it rather than ignore it.
// run --load plays the saved text of a policy, and says so when the file has changed since.
TEST(CliLoad, APolicyFileChangedSinceTheGameBeganIsNoted) {
    const fs::path dir = fresh_dir("changed");
    std::ofstream(dir / "mine.lua") << "return { on_turn = function(ctx) ctx:log('v1 turn ' .. ctx.turn) end }\n";
    const fs::path sc = trio_with(dir, (dir / "mine.lua").string(), "");
    const std::string game = (dir / "g.ckp").string();
    auto r = chokepoint::testing::run_chokepoint(
        "run " + sc.string() + " --turns 4 --until 2 --leverage off -q --save " + game, 60);
    ASSERT_EQ(r.code, 0) << r.out;
    r = chokepoint::testing::run_chokepoint("run --load " + game + " --turns 1 -q", 60);
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_EQ(r.out.find("has changed"), std::string::npos) << "unchanged: no note\n" << r.out;
    std::ofstream(dir / "mine.lua") << "return { on_turn = function(ctx) ctx:log('v2 turn ' .. ctx.turn) end }\n";
    r = chokepoint::testing::run_chokepoint("run --load " + game + " --turns 1 -q", 60);
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("note: " + (dir / "mine.lua").string() +
                         " (played by north) has changed since this game began; the loaded game goes on with the "
                         "text it was saved with"),
              std::string::npos)
        << r.out;
    fs::remove_all(dir);
}

TEST(CliReloadAt, OneValuePerUseAndPlayRefusesIt) {
    const fs::path dir = fresh_dir("reload_forms");
    std::ofstream(dir / "v1.lua") << "return { on_turn = function(ctx) end }\n";
    const fs::path sc = trio_with(dir, (dir / "v1.lua").string(), "");
    const std::string reload = " --reload-at north:1=" + (dir / "v1.lua").string() + " ";
    auto r = chokepoint::testing::run_chokepoint("run" + reload + sc.string() + " --turns 1 --leverage off --quiet", 60);
    EXPECT_EQ(r.code, 0) << r.out;
    r = chokepoint::testing::run_chokepoint("play --headless" + reload + sc.string() + " --turns 1 --leverage off --quiet", 60);
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("chokepoint play: --reload-at is for run and check; in the window, edit the file: it reloads "
                         "between turns"),
              std::string::npos)
        << r.out;
    fs::remove_all(dir);
}

// The shipped policies declare their parameters: a misspelt key for china.lua in the baseline is
// refused at its line instead of falling back to the default unseen.
TEST(CliDeclaredParams, TheShippedPoliciesDeclareTheirs) {
    const fs::path dir = fresh_dir("shipped_params");
    std::ifstream in("config/scenarios/baseline.yaml", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string key = "      base_share: 0.95";
    const auto at = text.find(key);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, key.size(), "      base_shares: 0.95");
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
    std::ofstream(dir / "baseline.yaml", std::ios::binary) << text;
    const auto r = chokepoint::testing::run_chokepoint("run " + (dir / "baseline.yaml").string() + " --turns 1 --leverage off --quiet", 120);
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("baseline.yaml:" + std::to_string(line) +
                         ":7: countries.china.policy_params.base_shares: unknown parameter of policy "),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("(did you mean \"base_share\"?)"), std::string::npos) << r.out;
    fs::remove_all(dir);
}

TEST(CliDeclaredParams, RunRefusesAMisspeltParameterWithItsPlace) {
    const fs::path dir = fresh_dir("params");
    std::ofstream(dir / "p.lua") << "return { params = { quota = {type = 'number', default = 0.5, min = 0, max = 1} },\n"
                                    "  on_turn = function(ctx) ctx:log('quota ' .. ctx.params.quota) end }\n";
    const fs::path bad = trio_with(dir, (dir / "p.lua").string(), "      quotq: 0.2\n");
    const auto r = chokepoint::testing::run_chokepoint("run " + bad.string() + " --turns 1 --leverage off --quiet", 60);
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("trio.yaml:56:7: countries.north.policy_params.quotq: unknown parameter of policy"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("(did you mean \"quota\"?)"), std::string::npos) << r.out;
    // `check` on the scenario loads its policies as run does, and says the same.
    const auto checked = chokepoint::testing::run_chokepoint("check " + bad.string(), 60);
    EXPECT_EQ(checked.code, 3) << checked.out;
    EXPECT_NE(checked.out.find("trio.yaml:56:7: countries.north.policy_params.quotq: unknown parameter of policy"),
              std::string::npos)
        << checked.out;
    const fs::path good = trio_with(dir, (dir / "p.lua").string(), "");
    EXPECT_EQ(chokepoint::testing::run_chokepoint("check " + good.string(), 60).code, 0);
    const auto ok = chokepoint::testing::run_chokepoint(
        "run " + good.string() + " --turns 1 --leverage off --quiet --out " + (dir / "out").string(), 60);
    EXPECT_EQ(ok.code, 0) << ok.out;
    std::ifstream in(dir / "out" / "events.jsonl");
    const std::string events((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(events.find("[north] quota 0.5"), std::string::npos) << "the default filled in";
    fs::remove_all(dir);
}

}  // namespace
