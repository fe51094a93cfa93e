// Leverage, measured: cutoff damage D(A→B) by counterfactual (the materials
// channel), the market-access channel from bilateral trade exposure, and the
// indices built on them. docs/model.md §Leverage.
#pragma once

#include <vector>

#include "engine/leverage/worker_pool.hpp"
#include "engine/metrics/leverage_report.hpp"
#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// What one measurement cost (the bench and docs/performance.md read it; never the game).
struct LeverageCost {
    int runs = 0;             // counterfactual runs, the today run included
    int turns = 0;            // turns they played (runs × horizon)
    long markets = 0;         // markets they cleared (turns × goods)
    long market_lookups = 0;  // markets of the pairs' runs looked up in the today run's
    long markets_reused = 0;  // of which found there, i.e. not solved again
};

// Measures leverage from `state` (the world after a turn): a "today"
// counterfactual of horizon_turns with everyone on autopilot and regimes
// frozen, an "open" one per pair where the exporter restricts the importer,
// then one counterfactual per cutoff.
// How the measurement does its work; the report is the same for every choice.
struct LeverageWork {
    WorkerPool* pool = nullptr;  // the pairs' runs spread over it (null: all on the caller's thread)
    bool reuse_markets = true;   // exact reuse of solved markets (off: the reference, for tests)
};

// `cost`, when given, receives what the measurement cost.
LeverageReport measure_leverage(const Definitions& defs, const State& state, const LeverageWork& work = {},
                                LeverageCost* cost = nullptr);

// How many counterfactual runs (each horizon_turns long) measure_leverage
// would make from this state, the baseline (today) and open runs included. For
// cost estimates; it runs the today and open runs to find the links that carry flow.
int counterfactuals_needed(const Definitions& defs, const State& state);

// Whether `a` restricts its exports of g to b (a regime other than open, an export duty, or a
// finite export quota) on a good it could supply (capacity, stock or stockpile).
bool restricts(const Definitions& defs, const State& state, CountryId a, CountryId b, GoodId g);

// The market-access channel alone (no simulation).
CountryMatrix<> market_access_damage(const Definitions& defs);

}  // namespace chokepoint
