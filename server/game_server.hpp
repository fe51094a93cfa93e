// The game's HTTP and WebSocket server for browser seats (`chokepoint serve`, docs/protocol.md):
// the team page and its files, joining with a seat's code, each team's view pushed after every
// change, and a team's decisions and negotiation answers passed to the session. One I/O thread
// (Boost.Asio) serves every client; the game runs on the session's worker and never waits on a
// client: a slow or silent browser only delays its own seat's decisions.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/seat_access.hpp"
#include "view/session.hpp"

namespace chokepoint::server {

struct ServerOptions {
    std::string bind = "0.0.0.0";  // every interface (the classroom's network); "127.0.0.1" for this machine only
    unsigned short port = 8080;    // 0: any free port (tests), see GameServer::port()
    std::string web_dir;           // the team page's files (assets/web)
    std::size_t max_message = 64 * 1024;  // bytes: a request body or WebSocket message larger is refused
    std::chrono::milliseconds poll{100};  // how often the server looks for a new snapshot
    // --tls CERT KEY (PEM files): HTTPS and WSS only; both empty: plain HTTP and WS.
    std::string tls_cert, tls_key;
};

// What the facilitator sees of a seat's browsers.
struct SeatConnections {
    std::string seat;
    int connected = 0;  // open WebSocket connections
    int joined = 0;     // valid tokens
};

class GameServer {
public:
    // Binds at once (throws std::runtime_error naming the address when it cannot) and serves on
    // its own thread until destroyed or stop().
    GameServer(view::Session& session, SeatAccess& access, ServerOptions options);
    ~GameServer();
    GameServer(const GameServer&) = delete;
    GameServer& operator=(const GameServer&) = delete;

    unsigned short port() const;
    void stop();
    // Closes every connection of the seat (after SeatAccess::kick): they get a "kicked" message.
    void disconnect(const std::string& seat);
    // Counted at the last poll (options.poll): never waits on the I/O thread.
    std::vector<SeatConnections> connections() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;  // its pending handlers (and the connections they hold) go with it
};

// The reply to one WebSocket message from a seat (docs/protocol.md §Messages); exposed for tests.
// Acts on the session: decisions (Session::submit) and negotiation answers (Session::say).
nlohmann::json handle_message(view::Session& session, CountryId seat, const std::string& text);

// A command from a client: {"command": NAME, field: value, ...} as the game file writes commands
// (docs/game-file.md, docs/protocol.md §Commands); fields left out keep their defaults, an unknown
// field or name is refused. Throws std::invalid_argument with the reason.
Command command_from_client(const nlohmann::json& j);
// The same, with the defaults that depend on the game: a licence approved without `validity_turns`
// lasts a year in its turns (docs/model.md §Turn length).
Command command_from_client(const nlohmann::json& j, const Definitions& d);

}  // namespace chokepoint::server
