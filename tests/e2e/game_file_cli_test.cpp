// `chokepoint run --save/--load/--at`, `replay` and `compare` (docs/game-file.md), and a kill -9
// in the middle of a saved game.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/savegame/game_file.hpp"
#include "tests/e2e/run_command.hpp"
#include "tests/support/files.hpp"
#include "tests/support/sqlite.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;
using testing::run_chokepoint;

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("chokepoint_gamefile_cli_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

using chokepoint::testing::slurp;

// Leverage on every 2nd turn: the loaded turns 1 and 3 take their measurement from the file.
const std::string kRun = "run config/scenarios/baseline.yaml --turns 8 --leverage 2 -q";

TEST(GameFileCli, ResumeAndBranchGiveTheStraightGamesOutputs) {
    const fs::path d = temp_dir("resume");
    const std::string D = d.string();
    ASSERT_EQ(run_chokepoint(kRun + " --out " + D + "/straight").code, 0);
    auto r = run_chokepoint(kRun + " --save " + D + "/g.ckp --until 4");
    ASSERT_EQ(r.code, 0) << r.out;
    r = run_chokepoint("run --load " + D + "/g.ckp -q --out " + D + "/resumed");
    ASSERT_EQ(r.code, 0) << r.out;
    r = run_chokepoint("run --load " + D + "/g.ckp --at 5 --save " + D + "/branch.ckp -q --out " + D + "/branch");
    ASSERT_EQ(r.code, 0) << r.out;
    for (const auto& e : fs::directory_iterator(d / "straight")) {
        const std::string name = e.path().filename().string();
        EXPECT_EQ(slurp(e.path()), slurp(d / "resumed" / name)) << name;
        EXPECT_EQ(slurp(e.path()), slurp(d / "branch" / name)) << name;
    }
    r = run_chokepoint("replay " + D + "/g.ckp");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("turn   7 2027-10: OK"), std::string::npos) << r.out;
    r = run_chokepoint("compare " + D + "/g.ckp " + D + "/branch.ckp");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("identical over their 8 turns"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("mean price $/kg"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("treasury $M"), std::string::npos) << r.out;
    EXPECT_EQ(GameFile::open(D + "/g.ckp").leverage_reports().size(), 4u);  // after turns 1, 3, 5, 7
    // The branch names its parent.
    GameFile b = GameFile::open(D + "/branch.ckp");
    EXPECT_EQ(b.header().parent_file, D + "/g.ckp");
    EXPECT_EQ(b.header().parent_turn, 5);
    fs::remove_all(d);
}

TEST(GameFileCli, ReplayExitsOneAtADesyncAndTwoOnAFileThatIsNoGame) {
    const fs::path d = temp_dir("desync");
    const std::string D = d.string();
    ASSERT_EQ(run_chokepoint("run config/scenarios/baseline.yaml --turns 4 --leverage off -q --save " + D + "/g.ckp").code, 0);
    ASSERT_EQ(chokepoint::testing::exec_sql((D + "/g.ckp"),
                                            "UPDATE turns SET state_hash = 'x' || substr(state_hash, 2) WHERE turn = 2")
                  .error,
              "");
    auto r = run_chokepoint("replay " + D + "/g.ckp");
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find("turn   2: DESYNC"), std::string::npos) << r.out;
    // A game length cut below the saved turns (the hostile-inputs review: "2 turns replayed, every
    // state hash verified" with turn 2 corrupt) is not a verified file.
    ASSERT_EQ(run_chokepoint("run config/scenarios/baseline.yaml --turns 4 --leverage off -q --save " + D + "/h.ckp").code, 0);
    ASSERT_EQ(chokepoint::testing::exec_sql(D + "/h.ckp", "UPDATE game SET turn_limit = 2").error, "");
    r = run_chokepoint("replay " + D + "/h.ckp");
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.out.find("4 turns saved, but the game's length is 2: turns 2 to 3 were not replayed"), std::string::npos)
        << r.out;
    // A seed that is not a whole number (or would wrap, as -1) and a length under one turn are a
    // damaged header, said in words (it was "damaged (stoull)", and -1 was taken as 2^64 - 1).
    for (const char* edit :
         {"UPDATE game SET seed = 'abc'", "UPDATE game SET seed = '-1'", "UPDATE game SET turn_limit = 0"}) {
        fs::copy_file(d / "h.ckp", d / "e.ckp", fs::copy_options::overwrite_existing);
        ASSERT_EQ(chokepoint::testing::exec_sql(D + "/e.ckp", edit).error, "");
        r = run_chokepoint("replay " + D + "/e.ckp");
        EXPECT_EQ(r.code, 3) << edit << "\n" << r.out;
        EXPECT_NE(r.out.find(D + "/e.ckp: the game file is damaged ("), std::string::npos) << edit << "\n" << r.out;
        EXPECT_EQ(r.out.find("stoull"), std::string::npos) << r.out;
    }
    std::ofstream(d / "notes.ckp") << "not a game\n";
    r = run_chokepoint("replay " + D + "/notes.ckp");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find(D + "/notes.ckp: not a Chokepoint game file"), std::string::npos) << r.out;
    fs::remove_all(d);
}

int saved_turns(const std::string& path);

std::string text_of(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The hostile-inputs review: --save replaced whatever stood at the path (a user's file, an earlier
// game, a folder, a link, /dev/null), and a branch spelled differently overwrote its own parent.
TEST(GameFileCli, ANewGameFileIsNeverWrittenOverAnything) {
    const fs::path d = temp_dir("never_over");
    const std::string D = d.string();
    const std::string small = "run config/scenarios/baseline.yaml --turns 2 --leverage off -q --save ";
    std::ofstream(d / "thesis.txt") << "precious\n";
    auto r = run_chokepoint(small + D + "/thesis.txt");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find(D + "/thesis.txt: already exists; a new game file is never written over anything"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(text_of(d / "thesis.txt"), "precious\n");
    fs::create_directories(d / "folder");
    r = run_chokepoint(small + D + "/folder");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("already exists (a folder)"), std::string::npos) << r.out;
    fs::create_symlink(d / "thesis.txt", d / "link.ckp");
    r = run_chokepoint(small + D + "/link.ckp");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("already exists (a link)"), std::string::npos) << r.out;
    EXPECT_EQ(text_of(d / "thesis.txt"), "precious\n");

    // An earlier game stays whole; a branch into it, however spelled, is refused.
    ASSERT_EQ(run_chokepoint(small + D + "/g.ckp").code, 0);
    const std::string before = text_of(d / "g.ckp");
    r = run_chokepoint(small + D + "/g.ckp");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("to go on with a saved game, load it"), std::string::npos) << r.out;
    r = run_chokepoint("run --load " + D + "/g.ckp --at 1 -q --save " + D + "/../" + d.filename().string() + "/g.ckp");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("a branch is a new file"), std::string::npos) << r.out;
    EXPECT_EQ(text_of(d / "g.ckp"), before) << "the parent game is untouched";
    EXPECT_EQ(saved_turns(D + "/g.ckp"), 2);
    fs::remove_all(d);
}

// The hostile-inputs review: a denormal (1e-320) from a policy's tariff or a scenario's event ended
// the outputs and the save with "chokepoint: stod", and the saved game could never be loaded.
TEST(GameFileCli, DenormalNumbersAreSavedWrittenAndLoaded) {
    const fs::path d = temp_dir("denormal");
    const std::string D = d.string();
    std::ofstream(d / "tiny.lua") << "local p = {}\nfunction p.on_turn(ctx)\n"
                                     "  if ctx.turn == 1 then ctx:set_tariff('ndpr_oxide', 'china', 1e-320) end\n"
                                     "end\nreturn p\n";
    std::ofstream(d / "tiny.yaml") << "extends: " << fs::absolute("config/scenarios/baseline.yaml").string() << "\n"
                                   << "countries:\n  japan:\n    policy: " << D << "/tiny.lua\n"
                                   << "events:\n  - {turn: 2, type: tariff, country: usa, good: ndpr_oxide, target: china, "
                                      "rate: 1e-320}\n";
    auto r = run_chokepoint("run " + D + "/tiny.yaml --turns 4 --leverage off -q --out " + D + "/o --save " + D + "/g.ckp");
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_EQ(saved_turns(D + "/g.ckp"), 4);
    EXPECT_NE(slurp(d / "o" / "events.jsonl").find("\"tariff_change\""), std::string::npos);
    r = run_chokepoint("replay " + D + "/g.ckp");
    EXPECT_EQ(r.code, 0) << r.out;
    r = run_chokepoint("report " + D + "/o -o " + D + "/debrief.html");
    EXPECT_EQ(r.code, 0) << r.out;
    fs::remove_all(d);
}

// The hostile-inputs review: a journal row that parses as JSON but is not a command or an event
// ended replay, report and --load with a bare "[json.exception.out_of_range.403] key 'good' not
// found", exit 1. It is a damaged file: exit 3, naming the file, the turn and the row.
TEST(GameFileCli, ADamagedJournalRowIsNamedWithItsTurnAndKind) {
    const fs::path d = temp_dir("journal_row");
    const std::string D = d.string();
    ASSERT_EQ(run_chokepoint("run config/scenarios/baseline.yaml --turns 3 --leverage off -q --save " + D + "/g.ckp").code,
              0);
    ASSERT_EQ(chokepoint::testing::exec_sql(D + "/g.ckp",
                                            "INSERT INTO journal VALUES (1, 99, 'japan', 'decisions', "
                                            "'{\"human\": true, \"commands\": [{\"command\": \"set_tariff\", \"index\": 0}]}')")
                  .error,
              "");
    for (const std::string& command : {"replay " + D + "/g.ckp", "report " + D + "/g.ckp -o " + D + "/r.html",
                                       "run --load " + D + "/g.ckp --turns 1 -q"}) {
        const auto r = run_chokepoint(command);
        EXPECT_EQ(r.code, 3) << command << "\n" << r.out;
        EXPECT_NE(r.out.find(D + "/g.ckp: turn 1: the journal's decisions row is damaged"), std::string::npos)
            << command << "\n" << r.out;
    }
    EXPECT_EQ(saved_turns(D + "/g.ckp"), 3) << "nothing was added to the damaged file";
    fs::remove_all(d);
}

// The hostile-inputs review: `replay` found a tampered file's DESYNC, but `run --load` went on in it
// and appended turns of a different game. Going on in place is refused; a new file is allowed,
// with a warning.
TEST(GameFileCli, AFileThatNoLongerReplaysTheSameIsNotContinuedInPlace) {
    const fs::path d = temp_dir("desync_load");
    const std::string D = d.string();
    ASSERT_EQ(run_chokepoint("run config/scenarios/baseline.yaml --turns 4 --until 2 --leverage off -q --save " + D +
                             "/g.ckp")
                  .code,
              0);
    ASSERT_EQ(chokepoint::testing::exec_sql(D + "/g.ckp", "UPDATE turns SET state_hash = 'x' || substr(state_hash, 2) "
                                                          "WHERE turn = 1")
                  .error,
              "");
    const std::string before = text_of(d / "g.ckp");
    auto r = run_chokepoint("run --load " + D + "/g.ckp --turns 1 -q");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("turn 1 does not replay as it was saved"), std::string::npos) << r.out;
    EXPECT_EQ(text_of(d / "g.ckp"), before) << "nothing added";
    r = run_chokepoint("run --load " + D + "/g.ckp --turns 1 -q --save " + D + "/new.ckp");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("warning: " + D + "/g.ckp's turn 1 does not replay as it was saved"), std::string::npos)
        << r.out;
    EXPECT_EQ(saved_turns(D + "/new.ckp"), 3);
    EXPECT_EQ(run_chokepoint("replay " + D + "/new.ckp").code, 0) << "the new file is one game";
    fs::remove_all(d);
}

int saved_turns(const std::string& path) {
    sqlite3* db = nullptr;
    int n = 0;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM turns", -1, &s, nullptr) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return n;
}

TEST(GameFileCli, KillNineMidGameLeavesTheLastCommittedTurnLoadable) {
    const fs::path d = temp_dir("kill");
    const std::string file = (d / "g.ckp").string();
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        dup2(null, 1), dup2(null, 2);
        execl(CHOKEPOINT_BINARY, CHOKEPOINT_BINARY, "run", "config/scenarios/baseline.yaml", "--turns", "40",
              "--leverage", "every", "--threads", "1", "-q", "--save", file.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    // Wait for two saved turns (the game is far from over: leverage every turn of 40), then kill.
    bool reached = false;
    for (int i = 0; i < 1200 && !reached; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        reached = fs::exists(file) && saved_turns(file) >= 2;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(reached) << "the game did not save two turns in time";
    EXPECT_TRUE(WIFSIGNALED(status)) << "the game ended before the kill";
    GameFile f = GameFile::open(file);
    const int n = f.turns_saved();
    EXPECT_GE(n, 2);
    EXPECT_LT(n, 40);
    auto r = run_chokepoint("replay -q " + file);
    EXPECT_EQ(r.code, 0) << r.out;
    r = run_chokepoint("run --load " + file + " --turns 1 -q --threads 1");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_EQ(GameFile::open(file).turns_saved(), n + 1);
    fs::remove_all(d);
}

}  // namespace
}  // namespace chokepoint
