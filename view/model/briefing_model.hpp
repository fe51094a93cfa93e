// A team's briefing at the start of a class: the scenario's situation, the country's
// own brief where the scenario gives one (countries.<id>.briefing), what its score weighs, and its
// position computed from the scenario's starting state: what it makes, what it needs and from
// whom, and what it can spend. Shown once to each seat people play, and on request.
#pragma once

#include <string>
#include <vector>

#include "view/session.hpp"

namespace chokepoint::view {

struct Briefing {
    std::string team;              // the country's display name
    std::string scenario, start;   // the scenario's name and its first turn's date
    std::string situation;         // the scenario's description
    std::string brief;             // the country's own brief from the scenario ("" when none)
    std::vector<std::string> objectives;  // one line per score part, heaviest first
    std::vector<std::string> makes;       // goods it has capacity for, with its share of the world's
    std::vector<std::string> needs;       // goods it uses: how much, how much its own capacity covers, cover
    std::vector<std::string> suppliers;   // for what it cannot make enough of: the world's main makers
                                          // and the terms they export to it on (licensed, embargoed)
    std::string treasury;                 // what it can spend
};

// From the state the game began in (Snapshot::start; the current state before the first turn).
Briefing team_briefing(const Snapshot& snap, CountryId country);

}  // namespace chokepoint::view
