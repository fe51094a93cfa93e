// Phase 3's paperwork before the policies act: firms abroad file licence applications for what
// they expect to need from each licensing exporter, and scripted approval rules decide the ones
// they cover. docs/model.md §Licensing.
#pragma once

#include "engine/world/definitions.hpp"
#include "engine/world/event_log.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// Lapses pending applications past their expiry, then files new ones where the firms' expected
// need from an exporter is not covered by licences and pending applications.
void file_license_applications(const Definitions& d, State& s, EventList& log);
// The scripted approval rule deciding this application, if any (the exporter's policy is not asked).
const ApprovalPolicy* scripted_rule(const State& s, const LicenseApplication& app);
// Scripted approval rules decide the matching applications once decidable.
void decide_scripted_applications(const Definitions& d, State& s, EventList& log);

}  // namespace chokepoint
