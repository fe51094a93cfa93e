// The id a record shows for a country or a good ("china", "ndfeb_magnet"): event texts and JSON;
// and the names people read.
#pragma once

#include <optional>
#include <string>

#include "engine/world/definitions.hpp"

namespace chokepoint {

inline const std::string& cid(const Definitions& d, CountryId c) { return d.countries[c].id; }
inline const std::string& gid(const Definitions& d, GoodId g) { return d.goods[g].id; }

// The names people read ("NdFeB magnet", "South Africa"): the id where the scenario gives no
// name, "?" for a good that is not in the scenario, "all" for no country (every destination).
inline std::string good_name(const Definitions& d, GoodId g) {
    if (!d.has_good(g)) return "?";
    return d.goods[g].name.empty() ? d.goods[g].id : d.goods[g].name;
}
inline std::string country_name_or_all(const Definitions& d, std::optional<CountryId> c) {
    if (!c || !d.has_country(*c)) return "all";
    return d.countries[*c].name.empty() ? d.countries[*c].id : d.countries[*c].name;
}

}  // namespace chokepoint
