// Text for the CSV outputs (timeseries.csv, runs.csv, games.csv, …): one way to write a number and
// one way to quote a field, so that every table reads the same and stays byte-identical across runs.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

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

// The fields of one CSV line as csv_field writes them (double-quoted fields, "" inside quotes is a
// quote; a field with a line break needs a reader that joins lines first).
inline std::vector<std::string> csv_split(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
            else if (c == '"') quoted = false;
            else out.back() += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') out.emplace_back();
        else if (c != '\r') out.back() += c;
    }
    return out;
}

}  // namespace chokepoint
