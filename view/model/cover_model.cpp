#include "view/model/cover_model.hpp"

#include <algorithm>

#include "engine/metrics/indicators.hpp"

namespace chokepoint::view {

namespace {


}  // namespace

const char* to_string(CoverLevel level) {
    switch (level) {
        case CoverLevel::Normal:
            return "normal";
        case CoverLevel::Low:
            return "low";
        case CoverLevel::Short:
            return "short";
    }
    return "?";
}

double low_cover_below(double usual_months, bool imported) {
    return std::clamp(kLowShareOfUsual * usual_months, imported ? kLowFloorMonths : 0.0, kNeverLowMonths);
}

CoverLevel judge_cover(const CoverFacts& f) {
    if (f.unmet_share > kShortUnmetShare) return CoverLevel::Short;
    return f.months < low_cover_below(f.usual_months, f.imported) ? CoverLevel::Low : CoverLevel::Normal;
}

bool relies_on_imports(const Definitions& d, const State& s, CountryId c, GoodId g) {
    return import_share(s, c, g) >= kImportedShare || effective_capacity(d, s, c, g) < 0.95 * annual_use(d, s, c, g);
}

PerCountry<PerGood<double>> usual_cover(const Snapshot& snap) {
    PerCountry<PerGood<double>> out;
    if (!snap.defs) return out;
    const Definitions& d = *snap.defs;
    const int n = d.country_count(), goods = d.good_count();
    out.assign(n, PerGood<double>(goods, 0.0));
    // The state the game began in; a snapshot without it (none published by a session) is
    // judged against its own state.
    const State& start = snap.start ? *snap.start : snap.state;
    for (CountryId c : d.country_ids()) {
        if (c.index() >= start.countries.size()) break;
        for (GoodId g : d.good_ids()) out[c][g] = months_of_cover(d, start, c, g);
    }
    return out;
}

PerCountry<PerGood<double>> unmet_share(const Snapshot& snap) {
    PerCountry<PerGood<double>> out;
    if (!snap.defs) return out;
    const Definitions& d = *snap.defs;
    const int n = d.country_count(), goods = d.good_count();
    out.assign(n, PerGood<double>(goods, 0.0));
    if (snap.history.empty() || !snap.history.back()) return out;
    const MarketOutcome& o = snap.history.back()->outcome;
    for (CountryId c : d.country_ids()) {
        if (c.value() >= o.demand.rows || c.value() >= o.met.rows) break;
        PerGood<double> demand(goods, 0.0), met(goods, 0.0);
        for (SectorId k : d.sector_ids()) {
            if (k.value() >= o.demand.cols || k.value() >= o.met.cols) break;
            const GoodId g = d.sectors[k].good;
            demand[g] += o.demand(c, k);
            met[g] += o.met(c, k);
        }
        for (GoodId g : d.good_ids())
            if (demand[g] > 0) out[c][g] = std::clamp(1.0 - met[g] / demand[g], 0.0, 1.0);
    }
    return out;
}

}  // namespace chokepoint::view
