// Market clearing as a min-cost circulation, docs/model.md §Markets.
//
// The header's source and sink are one node here, the origin O: a zero-cost,
// uncapped source → sink bypass makes them the same node in both the primal
// and the dual, and a circulation needs no supply bookkeeping. Node layout:
// O = 0, sell[a] = 1 + a, buy[a] = 1 + n + a, gate[a] = 1 + 2n + a.
#include "engine/markets/clearing.hpp"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace chokepoint {
namespace {

using Graph = lemon::SmartDigraph;
using Simplex = lemon::NetworkSimplex<Graph, long long, double>;

constexpr double kInf = std::numeric_limits<double>::infinity();
// Larger quantities are clamped so kilogram sums stay far from int64 overflow;
// 1e9 t is thousands of times world output of any rare-earth product.
constexpr double kMaxKg = 1e12;
// Costs are snapped to a grid of 2^-kFinestGrid USD/t (about 1e-6) and held
// as integer-valued doubles. Every potential is then an exact sum: the simplex
// sees no rounding drift (LEMON wants integer data), ties are exact ties, and
// the same input gives bit-identical prices.
constexpr int kFinestGrid = 20;

// NetworkSimplex reads capacities and costs through `map[arc]`; a plain
// vector indexed by arc id avoids LEMON maps observing the graph.
template <typename T>
struct ArcValues {
    const std::vector<T>* values;
    T operator[](Graph::Arc arc) const { return (*values)[static_cast<std::size_t>(Graph::id(arc))]; }
};

[[noreturn]] void reject(const std::string& what) {
    throw std::invalid_argument("clear_market: " + what);
}

long long tonnes_to_kg(double tonnes, const char* what) {
    if (!std::isfinite(tonnes)) reject(std::string(what) + " must be finite");
    if (tonnes <= 0.0) return 0;
    return std::llround(std::min(tonnes * 1000.0, kMaxKg));
}

// A capacity in tonnes, +inf meaning none; `unbounded` is never reached.
long long cap_to_kg(double tonnes, long long unbounded, const char* what) {
    if (std::isnan(tonnes)) reject(std::string(what) + " is NaN");
    if (tonnes == kInf) return unbounded;
    return std::min(tonnes_to_kg(tonnes, what), unbounded);
}

void check_country(int country, int n, const char* what) {
    if (country < 0 || country >= n) reject(std::string(what) + " country out of range");
}

void check_size(std::size_t size, std::size_t expected, const char* what) {
    if (size != 0 && size != expected) reject(std::string(what) + " has the wrong size");
}

// The finest grid whose magnitudes stay exact: potentials and search
// distances stay below ~16 · nodes · max cost, which must stay under 2^53.
int grid_exponent(double max_abs_cost, int nodes) {
    const double limit = std::ldexp(1.0, 53) / (16.0 * (nodes + 1));
    int k = kFinestGrid;
    while (k > std::numeric_limits<double>::min_exponent && std::ldexp(max_abs_cost + 1.0, k) > limit) --k;
    return k;
}

// Arcs with room (or flow) to move one more unit, in compressed rows.
struct ResidualGraph {
    struct Edge {
        int to;
        double weight;  // reduced cost, >= 0
    };
    std::vector<int> start, fill;
    std::vector<Edge> edges;
};

}  // namespace

struct MarketSolver::Impl {
    Graph graph;
    Simplex simplex{graph};  // observes graph: declared after it

    int nodes = 0;
    std::vector<int> tail, head;
    std::vector<long long> cap, flow;
    std::vector<double> cost;  // raw USD/t while building, then grid units

    std::vector<int> offer_arc, bid_arc, domestic_arc, link_arc;  // -1: no arc

    std::vector<double> at, upper, lower, price, label;  // per node, grid units
    std::vector<char> fixed;
    ResidualGraph forward, backward;
    std::vector<std::pair<double, int>> heap;

    int add_arc(int from, int to, long long capacity, double unit_cost) {
        graph.addArc(graph.nodeFromId(from), graph.nodeFromId(to));
        tail.push_back(from);
        head.push_back(to);
        cap.push_back(capacity);
        cost.push_back(unit_cost);
        return static_cast<int>(tail.size()) - 1;
    }

    void build(const MarketProblem& p);
    void build_residual();
    void search(const ResidualGraph& residual);
    void extend_prices(const ResidualGraph& residual, bool backward_search);
    void derive_prices();
    void solve(const MarketProblem& p, MarketSolution& out);
};

void MarketSolver::Impl::build(const MarketProblem& p) {
    const int n = p.countries;
    const auto nn = static_cast<std::size_t>(n) * static_cast<std::size_t>(n);

    graph.clear();
    tail.clear();
    head.clear();
    cap.clear();
    cost.clear();
    nodes = 3 * n + 1;
    graph.reserveNode(nodes);
    graph.reserveArc(static_cast<int>(p.offers.size() + p.bids.size() + nn + 2 * static_cast<std::size_t>(n)));
    for (int i = 0; i < nodes; ++i) graph.addNode();

    const auto sell = [](int a) { return 1 + a; };
    const auto buy = [n](int a) { return 1 + n + a; };
    const auto gate = [n](int a) { return 1 + 2 * n + a; };

    long long supply_kg = 0;
    offer_arc.assign(p.offers.size(), -1);
    for (std::size_t i = 0; i < p.offers.size(); ++i) {
        const OfferStep& s = p.offers[i];
        check_country(s.country, n, "offer");
        if (!std::isfinite(s.ask)) reject("offer ask must be finite");
        const long long kg = tonnes_to_kg(s.tonnes, "offer tonnes");
        if (kg > 0) offer_arc[i] = add_arc(0, sell(s.country), kg, s.ask);
        supply_kg += kg;
    }
    // No arc can carry more than all supply, so this stands in for "uncapped"
    // and an uncapped arc is never saturated (its forward residual stays open).
    const long long unbounded = supply_kg + 1;

    bid_arc.assign(p.bids.size(), -1);
    for (std::size_t i = 0; i < p.bids.size(); ++i) {
        const BidStep& s = p.bids[i];
        check_country(s.country, n, "bid");
        if (!std::isfinite(s.wtp)) reject("bid wtp must be finite");
        const long long kg = tonnes_to_kg(s.tonnes, "bid tonnes");
        if (kg > 0) bid_arc[i] = add_arc(buy(s.country), 0, kg, -s.wtp);
    }

    domestic_arc.assign(static_cast<std::size_t>(n), -1);
    link_arc.assign(nn, -1);
    for (int a = 0; a < n; ++a) {
        domestic_arc[static_cast<std::size_t>(a)] = add_arc(sell(a), buy(a), unbounded, 0.0);
        const long long export_kg = p.export_cap.empty()
                                        ? unbounded
                                        : cap_to_kg(p.export_cap[static_cast<std::size_t>(a)], unbounded, "export_cap");
        if (export_kg == 0 || p.link_cap.empty()) continue;
        add_arc(sell(a), gate(a), export_kg, 0.0);
        for (int b = 0; b < n; ++b) {
            if (a == b) continue;
            const auto ab = static_cast<std::size_t>(a) * static_cast<std::size_t>(n) + static_cast<std::size_t>(b);
            const double link_cost = p.link_cost.empty() ? 0.0 : p.link_cost[ab];
            if (std::isnan(link_cost) || link_cost == -kInf) reject("link_cost must be a number below +inf");
            if (link_cost == kInf) continue;  // prohibitive: as good as closed
            const long long link_kg = cap_to_kg(p.link_cap[ab], unbounded, "link_cap");
            if (link_kg > 0) link_arc[ab] = add_arc(gate(a), buy(b), link_kg, link_cost);
        }
    }
}

// Residual arcs in both directions, weighted by reduced cost. At the simplex's
// optimal potentials these are >= 0 (exactly, on the cost grid), so Dijkstra
// applies; the clamp only guards the invariant.
void MarketSolver::Impl::build_residual() {
    const auto for_each_residual = [this](const auto& visit) {
        for (std::size_t e = 0; e < tail.size(); ++e) {
            const auto u = static_cast<std::size_t>(tail[e]);
            const auto v = static_cast<std::size_t>(head[e]);
            const double reduced = cost[e] + at[u] - at[v];
            if (flow[e] < cap[e]) visit(u, v, std::max(reduced, 0.0));
            if (flow[e] > 0) visit(v, u, std::max(-reduced, 0.0));
        }
    };
    const auto n = static_cast<std::size_t>(nodes);
    forward.start.assign(n + 1, 0);
    backward.start.assign(n + 1, 0);
    for_each_residual([&](std::size_t u, std::size_t v, double) {
        ++forward.start[u + 1];
        ++backward.start[v + 1];
    });
    for (ResidualGraph* r : {&forward, &backward}) {
        for (std::size_t i = 0; i < n; ++i) r->start[i + 1] += r->start[i];
        r->fill.assign(r->start.begin(), r->start.end() - 1);
        r->edges.resize(static_cast<std::size_t>(r->start[n]));
    }
    for_each_residual([&](std::size_t u, std::size_t v, double w) {
        forward.edges[static_cast<std::size_t>(forward.fill[u]++)] = {static_cast<int>(v), w};
        backward.edges[static_cast<std::size_t>(backward.fill[v]++)] = {static_cast<int>(u), w};
    });
}

// Multi-source Dijkstra over `label`: nodes with a finite label are sources
// and keep it; every other node gets min over sources of label + distance.
void MarketSolver::Impl::search(const ResidualGraph& residual) {
    const auto n = static_cast<std::size_t>(nodes);
    fixed.assign(n, 0);
    heap.clear();
    for (std::size_t v = 0; v < n; ++v) {
        if (label[v] == kInf) continue;
        fixed[v] = 1;
        heap.emplace_back(label[v], static_cast<int>(v));
    }
    const std::greater<> later;
    std::make_heap(heap.begin(), heap.end(), later);
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), later);
        const auto [d, x] = heap.back();
        heap.pop_back();
        const auto xs = static_cast<std::size_t>(x);
        if (d > label[xs]) continue;  // stale entry
        for (int k = residual.start[xs]; k < residual.start[xs + 1]; ++k) {
            const ResidualGraph::Edge& edge = residual.edges[static_cast<std::size_t>(k)];
            const auto to = static_cast<std::size_t>(edge.to);
            const double next = d + edge.weight;
            if (fixed[to] || next >= label[to]) continue;
            label[to] = next;
            heap.emplace_back(next, edge.to);
            std::push_heap(heap.begin(), heap.end(), later);
        }
    }
}

// Prices a node only one bound reaches from its priced neighbours, so the
// price vector stays a feasible dual (no arbitrage along any open arc).
// Backward: what a unit here would fetch where it can go, max p(x) − d(v, x)
// (a non-producer's sell node: its export netback or home price).
// Forward: what a unit here would cost from where it can come, min p(u) + d(u, v)
// (a buy node without demand: its landed cost).
void MarketSolver::Impl::extend_prices(const ResidualGraph& residual, bool backward_search) {
    const auto n = static_cast<std::size_t>(nodes);
    for (std::size_t v = 0; v < n; ++v) {
        if (std::isnan(price[v])) {
            label[v] = kInf;
        } else {
            label[v] = backward_search ? at[v] - price[v] : price[v] - at[v];
        }
    }
    search(residual);
    for (std::size_t v = 0; v < n; ++v) {
        if (!std::isnan(price[v]) || label[v] == kInf) continue;
        price[v] = backward_search ? at[v] - label[v] : at[v] + label[v];
    }
}

// LEMON's reduced cost is cost + π(tail) − π(head) (>= 0 on arcs with room,
// <= 0 on arcs with flow), so at(v) = π(v) − π(O) is the value of a unit at v:
// an offer step in use pins sell[a] to its ask, a bid step in use pins buy[b]
// to its wtp. The optimal flow pins each price only to an interval:
//   U(v) =  dist(O → v)  cost of bringing one more unit to v,
//   L(v) = −dist(v → O)  value of one more unit at v,
// over residual arcs (distances are reduced distances shifted by `at`). U and
// L are both optimal dual vectors, so their midpoint is one too. It is the
// price: exact whenever the dual is unique (L = U: a step at v's margin is
// partly filled), a fair split of the range in a tie (a supply and a demand
// step exhausted together, or a buyer priced out by the landed cost).
// Nodes with one bound missing are priced from their neighbours
// (extend_prices); a node no unit can reach or leave gets 0.
void MarketSolver::Impl::derive_prices() {
    const auto n = static_cast<std::size_t>(nodes);
    build_residual();
    label.assign(n, kInf);
    label[0] = 0.0;
    search(forward);
    upper.assign(n, kInf);
    for (std::size_t v = 0; v < n; ++v) upper[v] = label[v] + at[v];
    label.assign(n, kInf);
    label[0] = 0.0;
    search(backward);
    lower.assign(n, -kInf);
    for (std::size_t v = 0; v < n; ++v) lower[v] = at[v] - label[v];

    bool all_priced = true;
    price.assign(n, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t v = 0; v < n; ++v) {
        if (upper[v] == kInf || lower[v] == -kInf) {
            all_priced = false;
        } else {
            price[v] = 0.5 * (lower[v] + upper[v]);
        }
    }
    if (all_priced) return;
    // Value first (sell nodes of non-producers), then cost (buy nodes without
    // demand, possibly fed by the former), then value again for the rest.
    extend_prices(backward, true);
    extend_prices(forward, false);
    extend_prices(backward, true);
    for (double& p : price)
        if (std::isnan(p)) p = 0.0;
}

void MarketSolver::Impl::solve(const MarketProblem& p, MarketSolution& out) {
    if (p.countries < 0) reject("negative country count");
    const int n = p.countries;
    const auto ns = static_cast<std::size_t>(n);
    check_size(p.link_cap.size(), ns * ns, "link_cap");
    check_size(p.link_cost.size(), ns * ns, "link_cost");
    check_size(p.export_cap.size(), ns, "export_cap");

    build(p);

    double max_abs_cost = 0.0;
    for (const double c : cost) max_abs_cost = std::max(max_abs_cost, std::abs(c));
    const int grid = grid_exponent(max_abs_cost, nodes);
    for (double& c : cost) c = std::round(std::ldexp(c, grid));

    simplex.reset();
    simplex.upperMap(ArcValues<long long>{&cap}).costMap(ArcValues<double>{&cost});
    // Every cycle passes an offer arc (finite) and all supplies are zero, so
    // the circulation is always feasible and bounded.
    if (simplex.run() != Simplex::OPTIMAL) throw std::logic_error("clear_market: solver failed");

    flow.resize(tail.size());
    for (std::size_t e = 0; e < tail.size(); ++e) flow[e] = simplex.flow(graph.arcFromId(static_cast<int>(e)));
    at.resize(static_cast<std::size_t>(nodes));
    const double origin = simplex.potential(graph.nodeFromId(0));
    for (int v = 0; v < nodes; ++v) at[static_cast<std::size_t>(v)] = simplex.potential(graph.nodeFromId(v)) - origin;
    derive_prices();

    out.offer_filled.assign(p.offers.size(), 0.0);
    out.bid_filled.assign(p.bids.size(), 0.0);
    out.flow.assign(ns * ns, 0.0);
    out.buy_price.assign(ns, 0.0);
    out.sell_price.assign(ns, 0.0);
    out.surplus = 0.0;

    const auto tonnes = [this](int arc) { return static_cast<double>(flow[static_cast<std::size_t>(arc)]) / 1000.0; };
    const auto usd_per_tonne = [&](int v) { return std::ldexp(price[static_cast<std::size_t>(v)], -grid) + 0.0; };  // no −0
    for (std::size_t i = 0; i < p.offers.size(); ++i) {
        if (offer_arc[i] < 0) continue;
        out.offer_filled[i] = tonnes(offer_arc[i]);
        out.surplus -= p.offers[i].ask * out.offer_filled[i];
    }
    for (std::size_t i = 0; i < p.bids.size(); ++i) {
        if (bid_arc[i] < 0) continue;
        out.bid_filled[i] = tonnes(bid_arc[i]);
        out.surplus += p.bids[i].wtp * out.bid_filled[i];
    }
    for (int a = 0; a < n; ++a) {
        const auto as = static_cast<std::size_t>(a);
        out.flow[as * ns + as] = tonnes(domestic_arc[as]);
        out.sell_price[as] = usd_per_tonne(1 + a);
        out.buy_price[as] = usd_per_tonne(1 + n + a);
    }
    for (std::size_t ab = 0; ab < link_arc.size(); ++ab) {
        if (link_arc[ab] < 0) continue;
        out.flow[ab] = tonnes(link_arc[ab]);
        if (!p.link_cost.empty()) out.surplus -= p.link_cost[ab] * out.flow[ab];
    }
}

MarketSolver::MarketSolver() : impl_(std::make_unique<Impl>()) {}
MarketSolver::~MarketSolver() = default;
MarketSolver::MarketSolver(MarketSolver&&) noexcept = default;
MarketSolver& MarketSolver::operator=(MarketSolver&&) noexcept = default;

void MarketSolver::solve(const MarketProblem& problem, MarketSolution& out) { impl_->solve(problem, out); }

MarketSolution MarketSolver::solve(const MarketProblem& problem) {
    MarketSolution out;
    impl_->solve(problem, out);
    return out;
}

MarketSolution clear_market(const MarketProblem& problem) {
    // Buffers persist per thread; every solve rebuilds from scratch, so the
    // result never depends on earlier calls.
    thread_local MarketSolver solver;
    return solver.solve(problem);
}

}  // namespace chokepoint
