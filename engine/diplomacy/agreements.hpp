// Agreements in force: starting one from an accepted proposal, enforcing it
// turn by turn, withdrawal, breach (non-delivery, a broken commitment, an
// end-use violation found out), expiry, and the trust that moves with all of it.
// Supply contracts ship in engine/markets (ship_contracts), before the spot markets.
// docs/model.md §Negotiation, §Agreements and §Trust.
#pragma once

#include <string>

#include "engine/world/event_log.hpp"
#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// Makes an agreement of an accepted proposal and applies what happens at once (licenses
// granted, regimes and tariffs set, the project started, one-off payments made).
// The proposal must have passed proposal_problem. Returns the agreement.
Agreement& start_agreement(const Definitions& d, State& s, Proposal& p, EventList& log);

// A party withdraws. Binding agreements end after the notice period (still enforced meanwhile);
// non-binding ones at once. Public; costs the withdrawing party trust. "" or why not.
std::string withdraw_agreement(const Definitions& d, State& s, CountryId by, int agreement_id, const std::string& note,
                               EventList& log);

// Stockpile loans of good g: lent in the agreement's first turn, returned in the clause's last
// (a short return is a breach). Recorded as trade in `out`; called before the good's markets.
void move_loans(const Definitions& d, State& s, GoodId g, MarketOutcome& out, EventList& log);

// After the markets: per-turn payments, deliveries against contracts (arrears
// beyond the grace are a breach), commitments broken in non-binding mode, end-use diversion
// found out (random, from the world's RNG), kept-deal trust, notice periods and expiry.
void settle_agreements(const Definitions& d, State& s, const MarketOutcome& out, EventList& log);

// Trust changes: `truster`'s trust in `trusted` by delta (clamped 0..1); with reputation, third
// countries' trust in `trusted` moves by reputation × delta too.
void change_trust(const Definitions& d, State& s, CountryId truster, CountryId trusted, double delta, bool reputation);

// Whole turns until an application filed now is decidable (engine/instruments/licensing.hpp review_days:
// the scenario's review, a scripted rule's, capped by active license-facilitation clauses).
int processing_turns(const Definitions& d, const State& s, CountryId exporter, CountryId importer, GoodId g);

}  // namespace chokepoint
