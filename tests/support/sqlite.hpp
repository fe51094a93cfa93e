// Editing a game file by hand in tests (tampering, older schema versions): one SQL script run on it.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace chokepoint::testing {

struct SqlResult {
    std::string error;  // empty when the script ran
    int changes = 0;    // rows changed by its last statement
    bool ok() const { return error.empty(); }
};

// Runs `sql` (one or more statements) on the SQLite file at `path` (created if missing).
inline SqlResult exec_sql(const std::filesystem::path& path, const std::string& sql) {
    SqlResult r;
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        r.error = db ? sqlite3_errmsg(db) : "cannot open " + path.string();
    } else {
        char* message = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) r.error = message ? message : "error";
        sqlite3_free(message);
        r.changes = sqlite3_changes(db);
    }
    sqlite3_close(db);
    return r;
}

}  // namespace chokepoint::testing
