// Colours that mean the same everywhere: one per good, one per country, and a
// diverging scale for the net-leverage heat map. The default palette is
// Okabe & Ito's (2008) colour-blind-safe set; the high-contrast theme swaps
// the backgrounds, not the meaning of colours. Pure functions, no ImGui.
#pragma once

#include <cstdint>

#include "engine/world/ids.hpp"

namespace chokepoint::view {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

// Okabe–Ito: orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, grey.
inline constexpr Rgb kOkabeIto[8] = {{230, 159, 0},  {86, 180, 233}, {0, 158, 115},  {240, 228, 66},
                                     {0, 114, 178},  {213, 94, 0},   {204, 121, 167}, {153, 153, 153}};

// A good's colour (stable by index).
Rgb good_colour(GoodId good, bool colour_blind_safe = true);
// A country's colour for line charts: 8 Okabe–Ito hues, then the same hues darker.
Rgb country_colour(CountryId country, bool colour_blind_safe = true);
// Net leverage −1..1 → blue (the column holds leverage) … neutral … vermillion (the row holds it).
Rgb diverging(double value, double span);
// Black or white text, whichever reads better on `background`.
Rgb text_on(Rgb background);

}  // namespace chokepoint::view
