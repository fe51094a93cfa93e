// One turn of the game, in this order: events → negotiation →
// policy → supply chain stage by stage → accounting → time.
// docs/model.md §Turn.
#pragma once

#include <vector>

#include "engine/markets/supply_chain.hpp"
#include "engine/world/event_log.hpp"
#include "engine/sim/policy.hpp"
#include "engine/world/scenario.hpp"

namespace chokepoint {

struct TurnOptions {
    bool scheduled_events = true;   // off inside leverage counterfactuals
    bool random_shocks = true;      // off inside leverage counterfactuals
    bool negotiation = true;        // off inside counterfactuals: agreements in force still execute
    bool counterfactual = false;    // leverage and forecast runs: the autopilot decides licence
                                    // applications with each exporter's recorded practice
    Cutoff cut;                     // a leverage counterfactual's cutoff
    bool markets_only = false;      // stop after the markets: `last` holds their outcome, nothing
                                    // later in the turn runs and the turn does not advance (the
                                    // last turn of a projection whose later phases nobody reads)
};

// Plays state.turn and advances it. `policies` holds one policy per country
// (null entries play the autopilot). Appends what happened to `log`. `carried` are the events
// of the previous turn that came after its policy phase (others' commands, shortages, projects):
// policies hear of them through on_event before this turn's news. Returns the index in `log`
// where this turn's policy phase began (what comes after it is the next turn's `carried`).
size_t play_turn(const Definitions& defs, State& state, const std::vector<ScheduledEvent>& events,
                 const PerCountry<Policy*>& policies, const TurnOptions& options, EventList& log,
                 const std::vector<GameEvent>* carried = nullptr);

// play_turn in its two halves. decide_turn: events, negotiation, policy (commands applied);
// returns what play_turn returns. finish_turn: supply chain (markets), accounting, time. Only
// finish_turn reads options.cut, so every counterfactual from one state shares its first turn's
// decide_turn (engine/sim/projection).
size_t decide_turn(const Definitions& defs, State& state, const std::vector<ScheduledEvent>& events,
                   const PerCountry<Policy*>& policies, const TurnOptions& options, EventList& log,
                   const std::vector<GameEvent>* carried = nullptr);
void finish_turn(const Definitions& defs, State& state, const TurnOptions& options, EventList& log);

// Whether a policy hears of an event through on_event: events about it, and public ones.
bool event_concerns(const GameEvent& e, CountryId country);

}  // namespace chokepoint
