// When a country's stock of a good counts as low: one rule for the map's cover rings, the map
// tooltip and the Country tab, so a classroom hears one explanation (docs/facilitation.md
// §Stock cover). Months of cover are engine/metrics/indicators.hpp's (stock + stockpile over
// monthly use, feed included).
//
//   short  more than a tenth of the country's demand for the good went unmet last turn
//          (priced out or not supplied, docs/model.md §Sector demand), whatever it holds;
//   low    under half its usual cover, the cover it held when the game began (never at six
//          months or more); and, for a good it relies on imports for, always under a week.
//
// Working inventories differ by good and country (in the baseline China holds about a month of
// NdPr concentrate, the United States started with seven): measured against its own start, a
// country's ordinary month is normal, and one that has burnt through its stock shows. The week
// catches an importer that never held a buffer (one late shipment away from leaving its users
// short); a country that makes the good itself needs none. The tenth of demand leaves out the single
// price-rationed tranche of sector demand (1/12 unmet once the price passes 1.15 × reference),
// which is no shortage.
#pragma once

#include <vector>

#include "view/session.hpp"

namespace chokepoint::view {

enum class CoverLevel { Normal = 0, Low = 1, Short = 2 };
const char* to_string(CoverLevel level);  // "normal", "low", "short"

inline constexpr double kShortUnmetShare = 0.10;  // of last turn's sector demand for the good
inline constexpr double kLowShareOfUsual = 0.5;   // of the cover held when the game began
inline constexpr double kLowFloorMonths = 0.25;   // about a week: low for an importer whatever is usual
inline constexpr double kNeverLowMonths = 6.0;    // half a year: never low
inline constexpr double kImportedShare = 0.05;    // a good is imported from this share of last turn's use

// What the rule looks at, for one country and good.
struct CoverFacts {
    double months = 0.0;        // months of cover now
    double usual_months = 0.0;  // when the game began
    double unmet_share = 0.0;   // of last turn's sector demand for the good
    bool imported = false;      // relies on imports for it (relies_on_imports)
};

// The cover below which a good is low: half the usual, within [kLowFloorMonths (for an
// imported good; else 0), kNeverLowMonths].
double low_cover_below(double usual_months, bool imported);

// The rule above.
CoverLevel judge_cover(const CoverFacts& facts);

// Relies on imports for the good: at least kImportedShare of last turn's use came from abroad,
// or its capacity (after shocks and quotas) falls 5 % or more short of its use.
bool relies_on_imports(const Definitions& d, const State& s, CountryId country, GoodId good);

// Every country's usual cover of every good, [country][good] (0 for goods it does not use): its
// cover when the game began (Snapshot::start; without it, the snapshot's own state).
PerCountry<PerGood<double>> usual_cover(const Snapshot& snap);

// The share of each country's sector demand for each good left unmet last turn, [country][good];
// 0 before the first turn and for goods no sector demands (concentrates: feed only).
PerCountry<PerGood<double>> unmet_share(const Snapshot& snap);

}  // namespace chokepoint::view
