// Small charts drawn with ImGui's draw list (Debian's ImGui 1.86 has no plotting
// library): line charts over turns, a heat map with values, horizontal bars.
// Each takes its data by value or reference and keeps no state of its own.
#pragma once

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

// Draws the chart; returns the index under the mouse (for the caller's tooltip), if any.
std::optional<int> line_chart(const char* id, const std::vector<Series>& series, const ChartOptions& o);

// A labelled matrix of values with a diverging colour per cell and the value written in it.
// Returns the cell clicked this frame (row, column).
std::optional<std::pair<int, int>> heat_map(const char* id, const std::vector<std::string>& labels,
                                            const std::vector<std::vector<double>>& values, double span,
                                            const char* format);

struct Bar {
    std::string label;
    double value = 0.0;
    Rgb colour;
    std::string text;  // written after the bar (default: the value)
};
// Horizontal bars scaled to the largest |value| (or `max` when given).
void bar_chart(const char* id, const std::vector<Bar>& bars, std::optional<double> max = std::nullopt);

}  // namespace chokepoint::view
