// Loads a scenario YAML file (docs/scenario-format.md) into Definitions, the
// initial State and the scheduled events, validating strictly: every problem
// in the file is collected and reported together, and nothing is returned
// unless the whole file is valid.
#pragma once

#include <stdexcept>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/world/scenario.hpp"

namespace chokepoint {

// Thrown when a scenario cannot be loaded. Each problem reads
// `FILE:LINE:COLUMN: key.path: message` (1-based, the format editors and
// compilers use, so the positions are clickable); what() joins them with newlines.
struct ScenarioError : std::runtime_error {
    explicit ScenarioError(std::vector<std::string> problem_list);
    std::vector<std::string> problems;
};

// Reads and validates the file at `path`; the path as given is used in messages.
Scenario load_scenario(const std::string& path);

// Same, from text in memory; `name` stands for the file name in messages and
// in Scenario::path. For tests and tools.
Scenario load_scenario_text(const std::string& text, const std::string& name);

// The files a scenario extends (docs/scenario-format.md §Extending a scenario), found as the loader
// finds them: its base, the base's base, and so on, each with the text read now. Empty when it
// extends none; the chain stops where the loader would report a problem. What a result depends on
// (a batch's or a tournament's resume) is the scenario's text and these.
struct ScenarioFile {
    std::string path, text;
};
std::vector<ScenarioFile> extended_files(const std::string& text, const std::string& name);

// The command line's overrides of a loaded scenario, the same for `run` and the window: the number
// of turns to play (may be longer or shorter than the scenario's) and the random seed (which also
// re-seeds the initial state's generator).
struct ScenarioOverrides {
    std::optional<int> turns;
    std::optional<std::uint64_t> seed;
};
Scenario with_overrides(Scenario sc, const ScenarioOverrides& o);

}  // namespace chokepoint
