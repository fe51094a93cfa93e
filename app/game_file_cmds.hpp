// The game file's commands (docs/game-file.md): `run --save/--load/--at`, `replay`, `compare`,
// and the debrief report's game-file input.
#pragma once

#include <optional>
#include <string>

#include "app/report/debrief_data.hpp"
#include "engine/game/game.hpp"

namespace chokepoint::app {

struct SavedRunArgs {
    std::string scenario;        // a new game (when load is empty)
    std::string load;            // --load GAME.ckp
    std::string save;            // --save GAME.ckp
    std::optional<int> at;       // --at TURN: branch from the loaded game after TURN turns
    std::optional<int> turns;    // new game: its length; loaded game: turns to play on
    std::optional<int> until;    // new game: stop after this many turns (the game's length stays)
    std::optional<unsigned long long> seed;
    std::string out;
    std::string leverage = "every";
    int threads = 0;
    int policy_failures = 3;
    bool quiet = false;
};

// Exit codes as main's: 0, 1 runtime (a replay that differs), 4 output. A file that is not a
// readable game (GameFileError), a scenario that no longer loads (ScenarioError) and other errors
// are thrown to main's one handler, which prints them and exits 3, 3 and 1.
int run_saved(const SavedRunArgs& args);
// The closing tables on standard output, then the game's output files into `out` (none when
// empty): 0, or 4 when they cannot be written (the message on standard error). Every run ends so.
int finish_run(const Game& game, const std::string& out);
int replay_game(const std::string& file, bool quiet);
int compare_games(const std::string& a, const std::string& b);

// The debrief data of a game file: the game replayed from its journal (hashes verified, leverage
// taken from the file), its output files written in memory by the output writers and read as an
// output folder's, plus the teams' decisions and their advisors' suggestions from the journal.
// Throws GameFileError (not a readable game, no turns saved, a replay that differs from the file).
report::DebriefData debrief_of_game_file(const std::string& path);
// `report`'s input: an output folder (report::read_output_dir) or a game file (above).
report::DebriefData read_debrief_input(const std::string& path);

}  // namespace chokepoint::app
