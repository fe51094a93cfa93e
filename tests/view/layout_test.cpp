// The layout fits a 1280×720 projector and scales to 4K: nothing overlaps or leaves the window.
#include <gtest/gtest.h>

#include "view/ui/layout.hpp"

namespace chokepoint::view {
namespace {

bool inside(const Rect& r, float w, float h) { return r.x >= 0 && r.y >= 0 && r.right() <= w + 0.5f && r.bottom() <= h + 0.5f; }
bool disjoint(const Rect& a, const Rect& b) {
    return a.right() <= b.x + 0.5f || b.right() <= a.x + 0.5f || a.bottom() <= b.y + 0.5f || b.bottom() <= a.y + 0.5f;
}

void expect_sound(float w, float h, float scale) {
    const Layout l = compute_layout(w, h, scale);
    for (const Rect* r : {&l.controls, &l.side, &l.bottom, &l.map}) {
        EXPECT_TRUE(inside(*r, w, h)) << w << "x" << h << " scale " << scale;
        EXPECT_GT(r->w, 0);
        EXPECT_GT(r->h, 0);
    }
    EXPECT_TRUE(disjoint(l.controls, l.side));
    EXPECT_TRUE(disjoint(l.map, l.side));
    EXPECT_TRUE(disjoint(l.map, l.bottom));
    EXPECT_TRUE(disjoint(l.bottom, l.side));
    // The map keeps a usable share of the window.
    EXPECT_GT(l.map.w * l.map.h, 0.2f * w * h) << w << "x" << h << " scale " << scale;
    // Together the parts cover the window.
    const float area = l.controls.w * l.controls.h + l.side.w * l.side.h + l.bottom.w * l.bottom.h + l.map.w * l.map.h;
    EXPECT_NEAR(area, w * h, 0.01f * w * h);
}

TEST(Layout, FitsAProjectorAt1280x720) { expect_sound(1280, 720, 1.0f); }
TEST(Layout, FitsAProjectorWithLargeFonts) { expect_sound(1280, 720, 1.5f); }
TEST(Layout, ScalesUpTo4K) {
    expect_sound(3840, 2160, 2.0f);
    const Layout small = compute_layout(1280, 720, 1.0f), big = compute_layout(3840, 2160, 2.0f);
    EXPECT_NEAR(big.side.w / 3840.0f, small.side.w / 1280.0f, 0.05f);
}

}  // namespace
}  // namespace chokepoint::view
