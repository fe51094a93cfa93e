// The engine's folders form layers (README, "What is where"): a file may include its own folder
// and folders below it, never one above. The order, bottom first:
//   world      core types, state, definitions, event log, RNG, files
//   scenario   the YAML loader
//   metrics    indicators, scores, the leverage report's types
//   markets    clearing, firms, origin
//   instruments  trade, licensing, stockpile and investment commands; agreements' commitments
//   diplomacy  clauses, agreements, the diplomatic commands
//   commands   the one entry point routing every command to its home
//   sim        policies, autopilot, the turn (its phases: world events, licence applications,
//              long-run economics), negotiation rounds, projection, forecasts
//   leverage   leverage measured by projection
//   game       a game: turns, history, leverage each turn
//   output     files and terminal text
//   savegame   the game file (SQLite): save, load by replay, state snapshots and hashes
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kLayers = {"world",     "scenario", "metrics", "markets",  "instruments", "diplomacy",
                                          "commands",  "sim",      "leverage", "game",    "output",
                                          "savegame"};

int layer_of(const std::string& folder) {
    auto it = std::find(kLayers.begin(), kLayers.end(), folder);
    return it == kLayers.end() ? -1 : static_cast<int>(it - kLayers.begin());
}

TEST(Layering, NoEngineFolderIncludesOneAboveIt) {
    const std::regex include(R"re(^\s*#\s*include\s*"engine/([a-z_]+)/)re");
    // The layers above the engine (README: app → view → agents → engine).
    const std::regex above(R"re(^\s*#\s*include\s*"(agents|view|app|tests)/)re");
    int files = 0;
    for (const auto& e : fs::recursive_directory_iterator("engine")) {
        if (!e.is_regular_file()) continue;
        const fs::path rel = fs::relative(e.path(), "engine");
        const std::string folder = rel.begin()->string();
        const int mine = layer_of(folder);
        ASSERT_GE(mine, 0) << "engine/" << folder << " is not in the list of layers: add it where it belongs";
        ++files;
        std::ifstream in(e.path());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            std::smatch m;
            if (std::regex_search(line, m, above))
                ADD_FAILURE() << e.path().string() << ":" << n << ": the engine includes " << m[1] << "/, which sits above it";
            if (!std::regex_search(line, m, include)) continue;
            const int theirs = layer_of(m[1]);
            EXPECT_GE(theirs, 0) << e.path().string() << ":" << n << ": includes unknown folder engine/" << m[1];
            EXPECT_LE(theirs, mine) << e.path().string() << ":" << n << ": engine/" << folder << " includes engine/"
                                    << m[1] << ", a folder above it";
        }
    }
    EXPECT_GT(files, 40) << "run from the source root";
}

// Above the engine, the top-level folders are layers too: app → view → agents → engine.
TEST(Layering, NoTopLevelFolderIncludesOneAboveIt) {
    const std::vector<std::string> order = {"engine", "agents", "view", "app"};
    const std::regex include(R"re(^\s*#\s*include\s*"(engine|agents|view|app)/)re");
    int files = 0;
    for (size_t mine = 1; mine < order.size(); ++mine) {
        if (!fs::exists(order[mine])) continue;
        for (const auto& e : fs::recursive_directory_iterator(order[mine])) {
            if (!e.is_regular_file()) continue;
            ++files;
            std::ifstream in(e.path());
            std::string line;
            for (int n = 1; std::getline(in, line); ++n) {
                std::smatch m;
                if (!std::regex_search(line, m, include)) continue;
                const auto theirs = static_cast<size_t>(std::find(order.begin(), order.end(), m[1].str()) - order.begin());
                EXPECT_LE(theirs, mine) << e.path().string() << ":" << n << ": " << order[mine] << "/ includes " << m[1]
                                        << "/, a layer above it";
            }
        }
    }
    EXPECT_GT(files, 40) << "run from the source root";
}

}  // namespace
