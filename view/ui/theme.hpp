// ImGui themes: dark, light and a high-contrast one for projectors (pure black
// and white, thick borders, yellow focus). Colours of data (goods, countries)
// come from palette.hpp and do not change with the theme.
#pragma once

#include "view/ui/ui_state.hpp"

namespace chokepoint::view {

void apply_theme(Theme theme, float scale);

}  // namespace chokepoint::view
