#include "engine/metrics/leverage.hpp"

#include <algorithm>
#include <cmath>

#include "engine/metrics/indicators.hpp"
#include "engine/sim/turn.hpp"

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
Projection project(const Definitions& d, const State& start, const Cutoff& cut, bool want_flows) {
    State s = start;
    const int C = d.country_count();
    Projection p;
    p.unmet.assign(at(C), 0.0);
    p.demand.assign(at(C), 0.0);
    if (want_flows) p.shipped.assign(at(d.good_count()), Grid<double>(C, C, 0.0));
    TurnOptions opt;
    opt.scheduled_events = false;
    opt.random_shocks = false;
    opt.negotiation = false;
    opt.counterfactual = true;
    opt.cut = cut;
    static const std::vector<ScheduledEvent> no_events;
    static const std::vector<Policy*> autopilot_everywhere;
    EventList scratch;
    scratch.muted = true;
    for (int t = 0; t < d.leverage.horizon_turns; ++t) {
        scratch.clear();
        play_turn(d, s, no_events, autopilot_everywhere, opt, scratch);
        const MarketOutcome& o = s.last;
        for (int c = 0; c < C; ++c)
            for (int k = 0; k < d.sector_count(); ++k) {
                p.demand[at(c)] += weighted_sector_value(d, k, o.demand(c, k));
                p.unmet[at(c)] += weighted_sector_value(d, k, std::max(0.0, o.demand(c, k) - o.met(c, k)));
            }
        if (want_flows)
            for (int g = 0; g < d.good_count(); ++g)
                for (size_t i = 0; i < o.flows[at(g)].cells.size(); ++i)
                    p.shipped[at(g)].cells[i] += o.flows[at(g)].cells[i];
    }
    return p;
}

// The goods whose cutoff A→B is worth a counterfactual. Only links that carry something in the
// baseline can do damage when cut: removing an unused arc leaves the optimum's value unchanged,
// so D is 0 there (up to ties between equally good allocations) and needs no run.
std::vector<int> goods_to_cut(const Definitions& d, const Projection& base, int a, int b) {
    std::vector<int> goods;
    if (a == b || base.demand[at(b)] <= 0) return goods;
    for (int g = 0; g < d.good_count(); ++g)
        if (base.shipped[at(g)](a, b) > 1e-6) goods.push_back(g);
    return goods;
}

double damage(const Projection& base, const Projection& cut, int b) {
    if (base.demand[at(b)] <= 0) return 0.0;
    return std::clamp((cut.unmet[at(b)] - base.unmet[at(b)]) / base.demand[at(b)], 0.0, 1.0);
}

}  // namespace

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

int counterfactuals_needed(const Definitions& d, const State& state) {
    const Projection base = project(d, state, Cutoff{}, true);
    int runs = 1;
    for (int a = 0; a < d.country_count(); ++a)
        for (int b = 0; b < d.country_count(); ++b) {
            size_t goods = goods_to_cut(d, base, a, b).size();
            if (goods > 0) runs += 1 + (goods > 1 ? static_cast<int>(goods) : 0);
        }
    return runs;
}

LeverageReport measure_leverage(const Definitions& d, const State& state) {
    const int C = d.country_count(), G = d.good_count();
    LeverageReport r;
    r.materials = Grid<double>(C, C, 0.0);
    r.materials_by_good.assign(at(G), Grid<double>(C, C, 0.0));
    r.market_access = market_access_damage(d);
    r.combined = Grid<double>(C, C, 0.0);

    const Projection base = project(d, state, Cutoff{}, true);
    r.counterfactual_turns = d.leverage.horizon_turns;
    double world = 0.0;
    for (double w : base.demand) world += w;
    r.weight.assign(at(C), 0.0);
    for (int b = 0; b < C; ++b) r.weight[at(b)] = world > 0 ? base.demand[at(b)] / world : 0.0;

    for (int a = 0; a < C; ++a)
        for (int b = 0; b < C; ++b) {
            std::vector<int> goods = goods_to_cut(d, base, a, b);
            if (goods.empty()) continue;
            const Projection all = project(d, state, Cutoff{a, b, -1}, false);
            r.counterfactual_turns += d.leverage.horizon_turns;
            r.materials(a, b) = damage(base, all, b);
            if (goods.size() == 1) {
                r.materials_by_good[at(goods[0])](a, b) = r.materials(a, b);
                continue;
            }
            for (int g : goods) {
                const Projection one = project(d, state, Cutoff{a, b, g}, false);
                r.counterfactual_turns += d.leverage.horizon_turns;
                r.materials_by_good[at(g)](a, b) = damage(base, one, b);
            }
        }

    const double wm = d.leverage.weight_materials, wa = d.leverage.weight_market_access;
    const double wsum = wm + wa > 0 ? wm + wa : 1.0;
    r.index_materials.assign(at(C), 0.0);
    r.index_market_access.assign(at(C), 0.0);
    r.index_combined.assign(at(C), 0.0);
    for (int a = 0; a < C; ++a)
        for (int b = 0; b < C; ++b) {
            if (a == b) continue;
            r.combined(a, b) = (wm * r.materials(a, b) + wa * r.market_access(a, b)) / wsum;
            r.index_materials[at(a)] += r.weight[at(b)] * r.materials(a, b);
            r.index_market_access[at(a)] += r.weight[at(b)] * r.market_access(a, b);
            r.index_combined[at(a)] += r.weight[at(b)] * r.combined(a, b);
        }
    return r;
}

}  // namespace chokepoint
