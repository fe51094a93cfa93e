// The command table: every command a country can issue, in the order of the Command variant,
// each with its home (CommandTraits, defined in its area's file). Like OpenTTD's command table,
// the one list; dispatch (validate_command, apply_command) and command_name come from it, and
// a test checks the docs' list of commands (docs/outputs.md) against it.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>
#include <variant>

#include "engine/diplomacy/negotiation.hpp"
#include "engine/instruments/investment.hpp"
#include "engine/instruments/licensing.hpp"
#include "engine/instruments/stockpile.hpp"
#include "engine/instruments/trade.hpp"

namespace chokepoint {

struct CommandInfo {
    std::string_view name;
    std::string_view summary;
    bool instrument = true;  // bound by agreements in force (binding mode); false: diplomacy
};

namespace detail {
template <std::size_t... I>
constexpr std::array<CommandInfo, sizeof...(I)> command_table(std::index_sequence<I...>) {
    return {CommandInfo{CommandTraits<std::variant_alternative_t<I, Command>>::name,
                        CommandTraits<std::variant_alternative_t<I, Command>>::summary,
                        CommandTraits<std::variant_alternative_t<I, Command>>::instrument}...};
}
}  // namespace detail

// kCommands[i] describes the Command variant's alternative i.
inline constexpr std::array<CommandInfo, std::variant_size_v<Command>> kCommands =
    detail::command_table(std::make_index_sequence<std::variant_size_v<Command>>{});

}  // namespace chokepoint
