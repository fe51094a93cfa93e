// Government instruments as commands. Policies (the C++ autopilot, Lua
// scripts, human seats) never change the world: they issue commands, which
// are validated at once against the turn's observation (a failed
// precondition is a readable message returned to the policy) and applied
// later, all countries together, in a fixed order. docs/model.md §Instruments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/world/definitions.hpp"
#include "engine/world/event_log.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// Export regime (and optionally duty) for a good toward one destination or all (none).
struct SetExportRegime {
    GoodId good{};
    std::optional<CountryId> destination;
    Regime regime = Regime::Open;
};
struct SetExportDuty {
    GoodId good{};
    std::optional<CountryId> destination;  // none: all
    double rate = 0.0;  // ad valorem on the reference price
};

enum class LicenseDecisionKind { Approve, Deny, Defer };
struct DecideLicense {
    int application_id = 0;
    LicenseDecisionKind decision = LicenseDecisionKind::Approve;
    double tonnes_per_turn = -1.0;  // approve: the volume (< 0 = as requested)
    int validity_turns = 4;
    bool civilian_only = false;
    bool scripted = false;  // issued by a scripted approval rule (engine only)
};
struct RevokeLicense {
    int license_id = 0;
};
struct SetProductionQuota {
    GoodId good{};
    double tonnes_per_year = kUnlimited;  // kUnlimited lifts the quota
};
struct SetExportQuota {
    GoodId good{};
    double tonnes_per_year = kUnlimited;
};
struct StockpileBuy {
    GoodId good{};
    double tonnes = 0.0;
    double max_price = 0.0;  // USD/t
};
struct StockpileRelease {
    GoodId good{};
    double tonnes = 0.0;
    double min_price = 0.0;  // USD/t
};
struct StartProject {
    std::optional<CountryId> host;  // none: at home
    GoodId good{};
    double tonnes_per_year = 0.0;
    double output_share = 0.0;  // abroad: share of output shipped home
};
struct SetSubsidy {
    GoodId good{};
    double usd_per_tonne = 0.0;
};
struct SetPriceFloor {
    GoodId good{};
    double usd_per_tonne = 0.0;  // 0 removes the floor
};
// Rated defense orders (DPAS-style): defense demand for the good is served before civilian demand
// at home, and the strategic stockpile covers what the market leaves unmet. docs/model.md §Instruments.
struct SetDefensePriority {
    GoodId good{};
    bool on = true;
};
struct SetTariff {
    GoodId good{};
    std::optional<CountryId> origin;  // none: all
    double rate = 0.0;
};

// Diplomacy (engine/diplomacy): proposals, answers, withdrawal. docs/model.md §Negotiation.
inline constexpr CountryId kThem{-2};  // in a Propose's clauses: the recipient (one proposal per recipient)
struct Propose {
    std::vector<CountryId> to;   // one or several recipients
    std::vector<Clause> clauses;
    int turns = 4;               // duration of the agreement it would make
    std::string note;
};
enum class AnswerKind { Accept, Reject, Counter };
struct Respond {
    int proposal_id = 0;
    AnswerKind answer = AnswerKind::Reject;
    std::vector<Clause> clauses;  // counter: the modified terms
    int turns = 0;                // counter: the duration (0: the proposal's)
    std::string note;
};
struct Withdraw {
    int agreement_id = 0;
    std::string note;
};

using Command = std::variant<SetExportRegime, SetExportDuty, DecideLicense, RevokeLicense, SetProductionQuota,
                             SetExportQuota, StockpileBuy, StockpileRelease, StartProject, SetSubsidy,
                             SetPriceFloor, SetTariff, Propose, Respond, Withdraw, SetDefensePriority>;

struct CommandResult {
    bool ok = true;
    std::string message;  // why it was refused; empty when ok
    static CommandResult success() { return {}; }
    static CommandResult refuse(std::string why) { return {false, std::move(why)}; }
};

struct IssuedCommand {
    CountryId country{};
    Command command;
};

// One home per command: CommandTraits<C> holds command C's name, a one-line summary, whether it is
// an instrument (bound by agreements in force in binding mode) or diplomacy, and its validate
// (checks against the state, pure), apply (its effect, with what it logs; called only after
// validate passed) and describe (one line for people), declared and defined together in its area: engine/instruments/trade,
// licensing, stockpile, investment, and engine/diplomacy/negotiation. engine/commands/table.hpp
// lists them all; engine/commands/dispatch.hpp is the one entry point.
template <class C>
struct CommandTraits;

}  // namespace chokepoint
