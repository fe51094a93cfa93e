// Market clearing for one good: the allocation that maximises gains from
// trade under trade permissions, tariffs and transport cost, with a price per
// country from the duals. docs/model.md §Markets.
//
// Network (solved as a min-cost flow with LEMON's NetworkSimplex):
//   source ─offer step (cap q, cost ask)─► sell[a]
//   sell[a] ─domestic (cap ∞, cost 0)─► buy[a]
//   sell[a] ─export gate (cap export_cap[a], cost 0)─► gate[a]
//   gate[a] ─link (cap link_cap[a][b], cost link_cost[a][b])─► buy[b]     (a ≠ b)
//   buy[b]  ─bid step (cap q, cost −wtp)─► sink
//   source ─► sink (cap ∞, cost 0)   (unsold supply, unmet demand)
// The solution minimises Σ cost · flow, i.e. maximises Σ wtp·served − Σ ask·sold − Σ link costs.
#pragma once

#include <vector>

namespace chokepoint {

struct OfferStep {
    int country = 0;
    double tonnes = 0.0;
    double ask = 0.0;  // USD/t
    int tag = 0;       // caller's label (what this step is: production, stock, stockpile…)
};

struct BidStep {
    int country = 0;
    double tonnes = 0.0;
    double wtp = 0.0;  // USD/t, willingness to pay
    int tag = 0;
};

struct MarketProblem {
    int countries = 0;
    std::vector<OfferStep> offers;
    std::vector<BidStep> bids;
    std::vector<double> link_cap;   // [a * countries + b], t; +inf = open; unused for a == b
    std::vector<double> link_cost;  // [a * countries + b], USD/t (transport + duty + tariff)
    std::vector<double> export_cap; // [a], t over all destinations; +inf = none
};

struct MarketSolution {
    std::vector<double> offer_filled;  // per offer step, t
    std::vector<double> bid_filled;    // per bid step, t
    std::vector<double> flow;          // [a * countries + b], t shipped a → b (a ≠ b); diagonal = domestic sales
    std::vector<double> buy_price;     // per country, USD/t: marginal value of a tonne delivered there
    std::vector<double> sell_price;    // per country, USD/t: marginal value of a tonne offered there
    double surplus = 0.0;              // gains from trade, USD
};

// Quantities are rounded to whole kilograms for the integer solver; the
// returned flows are exact multiples of 1 kg and balance exactly.
MarketSolution clear_market(const MarketProblem& problem);

}  // namespace chokepoint
