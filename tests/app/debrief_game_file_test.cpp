// The debrief report from a game file (`chokepoint report GAME.ckp`): the same numbers as the
// report on the same game's --out folder, each team's decisions beside its advisor's suggestions,
// a game file and a folder side by side, and the error for a file that is no readable game.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "agents/journal_desk.hpp"
#include "agents/lua/lua_policy.hpp"
#include "app/report/debrief_html.hpp"
#include "engine/output/writers.hpp"
#include "engine/savegame/command_json.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/e2e/run_command.hpp"
#include "tests/support/files.hpp"
#include "tests/support/sqlite.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;
using testing::run_chokepoint;
using testing::slurp;

const char* kScenario = "config/scenarios/baseline.yaml";
constexpr int kTurns = 5;
constexpr CountryId kTeam{1};  // usa

// The USA's team: buys for its stockpile on turn 0, takes its advisor's suggestion as it is on
// turn 1, hands the seat to the advisor on turn 3, otherwise decides nothing; in turn 2's talks
// it offers China a payment. It keeps every suggestion it was shown.
class TeamDesk final : public SeatDesk {
public:
    bool is_human(CountryId seat) const override { return seat == kTeam; }
    std::optional<std::vector<Command>> await(const SeatRequest& r) override {
        advice_shown.insert(advice_shown.end(), r.advice_text.begin(), r.advice_text.end());
        if (r.turn == 3) return std::nullopt;
        if (r.turn == 1) return r.advice;
        if (r.turn == 0) return std::vector<Command>{StockpileBuy{GoodId{0}, 150.0, 1e9}};
        return std::vector<Command>{};
    }
    std::optional<TalkAnswer> talk(const TalkRequest& r) override {
        if (r.turn != 2) return std::nullopt;
        Clause pay;
        pay.kind = ClauseKind::Payment, pay.from = kTeam, pay.to = CountryId{0}, pay.usd = 1e6;
        return TalkAnswer{{Propose{{CountryId{0}}, {pay}, 4, "from the talks"}}, true};
    }
    std::vector<std::string> advice_shown;
};

// Plays the game with TeamDesk at the USA's seat into `file` (leverage measured at the end: the
// report takes it from the file) and writes its outputs to `out` as `run --out` would. Returns
// the advice the team was shown.
std::vector<std::string> play_saved_game(const fs::path& file, const fs::path& out) {
    GameOptions o;
    parse_leverage_schedule("end", o);
    Game g(with_overrides(load_scenario(kScenario), {kTurns, std::nullopt}), o);
    TeamDesk team;
    SeatJournal journal;
    JournalDesk desk(g, {}, &team, &journal);
    install_journal_seats(g, desk, [&g](CountryId c) {
        LuaPolicyOptions lua;
        lua.hot_reload = false;
        return scenario_policy(g.defs(), c, lua);
    });
    GameFile f = GameFile::create(file.string(), make_header(g, kScenario, "end"));
    while (!g.finished()) {
        g.step();
        save_new_turns(g, f, &journal);
    }
    write_outputs(g, out);
    return team.advice_shown;
}

// The part of the page from `from` up to `to` (empty when one is missing).
std::string between(const std::string& html, const std::string& from, const std::string& to) {
    const auto a = html.find(from);
    const auto b = a == std::string::npos ? a : html.find(to, a);
    if (b == std::string::npos) return {};
    return html.substr(a, b - a);
}

// The score table's numbers, without the team seats' marks (only a game file knows the seats).
std::string score_rows(const std::string& html) {
    std::string rows = between(between(html, "<h2>Results</h2>", "<h2>Team decisions</h2>"), "<table>", "</table>");
    for (auto at = rows.find(" (team)"); at != std::string::npos; at = rows.find(" (team)")) rows.erase(at, 7);
    return rows;
}

void expect_same_numbers(const std::string& a, const std::string& b) {
    const std::string data = between(a, "var DATA=", "</script>");
    ASSERT_FALSE(data.empty());
    EXPECT_EQ(data, between(b, "var DATA=", "</script>"));
    const std::string results = score_rows(a);
    ASSERT_FALSE(results.empty());
    EXPECT_EQ(results, score_rows(b));
}

void expect_team_section(const std::string& html, const std::vector<std::string>& advice_shown) {
    const std::string team = between(html, "<h2>Team decisions</h2>", "<section class='country'>");
    EXPECT_NE(team.find("usa: played by a team"), std::string::npos) << team;
    EXPECT_NE(team.find("4 turn(s) decided by the team (1 exactly as the advisor suggested), 1 handed to the advisor"),
              std::string::npos) << team;
    EXPECT_NE(team.find("stockpile: buy 150 t of"), std::string::npos) << team;
    EXPECT_NE(team.find("handed to the advisor (it played its suggestion)"), std::string::npos) << team;
    EXPECT_NE(team.find("(as suggested)"), std::string::npos) << team;
    EXPECT_NE(team.find("<em>in the talks:</em><br>round 1: propose to China (4 turns)"), std::string::npos) << team;
    for (const auto& line : advice_shown) EXPECT_NE(team.find(report::html_escape(line)), std::string::npos) << line;
    EXPECT_EQ(team.find("china: played by a team"), std::string::npos) << "only the team-played country";
}

TEST(DebriefGameFile, SameNumbersAsItsOutputFolderWithTheTeamsDecisionsBesideTheAdvice) {
    testing::ScratchDir dir("debrief_ckp");
    const fs::path file = dir.path() / "class.ckp", out = dir.path() / "out";
    const auto advice_shown = play_saved_game(file, out);
    ASSERT_FALSE(advice_shown.empty()) << "the USA's advisor suggested nothing: the test would show nothing";

    const fs::path from_file = dir.path() / "file.html", from_folder = dir.path() / "folder.html";
    auto r = run_chokepoint("report " + file.string() + " -o " + from_file.string(), 300);
    ASSERT_EQ(r.code, 0) << r.out;
    r = run_chokepoint("report " + out.string() + " -o " + from_folder.string(), 60);
    ASSERT_EQ(r.code, 0) << r.out;
    const std::string a = slurp(from_file), b = slurp(from_folder);
    expect_same_numbers(a, b);
    // The game file knows the team seats: the winner is the best of them, as on the window.
    EXPECT_NE(a.find("winner among the team seats: <strong>usa</strong>"), std::string::npos);
    EXPECT_NE(a.find("<td>usa (team)</td>"), std::string::npos);
    EXPECT_NE(b.find("highest total: <strong>"), std::string::npos);
    EXPECT_NE(a.find(report::html_escape(file.string()) + ": seed"), std::string::npos) << "the source line";
    expect_team_section(a, advice_shown);
    // A folder cannot tell who decided what; the page says so.
    EXPECT_NE(b.find("not in output folders"), std::string::npos);
    EXPECT_EQ(b.find("played by a team"), std::string::npos);

    // A file from before the advice was journaled (decisions rows without "advice"), beside the folder.
    const fs::path old = dir.path() / "old.ckp", mixed = dir.path() / "mixed.html";
    fs::copy_file(file, old);
    ASSERT_EQ(chokepoint::testing::exec_sql(
                  old, "UPDATE journal SET data = json_remove(data, '$.advice') WHERE kind = 'decisions'")
                  .error,
              "");
    r = run_chokepoint("report " + old.string() + " " + out.string() + " -o " + mixed.string(), 300);
    ASSERT_EQ(r.code, 0) << r.out;
    const std::string page = slurp(mixed);
    EXPECT_NE(page.find("Game A " + report::html_escape(old.string()) + ": seed"), std::string::npos);
    EXPECT_NE(page.find("Game B " + report::html_escape(out.string()) + ": seed"), std::string::npos);
    EXPECT_NE(page.find("A usa: played by a team"), std::string::npos);
    EXPECT_NE(page.find("stockpile: buy 150 t of"), std::string::npos);
    EXPECT_NE(page.find("not recorded (a game file from an earlier version)"), std::string::npos);
    EXPECT_EQ(page.find("(as suggested)"), std::string::npos) << "nothing to compare with";
    EXPECT_NE(page.find("B " + report::html_escape(out.string()) + ": an output folder, without the teams' decisions"),
              std::string::npos);

    // A file whose replay is not the saved game (a tampered hash): no page of another game.
    const fs::path tampered = dir.path() / "tampered.ckp";
    fs::copy_file(file, tampered);
    ASSERT_EQ(chokepoint::testing::exec_sql(tampered,
                                            "UPDATE turns SET state_hash = 'x' || substr(state_hash, 2) WHERE turn = 2")
                  .error,
              "");
    r = run_chokepoint("report " + tampered.string() + " -o " + (dir.path() / "tampered.html").string(), 300);
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find(tampered.string() + ": the replay differs from the saved game at turn 2"), std::string::npos)
        << r.out;
    EXPECT_FALSE(fs::exists(dir.path() / "tampered.html"));
}

// A game file's header alone (no turn played): a real game file, cheap to make.
GameHeader header_only() {
    GameHeader h;
    h.scenario_path = "x.yaml";
    h.scenario_text = std::string(200000, '#');  // many pages, so that half the file is a truncated database
    h.seed = 1, h.turn_limit = 4;
    return h;
}

TEST(DebriefGameFile, AFileThatIsNoReadableGameGivesOneLineAndExitCodeThree) {
    testing::ScratchDir dir("debrief_ckp_bad");
    const fs::path notes = dir.path() / "notes.ckp", empty = dir.path() / "empty.ckp", newer = dir.path() / "newer.ckp",
                   cut = dir.path() / "cut.ckp";
    std::ofstream(notes) << "not a game\n";
    GameFile::create(empty.string(), header_only());
    GameFile::create(newer.string(), header_only());
    ASSERT_EQ(chokepoint::testing::exec_sql(newer, "UPDATE meta SET value = '99' WHERE key = 'schema_version'").error, "");
    {
        const std::string bytes = slurp(empty);
        std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    }
    const fs::path html = dir.path() / "bad.html";
    const std::pair<fs::path, std::string> cases[] = {
        {notes, ": not a Chokepoint game file"},
        {newer, ": written by a newer Chokepoint (game file schema 99"},
        {cut, ": the game file is truncated or damaged"},
        {empty, ": no turn saved yet (nothing to report)"},
        {dir.path() / "missing.ckp", ": no such game file or `run --out` folder"}};
    for (const auto& [file, message] : cases) {
        const auto r = run_chokepoint("report " + file.string() + " -o " + html.string(), 60);
        EXPECT_EQ(r.code, 3) << r.out;
        EXPECT_EQ(r.out.rfind("chokepoint report: " + file.string() + message, 0), 0u) << r.out;
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    }
    EXPECT_FALSE(fs::exists(html));
}

}  // namespace
}  // namespace chokepoint
