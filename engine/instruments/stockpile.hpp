// Strategic stockpile instruments as commands: buy, release, rated defense orders
// (docs/model.md §Instruments, §Sector demand).
#pragma once

#include <string>
#include <tuple>
#include <string_view>

#include "engine/instruments/commands.hpp"

namespace chokepoint {

template <>
struct CommandTraits<StockpileBuy> {
    static constexpr std::string_view name = "stockpile_buy";
    static constexpr std::string_view summary = "order tonnes of a good into the strategic stockpile at up to a price";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const StockpileBuy& c);
    static void apply(const Definitions& d, State& s, CountryId self, const StockpileBuy& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const StockpileBuy& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &StockpileBuy::good},
                                       SavedField{"tonnes", &StockpileBuy::tonnes},
                                       SavedField{"max_price", &StockpileBuy::max_price}};
};

template <>
struct CommandTraits<StockpileRelease> {
    static constexpr std::string_view name = "stockpile_release";
    static constexpr std::string_view summary =
        "release tonnes of a good from the strategic stockpile at no less than a price";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const StockpileRelease& c);
    static void apply(const Definitions& d, State& s, CountryId self, const StockpileRelease& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const StockpileRelease& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &StockpileRelease::good},
                                       SavedField{"tonnes", &StockpileRelease::tonnes},
                                       SavedField{"min_price", &StockpileRelease::min_price}};
};

template <>
struct CommandTraits<SetDefensePriority> {
    static constexpr std::string_view name = "set_defense_priority";
    static constexpr std::string_view summary = "serve defense demand for a good first at home (rated orders), or stop";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const SetDefensePriority& c);
    static void apply(const Definitions& d, State& s, CountryId self, const SetDefensePriority& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const SetDefensePriority& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &SetDefensePriority::good},
                                       SavedField{"on", &SetDefensePriority::on}};
};

}  // namespace chokepoint
