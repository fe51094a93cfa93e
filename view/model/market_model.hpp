// What the markets panel shows, computed from a snapshot without a window: a
// good's price in every country over time, the gap between inside and outside
// the main exporter when it restricts exports, and world supply and demand.
// Prices in USD/kg (the scenario files' unit); quantities in t/yr at each turn's
// rate, so production sits next to capacity and demand (docs/model.md §Markets).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "view/session.hpp"

namespace chokepoint::view {

// How an exporter restricts a good now (from the snapshot's state): a readable summary such as
// "embargo: South; licensed: East; quota 6000 t/yr", empty when it does not restrict.
std::string export_restriction(const Definitions& d, const State& s, CountryId exporter, GoodId good);

// The exporter whose inside/outside gap the markets panel shows for a good: the largest exporter
// (over the turns played) among those restricting it now, else the largest exporter; none when no
// country has exported the good.
std::optional<CountryId> main_exporter(const Snapshot& snap, GoodId good);

struct PriceSeries {
    GoodId good{};
    std::string good_name;
    std::vector<std::string> dates;               // one per turn played
    PerCountry<std::string> countries;            // names
    PerCountry<std::vector<double>> by_country;   // [country][turn] USD/kg paid by buyers there
    double reference = 0.0;                       // USD/kg, the scenario's calibration anchor

    std::optional<CountryId> exporter;  // whose inside/outside gap this is (none: nobody exports the good)
    bool restricting = false;     // it restricts exports of the good now
    std::string restriction;      // export_restriction()
    std::vector<double> inside;   // [turn] USD/kg paid by buyers in the exporter
    std::vector<double> outside;  // [turn] USD/kg elsewhere, weighted by each country's use that turn
    std::vector<double> gap;      // outside − inside
};

// No `exporter` (or one out of range) picks main_exporter().
PriceSeries prices(const Snapshot& snap, GoodId good, std::optional<CountryId> exporter = std::nullopt);

// One country's side of a good's market in the latest turn.
struct MarketRow {
    CountryId country{};
    std::string name;
    double capacity = 0.0;                  // t/yr nameplate
    double produced = 0.0;                  // t/yr
    double imported = 0.0, exported = 0.0;  // t/yr
    double used = 0.0;                      // t/yr by sectors and downstream plants (private in a team view)
    double price = 0.0;                     // USD/kg
};

struct SupplyDemand {
    GoodId good{};
    std::string good_name;
    std::vector<std::string> dates;
    // World totals per turn, t/yr at that turn's rate. Trade nets out of the world, so
    // produced = sector_use + input_use + stock_build (tests/view/market_model_test).
    std::vector<double> capacity, produced, sector_use, input_use, stock_build;
    std::vector<double> demand, met;   // sector demand for the good and the part met
    std::vector<MarketRow> countries;  // latest turn, every country (empty before the first turn)
};

SupplyDemand supply_demand(const Snapshot& snap, GoodId good);

// Tonnes written short for the panels, with `unit` after the prefix: 850 t, 98.4 kt, 1.25 Mt
// (format_tonnes(98400, "t/yr") == "98.4 kt/yr"). Here because the markets, inspector and
// leverage panels all show quantities and should write them alike.
std::string format_tonnes(double tonnes, const char* unit = "t");

}  // namespace chokepoint::view
