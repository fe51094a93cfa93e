// Every command a country can issue, routed to its home: the instruments (engine/instruments/)
// or diplomacy (proposals, answers, withdrawals: engine/diplomacy/negotiation). The one entry
// point for policies, seats, scenario events and the turn loop.
#pragma once

#include "engine/instruments/commands.hpp"

namespace chokepoint {

// Checks a command's preconditions against the state. Pure.
CommandResult validate_command(const Definitions& defs, const State& state, CountryId country, const Command& c);

// Applies a command that validated; re-checks (an earlier command in the same batch may have
// changed the picture, e.g. spent the treasury) and logs what happened. Returns the re-check.
CommandResult apply_command(const Definitions& defs, State& state, CountryId country, const Command& c,
                            EventList& log);

}  // namespace chokepoint
