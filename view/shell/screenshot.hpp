// Screenshots: F12 and the controls' button ask for one (UiState::screenshot_turn), and
// --screenshot saves the last frame of a --frames run. Taken from the back buffer, before display().
#pragma once

#include <SFML/Graphics/RenderWindow.hpp>
#include <string>

#include "view/ui/ui_state.hpp"

namespace chokepoint::view {

// The window's back buffer as a PNG file; false when it cannot be written.
bool save_png(const sf::RenderWindow& window, const std::string& path);

class Screenshots {
public:
    // final_path: where the last frame goes (empty: nowhere).
    explicit Screenshots(std::string final_path) : final_path_(std::move(final_path)) {}

    // Where a screenshot of turn `turn` goes in `dir`: chokepoint-T07.png for turn 7, or
    // chokepoint-T07-2.png, -3, … when that file exists (a second shot never replaces the first).
    static std::string free_path(const std::string& dir, int turn);
    // Saves the frame when the UI asked for it, or to final_path on the last frame (which wins),
    // and says so in the status line. Returns false when the last frame's file could not be written.
    bool take(const sf::RenderWindow& window, UiState& ui, bool last) const;

private:
    std::string final_path_;
};

}  // namespace chokepoint::view
