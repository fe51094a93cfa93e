// `chokepoint serve` end to end: the built binary prints one line per seat (id, code, link), two
// teams play a short game from WebSocket clients, and the facilitator's commands on standard input
// (status, quit) work; the game file keeps the game.
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <thread>

#include "tests/server/client.hpp"
#include "tests/support/files.hpp"

namespace chokepoint::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// The log once it holds `want` (or as it is after 60 s).
std::string wait_for(const std::filesystem::path& log, const std::string& want) {
    std::string text;
    for (int i = 0; i < 600; ++i) {
        text = slurp(log);
        if (text.find(want) != std::string::npos) break;
        std::this_thread::sleep_for(100ms);
    }
    return text;
}

void decide_turns(WsClient& ws, int turns) {
    for (int turn = 0; turn < turns; ++turn) {
        const json v = ws.next_where([&](const json& m) {
            return m.value("type", "") == "view" && m["seat"]["phase"] == "deciding" && m["seat"]["deciding_turn"] == turn;
        });
        ASSERT_FALSE(v.is_null());
        ws.send(json{{"type", "decisions"}, {"turn", turn}, {"commands", json::array()}});
        EXPECT_EQ(ws.next_where([](const json& m) { return m.value("type", "") != "view"; }).value("type", ""), "ack");
    }
}

TEST(ServeCli, PrintsEachSeatsCodeAndPlaysAsTeamsDecideWithTheFacilitatorAtTheTerminal) {
    ScratchDir dir("serve_cli");
    const auto log = dir.path() / "serve.log";
    const std::string cmd = std::string("cd " CHOKEPOINT_SOURCE_DIR " && CHOKEPOINT_GAMES=") + dir.path().string() +
                            " timeout 120 " CHOKEPOINT_BINARY " serve tests/scenarios/trio.yaml --human east --human south "
                            "--bind 127.0.0.1 --port 0 --turns 2 --leverage off > " + log.string() + " 2>&1";
    FILE* facilitator = popen(cmd.c_str(), "w");
    ASSERT_NE(facilitator, nullptr);
    const std::string started = wait_for(log, "type `help`");
    std::map<std::string, std::string> codes;
    unsigned short port = 0;
    const std::regex line(R"(seat (\w+)\s+code (\w{6})\s+http://127\.0\.0\.1:(\d+)/\?code=\w{6}\s+\((\w+)\))");
    for (std::sregex_iterator it(started.begin(), started.end(), line), end; it != end; ++it) {
        codes[(*it)[1]] = (*it)[2];
        port = static_cast<unsigned short>(std::stoi((*it)[3]));
    }
    ASSERT_EQ(codes.size(), 2u) << started;
    EXPECT_NE(started.find("game file: "), std::string::npos) << started;

    WsClient east(port, join(port, codes["east"])), south(port, join(port, codes["south"]));
    std::thread other([&] { decide_turns(south, 2); });
    decide_turns(east, 2);
    other.join();
    const std::string over = wait_for(log, "the game is over after 2 turns");
    EXPECT_NE(over.find("the game is over after 2 turns"), std::string::npos) << over;

    fputs("status\nkick south\nquit\n", facilitator);
    fflush(facilitator);
    const int status = pclose(facilitator);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    const std::string out = slurp(log);
    EXPECT_NE(out.find("game over after 2 turns, saved in"), std::string::npos) << out;  // status
    EXPECT_NE(out.find("east       1 browser(s) open, 1 joined"), std::string::npos) << out;
    EXPECT_NE(out.find("(new code; its browsers were disconnected)"), std::string::npos) << out;
    EXPECT_NE(out.find("stopped after 2 turns; the game is saved in "), std::string::npos) << out;
}

}  // namespace
}  // namespace chokepoint::testing
