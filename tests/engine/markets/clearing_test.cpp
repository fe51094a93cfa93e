// Market clearing: allocation, prices from duals, balances. docs/model.md §Markets.
#include "engine/markets/clearing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace chokepoint {
namespace {

constexpr double kOpen = std::numeric_limits<double>::infinity();

// Prices sit on a 2^-20 USD/t grid, so equalities hold to ~5e-7 USD/t.
bool same_price(double a, double b) { return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b)); }
bool at_most(double a, double b) { return a <= b + 1e-6 * std::max(1.0, std::abs(b)); }

long long kg(double tonnes) { return std::llround(tonnes * 1000.0); }
long long cap_kg(double tonnes) { return tonnes == kOpen ? std::numeric_limits<long long>::max() : kg(tonnes); }

CountryId cid(int k) { return CountryId{k}; }

// A pool's destinations, one flag per country.
PerCountry<char> serves(std::initializer_list<char> flags) {
    PerCountry<char> v;
    for (char f : flags) v.push_back(f);
    return v;
}

// n countries in autarky (all links closed, no export caps).
MarketProblem autarky(int n) {
    MarketProblem p;
    p.countries = n;
    p.link_cap.assign(n, n, 0.0);
    p.link_cost.assign(n, n, 0.0);
    p.export_cap.assign(static_cast<std::size_t>(n), kOpen);
    return p;
}

void open_link(MarketProblem& p, int a, int b, double cost, double cap = kOpen) {
    p.link_cap(cid(a), cid(b)) = cap;
    p.link_cost(cid(a), cid(b)) = cost;
}

double exports(const MarketSolution& s, int n, int a) {
    double sum = 0.0;
    for (int b = 0; b < n; ++b)
        if (b != a) sum += s.flow(cid(a), cid(b));
    return sum;
}

// Supply = domestic sales + exports, and demand served = domestic + imports,
// per country and to the kilogram; every quantity is a whole kilogram.
void expect_mass_balance(const MarketProblem& p, const MarketSolution& s) {
    const int n = p.countries;
    std::vector<long long> sold(static_cast<std::size_t>(n), 0), served(static_cast<std::size_t>(n), 0);
    const auto whole_kg = [](double t) { return std::abs(t * 1000.0 - static_cast<double>(kg(t))) < 1e-6; };
    for (std::size_t i = 0; i < p.offers.size(); ++i) {
        EXPECT_TRUE(whole_kg(s.offer_filled[i]));
        EXPECT_GE(kg(s.offer_filled[i]), 0);
        EXPECT_LE(kg(s.offer_filled[i]), kg(p.offers[i].tonnes));
        sold[p.offers[i].country.index()] += kg(s.offer_filled[i]);
    }
    for (std::size_t i = 0; i < p.bids.size(); ++i) {
        EXPECT_TRUE(whole_kg(s.bid_filled[i]));
        EXPECT_GE(kg(s.bid_filled[i]), 0);
        EXPECT_LE(kg(s.bid_filled[i]), kg(p.bids[i].tonnes));
        served[p.bids[i].country.index()] += kg(s.bid_filled[i]);
    }
    for (int a = 0; a < n; ++a) {
        long long out = 0, in = 0, exported = 0;
        for (int b = 0; b < n; ++b) {
            EXPECT_TRUE(whole_kg(s.flow(cid(a), cid(b))));
            out += kg(s.flow(cid(a), cid(b)));
            in += kg(s.flow(cid(b), cid(a)));
            if (b != a) {
                const bool bypass = !p.gate_bypass.empty() && p.gate_bypass(cid(a), cid(b)) != 0;
                if (!bypass) exported += kg(s.flow(cid(a), cid(b)));
                EXPECT_LE(kg(s.flow(cid(a), cid(b))), cap_kg(p.link_cap(cid(a), cid(b))));
            }
        }
        EXPECT_EQ(sold[static_cast<std::size_t>(a)], out) << "country " << a;
        EXPECT_EQ(served[static_cast<std::size_t>(a)], in) << "country " << a;
        EXPECT_LE(exported, cap_kg(p.export_cap[cid(a)]));
    }
}

// The prices support the allocation as a competitive equilibrium:
// complementary slackness (a step or link at its margin sets the price) and
// dual feasibility (nobody left out would gain by trading at these prices).
void expect_equilibrium(const MarketProblem& p, const MarketSolution& s) {
    const int n = p.countries;
    for (std::size_t i = 0; i < p.offers.size(); ++i) {
        const OfferStep& o = p.offers[i];
        const double price = s.sell_price[o.country];
        const long long filled = kg(s.offer_filled[i]), full = kg(o.tonnes);
        const bool partial = filled > 0 && filled < full;
        EXPECT_TRUE(!partial || same_price(price, o.ask)) << "offer " << i << ": " << price << " vs " << o.ask;
        EXPECT_TRUE(filled == 0 || at_most(o.ask, price)) << "offer " << i << " sells below its ask";
        EXPECT_TRUE(filled == full || at_most(price, o.ask)) << "offer " << i << " left out above its ask";
    }
    for (std::size_t i = 0; i < p.bids.size(); ++i) {
        const BidStep& b = p.bids[i];
        const double price = s.buy_price[b.country];
        const long long filled = kg(s.bid_filled[i]), full = kg(b.tonnes);
        const bool partial = filled > 0 && filled < full;
        EXPECT_TRUE(!partial || same_price(price, b.wtp)) << "bid " << i << ": " << price << " vs " << b.wtp;
        EXPECT_TRUE(filled == 0 || at_most(price, b.wtp)) << "bid " << i << " pays above its wtp";
        EXPECT_TRUE(filled == full || at_most(b.wtp, price)) << "bid " << i << " left out below its wtp";
    }
    for (int a = 0; a < n; ++a) {
        EXPECT_TRUE(at_most(s.buy_price[cid(a)], s.sell_price[cid(a)])) << "country " << a;
        EXPECT_TRUE(s.flow(cid(a), cid(a)) == 0 || same_price(s.buy_price[cid(a)], s.sell_price[cid(a)])) << "country " << a;
        const bool gate_open = kg(exports(s, n, a)) < cap_kg(p.export_cap[cid(a)]);
        for (int b = 0; b < n; ++b) {
            if (b == a || cap_kg(p.link_cap(cid(a), cid(b))) == 0) continue;
            const double gap = s.buy_price[cid(b)] - s.sell_price[cid(a)];
            const double cost = p.link_cost(cid(a), cid(b));
            const long long f = kg(s.flow(cid(a), cid(b)));
            const bool room = gate_open && f < cap_kg(p.link_cap(cid(a), cid(b)));
            EXPECT_TRUE(f == 0 || at_most(cost, gap)) << a << "→" << b << " ships at a loss";
            EXPECT_TRUE(!room || at_most(gap, cost)) << a << "→" << b << " leaves arbitrage";
            EXPECT_TRUE(f == 0 || !room || same_price(gap, cost)) << a << "→" << b << ": gap " << gap << " vs " << cost;
        }
    }
}

// Links are a mix of open, licensed (capped) and embargoed, and some
// exporters cap their total exports. With `specialised`, some countries only
// consume and some only produce, as in the real trade in rare earths.
MarketProblem random_market(unsigned seed, int n, int steps_per_country, bool specialised = false) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    MarketProblem p = autarky(n);
    for (int c = 0; c < n; ++c) {
        const bool produces = !specialised || c % 3 != 1;
        const bool consumes = !specialised || c % 4 != 2;
        for (int k = 0; k < steps_per_country; ++k) {
            if (produces) p.offers.push_back({cid(c), 1.0 + 99.0 * unit(rng), 5.0 + 95.0 * unit(rng), k});
            if (consumes) p.bids.push_back({cid(c), 1.0 + 99.0 * unit(rng), 5.0 + 145.0 * unit(rng), k});
        }
        if (unit(rng) < 0.3) p.export_cap[cid(c)] = 200.0 * unit(rng);
    }
    for (int a = 0; a < n; ++a) {
        for (int b = 0; b < n; ++b) {
            if (a == b) continue;
            const double kind = unit(rng);
            const double cap = kind < 0.4 ? kOpen : kind < 0.6 ? 0.0 : 60.0 * unit(rng);
            open_link(p, a, b, 0.5 + 19.5 * unit(rng), cap);
        }
    }
    return p;
}

bool bit_identical(const std::vector<double>& x, const std::vector<double>& y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

bool bit_identical(const MarketSolution& x, const MarketSolution& y) {
    return bit_identical(x.offer_filled, y.offer_filled) && bit_identical(x.bid_filled, y.bid_filled) &&
           bit_identical(x.flow.cells, y.flow.cells) && bit_identical(x.buy_price.values(), y.buy_price.values()) &&
           bit_identical(x.sell_price.values(), y.sell_price.values()) && std::memcmp(&x.surplus, &y.surplus, sizeof(double)) == 0;
}

// Exporter 0 with cheap supply and small home demand; importer 1 without supply.
MarketProblem exporter_and_importer(double link_cap) {
    MarketProblem p = autarky(2);
    p.offers = {{cid(0), 1000.0, 10.0, 0}};
    p.bids = {{cid(0), 100.0, 100.0, 0}, {cid(1), 500.0, 200.0, 0}};
    open_link(p, 0, 1, 2.0, link_cap);
    return p;
}

TEST(MarketClearing, SingleCountryPriceIsMarginalAskWhenSupplyIsNotExhausted) {
    MarketProblem p = autarky(1);
    p.offers = {{cid(0), 100.0, 10.0, 0}};
    p.bids = {{cid(0), 60.0, 50.0, 0}};
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.offer_filled[0]), 60000);
    EXPECT_EQ(kg(s.bid_filled[0]), 60000);
    EXPECT_EQ(kg(s.flow(cid(0), cid(0))), 60000);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(0)], 10.0);
    EXPECT_DOUBLE_EQ(s.sell_price[cid(0)], 10.0);
    EXPECT_DOUBLE_EQ(s.surplus, 60.0 * (50.0 - 10.0));
}

TEST(MarketClearing, SingleCountryPriceIsMarginalWtpWhenDemandIsNotExhausted) {
    MarketProblem p = autarky(1);
    p.offers = {{cid(0), 100.0, 10.0, 0}};
    p.bids = {{cid(0), 150.0, 50.0, 0}};
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.offer_filled[0]), 100000);
    EXPECT_EQ(kg(s.bid_filled[0]), 100000);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(0)], 50.0);
    EXPECT_DOUBLE_EQ(s.sell_price[cid(0)], 50.0);
}

TEST(MarketClearing, StepsExhaustedTogetherPriceAtMidpointOfDualInterval) {
    // 100 t at 10 meets 100 t at 50: any price in [10, 50] clears the market.
    MarketProblem p = autarky(1);
    p.offers = {{cid(0), 100.0, 10.0, 0}};
    p.bids = {{cid(0), 100.0, 50.0, 0}};
    EXPECT_DOUBLE_EQ(clear_market(p).buy_price[cid(0)], 30.0);
    // A spare step at 40 lowers the top of the interval: one more tonne costs 40.
    p.offers.push_back({cid(0), 50.0, 40.0, 1});
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.offer_filled[1]), 0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(0)], 25.0);
    expect_equilibrium(p, s);
}

TEST(MarketClearing, CheapestSupplierIsServedFirst) {
    MarketProblem p = autarky(3);
    p.offers = {{cid(0), 100.0, 20.0, 0}, {cid(1), 100.0, 10.0, 0}};
    p.bids = {{cid(2), 150.0, 90.0, 0}};
    open_link(p, 0, 2, 1.0);
    open_link(p, 1, 2, 1.0);
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.flow(cid(1), cid(2))), 100000);
    EXPECT_EQ(kg(s.flow(cid(0), cid(2))), 50000);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(2)], 21.0);  // the partly used supplier sets the price
    EXPECT_DOUBLE_EQ(s.sell_price[cid(1)], 20.0);  // the cheap supplier earns the world price
    expect_equilibrium(p, s);
}

TEST(MarketClearing, OpenTradeGivesOneWorldPriceUpToTransportCost) {
    const MarketProblem p = exporter_and_importer(kOpen);
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.flow(cid(0), cid(1))), 500000);
    EXPECT_DOUBLE_EQ(s.sell_price[cid(0)], 10.0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(0)], 10.0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(1)] - s.sell_price[cid(0)], 2.0);
    expect_equilibrium(p, s);
}

TEST(MarketClearing, OpenTradeLetsForeignBuyersOutbidHomeBuyers) {
    // Scarce supply goes where it is valued most; both prices follow the importer's bid.
    MarketProblem p = autarky(2);
    p.offers = {{cid(0), 100.0, 10.0, 0}};
    p.bids = {{cid(0), 50.0, 55.0, 0}, {cid(1), 300.0, 60.0, 0}};
    open_link(p, 0, 1, 2.0);
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.flow(cid(0), cid(1))), 100000);
    EXPECT_EQ(kg(s.bid_filled[0]), 0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(1)], 60.0);
    EXPECT_DOUBLE_EQ(s.sell_price[cid(0)], 58.0);
    expect_equilibrium(p, s);
}

TEST(MarketClearing, RestrictedExporterGetsLowerDomesticPrice) {
    const MarketProblem p = exporter_and_importer(50.0);
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.flow(cid(0), cid(1))), 50000);
    EXPECT_EQ(kg(s.flow(cid(0), cid(0))), 100000);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(0)], 10.0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(1)], 200.0);
    EXPECT_GT(s.buy_price[cid(1)] - s.buy_price[cid(0)], 2.0);  // a gap beyond transport: the license rent
    expect_equilibrium(p, s);
}

TEST(MarketClearing, LicensedVolumeCapsFlowExactly) {
    const MarketProblem p = exporter_and_importer(37.5);
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.flow(cid(0), cid(1))), 37500);
    EXPECT_EQ(kg(s.bid_filled[1]), 37500);
}

TEST(MarketClearing, EmbargoStopsFlowAndRaisesImporterPrice) {
    MarketProblem p = exporter_and_importer(kOpen);
    p.offers.push_back({cid(1), 20.0, 80.0, 0});  // the importer's own small, dear mine
    const double open_price = clear_market(p).buy_price[cid(1)];
    p.link_cap(cid(0), cid(1)) = 0.0;
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(s.flow(cid(0), cid(1)), 0.0);
    EXPECT_EQ(kg(s.offer_filled[1]), 20000);
    EXPECT_DOUBLE_EQ(open_price, 12.0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(1)], 200.0);
    expect_equilibrium(p, s);
}

TEST(MarketClearing, ExportCapLimitsTheSumOverAllDestinations) {
    MarketProblem p = autarky(4);
    p.offers = {{cid(0), 1000.0, 10.0, 0}};
    p.bids = {{cid(1), 100.0, 100.0, 0}, {cid(2), 100.0, 90.0, 0}, {cid(3), 100.0, 80.0, 0}};
    for (int b = 1; b < 4; ++b) open_link(p, 0, b, 1.0);
    p.export_cap[cid(0)] = 150.0;
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(exports(s, 4, 0)), 150000);
    EXPECT_EQ(kg(s.flow(cid(0), cid(1))), 100000);  // the cap goes to the highest bidders
    EXPECT_EQ(kg(s.flow(cid(0), cid(2))), 50000);
    EXPECT_DOUBLE_EQ(s.sell_price[cid(0)], 10.0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(2)], 90.0);
    expect_mass_balance(p, s);
    expect_equilibrium(p, s);
}

TEST(MarketClearing, ABypassedLinkShipsOutsideTheExportCap) {
    // A leverage counterfactual opens 0 → 2: it skips 0's export cap, which still binds the others.
    for (double cap : {150.0, 0.0}) {
        MarketProblem p = autarky(4);
        p.offers = {{cid(0), 1000.0, 10.0, 0}};
        p.bids = {{cid(1), 100.0, 100.0, 0}, {cid(2), 100.0, 90.0, 0}, {cid(3), 100.0, 80.0, 0}};
        for (int b = 1; b < 4; ++b) open_link(p, 0, b, 1.0);
        p.export_cap[cid(0)] = cap;
        p.gate_bypass.assign(4, 4, 0);
        p.gate_bypass(cid(0), cid(2)) = 1;
        const MarketSolution s = clear_market(p);
        EXPECT_EQ(kg(s.flow(cid(0), cid(2))), 100000) << cap;
        EXPECT_EQ(kg(s.flow(cid(0), cid(1)) + s.flow(cid(0), cid(3))), kg(cap)) << cap;
        EXPECT_EQ(kg(s.flow(cid(0), cid(1))), kg(std::min(cap, 100.0))) << cap;
        expect_mass_balance(p, s);
    }
}

TEST(MarketClearing, UnservedImporterIsPricedBetweenBestBidAndLandedCost) {
    // Supply landed in 1 costs 32, its buyers pay at most 20: nothing trades,
    // any price in [20, 32] is an equilibrium and the midpoint is reported.
    MarketProblem p = autarky(2);
    p.offers = {{cid(0), 100.0, 30.0, 0}};
    p.bids = {{cid(1), 10.0, 20.0, 0}, {cid(1), 10.0, 15.0, 1}};
    open_link(p, 0, 1, 2.0);
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(s.flow(cid(0), cid(1)), 0.0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(1)], 26.0);
    EXPECT_DOUBLE_EQ(s.sell_price[cid(0)], 24.0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(0)], 24.0);   // no demand in 0: a tonne there costs what 0's supply is priced at
    EXPECT_DOUBLE_EQ(s.sell_price[cid(1)], 26.0);  // no supply in 1: a tonne there fetches 1's price
    expect_equilibrium(p, s);
}

TEST(MarketClearing, IsolatedCountriesArePricedAtTheirOwnMargin) {
    MarketProblem p = autarky(3);
    p.offers = {{cid(0), 10.0, 25.0, 0}, {cid(0), 10.0, 15.0, 1}};
    p.bids = {{cid(1), 10.0, 40.0, 0}, {cid(1), 10.0, 70.0, 1}};
    const MarketSolution s = clear_market(p);
    EXPECT_DOUBLE_EQ(s.sell_price[cid(0)], 15.0);  // no buyers: what the next tonne would cost
    EXPECT_DOUBLE_EQ(s.buy_price[cid(0)], 15.0);
    EXPECT_DOUBLE_EQ(s.buy_price[cid(1)], 70.0);  // no sellers: what the next tonne is worth
    EXPECT_DOUBLE_EQ(s.sell_price[cid(1)], 70.0);
    EXPECT_EQ(s.buy_price[cid(2)], 0.0);  // nothing at all
    EXPECT_EQ(s.sell_price[cid(2)], 0.0);
}

TEST(MarketClearing, SurplusIsValueServedMinusAsksMinusShippingCost) {
    const MarketProblem p = exporter_and_importer(kOpen);
    const MarketSolution s = clear_market(p);
    EXPECT_DOUBLE_EQ(s.surplus, 100.0 * 100.0 + 500.0 * 200.0 - 600.0 * 10.0 - 500.0 * 2.0);
}

TEST(MarketClearing, EmptyProblemsDoNotCrash) {
    const MarketSolution none = clear_market(MarketProblem{});
    EXPECT_TRUE(none.flow.empty());
    EXPECT_TRUE(none.buy_price.empty());
    EXPECT_EQ(none.surplus, 0.0);

    MarketProblem no_offers = autarky(2);
    no_offers.bids = {{cid(1), 10.0, 40.0, 0}};
    open_link(no_offers, 0, 1, 1.0);
    const MarketSolution a = clear_market(no_offers);
    EXPECT_EQ(a.bid_filled[0], 0.0);
    EXPECT_DOUBLE_EQ(a.buy_price[cid(1)], 40.0);
    EXPECT_DOUBLE_EQ(a.sell_price[cid(0)], 39.0);  // a tonne in 0 is worth the netback from 1
    EXPECT_DOUBLE_EQ(a.buy_price[cid(0)], 39.0);
    expect_equilibrium(no_offers, a);

    MarketProblem no_bids = autarky(2);
    no_bids.offers = {{cid(0), 10.0, 40.0, 0}, {cid(0), 0.0, 5.0, 1}};  // an empty step sets no price
    open_link(no_bids, 0, 1, 1.0);
    const MarketSolution b = clear_market(no_bids);
    EXPECT_EQ(b.offer_filled[0], 0.0);
    EXPECT_DOUBLE_EQ(b.sell_price[cid(0)], 40.0);
    EXPECT_DOUBLE_EQ(b.buy_price[cid(1)], 41.0);
    EXPECT_DOUBLE_EQ(b.sell_price[cid(1)], 41.0);
    expect_equilibrium(no_bids, b);

    MarketProblem negative = autarky(1);  // a negative step counts as empty
    negative.offers = {{cid(0), -5.0, 1.0, 0}};
    negative.bids = {{cid(0), 5.0, 9.0, 0}};
    EXPECT_EQ(clear_market(negative).offer_filled[0], 0.0);

    MarketProblem bare;  // vectors left empty: no links, no caps
    bare.countries = 2;
    bare.offers = {{cid(0), 5.0, 1.0, 0}};
    bare.bids = {{cid(0), 3.0, 9.0, 0}, {cid(1), 3.0, 99.0, 0}};
    const MarketSolution c = clear_market(bare);
    EXPECT_EQ(kg(c.flow(cid(0), cid(0))), 3000);
    EXPECT_EQ(c.flow(cid(0), cid(1)), 0.0);
    EXPECT_EQ(c.bid_filled[1], 0.0);
}

TEST(MarketClearing, InvalidInputIsRejected) {
    MarketProblem p = autarky(2);
    p.offers = {{cid(2), 1.0, 1.0, 0}};
    EXPECT_THROW(clear_market(p), std::invalid_argument);
    p.offers = {{cid(0), 1.0, std::nan(""), 0}};
    EXPECT_THROW(clear_market(p), std::invalid_argument);
    p.offers.clear();
    p.link_cap.assign(3, 2, 0.0);
    EXPECT_THROW(clear_market(p), std::invalid_argument);
}

TEST(MarketClearing, MassBalancesAtEveryNodeToTheKilogram) {
    for (unsigned seed = 1; seed <= 10; ++seed) {
        const MarketProblem p = random_market(seed, 8, 6);
        expect_mass_balance(p, clear_market(p));
    }
}

TEST(MarketClearing, SameProblemGivesBitIdenticalSolution) {
    const MarketProblem p = random_market(42, 12, 10);
    const MarketSolution first = clear_market(p);
    EXPECT_TRUE(bit_identical(first, clear_market(p)));
    EXPECT_TRUE(bit_identical(first, MarketSolver{}.solve(p)));

    // A warm solver must not remember earlier markets, whether their network
    // had another shape or the same shape with other data.
    MarketSolver solver;
    MarketSolution reused;
    solver.solve(random_market(7, 5, 3), reused);
    solver.solve(p, reused);
    EXPECT_TRUE(bit_identical(first, reused));
    MarketProblem same_shape = p;
    for (OfferStep& o : same_shape.offers) o.ask *= 1.5;
    for (BidStep& b : same_shape.bids) b.tonnes *= 0.5;
    solver.solve(same_shape, reused);
    solver.solve(p, reused);
    EXPECT_TRUE(bit_identical(first, reused));
}

TEST(MarketClearing, PricesStayExactAcrossWideRangesOfValue) {
    // A defence buyer paying millions per tonne next to a cheap mine: the
    // cost grid (2^-20 USD/t) keeps both ends exact.
    MarketProblem p = autarky(2);
    p.offers = {{cid(0), 100.0, 12.5, 0}, {cid(1), 1.0, 0.125, 0}};
    p.bids = {{cid(1), 50.0, 5e6, 0}, {cid(0), 10.0, 20.0, 0}};
    open_link(p, 0, 1, 0.75, 30.0);
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.flow(cid(0), cid(1))), 30000);
    EXPECT_EQ(s.sell_price[cid(0)], 12.5);
    EXPECT_EQ(s.buy_price[cid(1)], 5e6);
    expect_equilibrium(p, s);
}

TEST(MarketClearing, TradeNeverLowersSurplusBelowAutarky) {
    for (unsigned seed = 1; seed <= 10; ++seed) {
        const MarketProblem trade = random_market(seed, 10, 5);
        MarketProblem closed = trade;
        std::fill(closed.link_cap.cells.begin(), closed.link_cap.cells.end(), 0.0);
        const double with_trade = clear_market(trade).surplus;
        const double without = clear_market(closed).surplus;
        EXPECT_GE(with_trade, without - 1e-6 * std::abs(without)) << "seed " << seed;
        expect_equilibrium(closed, clear_market(closed));
    }
}

TEST(MarketClearing, LargeRandomMarketSatisfiesComplementarySlackness) {
    for (unsigned seed = 100; seed < 130; ++seed) {
        const MarketProblem p = random_market(seed, 15, 12);
        const MarketSolution s = clear_market(p);
        expect_mass_balance(p, s);
        expect_equilibrium(p, s);
        if (::testing::Test::HasFailure()) {
            ADD_FAILURE() << "seed " << seed;
            break;
        }
    }
}

TEST(MarketClearing, NonProducersAndNonConsumersAreArbitrageFree) {
    // Their sell or buy node has no step to pin it; the prices derived from
    // neighbours must still leave no profitable trade along any open arc.
    for (unsigned seed = 200; seed < 230; ++seed) {
        const MarketProblem p = random_market(seed, 14, 10, true);
        const MarketSolution s = clear_market(p);
        expect_mass_balance(p, s);
        expect_equilibrium(p, s);
        if (::testing::Test::HasFailure()) {
            ADD_FAILURE() << "seed " << seed;
            break;
        }
    }
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// docs/model.md §Origin and re-export control: a pool serves its country's buyers and the
// destinations it may serve, sharing the country's link caps; its price is its own margin.
TEST(MarketClearing, SupplyPoolServesOnlyHomeAndConsentingDestinations) {
    MarketProblem p = autarky(3);  // 0 = J (holds the pool), 1 = U (refused), 2 = K (consents)
    p.pools = {{cid(0), serves({0, 0, 1})}};
    p.offers = {{cid(0), 30.0, 10.0, 0, -1}, {cid(0), 100.0, 5.0, 1, 0}};
    p.bids = {{cid(1), 100.0, 100.0, 0}, {cid(2), 50.0, 80.0, 0}, {cid(0), 20.0, 50.0, 0}};
    open_link(p, 0, 1, 1.0);
    open_link(p, 0, 2, 1.0, 40.0);
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.pool_flow(0, cid(1))), 0) << "nothing from the pool to U";
    EXPECT_EQ(kg(s.flow(cid(0), cid(1))), 30000) << "U gets the clean supply only";
    EXPECT_EQ(kg(s.flow(cid(0), cid(2))), 40000) << "K up to the link cap";
    EXPECT_EQ(kg(s.pool_flow(0, cid(2))), 40000);
    EXPECT_EQ(kg(s.pool_flow(0, cid(0))), 20000) << "J's own buyers from the pool";
    EXPECT_EQ(kg(s.flow(cid(0), cid(0))), 20000) << "home sales include the pool's";
    EXPECT_EQ(kg(s.offer_filled[1]), 60000);
    EXPECT_DOUBLE_EQ(s.pool_price[0], 5.0) << "partly sold pool: its price is its ask";
    EXPECT_GE(s.buy_price[cid(2)] - s.pool_price[0], 1.0 - 1e-9) << "the pool ships to K at no loss";
    EXPECT_LE(s.buy_price[cid(0)], s.pool_price[0] + 1e-9) << "home sales from the pool leave no profit";
    EXPECT_GE(s.buy_price[cid(0)], s.pool_price[0] - 1e-9);
    EXPECT_LE(s.sell_price[cid(0)], s.buy_price[cid(1)] - 1.0 + 1e-9);
    // Mass balance at the pool.
    EXPECT_EQ(kg(s.pool_flow(0, cid(0))) + kg(s.pool_flow(0, cid(1))) + kg(s.pool_flow(0, cid(2))), kg(s.offer_filled[1]));
}

TEST(MarketClearing, SupplyPoolSharesItsCountrysLinkCap) {
    MarketProblem p = autarky(2);
    p.pools = {{cid(0), serves({0, 1})}};
    p.offers = {{cid(0), 30.0, 10.0, 0, -1}, {cid(0), 100.0, 5.0, 1, 0}};
    p.bids = {{cid(1), 100.0, 100.0, 0}};
    open_link(p, 0, 1, 1.0, 50.0);
    const MarketSolution s = clear_market(p);
    EXPECT_EQ(kg(s.flow(cid(0), cid(1))), 50000);
    EXPECT_EQ(kg(s.pool_flow(0, cid(1))) + kg(s.offer_filled[0]), 50000);
    EXPECT_EQ(kg(s.pool_flow(0, cid(1))), 50000) << "the cheaper pool goes first";
    // With an export cap the pool serves home only.
    p.export_cap[cid(0)] = 80.0;
    const MarketSolution capped = clear_market(p);
    EXPECT_EQ(kg(capped.pool_flow(0, cid(1))), 0);
    EXPECT_EQ(kg(capped.flow(cid(0), cid(1))), 30000);
}

// Exact reuse (MarketMemo, MarketReuse): a stored problem's solution is returned only for an
// equal problem, and it is what solving that problem gives.
TEST(MarketMemo, FindsOnlyAnEqualProblem) {
    const MarketProblem p = random_market(5, 6, 4);
    MarketMemo memo;
    EXPECT_EQ(memo.find(p), nullptr);
    const MarketSolution solved = clear_market(p);
    memo.store(p, solved);
    ASSERT_NE(memo.find(p), nullptr);
    EXPECT_TRUE(bit_identical(*memo.find(p), solved));
    memo.store(p, solved);
    EXPECT_EQ(memo.size(), 1u);

    // One number changed anywhere is another problem.
    std::vector<MarketProblem> changed(8, p);
    changed[0].offers[3].ask = std::nextafter(changed[0].offers[3].ask, 1e9);
    changed[1].bids[2].tonnes += 0.001;
    changed[2].link_cap(cid(1), cid(2)) = 0.0 == changed[2].link_cap(cid(1), cid(2)) ? 1.0 : 0.0;
    changed[3].link_cost(cid(2), cid(4)) += 1.0;
    changed[4].export_cap[cid(0)] = 17.0;
    changed[5].gate_bypass.assign(6, 6, 0);
    changed[6].bids.pop_back();
    changed[7].pools.push_back(SupplyPool{cid(1), {}});
    for (std::size_t k = 0; k < changed.size(); ++k) EXPECT_EQ(memo.find(changed[k]), nullptr) << "change " << k;

    // -0 and +0 are the same number to the solver and to the memo.
    MarketProblem signed_zero = p;
    signed_zero.link_cost(cid(0), cid(0)) = -0.0;
    EXPECT_NE(memo.find(signed_zero), nullptr);
}

TEST(MarketMemo, ReuseInsideAScopeGivesWhatSolvingGives) {
    // Random markets solved by one warm solver in a shuffled order, through a reuse scope that
    // stores them; every later lookup must equal a fresh solve of the same problem.
    std::vector<MarketProblem> problems;
    for (unsigned seed = 0; seed < 40; ++seed)
        problems.push_back(
            random_market(seed, 3 + static_cast<int>(seed % 9), 2 + static_cast<int>(seed % 5), seed % 2 == 0));
    MarketMemo shared, own;
    MarketSolver solver;
    MarketSolution out;
    {
        MarketReuse record(nullptr, &shared);
        for (std::size_t i = 0; i < problems.size(); i += 2) solve_market(solver, problems[i], out);
        EXPECT_EQ(record.hits(), 0);
    }
    EXPECT_EQ(shared.size(), problems.size() / 2);
    MarketReuse reuse(&shared, &own);
    std::mt19937 rng(3);
    std::vector<std::size_t> order(problems.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    for (int round = 0; round < 2; ++round)
        for (std::size_t i : order) {
            solve_market(solver, problems[i], out);
            EXPECT_TRUE(bit_identical(out, MarketSolver{}.solve(problems[i]))) << "problem " << i << " round " << round;
        }
    // First round: the even ones come from `shared`; the second round finds all of them.
    EXPECT_EQ(reuse.lookups(), 80);
    EXPECT_EQ(reuse.hits(), 20 + 40);
    EXPECT_EQ(own.size(), 20u);
    {
        // Scopes nest: the inner one applies, and the outer one is back after it.
        MarketReuse none(nullptr, nullptr);
        solve_market(solver, problems[0], out);
        EXPECT_EQ(none.hits(), 0);
    }
    solve_market(solver, problems[0], out);
    EXPECT_EQ(reuse.hits(), 61);
    // Storing can be paused.
    reuse.set_storing(false);
    solve_market(solver, random_market(99, 4, 3), out);
    EXPECT_EQ(own.size(), 20u);
}

TEST(MarketWatch, SeesEverySolveWithItsSolverAndWhetherItWasReused) {
    const MarketProblem p = random_market(5, 5, 3), q = random_market(6, 4, 2);
    MarketSolver first, second;
    MarketSolution out;
    struct Seen {
        const MarketSolver* solver;
        MarketProblem problem;
        double surplus;
        bool reused;
    };
    std::vector<Seen> seen;
    MarketMemo memo;
    MarketReuse reuse(nullptr, &memo);
    {
        MarketWatch watch([&](const MarketSolver& s, const MarketProblem& problem, const MarketSolution& solution,
                              bool reused) { seen.push_back({&s, problem, solution.surplus, reused}); });
        solve_market(first, p, out);
        solve_market(second, q, out);
        solve_market(second, p, out);
    }
    solve_market(first, q, out);  // the watch is gone
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].solver, &first);
    EXPECT_EQ(seen[1].solver, &second);
    EXPECT_EQ(seen[2].solver, &second);
    EXPECT_TRUE(seen[0].problem == p);
    EXPECT_TRUE(seen[1].problem == q);
    EXPECT_FALSE(seen[0].reused);
    EXPECT_FALSE(seen[1].reused);
    EXPECT_TRUE(seen[2].reused);
    EXPECT_EQ(seen[2].surplus, clear_market(p).surplus);
}

TEST(MarketClearing, ABypassOnAnUncappedExporterChangesNothing) {
    // Why clear_good_market drops a counterfactual's bypass where the exporter has no export cap:
    // the problem then equals the today run's, and its solution is the same bit for bit.
    for (unsigned seed = 0; seed < 30; ++seed) {
        MarketProblem p = random_market(seed, 6, 4);
        for (double& cap : p.export_cap) cap = kOpen;
        MarketProblem bypassed = p;
        bypassed.gate_bypass.assign(6, 6, 0);
        bypassed.gate_bypass(cid(1), cid(3)) = 1;
        EXPECT_TRUE(bit_identical(clear_market(p), clear_market(bypassed))) << "seed " << seed;
    }
}

}  // namespace
}  // namespace chokepoint
