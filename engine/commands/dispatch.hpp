// Every command a country can issue, routed to its home (engine/commands/table.hpp lists them:
// the instruments in engine/instruments/, diplomacy in engine/diplomacy/negotiation). The one
// entry point for policies, seats, scenario events and the turn loop.
#pragma once

#include <string>

#include "engine/instruments/commands.hpp"

namespace chokepoint {

// Checks a command's preconditions against the state. Pure. An instrument is first checked
// against the agreements in force (binding mode), then by its own checks.
CommandResult validate_command(const Definitions& defs, const State& state, CountryId country, const Command& c);

// Applies a command that validated; re-checks (an earlier command in the same batch may have
// changed the picture, e.g. spent the treasury) and logs what happened. Returns the re-check.
CommandResult apply_command(const Definitions& defs, State& state, CountryId country, const Command& c,
                            EventList& log);

// The command's name, as events and the Lua API write it ("set_export_regime").
const char* command_name(const Command& c);

// One readable line for people, with display names ("exports of NdPr oxide to United States:
// licensed"): a seat's draft, the advisor's suggestions, the debrief. From the command's home.
std::string describe_command(const Definitions& d, const Command& c);

}  // namespace chokepoint
