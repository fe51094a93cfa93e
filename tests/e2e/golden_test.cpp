// Golden files: whole games whose outputs are stored in tests/golden/. A change that alters
// game outcomes fails here until the files are regenerated on purpose:
//   CHOKEPOINT_UPDATE_GOLDEN=1 ./build/chokepoint_tests --gtest_filter='Golden*'
// and the commit says why the outcomes changed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/files.hpp"

namespace {

namespace fs = std::filesystem;

using chokepoint::testing::slurp;

// "line N: golden `…` / now `…`" for the first line where the two texts differ.
std::string first_difference(const std::string& want, const std::string& now) {
    std::istringstream a(want), b(now);
    std::string la, lb;
    for (int line = 1;; ++line) {
        bool more_a = static_cast<bool>(std::getline(a, la)), more_b = static_cast<bool>(std::getline(b, lb));
        if (!more_a && !more_b) return "no line differs (line endings?)";
        if (!more_a) la = "<end of file>";
        if (!more_b) lb = "<end of file>";
        if (!more_a || !more_b || la != lb) {
            auto clip = [](const std::string& s) { return s.size() > 400 ? s.substr(0, 400) + "…" : s; };
            return "first difference at line " + std::to_string(line) + ":\n  golden: " + clip(la) +
                   "\n  now:    " + clip(lb);
        }
    }
}

void check_golden(const std::string& name, const std::string& args) {
    fs::path out = fs::temp_directory_path() / ("chokepoint_golden_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(out);
    std::string cmd = std::string(CHOKEPOINT_BINARY) + " run " + args + " --quiet --out " + out.string() + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    const fs::path golden = fs::path("tests/golden") / name;
    const bool update = std::getenv("CHOKEPOINT_UPDATE_GOLDEN") != nullptr;
    for (const char* f : {"timeseries.csv", "leverage.csv", "events.jsonl", "agreements.csv", "summary.json"}) {
        const std::string now = slurp(out / f);
        ASSERT_FALSE(now.empty()) << f;
        if (update) {
            fs::create_directories(golden);
            std::ofstream(golden / f, std::ios::binary) << now;
            continue;
        }
        const std::string want = slurp(golden / f);
        ASSERT_FALSE(want.empty()) << "no golden file " << (golden / f) << "; regenerate with CHOKEPOINT_UPDATE_GOLDEN=1";
        EXPECT_TRUE(now == want) << (golden / f) << " differs from this run (" << (out / f)
                                 << "): the game's outcome changed. If that is intended, regenerate the golden "
                                    "files with CHOKEPOINT_UPDATE_GOLDEN=1 and say why in the commit.\n"
                                 << first_difference(want, now);
    }
    if (!::testing::Test::HasFailure()) fs::remove_all(out);
}

TEST(Golden, TrioWorldTwelveTurns) { check_golden("trio", "tests/scenarios/trio.yaml"); }

TEST(Golden, MinimalWorldWithShocksAndEvents) { check_golden("minimal", "tests/scenarios/minimal.yaml --seed 3"); }

// The scripted path of a licensing episode on the baseline (Lua policies, negotiation, agreements,
// leverage): China refuses the USA for a quarter and restores approvals (issue 10).
TEST(Golden, LicensingShockOnTheBaselineEightTurns) {
    check_golden("licensing-shock", "config/scenarios/licensing-shock-usa.yaml --turns 8");
}

}  // namespace
