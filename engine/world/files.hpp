// Reading the text files a game is made of (scenarios, policies, modules) without hanging or
// exhausting the host: only regular files (a FIFO or a device such as /dev/zero would block or
// never end), and only up to a stated size.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace chokepoint {

inline constexpr std::size_t kMaxScenarioBytes = 16u << 20;  // 16 MiB: the baseline is ~70 KB
inline constexpr std::size_t kMaxPolicyBytes = 4u << 20;     // 4 MiB of Lua source

// The whole file, or nothing with `error` set to a sentence such as "not a regular file (a FIFO)"
// or "larger than 16 MiB" (without the path: callers name the file their own way).
std::optional<std::string> read_text_file(const std::string& path, std::size_t max_bytes, std::string& error);

// Where the game's data (config/, scripts/, assets/) lives, found relative to the running
// executable, never through a path compiled in: $CHOKEPOINT_DATA_DIR if set, then
// <executable's folder>/share/chokepoint (a build tree: CMake links the source folders there),
// then <executable's folder>/../share/chokepoint (an installed copy: bin/ beside share/).
// Existing folders only, in that order.
std::vector<std::string> data_dirs();

// `relative` as given when it exists (relative to the working directory), else the first data
// folder that has it; nothing if none does. Absolute paths are returned as given if they exist.
std::optional<std::string> find_data_file(const std::string& relative);

}  // namespace chokepoint
