// The diplomacy commands (propose, respond, withdraw). The protocol that runs them, turn step 2,
// is engine/sim/negotiation_round.hpp. Each turn holds `rounds` rounds. In a round every country, in order, hears
// the proposals addressed to it that it has not seen (Policy::on_proposal) and
// answers — accept, reject, counter — or leaves them for later; answers and
// new proposals are commands, applied together at the end of the round in a
// fixed order. A counter is a new proposal, heard in the next round (or the
// next turn). Proposals made in the policy phase are heard next turn. An
// unanswered proposal expires after its deadline turn. docs/model.md §Negotiation.
#pragma once

#include <string>
#include <tuple>
#include <string_view>
#include <vector>

#include "engine/instruments/commands.hpp"
#include "engine/world/event_log.hpp"

namespace chokepoint {

// The proposal with this id, or null.
Proposal* find_proposal(State& s, int id);
const Proposal* find_proposal(const State& s, int id);

// Proposals `country` has sent this turn, counting each recipient (counters excluded).
int proposals_sent_this_turn(const State& s, CountryId country);

// The rate limit (max_proposals_per_turn, counting each recipient; counters are free): may `self`
// send a proposal to `recipients` more countries, with `queued` proposals of this turn not yet
// applied? The one place it is counted, for the command and for a policy's queue.
CommandResult check_proposal_rate(const Definitions& d, const State& s, CountryId self, int recipients, int queued);

// The diplomacy commands.
template <>
struct CommandTraits<Propose> {
    static constexpr std::string_view name = "propose";
    static constexpr std::string_view summary = "propose an agreement (clauses, duration) to one or several countries";
    static constexpr bool instrument = false;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const Propose& c);
    static void apply(const Definitions& d, State& s, CountryId self, const Propose& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const Propose& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"to", &Propose::to}, SavedField{"clauses", &Propose::clauses},
                                       SavedField{"turns", &Propose::turns},
                                       SavedField{"note", &Propose::note}};
};

template <>
struct CommandTraits<Respond> {
    static constexpr std::string_view name = "respond";
    static constexpr std::string_view summary = "accept, reject or counter a proposal received";
    static constexpr bool instrument = false;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const Respond& c);
    static void apply(const Definitions& d, State& s, CountryId self, const Respond& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const Respond& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"proposal_id", &Respond::proposal_id},
                                       SavedField{"answer", &Respond::answer},
                                       SavedField{"clauses", &Respond::clauses},
                                       SavedField{"turns", &Respond::turns},
                                       SavedField{"note", &Respond::note}};
};

template <>
struct CommandTraits<Withdraw> {
    static constexpr std::string_view name = "withdraw";
    static constexpr std::string_view summary = "withdraw from an agreement in force";
    static constexpr bool instrument = false;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const Withdraw& c);
    static void apply(const Definitions& d, State& s, CountryId self, const Withdraw& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const Withdraw& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"agreement_id", &Withdraw::agreement_id},
                                       SavedField{"note", &Withdraw::note}};
};

}  // namespace chokepoint
