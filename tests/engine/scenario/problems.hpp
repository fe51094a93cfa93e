// Shared helpers for the scenario loader tests: the minimal fixture's text, positions in it,
// and the problems the loader reports for a broken variant.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/scenario/loader.hpp"

namespace chokepoint::testing {

inline constexpr const char* kFixture = "tests/scenarios/minimal.yaml";

inline std::string fixture() {
    std::ifstream in(kFixture);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// "LINE:COLUMN" (1-based) of the first character of `needle` in `text`;
// `offset` moves within the needle, e.g. to a value after its key.
inline std::string pos(const std::string& text, const std::string& needle, size_t offset = 0) {
    size_t at = text.find(needle);
    if (at == std::string::npos) {
        ADD_FAILURE() << "needle not found: " << needle;
        return "?";
    }
    at += offset;
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < at; ++i)
        if (text[i] == '\n') ++line, line_start = i + 1;
    return std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

// What the loader reports for `text`, read as the file `name`; a text that loads fails the test.
inline std::vector<std::string> problems_of(const std::string& text, const std::string& name = "bad.yaml") {
    try {
        load_scenario_text(text, name);
    } catch (const ScenarioError& e) {
        return e.problems;
    }
    ADD_FAILURE() << "expected a ScenarioError";
    return {};
}

// The problems one to a line, indented, for a failure message.
inline std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += "  " + l + "\n";
    return out;
}

// Some problem is exactly `expected`.
inline void expect_problem(const std::vector<std::string>& problems, const std::string& expected) {
    for (const auto& p : problems)
        if (p == expected) return;
    ADD_FAILURE() << "missing problem:\n  " << expected << "\ngot:\n" << joined(problems);
}

}  // namespace chokepoint::testing
