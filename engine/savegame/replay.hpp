// Loading a game file = replaying its journal (docs/game-file.md): the scenario from its stored
// text, the stored seed, length and options, then every saved turn with its live injects.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/game/game.hpp"
#include "engine/savegame/game_file.hpp"

namespace chokepoint {

// A new game from a header: the scenario parsed from the stored text (named by its stored path,
// so relative policy paths resolve as when it was saved), the stored seed and length, and
// `options` with the stored leverage schedule. Policies are installed by the caller.
std::unique_ptr<Game> game_from_header(const GameHeader& header, GameOptions options);

struct ReplayCheck {
    int turns_played = 0;
    int desync_turn = -1;     // the first turn whose state hash differs (-1: none)
    std::string difference;   // "section" or "countries, country ID (field)" for that turn
    std::string expected_hash, actual_hash;
};

// Plays saved turns [game's turn, until) of `turns` into `game`, with their injects; when `verify`,
// stops at the first turn whose state hash differs from the saved one. `after_turn` (if set) is
// called after every turn played with that turn's verdict (true: equal or not verified).
ReplayCheck replay_turns(Game& game, const std::vector<TurnEntry>& turns, int until, bool verify,
                         const std::function<void(const TurnEntry&, bool)>& after_turn = {});

// The policy text each Lua-governed country plays once `turns` are played: the header's, or the
// last reload journaled in them (a hot reload in the window), with that turn (-1: the header's).
// In country-id order. `run --load` compares these, not the header's, with the files on disk.
struct ScriptInPlay {
    PolicyScript script;
    int reloaded_turn = -1;
};
std::vector<ScriptInPlay> scripts_in_play(const GameHeader& header, const std::vector<TurnEntry>& turns);

}  // namespace chokepoint
