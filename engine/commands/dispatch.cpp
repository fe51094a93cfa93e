#include "engine/commands/dispatch.hpp"

#include "engine/commands/table.hpp"
#include "engine/instruments/commitments.hpp"

namespace chokepoint {

CommandResult validate_command(const Definitions& d, const State& s, CountryId self, const Command& c) {
    return std::visit(
        [&](const auto& command) {
            using Traits = CommandTraits<std::decay_t<decltype(command)>>;
            if constexpr (Traits::instrument)
                if (auto why = agreement_lock(d, s, self, c); !why.empty()) return CommandResult::refuse(why);
            return Traits::validate(d, s, self, command);
        },
        c);
}

CommandResult apply_command(const Definitions& d, State& s, CountryId self, const Command& c, EventList& log) {
    if (auto r = validate_command(d, s, self, c); !r.ok) return r;
    std::visit(
        [&](const auto& command) { CommandTraits<std::decay_t<decltype(command)>>::apply(d, s, self, command, log); },
        c);
    return CommandResult::success();
}

const char* command_name(const Command& c) {
    return kCommands[c.index()].name.data();
}

std::string describe_command(const Definitions& d, const Command& c) {
    return std::visit([&](const auto& command) { return CommandTraits<std::decay_t<decltype(command)>>::describe(d, command); },
                      c);
}

}  // namespace chokepoint
