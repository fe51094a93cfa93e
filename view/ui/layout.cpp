#include "view/ui/layout.hpp"

#include <algorithm>

namespace chokepoint::view {

Layout compute_layout(float width, float height, float scale, float controls_height) {
    Layout l;
    const float line = 22.0f * scale;  // one line of text with spacing
    // The top bar: two rows, or what its controls took when they wrapped to more rows (at most
    // 30 % of the height; beyond, it scrolls).
    const float two_rows = 2.6f * line;
    const float bar = controls_height > 1.25f * two_rows ? controls_height : two_rows;
    l.controls = {0, 0, width, std::min(height * kTopBarShare, bar)};
    const float below = l.controls.bottom();
    // The right column takes ~42 % of the width, never narrower than 40 characters, never more
    // than half the window (the map and the event log keep the other half).
    const float side_w = std::clamp(width * 0.42f, std::min(width * 0.5f, 40.0f * 9.0f * scale), width * 0.5f);
    l.side = {width - side_w, below, side_w, height - below};
    const float left_w = width - side_w;
    // The event log: ~30 % of the height, at least 8 lines (its filters and a few rows) as long as
    // the map keeps 55 %.
    const float rest = height - below;
    const float bottom_h = std::clamp(rest * 0.3f, std::min(rest * 0.45f, 8.0f * line), rest * 0.45f);
    l.bottom = {0, height - bottom_h, left_w, bottom_h};
    l.map = {0, below, left_w, height - below - bottom_h};
    return l;
}

bool legend_fits(const Layout& layout, float font_scale) { return layout.map.h >= 13.0f * 17.0f * font_scale * 1.8f; }

int flow_rows(const TopBarFlow& flow) {
    int rows = 0;
    for (const std::vector<float>& group : flow.groups) {
        float x = 0;  // where the row's last control ends; 0: the row is empty
        if (!group.empty()) ++rows;
        for (float w : group) {
            if (x > 0 && x + flow.spacing + w > flow.bar_width) {
                ++rows;
                x = 0;
            }
            x += (x > 0 ? flow.spacing : 0.0f) + w;
        }
    }
    return rows;
}

int top_bar_rows(float height, const TopBarRows& r) {
    if (r.row_height <= 0) return 0;
    // n rows take n × row_height less the spacing under the last, and the padding around them.
    return std::max(0, static_cast<int>((height * kTopBarShare - 2.0f * r.padding_y + r.spacing_y) / r.row_height));
}

TopBarForm choose_top_bar_form(const TopBarFlow& full, float height, const TopBarRows& rows) {
    return flow_rows(full) <= top_bar_rows(height, rows) ? TopBarForm::Full : TopBarForm::Condensed;
}

}  // namespace chokepoint::view
