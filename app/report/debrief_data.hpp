// Debrief data: what the report needs from one game, read from a `chokepoint run --out DIR` folder
// or from the same files' texts (a game file replayed writes them in memory: app/game_file_cmds).
// The reader parses the output files only (docs/outputs.md), never engine state.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace chokepoint::report {

// A bad or missing output file; what() names the file (and line, where there is one).
struct DebriefError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct DebriefEvent {
    int turn = 0;
    std::string date, type, country, text;
};

struct DebriefAgreement {
    std::string id, proposer, acceptor, clauses, start, end, status, ended, reason;
    int breaches = 0;
};

struct DebriefScore {
    double economy = 0, security = 0, influence = 0, total = 0;
};

// One turn of a country played by a team (from a game file's journal), as readable lines.
struct DebriefDecision {
    int turn = 0;
    std::string date;
    bool handed_to_advisor = false;      // the team let its advisor play the turn
    std::vector<std::string> decided;    // the team's commands (empty when handed over)
    bool advice_recorded = false;        // false for a game file saved before advice was journaled
    std::vector<std::string> advice;     // what the advisor suggested
    std::vector<std::string> talked;     // what the team said in the negotiation rounds ("round 1: ...")
};

struct DebriefData {
    std::string source;    // the folder or game file read
    std::string scenario;  // summary.json "scenario"
    long long seed = 0;
    int turns_played = 0;
    std::vector<std::string> dates;      // date of turn t (0-based), from timeseries.csv
    std::vector<std::string> countries;  // in summary.json order
    // series[country][metric][turn]; turns without a row hold 0.
    std::map<std::string, std::map<std::string, std::vector<double>>> series;
    std::vector<DebriefEvent> events;
    std::vector<DebriefAgreement> agreements;
    std::map<std::string, DebriefScore> final_scores;
    // Whether the source can tell the teams' decisions (a game file; an output folder cannot).
    bool has_decisions = false;
    // The turns each team-played country's team decided, by country id.
    std::map<std::string, std::vector<DebriefDecision>> decisions;

    // The series, or all zeros when the country has no such metric.
    std::vector<double> metric(const std::string& country, const std::string& name) const;
    // Metric names of the country with the given prefix (e.g. "unmet."), suffix after the prefix.
    std::vector<std::string> suffixes(const std::string& prefix) const;
};

// Reads timeseries.csv, events.jsonl, summary.json and agreements.csv from dir.
DebriefData read_output_dir(const std::string& dir);

// The same four files' texts (engine/output/writers.hpp), from a game named `source`; messages
// name `source/FILE`.
struct OutputTexts {
    std::string summary, timeseries, events, agreements;
};
DebriefData read_output_texts(const std::string& source, const OutputTexts& texts);

}  // namespace chokepoint::report
