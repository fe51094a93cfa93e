// Debrief report: one self-contained, printable HTML page (Chart.js inlined, no network) from one
// game, or two side by side (A and B).
#pragma once

#include "app/report/debrief_data.hpp"

#include <string>

namespace chokepoint::report {

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(const std::string& text);

// The start of a report page, up to and including <body>: the title and the reports' style sheet
// (print-friendly), with `style` (more CSS) after it. The debrief and the tournament leaderboard.
std::string page_head(const std::string& title, const std::string& style = "");

// Chart.js's text (generated at build time from libjs-chart.js; empty when it was not installed).
const std::string& chartjs_source();

// The canvas ids every report has (tests check that each is present).
inline constexpr const char* kChartIds[] = {"chart-leverage", "chart-prices", "chart-unmet", "chart-defense",
                                            "chart-cover", "chart-scores"};

// The report for game a, and game b beside it when b is not null.
std::string render_debrief_html(const DebriefData& a, const DebriefData* b = nullptr);

}  // namespace chokepoint::report
