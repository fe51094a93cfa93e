#include "engine/markets/supply_chain.hpp"

#include <algorithm>
#include <cmath>

#include "engine/markets/clearing.hpp"
#include "engine/markets/origin.hpp"
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
    CountryId licensor = kNoCountry;  // under this licensor's re-export conditions (kNoCountry: clean), §Origin
};
struct BidInfo {
    BidKind kind;
    int sector = -1;  // for sector bids: index of the group of sectors sharing the tranche
    int order = -1;
};

// Whole kilograms, rounded down, so the solver never offers more than exists.
double floor_kg(double t) { return t > 0 ? std::floor(t * 1000.0 + 1e-9) / 1000.0 : 0.0; }

// A "normal" price for inventory decisions is at most this multiple of the reference price.
constexpr double kNormalPriceCap = 1.5;

// A rated defense tranche bids this much above the highest civilian tranche.
constexpr double kRatedMarkup = 1.01;

// Willingness to pay of tranche i of a sector's demand curve: its own elasticity if it has one
// (defense), else the market's curve; capped at the value of the output lost.
double sector_wtp(const Definitions& d, const Sector& sec, const std::vector<double>& market_curve, int i) {
    const double ref = d.goods[sec.good].reference_price;
    double shape = market_curve[i];
    if (sec.elasticity > 0 && sec.elasticity != d.market.demand_elasticity)
        shape = std::pow((i + 0.5) / d.market.demand_steps, -1.0 / sec.elasticity);
    return std::min(sec.value_per_tonne, ref * shape);
}

// Does some supplier of g hold c under licensing (so c's firms keep precautionary inventory)?
bool licensed_toward(const Definitions& d, const State& s, CountryId c, GoodId g) {
    for (CountryId a : d.country_ids())
        if (a != c && s.rule(a, g, c).regime == Regime::Licensed &&
            s.countries[a].capacity[g] > 0)
            return true;
    return false;
}

// What a tonne of input already in stock costs a producer: this turn's price at home, but no more
// than the price at which its firms would release the tonne from inventory (release_price_factor ×
// the normal price): a firm holding feed makes the output whenever the output pays for the feed at
// that value, instead of sitting on the feed in a spike (docs/model.md §Firms).
double held_input_value(const Definitions& d, const State& s, CountryId c, GoodId in, double price) {
    const double normal = std::min(s.smoothed_price(c, in), kNormalPriceCap * d.goods[in].reference_price);
    return std::min(price, d.market.release_price_factor * normal);
}

// Rated defense orders: the strategic stockpile covers what the country's defense sectors still
// lack after the market, at no charge (the government supplies its own defense programmes).
void serve_defense_from_stockpile(const Definitions& d, State& s, GoodId g, MarketOutcome& out) {
    for (CountryId c : d.country_ids()) {
        auto& cs = s.countries[c];
        if (cs.defense_priority.empty() || cs.defense_priority[g] == 0 || cs.stockpile[g] <= 0) continue;
        double short_total = 0.0;
        for (SectorId k : d.sector_ids())
            if (d.sectors[k].defense && d.sectors[k].good == g)
                short_total += std::max(0.0, out.demand(c, k) - out.met(c, k));
        double draw = floor_kg(std::min(short_total, cs.stockpile[g]));
        if (draw <= 0) continue;
        for (SectorId k : d.sector_ids())
            if (d.sectors[k].defense && d.sectors[k].good == g)
                out.met(c, k) += draw * std::max(0.0, out.demand(c, k) - out.met(c, k)) / short_total;
        cs.stockpile[g] -= draw;
        out.stockpile_change(c, g) -= draw;
        out.consumed(c, g) += draw;
    }
}

// Money between the two sides of a country and the outside world.
void pay_outside(State& s, CountryId c, bool government, double usd) {
    auto& cs = s.countries[c];
    (government ? cs.treasury : cs.economy_cash) -= usd;
    s.outside += usd;
}

// What a price floor is expected to add per tonne sold at home (docs/model.md §Firms).
double floor_support(const CountryState& cs, GoodId g, double expected, double reference) {
    return std::max(0.0, cs.price_floor[g] - std::max(expected, reference));
}

// Where production draws its inputs from: the controlled ones first (the licensed use at home), or,
// under the content rule, clean ones first (clean output). docs/model.md §Origin and re-export control.
OriginDraw input_draw(const Definitions& d, const State& s) {
    return {origin_rules(d, s).content_rule ? OriginDraw::CleanFirst : OriginDraw::ControlledFirst};
}

// Contract deliveries from stock take clean material first, then material whose licensors consent
// to the buyer (pro rata); `carried` gets the controlled tonnes per licensor.
void take_for_contract(const Definitions& d, State& s, CountryId from, CountryId to, GoodId g, double tonnes,
                       MarketOutcome& out, PerCountry<double>& carried) {
    const int C = d.country_count();
    carried.assign(C, 0.0);
    auto& cs = s.countries[from];
    const double clean = std::max(0.0, cs.stock[g] - controlled_total(cs, g));
    double rest = tonnes - std::min(tonnes, clean);
    double consenting = 0.0;
    for (CountryId l : d.country_ids())
        if (consents(d, s, l, g, to)) consenting += cs.controlled(g, l);
    if (rest <= 0 || consenting <= 0) return;
    rest = std::min(rest, consenting);
    for (CountryId l : d.country_ids()) {
        if (!consents(d, s, l, g, to)) continue;
        double take = std::min(cs.controlled(g, l), rest * cs.controlled(g, l) / consenting);
        cs.controlled(g, l) -= take;
        out.controlled_out[g](from, l) += take;
        carried[l] = take;
    }
}

// The buyer `to` receives `tonnes` of g from `from`, of which `carried` (per licensor; empty: none)
// was already controlled; the rest becomes `from`-controlled when it crossed a licensed link.
void receive_controlled(const Definitions& d, State& s, CountryId from, CountryId to, GoodId g, double tonnes,
                        const PerCountry<double>& carried, MarketOutcome& out) {
    if (!origin_rules(d, s).reexport_control) return;
    auto& cs = s.countries[to];
    double clean = tonnes;
    for (CountryId l : carried.ids()) {
        clean -= carried[l];
        if (l == to || carried[l] <= 0) continue;  // back with its licensor: its own again
        cs.controlled(g, l) += carried[l];
        out.controlled_in[g](to, l) += carried[l];
    }
    if (clean > 0 && s.rule(from, g, to).regime == Regime::Licensed) {
        cs.controlled(g, from) += clean;
        out.controlled_in[g](to, from) += clean;
    }
}

}  // namespace

void reset_outcome(const Definitions& d, MarketOutcome& out) {
    const int C = d.country_count(), G = d.good_count(), S = d.sector_count();
    for (Grid<double, CountryId, GoodId>* g : {&out.price, &out.supply_price, &out.produced, &out.consumed, &out.used_as_input,
                            &out.imported, &out.exported, &out.stock_change, &out.stockpile_change, &out.env_cost})
        *g = Grid<double, CountryId, GoodId>(C, G, 0.0);
    out.demand = Grid<double, CountryId, SectorId>(C, S, 0.0);
    out.met = Grid<double, CountryId, SectorId>(C, S, 0.0);
    out.cash = Grid<double, CountryId, CashFlow>(C, kCashFlowCount, 0.0);
    out.flows.assign(G, CountryMatrix<>(C, C, 0.0));
    for (auto* ledger : {&out.controlled_in, &out.controlled_made, &out.controlled_out, &out.reexport_breach})
        ledger->assign(G, CountryMatrix<>(C, C, 0.0));
}

double link_allowance(const Definitions&, const State& s, CountryId a, CountryId b, GoodId g) {
    const auto& rule = s.rule(a, g, b);
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
    const Good& good = d.goods[g];
    double floor = good.floor_share(d.market.link_floor_share) * annual_use(d, s, b, g) / d.turns_per_year();
    return std::max(s.established[g](a, b) * (1.0 + good.growth_limit(d.market.link_growth)), floor);
}

void seed_relationships(const Definitions& d, State& s) {
    State free_trade = s;
    free_trade.established = {};
    for (auto& rule : free_trade.rules.grid.cells) rule = ExportRule{};
    for (auto& t : free_trade.tariff.grid.cells) t = 0.0;
    for (auto& c : free_trade.countries) std::fill(c.export_quota.begin(), c.export_quota.end(), kUnlimited);
    MarketOutcome out;
    reset_outcome(d, out);
    for (GoodId g : d.good_ids()) clear_good_market(d, free_trade, g, Cutoff{}, out);
    s.established = out.flows;
}

void update_relationships(const Definitions& d, State& s) {
    for (GoodId g : d.good_ids()) {
        auto& est = s.established[g].cells;
        const auto& flow = s.last.flows[g].cells;
        for (size_t i = 0; i < est.size(); ++i) est[i] = std::max(flow[i], est[i] * (1.0 - d.market.link_decay));
    }
}

// What a's exports of g this turn have used of its export quota: all of them but those on a
// link the counterfactual opened (which pass outside the quota).
static double quota_used(const MarketOutcome& out, const Cutoff& cut, CountryId a, GoodId g) {
    double used = out.exported(a, g);
    if (cut.open_from == a && cut.opens(a, cut.open_to, g)) used -= out.flows[g](a, cut.open_to);
    return used;
}

// The export duty a charges on g to b (none on a link the counterfactual opened).
static double export_duty(const Definitions&, const State& s, const Cutoff& cut, CountryId a, CountryId b, GoodId g) {
    return cut.opens(a, b, g) ? 0.0 : s.rule(a, g, b).duty;
}

// Records a shipment against the licenses that allow it, oldest first.
static void draw_licenses(const Definitions&, State& s, CountryId a, CountryId b, GoodId g, double tonnes,
                          double used_already) {
    if (s.rule(a, g, b).regime != Regime::Licensed) return;
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
    ensure_origin(d, s);
    ensure_origin_ledger(d, out);
    const double tpy = d.turns_per_year();
    const Good& good = d.goods[g];
    for (const auto& p : s.projects) {
        if (!p.online || p.good != g || p.host == p.owner || p.output_share <= 0) continue;
        auto& host = s.countries[p.host];
        double want = p.output_share * p.tonnes_per_year * p.ramp_level / tpy;
        // Limited by what the host can still make this turn and by its inputs.
        double cap_left = effective_capacity(d, s, p.host, g) / tpy - out.produced(p.host, g);
        want = std::min(want, std::max(0.0, cap_left));
        for (const auto& in : good.recipe)
            want = std::min(want, host.stock[in.good] / in.tonnes_per_tonne);
        if (good.process == Process::Mining) want = std::min(want, host.reserves[g]);
        if (cut.blocks(p.host, p.owner, g)) want = 0;
        const bool opened = cut.opens(p.host, p.owner, g);
        // Under the content rule only what can be made clean may leave (§Origin and re-export control).
        want = std::min(want, clean_production_limit(d, s, p.host, g));
        double allowed = opened ? kUnlimited : link_allowance(d, s, p.host, p.owner, g) - out.flows[g](p.host, p.owner);
        // The owner's share is contracted output, so no relationship limit — but it is an export.
        if (!opened) allowed = std::min(allowed, host.export_quota[g] - quota_used(out, cut, p.host, g));
        want = floor_kg(std::min(want, std::max(0.0, allowed)));
        if (want <= 0) continue;
        // Produce at the host, at cost plus inputs at the host's prices; the owner pays that.
        double unit = host.unit_cost[g];
        double input_value = 0.0;
        for (const auto& in : good.recipe) {
            double used = in.tonnes_per_tonne * want;
            remove_origin(d, s, p.host, in.good, host.stock[in.good], used, input_draw(d, s), &out);
            host.stock[in.good] -= used;
            out.used_as_input(p.host, in.good) += used;
            out.stock_change(p.host, in.good) -= used;
            input_value += used * out.price(p.host, in.good);
        }
        if (good.process == Process::Mining) host.reserves[g] -= want;
        out.produced(p.host, g) += want;
        out.env_cost(p.host, g) += want * good.env_cost;
        pay_outside(s, p.host, false, unit * want);
        out.cash(p.host, CashFlow::ProductionCost) -= unit * want;
        double price = unit * want + input_value;
        s.countries[p.owner].economy_cash -= price;
        host.economy_cash += price;
        out.cash(p.owner, CashFlow::Purchases) -= price;
        out.cash(p.host, CashFlow::Sales) += price;
        s.countries[p.owner].stock[g] += want;
        out.stock_change(p.owner, g) += want;
        receive_controlled(d, s, p.host, p.owner, g, want, {}, out);
        if (!opened) draw_licenses(d, s, p.host, p.owner, g, want, out.flows[g](p.host, p.owner));
        out.flows[g](p.host, p.owner) += want;
        out.exported(p.host, g) += want;
        out.imported(p.owner, g) += want;
    }
}

void ship_contracts(const Definitions& d, State& s, GoodId g, const Cutoff& cut, MarketOutcome& out) {
    ensure_origin(d, s);
    ensure_origin_ledger(d, out);
    const double tpy = d.turns_per_year();
    const Good& good = d.goods[g];
    for (auto& a : s.agreements) {
        if (a.status != AgreementStatus::Active) continue;
        for (size_t i = 0; i < a.clauses.size(); ++i) {
            const Clause& c = a.clauses[i];
            ClauseProgress& p = a.progress[i];
            if (c.kind != ClauseKind::Supply || c.good != g || s.turn > p.last_turn) continue;
            const CountryId from = c.from, to = c.to;
            auto& seller = s.countries[from];
            // What is owed now: this turn's volume and arrears, up to two turns' worth.
            double want = std::min(c.tonnes + p.arrears, 2.0 * c.tonnes);
            if (cut.blocks(from, to, g)) want = 0;
            const bool opened = cut.opens(from, to, g);
            double allowed = opened ? kUnlimited : link_allowance(d, s, from, to, g) - out.flows[g](from, to);
            if (!opened) allowed = std::min(allowed, seller.export_quota[g] - quota_used(out, cut, from, g));
            want = floor_kg(std::min(want, std::max(0.0, allowed)));
            if (want <= 0) continue;
            // Made from spare capacity first (at cost, from inputs in stock), then drawn from stock.
            double make = std::max(0.0, effective_capacity(d, s, from, g) / tpy - out.produced(from, g));
            for (const auto& in : good.recipe) make = std::min(make, seller.stock[in.good] / in.tonnes_per_tonne);
            if (good.process == Process::Mining) make = std::min(make, seller.reserves[g]);
            make = std::min(make, clean_production_limit(d, s, from, g));  // content rule: only clean output may leave
            make = floor_kg(std::min(make, want));
            // Stock: clean, and material whose licensors consent to the buyer (§Origin and re-export control).
            double shippable = std::max(0.0, seller.stock[g]);
            if (seller.controlled.rows > g.value())
                for (CountryId l : d.country_ids())
                    if (seller.controlled(g, l) > 0 && !consents(d, s, l, g, to)) shippable -= seller.controlled(g, l);
            double draw = floor_kg(std::min(want - make, std::max(0.0, shippable)));
            double ship = make + draw;
            if (ship <= 0) continue;
            for (const auto& in : good.recipe) {
                double used = in.tonnes_per_tonne * make;
                remove_origin(d, s, from, in.good, seller.stock[in.good], used, input_draw(d, s), &out);
                seller.stock[in.good] -= used;
                out.used_as_input(from, in.good) += used;
                out.stock_change(from, in.good) -= used;
            }
            if (good.process == Process::Mining) seller.reserves[g] -= make;
            out.produced(from, g) += make;
            out.env_cost(from, g) += make * good.env_cost;
            pay_outside(s, from, false, seller.unit_cost[g] * make);
            out.cash(from, CashFlow::ProductionCost) -= seller.unit_cost[g] * make;
            PerCountry<double> carried;  // controlled tonnes in the drawn stock, per licensor (consenting ones only)
            take_for_contract(d, s, from, to, g, draw, out, carried);
            seller.stock[g] -= draw;
            out.stock_change(from, g) -= draw;
            double value = c.price * ship;
            s.countries[to].economy_cash -= value;
            seller.economy_cash += value;
            out.cash(to, CashFlow::Purchases) -= value;
            out.cash(from, CashFlow::Sales) += value;
            s.countries[to].stock[g] += ship;
            out.stock_change(to, g) += ship;
            receive_controlled(d, s, from, to, g, ship, carried, out);
            if (!opened) draw_licenses(d, s, from, to, g, ship, out.flows[g](from, to));
            out.flows[g](from, to) += ship;
            out.exported(from, g) += ship;
            out.imported(to, g) += ship;
            p.this_turn += ship;
        }
    }
}

namespace {

// One good's market for one turn, built, solved and applied in the order of its phases: each
// country's supply and demand (production, feed, inventory, sectors), the governments' stockpile
// orders, the links between countries, the solve, then the solution applied to offers, origin,
// bids and sellers' receipts. Offers and bids are added in a fixed order (countries in id order),
// which keeps the game deterministic.
class GoodMarket {
public:
    GoodMarket(const Definitions& d, State& s, GoodId g, const Cutoff& cut, MarketOutcome& out)
        : d_(d), s_(s), g_(g), cut_(cut), out_(out), good_(d.goods[g]), mp_(d.market), C_(d.country_count()),
          tpy_(d.turns_per_year()), K_(static_cast<int>(mp_.cost_steps.size())),
          control_(origin_rules(d, s).reexport_control),
          compliance_(std::clamp(d.licensing.reexport_compliance, 0.0, 1.0)),
          pool_of_(C_, C_, -1),
          shares_(C_, 0.0) {
        prob_.countries = C_;
        // Origin (§Origin and re-export control): controlled supply the firms keep within the
        // conditions sits on a pool per (country, licensor) that serves home and consenting
        // destinations only; the non-compliant share is offered with the country's clean supply.
        ensure_origin(d, s);
        ensure_origin_ledger(d, out);
        // The demand curve's shape: willingness to pay at the middle of each tranche, as a multiple
        // of the reference price, from a constant short-run elasticity.
        curve_.resize(mp_.demand_steps);
        for (int i = 0; i < mp_.demand_steps; ++i)
            curve_[i] = std::pow((i + 0.5) / mp_.demand_steps, -1.0 / mp_.demand_elasticity);
        // A rated defense tranche bids just above the highest civilian tranche of the good.
        for (const Sector& sec : d.sectors)
            if (sec.good == g && !sec.defense) rated_wtp_ = std::max(rated_wtp_, sector_wtp(d, sec, curve_, 0));
        rated_wtp_ = rated_wtp_ > 0 ? rated_wtp_ * kRatedMarkup : good_.reference_price * curve_[0];
    }

    // Country c's offers and bids: production, then its inventory and feed, then its sectors.
    void add_country(CountryId c) {
        auto& cs = s_.countries[c];
        const double expected = s_.smoothed_price(c, g_);
        // Firms judge inventory against a normal price, not a spike: they neither hoard at
        // crisis prices nor hold back their inventory once prices run far above normal.
        const double normal = std::min(expected, kNormalPriceCap * good_.reference_price);
        offer_production(c, cs, expected);
        double need = 0.0;
        const std::vector<Feed> feeds = feed_bids(c, cs, expected, need);
        add_inventory(c, cs, normal, feeds, need);
        add_sectors(c, cs, expected);
    }

    // Governments' stockpile orders.
    void add_stockpile_orders() {
        for (int i = 0; i < static_cast<int>(s_.stockpile_orders.size()); ++i) {
            const auto& o = s_.stockpile_orders[i];
            if (o.good != g_) continue;
            if (o.tonnes > 0)
                bid(o.country, o.tonnes, o.limit_price, {BidKind::StockpileBuy, -1, i});
            else
                offer(o.country, std::min(-o.tonnes, s_.countries[o.country].stockpile[g_]), o.limit_price,
                      {OfferKind::StockpileRelease, 0, i});
        }
    }

    // Permissions, transport, duties and tariffs.
    void add_links() {
        prob_.link_cap.assign(C_, C_, 0.0);
        prob_.link_cost.assign(C_, C_, 0.0);
        prob_.export_cap.assign(C_, kUnlimited);
        PerCountry<double> export_wedge(C_, 0.0);
        for (CountryId a : d_.country_ids())
            export_wedge[a] = floor_support(s_.countries[a], g_, s_.smoothed_price(a, g_), good_.reference_price);
        if (cut_.open_from != kNoCountry && cut_.opens(cut_.open_from, cut_.open_to, g_)) {
            prob_.gate_bypass.assign(C_, C_, 0);
            prob_.gate_bypass(cut_.open_from, cut_.open_to) = 1;
        }
        for (CountryId a : d_.country_ids()) {
            double quota = s_.countries[a].export_quota[g_];
            double exported = 0.0;  // against the quota: links the counterfactual opened pass outside it
            for (CountryId b : d_.country_ids()) exported += b == a || cut_.opens(a, b, g_) ? 0.0 : out_.flows[g_](a, b);
            prob_.export_cap[a] = std::isinf(quota) ? kUnlimited : std::max(0.0, floor_kg(quota - exported));
            for (CountryId b : d_.country_ids()) {
                if (a == b) continue;
                double cap = cut_.blocks(a, b, g_) ? 0.0 : cut_.opens(a, b, g_) ? kUnlimited : link_allowance(d_, s_, a, b, g_);
                cap = std::min(cap, relationship_limit(d_, s_, a, b, g_));
                if (!std::isinf(cap)) cap = std::max(0.0, floor_kg(cap - out_.flows[g_](a, b)));
                prob_.link_cap(a, b) = cap;
                // A price floor supports home sales only (the DoD-MP floor backs NdPr for the US chain):
                // a tonne exported forgoes the support that lowered its ask (docs/model.md §Firms).
                prob_.link_cost(a, b) = good_.transport_cost + export_wedge[a] +
                                                  good_.reference_price * (export_duty(d_, s_, cut_, a, b, g_) +
                                                                           s_.tariff_on(b, g_, a));
            }
        }
        // An opened link bypasses only its exporter's export cap; without a cap the bypass changes
        // nothing, and leaving it out makes the problem equal to the today run's where the rest is
        // (exact reuse of solved markets, markets/clearing.hpp).
        if (!prob_.gate_bypass.empty() && std::isinf(prob_.export_cap[cut_.open_from])) prob_.gate_bypass.clear();
    }

    void solve() {
        // One solver per good keeps its graph between calls (leverage runs thousands of turns).
        thread_local std::vector<MarketSolver> solvers;
        if (solvers.size() < d_.goods.size()) solvers.resize(d_.goods.size());
        solve_market(solvers[g_.index()], prob_, sol_);
    }

    // Apply: offers.
    void apply_offers() {
        for (size_t i = 0; i < prob_.offers.size(); ++i) {
            double q = sol_.offer_filled[i];
            if (q <= 0) continue;
            const CountryId c = prob_.offers[i].country;
            auto& cs = s_.countries[c];
            const auto& info = offer_info_[i];
            switch (info.kind) {
                case OfferKind::Production: {
                    out_.produced(c, g_) += q;
                    out_.env_cost(c, g_) += q * good_.env_cost;
                    for (const auto& in : good_.recipe) {
                        double used = in.tonnes_per_tonne * q;
                        // Controlled output draws its licensor's inputs first; clean output, clean or
                        // (without the content rule) controlled inputs first.
                        remove_origin(d_, s_, c, in.good, cs.stock[in.good], used,
                                      info.licensor != kNoCountry ? OriginDraw::licensor_first(info.licensor) : input_draw(d_, s_), &out_);
                        cs.stock[in.good] = std::max(0.0, cs.stock[in.good] - used);
                        clamp_origin(d_, s_, c, in.good, &out_);
                        out_.used_as_input(c, in.good) += used;
                        out_.stock_change(c, in.good) -= used;
                    }
                    if (good_.process == Process::Mining) cs.reserves[g_] -= q;
                    if (info.licensor != kNoCountry) out_.controlled_made[g_](c, info.licensor) += q;
                    pay_outside(s_, c, false, info.unit_cost * q);
                    out_.cash(c, CashFlow::ProductionCost) -= info.unit_cost * q;
                    // Subsidies are paid by the government per tonne produced; price-floor top-ups only
                    // on what is sold at home (below, once the flows are known).
                    double support = cs.subsidy[g_] * q;
                    if (support > 0) {
                        cs.treasury -= support;
                        cs.economy_cash += support;
                        out_.cash(c, CashFlow::Subsidies) -= support;
                    }
                    break;
                }
                case OfferKind::StockExcess:
                case OfferKind::StockHeld:
                    cs.stock[g_] -= q;
                    out_.stock_change(c, g_) -= q;
                    if (info.licensor != kNoCountry)
                        cs.controlled(g_, info.licensor) = std::max(0.0, cs.controlled(g_, info.licensor) - q);
                    clamp_origin(d_, s_, c, g_, &out_);
                    break;
                case OfferKind::StockpileRelease:
                    cs.stockpile[g_] -= q;
                    out_.stockpile_change(c, g_) -= q;
                    break;
            }
        }
    }

    // Origin of what each country receives (§Origin and re-export control): pools ship their
    // licensor's material; the clean supply of a carries the share of non-compliant controlled
    // material it sold; clean material crossing a licensed link becomes the exporter's.
    void trace_origin() {
        inflow_share_ = CountryMatrix<>(C_, C_, 0.0);
        if (!control_) return;
        PerCountry<double> clean_sold(C_, 0.0);
        CountryMatrix<> clean_ctrl(C_, C_, 0.0);  // [a][l]
        for (size_t i = 0; i < prob_.offers.size(); ++i) {
            if (prob_.offers[i].pool >= 0) continue;
            const CountryId a = prob_.offers[i].country;
            clean_sold[a] += sol_.offer_filled[i];
            if (offer_info_[i].licensor != kNoCountry) clean_ctrl(a, offer_info_[i].licensor) += sol_.offer_filled[i];
        }
        PerCountry<double> received(C_, 0.0);
        CountryMatrix<> ctrl_in(C_, C_, 0.0);  // [b][l]
        for (CountryId a : d_.country_ids())
            for (CountryId b : d_.country_ids()) {
                const double f = sol_.flow(a, b);
                if (f <= 0) continue;
                received[b] += f;
                double clean_flow = f;
                for (CountryId l : d_.country_ids()) {
                    const int p = pool_of_(a, l);
                    if (p >= 0) clean_flow -= sol_.pool_flow(p, b);
                }
                clean_flow = std::max(0.0, clean_flow);
                double clean_part = clean_flow;
                for (CountryId l : d_.country_ids()) {
                    const int p = pool_of_(a, l);
                    double ctrl = p >= 0 ? sol_.pool_flow(p, b) : 0.0;
                    if (clean_sold[a] > 0 && clean_ctrl(a, l) > 0) {
                        const double carried = clean_flow * clean_ctrl(a, l) / clean_sold[a];
                        clean_part -= carried;
                        ctrl += carried;
                        // Non-compliant material that reaches a destination its licensor refuses.
                        if (a != b && carried > 0 && !consents(d_, s_, l, g_, b)) out_.reexport_breach[g_](a, l) += carried;
                    }
                    if (ctrl <= 0) continue;
                    if (a != b) out_.controlled_out[g_](a, l) += ctrl;  // exported
                    if (l == b) continue;                                // back with its licensor: its own
                    ctrl_in(b, l) += ctrl;
                    if (a != b) out_.controlled_in[g_](b, l) += ctrl;
                }
                if (a != b && clean_part > 0 && s_.rule(a, g_, b).regime == Regime::Licensed) {
                    ctrl_in(b, a) += clean_part;
                    out_.controlled_in[g_](b, a) += clean_part;
                }
            }
        for (CountryId b : d_.country_ids())
            for (CountryId l : d_.country_ids())
                if (received[b] > 0) inflow_share_(b, l) = std::min(1.0, ctrl_in(b, l) / received[b]);
    }

    // Apply: bids.
    void apply_bids() {
        for (size_t i = 0; i < prob_.bids.size(); ++i) {
            double q = sol_.bid_filled[i];
            if (q <= 0) continue;
            const CountryId c = prob_.bids[i].country;
            auto& cs = s_.countries[c];
            const auto& info = bid_info_[i];
            double paid = q * sol_.buy_price[c];
            switch (info.kind) {
                case BidKind::Sector: {
                    out_.consumed(c, g_) += q;
                    const auto& parts = sector_groups_[info.sector];
                    const double total = prob_.bids[i].tonnes;
                    for (const auto& [sector, tonnes] : parts) out_.met(c, sector) += q * tonnes / total;
                    bought_origin(c, q, false);
                    cs.economy_cash -= paid;
                    out_.cash(c, CashFlow::Purchases) -= paid;
                    break;
                }
                case BidKind::Feed:
                case BidKind::Restock:
                    cs.stock[g_] += q;
                    out_.stock_change(c, g_) += q;
                    bought_origin(c, q, true);
                    cs.economy_cash -= paid;
                    out_.cash(c, CashFlow::Purchases) -= paid;
                    break;
                case BidKind::StockpileBuy:
                    cs.stockpile[g_] += q;
                    out_.stockpile_change(c, g_) += q;
                    bought_origin(c, q, false);
                    cs.treasury -= paid;
                    out_.cash(c, CashFlow::StockpileTrade) -= paid;
                    break;
            }
        }
    }

    // Apply: what sellers receive, link by link, price-floor top-ups, and the receipts split
    // between firms and government; then the turn's prices.
    void pay_sellers() {
        const PerCountry<double> receipts = ship();
        top_up_floors();
        split_receipts(receipts);
        for (CountryId c : d_.country_ids()) {
            out_.price(c, g_) = sol_.buy_price[c];
            out_.supply_price(c, g_) = sol_.sell_price[c];
        }
    }

private:
    struct Tranche {
        double wtp;
        std::vector<std::pair<SectorId, double>> parts;  // sector, tonnes
    };
    struct Feed {
        double tonnes;
        double wtp;
    };

    int pool_for(CountryId c, CountryId licensor) {
        int& p = pool_of_(c, licensor);
        if (p < 0) {
            SupplyPool pool{c, PerCountry<char>(static_cast<std::size_t>(C_), 0)};
            // A leverage cutoff licensor → b withdraws consent too: the licensor refuses b everything.
            for (CountryId b : d_.country_ids())
                pool.may_serve[b] = b != c && !cut_.blocks(licensor, b, g_) && consents(d_, s_, licensor, g_, b);
            p = static_cast<int>(prob_.pools.size());
            prob_.pools.push_back(std::move(pool));
        }
        return p;
    }

    void offer(CountryId c, double t, double ask, OfferInfo info) {
        t = floor_kg(t);
        if (t <= 0) return;
        const int pool = info.licensor != kNoCountry && compliance_ > 0 ? pool_for(c, info.licensor) : -1;
        prob_.offers.push_back({c, t, std::max(0.0, ask), 0, pool});
        offer_info_.push_back(info);
    }

    // An offer of t, of which shares_[l] is l-controlled (the rest clean): the controlled parts on
    // their pools (compliant) and with the clean supply (non-compliant).
    void offer_split(CountryId c, double t, double ask, OfferInfo info) {
        double clean = t;
        for (CountryId l : d_.country_ids()) {
            if (shares_[l] <= 0) continue;
            const double part = t * shares_[l];
            clean -= part;
            OfferInfo controlled = info;
            controlled.licensor = l;
            if (compliance_ > 0) offer(c, part * compliance_, ask, controlled);
            if (compliance_ < 1) {  // the same step, offered with the clean supply
                const double rest = floor_kg(part * (1.0 - compliance_));
                if (rest > 0) {
                    prob_.offers.push_back({c, rest, std::max(0.0, ask), 0, -1});
                    offer_info_.push_back(controlled);
                }
            }
        }
        offer(c, clean, ask, info);
    }

    void bid(CountryId c, double t, double wtp, BidInfo info) {
        t = floor_kg(t);
        if (t <= 0 || wtp <= 0) return;
        prob_.bids.push_back({c, t, wtp, 0});
        bid_info_.push_back(info);
    }

    // Production: capacity left after offtake, quota, reserves, inputs in stock.
    void offer_production(CountryId c, const CountryState& cs, double expected) {
        double qmax = effective_capacity(d_, s_, c, g_) / tpy_ - out_.produced(c, g_);
        if (good_.process == Process::Mining) qmax = std::min(qmax, cs.reserves[g_]);
        double input_cost = 0.0;
        for (const auto& in : good_.recipe) {
            qmax = std::min(qmax, cs.stock[in.good] / in.tonnes_per_tonne);
            input_cost += in.tonnes_per_tonne * held_input_value(d_, s_, c, in.good, out_.price(c, in.good));
        }
        if (qmax <= 0) return;
        // Content rule: what cannot be made from clean inputs is controlled, by the licensors of
        // the controlled inputs in proportion to their value (§Origin and re-export control).
        std::fill(shares_.begin(), shares_.end(), 0.0);
        const double clean_q = std::min(qmax, clean_production_limit(d_, s_, c, g_));
        if (clean_q < qmax) {
            double total = 0.0;
            for (const auto& in : good_.recipe)
                for (CountryId l : d_.country_ids()) {
                    shares_[l] += d_.goods[in.good].reference_price * cs.controlled(in.good, l);
                    total += d_.goods[in.good].reference_price * cs.controlled(in.good, l);
                }
            for (double& share : shares_) share = total > 0 ? share / total * (1.0 - clean_q / qmax) : 0.0;
        }
        // A subsidy lowers the ask; so does a price floor, which tops up home sales after the
        // market (an export forgoes it: see the link costs below). The floor's support is
        // judged against at least the reference price, so a home price pushed down by floored
        // output does not feed back into ever lower asks.
        double support = cs.subsidy[g_] + floor_support(cs, g_, expected, good_.reference_price);
        for (int k = 0; k < K_; ++k) {
            double unit = cs.unit_cost[g_] * mp_.cost_steps[k];
            offer_split(c, qmax / K_, unit + input_cost - support, {OfferKind::Production, unit, -1});
        }
    }

    // Feed for downstream capacity, bid at what the output is expected to be worth; `need` is
    // their total, t.
    std::vector<Feed> feed_bids(CountryId c, const CountryState& cs, double expected, double& need) const {
        std::vector<Feed> feeds;
        for (GoodId h : d_.good_ids()) {
            const Good& down = d_.goods[h];
            for (const auto& in : down.recipe) {
                if (in.good != g_) continue;
                double planned = effective_capacity(d_, s_, c, h) / tpy_;
                if (planned <= 0) continue;
                double others = 0.0;
                for (const auto& o : down.recipe)
                    if (o.good != g_) others += o.tonnes_per_tonne * s_.smoothed_price(c, o.good);
                double support = cs.subsidy[h] + std::max(0.0, cs.price_floor[h] - s_.smoothed_price(c, h));
                // Bounded expectations: a feed bid pays at most feed_price_cap × what the feed has
                // recently cost (its smoothed price, at least its reference), whatever the output's
                // expected margin (docs/model.md §Firms, *Feed bids*).
                const double feed_cap = mp_.feed_price_cap * std::max(expected, good_.reference_price);
                for (int k = 0; k < K_; ++k) {
                    double margin = s_.smoothed_price(c, h) + support - cs.unit_cost[h] * mp_.cost_steps[k] - others;
                    if (margin <= 0) continue;
                    feeds.push_back({in.tonnes_per_tonne * planned / K_, std::min(feed_cap, margin / in.tonnes_per_tonne)});
                    need += in.tonnes_per_tonne * planned / K_;
                }
            }
        }
        return feeds;
    }

    // Inventory: hold inventory_weeks of use; sell the excess, draw the rest only when prices spike.
    // Precautionary inventory: more weeks of a good the country imports under licence.
    void add_inventory(CountryId c, const CountryState& cs, double normal, const std::vector<Feed>& feeds, double need) {
        const double weeks = mp_.inventory_weeks + (licensed_toward(d_, s_, c, g_) ? mp_.precautionary_weeks : 0.0);
        const double target = weeks / 52.0 * annual_use(d_, s_, c, g_);
        const double stock = cs.stock[g_];
        const double surplus = stock - target - need;
        // Each stock offer carries the stock's origin in proportion.
        for (CountryId l : d_.country_ids())
            shares_[l] = control_ && stock > 0 ? std::min(1.0, cs.controlled(g_, l) / stock) : 0.0;
        if (surplus > 0) {
            offer_split(c, surplus, mp_.restock_price_factor * normal, {OfferKind::StockExcess, 0, -1});
            offer_split(c, stock - floor_kg(surplus), mp_.release_price_factor * normal, {OfferKind::StockHeld, 0, -1});
        } else {
            offer_split(c, stock, mp_.release_price_factor * normal, {OfferKind::StockHeld, 0, -1});
            double missing = -surplus;
            double scale = need > 0 ? std::min(1.0, missing / need) : 0.0;
            for (const auto& f : feeds) bid(c, f.tonnes * scale, f.wtp, {BidKind::Feed, -1, -1});
            bid(c, missing - need, mp_.restock_price_factor * normal, {BidKind::Restock, -1, -1});
        }
    }

    // Sectors: short-run inelastic demand curves, capped at the value of the output lost.
    // Tranches of different sectors at the same price are one bid (fewer arcs, same optimum);
    // a filled bid is shared among its sectors in proportion to their tranches.
    // Defense sectors may have their own, less elastic curve; with the country's defense
    // priority on for g, defense tranches bid above every civilian tranche (rated orders).
    // Short-run stickiness: final buyers buy on contracts whose prices follow the market over
    // quarters, so no tranche bids above buyer_price_cap × the smoothed price; in a deeper
    // shortage the capped tranches form one bid and are rationed pro rata (a rated defense
    // tranche still bids just above the cap, so it is served first).
    void add_sectors(CountryId c, const CountryState& cs, double expected) {
        const double ceiling = mp_.buyer_price_cap * std::max(expected, good_.reference_price);
        const double rated_here = std::min(rated_wtp_, kRatedMarkup * ceiling);
        const int n = mp_.demand_steps;
        const bool rated = !cs.defense_priority.empty() && cs.defense_priority[g_] != 0;
        std::vector<Tranche> tranches;
        for (SectorId k : d_.sector_ids()) {
            const Sector& sec = d_.sectors[k];
            if (sec.good != g_) continue;
            double demand = cs.sector_demand[k] * (1.0 - cs.thrift[g_]) / tpy_;
            out_.demand(c, k) = demand;
            for (int i = 0; i < n; ++i) {
                double wtp = std::min(sector_wtp(d_, sec, curve_, i), ceiling);
                if (rated && sec.defense) wtp = std::max(wtp, rated_here);
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
            sector_groups_.push_back(std::move(t.parts));
            bid(c, total, t.wtp, {BidKind::Sector, static_cast<int>(sector_groups_.size()) - 1, -1});
        }
    }

    // Bought tonnes take the inflow's origin: into stock (feed, restock) as controlled, or out of
    // the account (sectors consume, stockpiles are not tracked).
    void bought_origin(CountryId c, double q, bool into_stock) {
        if (!control_) return;
        for (CountryId l : d_.country_ids()) {
            const double ctrl = q * inflow_share_(c, l);
            if (ctrl <= 0) continue;
            if (into_stock) {
                s_.countries[c].controlled(g_, l) += ctrl;
            } else {
                out_.controlled_out[g_](c, l) += ctrl;
            }
        }
    }

    // What sellers receive, link by link: buyers paid buy_price at their end; the difference goes
    // to the importer's customs (tariff), the exporter's (duty), the carrier (outside), and any
    // rent of a capped link to the exporting sellers. Returns each country's sellers' receipts.
    PerCountry<double> ship() {
        PerCountry<double> receipts(C_, 0.0);
        for (CountryId a : d_.country_ids()) {
            for (CountryId b : d_.country_ids()) {
                double f = sol_.flow(a, b);
                if (f <= 0) continue;
                double value = f * sol_.buy_price[b];
                if (a != b) {
                    double tariff = f * good_.reference_price * s_.tariff_on(b, g_, a);
                    double duty = f * good_.reference_price * export_duty(d_, s_, cut_, a, b, g_);
                    double transport = f * good_.transport_cost;
                    s_.countries[b].treasury += tariff;
                    out_.cash(b, CashFlow::TariffRevenue) += tariff;
                    s_.countries[a].treasury += duty;
                    out_.cash(a, CashFlow::DutyRevenue) += duty;
                    s_.outside += transport;
                    value -= tariff + duty + transport;
                    if (!cut_.opens(a, b, g_)) draw_licenses(d_, s_, a, b, g_, f, out_.flows[g_](a, b));
                    out_.flows[g_](a, b) += f;
                    out_.exported(a, g_) += f;
                    out_.imported(b, g_) += f;
                }
                receipts[a] += value;
            }
        }
        return receipts;
    }

    // Price-floor top-ups on the home-sold share of production: max(0, floor − supply price) per tonne.
    void top_up_floors() {
        for (CountryId a : d_.country_ids()) {
            auto& cs = s_.countries[a];
            if (cs.price_floor[g_] <= 0) continue;
            double made = 0.0, sold = 0.0;
            for (size_t i = 0; i < prob_.offers.size(); ++i) {
                if (prob_.offers[i].country != a) continue;
                sold += sol_.offer_filled[i];
                if (offer_info_[i].kind == OfferKind::Production) made += sol_.offer_filled[i];
            }
            double exported = 0.0;
            for (CountryId b : d_.country_ids())
                if (b != a) exported += sol_.flow(a, b);
            double home_made = sold > 0 ? made * std::max(0.0, 1.0 - exported / sold) : 0.0;
            double top_up = std::max(0.0, cs.price_floor[g_] - sol_.sell_price[a]) * home_made;
            if (top_up <= 0) continue;
            cs.treasury -= top_up;
            cs.economy_cash += top_up;
            out_.cash(a, CashFlow::Subsidies) -= top_up;
        }
    }

    // Sellers' receipts split between firms and the government (stockpile releases) by volume.
    void split_receipts(const PerCountry<double>& receipts) {
        for (CountryId a : d_.country_ids()) {
            if (receipts[a] == 0.0) continue;
            double gov = 0.0, all = 0.0;
            for (size_t i = 0; i < prob_.offers.size(); ++i) {
                if (prob_.offers[i].country != a) continue;
                all += sol_.offer_filled[i];
                if (offer_info_[i].kind == OfferKind::StockpileRelease) gov += sol_.offer_filled[i];
            }
            double gov_share = all > 0 ? gov / all : 0.0;
            auto& cs = s_.countries[a];
            cs.treasury += receipts[a] * gov_share;
            out_.cash(a, CashFlow::StockpileTrade) += receipts[a] * gov_share;
            cs.economy_cash += receipts[a] * (1.0 - gov_share);
            out_.cash(a, CashFlow::Sales) += receipts[a] * (1.0 - gov_share);
        }
    }

    const Definitions& d_;
    State& s_;
    const GoodId g_;
    const Cutoff& cut_;
    MarketOutcome& out_;
    const Good& good_;
    const MarketParams& mp_;
    const int C_;
    const double tpy_;
    const int K_;
    const bool control_;
    const double compliance_;

    MarketProblem prob_;
    std::vector<OfferInfo> offer_info_;
    std::vector<BidInfo> bid_info_;
    CountryMatrix<int> pool_of_;     // [country][licensor]: its supply pool (-1: none yet)
    PerCountry<double> shares_;      // per licensor: the controlled share of the offer being added
    std::vector<double> curve_;      // the demand curve's shape per tranche
    double rated_wtp_ = 0.0;         // a rated defense tranche's bid
    std::vector<std::vector<std::pair<SectorId, double>>> sector_groups_;  // BidInfo::sector indexes these
    CountryMatrix<> inflow_share_;   // [b][l]: l-controlled share of all b received (home and imports)
    MarketSolution& sol_ = solution();

    static MarketSolution& solution() {
        thread_local MarketSolution sol;
        return sol;
    }
};

}  // namespace

void clear_good_market(const Definitions& d, State& s, GoodId g, const Cutoff& cut, MarketOutcome& out) {
    GoodMarket market(d, s, g, cut, out);
    for (CountryId c : d.country_ids()) market.add_country(c);
    market.add_stockpile_orders();
    market.add_links();
    market.solve();
    market.apply_offers();
    market.trace_origin();
    market.apply_bids();
    serve_defense_from_stockpile(d, s, g, out);
    market.pay_sellers();
}

}  // namespace chokepoint
