// Where the panels sit in the window: the controls bar, the right column of tabs (the seat's
// decisions when a person is to play, then the analysis), the log strip under the map. Fixed
// ImGui windows at the computed layout (view/ui/layout.hpp).
//
// Their backgrounds are drawn by SFML as opaque unblended quads before ImGui draws on top.
// ImGui fills a window's background with a blended, textured quad; under Xvfb's software
// renderer those fills were most of the frame (1080p: 15 -> 9 ms per frame, docs/performance.md).
#pragma once

#include <SFML/Graphics/Color.hpp>
#include <SFML/Graphics/RenderTarget.hpp>
#include <utility>
#include <vector>

#include "view/ui/layout.hpp"
#include "view/ui/panels.hpp"

namespace chokepoint::view {

// The window's clear colour: the panels' backdrops are mixed over it.
inline const sf::Color kClearColour(14, 30, 58);

class PanelFrame {
public:
    // Builds this frame's panels (between ImGui::NewFrame and ImGui::Render).
    void build(PanelContext& p, const Layout& layout);
    // The panels' backgrounds, before the map and the panels are drawn.
    void draw_backdrops(sf::RenderTarget& target) const;

private:
    void begin_fixed(const char* name, const Rect& r);
    void side_column(PanelContext& p, const Rect& r);
    void map_overlay(PanelContext& p, const Rect& r);
    void bottom_strip(PanelContext& p, const Rect& r);

    std::vector<std::pair<Rect, sf::Color>> backdrops_;
    std::string seat_at_desk_;  // seat/turn/talks/round at the desk last frame: the seat tab comes to the front when it changes
};

}  // namespace chokepoint::view
