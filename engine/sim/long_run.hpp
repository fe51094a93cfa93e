// Phase 6, time: projects advance and come online, firms invest where prices pay, expectations,
// thrift and demand move. docs/model.md §Turn, §Firms.
#pragma once

#include "engine/markets/supply_chain.hpp"
#include "engine/world/definitions.hpp"
#include "engine/world/event_log.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// Capex paid, delays drawn, projects online and ramping.
void advance_projects(const Definitions& d, State& s, EventList& log);
// Firms start capacity where prices cover full cost by the threshold (one project per good a turn).
void private_investment(const Definitions& d, State& s, EventList& log);
// Smoothed prices (expectations), thrift and substitution, sector demand growth.
void long_run_responses(const Definitions& d, State& s, const MarketOutcome& out);

}  // namespace chokepoint
