// Hardening (issue 17, items 7 and 9): special files are refused instead of read forever, and
// numeric options out of range are usage errors instead of being saturated.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "engine/world/files.hpp"
#include "tests/e2e/run_command.hpp"

namespace {

namespace fs = std::filesystem;

using Result = chokepoint::testing::RunResult;

// Under timeout(1): a hang fails the test rather than stalling the suite.
Result run(const std::string& args) { return chokepoint::testing::run_chokepoint(args, 20); }

class SpecialFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("chokepoint_special_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        fifo_yaml_ = (dir_ / "scenario.yaml").string();
        fifo_lua_ = (dir_ / "policy.lua").string();
        ASSERT_EQ(::mkfifo(fifo_yaml_.c_str(), 0600), 0);
        ASSERT_EQ(::mkfifo(fifo_lua_.c_str(), 0600), 0);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
    std::string fifo_yaml_, fifo_lua_;
};

TEST_F(SpecialFiles, AScenarioThatIsAFifoOrADeviceIsRefused) {
    for (const std::string& path : {fifo_yaml_, std::string("/dev/zero")}) {
        for (const char* cmd : {"check", "run"}) {
            Result r = run(std::string(cmd) + " " + path);
            EXPECT_EQ(r.code, 3) << cmd << " " << path << ": " << r.out;
            EXPECT_NE(r.out.find(path + ": cannot read scenario file: it is a"), std::string::npos) << r.out;
        }
    }
}

TEST_F(SpecialFiles, APolicyThatIsAFifoIsRefused) {
    Result r = run("check " + fifo_lua_);
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("cannot read policy file: it is a FIFO"), std::string::npos) << r.out;
}

TEST_F(SpecialFiles, ReadTextFileStopsAtItsLimit) {
    std::string error;
    fs::path big = dir_ / "big.yaml";
    {
        FILE* f = std::fopen(big.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::string line(1000, 'x');
        for (int i = 0; i < 100; ++i) std::fputs(line.c_str(), f);
        std::fclose(f);
    }
    EXPECT_FALSE(chokepoint::read_text_file(big.string(), 50'000, error));
    EXPECT_NE(error.find("larger than 50000 bytes"), std::string::npos) << error;
    auto ok = chokepoint::read_text_file(big.string(), 100'000, error);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->size(), 100'000u);
    EXPECT_FALSE(chokepoint::read_text_file("/dev/zero", 100'000, error));
    EXPECT_NE(error.find("character device"), std::string::npos) << error;
}

TEST(Options, ASeedOutOfRangeIsAUsageError) {
    for (const char* seed : {"18446744073709551616", "-1", "1e3", "12abc"}) {
        Result r = run(std::string("run tests/scenarios/trio.yaml --turns 1 --quiet --seed ") + seed);
        EXPECT_EQ(r.code, 2) << seed << ": " << r.out;
        EXPECT_NE(r.out.find("--seed"), std::string::npos) << r.out;
    }
    Result top = run("run tests/scenarios/trio.yaml --turns 1 --quiet --seed 18446744073709551615");
    EXPECT_EQ(top.code, 0) << top.out;
}

}  // namespace
