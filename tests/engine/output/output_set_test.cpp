// The output set is written all or nothing: checked writes, a manifest whose checksums match the
// files, an error that names the file on a full disk, and a kill at any step leaving the complete
// earlier set or the complete new one (docs/outputs.md §How the files are written).
#include "engine/output/output_set.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "engine/output/sha256.hpp"

#include "tests/support/files.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;
using Contents = std::map<std::string, std::string>;

fs::path fresh_dir(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("chokepoint_outset_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

using chokepoint::testing::slurp;

std::vector<OutputFile> files_of(const Contents& c) {
    std::vector<OutputFile> files;
    for (const auto& [name, text] : c) files.push_back({name, [text = text](std::ostream& out) { out << text; }});
    return files;
}

// The folder's files other than the manifest, by name.
Contents read_set(const fs::path& dir) {
    Contents c;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename() != kManifestName) c[e.path().filename().string()] = slurp(e.path());
    return c;
}

// Big enough for several buffer flushes.
const Contents kOld{{"a.csv", std::string(200'000, 'o')}, {"b.csv", "old b\n"}, {"c.json", "{\"old\": 1}\n"}};
const Contents kNew{{"a.csv", std::string(150'000, 'n')}, {"b.csv", "new b\n"}, {"c.json", "{\"new\": 2}\n"}};

TEST(Sha256, MatchesTheStandardTestVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    Sha256 million;
    for (int i = 0; i < 1000; ++i) million.update(std::string(1000, 'a'));
    EXPECT_EQ(million.hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(OutputSet, ManifestListsEveryFileWithItsSizeAndChecksum) {
    fs::path root = fresh_dir("manifest"), dir = root / "out";
    OutputManifest m = write_output_set(dir, files_of(kNew));
    EXPECT_EQ(read_set(dir), kNew);
    ASSERT_EQ(m.files.size(), 3u);
    auto j = nlohmann::json::parse(slurp(dir / kManifestName));
    EXPECT_EQ(j["format"], kManifestFormat);
    EXPECT_EQ(j["run_id"], m.run_id);
    EXPECT_EQ(m.run_id.size(), kRunIdDigits);
    ASSERT_EQ(j["files"].size(), 3u);
    for (const auto& f : j["files"]) {
        const std::string& text = kNew.at(f["name"].get<std::string>());
        EXPECT_EQ(f["bytes"], text.size());
        EXPECT_EQ(f["sha256"], sha256_hex(text));
    }
    EXPECT_EQ(verify_output_set(dir), std::nullopt);
    // The manifest is part of what must be byte-identical between identical runs.
    const std::string first = slurp(dir / kManifestName);
    OutputManifest again = write_output_set(dir, files_of(kNew));
    EXPECT_EQ(again.run_id, m.run_id);
    EXPECT_EQ(slurp(dir / kManifestName), first);
    EXPECT_NE(write_output_set(dir, files_of(kOld)).run_id, m.run_id);
    // Nothing is left beside the folder.
    EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);
    fs::remove_all(root);
}

TEST(OutputSet, VerifyFindsAChangedFile) {
    fs::path root = fresh_dir("verify"), dir = root / "out";
    write_output_set(dir, files_of(kNew));
    std::ofstream(dir / "b.csv", std::ios::binary) << "new B\n";  // same size, other bytes
    auto problem = verify_output_set(dir);
    ASSERT_TRUE(problem.has_value());
    EXPECT_NE(problem->find("b.csv"), std::string::npos) << *problem;
    fs::remove_all(root);
}

TEST(OutputSet, AFullDiskIsAnErrorNamingTheFileAndKeepsTheEarlierSet) {
    fs::path root = fresh_dir("full"), dir = root / "out";
    write_output_set(dir, files_of(kOld));
    OutputSetHooks hooks;
    hooks.open_file = [](const std::string& name, const fs::path& path) {
        return name == "b.csv" ? ::open("/dev/full", O_WRONLY | O_CLOEXEC)
                               : ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    };
    try {
        write_output_set(dir, files_of(kNew), hooks);
        FAIL() << "a write to a full disk succeeded";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find((dir / "b.csv").string()), std::string::npos) << what;
        EXPECT_NE(what.find("No space left on device"), std::string::npos) << what;
        EXPECT_NE(what.find("left as it was"), std::string::npos) << what;
    }
    EXPECT_EQ(read_set(dir), kOld);
    EXPECT_EQ(verify_output_set(dir), std::nullopt);
    EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);  // no staging left
    fs::remove_all(root);
}

TEST(OutputSet, AFailingFillLeavesTheEarlierSet) {
    fs::path root = fresh_dir("throw"), dir = root / "out";
    write_output_set(dir, files_of(kOld));
    auto files = files_of(kNew);
    files[1].fill = [](std::ostream&) { throw std::runtime_error("boom"); };
    EXPECT_THROW(write_output_set(dir, files), std::runtime_error);
    EXPECT_EQ(read_set(dir), kOld);
    EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);
    fs::remove_all(root);
}

TEST(OutputSet, RefusesAFolderHoldingOtherFilesAndTouchesNothing) {
    fs::path dir = fresh_dir("foreign");
    std::ofstream(dir / "notes.txt") << "mine\n";
    try {
        write_output_set(dir, files_of(kNew));
        FAIL() << "a folder with a foreign file was replaced";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("notes.txt"), std::string::npos) << e.what();
    }
    EXPECT_EQ(read_set(dir), (Contents{{"notes.txt", "mine\n"}}));
    std::ofstream(dir / "notes.txt", std::ios::trunc).close();
    fs::remove(dir / "notes.txt");
    fs::create_directory(dir / "sub");
    EXPECT_THROW(write_output_set(dir, files_of(kNew)), std::runtime_error);
    fs::remove_all(dir);
}

TEST(OutputSet, ReplacesAnEmptyFolderAndAnEarlierVersionsFiles) {
    fs::path dir = fresh_dir("legacy");
    write_output_set(dir, files_of(kNew));  // the folder exists and is empty
    EXPECT_EQ(read_set(dir), kNew);
    fs::remove(dir / kManifestName);             // as an earlier version left it: no manifest,
    std::ofstream(dir / "a.csv.tmp") << "half";  // and a killed run's NAME.tmp
    write_output_set(dir, files_of(kOld));
    EXPECT_EQ(read_set(dir), kOld);
    EXPECT_EQ(verify_output_set(dir), std::nullopt);
    fs::remove_all(dir);
}

// Runs write_output_set in a child process that dies (_exit, no clean-up) at the `kill_at`-th
// step; returns false when the writer finished before reaching that step.
bool write_killed_at(const fs::path& dir, const Contents& c, int kill_at, bool use_exchange) {
    pid_t pid = ::fork();
    if (pid == 0) {
        OutputSetHooks hooks;
        hooks.use_exchange = use_exchange;
        int n = 0;
        hooks.after_step = [&](const std::string&) {
            if (n++ == kill_at) ::_exit(0);
        };
        try {
            write_output_set(dir, files_of(c), hooks);
        } catch (...) {
            ::_exit(2);
        }
        ::_exit(1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 2) << "the writer failed";
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void check_kill_at_every_step(bool use_exchange, bool with_old) {
    SCOPED_TRACE(std::string(use_exchange ? "exchange" : "two renames") +
                 (with_old ? ", over an earlier set" : ", new folder"));
    fs::path root = fresh_dir(std::string("kill_") + (use_exchange ? "x" : "r") + (with_old ? "o" : "n")),
             dir = root / "out";
    int saw_old = 0, saw_new = 0, saw_missing = 0, step = 0;
    for (;; ++step) {
        fs::remove_all(root);
        fs::create_directories(root);
        if (with_old) write_output_set(dir, files_of(kOld));
        if (!write_killed_at(dir, kNew, step, use_exchange)) break;
        SCOPED_TRACE("killed after step " + std::to_string(step));
        if (!fs::exists(dir)) {
            ++saw_missing;
            // Only between the two renames of the fallback: both complete sets are beside it.
            if (with_old) {
                EXPECT_FALSE(use_exchange);
                fs::path old = root / ".out.old";
                EXPECT_EQ(verify_output_set(old), std::nullopt);
                EXPECT_EQ(read_set(old), kOld);
            }
        } else {
            ASSERT_EQ(verify_output_set(dir), std::nullopt);
            Contents c = read_set(dir);
            ASSERT_TRUE(c == kOld || c == kNew);
            (c == kOld ? saw_old : saw_new)++;
        }
        // The next run recovers from whatever the killed one left.
        write_output_set(dir, files_of(kNew));
        EXPECT_EQ(read_set(dir), kNew);
        EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);
    }
    EXPECT_GE(step, 6);  // three files, the manifest, the sync, the rename...
    EXPECT_GT(saw_new, 0);
    if (with_old) {
        EXPECT_GT(saw_old, 0);
        EXPECT_EQ(saw_missing, use_exchange ? 0 : 1);
    }
    fs::remove_all(root);
}

TEST(OutputSet, AKillAtAnyStepLeavesTheEarlierOrTheNewSetNeverAMix) {
    check_kill_at_every_step(true, true);
    check_kill_at_every_step(false, true);
    check_kill_at_every_step(true, false);
}

}  // namespace
}  // namespace chokepoint
