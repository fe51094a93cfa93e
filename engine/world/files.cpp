#include "engine/world/files.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chokepoint {

namespace {

const char* kind_of(std::filesystem::file_type t) {
    switch (t) {
        case std::filesystem::file_type::directory: return "a directory";
        case std::filesystem::file_type::fifo: return "a FIFO";
        case std::filesystem::file_type::character: return "a character device";
        case std::filesystem::file_type::block: return "a block device";
        case std::filesystem::file_type::socket: return "a socket";
        default: return "not a regular file";
    }
}

std::string size_text(std::size_t bytes) {
    return bytes % (1u << 20) == 0 ? fmt::format("{} MiB", bytes >> 20) : fmt::format("{} bytes", bytes);
}

}  // namespace

std::optional<std::string> read_text_file(const std::string& path, std::size_t max_bytes, std::string& error) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
        error = fmt::format("cannot read it: {}", ec ? ec.message() : std::strerror(ENOENT));
        return std::nullopt;
    }
    if (!fs::is_regular_file(st)) {
        error = fmt::format("cannot read it: it is {}", kind_of(st.type()));
        return std::nullopt;
    }
    const auto size = fs::file_size(path, ec);
    if (!ec && size > max_bytes) {
        error = fmt::format("cannot read it: it is larger than {} ({} bytes)", size_text(max_bytes), size);
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = fmt::format("cannot read it: {}", std::strerror(errno));
        return std::nullopt;
    }
    // In chunks, stopping one chunk past the limit (the file may have grown since it was measured).
    std::string text;
    char chunk[65536];
    while (in && text.size() <= max_bytes) {
        in.read(chunk, sizeof chunk);
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        error = "cannot read it: read error";
        return std::nullopt;
    }
    if (text.size() > max_bytes) {
        error = fmt::format("cannot read it: it is larger than {}", size_text(max_bytes));
        return std::nullopt;
    }
    return text;
}

std::vector<std::string> data_dirs() {
    namespace fs = std::filesystem;
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("CHOKEPOINT_DATA_DIR"); env && *env) candidates.emplace_back(env);
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && exe.has_parent_path()) {
        candidates.push_back(exe.parent_path() / "share" / "chokepoint");
        candidates.push_back(exe.parent_path().parent_path() / "share" / "chokepoint");
    }
    std::vector<std::string> dirs;
    for (const auto& c : candidates)
        if (fs::is_directory(c, ec)) dirs.push_back(c.lexically_normal().string());
    return dirs;
}

std::optional<std::string> find_data_file(const std::string& relative) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(relative, ec)) return relative;
    if (fs::path(relative).is_absolute()) return std::nullopt;
    for (const auto& dir : data_dirs()) {
        const fs::path p = fs::path(dir) / relative;
        if (fs::exists(p, ec)) return p.string();
    }
    return std::nullopt;
}

}  // namespace chokepoint
