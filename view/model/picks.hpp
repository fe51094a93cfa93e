// The window's country picks at the scenario's edge: a pick made in one game (or none yet) kept
// inside the countries of the game shown. Shared by the panels' combos and the view models.
#pragma once

#include <algorithm>
#include <optional>

#include "engine/world/definitions.hpp"

namespace chokepoint::view {

// A country pick kept in the scenario's range: none or below it the first country, past it the last.
inline CountryId clamp_country(const Definitions& d, std::optional<CountryId> c) {
    return CountryId{std::clamp(c.value_or(CountryId{}).value(), 0, std::max(0, d.country_count() - 1))};
}

}  // namespace chokepoint::view
