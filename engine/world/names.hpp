// The id a record shows for a country or a good ("china", "ndfeb_magnet"): event texts and JSON;
// and the names people read.
#pragma once

#include <optional>
#include <string>

#include "engine/world/definitions.hpp"

namespace chokepoint {

inline const std::string& cid(const Definitions& d, CountryId c) { return d.countries[c].id; }
inline const std::string& gid(const Definitions& d, GoodId g) { return d.goods[g].id; }

// The names people read ("NdFeB magnet", "South Africa"): the scenario's name, its id where the
// scenario gives none. The one rule for a display name: texts, tables and the window all use it
// (the window passes these strings' own characters to ImGui; they live as long as the definitions).
inline const std::string& display_name(const Good& g) {
    return g.name.empty() ? g.id : g.name;
}
inline const std::string& display_name(const CountryDef& c) {
    return c.name.empty() ? c.id : c.name;
}

// The same by id: "?" for a good that is not in the scenario, "all" for no country (every
// destination).
inline std::string good_name(const Definitions& d, GoodId g) {
    return d.has_good(g) ? display_name(d.goods[g]) : std::string("?");
}
inline std::string country_name_or_all(const Definitions& d, std::optional<CountryId> c) {
    return c && d.has_country(*c) ? display_name(d.countries[*c]) : std::string("all");
}

}  // namespace chokepoint
