#include "engine/leverage/leverage.hpp"

#include <algorithm>
#include <cmath>

#include "engine/metrics/indicators.hpp"
#include "engine/sim/projection.hpp"

namespace chokepoint {

namespace {

size_t at(int i) { return static_cast<size_t>(i); }

struct Projection {
    std::vector<double> unmet;    // per country: Σ over the horizon of weighted unmet demand
    std::vector<double> demand;   // per country: Σ of weighted demand
    std::vector<Grid<double>> shipped;  // per good: [A][B] t shipped over the horizon
};

// Runs the horizon from a copy of `start` with every country on autopilot,
// no scheduled events or random shocks, and an optional cutoff.
Projection run_horizon(const Definitions& d, const State& start, const Cutoff& cut, bool want_flows) {
    State s = start;
    const int C = d.country_count();
    Projection p;
    p.unmet.assign(at(C), 0.0);
    p.demand.assign(at(C), 0.0);
    if (want_flows) p.shipped.assign(at(d.good_count()), Grid<double>(C, C, 0.0));
    project(d, s, d.leverage.horizon_turns, cut, [&](const State& now) {
        const MarketOutcome& o = now.last;
        for (int c = 0; c < C; ++c)
            for (SectorId k : d.sector_ids()) {
                p.demand[at(c)] += weighted_sector_value(d, k, o.demand(c, k));
                p.unmet[at(c)] += weighted_sector_value(d, k, std::max(0.0, o.demand(c, k) - o.met(c, k)));
            }
        if (want_flows)
            for (int g = 0; g < d.good_count(); ++g)
                for (size_t i = 0; i < o.flows[at(g)].cells.size(); ++i)
                    p.shipped[at(g)].cells[i] += o.flows[at(g)].cells[i];
    });
    return p;
}

// The goods whose cutoff A→B is worth a counterfactual. Only links that carry something in the
// today or the open run can do damage when cut: removing an unused arc leaves the optimum's
// value unchanged, so D is 0 there (up to ties between equally good allocations) and needs no run.
std::vector<int> goods_to_cut(const Definitions& d, const Projection& base, const Projection* open, int a, int b) {
    std::vector<int> goods;
    if (a == b || base.demand[at(b)] <= 0) return goods;
    for (int g = 0; g < d.good_count(); ++g)
        if (base.shipped[at(g)](a, b) > 1e-6 || (open && open->shipped[at(g)](a, b) > 1e-6)) goods.push_back(g);
    return goods;
}

// (U_to − U_from) / W, clamped to 0..1, with W = B's weighted demand in the open run (the today
// run where A does not restrict B): a restriction changes B's demand over the horizon (thrift
// follows prices), and W must not move with it or the potential would.
double damage(const Projection& open, const Projection& from, const Projection& to, int b) {
    if (open.demand[at(b)] <= 0) return 0.0;
    return std::clamp((to.unmet[at(b)] - from.unmet[at(b)]) / open.demand[at(b)], 0.0, 1.0);
}

bool restricts_pair(const Definitions& d, const State& s, int a, int b) {
    for (int g = 0; g < d.good_count(); ++g)
        if (restricts(d, s, a, b, g)) return true;
    return false;
}

struct Measured {
    LeverageReport report;
    int runs = 0;
};

// The whole measurement; with count_only, only the runs whose flows decide which others are
// needed (today, open) are made, and the rest are counted.
Measured measure(const Definitions& d, const State& state, bool count_only) {
    const int C = d.country_count(), G = d.good_count();
    Measured m;
    LeverageReport& r = m.report;
    r.materials = Grid<double>(C, C, 0.0);
    r.materials_exercised = Grid<double>(C, C, 0.0);
    r.materials_reserve = Grid<double>(C, C, 0.0);
    r.materials_by_good.assign(at(G), Grid<double>(C, C, 0.0));
    r.materials_exercised_by_good.assign(at(G), Grid<double>(C, C, 0.0));
    r.materials_reserve_by_good.assign(at(G), Grid<double>(C, C, 0.0));

    const Projection base = run_horizon(d, state, Cutoff{}, true);
    m.runs = 1;
    for (int a = 0; a < C; ++a)
        for (int b = 0; b < C; ++b) {
            if (a == b || base.demand[at(b)] <= 0) continue;
            // Open run: only where a restricts b; otherwise it equals today.
            const bool restricted = restricts_pair(d, state, a, b);
            Projection open_run;
            if (restricted) {
                open_run = run_horizon(d, state, Cutoff::open(a, b), true);
                ++m.runs;
            }
            const Projection& open = restricted ? open_run : base;
            std::vector<int> goods = goods_to_cut(d, base, restricted ? &open_run : nullptr, a, b);
            if (goods.empty()) continue;
            // Per good: the potential of each good (cut it, the rest open), and where a restricts
            // that good, its exercised part (that good as in force, the rest open).
            const bool per_good = goods.size() > 1;
            int runs = 1;
            if (per_good)
                for (int g : goods) runs += 1 + (restricted && restricts(d, state, a, b, g) ? 1 : 0);
            m.runs += runs;
            if (count_only) continue;

            const Projection all = run_horizon(d, state, Cutoff::cut(a, b), false);
            r.materials(a, b) = damage(open, open, all, b);
            r.materials_exercised(a, b) = restricted ? damage(open, open, base, b) : 0.0;
            r.materials_reserve(a, b) = damage(open, base, all, b);
            if (!per_good) {
                r.materials_by_good[at(goods[0])](a, b) = r.materials(a, b);
                r.materials_exercised_by_good[at(goods[0])](a, b) = r.materials_exercised(a, b);
                r.materials_reserve_by_good[at(goods[0])](a, b) = r.materials_reserve(a, b);
                continue;
            }
            for (int g : goods) {
                const Projection one = run_horizon(d, state, Cutoff::cut_one_open_rest(a, b, g), false);
                r.materials_by_good[at(g)](a, b) = damage(open, open, one, b);
                if (restricted && restricts(d, state, a, b, g)) {
                    const Projection kept = run_horizon(d, state, Cutoff::open(a, b, g), false);
                    r.materials_exercised_by_good[at(g)](a, b) = damage(open, open, kept, b);
                    r.materials_reserve_by_good[at(g)](a, b) = damage(open, kept, one, b);
                } else {
                    r.materials_reserve_by_good[at(g)](a, b) = r.materials_by_good[at(g)](a, b);
                }
            }
        }
    r.counterfactual_turns = m.runs * d.leverage.horizon_turns;
    if (count_only) return m;

    r.market_access = market_access_damage(d);
    r.combined = Grid<double>(C, C, 0.0);
    double world = 0.0;
    for (double w : base.demand) world += w;
    r.weight.assign(at(C), 0.0);
    for (int b = 0; b < C; ++b) r.weight[at(b)] = world > 0 ? base.demand[at(b)] / world : 0.0;

    const double wm = d.leverage.weight_materials, wa = d.leverage.weight_market_access;
    const double wsum = wm + wa > 0 ? wm + wa : 1.0;
    r.index_materials.assign(at(C), 0.0);
    r.index_exercised.assign(at(C), 0.0);
    r.index_reserve.assign(at(C), 0.0);
    r.index_market_access.assign(at(C), 0.0);
    r.index_combined.assign(at(C), 0.0);
    for (int a = 0; a < C; ++a)
        for (int b = 0; b < C; ++b) {
            if (a == b) continue;
            r.combined(a, b) = (wm * r.materials(a, b) + wa * r.market_access(a, b)) / wsum;
            r.index_materials[at(a)] += r.weight[at(b)] * r.materials(a, b);
            r.index_exercised[at(a)] += r.weight[at(b)] * r.materials_exercised(a, b);
            r.index_reserve[at(a)] += r.weight[at(b)] * r.materials_reserve(a, b);
            r.index_market_access[at(a)] += r.weight[at(b)] * r.market_access(a, b);
            r.index_combined[at(a)] += r.weight[at(b)] * r.combined(a, b);
        }
    return m;
}

}  // namespace

bool restricts(const Definitions& d, const State& s, int a, int b, int g) {
    if (a == b) return false;
    const auto& rule = s.rule(a, g, b, d.good_count());
    const auto& ca = s.countries[at(a)];
    const bool restricted = rule.regime != Regime::Open || rule.duty > 0 || std::isfinite(ca.export_quota[at(g)]);
    if (!restricted) return false;
    return effective_capacity(d, s, a, g) > 0 || ca.stock[at(g)] > 0 || ca.stockpile[at(g)] > 0;
}

Grid<double> market_access_damage(const Definitions& d) {
    const int C = d.country_count();
    Grid<double> m(C, C, 0.0);
    const double lost_share = 1.0 - std::pow(1.0 + d.leverage.max_tariff, -d.leverage.import_elasticity);
    for (int b = 0; b < C; ++b) {
        const auto& exports = d.countries[at(b)].exports_to;
        double total = 0.0;
        for (double x : exports) total += x;
        if (total <= 0) continue;
        for (int a = 0; a < C; ++a)
            if (a != b && !d.countries[at(a)].bloc && at(a) < exports.size()) m(a, b) = std::clamp(exports[at(a)] * lost_share / total, 0.0, 1.0);
    }
    return m;
}

int counterfactuals_needed(const Definitions& d, const State& state) { return measure(d, state, true).runs; }

LeverageReport measure_leverage(const Definitions& d, const State& state) { return measure(d, state, false).report; }

}  // namespace chokepoint
