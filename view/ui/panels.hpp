// The Dear ImGui panels. Each is a function over an explicit context — the
// snapshot it draws, the UI state it may change, the session it sends requests
// to — and keeps nothing of its own between frames. One file per panel
// (view/ui/panel_*.cpp); the data each shows is computed by pure functions in
// view/model/, which tests/view checks without a window.
#pragma once

#include "view/session.hpp"
#include "view/ui/ui_state.hpp"

namespace chokepoint::view {

struct PanelContext {
    const Snapshot& snap;
    UiState& ui;
    Session& session;
};

// Whether the UI may show country c's private data (stocks, stockpile, treasury, paperwork):
// always for the facilitator; in a team view only the team's own country.
inline bool may_see_private(const UiState& ui, CountryId c) { return !ui.team_view || *ui.team_view == c; }

// The seat at the desk: deciding its turn (Snapshot::waiting) or speaking in a negotiation round
// (Snapshot::talking).
struct DeskSeat {
    CountryId seat = kNoCountry;
    int turn = 0;
    bool talks = false;
    int round = 0, rounds = 0;  // talks: the round (0-based) of `rounds`
};
std::optional<DeskSeat> desk_seat(const Snapshot& s);
// play --serve: what a served seat is doing ("deciding", "decisions in", "speaking", "").
std::string served_seat_state(const Snapshot& s, CountryId c);
// play --serve: the join screen over the window (UiState::join_open): per seat its code, its link
// and the link's QR code, with the browsers connected; Close or Escape returns.
void join_screen(PanelContext& p);
// Adds a command to the seat's draft if the engine would accept it now (and, in a negotiation
// round, if it is said there); otherwise the draft shows why not.
void add_to_draft(PanelContext& p, CountryId seat, Command c);
// "Round 2 of 3 · 4:05 left" while the negotiation phase runs ("" otherwise; "paused" when paused).
std::string talks_status(const Snapshot& s);

void leverage_panel(PanelContext& p);    // balance over time, net matrix, breakdown by good and stage
void markets_panel(PanelContext& p);     // prices by good and country, inside vs outside, supply and demand
void inspector_panel(PanelContext& p);   // a country: capacity by stage, projects, stocks and cover, demand met, score
void diplomacy_panel(PanelContext& p);   // proposals, agreements, breaches, trust
void licensing_panel(PanelContext& p);   // queues, approvals and denials, waiting times
void events_panel(PanelContext& p);      // the event log with filters
void console_panel(PanelContext& p);     // Lua errors (file:line) and ctx:log output
void seat_panel(PanelContext& p);        // a human seat's decisions and the advisor's suggestion
// Hot seat, every frame: the team view follows the deciding seat and returns to the facilitator's
// once no seat is deciding, whichever tab is shown.
void sync_team_view(const Snapshot& snap, UiState& ui);
// Hot seat: between two seats' decisions, a screen over the whole window that hides the last
// team's desk and hands over with a deliberate click on a button away from "End turn" (so a
// double click cannot end the next team's turn). Drawn last; true while it is shown.
bool handover_screen(PanelContext& p);
// A team's briefing (view/model/briefing_model) over the window: once for each seat people play,
// when it first decides in the game (after the hand-over screen), and when opened by hand.
void briefing_screen(PanelContext& p);
// The deal screen (UiState::deal) over the window: what each side gives and gets, with accept and
// reject for the seat at the desk; Close or Escape returns. Drawn last; true while it is shown.
bool deal_screen(PanelContext& p);
// At game over: the results (scoreboard, winners, leverage then and now) over the window until
// closed; the top bar's Results button opens it again.
void results_screen(PanelContext& p);
// "Debrief report": the game file's debrief page (chokepoint report) written beside it, GAME-debrief.html.
void debrief_button(PanelContext& p);
// Whether leaving the game now loses something: a turn has been played.
bool game_in_progress(const Snapshot& snap);
// New game or quit: at once when nothing is lost, else through the confirmation screen.
void request_discard(const Snapshot& snap, UiState& ui, UiState::Discard what);
// Branch this game after `turns` turns into a new file beside its game file (through the confirmation).
void request_branch(const Snapshot& snap, UiState& ui, int turns);
// Before New game or quitting discards a game in progress: a screen that says what is lost and
// needs a deliberate click to go on ("Keep playing" is the default, at the window's centre;
// Escape keeps playing). Drawn last; true while it is shown.
bool confirm_discard_screen(PanelContext& p);

}  // namespace chokepoint::view
