#include "engine/sim/forecast.hpp"

#include <algorithm>

#include "engine/diplomacy/agreements.hpp"
#include "engine/diplomacy/clauses.hpp"
#include "engine/metrics/indicators.hpp"
#include "engine/metrics/scores.hpp"
#include "engine/sim/projection.hpp"

namespace chokepoint {

namespace {

struct Path {
    double economy = 0.0, security = 0.0, unmet = 0.0, demand = 0.0, money = 0.0, price = 0.0;
};

Path play(const Definitions& d, State& s, CountryId c, int turns) {
    Path p;
    const auto& cs0 = s.countries[c];
    const double money0 = cs0.treasury + cs0.economy_cash;
    const LeverageReport none{};
    project(d, s, turns, Cutoff{}, [&](const State& now) {
        Score sc = score_turn(d, now, none)[c];
        p.economy += sc.economy;
        p.security += sc.security;
        const MarketOutcome& o = now.last;
        for (SectorId k : d.sector_ids()) {
            p.demand += weighted_sector_value(d, k, o.demand(c, k));
            p.unmet += weighted_sector_value(d, k, std::max(0.0, o.demand(c, k) - o.met(c, k)));
        }
        double w = 0.0, sum = 0.0;
        for (GoodId g : d.good_ids()) {
            double use = annual_use(d, now, c, g);
            if (use <= 0) continue;
            sum += use * o.price(c, g) / d.goods[g].reference_price;
            w += use;
        }
        p.price += w > 0 ? sum / w : 0.0;
    });
    const auto& cs1 = s.countries[c];
    p.money = cs1.treasury + cs1.economy_cash - money0;
    return p;
}

}  // namespace

Forecast forecast_proposal(const Definitions& d, const State& s, CountryId c, const Proposal& proposal, int turns) {
    Forecast f;
    f.turns = turns > 0 ? std::min(turns, 12) : d.negotiation.forecast_turns;
    if (auto why = proposal_problem(d, s, proposal.from, proposal.to, proposal.clauses, proposal.turns); !why.empty()) {
        f.feasible = false;
        f.reason = why;
        return f;
    }
    State with = s;
    EventList scratch;
    scratch.muted = true;
    Proposal copy = proposal;
    const int id = start_agreement(d, with, copy, scratch).id;
    State after = with, without = s;  // `with` stays as signed: the money below starts from it
    Path a = play(d, after, c, f.turns), b = play(d, without, c, f.turns);
    for (const Agreement& ag : after.agreements)
        if (ag.id == id && ag.status == AgreementStatus::Breached) {
            f.breach_by = ag.ended_by;
            f.breach_reason = ag.end_reason;
        }
    const double n = f.turns;
    f.economy = (a.economy - b.economy) / n;
    f.security = (a.security - b.security) / n;
    // What changes hands when the agreement starts (one-off payments) counts too: each path
    // measures its money from its own start.
    const auto& now = s.countries[c];
    const auto& signed_now = with.countries[c];
    f.money = a.money - b.money + (signed_now.treasury + signed_now.economy_cash) - (now.treasury + now.economy_cash);
    f.unmet = b.demand > 0 ? (a.unmet - b.unmet) / b.demand : 0.0;
    f.price_change = (a.price - b.price) / n;
    // Money on the economy score's scale: against the value of the civilian demand at stake.
    double civilian_value = 0.0;
    for (SectorId k : d.sector_ids())
        if (!d.sectors[k].defense)
            civilian_value += d.sectors[k].value_per_tonne * s.countries[c].sector_demand[k] / d.turns_per_year();
    double money_score = civilian_value > 0 ? f.money / n / civilian_value : 0.0;
    const ScoreWeights& w = d.countries[c].weights;
    double wsum = w.economy + w.security;
    f.gain = wsum > 0 ? (w.economy * (f.economy + money_score) + w.security * f.security) / wsum : 0.0;
    return f;
}

}  // namespace chokepoint
