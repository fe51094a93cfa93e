// Thirty browsers at once through a whole game (issue 14's load test): every country of the
// baseline played from a browser, sixteen more browsers watching, no decision lost, memory flat.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "engine/savegame/game_file.hpp"
#include "server/game_server.hpp"
#include "server/seat_access.hpp"
#include "tests/server/client.hpp"
#include "tests/support/files.hpp"
#include "tests/view/session_wait.hpp"

namespace chokepoint::server {
namespace {

using nlohmann::json;

// The process's resident memory, kB (/proc/self/status VmRSS).
long resident_kb() {
    std::ifstream in("/proc/self/status");
    std::string key;
    long value = 0;
    while (in >> key) {
        if (key == "VmRSS:") {
            in >> value;
            return value;
        }
        in.ignore(4096, '\n');
    }
    return 0;
}

#ifdef CHOKEPOINT_SANITIZED
constexpr int kTurns = 8;  // an instrumented build is ~20x slower; the Release pass plays 40
#else
constexpr int kTurns = 40;
#endif

TEST(ServerLoad, ThirtyBrowsersPlayAFortyTurnGameWithNoDecisionLostAndMemoryFlat) {
    testing::ScratchDir dir("load");
    const std::string file = (dir.path() / "game.ckp").string();
    view::SessionOptions o;
    o.scenario = "config/scenarios/baseline.yaml";
    o.game.measure_leverage = false;
    o.turns = kTurns;
    o.save = file;
    std::vector<std::string> seats;
    {
        view::Session probe([&] {
            auto p = o;
            p.save.clear();
            return p;
        }());
        for (CountryId c : probe.snapshot()->defs->country_ids()) seats.push_back(probe.snapshot()->defs->countries[c].id);
        probe.finish();
    }
    ASSERT_EQ(seats.size(), 14u);
    o.humans = seats;
    view::Session session(o);
    SeatAccess access(seats);
    ServerOptions so;
    so.bind = "127.0.0.1";
    so.port = 0;
    so.web_dir = "assets/web";
    GameServer server(session, access, so);
    const unsigned short port = server.port();
    session.set_seconds_per_turn(0);
    session.play();

    std::atomic<int> acks{0}, failures{0}, viewer_views{0};
    std::atomic<long> rss_early{0};
    std::vector<std::thread> clients;
    // A team: waits for each turn's decisions, sends one stockpile order, checks the ack.
    for (const std::string& seat : seats)
        clients.emplace_back([&, seat] {
            testing::WsClient ws(port, testing::join(port, access.code(seat)));
            for (int turn = 0; turn < kTurns; ++turn) {
                const json v = ws.next_where([&](const json& m) {
                    return m.value("type", "") == "view" && m["seat"]["phase"] == "deciding" && m["seat"]["deciding_turn"] == turn;
                });
                if (v.is_null()) {
                    ++failures;
                    return;
                }
                if (turn == 10 && seat == seats[0]) rss_early = resident_kb();
                ws.send(json{{"type", "decisions"},
                             {"turn", turn},
                             {"commands", json::array({{{"command", "stockpile_buy"}, {"good", 2}, {"tonnes", 1.0}, {"max_price", 1e6}}})}});
                const json a = ws.next_where([](const json& m) { return m.value("type", "") != "view"; });
                if (a.value("type", "") == "ack") ++acks;
                else ++failures;
            }
        });
    // Viewers: a second browser on sixteen seats (14 seats + 16 = 30 connections), reading all game.
    for (int i = 0; i < 16; ++i)
        clients.emplace_back([&, i] {
            testing::WsClient ws(port, testing::join(port, access.code(seats[i % seats.size()])));
            const json end = ws.next_where([&](const json& m) {
                if (m.value("type", "") == "view") ++viewer_views;
                return m.value("type", "") == "view" && m["seat"]["phase"] == "finished";
            });
            if (end.is_null()) ++failures;
        });
    for (auto& t : clients) t.join();
    testing::until(session, [](const view::Snapshot& s) { return s.finished && !s.computing; });
    [[maybe_unused]] const long rss_end = resident_kb();  // checked in the Release pass only
    server.stop();
    session.finish();

    EXPECT_EQ(failures, 0);
    EXPECT_EQ(acks, static_cast<int>(seats.size()) * kTurns);
    EXPECT_GE(viewer_views, 16 * kTurns);
    // No decision lost: every seat's order is in the game file, every turn.
    const auto turns = GameFile::open(file).turns(false);
    ASSERT_EQ(static_cast<int>(turns.size()), kTurns);
    for (const auto& t : turns) {
        int orders = 0;
        for (const auto& [seat, decisions] : t.decisions) orders += decisions.dump().find("stockpile_buy") != std::string::npos;
        EXPECT_EQ(orders, 14) << "turn " << t.turn;
    }
#ifndef CHOKEPOINT_SANITIZED
    // Memory flat: from turn 10 to the end the process grows by the game's own history (a few MB),
    // not by what thirty connections sent and received (~40 views each a turn).
    EXPECT_LT(rss_end - rss_early, 64 * 1024) << "kB: " << rss_early << " -> " << rss_end;
#endif
}

}  // namespace
}  // namespace chokepoint::server
