// The game file (engine/savegame): resume is exact, state hashes are deterministic, replay names
// the first tampered turn, and unreadable files give a clear error naming the file.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "agents/lua/lua_policy.hpp"
#include "agents/saved_game.hpp"
#include "engine/output/csv.hpp"
#include "engine/output/writers.hpp"
#include "engine/savegame/game_file.hpp"
#include "engine/savegame/replay.hpp"
#include "engine/savegame/state_json.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/support/files.hpp"
#include "tests/support/sqlite.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;

const char* kScenario = "config/scenarios/baseline.yaml";  // Lua policies for every country, negotiation
constexpr int kTurns = 8, kSplit = 4, kInjectTurn = 2;

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("chokepoint_gamefile_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

using chokepoint::testing::slurp;

GameOptions no_leverage() {
    GameOptions o;
    o.measure_leverage = false;
    return o;
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// The test trio scenario with north played by the Lua policy at `policy`, written into `dir`;
// returns the scenario's path.
std::string trio_with_lua_north(const fs::path& dir, const std::string& policy) {
    std::string yaml = slurp("tests/scenarios/trio.yaml");
    const size_t north = yaml.find("\n  north:\n");
    if (north == std::string::npos) throw std::runtime_error("tests/scenarios/trio.yaml has no north");
    yaml.insert(north + 10, "    policy: " + policy + "\n");
    const std::string scenario = (dir / "trio.yaml").string();
    write_file(scenario, yaml);
    return scenario;
}

// Replays the saved game at `path` with the scripts and modules it stores (no hot reload): every
// turn's hash matches and the last state equals the game as it was played.
void expect_replays_as_played(const std::string& path, const Game& played, int turns) {
    const GameFile f = GameFile::open(path);
    const std::vector<TurnEntry> entries = f.turns(true);
    LuaPolicyOptions fixed;
    fixed.hot_reload = false;
    auto replayed = game_from_header(f.header(), no_leverage());
    const auto desk = install_stored_policies(*replayed, f.header(), path, fixed, entries);
    const ReplayCheck check = replay_turns(*replayed, entries, turns, true);
    EXPECT_EQ(check.desync_turn, -1) << check.difference;
    EXPECT_EQ(replayed->state(), played.state());
}

std::unique_ptr<Game> new_game() {
    auto g = std::make_unique<Game>(with_overrides(load_scenario(kScenario), {kTurns, std::nullopt}), no_leverage());
    LuaPolicyOptions lua;
    lua.hot_reload = false;
    install_lua_policies(*g, lua);
    return g;
}

// A facilitator's inject: a strategic stockpile release by the USA.
ScheduledEvent the_inject(const Game& g, double tonnes) {
    ScheduledEvent e;
    e.kind = EventKind::Stockpile;
    e.country = CountryId{1};
    e.good = GoodId{0};
    e.value = tonnes;
    e.text = "a test inject";
    (void)g;
    return e;
}

void play_to(Game& g, int turn, GameFile* file) {
    while (g.state().turn < turn) {
        if (g.state().turn == kInjectTurn) g.inject(the_inject(g, 2000.0));
        g.step();
        if (file) save_new_turns(g, *file);
    }
}

std::unique_ptr<Game> load_game(const GameFile& f, int until) {
    auto g = game_from_header(f.header(), GameOptions{});
    LuaPolicyOptions lua;
    lua.hot_reload = false;
    install_lua_policies(*g, lua);
    replay_turns(*g, f.turns(false), until, false);
    return g;
}

std::map<std::string, std::string> output_files(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = slurp(e.path());
    return out;
}

TEST(GameFile, ResumeIsExactWithLuaNegotiationAndAnInject) {
    const fs::path dir = temp_dir("resume");
    auto straight = new_game();
    play_to(*straight, kTurns, nullptr);
    write_outputs(*straight, dir / "straight");

    const std::string path = (dir / "game.ckp").string();
    {
        auto first = new_game();
        GameFile f = GameFile::create(path, make_header(*first, kScenario, "off"));
        play_to(*first, kSplit, &f);
        EXPECT_EQ(f.turns_saved(), kSplit);
    }  // "quit"
    GameFile f = GameFile::open(path);
    ASSERT_EQ(f.turns_saved(), kSplit);
    auto resumed = load_game(f, kSplit);
    ASSERT_EQ(resumed->state().turn, kSplit);
    play_to(*resumed, kTurns, &f);
    write_outputs(*resumed, dir / "resumed");

    const auto a = output_files(dir / "straight"), b = output_files(dir / "resumed");
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [name, text] : a) EXPECT_TRUE(b.count(name) && b.at(name) == text) << name << " differs";
    EXPECT_EQ(resumed->state(), straight->state());
    // The inject was journaled and replayed.
    const auto turns = f.turns(false);
    ASSERT_EQ(static_cast<int>(turns.size()), kTurns);
    EXPECT_EQ(turns[kInjectTurn].injects.size(), 1u);
    EXPECT_EQ(resumed->injects().size(), 1u);
    fs::remove_all(dir);
}

TEST(GameFile, StateHashIsDeterministicAndSensitive) {
    auto a = new_game(), b = new_game();
    std::vector<std::string> ha, hb;
    for (int t = 0; t < 3; ++t) {
        a->step(), b->step();
        ha.push_back(state_hash(state_snapshot(a->defs(), a->state())));
        hb.push_back(state_hash(state_snapshot(b->defs(), b->state())));
    }
    EXPECT_EQ(ha, hb);
    EXPECT_NE(ha[0], ha[1]);
    State changed = a->state();
    changed.countries[CountryId{2}].stockpile[GoodId{0}] += 1.0;
    const auto snap = state_snapshot(a->defs(), changed);
    EXPECT_NE(state_hash(snap), ha.back());
    EXPECT_EQ(snapshot_difference(state_snapshot(a->defs(), a->state()), snap),
              "countries, country " + a->defs().countries[CountryId{2}].id + " (stockpile)");
}

TEST(GameFile, ReplayNamesTheFirstTamperedTurn) {
    const fs::path dir = temp_dir("tamper");
    const std::string path = (dir / "game.ckp").string();
    {
        auto g = new_game();
        GameFile f = GameFile::create(path, make_header(*g, kScenario, "off"));
        play_to(*g, kSplit, &f);
    }
    {
        GameFile f = GameFile::open(path);
        auto g = load_game(f, 0);
        const ReplayCheck ok = replay_turns(*g, f.turns(true), kSplit, true);
        EXPECT_EQ(ok.desync_turn, -1);
        EXPECT_EQ(ok.turns_played, kSplit);
    }
    const auto edit = chokepoint::testing::exec_sql(
        path, "UPDATE journal SET data = json_set(data, '$.value', 9000.0) WHERE turn = 2");
    ASSERT_EQ(edit.error, "");
    EXPECT_EQ(edit.changes, 1);
    GameFile f = GameFile::open(path);
    auto g = load_game(f, 0);
    const ReplayCheck bad = replay_turns(*g, f.turns(true), kSplit, true);
    EXPECT_EQ(bad.desync_turn, kInjectTurn);
    EXPECT_NE(bad.difference.find("countries, country " + g->defs().countries[CountryId{1}].id), std::string::npos)
        << bad.difference;
    fs::remove_all(dir);
}

// The second hostile-inputs review: `serve --load` waited for its teams while `run --load` played
// the same game on in the same file; the server's turns were then never saved although it said
// so. A file is claimed by whoever writes to it; a second writer is refused at once, readers not.
TEST(GameFile, ASecondWriterIsRefusedWhileTheFirstHoldsTheFile) {
    const fs::path dir = temp_dir("claim");
    const std::string path = (dir / "game.ckp").string();
    {
        auto g = new_game();
        GameFile writer = GameFile::create(path, make_header(*g, kScenario, "off"));
        play_to(*g, 2, &writer);
        GameFile other = GameFile::open(path);  // reading is fine
        EXPECT_EQ(other.turns_saved(), 2);
        try {
            other.claim();
            ADD_FAILURE() << "a second writer claimed the file";
        } catch (const GameFileError& e) {
            EXPECT_NE(std::string(e.what()).find("in use by another Chokepoint process"), std::string::npos) << e.what();
        }
        writer.release_claim();
        EXPECT_NO_THROW(other.claim());
    }
    GameFile again = GameFile::open(path);
    EXPECT_NO_THROW(again.claim()) << "the claim ends with the process's file";
    fs::remove_all(dir);
}

// A game file is read while it is played (report, replay, a query): a reader inside a read when
// the turn commits made the writer fail with "database is locked" and `run --save` end mid-game.
// The writer now waits for the reader, and a reader for a commit in progress.
TEST(GameFile, ATurnWaitsForAReaderInsteadOfFailing) {
    const fs::path dir = temp_dir("reader");
    const std::string path = (dir / "game.ckp").string();
    auto g = new_game();
    GameFile writer = GameFile::create(path, make_header(*g, kScenario, "off"));
    play_to(*g, 1, &writer);
    sqlite3* reader = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM turns;", nullptr, nullptr, nullptr), SQLITE_OK);
    std::thread done([&] {  // the reader finishes its read a little later
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
    });
    EXPECT_NO_THROW(play_to(*g, 2, &writer)) << "the turn's commit gave up on the reader";
    done.join();
    sqlite3_close(reader);
    EXPECT_EQ(writer.turns_saved(), 2);
    EXPECT_EQ(GameFile::open(path).turns_saved(), 2);
    fs::remove_all(dir);
}

void expect_error(const std::string& path, const std::string& phrase) {
    try {
        GameFile::open(path);
        ADD_FAILURE() << path << " opened";
    } catch (const GameFileError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find(path), std::string::npos) << m;
        EXPECT_NE(m.find(phrase), std::string::npos) << m;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
}

TEST(GameFile, UnreadableFilesGiveAClearError) {
    const fs::path dir = temp_dir("errors");
    expect_error((dir / "missing.ckp").string(), "no such game file");
    std::ofstream(dir / "text.ckp") << "this is not a database, just some text that is long enough to be a header\n";
    expect_error((dir / "text.ckp").string(), "not an SQLite database");

    const std::string good = (dir / "good.ckp").string();
    {
        auto g = new_game();
        GameFile f = GameFile::create(good, make_header(*g, kScenario, "off"));
        play_to(*g, 2, &f);
    }
    const std::string data = slurp(good);
    std::ofstream(dir / "truncated.ckp", std::ios::binary) << data.substr(0, data.size() / 2);
    expect_error((dir / "truncated.ckp").string(), "truncated or damaged");

    const std::string other = (dir / "other.ckp").string();
    ASSERT_EQ(chokepoint::testing::exec_sql(other, "CREATE TABLE photos (id INTEGER)").error, "");
    expect_error(other, "not a Chokepoint game file");

    ASSERT_EQ(chokepoint::testing::exec_sql(good, "UPDATE meta SET value = '99' WHERE key = 'schema_version'").error,
              "");
    expect_error(good, "newer Chokepoint");
    fs::remove_all(dir);
}

// The rows of a query as CSV lines, each value as the output writers print it (text quoted as a
// CSV field unless `raw`).
std::string query_lines(const std::string& path, const std::string& sql, bool raw = false) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    std::string out;
    while (sqlite3_step(q) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(q); ++i) {
            if (i) out += ',';
            switch (sqlite3_column_type(q, i)) {
                case SQLITE_FLOAT: out += csv_num(sqlite3_column_double(q, i)); break;
                case SQLITE_INTEGER: out += std::to_string(sqlite3_column_int64(q, i)); break;
                case SQLITE_TEXT: {
                    const std::string text = reinterpret_cast<const char*>(sqlite3_column_text(q, i));
                    out += raw ? text : csv_field(text);
                    break;
                }
                default: break;  // NULL: an empty field
            }
        }
        out += '\n';
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
}

std::string without_header(const std::string& csv) { return csv.substr(csv.find('\n') + 1); }

// The output tables hold exactly what the output files say, turn by turn: timeseries.csv,
// leverage.csv (a measured turn), events.jsonl and agreements.csv (the last turn's rows).
TEST(GameFile, TheOutputTablesHoldTheOutputFilesRows) {
    const fs::path dir = temp_dir("tables");
    constexpr int turns = 3;
    GameOptions options;
    options.leverage_every = turns;  // measured after the last turn only
    Game g(with_overrides(load_scenario(kScenario), {turns, std::nullopt}), options);
    LuaPolicyOptions lua;
    lua.hot_reload = false;
    install_lua_policies(g, lua);
    const std::string path = (dir / "game.ckp").string();
    GameFile f = GameFile::create(path, make_header(g, kScenario, "3"));
    while (!g.finished()) {
        if (g.state().turn == 1) g.inject(the_inject(g, 2000.0));
        g.step();
        save_new_turns(g, f);
    }
    write_outputs(g, dir / "out");

    const std::string series = query_lines(
        path, "SELECT s.turn, t.date, s.country, s.metric, s.value FROM timeseries s JOIN turns t USING (turn) "
              "ORDER BY s.turn, s.rowid");
    EXPECT_EQ(series, without_header(slurp(dir / "out" / "timeseries.csv")));
    const std::string pairs = query_lines(
        path, "SELECT p.turn, t.date, from_country, to_country, good, damage, exercised, reserve "
              "FROM leverage_pairs p JOIN turns t USING (turn) ORDER BY p.turn, p.rowid");
    EXPECT_NE(pairs, "");
    EXPECT_EQ(pairs, without_header(slurp(dir / "out" / "leverage.csv")));
    const std::string events = query_lines(path, "SELECT data FROM events ORDER BY turn, seq", true);
    EXPECT_NE(events.find("a test inject"), std::string::npos);
    EXPECT_EQ(events, slurp(dir / "out" / "events.jsonl"));
    EXPECT_EQ(query_lines(path, "SELECT count(*) FROM events WHERE type = 'scripted' AND text = 'a test inject'"), "1\n");
    const std::string agreements = query_lines(
        path, "SELECT id, proposer, acceptor, clauses, start_date, end_date, status, ended_date, breaches, reason "
              "FROM agreements WHERE turn = 2 ORDER BY id");
    EXPECT_EQ(agreements, without_header(slurp(dir / "out" / "agreements.csv")));
    fs::remove_all(dir);
}

// A file written before the output tables (schema version 1) still loads and is upgraded when
// the next turn is written to it: the tables appear, holding the turns written from then on.
TEST(GameFile, AVersionOneFileGetsTheOutputTablesOnItsNextTurn) {
    const fs::path dir = temp_dir("upgrade");
    const std::string path = (dir / "old.ckp").string();
    auto g = new_game();
    {
        GameFile f = GameFile::create(path, make_header(*g, kScenario, "off"));
        play_to(*g, 1, &f);
    }
    ASSERT_EQ(chokepoint::testing::exec_sql(
                  path,
                  "DROP TABLE timeseries; DROP TABLE leverage_pairs; DROP TABLE events; DROP TABLE agreements;"
                  "UPDATE meta SET value = '1' WHERE key = 'schema_version'")
                  .error,
              "");
    GameFile f = GameFile::open(path);
    EXPECT_EQ(f.turns_saved(), 1);
    play_to(*g, 2, &f);
    EXPECT_EQ(query_lines(path, "SELECT value FROM meta WHERE key = 'schema_version'"),
              std::to_string(kGameFileSchemaVersion) + "\n");
    EXPECT_EQ(query_lines(path, "SELECT DISTINCT turn FROM timeseries"), "1\n");
    EXPECT_EQ(query_lines(path, "SELECT count(*) > 0 FROM events WHERE turn = 1"), "1\n");
    fs::remove_all(dir);
}

// A file written before modules and queues were journaled (schema version 2) loads, replays with
// the modules on disk, and is upgraded to version 3 when the next turn is written: that turn
// journals every module its policies read, so the turns from then on replay as read.
TEST(GameFile, AVersionTwoFileJournalsItsModulesFromItsNextTurn) {
    const fs::path dir = temp_dir("upgrade2");
    const std::string path = (dir / "v2.ckp").string();
    auto g = new_game();
    {
        GameFile f = GameFile::create(path, make_header(*g, kScenario, "off"));
        play_to(*g, 2, &f);
    }
    ASSERT_NE(query_lines(path, "SELECT count(*) FROM journal WHERE kind = 'module' AND turn = 0"), "0\n");
    ASSERT_EQ(chokepoint::testing::exec_sql(path,
                                            "DELETE FROM journal WHERE kind IN ('module', 'queue');"
                                            "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
                  .error,
              "");
    {
        GameFile f = GameFile::open(path);
        EXPECT_EQ(f.turns_saved(), 2);
        auto resumed = load_game(f, 0);
        const ReplayCheck check = replay_turns(*resumed, f.turns(true), 2, true);
        EXPECT_EQ(check.desync_turn, -1) << check.difference;
        play_to(*resumed, 3, &f);
    }
    EXPECT_EQ(query_lines(path, "SELECT value FROM meta WHERE key = 'schema_version'"), "3\n");
    EXPECT_EQ(query_lines(path, "SELECT DISTINCT turn FROM journal WHERE kind = 'module'"), "2\n");
    EXPECT_EQ(query_lines(path, "SELECT count(*) FROM journal WHERE kind = 'module' AND turn = 2"),
              query_lines(path, "SELECT count(DISTINCT country || json_extract(data, '$.name')) FROM journal "
                                "WHERE kind = 'module'"));
    fs::remove_all(dir);
}

// A game whose length changed in play (the window's class length), with leverage measured at the
// end: the file keeps the new length, so the replay measures the same last turn and every hash
// matches (with the old length it would not measure turn 3, and desync there).
TEST(GameFile, ALengthChangedInPlayIsKeptAndReplays) {
    chokepoint::testing::ScratchDir dir("length");
    const std::string scenario = "tests/scenarios/trio.yaml", path = (dir / "game.ckp").string();
    GameOptions at_end;
    at_end.leverage_every = 0;
    Game g(load_scenario(scenario), at_end);
    {
        GameFile f = GameFile::create(path, make_header(g, scenario, "end"));
        for (int t = 0; t < 2; ++t) {
            g.step();
            save_new_turns(g, f);
        }
        ASSERT_EQ(g.change_turn_limit(3), "");
        f.set_turn_limit(3);
        g.step();
        save_new_turns(g, f);
    }
    ASSERT_TRUE(g.finished());
    const GameFile saved = GameFile::open(path);
    EXPECT_EQ(saved.header().turn_limit, 3);
    auto replayed = game_from_header(saved.header(), GameOptions{});
    const ReplayCheck check = replay_turns(*replayed, saved.turns(true), 3, true);
    EXPECT_EQ(check.turns_played, 3);
    EXPECT_EQ(check.desync_turn, -1) << check.difference;
    EXPECT_TRUE(replayed->finished());
}

// A policy script changed while a saved game is played (the window's hot reload) is journaled
// with its text in the turn it was reloaded: replaying the file reloads it in that turn, so every
// state hash matches, whatever the file on disk says by then.
TEST(GameFile, AHotReloadIsJournaledAndReplayedInItsTurn) {
    chokepoint::testing::ScratchDir dir("reload");
    const std::string policy = (dir / "north.lua").string();
    auto tariff_policy = [](const char* rate) {
        return std::string("return { on_turn = function(ctx) ctx.memory.n = (ctx.memory.n or 0) + 1; ") +
               "ctx:set_tariff('magnet', 'all', " + rate + ") end }\n";
    };
    write_file(policy, tariff_policy("0.05"));
    const std::string scenario = trio_with_lua_north(dir.path(), policy);

    Game g(load_scenario(scenario), no_leverage());
    install_lua_policies(g);  // hot reload on, as in the window
    const std::string path = (dir / "game.ckp").string();
    {
        GameFile f = GameFile::create(path, make_header(g, scenario, "off"));
        for (int t = 0; t < 5; ++t) {
            if (t == 2) write_file(policy, tariff_policy("0.25"));  // edited between turns 1 and 2
            g.step();
            save_new_turns(g, f);
        }
    }
    write_file(policy, tariff_policy("0.5"));  // and again after the game: neither saved version

    const GameFile f = GameFile::open(path);
    const std::vector<TurnEntry> turns = f.turns(true);
    ASSERT_EQ(turns.size(), 5u);
    ASSERT_EQ(turns[2].reloads.size(), 1u);
    EXPECT_EQ(turns[2].reloads[0].country, "north");
    EXPECT_NE(turns[2].reloads[0].text.find("0.25"), std::string::npos);
    for (int t : {0, 1, 3, 4}) EXPECT_TRUE(turns[static_cast<size_t>(t)].reloads.empty()) << t;
    // What the game plays after its saved turns (what `run --load` compares with the file on
    // disk): the reloaded text from turn 2, not the header's; before turn 2, the header's.
    const std::vector<ScriptInPlay> now = scripts_in_play(f.header(), f.turns(false));
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].script.country, "north");
    EXPECT_EQ(now[0].reloaded_turn, 2);
    EXPECT_NE(now[0].script.text.find("0.25"), std::string::npos);
    const std::vector<TurnEntry> first_two(turns.begin(), turns.begin() + 2);
    const std::vector<ScriptInPlay> then = scripts_in_play(f.header(), first_two);
    ASSERT_EQ(then.size(), 1u);
    EXPECT_EQ(then[0].reloaded_turn, -1);
    EXPECT_NE(then[0].script.text.find("0.05"), std::string::npos);
    expect_replays_as_played(path, g, 5);
}

// A module a policy require()s is journaled with the text it was read with, in the turn it was
// first read (and again in a turn a reload read another text): replaying the file serves those
// texts to require(), so every state hash matches whatever the module's file says by then.
TEST(GameFile, RequiredModulesAreJournaledAndReplayedAsRead) {
    chokepoint::testing::ScratchDir dir("modules");
    const std::string policy = (dir / "north.lua").string(), helper = (dir / "helper.lua").string();
    auto policy_text = [](const char* version) {
        return std::string("-- ") + version + "\nlocal helper = require('helper')\n" +
               "return { on_turn = function(ctx) ctx:set_tariff('magnet', 'all', helper.rate) end }\n";
    };
    write_file(policy, policy_text("v1"));
    // Latin-1 bytes (not UTF-8, which JSON wants) in a module and in a reloaded script are kept exactly.
    const std::string latin1_helper = "return { rate = 0.05 } -- caf\xe9\n";
    write_file(helper, latin1_helper);
    const std::string scenario = trio_with_lua_north(dir.path(), policy);

    Game g(load_scenario(scenario), no_leverage());
    install_lua_policies(g);  // hot reload on, as in the window
    const std::string path = (dir / "game.ckp").string();
    {
        GameFile f = GameFile::create(path, make_header(g, scenario, "off"));
        for (int t = 0; t < 5; ++t) {
            if (t == 2) {  // between turns 1 and 2: a new helper, and the policy edited so it reloads
                write_file(helper, "return { rate = 0.25 }\n");
                write_file(policy, policy_text("v2, caf\xe9"));
            }
            g.step();
            save_new_turns(g, f);
        }
    }
    write_file(helper, "return { rate = 0.5 }\n");  // after the game: a text neither turn read

    const GameFile f = GameFile::open(path);
    const std::vector<TurnEntry> turns = f.turns(true);
    ASSERT_EQ(turns.size(), 5u);
    ASSERT_EQ(turns[0].modules.size(), 1u);
    EXPECT_EQ(turns[0].modules[0].country, "north");
    EXPECT_EQ(turns[0].modules[0].name, "helper");
    EXPECT_EQ(turns[0].modules[0].path, helper);
    EXPECT_EQ(turns[0].modules[0].text, latin1_helper);
    ASSERT_EQ(turns[2].modules.size(), 1u);
    EXPECT_EQ(turns[2].modules[0].text, "return { rate = 0.25 }\n");
    for (int t : {1, 3, 4}) EXPECT_TRUE(turns[static_cast<size_t>(t)].modules.empty()) << t;
    ASSERT_EQ(turns[2].reloads.size(), 1u);
    EXPECT_EQ(turns[2].reloads[0].text, policy_text("v2, caf\xe9"));
    expect_replays_as_played(path, g, 5);
}

// A full disk while a turn is saved: the write fails with a GameFileError, the file keeps the
// turns saved before (rolled back, loadable, every hash intact), and the same turn saves once
// there is room again. The disk is "full" through the process's file size limit (RLIMIT_FSIZE,
// with SIGXFSZ ignored: a write past it fails with EFBIG), set just above the file's size.
TEST(GameFile, AFullDiskFailsTheTurnAndKeepsTheTurnsBefore) {
    const fs::path dir = temp_dir("full");
    const std::string path = (dir / "game.ckp").string();
    auto g = new_game();
    GameFile f = GameFile::create(path, make_header(*g, kScenario, "off"));
    play_to(*g, 2, &f);
    g->step();  // turn 3, to be saved on a full disk

    rlimit old{};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit full = old;
    full.rlim_cur = static_cast<rlim_t>(fs::file_size(path) + 4096);
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &full), 0);
    std::string error;
    try {
        save_new_turns(*g, f);
    } catch (const GameFileError& e) {
        error = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, old_handler);
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_EQ(f.turns_saved(), 2);

    {
        const GameFile reopened = GameFile::open(path);
        EXPECT_EQ(reopened.turns_saved(), 2);
        auto replayed = game_from_header(reopened.header(), GameOptions{});
        LuaPolicyOptions lua;
        lua.hot_reload = false;
        install_lua_policies(*replayed, lua);
        const ReplayCheck check = replay_turns(*replayed, reopened.turns(true), 2, true);
        EXPECT_EQ(check.turns_played, 2);
        EXPECT_EQ(check.desync_turn, -1) << check.difference;
    }
    save_new_turns(*g, f);  // room again: the turn is saved
    EXPECT_EQ(f.turns_saved(), 3);
    EXPECT_EQ(GameFile::open(path).turns_saved(), 3);
    fs::remove_all(dir);
}

// A facilitator's Agreement inject (an agreement imposed with its clauses) goes into the journal
// and comes back with every clause field, so a game with one can be saved and replayed.
TEST(GameFile, AnAgreementInjectIsStoredWithItsClauses) {
    ScheduledEvent e;
    e.kind = EventKind::Agreement;
    e.country = CountryId{1}, e.target = CountryId{0}, e.turns = 6, e.text = "a brokered deal";
    Clause supply;
    supply.kind = ClauseKind::Supply, supply.from = CountryId{0}, supply.to = CountryId{1}, supply.good = GoodId{2};
    supply.tonnes = 150.0, supply.price = 61000.0, supply.turns = 4;
    Clause pay;
    pay.kind = ClauseKind::Payment, pay.from = CountryId{1}, pay.to = CountryId{0}, pay.usd = 2.5e6, pay.per_turn = true;
    e.clauses = {supply, pay};
    const nlohmann::json j = inject_to_json(e);
    const ScheduledEvent back = inject_from_json(j);
    ASSERT_EQ(back.clauses.size(), 2u);
    EXPECT_EQ(back.clauses[0].kind, ClauseKind::Supply);
    EXPECT_EQ(back.clauses[0].good, GoodId{2});
    EXPECT_DOUBLE_EQ(back.clauses[0].price, 61000.0);
    EXPECT_EQ(back.clauses[0].turns, 4);
    EXPECT_EQ(back.clauses[1].kind, ClauseKind::Payment);
    EXPECT_FALSE(back.clauses[1].good.has_value());
    EXPECT_TRUE(back.clauses[1].per_turn);
    EXPECT_EQ(inject_to_json(back), j);  // nothing lost on the way
    // A journal row written before clauses were stored still reads (no clauses).
    nlohmann::json old = j;
    old.erase("clauses");
    EXPECT_TRUE(inject_from_json(old).clauses.empty());
    nlohmann::json bad = j;
    bad["clauses"][0]["kind"] = 99;
    EXPECT_THROW(inject_from_json(bad), std::invalid_argument);
}

// A facilitator's licensing_rules inject (the October 2025 content rule switched on live) goes into
// the journal with the rules it sets and replays to the same game; the state's snapshot carries
// the rules in force only once such an event has set them, so older files keep their hashes.
TEST(GameFile, ALicensingRulesInjectIsStoredAndReplayed) {
    ScheduledEvent e;
    e.kind = EventKind::LicensingRules;
    e.rules.content_rule = true;
    e.rules.content_threshold = 0.002;
    e.text = "content rule announced";
    const nlohmann::json j = inject_to_json(e);
    ASSERT_TRUE(j.contains("rules"));
    EXPECT_TRUE(j["rules"]["reexport_control"].is_null());  // left as it is
    const ScheduledEvent back = inject_from_json(j);
    EXPECT_EQ(back.rules, e.rules);
    EXPECT_EQ(inject_to_json(back), j);
    EXPECT_FALSE(inject_to_json(the_inject(*new_game(), 1.0)).contains("rules")) << "other injects are as before";

    const fs::path dir = temp_dir("rules");
    const std::string path = (dir / "game.ckp").string();
    auto g = new_game();
    GameFile f = GameFile::create(path, make_header(*g, kScenario, "off"));
    g->step();
    save_new_turns(*g, f);
    EXPECT_FALSE(state_snapshot(g->defs(), g->state())["licensing"].contains("origin_rules"));
    g->inject(e);
    for (int t = 1; t < 3; ++t) {
        g->step();
        save_new_turns(*g, f);
    }
    const nlohmann::json snap = state_snapshot(g->defs(), g->state());
    ASSERT_TRUE(snap["licensing"].contains("origin_rules"));
    EXPECT_EQ(snap["licensing"]["origin_rules"]["content_rule"], true);
    EXPECT_EQ(snap["licensing"]["origin_rules"]["content_threshold"], 0.002);
    EXPECT_EQ(snap["licensing"]["origin_rules"]["reexport_control"], g->defs().licensing.reexport_control);
    EXPECT_TRUE(origin_rules(g->defs(), g->state()).content_rule);
    expect_replays_as_played(path, *g, 3);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace chokepoint
