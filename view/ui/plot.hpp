// Small charts drawn with ImGui's draw list (Debian's ImGui 1.86 has no plotting
// library): line charts over turns, a heat map with values, horizontal bars.
// Each takes its data by value or reference and keeps no state of its own.
#pragma once

#include <cmath>

#include <imgui.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "view/ui/palette.hpp"

namespace chokepoint::view {

struct Series {
    std::string label;
    Rgb colour;
    std::vector<double> values;  // one per turn (x = index); NaN leaves a gap
    bool bold = false;           // the selected country's line
    bool dashed = false;         // a second reading of the same thing (e.g. "outside" prices)
};

struct ChartOptions {
    float height = 180.0f;
    const char* y_format = "%.2f";
    std::optional<double> y_min, y_max;  // fixed range, else from the data
    std::vector<std::string> x_labels;   // one per index (dates); a few are drawn
    bool legend = true;
};

// A value axis with round ticks: [lo, hi] widened to whole steps of 1, 2, 2.5 or 5 × 10^k, about
// `target` intervals, and the decimals that write every tick exactly (0.02, 0.04, 0.06 — never
// 0.07/0.05/0.03/0.02 from rounding uneven ticks).
struct AxisTicks {
    double lo = 0.0, hi = 1.0, step = 0.25;
    int decimals = 2;
    int count() const { return static_cast<int>(std::lround((hi - lo) / step)); }  // intervals
};
AxisTicks nice_ticks(double lo, double hi, int target = 4);

// Draws the chart; returns the index under the mouse (for the caller's tooltip), if any.
std::optional<int> line_chart(const char* id, const std::vector<Series>& series, const ChartOptions& o);

// A square matrix of values with a diverging colour per cell and the value written in it. Rows
// are named in full at the left; columns (the same things in the same order) by short headers,
// staggered on two lines when one is wider than its cell; hovering a header or a cell names them
// in full. Where the panel is narrow, the cells' text shrinks (down to kHeatMapMinTextScale of the
// font) so the whole grid fits; below that it is wider than the panel (see heat_map_size).
inline constexpr float kHeatMapMinTextScale = 0.8f;

struct HeatMap {
    std::vector<std::string> rows;                     // full names
    std::vector<std::string> columns;                  // short headers, in the rows' order
    std::vector<std::vector<double>> values;           // [row][column]; the diagonal is left blank
    double span = 1.0;                                 // |value| at the ends of the colour scale
    double cell_factor = 1.0;                          // a cell writes value × cell_factor ...
    const char* cell_format = "%+.2f";                 // ... in this format ("-0" is written "0")
    const char* tooltip_format = "%s over %s: %+.4f";  // row name, column name, value
};

// The grid's size as heat_map would draw it in the current window: wider than the content region
// when even the smallest text does not fit (the caller then gives it a scrolling child).
ImVec2 heat_map_size(const HeatMap& map);

// Draws it; returns the cell clicked this frame (row, column).
std::optional<std::pair<int, int>> heat_map(const char* id, const HeatMap& map);

struct Bar {
    std::string label;
    double value = 0.0;
    Rgb colour;
    std::string text;  // written after the bar (default: the value)
};
// Horizontal bars scaled to the largest |value| (or `max` when given).
void bar_chart(const char* id, const std::vector<Bar>& bars, std::optional<double> max = std::nullopt);

}  // namespace chokepoint::view
