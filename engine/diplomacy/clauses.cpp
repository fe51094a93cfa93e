#include "engine/diplomacy/clauses.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/instruments/commands.hpp"
#include "engine/instruments/investment.hpp"
#include "engine/metrics/indicators.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

namespace {

std::string gname(const Definitions& d, std::optional<GoodId> g) { return g ? d.goods[*g].id : std::string("all goods"); }
bool good_ok(const Definitions& d, GoodId g) { return g.value() >= 0 && g.value() < d.good_count(); }

bool finite_in(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

// How strict a regime is: open < licensed < embargo.
int strictness(Regime r) { return static_cast<int>(r); }

constexpr const char* kKindNames[] = {"supply",        "license",    "regime",      "investment",
                                      "stockpile_loan", "payment",    "tariff",      "end_use"};

}  // namespace

const char* to_string(ClauseKind k) {
    const int i = static_cast<int>(k);
    return i >= 0 && i < kClauseKindCount ? kKindNames[i] : "?";
}

int clause_kind_from_string(const std::string& s) {
    for (int i = 0; i < kClauseKindCount; ++i)
        if (s == kKindNames[i]) return i;
    return -1;
}

const char* to_string(ProposalStatus s) {
    switch (s) {
        case ProposalStatus::Pending: return "pending";
        case ProposalStatus::Accepted: return "accepted";
        case ProposalStatus::Rejected: return "rejected";
        case ProposalStatus::Countered: return "countered";
        case ProposalStatus::Expired: return "expired";
        case ProposalStatus::Failed: return "failed";
    }
    return "?";
}

const char* to_string(AgreementStatus s) {
    switch (s) {
        case AgreementStatus::Active: return "active";
        case AgreementStatus::Expired: return "expired";
        case AgreementStatus::Withdrawn: return "withdrawn";
        case AgreementStatus::Breached: return "breached";
    }
    return "?";
}

int clause_turns(const Clause& c, int agreement_turns) { return c.turns > 0 ? c.turns : agreement_turns; }

std::string describe(const Definitions& d, const Clause& c) {
    const std::string& f = cid(d, c.from);
    const std::string& t = cid(d, c.to);
    std::string span = c.turns > 0 ? fmt::format(" for {} turns", c.turns) : "";
    switch (c.kind) {
        case ClauseKind::Supply:
            return fmt::format("{} ships {:.0f} t/turn of {} to {} at ${:.0f}/kg{}", f, c.tonnes, gname(d, c.good), t,
                               c.price / 1000, span);
        case ClauseKind::LicenseFacilitation:
            return fmt::format("{} grants {} a general license for {:.0f} t/turn of {}{}, decided within {} turn(s){}", f,
                               t, c.tonnes, gname(d, c.good), c.civilian_only ? ", civilian use only" : "",
                               c.max_delay, span);
        case ClauseKind::RegimeChange:
            return fmt::format("{} sets exports of {} to {}: {}{}", f, gname(d, c.good), t, to_string(c.regime), span);
        case ClauseKind::Investment:
            return fmt::format("{} funds {:.0f}% of {:.0f} t/yr of {} capacity in {} for {:.0f}% of its output", f,
                               c.capex_share * 100, c.tonnes, gname(d, c.good), t, c.share * 100);
        case ClauseKind::StockpileLoan:
            return fmt::format("{} lends {} {:.0f} t of {} from its stockpile, returned after {}", f, t, c.tonnes,
                               gname(d, c.good), c.turns > 0 ? fmt::format("{} turns", c.turns) : "the agreement");
        case ClauseKind::Payment:
            return fmt::format("{} pays {} ${:.1f}M{}", f, t, c.usd / 1e6, c.per_turn ? " per turn" : "");
        case ClauseKind::TariffChange:
            return fmt::format("{} sets its tariff on {} from {} to {:.0f}%{}", f, gname(d, c.good), t, c.rate * 100,
                               span);
        case ClauseKind::EndUseAssurance:
            return fmt::format("{} assures {} that its {} goes to civilian use only{}", f, t, gname(d, c.good), span);
        case ClauseKind::Count: break;
    }
    return "?";
}

std::string describe(const Definitions& d, const std::vector<Clause>& clauses) {
    std::string out;
    for (const auto& c : clauses) {
        if (!out.empty()) out += "; ";
        out += describe(d, c);
    }
    return out;
}

nlohmann::json to_json(const Definitions& d, const Clause& c) {
    nlohmann::json j = {{"type", to_string(c.kind)}, {"from", cid(d, c.from)}, {"to", cid(d, c.to)}};
    if (c.good) j["good"] = d.goods[*c.good].id;
    if (c.turns > 0) j["turns"] = c.turns;
    switch (c.kind) {
        case ClauseKind::Supply:
            j["tonnes"] = c.tonnes;
            j["price_usd_per_kg"] = c.price / 1000;
            break;
        case ClauseKind::LicenseFacilitation:
            j["tonnes"] = c.tonnes;
            j["civilian_only"] = c.civilian_only;
            j["max_delay"] = c.max_delay;
            break;
        case ClauseKind::RegimeChange: j["regime"] = to_string(c.regime); break;
        case ClauseKind::Investment:
            j["tonnes_per_year"] = c.tonnes;
            j["share"] = c.share;
            j["capex_share"] = c.capex_share;
            break;
        case ClauseKind::StockpileLoan: j["tonnes"] = c.tonnes; break;
        case ClauseKind::Payment:
            j["usd_m"] = c.usd / 1e6;
            j["per_turn"] = c.per_turn;
            break;
        case ClauseKind::TariffChange: j["rate"] = c.rate; break;
        case ClauseKind::EndUseAssurance:
        case ClauseKind::Count: break;
    }
    return j;
}

namespace {

// Supply already promised by `seller` for good g in active agreements, t/turn.
double committed_supply(const State& s, CountryId seller, GoodId g) {
    double sum = 0.0;
    for (const auto& a : s.agreements) {
        if (a.status != AgreementStatus::Active) continue;
        for (size_t i = 0; i < a.clauses.size(); ++i) {
            const Clause& c = a.clauses[i];
            if (c.kind == ClauseKind::Supply && c.from == seller && c.good == g && s.turn <= a.progress[i].last_turn)
                sum += c.tonnes;
        }
    }
    return sum;
}

// The regime exporter→dest for g once the proposal's own regime changes apply.
Regime regime_after(const Definitions&, const State& s, const std::vector<Clause>& all, CountryId exporter, GoodId g,
                    CountryId dest) {
    Regime r = s.rule(exporter, g, dest).regime;
    for (const auto& c : all)
        if (c.kind == ClauseKind::RegimeChange && c.from == exporter && c.to == dest && c.good == g) r = c.regime;
    return r;
}

std::string clause_problem(const Definitions& d, const State& s, const Clause& c, const std::vector<Clause>& all,
                           int turns) {
    const auto& from = s.countries[c.from];
    const double tpy = d.turns_per_year();
    bool needs_good = c.kind != ClauseKind::Payment && c.kind != ClauseKind::TariffChange;
    if (needs_good && !(c.good && good_ok(d, *c.good))) return "needs a good";
    if (c.kind == ClauseKind::TariffChange && c.good && !good_ok(d, *c.good)) return "unknown good";
    const GoodId g = c.the_good();
    if (c.turns < 0 || c.turns > d.negotiation.max_duration_turns)
        return fmt::format("turns must be 1..{}", d.negotiation.max_duration_turns);
    const std::string& who = cid(d, c.from);
    switch (c.kind) {
        case ClauseKind::Supply: {
            if (!finite_in(c.tonnes, 0.1, 1e6)) return "tonnes per turn must be 0.1..1e6";
            if (!finite_in(c.price, 1.0, 1e9)) return "price must be 0.001..1e6 USD/kg";
            double can = effective_capacity(d, s, c.from, g) / tpy + from.stock[g];
            double promised = committed_supply(s, c.from, g);
            if (c.tonnes + promised > can + 1e-6)
                return fmt::format("{} can make or hold {:.0f} t/turn of {} and has promised {:.0f}: it cannot ship {:.0f} more",
                                   who, can, gname(d, g), promised, c.tonnes);
            if (regime_after(d, s, all, c.from, g, c.to) == Regime::Embargo)
                return fmt::format("{} embargoes {} to {}: add a regime clause that eases it", who, gname(d, g),
                                   cid(d, c.to));
            return "";
        }
        case ClauseKind::LicenseFacilitation: {
            if (!finite_in(c.tonnes, 0.1, 1e6)) return "licensed tonnes per turn must be 0.1..1e6";
            if (c.max_delay < 0 || c.max_delay > 8) return "max_delay must be 0..8 turns";
            Regime r = regime_after(d, s, all, c.from, g, c.to);
            if (r == Regime::Open)
                return fmt::format("{} exports of {} to {} are open: a license changes nothing", who,
                                   gname(d, g), cid(d, c.to));
            if (r == Regime::Embargo)
                return fmt::format("{} embargoes {} to {}: a license needs a regime clause that eases it too", who,
                                   gname(d, g), cid(d, c.to));
            return "";
        }
        case ClauseKind::RegimeChange: {
            Regime now = s.rule(c.from, g, c.to).regime;
            if (strictness(c.regime) >= strictness(now))
                return fmt::format("{} exports of {} to {} are already {}: a regime clause lifts or eases", who,
                                   gname(d, g), cid(d, c.to), to_string(now));
            return "";
        }
        case ClauseKind::Investment: {
            if (!finite_in(c.tonnes, 1.0, 1e6)) return "capacity must be 1..1e6 t/yr";
            if (!finite_in(c.share, 0.0, 1.0)) return "share of output must be 0..1";
            if (!finite_in(c.capex_share, 0.0, 1.0)) return "capex_share must be 0..1";
            if (d.goods[g].process == Process::Mining && s.countries[c.to].reserves[g] <= 0)
                return fmt::format("{} has no reserves of {} to mine", cid(d, c.to), gname(d, g));
            double capex = project_capex(d, g, c.tonnes);
            if (capex * c.capex_share > from.treasury)
                return fmt::format("{}'s treasury (${:.0f}M) cannot fund ${:.0f}M of capex", who, from.treasury / 1e6,
                                   capex * c.capex_share / 1e6);
            const auto& host = s.countries[c.to];
            if (capex * (1 - c.capex_share) > std::max(0.0, host.treasury))
                return fmt::format("{}'s treasury (${:.0f}M) cannot fund its ${:.0f}M share of the capex", cid(d, c.to),
                                   host.treasury / 1e6, capex * (1 - c.capex_share) / 1e6);
            return "";
        }
        case ClauseKind::StockpileLoan:
            if (!finite_in(c.tonnes, 0.1, 1e6)) return "tonnes must be 0.1..1e6";
            if (from.stockpile[g] + 1e-9 < c.tonnes)
                return fmt::format("{}'s stockpile holds {:.0f} t of {}, not {:.0f}", who, from.stockpile[g],
                                   gname(d, g), c.tonnes);
            if (clause_turns(c, turns) < 1) return "a loan needs a return date";
            return "";
        case ClauseKind::Payment:
            if (!finite_in(c.usd, 1.0, 1e13)) return "payment must be a positive amount up to USD 10 trillion";
            if (c.usd > from.treasury)
                return fmt::format("{}'s treasury (${:.0f}M) cannot pay ${:.0f}M", who, from.treasury / 1e6,
                                   c.usd / 1e6);
            return "";
        case ClauseKind::TariffChange:
            if (!finite_in(c.rate, 0.0, 10.0)) return "tariff rate must be 0..10";
            if (d.countries[c.from].bloc) return fmt::format("{} is a bloc and sets no tariffs", who);
            return "";
        case ClauseKind::EndUseAssurance: return "";
        case ClauseKind::Count: break;
    }
    return "unknown clause";
}

}  // namespace

std::string proposal_problem(const Definitions& d, const State& s, CountryId a, CountryId b,
                             const std::vector<Clause>& clauses, int turns) {
    if (!d.has_country(a) || !d.has_country(b) || a == b)
        return "a proposal goes to another country";
    if (clauses.empty()) return "a proposal needs at least one clause";
    if (clauses.size() > 12) return "a proposal holds at most 12 clauses";
    if (turns < 1 || turns > d.negotiation.max_duration_turns)
        return fmt::format("duration must be 1..{} turns, got {}", d.negotiation.max_duration_turns, turns);
    for (size_t i = 0; i < clauses.size(); ++i) {
        const Clause& c = clauses[i];
        if (!((c.from == a && c.to == b) || (c.from == b && c.to == a)))
            return fmt::format("clause {} ({}): its parties must be {} and {}", i + 1, to_string(c.kind), cid(d, a),
                               cid(d, b));
        if (auto why = clause_problem(d, s, c, clauses, turns); !why.empty())
            return fmt::format("clause {} ({}): {}", i + 1, to_string(c.kind), why);
    }
    return "";
}

}  // namespace chokepoint
