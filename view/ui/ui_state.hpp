// Everything the panels remember between frames, in explicit structs (no function-local
// statics): what the window, the map and the panels share (selection, team view, display
// settings, status line, requests to the window), and each panel's own state (its filters,
// picks and forms; the human seat's draft decisions). The window owns one UiState; panels
// take it by reference.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/instruments/commands.hpp"

namespace chokepoint::view {

enum class Theme { Dark = 0, Light, HighContrast };

struct DisplaySettings {
    float font_scale = 1.0f;   // projector: 1.5–2.5
    Theme theme = Theme::Dark;
    bool colour_blind_safe = true;  // Okabe–Ito palette (on by default: it costs nothing)
    bool legend = true;  // the map's legend (a button on the map hides and shows it; starts hidden
                         // where it would cover most of a small map)
};

struct EventFilter {
    char text[64] = "";        // substring, case-insensitive
    std::optional<CountryId> country;  // none: any
    bool diplomacy = true, licensing = true, markets = true, policy = true, scripted = true, other = true;
    int last_turns = 0;        // 0: all turns
};

// A human seat's decisions being prepared in the decision panel before "End turn".
struct SeatDraft {
    std::optional<CountryId> seat;  // none: no draft yet
    int turn = -1;
    int stage = -1;  // the negotiation round it is for (-1: the turn's decisions)
    std::vector<Command> commands;
    std::vector<std::string> refused;  // messages from validating each command when added
    bool draft_scroll_to_end = false;  // the draft's box shows its newest line next frame
    // Form fields.
    std::optional<GoodId> good = GoodId{};  // none: all goods (a tariff clause)
    GoodId decision_good{};
    std::optional<CountryId> partner;  // the clause form's other party
    int regime = 0;
    float tonnes = 100.0f, price = 100.0f, rate = 0.1f, share = 0.5f, capex_share = 0.7f;  // the clause form
    // The instruments' own boxes, one per quantity, each labelled with its unit: a quota in t/yr, stockpile
    // tonnes and their price, a subsidy or floor price, new capacity in t/yr.
    float quota_tpy = 1000.0f, stock_tonnes = 100.0f, stock_price = 100.0f, support_price = 100.0f, invest_tpy = 500.0f;
    int turns = 8, clause_type = 0;
    int clause_from_me = 1, max_delay = 1;
    std::optional<CountryId> host;         // a project's host (none: at home)
    std::optional<CountryId> destination;  // a regime's, duty's or tariff's partner (none: all)
    bool civilian_only = true, per_turn = false, lift = false;
    float approve_share = 0.5f;  // licence paperwork: the share of each request approved by "approve share"
    float usd = 10.0f;
    std::vector<Clause> clauses;       // a proposal or counter under construction
    int counter_to = 0;
    char note[128] = "";
};

// The deal screen: a proposal received, sent or drafted, as what each side gives and gets.
struct DealView {
    int proposal_id = 0;  // 0: a draft
    CountryId from = kNoCountry, to = kNoCountry;
    std::vector<Clause> clauses;
    int turns = 1, start = 0;  // duration, and the turn it would start in
    std::string note, status;
    bool answerable = false;  // received by the seat at the desk, pending: accept and reject shown
};

// The facilitator's inject form.
struct InjectForm {
    int kind = 0, sector = 0, regime = 2, turns = 2;
    std::optional<CountryId> country, target;  // none: no country (all, where the event allows it)
    PerGood<char> goods;      // picked (an event per good picked; empty: the first good)
    int at = 0;               // the turn it applies to, 1-based as shown (0 or past: the next turn)
    float value = 0.0f, factor = 0.5f;
    int content_rule = 0, reexport_control = 0;  // licensing_rules: 0 keep, 1 in force, 2 off
    char text[160] = "";
};

// Each panel's own memory between frames (the panel in view/ui/panel_*.cpp of the same name).
struct LeveragePanelState {
    int channel = 0;             // LeverageChannel: 0 combined, 1 materials, 2 market access
    int turn = -1;               // the net matrix's and pair breakdown's turn (-1: the latest)
    CountryId pair_a{0}, pair_b{1};  // the pair breakdown's countries
};

struct MarketsPanelState {
    GoodId good{1};     // the good shown
    std::optional<CountryId> exporter;  // whose inside/outside price gap to show (none: the main restricting exporter)
};

struct LicensingPanelState {
    std::optional<CountryId> exporter;  // the exporter whose queue is listed and whose decisions are charted (none: all)
};

struct ConsolePanelState {
    std::optional<CountryId> country;  // none: every country
    bool errors_only = false;
    int open_turn = -1, open_index = -1;  // the entry whose full message (traceback) is shown
};

struct ControlsPanelState {
    char scenario_field[1024] = "";  // the path field: typed or picked (empty: the loaded one)
    char shots_field[1024] = "";     // the screenshot folder being typed (applied on Enter or Set)
    float seconds_per_turn = 0.5f;
    InjectForm inject;
    char save_as_field[1024] = "";  // the Game file popup: a new file to save the game to
    char open_field[1024] = "";     // and a game file to open
    int open_after = -1;            // turns of it to keep (-1: all: go on where it stopped)
    int branch_after = 1;           // turns of this game a branch keeps
    int class_turns = 0;            // the Class length popup's field (set when it opens)
};

// Open or Branch, asked in the window: the game file to go on with, and after how many of its
// turns (-1: all of them, going on in that file; else a branch into a new file beside it).
struct OpenRequest {
    std::string load;
    int at = -1;
};

// `play --serve`: the seats played by people are played from browsers (docs/facilitation.md "A
// networked class"). The window shows their join codes and never hands its keyboard to a team.
struct JoinSeat {
    std::string seat, name, code, url;  // url: the seat's own link (it joins at once)
    int browsers = 0;                   // open connections
};
struct Serving {
    std::string url;  // the team page's address
    std::function<std::vector<JoinSeat>()> seats;             // codes, links and browsers, now
    std::function<void(const std::string& seat)> new_code;    // kick: its browsers leave, a new code
    std::function<void(const std::string& seat)> add_seat;    // a seat handed to people gets a code
    // The QR code of a text as an OpenGL texture (its id and its size in pixels; 0 when none).
    std::function<std::pair<std::uintptr_t, int>(const std::string& text)> qr_texture;
};

// What the window, the map and the panels share, then each panel's own state.
struct UiState {
    std::shared_ptr<Serving> serving;  // play --serve (null: people play at this keyboard)
    bool join_open = false;            // the join screen over the window
    std::optional<CountryId> selected;  // the selected country (map click, lists)
    std::optional<GoodId> good;    // none: all goods (map flows)
    float map_min_share = 0.02f;   // the map hides flows under this share of the largest of their good
    int map_top_routes = 0;        // > 0: the map shows only this many of the largest flows
    bool map_embargoed = true;     // the map marks embargoed routes
    std::optional<CountryId> team_view;  // hot-seat: hide other countries' private data (none: the facilitator sees all)
    bool hot_seat = true;          // the team view follows the seat whose turn it is
    bool team_view_follows_desk = false;  // set from a seat at the desk (reset once none is)
    // Hot seat: the seat and turn whose team has taken the keyboard on the hand-over screen
    // (until then the screen hides every desk; none yet: no seat, turn -1).
    // The phase counts too: a team's talks and its decisions are each handed over (the two desks
    // have different buttons in the same places).
    std::optional<CountryId> handed_seat;
    int handed_turn = -1;
    bool handed_talks = false;
    bool results_open = true;  // the game-over results screen (reopened from the top bar)
    // Briefings: the seats whose team has read its briefing (shown once, when the seat first
    // decides in this game), and one opened by hand (the seat panel's Briefing button).
    std::vector<CountryId> briefed;
    std::optional<CountryId> briefing;
    std::optional<DealView> deal;  // the deal screen, open over the window
    float controls_height = 0.0f;  // the top bar's content as last drawn (the layout follows it)
    DisplaySettings display;
    // The text-size slider's value while it is dragged: applied when it is let go, so the bar
    // does not change its form (and drop the slider) under the mouse.
    float text_size_edit = 0.0f;
    bool text_size_editing = false;
    std::string scenario_path;       // the scenario "New game" loads (set by the controls)
    int seed = 42;                   // and its seed
    int class_turns = 0;             // the class length set in the window (0: none; New game keeps it)
    // F12 or the Screenshot button: save the next frame as screenshot_dir/chokepoint-T07.png for
    // turn 7 (-2, -3, … when taken again: never overwritten); -1: none asked.
    int screenshot_turn = -1;
    std::string screenshot_dir = ".";
    std::string status;            // a one-line message for the status bar
    bool status_is_error = false;  // drawn in vermillion
    void say(std::string message, bool error = false) {
        status = std::move(message);
        status_is_error = error;
    }
    bool restart_requested = false;  // the controls asked for a new session (scenario_path, seed)
    // A request that would discard the game in progress, waiting on the confirmation screen
    // (New game, Enter in the scenario field, Ctrl+Q, closing the window); quit_confirmed closes it.
    enum class Discard { None, NewGame, Quit, Open };
    OpenRequest open;  // what Discard::Open opens (restart_requested then opens it)
    Discard confirm_discard = Discard::None;
    bool quit_confirmed = false;
    std::string open_tab;            // a side tab to bring to the front on the next frame
    // The debrief report of a game file into an HTML file ("" or why not); from the app, may be null.
    std::function<std::string(const std::string& game_file, const std::string& html)> export_report;
    std::string last_report;         // the report file last written
    LeveragePanelState leverage;
    MarketsPanelState markets;
    LicensingPanelState licensing;
    ConsolePanelState console;
    ControlsPanelState controls;
    EventFilter events;  // the events panel
    SeatDraft draft;     // the seat panel
};

}  // namespace chokepoint::view
