// Writes a game's output files as one set, all or nothing (docs/outputs.md §How the files are
// written): into a staging folder beside the target, every write and close checked, each file
// and the folder fsync'ed, a manifest.json with sizes and SHA-256 checksums, and the folder
// swapped into place last. A full disk is an error naming the file; a kill at any point leaves
// the target holding the complete earlier set or the complete new one, never a mix.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace chokepoint {

inline constexpr const char* kManifestName = "manifest.json";
inline constexpr const char* kManifestFormat = "chokepoint-output-set/1";
// Hex digits of the run id (a prefix of a SHA-256 over the files' names, sizes and checksums).
inline constexpr std::size_t kRunIdDigits = 16;

struct OutputFile {
    std::string name;                         // a plain file name, no folders
    std::function<void(std::ostream&)> fill;  // writes the content
};

struct ManifestEntry {
    std::string name;
    std::uint64_t bytes = 0;
    std::string sha256;  // 64 lowercase hex digits, as sha256sum prints
};

struct OutputManifest {
    std::string run_id;
    std::vector<ManifestEntry> files;
};

// Test seams: where a file's descriptor comes from (e.g. /dev/full for a full disk), a call after
// each step (a test may _exit() there to simulate a kill), and the atomic exchange switched off to
// exercise the two-rename fallback used where the filesystem has no RENAME_EXCHANGE.
struct OutputSetHooks {
    std::function<int(const std::string& name, const std::filesystem::path& path)> open_file;
    std::function<void(const std::string& step)> after_step;
    bool use_exchange = true;
};

// Writes `files` plus manifest.json as the folder `dir` (replacing an earlier output set there).
// Throws std::runtime_error with a message naming the folder or file, after which `dir` is as it
// was. `dir` may hold only an earlier output set (the files' names, manifest.json, NAME.tmp
// leftovers of older versions) or nothing: any other file there is refused, never deleted.
OutputManifest write_output_set(const std::filesystem::path& dir, const std::vector<OutputFile>& files,
                                const OutputSetHooks& hooks = {});

// Reads `dir`/manifest.json and checks every listed file's size and checksum, and that the folder
// holds nothing else; the first problem found, or nothing when the set is complete and intact.
std::optional<std::string> verify_output_set(const std::filesystem::path& dir, OutputManifest* manifest = nullptr);

}  // namespace chokepoint
