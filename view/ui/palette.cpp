#include "view/ui/palette.hpp"

#include <algorithm>
#include <cmath>

namespace chokepoint::view {

namespace {
// A plain palette for those who switch the colour-blind-safe one off (tab10-like).
constexpr Rgb kPlain[8] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},
                           {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127}};
Rgb darker(Rgb c) { return {static_cast<std::uint8_t>(c.r * 0.6), static_cast<std::uint8_t>(c.g * 0.6), static_cast<std::uint8_t>(c.b * 0.6)}; }
}  // namespace

Rgb good_colour(GoodId good, bool safe) {
    const Rgb* p = safe ? kOkabeIto : kPlain;
    return p[static_cast<unsigned>(std::max(0, good.value())) % 8];
}

Rgb country_colour(CountryId country, bool safe) {
    const Rgb* p = safe ? kOkabeIto : kPlain;
    const unsigned i = static_cast<unsigned>(std::max(0, country.value()));
    Rgb c = p[i % 8];
    return (i / 8) % 2 ? darker(c) : c;
}

Rgb diverging(double value, double span) {
    const double t = span > 0 ? std::clamp(value / span, -1.0, 1.0) : 0.0;
    // Blue (0,114,178) ← light grey (235,235,235) → vermillion (213,94,0): both ends Okabe–Ito.
    const Rgb mid{235, 235, 235}, pos{213, 94, 0}, neg{0, 114, 178};
    const Rgb end = t >= 0 ? pos : neg;
    const double a = std::abs(t);
    auto mix = [&](std::uint8_t x, std::uint8_t y) { return static_cast<std::uint8_t>(std::lround(x + (y - x) * a)); };
    return {mix(mid.r, end.r), mix(mid.g, end.g), mix(mid.b, end.b)};
}

Rgb text_on(Rgb bg) {
    const double luminance = 0.2126 * bg.r + 0.7152 * bg.g + 0.0722 * bg.b;
    return luminance > 140 ? Rgb{0, 0, 0} : Rgb{255, 255, 255};
}

}  // namespace chokepoint::view
