// Phase 1, events: scheduled events and a facilitator's injects, and random shocks.
// docs/model.md §Turn, docs/scenario-format.md §events.
#pragma once

#include "engine/world/definitions.hpp"
#include "engine/world/event_log.hpp"
#include "engine/world/scenario.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// Applies one scheduled event (also used for live injects by a facilitator).
void apply_scheduled_event(const Definitions& defs, State& state, const ScheduledEvent& e, EventList& log);
// Draws the scenario's random shocks for this turn (capacity outages).
void random_shocks(const Definitions& d, State& s, EventList& log);

}  // namespace chokepoint
