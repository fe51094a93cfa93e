// The market network of engine/markets/clearing.cpp spelt out arc by arc, with every node and arc
// named by what it is (an offer step, a link a → b leaving a's gate, …), so that the networks of two
// problems (a counterfactual market and the baseline's market of the same turn and good) can be laid
// over each other: the warm re-solve comparison (bench/warm/warm_resolve.cpp) starts a solver on one
// from the other's optimal basis.
//
// The form is the header's (engine/markets/clearing.hpp): origin O (source and sink in one),
// O → sell[a] or pool[q] per offer step (cost ask), buy[b] → O per bid step (cost −wtp), domestic
// sell[a] → buy[a], gate sell[a] → gate[a] for a capped exporter, links from gate[a] (or sell[a]
// when uncapped or bypassed, or the link node where a pool may use the link), pool arcs. Quantities
// are the engine's whole kilograms, costs its grid (2^-k USD/t), so optima are the engine's optima.
#pragma once

#include <algorithm>
#include <cmath>
#include <compare>
#include <limits>
#include <vector>

#include "engine/markets/clearing.hpp"

namespace chokepoint::warm {

enum class NodeKind { Origin, Sell, Buy, Gate, Pool, LinkNode };
struct NodeKey {
    NodeKind kind;
    int i = 0, j = 0;
    auto operator<=>(const NodeKey&) const = default;
};

enum class ArcKind { Offer, Bid, Domestic, Gate, Link, Feed, PoolHome, PoolLink };
struct ArcKey {
    ArcKind kind;
    int i = 0, j = 0;  // the step, country, pool, or (a, b)
    NodeKey tail, head;
    auto operator<=>(const ArcKey&) const = default;
};

inline constexpr long long kUncapped = -1;

struct Arc {
    ArcKey key;
    long long cap_kg = 0;  // kUncapped: none
    double cost = 0;       // grid units (an integer-valued double)
};

struct Network {
    std::vector<Arc> arcs;
    int grid = 20;  // costs are USD/t × 2^grid
};

namespace detail {

inline long long kg_of(double tonnes) {
    if (!(tonnes > 0.0)) return 0;
    return static_cast<long long>(std::min(tonnes * 1000.0, 1e12) + 0.5);
}

// As clearing.cpp's grid_exponent: the finest grid whose sums stay exact for this many nodes.
inline int grid_exponent(double max_abs_cost, int nodes) {
    const double limit = std::ldexp(1.0, 53) / (16.0 * (nodes + 1));
    int k = 20;
    while (k > std::numeric_limits<double>::min_exponent && std::ldexp(max_abs_cost + 1.0, k) > limit) --k;
    return k;
}

}  // namespace detail

// The network the engine builds for `p` (same arcs, caps and grid costs; arc order differs).
inline Network network_of(const MarketProblem& p) {
    using detail::kg_of;
    const int n = p.countries;
    const double inf = std::numeric_limits<double>::infinity();
    const NodeKey origin{NodeKind::Origin};
    const auto sell = [](int a) { return NodeKey{NodeKind::Sell, a}; };
    const auto buy = [](int a) { return NodeKey{NodeKind::Buy, a}; };
    Network net;
    std::vector<double> usd;  // per arc, USD/t before the grid
    const auto add = [&](ArcKind kind, int i, int j, NodeKey tail, NodeKey head, long long cap, double cost) {
        net.arcs.push_back(Arc{ArcKey{kind, i, j, tail, head}, cap, 0.0});
        usd.push_back(cost);
    };
    const bool links = !p.link_cap.empty();
    std::vector<long long> export_kg(static_cast<std::size_t>(n), kUncapped);
    for (int a = 0; a < n; ++a)
        if (!p.export_cap.empty() && p.export_cap[CountryId{a}] != inf) export_kg[static_cast<std::size_t>(a)] = kg_of(p.export_cap[CountryId{a}]);
    const auto capped = [&](int a) { return export_kg[static_cast<std::size_t>(a)] != kUncapped; };
    const auto link_kg = [&](int a, int b) -> long long {
        if (!links || a == b) return 0;
        const double c = p.link_cost.empty() ? 0.0 : p.link_cost(CountryId{a}, CountryId{b});
        if (c == inf) return 0;
        const double cap = p.link_cap(CountryId{a}, CountryId{b});
        return cap == inf ? kUncapped : kg_of(cap);
    };
    const auto link_cost = [&](int a, int b) { return p.link_cost.empty() ? 0.0 : p.link_cost(CountryId{a}, CountryId{b}); };
    // Link nodes: a pool of an uncapped exporter that may serve b over an open link.
    std::vector<std::vector<char>> link_node(static_cast<std::size_t>(n), std::vector<char>(static_cast<std::size_t>(n), 0));
    for (const SupplyPool& pool : p.pools) {
        const int a = pool.country.value();
        if (capped(a) || pool.may_serve.empty()) continue;
        for (int b = 0; b < n; ++b)
            if (b != a && pool.may_serve[CountryId{b}] && link_kg(a, b) != 0) link_node[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] = 1;
    }
    int nodes = 1 + 2 * n + static_cast<int>(p.pools.size());
    for (std::size_t i = 0; i < p.offers.size(); ++i) {
        const OfferStep& s = p.offers[i];
        const NodeKey to = s.pool >= 0 ? NodeKey{NodeKind::Pool, s.pool} : sell(s.country.value());
        if (const long long kg = kg_of(s.tonnes); kg > 0) add(ArcKind::Offer, static_cast<int>(i), 0, origin, to, kg, s.ask);
    }
    for (std::size_t i = 0; i < p.bids.size(); ++i) {
        const BidStep& s = p.bids[i];
        if (const long long kg = kg_of(s.tonnes); kg > 0) add(ArcKind::Bid, static_cast<int>(i), 0, buy(s.country.value()), origin, kg, -s.wtp);
    }
    for (int a = 0; a < n; ++a) {
        add(ArcKind::Domestic, a, 0, sell(a), buy(a), kUncapped, 0.0);
        if (!links) continue;
        const long long gate = export_kg[static_cast<std::size_t>(a)];
        if (capped(a) && gate > 0) {
            add(ArcKind::Gate, a, 0, sell(a), NodeKey{NodeKind::Gate, a}, gate, 0.0);
            ++nodes;
        }
        for (int b = 0; b < n; ++b) {
            const long long kg = link_kg(a, b);
            if (kg == 0) continue;
            const bool bypass = !p.gate_bypass.empty() && p.gate_bypass(CountryId{a}, CountryId{b}) != 0;
            if (link_node[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)]) {
                const NodeKey via{NodeKind::LinkNode, a, b};
                add(ArcKind::Feed, a, b, sell(a), via, kUncapped, 0.0);
                add(ArcKind::Link, a, b, via, buy(b), kg, link_cost(a, b));
                ++nodes;
            } else if (!capped(a) || bypass) {
                add(ArcKind::Link, a, b, sell(a), buy(b), kg, link_cost(a, b));
            } else if (gate > 0) {
                add(ArcKind::Link, a, b, NodeKey{NodeKind::Gate, a}, buy(b), kg, link_cost(a, b));
            }
        }
    }
    for (std::size_t q = 0; q < p.pools.size(); ++q) {
        const SupplyPool& pool = p.pools[q];
        const int a = pool.country.value();
        const NodeKey from{NodeKind::Pool, static_cast<int>(q)};
        add(ArcKind::PoolHome, static_cast<int>(q), a, from, buy(a), kUncapped, 0.0);
        if (pool.may_serve.empty()) continue;
        for (int b = 0; b < n; ++b)
            if (b != a && link_node[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] && pool.may_serve[CountryId{b}])
                add(ArcKind::PoolLink, static_cast<int>(q), b, from, NodeKey{NodeKind::LinkNode, a, b}, kUncapped, 0.0);
    }
    double max_abs = 0.0;
    for (double c : usd) max_abs = std::max(max_abs, std::abs(c));
    net.grid = detail::grid_exponent(max_abs, nodes);
    const double scale = std::ldexp(1.0, net.grid);
    for (std::size_t e = 0; e < usd.size(); ++e) net.arcs[e].cost = std::nearbyint(usd[e] * scale);
    return net;
}

// What the engine reads from a flow: tonnes per offer and bid step, shipped [a][b] (the diagonal:
// domestic sales, a pool's home sales included) — compared between solvers bit for bit.
struct Readout {
    std::vector<long long> offer_kg, bid_kg, flow_kg;
    bool operator==(const Readout&) const = default;
};

inline Readout readout_of(const MarketProblem& p, const Network& net, const std::vector<long long>& flow) {
    const auto n = static_cast<std::size_t>(p.countries);
    Readout r{std::vector<long long>(p.offers.size(), 0), std::vector<long long>(p.bids.size(), 0),
              std::vector<long long>(n * n, 0)};
    for (std::size_t e = 0; e < net.arcs.size(); ++e) {
        const ArcKey& k = net.arcs[e].key;
        const auto i = static_cast<std::size_t>(k.i), j = static_cast<std::size_t>(k.j);
        switch (k.kind) {
            case ArcKind::Offer: r.offer_kg[i] = flow[e]; break;
            case ArcKind::Bid: r.bid_kg[i] = flow[e]; break;
            case ArcKind::Domestic: r.flow_kg[i * n + i] += flow[e]; break;
            case ArcKind::Link: r.flow_kg[i * n + j] += flow[e]; break;
            case ArcKind::PoolHome: r.flow_kg[j * n + j] += flow[e]; break;
            default: break;
        }
    }
    return r;
}

// The engine's solution in the same terms.
inline Readout readout_of(const MarketSolution& s) {
    const auto kg = [](double t) { return std::llround(t * 1000.0); };
    Readout r;
    for (double t : s.offer_filled) r.offer_kg.push_back(kg(t));
    for (double t : s.bid_filled) r.bid_kg.push_back(kg(t));
    for (double t : s.flow.cells) r.flow_kg.push_back(kg(t));
    return r;
}

}  // namespace chokepoint::warm
