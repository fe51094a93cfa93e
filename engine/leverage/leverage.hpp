// Leverage, measured: cutoff damage D(A→B) by counterfactual (the materials
// channel), the market-access channel from bilateral trade exposure, and the
// indices built on them. docs/model.md §Leverage.
#pragma once

#include <vector>

#include "engine/metrics/leverage_report.hpp"
#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// Measures leverage from `state` (the world after a turn): a "today"
// counterfactual of horizon_turns with everyone on autopilot and regimes
// frozen, an "open" one per pair where the exporter restricts the importer,
// then one counterfactual per cutoff.
LeverageReport measure_leverage(const Definitions& defs, const State& state);

// How many counterfactual runs (each horizon_turns long) measure_leverage
// would make from this state, the baseline (today) and open runs included. For
// cost estimates; it runs the today and open runs to find the links that carry flow.
int counterfactuals_needed(const Definitions& defs, const State& state);

// Whether `a` restricts its exports of g to b (a regime other than open, an export duty, or a
// finite export quota) on a good it could supply (capacity, stock or stockpile).
bool restricts(const Definitions& defs, const State& state, int a, int b, int g);

// The market-access channel alone (no simulation).
Grid<double> market_access_damage(const Definitions& defs);

}  // namespace chokepoint
