// What a finished (or running) game writes for analysts: tidy CSV, JSON
// lines, a JSON summary; and the readable text a terminal shows.
// The formats are documented in docs/outputs.md.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/game/game.hpp"
#include "engine/output/output_set.hpp"

namespace chokepoint {

// turn,date,country,metric,value — one row per country, metric and turn.
void write_timeseries_csv(const Game& game, std::ostream& out);
// turn,date,from,to,good,damage,exercised,reserve — D(A→B) with good "all" and per good.
void write_leverage_csv(const Game& game, std::ostream& out);
// One JSON object per line, in the order things happened.
void write_events_jsonl(const Game& game, std::ostream& out);
// id,proposer,acceptor,clauses,start,end,status,ended,breaches,reason — every agreement struck.
void write_agreements_csv(const Game& game, std::ostream& out);

// The rows of those files one turn at a time, as the game file stores them (docs/game-file.md):
// the writers above and the game file share them, so the two always hold the same numbers.
using MetricRowFn = std::function<void(const std::string& country, const std::string& metric, double value)>;
// timeseries.csv's rows for one turn, in the file's order.
void timeseries_rows(const Definitions& d, const TurnRecord& r, const MetricRowFn& emit);
struct LeverageRow {
    const std::string& from;
    const std::string& to;
    const std::string& good;  // a good's id or "all"
    double damage, exercised, reserve;
};
using LeverageRowFn = std::function<void(const LeverageRow&)>;
// leverage.csv's rows for one turn (none when the turn's record has no measurement).
void leverage_rows(const Definitions& d, const TurnRecord& r, const LeverageRowFn& emit);
// One event as a line of events.jsonl.
nlohmann::ordered_json event_json(const Definitions& d, const GameEvent& e);
struct AgreementRow {
    int id = 0;
    std::string proposer, acceptor, clauses, start, end, status, ended;
    int breaches = 0;
    std::string reason;
};
// agreements.csv's rows: the agreements in `s` (struck so far, with their status in `s`).
std::vector<AgreementRow> agreement_rows(const Definitions& d, const State& s);
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
