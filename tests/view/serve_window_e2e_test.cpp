// `play --serve` end to end: the facilitator's window shows the join codes; two teams play a game
// from their "browsers" (a WebSocket client each); the window keeps playing and its controls work.
#include <gtest/gtest.h>

#include <memory>
#include <regex>

#include "tests/server/client.hpp"
#include "tests/view/window_under_test.hpp"

namespace {

using namespace chokepoint::testing::window;
using nlohmann::json;

// From the window's log: each seat's code, and the port (the lines `seat east code K7M2QX http://…`).
struct Printed {
    std::map<std::string, std::string> codes;
    unsigned short port = 0;
};

Printed read_codes(const std::string& log) {
    Printed p;
    const std::regex line(R"(seat (\w+)\s+code (\w+)\s+http://127\.0\.0\.1:(\d+)/\?code=)");
    for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it) {
        p.codes[(*it)[1]] = (*it)[2];
        p.port = static_cast<unsigned short>(std::stoi((*it)[3]));
    }
    return p;
}

// A team: decides each turn as soon as its seat is asked, with one stockpile order.
void play_turns(chokepoint::testing::WsClient& ws, int turns) {
    for (int turn = 0; turn < turns; ++turn) {
        const json v = ws.next_where([&](const json& m) {
            return m.value("type", "") == "view" && m["seat"]["phase"] == "deciding" && m["seat"]["deciding_turn"] == turn;
        });
        ASSERT_FALSE(v.is_null()) << "turn " << turn;
        ws.send(json{{"type", "decisions"},
                     {"turn", turn},
                     {"commands", json::array({{{"command", "stockpile_buy"}, {"good", 1}, {"tonnes", 5.0}, {"max_price", 200000.0}}})}});
        const json a = ws.next_where([](const json& m) { return m.value("type", "") != "view"; });
        EXPECT_EQ(a.value("type", ""), "ack") << a;
    }
}

TEST(GameWindow, TeamsPlayFromBrowsersWhileTheWindowShowsTheirJoinCodes) {
    REQUIRE_X();
    const fs::path shots = temp("serve-shots");
    fs::create_directories(shots);
    WindowUnderTest w("tests/scenarios/trio.yaml --no-leverage --turns 2 --human east --human south --serve --bind 127.0.0.1 "
                      "--port 0 --shots " + shots.string(),
                      "Trio test world", "serve.log");
    ASSERT_TRUE(w.opened()) << "no window appeared\n" << w.log();
    const Printed printed = read_codes(w.log());
    ASSERT_EQ(printed.codes.size(), 2u) << w.log();
    ASSERT_GT(printed.port, 0);
    // The join screen is up: a picture of it (F12) for the facilitator's guide.
    w.key("F12");
    std::this_thread::sleep_for(800ms);
    w.key("Escape");  // closes the join screen
    std::this_thread::sleep_for(1s);  // a frame to close it (CI's cores are busy with other tests)
    // New game keeps working while serving: the server serves the new game on the same port, and a
    // seat people still play keeps its code and its browsers' tokens (their pages reconnect).
    const std::string east_token = chokepoint::testing::join(printed.port, printed.codes.at("east"));
    // New game (no turn played yet: no question first): the old game's connection closes. A click
    // the busy window missed is repeated on a new connection (a read that timed out leaves its
    // WebSocket unusable).
    bool restarted = false;
    for (int attempt = 0; attempt < 3 && !restarted; ++attempt) {
        try {
            chokepoint::testing::WsClient before(printed.port, east_token);
            if (before.next().value("type", "") != "view") {  // closed at once: an earlier click's restart
                restarted = true;
                break;
            }
            w.click(459, 45);
            while (!before.next(10s).is_null()) {
            }
            restarted = before.error() != boost::asio::error::timed_out;
        } catch (const std::exception&) {  // refused: the server is between two games
            restarted = true;
        }
    }
    EXPECT_TRUE(restarted) << "New game did not restart the served game\n" << w.log();
    std::this_thread::sleep_for(1s);  // the new game's server starts
    std::unique_ptr<chokepoint::testing::WsClient> east_ws;
    for (int attempt = 0; attempt < 100 && !east_ws; ++attempt) {  // until the new game's server listens
        try {
            east_ws = std::make_unique<chokepoint::testing::WsClient>(printed.port, east_token);
        } catch (const std::exception&) {
            std::this_thread::sleep_for(100ms);
        }
    }
    ASSERT_TRUE(east_ws) << "the old token does not reach the new game\n" << w.log();
    chokepoint::testing::WsClient& east = *east_ws;
    chokepoint::testing::WsClient south(printed.port, chokepoint::testing::join(printed.port, printed.codes.at("south")));
    w.key("space");  // Play: the game goes on as the teams decide
    std::thread other([&] { play_turns(south, 2); });
    play_turns(east, 2);
    other.join();
    EXPECT_NE(w.title_after("game over", 30s).find("game over"), std::string::npos) << w.log();
    ASSERT_TRUE(w.close()) << w.log();
    EXPECT_NE(w.log().find("window closed after 2 turn(s) played"), std::string::npos) << w.log();
    EXPECT_FALSE(fs::is_empty(shots)) << "F12 saved no picture";
}

}  // namespace
