// The layout fits a 1280×720 projector and scales to 4K: nothing overlaps or leaves the window.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

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
// Issue 13, trap 5: projector settings. The documented --font-scale 2 at 1280x720, 2.5 at
// 1920x1080 and a 1024x768 projector keep every part in the window with room for the map and the
// event log; a top bar whose controls wrapped to more rows gets their height (up to 30 %).
TEST(Layout, ProjectorSettingsKeepEveryPartUsable) {
    expect_sound(1280, 720, 2.0f);
    expect_sound(1920, 1080, 2.5f);
    expect_sound(1024, 768, 1.0f);
    expect_sound(1024, 768, 1.5f);
    for (const auto& [w, h, k] : {std::tuple{1280.f, 720.f, 2.0f}, std::tuple{1920.f, 1080.f, 2.5f}}) {
        const Layout l = compute_layout(w, h, k);
        EXPECT_LE(l.side.w, 0.5f * w + 0.5f) << "the right column leaves half the window";
        EXPECT_GE(l.bottom.h, std::min(0.45f * (h - l.controls.h), 8.0f * 22.0f * k) - 0.5f) << "room for the log";
    }
}

TEST(Layout, AWrappedTopBarGetsItsRowsUpToThirtyPercent) {
    const Layout two = compute_layout(1280, 720, 1.0f, 60.0f);
    EXPECT_NEAR(two.controls.h, 2.6f * 22.0f, 0.01f) << "two rows as before: the panels stay where they were";
    const Layout three = compute_layout(1280, 720, 1.0f, 95.0f);
    EXPECT_NEAR(three.controls.h, 95.0f, 0.01f);
    EXPECT_NEAR(three.side.y, 95.0f, 0.01f);
    const Layout huge = compute_layout(1280, 720, 2.0f, 600.0f);
    EXPECT_NEAR(huge.controls.h, 0.3f * 720, 0.01f);
    expect_sound(1280, 720, 2.0f);
}

// The top bar's controls flow like words: a row ends where the next control would pass the edge,
// and each group starts a row of its own.
TEST(Layout, TopBarControlsFlowIntoRowsAtTheRightEdge) {
    EXPECT_EQ(flow_rows({100, 10, {{40, 40}}}), 1) << "40 + 10 + 40 = 90 fits in 100";
    EXPECT_EQ(flow_rows({100, 10, {{45, 45}}}), 1) << "ends exactly at the edge";
    EXPECT_EQ(flow_rows({100, 10, {{45, 46}}}), 2);
    EXPECT_EQ(flow_rows({100, 10, {{45, 46, 40, 40}}}), 3) << "a second row wraps like the first";
    EXPECT_EQ(flow_rows({100, 10, {{150, 20}}}), 2) << "a control wider than the bar takes a row of its own";
    EXPECT_EQ(flow_rows({100, 10, {{20}, {20}}}), 2) << "the second group starts a row";
    EXPECT_EQ(flow_rows({100, 10, {{}, {20}}}), 1) << "an empty group takes no row";
}

TEST(Layout, TheTopBarCondensesWhenItsControlsWouldScroll) {
    // 720 px: the bar has up to 216 px. Three rows 64 px apart take 3 × 64 − 10 = 182 px of
    // controls: with 10 px of padding above and below they fit (202), with 20 px not (222).
    EXPECT_EQ(top_bar_rows(720, {64, 10, 10}), 3);
    EXPECT_EQ(top_bar_rows(720, {64, 10, 20}), 2);
    const TopBarFlow two_rows{1000, 10, {{500, 480}, {300}}};
    const TopBarFlow three_rows{1000, 10, {{500, 500}, {300}}};
    EXPECT_EQ(choose_top_bar_form(two_rows, 720, {64, 10, 20}), TopBarForm::Full);
    EXPECT_EQ(choose_top_bar_form(three_rows, 720, {64, 10, 20}), TopBarForm::Condensed);
    EXPECT_EQ(choose_top_bar_form(three_rows, 1080, {64, 10, 20}), TopBarForm::Full) << "a taller window has room";
}

}  // namespace chokepoint::view

namespace chokepoint::view {
namespace {

// The map's legend shows where it leaves most of the map in view: at 1280x720 with the usual text
// size, not at text size 3 (where it would cover the map and the map's own buttons).
TEST(Layout, TheLegendFitsTheMapAtTheUsualTextSizeOnly) {
    EXPECT_TRUE(legend_fits(compute_layout(1280, 720, 1.0f), 1.0f));
    EXPECT_TRUE(legend_fits(compute_layout(1920, 1080, 1.5f), 1.5f));
    EXPECT_FALSE(legend_fits(compute_layout(1280, 720, 3.0f), 3.0f));
    EXPECT_FALSE(legend_fits(compute_layout(1024, 768, 2.5f), 2.5f));
}

}  // namespace
}  // namespace chokepoint::view
