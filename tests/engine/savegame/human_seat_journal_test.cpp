// Human seats in a saved game: a scripted desk (as the window's Session) plays the USA; its
// decisions are journaled, played back on load, and the resumed game equals the straight one.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>

#include "agents/journal_desk.hpp"
#include "agents/lua/lua_policy.hpp"
#include "engine/output/writers.hpp"
#include "engine/savegame/command_json.hpp"
#include "engine/savegame/replay.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/e2e/run_command.hpp"
#include "tests/support/files.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;

const char* kScenario = "config/scenarios/baseline.yaml";
constexpr int kTurns = 10, kSplit = 6;  // the first proposal to the USA is pending in turn 4
constexpr CountryId kSeat{1};  // usa

// Decides from the request alone (pure): a stockpile purchase every other turn, accepts the first
// pending proposal addressed to the seat, hands the seat to its advisor on turn 3. Keeps the
// advice it was shown per turn.
class ScriptedDesk final : public SeatDesk {
public:
    bool is_human(CountryId seat) const override { return seat == kSeat; }
    std::optional<std::vector<Command>> await(const SeatRequest& r) override {
        ++calls;
        advice[r.turn] = r.advice;
        if (r.turn == 3) return std::nullopt;
        std::vector<Command> out;
        if (r.turn % 2 == 0) out.push_back(StockpileBuy{GoodId{0}, 150.0, 1e9});
        for (const Proposal& p : r.observation.proposals)
            if (p.to == r.seat && p.status == ProposalStatus::Pending) {
                out.push_back(Respond{p.id, AnswerKind::Accept, {}, 0, "scripted yes"});
                break;
            }
        return out;
    }
    int calls = 0;
    std::map<int, std::vector<Command>> advice;
};

nlohmann::json as_json(const std::vector<Command>& commands) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& c : commands) a.push_back(command_to_json(c));
    return a;
}

std::unique_ptr<Game> new_game() {
    return std::make_unique<Game>(with_overrides(load_scenario(kScenario), {kTurns, std::nullopt}), [] {
        GameOptions o;
        o.measure_leverage = false;
        return o;
    }());
}

std::function<std::unique_ptr<Policy>(CountryId)> advisors(const Game& g) {
    return [&g](CountryId c) {
        LuaPolicyOptions lua;
        lua.hot_reload = false;
        return scenario_policy(g.defs(), c, lua);
    };
}

void play_to(Game& g, int turn, GameFile* f, SeatJournal* j) {
    while (g.state().turn < turn) {
        g.step();
        if (f) save_new_turns(g, *f, j);
    }
}

using chokepoint::testing::slurp;

TEST(GameFileHumanSeats, ScriptedDeskDecisionsAreJournaledAndResumeIsExact) {
    const fs::path dir = fs::temp_directory_path() / ("chokepoint_gamefile_seats_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    ScriptedDesk scripted;

    auto straight = new_game();
    install_journal_seats(*straight, scripted, advisors(*straight));
    play_to(*straight, kTurns, nullptr, nullptr);
    write_outputs(*straight, dir / "straight");
    EXPECT_EQ(scripted.calls, kTurns);

    const std::string path = (dir / "g.ckp").string();
    {
        auto g = new_game();
        SeatJournal journal;
        JournalDesk desk(*g, {}, &scripted, &journal);
        install_journal_seats(*g, desk, advisors(*g));
        GameFile f = GameFile::create(path, make_header(*g, kScenario, "off"));
        play_to(*g, kSplit, &f, &journal);
    }
    scripted.calls = 0;
    GameFile f = GameFile::open(path);
    const auto turns = f.turns(false);
    ASSERT_EQ(static_cast<int>(turns.size()), kSplit);
    int accepted = 0;
    size_t advised = 0;
    for (const auto& e : turns) {
        ASSERT_EQ(e.decisions.size(), 1u) << "turn " << e.turn;
        EXPECT_EQ(e.decisions[0].first, "usa");
        const auto cmds = decisions_from_json(e.decisions[0].second);
        EXPECT_EQ(cmds.has_value(), e.turn != 3);
        if (cmds)
            for (const auto& c : *cmds) accepted += std::holds_alternative<Respond>(c);
        // The advisor's suggestion is journaled with the decisions (the handed-over turn too).
        const auto advice = advice_from_json(e.decisions[0].second);
        ASSERT_TRUE(advice.has_value()) << "turn " << e.turn;
        EXPECT_EQ(as_json(*advice), as_json(scripted.advice.at(e.turn))) << "turn " << e.turn;
        advised += advice->size();
    }
    EXPECT_GT(accepted, 0) << "no negotiation answer was journaled";
    EXPECT_GT(advised, 0u) << "the advisor suggested nothing in any turn";

    auto g = game_from_header(f.header(), GameOptions{});
    SeatJournal journal;
    JournalDesk desk(*g, turns, &scripted, &journal);
    install_journal_seats(*g, desk, advisors(*g));
    replay_turns(*g, turns, kSplit, false);
    EXPECT_EQ(scripted.calls, 0) << "the replayed turns asked the live desk";
    play_to(*g, kTurns, &f, &journal);
    EXPECT_EQ(scripted.calls, kTurns - kSplit);
    write_outputs(*g, dir / "resumed");
    for (const auto& e : fs::directory_iterator(dir / "straight"))
        EXPECT_EQ(slurp(e.path()), slurp(dir / "resumed" / e.path().filename())) << e.path().filename();
    EXPECT_EQ(g->state(), straight->state());
    // `chokepoint replay` plays the journaled decisions back through its own desk.
    const auto r = testing::run_chokepoint("replay -q " + path);
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("10 turns replayed, every state hash verified"), std::string::npos) << r.out;
    fs::remove_all(dir);
}

TEST(GameFileHumanSeats, ADecisionsRowWithoutAdviceStillLoads) {
    const nlohmann::json old_row = {{"human", true}, {"commands", as_json({RevokeLicense{9}})}};
    const auto cmds = decisions_from_json(old_row);
    ASSERT_TRUE(cmds.has_value());
    EXPECT_EQ(as_json(*cmds), as_json({RevokeLicense{9}}));
    EXPECT_FALSE(advice_from_json(old_row).has_value());
    const auto handed = decisions_to_json(std::nullopt, {RevokeLicense{4}});
    EXPECT_FALSE(decisions_from_json(handed).has_value());
    ASSERT_TRUE(advice_from_json(handed).has_value());
    EXPECT_EQ(as_json(*advice_from_json(handed)), as_json({RevokeLicense{4}}));
}

// Every field of every command set away from its default, so a field missing from its
// CommandTraits::fields comes back different.
TEST(GameFileHumanSeats, EveryCommandRoundTripsThroughJson) {
    Clause cl;
    cl.kind = ClauseKind::Supply, cl.from = CountryId{0}, cl.to = CountryId{1}, cl.good = GoodId{2}, cl.tonnes = 10, cl.price = 5;
    const std::vector<Command> all = {
        SetExportRegime{GoodId{1}, CountryId{2}, Regime::Licensed}, SetExportDuty{GoodId{1}, CountryId{3}, 0.2},
        DecideLicense{7, LicenseDecisionKind::Deny, 3.5, 2, true, true}, RevokeLicense{9},
        SetProductionQuota{GoodId{1}, 500}, SetExportQuota{GoodId{2}, 1000},
        StockpileBuy{GoodId{3}, 10, 1e5}, StockpileRelease{GoodId{3}, 5, 10},
        StartProject{CountryId{2}, GoodId{1}, 3000, 0.4}, SetSubsidy{GoodId{1}, 12}, SetPriceFloor{GoodId{1}, 50},
        SetTariff{GoodId{2}, CountryId{0}, 0.1}, Propose{{CountryId{1}, CountryId{2}}, {cl}, 6, "offer"}, Respond{4, AnswerKind::Counter, {cl}, 3, "no"},
        Withdraw{5, "bye"}, SetDefensePriority{GoodId{2}, false}};
    ASSERT_EQ(all.size(), std::variant_size_v<Command>);
    for (const auto& c : all) {
        const auto j = command_to_json(c);
        const Command back = command_from_json(nlohmann::json::parse(j.dump()));
        EXPECT_EQ(back, c) << j.dump();  // every field is in the saved form (CommandTraits::fields)
        EXPECT_EQ(command_to_json(back), j) << j.dump();
    }
    // An unlimited quota is saved as "inf" (JSON has no infinity), a destination of all as -1.
    for (const Command& c : {Command{SetProductionQuota{GoodId{1}, kUnlimited}}, Command{SetExportDuty{GoodId{1}, std::nullopt, 0.1}}})
        EXPECT_EQ(command_from_json(nlohmann::json::parse(command_to_json(c).dump())), c);
    EXPECT_EQ(command_to_json(SetProductionQuota{GoodId{1}, kUnlimited}).at("tonnes_per_year"), "inf");
}

}  // namespace
}  // namespace chokepoint
