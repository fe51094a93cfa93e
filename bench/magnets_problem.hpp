// The market of BM_ClearMarketBaselineMagnets, the unit in which leverage's cost is reported
// (docs/performance.md): shared by chokepoint_bench and the warm re-solve comparison (bench/warm),
// so that both measure the same unit in their own run.
#pragma once

#include "engine/markets/clearing.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// A representative magnet market of the baseline's countries: every country offers and bids, links open.
inline MarketProblem baseline_magnets_problem(const Scenario& sc) {
    const int C = sc.defs->country_count();
    MarketProblem p;
    p.countries = C;
    p.link_cap.assign(C, C, kUnlimited);
    p.link_cost.assign(C, C, 2000.0);
    p.export_cap.assign(static_cast<size_t>(C), kUnlimited);
    for (CountryId id : sc.defs->country_ids()) {
        const int c = id.value();
        for (int k = 0; k < 4; ++k) p.offers.push_back({id, 1000.0 + 100 * c, 40000.0 + 5000 * k + 300 * c, 0});
        for (int k = 0; k < 12 * 5; ++k) p.bids.push_back({id, 300.0, 30000.0 + 4000 * (k % 12) + 50 * c, 0});
    }
    return p;
}

}  // namespace chokepoint
