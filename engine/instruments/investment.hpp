// Investment instruments as commands: capacity projects, production subsidies, price floors
// (docs/model.md §Instruments, §Firms).
#pragma once

#include <string>
#include <tuple>
#include <string_view>

#include "engine/instruments/commands.hpp"

namespace chokepoint {

template <>
struct CommandTraits<StartProject> {
    static constexpr std::string_view name = "start_project";
    static constexpr std::string_view summary =
        "new capacity for a good at home or abroad: capex now, online after the process's lead time";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const StartProject& c);
    static void apply(const Definitions& d, State& s, CountryId self, const StartProject& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const StartProject& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"host", &StartProject::host},
                                       SavedField{"good", &StartProject::good},
                                       SavedField{"tonnes_per_year", &StartProject::tonnes_per_year},
                                       SavedField{"output_share", &StartProject::output_share}};
};

template <>
struct CommandTraits<SetSubsidy> {
    static constexpr std::string_view name = "set_subsidy";
    static constexpr std::string_view summary = "a production subsidy per tonne of a good";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const SetSubsidy& c);
    static void apply(const Definitions& d, State& s, CountryId self, const SetSubsidy& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const SetSubsidy& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &SetSubsidy::good},
                                       SavedField{"usd_per_tonne", &SetSubsidy::usd_per_tonne}};
};

template <>
struct CommandTraits<SetPriceFloor> {
    static constexpr std::string_view name = "set_price_floor";
    static constexpr std::string_view summary =
        "a price guaranteed to producers of a good on home sales (0 removes it)";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const SetPriceFloor& c);
    static void apply(const Definitions& d, State& s, CountryId self, const SetPriceFloor& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const SetPriceFloor& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &SetPriceFloor::good},
                                       SavedField{"usd_per_tonne", &SetPriceFloor::usd_per_tonne}};
};

// Capex of a project of this size for a good's process.
double project_capex(const Definitions& defs, GoodId good, double tonnes_per_year);

// Starts a project (used by commands, scenario events, agreements and private firms).
Project& start_project(const Definitions& defs, State& state, CountryId owner, CountryId host, GoodId good,
                       double tonnes_per_year, double output_share, bool private_firms, int lead_turns);

}  // namespace chokepoint
