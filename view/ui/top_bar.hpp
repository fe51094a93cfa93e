// The top bar's form at the window's size and text size, and the widths of its fields: one place
// for both, so the flow model that picks the form (view/ui/layout.hpp) sees the widths the bar is
// drawn with. Measured with the current ImGui font and style (inside a frame).
#pragma once

#include "view/session.hpp"
#include "view/ui/layout.hpp"
#include "view/ui/panels.hpp"

namespace chokepoint::view {

struct TopBar {
    TopBarForm form = TopBarForm::Full;
    float speed = 0;      // the seconds-per-turn slider
    float turn_bar = 0;   // the turn bar (a click sets the class length)
    float status = 0;     // room after the turn bar for what the game is doing ("waiting for ...")
    float scenario = 0;   // the scenario field (its list's arrow apart)
    float seed = 0;       // the seed field
    float padding_y = 0;  // the bar's padding above and below its rows (the rows' spacing)
    bool condensed() const { return form == TopBarForm::Condensed; }
};

// The bar's widths in a form, the controls' widths in the order drawn, its rows' spacing, and the
// form that fits.
TopBar top_bar_sizes(const Snapshot& s, TopBarForm form);
TopBarFlow top_bar_flow(const Snapshot& s, const TopBar& bar);
TopBarRows top_bar_row_metrics(const TopBar& bar);
TopBar plan_top_bar(const Snapshot& s);

// The top bar (view/ui/panel_controls.cpp) in the form planned.
void controls_panel(PanelContext& p, const TopBar& bar);

}  // namespace chokepoint::view
