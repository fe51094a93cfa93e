// Opening a game file to play on (docs/game-file.md): the game rebuilt from the file's header with
// its stored Lua policies, the saved turns replayed (human decisions played back, leverage taken
// from the file), and the file the new turns go to — the loaded file itself (continue; from an
// earlier turn the later turns are dropped) or a new file (a copy, or a branch with a parent
// reference). Shared by `chokepoint run --load` and the window (`play --load`, Open, Branch).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/journal_desk.hpp"
#include "agents/lua/lua_policy.hpp"
#include "engine/game/game.hpp"
#include "engine/savegame/game_file.hpp"
#include "engine/savegame/seat_journal.hpp"

namespace chokepoint {

struct OpenGameOptions {
    std::string load;         // the game file to open
    std::string save;         // "" or the same path: go on in the loaded file; else a new file
    std::optional<int> at;    // play on after this many saved turns (default: all of them)
    GameOptions game;         // threads (the leverage schedule is the file's)
    // Hot reload as the caller wants it (the window: on, the reloads are journaled; run: off).
    LuaPolicyOptions lua;
    // Human seats from the first turn not in the file: the window's desk (null: the advisors
    // play), and where their decisions are recorded for save_new_turns().
    SeatDesk* live = nullptr;
    SeatJournal* journal = nullptr;
    // Called after every replayed turn (the window keeps each turn's record).
    std::function<void(const Game&)> after_turn;
};

struct OpenedGame {
    std::unique_ptr<Game> game;
    std::unique_ptr<JournalDesk> desk;  // the seats' desk, when there is one (outlives the turns)
    std::optional<GameFile> file;       // where the next turns are saved
    int replayed = 0;                   // turns replayed from the file
    int desync_turn = -1;               // the first replayed turn whose state differs from the file's (-1: none);
                                        // only with a new file (going on in place refuses it)
    std::vector<std::string> last_seats;  // ids of the seats people played in the last replayed turn
    // The window's injects queued for later turns when the file was last saved (for a branch from
    // an earlier turn: as the window had them when the last replayed turn ended): the window
    // queues them again.
    std::vector<ScheduledEvent> queued;
};

// Installs the stored policies of a game rebuilt from header `h` (game_from_header): each
// country's Lua script as saved (the file on disk when unchanged, else the stored text written
// beside the game file), and its journaled reloads scheduled for their turns (docs/game-file.md).
// Hot reload follows `lua` (off to replay a file as it is). When `turns` hold human decisions or `live` is set, every country is a
// HumanSeat on the returned JournalDesk, which plays the recorded decisions back (it must outlive
// the game's turns); otherwise the policies play directly and the result is null.
std::unique_ptr<JournalDesk> install_stored_policies(Game& game, const GameHeader& h, const std::string& game_file,
                                                     const LuaPolicyOptions& lua, const std::vector<TurnEntry>& turns,
                                                     SeatDesk* live = nullptr, SeatJournal* journal = nullptr);

// Throws GameFileError (unreadable file, `at` outside the saved turns), ScenarioError (the stored
// scenario no longer loads) or std::runtime_error.
OpenedGame open_saved_game(const OpenGameOptions& options);

}  // namespace chokepoint
