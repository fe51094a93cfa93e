// Warm re-solves against LEMON on the real counterfactual markets (issue 11, item 2;
// docs/performance.md §"Warm re-solves: Clp and repair against LEMON").
//
// Capture: the baseline (autopilot everywhere, one thread, exact reuse on) is played, and during the
// leverage measurement of a few game turns every market is watched (MarketWatch). A measurement's
// runs each clear every good once per projected turn, in order, so a market's place in the sequence
// gives its run, projected turn and good; run 0 is the baseline projection. Every counterfactual
// market that was not an exact reuse hit is kept with the baseline projection's market of the same
// projected turn and good: the natural warm start.
//
// Methods, timed side by side on every captured market (BM_WarmSideBySide, CPU time of the solve):
//  - engine: MarketSolver::solve as the engine does it today (build, LEMON's simplex, prices), one
//    solver per good kept between calls;
//  - lemon_simplex: LEMON's NetworkSimplex alone, cold, on the problem's network (built untimed);
//  - clp_cold: Clp's dual simplex from a slack basis (load and solve);
//  - clp_warm_*: Clp from the baseline market's optimal basis, the counterfactual's bounds and costs
//    loaded over it (the model and basis prepared untimed), dual (with and without scaling) or primal;
//  - one_arc_repair (markets that are the baseline's minus one arc): the baseline's optimal flow with
//    the cut arc's flow rerouted by successive shortest paths under the baseline's optimal potentials,
//    against one_arc_lemon_simplex on the same markets.
// BM_WarmCheck checks every method's answer on every captured market: optimal status, a feasible
// flow in whole kilograms, the objective equal to LEMON's exactly (grid units × kg, no tolerance),
// and whether what the engine reads (tonnes per step and per link) is the engine's own.
// BM_ClearMarketBaselineMagnets runs in the same binary, for the unit.
#include <benchmark/benchmark.h>

#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <queue>
#include <string>

#include "bench/magnets_problem.hpp"
#include "bench/warm/network.hpp"
#include "engine/game/game.hpp"
#include "engine/markets/clearing.hpp"
#include "engine/scenario/loader.hpp"

namespace chokepoint::warm {
namespace {

const char* kBaseline = CHOKEPOINT_SOURCE_DIR "/config/scenarios/baseline.yaml";
// Game turns whose leverage measurement is captured (the analysis used the same ones).
const int kCapturedTurns[] = {1, 10, 22, 35};

struct Captured {
    int game_turn = 0, projected_turn = 0, good = 0;
    int base = 0;  // index into Capture::base
    MarketProblem cut;
};

struct Capture {
    std::vector<MarketProblem> base;  // the baseline projection's markets
    std::vector<Captured> markets;    // counterfactual markets that were not reuse hits
    long counterfactual_markets = 0, reused = 0;
};

// Plays the baseline to the last captured turn, watching the captured turns' measurements. A step
// clears markets in the policy phase (forecasts), then the turn's own (one per good), then the
// measurement's runs; the measurement's are the last runs × per_run markets of the step.
Capture capture() {
    const Scenario sc = load_scenario(kBaseline);
    GameOptions options;
    options.threads = 1;  // everything on this thread, in order, where the watch sees it
    Game game(sc, options);
    const int goods = game.defs().good_count();
    const long per_run = game.defs().leverage.horizon_turns * goods;
    game.set_turn_limit(kCapturedTurns[std::size(kCapturedTurns) - 1] + 1);
    Capture c;
    struct Call {
        const MarketSolver* solver;
        MarketProblem problem;
        bool reused;
    };
    while (!game.finished()) {
        const int turn = game.state().turn;
        if (std::find(std::begin(kCapturedTurns), std::end(kCapturedTurns), turn) == std::end(kCapturedTurns)) {
            game.step();
            continue;
        }
        std::vector<Call> calls;
        long runs = 0;
        {
            MarketWatch watch([&](const MarketSolver& solver, const MarketProblem& p, const MarketSolution&, bool reused) {
                calls.push_back(Call{&solver, p, reused});
            });
            runs = game.step().leverage_cost.runs;
        }
        const long first = static_cast<long>(calls.size()) - runs * per_run;  // the measurement's first market
        if (first < goods) throw std::logic_error("capture: fewer markets than the measurement's runs");
        std::map<const MarketSolver*, int> good_of;  // the turn's own markets: one per good, in order
        for (int g = 0; g < goods; ++g) good_of[calls[static_cast<std::size_t>(first - goods + g)].solver] = g;
        const auto base_first = static_cast<int>(c.base.size());
        for (long i = first; i < static_cast<long>(calls.size()); ++i) {
            Call& call = calls[static_cast<std::size_t>(i)];
            const long k = (i - first) % per_run, run = (i - first) / per_run;
            const int g = good_of.at(call.solver);
            if (g != k % goods) throw std::logic_error("capture: markets out of the expected order");
            if (run == 0) {
                c.base.push_back(std::move(call.problem));
                continue;
            }
            ++c.counterfactual_markets;
            if (call.reused) {
                ++c.reused;
                continue;
            }
            c.markets.push_back(Captured{turn, static_cast<int>(k / goods), g, base_first + static_cast<int>(k), std::move(call.problem)});
        }
    }
    return c;
}

const Capture& captured() {
    static const Capture c = capture();
    return c;
}

// ---------------------------------------------------------------------------------------------
// Flows, objective, feasibility on a Network, in whole kilograms and grid units.

__extension__ typedef __int128 Int;  // grid units × kg: up to ~2^89

Int objective(const Network& net, const std::vector<long long>& flow) {
    Int sum = 0;
    for (std::size_t e = 0; e < net.arcs.size(); ++e) sum += static_cast<Int>(net.arcs[e].cost) * flow[e];
    return sum;
}

bool feasible(const Network& net, const std::vector<long long>& flow) {
    std::map<NodeKey, long long> balance;
    for (std::size_t e = 0; e < net.arcs.size(); ++e) {
        const Arc& a = net.arcs[e];
        if (flow[e] < 0 || (a.cap_kg != kUncapped && flow[e] > a.cap_kg)) return false;
        balance[a.key.tail] -= flow[e];
        balance[a.key.head] += flow[e];
    }
    return std::all_of(balance.begin(), balance.end(), [](const auto& b) { return b.second == 0; });
}

long long total_offer_kg(const Network& net) {
    long long s = 0;
    for (const Arc& a : net.arcs)
        if (a.key.kind == ArcKind::Offer) s += a.cap_kg;
    return s;
}

// The objective of what the engine reads (steps and links carry every cost), for the engine's own solution.
Int objective(const Network& net, const Readout& r, int countries) {
    Int sum = 0;
    for (const Arc& a : net.arcs) {
        const auto i = static_cast<std::size_t>(a.key.i), j = static_cast<std::size_t>(a.key.j);
        long long kg = 0;
        if (a.key.kind == ArcKind::Offer) kg = r.offer_kg[i];
        if (a.key.kind == ArcKind::Bid) kg = r.bid_kg[i];
        if (a.key.kind == ArcKind::Link) kg = r.flow_kg[i * static_cast<std::size_t>(countries) + j];
        sum += static_cast<Int>(a.cost) * kg;
    }
    return sum;
}

// ---------------------------------------------------------------------------------------------
// LEMON's network simplex on a Network, cold.

struct LemonRun {
    lemon::SmartDigraph graph;
    lemon::SmartDigraph::ArcMap<long long> upper{graph};
    lemon::SmartDigraph::ArcMap<double> cost{graph};
    std::vector<lemon::SmartDigraph::Arc> arcs;
    explicit LemonRun(const Network& net) {
        std::map<NodeKey, lemon::SmartDigraph::Node> node;
        const auto node_of = [&](const NodeKey& k) {
            auto it = node.find(k);
            if (it == node.end()) it = node.emplace(k, graph.addNode()).first;
            return it->second;
        };
        node_of(NodeKey{NodeKind::Origin});
        const long long unbounded = total_offer_kg(net) + 1;
        for (const Arc& a : net.arcs) {
            const auto arc = graph.addArc(node_of(a.key.tail), node_of(a.key.head));
            arcs.push_back(arc);
            upper[arc] = a.cap_kg == kUncapped ? unbounded : a.cap_kg;
            cost[arc] = a.cost;
        }
    }
};

std::vector<long long> lemon_flow(const LemonRun& run, lemon::NetworkSimplex<lemon::SmartDigraph, long long, double>& simplex) {
    std::vector<long long> flow;
    for (const auto& arc : run.arcs) flow.push_back(simplex.flow(arc));
    return flow;
}

// ---------------------------------------------------------------------------------------------
// Clp on the union of two networks: columns are the arcs of either (an arc absent from a problem
// has upper bound 0), rows the nodes of either but O. Tonnes and USD/t (costs on the grid).

struct Union {
    std::vector<ArcKey> columns;
    std::map<ArcKey, int> column_of;
    std::map<NodeKey, int> row_of;
    CoinPackedMatrix matrix;
};

Union union_of(const Network& a, const Network& b) {
    Union u;
    for (const Network* net : {&a, &b})
        for (const Arc& arc : net->arcs) {
            if (u.column_of.emplace(arc.key, 0).second) u.columns.push_back(arc.key);
            for (const NodeKey& k : {arc.key.tail, arc.key.head})
                if (k.kind != NodeKind::Origin) u.row_of.emplace(k, 0);
        }
    std::sort(u.columns.begin(), u.columns.end());
    for (std::size_t j = 0; j < u.columns.size(); ++j) u.column_of[u.columns[j]] = static_cast<int>(j);
    int r = 0;
    for (auto& [key, row] : u.row_of) row = r++;
    std::vector<int> rows, cols;
    std::vector<double> values;
    for (std::size_t j = 0; j < u.columns.size(); ++j) {
        const ArcKey& k = u.columns[j];
        if (k.tail.kind != NodeKind::Origin) rows.push_back(u.row_of[k.tail]), cols.push_back(static_cast<int>(j)), values.push_back(-1.0);
        if (k.head.kind != NodeKind::Origin) rows.push_back(u.row_of[k.head]), cols.push_back(static_cast<int>(j)), values.push_back(1.0);
    }
    u.matrix = CoinPackedMatrix(true, rows.data(), cols.data(), values.data(), static_cast<int>(values.size()));
    u.matrix.setDimensions(r, static_cast<int>(u.columns.size()));
    return u;
}

struct LpData {
    std::vector<double> lower, upper, cost;
    std::vector<int> arc_column;  // per arc of the network, its column
};

LpData lp_data(const Union& u, const Network& net) {
    const std::size_t n = u.columns.size();
    LpData d{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0), std::vector<double>(n, 0.0), {}};
    const double unscale = std::ldexp(1.0, -net.grid);
    for (const Arc& a : net.arcs) {
        const auto j = static_cast<std::size_t>(u.column_of.at(a.key));
        d.upper[j] = a.cap_kg == kUncapped ? COIN_DBL_MAX : static_cast<double>(a.cap_kg) / 1000.0;
        d.cost[j] = a.cost * unscale;
        d.arc_column.push_back(static_cast<int>(j));
    }
    return d;
}

void load(ClpSimplex& m, const Union& u, const LpData& d) {
    const std::vector<double> zero(u.row_of.size(), 0.0);
    m.setLogLevel(0);
    m.loadProblem(u.matrix, d.lower.data(), d.upper.data(), d.cost.data(), zero.data(), zero.data());
}

void set_data(ClpSimplex& m, const LpData& d) {
    std::copy(d.lower.begin(), d.lower.end(), m.columnLower());
    std::copy(d.upper.begin(), d.upper.end(), m.columnUpper());
    std::copy(d.cost.begin(), d.cost.end(), m.objective());
}

std::vector<long long> clp_flow(const ClpSimplex& m, const LpData& d) {
    std::vector<long long> flow;
    const double* x = m.getColSolution();
    for (int j : d.arc_column) flow.push_back(std::llround(x[j] * 1000.0));
    return flow;
}

// A solved baseline model whose basis a counterfactual starts from.
struct WarmStart {
    std::vector<unsigned char> status;
    std::vector<double> columns, rows;
    void save(ClpSimplex& m) {
        const int n = m.getNumCols() + m.getNumRows();
        status.assign(m.statusArray(), m.statusArray() + n);
        columns.assign(m.primalColumnSolution(), m.primalColumnSolution() + m.getNumCols());
        rows.assign(m.primalRowSolution(), m.primalRowSolution() + m.getNumRows());
    }
    void restore(ClpSimplex& m) const {
        std::copy(status.begin(), status.end(), m.statusArray());
        std::copy(columns.begin(), columns.end(), m.primalColumnSolution());
        std::copy(rows.begin(), rows.end(), m.primalRowSolution());
    }
};

// This thread's CPU seconds spent in f: steadier than wall time on a machine shared with builds.
template <typename F>
double timed(F&& f) {
    const auto now = [] {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
    };
    const double t0 = now();
    f();
    return now() - t0;
}

enum class ClpStart { Cold, WarmDual, WarmDualUnscaled, WarmPrimal };

struct ClpResult {
    bool optimal = false;
    int pivots = 0;
    double seconds = 0;  // the timed part
    std::vector<long long> flow;
};

// Clp on the counterfactual `cd`: cold (load and dual simplex from a slack basis, timed), or from
// the baseline `bd`'s optimal basis (solved untimed, as the today run would have it) with its
// bounds and costs replaced by the counterfactual's (timed from there); the flow read in kilograms.
ClpResult clp_solve(const Union& u, const LpData& bd, const LpData& cd, ClpStart start) {
    ClpSimplex model;
    ClpResult r;
    if (start == ClpStart::Cold) {
        r.seconds = timed([&] {
            load(model, u, cd);
            model.dual();
            r.flow = clp_flow(model, cd);
        });
    } else {
        load(model, u, bd);
        if (start == ClpStart::WarmDualUnscaled) model.scaling(0);
        model.dual();
        WarmStart ws;
        ws.save(model);
        r.seconds = timed([&] {
            set_data(model, cd);
            ws.restore(model);
            if (start == ClpStart::WarmPrimal) {
                model.primal();
            } else {
                model.dual();
            }
            r.flow = clp_flow(model, cd);
        });
    }
    r.optimal = model.status() == 0;
    r.pivots = model.numberIterations();
    return r;
}

// ---------------------------------------------------------------------------------------------
// Repair: the baseline's optimal flow and potentials; one arc removed; its flow rerouted from its
// tail to its head by successive shortest paths (Dijkstra on reduced costs, which the baseline's
// optimal potentials keep non-negative on every residual arc that remains).

struct Repair {
    int nodes = 0;
    std::vector<int> tail, head;
    std::vector<long long> cap, flow;
    std::vector<double> cost, potential;
    int removed = -1;  // arc of the baseline network
};

bool one_arc_removed(const Network& base, const Network& cut, int& removed) {
    if (cut.arcs.size() + 1 != base.arcs.size() || cut.grid != base.grid) return false;
    std::size_t j = 0;
    removed = -1;
    for (std::size_t e = 0; e < base.arcs.size(); ++e) {
        const Arc& a = base.arcs[e];
        if (j < cut.arcs.size() && cut.arcs[j].key == a.key) {
            if (cut.arcs[j].cap_kg != a.cap_kg || cut.arcs[j].cost != a.cost) return false;
            ++j;
        } else if (removed < 0) {
            removed = static_cast<int>(e);
        } else {
            return false;
        }
    }
    return removed >= 0;
}

// Reroutes the removed arc's flow; returns the flow on the cut network's arcs (its order: the
// baseline's without the removed arc) or an empty vector if it cannot be rerouted.
std::vector<long long> repair(Repair r) {
    const auto n = static_cast<std::size_t>(r.nodes);
    const auto removed = static_cast<std::size_t>(r.removed);
    long long left = r.flow[removed];
    const int from = r.tail[removed], to = r.head[removed];
    r.cap[removed] = 0;
    r.flow[removed] = 0;
    // Residual adjacency: arc e forward (room) from tail, backward (flow) from head.
    std::vector<std::vector<int>> out(n);
    for (std::size_t e = 0; e < r.tail.size(); ++e) {
        out[static_cast<std::size_t>(r.tail[e])].push_back(static_cast<int>(2 * e));
        out[static_cast<std::size_t>(r.head[e])].push_back(static_cast<int>(2 * e + 1));
    }
    std::vector<double> dist(n);
    std::vector<int> via(n);
    std::vector<char> done(n);
    while (left > 0) {
        std::fill(dist.begin(), dist.end(), std::numeric_limits<double>::infinity());
        std::fill(via.begin(), via.end(), -1);
        std::fill(done.begin(), done.end(), 0);
        using Item = std::pair<double, int>;
        std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
        dist[static_cast<std::size_t>(from)] = 0;
        heap.push({0.0, from});
        while (!heap.empty()) {
            const auto [d, v] = heap.top();
            heap.pop();
            const auto vs = static_cast<std::size_t>(v);
            if (done[vs]) continue;
            done[vs] = 1;
            if (v == to) break;
            for (int h : out[vs]) {
                const auto e = static_cast<std::size_t>(h / 2);
                const bool forward = h % 2 == 0;
                if (forward ? r.flow[e] >= r.cap[e] : r.flow[e] <= 0) continue;
                const int w = forward ? r.head[e] : r.tail[e];
                const double reduced = (forward ? 1 : -1) * (r.cost[e] + r.potential[static_cast<std::size_t>(r.tail[e])] -
                                                             r.potential[static_cast<std::size_t>(r.head[e])]);
                const double nd = d + std::max(reduced, 0.0);
                if (nd < dist[static_cast<std::size_t>(w)]) {
                    dist[static_cast<std::size_t>(w)] = nd;
                    via[static_cast<std::size_t>(w)] = h;
                    heap.push({nd, w});
                }
            }
        }
        if (!done[static_cast<std::size_t>(to)]) return {};
        long long room = left;
        for (int v = to; v != from;) {
            const int h = via[static_cast<std::size_t>(v)];
            const auto e = static_cast<std::size_t>(h / 2);
            room = std::min(room, h % 2 == 0 ? r.cap[e] - r.flow[e] : r.flow[e]);
            v = h % 2 == 0 ? r.tail[e] : r.head[e];
        }
        for (int v = to; v != from;) {
            const int h = via[static_cast<std::size_t>(v)];
            const auto e = static_cast<std::size_t>(h / 2);
            r.flow[e] += h % 2 == 0 ? room : -room;
            v = h % 2 == 0 ? r.tail[e] : r.head[e];
        }
        left -= room;
        const double reach = dist[static_cast<std::size_t>(to)];
        for (std::size_t v = 0; v < n; ++v) r.potential[v] += std::min(dist[v], reach);
    }
    std::vector<long long> flow;
    for (std::size_t e = 0; e < r.flow.size(); ++e)
        if (e != removed) flow.push_back(r.flow[e]);
    return flow;
}

// The baseline's optimum (LEMON) as a Repair, for a cut that removes `removed`.
Repair repair_start(const Network& base, int removed) {
    LemonRun run(base);
    lemon::NetworkSimplex<lemon::SmartDigraph, long long, double> simplex(run.graph);
    simplex.upperMap(run.upper).costMap(run.cost);
    simplex.run();
    Repair r;
    r.nodes = lemon::countNodes(run.graph);
    const long long unbounded = total_offer_kg(base) + 1;
    for (std::size_t e = 0; e < base.arcs.size(); ++e) {
        r.tail.push_back(run.graph.id(run.graph.source(run.arcs[e])));
        r.head.push_back(run.graph.id(run.graph.target(run.arcs[e])));
        r.cap.push_back(base.arcs[e].cap_kg == kUncapped ? unbounded : base.arcs[e].cap_kg);
        r.cost.push_back(base.arcs[e].cost);
        r.flow.push_back(simplex.flow(run.arcs[e]));
    }
    // LEMON's reduced cost is cost + π(tail) − π(head); ours uses potential = π.
    for (int v = 0; v < r.nodes; ++v) r.potential.push_back(simplex.potential(run.graph.nodeFromId(v)));
    r.removed = removed;
    return r;
}

// ---------------------------------------------------------------------------------------------
// The checks, once, on every captured market.

// Counts of markets; `same_bids`: every bid step served as the engine serves it (what unmet
// demand, hence leverage, reads), `same_readout`: offers, bids and links all as the engine's.
struct Verdict {
    long solved = 0, optimal = 0, feasible = 0, same_objective = 0, same_bids = 0, same_readout = 0;
    void add(bool ok, bool feas, bool obj, bool bids, bool read) {
        ++solved;
        optimal += ok;
        feasible += ok && feas;
        same_objective += ok && feas && obj;
        same_bids += ok && feas && obj && bids;
        same_readout += ok && feas && obj && read;
    }
    void print(const char* name) const {
        std::fprintf(stderr, "  %-16s solved %5ld  optimal %5ld  feasible %5ld  objective = LEMON's %5ld  bids as the engine's %5ld  "
                     "everything as the engine's %5ld\n", name, solved, optimal, feasible, same_objective, same_bids, same_readout);
    }
};

void check_all() {
    const Capture& c = captured();
    std::fprintf(stderr, "captured turns:");
    for (int t : kCapturedTurns) std::fprintf(stderr, " %d", t);
    std::fprintf(stderr, "\ncounterfactual markets %ld, exact reuse hits %ld (%.1f %%), solved (captured) %zu\n",
                 c.counterfactual_markets, c.reused, 100.0 * static_cast<double>(c.reused) / static_cast<double>(c.counterfactual_markets),
                 c.markets.size());
    long rows = 0, columns = 0, engine_optimal = 0, same_shape = 0, one_removed = 0, first_turn = 0, first_turn_one_removed = 0, pivots_dual = 0, pivots_cold = 0;
    Verdict lemon_v, cold_v, dual_v, primal_v, repair_v;
    MarketSolver solver;
    for (const Captured& m : c.markets) {
        const MarketProblem& bp = c.base[static_cast<std::size_t>(m.base)];
        const Network base = network_of(bp), cut = network_of(m.cut);
        const MarketSolution engine = solver.solve(m.cut);
        const Readout engine_read = readout_of(engine);
        LemonRun run(cut);
        lemon::NetworkSimplex<lemon::SmartDigraph, long long, double> simplex(run.graph);
        simplex.upperMap(run.upper).costMap(run.cost);
        const bool lemon_ok = simplex.run() == decltype(simplex)::OPTIMAL;
        const std::vector<long long> lf = lemon_flow(run, simplex);
        const Int best = objective(cut, lf);
        engine_optimal += objective(cut, engine_read, m.cut.countries) == best;
        const auto same = [&](const std::vector<long long>& f, bool bids_only) {
            const Readout r = readout_of(m.cut, cut, f);
            return bids_only ? r.bid_kg == engine_read.bid_kg : r == engine_read;
        };
        lemon_v.add(lemon_ok, feasible(cut, lf), true, same(lf, true), same(lf, false));
        // The engine's own flow, priced on this network: the same optimum?
        const auto judge = [&](Verdict& v, bool ok, const std::vector<long long>& f) {
            v.add(ok && !f.empty(), !f.empty() && feasible(cut, f), !f.empty() && objective(cut, f) == best,
                  !f.empty() && same(f, true), !f.empty() && same(f, false));
        };
        std::vector<ArcKey> bk, ck;
        for (const Arc& a : base.arcs) bk.push_back(a.key);
        for (const Arc& a : cut.arcs) ck.push_back(a.key);
        same_shape += bk == ck;
        int removed = -1;
        const bool one = one_arc_removed(base, cut, removed);
        one_removed += one;
        first_turn += m.projected_turn == 0;
        first_turn_one_removed += one && m.projected_turn == 0;

        const Union u = union_of(base, cut);
        const LpData bd = lp_data(u, base), cd = lp_data(u, cut);
        rows += static_cast<long>(u.row_of.size());
        columns += static_cast<long>(u.columns.size());
        const ClpResult cold = clp_solve(u, bd, cd, ClpStart::Cold);
        pivots_cold += cold.pivots;
        judge(cold_v, cold.optimal, cold.flow);
        const ClpResult dual = clp_solve(u, bd, cd, ClpStart::WarmDual);
        pivots_dual += dual.pivots;
        judge(dual_v, dual.optimal, dual.flow);
        const ClpResult primal = clp_solve(u, bd, cd, ClpStart::WarmPrimal);
        judge(primal_v, primal.optimal, primal.flow);
        if (one) judge(repair_v, true, repair(repair_start(base, removed)));
    }
    const auto n = static_cast<long>(c.markets.size());
    std::fprintf(stderr, "captured markets: same network shape as the baseline's %ld, baseline minus one arc %ld "
                 "(first projected turn: %ld of %ld)\n", same_shape, one_removed, first_turn_one_removed, first_turn);
    std::fprintf(stderr, "the engine's own solution has LEMON's objective on this network: %ld of %ld\n", engine_optimal, n);
    std::fprintf(stderr, "LP size (the union of the two networks): %.1f rows, %.1f columns on average\n",
                 static_cast<double>(rows) / static_cast<double>(n), static_cast<double>(columns) / static_cast<double>(n));
    std::fprintf(stderr, "Clp pivots per market: cold %.1f, warm dual %.1f\n",
                 static_cast<double>(pivots_cold) / static_cast<double>(n), static_cast<double>(pivots_dual) / static_cast<double>(n));
    std::fprintf(stderr, "checks (objective: exact, grid units x kg; readout: tonnes per step and link, bit for bit):\n");
    lemon_v.print("LEMON (cold)");
    cold_v.print("Clp cold");
    dual_v.print("Clp warm dual");
    primal_v.print("Clp warm primal");
    repair_v.print("repair (SSP)");
}

// ---------------------------------------------------------------------------------------------
// Timings. The machine is shared with builds, so every method runs on the same market back to
// back and each is reported in CPU µs per solve and as a ratio to the engine's solve of the same
// markets: the ratios share the machine's conditions. (Each method then runs with caches churned by
// the others, so all are slower than in a hot loop: divide by BM_ClearMarketBaselineMagnets, run in
// the same process, for the unit with that caveat.)

std::size_t stride() {  // CHOKEPOINT_WARM_STRIDE=k times every k-th captured market only
    const char* s = std::getenv("CHOKEPOINT_WARM_STRIDE");
    return s ? std::max<std::size_t>(1, std::strtoul(s, nullptr, 10)) : 1;
}

// LEMON's simplex alone, cold (the graph and maps built untimed).
double lemon_simplex_seconds(const Network& net) {
    LemonRun run(net);
    lemon::NetworkSimplex<lemon::SmartDigraph, long long, double> simplex(run.graph);
    simplex.upperMap(run.upper).costMap(run.cost);
    return timed([&] { benchmark::DoNotOptimize(simplex.run(decltype(simplex)::CANDIDATE_LIST)); });
}

void BM_WarmCheck(benchmark::State& st) {
    for (auto _ : st) check_all();
}
BENCHMARK(BM_WarmCheck)->Iterations(1)->Unit(benchmark::kSecond);

void BM_ClearMarketBaselineMagnets(benchmark::State& st) {
    const MarketProblem p = baseline_magnets_problem(load_scenario(kBaseline));
    for (auto _ : st) benchmark::DoNotOptimize(clear_market(p));
}
BENCHMARK(BM_ClearMarketBaselineMagnets)->Unit(benchmark::kMicrosecond);

// Counters: <method>_us (CPU µs per solve) and <method>_vs_engine. Repair and its LEMON reference
// (one_arc_*) count only the markets that are the baseline's minus one arc (one_arc_markets).
void BM_WarmSideBySide(benchmark::State& st) {
    const Capture& c = captured();
    enum { Engine, Simplex, ClpCold, ClpWarmDual, ClpWarmDualUnscaled, ClpWarmPrimal, OneArcSimplex, OneArcRepair, Methods };
    const char* names[Methods] = {"engine", "lemon_simplex", "clp_cold", "clp_warm_dual", "clp_warm_dual_unscaled",
                                  "clp_warm_primal", "one_arc_lemon_simplex", "one_arc_repair"};
    double seconds[Methods] = {};
    long solves[Methods] = {};
    const auto add = [&](int method, double t) {
        seconds[method] += t;
        ++solves[method];
    };
    std::vector<MarketSolver> solvers(8);  // the engine keeps one per good
    MarketSolution out;
    for (auto _ : st) {
        for (std::size_t i = 0; i < c.markets.size(); i += stride()) {
            const Captured& m = c.markets[i];
            add(Engine, timed([&] { solvers[static_cast<std::size_t>(m.good)].solve(m.cut, out); }));
            const Network base = network_of(c.base[static_cast<std::size_t>(m.base)]), cut = network_of(m.cut);
            add(Simplex, lemon_simplex_seconds(cut));
            const Union u = union_of(base, cut);
            const LpData bd = lp_data(u, base), cd = lp_data(u, cut);
            add(ClpCold, clp_solve(u, bd, cd, ClpStart::Cold).seconds);
            add(ClpWarmDual, clp_solve(u, bd, cd, ClpStart::WarmDual).seconds);
            add(ClpWarmDualUnscaled, clp_solve(u, bd, cd, ClpStart::WarmDualUnscaled).seconds);
            add(ClpWarmPrimal, clp_solve(u, bd, cd, ClpStart::WarmPrimal).seconds);
            int removed = -1;
            if (!one_arc_removed(base, cut, removed)) continue;
            add(OneArcSimplex, lemon_simplex_seconds(cut));
            const Repair start = repair_start(base, removed);
            add(OneArcRepair, timed([&] { benchmark::DoNotOptimize(repair(start)); }));
        }
    }
    const double engine = seconds[Engine] / static_cast<double>(solves[Engine]);
    for (int k = 0; k < Methods; ++k) {
        const double per = seconds[k] / static_cast<double>(std::max(1L, solves[k]));
        st.counters[std::string(names[k]) + "_us"] = 1e6 * per;
        if (k != Engine) st.counters[std::string(names[k]) + "_vs_engine"] = per / engine;
    }
    st.counters["markets"] = static_cast<double>(solves[Engine]) / static_cast<double>(st.iterations());
    st.counters["one_arc_markets"] = static_cast<double>(solves[OneArcRepair]) / static_cast<double>(st.iterations());
}
BENCHMARK(BM_WarmSideBySide)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace chokepoint::warm

BENCHMARK_MAIN();
