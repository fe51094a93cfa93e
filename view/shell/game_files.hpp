// Where the window keeps its game files (docs/facilitation.md "Saving, resuming and branching"):
// every game is saved after every turn, by default into the games folder under a name made from
// the scenario and the time it started; a branch is saved beside the game it branches from.
// File names only: nothing here reaches the game (the clock names files, it never plays).
#pragma once

#include <string>

namespace chokepoint::view {

// $CHOKEPOINT_GAMES, else $XDG_DATA_HOME/chokepoint/games, else ~/.local/share/chokepoint/games,
// else ./games (created when missing; "" when it cannot be).
std::string games_folder();

// A path in `folder` that does not exist yet, named from the scenario file's stem and `stamp`
// (e.g. baseline-2026-12-05-1930.ckp, then baseline-2026-12-05-1930-2.ckp, ...).
std::string new_game_path(const std::string& folder, const std::string& scenario, const std::string& stamp);

// The local time as YYYY-MM-DD-HHMM, for new_game_path.
std::string time_stamp();

// A path beside `game_file` for a branch after `turn` turns that does not exist yet
// (game-branch-t12.ckp, then game-branch-t12-2.ckp, ...).
std::string branch_path(const std::string& game_file, int turn);

}  // namespace chokepoint::view
