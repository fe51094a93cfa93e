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

// The two-sided 95 % quantile of Student's t with `df` degrees of freedom (conservative between
// table entries above 30).
double t95(int df);

}  // namespace chokepoint
