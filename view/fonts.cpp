#include "view/fonts.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "view/assets.hpp"

namespace chokepoint::view {
namespace {

namespace fs = std::filesystem;

bool is_file(const fs::path& p) {
    std::error_code ec;
    return !p.empty() && fs::is_regular_file(p, ec);
}

std::string lowercase(std::string s) {
    std::ranges::transform(s, s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::vector<fs::path> ttf_files(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) return files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_regular_file(ec) && lowercase(entry.path().extension().string()) == ".ttf")
            files.push_back(entry.path());
    }
    std::ranges::sort(files);  // directory order is arbitrary; the choice must not be
    return files;
}

UiFontFiles pick_from(const std::vector<fs::path>& files) {
    UiFontFiles fonts;
    for (const auto& file : files) {
        const std::string name = lowercase(file.filename().string());
        const bool bold = name.find("bold") != std::string::npos;
        const bool slanted = name.find("italic") != std::string::npos || name.find("oblique") != std::string::npos;
        if (!bold && !slanted && fonts.regular.empty()) fonts.regular = file.string();
        if (bold && !slanted && fonts.bold.empty()) fonts.bold = file.string();
    }
    if (fonts.regular.empty()) fonts.regular = files.front().string();
    return fonts;
}

}  // namespace

FontSearch default_font_search(std::string explicit_path) {
    return {std::move(explicit_path), assets_dir() + "/fonts", "/usr/share/fonts/truetype/dejavu"};
}

UiFontFiles find_ui_fonts(const FontSearch& search) {
    if (is_file(search.explicit_path)) return {search.explicit_path, {}};
    if (const auto files = ttf_files(search.assets_dir); !files.empty()) return pick_from(files);
    if (search.system_dir.empty()) return {};
    const fs::path dir = search.system_dir;
    if (!is_file(dir / "DejaVuSans.ttf")) return {};
    UiFontFiles fonts{(dir / "DejaVuSans.ttf").string(), {}};
    if (is_file(dir / "DejaVuSans-Bold.ttf")) fonts.bold = (dir / "DejaVuSans-Bold.ttf").string();
    return fonts;
}

}  // namespace chokepoint::view
