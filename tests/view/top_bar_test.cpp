// Issue 13, trap 5: at text size 2.5 on a 1280x720 projector every control of the top bar is in
// view without scrolling (the bar condenses); at the usual size it keeps its full form on two rows.
// Measured with the window's own font and theme, in an ImGui frame without a window.
#include "view/ui/top_bar.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

#include "engine/scenario/loader.hpp"
#include "view/shell/ui_style.hpp"
#include "view/ui/layout.hpp"

namespace chokepoint::view {
namespace {

class TopBarAt : public ::testing::Test {
protected:
    void TearDown() override {
        if (ImGui::GetCurrentContext()) {
            ImGui::EndFrame();
            ImGui::DestroyContext();
        }
    }
    // A frame at this window size and text size, over the baseline scenario before its first turn.
    void frame(float width, float height, float scale) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;  // no imgui.ini left behind
        io.DisplaySize = ImVec2(width, height);
        io.DeltaTime = 1.0f / 60.0f;
        UiStyle style(find_ui_fonts(default_font_search()));
        DisplaySettings display;
        display.font_scale = scale;
        style.apply(display);
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        ImGui::NewFrame();
        const Scenario sc = load_scenario("config/scenarios/baseline.yaml");
        snap_.defs = sc.defs;
        snap_.state = sc.initial;
        snap_.turn_limit = sc.defs->turns;
        snap_.scenario_path = "config/scenarios/baseline.yaml";
    }
    static int rows_shown(const TopBar& bar) {
        return top_bar_rows(ImGui::GetMainViewport()->Size.y, top_bar_row_metrics(bar));
    }
    Snapshot snap_;
};

TEST_F(TopBarAt, TextSize2_5On1280x720CondensesAndEveryControlIsInView) {
    frame(1280, 720, 2.5f);
    const TopBar full = top_bar_sizes(snap_, TopBarForm::Full);
    EXPECT_GT(flow_rows(top_bar_flow(snap_, full)), rows_shown(full)) << "the full bar would scroll (as it did)";
    const TopBar bar = plan_top_bar(snap_);
    EXPECT_EQ(bar.form, TopBarForm::Condensed);
    EXPECT_LE(flow_rows(top_bar_flow(snap_, bar)), rows_shown(bar));
    EXPECT_GE(rows_shown(bar), 3) << "three rows: the clock and buttons, the turn bar, the scenario and display";
}

TEST_F(TopBarAt, TheUsualTextSizeKeepsTheFullBarOnTwoRows) {
    frame(1280, 720, 1.0f);
    const TopBar bar = plan_top_bar(snap_);
    EXPECT_EQ(bar.form, TopBarForm::Full);
    EXPECT_EQ(flow_rows(top_bar_flow(snap_, bar)), 2);
    // The two rows and their padding fit the height the layout gives the bar: no scrollbar (with
    // the window's padding of 8 px above and below they needed 64 px of 57).
    const TopBarRows m = top_bar_row_metrics(bar);
    const float needed = 2.0f * m.row_height - m.spacing_y + 2.0f * m.padding_y;
    const Layout l = compute_layout(1280, 720, 1.0f, 0.0f);
    EXPECT_LE(needed, l.controls.h) << "rows " << m.row_height << ", padding " << m.padding_y;
}

}  // namespace
}  // namespace chokepoint::view
