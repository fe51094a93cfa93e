#include "view/shell/game_files.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace chokepoint::view {

namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

// `stem`.ckp, else `stem`-2.ckp, -3, ... in `folder`: the first that is not there.
std::string free_path(const fs::path& folder, const std::string& stem) {
    std::error_code ec;
    for (int n = 1;; ++n) {
        const fs::path p = folder / (n == 1 ? stem + ".ckp" : fmt::format("{}-{}.ckp", stem, n));
        if (!fs::exists(p, ec)) return p.string();
    }
}

}  // namespace

std::string games_folder() {
    fs::path folder;
    if (const std::string own = env("CHOKEPOINT_GAMES"); !own.empty())
        folder = own;
    else if (const std::string xdg = env("XDG_DATA_HOME"); !xdg.empty())
        folder = fs::path(xdg) / "chokepoint" / "games";
    else if (const std::string home = env("HOME"); !home.empty())
        folder = fs::path(home) / ".local" / "share" / "chokepoint" / "games";
    else
        folder = "games";
    std::error_code ec;
    fs::create_directories(folder, ec);
    return fs::is_directory(folder, ec) ? folder.string() : std::string();
}

std::string new_game_path(const std::string& folder, const std::string& scenario, const std::string& stamp) {
    std::string stem = fs::path(scenario).stem().string();
    if (stem.empty()) stem = "game";
    return free_path(folder, stem + "-" + stamp);
}

std::string time_stamp() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d-%H%M", &local);
    return text;
}

std::string branch_path(const std::string& game_file, int turn) {
    const fs::path p(game_file);
    return free_path(p.parent_path(), fmt::format("{}-branch-t{}", p.stem().string(), turn));
}

}  // namespace chokepoint::view
