// What happened during a turn, as typed records: license applications and
// decisions, regime changes, investments, shortages, scripted events, rejected
// commands. Written to events.jsonl and shown in the view's log.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace chokepoint {

struct GameEvent {
    int turn = 0;
    std::string type;     // "license_application", "regime_change", "shortage", ...
    int country = -1;     // the actor, -1 for none
    int target = -1;      // the other party, -1 for none
    std::string text;     // one readable sentence
    nlohmann::json data = nlohmann::json::object();  // the details, by key
};

using EventList = std::vector<GameEvent>;

}  // namespace chokepoint
