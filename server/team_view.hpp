// What one team's browser is sent (docs/protocol.md §The view): its country as the game's team view
// shows it, and the public picture. Built from the window's models with the team view on
// (view/model/*: the private parts of other countries, others' proposals and others' licence
// paperwork are left out there), so a browser sees exactly what the window's team view shows.
#pragma once

#include <chrono>

#include <nlohmann/json.hpp>

#include "view/session.hpp"

namespace chokepoint::server {

// The view of `seat` from `snap`; `now` reads the negotiation clock.
nlohmann::json team_view(const view::Snapshot& snap, CountryId seat, std::chrono::steady_clock::time_point now);

// The phase a seat is in, as the team page names it: "deciding" (its decisions are wanted),
// "sent" (sent, the others are deciding), "talking" (its turn to speak in a negotiation round),
// "talks" (another seat is speaking), "computing", "paused", "finished", "advisor" (the seat is
// played by its policy).
std::string seat_phase(const view::Snapshot& snap, CountryId seat);

}  // namespace chokepoint::server
