// `chokepoint tournament` (issue 15, Tournaments): entrants against a seat's shipped policy on the
// same seeds, a forfeit for a policy that errors, and the same tables for any number of jobs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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
                                              "  if ctx.turn >= 1 then error('boom') end\n"
                                              "end\n"
                                              "return policy\n";
    }
    std::string entrants() const { return (dir_ / "hoarder.lua").string() + " " + (dir_ / "broken.lua").string(); }
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
}

TEST_F(Tournament, TheSameTablesForAnyNumberOfJobs) {
    const std::string common = "tournament " + entrants() +
                               " --scenario tests/scenarios/trio.yaml --seat north --seat east --seeds 2 --turns 3 -q --out ";
    ASSERT_EQ(run_chokepoint(common + (dir_ / "one").string() + " -j 1", 300).code, 0);
    ASSERT_EQ(run_chokepoint(common + (dir_ / "two").string() + " -j 2", 300).code, 0);
    EXPECT_EQ(slurp(dir_ / "one" / "leaderboard.csv"), slurp(dir_ / "two" / "leaderboard.csv"));
    EXPECT_EQ(slurp(dir_ / "one" / "games.csv"), slurp(dir_ / "two" / "games.csv"));
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

}  // namespace
