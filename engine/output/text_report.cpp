// The terminal's view of a game: a line or two per turn, then closing tables.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

#include "engine/diplomacy/clauses.hpp"
#include "engine/output/writers.hpp"

namespace chokepoint {

namespace {

// The country with the most capacity in a good: "inside" for dual-price readings.
CountryId dominant_producer(const Definitions& d, const TurnRecord& r, GoodId g) {
    CountryId best{0};
    for (CountryId c : d.country_ids())
        if (r.countries[c].capacity[g] > r.countries[best].capacity[g]) best = c;
    return best;
}

// Demand-weighted mean price outside country `inside`, USD/kg.
double price_elsewhere(const Definitions& d, const TurnRecord& r, GoodId g, CountryId inside) {
    double w = 0.0, sum = 0.0;
    for (CountryId c : d.country_ids()) {
        if (c == inside) continue;
        double use = r.outcome.consumed(c, g) + r.outcome.used_as_input(c, g) + r.outcome.imported(c, g);
        if (use <= 0 || !std::isfinite(r.outcome.price(c, g))) continue;
        w += use;
        sum += use * r.outcome.price(c, g);
    }
    return w > 0 ? sum / w / 1000.0 : 0.0;
}

// A country's id in a column `width` wide (ids are cut only there; running text gives them whole;
// 13 fits every shipped id, rest_of_world included).
std::string short_name(const Definitions& d, CountryId c, std::size_t width = 13) {
    std::string id = d.countries[c].id;
    return id.size() > width ? id.substr(0, width) : id;
}
const std::string& full_name(const Definitions& d, CountryId c) { return d.countries[c].id; }

}  // namespace

std::string turn_line(const Game& game, const TurnRecord& r) {
    const Definitions& d = game.defs();
    std::string line = fmt::format("T{:>2} {} |", r.turn + 1, r.date);
    // Prices of the separated oxides and magnets: inside the main producer vs. elsewhere.
    for (GoodId g : d.good_ids()) {
        if (d.goods[g].stage == 0) continue;
        const CountryId in = dominant_producer(d, r, g);
        line += fmt::format(" {} {}:{:.0f} else:{:.0f}", d.goods[g].id, full_name(d, in),
                            r.outcome.price(in, g) / 1000.0, price_elsewhere(d, r, g, in));
    }
    line += " $/kg";
    // World unmet demand, by tonnes, and the worst-hit country.
    double demand = 0.0, unmet = 0.0, worst = 0.0;
    CountryId worst_c = kNoCountry;
    for (CountryId c : d.country_ids()) {
        double cd = 0.0, cu = 0.0;
        for (SectorId k : d.sector_ids()) {
            cd += r.outcome.demand(c, k);
            cu += std::max(0.0, r.outcome.demand(c, k) - r.outcome.met(c, k));
        }
        demand += cd;
        unmet += cu;
        if (cd > 0 && cu / cd > worst) {
            worst = cu / cd;
            worst_c = c;
        }
    }
    std::map<std::string, int> n;
    for (const auto& e : r.events) ++n[e.type];
    int approved = 0, denied = 0;
    for (const auto& e : r.events)
        if (e.type == "license_decision") (e.data.value("decision", "") == "approved" ? approved : denied)++;
    line += fmt::format("\n      unmet {:.1f}%", demand > 0 ? 100 * unmet / demand : 0.0);
    if (worst_c != kNoCountry && worst > 0.005) line += fmt::format(" (worst {} {:.0f}%)", full_name(d, worst_c), 100 * worst);
    line += fmt::format(" | licenses filed {} approved {} denied {}", n["license_application"], approved, denied);
    if (n["end_use_violation"] > 0) line += fmt::format(", {} diversion(s) found", n["end_use_violation"]);
    if (!r.leverage.index_combined.empty()) {
        CountryId top{0};  // the first of the strongest
        for (CountryId c : r.leverage.index_combined.ids())
            if (r.leverage.index_combined[c] > r.leverage.index_combined[top]) top = c;
        line += fmt::format(" | most leverage {} {:.3f}", full_name(d, top), r.leverage.index_combined[top]);
    }
    const int deals = n["agreement"], talks = n["proposal"] + n["counter_proposal"];
    if (talks + deals + n["agreement_breach"] + n["agreement_withdrawal"] > 0)
        line += fmt::format("\n      diplomacy: {} proposal(s), {} counter(s), {} rejected, {} agreement(s)", n["proposal"],
                            n["counter_proposal"], n["proposal_rejected"], deals);
    for (const auto& e : r.events)
        if (e.type == "scripted" || e.type == "regime_change" || e.type == "project_online" || e.type == "quota_change")
            line += "\n      * " + e.text;
        else if (e.type == "agreement" || e.type == "agreement_breach" || e.type == "agreement_withdrawal")
            line += "\n      + " + e.text;
        else if (e.type == "policy_error" || e.type == "policy_fallback" || e.type == "policy_reloaded")
            line += "\n      ! " + e.text.substr(0, e.text.find('\n'));  // first line; the traceback is in events.jsonl
    return line;
}

std::string final_report(const Game& game) {
    const Definitions& d = game.defs();
    if (game.history().empty()) return "no turns played\n";
    const TurnRecord& r = game.history().back();
    std::string out;
    out += fmt::format("\nLeverage and scores after {} turns ({} to {})\n", game.history().size(), d.date_of_turn(0), r.date);
    std::vector<CountryId> order;
    for (CountryId c : d.country_ids()) order.push_back(c);
    const bool have_lev = !r.leverage.index_combined.empty();
    if (have_lev)
        std::stable_sort(order.begin(), order.end(), [&](CountryId a, CountryId b) {
            return r.leverage.index_combined[a] > r.leverage.index_combined[b];
        });
    out += fmt::format("  {:<14} {:>9} {:>9} {:>9} {:>9}   {:>7} {:>8} {:>9} {:>6}   {}\n", "country", "materials",
                       "exercised", "market", "combined", "economy", "security", "influence", "total",
                       "most net leverage over");
    for (CountryId c : order) {
        const Score& sc = r.scores[c];
        std::string over = "-";
        if (have_lev) {
            CountryId best = kNoCountry;
            double best_net = 0.0;
            for (CountryId b : d.country_ids())
                if (b != c && r.leverage.net(c, b) > best_net) {
                    best_net = r.leverage.net(c, b);
                    best = b;
                }
            if (best != kNoCountry) over = fmt::format("{} (+{:.3f})", d.countries[best].id, best_net);
        }
        out += fmt::format("  {:<14} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f}   {:>7.2f} {:>8.2f} {:>9.2f} {:>6.2f}   {}\n",
                           d.countries[c].id, have_lev ? r.leverage.index_materials[c] : 0.0,
                           have_lev && !r.leverage.index_exercised.empty() ? r.leverage.index_exercised[c] : 0.0,
                           have_lev ? r.leverage.index_market_access[c] : 0.0,
                           have_lev ? r.leverage.index_combined[c] : 0.0, sc.economy, sc.security, sc.influence,
                           sc.total, over);
    }
    // Scripted policies: what they cost and whether they held up.
    bool header = false;
    for (CountryId c : d.country_ids()) {
        const nlohmann::json st = game.policy(c)->stats();
        if (st.empty()) continue;
        if (!header) {
            out += fmt::format("\nPolicies: {:<14} {:<24} {:>7} {:>14} {:>9} {:>8} {:>7}\n", "country", "script", "calls",
                               "instructions", "time ms", "commands", "errors");
            header = true;
        }
        std::string script = st.value("policy", "");
        if (auto slash = script.find_last_of('/'); slash != std::string::npos) script = script.substr(slash + 1);
        out += fmt::format("          {:<14} {:<24} {:>7} {:>14} {:>9.1f} {:>8} {:>7}{}\n", d.countries[c].id, script,
                           st.value("calls", 0LL), st.value("instructions", 0LL), 1e3 * st.value("seconds", 0.0),
                           st.value("commands", 0LL), st.value("errors", 0LL),
                           st.value("fell_back", false) ? "  (fell back to the autopilot)" : "");
    }
    // Diplomacy: agreements in force and the lowest trust.
    const State& s = game.state();
    int active = 0;
    for (const auto& a : s.agreements) active += a.status == AgreementStatus::Active;
    if (!s.agreements.empty()) {
        out += fmt::format("\nAgreements: {} struck, {} in force (agreements.csv lists them all)\n", s.agreements.size(),
                           active);
        for (const auto& a : s.agreements)
            if (a.status == AgreementStatus::Active)
                out += fmt::format("  {:>4} {:<13} {:<13} until {}  {}\n", a.id, short_name(d, a.proposer),
                                   short_name(d, a.acceptor), d.date_of_turn(a.end_turn), describe(d, a.clauses));
        for (const auto& a : s.agreements)
            if (a.status == AgreementStatus::Breached)
                out += fmt::format("  {:>4} breached by {} in {}: {}\n", a.id, full_name(d, a.ended_by),
                                   d.date_of_turn(a.ended_turn), a.end_reason);
    }
    {
        std::vector<std::tuple<double, CountryId, CountryId>> low;
        for (CountryId a : d.country_ids())
            for (CountryId b : d.country_ids())
                if (a != b) low.emplace_back(s.countries[a].trust[b], a, b);
        std::stable_sort(low.begin(), low.end(), [](const auto& x, const auto& y) { return std::get<0>(x) < std::get<0>(y); });
        out += "\nLowest trust (truster → trusted):";
        for (size_t i = 0; i < std::min<size_t>(5, low.size()); ++i)
            out += fmt::format(" {}→{} {:.2f}{}", full_name(d, std::get<1>(low[i])), full_name(d, std::get<2>(low[i])),
                               std::get<0>(low[i]), i + 1 < std::min<size_t>(5, low.size()) ? "," : "");
        out += "\n";
    }
    if (have_lev) {
        const int n = std::min<int>(6, d.country_count());
        out += fmt::format("\nNet leverage (row over column, combined channels), top {}:\n  {:<14}", n, "");
        for (int j = 0; j < n; ++j) out += fmt::format(" {:>13}", short_name(d, order[j]));
        out += "\n";
        for (int i = 0; i < n; ++i) {
            out += fmt::format("  {:<14}", short_name(d, order[i]));
            for (int j = 0; j < n; ++j)
                out += i == j ? fmt::format(" {:>13}", "-")
                              : fmt::format(" {:>+13.3f}", r.leverage.net(order[i], order[j]));
            out += "\n";
        }
    }
    return out;
}

}  // namespace chokepoint
