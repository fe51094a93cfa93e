// The game window under test (tests/view/*_e2e_test.cpp): `chokepoint play` started in the
// background under the X server `make test` provides (xvfb-run), found by its title with xdotool,
// clicked and typed into, closed with SIGTERM.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/support/files.hpp"

namespace chokepoint::testing::window {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline bool have_display() {
    const char* d = std::getenv("DISPLAY");
    return d && *d;
}

inline std::string sh(const std::string& cmd) {
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

inline fs::path temp(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("chokepoint_gui_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

#define REQUIRE_X()                                                                                   \
    if (!have_display()) GTEST_SKIP() << "needs an X display: `make test` runs this suite in xvfb-run"; \
    if (std::system("command -v xdotool >/dev/null 2>&1") != 0) GTEST_SKIP() << "needs xdotool"

// `chokepoint play ARGS` in the background, its window found by its title and moved to the
// screen's corner so that window coordinates are screen coordinates; SIGTERM at the end.
class WindowUnderTest {
public:
    WindowUnderTest(const std::string& args, const std::string& title, const std::string& log_name, int wait_seconds = 30)
        : log_(temp(log_name)) {
        // New games are saved in a scratch games folder, never in the user's.
        pid_ = sh(std::string("cd " CHOKEPOINT_SOURCE_DIR " && CHOKEPOINT_GAMES=") + temp("games").string() + " " +
                  CHOKEPOINT_BINARY + " play " + args + " > " + log_.string() + " 2>&1 & echo $!");
        if (pid_.empty()) return;
        wid_ = sh("timeout " + std::to_string(wait_seconds) + " xdotool search --sync --onlyvisible --name '" + title +
                  "' | head -n 1");
        if (wid_.empty()) return;
        sh("xdotool windowmove " + wid_ + " 0 0");
        std::this_thread::sleep_for(1500ms);  // a few frames: the layout is drawn
    }
    ~WindowUnderTest() {
        if (alive()) close();
    }
    bool opened() const { return !wid_.empty(); }
    std::string log() const { return slurp(log_); }

    void click(int x, int y, int times = 1) const {
        sh("xdotool mousemove --window " + wid_ + " " + std::to_string(x) + " " + std::to_string(y) + " click --repeat " +
           std::to_string(times) + " --delay 80 1");
    }
    // The mouse wheel turned down `notches` times over (x, y): a list scrolls toward its end.
    void scroll_down(int x, int y, int notches) const {
        sh("xdotool mousemove --window " + wid_ + " " + std::to_string(x) + " " + std::to_string(y) + " click --repeat " +
           std::to_string(notches) + " --delay 80 5");
    }
    void key(const std::string& keys) const { sh("xdotool key --window " + wid_ + " " + keys); }
    void type(const std::string& text) const { sh("xdotool type --window " + wid_ + " --delay 60 '" + text + "'"); }
    std::string title() const { return sh("xdotool getwindowname " + wid_); }
    // The title once it holds `want`, or the last one seen after `limit`.
    std::string title_after(const std::string& want, std::chrono::seconds limit) const {
        std::string t;
        for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
            t = title();
            if (t.find(want) != std::string::npos) break;
            std::this_thread::sleep_for(100ms);
        }
        return t;
    }
    bool alive() const { return !pid_.empty() && sh("kill -0 " + pid_ + " 2>/dev/null && echo alive") == "alive"; }
    // Whether the process ended within `limit` (by itself: nothing is sent).
    bool exits_within(std::chrono::milliseconds limit) const {
        for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;) {
            if (!alive()) return true;
            std::this_thread::sleep_for(100ms);
        }
        return !alive();
    }
    // Closes it as a terminal's Ctrl+C would (SIGTERM is handled like closing the window, with no
    // confirmation); false if it had to be killed.
    bool close() const {
        sh("kill -TERM " + pid_);
        if (exits_within(30s)) return true;
        sh("kill -KILL " + pid_);
        return false;
    }

private:
    fs::path log_;
    std::string pid_, wid_;
};

}  // namespace chokepoint::testing::window
