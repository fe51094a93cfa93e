// Where the panels go: a fixed layout computed from the window size and the font
// scale, so it fits 1280×720 and scales up to 4K without overlapping. Pure.
#pragma once

namespace chokepoint::view {

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    float right() const { return x + w; }
    float bottom() const { return y + h; }
};

struct Layout {
    Rect controls;  // the top bar
    Rect side;      // the right column: the analysis tabs (and the seat's decisions)
    Rect bottom;    // under the map: event log and script console
    Rect map;       // what is left: the world
};

// `controls_height`: the top bar's height as last drawn (its controls wrap on a narrow window or
// with large text); 0: two rows of text.
Layout compute_layout(float width, float height, float font_scale, float controls_height = 0.0f);

}  // namespace chokepoint::view
