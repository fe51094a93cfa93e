// Trade instruments as commands: export regimes, duties and quotas, production quotas, tariffs
// (docs/model.md §Instruments). Each command's name, checks and effect, in one place.
#pragma once

#include <string>
#include <tuple>
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
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &SetExportRegime::good},
                                       SavedField{"destination", &SetExportRegime::destination},
                                       SavedField{"regime", &SetExportRegime::regime}};
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
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &SetExportDuty::good},
                                       SavedField{"destination", &SetExportDuty::destination},
                                       SavedField{"rate", &SetExportDuty::rate}};
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
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &SetExportQuota::good},
                                       SavedField{"tonnes_per_year", &SetExportQuota::tonnes_per_year}};
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
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &SetProductionQuota::good},
                                       SavedField{"tonnes_per_year", &SetProductionQuota::tonnes_per_year}};
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
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"good", &SetTariff::good},
                                       SavedField{"origin", &SetTariff::origin},
                                       SavedField{"rate", &SetTariff::rate}};
};

}  // namespace chokepoint
