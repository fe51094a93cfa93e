#include "view/model/diplomacy_model.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>

#include "engine/diplomacy/clauses.hpp"

namespace chokepoint::view {

namespace {

bool involves(CountryId a, CountryId b, CountryId c) { return a == c || b == c; }

std::vector<std::string> clause_lines(const Definitions& d, const std::vector<Clause>& clauses) {
    std::vector<std::string> out;
    out.reserve(clauses.size());
    for (const auto& c : clauses) out.push_back(describe(d, c));
    return out;
}

ProposalRow proposal_row(const Definitions& d, const Proposal& p) {
    ProposalRow r;
    r.id = p.id;
    r.from = p.from;
    r.to = p.to;
    r.clauses = clause_lines(d, p.clauses);
    r.terms = describe(d, p.clauses);
    r.turns = p.turns;
    r.counter_to = p.counter_to;
    r.sent_turn = p.sent_turn;
    r.deadline_turn = p.deadline_turn;
    r.answered_turn = p.answered_turn;
    r.status = p.status;
    r.note = p.note;
    r.reason = p.reason;
    r.agreement_id = p.agreement_id;
    return r;
}

AgreementRow agreement_row(const Definitions& d, const Agreement& a) {
    AgreementRow r;
    r.id = a.id;
    r.proposal_id = a.proposal_id;
    r.proposer = a.proposer;
    r.acceptor = a.acceptor;
    r.clauses = clause_lines(d, a.clauses);
    r.terms = describe(d, a.clauses);
    r.start_turn = a.start_turn;
    r.end_turn = a.end_turn;
    r.start_date = d.date_of_turn(a.start_turn);
    r.end_date = d.date_of_turn(a.end_turn);
    r.status = a.status;
    r.ended_turn = a.ended_turn;
    r.ended_by = a.ended_by;
    r.end_reason = a.end_reason;
    r.withdraw_turn = a.withdraw_turn;
    for (size_t i = 0; i < a.clauses.size(); ++i) {
        const Clause& c = a.clauses[i];
        if (c.kind != ClauseKind::Supply) continue;
        SupplyProgress s;
        s.seller = c.from;
        s.buyer = c.to;
        s.good = c.the_good();
        s.tonnes_per_turn = c.tonnes;
        if (i < a.progress.size()) {
            s.delivered = a.progress[i].delivered;
            s.arrears = a.progress[i].arrears;
        }
        r.supply.push_back(s);
    }
    return r;
}

// The agreement_breach event for an agreement, for its trust_after (null when not recorded).
const GameEvent* breach_event(const Snapshot& snap, int agreement_id, int turn) {
    for (const auto& rec : snap.history) {
        if (rec->turn != turn) continue;
        for (const auto& e : rec->events)
            if (e.type == "agreement_breach" && e.data.value("agreement", 0) == agreement_id) return &e;
    }
    return nullptr;
}

double trust_at(const TurnRecord& r, CountryId a, CountryId b) {
    if (a.value() < 0 || a.index() >= r.countries.size()) return std::numeric_limits<double>::quiet_NaN();
    const auto& t = r.countries[a].trust;
    if (b.value() < 0 || b.index() >= t.size()) return std::numeric_limits<double>::quiet_NaN();
    return t[b];
}

// What moved a's trust in b in a turn, as the event that says so ("" when none does).
std::string trust_cause(const TurnRecord& r, CountryId a, CountryId b) {
    static const char* kCauses[] = {"agreement_breach", "agreement_withdrawal", "agreement_ended", "end_use_violation"};
    auto is_cause = [](const GameEvent& e) {
        if (e.type == "scripted") return e.data.value("kind", std::string()) == "trust";
        return std::find_if(std::begin(kCauses), std::end(kCauses), [&](const char* t) { return e.type == t; }) !=
               std::end(kCauses);
    };
    for (const auto& e : r.events)
        if (is_cause(e) && ((e.country == a && e.target == b) || (e.country == b && e.target == a))) return e.text;
    // A breach or withdrawal also costs the offender trust with every third country.
    for (const auto& e : r.events)
        if ((e.type == "agreement_breach" || e.type == "agreement_withdrawal") && e.country == b)
            return "reputation: " + e.text;
    return "";
}

}  // namespace

DiplomacyView diplomacy_view(const Snapshot& snap, std::optional<CountryId> team_view) {
    DiplomacyView v;
    if (!snap.defs) return v;
    const Definitions& d = *snap.defs;
    const State& s = snap.state;
    for (const auto& c : d.countries) v.countries.push_back(c.id);

    for (const auto& p : s.proposals) {
        if (team_view && !involves(p.from, p.to, *team_view)) {
            ++v.hidden_proposals;
            continue;
        }
        ++v.counts.proposals;
        switch (p.status) {
            case ProposalStatus::Pending: ++v.counts.pending; break;
            case ProposalStatus::Accepted: ++v.counts.accepted; break;
            case ProposalStatus::Rejected: ++v.counts.rejected; break;
            case ProposalStatus::Countered: ++v.counts.countered; break;
            case ProposalStatus::Expired: ++v.counts.expired; break;
            case ProposalStatus::Failed: ++v.counts.failed; break;
        }
        (p.status == ProposalStatus::Pending ? v.pending : v.answered).push_back(proposal_row(d, p));
    }
    std::sort(v.pending.begin(), v.pending.end(),
              [](const ProposalRow& a, const ProposalRow& b) { return a.id > b.id; });
    std::stable_sort(v.answered.begin(), v.answered.end(), [](const ProposalRow& a, const ProposalRow& b) {
        return a.answered_turn != b.answered_turn ? a.answered_turn > b.answered_turn : a.id > b.id;
    });

    for (const auto& a : s.agreements) {
        AgreementRow row = agreement_row(d, a);
        if (a.status == AgreementStatus::Active) {
            ++v.counts.active;
            v.active.push_back(std::move(row));
            continue;
        }
        ++v.counts.ended;
        if (a.status == AgreementStatus::Breached) {
            ++v.counts.breached;
            BreachRow b;
            b.turn = a.ended_turn;
            b.date = d.date_of_turn(a.ended_turn);
            b.breaker = a.ended_by;
            b.wronged = a.other(a.ended_by);
            b.agreement_id = a.id;
            b.reason = a.end_reason;
            if (const GameEvent* e = breach_event(snap, a.id, a.ended_turn))
                b.trust_after = e->data.value("trust_after", -1.0);
            v.agreement_breaches.push_back(std::move(b));
        }
        if (a.status == AgreementStatus::Withdrawn) ++v.counts.withdrawn;
        v.ended.push_back(std::move(row));
    }
    std::sort(v.active.begin(), v.active.end(),
              [](const AgreementRow& a, const AgreementRow& b) { return a.id > b.id; });
    std::stable_sort(v.ended.begin(), v.ended.end(), [](const AgreementRow& a, const AgreementRow& b) {
        return a.ended_turn != b.ended_turn ? a.ended_turn > b.ended_turn : a.id > b.id;
    });

    // End-use violations of a licence's civilian-only clause break no agreement but are public
    // and cost trust (§End use); those under an agreement are already its breach.
    for (const auto& rec : snap.history)
        for (const auto& e : rec->events) {
            if (e.type != "end_use_violation" || e.data.value("agreement", 0) != 0) continue;
            BreachRow b;
            b.turn = e.turn;
            b.date = rec->date;
            b.breaker = e.country;
            b.wronged = e.target;
            b.reason = e.text;
            b.good = e.data.value("good", std::string());
            b.tonnes = e.data.value("tonnes", 0.0);
            v.end_use_violations.push_back(std::move(b));
        }
    v.counts.end_use_violations = static_cast<int>(v.end_use_violations.size());
    for (auto* rows : {&v.agreement_breaches, &v.end_use_violations})
        std::stable_sort(rows->begin(), rows->end(),
                         [](const BreachRow& a, const BreachRow& b) { return a.turn > b.turn; });

    const int n = d.country_count();
    v.trust.assign(n, n, 0.0);
    for (CountryId a : d.country_ids()) {
        if (a.index() >= s.countries.size()) break;
        for (CountryId b : d.country_ids()) {
            if (b.index() >= s.countries[a].trust.size()) break;
            v.trust(a, b) = s.countries[a].trust[b];
        }
    }
    return v;
}

std::vector<TrustSeries> trust_over_time(const Snapshot& snap, std::optional<CountryId> country) {
    std::vector<TrustSeries> out;
    if (!snap.defs) return out;
    if (country) {
        const CountryId trusted = *country;
        for (CountryId c : snap.defs->country_ids()) {
            if (c == trusted) continue;
            TrustSeries s{c, trusted, {}};
            for (const auto& r : snap.history) s.values.push_back(trust_at(*r, c, trusted));
            out.push_back(std::move(s));
        }
        return out;
    }
    for (CountryId c : snap.defs->country_ids()) {
        TrustSeries s{kNoCountry, c, {}};
        for (const auto& r : snap.history) {
            double sum = 0.0;
            int k = 0;
            for (CountryId o : snap.defs->country_ids()) {
                const double t = o == c ? std::numeric_limits<double>::quiet_NaN() : trust_at(*r, o, c);
                if (std::isfinite(t)) sum += t, ++k;
            }
            s.values.push_back(k ? sum / k : std::numeric_limits<double>::quiet_NaN());
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<TrustChange> trust_changes(const Snapshot& snap, double min_change, std::optional<CountryId> country) {
    std::vector<TrustChange> out;
    if (!snap.defs) return out;
    for (size_t i = snap.history.size(); i-- > 1;) {
        const TurnRecord& before = *snap.history[i - 1];
        const TurnRecord& after = *snap.history[i];
        for (CountryId a : snap.defs->country_ids())
            for (CountryId b : snap.defs->country_ids()) {
                if (a == b || (country && a != *country && b != *country)) continue;
                const double x = trust_at(before, a, b), y = trust_at(after, a, b);
                if (!std::isfinite(x) || !std::isfinite(y) || std::abs(y - x) < min_change) continue;
                out.push_back({after.turn, a, b, x, y, trust_cause(after, a, b)});
            }
    }
    return out;
}

Rgb status_colour(ProposalStatus s) {
    switch (s) {
        case ProposalStatus::Pending: return kOkabeIto[1];
        case ProposalStatus::Accepted: return kOkabeIto[2];
        case ProposalStatus::Countered: return kOkabeIto[0];
        case ProposalStatus::Rejected:
        case ProposalStatus::Failed: return kOkabeIto[5];
        case ProposalStatus::Expired: return kOkabeIto[7];
    }
    return kOkabeIto[7];
}

Rgb status_colour(AgreementStatus s) {
    switch (s) {
        case AgreementStatus::Active: return kOkabeIto[2];
        case AgreementStatus::Expired: return kOkabeIto[7];
        case AgreementStatus::Withdrawn: return kOkabeIto[0];
        case AgreementStatus::Breached: return kOkabeIto[5];
    }
    return kOkabeIto[7];
}

}  // namespace chokepoint::view
