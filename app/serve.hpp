// `chokepoint serve`: a game whose seats played by people are played from browsers (issue 14,
// docs/facilitation.md "A networked class", docs/protocol.md). Prints one line per seat (its id,
// join code and the address to open), plays the game as the teams decide, and reads the
// facilitator's commands from standard input (`help` lists them).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace chokepoint::app {

struct ServeArgs {
    std::string scenario;
    std::vector<std::string> humans;
    std::string bind = "0.0.0.0";
    int port = 8080;
    std::string load, save;
    bool no_save = false;
    std::optional<double> talk_minutes;
    std::optional<int> turns;
    std::optional<std::uint64_t> seed;
    std::string leverage = "every";
    int threads = 0;
    double pace = 0.0;  // seconds per turn at least (0: as soon as every team has decided)
    bool paused = false;
    std::vector<std::string> tls;  // CERT KEY: HTTPS and WSS
};

// Adds the subcommand's options (the scenario's default and validators from the caller).
CLI::App* add_serve(CLI::App& app, ServeArgs& a, const std::string& default_scenario);
int serve(const ServeArgs& a);

}  // namespace chokepoint::app
