// Step 2 of a turn, the negotiation protocol: rounds in which each country hears the proposals
// addressed to it (Policy::on_proposal) and answers; the answers and new proposals are commands
// applied together at the end of each round. docs/model.md §Negotiation.
#pragma once

#include <vector>

#include "engine/sim/policy.hpp"

namespace chokepoint {

// `policies[c]` answers for country c (never null here). `forecasts_left` holds each country's
// forecast budget for the turn.
void negotiate(const Definitions& d, State& s, const PerCountry<Policy*>& policies, PerCountry<int>& forecasts_left,
               EventList& log);

}  // namespace chokepoint
