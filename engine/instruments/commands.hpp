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
    bool operator==(const SetExportRegime&) const = default;
};
struct SetExportDuty {
    GoodId good{};
    std::optional<CountryId> destination;  // none: all
    double rate = 0.0;  // ad valorem on the reference price
    bool operator==(const SetExportDuty&) const = default;
};

enum class LicenseDecisionKind { Approve, Deny, Defer };
struct DecideLicense {
    int application_id = 0;
    LicenseDecisionKind decision = LicenseDecisionKind::Approve;
    double tonnes_per_turn = -1.0;  // approve: the volume (< 0 = as requested)
    int validity_turns = 4;
    bool civilian_only = false;
    bool scripted = false;  // issued by a scripted approval rule (engine only)
    bool operator==(const DecideLicense&) const = default;
};
struct RevokeLicense {
    int license_id = 0;
    bool operator==(const RevokeLicense&) const = default;
};
struct SetProductionQuota {
    GoodId good{};
    double tonnes_per_year = kUnlimited;  // kUnlimited lifts the quota
    bool operator==(const SetProductionQuota&) const = default;
};
struct SetExportQuota {
    GoodId good{};
    double tonnes_per_year = kUnlimited;
    bool operator==(const SetExportQuota&) const = default;
};
struct StockpileBuy {
    GoodId good{};
    double tonnes = 0.0;
    double max_price = 0.0;  // USD/t
    bool operator==(const StockpileBuy&) const = default;
};
struct StockpileRelease {
    GoodId good{};
    double tonnes = 0.0;
    double min_price = 0.0;  // USD/t
    bool operator==(const StockpileRelease&) const = default;
};
struct StartProject {
    std::optional<CountryId> host;  // none: at home
    GoodId good{};
    double tonnes_per_year = 0.0;
    double output_share = 0.0;  // abroad: share of output shipped home
    bool operator==(const StartProject&) const = default;
};
struct SetSubsidy {
    GoodId good{};
    double usd_per_tonne = 0.0;
    bool operator==(const SetSubsidy&) const = default;
};
struct SetPriceFloor {
    GoodId good{};
    double usd_per_tonne = 0.0;  // 0 removes the floor
    bool operator==(const SetPriceFloor&) const = default;
};
// Rated defense orders (DPAS-style): defense demand for the good is served before civilian demand
// at home, and the strategic stockpile covers what the market leaves unmet. docs/model.md §Instruments.
struct SetDefensePriority {
    GoodId good{};
    bool on = true;
    bool operator==(const SetDefensePriority&) const = default;
};
struct SetTariff {
    GoodId good{};
    std::optional<CountryId> origin;  // none: all
    double rate = 0.0;
    bool operator==(const SetTariff&) const = default;
};

// Diplomacy (engine/diplomacy): proposals, answers, withdrawal. docs/model.md §Negotiation.
inline constexpr CountryId kThem{-2};  // in a Propose's clauses: the recipient (one proposal per recipient)
struct Propose {
    std::vector<CountryId> to;   // one or several recipients
    std::vector<Clause> clauses;
    int turns = 4;               // duration of the agreement it would make
    std::string note;
    bool operator==(const Propose&) const = default;
};
enum class AnswerKind { Accept, Reject, Counter };
struct Respond {
    int proposal_id = 0;
    AnswerKind answer = AnswerKind::Reject;
    std::vector<Clause> clauses;  // counter: the modified terms
    int turns = 0;                // counter: the duration (0: the proposal's)
    std::string note;
    bool operator==(const Respond&) const = default;
};
struct Withdraw {
    int agreement_id = 0;
    std::string note;
    bool operator==(const Withdraw&) const = default;
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
// an instrument (bound by agreements in force in binding mode) or diplomacy, its validate (checks
// against the state, pure), apply (its effect, with what it logs; called only after validate
// passed), describe (one line for people) and fields (its saved form), declared and defined
// together in its area: engine/instruments/trade, licensing, stockpile, investment, and
// engine/diplomacy/negotiation. engine/commands/table.hpp lists them all; engine/commands/dispatch.hpp
// is the one entry point.
template <class C>
struct CommandTraits;

// One field of a command's saved form (the game file's journal, engine/savegame/command_json):
// its key and the member it holds. CommandTraits<C>::fields lists them, so that a command's saved
// form lives in its home with the rest; a test round-trips every command with every field set.
template <class C, class M>
struct SavedField {
    // A constructor, not an aggregate: clang 14 (the fuzz build) deduces C and M only from one.
    constexpr SavedField(std::string_view k, M C::*m) : key(k), member(m) {}
    std::string_view key;
    M C::*member;
};

}  // namespace chokepoint
