// `chokepoint tournament` (issue 15, Tournaments): entrants against a seat's shipped policy on the
// same seeds, a forfeit (with its reason) for a policy that errors or does not load, the same
// tables for any number of jobs, resuming an interrupted tournament, and its HTML leaderboard.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/run_command.hpp"
#include "tests/support/files.hpp"

namespace {

namespace fs = std::filesystem;
using chokepoint::testing::run_chokepoint;
using chokepoint::testing::ScratchDir;
using chokepoint::testing::slurp;

class Tournament : public ::testing::Test {
protected:
    void SetUp() override {
        // Embargoes its magnets to everyone: south and east go short, north sells less.
        std::ofstream(dir_ / "hoarder.lua") << "local policy = {}\n"
                                               "function policy.on_turn(ctx)\n"
                                               "  ctx:set_regime('magnet', 'all', 'embargo')\n"
                                               "end\n"
                                               "return policy\n";
        std::ofstream(dir_ / "broken.lua") << "local policy = {}\n"
                                              "function policy.on_turn(ctx)\n"
                                              "  if ctx.turn >= 1 then error('boom, \\'loud\\' <b>') end\n"
                                              "end\n"
                                              "return policy\n";
        std::ofstream(dir_ / "unloadable.lua") << "local policy = {\n"
                                                  "return policy\n";
    }
    std::string entrants() const { return (dir_ / "hoarder.lua").string() + " " + (dir_ / "broken.lua").string(); }
    // The lines of a CSV file.
    static std::vector<std::string> rows(const fs::path& csv) {
        std::istringstream in(slurp(csv));
        std::vector<std::string> out;
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }
    ScratchDir scratch_{"tournament"};
    const fs::path& dir_ = scratch_.path();
};

TEST_F(Tournament, ALeaderboardAgainstTheShippedPolicyWithForfeits) {
    auto r = run_chokepoint("tournament " + entrants() +
                                " --scenario tests/scenarios/trio.yaml --seat north --seeds 3 --turns 4 --leverage off -q --out " +
                                (dir_ / "t").string(),
                            300);
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("north: entrant"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("(3 forfeit)"), std::string::npos) << r.out;
    std::istringstream board(slurp(dir_ / "t" / "leaderboard.csv"));
    std::string header, shipped, hoarder, broken;
    std::getline(board, header);
    std::getline(board, shipped);
    std::getline(board, hoarder);
    std::getline(board, broken);
    EXPECT_EQ(header, "seat,entrant,games,forfeits,mean_score,ci95_low,ci95_high,diff_vs_shipped,diff_ci95_low,diff_ci95_high");
    EXPECT_EQ(shipped.rfind("north,shipped,3,0,", 0), 0u) << shipped;
    EXPECT_EQ(hoarder.rfind("north,hoarder,3,0,", 0), 0u) << hoarder;
    EXPECT_EQ(hoarder.find(",0,0,0"), std::string::npos) << "the embargo changes north's score: " << hoarder;
    EXPECT_EQ(broken.rfind("north,broken,3,3,0,0,0,-", 0), 0u) << "a forfeit scores 0: " << broken;
    // games.csv: one row per game, the same seeds for every entrant.
    const std::string games = slurp(dir_ / "t" / "games.csv");
    for (const char* row : {"north,shipped,1,", "north,shipped,3,", "north,hoarder,2,", "north,broken,3,0,1,"})
        EXPECT_NE(games.find(row), std::string::npos) << row << "\n" << games;
    // Its last column says why a game was forfeited (CSV-quoted: the message holds a comma).
    EXPECT_EQ(rows(dir_ / "t" / "games.csv").front(), "seat,entrant,seed,score,forfeit,errors,raw_score,leverage,reason");
    // (Lua shortens a long file name to "...its end".)
    const std::string reason = "broken.lua:3: boom, 'loud' <b>); fell back to autopilot in turn 3\"";
    for (const std::string& row : rows(dir_ / "t" / "games.csv")) {
        if (row.rfind("north,broken,", 0) == 0) {
            EXPECT_NE(row.find(",\"policy errors: 3 (first: in on_turn(): "), std::string::npos) << row;
            EXPECT_EQ(row.substr(row.size() - reason.size()), reason) << row;
        }
        if (row.rfind("north,hoarder,", 0) == 0) {
            EXPECT_EQ(row.back(), ',') << "no forfeit, no reason: " << row;
        }
    }
}

TEST_F(Tournament, ALoadErrorIsAForfeitWithItsReasonAndAnHtmlLeaderboardShowsTheTables) {
    const fs::path out = dir_ / "t";
    auto r = run_chokepoint("tournament " + entrants() + " " + (dir_ / "unloadable.lua").string() +
                                " --scenario tests/scenarios/trio.yaml --seat north --seat east --seeds 2 --turns 2 "
                                "--leverage off -q --out " + out.string(),
                            300);
    ASSERT_EQ(r.code, 0) << r.out;
    const std::string games = slurp(out / "games.csv");
    EXPECT_NE(games.find("east,unloadable,2,0,1,1,"), std::string::npos) << games;
    EXPECT_NE(games.find(",load error: "), std::string::npos) << games;
    EXPECT_NE(games.find("unloadable.lua:2: unexpected symbol near 'return'\n"), std::string::npos) << games;

    r = run_chokepoint("report " + out.string() + " -o " + (dir_ / "leaderboard.html").string(), 60);
    ASSERT_EQ(r.code, 0) << r.out;
    const std::string html = slurp(dir_ / "leaderboard.html");
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_EQ(html.find("http"), html.find("http://www.w3.org/2000/svg")) << "self-contained: no other address";
    // Every entrant of leaderboard.csv with its numbers, as the CSV wrote them.
    const auto board = rows(out / "leaderboard.csv");
    ASSERT_EQ(board.size(), 1u + 2 * 4);
    for (std::size_t i = 1; i < board.size(); ++i) {
        std::vector<std::string> f;
        std::istringstream fields(board[i]);
        for (std::string v; std::getline(fields, v, ',');) f.push_back(v);
        ASSERT_GE(f.size(), 7u) << board[i];
        const std::string row = "<td>" + f[1] + "</td><td>" + f[2] + "</td><td>" + f[3] + "</td><td>" + f[4] + "</td><td>[" +
                                f[5] + ", " + f[6] + "]</td>";
        EXPECT_NE(html.find(row), std::string::npos) << row;
        if (f[1] != "shipped") {
            EXPECT_NE(html.find("<td>" + f[7] + "</td><td>[" + f[8] + ", " + f[9] + "]</td>"), std::string::npos) << board[i];
        }
    }
    EXPECT_NE(html.find("<h2>Seat: north</h2>"), std::string::npos);
    EXPECT_NE(html.find("<h2>Seat: east</h2>"), std::string::npos);
    std::size_t charts = 0;
    for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++charts;
    EXPECT_EQ(charts, 2u) << "a chart of the means with their intervals per seat";
    // The games with their reasons, escaped.
    EXPECT_NE(html.find("<td class='reason'>policy errors: 1 (first: in on_turn(): "), std::string::npos);
    EXPECT_NE(html.find("broken.lua:3: boom, &#39;loud&#39; &lt;b&gt;)</td>"), std::string::npos);
    EXPECT_NE(html.find("<td class='reason'>load error: "), std::string::npos);
    EXPECT_NE(html.find("unloadable.lua:2: unexpected symbol near &#39;return&#39;</td>"), std::string::npos);
    EXPECT_EQ(html.find("<b>"), std::string::npos);

    // A broken leaderboard is named with its line.
    std::ofstream(out / "leaderboard.csv", std::ios::app) << "north,x,2,0,zero,0,0,,,\n";
    r = run_chokepoint("report " + out.string() + " -o " + (dir_ / "x.html").string(), 60);
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("leaderboard.csv:10: mean_score: not a number: 'zero'"), std::string::npos) << r.out;
}

TEST_F(Tournament, AnInterruptedTournamentResumesToTheSameBytesAndOtherArgumentsAreRefused) {
    const std::string common =
        "tournament " + entrants() + " --scenario tests/scenarios/trio.yaml --seat north --seeds 2 --turns 3 --leverage off --out ";
    const fs::path full = dir_ / "full", cut = dir_ / "cut";
    ASSERT_EQ(run_chokepoint(common + full.string() + " -q", 300).code, 0);
    ASSERT_EQ(run_chokepoint(common + cut.string() + " -q", 300).code, 0);
    // An interruption: two games' records gone (one a forfeit), the tables not yet written.
    for (const char* game : {"north-e0-s2.json", "north-e2-s1.json"}) ASSERT_TRUE(fs::remove(cut / "games" / game)) << game;
    fs::remove(cut / "games.csv");
    fs::remove(cut / "leaderboard.csv");
    auto r = run_chokepoint(common + cut.string() + " -j 2", 300);
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("= 6 games (4 already played in " + cut.string() + ")"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("game north-e0-s2 done"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("game north-e1-s1 done"), std::string::npos) << "a game with a record is not played again";
    EXPECT_EQ(slurp(cut / "games.csv"), slurp(full / "games.csv"));
    EXPECT_EQ(slurp(cut / "leaderboard.csv"), slurp(full / "leaderboard.csv"));

    // Other arguments into the same folder: refused, saying what differs, nothing lost.
    const std::string before = slurp(cut / "games.csv");
    r = run_chokepoint("tournament " + entrants() + " --scenario tests/scenarios/trio.yaml --seat north --seeds 3 --turns 3 "
                       "--leverage off -q --out " + cut.string(), 60);
    EXPECT_EQ(r.code, 4) << r.out;
    EXPECT_NE(r.out.find(cut.string() + " holds a tournament with other arguments (--seeds 2 (now 3))"), std::string::npos)
        << r.out;
    std::ofstream(dir_ / "hoarder.lua", std::ios::app) << "-- edited\n";
    r = run_chokepoint(common + cut.string() + " -q", 60);
    EXPECT_EQ(r.code, 4) << r.out;
    EXPECT_NE(r.out.find("(an entrant's file changed)"), std::string::npos) << r.out;
    EXPECT_EQ(slurp(cut / "games.csv"), before);
}

// A module an entrant require()s is part of what its games' results depend on: after it changes,
// a rerun plays that entrant's games again and keeps the others.
TEST_F(Tournament, AResumePlaysAgainTheGamesWhoseRequiredModuleChanged) {
    fs::create_directories(dir_ / "lib");
    std::ofstream(dir_ / "lib" / "level.lua") << "return 0.2\n";
    std::ofstream(dir_ / "taxer.lua") << "local level = require('lib.level')\n"
                                         "return { on_turn = function(ctx) ctx:set_tariff('magnet', 'all', level) end }\n";
    const std::string command = "tournament " + (dir_ / "taxer.lua").string() +
                                " --scenario tests/scenarios/trio.yaml --seat north --seeds 1 --turns 2 --leverage off --out " +
                                (dir_ / "out").string();
    ASSERT_EQ(run_chokepoint(command + " -q", 120).code, 0);
    const std::string record = slurp(dir_ / "out" / "games" / "north-e1-s1.json");
    EXPECT_NE(record.find("level.lua"), std::string::npos) << record;
    auto r = run_chokepoint(command, 120);
    EXPECT_NE(r.out.find("(2 already played in "), std::string::npos) << r.out;

    std::ofstream(dir_ / "lib" / "level.lua") << "return 0.3\n";
    r = run_chokepoint(command, 120);
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("(1 already played in "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("game north-e1-s1 done"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("game north-e0-s1 done"), std::string::npos) << r.out;
}

// Every policy error forfeits, not only a callback that raises: a ctx.memory that is not plain data
// (the callback itself succeeds) and an exhausted instruction budget.
TEST_F(Tournament, AMemoryErrorOrAnExhaustedBudgetForfeits) {
    std::ofstream(dir_ / "keeper.lua") << "return { on_turn = function(ctx) ctx.memory.f = function() end end }\n";
    std::ofstream(dir_ / "spinner.lua") << "return { on_turn = function(ctx) while true do end end }\n";
    auto r = run_chokepoint("tournament " + (dir_ / "keeper.lua").string() + " " + (dir_ / "spinner.lua").string() +
                                " --scenario tests/scenarios/trio.yaml --seat north --seeds 1 --turns 2 --leverage off -q --out " +
                                (dir_ / "t").string(),
                            300);
    ASSERT_EQ(r.code, 0) << r.out;
    const auto games = rows(dir_ / "t" / "games.csv");
    ASSERT_EQ(games.size(), 4u);
    EXPECT_EQ(games[1].rfind("north,shipped,1,", 0), 0u) << games[1];
    EXPECT_EQ(games[2].rfind("north,keeper,1,0,1,2,", 0), 0u) << "two turns, two memory errors: " << games[2];
    EXPECT_NE(games[2].find("ctx.memory"), std::string::npos) << games[2];
    EXPECT_EQ(games[3].rfind("north,spinner,1,0,1,2,", 0), 0u) << games[3];
    EXPECT_NE(games[3].find(",budget exceeded (2 of 2 policy errors; first: in on_turn(): "), std::string::npos) << games[3];
    EXPECT_NE(games[3].find(" budget of "), std::string::npos) << games[3];
}

// The plan covers the files the scenario extends: after an edit of its base the folder's games are
// another tournament's.
TEST_F(Tournament, AnEditedBaseOfTheScenarioIsAnotherTournament) {
    std::ofstream(dir_ / "base.yaml") << slurp("tests/scenarios/trio.yaml");
    std::ofstream(dir_ / "child.yaml") << "extends: base.yaml\n";
    const std::string command = "tournament " + (dir_ / "hoarder.lua").string() + " --scenario " + (dir_ / "child.yaml").string() +
                                " --seat north --seeds 1 --turns 1 --leverage off -q --out " + (dir_ / "t").string();
    ASSERT_EQ(run_chokepoint(command, 120).code, 0);
    std::ofstream(dir_ / "base.yaml", std::ios::app) << "# edited\n";
    auto r = run_chokepoint(command, 120);
    EXPECT_EQ(r.code, 4) << r.out;
    EXPECT_NE(r.out.find("(the scenario file or a file it extends changed)"), std::string::npos) << r.out;
}

// The leaderboard's intervals, recomputed here from games.csv: the mean, its 95 % interval with
// Student's t for 2 degrees of freedom (4.303) and the paired difference to the shipped policy,
// on a world whose mine outages make the seeds differ.
TEST_F(Tournament, TheLeaderboardsIntervalsAreStudentsTOnThePairedSeeds) {
    std::ofstream(dir_ / "shocky.yaml") << "extends: " << fs::absolute("tests/scenarios/trio.yaml").string() << "\n"
                                        << "random_shocks:\n"
                                           "  mine_outage: {probability: 0.5, process: mining, capacity_factor: 0.2, turns: 1}\n";
    auto r = run_chokepoint("tournament " + (dir_ / "hoarder.lua").string() + " --scenario " + (dir_ / "shocky.yaml").string() +
                                " --seat north --seeds 3 --turns 3 --leverage off -q --out " + (dir_ / "t").string(),
                            300);
    ASSERT_EQ(r.code, 0) << r.out;
    auto fields = [](const std::string& row) {
        std::vector<std::string> f;
        std::istringstream in(row);
        for (std::string v; std::getline(in, v, ',');) f.push_back(v);
        return f;
    };
    std::map<std::string, std::vector<double>> scores;  // entrant → score per seed, in seed order
    for (const std::string& row : rows(dir_ / "t" / "games.csv"))
        if (row.rfind("north,", 0) == 0) scores[fields(row)[1]].push_back(std::stod(fields(row)[3]));
    ASSERT_EQ(scores["shipped"].size(), 3u);
    ASSERT_EQ(scores["hoarder"].size(), 3u);
    ASSERT_FALSE(scores["shipped"][0] == scores["shipped"][1] && scores["shipped"][1] == scores["shipped"][2])
        << "the seeds must differ for the intervals to mean anything";
    // Mean and half-width of the 95 % interval of three values.
    auto interval = [](const std::vector<double>& x) {
        const double mean = (x[0] + x[1] + x[2]) / 3.0;
        double ss = 0.0;
        for (double v : x) ss += (v - mean) * (v - mean);
        return std::pair{mean, 4.303 * std::sqrt(ss / 2.0) / std::sqrt(3.0)};
    };
    std::vector<double> diff;
    for (int k = 0; k < 3; ++k) diff.push_back(scores["hoarder"][k] - scores["shipped"][k]);
    const auto board = rows(dir_ / "t" / "leaderboard.csv");
    ASSERT_EQ(board.size(), 3u);
    auto near = [](const std::string& cell, double want) { return std::abs(std::stod(cell) - want) <= 2e-5 * (1 + std::abs(want)); };
    for (int row = 1; row <= 2; ++row) {
        const auto f = fields(board[row]);
        ASSERT_GE(f.size(), 7u) << board[row];
        const auto [mean, half] = interval(scores[f[1]]);
        EXPECT_GT(half, 0.0) << f[1];
        EXPECT_TRUE(near(f[4], mean)) << board[row] << " mean " << mean;
        EXPECT_TRUE(near(f[5], mean - half)) << board[row] << " low " << mean - half;
        EXPECT_TRUE(near(f[6], mean + half)) << board[row] << " high " << mean + half;
    }
    const auto f = fields(board[2]);
    ASSERT_EQ(f.size(), 10u) << board[2];
    const auto [d, dhalf] = interval(diff);
    EXPECT_TRUE(near(f[7], d)) << board[2] << " paired difference " << d;
    EXPECT_TRUE(near(f[8], d - dhalf)) << board[2] << " low " << d - dhalf;
    EXPECT_TRUE(near(f[9], d + dhalf)) << board[2] << " high " << d + dhalf;
}

TEST_F(Tournament, TheSameTablesForAnyNumberOfJobs) {
    const std::string common = "tournament " + entrants() +
                               " --scenario tests/scenarios/trio.yaml --seat north --seat east --seeds 2 --turns 3 -q --out ";
    ASSERT_EQ(run_chokepoint(common + (dir_ / "one").string() + " -j 1", 300).code, 0);
    ASSERT_EQ(run_chokepoint(common + (dir_ / "two").string() + " -j 2", 300).code, 0);
    EXPECT_EQ(slurp(dir_ / "one" / "leaderboard.csv"), slurp(dir_ / "two" / "leaderboard.csv"));
    EXPECT_EQ(slurp(dir_ / "one" / "games.csv"), slurp(dir_ / "two" / "games.csv"));
}

// The issue's own form: the policy after `--seat north` is an entrant, not a second seat.
TEST_F(Tournament, APolicyAfterTheSeatIsAnEntrant) {
    auto r = run_chokepoint("tournament --scenario tests/scenarios/trio.yaml --seat north " + (dir_ / "hoarder.lua").string() +
                                " --seeds 1 --turns 1 --leverage off -q --out " + (dir_ / "t").string(),
                            120);
    ASSERT_EQ(r.code, 0) << r.out;
    const auto board = rows(dir_ / "t" / "leaderboard.csv");
    ASSERT_EQ(board.size(), 3u);
    EXPECT_EQ(board[2].rfind("north,hoarder,1,", 0), 0u) << board[2];
}

TEST_F(Tournament, AnUnknownSeatOrMissingPolicyIsRefusedWithTheChoices) {
    auto r = run_chokepoint("tournament " + entrants() + " --scenario tests/scenarios/trio.yaml --seat atlantis");
    EXPECT_EQ(r.code, 3);
    EXPECT_NE(r.out.find("--seat atlantis: no such country"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("countries: north, south, east"), std::string::npos) << r.out;
    r = run_chokepoint("tournament nothere.lua --scenario tests/scenarios/trio.yaml --seat north");
    EXPECT_EQ(r.code, 3);
    EXPECT_NE(r.out.find("nothere.lua: no such policy file"), std::string::npos) << r.out;
}

TEST_F(Tournament, ScenarioParamsThatTheSeatsPolicyRefusesForfeitItsGamesAndTheTournamentGoesOn) {
    // trio with north governed by hawk.lua and a tariff outside the range hawk.lua declares.
    std::string trio = slurp("tests/scenarios/trio.yaml");
    const std::string anchor = "    exports_to: {south: 400000, east: 100000}\n";
    ASSERT_NE(trio.find(anchor), std::string::npos);
    trio.insert(trio.find(anchor) + anchor.size(), "    policy: " + fs::absolute("scripts/policies/hawk.lua").string() +
                                                       "\n    policy_params: {tariff: 50}\n");
    std::ofstream(dir_ / "hawkish.yaml") << trio;
    auto r = run_chokepoint("tournament " + (dir_ / "hoarder.lua").string() + " --scenario " + (dir_ / "hawkish.yaml").string() +
                                " --seat north --seat east --seeds 2 --turns 2 --leverage off -q --out " + (dir_ / "t").string(),
                            300);
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("warning: north's policy in " + (dir_ / "hawkish.yaml").string() + " does not load"), std::string::npos)
        << r.out;
    const std::string games = slurp(dir_ / "t" / "games.csv");
    for (const char* seed : {"1", "2"}) {
        // (One error: the load error's policy_error event.)
        const std::string row = std::string("north,shipped,") + seed + ",0,1,1,";
        EXPECT_NE(games.find(row), std::string::npos) << row << "\n" << games;
    }
    EXPECT_NE(games.find("\"load error: " + (dir_ / "hawkish.yaml").string() +
                         ":64:21: countries.north.policy_params.tariff: expected a number in [0, 10], got 50"),
              std::string::npos) << games;
    EXPECT_NE(games.find("north,hoarder,1,"), std::string::npos) << "another entrant plays north: " << games;
    EXPECT_EQ(games.find("north,hoarder,1,0,1,"), std::string::npos) << "with its own defaults, no forfeit: " << games;
}

}  // namespace
