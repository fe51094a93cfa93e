// What each fuzz harness does with one input, shared by the libFuzzer executables
// (tests/fuzz/*_fuzz.cpp, `make fuzz`, docs/testing.md) and by the GoogleTest suite, which replays
// every saved input under tests/fuzz/regressions/ so a crash the fuzzer found stays fixed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chokepoint::fuzz {

// Loads `text` as a scenario: it must give a scenario, or a ScenarioError whose every problem is
// located (`FILE:LINE:COLUMN: …` or `FILE: …`). Any other exception is a finding, returned as text.
std::optional<std::string> scenario_loader_one(std::string_view text);

// Seats `source` as the Lua policy of the first country of a tiny world, under lowered budgets
// (kFuzzLimits below), and plays one turn. The game must finish the turn; an exception escaping
// the engine is a finding, returned as text. (Crashes and sanitizer reports end the process.)
std::optional<std::string> policy_turn_one(std::string_view source);

// The budgets a fuzzed policy runs under: small, so each input costs milliseconds.
inline constexpr long long kFuzzInstructions = 200'000;
inline constexpr double kFuzzSecondsPerCall = 0.1;
inline constexpr std::size_t kFuzzMemoryBytes = 8u << 20;

}  // namespace chokepoint::fuzz
