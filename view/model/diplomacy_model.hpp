// What the diplomacy panel shows, computed from a snapshot without a window:
// proposals (pending first), agreements with their supply clauses' progress,
// agreements breached and licences' end-use violations (apart), the trust matrix
// and how trust moved. docs/model.md §Negotiation, §Trust.
// In a team view proposals the team is not party to are left out (counted in
// `hidden_proposals`); agreements, breaches and trust are public (§Agreements).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "view/session.hpp"
#include "view/ui/palette.hpp"

namespace chokepoint::view {

struct ProposalRow {
    int id = 0;
    CountryId from = kNoCountry, to = kNoCountry;
    std::string terms;          // the clauses in words, joined with "; "
    std::vector<std::string> clauses;  // one line each, for the tooltip
    int turns = 0;              // the agreement's duration if accepted
    int counter_to = 0;         // the proposal it counters (0: none)
    int sent_turn = 0, deadline_turn = 0, answered_turn = -1;
    ProposalStatus status = ProposalStatus::Pending;
    std::string note;           // the proposer's note
    std::string reason;         // why it was rejected or failed, or the answer's note
    int agreement_id = 0;
};

// A supply clause's deliveries so far (docs/model.md §Agreements: arrears become a breach).
struct SupplyProgress {
    CountryId seller = kNoCountry, buyer = kNoCountry;
    GoodId good{};
    double tonnes_per_turn = 0.0;
    double delivered = 0.0, arrears = 0.0;  // t
};

struct AgreementRow {
    int id = 0, proposal_id = 0;
    CountryId proposer = kNoCountry, acceptor = kNoCountry;
    std::string terms;
    std::vector<std::string> clauses;
    int start_turn = 0, end_turn = 0;  // in force for [start, end]
    std::string start_date, end_date;
    AgreementStatus status = AgreementStatus::Active;
    int ended_turn = -1;
    CountryId ended_by = kNoCountry;
    std::string end_reason;
    int withdraw_turn = -1;     // a notified withdrawal takes effect after this turn (binding mode)
    std::vector<SupplyProgress> supply;
};

// A broken agreement, or an end-use violation of a plain civilian-only licence found out
// (docs/model.md §End use). The two are listed apart: a licence's violation breaks no deal, and
// in the baseline they far outnumber broken agreements.
struct BreachRow {
    int turn = 0;
    std::string date;
    CountryId breaker = kNoCountry, wronged = kNoCountry;  // end use: the importer, the licensing exporter
    int agreement_id = 0;                  // 0: a licence's civilian-only clause, not an agreement
    std::string reason;
    double trust_after = -1.0;  // the wronged party's trust in the breaker afterwards (-1: unknown)
    std::string good;           // end use: the good diverted (its id), and how much
    double tonnes = 0.0;
};

struct DiplomacyCounts {
    int proposals = 0, pending = 0, accepted = 0, rejected = 0, countered = 0, expired = 0, failed = 0;
    int active = 0, ended = 0, breached = 0, withdrawn = 0;
    int end_use_violations = 0;  // of licences outside any agreement (those under one are its breach)
};

struct DiplomacyView {
    std::vector<ProposalRow> pending;    // newest first
    std::vector<ProposalRow> answered;   // newest first (by the turn answered, then id)
    std::vector<AgreementRow> active;    // newest first
    std::vector<AgreementRow> ended;     // most recently ended first
    std::vector<BreachRow> agreement_breaches;  // agreements breached, newest first (counts.breached)
    std::vector<BreachRow> end_use_violations;  // of plain civilian-only licences, newest first
    DiplomacyCounts counts;              // of what is shown
    int hidden_proposals = 0;            // left out by the team view
    PerCountry<std::string> countries;  // ids, for labels
    CountryMatrix<> trust;              // (a, b): a's trust in b, 0..1
};

// `team_view` as in UiState (none: the facilitator sees everything).
DiplomacyView diplomacy_view(const Snapshot& snap, std::optional<CountryId> team_view);

// Trust over the recorded turns (one value per TurnRecord, after the turn).
struct TrustSeries {
    CountryId truster = kNoCountry, trusted = kNoCountry;  // kNoCountry on one side: the mean over the other countries
    std::vector<double> values;
};
// With a `country`: every other country's trust in it (its reputation, pair by pair).
// With none: each country's mean trust received from the others.
std::vector<TrustSeries> trust_over_time(const Snapshot& snap, std::optional<CountryId> country);

// A move of a's trust in b between two recorded turns, with what caused it when an event says
// (a breach, a withdrawal, an agreement completed, an end-use violation, a scripted event);
// otherwise the cause is "" (deals kept turn by turn, reputation).
struct TrustChange {
    int turn = 0;
    CountryId truster = kNoCountry, trusted = kNoCountry;
    double before = 0.0, after = 0.0;
    std::string cause;
};
// Changes of at least `min_change` (absolute), newest first; a `country` keeps the pairs it is in.
std::vector<TrustChange> trust_changes(const Snapshot& snap, double min_change,
                                       std::optional<CountryId> country = std::nullopt);

// Colours that read the same in every panel: settled/good = bluish green, waiting = sky blue,
// refused/broken = vermillion, lapsed/ended = grey (Okabe–Ito).
Rgb status_colour(ProposalStatus s);
Rgb status_colour(AgreementStatus s);

}  // namespace chokepoint::view
