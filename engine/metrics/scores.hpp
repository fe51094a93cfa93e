// Country scores each turn: economy, security, influence, and the total with
// the scenario's weights. docs/model.md §Scores.
#pragma once

#include <vector>

#include "engine/metrics/leverage_report.hpp"
#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

struct Score {
    double economy = 0.0;    // 0..1: civilian demand met by value, less costs
    double security = 0.0;   // 0..1: defense demand met and months of cover
    double influence = 0.0;  // 0..1: combined leverage index
    double total = 0.0;      // weighted by the country's score weights
};

// Scores from the turn just played (state.last) and its leverage.
PerCountry<Score> score_turn(const Definitions& defs, const State& state, const LeverageReport& leverage);

}  // namespace chokepoint
