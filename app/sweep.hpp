// A sweep: one scenario played under several sets of overrides and seeds (docs/workshops.md
// §Sweeps). The sweep file names the scenario, a grid of values per scenario key path, named
// variants and the seeds; read strictly, with every mistake reported as FILE:LINE:COLUMN.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/world/scenario.hpp"

namespace chokepoint {

// One scenario key path set to a value, e.g. `countries.china.export_duty.ndpr_oxide.default: 0.25`.
struct Override {
    std::string path;   // dotted keys; a number selects a list item (events.0.turn)
    YAML::Node value;   // as written in the sweep file
    std::string text;   // the value as written (for runs.csv)
    std::string where;  // FILE:LINE:COLUMN of the value, for messages
};

struct Variant {
    std::string name;
    std::vector<Override> set;
};

struct GridAxis {
    std::string path;
    std::vector<Override> values;  // one override of `path` per value
};

struct Sweep {
    std::string file;           // the sweep file as given
    std::string text;           // its text (its checksum identifies the plan)
    std::string scenario;       // the scenario file, resolved
    std::string scenario_text;  // and its text
    std::vector<GridAxis> grid;
    std::vector<Variant> variants;  // at least one ("base" when the file names none)
    std::vector<std::uint64_t> seeds;
    std::optional<int> turns;
    std::string leverage = "end";  // every | N | end | off
};

// One game of the sweep: a variant, a point of the grid and a seed. Runs are numbered in plan
// order (variants, then grid points with the last axis fastest, then seeds), from 1.
struct RunSpec {
    int index = 0;  // 1-based
    std::string id;  // r0001
    int variant = 0;
    std::vector<int> point;  // value index per grid axis
    std::uint64_t seed = 0;
};

constexpr int kMaxSweepRuns = 100000;

// Reads and validates a sweep file; throws ScenarioError (FILE:LINE:COLUMN: key: message lines).
Sweep load_sweep(const std::string& path);
std::vector<RunSpec> plan_runs(const Sweep& sweep);
// The run's scenario: the sweep's scenario with the variant's and grid point's overrides and the
// seed (and turns) applied. Throws ScenarioError naming the sweep file's line of an override that
// makes the scenario invalid.
Scenario run_scenario(const Sweep& sweep, const RunSpec& run);
// Checks that every variant and grid value yields a valid scenario (one load per value, not per
// run); the problems found, empty when all load.
std::vector<std::string> check_overrides(const Sweep& sweep);

}  // namespace chokepoint
