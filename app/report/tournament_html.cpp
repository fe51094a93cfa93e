#include "app/report/tournament_html.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/report/debrief_html.hpp"
#include "engine/output/csv.hpp"
#include "engine/world/number_text.hpp"

namespace chokepoint::report {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kBoardHeader{"seat",      "entrant",  "games",           "forfeits",      "mean_score",
                                            "ci95_low",  "ci95_high", "diff_vs_shipped", "diff_ci95_low", "diff_ci95_high"};
const std::vector<std::string> kGamesHeader{"seat",  "entrant",   "seed",     "score", "forfeit",
                                            "errors", "raw_score", "leverage", "reason"};

[[noreturn]] void fail(const fs::path& p, int line, const std::string& what) {
    throw DebriefError(p.string() + ":" + std::to_string(line) + ": " + what);
}

double number(const std::string& text, const fs::path& p, int line, const char* column) {
    const auto v = read_number_text(text);
    if (!v) fail(p, line, std::string(column) + ": not a number: '" + text + "'");
    return *v;
}

// The rows of a CSV file with the given header (games.csv written before the reason column was
// added has one column less: its reasons are empty).
std::vector<std::vector<std::string>> read_csv(const fs::path& p, const std::vector<std::string>& header) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw DebriefError(p.string() + ": cannot open (is this a `chokepoint tournament --out` folder?)");
    std::string line;
    std::vector<std::string> first;
    if (std::getline(in, line)) first = csv_split(line);
    const bool without_last = first.size() + 1 == header.size() && std::equal(first.begin(), first.end(), header.begin());
    if (first != header && !without_last) {
        std::string expected;
        for (const auto& h : header) expected += std::string(expected.empty() ? "" : ",") + h;
        fail(p, 1, std::string("header '") + expected + "' expected");
    }
    std::vector<std::vector<std::string>> rows;
    for (int n = 2; std::getline(in, line); ++n) {
        if (line.empty() || line == "\r") continue;
        auto f = csv_split(line);
        if (without_last) f.emplace_back();
        if (f.size() != header.size())
            fail(p, n, std::to_string(header.size()) + " fields expected, found " + std::to_string(f.size()));
        rows.push_back(std::move(f));
    }
    return rows;
}

std::string num(double v, const char* format = "%.4g") {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

// A step of 1, 2 or 5 times a power of ten that cuts `range` into about `parts`.
double nice_step(double range, int parts) {
    const double raw = range / parts;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (raw <= m * power) return m * power;
    return 10.0 * power;
}

// An SVG chart, one row per entrant: the mean score as a dot, its 95 % interval as a bar, and the
// shipped policy's mean as a dashed line through all rows. Pure SVG: it prints without scripts.
std::string interval_chart(const std::vector<const LeaderboardRow*>& rows) {
    constexpr double kLabel = 170, kPlot = 460, kRow = 26, kTop = 24;
    double lo = 0, hi = 0;
    bool first = true;
    for (const auto* r : rows)
        for (double v : {r->low_v, r->high_v, r->mean_v})
            if (std::isfinite(v)) {
                lo = first ? v : std::min(lo, v);
                hi = first ? v : std::max(hi, v);
                first = false;
            }
    if (hi - lo < 1e-9) lo -= 0.05, hi += 0.05;
    const double step = nice_step(hi - lo, 5);
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;
    auto x = [&](double v) { return kLabel + (std::clamp(v, lo, hi) - lo) / (hi - lo) * kPlot; };
    const double height = kTop + kRow * static_cast<double>(rows.size()) + 8;
    std::ostringstream s;
    s << "<svg class='intervals' xmlns='http://www.w3.org/2000/svg' width='" << num(kLabel + kPlot + 20) << "' height='"
      << num(height) << "' role='img' aria-label='mean score with 95 % interval per entrant'>\n";
    for (double t = lo; t <= hi + step / 2; t += step) {
        const double tx = x(t);
        s << "<line x1='" << num(tx, "%.1f") << "' y1='" << num(kTop - 4) << "' x2='" << num(tx, "%.1f") << "' y2='"
          << num(height - 8) << "' stroke='#ddd'/><text x='" << num(tx, "%.1f") << "' y='" << num(kTop - 8)
          << "' font-size='10' text-anchor='middle'>" << num(std::abs(t) < step / 1e6 ? 0.0 : t) << "</text>\n";
    }
    if (!rows.empty() && std::isfinite(rows.front()->mean_v))
        s << "<line class='shipped' x1='" << num(x(rows.front()->mean_v), "%.1f") << "' y1='" << num(kTop - 4) << "' x2='"
          << num(x(rows.front()->mean_v), "%.1f") << "' y2='" << num(height - 8)
          << "' stroke='#555' stroke-dasharray='4 3'/>\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const LeaderboardRow& r = *rows[i];
        const double y = kTop + kRow * (static_cast<double>(i) + 0.5);
        const std::string colour = r.forfeits != "0" ? "#d8453b" : i == 0 ? "#555" : "#3b7dd8";
        s << "<text x='" << num(kLabel - 8) << "' y='" << num(y + 4, "%.1f") << "' font-size='12' text-anchor='end'>"
          << html_escape(r.entrant) << "</text>";
        if (std::isfinite(r.low_v) && std::isfinite(r.high_v))
            s << "<line x1='" << num(x(r.low_v), "%.1f") << "' y1='" << num(y, "%.1f") << "' x2='" << num(x(r.high_v), "%.1f")
              << "' y2='" << num(y, "%.1f") << "' stroke='" << colour << "' stroke-width='2'/>"
              << "<line x1='" << num(x(r.low_v), "%.1f") << "' y1='" << num(y - 5, "%.1f") << "' x2='" << num(x(r.low_v), "%.1f")
              << "' y2='" << num(y + 5, "%.1f") << "' stroke='" << colour << "' stroke-width='2'/>"
              << "<line x1='" << num(x(r.high_v), "%.1f") << "' y1='" << num(y - 5, "%.1f") << "' x2='"
              << num(x(r.high_v), "%.1f") << "' y2='" << num(y + 5, "%.1f") << "' stroke='" << colour << "' stroke-width='2'/>";
        if (std::isfinite(r.mean_v))
            s << "<circle cx='" << num(x(r.mean_v), "%.1f") << "' cy='" << num(y, "%.1f") << "' r='4' fill='" << colour
              << "'><title>" << html_escape(r.entrant) << ": " << html_escape(r.mean) << " [" << html_escape(r.low) << ", "
              << html_escape(r.high) << "]</title></circle>";
        s << "\n";
    }
    s << "</svg>\n";
    return s.str();
}

// What the paired difference says: its interval above 0, below 0, or across it.
std::string verdict(const LeaderboardRow& r) {
    if (!r.has_diff) return "";
    if (r.diff_low_v > 0) return "better than shipped";
    if (r.diff_high_v < 0) return "worse than shipped";
    return "no clear difference";
}

void seat_section(std::ostringstream& h, const std::string& seat, const std::vector<const LeaderboardRow*>& rows) {
    h << "<section class='seat'><h2>Seat: " << html_escape(seat) << "</h2>\n"
      << "<table><tr><th>entrant</th><th>games</th><th>forfeits</th><th>mean score</th><th>95 % interval</th>"
         "<th>vs shipped (paired)</th><th>its 95 % interval</th><th></th></tr>\n";
    for (const auto* r : rows)
        h << "<tr" << (r->forfeits != "0" ? " class='forfeit'" : "") << "><td>" << html_escape(r->entrant) << "</td><td>"
          << html_escape(r->games) << "</td><td>" << html_escape(r->forfeits) << "</td><td>" << html_escape(r->mean)
          << "</td><td>[" << html_escape(r->low) << ", " << html_escape(r->high) << "]</td><td>"
          << (r->has_diff ? html_escape(r->diff) : "–") << "</td><td>"
          << (r->has_diff ? std::string("[") + html_escape(r->diff_low) + ", " + html_escape(r->diff_high) + "]" : "") << "</td><td>"
          << verdict(*r) << "</td></tr>\n";
    h << "</table>\n<p class='meta'>Mean score with its 95 % interval; the dashed line is the shipped policy's mean; "
         "red: an entrant that forfeited games (a forfeit scores 0).</p>\n"
      << interval_chart(rows) << "</section>\n";
}

constexpr const char* kTournamentStyle = R"CSS(
tr.forfeit td{color:#b00} td{white-space:nowrap} td.reason{text-align:left;font-size:90%;white-space:normal}
svg.intervals{display:block;margin:.5em 0 1.5em}
.seat{page-break-inside:avoid;break-inside:avoid}
)CSS";

}  // namespace

bool is_tournament_dir(const std::string& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && fs::is_regular_file(fs::path(dir) / "leaderboard.csv", ec) &&
           fs::is_regular_file(fs::path(dir) / "games.csv", ec);
}

TournamentData read_tournament_dir(const std::string& dir) {
    TournamentData t;
    t.source = dir;
    const fs::path board = fs::path(dir) / "leaderboard.csv", games = fs::path(dir) / "games.csv";
    int n = 1;
    for (auto& f : read_csv(board, kBoardHeader)) {
        ++n;
        LeaderboardRow r{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]};
        r.mean_v = number(r.mean, board, n, "mean_score");
        r.low_v = number(r.low, board, n, "ci95_low");
        r.high_v = number(r.high, board, n, "ci95_high");
        r.has_diff = !r.diff.empty();
        if (r.has_diff) {
            r.diff_v = number(r.diff, board, n, "diff_vs_shipped");
            r.diff_low_v = number(r.diff_low, board, n, "diff_ci95_low");
            r.diff_high_v = number(r.diff_high, board, n, "diff_ci95_high");
        }
        t.board.push_back(std::move(r));
    }
    for (auto& f : read_csv(games, kGamesHeader))
        t.games.push_back(TournamentGameRow{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]});
    std::ifstream header(fs::path(dir) / "tournament.json");
    if (header) {
        const auto j = nlohmann::json::parse(header, nullptr, false);
        if (j.is_object() && j.contains("scenario") && j["scenario"].is_string()) t.scenario = j["scenario"].get<std::string>();
    }
    return t;
}

std::string render_tournament_html(const TournamentData& t) {
    std::ostringstream h;
    h << page_head(std::string("Tournament — ") + (t.scenario.empty() ? t.source : t.scenario), kTournamentStyle);
    h << "<h1>Tournament leaderboard" << (t.scenario.empty() ? std::string() : std::string(": ") + html_escape(t.scenario)) << "</h1>\n"
      << "<p class='meta'>" << html_escape(t.source) << ": " << t.games.size()
      << " games. Each entrant plays each seat on the same seeds as the seat's shipped policy; the score is the "
         "seat's total score at the end; \"vs shipped\" is the mean of the per-seed differences to the shipped "
         "policy — an interval that excludes 0 is a difference that is not luck of the seeds.</p>\n";
    std::vector<std::string> seats;
    for (const auto& r : t.board)
        if (std::find(seats.begin(), seats.end(), r.seat) == seats.end()) seats.push_back(r.seat);
    for (const auto& seat : seats) {
        std::vector<const LeaderboardRow*> rows;
        for (const auto& r : t.board)
            if (r.seat == seat) rows.push_back(&r);
        seat_section(h, seat, rows);
    }
    int forfeits = 0;
    for (const auto& g : t.games) forfeits += g.forfeit == "1";
    h << "<h2>Games</h2>\n<p class='meta'>" << forfeits << " of " << t.games.size()
      << " games forfeited. A forfeit scores 0; its score as played is the raw score.</p>\n"
      << "<table><tr><th>seat</th><th>entrant</th><th>seed</th><th>score</th><th>forfeit</th><th>errors</th>"
         "<th>raw score</th><th>leverage</th><th>reason</th></tr>\n";
    for (const auto& g : t.games)
        h << "<tr" << (g.forfeit == "1" ? " class='forfeit'" : "") << "><td>" << html_escape(g.seat) << "</td><td>"
          << html_escape(g.entrant) << "</td><td>" << html_escape(g.seed) << "</td><td>" << html_escape(g.score)
          << "</td><td>" << (g.forfeit == "1" ? "yes" : "") << "</td><td>" << html_escape(g.errors) << "</td><td>"
          << html_escape(g.raw_score) << "</td><td>" << html_escape(g.leverage) << "</td><td class='reason'>"
          << html_escape(g.reason) << "</td></tr>\n";
    h << "</table>\n</body></html>\n";
    return h.str();
}

}  // namespace chokepoint::report
