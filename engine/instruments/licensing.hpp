// Licence timing, scripted approval rules, the recorded licensing practice, and the licensing
// commands (docs/model.md §Licensing).
#pragma once

#include <string>
#include <tuple>
#include <string_view>

#include "engine/instruments/commands.hpp"
#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// The scripted approval rule for exporter → destination for good (a rule for that destination
// before one for every destination), or null.
const ApprovalPolicy* find_approval_policy(const State& s, CountryId exporter, GoodId good, CountryId destination);

// Review time in calendar days of an application filed now: the scenario's review_days (or the
// legacy processing_turns in whole turns), a scripted rule's review_days, capped by the max_delay
// of active license-facilitation clauses.
double review_days(const Definitions& d, const State& s, CountryId exporter, CountryId importer, GoodId g);

struct ReviewTiming {
    int turns = 0;                // the review ends in turn filed + turns
    double first_share = 1.0;     // share of that turn left after the review ends
    int lead = 0;                 // turns ahead firms look when they apply: ceil(days / turn days)
};
ReviewTiming review_timing(const Definitions& d, double days);

// Grants a licence (a new id, valid for turns [first_turn, last_turn]) and returns it, for the
// caller to mark its origin (application, agreement, scripted event). The one place licences are made.
License& grant_license(State& s, CountryId exporter, CountryId importer, GoodId good, double tonnes_per_turn,
                       int first_turn, int last_turn, bool civilian_only);

// Records a decision in the exporter's practice toward the importer (approved / requested).
void record_practice(const Definitions& d, State& s, const LicenseApplication& app, double approved_share);

// The share the exporter has recently approved of such applications, or `fallback` when it
// decided none yet.
double practice_share(const State& s, const LicenseApplication& app, double fallback);

// The licensing commands: decisions on applications, revocations.
template <>
struct CommandTraits<DecideLicense> {
    static constexpr std::string_view name = "decide_license";
    static constexpr std::string_view summary =
        "approve (all or part), deny or defer a licence application addressed to the country";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const DecideLicense& c);
    static void apply(const Definitions& d, State& s, CountryId self, const DecideLicense& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const DecideLicense& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"application_id", &DecideLicense::application_id},
                                       SavedField{"decision", &DecideLicense::decision},
                                       SavedField{"tonnes_per_turn", &DecideLicense::tonnes_per_turn},
                                       SavedField{"validity_turns", &DecideLicense::validity_turns},
                                       SavedField{"civilian_only", &DecideLicense::civilian_only},
                                       SavedField{"scripted", &DecideLicense::scripted}};
};

template <>
struct CommandTraits<RevokeLicense> {
    static constexpr std::string_view name = "revoke_license";
    static constexpr std::string_view summary = "revoke a licence the country issued";
    static constexpr bool instrument = true;
    static CommandResult validate(const Definitions& d, const State& s, CountryId self, const RevokeLicense& c);
    static void apply(const Definitions& d, State& s, CountryId self, const RevokeLicense& c, EventList& log);
    // One line for people (a seat's draft, the advisor, the debrief): display names, units.
    static std::string describe(const Definitions& d, const RevokeLicense& c);
    // Its saved form (the game file's journal): key and member of each field.
    static constexpr std::tuple fields{SavedField{"license_id", &RevokeLicense::license_id}};
};

}  // namespace chokepoint
