// Negotiation from Lua, end to end on the trio world (north makes magnets, south buys
// them, east looks on): proposals in the API's units, the three answers returned from
// on_proposal, answers left for later, malformed terms and answers that never stop the
// game, the rate limit, agreements, withdrawal, trust, the forecast helper — and the
// shipped policies negotiating in the baseline, deterministically. docs/lua-api.md
// §Callbacks on_proposal and §Negotiation.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "agents/lua/lua_policy.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/agents/lua/lua_policy_test_util.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using lua::tests::events_of;
using lua::tests::fast_limits;
using lua::tests::PolicyFiles;

// The text of the first policy_log line containing `needle` ("" when there is none).
std::string log_line(const Game& g, const std::string& needle) {
    for (const GameEvent* e : events_of(g, "policy_log"))
        if (e->text.find(needle) != std::string::npos) return e->text;
    return "";
}

std::string all_logs(const Game& g) {
    std::string out;
    for (const GameEvent* e : events_of(g, "policy_log")) out += e->text + "\n";
    for (const GameEvent* e : events_of(g, "policy_error")) out += "ERROR " + e->text + "\n";
    return out;
}

// The trio game, without the leverage counterfactuals; lua() seats a script (the rest play the autopilot).
struct Trio {
    Game game;
    CountryId north, south, east;
    explicit Trio(Scenario sc = testing::trio())
        : game(std::move(sc), GameOptions{false}),
          north(testing::id_of(game, "north")),
          south(testing::id_of(game, "south")),
          east(testing::id_of(game, "east")) {}
    void lua(CountryId country, const std::string& path) {
        game.set_policy(country, std::make_unique<LuaPolicy>(game.defs(), country, path, fast_limits(0.5)));
    }
    const Proposal& proposal(size_t i) const { return game.state().proposals.at(i); }
};

// South asks north for 120 t/turn of magnets at `price` USD/kg, for 6 turns, on turn 0.
std::string buyer_script(const std::string& price = "75.5", const std::string& extra = "") {
    std::string text = R"(
        local policy = {}
        function policy.on_turn(ctx)
          if ctx.turn == 0 then
            assert(ctx:propose("north", {
              {type = "supply", from = "them", to = "me", good = "magnet", tonnes = 120, price = PRICE},
            }, {turns = 6, note = "magnets for motors"}))
          end
        end
        EXTRA
        return policy)";
    text.replace(text.find("PRICE"), 5, price);
    text.replace(text.find("EXTRA"), 5, extra);
    return text;
}

TEST(LuaNegotiation, AcceptedProposalBecomesAnAgreementInEngineUnits) {
    PolicyFiles files;
    Trio t;
    t.lua(t.south, files.write("buyer.lua", buyer_script()));
    t.lua(t.north, files.write("seller.lua", R"(
        return {
          on_event = function(ctx, e)
            if e.type == "agreement" then
              local c = e.clauses[1]
              ctx:log(string.format("agreed %d clause=%s %s->%s %s %.1f t at %.2f", e.agreement, c.type, c.from, c.to,
                                    c.good, c.tonnes, c.price))
            end
          end,
          on_proposal = function(ctx, p)
            local c = p.clauses[1]
            ctx:log(string.format("heard %d from=%s to=%s counter_to=%d turns=%d note=%s clause=%s %s->%s %s %.1f t at %.2f",
              p.id, p.from, p.to, p.counter_to, p.turns, p.note, c.type, c.from, c.to, c.good, c.tonnes, c.price))
            return "accept"
          end,
        })"));
    t.game.step();
    ASSERT_EQ(t.game.state().proposals.size(), 1u) << all_logs(t.game);
    const int id = t.proposal(0).id;
    EXPECT_EQ(t.proposal(0).status, ProposalStatus::Pending) << "heard only in the next turn's first round";
    EXPECT_TRUE(t.game.state().agreements.empty());

    t.game.step();
    EXPECT_NE(log_line(t.game, fmt::format("heard {} from=south to=north counter_to=0 turns=6 note=magnets for motors "
                                           "clause=supply north->south magnet 120.0 t at 75.50",
                                           id)),
              "")
        << "the clause reads back in the API's units:\n"
        << all_logs(t.game);
    ASSERT_EQ(t.game.state().agreements.size(), 1u) << all_logs(t.game);
    const Agreement& a = t.game.state().agreements.front();
    t.game.step();
    EXPECT_NE(log_line(t.game, fmt::format("agreed {} clause=supply north->south magnet 120.0 t at 75.50", a.id)), "")
        << "on_event's agreement carries its clauses as clause tables:\n"
        << all_logs(t.game);
    EXPECT_EQ(a.proposer, t.south);
    EXPECT_EQ(a.acceptor, t.north);
    EXPECT_EQ(a.status, AgreementStatus::Active);
    EXPECT_EQ(a.start_turn, 1);
    ASSERT_EQ(a.clauses.size(), 1u);
    const Clause& c = a.clauses.front();
    EXPECT_EQ(c.kind, ClauseKind::Supply);
    EXPECT_EQ(c.from, t.north) << "\"them\" is the recipient";
    EXPECT_EQ(c.to, t.south) << "\"me\" is the proposer";
    EXPECT_EQ(c.good, testing::good_of(t.game, "magnet"));
    EXPECT_DOUBLE_EQ(c.tonnes, 120.0);
    EXPECT_DOUBLE_EQ(c.price, 75500.0) << "USD/kg in Lua, USD/t in the engine";
    EXPECT_EQ(t.proposal(0).status, ProposalStatus::Accepted);
    EXPECT_EQ(t.proposal(0).agreement_id, a.id);
    EXPECT_EQ(events_of(t.game, "agreement").size(), 1u);
    EXPECT_TRUE(events_of(t.game, "policy_error").empty()) << all_logs(t.game);
}

TEST(LuaNegotiation, RejectionWithANoteReachesTheProposersOnEvent) {
    PolicyFiles files;
    Trio t;
    t.lua(t.south, files.write("buyer.lua", buyer_script("75", R"(
        function policy.on_event(ctx, e)
          if e.type == "proposal_rejected" then
            ctx.memory.rejected = {id = e.proposal, by = e.country, note = e.note}
          end
        end
        local on_turn = policy.on_turn
        function policy.on_turn(ctx)
          on_turn(ctx)
          local r = ctx.memory.rejected
          if r then ctx:log(string.format("rejected %d by %s: %s", r.id, r.by, r.note)) end
          ctx.memory.rejected = nil
        end)")));
    t.lua(t.north, files.write("refuser.lua", R"(
        return { on_proposal = function(ctx, p) return {answer = "reject", note = "not at that price"} end })"));
    t.game.step();
    t.game.step();
    ASSERT_EQ(t.game.state().proposals.size(), 1u);
    const Proposal& p = t.proposal(0);
    EXPECT_EQ(p.status, ProposalStatus::Rejected);
    EXPECT_EQ(p.reason, "not at that price");
    EXPECT_TRUE(t.game.state().agreements.empty());
    auto rejected = events_of(t.game, "proposal_rejected");
    ASSERT_EQ(rejected.size(), 1u);
    EXPECT_EQ(rejected.front()->target, t.south);
    EXPECT_EQ(rejected.front()->data.value("note", ""), "not at that price");
    // Heard through on_event, kept in ctx.memory, read back by on_turn the same turn.
    EXPECT_NE(log_line(t.game, fmt::format("rejected {} by north: not at that price", p.id)), "") << all_logs(t.game);
    EXPECT_TRUE(events_of(t.game, "policy_error").empty()) << all_logs(t.game);
}

TEST(LuaNegotiation, CounterArrivesAtTheProposersOnProposalNamingTheOriginal) {
    PolicyFiles files;
    Trio t;
    t.lua(t.south, files.write("buyer.lua", buyer_script("75", R"(
        function policy.on_proposal(ctx, p)
          local c = p.clauses[1]
          ctx:log(string.format("counter %d to %d from=%s %s->%s price=%.2f turns=%d note=%s turn=%d round=%d",
            p.id, p.counter_to, p.from, c.from, c.to, c.price, p.turns, p.note, ctx.turn, ctx:negotiation().round))
          return "accept"
        end)")));
    t.lua(t.north, files.write("haggler.lua", R"(
        return {
          on_proposal = function(ctx, p)
            local c = p.clauses[1]
            return {answer = "counter", note = "dearer", turns = 5, clauses = {
              {type = "supply", from = "me", to = "them", good = c.good, tonnes = c.tonnes, price = c.price * 1.2},
            }}
          end,
        })"));
    t.game.step();
    t.game.step();
    const auto& proposals = t.game.state().proposals;
    ASSERT_EQ(proposals.size(), 2u) << all_logs(t.game);
    const Proposal &original = proposals[0], &counter = proposals[1];
    EXPECT_EQ(original.status, ProposalStatus::Countered);
    EXPECT_EQ(counter.counter_to, original.id);
    EXPECT_EQ(counter.from, t.north);
    EXPECT_EQ(counter.to, t.south);
    EXPECT_EQ(counter.turns, 5);
    // Heard in the next round of the same turn.
    EXPECT_NE(log_line(t.game, fmt::format("counter {} to {} from=north north->south price=90.00 turns=5 note=dearer "
                                           "turn=1 round=1",
                                           counter.id, original.id)),
              "")
        << all_logs(t.game);
    EXPECT_EQ(events_of(t.game, "counter_proposal").size(), 1u);
    // South accepted the counter: the agreement is on the counter's terms, north proposing.
    ASSERT_EQ(t.game.state().agreements.size(), 1u) << all_logs(t.game);
    const Agreement& a = t.game.state().agreements.front();
    EXPECT_EQ(a.proposal_id, counter.id);
    EXPECT_EQ(a.proposer, t.north);
    EXPECT_EQ(a.acceptor, t.south);
    EXPECT_NEAR(a.clauses.at(0).price, 90000.0, 1e-6);
    EXPECT_TRUE(events_of(t.game, "policy_error").empty()) << all_logs(t.game);
}

TEST(LuaNegotiation, NoAnswerLeavesTheProposalPendingForRespondInOnTurn) {
    PolicyFiles files;
    Trio t;
    t.lua(t.south, files.write("buyer.lua", buyer_script()));
    t.lua(t.north, files.write("ponderer.lua", R"(
        return {
          on_proposal = function(ctx, p) ctx:log("heard " .. p.id) end,   -- no answer yet
          on_turn = function(ctx)
            local parts = {}
            local pending = ctx:proposals()
            for _, p in ipairs(pending) do parts[#parts + 1] = string.format("%d:%s:%s", p.id, p.from, p.status) end
            ctx:log(string.format("turn %d pending [%s]", ctx.turn, table.concat(parts, ",")))
            for _, p in ipairs(pending) do
              if p.to == ctx.country then assert(ctx:respond(p.id, "accept")) end
            end
            if ctx.turn == 2 then
              local any = ctx:proposals({status = "any"})
              ctx:log(string.format("any %d %s agreement=%s", #any, any[1].status, tostring(any[1].agreement)))
            end
          end,
        })"));
    t.game.step();
    t.game.step();
    ASSERT_EQ(t.game.state().proposals.size(), 1u);
    const int id = t.proposal(0).id;
    EXPECT_NE(log_line(t.game, fmt::format("heard {}", id)), "") << all_logs(t.game);
    EXPECT_NE(log_line(t.game, "turn 0 pending []"), "") << all_logs(t.game);
    EXPECT_NE(log_line(t.game, fmt::format("turn 1 pending [{}:south:pending]", id)), "")
        << "left unanswered in the round, still pending in on_turn:\n"
        << all_logs(t.game);
    ASSERT_EQ(t.game.state().agreements.size(), 1u) << all_logs(t.game);
    const Agreement& a = t.game.state().agreements.front();
    EXPECT_EQ(a.proposal_id, id);
    EXPECT_EQ(a.acceptor, t.north);
    EXPECT_EQ(t.proposal(0).status, ProposalStatus::Accepted);
    t.game.step();
    EXPECT_NE(log_line(t.game, "turn 2 pending []"), "") << all_logs(t.game);
    EXPECT_NE(log_line(t.game, fmt::format("any 1 accepted agreement={}", a.id)), "") << all_logs(t.game);
    EXPECT_TRUE(events_of(t.game, "policy_error").empty()) << all_logs(t.game);
}

TEST(LuaNegotiation, WithoutOnProposalTheAutopilotAnswers) {
    PolicyFiles files;
    Trio t;
    t.lua(t.south, files.write("buyer.lua", buyer_script()));
    t.lua(t.north, files.write("quiet.lua", "return { on_turn = function(ctx) end }"));
    t.game.step();
    t.game.step();
    ASSERT_FALSE(t.game.state().proposals.empty());
    EXPECT_NE(t.proposal(0).status, ProposalStatus::Pending) << "answered by the autopilot in the first round";
    EXPECT_EQ(t.proposal(0).answered_turn, 1);
}

TEST(LuaNegotiation, MalformedProposalsAnswerNilAndAMessageAndTheGameGoesOn) {
    PolicyFiles files;
    Trio t;
    t.lua(t.north, files.write("clumsy.lua", R"(
        local ok_clause = {type = "supply", good = "magnet", tonnes = 10, price = 70}
        local cases = {
          {"not a table", "south", "supply"},
          {"empty", "south", {}},
          {"no type", "south", {{good = "magnet", tonnes = 10, price = 70}}},
          {"unknown type", "south", {{type = "barter", good = "magnet", tonnes = 10}}},
          {"unknown field", "south", {{type = "supply", good = "magnet", tonne = 10, price = 70}}},
          {"numbered", "south", {{"supply", "magnet", 10, 70}}},
          {"unknown recipient", "atlantis", {ok_clause}},
          {"unknown party", "south", {{type = "supply", from = "atlantis", good = "magnet", tonnes = 10, price = 70}}},
          {"unknown good", "south", {{type = "supply", good = "unobtainium", tonnes = 10, price = 70}}},
          {"tonnes not a number", "south", {{type = "supply", good = "magnet", tonnes = "lots", price = 70}}},
          {"second clause", "south", {ok_clause, {type = "supply", good = "magnet", tonnes = 10, price = "cheap"}}},
          {"infeasible", "south", {{type = "supply", from = "them", to = "me", good = "magnet", tonnes = 5000, price = 70}}},
          {"to itself", "north", {ok_clause}},
          {"valid", "south", {ok_clause}},
        }
        return { on_turn = function(ctx)
          if ctx.turn ~= 0 then return end
          for _, k in ipairs(cases) do
            local ok, err = ctx:propose(k[2], k[3])
            ctx:log(string.format("%s => %s | %s", k[1], math.type(ok) == "integer" and "id" or tostring(ok), tostring(err)))
          end
        end })"));
    t.game.step();
    const std::map<std::string, std::string> expected = {
        {"not a table", "clauses must be a list of clause tables, got a string"},
        {"empty", "clauses must be a non-empty list of clause tables"},
        {"no type", "clause 1: needs a type (supply, license"},
        {"unknown type", "clause 1: unknown type 'barter'"},
        {"unknown field", "clause 1: unknown field 'tonne'"},
        {"numbered", "clause 1: its fields are named"},
        {"unknown recipient", "unknown country 'atlantis'"},
        {"unknown party", "clause 1: from: unknown country 'atlantis'"},
        {"unknown good", "clause 1: unknown good 'unobtainium'"},
        {"tonnes not a number", "clause 1: tonnes must be a number"},
        {"second clause", "clause 2: price must be a number"},
        {"infeasible", "clause 1 (supply): south can make or hold"},
        {"to itself", "a country cannot make a proposal to itself"},
    };
    for (const auto& [label, message] : expected) {
        std::string line = log_line(t.game, "[north] " + label + " => ");
        ASSERT_NE(line, "") << label << "\n" << all_logs(t.game);
        EXPECT_NE(line.find(label + " => nil | " + message), std::string::npos) << line;
    }
    EXPECT_NE(log_line(t.game, "infeasible => nil").find("cannot ship 5000 more"), std::string::npos)
        << log_line(t.game, "infeasible => nil");
    EXPECT_NE(log_line(t.game, "valid => id | nil"), "") << "a refusal does not use up the allowance";
    ASSERT_EQ(t.game.state().proposals.size(), 1u) << "only the valid proposal was sent";
    EXPECT_EQ(t.proposal(0).to, t.south);
    for (int i = 0; i < 3; ++i) t.game.step();
    EXPECT_EQ(t.game.history().size(), 4u);
    EXPECT_TRUE(events_of(t.game, "policy_error").empty()) << all_logs(t.game);
}

TEST(LuaNegotiation, MalformedAnswerIsAPolicyErrorAndTheProposalStaysPending) {
    PolicyFiles files;
    Trio t(testing::with_defs(testing::trio(), [](Definitions& d) { d.negotiation.max_proposals_per_turn = 5; }));
    t.lua(t.south, files.write("asker.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn ~= 0 then return end
          for _, note in ipairs({"number", "maybe", "bare counter", "counter word", "bad terms"}) do
            assert(ctx:propose("north", {{type = "supply", from = "them", to = "me", good = "magnet", tonnes = 10, price = 70}},
                               {note = note}))
          end
        end })"));
    const std::string fussy = files.write("fussy.lua", R"(
        return {
          on_proposal = function(ctx, p)
            if p.note == "number" then return 42 end
            if p.note == "maybe" then return {answer = "maybe"} end
            if p.note == "bare counter" then return {answer = "counter"} end
            if p.note == "counter word" then return "counter" end
            if p.note == "bad terms" then return {answer = "counter", clauses = {{type = "supply", tonne = 1}}} end
          end,
          on_turn = function(ctx) if ctx.turn == 1 then ctx:log("pending " .. #ctx:proposals()) end end,
        })");
    t.lua(t.north, fussy);
    t.game.step();
    t.game.step();
    ASSERT_EQ(t.game.state().proposals.size(), 5u) << "no counter was sent:\n" << all_logs(t.game);
    const std::map<std::string, std::string> problem = {
        {"number",
         "on_proposal must return \"accept\", \"reject\", a table {answer=, clauses=, turns=, note=} or "
         "nothing; got a number"},
        {"maybe", "answer must be \"accept\", \"reject\" or \"counter\", got \"maybe\""},
        {"bare counter", "clauses must be a list of clause tables, got a nil"},
        {"counter word", "a counter needs its terms"},
        {"bad terms", "clause 1: unknown field 'tonne'"},
    };
    auto errors = events_of(t.game, "policy_error");
    ASSERT_EQ(errors.size(), 5u) << all_logs(t.game);
    for (const Proposal& p : t.game.state().proposals) {
        EXPECT_EQ(p.status, ProposalStatus::Pending) << p.note;
        // The answer has no line of its own: the message names where on_proposal is defined.
        const std::string head = fmt::format("): proposal {}: ", p.id);
        const GameEvent* hit = nullptr;
        for (const GameEvent* e : errors)
            if (e->text.find(head) != std::string::npos) hit = e;
        ASSERT_NE(hit, nullptr) << head << "\n" << all_logs(t.game);
        EXPECT_NE(hit->text.find(head + problem.at(p.note)), std::string::npos) << hit->text;
        EXPECT_NE(hit->text.find("stays unanswered"), std::string::npos) << hit->text;
        EXPECT_NE(hit->text.find("north: error in policy 'fussy.lua' in on_proposal() (defined at "), std::string::npos)
            << hit->text;
        EXPECT_NE(hit->text.find("fussy.lua:"), std::string::npos) << "the line of on_proposal: " << hit->text;
        EXPECT_EQ(hit->data.value("policy", ""), fussy);
        EXPECT_EQ(hit->turn, 1);
    }
    EXPECT_NE(log_line(t.game, "pending 5"), "") << all_logs(t.game);
    EXPECT_TRUE(t.game.state().agreements.empty());
    // The game goes on; unanswered, they expire after their deadline.
    while (!t.game.finished()) t.game.step();
    for (const Proposal& p : t.game.state().proposals) EXPECT_EQ(p.status, ProposalStatus::Expired) << p.note;
    EXPECT_EQ(events_of(t.game, "proposal_expired").size(), 5u);
}

TEST(LuaNegotiation, RateLimitRefusesProposalsBeyondTheTurnsAllowance) {
    PolicyFiles files;
    Trio t;
    t.lua(t.north, files.write("eager.lua", R"(
        local offer = {{type = "supply", good = "magnet", tonnes = 10, price = 70}}
        local function try(ctx, label, to)
          local ok, err = ctx:propose(to, offer)
          ctx:log(string.format("turn %d %s => %s | %s", ctx.turn, label, math.type(ok) == "integer" and "id" or tostring(ok), tostring(err)))
        end
        return { on_turn = function(ctx)
          if ctx.turn == 0 then
            for i = 1, 5 do try(ctx, "offer " .. i, "south") end
          elseif ctx.turn == 1 then
            try(ctx, "to east", "east")
            try(ctx, "to south", "south")
            try(ctx, "to both", {"south", "east"})
            try(ctx, "to east again", "east")
            try(ctx, "one more", "south")
          end
        end })"));
    t.game.step();
    for (int i = 1; i <= 3; ++i)
        EXPECT_NE(log_line(t.game, fmt::format("turn 0 offer {} => id", i)), "") << all_logs(t.game);
    for (int i = 4; i <= 5; ++i)
        EXPECT_NE(log_line(t.game,
                           fmt::format("turn 0 offer {} => nil | rate limit: 3 proposals per turn (sent 3 already", i)),
                  "")
            << all_logs(t.game);
    ASSERT_EQ(t.game.state().proposals.size(), 3u);
    t.game.step();
    EXPECT_NE(log_line(t.game, "turn 1 to east => id"), "") << all_logs(t.game);
    EXPECT_NE(log_line(t.game, "turn 1 to south => id"), "") << all_logs(t.game);
    EXPECT_NE(log_line(t.game,
                       "turn 1 to both => nil | rate limit: 3 proposals per turn (sent 2 already, this one goes to 2)"),
              "")
        << "a proposal to several countries counts once per recipient:\n"
        << all_logs(t.game);
    EXPECT_NE(log_line(t.game, "turn 1 to east again => id"), "") << all_logs(t.game);
    EXPECT_NE(log_line(t.game, "turn 1 one more => nil | rate limit"), "") << all_logs(t.game);
    int sent_turn_1 = 0;
    for (const auto& p : t.game.state().proposals)
        sent_turn_1 += p.from == t.north && p.sent_turn == 1 && p.counter_to == 0;
    EXPECT_EQ(sent_turn_1, 3);
    EXPECT_EQ(events_of(t.game, "policy_error").size(), 0u);
}

TEST(LuaNegotiation, AgreementsWithdrawTrustReputationAndSettingsReadBack) {
    PolicyFiles files;
    Scenario sc = testing::trio();
    {
        const CountryId n = sc.defs->country_id("north"), s = sc.defs->country_id("south"),
                  e = sc.defs->country_id("east");
        auto& c = sc.initial.countries;
        c[e].trust[n] = 0.8;
        c[s].trust[n] = 0.3;
        c[n].trust[e] = 0.6;
        c[s].trust[e] = 0.7;
    }
    Trio t(std::move(sc));
    t.lua(t.south, files.write("buyer.lua", R"(
        local function show(a)
          local c = a.clauses[1]
          return string.format("id=%d proposer=%s acceptor=%s status=%s clause %s %s->%s %s %.1f t at %.2f delivered=%.1f arrears=%.1f",
            a.id, a.proposer, a.acceptor, a.status, c.type, c.from, c.to, c.good, c.tonnes, c.price, c.delivered, c.arrears)
        end
        return { on_turn = function(ctx)
          if ctx.turn == 0 then
            local before = ctx:negotiation()
            assert(ctx:propose("north", {{type = "supply", from = "them", to = "me", good = "magnet", tonnes = 120, price = 75}},
                               {turns = 6}))
            local after = ctx:negotiation()
            ctx:log(string.format("settings enabled=%s binding=%s rounds=%d round=%d max=%d deadline=%d notice=%d forecasts=%d",
              tostring(before.enabled), tostring(before.binding), before.rounds, before.round, before.max_proposals_per_turn,
              before.deadline_turns, before.notice_turns, before.forecasts_left))
            ctx:log(string.format("proposals_left %d -> %d", before.proposals_left, after.proposals_left))
          elseif ctx.turn == 1 then
            ctx:log(string.format("turn 1 proposals_left %d", ctx:negotiation().proposals_left))
          elseif ctx.turn == 2 then
            local active = ctx:agreements()
            ctx:log(string.format("turn 2 active %d: %s", #active, show(active[1])))
            local ok, err = ctx:withdraw(active[1].id, "found a cheaper mine")
            ctx:log(string.format("withdraw => %s | %s", tostring(ok), tostring(err)))
            ctx.memory.withdrawn = active[1].id
          elseif ctx.turn == 3 or ctx.turn == 4 then
            local ok, err = ctx:withdraw(ctx.memory.withdrawn, "again")
            local any = ctx:agreements({mine = true, status = "any"})
            ctx:log(string.format("turn %d withdraw again => %s | %s; active %d; mine any %d: status=%s ended_by=%s withdraw_turn=%s",
              ctx.turn, tostring(ok), tostring(err), #ctx:agreements(), #any, any[1].status, tostring(any[1].ended_by),
              tostring(any[1].withdraw_turn)))
          end
        end })"));
    t.lua(t.north, files.write("seller.lua", R"(
        return {
          on_proposal = function(ctx, p) return "accept" end,
          on_turn = function(ctx)
            if ctx.turn == 0 then
              ctx:log(string.format("trust east->north=%.3f south->north=%.3f north->east=%.3f reputation=%.3f east's=%.3f",
                ctx:trust("east", "north"), ctx:trust("south", "north"), ctx:trust("east"), ctx:reputation(),
                ctx:reputation("east")))
            end
          end,
        })"));
    t.lua(t.east, files.write("onlooker.lua", R"(
        return { on_turn = function(ctx)
          if ctx.turn == 2 then
            ctx:log(string.format("east sees %d, %d of them its own", #ctx:agreements(), #ctx:agreements({mine = true})))
          end
        end })"));
    for (int i = 0; i < 5; ++i) t.game.step();
    const std::string logs = all_logs(t.game);
    EXPECT_TRUE(events_of(t.game, "policy_error").empty()) << logs;

    // ctx:negotiation(): the scenario's settings (the defaults) and this turn's allowances.
    EXPECT_NE(
        log_line(t.game, "settings enabled=true binding=true rounds=2 round=2 max=3 deadline=1 notice=1 forecasts=8"),
        "")
        << logs;
    EXPECT_NE(log_line(t.game, "proposals_left 3 -> 2"), "") << "a propose uses up the allowance at once:\n" << logs;
    EXPECT_NE(log_line(t.game, "turn 1 proposals_left 3"), "") << "a new turn, a new allowance:\n" << logs;

    // ctx:trust(a, b) reads the public matrix; ctx:reputation() is the mean trust of the others.
    EXPECT_NE(
        log_line(t.game, "trust east->north=0.800 south->north=0.300 north->east=0.600 reputation=0.550 east's=0.650"),
        "")
        << logs;

    // ctx:agreements(): public, with the clause's progress.
    ASSERT_EQ(t.game.state().agreements.size(), 1u) << logs;
    const Agreement& a = t.game.state().agreements.front();
    const std::string shown = log_line(t.game, "turn 2 active 1: ");
    ASSERT_NE(shown, "") << logs;
    EXPECT_NE(
        shown.find(fmt::format("id={} proposer=south acceptor=north status=active clause supply north->south magnet "
                               "120.0 t at 75.00 delivered=",
                               a.id)),
        std::string::npos)
        << shown;
    EXPECT_NE(shown.find("delivered=120.0 arrears=0.0"), std::string::npos)
        << "one turn of deliveries, in full: " << shown;
    EXPECT_NE(log_line(t.game, "east sees 1, 0 of them its own"), "") << logs;

    // ctx:withdraw: once, then refused with the reason; binding mode gives notice_turns of notice.
    EXPECT_NE(log_line(t.game, "withdraw => true | nil"), "") << logs;
    EXPECT_NE(
        log_line(t.game, fmt::format("turn 3 withdraw again => nil | agreement {} is already being withdrawn from; "
                                     "active 1; mine any 1: status=active ended_by=south withdraw_turn=3",
                                     a.id)),
        "")
        << logs;
    EXPECT_NE(
        log_line(t.game, fmt::format("turn 4 withdraw again => nil | agreement {} is already withdrawn; active 0; "
                                     "mine any 1: status=withdrawn ended_by=south",
                                     a.id)),
        "")
        << logs;
    EXPECT_EQ(a.status, AgreementStatus::Withdrawn);
    EXPECT_EQ(a.ended_by, t.south);
    auto withdrawals = events_of(t.game, "agreement_withdrawal");
    ASSERT_EQ(withdrawals.size(), 1u);
    EXPECT_EQ(withdrawals.front()->data.value("note", ""), "found a cheaper mine");
    // The jilted party's trust in the one who withdrew falls (turn 2 is when the notice was given).
    const auto& h = t.game.history();
    EXPECT_LT(h[2].countries[t.north].trust[t.south],
              h[1].countries[t.north].trust[t.south]);
}

TEST(LuaNegotiation, ForecastByIdAndByDraftWithinTheTurnsBudget) {
    PolicyFiles files;
    Trio t(testing::with_defs(testing::trio(), [](Definitions& d) { d.negotiation.forecasts_per_turn = 4; }));
    t.lua(t.south, files.write("buyer.lua", buyer_script()));
    t.lua(t.north, files.write("forecaster.lua", R"(
        local function show(f)
          return string.format("feasible=%s gain=%s economy=%s security=%s money=%s", tostring(f.feasible), math.type(f.gain),
            math.type(f.economy), math.type(f.security), math.type(f.money))
        end
        local function draft(from, to, usd) return {{type = "payment", from = from, to = to, usd = usd}} end
        return {
          on_proposal = function(ctx, p)
            local f, err = ctx:forecast(p.id)
            ctx:log(string.format("by id %s; left %d", f and show(f) or tostring(err), ctx:negotiation().forecasts_left))
          end,
          on_turn = function(ctx)
            if ctx.turn == 1 then
              local pay = ctx:forecast("south", draft("me", "them", 1000), {turns = 4})
              local paid = ctx:forecast("south", draft("them", "me", 1000), {turns = 4})
              local bad = ctx:forecast("south", {{type = "supply", from = "them", to = "me", good = "magnet", tonnes = 50000, price = 70}})
              ctx:log(string.format("pay %s pay_money=%.1f gain<0=%s; paid_money=%.1f gain>0=%s; bad feasible=%s reason=%s",
                show(pay), pay.money, tostring(pay.gain < 0), paid.money, tostring(paid.gain > 0), tostring(bad.feasible),
                tostring(bad.reason)))
              local f, err = ctx:forecast("south", draft("me", "them", 1))
              ctx:log(string.format("over budget => %s | %s; left %d", tostring(f), tostring(err), ctx:negotiation().forecasts_left))
            elseif ctx.turn == 2 then
              local long, why = ctx:forecast("south", draft("me", "them", 1), {horizon = 13})
              ctx:log(string.format("horizon 13 => %s | %s", tostring(long), tostring(why)))
              local f = ctx:forecast("south", draft("me", "them", 1))
              ctx:log(string.format("turn 2 => %s", f and show(f) or "nil"))
            end
          end,
        })"));
    for (int i = 0; i < 3; ++i) t.game.step();
    const std::string logs = all_logs(t.game);
    EXPECT_TRUE(events_of(t.game, "policy_error").empty()) << logs;
    EXPECT_NE(log_line(t.game, "by id feasible=true gain=float economy=float security=float money=float; left 3"), "")
        << logs;
    const std::string drafts =
        log_line(t.game, "pay feasible=true gain=float economy=float security=float money=float");
    ASSERT_NE(drafts, "") << logs;
    // Paying USD 1000 M costs about that over the horizon, and receiving it gains about that.
    double pay = 0, paid = 0;
    ASSERT_EQ(std::sscanf(drafts.c_str() + drafts.find("pay_money="), "pay_money=%lf", &pay), 1) << drafts;
    ASSERT_EQ(std::sscanf(drafts.c_str() + drafts.find("paid_money="), "paid_money=%lf", &paid), 1) << drafts;
    EXPECT_NEAR(pay, -1000.0, 100.0) << drafts;
    EXPECT_NEAR(paid, 1000.0, 100.0) << drafts;
    EXPECT_NE(drafts.find("gain<0=true"), std::string::npos) << drafts;
    EXPECT_NE(drafts.find("gain>0=true"), std::string::npos) << drafts;
    EXPECT_NE(drafts.find("bad feasible=false reason=clause 1 (supply): south can make or hold"), std::string::npos)
        << drafts;
    EXPECT_NE(log_line(t.game, "over budget => nil | forecast budget spent: 4 per turn; left 0"), "") << logs;
    EXPECT_NE(log_line(t.game, "turn 2 => feasible=true"), "") << "the budget is per turn:\n" << logs;
    EXPECT_NE(log_line(t.game, "horizon 13 => nil | horizon: "), "") << "a horizon over 12 is refused:\n" << logs;
}

// The shipped baseline, every country on its Lua policy, 12 turns; played twice.
class ShippedPoliciesNegotiate : public ::testing::Test {
protected:
    static std::unique_ptr<Game> play() {
        auto game = std::make_unique<Game>(load_scenario("config/scenarios/baseline.yaml"), GameOptions{false});
        install_lua_policies(*game);
        game->set_turn_limit(12);
        while (!game->finished()) game->step();
        return game;
    }
    static void SetUpTestSuite() {
        first_ = play();
        second_ = play();
    }
    static void TearDownTestSuite() {
        first_.reset();
        second_.reset();
    }
    static inline std::unique_ptr<Game> first_, second_;
};

TEST_F(ShippedPoliciesNegotiate, SameScenarioSameGame) {
    ASSERT_EQ(first_->history().size(), 12u);
    EXPECT_TRUE(first_->state() == second_->state());
    ASSERT_EQ(first_->history().size(), second_->history().size());
    for (size_t t = 0; t < first_->history().size(); ++t) {
        const EventList &a = first_->history()[t].events, &b = second_->history()[t].events;
        ASSERT_EQ(a.size(), b.size()) << "turn " << t;
        for (size_t i = 0; i < a.size(); ++i) {
            EXPECT_EQ(a[i].type, b[i].type) << "turn " << t << " event " << i;
            EXPECT_EQ(a[i].text, b[i].text) << "turn " << t << " event " << i;
            EXPECT_EQ(a[i].data, b[i].data) << "turn " << t << " event " << i;
        }
    }
    EXPECT_GT(first_->state().proposals.size(), 0u);
    EXPECT_GT(first_->state().agreements.size(), 0u);
    std::string errors;
    for (const GameEvent* e : events_of(*first_, "policy_error")) errors += e->text + "\n";
    EXPECT_EQ(errors, "");
}

TEST_F(ShippedPoliciesNegotiate, PoliciesCounterAndReject) {
    int scripted = 0;
    for (CountryId c : first_->defs().country_ids())
        scripted += first_->policy(c)->name().rfind("lua:", 0) == 0;
    EXPECT_GT(scripted, 1) << "the scenario's Lua policies were installed";
    EXPECT_GE(events_of(*first_, "counter_proposal").size(), 1u);
    EXPECT_GE(events_of(*first_, "proposal_rejected").size(), 1u);
    for (CountryId c : first_->defs().country_ids())
        EXPECT_EQ(first_->policy(c)->name().find("fallback"), std::string::npos) << first_->policy(c)->name();
}

}  // namespace
}  // namespace chokepoint
