// Where the panels go: a fixed layout computed from the window size and the font
// scale, so it fits 1280×720 and scales up to 4K without overlapping. Pure.
#pragma once

#include <vector>

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

// Whether the map's legend (about 13 lines of text) leaves most of the map in view at this window
// and text size: the legend starts hidden where it does not, and hides when a larger text size
// would make it cover the map.
bool legend_fits(const Layout& layout, float font_scale);

// The top bar's share of the window at most (beyond, it would scroll).
inline constexpr float kTopBarShare = 0.3f;

// The top bar's controls flow into rows like words into lines (same_line_or_wrap in
// view/ui/widgets.hpp): a control starts a new row when it would pass the right edge. Each group
// (the game's controls, then the scenario's and the display's) starts on a row of its own.
struct TopBarFlow {
    float bar_width = 0;                     // the width the controls have
    float spacing = 0;                       // between two controls on a row
    std::vector<std::vector<float>> groups;  // each control's width, in the order drawn
};
int flow_rows(const TopBarFlow& flow);

// The top bar's rows: `row_height` apart (a control and the spacing under it, `spacing_y`), with
// `padding_y` above the first and below the last.
struct TopBarRows {
    float row_height = 0, spacing_y = 0, padding_y = 0;
};
// How many rows of controls the top bar shows without scrolling in a window `height` tall.
int top_bar_rows(float height, const TopBarRows& rows);

// The top bar's two forms. Full: every control with its label at its usual width, as at the
// usual text size. Condensed, when the full form would take more rows than the bar shows (a large
// text size on a small window): narrower fields, and the scripts and display settings behind one
// "Display" button, so every control stays in view without scrolling.
enum class TopBarForm { Full, Condensed };
TopBarForm choose_top_bar_form(const TopBarFlow& full, float height, const TopBarRows& rows);

}  // namespace chokepoint::view
