// What a finished (or running) game writes for analysts: tidy CSV, JSON
// lines, a JSON summary; and the readable text a terminal shows.
// The formats are documented in docs/outputs.md.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

#include "engine/game/game.hpp"
#include "engine/output/output_set.hpp"

namespace chokepoint {

// turn,date,country,metric,value — one row per country, metric and turn.
void write_timeseries_csv(const Game& game, std::ostream& out);
// turn,date,from,to,good,damage — D(A→B) with good "all" and per good.
void write_leverage_csv(const Game& game, std::ostream& out);
// One JSON object per line, in the order things happened.
void write_events_jsonl(const Game& game, std::ostream& out);
// id,proposer,acceptor,clauses,start,end,status,ended,breaches,reason — every agreement struck.
void write_agreements_csv(const Game& game, std::ostream& out);
// The end state, totals and leverage in one JSON document.
std::string summary_json(const Game& game);

// Writes the five files and manifest.json as the folder `dir`, all or nothing (output_set.hpp):
// created, or replacing an earlier output set there. Throws std::runtime_error naming the folder
// or file on failure, leaving `dir` as it was.
OutputManifest write_outputs(const Game& game, const std::filesystem::path& dir, const OutputSetHooks& hooks = {});

// One or two lines per turn for the terminal.
std::string turn_line(const Game& game, const TurnRecord& record);
// The closing tables: scores, leverage indices and the net-leverage matrix.
std::string final_report(const Game& game);

}  // namespace chokepoint
