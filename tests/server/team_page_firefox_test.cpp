// The team page in headless Firefox (Debian's firefox-esr), driven through Marionette, Firefox's
// own remote protocol (length-prefixed JSON over TCP: no driver to install): a seat's link joins,
// the page draws the team's view from its WebSocket, at a laptop's and a phone's width.
// Chromium's run is in team_page_test.cpp.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/server/client.hpp"
#include "tests/server/served.hpp"
#include "tests/support/files.hpp"

extern char** environ;

namespace chokepoint::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

// A port nobody listens on now (for Firefox's Marionette server).
unsigned short free_port() {
    testing::net::io_context ioc;
    testing::tcp::acceptor a(ioc, {testing::net::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

std::string base64_decode(const std::string& in) {
    static const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned value = 0;
    int bits = 0;
    for (char c : in) {
        const auto at = chars.find(c);
        if (at == std::string::npos) continue;  // '=' and line breaks
        value = (value << 6) | static_cast<unsigned>(at);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((value >> bits) & 0xFF);
        }
    }
    return out;
}

// Headless Firefox with a fresh profile, and a Marionette session on it; every reply is awaited
// within the test client's deadline. Quits (or is killed) when destroyed.
class Firefox {
public:
    explicit Firefox(const fs::path& profile) : socket_(ioc_) {
        const unsigned short port = free_port();
        fs::create_directories(profile);
        std::ofstream(profile / "user.js") << "user_pref(\"marionette.port\", " << port << ");\n";
        const std::string home = "HOME=" + profile.string();
        std::vector<std::string> env = {home, "MOZ_HEADLESS=1"};
        for (char** e = environ; *e; ++e)
            if (!std::string(*e).starts_with("HOME=")) env.emplace_back(*e);
        std::vector<char*> envp;
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        std::string prof = profile.string();
        std::vector<std::string> args = {"firefox-esr", "--headless", "--marionette", "--no-remote", "--profile", prof};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t quiet;  // Firefox's console chatter stays out of the test's output
        posix_spawn_file_actions_init(&quiet);
        posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
        if (posix_spawnp(&pid_, "firefox-esr", &quiet, nullptr, argv.data(), envp.data()) != 0) pid_ = 0;
        posix_spawn_file_actions_destroy(&quiet);
        if (!pid_) return;
        for (int i = 0; i < 300 && !connected_; ++i) {  // Firefox starts its Marionette server in a few seconds
            boost::system::error_code ec;
            socket_.connect({testing::net::ip::make_address("127.0.0.1"), port}, ec);
            if (!ec) {
                connected_ = true;
            } else {
                socket_.close();
                std::this_thread::sleep_for(100ms);
            }
        }
        if (connected_) read();  // the greeting
    }
    ~Firefox() {
        if (connected_) {
            try {
                call("Marionette:Quit");
            } catch (const std::exception&) {
            }
        }
        if (!pid_) return;
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
            std::this_thread::sleep_for(100ms);
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    bool ready() const { return connected_; }

    // A command's result; throws with Firefox's error.
    json call(const std::string& name, const json& params = json::object()) {
        const std::string msg = json::array({0, next_id_++, name, params}).dump();
        const std::string frame = std::to_string(msg.size()) + ":" + msg;
        if (auto ec = testing::within(ioc_, socket_, testing::kReplyDeadline, [&](auto handler) {
                testing::net::async_write(socket_, testing::net::buffer(frame), handler);
            }))
            throw std::runtime_error(name + ": " + ec.message());
        const json reply = read();
        if (!reply.is_array() || reply.size() != 4) throw std::runtime_error(name + ": no reply");
        if (!reply[2].is_null()) throw std::runtime_error(name + ": " + reply[2].dump());
        return reply[3];
    }
    json script(const std::string& body) { return call("WebDriver:ExecuteScript", {{"script", body}, {"args", json::array()}})["value"]; }

private:
    json read() {
        if (auto ec = testing::within(ioc_, socket_, testing::kReplyDeadline, [&](auto handler) {
                testing::net::async_read_until(socket_, testing::net::dynamic_buffer(buf_), ':', handler);
            }))
            throw std::runtime_error("Marionette: " + ec.message());
        const auto colon = buf_.find(':');
        const std::size_t size = std::stoul(buf_.substr(0, colon));
        buf_.erase(0, colon + 1);
        if (buf_.size() < size) {
            if (auto ec = testing::within(ioc_, socket_, testing::kReplyDeadline, [&](auto handler) {
                    testing::net::async_read(socket_, testing::net::dynamic_buffer(buf_),
                                             testing::net::transfer_exactly(size - buf_.size()), handler);
                }))
                throw std::runtime_error("Marionette: " + ec.message());
        }
        const json j = json::parse(buf_.substr(0, size), nullptr, false);
        buf_.erase(0, size);
        return j;
    }

    testing::net::io_context ioc_;
    testing::tcp::socket socket_;
    pid_t pid_ = 0;
    bool connected_ = false;
    std::string buf_;
    int next_id_ = 1;
};

// Polls the page until the seat's card shows its country (the view came over the WebSocket).
std::string shown_country(Firefox& ff) {
    std::string name;
    for (int i = 0; i < 150 && name != "East"; ++i) {
        const json v = ff.script("const e = document.getElementById('country-name'); return e ? e.textContent : '';");
        name = v.is_string() ? v.get<std::string>() : "";
        if (name != "East") std::this_thread::sleep_for(100ms);
    }
    return name;
}

TEST(TeamPageE2E, FirefoxJoinsWithTheLinksCodeAndDrawsTheTeamsView) {
    if (std::system("command -v firefox-esr >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "firefox-esr is not installed (the Makefile's test packages install it)";
    testing::ScratchDir dir("team_page_firefox");
    testing::Served served;
    served.until_asked();
    const std::string url = served.join_url("east");
    {
        Firefox ff(dir.path() / "profile");
        ASSERT_TRUE(ff.ready()) << "Firefox's Marionette server did not answer";
        ff.call("WebDriver:NewSession", {{"capabilities", json::object()}});
        ff.call("WebDriver:SetWindowRect", {{"width", 1280}, {"height", 1600}});
        ff.call("WebDriver:Navigate", {{"url", url}});
        EXPECT_EQ(shown_country(ff), "East");
        EXPECT_EQ(ff.script("return document.getElementById('phase').className;"), "phase deciding");
        EXPECT_EQ(ff.script("return document.getElementById('join').hidden;"), true);
        EXPECT_EQ(ff.script("return document.querySelectorAll('#ins-kind option').length;"), 13);
        EXPECT_EQ(ff.script("return document.body.innerText.includes('Treasury');"), true);
        // South's private card never reaches East's page.
        EXPECT_EQ(ff.script("return document.body.innerHTML.includes('South</h2>');"), false);
        const std::string png = base64_decode(ff.call("WebDriver:TakeScreenshot", {{"full", true}})["value"].get<std::string>());
        EXPECT_GT(png.size(), 20000u);
        std::ofstream(dir.path() / "firefox-laptop.png", std::ios::binary) << png;
        // As narrow as headless Firefox goes (its windows have a minimum width, ~490 px here): the
        // page still fits its width, nothing scrolls sideways.
        ff.call("WebDriver:SetWindowRect", {{"width", 390}, {"height", 1600}});
        ff.call("WebDriver:Refresh");
        EXPECT_EQ(shown_country(ff), "East");
        const int inner = ff.script("return window.innerWidth;").get<int>();
        EXPECT_LT(inner, 600);
        EXPECT_LE(ff.script("return document.documentElement.scrollWidth;").get<int>(), inner)
            << "the page is wider than the window";
    }
    EXPECT_GE(served.access.joined("east"), 1);
    served.server.stop();
    served.session.finish();
}

}  // namespace
}  // namespace chokepoint::server
