// "New game", "Open" and "Branch": the controls panel asks (UiState::restart_requested, with
// scenario_path and seed, or UiState::open) and the window replaces its session between building
// the panels and drawing them. Every game the window starts is saved after every turn when the
// first one was (a new file in the same folder).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "view/session.hpp"
#include "view/ui/ui_state.hpp"

namespace chokepoint::view {

// The ids of the countries played by people in `snap`, in country order.
std::vector<std::string> human_seats(const Snapshot& snap);

class GameRestart {
public:
    // The options every new session starts from (the command line's); scenario and seed come from
    // the UI. New games are saved in `games_folder` under new names ("": new games are not saved).
    GameRestart(SessionOptions base, std::string games_folder)
        : base_(std::move(base)), folder_(std::move(games_folder)) {}

    // The first session, from the command line; fills the controls' scenario and seed.
    std::unique_ptr<Session> first(UiState& ui) const;
    // When the UI asked: a new session replaces `session` (the old worker is joined), the
    // seats played by people stay with people where the new scenario has those countries, and the
    // seat's draft is dropped. A scenario that does not load leaves the current game going on;
    // the status line says which (the loader's message names the file, line and column).
    // An Open or Branch request (UiState::open) goes on with a game file instead: the current game
    // is finished first (its file then holds every turn it completed), and when the file cannot be
    // opened, the current game goes on from its own file.
    void apply(UiState& ui, std::unique_ptr<Session>& session) const;

private:
    void open(UiState& ui, std::unique_ptr<Session>& session) const;
    SessionOptions base_;
    std::string folder_;
};

}  // namespace chokepoint::view
