// After the markets: what a turn costs the countries besides trade, and what it left unmet.
// docs/model.md §Turn (step 5, Accounting) and §Stockpiles and investment.
#pragma once

#include "engine/world/definitions.hpp"
#include "engine/world/event_log.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// Storage of strategic stockpiles: each country pays its stocks' value at the reference price
// times the yearly storage rate, per turn, to the world outside (out.cash StorageCost).
void charge_storage(const Definitions& d, State& s, MarketOutcome& out);

// A "shortage" event for every country and sector with at least 10 % of its demand unmet.
void report_shortages(const Definitions& d, const State& s, const MarketOutcome& out, EventList& log);

}  // namespace chokepoint
