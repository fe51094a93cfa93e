#include "view/assets.hpp"

#include <filesystem>

#include "engine/world/files.hpp"

namespace chokepoint::view {

std::string assets_dir() {
    // The first data folder with the assets (a build tree or an installed copy), else ./assets.
    for (const auto& dir : data_dirs())
        if (std::filesystem::is_directory(std::filesystem::path(dir) / "assets")) return dir + "/assets";
    return "assets";
}

}  // namespace chokepoint::view
