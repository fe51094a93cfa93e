// A canonical JSON serialization of the game State, by section (docs/game-file.md): what the game
// file stores per turn for analysts and desync diagnosis, and what the state hash is taken of.
// Depends on engine/world only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/metrics/leverage_report.hpp"
#include "engine/world/scenario.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// The State as JSON: one object per section (turn, countries by id, rules, tariffs, licensing,
// projects, markets, leverage, diplomacy, rng, ...). Keys are sorted (nlohmann's default), doubles
// are written with round-trip precision, infinities as the strings "inf"/"-inf": the text is a
// canonical form of the State.
nlohmann::json state_snapshot(const Definitions& defs, const State& state);

// sha256 (64 hex digits) of the snapshot's compact text.
std::string state_hash(const nlohmann::json& snapshot);

// The first difference between two snapshots as "section" or "section, country ID" (countries
// by id); empty when they are equal.
std::string snapshot_difference(const nlohmann::json& a, const nlohmann::json& b);

// A leverage measurement as JSON and back (exact: doubles round-trip).
nlohmann::json leverage_to_json(const LeverageReport& r);
LeverageReport leverage_from_json(const nlohmann::json& j);

// A live inject (ScheduledEvent) as JSON and back. Agreement injects (clauses) are not supported
// in the game file: to_json throws std::invalid_argument for them.
nlohmann::json inject_to_json(const ScheduledEvent& e);
ScheduledEvent inject_from_json(const nlohmann::json& j);

}  // namespace chokepoint
