#include "engine/metrics/scores.hpp"

#include <algorithm>

#include "engine/metrics/indicators.hpp"

namespace chokepoint {

namespace {
constexpr double kCoverTargetMonths = 6.0;  // cover that earns the full security credit
}  // namespace

PerCountry<Score> score_turn(const Definitions& d, const State& s, const LeverageReport& lev) {
    const int C = d.country_count();
    const MarketOutcome& o = s.last;
    PerCountry<Score> scores(C);
    for (CountryId c : d.country_ids()) {
        Score& sc = scores[c];
        double civ_demand = 0.0, civ_met = 0.0, def_demand = 0.0, def_met = 0.0;
        for (SectorId k : d.sector_ids()) {
            const Sector& sec = d.sectors[k];
            double dv = sec.value_per_tonne * o.demand(c, k), mv = sec.value_per_tonne * o.met(c, k);
            (sec.defense ? def_demand : civ_demand) += dv;
            (sec.defense ? def_met : civ_met) += mv;
        }
        // Costs the government bears and the environmental cost it weighs, against the value at stake.
        double costs = 0.0;
        for (CashFlow f : {CashFlow::Subsidies, CashFlow::StockpileTrade, CashFlow::StorageCost, CashFlow::Capex})
            costs -= std::min(0.0, o.cash(c, f));
        for (GoodId g : d.good_ids()) costs += d.countries[c].env_weight * o.env_cost(c, g);
        double met_share = civ_demand > 0 ? civ_met / civ_demand : 1.0;
        double cost_share = civ_demand > 0 ? costs / civ_demand : 0.0;
        sc.economy = std::clamp(met_share - cost_share, 0.0, 1.0);

        double cover_credit = 0.0, cover_weight = 0.0;
        for (GoodId g : d.good_ids()) {
            double use = sector_demand_for(d, s, c, g);
            if (use <= 0) continue;
            double w = use * d.goods[g].reference_price;
            cover_credit += w * std::min(1.0, months_of_cover(d, s, c, g) / kCoverTargetMonths);
            cover_weight += w;
        }
        double defense_met = def_demand > 0 ? def_met / def_demand : 1.0;
        double cover = cover_weight > 0 ? cover_credit / cover_weight : 1.0;
        sc.security = std::clamp(0.6 * defense_met + 0.4 * cover, 0.0, 1.0);
        sc.influence = lev.index_combined.empty() ? 0.0 : std::clamp(lev.index_combined[c], 0.0, 1.0);

        const ScoreWeights& w = d.countries[c].weights;
        double wsum = w.economy + w.security + w.influence;
        sc.total = wsum > 0 ? (w.economy * sc.economy + w.security * sc.security + w.influence * sc.influence) / wsum : 0.0;
    }
    return scores;
}

}  // namespace chokepoint
