// The debrief report: the output-folder reader, the HTML renderer and, end to end, the built
// `chokepoint` binary (run -> report) rendered by headless Chromium.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/report/debrief_data.hpp"
#include "app/report/debrief_html.hpp"
#include "tests/e2e/run_command.hpp"
#include "tests/support/files.hpp"

#ifdef CHOKEPOINT_HAVE_STB
#include <stb/stb_image.h>
#endif

namespace chokepoint::report {
namespace {

namespace fs = std::filesystem;
using chokepoint::testing::run_chokepoint;

fs::path temp_dir(const std::string& name) {
    fs::path p = fs::temp_directory_path() / ("chokepoint_debrief_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

// A real game's output folder: crisis-2010 for a few turns, written by the built binary, which
// also saves the game in game.ckp beside the folder.
const fs::path& game_dir() {
    static const fs::path dir = [] {
        fs::path p = temp_dir("game") / "out";
        auto r = run_chokepoint("run " CHOKEPOINT_SOURCE_DIR "/config/scenarios/crisis-2010.yaml --turns 8 --quiet "
                                "--leverage 2 --threads 1 --out " + p.string() + " --save " +
                                (p.parent_path() / "game.ckp").string(), 300);
        EXPECT_EQ(r.code, 0) << r.out;
        return p;
    }();
    return dir;
}

using chokepoint::testing::slurp;

TEST(DebriefData, ReadsARealRunsOutputs) {
    DebriefData d = read_output_dir(game_dir().string());
    EXPECT_EQ(d.scenario, "Export-quota crisis 2010");
    EXPECT_EQ(d.seed, 2010);
    EXPECT_EQ(d.turns_played, 8);
    ASSERT_EQ(d.dates.size(), 8u);
    EXPECT_EQ(d.dates[0], "2009-01");
    ASSERT_FALSE(d.countries.empty());
    EXPECT_EQ(d.countries[0], "china");
    // Every timeseries row is read back: compare each china price row with the file's text.
    std::ifstream in(game_dir() / "timeseries.csv");
    std::string line;
    int checked = 0;
    while (std::getline(in, line)) {
        const std::string key = ",china,price.ndpr_oxide,";
        auto at = line.find(key);
        if (at == std::string::npos) continue;
        int turn = std::stoi(line.substr(0, line.find(',')));
        EXPECT_DOUBLE_EQ(d.metric("china", "price.ndpr_oxide")[turn], std::stod(line.substr(at + key.size())));
        ++checked;
    }
    EXPECT_EQ(checked, 8);
    // Final scores match the last turn's score.total and lie in 0..1.
    for (const auto& c : d.countries) {
        EXPECT_NEAR(d.final_scores.at(c).total, d.metric(c, "score.total").back(), 1e-5) << c;
        EXPECT_GE(d.final_scores.at(c).total, 0.0);
        EXPECT_LE(d.final_scores.at(c).total, 1.0);
    }
    EXPECT_FALSE(d.events.empty());
    EXPECT_EQ(d.events[0].type, "scripted");
    EXPECT_FALSE(d.suffixes("unmet.").empty());
    EXPECT_EQ(d.metric("nobody", "price.x"), std::vector<double>(8, 0.0));
}

void expect_error(const fs::path& dir, const std::string& needle) {
    try {
        read_output_dir(dir.string());
        ADD_FAILURE() << "no error for " << dir;
    } catch (const DebriefError& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
}

TEST(DebriefData, BadInputsNameTheFileAndLine) {
    expect_error("/nonexistent/chokepoint", "not a folder");
    fs::path dir = temp_dir("bad");
    for (const char* f : {"timeseries.csv", "events.jsonl", "summary.json", "agreements.csv", "leverage.csv"})
        fs::copy_file(game_dir() / f, dir / f);
    fs::remove(dir / "agreements.csv");
    expect_error(dir, "agreements.csv: cannot open");
    fs::copy_file(game_dir() / "agreements.csv", dir / "agreements.csv");
    {
        std::ofstream(dir / "timeseries.csv", std::ios::app) << "3,2009-10,china,price.x,abc\n";
    }
    const std::string text = slurp(dir / "timeseries.csv");
    const auto lines = std::count(text.begin(), text.end(), '\n');
    expect_error(dir, "timeseries.csv:" + std::to_string(lines) + ": not a number: 'abc'");
    std::ofstream(dir / "timeseries.csv") << "turn,date,country,metric,value\n0,2009-01,china\n";
    expect_error(dir, "timeseries.csv:2: 5 fields expected");
    std::ofstream(dir / "timeseries.csv") << "turn,date,country,metric,value\n99,2009-01,china,x,1\n";
    expect_error(dir, "timeseries.csv:2: turn 99 past turns_played");
    fs::copy_file(game_dir() / "timeseries.csv", dir / "timeseries.csv", fs::copy_options::overwrite_existing);
    std::ofstream(dir / "events.jsonl") << "{\"turn\":0,\"type\":\"scripted\"}\n{not json\n";
    expect_error(dir, "events.jsonl:2:");
    std::ofstream(dir / "summary.json") << "{\"scenario\": 1}";
    expect_error(dir, "summary.json:");
    // A batch's folder (runs.csv and runs/): the error says so and names a run to give instead.
    const fs::path batch = temp_dir("batch");
    std::ofstream(batch / "runs.csv") << "run\n";
    fs::create_directories(batch / "runs" / "r0001");
    expect_error(batch, "is a batch's folder; the report is of one or two games: give one of its runs, e.g. " +
                            (batch / "runs" / "r0001").string());
}

TEST(DebriefHtml, EscapesNamesAndHasEveryChartAndNoNetwork) {
    DebriefData d = read_output_dir(game_dir().string());
    // A hostile country name and event text.
    const std::string evil = "<script>alert(1)</script>";
    d.countries.push_back(evil);
    d.final_scores[evil] = {0.1, 0.2, 0.3, 0.99};
    d.events.push_back({1, "2009-04", "scripted", evil, "</script><img src=x onerror=alert(2)>"});
    d.agreements.push_back({"9", evil, "japan", "<b>clause</b>", "2009-04", "", "active", "", "", 1});
    const std::string html = render_debrief_html(d);
    EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
    EXPECT_EQ(html.find("<img src=x"), std::string::npos);
    EXPECT_EQ(html.find("<b>clause"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    // Without team seats (an output folder) the highest total is named, with a word on what totals mean.
    EXPECT_NE(html.find("highest total: <strong>&lt;script&gt;"), std::string::npos);
    EXPECT_NE(html.find("Compare a country across games or seeds"), std::string::npos);
    // With team seats (a game file), the winner is the best team seat, as on the window's results.
    DebriefData teams = d;
    teams.has_decisions = true;
    teams.decisions["japan"] = {};
    teams.final_scores["japan"].total = 0.5;
    const std::string team_html = render_debrief_html(teams);
    EXPECT_NE(team_html.find("winner among the team seats: <strong>japan</strong>"), std::string::npos);
    EXPECT_NE(team_html.find("<td>japan (team)</td>"), std::string::npos);
    EXPECT_EQ(team_html.find("Compare a country across games or seeds"), std::string::npos);
    for (const char* id : kChartIds) EXPECT_NE(html.find(std::string("<canvas id='") + id + "'"), std::string::npos) << id;
    for (size_t i = 0; i < d.countries.size(); ++i)
        EXPECT_NE(html.find("<canvas id='country-chart-" + std::to_string(i) + "'"), std::string::npos);
    EXPECT_EQ(html.find("src=\"http"), std::string::npos);
    EXPECT_EQ(html.find("src='http"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_NE(html.find("@media print"), std::string::npos);
    // Exactly two </script>: Chart.js's element and ours (no text closes one early).
    size_t closes = 0;
    for (size_t at = html.find("</script>"); at != std::string::npos; at = html.find("</script>", at + 1)) ++closes;
    EXPECT_EQ(closes, 2u);
    if (!chartjs_source().empty()) {
        EXPECT_NE(html.find("Chart.js v"), std::string::npos);
    }
}

TEST(DebriefHtml, TwoGamesAreLabelledAAndB) {
    DebriefData a = read_output_dir(game_dir().string());
    DebriefData b = a;
    b.source = "other";
    b.final_scores[b.countries[0]].total = 0.123;
    const std::string html = render_debrief_html(a, &b);
    EXPECT_NE(html.find("A Final scores"), std::string::npos);
    EXPECT_NE(html.find("B Final scores"), std::string::npos);
    EXPECT_NE(html.find("\"B final score\""), std::string::npos);
    EXPECT_NE(html.find("0.123"), std::string::npos);
}

TEST(DebriefE2E, ChromiumDrawsTheCharts) {
    if (std::system("command -v chromium >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "chromium is not installed (the Makefile's test packages install it)";
    fs::path dir = temp_dir("e2e");
    const fs::path html = dir / "debrief.html", png = dir / "shot.png";
    // Game A from the game file (replayed), game B from the output folder.
    auto r = run_chokepoint("report " + (game_dir().parent_path() / "game.ckp").string() + " " + game_dir().string() +
                            " -o " + html.string(), 300);
    ASSERT_EQ(r.code, 0) << r.out;
    auto bad = run_chokepoint("report /nonexistent/x -o " + (dir / "x.html").string(), 60);
    EXPECT_EQ(bad.code, 3) << bad.out;
    const std::string cmd = "cd " + dir.string() + " && timeout 120 chromium --headless --disable-gpu --no-sandbox "
                            "--user-data-dir=" + (dir / "profile").string() + " --screenshot=" + png.string() +
                            " --window-size=1200,2000 file://" + html.string() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    ASSERT_TRUE(fs::exists(png));
#ifdef CHOKEPOINT_HAVE_STB
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 3);
    ASSERT_NE(px, nullptr);
    ASSERT_EQ(w, 1200);
    // The page is black/grey text on white; only drawn charts (lines, bars, legends) are
    // saturated colour. Below the score tables (y >= 500), count saturated pixels per 300-px band:
    // the score bars, leverage, prices and unmet charts each fill one.
    int coloured_bands = 0;
    for (int y0 = 500; y0 + 300 <= h; y0 += 300) {
        int count = 0;
        for (int y = y0; y < y0 + 300; ++y)
            for (int x = 0; x < w; ++x) {
                const unsigned char* p = px + 3 * (y * w + x);
                int mx = std::max({p[0], p[1], p[2]}), mn = std::min({p[0], p[1], p[2]});
                if (mx - mn > 60) ++count;
            }
        if (count > 500) ++coloured_bands;
    }
    stbi_image_free(px);
    EXPECT_GE(coloured_bands, 4);
#else
    EXPECT_GT(fs::file_size(png), 20000u) << "a blank 1200x2000 page compresses far below this";
#endif
}

}  // namespace
}  // namespace chokepoint::report
