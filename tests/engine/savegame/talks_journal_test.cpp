// The negotiation phase for seats played by people (docs/model.md §Negotiation, "People in the
// rounds"): a seat speaks in the rounds through its desk, a computer country answers in the next
// round, the seat hears the answer in the round after, all in one turn; what it said is journaled
// and a game loaded from the file replays it exactly, without asking anyone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "agents/journal_desk.hpp"
#include "engine/savegame/command_json.hpp"
#include "engine/savegame/replay.hpp"
#include "tests/engine/diplomacy/deals.hpp"
#include "tests/engine/sim/test_world.hpp"
#include "tests/support/files.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;
using testing::ScriptedPolicy;

constexpr CountryId kNorth{0}, kSouth{1};

Clause payment(CountryId from, CountryId to, double usd) { return testing::payment(from, to, usd, false); }

// North is played by people. In round 0 it offers South $1M and says it is done; when South's
// counter reaches it, it accepts. `talks` false: no negotiation phase (talk() says nothing).
class TalkDesk final : public SeatDesk {
public:
    bool talks = true;
    std::vector<std::pair<int, int>> asked;  // (turn, round) of each talk() call
    int awaited = 0;
    bool is_human(CountryId seat) const override { return seat == kNorth; }
    std::optional<TalkAnswer> talk(const TalkRequest& r) override {
        asked.emplace_back(r.turn, r.round);
        if (!talks) return std::nullopt;
        TalkAnswer a;
        a.done = true;
        if (r.turn == 0 && r.round == 0) a.commands.push_back(Propose{{kSouth}, {payment(kNorth, kSouth, 1e6)}, 4, "start"});
        for (const Proposal& p : r.observation.proposals)
            if (p.to == kNorth && p.status == ProposalStatus::Pending) a.commands.push_back(Respond{p.id, AnswerKind::Accept, {}, 0, ""});
        return a;
    }
    std::optional<std::vector<Command>> await(const SeatRequest&) override {
        ++awaited;
        return std::vector<Command>{};
    }
};

// South counters any proposal with twice the money; the third country uses the autopilot.
std::unique_ptr<Policy> advisor(CountryId c) {
    auto p = std::make_unique<ScriptedPolicy>();
    if (c == kSouth)
        p->proposal = [](PolicyContext& ctx, const Proposal& pr) {
            ctx.issue(Respond{pr.id, AnswerKind::Counter, {payment(pr.from, pr.to, 2e6)}, pr.turns, "more"});
        };
    p->turn = [](PolicyContext&) {};
    return p;
}

// The trio world with three negotiation rounds, as a file (a game file keeps the scenario's text).
struct World {
    testing::ScratchDir dir{"talks"};
    std::string scenario = (dir.path() / "trio3.yaml").string();
    World() { std::ofstream(scenario) << testing::slurp("tests/scenarios/trio.yaml") << "\nnegotiation:\n  rounds: 3\n"; }
    std::unique_ptr<Game> new_game() const {
        GameOptions o;
        o.measure_leverage = false;
        return std::make_unique<Game>(load_scenario(scenario), o);
    }
};

const Agreement* agreement_between(const State& s, CountryId a, CountryId b) {
    for (const auto& ag : s.agreements)
        if (ag.involves(a) && ag.involves(b)) return &ag;
    return nullptr;
}

TEST(NegotiationPhase, AProposalCounterAndAcceptanceHappenInOneTurn) {
    TalkDesk desk;
    const World w;
    auto g = w.new_game();
    install_journal_seats(*g, desk, advisor);
    g->step();
    const Agreement* a = agreement_between(g->state(), kNorth, kSouth);
    ASSERT_NE(a, nullptr) << "no agreement came out of the turn's rounds";
    EXPECT_EQ(a->start_turn, 0);
    ASSERT_EQ(a->clauses.size(), 1u);
    EXPECT_DOUBLE_EQ(a->clauses[0].usd, 2e6) << "the agreement is South's counter, accepted by North";
    // Asked in round 0 (it may propose with nothing to hear), not in round 1 (it was done and
    // nothing reached it), again in round 2 (the counter reached it).
    const std::vector<std::pair<int, int>> expected{{0, 0}, {0, 2}};
    EXPECT_EQ(desk.asked, expected);
    EXPECT_EQ(desk.awaited, 1);
}

TEST(NegotiationPhase, WithoutTalksTheSeatSpeaksOnlyWithItsDecisions) {
    TalkDesk desk;
    desk.talks = false;
    const World w;
    auto g = w.new_game();
    install_journal_seats(*g, desk, advisor);
    g->step();
    EXPECT_EQ(agreement_between(g->state(), kNorth, kSouth), nullptr);
    const std::vector<std::pair<int, int>> expected{{0, 0}};
    EXPECT_EQ(desk.asked, expected) << "a seat that says nothing is not asked again";
}

TEST(NegotiationPhase, TalksAreJournaledAndReplayedWithoutTheDesk) {
    const World w;
    const std::string path = (w.dir.path() / "g.ckp").string();
    TalkDesk live;
    State straight;
    {
        auto g = w.new_game();
        SeatJournal journal;
        JournalDesk desk(*g, {}, &live, &journal);
        install_journal_seats(*g, desk, advisor);
        GameFile f = GameFile::create(path, make_header(*g, w.scenario, "off"));
        for (int t = 0; t < 2; ++t) {
            g->step();
            save_new_turns(*g, f, &journal);
        }
        straight = g->state();
    }
    GameFile f = GameFile::open(path);
    const auto turns = f.turns(false);
    ASSERT_EQ(turns.size(), 2u);
    ASSERT_EQ(turns[0].decisions.size(), 1u);
    const auto talks = talks_from_json(turns[0].decisions[0].second);
    ASSERT_TRUE(talks.has_value());
    ASSERT_EQ(talks->size(), 2u);
    EXPECT_EQ((*talks)[0].round, 0);
    EXPECT_TRUE(std::holds_alternative<Propose>((*talks)[0].commands.at(0)));
    EXPECT_EQ((*talks)[1].round, 2);
    EXPECT_TRUE(std::holds_alternative<Respond>((*talks)[1].commands.at(0)));

    auto g = game_from_header(f.header(), GameOptions{});
    TalkDesk nobody;
    JournalDesk desk(*g, turns, &nobody, nullptr);
    install_journal_seats(*g, desk, advisor);
    replay_turns(*g, turns, 2, false);
    EXPECT_TRUE(nobody.asked.empty()) << "the replay asked the live desk";
    EXPECT_EQ(g->state(), straight);
}

// A seat handed to people in the middle of a turn's talks joins at the next phase: its advisor
// answered in the talks ("talks": null), people decided; the replay does the same.
TEST(NegotiationPhase, ARowSaysWhetherPeoplePlayedTheTalks) {
    const nlohmann::json old_row = {{"human", true}, {"commands", nlohmann::json::array()}};
    ASSERT_TRUE(talks_from_json(old_row).has_value()) << "a row from before talks were journaled: people throughout";
    EXPECT_TRUE(talks_from_json(old_row)->empty());
    nlohmann::json advisor_talked = old_row;
    advisor_talked["talks"] = nullptr;
    EXPECT_FALSE(talks_from_json(advisor_talked).has_value());
    const nlohmann::json talks_only = {{"talks", nlohmann::json::array({talk_to_json(1, {Withdraw{3, ""}}, true)})}};
    EXPECT_FALSE(has_decisions(talks_only));
    EXPECT_FALSE(decisions_from_json(talks_only).has_value());
    ASSERT_EQ(talks_from_json(talks_only)->size(), 1u);
    EXPECT_TRUE((*talks_from_json(talks_only))[0].done);
}

}  // namespace
}  // namespace chokepoint
