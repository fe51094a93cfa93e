#include "app/serve.hpp"

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <sstream>
#include <thread>

#include <poll.h>
#include <unistd.h>
#include <cerrno>

#include "engine/game/game.hpp"
#include "engine/world/files.hpp"
#include "server/game_server.hpp"
#include "server/join_info.hpp"
#include "server/seat_access.hpp"
#include "view/shell/game_files.hpp"

namespace chokepoint::app {

namespace {

volatile std::sig_atomic_t g_stop = 0;
std::atomic<bool> g_quit{false};  // `quit` on standard input
extern "C" void on_signal(int) { g_stop = 1; }


void print_seats(const server::SeatAccess& access, const view::Snapshot& snap, const std::string& url) {
    for (const auto& seat : access.seats()) {
        const CountryId id = snap.defs->country_id(seat);
        fmt::print("seat {:<10} code {}  {}  ({})\n", seat, access.code(seat), server::join_url(url, access.code(seat)),
                   id == kNoCountry ? seat : snap.defs->countries[id].name);
    }
    std::fflush(stdout);
}

const char* kHelp =
    "commands: status | pause | play | step | seats | qr [SEAT] (the page's or a seat's link as a QR code) |\n"
    "          kick SEAT (new code, its browsers leave) |\n"
    "          advisor SEAT (its policy plays it) | people SEAT (a team plays it, new code if it had none) |\n"
    "          end SEAT (ends its turn with its advisor's suggestions) |\n"
    "          quit\n";

void print_status(view::Session& session, server::GameServer& srv) {
    const auto snap = session.snapshot();
    const Definitions& d = *snap->defs;
    const std::string where = snap->finished ? fmt::format("game over after {} turns", snap->history.size())
                                             : fmt::format("turn {} of {} ({}), {}", snap->state.turn + 1, snap->turn_limit,
                                                           d.date_of_turn(snap->state.turn), snap->playing ? "playing" : "paused");
    fmt::print("{}{}\n", where, snap->game_file.empty() ? "" : ", saved in " + snap->game_file);
    for (const auto& c : srv.connections()) {
        const CountryId id = d.country_id(c.seat);
        const bool people = id != kNoCountry && snap->human[id];
        const bool sent = id != kNoCountry && id.index() < snap->sent.size() && snap->sent[id];
        std::string state = !people ? "advisor plays" : snap->waiting && snap->waiting->seat == id ? "the game waits on it"
                           : sent                                                                  ? "decisions in"
                           : snap->deciding_turn == snap->state.turn && snap->computing           ? "deciding"
                                                                                                   : "";
        fmt::print("  {:<10} {} browser(s) open, {} joined  {}\n", c.seat, c.connected, c.joined, state);
    }
    std::fflush(stdout);
}

// One facilitator command from standard input; false to quit.
bool facilitate(const std::string& line, view::Session& session, server::SeatAccess& access,
                server::GameServer& srv, const std::string& url) {
    std::istringstream in(line);
    std::string cmd, seat;
    in >> cmd >> seat;
    if (cmd.empty()) return true;
    const auto snap = session.snapshot();
    const CountryId id = seat.empty() ? kNoCountry : snap->defs->country_id(seat);
    const bool needs_seat = cmd == "kick" || cmd == "advisor" || cmd == "people" || cmd == "end";
    if (needs_seat && id == kNoCountry) {
        fmt::print("no country \"{}\" in this scenario\n", seat);
    } else if (cmd == "quit" || cmd == "exit") {
        return false;
    } else if (cmd == "status") {
        print_status(session, srv);
    } else if (cmd == "pause") {
        session.pause();
    } else if (cmd == "play") {
        session.play();
    } else if (cmd == "step") {
        session.step();
    } else if (cmd == "seats") {
        print_seats(access, *snap, url);
    } else if (cmd == "qr") {
        const bool one = !seat.empty() && access.has_seat(seat);
        fmt::print("{}{}\n", server::qr_text(one ? server::join_url(url, access.code(seat)) : url),
                   one ? server::join_url(url, access.code(seat)) : url);
    } else if (cmd == "kick") {
        access.kick(seat);
        srv.disconnect(seat);
        fmt::print("seat {:<10} code {}  (new code; its browsers were disconnected)\n", seat, access.code(seat));
    } else if (cmd == "advisor") {
        session.set_human(id, false);
        fmt::print("{} is played by its policy from now on\n", seat);
    } else if (cmd == "people") {
        access.add_seat(seat);
        session.set_human(id, true);
        fmt::print("seat {:<10} code {}  {}\n", seat, access.code(seat), url);
    } else if (cmd == "end") {
        const auto* advice = snap->advice_for(id);
        const bool ended = session.submit(id, snap->deciding_turn, advice ? advice->commands : std::vector<Command>{});
        fmt::print("{} {}\n", seat, ended ? "has ended its turn" : "is not deciding now");
    } else {
        fmt::print("{}", kHelp);
    }
    std::fflush(stdout);
    return true;
}

}  // namespace

CLI::App* add_serve(CLI::App& app, ServeArgs& a, const std::string& default_scenario) {
    a.scenario = default_scenario;
    CLI::App* cmd = app.add_subcommand(
        "serve", "Play a scenario with teams in browsers: a join code per seat played by people (docs/protocol.md)");
    cmd->add_option("scenario", a.scenario, "Scenario YAML file")->capture_default_str();
    cmd->add_option("--human", a.humans, "A country played by a team from a browser (repeat for more seats)")
        ->allow_extra_args(false);
    cmd->add_option("--bind", a.bind, "The address to listen on (0.0.0.0: every network of this machine)")
        ->capture_default_str();
    cmd->add_option("--port", a.port, "The port to listen on (0: any free port)")->check(CLI::Range(0, 65535))->capture_default_str();
    cmd->add_option("--load", a.load, "Go on with a saved game file (its seats played by people stay with people)");
    cmd->add_option("--save", a.save, "Game file to save the game in after every turn (default: a new file in the games folder)");
    cmd->add_flag("--no-save", a.no_save, "Do not save the game in a game file");
    cmd->add_option("--talk-minutes", a.talk_minutes, "Minutes of negotiation before the teams decide, each turn")
        ->check(CLI::Range(0.0, 120.0));
    cmd->add_option("--turns", a.turns, "Number of turns to play (overrides the scenario)")->check(CLI::Range(1, 1000));
    cmd->add_option("--seed", a.seed, "Random seed (overrides the scenario)");
    cmd->add_option("--leverage", a.leverage, "When leverage is measured: every, N, end or off")->capture_default_str();
    cmd->add_option("--threads", a.threads, "Leverage threads (0: one per core)")->check(CLI::Range(0, 256));
    cmd->add_option("--pace", a.pace, "Seconds per turn at least, once every team has decided")->check(CLI::Range(0.0, 3600.0));
    cmd->add_flag("--paused", a.paused, "Start paused (`play` on standard input starts the game)");
    cmd->add_option("--tls", a.tls, "CERT KEY: serve HTTPS and WSS with this certificate and private key (PEM files)")
        ->expected(2)
        ->check(CLI::ExistingFile);
    return cmd;
}

int serve(const ServeArgs& a) {
    if (a.no_save && (!a.save.empty() || !a.load.empty())) {
        fmt::print(stderr, "chokepoint serve: --no-save is for a new game without --save or --load\n");
        return 2;
    }
    view::SessionOptions o;
    o.scenario = a.scenario;
    o.seed = a.seed;
    o.humans = a.humans;
    o.turns = a.turns.value_or(0);
    if (!parse_leverage_schedule(a.leverage, o.game)) {
        fmt::print(stderr, "chokepoint serve: --leverage: every, N, end or off was expected, got {}\n", a.leverage);
        return 2;
    }
    o.game.threads = a.threads;
    o.load = a.load;
    o.save = a.save;
    o.talk_minutes = a.talk_minutes;
    if (o.save.empty() && o.load.empty() && !a.no_save) {
        const std::string folder = view::games_folder();
        if (!folder.empty()) o.save = view::new_game_path(folder, a.scenario, view::time_stamp());
    }
    view::Session session(o);
    const auto first = session.snapshot();
    std::vector<std::string> seats;
    for (CountryId c : first->defs->country_ids())
        if (first->human[c]) seats.push_back(first->defs->countries[c].id);
    if (seats.empty()) fmt::print("no seat is played by people: add --human COUNTRY (the teams join its seat)\n");
    server::SeatAccess access(seats);
    server::ServerOptions so;
    so.bind = a.bind;
    so.port = static_cast<unsigned short>(a.port);
    so.web_dir = server::web_folder();
    if (a.tls.size() == 2) {
        so.tls_cert = a.tls[0];
        so.tls_key = a.tls[1];
    }
    server::GameServer srv(session, access, so);
    const std::string url = server::base_url(a.bind, srv.port(), a.tls.size() == 2);
    fmt::print("{} — serving on {}:{}; teams open {} and type their seat's code\n", first->defs->scenario_name, a.bind,
               srv.port(), url);
    print_seats(access, *first, url);
    if (!first->game_file.empty()) fmt::print("game file: {}\n", first->game_file);
    fmt::print("{}", server::qr_text(url));
    fmt::print("type `help` for the facilitator's commands (`qr SEAT` shows a seat's own link as a QR code)\n");
    std::fflush(stdout);

    session.set_seconds_per_turn(a.pace);
    if (!a.paused) session.play();
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    // Standard input on its own thread: the main thread watches for the end and for signals. The
    // thread polls with a timeout, so it sees a stop and is joined before the session and the server
    // it uses are gone. The end of standard input (a server started with </dev/null) is not `quit`.
    std::thread console([&] {
        std::string pending;
        char buf[512];
        while (!g_quit && !g_stop) {
            pollfd in{STDIN_FILENO, POLLIN, 0};
            const int ready = ::poll(&in, 1, 100);
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0) return;
            if (ready == 0) continue;
            const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;
            pending.append(buf, static_cast<std::size_t>(n));
            for (auto nl = pending.find('\n'); nl != std::string::npos && !g_quit; nl = pending.find('\n')) {
                const std::string line = pending.substr(0, nl);
                pending.erase(0, nl + 1);
                if (!facilitate(line, session, access, srv, url)) g_quit = true;
            }
        }
    });
    bool announced = false;
    while (!g_quit && !g_stop) {
        const auto snap = session.snapshot();
        if (snap->finished && !announced) {
            announced = true;
            fmt::print("the game is over after {} turns; the teams see the final state (Ctrl-C or `quit` stops the server)\n",
                       snap->history.size());
            std::fflush(stdout);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    console.join();
    srv.stop();
    session.finish();
    const auto last = session.snapshot();
    fmt::print("stopped after {} turns{}\n", last->history.size(),
               last->game_file.empty() ? "" : "; the game is saved in " + last->game_file);
    return 0;
}

}  // namespace chokepoint::app
