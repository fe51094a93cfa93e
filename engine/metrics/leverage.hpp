// Leverage, measured: cutoff damage D(A→B) by counterfactual (the materials
// channel), the market-access channel from bilateral trade exposure, and the
// indices built on them. docs/model.md §Leverage.
#pragma once

#include <vector>

#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

struct LeverageReport {
    Grid<double> materials;                    // [A][B] D(A→B), every good cut, 0..1
    std::vector<Grid<double>> materials_by_good;  // [good][A][B] D(A→B) cutting that good only
    Grid<double> market_access;                // [A][B] M(A→B), 0..1
    Grid<double> combined;                     // [A][B] w_m·D + w_a·M
    std::vector<double> weight;                // w_B: share of world weighted demand
    std::vector<double> index_materials;       // Σ_B w_B·D(A→B)
    std::vector<double> index_market_access;   // Σ_B w_B·M(A→B)
    std::vector<double> index_combined;        // Σ_B w_B·combined(A→B)
    int counterfactual_turns = 0;              // turns simulated to measure it (cost accounting)

    double net(int a, int b) const { return combined(a, b) - combined(b, a); }
    double net_materials(int a, int b) const { return materials(a, b) - materials(b, a); }
};

// Measures leverage from `state` (the world after a turn): a baseline
// counterfactual of horizon_turns with everyone on autopilot and regimes
// frozen, then one counterfactual per cutoff.
LeverageReport measure_leverage(const Definitions& defs, const State& state);

// How many counterfactual runs (each horizon_turns long) measure_leverage
// would make from this state, the baseline included. For cost estimates.
int counterfactuals_needed(const Definitions& defs, const State& state);

// The market-access channel alone (no simulation).
Grid<double> market_access_damage(const Definitions& defs);

}  // namespace chokepoint
