// Projection: play N turns from a copy of a state with every country on autopilot, no scheduled
// events, random shocks or negotiation, and the leverage counterfactual's options (a cutoff,
// recorded licensing practice). The leverage measurement and the forecast helper both look ahead
// this way; docs/model.md §Leverage and §Forecasts.
#pragma once

#include <functional>

#include "engine/sim/turn.hpp"

namespace chokepoint {

// What a projection's caller reads after the last turn.
enum class LastTurn {
    Whole,        // the whole state (the forecast scores it)
    MarketsOnly,  // only `last`, the markets' outcome: the turn stops after the markets (leverage)
};

// Plays `turns` turns on `s` in place (pass a copy), calling `after_turn(s)` after each; `s.last`
// is then the turn's market outcome. Events are muted and discarded.
void project(const Definitions& d, State& s, int turns, const Cutoff& cut,
             const std::function<void(const State&)>& after_turn, LastTurn last = LastTurn::Whole);

// Every projection from one state plays the same first turn up to its markets (a cutoff acts in
// the markets only). decided_first_turn plays that part once; project_decided then plays a
// projection from (a copy of) its result, the first turn from its markets on. Together they give
// exactly what project gives from the state.
State decided_first_turn(const Definitions& d, const State& start);
void project_decided(const Definitions& d, State& decided, int turns, const Cutoff& cut,
                     const std::function<void(const State&)>& after_turn, LastTurn last = LastTurn::Whole);

}  // namespace chokepoint
