// The tournament leaderboard as one self-contained, printable HTML page (`chokepoint report
// TOURNAMENT_DIR`), read from a `chokepoint tournament --out` folder's leaderboard.csv and
// games.csv (docs/modding.md §10). The same page shell and style as the debrief.
#pragma once

#include <string>
#include <vector>

#include "app/report/debrief_data.hpp"  // DebriefError: a bad input file, named with its line

namespace chokepoint::report {

// One row of leaderboard.csv: the fields as written, and the numbers the chart needs.
struct LeaderboardRow {
    std::string seat, entrant, games, forfeits, mean, low, high, diff, diff_low, diff_high;
    double mean_v = 0, low_v = 0, high_v = 0;
    bool has_diff = false;  // false for the shipped policy
    double diff_v = 0, diff_low_v = 0, diff_high_v = 0;
};

// One row of games.csv, as written.
struct TournamentGameRow {
    std::string seat, entrant, seed, score, forfeit, errors, raw_score, leverage, reason;
};

struct TournamentData {
    std::string source;    // the folder
    std::string scenario;  // from tournament.json, when it is there
    std::vector<LeaderboardRow> board;
    std::vector<TournamentGameRow> games;
};

// A folder that `chokepoint tournament --out` wrote: it holds leaderboard.csv and games.csv.
bool is_tournament_dir(const std::string& dir);

// Reads the folder; throws DebriefError naming the file and line of what is wrong.
TournamentData read_tournament_dir(const std::string& dir);

std::string render_tournament_html(const TournamentData& data);

}  // namespace chokepoint::report
