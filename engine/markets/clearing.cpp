// Market clearing as a min-cost flow, docs/model.md §Markets.
//
// LEMON solves an equivalent form of the header's network (same optimum, same
// duals), chosen because it takes about a quarter fewer simplex pivots:
//  - source and sink are one node, the origin O: the zero-cost, uncapped
//    bypass between them makes them the same node in primal and dual;
//  - a bid step is held as its complement, an "unserved" arc O → buy[b]
//    (cost wtp, cap q), and buy[b] demands all its bids: served = q − unserved;
//  - an exporter without an export cap ships straight from sell[a]; its gate
//    would only be a free, uncapped arc.
// Nodes: O = 0, sell[a] = 1 + a, buy[a] = 1 + n + a, then one gate per capped
// exporter.
#include "engine/markets/clearing.hpp"

#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace chokepoint {
namespace {

using Graph = lemon::StaticDigraph;
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

// NetworkSimplex reads its data through `map[arc]` / `map[node]`; plain
// vectors indexed by id avoid LEMON maps observing the graph.
template <typename T, typename Item>
struct ValuesById {
    const std::vector<T>* values;
    T operator[](Item item) const { return (*values)[static_cast<std::size_t>(Graph::id(item))]; }
};

[[noreturn]] void reject(const std::string& what) {
    throw std::invalid_argument("clear_market: " + what);
}

long long tonnes_to_kg(double tonnes, const char* what) {
    if (!std::isfinite(tonnes)) reject(std::string(what) + " must be finite");
    if (tonnes <= 0.0) return 0;
    return static_cast<long long>(std::min(tonnes * 1000.0, kMaxKg) + 0.5);  // round half up
}

// A capacity in tonnes, +inf meaning none; `unbounded` is never reached.
long long cap_to_kg(double tonnes, long long unbounded, const char* what) {
    if (std::isnan(tonnes)) reject(std::string(what) + " is NaN");
    if (tonnes == kInf) return unbounded;
    return std::min(tonnes_to_kg(tonnes, what), unbounded);
}

void check_country(CountryId country, int n, const char* what) {
    if (country.value() < 0 || country.value() >= n) reject(std::string(what) + " country out of range");
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
    struct Edge { int to; double weight; };  // weight: reduced cost, >= 0
    std::vector<int> start, fill;
    std::vector<Edge> edges;
};

}  // namespace

struct MarketSolver::Impl {
    Graph graph;
    Simplex simplex{graph};  // observes graph: declared after it

    // This call's network; the graph is rebuilt only when its shape changes
    // (counterfactuals mostly change capacities and costs, not arcs).
    int country_count = 0;  // countries
    int nodes = 0;
    std::vector<int> tail, head;
    std::vector<long long> cap, flow, supply;
    std::vector<double> cost;  // raw USD/t while building, then grid units
    int graph_nodes = -1;
    std::vector<int> graph_tail, graph_head;
    std::vector<std::pair<int, int>> arc_list;

    // The problem read into kilograms and node ids (-1: none).
    std::vector<long long> offer_kg;         // per offer step
    long long unbounded = 0;                 // more than all supply: stands in for "uncapped"
    PerCountry<long long> export_kg;         // unbounded: exports uncapped
    PerCountry<int> gate_of;                 // -1: exports uncapped (or no links)
    CountryMatrix<long long> link_kg;        // 0: closed
    CountryMatrix<double> link_cost_of;      // USD/t
    std::vector<int> pool_node;              // per pool
    CountryMatrix<int> link_node;            // a link some pool may use: its own node
    // Arcs (-1: none).
    std::vector<int> offer_arc, bid_arc;
    PerCountry<int> domestic_arc;
    CountryMatrix<int> link_arc;
    Grid<int, int, CountryId> pool_arc;      // [pool][b]

    std::vector<double> at, price, label;  // per node, grid units
    std::vector<char> fixed;
    std::vector<int> reached;  // labelled, not yet settled
    ResidualGraph forward, backward;

    std::size_t arcs = 0;  // arcs added so far

    IdRange<CountryTag> countries() const { return IdRange<CountryTag>(country_count); }
    int sell(CountryId a) const { return 1 + a.value(); }
    int buy(CountryId a) const { return 1 + country_count + a.value(); }

    void resize_arcs(std::size_t size) {
        tail.resize(size);
        head.resize(size);
        cap.resize(size);
        cost.resize(size);
    }
    int add_arc(int from, int to, long long capacity, double unit_cost) {
        tail[arcs] = from;
        head[arcs] = to;
        cap[arcs] = capacity;
        cost[arcs] = unit_cost;
        return static_cast<int>(arcs++);
    }

    void build(const MarketProblem& p);
    void check_shape(const MarketProblem& p) const;
    void read_offers(const MarketProblem& p);
    void read_exports_and_links(const MarketProblem& p);
    void number_pool_and_link_nodes(const MarketProblem& p);
    void add_step_arcs(const MarketProblem& p);
    void add_country_arcs(const MarketProblem& p);
    void add_pool_arcs(const MarketProblem& p);
    void add_link_node_arcs();
    enum class Links { All, Bypass, Gated };
    void add_links(const MarketProblem& p, CountryId a, int from, Links which);

    void sync_graph();
    void build_residual();
    void search(const ResidualGraph& residual);
    bool extend_prices(const ResidualGraph& residual, bool backward_search);
    void derive_prices();
    void read_solution(const MarketProblem& p, int grid, MarketSolution& out) const;
    void solve(const MarketProblem& p, MarketSolution& out);
};

// Sizes and country references; the numbers are checked as they are read.
void MarketSolver::Impl::check_shape(const MarketProblem& p) const {
    if (p.countries < 0) reject("negative country count");
    const int n = country_count;
    const auto ns = static_cast<std::size_t>(n);
    const auto check_matrix = [&](const auto& m, const char* what) {
        if (!m.empty() && (m.rows != n || m.cols != n || m.cells.size() != ns * ns)) reject(std::string(what) + " has the wrong size");
    };
    check_matrix(p.link_cap, "link_cap");
    check_matrix(p.link_cost, "link_cost");
    check_matrix(p.gate_bypass, "gate_bypass");
    check_size(p.export_cap.size(), ns, "export_cap");
    for (const SupplyPool& pool : p.pools) {
        check_country(pool.country, n, "pool");
        check_size(pool.may_serve.size(), ns, "pool may_serve");
    }
    for (const OfferStep& s : p.offers) {
        check_country(s.country, n, "offer");
        if (s.pool < -1 || s.pool >= static_cast<int>(p.pools.size()) ||
            (s.pool >= 0 && p.pools[static_cast<std::size_t>(s.pool)].country != s.country))
            reject("offer pool out of range or of another country");
    }
    for (const BidStep& s : p.bids) check_country(s.country, n, "bid");
}

void MarketSolver::Impl::read_offers(const MarketProblem& p) {
    long long supply_kg = 0;
    offer_kg.assign(p.offers.size(), 0);
    for (std::size_t i = 0; i < p.offers.size(); ++i) {
        if (!std::isfinite(p.offers[i].ask)) reject("offer ask must be finite");
        offer_kg[i] = tonnes_to_kg(p.offers[i].tonnes, "offer tonnes");
        supply_kg += offer_kg[i];
    }
    // No arc can carry more than all supply, so this stands in for "uncapped"
    // and an uncapped arc is never saturated (its forward residual stays open).
    unbounded = supply_kg + 1;
}

// Export caps (a capped exporter ships through its own gate node) and links.
void MarketSolver::Impl::read_exports_and_links(const MarketProblem& p) {
    export_kg.assign(static_cast<std::size_t>(country_count), unbounded);
    gate_of.assign(static_cast<std::size_t>(country_count), -1);
    for (CountryId a : countries()) {
        if (!p.export_cap.empty()) export_kg[a] = cap_to_kg(p.export_cap[a], unbounded, "export_cap");
        if (export_kg[a] == 0 || p.link_cap.empty() || export_kg[a] == unbounded) continue;
        gate_of[a] = nodes++;
    }
    link_kg.assign(country_count, country_count, 0);
    link_cost_of.assign(country_count, country_count, 0.0);
    if (p.link_cap.empty()) return;
    for (CountryId a : countries())
        for (CountryId b : countries()) {
            if (a == b) continue;
            const double c = p.link_cost.empty() ? 0.0 : p.link_cost(a, b);
            if (std::isnan(c) || c == -kInf) reject("link_cost must be a number below +inf");
            if (c == kInf) continue;  // prohibitive: as good as closed
            link_kg(a, b) = cap_to_kg(p.link_cap(a, b), unbounded, "link_cap");
            link_cost_of(a, b) = c;
        }
}

// A pool of an uncapped exporter reaches the destinations it may serve through a node per link,
// where it joins its country's other supply on that link.
void MarketSolver::Impl::number_pool_and_link_nodes(const MarketProblem& p) {
    pool_node.assign(p.pools.size(), -1);
    for (int& node : pool_node) node = nodes++;
    link_node.assign(country_count, country_count, -1);
    for (const SupplyPool& pool : p.pools) {
        const CountryId a = pool.country;
        if (export_kg[a] != unbounded || pool.may_serve.empty()) continue;  // home only
        for (CountryId b : countries())
            if (b != a && pool.may_serve[b] && link_kg(a, b) > 0) link_node(a, b) = 0;  // marked
    }
    for (int& node : link_node.cells)
        if (node == 0) node = nodes++;
}

void MarketSolver::Impl::add_step_arcs(const MarketProblem& p) {
    offer_arc.assign(p.offers.size(), -1);
    for (std::size_t i = 0; i < p.offers.size(); ++i) {
        const OfferStep& s = p.offers[i];
        const int to = s.pool >= 0 ? pool_node[static_cast<std::size_t>(s.pool)] : sell(s.country);
        if (offer_kg[i] > 0) offer_arc[i] = add_arc(0, to, offer_kg[i], s.ask);
    }
    bid_arc.assign(p.bids.size(), -1);
    for (std::size_t i = 0; i < p.bids.size(); ++i) {
        const BidStep& s = p.bids[i];
        if (!std::isfinite(s.wtp)) reject("bid wtp must be finite");
        const long long kg = tonnes_to_kg(s.tonnes, "bid tonnes");
        if (kg == 0) continue;
        bid_arc[i] = add_arc(0, buy(s.country), kg, s.wtp);
        supply[0] += kg;
        supply[static_cast<std::size_t>(buy(s.country))] -= kg;
    }
}

// a's links leaving node `from`: all of them, only the opened ones (gate_bypass), or the rest.
void MarketSolver::Impl::add_links(const MarketProblem& p, CountryId a, int from, Links which) {
    for (CountryId b : countries()) {
        if (a == b) continue;
        const bool bypass = !p.gate_bypass.empty() && p.gate_bypass(a, b) != 0;
        if ((which == Links::Bypass && !bypass) || (which == Links::Gated && bypass)) continue;
        if (link_kg(a, b) <= 0) continue;
        if (link_node(a, b) >= 0) {
            add_arc(from, link_node(a, b), unbounded, 0.0);  // the link itself leaves the link node
        } else {
            link_arc(a, b) = add_arc(from, buy(b), link_kg(a, b), link_cost_of(a, b));
        }
    }
}

// Each sell node's arcs (domestic sales, links or its gate), then each gate's links.
// A leverage counterfactual's opened link (gate_bypass) leaves from sell[a] even when a has an
// export gate, and does not count against it.
void MarketSolver::Impl::add_country_arcs(const MarketProblem& p) {
    domestic_arc.assign(static_cast<std::size_t>(country_count), -1);
    link_arc.assign(country_count, country_count, -1);
    for (CountryId a : countries()) {
        domestic_arc[a] = add_arc(sell(a), buy(a), unbounded, 0.0);
        if (p.link_cap.empty()) continue;
        if (export_kg[a] == unbounded) {
            add_links(p, a, sell(a), Links::All);
            continue;
        }
        add_links(p, a, sell(a), Links::Bypass);  // opened links skip the gate (same tail: order kept)
        if (gate_of[a] >= 0) add_arc(sell(a), gate_of[a], export_kg[a], 0.0);
    }
    for (CountryId a : countries())
        if (gate_of[a] >= 0) add_links(p, a, gate_of[a], Links::Gated);
}

// Each pool's home sales, and its arcs into the link nodes of the destinations it may serve.
void MarketSolver::Impl::add_pool_arcs(const MarketProblem& p) {
    pool_arc.assign(static_cast<int>(p.pools.size()), country_count, -1);
    for (int q = 0; q < static_cast<int>(p.pools.size()); ++q) {
        const SupplyPool& pool = p.pools[static_cast<std::size_t>(q)];
        const CountryId a = pool.country;
        const int from = pool_node[static_cast<std::size_t>(q)];
        pool_arc(q, a) = add_arc(from, buy(a), unbounded, 0.0);
        if (pool.may_serve.empty()) continue;
        for (CountryId b : countries()) {
            if (b == a || link_node(a, b) < 0 || !pool.may_serve[b]) continue;
            pool_arc(q, b) = add_arc(from, link_node(a, b), unbounded, 0.0);
        }
    }
}

void MarketSolver::Impl::add_link_node_arcs() {
    for (CountryId a : countries())
        for (CountryId b : countries())
            if (link_node(a, b) >= 0) link_arc(a, b) = add_arc(link_node(a, b), buy(b), link_kg(a, b), link_cost_of(a, b));
}

// Nodes: O, sell and buy per country, then gates of capped exporters, pools, and link nodes.
// Arcs go in order of their tail node, as StaticDigraph wants them: O's steps, then each sell
// node's, each gate's, each pool's, each link node's.
void MarketSolver::Impl::build(const MarketProblem& p) {
    country_count = p.countries;
    check_shape(p);
    const auto nc = static_cast<std::size_t>(country_count);
    const std::size_t np = p.pools.size();
    // The most arcs possible: steps, domestic arcs, gates, links, and per pool a domestic arc plus
    // an arc into each of its country's link nodes (the links then also have a feeding arc).
    resize_arcs(p.offers.size() + p.bids.size() + 2 * nc * nc + nc + np * (1 + nc));
    arcs = 0;
    nodes = 1 + 2 * country_count;
    read_offers(p);
    read_exports_and_links(p);
    number_pool_and_link_nodes(p);
    supply.assign(static_cast<std::size_t>(nodes), 0);
    add_step_arcs(p);
    add_country_arcs(p);
    add_pool_arcs(p);
    add_link_node_arcs();
    resize_arcs(arcs);
}

// StaticDigraph numbers arcs in list order (which must be by tail), so arc e
// and node v here are LEMON's ids too, and a rebuilt graph equals a kept one:
// results never depend on history.
void MarketSolver::Impl::sync_graph() {
    if (graph_nodes == nodes && graph_tail == tail && graph_head == head) return;
    if (!std::is_sorted(tail.begin(), tail.end())) throw std::logic_error("clear_market: arcs out of order");
    arc_list.resize(tail.size());
    for (std::size_t e = 0; e < tail.size(); ++e) arc_list[e] = {tail[e], head[e]};
    graph.build(nodes, arc_list.begin(), arc_list.end());
    graph_nodes = nodes;
    graph_tail = tail;
    graph_head = head;
    simplex.reset();
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
// Sources are expanded first, in any order, as none can improve another.
// Markets have a few dozen nodes, where scanning the list of labelled nodes
// beats a heap.
void MarketSolver::Impl::search(const ResidualGraph& residual) {
    const auto n = static_cast<std::size_t>(nodes);
    fixed.assign(n, 0);
    for (std::size_t v = 0; v < n; ++v) fixed[v] = label[v] != kInf;
    reached.clear();
    const auto expand = [&](std::size_t x) {
        for (int k = residual.start[x]; k < residual.start[x + 1]; ++k) {
            const ResidualGraph::Edge& edge = residual.edges[static_cast<std::size_t>(k)];
            const auto to = static_cast<std::size_t>(edge.to);
            const double next = label[x] + edge.weight;
            if (fixed[to] || next >= label[to]) continue;
            if (label[to] == kInf) reached.push_back(edge.to);
            label[to] = next;
        }
    };
    for (std::size_t v = 0; v < n; ++v)
        if (fixed[v]) expand(v);
    while (!reached.empty()) {
        std::size_t best = 0;
        for (std::size_t i = 1; i < reached.size(); ++i) {
            if (label[static_cast<std::size_t>(reached[i])] < label[static_cast<std::size_t>(reached[best])]) best = i;
        }
        const auto x = static_cast<std::size_t>(reached[best]);
        reached[best] = reached.back();
        reached.pop_back();
        expand(x);
    }
}

// Prices a node only one bound reaches from its priced neighbours, so the
// price vector stays a feasible dual (no arbitrage along any open arc).
// Backward: what a unit here would fetch where it can go, max p(x) − d(v, x)
// (a non-producer's sell node: its export netback or home price).
// Forward: what a unit here would cost from where it can come, min p(u) + d(u, v)
// (a buy node without demand: its landed cost).
// Returns whether every node now has a price.
bool MarketSolver::Impl::extend_prices(const ResidualGraph& residual, bool backward_search) {
    const auto n = static_cast<std::size_t>(nodes);
    for (std::size_t v = 0; v < n; ++v) {
        if (std::isnan(price[v])) {
            label[v] = kInf;
        } else {
            label[v] = backward_search ? at[v] - price[v] : price[v] - at[v];
        }
    }
    search(residual);
    bool all_priced = true;
    for (std::size_t v = 0; v < n; ++v) {
        if (!std::isnan(price[v])) continue;
        if (label[v] == kInf) {
            all_priced = false;
        } else {
            price[v] = backward_search ? at[v] - label[v] : at[v] + label[v];
        }
    }
    return all_priced;
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
    price = label;  // U − at
    label.assign(n, kInf);
    label[0] = 0.0;
    search(backward);  // at − L
    bool all_priced = true;
    for (std::size_t v = 0; v < n; ++v) {
        if (price[v] == kInf || label[v] == kInf) {
            price[v] = std::numeric_limits<double>::quiet_NaN();
            all_priced = false;
        } else {
            price[v] = at[v] + 0.5 * (price[v] - label[v]);
        }
    }
    // Value first (sell nodes of non-producers), then cost (buy nodes without
    // demand, possibly fed by the former), then value again for the rest.
    if (all_priced || extend_prices(backward, true) || extend_prices(forward, false) ||
        extend_prices(backward, true))
        return;
    for (double& p : price)
        if (std::isnan(p)) p = 0.0;
}

void MarketSolver::Impl::solve(const MarketProblem& p, MarketSolution& out) {
    build(p);

    double max_abs_cost = 0.0;
    for (const double c : cost) max_abs_cost = std::max(max_abs_cost, std::abs(c));
    const int grid = grid_exponent(max_abs_cost, nodes);
    // Adding and removing 1.5 · 2^52 rounds to the nearest integer in two
    // instructions (IEEE doubles, no -ffast-math); |c| stays below 2^49.
    const double scale = std::ldexp(1.0, grid);
    constexpr double kRounder = 6755399441055744.0;
    for (double& c : cost) c = (c * scale + kRounder) - kRounder;

    sync_graph();
    simplex.upperMap(ValuesById<long long, Graph::Arc>{&cap})
        .costMap(ValuesById<double, Graph::Arc>{&cost})
        .supplyMap(ValuesById<long long, Graph::Node>{&supply});
    // Always feasible (all demand may go unserved) and bounded (every cycle
    // passes a capped offer or bid arc). Candidate lists took ~6% fewer
    // instructions than the default block search on 15-country markets.
    if (simplex.run(Simplex::CANDIDATE_LIST) != Simplex::OPTIMAL) throw std::logic_error("clear_market: solver failed");

    flow.resize(tail.size());
    for (std::size_t e = 0; e < tail.size(); ++e) flow[e] = simplex.flow(graph.arcFromId(static_cast<int>(e)));
    at.resize(static_cast<std::size_t>(nodes));
    const double origin = simplex.potential(graph.nodeFromId(0));
    for (int v = 0; v < nodes; ++v) at[static_cast<std::size_t>(v)] = simplex.potential(graph.nodeFromId(v)) - origin;
    derive_prices();
    read_solution(p, grid, out);
}

// Tonnes, prices and the surplus from the optimal flow and prices (grid units back to USD/t).
void MarketSolver::Impl::read_solution(const MarketProblem& p, int grid, MarketSolution& out) const {
    const auto ns = static_cast<std::size_t>(country_count);
    const int pools = static_cast<int>(p.pools.size());
    out.offer_filled.assign(p.offers.size(), 0.0);
    out.bid_filled.assign(p.bids.size(), 0.0);
    out.flow.assign(country_count, country_count, 0.0);
    out.buy_price.assign(ns, 0.0);
    out.sell_price.assign(ns, 0.0);
    out.pool_flow.assign(pools, country_count, 0.0);
    out.pool_price.assign(p.pools.size(), 0.0);
    out.surplus = 0.0;

    const auto tonnes = [this](int arc) { return static_cast<double>(flow[static_cast<std::size_t>(arc)]) / 1000.0; };
    const double unscale = std::ldexp(1.0, -grid);
    const auto usd_per_tonne = [&](int v) { return price[static_cast<std::size_t>(v)] * unscale + 0.0; };  // no −0
    for (std::size_t i = 0; i < p.offers.size(); ++i) {
        if (offer_arc[i] < 0) continue;
        out.offer_filled[i] = tonnes(offer_arc[i]);
        out.surplus -= p.offers[i].ask * out.offer_filled[i];
    }
    for (std::size_t i = 0; i < p.bids.size(); ++i) {
        if (bid_arc[i] < 0) continue;
        const auto arc = static_cast<std::size_t>(bid_arc[i]);
        out.bid_filled[i] = static_cast<double>(cap[arc] - flow[arc]) / 1000.0;  // flow is what goes unserved
        out.surplus += p.bids[i].wtp * out.bid_filled[i];
    }
    for (CountryId a : countries()) {
        out.flow(a, a) = tonnes(domestic_arc[a]);
        out.sell_price[a] = usd_per_tonne(sell(a));
        out.buy_price[a] = usd_per_tonne(buy(a));
    }
    for (CountryId a : countries())
        for (CountryId b : countries()) {
            if (link_arc(a, b) < 0) continue;
            out.flow(a, b) = tonnes(link_arc(a, b));
            if (!p.link_cost.empty()) out.surplus -= p.link_cost(a, b) * out.flow(a, b);
        }
    for (int q = 0; q < pools; ++q) {
        out.pool_price[static_cast<std::size_t>(q)] = usd_per_tonne(pool_node[static_cast<std::size_t>(q)]);
        for (CountryId b : countries())
            if (pool_arc(q, b) >= 0) out.pool_flow(q, b) = tonnes(pool_arc(q, b));
    }
    // The domestic arc carries only the country's own supply; its pools' home sales are domestic too.
    for (int q = 0; q < pools; ++q) {
        const CountryId a = p.pools[static_cast<std::size_t>(q)].country;
        out.flow(a, a) += out.pool_flow(q, a);
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
    // Buffers persist per thread; results never depend on earlier calls.
    thread_local MarketSolver solver;
    return solver.solve(problem);
}

namespace {

// A word-wise FNV-style hash of the problem's numbers; equal problems hash equal (+0 and -0 are
// normalised). Cheap next to a solve: about one multiply per number.
struct Hasher {
    std::uint64_t h = 1469598103934665603ull;
    void word(std::uint64_t w) { h = (h ^ w) * 1099511628211ull; }
    void num(double x) { word(std::bit_cast<std::uint64_t>(x + 0.0)); }  // -0 → +0
    void num(int x) { word(static_cast<std::uint64_t>(static_cast<std::uint32_t>(x))); }
    void bytes(const void* p, std::size_t n) {
        const auto* c = static_cast<const unsigned char*>(p);
        std::uint64_t w = 0;
        for (std::size_t i = 0; i < n; ++i) {
            w = (w << 8) | c[i];
            if (i % 8 == 7) word(w), w = 0;
        }
        word(w ^ n);
    }
};

std::uint64_t hash_of(const MarketProblem& p) {
    Hasher h;
    h.num(p.countries);
    for (const auto& o : p.offers) {
        h.num(o.country.value()), h.num(o.tonnes), h.num(o.ask), h.num(o.tag), h.num(o.pool);
    }
    h.num(-1);
    for (const auto& b : p.bids) {
        h.num(b.country.value()), h.num(b.tonnes), h.num(b.wtp), h.num(b.tag);
    }
    h.num(-2);
    for (double x : p.link_cap.cells) h.num(x);
    for (double x : p.link_cost.cells) h.num(x);
    for (double x : p.export_cap) h.num(x);
    h.bytes(p.gate_bypass.cells.data(), p.gate_bypass.cells.size());
    for (const auto& q : p.pools) {
        h.num(q.country.value());
        h.bytes(q.may_serve.values().data(), q.may_serve.size());
    }
    return h.h;
}

thread_local MarketReuse* current_reuse = nullptr;
thread_local MarketWatch* current_watch = nullptr;

}  // namespace

const MarketSolution* MarketMemo::find(const MarketProblem& p) const {
    const auto& bucket = buckets_[hash_of(p) % buckets_.size()];
    for (const Entry& e : bucket)
        if (e.problem == p) return &e.solution;
    return nullptr;
}

void MarketMemo::store(const MarketProblem& p, const MarketSolution& s) {
    if (find(p)) return;
    buckets_[hash_of(p) % buckets_.size()].push_back(Entry{p, s});
    ++size_;
}

MarketReuse::MarketReuse(const MarketMemo* read, MarketMemo* write)
    : read_(read), write_(write), outer_(current_reuse) {
    current_reuse = this;
}

MarketReuse::~MarketReuse() {
    current_reuse = outer_;
}

bool MarketReuse::solve(MarketSolver& solver, const MarketProblem& problem, MarketSolution& out) {
    if (read_ || write_) {
        ++lookups_;
        const MarketSolution* known = read_ ? read_->find(problem) : nullptr;
        if (!known && write_) known = write_->find(problem);
        if (known) {
            ++hits_;
            out = *known;
            return true;
        }
    }
    solver.solve(problem, out);
    if (write_ && storing_) write_->store(problem, out);
    return false;
}

MarketWatch::MarketWatch(Seen seen) : seen_(std::move(seen)), outer_(current_watch) {
    current_watch = this;
}

MarketWatch::~MarketWatch() {
    current_watch = outer_;
}

void solve_market(MarketSolver& solver, const MarketProblem& problem, MarketSolution& out) {
    bool reused = false;
    if (MarketReuse* r = current_reuse) {
        reused = r->solve(solver, problem, out);
    } else {
        solver.solve(problem, out);
    }
    if (current_watch) current_watch->seen_(solver, problem, out, reused);
}

}  // namespace chokepoint
