// `chokepoint tournament`: Lua policies against a seat's shipped policy, on the same seeds
// (docs/modding.md §Tournaments).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chokepoint {

struct TournamentArgs {
    std::string scenario;
    std::vector<std::string> seats;     // country ids
    std::vector<std::string> policies;  // the entrants' Lua files
    int seeds = 10;
    std::uint64_t first_seed = 1;
    std::optional<int> turns;
    std::string leverage = "end";
    int threads = 1;
    int jobs = 0;
    std::string out;
    bool quiet = false;
};

int run_tournament(const TournamentArgs& args);

// `chokepoint report DIR -o FILE` for a folder that `tournament --out` wrote (it holds
// leaderboard.csv and games.csv): the leaderboard as one printable HTML page. Exit 3 for an
// unreadable folder, 4 when the file cannot be written.
bool is_tournament_folder(const std::string& dir);
int write_tournament_report(const std::string& dir, const std::string& out);

// The two-sided 95 % quantile of Student's t with `df` degrees of freedom (conservative between
// table entries above 30).
double t95(int df);

}  // namespace chokepoint
