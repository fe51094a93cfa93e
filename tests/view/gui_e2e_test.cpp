// End-to-end tests of the game window, as a person sees it: under an X server (make test runs
// the suite in xvfb-run), `chokepoint play` opens, xdotool clicks "Step" and the turn advances;
// a screenshot is a real picture, not a blank frame (here of a human seat's turn: minimal.yaml has one);
// a whole baseline game is played through the window with two human seats, by mouse alone.
#include <gtest/gtest.h>

#include <SFML/Graphics/Image.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/files.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool have_display() {
    const char* d = std::getenv("DISPLAY");
    return d && *d;
}

std::string sh(const std::string& cmd) {
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[256];
        while (fgets(buf, sizeof buf, p)) out += buf;
        pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

using chokepoint::testing::slurp;

fs::path temp(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("chokepoint_gui_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

#define REQUIRE_X()                                                                                   \
    if (!have_display()) GTEST_SKIP() << "needs an X display: `make test` runs this suite in xvfb-run"; \
    if (std::system("command -v xdotool >/dev/null 2>&1") != 0) GTEST_SKIP() << "needs xdotool"

TEST(GameWindow, ClickingStepWithTheMouseAdvancesTheTurn) {
    REQUIRE_X();
    const fs::path log = temp("step.log");
    const std::string pid = sh(std::string("cd " CHOKEPOINT_SOURCE_DIR " && ") + CHOKEPOINT_BINARY +
                               " play tests/scenarios/trio.yaml --no-leverage > " + log.string() + " 2>&1 & echo $!");
    ASSERT_FALSE(pid.empty());
    const std::string wid = sh("timeout 30 xdotool search --sync --onlyvisible --name 'Trio test world' | head -n 1");
    ASSERT_FALSE(wid.empty()) << "no window appeared\n" << slurp(log);
    sh("xdotool windowmove " + wid + " 0 0");
    std::this_thread::sleep_for(1500ms);  // a few frames: the layout is drawn
    // The "Step" button sits second in the top bar (72, 19 at the default 1280x720 and text size).
    for (int i = 0; i < 2; ++i) {
        sh("xdotool mousemove --window " + wid + " 72 19 click 1");
        std::this_thread::sleep_for(1200ms);  // a trio turn takes milliseconds; frames come at 60 Hz
    }
    // Close it as a terminal's Ctrl+C would (SIGTERM is handled like closing the window).
    sh("kill -TERM " + pid);
    for (int i = 0; i < 100 && sh("kill -0 " + pid + " 2>/dev/null && echo alive") == "alive"; ++i)
        std::this_thread::sleep_for(100ms);
    if (sh("kill -0 " + pid + " 2>/dev/null && echo alive") == "alive") {
        sh("kill " + pid);
        FAIL() << "the window did not close on SIGTERM\n" << slurp(log);
    }
    const std::string out = slurp(log);
    EXPECT_NE(out.find("window closed after 2 turn(s) played"), std::string::npos) << out;
}

// Issue 13, trap 10: the keyboard shortcuts work after clicking a panel (not only the map).
TEST(GameWindow, ShortcutsWorkAfterClickingAPanel) {
    REQUIRE_X();
    const fs::path log = temp("keys.log");
    const std::string pid = sh(std::string("cd " CHOKEPOINT_SOURCE_DIR " && ") + CHOKEPOINT_BINARY +
                               " play tests/scenarios/trio.yaml --no-leverage > " + log.string() + " 2>&1 & echo $!");
    ASSERT_FALSE(pid.empty());
    const std::string wid = sh("timeout 30 xdotool search --sync --onlyvisible --name 'Trio test world' | head -n 1");
    ASSERT_FALSE(wid.empty()) << "no window appeared\n" << slurp(log);
    sh("xdotool windowmove " + wid + " 0 0");
    std::this_thread::sleep_for(1500ms);
    sh("xdotool mousemove --window " + wid + " 1000 400 click 1");  // the side panel takes the focus
    std::this_thread::sleep_for(300ms);
    sh("xdotool mousemove --window " + wid + " 400 650 click 1");   // and the event log
    std::this_thread::sleep_for(300ms);
    for (int i = 0; i < 2; ++i) {
        sh("xdotool key --window " + wid + " n");
        std::this_thread::sleep_for(1200ms);
    }
    sh("kill -TERM " + pid);
    for (int i = 0; i < 100 && sh("kill -0 " + pid + " 2>/dev/null && echo alive") == "alive"; ++i)
        std::this_thread::sleep_for(100ms);
    const std::string out = slurp(log);
    EXPECT_NE(out.find("window closed after 2 turn(s) played"), std::string::npos) << out;
}

// A facilitator's whole game: the baseline with the United States and Japan played by people,
// everything else by the Lua policies. The test plays the seats with the mouse only: it follows
// the game by the window title ("... - turn 7/40 - waiting for Japan"), and for each seat's turn
// clicks what a team would: the US adopts its advisor's plan and ends its turn, Japan ends its
// turn without deciding anything. The game must reach its end, and the files written when the
// window closes must show both: the US's adopted orders happened, Japan sent nothing.
TEST(GameWindow, TwoHumanSeatsPlayAWholeBaselineGameByMouse) {
    REQUIRE_X();
    const fs::path log = temp("seats.log");
    const fs::path out = temp("seats_out");
    fs::remove_all(out);
    const std::string pid =
        sh(std::string("cd " CHOKEPOINT_SOURCE_DIR " && ") + CHOKEPOINT_BINARY +
           " play config/scenarios/baseline.yaml --human usa --human japan --no-leverage --out " + out.string() + " > " +
           log.string() + " 2>&1 & echo $!");
    ASSERT_FALSE(pid.empty());
    const std::string wid = sh("timeout 60 xdotool search --sync --onlyvisible --name 'Chokepoint - Licensing era' | head -n 1");
    ASSERT_FALSE(wid.empty()) << "no window appeared\n" << slurp(log);
    sh("xdotool windowmove " + wid + " 0 0");
    std::this_thread::sleep_for(1500ms);
    const auto click = [&](int x, int y) {
        sh("xdotool mousemove --window " + wid + " " + std::to_string(x) + " " + std::to_string(y) + " click 1");
    };
    // Where the buttons are at the default 1280x720 and text size: Play in the top bar; End turn
    // and Adopt advice first on the seat panel's top line, so the same place every turn.
    click(104, 19);  // the pace slider's left end: 0 s/turn, turns follow each other as fast as they compute
    click(26, 19);   // Play
    std::string title, handled;
    int us_turns = 0, japan_turns = 0;
    auto handled_at = std::chrono::steady_clock::now();
    const auto deadline = std::chrono::steady_clock::now() + 600s;
    while (std::chrono::steady_clock::now() < deadline) {
        title = sh("xdotool getwindowname " + wid);
        if (title.find("game over") != std::string::npos) break;
        const auto waiting = title.find(" - waiting for ");
        const std::string state = waiting == std::string::npos ? std::string() : title;
        if (!state.empty() && state != handled) {
            click(640, 408);  // the hand-over screen's button, in the window's centre
            std::this_thread::sleep_for(200ms);
            if (title.find("waiting for United States") != std::string::npos) {
                click(873, 102);  // Adopt advice
                std::this_thread::sleep_for(200ms);
                ++us_turns;
            } else {
                ++japan_turns;
            }
            click(783, 102);  // End turn
            handled = state;
            handled_at = std::chrono::steady_clock::now();
        } else if (!state.empty() && std::chrono::steady_clock::now() - handled_at > 5s) {
            click(640, 408);  // the click fell on a frame before the screen or panel: hand over and
            std::this_thread::sleep_for(200ms);
            click(783, 102);  // End turn again
            handled_at = std::chrono::steady_clock::now();
        }
        std::this_thread::sleep_for(100ms);
    }
    sh("kill -TERM " + pid);
    for (int i = 0; i < 300 && sh("kill -0 " + pid + " 2>/dev/null && echo alive") == "alive"; ++i)
        std::this_thread::sleep_for(100ms);
    const std::string output = slurp(log);
    ASSERT_NE(title.find("turn 40/40 - game over"), std::string::npos) << "the game did not end; last title: " << title << "\n"
                                                                        << output;
    EXPECT_EQ(us_turns, 40);
    EXPECT_EQ(japan_turns, 40);
    EXPECT_NE(output.find("window closed after 40 turn(s) played"), std::string::npos) << output;
    // The files the window wrote when it closed.
    const std::string summary = slurp(out / "summary.json");
    EXPECT_NE(summary.find("\"turns_played\": 40"), std::string::npos) << summary.substr(0, 300);
    const std::string events = slurp(out / "events.jsonl");
    std::istringstream lines(events);
    int us_orders = 0, japan_acts = 0;
    for (std::string line; std::getline(lines, line);) {
        const bool us = line.find("\"country\":\"usa\"") != std::string::npos;
        const bool japan = line.find("\"country\":\"japan\"") != std::string::npos;
        const bool order = line.find("\"type\":\"stockpile_order\"") != std::string::npos ||
                           line.find("\"type\":\"proposal\"") != std::string::npos ||
                           line.find("\"type\":\"investment\"") != std::string::npos;
        if (order && us) ++us_orders;
        if (order && japan) ++japan_acts;
    }
    EXPECT_GT(us_orders, 0) << "the United States' adopted advice never reached the game";
    EXPECT_EQ(japan_acts, 0) << "Japan's seat decided nothing, yet it acted";
}

// Issue 13, trap 2: a double click on "End turn" ends only the deciding team's turn. The next
// team's desk stays behind the hand-over screen until someone clicks its button, in the middle of
// the window, away from "End turn".
TEST(GameWindow, ADoubleClickOnEndTurnDoesNotEndTheNextTeamsTurn) {
    REQUIRE_X();
    const fs::path log = temp("handover.log");
    const std::string pid = sh(std::string("cd " CHOKEPOINT_SOURCE_DIR " && ") + CHOKEPOINT_BINARY +
                               " play config/scenarios/baseline.yaml --human usa --human japan --no-leverage > " +
                               log.string() + " 2>&1 & echo $!");
    ASSERT_FALSE(pid.empty());
    const std::string wid = sh("timeout 60 xdotool search --sync --onlyvisible --name 'Chokepoint - Licensing era' | head -n 1");
    ASSERT_FALSE(wid.empty()) << "no window appeared\n" << slurp(log);
    sh("xdotool windowmove " + wid + " 0 0");
    std::this_thread::sleep_for(1500ms);
    const auto click = [&](int x, int y, int times = 1) {
        sh("xdotool mousemove --window " + wid + " " + std::to_string(x) + " " + std::to_string(y) + " click --repeat " +
           std::to_string(times) + " --delay 80 1");
    };
    const auto title_after = [&](const std::string& want, std::chrono::seconds limit) {
        std::string title;
        for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
            title = sh("xdotool getwindowname " + wid);
            if (title.find(want) != std::string::npos) break;
            std::this_thread::sleep_for(100ms);
        }
        return title;
    };
    click(26, 19);  // Play: the first turn computes, then waits for the United States
    std::string title = title_after("waiting for United States", 60s);
    ASSERT_NE(title.find("waiting for United States"), std::string::npos) << title;
    std::this_thread::sleep_for(300ms);
    click(783, 102);  // End turn's place: the hand-over screen covers it, so nothing happens
    std::this_thread::sleep_for(500ms);
    EXPECT_NE(sh("xdotool getwindowname " + wid).find("waiting for United States"), std::string::npos)
        << "a click before the hand-over ended the turn";
    click(640, 408);  // "We are United States: show our desk"
    std::this_thread::sleep_for(300ms);
    click(783, 102, 2);  // End turn, double-clicked
    title = title_after("waiting for Japan", 30s);
    ASSERT_NE(title.find("waiting for Japan"), std::string::npos) << title;
    std::this_thread::sleep_for(1500ms);
    title = sh("xdotool getwindowname " + wid);
    EXPECT_NE(title.find("waiting for Japan"), std::string::npos) << "the second click ended Japan's turn: " << title;
    EXPECT_NE(title.find("turn 1/40"), std::string::npos) << title;
    sh("kill -TERM " + pid);
    for (int i = 0; i < 300 && sh("kill -0 " + pid + " 2>/dev/null && echo alive") == "alive"; ++i)
        std::this_thread::sleep_for(100ms);
}

TEST(GameWindow, ScreenshotOfAPlayedGameIsNotBlank) {
    REQUIRE_X();
    const fs::path png = temp("shot.png");
    fs::remove(png);
    const std::string cmd = std::string("cd " CHOKEPOINT_SOURCE_DIR " && timeout 120 ") + CHOKEPOINT_BINARY +
                            " play tests/scenarios/minimal.yaml --frames 30 --screenshot " + png.string() +
                            " > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    sf::Image image;
    ASSERT_TRUE(image.loadFromFile(png.string()));
    ASSERT_EQ(image.getSize().x, 1280u);
    ASSERT_EQ(image.getSize().y, 720u);
    // A real frame: many colours (text, map, charts), and both the map area and the panels drawn.
    std::set<unsigned> colours;
    for (unsigned y = 0; y < 720; y += 3)
        for (unsigned x = 0; x < 1280; x += 3) colours.insert(image.getPixel(x, y).toInteger());
    EXPECT_GT(colours.size(), 60u);
    auto distinct_in = [&](unsigned x0, unsigned y0, unsigned x1, unsigned y1) {
        std::set<unsigned> c;
        for (unsigned y = y0; y < y1; y += 2)
            for (unsigned x = x0; x < x1; x += 2) c.insert(image.getPixel(x, y).toInteger());
        return c.size();
    };
    EXPECT_GT(distinct_in(20, 80, 700, 500), 3u) << "the map area is empty";
    EXPECT_GT(distinct_in(760, 80, 1270, 700), 10u) << "the side panel is empty";
}

}  // namespace
