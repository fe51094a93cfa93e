// An installed copy runs from any directory (issue 16, "Build and install like a Debian package"):
// `cmake --install` to a temporary prefix, then the installed binary plays the default scenario
// and checks a named one from /, with the source tree hidden where the machine allows it; and
// `cpack -G DEB` makes a package that holds the binary and the data.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/e2e/run_command.hpp"

namespace {

namespace fs = std::filesystem;

chokepoint::testing::RunResult sh(const std::string& cmd) {
    chokepoint::testing::RunResult r;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

const fs::path kBuild = fs::path(CHOKEPOINT_BINARY).parent_path();

class Install : public ::testing::Test {
protected:
    void SetUp() override {
        prefix_ = fs::temp_directory_path() / ("chokepoint_install_" + std::to_string(::getpid()));
        const auto r = sh("cmake --install '" + kBuild.string() + "' --prefix '" + prefix_.string() + "'");
        ASSERT_EQ(r.code, 0) << r.out;
    }
    void TearDown() override { fs::remove_all(prefix_); }
    fs::path prefix_;
};

TEST_F(Install, TheCopyHoldsTheBinaryTheDataAndTheDocs) {
    EXPECT_TRUE(fs::is_regular_file(prefix_ / "bin/chokepoint"));
    for (const char* f : {"config/scenarios/baseline.yaml", "config/scenarios/crisis-2010.yaml",
                          "scripts/policies/china.lua", "assets/map/land-110m.txt"})
        EXPECT_TRUE(fs::is_regular_file(prefix_ / "share/chokepoint" / f)) << f;
    EXPECT_TRUE(fs::is_regular_file(prefix_ / "share/doc/chokepoint/README.md"));
    EXPECT_TRUE(fs::is_regular_file(prefix_ / "share/doc/chokepoint/lua-api.md"));
    // Real copies, not the build tree's links into the source.
    EXPECT_FALSE(fs::is_symlink(prefix_ / "share/chokepoint/config"));
}

TEST_F(Install, TheInstalledBinaryRunsFromAnyDirectory) {
    const std::string bin = (prefix_ / "bin/chokepoint").string();
    // The default scenario, its Lua policies (scripts/ under share/) and a named scenario, from /.
    const std::string cmds = "cd / && timeout 300 '" + bin + "' run --turns 2 --quiet && timeout 60 '" + bin +
                             "' check config/scenarios/licensing-shock-usa.yaml";
    // Hide the source tree (a private mount namespace with an empty folder over it) when the
    // machine allows it, so nothing can quietly come from there.
    const std::string source = fs::current_path().string();  // tests run from the source root
    const std::string hide = "unshare -m sh -c \"mount -t tmpfs none '" + source + "' && test ! -e '" + source +
                             "/CMakeLists.txt'";
    const bool can_hide = sh(hide + "\"").code == 0;
    if (!can_hide) std::fprintf(stderr, "note: cannot hide the source tree here (no unshare/mount); running in plain sight\n");
    const auto r = can_hide ? sh(hide + " && " + cmds + "\"") : sh(cmds);
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("china.lua"), std::string::npos) << r.out;  // the final tables name each country's policy
    EXPECT_NE(r.out.find("licensing-shock-usa.yaml: ok"), std::string::npos) << r.out;
}

TEST_F(Install, DataDirFromTheEnvironmentIsSearched) {
    // A copy of the binary alone finds nothing next to itself; CHOKEPOINT_DATA_DIR points it at
    // the installed data, and a scenario only that folder has is found by its relative name.
    const fs::path lone = prefix_ / "lone/bin";  // no share/ beside it or above it
    fs::create_directories(lone);
    fs::copy_file(prefix_ / "bin/chokepoint", lone / "chokepoint");
    const fs::path data = prefix_ / "share/chokepoint";
    fs::copy_file(data / "config/scenarios/crisis-2010.yaml", data / "config/scenarios/only-here.yaml");
    const std::string bin = (lone / "chokepoint").string();
    const auto r = sh("cd / && CHOKEPOINT_DATA_DIR='" + data.string() + "' timeout 60 '" + bin +
                      "' check config/scenarios/only-here.yaml");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("only-here.yaml: ok"), std::string::npos) << r.out;
    // Without it the same lone binary cannot find the file, and says so.
    const auto without = sh("cd / && env -u CHOKEPOINT_DATA_DIR timeout 60 '" + bin + "' check config/scenarios/only-here.yaml");
    EXPECT_NE(without.code, 0) << without.out;
}

TEST(Package, CpackMakesADebianPackageOfTheInstalledCopy) {
    const fs::path dir = fs::temp_directory_path() / ("chokepoint_deb_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto r = sh("cd '" + kBuild.string() + "' && cpack -G DEB -B '" + dir.string() + "'");
    ASSERT_EQ(r.code, 0) << r.out;
    fs::path deb;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".deb") deb = e.path();
    ASSERT_FALSE(deb.empty()) << r.out;
    const auto contents = sh("dpkg-deb -c '" + deb.string() + "'");
    ASSERT_EQ(contents.code, 0) << contents.out;
    EXPECT_NE(contents.out.find("./usr/bin/chokepoint"), std::string::npos) << contents.out;
    EXPECT_NE(contents.out.find("./usr/share/chokepoint/config/scenarios/baseline.yaml"), std::string::npos);
    const auto info = sh("dpkg-deb -f '" + deb.string() + "' Package Depends");
    EXPECT_NE(info.out.find("Package: chokepoint"), std::string::npos) << info.out;
    fs::remove_all(dir);
}

}  // namespace
