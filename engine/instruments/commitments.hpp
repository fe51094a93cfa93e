// What the agreements in force commit a country to (docs/model.md §Agreements, binding mode):
// the loosest regime a route must keep, the highest tariff allowed, licences granted under an
// agreement, and the refusals binding mode derives from them. Pure queries on the state, below
// both the instruments (which must respect them) and diplomacy (which makes the agreements).
#pragma once

#include <string>

#include "engine/instruments/commands.hpp"
#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// The regime a route must keep while an active agreement covers it (Open when none):
// agreements with supply, regime-change or license clauses on exporter→dest for the good.
// Used by binding mode to refuse a tightening and by non-binding mode to detect one.
struct RouteCommitment {
    bool covered = false;
    Regime loosest_allowed = Regime::Embargo;  // the strictest regime the route may have
    int agreement_id = 0;
};
RouteCommitment route_commitment(const State& s, CountryId exporter, GoodId g, CountryId dest);
// The highest tariff importer may set on good from origin while agreements stand (kUnlimited when none).
double tariff_commitment(const State& s, CountryId importer, GoodId g, CountryId origin, int* agreement_id);
// Whether a license was granted by an active agreement.
int license_agreement(const State& s, int license_id);

// Binding mode: why a command would break an agreement in force ("" when it would not):
// tightening a covered route for a specific destination, raising a capped tariff for a specific
// origin, revoking an agreement's license.
std::string agreement_lock(const Definitions& d, const State& s, CountryId self, const Command& c);
// For "all"-destination regime and all-origin tariff commands: whether one route is held by an agreement.
bool route_locked(const Definitions& d, const State& s, CountryId exporter, GoodId g, CountryId dest, Regime r);
bool tariff_locked(const Definitions& d, const State& s, CountryId importer, GoodId g, CountryId origin, double rate);

}  // namespace chokepoint
