// The game window: SFML draws the world, Dear ImGui the panels around it.
// `chokepoint play` calls run_view when the view is built and a display is there.
#pragma once

#include <string>
#include <vector>

#include "view/session.hpp"

namespace chokepoint::view {

struct ViewOptions {
    SessionOptions session;
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
};

// The window's title: the scenario, the turn, who is to play. Window managers show it, and
// scripts (xdotool, the e2e tests) follow the game by it. ASCII apart from country names.
std::string window_title(const Snapshot& s);

// Opens the window and runs until it is closed (or `frames` are drawn). Returns an exit code.
int run_view(const ViewOptions& options);

}  // namespace chokepoint::view
