// The game file (docs/game-file.md): one SQLite database per game, event-sourced. It holds the
// scenario's text, seed, length and options, every Lua policy script's text and sha256, a journal
// of what the game received from outside (live injects) and, per turn, the state hash and a JSON
// snapshot of the State. Loading replays the journal from the scenario text (the game is
// deterministic). Every turn is written in one transaction: a crash or a kill -9 leaves the last
// committed turn readable. Sits above engine/game (a library of its own: chokepoint_savegame).
#pragma once

#include <nlohmann/json.hpp>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/metrics/leverage_report.hpp"
#include "engine/output/writers.hpp"

struct sqlite3;

namespace chokepoint {

class Game;

// The version of the schema this build writes; a file with a newer one is refused.
// Version 2 added the output tables (timeseries, leverage_pairs, events, agreements) and the
// queued injects; a version 1 file gets them (empty for its earlier turns) when it is next written.
// Version 3 added two journal kinds: 'module' (a require()d module's text as read) and 'queue'
// (the window's queue as a turn ended). A version 2 file has neither: its turns replay with the
// modules on disk, and its first turn written by this version journals every module it reads.
inline constexpr int kGameFileSchemaVersion = 3;

// A file that is not a readable game (missing, truncated, not SQLite, not a game, newer schema,
// or a write that failed). what() is one line naming the file.
struct GameFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct PolicyScript {
    std::string country;  // the country's id
    std::string path;     // as the scenario resolved it
    std::string text;
    std::string sha256;
};

// A Lua module a policy require()d (docs/game-file.md §Modules): the country, the module's name
// ("lib.util"), where it was read from, its text and its sha256.
struct ModuleScript {
    std::string country, name, path, text, sha256;
};

struct GameHeader {
    std::string scenario_path;  // as given when the game started (messages, relative policy paths)
    std::string scenario_text;  // the YAML text
    std::uint64_t seed = 0;
    int turn_limit = 0;              // the game's length (the scenario's turns after --turns)
    std::string leverage = "every";  // the leverage schedule (every, N, end, off)
    std::vector<PolicyScript> scripts;
    std::string parent_file;  // a branch: the game it branched from ("" when none)
    int parent_turn = -1;     // turns of the parent it starts from (-1 when none)
};

struct TurnEntry {
    int turn = 0;  // 0-based, the turn played
    std::string date;
    std::string state_hash;
    nlohmann::json snapshot;              // state_snapshot() after the turn
    std::vector<nlohmann::json> injects;  // inject_to_json() of the turn's live injects
    // The window's injects queued for later turns as the turn ended (inject_to_json(), in queue
    // order); nullopt leaves the file's queue as it is (run --save has no queue). Journaled with
    // the turn (a branch from the next turn starts with it) and read back by turns().
    std::optional<std::vector<nlohmann::json>> queued;
    // Human seats' decisions in the turn: country id, decisions_to_json() (command_json.hpp).
    std::vector<std::pair<std::string, nlohmann::json>> decisions;
    // Lua policies reloaded in the turn (a hot reload, or run --reload-at): the script each country
    // runs from then on (country id, path, text, sha256).
    std::vector<PolicyScript> reloads;
    // Lua modules: make_turn_entry() lists every module the policies have read, with the text
    // each was last read with; append_turn() journals those whose text is not the one journaled
    // last for that country and module (so, read for the first time, or again after a reload
    // with another text); turns() returns the ones journaled in the turn.
    std::vector<ModuleScript> modules;
    nlohmann::json leverage;  // leverage_to_json() when measured after this turn, else null
    // The query tables' rows (written, not read back by turns()).
    struct ScoreRow {
        std::string country;
        double economy = 0, security = 0, influence = 0, total = 0, leverage_index = 0, treasury = 0;
    };
    struct PriceRow {
        std::string country, good;
        double price = 0;
    };
    struct UnmetRow {
        std::string country, sector;
        double demand = 0, met = 0;
    };
    // The output files' rows for the turn (docs/outputs.md), from the writers' row functions.
    struct MetricRow {
        std::string country, metric;
        double value = 0;
    };
    struct LeveragePairRow {
        std::string from, to, good;
        double damage = 0, exercised = 0, reserve = 0;
    };
    struct EventRow {
        std::string type, country, target, text;
        std::string line;  // the event as events.jsonl writes it
    };
    std::vector<ScoreRow> scores;
    std::vector<PriceRow> prices;
    std::vector<UnmetRow> unmet;
    std::vector<MetricRow> timeseries;
    std::vector<LeveragePairRow> leverage_pairs;
    std::vector<EventRow> events;
    std::vector<AgreementRow> agreements;  // every agreement struck so far, as it stands after the turn
};

class GameFile {
public:
    // Creates a new game file at `path` (an existing file there is replaced) with its header.
    static GameFile create(const std::string& path, const GameHeader& header);
    // Opens an existing game file for reading and appending; throws GameFileError.
    static GameFile open(const std::string& path);

    GameFile(GameFile&& other) noexcept;
    GameFile& operator=(GameFile&& other) noexcept;
    GameFile(const GameFile&) = delete;
    GameFile& operator=(const GameFile&) = delete;
    ~GameFile();

    const std::string& path() const { return path_; }
    const GameHeader& header() const { return header_; }
    // Turns saved (0 .. turns_saved()-1 are in the file).
    int turns_saved() const;
    // Appends one played turn in one transaction (turn must be turns_saved()).
    void append_turn(const TurnEntry& entry);
    // Claims the file for this process's writes (an exclusive advisory lock, held until this
    // object is destroyed): a second process that would go on with the same game in it, say
    // `run --load` while `serve --load` waits for its teams, is refused at once instead of both
    // appending turns to one file (the server's turns were lost). create() claims the new file;
    // whoever continues a loaded game in place claims it. Readers (replay, compare, report) need
    // not. Throws GameFileError when another process holds it.
    void claim();
    // Gives the claim up (nothing more will be written through this object).
    void release_claim();
    // Writes a consistent copy of the file to `path`, which must not exist (SQLite's VACUUM INTO);
    // throws GameFileError naming both files.
    void copy_to(const std::string& path) const;
    // Drops the saved turns from `turn` on (a game continued in its file from an earlier turn),
    // and the queued injects (they were queued after those turns).
    void truncate_from(int turn);
    // The injects queued for later turns (the window's queue, kept so that a game closed and
    // opened again still has them): replaced whole, in one transaction; read in queue order.
    void set_queued_injects(const std::vector<nlohmann::json>& injects);
    // The game's length changed in play (Game::change_turn_limit): kept in the header, so loading
    // and replaying the file use it.
    void set_turn_limit(int turns);
    std::vector<nlohmann::json> queued_injects() const;
    // Decisions a seat sent for a turn not played yet (a browser seat decides before the game asks
    // it; Session::submit): written at once, in their own transaction, so that a crash before the
    // turn is played loses none. decisions_to_json()'s form. The turn's save (append_turn) drops
    // them, as they are then in the journal; truncate_from drops those of the turns it drops.
    void set_sent_decisions(int turn, const std::string& country, const nlohmann::json& decisions);
    // Those of `turn`, by country id.
    std::vector<std::pair<std::string, nlohmann::json>> sent_decisions(int turn) const;
    // Turns saved, in order (with snapshots when `with_snapshots`).
    std::vector<TurnEntry> turns(bool with_snapshots = true) const;
    // The recorded leverage measurements by turn (for Game::set_recorded_leverage).
    std::map<int, LeverageReport> leverage_reports() const;
    // The total score per country id after `turn` (the scores table).
    std::map<std::string, double> scores_at(int turn) const;

private:
    GameFile(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
    void exec(const std::string& sql) const;
    void read_header();
    // Runs `writes` in one transaction (after upgrade_schema), rolled back if anything throws.
    void write_transaction(const std::function<void()>& writes);
    void upgrade_schema();  // inside a write transaction: adds the tables a file of an older version lacks
    void write_output_rows(const TurnEntry& entry);  // the query and output tables' rows of a turn
    void write_new_modules(const TurnEntry& entry, int& seq);  // inside a write transaction; seq: the journal's next
    void write_queue(const std::vector<nlohmann::json>& injects);  // inside a write transaction
    int schema_version_ = kGameFileSchemaVersion;
    std::string path_;
    sqlite3* db_ = nullptr;
    GameHeader header_;
    int lock_fd_ = -1;  // claim()'s descriptor holding the lock
};

// The header of a game about to be played: the scenario file's text, the game's seed and length,
// and the text and hash of every Lua policy the scenario names.
GameHeader make_header(const Game& game, const std::string& scenario_path, const std::string& leverage);

class SeatJournal;

// The entry for the game's last played turn (its hash, snapshot, live injects and, with a
// journal, the human seats' decisions recorded for it).
TurnEntry make_turn_entry(const Game& game, SeatJournal* seats = nullptr);

// Saves the game's turns that are not in the file yet (the call the window makes after a turn),
// with the human seats' decisions `seats` recorded for it.
void save_new_turns(const Game& game, GameFile& file, SeatJournal* seats = nullptr);

}  // namespace chokepoint
