// The game window: SFML draws the world, Dear ImGui the panels around it.
// `chokepoint play` calls run_view when the view is built and a display is there.
//
// The Window object is organised like an ImGui backend (view/platform/imgui_impl_sfml.hpp):
// init, then per frame process_event for each event, new_frame (builds the panels), render
// (draws and presents), and shutdown. The parts apart from it live in view/shell/: frame
// timing (frame_stats), "New game" (restart), screenshots, the panels' places and backdrops
// (panel_frame), fonts and theme (ui_style).
#pragma once

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/RenderWindow.hpp>
#include <SFML/Window/Event.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "server/game_server.hpp"
#include "server/seat_access.hpp"
#include "view/map/world_view.hpp"
#include "view/session.hpp"
#include "view/shell/frame_stats.hpp"
#include "view/shell/panel_frame.hpp"
#include "view/shell/restart.hpp"
#include "view/shell/screenshot.hpp"
#include "view/shell/ui_style.hpp"
#include "view/ui/ui_state.hpp"

namespace chokepoint::view {

// play --serve: teams play their seats from browsers (server/, docs/protocol.md).
struct ServeConfig {
    std::string bind = "0.0.0.0";
    int port = 8080;
    std::string tls_cert, tls_key;  // both: HTTPS and WSS
};

struct ViewOptions {
    SessionOptions session;
    std::optional<ServeConfig> serve;  // play --serve
    int frames = 0;            // > 0: exit after this many frames (counted once autoplay is done)
    std::string screenshot;    // save the last frame there (with frames), as PNG
    int autoplay = 0;          // play this many turns at full speed first
    float font_scale = 0.0f;   // 0: from the window size
    std::string theme = "dark";  // dark | light | high-contrast
    std::string font;          // a TTF file instead of DejaVu
    unsigned width = 1280, height = 720;
    bool print_frame_times = false;
    std::string tab;           // the side tab to open first: Leverage, Markets, Country, Diplomacy, Licensing, Seats
    std::string out;           // when the window closes, write the game's CSV/JSON files here (docs/outputs.md)
    std::string shots = ".";   // the folder F12 and the Screenshot button save to
    // Save every game after every turn (docs/game-file.md): into session.save when given, else a
    // new file in games_folder() (view/shell/game_files.hpp); a loaded game goes on in its file.
    bool autosave = true;
    // Writes the debrief report of a game file to an HTML file; "" or why not. Given by the app
    // (the report lives above the view); null: no export button.
    std::function<std::string(const std::string& game_file, const std::string& html)> export_report;
};

// The window's title: the scenario, the turn, who is to play. Window managers show it, and
// scripts (xdotool, the e2e tests) follow the game by it. ASCII apart from country names.
std::string window_title(const Snapshot& s);

class Window {
public:
    // Starts the session (plays `autoplay` turns), opens the window, sets up ImGui and its
    // SFML and OpenGL2 backends. False when an ImGui platform backend is already set.
    bool init(const ViewOptions& options);
    bool is_open() const { return window_.isOpen(); }
    void close() { window_.close(); }
    // Reads the window's events (process_event each); false once the window is closed.
    bool poll_events();
    // One event: to ImGui, then resizing, the map's mouse, and the keys ImGui does not want
    // (Space play/pause, N step, Ctrl+Q quit, F12 screenshot).
    void process_event(const sf::Event& event);
    // Fonts and theme, the title, then builds this frame's panels and the map's model.
    void new_frame();
    // A requested new game, then draws backdrops, map and panels, takes a screenshot if asked
    // and presents. Closes the window after the last of `frames`.
    void render();
    // Whether the next frame would look like the last one: no input, no new snapshot, nothing
    // playing, computing or animating, no text field open (then the loop sleeps instead of
    // drawing). A seat deciding counts as idle: the game waits for people.
    bool idle() const;
    // Shuts ImGui down, lets the session finish its turn, prints where the game stood, writes
    // the outputs (with `out`) and the frame times. Returns the exit code.
    int shutdown();

private:
    ViewOptions options_;
    UiState ui_;
    std::unique_ptr<GameRestart> restart_;
    std::unique_ptr<Session> session_;
    // play --serve: the seats' codes and the server (after the session: it goes first), and the
    // join links' QR codes as textures, by link.
    std::unique_ptr<server::SeatAccess> access_;
    std::unique_ptr<server::GameServer> server_;
    std::map<std::string, sf::Texture> qr_textures_;
    void start_serving();
    server::ServerOptions serve_options(int port) const;
    void serve_ui();              // the join screen's callbacks (ui_.serving)
    void serve_again(int port);   // after New game or Open

    sf::RenderWindow window_;
    std::string title_;
    std::unique_ptr<UiStyle> style_;
    sf::Font label_font_;  // the map's labels: outlives world_
    std::unique_ptr<WorldView> world_;
    PanelFrame panels_;
    std::unique_ptr<Screenshots> screenshots_;
    FrameStats stats_;
    bool autoplay_done_ = false;
    int frames_after_ = 0;  // frames drawn once autoplay was done
    std::string shown_clock_;  // the negotiation clock as last drawn (talks_status)
    // Idling: frames still to draw after the last input or change (ImGui settles hover and
    // layout over a few frames), and the snapshot version last drawn.
    static constexpr int kSettleFrames = 8;
    int settle_frames_ = kSettleFrames;
    std::uint64_t drawn_version_ = 0;
    int exit_code_ = 0;
};

// Opens the window and runs until it is closed (or `frames` are drawn). Returns an exit code.
int run_view(const ViewOptions& options);

}  // namespace chokepoint::view
