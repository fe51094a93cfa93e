// Which TTF files the UI uses, chosen at run time. ImGui has a built-in bitmap
// font, so finding nothing is not an error: the caller falls back to it.
#pragma once

#include <string>

namespace chokepoint::view {

struct UiFontFiles {
    std::string regular;  // empty: use ImGui's built-in font
    std::string bold;     // empty: no bold face (use regular)
};

// Where to look, in order of preference.
struct FontSearch {
    std::string explicit_path;  // e.g. from --font; used only if the file exists
    std::string assets_dir;     // the project's fonts (assets/fonts), used if it holds *.ttf files
    std::string system_dir;     // Debian's fonts-dejavu-core: DejaVuSans.ttf, DejaVuSans-Bold.ttf
};

// The search Chokepoint uses: assets/fonts of the source tree, then DejaVu in
// /usr/share/fonts/truetype/dejavu.
FontSearch default_font_search(std::string explicit_path = {});

// The first of: the explicit file (regular only); the *.ttf files of assets_dir
// (in name order: the first without bold/italic/oblique in its name is regular, the
// first bold non-italic one is bold); DejaVuSans.ttf and DejaVuSans-Bold.ttf in
// system_dir. Only reads the file system; a missing explicit file is skipped,
// so the caller can tell by comparing and say so.
UiFontFiles find_ui_fonts(const FontSearch& search);

}  // namespace chokepoint::view
