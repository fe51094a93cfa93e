// Resumable runs, shared by `chokepoint batch` and `chokepoint tournament`: a folder holds one
// plan; every finished run leaves a record (JSON, written whole or not at all, after the run's
// other outputs) that names the plan it belongs to, so a rerun into the same folder skips the runs
// whose record is there and plays the rest. Also the progress line both commands print.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace chokepoint {

// The whole file; throws std::runtime_error naming it when it cannot be read.
std::string read_text_file(const std::filesystem::path& p);

// Writes a file whole or not at all: to NAME.tmp, flushed, then renamed over NAME. Throws
// std::runtime_error naming the file.
void write_atomically(const std::filesystem::path& p, const std::string& text);

// The JSON in a file; nothing when the file is missing or does not parse.
std::optional<nlohmann::ordered_json> read_json_file(const std::filesystem::path& p);

// The checksum of what a scenario's games depend on of its files: its text (read from `path`) and
// the text of every file it `extends`, each as the loader finds it (extended_files); the plain
// sha256 of the text when it extends none.
std::string scenario_sha256(const std::string& path, const std::string& text);

// The records of finished runs: DIR/ID.json.
class RunRecords {
public:
    explicit RunRecords(std::filesystem::path dir) : dir_(std::move(dir)) {}
    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path path(const std::string& id) const { return dir_ / (id + ".json"); }
    // The record of run `id` when it is there, parses, and `belongs` says it is this plan's.
    std::optional<nlohmann::ordered_json> finished(const std::string& id,
                                                   const std::function<bool(const nlohmann::ordered_json&)>& belongs) const;
    // Writes the record of run `id` (the last thing a run writes: it marks the run finished), with
    // `record_sha256`, the checksum of the rest of it.
    void write(const std::string& id, const nlohmann::ordered_json& record) const;
    // Whether a record read back still has the checksum it was written with (not edited by hand,
    // not damaged; false for a record written before records carried one). finished() reads only
    // intact records; merge refuses any other.
    static bool intact(const nlohmann::ordered_json& record);

private:
    std::filesystem::path dir_;
};

// Progress on standard error: a bar with the time left, redrawn in place on a terminal; a line
// per run otherwise. `noun` names one run ("run", "game"); runs already done count as done.
class Progress {
public:
    Progress(int total, int skipped, bool quiet, std::string noun = "run");
    // A run has ended; `failure` is empty when it succeeded. Thread-safe.
    void finished(const std::string& id, const std::string& failure);

private:
    std::mutex mu_;
    int total_, done_, skipped_;
    bool quiet_, tty_;
    std::string noun_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace chokepoint
