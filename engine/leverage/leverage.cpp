#include "engine/leverage/leverage.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "engine/markets/clearing.hpp"
#include "engine/metrics/indicators.hpp"
#include "engine/sim/projection.hpp"

namespace chokepoint {

namespace {

struct Projection {
    PerCountry<double> unmet;    // Σ over the horizon of weighted unmet demand
    PerCountry<double> demand;   // Σ of weighted demand
    PerGood<CountryMatrix<>> shipped;  // per good: [A][B] t shipped over the horizon
};

// Runs the horizon from a copy of `start` with every country on autopilot,
// no scheduled events or random shocks, and an optional cutoff.
// Where the runs start: the state measured and, when they share it, its first turn decided up to the
// markets (decided_first_turn).
struct RunStart {
    const State& state;
    const State* decided = nullptr;
};

Projection run_horizon(const Definitions& d, const RunStart& start, const Cutoff& cut, bool want_flows,
                       MarketReuse* store_first_turn = nullptr) {
    if (store_first_turn) store_first_turn->set_storing(true);
    State s = start.decided ? *start.decided : start.state;
    const int C = d.country_count();
    Projection p;
    p.unmet.assign(C, 0.0);
    p.demand.assign(C, 0.0);
    if (want_flows) p.shipped.assign(d.good_count(), CountryMatrix<>(C, C, 0.0));
    (start.decided ? project_decided : project)(
        d, s, d.leverage.horizon_turns, cut,
        [&](const State& now) {
            if (store_first_turn) store_first_turn->set_storing(false);
            const MarketOutcome& o = now.last;
            for (CountryId c : d.country_ids())
                for (SectorId k : d.sector_ids()) {
                    p.demand[c] += weighted_sector_value(d, k, o.demand(c, k));
                    p.unmet[c] += weighted_sector_value(d, k, std::max(0.0, o.demand(c, k) - o.met(c, k)));
                }
            if (want_flows)
                for (GoodId g : d.good_ids())
                    for (size_t i = 0; i < o.flows[g].cells.size(); ++i)
                        p.shipped[g].cells[i] += o.flows[g].cells[i];
        },
        LastTurn::MarketsOnly);
    return p;
}

// The goods whose cutoff A→B is worth a counterfactual. Only links that carry something in the
// today or the open run can do damage when cut: removing an unused arc leaves the optimum's
// value unchanged, so D is 0 there (up to ties between equally good allocations) and needs no run.
std::vector<GoodId> goods_to_cut(const Definitions& d, const Projection& base, const Projection* open, CountryId a, CountryId b) {
    std::vector<GoodId> goods;
    if (a == b || base.demand[b] <= 0) return goods;
    for (GoodId g : d.good_ids())
        if (base.shipped[g](a, b) > 1e-6 || (open && open->shipped[g](a, b) > 1e-6)) goods.push_back(g);
    return goods;
}

// (U_to − U_from) / W, clamped to 0..1, with W = B's weighted demand in the open run (the today
// run where A does not restrict B): a restriction changes B's demand over the horizon (thrift
// follows prices), and W must not move with it or the potential would.
double damage(const Projection& open, const Projection& from, const Projection& to, CountryId b) {
    if (open.demand[b] <= 0) return 0.0;
    return std::clamp((to.unmet[b] - from.unmet[b]) / open.demand[b], 0.0, 1.0);
}

bool restricts_pair(const Definitions& d, const State& s, CountryId a, CountryId b) {
    for (GoodId g : d.good_ids())
        if (restricts(d, s, a, b, g)) return true;
    return false;
}

// One pair's measurement: its runs (counted), and unless only counting, D's parts in all and per good.
struct PairResult {
    int runs = 0;
    double potential = 0.0, exercised = 0.0, reserve = 0.0;
    PerGood<double> potential_by_good, exercised_by_good, reserve_by_good;
    long market_lookups = 0, market_hits = 0;
};

// Every counterfactual for the pair (a, b) after the today run `base`: the open run where a
// restricts b, the cut of every good, and per good (where more than one carries flow) the cut of
// that good and, where a restricts it, that good as in force. Reads only `base` and `start`, so
// pairs run on any thread in any order.
PairResult measure_pair(const Definitions& d, const RunStart& start, const Projection& base, CountryId a, CountryId b,
                        bool count_only, MarketReuse* reuse) {
    const int G = d.good_count();
    PairResult r;
    // Open run: only where a restricts b; otherwise it equals today.
    const bool restricted = restricts_pair(d, start.state, a, b);
    Projection open_run;
    if (restricted) {
        open_run = run_horizon(d, start, Cutoff::open(a, b), true, reuse);
        ++r.runs;
    }
    const Projection& open = restricted ? open_run : base;
    const std::vector<GoodId> goods = goods_to_cut(d, base, restricted ? &open_run : nullptr, a, b);
    if (goods.empty()) return r;
    const bool per_good = goods.size() > 1;
    int runs = 1;
    if (per_good)
        for (GoodId g : goods) runs += 1 + (restricted && restricts(d, start.state, a, b, g) ? 1 : 0);
    r.runs += runs;
    if (count_only) return r;

    r.potential_by_good.assign(G, 0.0);
    r.exercised_by_good.assign(G, 0.0);
    r.reserve_by_good.assign(G, 0.0);
    const Projection all = run_horizon(d, start, Cutoff::cut(a, b), false, reuse);
    r.potential = damage(open, open, all, b);
    r.exercised = restricted ? damage(open, open, base, b) : 0.0;
    r.reserve = damage(open, base, all, b);
    if (!per_good) {
        r.potential_by_good[goods[0]] = r.potential;
        r.exercised_by_good[goods[0]] = r.exercised;
        r.reserve_by_good[goods[0]] = r.reserve;
        return r;
    }
    // Per good: the potential of each good (cut it, the rest open), and where a restricts that
    // good, its exercised part (that good as in force, the rest open).
    for (GoodId g : goods) {
        const Projection one = run_horizon(d, start, Cutoff::cut_one_open_rest(a, b, g), false, reuse);
        r.potential_by_good[g] = damage(open, open, one, b);
        if (restricted && restricts(d, start.state, a, b, g)) {
            const Projection kept = run_horizon(d, start, Cutoff::open(a, b, g), false, reuse);
            r.exercised_by_good[g] = damage(open, open, kept, b);
            r.reserve_by_good[g] = damage(open, kept, one, b);
        } else {
            r.reserve_by_good[g] = r.potential_by_good[g];
        }
    }
    return r;
}

struct Measured {
    LeverageReport report;
    int runs = 0;
    LeverageCost cost;
};

// The whole measurement; with count_only, only the runs whose flows decide which others are
// needed (today, open) are made, and the rest are counted. The today run comes first, on the
// caller's thread, and keeps its markets; then the pairs, spread over `pool` (null: the caller's
// thread), each reusing the today run's markets where its problem is the same (MarketReuse:
// exact, so the result is the same with or without reuse, on any number of threads).
Measured measure(const Definitions& d, const State& state, bool count_only, WorkerPool* pool, bool reuse_markets) {
    const int C = d.country_count(), G = d.good_count();
    Measured m;
    LeverageReport& r = m.report;
    r.materials = CountryMatrix<>(C, C, 0.0);
    r.materials_exercised = CountryMatrix<>(C, C, 0.0);
    r.materials_reserve = CountryMatrix<>(C, C, 0.0);
    r.materials_by_good.assign(G, CountryMatrix<>(C, C, 0.0));
    r.materials_exercised_by_good.assign(G, CountryMatrix<>(C, C, 0.0));
    r.materials_reserve_by_good.assign(G, CountryMatrix<>(C, C, 0.0));

    // Every run shares the first turn's decisions (they come before the markets, where a cutoff acts).
    const State decided = reuse_markets ? decided_first_turn(d, state) : State{};
    const RunStart start{state, reuse_markets ? &decided : nullptr};
    MarketMemo today_markets;
    Projection base;
    {
        MarketReuse keep(nullptr, reuse_markets ? &today_markets : nullptr);
        base = run_horizon(d, start, Cutoff{}, true);
    }
    m.runs = 1;
    std::vector<std::pair<CountryId, CountryId>> pairs;
    for (CountryId a : d.country_ids())
        for (CountryId b : d.country_ids())
            if (a != b && base.demand[b] > 0) pairs.emplace_back(a, b);
    std::vector<PairResult> results(pairs.size());
    const auto task = [&](std::size_t i) {
        MarketMemo pair_markets;  // the pair's runs share their first turns' markets too
        MarketReuse reuse(reuse_markets ? &today_markets : nullptr, reuse_markets ? &pair_markets : nullptr);
        results[i] = measure_pair(d, start, base, pairs[i].first, pairs[i].second, count_only, &reuse);
        results[i].market_lookups = reuse.lookups();
        results[i].market_hits = reuse.hits();
    };
    if (pool)
        pool->for_each(pairs.size(), task);
    else
        for (std::size_t i = 0; i < pairs.size(); ++i) task(i);

    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto [a, b] = pairs[i];
        const PairResult& p = results[i];
        m.runs += p.runs;
        m.cost.market_lookups += p.market_lookups;
        m.cost.markets_reused += p.market_hits;
        if (p.potential_by_good.empty()) continue;
        r.materials(a, b) = p.potential;
        r.materials_exercised(a, b) = p.exercised;
        r.materials_reserve(a, b) = p.reserve;
        for (GoodId g : d.good_ids()) {
            r.materials_by_good[g](a, b) = p.potential_by_good[g];
            r.materials_exercised_by_good[g](a, b) = p.exercised_by_good[g];
            r.materials_reserve_by_good[g](a, b) = p.reserve_by_good[g];
        }
    }
    r.counterfactual_turns = m.runs * d.leverage.horizon_turns;
    m.cost.runs = m.runs;
    m.cost.turns = r.counterfactual_turns;
    m.cost.markets = static_cast<long>(r.counterfactual_turns) * G;
    if (count_only) return m;

    r.market_access = market_access_damage(d);
    r.combined = CountryMatrix<>(C, C, 0.0);
    double world = 0.0;
    for (double w : base.demand) world += w;
    r.weight.assign(C, 0.0);
    for (CountryId b : d.country_ids()) r.weight[b] = world > 0 ? base.demand[b] / world : 0.0;

    const double wm = d.leverage.weight_materials, wa = d.leverage.weight_market_access;
    const double wsum = wm + wa > 0 ? wm + wa : 1.0;
    r.index_materials.assign(C, 0.0);
    r.index_exercised.assign(C, 0.0);
    r.index_reserve.assign(C, 0.0);
    r.index_market_access.assign(C, 0.0);
    r.index_combined.assign(C, 0.0);
    for (CountryId a : d.country_ids())
        for (CountryId b : d.country_ids()) {
            if (a == b) continue;
            r.combined(a, b) = (wm * r.materials(a, b) + wa * r.market_access(a, b)) / wsum;
            r.index_materials[a] += r.weight[b] * r.materials(a, b);
            r.index_exercised[a] += r.weight[b] * r.materials_exercised(a, b);
            r.index_reserve[a] += r.weight[b] * r.materials_reserve(a, b);
            r.index_market_access[a] += r.weight[b] * r.market_access(a, b);
            r.index_combined[a] += r.weight[b] * r.combined(a, b);
        }
    return m;
}

}  // namespace

bool restricts(const Definitions& d, const State& s, CountryId a, CountryId b, GoodId g) {
    if (a == b) return false;
    const auto& rule = s.rule(a, g, b);
    const auto& ca = s.countries[a];
    const bool restricted = rule.regime != Regime::Open || rule.duty > 0 || std::isfinite(ca.export_quota[g]);
    if (!restricted) return false;
    return effective_capacity(d, s, a, g) > 0 || ca.stock[g] > 0 || ca.stockpile[g] > 0;
}

CountryMatrix<> market_access_damage(const Definitions& d) {
    const int C = d.country_count();
    CountryMatrix<> m(C, C, 0.0);
    const double lost_share = 1.0 - std::pow(1.0 + d.leverage.max_tariff, -d.leverage.import_elasticity);
    for (CountryId b : d.country_ids()) {
        const auto& exports = d.countries[b].exports_to;
        double total = 0.0;
        for (double x : exports) total += x;
        if (total <= 0) continue;
        for (CountryId a : d.country_ids())
            if (a != b && !d.countries[a].bloc && a.index() < exports.size()) m(a, b) = std::clamp(exports[a] * lost_share / total, 0.0, 1.0);
    }
    return m;
}

int counterfactuals_needed(const Definitions& d, const State& state) {
    return measure(d, state, true, nullptr, true).runs;
}

LeverageReport measure_leverage(const Definitions& d, const State& state, const LeverageWork& work,
                                LeverageCost* cost) {
    Measured m = measure(d, state, false, work.pool, work.reuse_markets);
    if (cost) *cost = m.cost;
    return std::move(m.report);
}

}  // namespace chokepoint
