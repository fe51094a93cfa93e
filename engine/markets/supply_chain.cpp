#include "engine/markets/supply_chain.hpp"

#include <algorithm>
#include <cmath>

#include "engine/markets/clearing.hpp"
#include "engine/metrics/indicators.hpp"

namespace chokepoint {

namespace {

// What each offer or bid step stands for, so the solution can be applied.
enum class OfferKind { Production, StockExcess, StockHeld, StockpileRelease };
enum class BidKind { Sector, Feed, Restock, StockpileBuy };

struct OfferInfo {
    OfferKind kind;
    double unit_cost = 0.0;  // conversion cost of this production step, USD/t
    int order = -1;          // stockpile order index
};
struct BidInfo {
    BidKind kind;
    int sector = -1;  // for sector bids: index of the group of sectors sharing the tranche
    int order = -1;
};

// Whole kilograms, rounded down, so the solver never offers more than exists.
double floor_kg(double t) { return t > 0 ? std::floor(t * 1000.0 + 1e-9) / 1000.0 : 0.0; }

size_t at(int i) { return static_cast<size_t>(i); }

// A "normal" price for inventory decisions is at most this multiple of the reference price.
constexpr double kNormalPriceCap = 1.5;

// Money between the two sides of a country and the outside world.
void pay_outside(State& s, CountryId c, bool government, double usd) {
    auto& cs = s.countries[at(c)];
    (government ? cs.treasury : cs.economy_cash) -= usd;
    s.outside += usd;
}

}  // namespace

void reset_outcome(const Definitions& d, MarketOutcome& out) {
    const int C = d.country_count(), G = d.good_count(), S = d.sector_count();
    for (Grid<double>* g : {&out.price, &out.supply_price, &out.produced, &out.consumed, &out.used_as_input,
                            &out.imported, &out.exported, &out.stock_change, &out.stockpile_change, &out.env_cost})
        *g = Grid<double>(C, G, 0.0);
    out.demand = Grid<double>(C, S, 0.0);
    out.met = Grid<double>(C, S, 0.0);
    out.cash = Grid<double>(C, kCashFlowCount, 0.0);
    out.flows.assign(at(G), Grid<double>(C, C, 0.0));
}

double link_allowance(const Definitions& d, const State& s, CountryId a, CountryId b, GoodId g) {
    const auto& rule = s.rule(a, g, b, d.good_count());
    switch (rule.regime) {
        case Regime::Open: return kUnlimited;
        case Regime::Embargo: return 0.0;
        case Regime::Licensed: break;
    }
    double sum = 0.0;
    for (const auto& l : s.licenses)
        if (l.exporter == a && l.importer == b && l.good == g && !l.revoked && l.first_turn <= s.turn &&
            s.turn <= l.last_turn)
            sum += license_volume_now(l, s.turn);
    return sum;
}

double relationship_limit(const Definitions& d, const State& s, CountryId a, CountryId b, GoodId g) {
    if (s.established.empty()) return kUnlimited;  // while the relationships are being seeded
    double floor = d.market.link_floor_share * annual_use(d, s, b, g) / d.turns_per_year();
    return std::max(s.established[at(g)](a, b) * (1.0 + d.market.link_growth), floor);
}

void seed_relationships(const Definitions& d, State& s) {
    State free_trade = s;
    free_trade.established.clear();
    for (auto& rule : free_trade.rules.cells) rule = ExportRule{};
    for (auto& t : free_trade.tariff.cells) t = 0.0;
    for (auto& c : free_trade.countries) std::fill(c.export_quota.begin(), c.export_quota.end(), kUnlimited);
    MarketOutcome out;
    reset_outcome(d, out);
    for (int g = 0; g < d.good_count(); ++g) clear_good_market(d, free_trade, g, Cutoff{}, out);
    s.established = out.flows;
}

void update_relationships(const Definitions& d, State& s) {
    for (int g = 0; g < d.good_count(); ++g) {
        auto& est = s.established[at(g)].cells;
        const auto& flow = s.last.flows[at(g)].cells;
        for (size_t i = 0; i < est.size(); ++i) est[i] = std::max(flow[i], est[i] * (1.0 - d.market.link_decay));
    }
}

// Records a shipment against the licenses that allow it, oldest first.
static void draw_licenses(const Definitions& d, State& s, CountryId a, CountryId b, GoodId g, double tonnes,
                          double used_already) {
    if (s.rule(a, g, b, d.good_count()).regime != Regime::Licensed) return;
    double skip = used_already;  // volume already drawn this turn (offtake before the spot market)
    for (auto& l : s.licenses) {
        if (tonnes <= 0) break;
        if (!(l.exporter == a && l.importer == b && l.good == g && !l.revoked && l.first_turn <= s.turn &&
              s.turn <= l.last_turn))
            continue;
        double room = license_volume_now(l, s.turn);
        double skipped = std::min(skip, room);
        skip -= skipped;
        room -= skipped;
        double take = std::min(room, tonnes);
        l.shipped += take;
        tonnes -= take;
    }
}

void ship_project_offtake(const Definitions& d, State& s, GoodId g, const Cutoff& cut, MarketOutcome& out) {
    const double tpy = d.turns_per_year();
    const Good& good = d.goods[at(g)];
    for (const auto& p : s.projects) {
        if (!p.online || p.good != g || p.host == p.owner || p.output_share <= 0) continue;
        auto& host = s.countries[at(p.host)];
        double want = p.output_share * p.tonnes_per_year * p.ramp_level / tpy;
        // Limited by what the host can still make this turn and by its inputs.
        double cap_left = effective_capacity(d, s, p.host, g) / tpy - out.produced(p.host, g);
        want = std::min(want, std::max(0.0, cap_left));
        for (const auto& in : good.recipe)
            want = std::min(want, host.stock[at(in.good)] / in.tonnes_per_tonne);
        if (good.process == Process::Mining) want = std::min(want, host.reserves[at(g)]);
        if (cut.blocks(p.host, p.owner, g)) want = 0;
        double allowed = link_allowance(d, s, p.host, p.owner, g) - out.flows[at(g)](p.host, p.owner);
        // The owner's share is contracted output, so no relationship limit — but it is an export.
        allowed = std::min(allowed, host.export_quota[at(g)] - out.exported(p.host, g));
        want = floor_kg(std::min(want, std::max(0.0, allowed)));
        if (want <= 0) continue;
        // Produce at the host, at cost plus inputs at the host's prices; the owner pays that.
        double unit = host.unit_cost[at(g)];
        double input_value = 0.0;
        for (const auto& in : good.recipe) {
            double used = in.tonnes_per_tonne * want;
            host.stock[at(in.good)] -= used;
            out.used_as_input(p.host, in.good) += used;
            out.stock_change(p.host, in.good) -= used;
            input_value += used * out.price(p.host, in.good);
        }
        if (good.process == Process::Mining) host.reserves[at(g)] -= want;
        out.produced(p.host, g) += want;
        out.env_cost(p.host, g) += want * good.env_cost;
        pay_outside(s, p.host, false, unit * want);
        out.cash(p.host, static_cast<int>(CashFlow::ProductionCost)) -= unit * want;
        double price = unit * want + input_value;
        s.countries[at(p.owner)].economy_cash -= price;
        host.economy_cash += price;
        out.cash(p.owner, static_cast<int>(CashFlow::Purchases)) -= price;
        out.cash(p.host, static_cast<int>(CashFlow::Sales)) += price;
        s.countries[at(p.owner)].stock[at(g)] += want;
        out.stock_change(p.owner, g) += want;
        draw_licenses(d, s, p.host, p.owner, g, want, out.flows[at(g)](p.host, p.owner));
        out.flows[at(g)](p.host, p.owner) += want;
        out.exported(p.host, g) += want;
        out.imported(p.owner, g) += want;
    }
}

void ship_contracts(const Definitions& d, State& s, GoodId g, const Cutoff& cut, MarketOutcome& out) {
    const double tpy = d.turns_per_year();
    const Good& good = d.goods[at(g)];
    for (auto& a : s.agreements) {
        if (a.status != AgreementStatus::Active) continue;
        for (size_t i = 0; i < a.clauses.size(); ++i) {
            const Clause& c = a.clauses[i];
            ClauseProgress& p = a.progress[i];
            if (c.kind != ClauseKind::Supply || c.good != g || s.turn > p.last_turn) continue;
            const CountryId from = c.from, to = c.to;
            auto& seller = s.countries[at(from)];
            // What is owed now: this turn's volume and arrears, up to two turns' worth.
            double want = std::min(c.tonnes + p.arrears, 2.0 * c.tonnes);
            if (cut.blocks(from, to, g)) want = 0;
            double allowed = link_allowance(d, s, from, to, g) - out.flows[at(g)](from, to);
            allowed = std::min(allowed, seller.export_quota[at(g)] - out.exported(from, g));
            want = floor_kg(std::min(want, std::max(0.0, allowed)));
            if (want <= 0) continue;
            // Made from spare capacity first (at cost, from inputs in stock), then drawn from stock.
            double make = std::max(0.0, effective_capacity(d, s, from, g) / tpy - out.produced(from, g));
            for (const auto& in : good.recipe) make = std::min(make, seller.stock[at(in.good)] / in.tonnes_per_tonne);
            if (good.process == Process::Mining) make = std::min(make, seller.reserves[at(g)]);
            make = floor_kg(std::min(make, want));
            double draw = floor_kg(std::min(want - make, std::max(0.0, seller.stock[at(g)])));
            double ship = make + draw;
            if (ship <= 0) continue;
            for (const auto& in : good.recipe) {
                double used = in.tonnes_per_tonne * make;
                seller.stock[at(in.good)] -= used;
                out.used_as_input(from, in.good) += used;
                out.stock_change(from, in.good) -= used;
            }
            if (good.process == Process::Mining) seller.reserves[at(g)] -= make;
            out.produced(from, g) += make;
            out.env_cost(from, g) += make * good.env_cost;
            pay_outside(s, from, false, seller.unit_cost[at(g)] * make);
            out.cash(from, static_cast<int>(CashFlow::ProductionCost)) -= seller.unit_cost[at(g)] * make;
            seller.stock[at(g)] -= draw;
            out.stock_change(from, g) -= draw;
            double value = c.price * ship;
            s.countries[at(to)].economy_cash -= value;
            seller.economy_cash += value;
            out.cash(to, static_cast<int>(CashFlow::Purchases)) -= value;
            out.cash(from, static_cast<int>(CashFlow::Sales)) += value;
            s.countries[at(to)].stock[at(g)] += ship;
            out.stock_change(to, g) += ship;
            draw_licenses(d, s, from, to, g, ship, out.flows[at(g)](from, to));
            out.flows[at(g)](from, to) += ship;
            out.exported(from, g) += ship;
            out.imported(to, g) += ship;
            p.this_turn += ship;
        }
    }
}

void clear_good_market(const Definitions& d, State& s, GoodId g, const Cutoff& cut, MarketOutcome& out) {
    const int C = d.country_count();
    const double tpy = d.turns_per_year();
    const Good& good = d.goods[at(g)];
    const MarketParams& mp = d.market;
    const int K = static_cast<int>(mp.cost_steps.size());

    MarketProblem prob;
    prob.countries = C;
    std::vector<OfferInfo> offer_info;
    std::vector<BidInfo> bid_info;
    auto offer = [&](int c, double t, double ask, OfferInfo info) {
        t = floor_kg(t);
        if (t <= 0) return;
        prob.offers.push_back({c, t, std::max(0.0, ask), 0});
        offer_info.push_back(info);
    };
    auto bid = [&](int c, double t, double wtp, BidInfo info) {
        t = floor_kg(t);
        if (t <= 0 || wtp <= 0) return;
        prob.bids.push_back({c, t, wtp, 0});
        bid_info.push_back(info);
    };

    struct Tranche {
        double wtp;
        std::vector<std::pair<int, double>> parts;  // sector, tonnes
    };
    std::vector<Tranche> tranches;
    // The demand curve's shape: willingness to pay at the middle of each tranche, as a multiple
    // of the reference price, from a constant short-run elasticity.
    std::vector<double> curve(at(mp.demand_steps));
    for (int i = 0; i < mp.demand_steps; ++i) curve[at(i)] = std::pow((i + 0.5) / mp.demand_steps, -1.0 / mp.demand_elasticity);
    std::vector<std::vector<std::pair<int, double>>> sector_groups;  // BidInfo::sector indexes these
    for (int c = 0; c < C; ++c) {
        auto& cs = s.countries[at(c)];
        const double expected = s.smoothed_price(c, g);
        // Firms judge inventory against a normal price, not a spike: they neither hoard at
        // crisis prices nor hold back their inventory once prices run far above normal.
        const double normal = std::min(expected, kNormalPriceCap * good.reference_price);

        // Production: capacity left after offtake, quota, reserves, inputs in stock.
        double qmax = effective_capacity(d, s, c, g) / tpy - out.produced(c, g);
        if (good.process == Process::Mining) qmax = std::min(qmax, cs.reserves[at(g)]);
        double input_cost = 0.0;
        for (const auto& in : good.recipe) {
            qmax = std::min(qmax, cs.stock[at(in.good)] / in.tonnes_per_tonne);
            input_cost += in.tonnes_per_tonne * out.price(c, in.good);
        }
        if (qmax > 0) {
            double support = cs.subsidy[at(g)] + std::max(0.0, cs.price_floor[at(g)] - expected);
            for (int k = 0; k < K; ++k) {
                double unit = cs.unit_cost[at(g)] * mp.cost_steps[at(k)];
                offer(c, qmax / K, unit + input_cost - support, {OfferKind::Production, unit, -1});
            }
        }

        // Feed for downstream capacity, bid at what the output is expected to be worth.
        struct Feed { double tonnes; double wtp; };
        std::vector<Feed> feeds;
        double need = 0.0;
        for (int h = 0; h < d.good_count(); ++h) {
            const Good& down = d.goods[at(h)];
            for (const auto& in : down.recipe) {
                if (in.good != g) continue;
                double planned = effective_capacity(d, s, c, h) / tpy;
                if (planned <= 0) continue;
                double others = 0.0;
                for (const auto& o : down.recipe)
                    if (o.good != g) others += o.tonnes_per_tonne * s.smoothed_price(c, o.good);
                double support = cs.subsidy[at(h)] + std::max(0.0, cs.price_floor[at(h)] - s.smoothed_price(c, h));
                for (int k = 0; k < K; ++k) {
                    double margin = s.smoothed_price(c, h) + support - cs.unit_cost[at(h)] * mp.cost_steps[at(k)] - others;
                    if (margin <= 0) continue;
                    feeds.push_back({in.tonnes_per_tonne * planned / K, margin / in.tonnes_per_tonne});
                    need += in.tonnes_per_tonne * planned / K;
                }
            }
        }

        // Inventory: hold inventory_weeks of use; sell the excess, draw the rest only when prices spike.
        const double target = mp.inventory_weeks / 52.0 * annual_use(d, s, c, g);
        const double stock = cs.stock[at(g)];
        const double surplus = stock - target - need;
        if (surplus > 0) {
            offer(c, surplus, mp.restock_price_factor * normal, {OfferKind::StockExcess, 0, -1});
            offer(c, stock - floor_kg(surplus), mp.release_price_factor * normal, {OfferKind::StockHeld, 0, -1});
        } else {
            offer(c, stock, mp.release_price_factor * normal, {OfferKind::StockHeld, 0, -1});
            double missing = -surplus;
            double scale = need > 0 ? std::min(1.0, missing / need) : 0.0;
            for (const auto& f : feeds) bid(c, f.tonnes * scale, f.wtp, {BidKind::Feed, -1, -1});
            bid(c, missing - need, mp.restock_price_factor * normal, {BidKind::Restock, -1, -1});
        }

        // Sectors: short-run inelastic demand curves, capped at the value of the output lost.
        // Tranches of different sectors at the same price are one bid (fewer arcs, same optimum);
        // a filled bid is shared among its sectors in proportion to their tranches.
        const int n = mp.demand_steps;
        tranches.clear();
        for (int k = 0; k < d.sector_count(); ++k) {
            const Sector& sec = d.sectors[at(k)];
            if (sec.good != g) continue;
            double demand = cs.sector_demand[at(k)] * (1.0 - cs.thrift[at(g)]) / tpy;
            out.demand(c, k) = demand;
            for (int i = 0; i < n; ++i) {
                double wtp = std::min(sec.value_per_tonne, good.reference_price * curve[at(i)]);
                auto same = std::find_if(tranches.begin(), tranches.end(), [&](const Tranche& t) { return t.wtp == wtp; });
                if (same == tranches.end()) {
                    tranches.push_back({wtp, {}});
                    same = tranches.end() - 1;
                }
                same->parts.push_back({k, floor_kg(demand / n)});
            }
        }
        for (auto& t : tranches) {
            double total = 0.0;
            for (const auto& part : t.parts) total += part.second;
            if (total <= 0) continue;
            sector_groups.push_back(std::move(t.parts));
            bid(c, total, t.wtp, {BidKind::Sector, static_cast<int>(sector_groups.size()) - 1, -1});
        }
    }

    // Governments' stockpile orders.
    for (int i = 0; i < static_cast<int>(s.stockpile_orders.size()); ++i) {
        const auto& o = s.stockpile_orders[at(i)];
        if (o.good != g) continue;
        if (o.tonnes > 0)
            bid(o.country, o.tonnes, o.limit_price, {BidKind::StockpileBuy, -1, i});
        else
            offer(o.country, std::min(-o.tonnes, s.countries[at(o.country)].stockpile[at(g)]), o.limit_price,
                  {OfferKind::StockpileRelease, 0, i});
    }

    // Permissions, transport, duties and tariffs.
    prob.link_cap.assign(at(C * C), 0.0);
    prob.link_cost.assign(at(C * C), 0.0);
    prob.export_cap.assign(at(C), kUnlimited);
    for (int a = 0; a < C; ++a) {
        double quota = s.countries[at(a)].export_quota[at(g)];
        double exported = 0.0;
        for (int b = 0; b < C; ++b) exported += b == a ? 0.0 : out.flows[at(g)](a, b);
        prob.export_cap[at(a)] = std::isinf(quota) ? kUnlimited : std::max(0.0, floor_kg(quota - exported));
        for (int b = 0; b < C; ++b) {
            if (a == b) continue;
            double cap = cut.blocks(a, b, g) ? 0.0 : link_allowance(d, s, a, b, g);
            cap = std::min(cap, relationship_limit(d, s, a, b, g));
            if (!std::isinf(cap)) cap = std::max(0.0, floor_kg(cap - out.flows[at(g)](a, b)));
            prob.link_cap[at(a * C + b)] = cap;
            prob.link_cost[at(a * C + b)] = good.transport_cost +
                                            good.reference_price * (s.rule(a, g, b, d.good_count()).duty +
                                                                    s.tariff_on(b, g, a, d.good_count()));
        }
    }

    // One solver per good keeps its graph between calls (leverage runs thousands of turns).
    thread_local std::vector<MarketSolver> solvers;
    if (solvers.size() < at(d.good_count())) solvers.resize(at(d.good_count()));
    thread_local MarketSolution sol;
    solvers[at(g)].solve(prob, sol);

    // Apply: offers.
    for (size_t i = 0; i < prob.offers.size(); ++i) {
        double q = sol.offer_filled[i];
        if (q <= 0) continue;
        int c = prob.offers[i].country;
        auto& cs = s.countries[at(c)];
        const auto& info = offer_info[i];
        switch (info.kind) {
            case OfferKind::Production: {
                out.produced(c, g) += q;
                out.env_cost(c, g) += q * good.env_cost;
                for (const auto& in : good.recipe) {
                    double used = in.tonnes_per_tonne * q;
                    cs.stock[at(in.good)] = std::max(0.0, cs.stock[at(in.good)] - used);
                    out.used_as_input(c, in.good) += used;
                    out.stock_change(c, in.good) -= used;
                }
                if (good.process == Process::Mining) cs.reserves[at(g)] -= q;
                pay_outside(s, c, false, info.unit_cost * q);
                out.cash(c, static_cast<int>(CashFlow::ProductionCost)) -= info.unit_cost * q;
                // Subsidies and price floors are paid by the government to producers.
                double support = cs.subsidy[at(g)] * q + std::max(0.0, cs.price_floor[at(g)] - sol.sell_price[at(c)]) * q;
                if (support > 0) {
                    cs.treasury -= support;
                    cs.economy_cash += support;
                    out.cash(c, static_cast<int>(CashFlow::Subsidies)) -= support;
                }
                break;
            }
            case OfferKind::StockExcess:
            case OfferKind::StockHeld:
                cs.stock[at(g)] -= q;
                out.stock_change(c, g) -= q;
                break;
            case OfferKind::StockpileRelease:
                cs.stockpile[at(g)] -= q;
                out.stockpile_change(c, g) -= q;
                break;
        }
    }
    // Apply: bids.
    for (size_t i = 0; i < prob.bids.size(); ++i) {
        double q = sol.bid_filled[i];
        if (q <= 0) continue;
        int c = prob.bids[i].country;
        auto& cs = s.countries[at(c)];
        const auto& info = bid_info[i];
        double paid = q * sol.buy_price[at(c)];
        switch (info.kind) {
            case BidKind::Sector: {
                out.consumed(c, g) += q;
                const auto& parts = sector_groups[at(info.sector)];
                const double total = prob.bids[i].tonnes;
                for (const auto& [sector, tonnes] : parts) out.met(c, sector) += q * tonnes / total;
                cs.economy_cash -= paid;
                out.cash(c, static_cast<int>(CashFlow::Purchases)) -= paid;
                break;
            }
            case BidKind::Feed:
            case BidKind::Restock:
                cs.stock[at(g)] += q;
                out.stock_change(c, g) += q;
                cs.economy_cash -= paid;
                out.cash(c, static_cast<int>(CashFlow::Purchases)) -= paid;
                break;
            case BidKind::StockpileBuy:
                cs.stockpile[at(g)] += q;
                out.stockpile_change(c, g) += q;
                cs.treasury -= paid;
                out.cash(c, static_cast<int>(CashFlow::StockpileTrade)) -= paid;
                break;
        }
    }
    // Apply: what sellers receive, link by link. Buyers paid buy_price at their end; the
    // difference goes to the importer's customs (tariff), the exporter's (duty), the
    // carrier (outside), and any rent of a capped link to the exporting sellers.
    std::vector<double> receipts(at(C), 0.0);
    for (int a = 0; a < C; ++a) {
        for (int b = 0; b < C; ++b) {
            double f = sol.flow[at(a * C + b)];
            if (f <= 0) continue;
            double value = f * sol.buy_price[at(b)];
            if (a != b) {
                double tariff = f * good.reference_price * s.tariff_on(b, g, a, d.good_count());
                double duty = f * good.reference_price * s.rule(a, g, b, d.good_count()).duty;
                double transport = f * good.transport_cost;
                s.countries[at(b)].treasury += tariff;
                out.cash(b, static_cast<int>(CashFlow::TariffRevenue)) += tariff;
                s.countries[at(a)].treasury += duty;
                out.cash(a, static_cast<int>(CashFlow::DutyRevenue)) += duty;
                s.outside += transport;
                value -= tariff + duty + transport;
                draw_licenses(d, s, a, b, g, f, out.flows[at(g)](a, b));
                out.flows[at(g)](a, b) += f;
                out.exported(a, g) += f;
                out.imported(b, g) += f;
            }
            receipts[at(a)] += value;
        }
    }
    // Sellers' receipts split between firms and the government (stockpile releases) by volume.
    for (int a = 0; a < C; ++a) {
        if (receipts[at(a)] == 0.0) continue;
        double gov = 0.0, all = 0.0;
        for (size_t i = 0; i < prob.offers.size(); ++i) {
            if (prob.offers[i].country != a) continue;
            all += sol.offer_filled[i];
            if (offer_info[i].kind == OfferKind::StockpileRelease) gov += sol.offer_filled[i];
        }
        double gov_share = all > 0 ? gov / all : 0.0;
        auto& cs = s.countries[at(a)];
        cs.treasury += receipts[at(a)] * gov_share;
        out.cash(a, static_cast<int>(CashFlow::StockpileTrade)) += receipts[at(a)] * gov_share;
        cs.economy_cash += receipts[at(a)] * (1.0 - gov_share);
        out.cash(a, static_cast<int>(CashFlow::Sales)) += receipts[at(a)] * (1.0 - gov_share);
    }
    for (int c = 0; c < C; ++c) {
        out.price(c, g) = sol.buy_price[at(c)];
        out.supply_price(c, g) = sol.sell_price[at(c)];
    }
}

}  // namespace chokepoint
