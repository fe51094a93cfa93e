// The event log's and the script console's data: categories from the event
// types of docs/outputs.md, filters that include and exclude exactly, newest
// first, a team view that hides others' paperwork and scripts, and Lua errors
// that carry the failing file:line.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include "agents/lua/lua_policy.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"
#include "view/model/event_model.hpp"

namespace chokepoint::view {
namespace {

namespace fs = std::filesystem;

using testing::snapshot_of;

int count_events(const Snapshot& s, const std::function<bool(const GameEvent&)>& keep) {
    int n = 0;
    for (const auto& r : s.history)
        for (const auto& e : r->events) n += keep(e) ? 1 : 0;
    return n;
}

TEST(EventCategories, FollowTheEventTypesOfTheOutputsDoc) {
    for (const char* t : {"proposal", "counter_proposal", "proposal_rejected", "proposal_expired", "agreement",
                          "agreement_withdrawal", "agreement_breach", "agreement_ended", "end_use_violation",
                          "loan_returned"})
        EXPECT_EQ(category_of(t), EventCategory::Diplomacy) << t;
    for (const char* t : {"license_application", "license_decision", "license_expired", "license_revoked"})
        EXPECT_EQ(category_of(t), EventCategory::Licensing) << t;
    for (const char* t : {"shortage", "shock", "stockpile_order", "investment", "project_delayed", "project_online"})
        EXPECT_EQ(category_of(t), EventCategory::Markets) << t;
    for (const char* t : {"policy_log", "policy_error", "policy_fallback", "policy_reloaded", "command_refused"})
        EXPECT_EQ(category_of(t), EventCategory::Policy) << t;
    EXPECT_EQ(category_of("scripted"), EventCategory::Scripted);
    for (const char* t : {"regime_change", "export_duty", "tariff_change", "quota_change", "subsidy", "price_floor",
                          "something_new"})
        EXPECT_EQ(category_of(t), EventCategory::Measures) << t;
}

TEST(EventText, SearchIgnoresCase) {
    EXPECT_TRUE(contains_text("China denies usa's application", "CHINA DEN"));
    EXPECT_TRUE(contains_text("anything", ""));
    EXPECT_FALSE(contains_text("China", "chinas"));
}

// Eight baseline turns under the shipped Lua policies: thousands of events of every kind.
class BaselineLog : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto g = std::make_unique<Game>(load_scenario("config/scenarios/baseline.yaml"), GameOptions{false});
        install_lua_policies(*g);
        for (int i = 0; i < 8; ++i) g->step();
        snap_ = new Snapshot(snapshot_of(*g));
    }
    static void TearDownTestSuite() {
        delete snap_;
        snap_ = nullptr;
    }
    static const Snapshot& snap() { return *snap_; }
    static CountryId country(const char* id) { return snap().defs->country_id(id); }
    static inline Snapshot* snap_ = nullptr;
};

TEST_F(BaselineLog, NoFilterShowsEveryEventNewestFirst) {
    const EventLog log = filter_events(snap(), EventFilter{}, std::nullopt);
    const int all = count_events(snap(), [](const GameEvent&) { return true; });
    EXPECT_EQ(log.total, all);
    EXPECT_EQ(static_cast<int>(log.rows.size()), all);
    ASSERT_FALSE(log.rows.empty());
    for (size_t i = 1; i < log.rows.size(); ++i) ASSERT_GE(log.rows[i - 1].event->turn, log.rows[i].event->turn);
    EXPECT_EQ(log.rows.front().record, snap().history.back().get());
    // Within the newest turn, the last event logged comes first.
    EXPECT_EQ(log.rows.front().event, &snap().history.back()->events.back());
    int by_category = 0;
    for (int n : log.by_category) by_category += n;
    EXPECT_EQ(by_category, all);
}

TEST_F(BaselineLog, TextFilterIsCaseInsensitiveOverTheSentenceAndType) {
    EventFilter f;
    std::snprintf(f.text, sizeof f.text, "CHINA");
    const EventLog log = filter_events(snap(), f, std::nullopt);
    const int expected = count_events(snap(), [](const GameEvent& e) {
        return contains_text(e.text, "china") || contains_text(e.type, "china");
    });
    ASSERT_GT(expected, 0);
    EXPECT_EQ(static_cast<int>(log.rows.size()), expected);
    std::snprintf(f.text, sizeof f.text, "license_DECISION");
    const EventLog decisions = filter_events(snap(), f, std::nullopt);
    EXPECT_EQ(static_cast<int>(decisions.rows.size()),
              count_events(snap(), [](const GameEvent& e) { return e.type == "license_decision"; }));
}

TEST_F(BaselineLog, CountryFilterKeepsEventsWhereItActsOrIsTheOtherParty) {
    EventFilter f;
    f.country = country("usa");
    ASSERT_TRUE(snap().defs->has_country(*f.country));
    const EventLog log = filter_events(snap(), f, std::nullopt);
    ASSERT_FALSE(log.rows.empty());
    for (const auto& r : log.rows) EXPECT_TRUE(r.event->country == *f.country || r.event->target == *f.country);
    EXPECT_EQ(static_cast<int>(log.rows.size()), count_events(snap(), [&](const GameEvent& e) {
                  return e.country == *f.country || e.target == *f.country;
              }));
}

TEST_F(BaselineLog, CategorySwitchesRemoveExactlyTheirEvents) {
    const int all = filter_events(snap(), EventFilter{}, std::nullopt).total;
    const int diplomacy =
        count_events(snap(), [](const GameEvent& e) { return category_of(e.type) == EventCategory::Diplomacy; });
    const int licensing =
        count_events(snap(), [](const GameEvent& e) { return category_of(e.type) == EventCategory::Licensing; });
    ASSERT_GT(diplomacy, 0);
    ASSERT_GT(licensing, 0);
    EventFilter f;
    f.diplomacy = false;
    EventLog log = filter_events(snap(), f, std::nullopt);
    EXPECT_EQ(static_cast<int>(log.rows.size()), all - diplomacy);
    for (const auto& r : log.rows) EXPECT_NE(r.category, EventCategory::Diplomacy);
    EXPECT_EQ(log.total, all) << "the total counts before the filter";
    f.licensing = false;
    log = filter_events(snap(), f, std::nullopt);
    EXPECT_EQ(static_cast<int>(log.rows.size()), all - diplomacy - licensing);
    // Only diplomacy.
    EventFilter only;
    only.licensing = only.markets = only.policy = only.scripted = only.other = false;
    EXPECT_EQ(static_cast<int>(filter_events(snap(), only, std::nullopt).rows.size()), diplomacy);
}

TEST_F(BaselineLog, LastTurnsKeepsOnlyTheMostRecentTurns) {
    EventFilter f;
    f.last_turns = 2;
    const EventLog log = filter_events(snap(), f, std::nullopt);
    const int last = snap().history.back()->turn;
    for (const auto& r : log.rows) EXPECT_GE(r.event->turn, last - 1);
    EXPECT_EQ(static_cast<int>(log.rows.size()),
              count_events(snap(), [&](const GameEvent& e) { return e.turn >= last - 1; }));
}

TEST_F(BaselineLog, TeamViewHidesOthersProposalsPaperworkAndScriptsButNotPublicEvents) {
    const CountryId team = country("usa");
    const EventLog log = filter_events(snap(), EventFilter{}, team);
    int public_deals = 0;
    for (const auto& r : log.rows) {
        const GameEvent& e = *r.event;
        const bool party = e.country == team || e.target == team;
        if (e.type == "proposal" || e.type == "counter_proposal" || e.type == "proposal_rejected" ||
            e.type.rfind("license_", 0) == 0) {
            EXPECT_TRUE(party) << e.text;
        }
        if (r.category == EventCategory::Policy || e.type == "stockpile_order") {
            EXPECT_EQ(e.country, team) << e.text;
        }
        if (e.type == "agreement" && !party) ++public_deals;
    }
    const int others_agreements = count_events(snap(), [&](const GameEvent& e) {
        return e.type == "agreement" && e.country != team && e.target != team;
    });
    EXPECT_EQ(public_deals, others_agreements) << "agreements are public";
    const int hidden = count_events(snap(), [&](const GameEvent& e) { return !event_visible(e, team); });
    EXPECT_GT(hidden, 0);
    EXPECT_EQ(log.total + hidden, filter_events(snap(), EventFilter{}, std::nullopt).total);
}

// ---- The script console ----------------------------------------------------------------------

TEST(LuaLocation, FindsTheFileNameAndLineInAMessage) {
    EXPECT_EQ(lua_location("error in policy 'usa.lua' in on_turn(): /tmp/x/policies/usa.lua:12: boom"), "usa.lua:12");
    EXPECT_EQ(lua_location("...al/scripts/policies/my-policy.lua:7: attempt to call"), "my-policy.lua:7");
    EXPECT_EQ(lua_location("error in policy 'usa.lua' at load: cannot open usa.lua"), std::nullopt);
    EXPECT_EQ(lua_location("no file here: 12"), std::nullopt);
}

// A policy file in a fresh temporary folder.
class PolicyFile {
public:
    PolicyFile(const std::string& name, const std::string& text) {
        dir_ = fs::temp_directory_path() / ("chokepoint_view_console_" + std::to_string(::getpid()));
        fs::create_directories(dir_ / "policies");
        path_ = (dir_ / "policies" / name).string();
        std::ofstream(path_, std::ios::binary) << text;
    }
    ~PolicyFile() { fs::remove_all(dir_); }
    const std::string& path() const { return path_; }

private:
    fs::path dir_;
    std::string path_;
};

// North logs every turn and fails from turn 1 on at line 6; after three failures the autopilot
// takes over. East's policy only logs.
struct ConsoleGame {
    PolicyFile north_file{"broken.lua",
                          "return {\n"
                          "  on_turn = function(ctx)\n"
                          "    ctx:log('hello from north')\n"
                          "    if ctx.turn >= 1 then\n"
                          "      local x = nil\n"
                          "      return x.field\n"
                          "    end\n"
                          "  end\n"
                          "}\n"};
    PolicyFile east_file{"chatty.lua", "return { on_turn = function(ctx) ctx:log('east thinks') end }\n"};
    Game game{testing::trio(), GameOptions{false}};
    CountryId north = game.defs().country_id("north"), east = game.defs().country_id("east");
    ConsoleGame() {
        LuaPolicyOptions o;
        o.limits.instructions_per_call = 2'000'000;
        o.limits.seconds_per_call = 0.5;
        game.set_policy(north, std::make_unique<LuaPolicy>(game.defs(), north, north_file.path(), o));
        game.set_policy(east, std::make_unique<LuaPolicy>(game.defs(), east, east_file.path(), o));
        for (int i = 0; i < 5; ++i) game.step();
    }
};

TEST(ConsoleModel, ALuaErrorLeadsWithFileAndLineAndKeepsItsTraceback) {
    ConsoleGame g;
    const auto entries = console_entries(snapshot_of(g.game), ConsoleFilter{}, std::nullopt);
    auto error = std::find_if(entries.begin(), entries.end(),
                              [](const ConsoleEntry& e) { return e.kind == ConsoleKind::Error; });
    ASSERT_NE(error, entries.end());
    EXPECT_EQ(error->country, g.north);
    EXPECT_EQ(error->location, "broken.lua:6");
    EXPECT_EQ(error->where, "in on_turn()");
    EXPECT_NE(error->message.find("attempt to index"), std::string::npos) << error->message;
    EXPECT_EQ(error->message.find("broken.lua"), std::string::npos)
        << "the location is shown apart: " << error->message;
    EXPECT_NE(error->detail.find("traceback"), std::string::npos) << error->detail;
    EXPECT_EQ(error->headline.find('\n'), std::string::npos);
    EXPECT_NE(error->policy.find("broken.lua"), std::string::npos);

    const int errors = static_cast<int>(std::count_if(
        entries.begin(), entries.end(), [](const ConsoleEntry& e) { return e.kind == ConsoleKind::Error; }));
    EXPECT_EQ(errors, 3) << "three failures, then the autopilot";
    EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                            [](const ConsoleEntry& e) { return e.kind == ConsoleKind::Fallback; }),
              1);
    for (size_t i = 1; i < entries.size(); ++i) EXPECT_GE(entries[i - 1].turn, entries[i].turn) << "newest first";
}

TEST(ConsoleModel, LogLinesDropTheCountryPrefixAndFiltersApply) {
    ConsoleGame g;
    const Snapshot snap = snapshot_of(g.game);
    const auto all = console_entries(snap, ConsoleFilter{}, std::nullopt);
    auto east_log = std::find_if(all.begin(), all.end(), [&](const ConsoleEntry& e) {
        return e.kind == ConsoleKind::Log && e.country == g.east;
    });
    ASSERT_NE(east_log, all.end());
    EXPECT_EQ(east_log->headline, "east thinks");
    EXPECT_EQ(east_log->message, "east thinks");
    EXPECT_TRUE(east_log->location.empty());

    const auto errors = console_entries(snap, ConsoleFilter{std::nullopt, true}, std::nullopt);
    ASSERT_FALSE(errors.empty());
    for (const auto& e : errors)
        EXPECT_TRUE(e.kind == ConsoleKind::Error || e.kind == ConsoleKind::Fallback) << e.headline;

    const auto east_only = console_entries(snap, ConsoleFilter{g.east, false}, std::nullopt);
    ASSERT_EQ(static_cast<int>(east_only.size()), 5) << "one log line a turn";
    for (const auto& e : east_only) EXPECT_EQ(e.country, g.east);

    // A team view sees only its own country's script output.
    const auto seen_by_east = console_entries(snap, ConsoleFilter{}, g.east);
    EXPECT_EQ(seen_by_east.size(), east_only.size());
    // The (turn, index) pair finds the event again.
    const ConsoleEntry& first = all.front();
    const GameEvent& e = snap.history[static_cast<size_t>(first.turn)]->events[static_cast<size_t>(first.index)];
    EXPECT_EQ(e.country, first.country);
}

}  // namespace
}  // namespace chokepoint::view
