// `chokepoint batch SWEEP.yaml --out DIR [--jobs J] [--shard I/N]` and `chokepoint merge DIR…`:
// a sweep's runs on several cores or machines, resumable, combined into runs.csv and series.csv
// (docs/workshops.md §Sweeps, docs/outputs.md §Batch outputs).
#pragma once

#include <string>
#include <vector>

namespace chokepoint {

struct BatchArgs {
    std::string sweep;
    std::string out;
    int jobs = 0;         // games at once; 0: one per hardware thread
    int threads = 1;      // leverage threads per game
    int shard = 1, shards = 1;  // this machine's slice: runs with (index − 1) mod shards = shard − 1
    std::string leverage;  // overrides the sweep's schedule when set
    bool quiet = false;   // no progress
};

// Parses I/N (1 ≤ I ≤ N ≤ 10000); false when it is not that.
bool parse_shard(const std::string& text, int& shard, int& shards);

// Exit codes as the rest of the command line: 0 done, 1 a run failed, 3 invalid sweep, 4 output error.
int run_batch(const BatchArgs& args);
int merge_batches(const std::vector<std::string>& dirs, const std::string& out, bool quiet);

}  // namespace chokepoint
