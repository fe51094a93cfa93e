// Commands as JSON for the game file's journal (a human seat's decisions), and back. Plain
// numbers and indices (goods, countries by index): the journal is read with the scenario it was
// written with.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "engine/instruments/commands.hpp"

namespace chokepoint {

nlohmann::json command_to_json(const Command& c);
Command command_from_json(const nlohmann::json& j);  // throws on an unknown or malformed command

// A seat's decisions in one turn: the commands, or none (the seat handed to its advisor), and
// what its advisor suggested that turn (`advice`).
nlohmann::json decisions_to_json(const std::optional<std::vector<Command>>& commands,
                                 const std::vector<Command>& advice = {});
std::optional<std::vector<Command>> decisions_from_json(const nlohmann::json& j);
// The advisor's suggestion recorded with the decisions; nullopt for a journal row written before
// the advice was journaled (it has no "advice").
std::optional<std::vector<Command>> advice_from_json(const nlohmann::json& j);
// Whether a row holds decisions (a seat played by people when its turn's decisions were asked;
// a row may hold only what the seat said in the talks).
bool has_decisions(const nlohmann::json& j);

// What a seat said in one negotiation round: {"round", "commands", "done"} (a row's "talks").
nlohmann::json talk_to_json(int round, const std::vector<Command>& commands, bool done);
struct SavedTalk {
    int round = 0;
    std::vector<Command> commands;
    bool done = false;
};
// A row's talks; nullopt when people did not play the seat in the turn's talks ("talks": null).
// A row written before talks were journaled has none: its seat was played by people throughout.
std::optional<std::vector<SavedTalk>> talks_from_json(const nlohmann::json& j);

}  // namespace chokepoint
