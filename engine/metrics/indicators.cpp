#include "engine/metrics/indicators.hpp"

#include <algorithm>

namespace chokepoint {

double effective_capacity(const Definitions& d, const State& s, CountryId c, GoodId g) {
    const auto& cs = s.countries[c];
    double cap = cs.capacity[g];
    for (const auto& shock : s.shocks)
        if (shock.country == c && shock.good == g && s.turn <= shock.until_turn) cap *= shock.factor;
    return std::min(cap, cs.production_quota[g] * d.turns_per_year());
}

double sector_demand_for(const Definitions& d, const State& s, CountryId c, GoodId g) {
    const auto& cs = s.countries[c];
    double sum = 0.0;
    for (SectorId k : d.sector_ids())
        if (d.sectors[k].good == g) sum += cs.sector_demand[k];
    return sum * (1.0 - cs.thrift[g]);
}

double feed_demand_for(const Definitions& d, const State& s, CountryId c, GoodId g) {
    double sum = 0.0;
    for (GoodId h : d.good_ids())
        for (const auto& in : d.goods[h].recipe)
            if (in.good == g) sum += in.tonnes_per_tonne * effective_capacity(d, s, c, h);
    return sum;
}

double input_shortfall(const Definitions& d, const State& s, CountryId c, GoodId g) {
    const MarketOutcome& o = s.last;
    if (o.demand.cells.empty()) return 0.0;
    double lacked = 0.0;
    for (GoodId h : d.good_ids())
        for (const auto& in : d.goods[h].recipe) {
            if (in.good != g) continue;
            double unmet = 0.0;
            for (SectorId k : d.sector_ids())
                if (d.sectors[k].good == h) unmet += std::max(0.0, o.demand(c, k) - o.met(c, k));
            const double idle = std::max(0.0, effective_capacity(d, s, c, h) / d.turns_per_year() - o.produced(c, h));
            lacked += in.tonnes_per_tonne * std::min(unmet, idle);
        }
    // What the firms still hold of the input was not what stopped the lines.
    return std::max(0.0, lacked - s.countries[c].stock[g]);
}

double home_shortfall(const Definitions& d, const State& s, CountryId c, GoodId g) {
    const MarketOutcome& o = s.last;
    if (o.demand.cells.empty()) return 0.0;
    double unmet = input_shortfall(d, s, c, g);
    for (SectorId k : d.sector_ids())
        if (d.sectors[k].good == g) unmet += std::max(0.0, o.demand(c, k) - o.met(c, k));
    return unmet;
}

double annual_use(const Definitions& d, const State& s, CountryId c, GoodId g) {
    return sector_demand_for(d, s, c, g) + feed_demand_for(d, s, c, g);
}

double months_of_cover(const Definitions& d, const State& s, CountryId c, GoodId g) {
    double monthly = annual_use(d, s, c, g) / 12.0;
    if (monthly <= 0) return 0.0;
    const auto& cs = s.countries[c];
    return (cs.stock[g] + cs.stockpile[g]) / monthly;
}

double import_share(const State& s, CountryId c, GoodId g) {
    const auto& o = s.last;
    if (o.imported.cells.empty()) return 0.0;
    double use = o.consumed(c, g) + o.used_as_input(c, g);
    if (use <= 0) return o.imported(c, g) > 0 ? 1.0 : 0.0;
    return std::clamp(o.imported(c, g) / use, 0.0, 1.0);
}

double defense_share(const Definitions& d, const State& s, CountryId c) {
    const auto& cs = s.countries[c];
    double all = 0.0, defense = 0.0;
    for (SectorId k : d.sector_ids()) {
        all += cs.sector_demand[k];
        if (d.sectors[k].defense) defense += cs.sector_demand[k];
    }
    return all > 0 ? defense / all : 0.0;
}

double weighted_sector_value(const Definitions& d, SectorId sec, double tonnes) {
    const auto& s = d.sectors[sec];
    return s.criticality * s.value_per_tonne * tonnes;
}

}  // namespace chokepoint
