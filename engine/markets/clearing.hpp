// Market clearing for one good: the allocation that maximises gains from
// trade under trade permissions, tariffs and transport cost, with a price per
// country from the duals. docs/model.md §Markets.
//
// Network (solved as a min-cost flow with LEMON's NetworkSimplex):
//   source ─offer step (cap q, cost ask)─► sell[a]
//   sell[a] ─domestic (cap ∞, cost 0)─► buy[a]
//   sell[a] ─export gate (cap export_cap[a], cost 0)─► gate[a]
//   gate[a] ─link (cap link_cap[a][b], cost link_cost[a][b])─► buy[b]     (a ≠ b)
//   sell[a] ─link─► buy[b] instead, for a link marked in gate_bypass (outside a's export cap)
//   buy[b]  ─bid step (cap q, cost −wtp)─► sink
//   source ─► sink (cap ∞, cost 0)   (unsold supply, unmet demand)
//   pool[p] ─domestic (cap ∞, cost 0)─► buy[c(p)]                       (supply pools, below)
//   sell[a], pool[p] ─(cap ∞, cost 0)─► link[a][b] ─(link cap, cost)─► buy[b]   where a pool may serve b
// The solution minimises Σ cost · flow, i.e. maximises Σ wtp·served − Σ ask·sold − Σ link costs.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "engine/world/grid.hpp"
#include "engine/world/ids.hpp"

namespace chokepoint {

struct OfferStep {
    CountryId country;
    double tonnes = 0.0;
    double ask = 0.0;  // USD/t
    int tag = 0;       // caller's label (what this step is: production, stock, stockpile…)
    int pool = -1;     // -1: the country's own supply; else an index into MarketProblem::pools
    bool operator==(const OfferStep&) const = default;
};

// Supply that may serve only some destinations: material under a licensor's re-export conditions
// (docs/model.md §Origin and re-export control). A pool's offers reach its country's own buyers
// and the destinations it may serve, over the country's links (sharing their caps and costs with
// the country's other supply). A pool of an exporter with an export cap serves home only.
struct SupplyPool {
    CountryId country;
    PerCountry<char> may_serve;  // per destination (the entry for its own country is ignored); empty: home only
    bool operator==(const SupplyPool&) const = default;
};

struct BidStep {
    CountryId country;
    double tonnes = 0.0;
    double wtp = 0.0;  // USD/t, willingness to pay
    int tag = 0;
    bool operator==(const BidStep&) const = default;
};

struct MarketProblem {
    int countries = 0;
    std::vector<OfferStep> offers;
    std::vector<BidStep> bids;
    CountryMatrix<double> link_cap;   // [a][b], t; +inf = open; unused for a == b
    CountryMatrix<double> link_cost;  // [a][b], USD/t (transport + duty + tariff)
    PerCountry<double> export_cap;    // [a], t over all destinations; +inf = none
    // [a][b], 1 = the link leaves from sell[a] and does not count against export_cap[a] (a
    // leverage counterfactual's opened link); empty = none.
    CountryMatrix<unsigned char> gate_bypass;
    std::vector<SupplyPool> pools;  // offers with pool >= 0 sit on these
    // Field by field; +0 and -0 compare equal, which gives the same solution (a NaN never gets
    // this far: the solver rejects it).
    bool operator==(const MarketProblem&) const = default;
};

struct MarketSolution {
    std::vector<double> offer_filled;  // per offer step, t
    std::vector<double> bid_filled;    // per bid step, t
    CountryMatrix<double> flow;        // [a][b], t shipped a → b (a ≠ b); diagonal = domestic sales
    PerCountry<double> buy_price;      // USD/t: marginal value of a tonne delivered there
    PerCountry<double> sell_price;     // USD/t: marginal value of a tonne offered there
    double surplus = 0.0;              // gains from trade, USD
    Grid<double, int, CountryId> pool_flow;  // [pool][b], t from each pool to b (b = its country: home sales); included in flow
    std::vector<double> pool_price;    // per pool, USD/t: marginal value of a tonne offered in it (tests; not an output)
};

// Quantities are rounded to whole kilograms for the integer solver; the
// returned flows are exact multiples of 1 kg and balance exactly.
// Empty link_cap means no links (autarky), empty link_cost means free links,
// empty export_cap means no export caps. Throws std::invalid_argument on a
// country out of range, a vector of the wrong size, a NaN in any number it
// uses, or an infinite step size, ask or wtp (an infinite link cost closes
// the link).
//
// Prices come from the duals. The optimal flow pins each price only to an
// interval [L, U]: L the value of one more tonne there, U the cost of bringing
// one more there. Usually L = U (a step at the margin is partly filled); they
// differ when a supply and a demand step run out together, or when nothing
// trades (a buyer priced out by the landed cost). The price is the midpoint.
// Where no tonne can be brought (an embargoed importer, a non-producer's sell
// side) the price is what a tonne would fetch at its best use (the highest
// unserved bid, the export netback); where a tonne has no use (a country
// without demand), what the next one would cost to land there; 0 where
// neither exists. Either way no open link, step or domestic sale is left
// with a profit at these prices.
MarketSolution clear_market(const MarketProblem& problem);

// Keeps the graph and buffers between calls. Hot loops (leverage
// counterfactuals) should hold one solver per market (good and stage): the
// graph is rebuilt only when the network's shape changes (which steps and
// links are non-zero, which exporters are capped). Results never depend on what was solved before.
// Not thread-safe; clear_market keeps one solver per thread.
class MarketSolver {
public:
    MarketSolver();
    ~MarketSolver();
    MarketSolver(MarketSolver&&) noexcept;
    MarketSolver& operator=(MarketSolver&&) noexcept;
    MarketSolver(const MarketSolver&) = delete;
    MarketSolver& operator=(const MarketSolver&) = delete;

    // Writes into `out`, reusing its vectors' storage.
    void solve(const MarketProblem& problem, MarketSolution& out);
    MarketSolution solve(const MarketProblem& problem);

private:
    struct Impl;  // keeps LEMON out of this header
    std::unique_ptr<Impl> impl_;
};

// Exact reuse of solved markets (issue "fast leverage"; docs/performance.md). A leverage
// measurement plays hundreds of short counterfactual runs from one state, and about half of their
// markets are the very problem the baseline run solved at the same turn. A memo stores problems
// with their solutions; a problem equal to a stored one, field by field, gets the stored solution,
// which is what solving it again gives (a solver's results never depend on what it solved
// before), so reuse changes no result — it is keyed on the whole problem, never on a guess.
class MarketMemo {
public:
    // The stored solution of a problem equal to `p`, or null.
    const MarketSolution* find(const MarketProblem& p) const;
    void store(const MarketProblem& p, const MarketSolution& s);
    std::size_t size() const { return size_; }

private:
    struct Entry {
        MarketProblem problem;
        MarketSolution solution;
    };
    std::vector<std::vector<Entry>> buckets_ = std::vector<std::vector<Entry>>(64);
    std::size_t size_ = 0;
};

// While one is alive on a thread, market clearing on that thread (solve_market) looks each problem
// up in `read` (may be shared by threads: it is only read), then in `write` (this thread's own, or
// null), and stores what it solves in `write`. Scopes nest; the innermost applies. Counts lookups
// and hits.
class MarketReuse {
public:
    MarketReuse(const MarketMemo* read, MarketMemo* write);
    ~MarketReuse();
    MarketReuse(const MarketReuse&) = delete;
    MarketReuse& operator=(const MarketReuse&) = delete;

    // Whether what is solved is stored in `write` (on at first).
    void set_storing(bool on) { storing_ = on; }
    long lookups() const { return lookups_; }
    long hits() const { return hits_; }

private:
    friend void solve_market(MarketSolver& solver, const MarketProblem& problem, MarketSolution& out);
    // Looks the problem up, else solves (and stores) it; returns whether it was reused.
    bool solve(MarketSolver& solver, const MarketProblem& problem, MarketSolution& out);
    const MarketMemo* read_;
    MarketMemo* write_;
    MarketReuse* outer_;
    bool storing_ = true;
    long lookups_ = 0, hits_ = 0;
};

// While one is alive on a thread, every market solve_market clears on that thread is shown to it:
// the solver used (one per good in the supply chain), the problem, the solution, and whether it was
// reused. For benchmarks and tests (bench/warm captures real counterfactual markets with it); it
// changes nothing. Scopes nest; the innermost applies.
class MarketWatch {
public:
    using Seen = std::function<void(const MarketSolver& solver, const MarketProblem& problem,
                                    const MarketSolution& solution, bool reused)>;
    explicit MarketWatch(Seen seen);
    ~MarketWatch();
    MarketWatch(const MarketWatch&) = delete;
    MarketWatch& operator=(const MarketWatch&) = delete;

private:
    friend void solve_market(MarketSolver& solver, const MarketProblem& problem, MarketSolution& out);
    Seen seen_;
    MarketWatch* outer_;
};

// solver.solve(problem, out), through the thread's MarketReuse scope when there is one.
void solve_market(MarketSolver& solver, const MarketProblem& problem, MarketSolution& out);

}  // namespace chokepoint
