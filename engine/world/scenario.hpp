// A loaded scenario: the static definitions, the initial state and the
// scheduled events. Produced by engine/scenario/loader, consumed by the Game.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// A scripted inject. Which fields matter depends on the kind; the loader
// checks that the ones a kind needs are present and valid.
enum class EventKind {
    News,             // text only
    Regime,           // country sets `regime` (and `duty`) on `good` toward `target` (kNoCountry = all)
    ExportQuota,      // country's export quota on good: value t/yr (negative = lift)
    ProductionQuota,  // country's production quota on good: value t/yr (negative = lift)
    ExportDuty,       // country's export duty on good toward target (kNoCountry = all): value (0.25 = 25%)
    Capacity,         // country's capacity of good × factor for `turns` turns (turns = 0: permanent)
    Demand,           // country's (kNoCountry = all) demand of sector × factor, permanent
    Reserves,         // country's reserves of good += value t
    Project,          // a project for capacity `value` t/yr of good in country, owner `target` (kNoCountry = same),
                      // online after `turns`; `factor` is the owner's output share when abroad
    Trust,            // country's trust toward target += value
    Stockpile,        // country's strategic stockpile of good += value t (negative = release)
    ApprovalPolicy,   // country (exporter) decides applications for good from target (kNoCountry = all) by
                      // `approval` (mode policy: hands them back to its policy)
    Tariff,           // country (importer) sets a tariff on good from target (kNoCountry = all): value (0.1 = 10%)
    GeneralLicense,   // country (exporter) grants target a licence for good: value t/turn for `turns`
                      // turns, approval.civilian_only
    Agreement,        // an agreement between country (proposer) and target (acceptor) with `clauses`, for
                      // `turns` turns, as if proposed and accepted now (checked like a proposal then)
    PriceFloor,       // country's price floor on good for its producers: value USD/t (0 lifts), as set_price_floor
    LicensingRules,   // switches the origin rules in force (`rules`: only the fields given change)
};
const char* to_string(EventKind k);

struct ScheduledEvent {
    int turn = 0;
    EventKind kind = EventKind::News;
    CountryId country = kNoCountry;
    CountryId target = kNoCountry;  // kNoCountry: none (ApprovalPolicy, Tariff: every country)
    std::optional<GoodId> good;  // the good the event is about (required by most kinds)
    SectorId sector;  // Demand events (required there)
    Regime regime = Regime::Open;
    double value = 0.0;
    double factor = 1.0;
    int turns = 0;
    ApprovalPolicy approval;  // ApprovalPolicy (exporter, good, destination filled from the event)
    std::vector<Clause> clauses;  // Agreement
    // LicensingRules: the rules it sets; a field left empty keeps the one in force.
    struct RulesChange {
        std::optional<bool> reexport_control, content_rule;
        std::optional<double> content_threshold;
        bool operator==(const RulesChange&) const = default;
    } rules;
    std::string text;
};

struct Scenario {
    std::string path;  // the file it was loaded from
    std::shared_ptr<const Definitions> defs;
    State initial;
    std::vector<ScheduledEvent> events;  // sorted by turn, stable
};

}  // namespace chokepoint
