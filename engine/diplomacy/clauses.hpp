// Clauses: what each one means, how it reads, whether a party can fulfil it,
// and what it does the moment an agreement starts. docs/model.md §Negotiation.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/world/event_log.hpp"
#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// One readable line, e.g. "china ships 200 t/turn of ndpr_oxide to usa at $80/kg".
std::string describe(const Definitions& d, const Clause& c);
// All clauses joined with "; ".
std::string describe(const Definitions& d, const std::vector<Clause>& clauses);
nlohmann::json to_json(const Definitions& d, const Clause& c);

// Why `clauses` cannot form an agreement between a and b for `turns` turns now, or "" when
// they can: parties, goods and ranges, and whether each obligated party can fulfil its part
// (capacity, stocks, treasury, the route's regime). Pure.
std::string proposal_problem(const Definitions& d, const State& s, CountryId a, CountryId b,
                             const std::vector<Clause>& clauses, int turns);

// Turns during which clause `c` of an agreement starting now with duration `turns` is in force.
int clause_turns(const Clause& c, int agreement_turns);

}  // namespace chokepoint
