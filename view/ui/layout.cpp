#include "view/ui/layout.hpp"

#include <algorithm>

namespace chokepoint::view {

Layout compute_layout(float width, float height, float scale) {
    Layout l;
    const float line = 22.0f * scale;  // one line of text with spacing
    l.controls = {0, 0, width, std::min(height * 0.2f, 2.6f * line)};
    const float below = l.controls.bottom();
    // The right column takes ~42 % of the width, never narrower than 40 characters.
    const float side_w = std::clamp(width * 0.42f, std::min(width * 0.6f, 40.0f * 9.0f * scale), width * 0.6f);
    l.side = {width - side_w, below, side_w, height - below};
    const float left_w = width - side_w;
    const float bottom_h = std::clamp((height - below) * 0.3f, std::min(height * 0.3f, 6.0f * line), (height - below) * 0.45f);
    l.bottom = {0, height - bottom_h, left_w, bottom_h};
    l.map = {0, below, left_w, height - below - bottom_h};
    return l;
}

}  // namespace chokepoint::view
