// Diplomacy as plain data: the clauses a proposal combines, proposals in
// flight, agreements in force (the protocol's settings: NegotiationParams).
// Held in State (copied whole for counterfactuals), so ids only, no pointers.
// docs/model.md §Negotiation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/world/definitions.hpp"

namespace chokepoint {

// What a clause commits its `from` party to, toward `to`.
enum class ClauseKind {
    Supply = 0,           // from (seller) ships `tonnes` per turn of `good` to `to` at `price` USD/t
    LicenseFacilitation,  // from (exporter) grants `to` a general license: `tonnes` per turn cap, civilian use
                          // if `civilian_only`, its firms' applications decided within `max_delay` turns
    RegimeChange,         // from (exporter) sets `regime` (less strict than now) for `good` toward `to`
    Investment,           // from (investor) funds `capex_share` of `tonnes` t/yr of capacity in `to` for `share` of output
    StockpileLoan,        // from (lender) moves `tonnes` of its stockpile to `to`, returned after the clause's turns
    Payment,              // from pays `to` `usd` once, or each turn when `per_turn`
    TariffChange,         // from (importer) sets its tariff on `good` (none: all goods) from `to` to `rate`
    EndUseAssurance,      // from (importer) assures `to` that `good` from `to` goes to civilian use only
    Count
};
inline constexpr int kClauseKindCount = static_cast<int>(ClauseKind::Count);
const char* to_string(ClauseKind k);
int clause_kind_from_string(const std::string& s);  // -1 if unknown

struct Clause {
    ClauseKind kind = ClauseKind::Supply;
    CountryId from = kNoCountry, to = kNoCountry;
    std::optional<GoodId> good;  // none: all goods (TariffChange only)
    double tonnes = 0.0;        // supply, license cap: t/turn; loan: t; investment: t/yr of capacity
    double price = 0.0;         // supply: USD/t
    double usd = 0.0;           // payment: USD
    bool per_turn = false;      // payment: every turn in force, else once at the start
    double share = 0.0;         // investment: share of output shipped to the investor
    double capex_share = 1.0;   // investment: share of the capex the investor pays (the host pays the rest)
    Regime regime = Regime::Open;  // regime change
    double rate = 0.0;          // tariff change: ad valorem
    bool civilian_only = true;  // license facilitation
    int max_delay = 1;          // license facilitation: turns
    int turns = 0;              // how long the clause runs; 0 = the proposal's duration
    // The good of a kind that names one: every kind but Payment and TariffChange (clause_problem
    // rejects a clause without it, so accepted clauses always have it).
    GoodId the_good() const { return good.value_or(GoodId{}); }
    bool operator==(const Clause&) const = default;
};

enum class ProposalStatus { Pending = 0, Accepted, Rejected, Countered, Expired, Failed };
const char* to_string(ProposalStatus s);

struct Proposal {
    int id = 0;
    CountryId from = kNoCountry, to = kNoCountry;
    std::vector<Clause> clauses;
    int turns = 4;              // duration of the agreement it would make
    std::string note;           // free text for the log
    int counter_to = 0;         // the proposal this one counters (0: none)
    int sent_turn = 0, sent_round = 0;
    int deadline_turn = 0;      // still answerable in this turn; expires after it
    bool presented = false;     // the recipient's on_proposal has seen it
    ProposalStatus status = ProposalStatus::Pending;
    int answered_turn = -1;
    std::string reason;         // why it was rejected or failed, or the answer's note
    int agreement_id = 0;
    bool operator==(const Proposal&) const = default;
};

enum class AgreementStatus { Active = 0, Expired, Withdrawn, Breached };
const char* to_string(AgreementStatus s);

// Running state of one clause of an agreement.
struct ClauseProgress {
    int last_turn = 0;        // last turn the clause is in force
    double delivered = 0.0;   // supply: t shipped so far; payment: USD paid so far
    double arrears = 0.0;     // supply: t owed from earlier turns
    double this_turn = 0.0;   // supply: t shipped in the turn being played
    int license_id = 0;       // license facilitation: the general license
    int project_id = 0;       // investment: the project
    bool settled = false;     // loan returned, one-off payment made
    bool operator==(const ClauseProgress&) const = default;
};

struct Agreement {
    int id = 0;
    int proposal_id = 0;
    CountryId proposer = kNoCountry, acceptor = kNoCountry;
    std::vector<Clause> clauses;
    std::vector<ClauseProgress> progress;  // one per clause
    int start_turn = 0, end_turn = 0;      // in force for turns [start, end]
    std::string note;
    AgreementStatus status = AgreementStatus::Active;
    int ended_turn = -1;
    CountryId ended_by = kNoCountry;   // who withdrew or breached
    int withdraw_turn = -1;    // binding mode: a notified withdrawal takes effect after this turn
    std::string end_reason;
    int breaches = 0;
    bool involves(CountryId c) const { return proposer == c || acceptor == c; }
    CountryId other(CountryId c) const { return c == proposer ? acceptor : proposer; }
    bool operator==(const Agreement&) const = default;
};

}  // namespace chokepoint
