// The id a record shows for a country or a good ("china", "ndfeb_magnet"): event texts and JSON.
#pragma once

#include <string>

#include "engine/world/definitions.hpp"

namespace chokepoint {

inline const std::string& cid(const Definitions& d, CountryId c) { return d.countries[c].id; }
inline const std::string& gid(const Definitions& d, GoodId g) { return d.goods[g].id; }

}  // namespace chokepoint
