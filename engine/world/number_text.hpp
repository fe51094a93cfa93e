// Reading a number written as text (a YAML scalar, a CSV cell, a rounded figure) the one way the
// game does everywhere: the whole text must be the number, with no leading space; strtod, not
// std::stod, because stod throws on a value out of range such as the denormal 1e-320, which a
// policy or a scenario can produce and the game then writes (hostile-inputs review).
#pragma once

#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>

namespace chokepoint {

// The number the whole of `text` spells (inf and nan included, as strtod reads them), or nothing.
inline std::optional<double> read_number_text(const std::string& text) {
    if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return std::nullopt;
    return v;
}

}  // namespace chokepoint
