// A trio game served to browsers over loopback, for the server's tests: East and South are
// played by people, the server listens on a free port of 127.0.0.1 and the game plays on its own.
#pragma once

#include <chrono>
#include <string>

#include "server/game_server.hpp"
#include "server/seat_access.hpp"
#include "tests/server/client.hpp"
#include "tests/view/session_wait.hpp"
#include "view/session.hpp"

namespace chokepoint::testing {

struct Served {
    // `save`: the game file ("" for none); `turns`: the game's length.
    explicit Served(const std::string& save = "", int turns = 3)
        : session([&] {
              auto o = trio_session({"east", "south"}, save);
              o.turns = turns;
              return o;
          }()),
          access({"east", "south"}),
          server(session, access, options()) {
        session.set_seconds_per_turn(0);
        session.play();
    }
    static server::ServerOptions options() {
        server::ServerOptions o;
        o.bind = "127.0.0.1";
        o.port = 0;
        o.web_dir = "assets/web";
        o.poll = std::chrono::milliseconds(20);
        return o;
    }
    unsigned short port() const { return server.port(); }
    // A session token for the seat, from joining with its code.
    std::string token(const std::string& seat) { return join(port(), access.code(seat)); }
    // The link a team's browser opens: the page with the seat's join code.
    std::string join_url(const std::string& seat) {
        return "http://127.0.0.1:" + std::to_string(port()) + "/?code=" + access.code(seat);
    }
    // Waits until the game asks a seat for its decisions.
    void until_asked() {
        until(session, [](const view::Snapshot& s) { return s.waiting.has_value(); });
    }

    view::Session session;
    server::SeatAccess access;
    server::GameServer server;
};

}  // namespace chokepoint::testing
