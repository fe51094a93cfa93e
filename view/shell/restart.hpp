// "New game": the controls panel asks (UiState::restart_requested, with scenario_path and seed)
// and the window replaces its session between building the panels and drawing them.
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
    // The options every new session starts from (the command line's); scenario and seed come from the UI.
    explicit GameRestart(SessionOptions base) : base_(std::move(base)) {}

    // The first session, from the command line; fills the controls' scenario and seed.
    std::unique_ptr<Session> first(UiState& ui) const;
    // When the UI asked: a new session replaces `session` (the old worker is joined), the
    // seats played by people stay with people where the new scenario has those countries, and the
    // seat's draft is dropped. A scenario that does not load leaves the current game going on;
    // the status line says which (the loader's message names the file, line and column).
    void apply(UiState& ui, std::unique_ptr<Session>& session) const;

private:
    SessionOptions base_;
};

}  // namespace chokepoint::view
