#include "view/model/market_model.hpp"

#include <fmt/format.h>

#include <cmath>

#include "engine/world/names.hpp"

namespace chokepoint::view {

namespace {

constexpr double kUsdPerTonneToPerKg = 1e-3;

// Cumulative exports of a good over the turns played, per country, t.
PerCountry<double> exports_so_far(const Snapshot& snap, GoodId good) {
    PerCountry<double> sum(snap.defs->countries.size(), 0.0);
    for (const auto& r : snap.history)
        for (CountryId c : snap.defs->country_ids()) sum[c] += r->outcome.exported.value_or(c, good);
    return sum;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

}  // namespace

std::string export_restriction(const Definitions& d, const State& s, CountryId e, GoodId good) {
    const int C = d.country_count(), G = d.good_count();
    if (!d.has_country(e) || !d.has_good(good)) return {};
    std::vector<std::string> embargo, licensed, duty;
    if (s.rules.covers(C, G))
        for (CountryId dest : d.country_ids()) {
            if (dest == e) continue;
            const ExportRule& rule = s.rule(e, good, dest);
            const std::string& name = display_name(d.countries[dest]);
            if (rule.regime == Regime::Embargo)
                embargo.push_back(name);
            else if (rule.regime == Regime::Licensed)
                licensed.push_back(name);
            if (rule.duty > 0) duty.push_back(fmt::format("{} {:.0f}%", name, rule.duty * 100));
        }
    // A rule toward every other country reads as one: "licensed: all destinations".
    auto list = [&](const std::vector<std::string>& names) {
        return static_cast<int>(names.size()) == C - 1 && C > 2 ? std::string("all destinations") : join(names, ", ");
    };
    std::vector<std::string> parts;
    if (!embargo.empty()) parts.push_back("embargo: " + list(embargo));
    if (!licensed.empty()) parts.push_back("licensed: " + list(licensed));
    if (!duty.empty()) parts.push_back("duty: " + join(duty, ", "));
    if (e.index() < s.countries.size()) {
        const auto& quota = s.countries[e].export_quota;
        if (good.index() < quota.size() && std::isfinite(quota[good]))
            parts.push_back(fmt::format("export quota {:.0f} t/yr", quota[good] * d.turns_per_year()));
    }
    return join(parts, "; ");
}

std::optional<CountryId> main_exporter(const Snapshot& snap, GoodId good) {
    const Definitions& d = *snap.defs;
    if (!d.has_good(good)) return std::nullopt;
    const PerCountry<double> exported = exports_so_far(snap, good);
    auto capacity = [&](CountryId c) {
        return c.index() < snap.state.countries.size() ? snap.state.countries[c].capacity[good] : 0.0;
    };
    // Larger exports first; capacity decides before anyone has exported (turn 0, or a full embargo).
    auto larger = [&](CountryId x, std::optional<CountryId> y) {
        return !y || exported[x] > exported[*y] || (exported[x] == exported[*y] && capacity(x) > capacity(*y));
    };
    std::optional<CountryId> best, best_restricting;
    for (CountryId c : d.country_ids()) {
        if (exported[c] <= 0 && capacity(c) <= 0) continue;
        if (exported[c] > 0 && larger(c, best)) best = c;
        if (!export_restriction(d, snap.state, c, good).empty() && larger(c, best_restricting)) best_restricting = c;
    }
    return best_restricting ? best_restricting : best;
}

PriceSeries prices(const Snapshot& snap, GoodId good, std::optional<CountryId> exporter) {
    PriceSeries p;
    const Definitions& d = *snap.defs;
    const int C = d.country_count();
    p.good = good;
    for (const auto& c : d.countries) p.countries.push_back(display_name(c));
    if (!d.has_good(good)) return p;
    p.good_name = display_name(d.goods[good]);
    p.reference = d.goods[good].reference_price * kUsdPerTonneToPerKg;
    p.exporter = exporter && d.has_country(*exporter) ? *exporter : main_exporter(snap, good);
    if (p.exporter) {
        p.restriction = export_restriction(d, snap.state, *p.exporter, good);
        p.restricting = !p.restriction.empty();
    }
    p.by_country.assign(C, {});
    for (const auto& rp : snap.history) {
        const MarketOutcome& o = rp->outcome;
        p.dates.push_back(rp->date);
        for (CountryId c : d.country_ids()) p.by_country[c].push_back(o.price.value_or(c, good) * kUsdPerTonneToPerKg);
        if (!p.exporter) continue;
        const CountryId shown = *p.exporter;
        // Outside: what buyers elsewhere paid, weighted by how much each used (sectors and plants),
        // so a small market's spike does not dominate; a plain mean when nobody used any.
        double weighted = 0.0, weight = 0.0, plain = 0.0;
        for (CountryId c : d.country_ids()) {
            if (c == shown) continue;
            const double price = o.price.value_or(c, good) * kUsdPerTonneToPerKg;
            const double use = o.consumed.value_or(c, good) + o.used_as_input.value_or(c, good);
            weighted += price * use;
            weight += use;
            plain += price;
        }
        const double inside = o.price.value_or(shown, good) * kUsdPerTonneToPerKg;
        const double outside = weight > 0 ? weighted / weight : (C > 1 ? plain / (C - 1) : inside);
        p.inside.push_back(inside);
        p.outside.push_back(outside);
        p.gap.push_back(outside - inside);
    }
    return p;
}

SupplyDemand supply_demand(const Snapshot& snap, GoodId good) {
    SupplyDemand s;
    const Definitions& d = *snap.defs;
    s.good = good;
    if (!d.has_good(good)) return s;
    s.good_name = display_name(d.goods[good]);
    const double per_year = d.turns_per_year();
    for (const auto& rp : snap.history) {
        const TurnRecord& r = *rp;
        const MarketOutcome& o = r.outcome;
        s.dates.push_back(r.date);
        double capacity = 0, produced = 0, sector = 0, input = 0, build = 0, demand = 0, met = 0;
        for (CountryId c : d.country_ids()) {
            if (c.index() < r.countries.size()) capacity += r.countries[c].capacity[good];
            produced += o.produced.value_or(c, good);
            sector += o.consumed.value_or(c, good);
            input += o.used_as_input.value_or(c, good);
            build += o.stock_change.value_or(c, good) + o.stockpile_change.value_or(c, good);
            for (SectorId k : d.sector_ids())
                if (d.sectors[k].good == good) {
                    demand += o.demand.value_or(c, k);
                    met += o.met.value_or(c, k);
                }
        }
        s.capacity.push_back(capacity);
        s.produced.push_back(produced * per_year);
        s.sector_use.push_back(sector * per_year);
        s.input_use.push_back(input * per_year);
        s.stock_build.push_back(build * per_year);
        s.demand.push_back(demand * per_year);
        s.met.push_back(met * per_year);
    }
    if (snap.history.empty()) return s;
    const TurnRecord& last = *snap.history.back();
    const MarketOutcome& o = last.outcome;
    for (CountryId c : d.country_ids()) {
        MarketRow row;
        row.country = c;
        row.name = display_name(d.countries[c]);
        if (c.index() < last.countries.size()) row.capacity = last.countries[c].capacity[good];
        row.produced = o.produced.value_or(c, good) * per_year;
        row.imported = o.imported.value_or(c, good) * per_year;
        row.exported = o.exported.value_or(c, good) * per_year;
        row.used = (o.consumed.value_or(c, good) + o.used_as_input.value_or(c, good)) * per_year;
        row.price = o.price.value_or(c, good) * kUsdPerTonneToPerKg;
        s.countries.push_back(row);
    }
    return s;
}

std::string format_tonnes(double t, const char* unit) {
    const std::string u = unit;  // "t", "t/yr": the prefix goes before its t
    const double a = std::abs(t);
    if (!std::isfinite(t)) return "-";
    if (a >= 9.995e5) return fmt::format("{:.2f} M{}", t / 1e6, u);
    if (a >= 9999.5) return fmt::format("{:.1f} k{}", t / 1e3, u);
    if (a >= 999.5) return fmt::format("{:.2f} k{}", t / 1e3, u);
    if (a >= 10) return fmt::format("{:.0f} {}", t, u);
    return fmt::format("{:.1f} {}", t, u);
}

}  // namespace chokepoint::view
