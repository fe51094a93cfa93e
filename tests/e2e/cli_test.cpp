// End-to-end tests of the chokepoint command: exit codes, messages, files.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/e2e/run_command.hpp"
#include "tests/support/files.hpp"

namespace {

namespace fs = std::filesystem;

using Result = chokepoint::testing::RunResult;

Result run(const std::string& args) { return chokepoint::testing::run_chokepoint(args); }

using chokepoint::testing::slurp;

// A number as the output files write it: 6 significant digits.
std::string fmt_g6(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// A timeseries.csv row.
std::string fmt_row(int turn, const std::string& date, const std::string& country, const std::string& metric, double v) {
    return "\n" + std::to_string(turn) + "," + date + "," + country + "," + metric + "," + fmt_g6(v) + "\n";
}

fs::path fresh_dir(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("chokepoint_e2e_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    return dir;
}

TEST(Cli, HelpListsTheSubcommands) {
    Result r = run("--help");
    EXPECT_EQ(r.code, 0);
    for (const char* sub : {"run", "check", "play"}) EXPECT_NE(r.out.find(sub), std::string::npos) << r.out;
    Result rr = run("run --help");
    EXPECT_EQ(rr.code, 0);
    for (const char* opt : {"--turns", "--seed", "--out"}) EXPECT_NE(rr.out.find(opt), std::string::npos) << rr.out;
}

TEST(Cli, UnknownOptionIsAUsageError) {
    Result r = run("run tests/scenarios/trio.yaml --bogus");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.out.find("--bogus"), std::string::npos) << r.out;
}

TEST(Cli, CheckAcceptsAValidScenario) {
    Result r = run("check tests/scenarios/trio.yaml");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("ok"), std::string::npos);
    EXPECT_NE(r.out.find("3 countries"), std::string::npos) << r.out;
}

TEST(Cli, CheckReportsFileLineAndKeyOfAMistake) {
    fs::path dir = fresh_dir("check");
    fs::create_directories(dir);
    std::string text = slurp("tests/scenarios/trio.yaml");
    auto pos = text.find("treasury: 50000");
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, 15, "treasury: lots");
    std::ofstream(dir / "bad.yaml") << text;
    Result r = run("check " + (dir / "bad.yaml").string());
    EXPECT_EQ(r.code, 3);
    EXPECT_NE(r.out.find("bad.yaml:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("countries.east.treasury"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("lots"), std::string::npos) << r.out;
    fs::remove_all(dir);
}

TEST(Cli, MissingScenarioFileIsAClearError) {
    Result r = run("run no/such/scenario.yaml");
    EXPECT_EQ(r.code, 3);
    EXPECT_NE(r.out.find("no/such/scenario.yaml"), std::string::npos) << r.out;
}

TEST(Cli, RunPrintsTurnsAndWritesTheFourFiles) {
    fs::path dir = fresh_dir("run");
    Result r = run("run tests/scenarios/trio.yaml --turns 4 --out " + dir.string());
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("T 1 2030-01"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("T 4 2030-10"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Net leverage"), std::string::npos) << r.out;
    std::string ts = slurp(dir / "timeseries.csv");
    EXPECT_EQ(ts.rfind("turn,date,country,metric,value\n", 0), 0u);
    EXPECT_NE(ts.find("3,2030-10,south,price.magnet,"), std::string::npos);
    std::string lev = slurp(dir / "leverage.csv");
    EXPECT_EQ(lev.rfind("turn,date,from,to,good,damage,exercised,reserve\n", 0), 0u);
    EXPECT_NE(lev.find("0,2030-01,north,south,all,"), std::string::npos);
    std::string ev = slurp(dir / "events.jsonl");
    std::istringstream lines(ev);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        auto j = nlohmann::json::parse(line);
        EXPECT_TRUE(j.contains("turn") && j.contains("type") && j.contains("text"));
        ++n;
    }
    EXPECT_GT(n, 0);
    auto summary = nlohmann::json::parse(slurp(dir / "summary.json"));
    EXPECT_EQ(summary["turns_played"], 4);
    EXPECT_TRUE(summary["countries"].contains("north"));
    EXPECT_TRUE(summary.contains("net_leverage"));
    fs::remove_all(dir);
}

TEST(Cli, SameSeedGivesByteIdenticalFiles) {
    fs::path a = fresh_dir("seed_a"), b = fresh_dir("seed_b"), c = fresh_dir("seed_c");
    ASSERT_EQ(run("run tests/scenarios/minimal.yaml --quiet --seed 5 --out " + a.string()).code, 0);
    ASSERT_EQ(run("run tests/scenarios/minimal.yaml --quiet --seed 5 --out " + b.string()).code, 0);
    ASSERT_EQ(run("run tests/scenarios/minimal.yaml --quiet --seed 6 --out " + c.string()).code, 0);
    for (const char* f : {"timeseries.csv", "leverage.csv", "events.jsonl"}) {
        EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
        EXPECT_FALSE(slurp(a / f).empty()) << f;
    }
    std::string sa = slurp(a / "summary.json"), sb = slurp(b / "summary.json");
    EXPECT_EQ(sa, sb);
    // Another seed draws other shocks and delays (the minimal scenario has random mine outages).
    EXPECT_NE(slurp(a / "events.jsonl"), slurp(c / "events.jsonl"));
    for (auto& d : {a, b, c}) fs::remove_all(d);
}

}  // namespace

namespace {

TEST(Cli, LeverageScheduleAndThreadsOptions) {
    // --leverage 2 measures after turns 2 and 4 and the last (5); any thread count, same files.
    const fs::path a = fresh_dir("lev_a"), b = fresh_dir("lev_b");
    Result ra = run("run tests/scenarios/trio.yaml --turns 5 --quiet --leverage 2 --threads 1 --out " + a.string());
    ASSERT_EQ(ra.code, 0) << ra.out;
    Result rb = run("run tests/scenarios/trio.yaml --turns 5 --quiet --leverage 2 --threads 2 --out " + b.string());
    ASSERT_EQ(rb.code, 0) << rb.out;
    for (const char* f : {"leverage.csv", "timeseries.csv", "summary.json", "events.jsonl"})
        EXPECT_TRUE(slurp(a / f) == slurp(b / f)) << f;
    std::istringstream lines(slurp(a / "leverage.csv"));
    std::string line;
    std::getline(lines, line);  // header
    std::vector<std::string> turns;
    while (std::getline(lines, line)) {
        const std::string t = line.substr(0, line.find(','));
        if (turns.empty() || turns.back() != t) turns.push_back(t);
    }
    EXPECT_EQ(turns, (std::vector<std::string>{"1", "3", "4"}));
    // end: the last turn only; off: no rows.
    const fs::path e = fresh_dir("lev_end");
    ASSERT_EQ(run("run tests/scenarios/trio.yaml --turns 3 --quiet --leverage end --out " + e.string()).code, 0);
    EXPECT_EQ(slurp(e / "leverage.csv").find("\n0,"), std::string::npos);
    EXPECT_NE(slurp(e / "leverage.csv").find("\n2,"), std::string::npos);
    const fs::path o = fresh_dir("lev_off");
    ASSERT_EQ(run("run tests/scenarios/trio.yaml --turns 2 --quiet --leverage off --out " + o.string()).code, 0);
    const std::string off = slurp(o / "leverage.csv");
    EXPECT_EQ(std::count(off.begin(), off.end(), '\n'), 1) << off;
    // Bad values are usage errors that say what is allowed.
    for (const char* bad : {"--leverage 0", "--leverage sometimes", "--threads 0", "--threads many"}) {
        Result r = run(std::string("run tests/scenarios/trio.yaml --turns 1 ") + bad);
        EXPECT_EQ(r.code, 2) << bad;
    }
    Result r = run("run tests/scenarios/trio.yaml --turns 1 --leverage sometimes");
    EXPECT_NE(r.out.find("every, a whole number of turns N >= 1, end or off"), std::string::npos) << r.out;
    for (const fs::path& d : {a, b, e, o}) fs::remove_all(d);
}

TEST(Cli, WindowSizeIsCheckedEvenWithoutADisplay) {
    for (const char* bad : {"639x400", "100000x800", "1280x", "x720", "1280x720x3", "1280 x 720", "-1280x720"}) {
        Result r = run(std::string("play --headless --turns 1 --leverage off --quiet --size '") + bad + "'");
        EXPECT_EQ(r.code, 2) << bad << "\n" << r.out;
        EXPECT_NE(r.out.find("from 640x400 to 16384x16384"), std::string::npos) << r.out;
    }
    EXPECT_EQ(run("play --headless --turns 1 --leverage off --quiet --size 1920x1080").code, 0);
}

TEST(CliPolicyCheck, AWorkingPolicyPassesWithItsCommandsListed) {
    fs::path dir = fresh_dir("policy_ok");
    fs::create_directories(dir / "policies");
    std::ofstream(dir / "policies" / "ok.lua") << "return { on_turn = function(ctx)\n"
                                                  "  ctx:log('cover ' .. ctx:cover('magnet'))\n"
                                                  "  ctx:set_tariff('magnet', 'all', 0.05)\n"
                                                  "end }\n";
    Result r = run("check " + (dir / "policies" / "ok.lua").string() +
                   " --scenario tests/scenarios/trio.yaml --as south --turns 3");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("loads"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("tariff_change"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[south] cover"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("instructions"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("No errors."), std::string::npos) << r.out;
    fs::remove_all(dir);
}

// A policy's text reaches the terminal as text: an escape sequence in a log line is shown as
// \x1b, not obeyed (it could clear the screen or recolour the terminal).
TEST(CliPolicyCheck, APolicysEscapeSequencesAreShownNotObeyed) {
    fs::path dir = fresh_dir("policy_escape");
    fs::create_directories(dir / "policies");
    std::ofstream(dir / "policies" / "esc.lua") << "return { on_turn = function(ctx)\n"
                                                   "  ctx:log('before \\27[2J\\27[31mred after')\n"
                                                   "end }\n";
    Result r = run("check " + (dir / "policies" / "esc.lua").string() +
                   " --scenario tests/scenarios/trio.yaml --as south --turns 1");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("before \\x1b[2J\\x1b[31mred after"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "a raw escape reached the terminal";
    EXPECT_NE(r.out.find("Effects of its commands: none"), std::string::npos) << r.out;
    fs::remove_all(dir);
}

TEST(CliPolicyCheck, ABrokenPolicyFailsNamingFileAndLine) {
    fs::path dir = fresh_dir("policy_bad");
    fs::create_directories(dir / "policies");
    std::ofstream(dir / "policies" / "bad.lua") << "return { on_turn = function(ctx)\n"
                                                   "  ctx:stockpile_buy('magnet', 'lots', 3)\n"
                                                   "end }\n";
    Result r = run("check " + (dir / "policies" / "bad.lua").string() +
                   " --scenario tests/scenarios/trio.yaml --as south --turns 2");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("bad.lua:2:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("stockpile_buy"), std::string::npos) << r.out;
    fs::remove_all(dir);
}

// check counts errors as run's Policies table does (policy_error events) and says so apart when the
// country fell back to the autopilot (it counted the fallback as one more error: "4 error(s)").
TEST(CliPolicyCheck, ThreeStrikesAreThreeErrorsAndAFallback) {
    fs::path dir = fresh_dir("policy_strikes");
    fs::create_directories(dir / "policies");
    std::ofstream(dir / "policies" / "fails.lua") << "return { on_turn = function(ctx)\n"
                                                     "  error('always')\n"
                                                     "end }\n";
    Result r = run("check " + (dir / "policies" / "fails.lua").string() +
                   " --scenario tests/scenarios/trio.yaml --as south --turns 5");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("3 error(s), and it fell back to the autopilot: see above."), std::string::npos) << r.out;
    fs::remove_all(dir);
}

}  // namespace

namespace {

// The default scenario plays on Lua policies: two runs must still match byte for byte,
// summary.json included (it keeps instruction counts, not times or memory peaks).
TEST(Cli, BaselineOnLuaPoliciesIsByteIdenticalAcrossRuns) {
    fs::path a = fresh_dir("lua_a"), b = fresh_dir("lua_b");
    Result ra = run("run config/scenarios/baseline.yaml --turns 4 --quiet --out " + a.string());
    ASSERT_EQ(ra.code, 0) << ra.out;
    ASSERT_EQ(run("run config/scenarios/baseline.yaml --turns 4 --quiet --out " + b.string()).code, 0);
    EXPECT_NE(ra.out.find("china.lua"), std::string::npos) << "the policies table lists the scripts\n" << ra.out;
    // The shipped policies strike deals within the first year: agreements.csv has rows.
    const std::string agreements = slurp(a / "agreements.csv");
    EXPECT_GT(std::count(agreements.begin(), agreements.end(), '\n'), 1) << agreements;
    EXPECT_NE(ra.out.find("Agreements:"), std::string::npos) << ra.out;
    for (const char* f : {"timeseries.csv", "leverage.csv", "events.jsonl", "agreements.csv", "summary.json"}) {
        EXPECT_FALSE(slurp(a / f).empty()) << f;
        EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
    }
    auto summary = nlohmann::json::parse(slurp(a / "summary.json"));
    EXPECT_GT(summary["countries"]["china"]["policy_stats"]["calls"].get<int>(), 0);
    fs::remove_all(a);
    fs::remove_all(b);
}

}  // namespace

namespace {

// Without --as, check finds no country for a new file in a scenario of autopilots and plays the first.
TEST(CliPolicyCheck, WithoutAsAPolicyNoScenarioNamesPlaysTheFirstCountry) {
    fs::path dir = fresh_dir("policy_noas");
    fs::create_directories(dir / "policies");
    std::ofstream(dir / "policies" / "new.lua") << "return { on_turn = function(ctx) ctx:log('I am ' .. ctx.country) end }\n";
    Result r = run("check " + (dir / "policies" / "new.lua").string() + " --scenario tests/scenarios/trio.yaml --turns 1");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("as north"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("I am north"), std::string::npos) << r.out;
    fs::remove_all(dir);
}

}  // namespace

namespace {

// The modder's list (issue 15, items 6 and 12): check shows the policy's proposals, answers and
// agreements and can measure leverage; --as names the valid countries; run --help names every file.
TEST(CliPolicyCheck, ShowsTheDiplomacyItTookPartInAndLeverageWhenAsked) {
    fs::path dir = fresh_dir("policy_diplomacy");
    fs::create_directories(dir / "policies");
    // South proposes a supply contract to north on turn 0; north's autopilot accepts what pays.
    std::ofstream(dir / "policies" / "buyer.lua")
        << "return { on_turn = function(ctx)\n"
           "  if ctx.turn == 0 then\n"
           "    assert(ctx:propose('north', {{type = 'supply', from = 'them', to = 'me', good = 'magnet',\n"
           "                                  tonnes = 100, price = 90}}, {turns = 4}))\n"
           "  end\n"
           "end }\n";
    Result r = run("check " + (dir / "policies" / "buyer.lua").string() +
                   " --scenario tests/scenarios/trio.yaml --as south --turns 3 --leverage end");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("proposal: south proposes to north"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Diplomacy it took part in: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("proposal ×1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("(leverage end)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Leverage at the end: south combined index"), std::string::npos) << r.out;
    fs::remove_all(dir);
}

TEST(CliPolicyCheck, AnUnknownCountryListsTheValidOnes) {
    Result r = run("check scripts/policies/usa.lua --scenario tests/scenarios/trio.yaml --as atlantis");
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("--as atlantis: no such country in tests/scenarios/trio.yaml (countries: north, south, east)"),
              std::string::npos)
        << r.out;
}

TEST(Cli, RunHelpNamesEveryOutputFile) {
    Result r = run("run --help");
    for (const char* f : {"timeseries.csv", "leverage.csv", "events.jsonl", "agreements.csv", "summary.json", "manifest.json"})
        EXPECT_NE(r.out.find(f), std::string::npos) << f << "\n" << r.out;
}

}  // namespace

namespace {

// The modder's list (issue 15, item 11): events.jsonl writes numbers with at most 6 significant
// digits like every other file, and a licence's sentence keeps small tonnages readable.
TEST(Cli, EventNumbersHaveSixSignificantDigitsAndSmallTonnesKeepTheirDecimals) {
    fs::path out = fresh_dir("event_digits");
    Result r = run("run config/scenarios/licensing-shock-usa.yaml --turns 2 --leverage off --quiet --out " + out.string());
    ASSERT_EQ(r.code, 0) << r.out;
    const std::string events = slurp(out / "events.jsonl");
    std::istringstream lines(events);
    int numbers = 0;
    for (std::string line; std::getline(lines, line);) {
        auto j = nlohmann::json::parse(line);
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (!it->is_number_float()) continue;
            ++numbers;
            const double v = it->get<double>();
            EXPECT_EQ(v, std::stod(fmt_g6(v))) << it.key() << " in " << line;
        }
    }
    EXPECT_GT(numbers, 100);
    // Dy/Tb licences are a few tonnes per turn: "approves 4.9 of 5.6", not "approves 5 of 6".
    EXPECT_NE(events.find("china approves 4.9 of 5.6 t/turn of dytb_oxide for usa"), std::string::npos);
    fs::remove_all(out);
}

}  // namespace

namespace {

// The modder's list (issue 15, item 5): an agreement's tariff or regime clause logs the change as
// the commands do, and timeseries.csv has each route's regime, licensed tonnes and tariffs.
TEST(Cli, RouteTermsAreSeriesAndAgreementsLogTheirTariffChanges) {
    fs::path out = fresh_dir("route_terms");
    Result r = run("run config/scenarios/licensing-shock-usa.yaml --turns 3 --leverage off --quiet --out " + out.string());
    ASSERT_EQ(r.code, 0) << r.out;
    const std::string ts = slurp(out / "timeseries.csv");
    EXPECT_NE(ts.find("\n0,2026-01,china,regime.dytb_oxide.usa,1\n"), std::string::npos) << "licensed";
    EXPECT_NE(ts.find("\n1,2026-04,china,regime.dytb_oxide.usa,2\n"), std::string::npos) << "the shock's embargo";
    EXPECT_NE(ts.find("\n0,2026-01,china,licensed.dytb_oxide.usa,4.9\n"), std::string::npos);
    EXPECT_NE(ts.find("\n0,2026-01,usa,tariff.ndfeb_magnet.china,0.45\n"), std::string::npos);
    EXPECT_EQ(ts.find(",regime.ndpr_oxide.usa,"), std::string::npos) << "open routes write no regime rows";
    // The USA cuts its magnet tariff on China under agreement: the change is in the log and the series.
    bool logged = false;
    std::istringstream events(slurp(out / "events.jsonl"));
    for (std::string line; std::getline(events, line);) {
        auto j = nlohmann::json::parse(line);
        if (j["type"] == "tariff_change" && j.contains("agreement") && j["country"] == "usa" && j["origin"] == "china") {
            logged = true;
            const std::string row = fmt_row(j["turn"].get<int>(), j["date"].get<std::string>(), "usa",
                                            "tariff." + j["good"].get<std::string>() + ".china", j["rate"].get<double>());
            EXPECT_NE(ts.find(row), std::string::npos) << row;
        }
    }
    EXPECT_TRUE(logged);
    fs::remove_all(out);
}

}  // namespace
