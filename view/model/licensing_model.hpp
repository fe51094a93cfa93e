// What the licensing panel shows, computed from a snapshot without a window:
// each exporter's queue of pending applications, approvals and denials per
// turn with the mean wait, and approval rates by importer. docs/model.md §Licensing.
// Queues and decisions are paperwork: in a team view an exporter's queue shows
// only the team's own firms' applications unless the exporter is the team, and
// only decisions the team is party to count.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "view/session.hpp"

namespace chokepoint::view {

struct QueuedApplication {
    int id = 0;
    CountryId importer = kNoCountry;
    GoodId good{};
    double tonnes_per_turn = 0.0;
    EndUse end_use = EndUse::Civilian;
    int filed_turn = 0;
    int waiting = 0;            // turns since filing, as of the turn about to be played
    bool decidable = false;     // its processing time has passed: the exporter may decide it now
};

struct ExporterQueue {
    CountryId exporter = kNoCountry;
    bool hidden = false;        // team view: someone else's paperwork (only the team's applications listed)
    int pending = 0;            // of the applications listed
    int decidable = 0;
    double tonnes = 0.0;        // t/turn requested
    int oldest_wait = 0;        // turns
    std::vector<QueuedApplication> applications;  // oldest first
};

// One recorded turn's decisions (license_decision and license_expired events).
struct LicensingTurn {
    int turn = 0;
    std::string date;
    int applications = 0;       // filed
    int approved = 0, denied = 0, expired = 0;
    double requested_t = 0.0;   // t/turn asked in the decided applications
    double approved_t = 0.0;    // t/turn granted
    double mean_wait = 0.0;     // turns, over this turn's decisions; NaN when none
};

struct ImporterRecord {
    CountryId importer = kNoCountry;
    int approved = 0, denied = 0, expired = 0;
    double approval_rate = 0.0;  // approved / (approved + denied); NaN when none decided
    double mean_wait = 0.0;      // turns, over decisions; NaN when none
};

struct LicensingView {
    std::vector<ExporterQueue> queues;     // exporters with something listed, longest queue first
    int hidden_pending = 0;                // team view: pending applications left out
    std::vector<LicensingTurn> turns;      // one per TurnRecord
    std::vector<ImporterRecord> importers; // every country that had a decision or expiry, by id
    int approved = 0, denied = 0, expired = 0;
    double mean_wait = 0.0;                // over all decisions counted; NaN when none
};

// An `exporter` limits the decisions (turns, importers, totals) to that exporter's; the queues
// always list every exporter. `team_view` as in UiState (none: the facilitator's).
LicensingView licensing_view(const Snapshot& snap, std::optional<CountryId> team_view,
                             std::optional<CountryId> exporter = std::nullopt);

// The queue of one exporter in `v` (nullptr when it has none listed).
const ExporterQueue* queue_of(const LicensingView& v, CountryId exporter);

}  // namespace chokepoint::view
