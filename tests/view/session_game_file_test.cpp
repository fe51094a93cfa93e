// The window's game file (docs/game-file.md, issue 12): every turn is saved as it is played, with
// the decisions of the seats people play; a saved game opens where it stopped and plays on exactly
// as if it had never stopped; Save as moves the saving to a copy; a branch keeps its parent.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "agents/saved_game.hpp"
#include "engine/savegame/game_file.hpp"
#include "engine/savegame/replay.hpp"
#include "engine/savegame/state_json.hpp"
#include "tests/support/files.hpp"
#include "tests/view/session_wait.hpp"
#include "view/session.hpp"
#include "view/shell/restart.hpp"

namespace chokepoint::view {
namespace {

using namespace std::chrono_literals;
using chokepoint::testing::ScratchDir;
using chokepoint::testing::slurp;

using chokepoint::testing::until;

SessionOptions trio(const std::string& save, std::vector<std::string> humans = {}) {
    return chokepoint::testing::trio_session(std::move(humans), save);
}

// Plays `n` turns; the seat people play (if any) decides a tariff that differs every turn.
void play_turns(Session& s, int n) {
    const Definitions& d = *s.snapshot()->defs;
    const CountryId south = d.country_id("south");
    const GoodId magnet{d.good_index("magnet")};
    for (int i = 0; i < n; ++i) {
        const auto played = s.snapshot()->history.size();
        s.step();
        auto w = until(s, [&](const Snapshot& x) { return x.waiting.has_value() || (!x.computing && x.history.size() > played); });
        if (w->waiting) s.end_turn(south, {SetTariff{magnet, std::nullopt, 0.05 * static_cast<double>(played + 1)}});
        until(s, [&](const Snapshot& x) { return !x.computing && !x.waiting && x.history.size() > played; });
    }
}

std::string final_hash(Session& s) {
    s.finish();
    return state_hash(state_snapshot(s.game().defs(), s.game().state()));
}

TEST(SessionGameFile, EveryTurnIsSavedAndAReopenedGamePlaysOnExactly) {
    ScratchDir dir("window_save");
    Session straight(trio((dir / "straight.ckp").string(), {"south"}));
    play_turns(straight, 5);
    const std::string expected = final_hash(straight);

    {
        Session first(trio((dir / "two-lessons.ckp").string(), {"south"}));
        play_turns(first, 3);
        const auto s = first.snapshot();
        EXPECT_EQ(s->game_file, (dir / "two-lessons.ckp").string());
        EXPECT_EQ(s->saved_turns, 3);
        EXPECT_TRUE(s->save_error.empty());
    }  // the window closes: nothing more to save

    SessionOptions o = trio("");
    o.load = (dir / "two-lessons.ckp").string();
    Session second(o);
    const auto opened = second.snapshot();
    EXPECT_EQ(opened->loaded_turns, 3);
    EXPECT_EQ(opened->history.size(), 3u) << "the replayed turns feed the charts";
    EXPECT_EQ(opened->state.turn, 3);
    const CountryId south = opened->defs->country_id("south");
    EXPECT_TRUE(opened->human[south]) << "the seat people played stays with people";
    EXPECT_EQ(opened->game_file, o.load) << "a loaded game is saved on in its file";
    play_turns(second, 2);
    EXPECT_EQ(final_hash(second), expected) << "3 turns, close, open, 2 turns = 5 turns straight";

    const GameFile file = GameFile::open(o.load);
    const auto turns = file.turns(false);
    ASSERT_EQ(turns.size(), 5u);
    for (const auto& t : turns) {
        ASSERT_EQ(t.decisions.size(), 1u) << "turn " << t.turn;
        EXPECT_EQ(t.decisions[0].first, "south");
    }
    EXPECT_EQ(turns[4].state_hash, GameFile::open((dir / "straight.ckp").string()).turns(false)[4].state_hash);
}

// The class length (the turn bar's popup) changes in play: not below the turns played, shorter
// ends the game sooner, longer goes on even after the game was over; the file keeps the length,
// so the game opens again with it.
TEST(SessionGameFile, TheClassLengthChangesInPlayAndTheFileKeepsIt) {
    ScratchDir dir("class_length");
    const std::string path = (dir / "class.ckp").string();
    {
        Session s(trio(path));
        ASSERT_EQ(s.snapshot()->turn_limit, 12);
        play_turns(s, 2);
        s.set_turn_limit(1);
        auto refused = until(s, [](const Snapshot& x) { return !x.notes.empty(); });
        EXPECT_NE(refused->notes.back().find("class length unchanged: 2 turns have been played"), std::string::npos)
            << refused->notes.back();
        EXPECT_EQ(refused->turn_limit, 12);
        s.set_turn_limit(4);
        auto set = until(s, [](const Snapshot& x) { return x.turn_limit == 4; });
        EXPECT_NE(set->notes.back().find("class length: 4 turns"), std::string::npos) << set->notes.back();
        EXPECT_EQ(GameFile::open(path).header().turn_limit, 4);
        s.set_seconds_per_turn(0);
        s.play();
        auto end = until(s, [](const Snapshot& x) { return x.finished && !x.computing; });
        EXPECT_EQ(end->state.turn, 4);
        s.set_turn_limit(6);  // two more turns after game over
        until(s, [](const Snapshot& x) { return x.turn_limit == 6 && !x.finished; });
        s.play();
        end = until(s, [](const Snapshot& x) { return x.finished && !x.computing; });
        EXPECT_EQ(end->state.turn, 6);
        EXPECT_EQ(end->saved_turns, 6);
    }
    EXPECT_EQ(GameFile::open(path).header().turn_limit, 6);
    SessionOptions o = trio("");
    o.load = path;
    Session reopened(o);
    const auto opened = reopened.snapshot();
    EXPECT_EQ(opened->loaded_turns, 6);
    EXPECT_EQ(opened->turn_limit, 6);
    EXPECT_TRUE(opened->finished);
}

// `play --load GAME --turns N` plays N more turns, as `run --load` does: the loaded game ends N
// turns on (its file keeps the length), not at its old end.
TEST(SessionGameFile, TurnsWithALoadedGameAreTurnsMore) {
    ScratchDir dir("load_turns");
    const std::string path = (dir / "game.ckp").string();
    {
        Session first(trio(path));
        play_turns(first, 3);
    }
    SessionOptions o = trio("");
    o.load = path;
    o.turns = 2;
    Session s(o);
    EXPECT_EQ(s.snapshot()->turn_limit, 5);
    s.set_seconds_per_turn(0);
    s.play();
    const auto end = until(s, [](const Snapshot& x) { return x.finished && !x.computing; });
    EXPECT_EQ(end->state.turn, 5);
    EXPECT_EQ(GameFile::open(path).header().turn_limit, 5);
}

// An inject the facilitator queued for a later turn is in the file as soon as it is queued: a
// game closed before that turn has it again when opened, and plays it in its turn. A cancelled
// one is gone from the file too.
TEST(SessionGameFile, InjectsQueuedForLaterTurnsAreKeptAcrossClosingTheWindow) {
    ScratchDir dir("window_queue");
    const std::string path = (dir / "queued.ckp").string();
    auto stockpile_release = [](const std::string& text) {
        ScheduledEvent e;
        e.kind = EventKind::Stockpile;
        e.country = CountryId{1};
        e.good = GoodId{0};
        e.value = 500.0;
        e.text = text;
        return e;
    };
    {
        Session s(trio(path));
        play_turns(s, 1);
        s.inject(stockpile_release("kept for turn 3"), 3);
        const int cancelled = s.inject(stockpile_release("cancelled"), 4);
        EXPECT_TRUE(s.cancel_inject(cancelled));
    }  // closed at turn 1, before the inject's turn
    ASSERT_EQ(GameFile::open(path).queued_injects().size(), 1u);

    SessionOptions o = trio("");
    o.load = path;
    Session s(o);
    const auto opened = s.snapshot();
    ASSERT_EQ(opened->injects.size(), 1u);
    EXPECT_EQ(opened->injects[0].turn, 3);
    EXPECT_EQ(opened->injects[0].text, "kept for turn 3");
    play_turns(s, 3);
    s.finish();
    const GameFile file = GameFile::open(path);
    const auto turns = file.turns(false);
    ASSERT_EQ(turns.size(), 4u);
    ASSERT_EQ(turns[3].injects.size(), 1u) << "played in its turn and journaled there";
    EXPECT_EQ(turns[3].injects[0].value("text", ""), "kept for turn 3");
    EXPECT_TRUE(file.queued_injects().empty()) << "nothing left in the queue";
}

// A branch from an earlier turn starts with the injects the window had queued when the last turn
// it keeps ended; a branch from after the inject's turn has none (it was played there).
TEST(SessionGameFile, ABranchKeepsTheInjectsQueuedWhenItsLastTurnEnded) {
    ScratchDir dir("window_branch_queue");
    const std::string path = (dir / "parent.ckp").string();
    {
        Session s(trio(path));
        play_turns(s, 1);
        ScheduledEvent e;
        e.kind = EventKind::Stockpile;
        e.country = CountryId{1};
        e.good = GoodId{0};
        e.value = 500.0;
        e.text = "queued for turn 3";
        s.inject(e, 3);
        play_turns(s, 4);  // turn 3 plays it
        s.finish();
    }
    auto branch = [&](int at) {
        OpenGameOptions o;
        o.load = path;
        o.at = at;
        o.save = (dir / ("branch" + std::to_string(at) + ".ckp")).string();
        o.lua.hot_reload = false;
        return open_saved_game(o);
    };
    for (int at : {2, 3}) {
        const OpenedGame b = branch(at);
        ASSERT_EQ(b.queued.size(), 1u) << at;
        EXPECT_EQ(b.queued[0].turn, 3);
        EXPECT_EQ(b.queued[0].text, "queued for turn 3");
        EXPECT_EQ(b.file->queued_injects().size(), 1u) << "the branch's file has it queued too";
    }
    EXPECT_TRUE(branch(1).queued.empty()) << "not queued yet when turn 0 ended";
    EXPECT_TRUE(branch(4).queued.empty()) << "played in turn 3";
    EXPECT_TRUE(GameFile::open(path).queued_injects().empty());
}

// A policy script edited during a saved game and reloaded with the window's Reload button
// between turns is journaled with the next turn: the file replays with every hash equal (it
// would not with the first version of the script throughout).
TEST(SessionGameFile, AScriptReloadedByHandIsSavedAndTheFileReplaysTheSameGame) {
    ScratchDir dir("window_reload");
    const std::string policy = (dir / "north.lua").string(), scenario = (dir / "trio.yaml").string();
    auto write = [](const std::string& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; };
    auto tariff_policy = [](const char* rate) {
        return std::string("return { on_turn = function(ctx) ctx:set_tariff('magnet', 'all', ") + rate + ") end }\n";
    };
    write(policy, tariff_policy("0.05"));
    std::string yaml = slurp("tests/scenarios/trio.yaml");
    yaml.insert(yaml.find("\n  north:\n") + 10, "    policy: " + policy + "\n");
    write(scenario, yaml);
    const std::string path = (dir / "game.ckp").string();
    {
        SessionOptions o = trio(path);
        o.scenario = scenario;
        Session s(o);
        play_turns(s, 1);
        write(policy, tariff_policy("0.35"));
        s.reload_scripts();
        const auto reloaded = until(s, [](const Snapshot& x) { return !x.notes.empty(); });
        EXPECT_NE(reloaded->notes.back().find("reloaded policy"), std::string::npos) << reloaded->notes.back();
        play_turns(s, 2);
    }
    write(policy, tariff_policy("0.9"));  // edited again after the game

    const GameFile file = GameFile::open(path);
    const auto turns = file.turns(true);
    ASSERT_EQ(turns.size(), 3u);
    ASSERT_EQ(turns[1].reloads.size(), 1u) << "journaled with the turn played after the reload";
    EXPECT_NE(turns[1].reloads[0].text.find("0.35"), std::string::npos);
    auto replayed = game_from_header(file.header(), GameOptions{false});
    LuaPolicyOptions fixed;
    fixed.hot_reload = false;
    const auto desk = install_stored_policies(*replayed, file.header(), path, fixed, turns);
    const ReplayCheck check = replay_turns(*replayed, turns, 3, true);
    EXPECT_EQ(check.desync_turn, -1) << check.difference;
}

TEST(SessionGameFile, SaveAsCopiesTheGameAndSavesTheNextTurnsThere) {
    ScratchDir dir("window_save_as");
    const std::string a = (dir / "a.ckp").string(), b = (dir / "b.ckp").string();
    Session s(trio(a));
    play_turns(s, 2);
    EXPECT_NE(s.save_as((dir / "no-such-folder" / "x.ckp").string()), "") << "a path that cannot be written";
    EXPECT_EQ(s.save_as(b), "");
    EXPECT_NE(s.save_as(a).find("already there"), std::string::npos) << "an existing file is never overwritten";
    EXPECT_EQ(s.snapshot()->game_file, b);
    play_turns(s, 1);
    s.finish();
    EXPECT_EQ(GameFile::open(a).turns_saved(), 2);
    EXPECT_EQ(GameFile::open(b).turns_saved(), 3);
}

TEST(SessionGameFile, ABranchStartsFromAnEarlierTurnAndLeavesItsParentWhole) {
    ScratchDir dir("window_branch");
    const std::string parent = (dir / "parent.ckp").string(), branch = (dir / "branch.ckp").string();
    {
        Session s(trio(parent));
        play_turns(s, 4);
    }
    SessionOptions o = trio(branch);
    o.load = parent;
    o.at = 1;
    Session s(o);
    EXPECT_EQ(s.snapshot()->history.size(), 1u);
    play_turns(s, 2);
    s.finish();
    const GameFile b = GameFile::open(branch);
    EXPECT_EQ(b.turns_saved(), 3);
    EXPECT_EQ(b.header().parent_file, parent);
    EXPECT_EQ(b.header().parent_turn, 1);
    EXPECT_EQ(GameFile::open(parent).turns_saved(), 4) << "the parent keeps its later turns";
}

// The window's Open and Branch (Game file popup, Branch from here): the current game is replaced,
// a file that does not open leaves it going on, and no game file ever loses a turn.
TEST(SessionGameFile, OpenAndBranchInTheWindowReplaceTheGameAndLoseNothing) {
    ScratchDir dir("window_open");
    const std::string game = (dir / "class.ckp").string();
    GameRestart restart(trio(game), dir.path().string());
    UiState ui;
    std::unique_ptr<Session> session = restart.first(ui);
    play_turns(*session, 3);

    ui.open = OpenRequest{game, 1};
    ui.restart_requested = true;
    restart.apply(ui, session);
    EXPECT_EQ(session->snapshot()->history.size(), 1u) << ui.status;
    EXPECT_EQ(session->snapshot()->game_file, (dir / "class-branch-t1.ckp").string());
    EXPECT_NE(ui.status.find("branched"), std::string::npos) << ui.status;
    play_turns(*session, 1);

    const Session* before = session.get();
    ui.open = OpenRequest{(dir / "missing.ckp").string(), -1};
    ui.restart_requested = true;
    restart.apply(ui, session);
    EXPECT_EQ(session.get(), before) << "a file that does not open leaves the game going on";
    EXPECT_TRUE(ui.status_is_error);

    ui.open = OpenRequest{game, -1};
    ui.restart_requested = true;
    restart.apply(ui, session);
    EXPECT_EQ(session->snapshot()->history.size(), 3u) << "the first game, where it stopped";
    EXPECT_EQ(session->snapshot()->game_file, game);
    session->finish();
    EXPECT_EQ(GameFile::open((dir / "class-branch-t1.ckp").string()).turns_saved(), 2);
    EXPECT_EQ(GameFile::open(game).turns_saved(), 3);
}

// A window started with --turns N (N more turns for a loaded game) opens another game file from
// its Game file popup at that file's own length: the command line's N was for the first game.
TEST(SessionGameFile, OpeningAFileInTheWindowKeepsItsLength) {
    ScratchDir dir("window_open_length");
    const std::string other = (dir / "other.ckp").string();
    {
        Session s(trio(other));
        play_turns(s, 3);
    }
    SessionOptions first = trio((dir / "short.ckp").string());
    first.turns = 4;
    GameRestart restart(first, dir.path().string());
    UiState ui;
    std::unique_ptr<Session> session = restart.first(ui);
    EXPECT_EQ(session->snapshot()->turn_limit, 4);
    ui.open = OpenRequest{other, -1};
    ui.restart_requested = true;
    restart.apply(ui, session);
    EXPECT_EQ(session->snapshot()->history.size(), 3u) << ui.status;
    EXPECT_EQ(session->snapshot()->turn_limit, 12) << "trio's 12 turns, not 3 + 4";
    session->finish();
}

}  // namespace
}  // namespace chokepoint::view
