// Text for the CSV outputs (timeseries.csv, runs.csv, games.csv, …): one way to write a number and
// one way to quote a field, so that every table reads the same and stays byte-identical across runs.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace chokepoint {

// Shortest text that round-trips 6 significant digits; "inf", "-inf", "nan" for the rest
// (docs/outputs.md, Numbers).
inline std::string csv_num(double v) {
    if (!std::isfinite(v)) return v > 0 ? "inf" : (v < 0 ? "-inf" : "nan");
    if (v == 0) return "0";
    return fmt::format("{:.6g}", v);
}

// A field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
inline std::string csv_field(const std::string& v) {
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string q = "\"";
    for (char ch : v) {
        if (ch == '"') q += '"';
        q += ch;
    }
    q += '"';
    return q;
}

}  // namespace chokepoint
