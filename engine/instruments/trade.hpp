// Trade instruments as commands: export regimes, duties and quotas, production quotas, tariffs
// (docs/model.md §Instruments). Each command's name, checks and effect, in one place.
#pragma once

#include <string>
#include <string_view>

#include "engine/instruments/commands.hpp"

namespace chokepoint {

template <>
struct CommandTraits<SetExportRegime> {
    static constexpr std::string_view name = "set_export_regime";
    static constexpr std::string_view summary =
        "the export regime (open, licensed, embargo) of a good toward one destination or all";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const SetExportRegime& c);
    static void apply(const Definitions& d, State& s, CountryId self, const SetExportRegime& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const SetExportRegime& c);
};

template <>
struct CommandTraits<SetExportDuty> {
    static constexpr std::string_view name = "set_export_duty";
    static constexpr std::string_view summary = "an ad valorem export duty on a good toward one destination or all";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const SetExportDuty& c);
    static void apply(const Definitions& d, State& s, CountryId self, const SetExportDuty& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const SetExportDuty& c);
};

template <>
struct CommandTraits<SetExportQuota> {
    static constexpr std::string_view name = "set_export_quota";
    static constexpr std::string_view summary =
        "a cap on the country's exports of a good over all destinations (t/yr), or none";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const SetExportQuota& c);
    static void apply(const Definitions& d, State& s, CountryId self, const SetExportQuota& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const SetExportQuota& c);
};

template <>
struct CommandTraits<SetProductionQuota> {
    static constexpr std::string_view name = "set_production_quota";
    static constexpr std::string_view summary = "a cap on the country's production of a good (t/yr), or none";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const SetProductionQuota& c);
    static void apply(const Definitions& d, State& s, CountryId self, const SetProductionQuota& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const SetProductionQuota& c);
};

template <>
struct CommandTraits<SetTariff> {
    static constexpr std::string_view name = "set_tariff";
    static constexpr std::string_view summary = "an import tariff on a good from one origin or all";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const SetTariff& c);
    static void apply(const Definitions& d, State& s, CountryId self, const SetTariff& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const SetTariff& c);
};

}  // namespace chokepoint
