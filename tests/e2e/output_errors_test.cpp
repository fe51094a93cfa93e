// End-to-end: `chokepoint run --out` on a full disk, a folder it must not replace, and a full
// standard output all fail with a clear message and exit 4 (an output error), never "Wrote …".
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/output/output_set.hpp"
#include "tests/e2e/run_command.hpp"

namespace {

namespace fs = std::filesystem;
using chokepoint::testing::run_chokepoint;

fs::path fresh_dir(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("chokepoint_outerr_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// A 32 KiB tmpfs: the minimal scenario's six turns write about 70 KB. Needs root (the CI runs as
// root); skipped where mounting is not allowed.
TEST(OutputErrors, AFullDiskExitsWithAnOutputErrorAndKeepsTheEarlierSet) {
    fs::path mnt = fresh_dir("tmpfs");
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=32k") != 0) {
        fs::remove_all(mnt);
        GTEST_SKIP() << "cannot mount a small tmpfs here (not root?)";
    }
    fs::path out = mnt / "out";
    auto small = run_chokepoint("run tests/scenarios/minimal.yaml --quiet --turns 1 --out " + out.string());
    EXPECT_EQ(small.code, 0) << small.out;
    const std::string manifest_before = [&] {
        std::ifstream f(out / chokepoint::kManifestName);
        return std::string(std::istreambuf_iterator<char>(f), {});
    }();
    auto r = run_chokepoint("run tests/scenarios/minimal.yaml --quiet --turns 6 --out " + out.string());
    EXPECT_EQ(r.code, 4) << r.out;
    EXPECT_NE(r.out.find("No space left on device"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("cannot write " + out.string() + "/"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("Wrote"), std::string::npos) << r.out;
    // The one-turn set is still there, complete; no staging folder is left behind.
    EXPECT_EQ(chokepoint::verify_output_set(out), std::nullopt);
    {
        std::ifstream f(out / chokepoint::kManifestName);
        EXPECT_EQ(std::string(std::istreambuf_iterator<char>(f), {}), manifest_before);
    }
    EXPECT_EQ(std::distance(fs::directory_iterator(mnt), fs::directory_iterator()), 1);
    EXPECT_EQ(::umount(mnt.c_str()), 0);
    fs::remove_all(mnt);
}

TEST(OutputErrors, AFolderWithOtherFilesIsRefusedAndLeftAlone) {
    fs::path dir = fresh_dir("foreign");
    std::ofstream(dir / "thesis.tex") << "precious\n";
    auto r = run_chokepoint("run tests/scenarios/minimal.yaml --quiet --turns 1 --out " + dir.string());
    EXPECT_EQ(r.code, 4) << r.out;
    EXPECT_NE(r.out.find("thesis.tex"), std::string::npos) << r.out;
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
    fs::remove_all(dir);
}

// A file where the folder should go is refused before the game is played (it used to be refused
// only after the last turn), and is left as it was.
TEST(OutputErrors, AFileNamedByOutIsRefusedBeforeTheGame) {
    fs::path dir = fresh_dir("file");
    std::ofstream(dir / "notes.txt") << "precious\n";
    const std::string file = (dir / "notes.txt").string();
    auto r = run_chokepoint("run tests/scenarios/minimal.yaml --turns 6 --out " + file);
    EXPECT_EQ(r.code, 4) << r.out;
    EXPECT_NE(r.out.find("cannot write the output folder " + file + ": it exists and is not a folder (nothing was played)"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("turn"), std::string::npos) << "no turn was played: " << r.out;
    std::ifstream in(dir / "notes.txt");
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "precious\n");
    fs::remove_all(dir);
}

TEST(OutputErrors, RunningTwiceReplacesTheSetAndItVerifies) {
    fs::path root = fresh_dir("twice"), out = root / "out";
    ASSERT_EQ(run_chokepoint("run tests/scenarios/minimal.yaml --quiet --turns 2 --out " + out.string()).code, 0);
    auto r = run_chokepoint("run tests/scenarios/minimal.yaml --quiet --turns 1 --out " + out.string());
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("checksums in " + out.string() + "/manifest.json"), std::string::npos) << r.out;
    chokepoint::OutputManifest m;
    EXPECT_EQ(chokepoint::verify_output_set(out, &m), std::nullopt);
    EXPECT_EQ(m.files.size(), 5u);
    EXPECT_NE(r.out.find("run " + m.run_id), std::string::npos) << r.out;
    EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);
    fs::remove_all(root);
}

TEST(OutputErrors, AFullStandardOutputIsAnOutputError) {
    // stderr to the pipe, stdout to /dev/full.
    std::string cmd = std::string(CHOKEPOINT_BINARY) + " run tests/scenarios/minimal.yaml --turns 1 2>&1 >/dev/full";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string err;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) err.append(buf.data(), n);
    int status = pclose(p);
    EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 4) << err;
    EXPECT_NE(err.find("cannot write to standard output"), std::string::npos) << err;
}

}  // namespace
