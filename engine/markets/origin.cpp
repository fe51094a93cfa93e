// docs/model.md §Origin and re-export control.
#include "engine/markets/origin.hpp"

#include <algorithm>
#include <cmath>

namespace chokepoint {

namespace {

bool licensed_to(const State& s, CountryId licensor, GoodId g, CountryId dest) {
    for (const auto& l : s.licenses)
        if (l.exporter == licensor && l.importer == dest && l.good == g && !l.revoked && l.first_turn <= s.turn &&
            s.turn <= l.last_turn && l.tonnes_per_turn > 0)
            return true;
    return false;
}

// Whether the licensor has refused `dest` an input good: an embargo, or (licensed) no valid licence
// and its latest decision on dest's applications for the good a denial or a revocation. A country
// that never applied for the input (a magnet importer without magnet makers, a concentrate nobody
// exports) is not refused it: no licence is not a refusal there.
bool refuses_input(const State& s, CountryId licensor, GoodId g, CountryId dest) {
    switch (s.rule(licensor, g, dest).regime) {
        case Regime::Open: return false;
        case Regime::Embargo: return true;
        case Regime::Licensed: break;
    }
    if (licensed_to(s, licensor, g, dest)) return false;
    int latest = -1;
    bool refused = false;
    for (const auto& a : s.applications)
        if (a.exporter == licensor && a.importer == dest && a.good == g && a.decided_turn >= latest &&
            (a.status == ApplicationStatus::Approved || a.status == ApplicationStatus::Denied)) {
            latest = a.decided_turn;
            refused = a.status == ApplicationStatus::Denied;
        }
    for (const auto& l : s.licenses)
        if (l.exporter == licensor && l.importer == dest && l.good == g && l.revoked && l.first_turn >= latest) {
            latest = l.first_turn;
            refused = true;
        }
    return refused;
}

// The product itself needs the licensor's approval of the destination; each input upstream needs
// only that the licensor has not refused the destination it.
bool approves_upstream(const Definitions& d, const State& s, CountryId licensor, GoodId g, CountryId dest, int depth) {
    if (depth == 0 ? !approves_destination(d, s, licensor, g, dest) : refuses_input(s, licensor, g, dest)) return false;
    if (depth > d.good_count()) return true;  // recipes are acyclic (stage order); a guard only
    for (const auto& in : d.goods[g].recipe)
        if (!approves_upstream(d, s, licensor, in.good, dest, depth + 1)) return false;
    return true;
}

}  // namespace

void ensure_origin(const Definitions& d, State& s) {
    const int C = d.country_count(), G = d.good_count();
    for (auto& cs : s.countries)
        if (cs.controlled.rows != G || cs.controlled.cols != C) cs.controlled = {G, C, 0.0};
}

void ensure_origin_ledger(const Definitions& d, MarketOutcome& out) {
    const int C = d.country_count(), G = d.good_count();
    for (auto* ledger : {&out.controlled_in, &out.controlled_made, &out.controlled_out, &out.reexport_breach})
        if (ledger->count() != G) ledger->assign(G, CountryMatrix<>(C, C, 0.0));
}

double controlled_total(const CountryState& cs, GoodId g) {
    if (cs.controlled.rows <= g.value()) return 0.0;
    double sum = 0.0;
    for (CountryId l : cs.controlled.col_ids()) sum += cs.controlled(g, l);
    return sum;
}

bool approves_destination(const Definitions&, const State& s, CountryId licensor, GoodId g, CountryId dest) {
    if (licensor == dest) return true;
    switch (s.rule(licensor, g, dest).regime) {
        case Regime::Open: return true;
        case Regime::Embargo: return false;
        case Regime::Licensed: return licensed_to(s, licensor, g, dest);
    }
    return false;
}

bool consents(const Definitions& d, const State& s, CountryId licensor, GoodId g, CountryId dest) {
    const OriginRules rules = origin_rules(d, s);
    // Re-export control lifted during the game (a licensing_rules event): the conditions on
    // material already controlled are suspended too — its contract deliveries go anywhere, as its
    // spot offers do (no pools without control).
    if (licensor == dest || !rules.reexport_control) return true;
    // Without the content rule only the licensed good itself is ever controlled.
    return rules.content_rule ? approves_upstream(d, s, licensor, g, dest, 0)
                              : approves_destination(d, s, licensor, g, dest);
}

void remove_origin(const Definitions& d, State& s, CountryId c, GoodId g, double stock_before, double tonnes,
                   OriginDraw draw, MarketOutcome* out, PerCountry<double>* taken) {
    const int C = d.country_count();
    if (taken) taken->assign(C, 0.0);
    auto& cs = s.countries[c];
    if (tonnes <= 0 || cs.controlled.rows <= g.value()) return;
    const double ctrl = controlled_total(cs, g);
    if (ctrl <= 0) return;
    const double clean = std::max(0.0, stock_before - ctrl);
    double from_ctrl = 0.0;  // controlled tonnes to take pro rata (after a preferred licensor's)
    CountryId first = kNoCountry;
    double first_take = 0.0;
    if (draw.order == OriginDraw::LicensorFirst) {
        first = draw.licensor;
        first_take = std::min(tonnes, cs.controlled(g, first));
        const double rest = tonnes - first_take;
        from_ctrl = std::min(ctrl - first_take, rest);  // other controlled before clean
    } else if (draw.order == OriginDraw::ControlledFirst) {
        from_ctrl = std::min(ctrl, tonnes);
    } else if (draw.order == OriginDraw::CleanFirst) {
        from_ctrl = std::min(ctrl, std::max(0.0, tonnes - clean));
    } else {  // pooled
        from_ctrl = stock_before > 0 ? std::min(ctrl, tonnes * ctrl / stock_before) : ctrl;
    }
    const double pro_rata_base = ctrl - first_take;
    for (CountryId l : d.country_ids()) {
        double& v = cs.controlled(g, l);
        double take = l == first ? first_take : 0.0;
        const double base = l == first ? v - first_take : v;
        if (pro_rata_base > 0 && from_ctrl > 0) take += from_ctrl * base / pro_rata_base;
        take = std::min(take, v);
        if (take <= 0) continue;
        v -= take;
        if (v < 1e-12) v = 0.0;
        if (out) out->controlled_out[g](c, l) += take;
        if (taken) (*taken)[l] += take;
    }
}

void clamp_origin(const Definitions& d, State& s, CountryId c, GoodId g, MarketOutcome* out) {
    auto& cs = s.countries[c];
    const double ctrl = controlled_total(cs, g);
    const double stock = std::max(0.0, cs.stock[g]);
    if (ctrl <= stock) return;
    const double excess = ctrl - stock;
    for (CountryId l : d.country_ids()) {
        double& v = cs.controlled(g, l);
        double take = excess * v / ctrl;
        v = std::max(0.0, v - take);
        if (out) out->controlled_out[g](c, l) += take;
    }
}

double clean_production_limit(const Definitions& d, const State& s, CountryId c, GoodId g) {
    const Good& good = d.goods[g];
    const OriginRules rules = origin_rules(d, s);
    if (!rules.reexport_control || !rules.content_rule || good.recipe.empty()) return kUnlimited;
    const auto& cs = s.countries[c];
    double input_value = 0.0;
    for (const auto& in : good.recipe) input_value += in.tonnes_per_tonne * d.goods[in.good].reference_price;
    double limit = kUnlimited;
    for (const auto& in : good.recipe) {
        const double ref_in = d.goods[in.good].reference_price;
        const double value_share = input_value > 0 ? in.tonnes_per_tonne * ref_in / input_value : 1.0;
        // Controlled t of this input a clean tonne of output may carry: its share of the threshold.
        const double allowance =
            ref_in > 0 ? std::min(in.tonnes_per_tonne,
                                  rules.content_threshold * good.reference_price * value_share / ref_in)
                       : in.tonnes_per_tonne;
        const double clean_need = in.tonnes_per_tonne - allowance;
        if (clean_need <= 0) continue;
        const double clean = std::max(0.0, cs.stock[in.good] - controlled_total(cs, in.good));
        limit = std::min(limit, clean / clean_need);
    }
    return limit;
}

}  // namespace chokepoint
