// The negotiation protocol (turn step 2) and the diplomacy commands.
// Each turn holds `rounds` rounds. In a round every country, in order, hears
// the proposals addressed to it that it has not seen (Policy::on_proposal) and
// answers — accept, reject, counter — or leaves them for later; answers and
// new proposals are commands, applied together at the end of the round in a
// fixed order. A counter is a new proposal, heard in the next round (or the
// next turn). Proposals made in the policy phase are heard next turn. An
// unanswered proposal expires after its deadline turn. docs/model.md §Negotiation.
#pragma once

#include <vector>

#include "engine/instruments/commands.hpp"
#include "engine/sim/event_log.hpp"
#include "engine/sim/policy.hpp"

namespace chokepoint {

// Step 2 of a turn. `policies[c]` answers for country c (never null here).
// `forecasts_left` holds each country's forecast budget for the turn.
void negotiate(const Definitions& d, State& s, const std::vector<Policy*>& policies, std::vector<int>& forecasts_left,
               EventList& log);

// Proposals `country` has sent this turn, counting each recipient (counters excluded).
int proposals_sent_this_turn(const State& s, CountryId country);

CommandResult validate_propose(const Definitions& d, const State& s, CountryId self, const Propose& c);
CommandResult validate_respond(const Definitions& d, const State& s, CountryId self, const Respond& c);
CommandResult validate_withdraw(const Definitions& d, const State& s, CountryId self, const Withdraw& c);
void apply_propose(const Definitions& d, State& s, CountryId self, const Propose& c, EventList& log);
void apply_respond(const Definitions& d, State& s, CountryId self, const Respond& c, EventList& log);
void apply_withdraw(const Definitions& d, State& s, CountryId self, const Withdraw& c, EventList& log);

// Binding mode: why a command would break an agreement in force ("" when it would not):
// tightening a covered route for a specific destination, raising a capped tariff for a specific
// origin, revoking an agreement's license.
std::string agreement_lock(const Definitions& d, const State& s, CountryId self, const Command& c);
// For "all"-destination regime and all-origin tariff commands: whether one route is held by an agreement.
bool route_locked(const Definitions& d, const State& s, CountryId exporter, GoodId g, CountryId dest, Regime r);
bool tariff_locked(const Definitions& d, const State& s, CountryId importer, GoodId g, CountryId origin, double rate);

}  // namespace chokepoint
