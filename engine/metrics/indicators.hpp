// Derived quantities that several parts of the game read: how much a country
// uses, can make, holds. All per year unless the name says per turn.
#pragma once

#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// Capacity after temporary shocks and the production quota, t/yr.
double effective_capacity(const Definitions& d, const State& s, CountryId c, GoodId g);
// Sector demand for a good after thrift, t/yr.
double sector_demand_for(const Definitions& d, const State& s, CountryId c, GoodId g);
// Demand for a good as input to the country's downstream capacity, t/yr.
double feed_demand_for(const Definitions& d, const State& s, CountryId c, GoodId g);
// The input a country's makers lacked last turn, t: for every good made from `g`, its recipe
// share × the smaller of the home sectors' unmet demand for that good and the makers' idle
// capacity (t/turn), less what the country's firms still hold of the input (then it was not the
// input that stopped them). A shortage of an input shows here, not in any sector of its own. 0
// before the first turn.
double input_shortfall(const Definitions& d, const State& s, CountryId c, GoodId g);
// Last turn's shortfall of a good at home, t: its sectors' unmet demand plus input_shortfall.
// What the autopilot's (and util.keep_stockpile's) stockpile release reads; ctx:shortfall.
double home_shortfall(const Definitions& d, const State& s, CountryId c, GoodId g);
// Sector plus feed use, t/yr.
double annual_use(const Definitions& d, const State& s, CountryId c, GoodId g);
// (commercial stock + strategic stockpile) / monthly use; 0 when there is no use.
double months_of_cover(const Definitions& d, const State& s, CountryId c, GoodId g);
// Share of last turn's use that was imported (0..1).
double import_share(const State& s, CountryId c, GoodId g);
// Share of the country's sector demand (all sectors, by tonnes) that is for defense.
double defense_share(const Definitions& d, const State& s, CountryId c);
// Weighted demand for leverage and scores: Σ criticality × value × tonnes.
double weighted_sector_value(const Definitions& d, SectorId sec, double tonnes);

}  // namespace chokepoint
