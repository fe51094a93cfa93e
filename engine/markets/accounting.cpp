#include "engine/markets/accounting.hpp"

#include <fmt/format.h>

#include "engine/world/names.hpp"

namespace chokepoint {

void charge_storage(const Definitions& d, State& s, MarketOutcome& out) {
    for (CountryId c : d.country_ids()) {
        auto& cs = s.countries[c];
        double storage = 0.0;
        for (GoodId g : d.good_ids())
            storage += cs.stockpile[g] * d.goods[g].reference_price * d.market.stockpile_storage_rate /
                       d.turns_per_year();
        cs.treasury -= storage;
        s.outside += storage;
        out.cash(c, CashFlow::StorageCost) -= storage;
    }
}

void report_shortages(const Definitions& d, const State& s, const MarketOutcome& out, EventList& log) {
    for (CountryId c : d.country_ids())
        for (SectorId k : d.sector_ids()) {
            double demand = out.demand(c, k);
            if (demand <= 0) continue;
            double unmet = (demand - out.met(c, k)) / demand;
            if (unmet < 0.10) continue;
            log.note(s.turn, "shortage", c, kNoCountry, [&] {
                return EventText{
                    fmt::format("{}: {:.0f}% of {} demand unmet", cid(d, c), unmet * 100, d.sectors[k].id),
                    {{"sector", d.sectors[k].id}, {"unmet_share", unmet}, {"unmet_t", demand - out.met(c, k)}}};
            });
        }
}

}  // namespace chokepoint
