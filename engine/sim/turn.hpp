// One turn of the game, in DESIGN.md's order: events → negotiation (hook) →
// policy → supply chain stage by stage → accounting → time.
// docs/model.md §Turn.
#pragma once

#include <vector>

#include "engine/markets/supply_chain.hpp"
#include "engine/sim/event_log.hpp"
#include "engine/sim/policy.hpp"
#include "engine/world/scenario.hpp"

namespace chokepoint {

struct TurnOptions {
    bool scheduled_events = true;   // off inside leverage counterfactuals
    bool random_shocks = true;      // off inside leverage counterfactuals
    Cutoff cut;                     // a leverage counterfactual's cutoff
};

// Plays state.turn and advances it. `policies` holds one policy per country
// (null entries play the autopilot). Appends what happened to `log`.
void play_turn(const Definitions& defs, State& state, const std::vector<ScheduledEvent>& events,
               const std::vector<Policy*>& policies, const TurnOptions& options, EventList& log);

// Applies one scheduled event (also used for live injects by a facilitator).
void apply_scheduled_event(const Definitions& defs, State& state, const ScheduledEvent& e, EventList& log);

}  // namespace chokepoint
