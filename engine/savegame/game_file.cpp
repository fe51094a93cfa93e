#include "engine/savegame/game_file.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "engine/game/game.hpp"
#include "engine/output/sha256.hpp"
#include "engine/savegame/command_json.hpp"
#include "engine/savegame/seat_journal.hpp"
#include "engine/savegame/state_json.hpp"

namespace chokepoint {

namespace {

using json = nlohmann::json;

const char* kKind = "chokepoint-game";
const char* kAppVersion = "0.1.0";

// A prepared statement, finalized at scope exit.
struct Stmt {
    sqlite3_stmt* s = nullptr;
    Stmt(sqlite3* db, const char* sql, const std::string& file) {
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
            throw GameFileError(file + ": " + sqlite3_errmsg(db));
    }
    ~Stmt() { sqlite3_finalize(s); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    void text(int i, const std::string& v) { sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }
    void integer(int i, long long v) { sqlite3_bind_int64(s, i, v); }
    void null(int i) { sqlite3_bind_null(s, i); }
    void real(int i, double v) { sqlite3_bind_double(s, i, v); }
    // Runs an INSERT with the values bound so far, ready to bind the next row.
    void insert(sqlite3* db, const std::string& file) {
        step(db, file);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
    bool step(sqlite3* db, const std::string& file) {
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw GameFileError(file + ": " + sqlite3_errmsg(db));
    }
    std::string col_text(int i) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i))) : std::string();
    }
    long long col_int(int i) const { return sqlite3_column_int64(s, i); }
};

const char* kSchema = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE game (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  scenario_path TEXT NOT NULL, scenario_text TEXT NOT NULL, seed TEXT NOT NULL,
  turn_limit INTEGER NOT NULL, leverage TEXT NOT NULL,
  parent_file TEXT, parent_turn INTEGER);
CREATE TABLE scripts (country TEXT NOT NULL, path TEXT NOT NULL, text TEXT NOT NULL, sha256 TEXT NOT NULL,
  from_turn INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (country, from_turn));
CREATE TABLE journal (turn INTEGER NOT NULL, seq INTEGER NOT NULL, country TEXT, kind TEXT NOT NULL,
  data TEXT NOT NULL, PRIMARY KEY (turn, seq));
CREATE TABLE turns (turn INTEGER PRIMARY KEY, date TEXT NOT NULL, state_hash TEXT NOT NULL, snapshot TEXT NOT NULL);
CREATE TABLE leverage (turn INTEGER PRIMARY KEY, report TEXT NOT NULL);
CREATE TABLE scores (turn INTEGER NOT NULL, country TEXT NOT NULL, economy REAL, security REAL,
  influence REAL, total REAL, leverage_index REAL, treasury REAL, PRIMARY KEY (turn, country));
CREATE TABLE prices (turn INTEGER NOT NULL, country TEXT NOT NULL, good TEXT NOT NULL, price REAL,
  PRIMARY KEY (turn, country, good));
CREATE TABLE unmet (turn INTEGER NOT NULL, country TEXT NOT NULL, sector TEXT NOT NULL, demand REAL, met REAL,
  PRIMARY KEY (turn, country, sector));
)sql";

// Added in schema version 2: the output files' rows per turn (docs/outputs.md).
const char* kOutputTables = R"sql(
CREATE TABLE IF NOT EXISTS timeseries (turn INTEGER NOT NULL, country TEXT NOT NULL, metric TEXT NOT NULL, value REAL);
CREATE TABLE IF NOT EXISTS leverage_pairs (turn INTEGER NOT NULL, from_country TEXT NOT NULL, to_country TEXT NOT NULL,
  good TEXT NOT NULL, damage REAL, exercised REAL, reserve REAL);
CREATE TABLE IF NOT EXISTS events (turn INTEGER NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, country TEXT,
  target TEXT, text TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (turn, seq));
CREATE TABLE IF NOT EXISTS agreements (turn INTEGER NOT NULL, id INTEGER NOT NULL, proposer TEXT NOT NULL,
  acceptor TEXT NOT NULL, clauses TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL, status TEXT NOT NULL,
  ended_date TEXT, breaches INTEGER NOT NULL, reason TEXT, PRIMARY KEY (turn, id));
CREATE TABLE IF NOT EXISTS queued_injects (seq INTEGER PRIMARY KEY, data TEXT NOT NULL);
)sql";

// The tables a turn writes rows into (truncate_from deletes from all of them).
const char* const kTurnTables[] = {"turns", "journal", "leverage", "scores", "prices", "unmet",
                                   "timeseries", "leverage_pairs", "events", "agreements", "sent_decisions"};

// Decisions a browser seat sent for the turn being decided (GameFile::set_sent_decisions): made in
// any file when it is next written, without a schema change (a build that does not know the
// table ignores it).
const char* const kSentDecisionsTable =
    "CREATE TABLE IF NOT EXISTS sent_decisions (turn INTEGER NOT NULL, country TEXT NOT NULL, data TEXT NOT NULL, "
    "PRIMARY KEY (turn, country));";

// A script's text in a journal row. JSON strings must be UTF-8 and a Lua file need not be (a
// Latin-1 comment): such a text is kept as hex under "text_hex", byte for byte.
void put_script_text(json& data, const std::string& text) {
    try {
        (void)json(text).dump();
        data["text"] = text;
    } catch (const json::type_error&) {
        static const char* const kDigits = "0123456789abcdef";
        std::string hex;
        hex.reserve(text.size() * 2);
        for (const unsigned char c : text) hex += kDigits[c >> 4], hex += kDigits[c & 15];
        data["text_hex"] = std::move(hex);
    }
}

std::string script_text(const json& data) {
    const auto it = data.find("text_hex");
    if (it == data.end()) return data.at("text").get<std::string>();
    const std::string hex = it->get<std::string>();
    const auto nibble = [](char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        throw std::invalid_argument("text_hex is not hex");
    };
    if (hex.size() % 2 != 0) throw std::invalid_argument("text_hex has an odd length");
    std::string text(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < text.size(); ++i)
        text[i] = static_cast<char>(nibble(hex[2 * i]) * 16 + nibble(hex[2 * i + 1]));
    return text;
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

GameFile::GameFile(GameFile&& o) noexcept
    : schema_version_(o.schema_version_), path_(std::move(o.path_)), db_(o.db_), header_(std::move(o.header_)),
      lock_fd_(o.lock_fd_) {
    o.db_ = nullptr;
    o.lock_fd_ = -1;
}
GameFile& GameFile::operator=(GameFile&& o) noexcept {
    if (this != &o) {
        if (db_) sqlite3_close(db_);
        if (lock_fd_ >= 0) ::close(lock_fd_);
        schema_version_ = o.schema_version_;
        path_ = std::move(o.path_), db_ = o.db_, header_ = std::move(o.header_), lock_fd_ = o.lock_fd_;
        o.db_ = nullptr;
        o.lock_fd_ = -1;
    }
    return *this;
}
GameFile::~GameFile() {
    if (db_) sqlite3_close(db_);
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the claim
}

void GameFile::release_claim() {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    lock_fd_ = -1;
}

void GameFile::claim() {
    if (lock_fd_ >= 0) return;
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw GameFileError(path_ + ": cannot open the game file to claim it for writing");
    // flock, not fcntl: SQLite's own locks are fcntl locks on its descriptor, which this one must
    // not disturb (closing any descriptor of a file drops the process's fcntl locks on it).
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        throw GameFileError(path_ +
                            ": in use by another Chokepoint process that is playing on in it (a window, `serve` or "
                            "`run --load`); close that one first, or branch from it into a new file: --load " +
                            path_ + " --save NEW.ckp");
    }
    lock_fd_ = fd;
}

void GameFile::exec(const std::string& sql) const {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string m = err ? err : "error";
        sqlite3_free(err);
        throw GameFileError(path_ + ": " + m);
    }
}

namespace {
// How long a connection waits for another one's lock before SQLite gives up with "database is
// locked". A game file is read while it is being played (report, replay, compare, a second window
// or a query, none of which claims it), and in rollback-journal mode a turn's commit must wait
// until no reader is inside a read: without a wait the writer's turn failed at once and the game
// ended (a reader polling the file every 50 ms stopped `run --save` within a dozen turns; CI's
// kill -9 test saw it). Readers wait the same way for a commit in progress. Reads take
// milliseconds; 30 s covers a slow disk and a long report without hanging on a reader that never
// lets go (a shell left inside BEGIN), which then fails the turn's write as before (rolled back,
// the file keeps the turns before).
constexpr int kLockWaitMs = 30'000;
}  // namespace

GameFile GameFile::create(const std::string& path, const GameHeader& h) {
    // A new game file is never written over anything: not another game (a saved class), not a
    // file of the user's, not a folder, a link or a device (the hostile-inputs review: `--save`
    // replaced a thesis, an earlier game and /dev/null alike).
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status there = fs::symlink_status(path, ec);
    if (!ec && fs::exists(there)) {
        const char* what = fs::is_symlink(there)        ? " (a link)"
                           : fs::is_directory(there)    ? " (a folder)"
                           : !fs::is_regular_file(there) ? " (not a regular file)"
                                                         : "";
        throw GameFileError(path + ": already exists" + what +
                            "; a new game file is never written over anything: give a new name (to go on with a saved "
                            "game, load it: --load)");
    }
    fs::remove(path + "-journal", ec);  // a crashed create's leftover: SQLite would take it for a hot journal
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        std::string m = db ? sqlite3_errmsg(db) : "cannot open";
        sqlite3_close(db);
        throw GameFileError(path + ": cannot create the game file: " + m);
    }
    sqlite3_busy_timeout(db, kLockWaitMs);
    GameFile f(path, db);
    f.claim();
    f.exec("PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;");
    f.exec("BEGIN");
    f.exec(kSchema);
    f.exec(kOutputTables);
    {
        Stmt m(db, "INSERT INTO meta VALUES (?, ?)", path);
        const std::time_t now = std::time(nullptr);  // the file's creation time (metadata; never fed to the game)
        char created[32] = {};
        std::strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
        for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
                 {"kind", kKind}, {"schema_version", std::to_string(kGameFileSchemaVersion)},
                 {"app_version", kAppVersion}, {"created", created}}) {
            sqlite3_reset(m.s);
            m.text(1, k), m.text(2, v);
            m.step(db, path);
        }
    }
    {
        Stmt g(db, "INSERT INTO game VALUES (1, ?, ?, ?, ?, ?, ?, ?)", path);
        g.text(1, h.scenario_path), g.text(2, h.scenario_text), g.text(3, std::to_string(h.seed));
        g.integer(4, h.turn_limit), g.text(5, h.leverage);
        if (h.parent_file.empty())
            g.null(6), g.null(7);
        else
            g.text(6, h.parent_file), g.integer(7, h.parent_turn);
        g.step(db, path);
    }
    for (const auto& s : h.scripts) {
        Stmt st(db, "INSERT INTO scripts VALUES (?, ?, ?, ?, 0)", path);
        st.text(1, s.country), st.text(2, s.path), st.text(3, s.text), st.text(4, s.sha256);
        st.step(db, path);
    }
    f.exec("COMMIT");
    f.header_ = h;
    return f;
}

GameFile GameFile::open(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw GameFileError(path + ": no such game file");
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        std::string m = db ? sqlite3_errmsg(db) : "cannot open";
        sqlite3_close(db);
        throw GameFileError(path + ": cannot open the game file: " + m);
    }
    sqlite3_busy_timeout(db, kLockWaitMs);
    GameFile f(path, db);
    // A non-SQLite or truncated file fails here ("file is not a database", "malformed").
    std::string kind, version;
    try {
        Stmt q(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'", path);
        q.step(db, path);
        if (q.col_int(0) == 0) throw GameFileError(path + ": not a Chokepoint game file (an SQLite database without its meta table)");
        Stmt m(db, "SELECT key, value FROM meta", path);
        while (m.step(db, path)) {
            if (m.col_text(0) == "kind") kind = m.col_text(1);
            if (m.col_text(0) == "schema_version") version = m.col_text(1);
        }
        Stmt check(db, "PRAGMA quick_check", path);
        check.step(db, path);
        if (check.col_text(0) != "ok") throw GameFileError(path + ": the game file is damaged (" + check.col_text(0) + ")");
    } catch (const GameFileError& e) {
        const std::string what = e.what();
        if (what.find("not a database") != std::string::npos)
            throw GameFileError(path + ": not a Chokepoint game file (not an SQLite database)");
        if (what.find("malformed") != std::string::npos)
            throw GameFileError(path + ": the game file is truncated or damaged (database disk image is malformed)");
        throw;
    }
    if (kind != kKind) throw GameFileError(path + ": not a Chokepoint game file (meta kind is '" + kind + "')");
    int v = 0;
    try {
        v = std::stoi(version);
    } catch (...) {
        throw GameFileError(path + ": not a Chokepoint game file (schema_version '" + version + "')");
    }
    if (v > kGameFileSchemaVersion)
        throw GameFileError(path + ": written by a newer Chokepoint (game file schema " + std::to_string(v) +
                            "; this version reads up to " + std::to_string(kGameFileSchemaVersion) + ")");
    f.schema_version_ = v;
    try {
        f.read_header();
    } catch (const GameFileError&) {
        throw;
    } catch (const std::exception& e) {
        throw GameFileError(path + ": the game file is damaged (" + e.what() + ")");
    }
    return f;
}

void GameFile::read_header() {
    Stmt g(db_, "SELECT scenario_path, scenario_text, seed, turn_limit, leverage, parent_file, parent_turn FROM game", path_);
    if (!g.step(db_, path_)) throw GameFileError(path_ + ": the game file has no game row");
    header_.scenario_path = g.col_text(0);
    header_.scenario_text = g.col_text(1);
    // The seed is decimal text 0 .. 2^64 − 1 (stoull would take "-1" as 2^64 − 1 and say only
    // "stoull" for text); the length at least one turn.
    const std::string seed = g.col_text(2);
    const auto [end, ec] = std::from_chars(seed.data(), seed.data() + seed.size(), header_.seed);
    if (seed.empty() || ec != std::errc() || end != seed.data() + seed.size())
        throw GameFileError(path_ + ": the game file is damaged (its seed '" + seed.substr(0, 40) +
                            "' is not a whole number from 0 to 18446744073709551615)");
    header_.turn_limit = static_cast<int>(g.col_int(3));
    if (header_.turn_limit < 1)
        throw GameFileError(path_ + ": the game file is damaged (a game length of " +
                            std::to_string(header_.turn_limit) + " turns)");
    header_.leverage = g.col_text(4);
    header_.parent_file = g.col_text(5);
    header_.parent_turn = sqlite3_column_type(g.s, 6) == SQLITE_NULL ? -1 : static_cast<int>(g.col_int(6));
    Stmt s(db_, "SELECT country, path, text, sha256 FROM scripts WHERE from_turn = 0 ORDER BY country", path_);
    while (s.step(db_, path_)) header_.scripts.push_back({s.col_text(0), s.col_text(1), s.col_text(2), s.col_text(3)});
}

void GameFile::write_transaction(const std::function<void()>& writes) {
    exec("BEGIN IMMEDIATE");
    try {
        upgrade_schema();
        exec(kSentDecisionsTable);
        writes();
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void GameFile::upgrade_schema() {
    if (schema_version_ >= kGameFileSchemaVersion) return;
    if (schema_version_ < 2) exec(kOutputTables);
    // 2 → 3: no table changes; the new journal kinds are written from now on.
    exec("UPDATE meta SET value = '" + std::to_string(kGameFileSchemaVersion) + "' WHERE key = 'schema_version'");
    schema_version_ = kGameFileSchemaVersion;
}

int GameFile::turns_saved() const {
    Stmt q(db_, "SELECT count(*) FROM turns", path_);
    q.step(db_, path_);
    return static_cast<int>(q.col_int(0));
}

void GameFile::append_turn(const TurnEntry& e) {
    if (e.turn != turns_saved()) throw GameFileError(path_ + ": turn " + std::to_string(e.turn) + " out of order");
    write_transaction([&] {
        {
            Stmt t(db_, "INSERT INTO turns VALUES (?, ?, ?, ?)", path_);
            t.integer(1, e.turn), t.text(2, e.date), t.text(3, e.state_hash), t.text(4, e.snapshot.dump());
            t.step(db_, path_);
        }
        {  // the turn is played: what was sent for it is in the journal now
            Stmt sent(db_, "DELETE FROM sent_decisions WHERE turn <= ?", path_);
            sent.integer(1, e.turn);
            sent.step(db_, path_);
        }
        int seq = 0;
        for (const auto& inj : e.injects) {
            Stmt j(db_, "INSERT INTO journal VALUES (?, ?, NULL, 'inject', ?)", path_);
            j.integer(1, e.turn), j.integer(2, seq++), j.text(3, inj.dump());
            j.step(db_, path_);
        }
        if (!e.leverage.is_null()) {
            Stmt l(db_, "INSERT INTO leverage VALUES (?, ?)", path_);
            l.integer(1, e.turn), l.text(2, e.leverage.dump());
            l.step(db_, path_);
        }
        for (const auto& s : e.reloads) {
            Stmt j(db_, "INSERT INTO journal VALUES (?, ?, ?, 'reload', ?)", path_);
            json data = {{"path", s.path}, {"sha256", s.sha256}};
            put_script_text(data, s.text);
            j.integer(1, e.turn), j.integer(2, seq++), j.text(3, s.country), j.text(4, data.dump());
            j.step(db_, path_);
        }
        write_new_modules(e, seq);
        for (const auto& [country, d] : e.decisions) {
            Stmt j(db_, "INSERT INTO journal VALUES (?, ?, ?, 'decisions', ?)", path_);
            j.integer(1, e.turn), j.integer(2, seq++), j.text(3, country), j.text(4, d.dump());
            j.step(db_, path_);
        }
        if (e.queued) {  // the queue as the turn ended: a branch from the next turn starts with it
            Stmt j(db_, "INSERT INTO journal VALUES (?, ?, NULL, 'queue', ?)", path_);
            j.integer(1, e.turn), j.integer(2, seq++), j.text(3, json(*e.queued).dump());
            j.step(db_, path_);
        }
        write_output_rows(e);
        if (e.queued) write_queue(*e.queued);
    });
}

void GameFile::write_new_modules(const TurnEntry& e, int& seq) {
    if (e.modules.empty()) return;
    std::map<std::pair<std::string, std::string>, std::string> journaled;  // (country, name) → sha256 last journaled
    Stmt q(db_,
           "SELECT country, json_extract(data, '$.name'), json_extract(data, '$.sha256') FROM journal "
           "WHERE kind = 'module' ORDER BY turn, seq",
           path_);
    while (q.step(db_, path_)) journaled[{q.col_text(0), q.col_text(1)}] = q.col_text(2);
    Stmt j(db_, "INSERT INTO journal VALUES (?, ?, ?, 'module', ?)", path_);
    for (const ModuleScript& m : e.modules) {
        const auto it = journaled.find({m.country, m.name});
        if (it != journaled.end() && it->second == m.sha256) continue;
        json data = {{"name", m.name}, {"path", m.path}, {"sha256", m.sha256}};
        put_script_text(data, m.text);
        j.integer(1, e.turn), j.integer(2, seq++), j.text(3, m.country), j.text(4, data.dump());
        j.insert(db_, path_);
        journaled[{m.country, m.name}] = m.sha256;
    }
}

void GameFile::write_output_rows(const TurnEntry& e) {
    Stmt scores(db_, "INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)", path_);
    for (const auto& r : e.scores) {
        scores.integer(1, e.turn), scores.text(2, r.country), scores.real(3, r.economy), scores.real(4, r.security);
        scores.real(5, r.influence), scores.real(6, r.total), scores.real(7, r.leverage_index), scores.real(8, r.treasury);
        scores.insert(db_, path_);
    }
    Stmt prices(db_, "INSERT INTO prices VALUES (?, ?, ?, ?)", path_);
    for (const auto& r : e.prices) {
        prices.integer(1, e.turn), prices.text(2, r.country), prices.text(3, r.good), prices.real(4, r.price);
        prices.insert(db_, path_);
    }
    Stmt unmet(db_, "INSERT INTO unmet VALUES (?, ?, ?, ?, ?)", path_);
    for (const auto& r : e.unmet) {
        unmet.integer(1, e.turn), unmet.text(2, r.country), unmet.text(3, r.sector), unmet.real(4, r.demand);
        unmet.real(5, r.met);
        unmet.insert(db_, path_);
    }
    Stmt series(db_, "INSERT INTO timeseries VALUES (?, ?, ?, ?)", path_);
    for (const auto& r : e.timeseries) {
        series.integer(1, e.turn), series.text(2, r.country), series.text(3, r.metric), series.real(4, r.value);
        series.insert(db_, path_);
    }
    Stmt pairs(db_, "INSERT INTO leverage_pairs VALUES (?, ?, ?, ?, ?, ?, ?)", path_);
    for (const auto& r : e.leverage_pairs) {
        pairs.integer(1, e.turn), pairs.text(2, r.from), pairs.text(3, r.to), pairs.text(4, r.good);
        pairs.real(5, r.damage), pairs.real(6, r.exercised), pairs.real(7, r.reserve);
        pairs.insert(db_, path_);
    }
    Stmt events(db_, "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", path_);
    int seq = 0;
    for (const auto& r : e.events) {
        events.integer(1, e.turn), events.integer(2, seq++), events.text(3, r.type);
        r.country.empty() ? events.null(4) : events.text(4, r.country);
        r.target.empty() ? events.null(5) : events.text(5, r.target);
        events.text(6, r.text), events.text(7, r.line);
        events.insert(db_, path_);
    }
    Stmt agreements(db_, "INSERT INTO agreements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", path_);
    for (const auto& a : e.agreements) {
        agreements.integer(1, e.turn), agreements.integer(2, a.id), agreements.text(3, a.proposer);
        agreements.text(4, a.acceptor), agreements.text(5, a.clauses), agreements.text(6, a.start);
        agreements.text(7, a.end), agreements.text(8, a.status);
        a.ended.empty() ? agreements.null(9) : agreements.text(9, a.ended);
        agreements.integer(10, a.breaches);
        a.reason.empty() ? agreements.null(11) : agreements.text(11, a.reason);
        agreements.insert(db_, path_);
    }
}

void GameFile::write_queue(const std::vector<nlohmann::json>& injects) {
    exec("DELETE FROM queued_injects");
    Stmt q(db_, "INSERT INTO queued_injects VALUES (?, ?)", path_);
    int seq = 0;
    for (const auto& inj : injects) {
        q.integer(1, seq++), q.text(2, inj.dump());
        q.insert(db_, path_);
    }
}

void GameFile::set_queued_injects(const std::vector<nlohmann::json>& injects) {
    write_transaction([&] { write_queue(injects); });
}

void GameFile::set_turn_limit(int turns) {
    write_transaction([&] { exec("UPDATE game SET turn_limit = " + std::to_string(turns)); });
    header_.turn_limit = turns;
}

void GameFile::set_sent_decisions(int turn, const std::string& country, const nlohmann::json& decisions) {
    write_transaction([&] {
        Stmt w(db_, "INSERT OR REPLACE INTO sent_decisions VALUES (?, ?, ?)", path_);
        w.integer(1, turn), w.text(2, country), w.text(3, decisions.dump());
        w.step(db_, path_);
    });
}

std::vector<std::pair<std::string, nlohmann::json>> GameFile::sent_decisions(int turn) const {
    std::vector<std::pair<std::string, json>> out;
    {
        Stmt t(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sent_decisions'", path_);
        t.step(db_, path_);
        if (t.col_int(0) == 0) return out;  // never written
    }
    Stmt q(db_, "SELECT country, data FROM sent_decisions WHERE turn = ? ORDER BY country", path_);
    q.integer(1, turn);
    while (q.step(db_, path_)) {
        try {
            out.emplace_back(q.col_text(0), json::parse(q.col_text(1)));
        } catch (const std::exception&) {
            throw GameFileError(path_ + ": the decisions " + q.col_text(0) + " sent for turn " + std::to_string(turn + 1) +
                                " are not valid JSON");
        }
    }
    return out;
}

std::vector<nlohmann::json> GameFile::queued_injects() const {
    std::vector<json> out;
    if (schema_version_ < 2) return out;  // a version 1 file has no queue
    Stmt q(db_, "SELECT seq, data FROM queued_injects ORDER BY seq", path_);
    while (q.step(db_, path_)) {
        try {
            out.push_back(json::parse(q.col_text(1)));
        } catch (const std::exception&) {
            throw GameFileError(path_ + ": queued inject " + std::to_string(q.col_int(0)) + " is not valid JSON");
        }
    }
    return out;
}

void GameFile::copy_to(const std::string& path) const {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) throw GameFileError(path + ": a file is already there (choose another name)");
    Stmt copy(db_, "VACUUM INTO ?", path_);
    copy.text(1, path);
    try {
        copy.step(db_, path_);
    } catch (const GameFileError& e) {
        throw GameFileError(std::string("cannot copy ") + e.what() + " to " + path);
    }
}

void GameFile::truncate_from(int turn) {
    write_transaction([&] {
        for (const char* table : kTurnTables) {
            Stmt d(db_, (std::string("DELETE FROM ") + table + " WHERE turn >= ?").c_str(), path_);
            d.integer(1, turn);
            d.step(db_, path_);
        }
        write_queue({});
    });
}

std::vector<TurnEntry> GameFile::turns(bool with_snapshots) const {
    std::vector<TurnEntry> out;
    Stmt t(db_, with_snapshots ? "SELECT turn, date, state_hash, snapshot FROM turns ORDER BY turn"
                               : "SELECT turn, date, state_hash, '' FROM turns ORDER BY turn",
           path_);
    while (t.step(db_, path_)) {
        TurnEntry e;
        e.turn = static_cast<int>(t.col_int(0));
        e.date = t.col_text(1);
        e.state_hash = t.col_text(2);
        if (with_snapshots) {
            try {
                e.snapshot = json::parse(t.col_text(3));
            } catch (const std::exception&) {
                throw GameFileError(path_ + ": turn " + std::to_string(e.turn) + ": the snapshot is not valid JSON");
            }
        }
        out.push_back(std::move(e));
    }
    Stmt j(db_, "SELECT turn, data, kind, country FROM journal ORDER BY turn, seq", path_);
    while (j.step(db_, path_)) {
        const auto turn = static_cast<size_t>(j.col_int(0));
        if (turn >= out.size()) continue;  // a journal row past the saved turns (not committed with its turn)
        const std::string kind = j.col_text(2);
        json row;
        try {
            row = json::parse(j.col_text(1));
        } catch (const std::exception&) {
            throw GameFileError(path_ + ": turn " + std::to_string(turn) + ": a journal row is not valid JSON");
        }
        // Read the row whole now, so a damaged one is named here (file, turn, kind, why) rather
        // than surfacing mid-replay as a bare JSON-library message (the hostile-inputs review).
        try {
            if (kind == "inject") {
                (void)inject_from_json(row);
            } else if (kind == "decisions") {
                (void)decisions_from_json(row);
                (void)advice_from_json(row);
                (void)talks_from_json(row);
            } else if (kind == "queue") {
                for (const auto& q : row.get<std::vector<json>>()) (void)inject_from_json(q);
            }
        } catch (const std::exception& e) {
            throw GameFileError(path_ + ": turn " + std::to_string(turn) + ": the journal's " + kind +
                                " row is damaged (" + e.what() + ")");
        }
        try {
            if (kind == "inject")
                out[turn].injects.push_back(row);
            else if (kind == "decisions")
                out[turn].decisions.emplace_back(j.col_text(3), row);
            else if (kind == "queue")
                out[turn].queued = row.get<std::vector<json>>();
            else if (kind == "module") {
                const json data = json::parse(j.col_text(1));
                out[turn].modules.push_back({j.col_text(3), data.at("name").get<std::string>(),
                                             data.at("path").get<std::string>(), script_text(data),
                                             data.at("sha256").get<std::string>()});
            }
            else if (kind == "reload") {
                const json data = json::parse(j.col_text(1));
                out[turn].reloads.push_back({j.col_text(3), data.at("path").get<std::string>(),
                                             script_text(data), data.at("sha256").get<std::string>()});
            }
            else
                throw GameFileError(path_ + ": turn " + std::to_string(turn) + ": unknown journal kind '" + kind + "'");
        } catch (const GameFileError&) {
            throw;
        } catch (const std::exception& e) {
            throw GameFileError(path_ + ": turn " + std::to_string(turn) + ": the journal's " + kind +
                                " row is damaged (" + e.what() + ")");
        }
    }
    return out;
}

std::map<int, LeverageReport> GameFile::leverage_reports() const {
    std::map<int, LeverageReport> out;
    Stmt q(db_, "SELECT turn, report FROM leverage ORDER BY turn", path_);
    while (q.step(db_, path_)) {
        try {
            out[static_cast<int>(q.col_int(0))] = leverage_from_json(json::parse(q.col_text(1)));
        } catch (const std::exception& e) {
            throw GameFileError(path_ + ": turn " + std::to_string(q.col_int(0)) + ": the leverage row is damaged (" +
                                e.what() + ")");
        }
    }
    return out;
}

std::map<std::string, double> GameFile::scores_at(int turn) const {
    std::map<std::string, double> out;
    Stmt q(db_, "SELECT country, total FROM scores WHERE turn = ?", path_);
    q.integer(1, turn);
    while (q.step(db_, path_)) out[q.col_text(0)] = sqlite3_column_double(q.s, 1);
    return out;
}

GameHeader make_header(const Game& game, const std::string& scenario_path, const std::string& leverage) {
    GameHeader h;
    const Definitions& d = game.defs();
    h.scenario_path = scenario_path;
    h.scenario_text = read_text_file(scenario_path);
    if (h.scenario_text.empty()) throw GameFileError(scenario_path + ": cannot read the scenario to save it");
    h.seed = d.seed;
    h.turn_limit = game.turn_limit();
    h.leverage = leverage;
    for (CountryId c : d.country_ids()) {
        const auto& cd = d.countries[c];
        if (cd.policy.empty() || cd.policy == "autopilot") continue;
        PolicyScript s;
        s.country = cd.id;
        s.path = cd.policy;
        s.text = read_text_file(cd.policy);
        s.sha256 = sha256_hex(s.text);
        h.scripts.push_back(std::move(s));
    }
    return h;
}

TurnEntry make_turn_entry(const Game& game, SeatJournal* seats) {
    const TurnRecord& r = game.history().back();
    TurnEntry e;
    e.turn = r.turn;
    e.date = r.date;
    e.snapshot = state_snapshot(game.defs(), game.state());
    e.state_hash = state_hash(e.snapshot);
    for (const auto& inj : game.injects())
        if (inj.turn == r.turn) e.injects.push_back(inject_to_json(inj));
    if (game.leverage_due(r.turn)) e.leverage = leverage_to_json(r.leverage);
    const Definitions& d = game.defs();
    for (const GameEvent& ev : r.events)
        if (ev.type == "policy_reloaded" && ev.country != kNoCountry)
            if (const auto script = game.policy(ev.country)->script())
                e.reloads.push_back({d.countries.values().at(ev.country.index()).id, script->path, script->text,
                                     sha256_hex(script->text)});
    for (CountryId c : d.country_ids())
        if (const Policy* p = game.policy(c))
            if (const auto script = p->script())
                for (const auto& m : script->modules)
                    e.modules.push_back({d.countries[c].id, m.name, m.path, m.text, sha256_hex(m.text)});
    if (seats)
        for (auto& [seat, decisions] : seats->take(r.turn))
            e.decisions.emplace_back(d.countries.values().at(seat.index()).id, std::move(decisions));
    for (CountryId c : d.country_ids()) {
        const std::string& id = d.countries[c].id;
        TurnEntry::ScoreRow sr;
        sr.country = id;
        if (c.index() < r.scores.size())
            sr.economy = r.scores[c].economy, sr.security = r.scores[c].security,
            sr.influence = r.scores[c].influence, sr.total = r.scores[c].total;
        sr.leverage_index = c.index() < game.state().leverage_index.size() ? game.state().leverage_index[c] : 0.0;
        sr.treasury = r.countries[c].treasury;
        e.scores.push_back(sr);
        for (GoodId g : d.good_ids())
            if (r.outcome.price.rows > c.value() && r.outcome.price.cols > g.value())
                e.prices.push_back({id, d.goods[g].id, r.outcome.price(c, g)});
        for (SectorId k : d.sector_ids())
            if (r.outcome.demand.rows > c.value() && r.outcome.demand.cols > k.value())
                e.unmet.push_back({id, d.sectors[k].id, r.outcome.demand(c, k), r.outcome.met(c, k)});
    }
    timeseries_rows(d, r, [&](const std::string& country, const std::string& metric, double value) {
        e.timeseries.push_back({country, metric, value});
    });
    leverage_rows(d, r, [&](const LeverageRow& l) {
        e.leverage_pairs.push_back({l.from, l.to, l.good, l.damage, l.exercised, l.reserve});
    });
    for (const GameEvent& ev : r.events)
        e.events.push_back({ev.type, ev.country != kNoCountry ? d.countries.values().at(ev.country.index()).id : "",
                            ev.target != kNoCountry ? d.countries.values().at(ev.target.index()).id : "", ev.text,
                            event_json(d, ev).dump()});
    e.agreements = agreement_rows(d, game.state());
    return e;
}

void save_new_turns(const Game& game, GameFile& file, SeatJournal* seats) {
    const int saved = file.turns_saved();
    const int played = static_cast<int>(game.history().size());
    if (saved == played) return;
    if (saved != played - 1)
        throw GameFileError(file.path() + ": " + std::to_string(played - saved) +
                            " turns to save at once (the snapshot is only known for the last)");
    file.append_turn(make_turn_entry(game, seats));
}

}  // namespace chokepoint
