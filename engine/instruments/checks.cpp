#include "engine/instruments/checks.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chokepoint {

CommandResult check_good(const Definitions& d, GoodId g) {
    if (!d.has_good(g)) return CommandResult::refuse(fmt::format("unknown good {}", g.value()));
    return CommandResult::success();
}

CommandResult check_partner(const Definitions& d, CountryId self, std::optional<CountryId> other, const char* what) {
    if (!other) return CommandResult::success();
    if (!d.has_country(*other)) return CommandResult::refuse(fmt::format("unknown {} {}", what, other->value()));
    if (*other == self) return CommandResult::refuse(fmt::format("{} cannot be the country itself", what));
    return CommandResult::success();
}

CommandResult check_finite_range(double v, double lo, double hi, const char* what) {
    if (!std::isfinite(v) || v < lo || v > hi)
        return CommandResult::refuse(fmt::format("{} must be between {} and {}, got {}", what, lo, hi, v));
    return CommandResult::success();
}

std::string country_name(const Definitions& d, std::optional<CountryId> c) {
    return c ? d.countries[*c].id : std::string("all");
}

}  // namespace chokepoint
