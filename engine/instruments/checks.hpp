// Checks shared by the instruments' commands (trade.cpp, licensing.cpp, stockpile.cpp,
// investment.cpp): ids exist, partners are others, values are finite and in range.
#pragma once

#include <string>

#include "engine/instruments/commands.hpp"

namespace chokepoint {

CommandResult check_good(const Definitions& d, GoodId g);
// Destination/origin: a country other than oneself, or all.
CommandResult check_partner(const Definitions& d, CountryId self, std::optional<CountryId> other, const char* what);
CommandResult check_finite_range(double v, double lo, double hi, const char* what);
// A country's id, or "all" for none (every country).
std::string country_name(const Definitions& d, std::optional<CountryId> c);

// Calls f(b) for every country b other than self that `dest` names (none: all of them).
template <typename F>
void for_destinations(const Definitions& d, CountryId self, std::optional<CountryId> dest, F f) {
    for (CountryId b : d.country_ids())
        if (b != self && (!dest || *dest == b)) f(b);
}

}  // namespace chokepoint
