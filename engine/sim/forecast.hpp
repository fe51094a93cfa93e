// The forecast helper: what a proposal would be worth to one of its parties.
// Two short counterfactuals from the current state — with the agreement in
// force from now and without it — everyone on autopilot, regimes frozen, no
// scheduled events or random shocks, common random numbers; the difference in
// the party's score (economy and security, the scenario's weights; influence
// is left out, it would need the leverage counterfactuals) plus the money
// that changes hands. docs/model.md §Forecast.
#pragma once

#include <string>

#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

struct Forecast {
    bool feasible = true;
    std::string reason;        // why the agreement could not start now (feasible = false)
    int turns = 0;             // horizon played
    double gain = 0.0;         // Δ weighted score per turn (economy, security), money included
    double economy = 0.0;      // Δ economy score per turn (0..1 scale)
    double security = 0.0;     // Δ security score per turn
    double money = 0.0;        // Δ (treasury + economy cash) over the horizon, USD
    double unmet = 0.0;        // Δ weighted unmet demand over the horizon, as a share of weighted demand
    double price_change = 0.0; // Δ mean price paid at home over the goods it uses, share of reference
    // The agreement breached within the horizon (a seller that cannot ship what it signed for, a
    // payment it cannot make, ...): by whom and why; kNoCountry when it is kept.
    CountryId breach_by = kNoCountry;
    std::string breach_reason;
};

// `country` is a party of proposal `p` (from or to); turns ≤ 0 uses the scenario's forecast_turns.
Forecast forecast_proposal(const Definitions& d, const State& s, CountryId country, const Proposal& p, int turns = 0);

}  // namespace chokepoint
