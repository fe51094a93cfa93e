// The diplomacy panel's data: every proposal and agreement of the state, pending
// first; agreements breached and licences' end-use violations, apart, with who, when
// and why; trust now and over time; and a team view that hides others' proposals but
// not what is public.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "agents/lua/lua_policy.hpp"
#include "engine/diplomacy/clauses.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"
#include "view/model/diplomacy_model.hpp"

namespace chokepoint::view {
namespace {

using testing::ScriptedPolicy;

using testing::snapshot_of;

bool involves(const ProposalRow& r, CountryId c) { return r.from == c || r.to == c; }

// The shipped Lua policies negotiate: eight baseline turns give proposals, counters, agreements.
class BaselineDiplomacy : public ::testing::Test {
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
    static inline Snapshot* snap_ = nullptr;
};

TEST_F(BaselineDiplomacy, ListsEveryProposalOncePendingFirstWithItsTermsInWords) {
    const State& s = snap().state;
    ASSERT_FALSE(s.proposals.empty()) << "the shipped policies should negotiate in eight turns";
    const DiplomacyView v = diplomacy_view(snap(), std::nullopt);
    EXPECT_EQ(v.pending.size() + v.answered.size(), s.proposals.size());
    EXPECT_EQ(v.counts.proposals, static_cast<int>(s.proposals.size()));
    EXPECT_EQ(v.hidden_proposals, 0);
    const auto pending = std::count_if(s.proposals.begin(), s.proposals.end(),
                                       [](const Proposal& p) { return p.status == ProposalStatus::Pending; });
    EXPECT_EQ(static_cast<long>(v.pending.size()), pending);
    EXPECT_EQ(v.counts.accepted + v.counts.rejected + v.counts.countered + v.counts.expired + v.counts.failed +
                  v.counts.pending,
              v.counts.proposals);
    for (const auto& r : v.pending) EXPECT_EQ(r.status, ProposalStatus::Pending);
    for (const auto& r : v.answered) EXPECT_NE(r.status, ProposalStatus::Pending);
    for (size_t i = 1; i < v.answered.size(); ++i)
        EXPECT_GE(v.answered[i - 1].answered_turn, v.answered[i].answered_turn) << "newest answers first";
    for (const auto& p : s.proposals) {
        auto row =
            std::find_if(v.answered.begin(), v.answered.end(), [&](const ProposalRow& r) { return r.id == p.id; });
        if (row == v.answered.end())
            row = std::find_if(v.pending.begin(), v.pending.end(), [&](const ProposalRow& r) { return r.id == p.id; });
        ASSERT_NE(row, v.pending.end()) << "proposal " << p.id;
        EXPECT_EQ(row->terms, describe(*snap().defs, p.clauses));
        EXPECT_EQ(row->clauses.size(), p.clauses.size());
        EXPECT_EQ(row->counter_to, p.counter_to);
    }
}

TEST_F(BaselineDiplomacy, AgreementsSplitIntoActiveAndEndedWithEverySupplyClausesProgress) {
    const State& s = snap().state;
    ASSERT_FALSE(s.agreements.empty()) << "the shipped policies should strike deals in eight turns";
    const DiplomacyView v = diplomacy_view(snap(), std::nullopt);
    EXPECT_EQ(v.active.size() + v.ended.size(), s.agreements.size());
    for (const auto& r : v.active) EXPECT_EQ(r.status, AgreementStatus::Active);
    for (const auto& r : v.ended) EXPECT_NE(r.status, AgreementStatus::Active);
    for (const auto& a : s.agreements) {
        const auto& rows = a.status == AgreementStatus::Active ? v.active : v.ended;
        auto row = std::find_if(rows.begin(), rows.end(), [&](const AgreementRow& r) { return r.id == a.id; });
        ASSERT_NE(row, rows.end()) << "agreement " << a.id;
        EXPECT_EQ(row->start_date, snap().defs->date_of_turn(a.start_turn));
        size_t k = 0;
        for (size_t i = 0; i < a.clauses.size(); ++i) {
            if (a.clauses[i].kind != ClauseKind::Supply) continue;
            ASSERT_LT(k, row->supply.size());
            EXPECT_EQ(row->supply[k].delivered, a.progress[i].delivered);
            EXPECT_EQ(row->supply[k].arrears, a.progress[i].arrears);
            EXPECT_EQ(row->supply[k].seller, a.clauses[i].from);
            ++k;
        }
        EXPECT_EQ(k, row->supply.size());
    }
}

TEST_F(BaselineDiplomacy, TeamViewHidesOthersProposalsButNotAgreementsBreachesOrTrust) {
    const DiplomacyView all = diplomacy_view(snap(), std::nullopt);
    bool hid_something = false;
    for (CountryId team : snap().defs->country_ids()) {
        SCOPED_TRACE(snap().defs->countries[team].id);
        const DiplomacyView v = diplomacy_view(snap(), team);
        for (const auto& r : v.pending) EXPECT_TRUE(involves(r, team));
        for (const auto& r : v.answered) EXPECT_TRUE(involves(r, team));
        const auto mine = std::count_if(snap().state.proposals.begin(), snap().state.proposals.end(),
                                        [&](const Proposal& p) { return p.from == team || p.to == team; });
        EXPECT_EQ(static_cast<long>(v.pending.size() + v.answered.size()), mine);
        EXPECT_EQ(v.hidden_proposals + static_cast<int>(mine), static_cast<int>(snap().state.proposals.size()));
        hid_something |= v.hidden_proposals > 0;
        EXPECT_EQ(v.active.size(), all.active.size());
        EXPECT_EQ(v.ended.size(), all.ended.size());
        EXPECT_EQ(v.agreement_breaches.size(), all.agreement_breaches.size());
        EXPECT_EQ(v.end_use_violations.size(), all.end_use_violations.size());
        EXPECT_EQ(v.trust, all.trust);
    }
    EXPECT_TRUE(hid_something) << "with several negotiators, some proposals are between others";
}

TEST_F(BaselineDiplomacy, AgreementBreachesAndLicenceEndUseViolationsAreListedApart) {
    const DiplomacyView v = diplomacy_view(snap(), std::nullopt);
    const auto breached = std::count_if(snap().state.agreements.begin(), snap().state.agreements.end(),
                                        [](const Agreement& a) { return a.status == AgreementStatus::Breached; });
    EXPECT_EQ(static_cast<long>(v.agreement_breaches.size()), breached);
    EXPECT_EQ(v.counts.breached, static_cast<int>(breached));
    for (const auto& b : v.agreement_breaches) EXPECT_GT(b.agreement_id, 0);
    long violations = 0;
    for (const auto& r : snap().history)
        for (const auto& e : r->events)
            if (e.type == "end_use_violation" && e.data.value("agreement", 0) == 0) ++violations;
    EXPECT_EQ(static_cast<long>(v.end_use_violations.size()), violations);
    EXPECT_EQ(v.counts.end_use_violations, static_cast<int>(violations));
    for (const auto& b : v.end_use_violations) {
        EXPECT_EQ(b.agreement_id, 0);
        EXPECT_FALSE(b.good.empty());
        EXPECT_GT(b.tonnes, 0.0);
    }
}

TEST_F(BaselineDiplomacy, TrustMatrixIsTheStatesAndItsHistoryEndsThere) {
    const DiplomacyView v = diplomacy_view(snap(), std::nullopt);
    const State& s = snap().state;
    const int n = snap().defs->country_count();
    ASSERT_EQ(v.trust.rows, n);
    ASSERT_EQ(v.trust.cols, n);
    for (CountryId a : snap().defs->country_ids())
        for (CountryId b : snap().defs->country_ids()) EXPECT_EQ(v.trust(a, b), s.countries[a].trust[b]);
    // Every other country's trust in country 0, one value per recorded turn, ending at the state's.
    const auto series = trust_over_time(snap(), CountryId{0});
    ASSERT_EQ(series.size(), static_cast<size_t>(n - 1));
    for (const auto& t : series) {
        EXPECT_EQ(t.trusted, CountryId{0});
        ASSERT_EQ(t.values.size(), snap().history.size());
        EXPECT_EQ(t.values.back(), s.countries[t.truster].trust[CountryId{0}]);
    }
    // With no country: each one's mean trust received.
    const auto means = trust_over_time(snap(), std::nullopt);
    ASSERT_EQ(means.size(), static_cast<size_t>(n));
    double sum = 0.0;
    for (int o = 1; o < n; ++o) sum += s.countries[CountryId{o}].trust[CountryId{0}];
    EXPECT_NEAR(means[0].values.back(), sum / (n - 1), 1e-12);
}

// ---- A scripted trio game: one deal accepted then broken, one proposal rejected ----------------

Clause supply(CountryId seller, CountryId buyer, GoodId g, double tonnes, double usd_per_t) {
    Clause c;
    c.kind = ClauseKind::Supply;
    c.from = seller;
    c.to = buyer;
    c.good = g;
    c.tonnes = tonnes;
    c.price = usd_per_t;
    return c;
}

// North offers south magnets on a licensed route, then denies every license, so nothing ships
// and the arrears become its breach; east rejects north's other offer with a note.
Game broken_deal() {
    Scenario sc = testing::trio();
    const Definitions& d = *sc.defs;
    const CountryId north = d.country_id("north"), south = d.country_id("south"), east = d.country_id("east");
    const GoodId magnet = GoodId{d.good_index("magnet")}, oxide = GoodId{d.good_index("oxide")};
    sc.initial.rule(north, magnet, south).regime = Regime::Licensed;
    Game game(std::move(sc), GameOptions{false});

    auto n = std::make_unique<ScriptedPolicy>();
    auto autopilot = std::make_shared<AutopilotPolicy>();
    n->turn = [=](PolicyContext& ctx) {
        if (ctx.state().turn == 0) {
            Propose to_south{{south}, {supply(north, south, magnet, 1000, 50'000)}, 4, "steady magnets"};
            Propose to_east{{east}, {supply(north, east, oxide, 500, 40'000)}, 4, "oxide for you"};
            EXPECT_TRUE(ctx.issue(to_south).ok);
            EXPECT_TRUE(ctx.issue(to_east).ok);
        }
        autopilot->on_turn(ctx);
    };
    n->license = [](PolicyContext& ctx, const LicenseApplication& a) {
        EXPECT_TRUE(ctx.issue(DecideLicense{a.id, LicenseDecisionKind::Deny}).ok);
    };
    auto s = std::make_unique<ScriptedPolicy>();
    s->proposal = [](PolicyContext& ctx, const Proposal& p) {
        ctx.issue(Respond{p.id, AnswerKind::Accept, {}, 0, ""});
    };
    auto e = std::make_unique<ScriptedPolicy>();
    e->proposal = [](PolicyContext& ctx, const Proposal& p) {
        ctx.issue(Respond{p.id, AnswerKind::Reject, {}, 0, "too dear"});
    };
    game.set_policy(north, std::move(n));
    game.set_policy(south, std::move(s));
    game.set_policy(east, std::move(e));
    for (int i = 0; i < 5; ++i) game.step();
    return game;
}

TEST(DiplomacyModel, ARejectionShowsItsNoteAndTheBrokenDealItsBreach) {
    Game game = broken_deal();
    const Snapshot snap = snapshot_of(game);
    const CountryId north = game.defs().country_id("north"), south = game.defs().country_id("south");
    const DiplomacyView v = diplomacy_view(snap, std::nullopt);
    EXPECT_EQ(v.counts.proposals, 2);
    EXPECT_EQ(v.counts.accepted, 1);
    EXPECT_EQ(v.counts.rejected, 1);
    ASSERT_EQ(v.answered.size(), 2u);
    auto rejected = std::find_if(v.answered.begin(), v.answered.end(),
                                 [](const ProposalRow& r) { return r.status == ProposalStatus::Rejected; });
    ASSERT_NE(rejected, v.answered.end());
    EXPECT_EQ(rejected->reason, "too dear");
    EXPECT_EQ(rejected->note, "oxide for you");

    ASSERT_EQ(v.ended.size(), 1u);
    EXPECT_EQ(v.ended[0].status, AgreementStatus::Breached);
    EXPECT_EQ(v.counts.breached, 1);
    ASSERT_EQ(v.ended[0].supply.size(), 1u);
    EXPECT_EQ(v.ended[0].supply[0].delivered, 0.0) << "no license, nothing shipped";
    EXPECT_GT(v.ended[0].supply[0].arrears, 0.0);

    ASSERT_EQ(v.agreement_breaches.size(), 1u);
    const BreachRow& b = v.agreement_breaches[0];
    EXPECT_EQ(b.breaker, north);
    EXPECT_EQ(b.wronged, south);
    EXPECT_EQ(b.agreement_id, v.ended[0].id);
    EXPECT_EQ(b.turn, v.ended[0].ended_turn);
    EXPECT_NE(b.reason.find("owed"), std::string::npos) << b.reason;
    EXPECT_DOUBLE_EQ(b.trust_after, game.state().countries[south].trust[north]);
}

TEST(DiplomacyModel, TrustChangesNameTheBreachThatCausedThem) {
    Game game = broken_deal();
    const Snapshot snap = snapshot_of(game);
    const CountryId north = game.defs().country_id("north"), south = game.defs().country_id("south"),
              east = game.defs().country_id("east");
    const DiplomacyView v = diplomacy_view(snap, std::nullopt);
    ASSERT_EQ(v.agreement_breaches.size(), 1u);
    const double drop = game.defs().negotiation.trust.breach;
    const auto changes = trust_changes(snap, drop * 0.9);
    auto wronged = std::find_if(changes.begin(), changes.end(), [&](const TrustChange& c) {
        return c.truster == south && c.trusted == north;
    });
    ASSERT_NE(wronged, changes.end());
    EXPECT_EQ(wronged->turn, v.agreement_breaches[0].turn);
    EXPECT_NEAR(wronged->before - wronged->after, drop, 1e-9);
    EXPECT_NE(wronged->cause.find("breaches agreement"), std::string::npos) << wronged->cause;
    // Third countries lose trust in the breaker too (reputation), a smaller move.
    const auto small = trust_changes(snap, 1e-6, east);
    auto rep = std::find_if(small.begin(), small.end(), [&](const TrustChange& c) {
        return c.truster == east && c.trusted == north && c.turn == v.agreement_breaches[0].turn;
    });
    ASSERT_NE(rep, small.end());
    EXPECT_EQ(rep->cause.rfind("reputation: ", 0), 0u) << rep->cause;
    for (const auto& c : small) EXPECT_TRUE(c.truster == east || c.trusted == east);
    for (size_t i = 1; i < changes.size(); ++i) EXPECT_GE(changes[i - 1].turn, changes[i].turn) << "newest first";
}

// A licence's end-use violation breaks no deal: it is listed and counted apart from the broken
// agreement. One under an agreement is that agreement's breach, listed once.
TEST(DiplomacyModel, ALicencesEndUseViolationIsNotCountedAsABrokenAgreement) {
    Game game = broken_deal();
    Snapshot snap = snapshot_of(game);
    const CountryId north = game.defs().country_id("north"), south = game.defs().country_id("south");
    TurnRecord last = *snap.history.back();
    GameEvent licence;
    licence.turn = last.turn;
    licence.type = "end_use_violation";
    licence.country = south;
    licence.target = north;
    licence.text = "found out: 2.0 t of magnet from north went to defense use";
    licence.data = {{"good", "magnet"}, {"tonnes", 2.0}, {"agreement", 0}};
    GameEvent under_deal = licence;
    under_deal.data["agreement"] = snap.state.agreements.front().id;
    last.events.push_back(licence);
    last.events.push_back(under_deal);
    snap.history.back() = std::make_shared<const TurnRecord>(std::move(last));

    const DiplomacyView v = diplomacy_view(snap, std::nullopt);
    ASSERT_EQ(v.agreement_breaches.size(), 1u);
    EXPECT_EQ(v.counts.breached, 1);
    ASSERT_EQ(v.end_use_violations.size(), 1u);
    EXPECT_EQ(v.counts.end_use_violations, 1);
    const BreachRow& b = v.end_use_violations[0];
    EXPECT_EQ(b.agreement_id, 0);
    EXPECT_EQ(b.breaker, south);
    EXPECT_EQ(b.wronged, north);
    EXPECT_EQ(b.good, "magnet");
    EXPECT_DOUBLE_EQ(b.tonnes, 2.0);
    EXPECT_EQ(b.date, snap.history.back()->date);
}

TEST(DiplomacyModel, TeamViewOfAThirdCountryKeepsOnlyItsOwnProposal) {
    Game game = broken_deal();
    const Snapshot snap = snapshot_of(game);
    const CountryId east = game.defs().country_id("east");
    const DiplomacyView v = diplomacy_view(snap, east);
    EXPECT_EQ(v.hidden_proposals, 1);
    ASSERT_EQ(v.answered.size(), 1u);
    EXPECT_EQ(v.answered[0].to, east);
    EXPECT_EQ(v.agreement_breaches.size(), 1u) << "breaches are public";
    EXPECT_EQ(v.ended.size(), 1u) << "agreements are public";
}

TEST(DiplomacyModel, AnEmptySnapshotShowsNothing) {
    Snapshot empty;
    const DiplomacyView v = diplomacy_view(empty, std::nullopt);
    EXPECT_TRUE(v.pending.empty());
    EXPECT_TRUE(v.trust.empty());
    EXPECT_TRUE(trust_over_time(empty, CountryId{0}).empty());
    EXPECT_TRUE(trust_changes(empty, 0.0).empty());
}

}  // namespace
}  // namespace chokepoint::view
