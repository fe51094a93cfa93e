// The negotiation protocol, one behaviour each, on the trio world (north makes
// everything, east makes magnets from north's oxide, south only buys magnets):
// when proposals are heard and answered, the rate limit, the terms refused when
// proposed, the forecast helper and how the autopilot answers.
// docs/lua-api.md §Negotiation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/sim/forecast.hpp"
#include "engine/sim/turn.hpp"
#include "tests/engine/diplomacy/deals.hpp"

namespace chokepoint {
namespace {

using testing::accepting;
using testing::answer;
using testing::contains;
using testing::events_of;
using testing::find_agreement;
using testing::good_of;
using testing::id_of;
using testing::no_leverage;
using testing::offer;
using testing::proposing;
using testing::ScriptedPolicy;
using testing::trio;
using testing::Trio;

// When and what a policy heard through on_proposal.
struct Heard {
    int turn = 0, round = 0;
    Proposal proposal;
};

// A policy that writes down what it hears and answers with `reply` (nothing when unset).
std::unique_ptr<ScriptedPolicy> listening(std::vector<Heard>& heard,
                                          std::function<void(PolicyContext&, const Proposal&)> reply = nullptr) {
    auto p = std::make_unique<ScriptedPolicy>();
    p->proposal = [&heard, reply](PolicyContext& ctx, const Proposal& proposal) {
        heard.push_back({ctx.state().turn, ctx.state().negotiation_round, proposal});
        if (reply) reply(ctx, proposal);
    };
    return p;
}

// North offers south 1000 t/turn of magnets at $50/kg for four turns.
Propose magnet_offer(const Game& g) {
    const CountryId north = id_of(g, "north"), south = id_of(g, "south");
    return offer(south, {testing::supply(north, south, good_of(g, "magnet"), 1000, 50'000)}, 4, "steady magnets");
}

// ---- Protocol -----------------------------------------------------------------------------------

TEST(NegotiationProtocol, ProposalFromOnTurnIsHeardInTheFirstRoundOfTheNextTurn) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    std::vector<Heard> heard;
    game.set_policy(north, proposing(0, magnet_offer(game)));
    game.set_policy(south, listening(heard));
    game.step();
    EXPECT_TRUE(heard.empty()) << "a proposal made in the policy phase waits for the next turn";
    ASSERT_EQ(game.state().proposals.size(), 1u);
    EXPECT_EQ(game.state().proposals[0].sent_turn, 0);
    game.step();
    ASSERT_EQ(heard.size(), 1u) << "heard once, not again in later rounds";
    EXPECT_EQ(heard[0].turn, 1);
    EXPECT_EQ(heard[0].round, 0);
    EXPECT_EQ(heard[0].proposal.from, north);
    EXPECT_EQ(heard[0].proposal.to, south);
    EXPECT_EQ(heard[0].proposal.note, "steady magnets");
    EXPECT_EQ(heard[0].proposal.counter_to, 0);
}

TEST(NegotiationProtocol, AcceptanceMakesAnActiveAgreementAndAnnouncesIt) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    game.set_policy(north, proposing(0, magnet_offer(game)));
    game.set_policy(south, accepting());
    game.step();
    EXPECT_TRUE(game.state().agreements.empty());
    game.step();
    const State& s = game.state();
    ASSERT_EQ(s.agreements.size(), 1u);
    const Agreement& a = s.agreements[0];
    EXPECT_EQ(a.status, AgreementStatus::Active);
    EXPECT_EQ(a.proposer, north);
    EXPECT_EQ(a.acceptor, south);
    EXPECT_EQ(a.start_turn, 1);
    EXPECT_EQ(a.end_turn, 4);  // four turns: 1..4
    EXPECT_EQ(a.clauses, magnet_offer(game).clauses);
    const Proposal& p = s.proposals[0];
    EXPECT_EQ(p.status, ProposalStatus::Accepted);
    EXPECT_EQ(p.agreement_id, a.id);
    auto announced = events_of(game, "agreement");
    ASSERT_EQ(announced.size(), 1u);
    EXPECT_EQ(announced[0].turn, 1);
    EXPECT_EQ(announced[0].data["agreement"], a.id);
    EXPECT_TRUE(contains(announced[0].text, "north ships 1000 t/turn of magnet to south at $50/kg"))
        << announced[0].text;
}

TEST(NegotiationProtocol, RejectionRecordsTheNoteAndTellsBothParties) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    game.set_policy(north, proposing(0, magnet_offer(game)));
    std::vector<Heard> heard;
    game.set_policy(south, listening(heard, [](PolicyContext& ctx, const Proposal& p) {
                        EXPECT_TRUE(ctx.issue(answer(p.id, AnswerKind::Reject, "too dear")).ok);
                    }));
    game.step();
    game.step();
    const Proposal& p = game.state().proposals.at(0);
    EXPECT_EQ(p.status, ProposalStatus::Rejected);
    EXPECT_EQ(p.reason, "too dear");
    EXPECT_EQ(p.answered_turn, 1);
    EXPECT_TRUE(game.state().agreements.empty());
    auto rejected = events_of(game, "proposal_rejected");
    ASSERT_EQ(rejected.size(), 1u);
    EXPECT_EQ(rejected[0].country, south);
    EXPECT_EQ(rejected[0].target, north);
    EXPECT_EQ(rejected[0].data["note"], "too dear");
    EXPECT_TRUE(contains(rejected[0].text, "too dear")) << rejected[0].text;
    // Both parties hear of it.
    EXPECT_TRUE(event_concerns(rejected[0], north));
    EXPECT_TRUE(event_concerns(rejected[0], south));
}

TEST(NegotiationProtocol, CounterIsHeardInTheNextRoundSoAnAcceptedCounterSignsTheSameTurn) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    ASSERT_GE(game.defs().negotiation.rounds, 2);
    // North proposes, then accepts any counter.
    std::vector<Heard> north_heard;
    auto proposer = proposing(0, magnet_offer(game));
    proposer->proposal = [&](PolicyContext& ctx, const Proposal& p) {
        north_heard.push_back({ctx.state().turn, ctx.state().negotiation_round, p});
        EXPECT_TRUE(ctx.issue(answer(p.id, AnswerKind::Accept)).ok);
    };
    game.set_policy(north, std::move(proposer));
    // South asks for a lower price.
    auto haggler = std::make_unique<ScriptedPolicy>();
    haggler->proposal = [](PolicyContext& ctx, const Proposal& p) {
        Respond r = answer(p.id, AnswerKind::Counter, "at $40/kg");
        r.clauses = p.clauses;
        r.clauses[0].price = 40'000;
        EXPECT_TRUE(ctx.issue(r).ok);
    };
    game.set_policy(south, std::move(haggler));
    game.step();
    game.step();
    const State& s = game.state();
    ASSERT_EQ(s.proposals.size(), 2u);
    const Proposal& original = s.proposals[0];
    const Proposal& counter = s.proposals[1];
    EXPECT_EQ(original.status, ProposalStatus::Countered);
    EXPECT_EQ(counter.from, south);
    EXPECT_EQ(counter.to, north);
    EXPECT_EQ(counter.counter_to, original.id);
    EXPECT_EQ(counter.sent_turn, 1);
    EXPECT_EQ(counter.sent_round, 0);
    EXPECT_EQ(counter.turns, original.turns) << "a counter keeps the duration unless it names one";
    ASSERT_EQ(north_heard.size(), 1u);
    EXPECT_EQ(north_heard[0].turn, 1);
    EXPECT_EQ(north_heard[0].round, 1);
    EXPECT_EQ(counter.status, ProposalStatus::Accepted);
    ASSERT_EQ(s.agreements.size(), 1u);
    const Agreement& a = s.agreements[0];
    EXPECT_EQ(a.start_turn, 1) << "signed in the turn the counter was made";
    EXPECT_EQ(a.proposal_id, counter.id);
    EXPECT_EQ(a.proposer, south);
    EXPECT_EQ(a.acceptor, north);
    EXPECT_EQ(a.clauses[0].price, 40'000);
    auto counters = events_of(game, "counter_proposal");
    ASSERT_EQ(counters.size(), 1u);
    EXPECT_EQ(counters[0].data["counter_to"], original.id);
}

TEST(NegotiationProtocol, WithOneRoundACounterIsHeardNextTurn) {
    Scenario sc = testing::with_defs(trio(), [](Definitions& d) { d.negotiation.rounds = 1; });
    Game game(std::move(sc), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    std::vector<Heard> north_heard;
    auto proposer = proposing(0, magnet_offer(game));
    proposer->proposal = [&](PolicyContext& ctx, const Proposal& p) {
        north_heard.push_back({ctx.state().turn, ctx.state().negotiation_round, p});
    };
    game.set_policy(north, std::move(proposer));
    auto haggler = std::make_unique<ScriptedPolicy>();
    haggler->proposal = [](PolicyContext& ctx, const Proposal& p) {
        Respond r = answer(p.id, AnswerKind::Counter);
        r.clauses = p.clauses;
        r.clauses[0].price = 40'000;
        ctx.issue(r);
    };
    game.set_policy(south, std::move(haggler));
    game.step();
    game.step();
    EXPECT_TRUE(north_heard.empty());
    game.step();
    ASSERT_EQ(north_heard.size(), 1u);
    EXPECT_EQ(north_heard[0].turn, 2);
    EXPECT_EQ(north_heard[0].round, 0);
}

TEST(NegotiationProtocol, UnansweredProposalExpiresAfterItsDeadline) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    ASSERT_EQ(game.defs().negotiation.deadline_turns, 1);
    std::vector<Heard> heard;
    game.set_policy(north, proposing(0, magnet_offer(game)));
    game.set_policy(south, listening(heard));  // hears it and says nothing
    game.step();
    EXPECT_EQ(game.state().proposals[0].deadline_turn, 1);
    game.step();
    EXPECT_EQ(heard.size(), 1u);
    EXPECT_EQ(game.state().proposals[0].status, ProposalStatus::Pending) << "still answerable in its deadline turn";
    EXPECT_TRUE(events_of(game, "proposal_expired").empty());
    game.step();
    EXPECT_EQ(game.state().proposals[0].status, ProposalStatus::Expired);
    auto expired = events_of(game, "proposal_expired");
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0].turn, 2);
    EXPECT_EQ(expired[0].data["proposal"], game.state().proposals[0].id);
    EXPECT_EQ(expired[0].country, south);
    EXPECT_EQ(expired[0].target, north);
    EXPECT_TRUE(game.state().agreements.empty());
}

TEST(NegotiationProtocol, ProposalMadeDuringARoundIsHeardInTheNextRound) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    const GoodId magnet = good_of(game, "magnet");
    game.set_policy(north, proposing(0, magnet_offer(game)));
    // South, hearing north's offer, asks east for magnets too.
    auto shopper = std::make_unique<ScriptedPolicy>();
    shopper->proposal = [=](PolicyContext& ctx, const Proposal&) {
        EXPECT_TRUE(ctx.issue(offer(east, {testing::supply(east, south, magnet, 500, 60'000)})).ok);
    };
    game.set_policy(south, std::move(shopper));
    std::vector<Heard> east_heard;
    game.set_policy(east, listening(east_heard));
    game.step();
    game.step();
    ASSERT_EQ(east_heard.size(), 1u);
    EXPECT_EQ(east_heard[0].turn, 1);
    EXPECT_EQ(east_heard[0].round, 1);
    EXPECT_EQ(east_heard[0].proposal.from, south);
    EXPECT_EQ(east_heard[0].proposal.sent_round, 0);
    EXPECT_EQ(east_heard[0].proposal.deadline_turn, 2);
}

// ---- Rate limit ---------------------------------------------------------------------------------

TEST(NegotiationRateLimit, ProposalsBeyondTheLimitInOneCallbackAreRefused) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    ASSERT_EQ(game.defs().negotiation.max_proposals_per_turn, 3);
    const std::vector<Clause> gift = {testing::payment(north, kThem, 1e6, false)};
    std::vector<CommandResult> results;
    auto p = std::make_unique<ScriptedPolicy>();
    p->turn = [&](PolicyContext& ctx) {
        if (ctx.state().turn != 0) return;
        results.push_back(ctx.issue(offer(south, gift)));  // 1
        Propose both = offer(south, gift);
        both.to = {south, east};  // 2 and 3: one per recipient
        results.push_back(ctx.issue(both));
        results.push_back(ctx.issue(offer(east, gift)));  // 4: over the limit
    };
    game.set_policy(north, std::move(p));
    game.step();
    ASSERT_EQ(results.size(), 3u);
    EXPECT_TRUE(results[0].ok) << results[0].message;
    EXPECT_TRUE(results[1].ok) << results[1].message;
    EXPECT_FALSE(results[2].ok);
    EXPECT_TRUE(contains(results[2].message, "rate limit")) << results[2].message;
    EXPECT_TRUE(contains(results[2].message, "sent 3 already")) << results[2].message;
    EXPECT_EQ(game.state().proposals.size(), 3u);
    bool logged = false;
    for (const auto& e : game.history()[0].events)
        logged |= e.type == "command_refused" && contains(e.text, "rate limit");
    EXPECT_TRUE(logged);
}

TEST(NegotiationRateLimit, ProposalToSeveralCountriesCountsEachRecipient) {
    Scenario sc = testing::with_defs(trio(), [](Definitions& d) { d.negotiation.max_proposals_per_turn = 1; });
    Game game(std::move(sc), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    std::vector<IssuedCommand> queue;
    EventList log;
    PolicyContext ctx(game.defs(), game.state(), north, queue, log);
    Propose both = offer(south, {testing::payment(north, kThem, 1e6, false)});
    both.to = {south, east};
    CommandResult r = ctx.issue(both);
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(contains(r.message, "rate limit")) << r.message;
    EXPECT_TRUE(queue.empty());
    EXPECT_TRUE(ctx.issue(offer(east, {testing::payment(north, east, 1e6, false)})).ok) << "one recipient fits";
}

TEST(NegotiationRateLimit, ProposalsSentInARoundCountInThePolicyPhaseButCountersDoNot) {
    Scenario sc = testing::with_defs(trio(), [](Definitions& d) { d.negotiation.max_proposals_per_turn = 2; });
    Game game(std::move(sc), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    game.set_policy(south, proposing(0, offer(north, {testing::payment(south, north, 1e6, false)})));
    CommandResult late;
    auto p = std::make_unique<ScriptedPolicy>();
    p->proposal = [=](PolicyContext& ctx, const Proposal& heard) {
        // Counter south's offer (free), and make two proposals to east (the whole allowance).
        Respond r = answer(heard.id, AnswerKind::Counter);
        r.clauses = {testing::payment(south, north, 2e6, false)};
        EXPECT_TRUE(ctx.issue(r).ok);
        for (double usd : {1e6, 2e6})
            EXPECT_TRUE(ctx.issue(offer(east, {testing::payment(north, east, usd, false)})).ok);
    };
    p->turn = [&](PolicyContext& ctx) {
        if (ctx.state().turn == 1) late = ctx.issue(offer(south, {testing::payment(north, south, 1e6, false)}));
        if (ctx.state().turn == 2) {
            EXPECT_TRUE(ctx.issue(offer(south, {testing::payment(north, south, 1e6, false)})).ok)
                << "the allowance is per turn";
        }
    };
    game.set_policy(north, std::move(p));
    for (int t = 0; t < 3; ++t) game.step();
    EXPECT_FALSE(late.ok);
    EXPECT_TRUE(contains(late.message, "rate limit: 2 proposals per turn (sent 2 already")) << late.message;
    int countered = 0;
    for (const auto& pr : game.state().proposals) countered += pr.from == north && pr.counter_to != 0;
    EXPECT_EQ(countered, 1);
}

// ---- Terms refused when proposed ----------------------------------------------------------------

// Issues `from`'s proposal of `clauses` to `to` on the game's current state; returns the result.
CommandResult propose_now(const Game& g, CountryId from, CountryId to, std::vector<Clause> clauses) {
    std::vector<IssuedCommand> queue;
    EventList log;
    PolicyContext ctx(g.defs(), g.state(), from, queue, log);
    CommandResult r = ctx.issue(offer(to, std::move(clauses)));
    EXPECT_EQ(queue.size(), r.ok ? 1u : 0u) << "a refused proposal is not queued";
    EXPECT_EQ(log.size(), r.ok ? 0u : 1u) << "a refusal is logged";
    return r;
}

::testing::AssertionResult refused_with(const CommandResult& r, const std::string& part) {
    if (r.ok) return ::testing::AssertionFailure() << "accepted; expected a refusal mentioning \"" << part << "\"";
    if (!contains(r.message, part))
        return ::testing::AssertionFailure()
               << "refused with \"" << r.message << "\", expected it to mention \"" << part << "\"";
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult accepted(const CommandResult& r) {
    if (r.ok) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "refused: " << r.message;
}

TEST(ProposalTerms, SellerMustHaveTheCapacityOrStock) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    // South makes no magnets and holds 1500 t.
    EXPECT_TRUE(
        refused_with(propose_now(game, south, north, {testing::supply(south, north, magnet, 2000, 60'000)}),
                     "clause 1 (supply): south can make or hold 1500 t/turn of magnet and has promised 0: it cannot "
                     "ship 2000 more"));
    EXPECT_TRUE(accepted(propose_now(game, south, north, {testing::supply(south, north, magnet, 1000, 60'000)})));
}

TEST(ProposalTerms, VolumeAlreadyPromisedIsNotForSaleTwice) {
    Scenario sc = trio();
    const CountryId north = sc.defs->country_id("north"), south = sc.defs->country_id("south");
    const CountryId east = sc.defs->country_id("east");
    const GoodId magnet = GoodId{sc.defs->good_index("magnet")};
    // East makes 7500 t/turn and has promised north 6000 of them.
    ASSERT_NE(testing::in_force(sc, east, north, {testing::supply(east, north, magnet, 6000, 60'000)}, 4), 0);
    Game game(std::move(sc), no_leverage());
    EXPECT_TRUE(refused_with(propose_now(game, south, east, {testing::supply(east, south, magnet, 2000, 60'000)}),
                             "has promised 6000: it cannot ship 2000 more"));
    EXPECT_TRUE(accepted(propose_now(game, south, east, {testing::supply(east, south, magnet, 1000, 60'000)})));
}

TEST(ProposalTerms, LicenseOnAnOpenRouteChangesNothing) {
    Scenario sc = trio();
    const auto [north, south, east, oxide, magnet, G] = Trio(*sc.defs);
    sc.initial.rule(north, magnet, east).regime = Regime::Licensed;
    Game game(std::move(sc), no_leverage());
    EXPECT_TRUE(refused_with(propose_now(game, north, south, {testing::general_license(north, south, magnet, 1000)}),
                             "north exports of magnet to south are open: a license changes nothing"));
    EXPECT_TRUE(accepted(propose_now(game, north, east, {testing::general_license(north, east, magnet, 1000)})));
}

TEST(ProposalTerms, LicenseOnAnEmbargoedRouteNeedsTheEmbargoEasedInTheSameProposal) {
    Scenario sc = trio();
    const auto [north, south, east, oxide, magnet, G] = Trio(*sc.defs);
    sc.initial.rule(north, magnet, south).regime = Regime::Embargo;
    Game game(std::move(sc), no_leverage());
    EXPECT_TRUE(refused_with(propose_now(game, north, south, {testing::general_license(north, south, magnet, 1000)}),
                             "embargoes magnet to south: a license needs a regime clause that eases it too"));
    EXPECT_TRUE(accepted(propose_now(game, north, south,
                                     {testing::regime_change(north, south, magnet, Regime::Licensed),
                                      testing::general_license(north, south, magnet, 1000)})));
}

TEST(ProposalTerms, RegimeClauseMustEase) {
    Scenario sc = trio();
    const auto [north, south, east, oxide, magnet, G] = Trio(*sc.defs);
    sc.initial.rule(north, magnet, east).regime = Regime::Embargo;
    Game game(std::move(sc), no_leverage());
    EXPECT_TRUE(
        refused_with(propose_now(game, north, south, {testing::regime_change(north, south, magnet, Regime::Licensed)}),
                     "north exports of magnet to south are already open: a regime clause lifts or eases"));
    EXPECT_TRUE(
        refused_with(propose_now(game, north, east, {testing::regime_change(north, east, magnet, Regime::Embargo)}),
                     "already embargo"));
    EXPECT_TRUE(
        accepted(propose_now(game, north, east, {testing::regime_change(north, east, magnet, Regime::Licensed)})));
}

TEST(ProposalTerms, LoanCannotExceedTheLendersStockpile) {
    Scenario sc = trio();
    const auto [north, south, east, oxide, magnet, G] = Trio(*sc.defs);
    sc.initial.countries[north].stockpile[magnet] = 500;
    Game game(std::move(sc), no_leverage());
    EXPECT_TRUE(refused_with(propose_now(game, north, south, {testing::stockpile_loan(north, south, magnet, 600)}),
                             "north's stockpile holds 500 t of magnet, not 600"));
    EXPECT_TRUE(accepted(propose_now(game, north, south, {testing::stockpile_loan(north, south, magnet, 500)})));
}

TEST(ProposalTerms, PaymentCannotExceedThePayersTreasury) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), east = id_of(game, "east");
    ASSERT_DOUBLE_EQ(game.state().countries[east].treasury, 50'000e6);
    EXPECT_TRUE(refused_with(propose_now(game, north, east, {testing::payment(east, north, 60'000e6, false)}),
                             "east's treasury ($50000M) cannot pay $60000M"));
    EXPECT_TRUE(accepted(propose_now(game, north, east, {testing::payment(east, north, 40'000e6, false)})));
}

TEST(ProposalTerms, ClausesBindOnlyTheTwoParties) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    const GoodId magnet = good_of(game, "magnet");
    EXPECT_TRUE(refused_with(propose_now(game, north, south,
                                         {testing::supply(north, south, magnet, 100, 60'000),
                                          testing::supply(east, south, magnet, 100, 60'000)}),
                             "clause 2 (supply): its parties must be north and south"));
    EXPECT_TRUE(refused_with(propose_now(game, north, north, {testing::payment(north, south, 1e6, false)}),
                             "cannot make a proposal to itself"));
}

// ---- The forecast helper ------------------------------------------------------------------------

// The trio with north's magnets embargoed to south from the start: south goes short.
Scenario south_cut_off() {
    Scenario sc = trio();
    sc.initial.rule(sc.defs->country_id("north"), GoodId{sc.defs->good_index("magnet")}, sc.defs->country_id("south"))
        .regime = Regime::Embargo;
    return sc;
}

Proposal draft(CountryId from, CountryId to, std::vector<Clause> clauses, int turns = 4) {
    Proposal p;
    p.from = from;
    p.to = to;
    p.clauses = std::move(clauses);
    p.turns = turns;
    return p;
}

TEST(ForecastHelper, MagnetsForACountryShortOfThemAreAGainForIt) {
    // Without the autopilot's defense-priority rule, which would otherwise serve south's defense
    // in both forecasts and leave the deal no security gain (docs/model.md §Autopilot).
    Game game(testing::with_defs(south_cut_off(),
                                 [](Definitions& d) {
                                     for (auto& c : d.countries) c.autopilot.defense_priority = false;
                                 }),
              no_leverage());
    const CountryId south = id_of(game, "south"), east = id_of(game, "east");
    const GoodId magnet = good_of(game, "magnet");
    ASSERT_GT(testing::unmet(game, game.step().outcome, south), 1000.0) << "south is short of magnets";
    Forecast f = forecast_proposal(game.defs(), game.state(), south,
                                   draft(east, south, {testing::supply(east, south, magnet, 2000, 60'000)}));
    EXPECT_TRUE(f.feasible) << f.reason;
    EXPECT_EQ(f.turns, game.defs().negotiation.forecast_turns);
    EXPECT_LT(f.unmet, 0.0) << "less of south's demand goes unmet";
    EXPECT_GT(f.security, 0.0);
    EXPECT_GT(f.gain, 0.0);
    // Contract magnets at $60/kg cost south less than what it pays on the spot market in a shortage.
    EXPECT_GT(f.money, 0.0);
}

TEST(ForecastHelper, OneOffPaymentCountsAsMoneyForBothParties) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const Proposal p = draft(north, south, {testing::payment(south, north, 1'000e6, false)});
    Forecast payer = forecast_proposal(game.defs(), game.state(), south, p);
    Forecast payee = forecast_proposal(game.defs(), game.state(), north, p);
    EXPECT_NEAR(payer.money, -1'000e6, 1.0);
    EXPECT_NEAR(payee.money, 1'000e6, 1.0);
    EXPECT_LT(payer.gain, 0.0);
    EXPECT_GT(payee.gain, 0.0);
}

TEST(ForecastHelper, InfeasibleProposalSaysWhy) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    Forecast f = forecast_proposal(game.defs(), game.state(), south,
                                   draft(north, south, {testing::stockpile_loan(north, south, magnet, 100)}));
    EXPECT_FALSE(f.feasible);
    EXPECT_TRUE(contains(f.reason, "north's stockpile holds 0 t of magnet, not 100")) << f.reason;
    EXPECT_EQ(f.gain, 0.0);
}

TEST(ForecastHelper, BudgetPerTurnIsSharedByTheRoundsAndThePolicyPhase) {
    Scenario sc = testing::with_defs(trio(), [](Definitions& d) { d.negotiation.forecasts_per_turn = 2; });
    Game game(std::move(sc), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    const Proposal gift = draft(north, south, {testing::payment(north, south, 1e6, false)});
    game.set_policy(north, proposing(0, offer(south, gift.clauses)));
    std::vector<CommandResult> turn0;
    int left_in_turn1 = -1;
    bool round_forecast_ok = false;
    auto p = std::make_unique<ScriptedPolicy>();
    p->proposal = [&](PolicyContext& ctx, const Proposal& heard) {
        Forecast f;
        round_forecast_ok = ctx.forecast(heard, 0, f).ok;
    };
    p->turn = [&](PolicyContext& ctx) {
        Forecast f;
        if (ctx.state().turn == 0)
            for (int i = 0; i < 3; ++i) turn0.push_back(ctx.forecast(gift, 0, f));
        if (ctx.state().turn == 1) left_in_turn1 = ctx.forecasts_left();
    };
    game.set_policy(south, std::move(p));
    CommandResult bystander;
    auto q = std::make_unique<ScriptedPolicy>();
    q->turn = [&](PolicyContext& ctx) {
        Forecast f;
        if (ctx.state().turn == 0) bystander = ctx.forecast(gift, 0, f);
    };
    game.set_policy(east, std::move(q));
    game.step();
    ASSERT_EQ(turn0.size(), 3u);
    EXPECT_TRUE(turn0[0].ok);
    EXPECT_TRUE(turn0[1].ok);
    EXPECT_FALSE(turn0[2].ok);
    EXPECT_EQ(turn0[2].message, "forecast budget spent: 2 per turn");
    EXPECT_FALSE(bystander.ok);
    EXPECT_EQ(bystander.message, "a forecast is for a party of the proposal");
    game.step();
    EXPECT_TRUE(round_forecast_ok) << "a new turn, a new budget";
    EXPECT_EQ(left_in_turn1, 1) << "the forecast made in the negotiation round counts";
}

// ---- The autopilot's answers --------------------------------------------------------------------

// East offers south 2000 t/turn of magnets at the reference price on turn 0; south plays the
// autopilot and answers in turn 1, which is played.
Game east_offers_magnets_to_south(Scenario sc) {
    Game game(std::move(sc), no_leverage());
    const CountryId south = id_of(game, "south"), east = id_of(game, "east");
    const GoodId magnet = good_of(game, "magnet");
    game.set_policy(east, proposing(0, offer(south, {testing::supply(east, south, magnet, 2000, 60'000)})));
    game.step();
    game.step();
    return game;
}

TEST(AutopilotAnswers, AcceptsAWorthwhileProposalFromATrustedCountry) {
    Game game = east_offers_magnets_to_south(south_cut_off());
    const CountryId south = id_of(game, "south"), east = id_of(game, "east");
    ASSERT_GE(testing::trust(game.state(), south, east), 0.25);
    const Proposal& p = game.state().proposals.at(0);
    EXPECT_EQ(p.status, ProposalStatus::Accepted) << p.reason;
    const Agreement* a = find_agreement(game.state(), p.agreement_id);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->status, AgreementStatus::Active);
    EXPECT_GT(a->progress[0].delivered, 0.0) << "the contract shipped in the turn it was signed";
}

// A seller whose own regime licenses the route, and whose licences for the buyer are refused, cannot
// ship what a supply clause asks: the forecast shows the breach, and the autopilot refuses the deal
// (it used to sign it and breach it a turn later: the docs-only modder review's tutorial policy).
Scenario north_refuses_south_magnet_licences() {
    Scenario sc = trio();
    const CountryId north = sc.defs->country_id("north"), south = sc.defs->country_id("south");
    const GoodId magnet{sc.defs->good_index("magnet")};
    sc.initial.rule(north, magnet, south).regime = Regime::Licensed;
    ApprovalPolicy refuse;
    refuse.exporter = north, refuse.good = magnet, refuse.destination = south, refuse.share = 0.0;
    sc.initial.approval_policies.push_back(refuse);
    return sc;
}

TEST(ForecastHelper, ADealTheSellersOwnLicensingStopsIsForecastAsItsBreach) {
    Game game(north_refuses_south_magnet_licences(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    const Proposal p = draft(south, north, {testing::supply(north, south, magnet, 500, 90'000)});
    const Forecast f = forecast_proposal(game.defs(), game.state(), north, p);
    EXPECT_TRUE(f.feasible) << f.reason;
    EXPECT_EQ(f.breach_by, north);
    EXPECT_TRUE(contains(f.breach_reason, "delivered")) << f.breach_reason;
    // The same deal over an open route is kept.
    Game open(trio(), no_leverage());
    const Forecast kept = forecast_proposal(open.defs(), open.state(), north, p);
    EXPECT_EQ(kept.breach_by, kNoCountry) << kept.breach_reason;
}

TEST(AutopilotAnswers, RefusesADealItCouldNotKeep) {
    Game game(north_refuses_south_magnet_licences(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    game.set_policy(south, proposing(0, offer(north, {testing::supply(north, south, magnet, 500, 90'000)})));
    game.step();
    game.step();
    const Proposal& p = game.state().proposals.at(0);
    EXPECT_EQ(p.status, ProposalStatus::Rejected);
    EXPECT_TRUE(contains(p.reason, "we could not keep it: delivered")) << p.reason;
    EXPECT_TRUE(events_of(game, "agreement_breach").empty());
}

TEST(AutopilotAnswers, RejectsTheSameProposalFromADistrustedCountry) {
    Scenario sc = south_cut_off();
    sc.initial.countries[sc.defs->country_id("south")].trust[sc.defs->country_id("east")] = 0.2;
    Game game = east_offers_magnets_to_south(std::move(sc));
    const Proposal& p = game.state().proposals.at(0);
    EXPECT_EQ(p.status, ProposalStatus::Rejected);
    EXPECT_EQ(p.reason, "we do not trust you enough");
    EXPECT_TRUE(game.state().agreements.empty());
    auto rejected = events_of(game, "proposal_rejected");
    ASSERT_EQ(rejected.size(), 1u);
    EXPECT_TRUE(contains(rejected[0].text, "we do not trust you enough")) << rejected[0].text;
}

TEST(AutopilotAnswers, RejectsAProposalThatOnlyCostsIt) {
    Game game(trio(), no_leverage());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    game.set_policy(north, proposing(0, offer(south, {testing::payment(south, north, 1'000e6, false)})));
    game.step();
    game.step();
    const Proposal& p = game.state().proposals.at(0);
    EXPECT_EQ(p.status, ProposalStatus::Rejected);
    EXPECT_EQ(p.reason, "it does not pay for us");
    EXPECT_TRUE(game.state().agreements.empty());
}

TEST(AutopilotAnswers, SellerCountersALossMakingSaleAtAHigherPrice) {
    Game game(south_cut_off(), no_leverage());
    const CountryId south = id_of(game, "south"), east = id_of(game, "east");
    const GoodId magnet = good_of(game, "magnet");
    // South asks east for magnets at the reference price; east could sell them dearer on the spot market.
    auto buyer = proposing(0, offer(east, {testing::supply(east, south, magnet, 2000, 60'000)}));
    std::vector<Heard> heard;
    buyer->proposal = [&](PolicyContext& ctx, const Proposal& p) {
        heard.push_back({ctx.state().turn, ctx.state().negotiation_round, p});
    };
    game.set_policy(south, std::move(buyer));
    game.step();
    game.step();
    const State& s = game.state();
    ASSERT_EQ(s.proposals.size(), 2u);
    EXPECT_EQ(s.proposals[0].status, ProposalStatus::Countered);
    EXPECT_EQ(s.proposals[1].counter_to, s.proposals[0].id);
    EXPECT_EQ(s.proposals[1].note, "at a better price");
    ASSERT_EQ(s.proposals[1].clauses.size(), 1u);
    EXPECT_EQ(s.proposals[1].clauses[0].price, 69'000) << "15% more";
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_EQ(heard[0].round, 1);
}

}  // namespace
}  // namespace chokepoint
