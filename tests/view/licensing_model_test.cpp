// The licensing panel's data: queues from the pending applications, decisions
// per turn from license_decision events with the mean wait, approval rates by
// importer, and a team view that keeps others' paperwork out.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "engine/scenario/loader.hpp"
#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"
#include "view/model/licensing_model.hpp"

namespace chokepoint::view {
namespace {

using testing::ScriptedPolicy;

using testing::snapshot_of;

// ---- A hand-checked example on the trio's definitions --------------------------------------

struct Trio {
    std::shared_ptr<const Definitions> defs = testing::trio().defs;
    CountryId north = defs->country_id("north"), east = defs->country_id("east"), south = defs->country_id("south");
    GoodId magnet = GoodId{defs->good_index("magnet")};
};

GameEvent decision(int turn, CountryId exporter, CountryId importer, bool approved, int waited, double requested, double granted) {
    nlohmann::json data = {
        {"decision", approved ? "approved" : "denied"}, {"waited_turns", waited}, {"requested_t", requested}};
    if (approved) data["approved_t"] = granted;
    return GameEvent{turn, "license_decision", exporter, importer, "a decision", data};
}

LicenseApplication application(int id, CountryId exporter, CountryId importer, double tonnes, int filed, int decidable,
                               ApplicationStatus status = ApplicationStatus::Pending) {
    LicenseApplication a;
    a.id = id;
    a.exporter = exporter;
    a.importer = importer;
    a.good = GoodId{2};
    a.tonnes_per_turn = tonnes;
    a.filed_turn = filed;
    a.decidable_turn = decidable;
    a.status = status;
    return a;
}

// Two turns: north approves south (waited 1, 80 of 100 t) and denies east (waited 3) in turn 0;
// in turn 1 east approves south after 2 turns, one of north's applications from south lapses, and
// south files two applications. Four applications pend when turn 4 is about to be played.
Snapshot example(const Trio& t) {
    Snapshot s;
    s.defs = t.defs;
    auto r0 = std::make_shared<TurnRecord>();
    r0->turn = 0;
    r0->date = t.defs->date_of_turn(0);
    r0->events.push_back(decision(0, t.north, t.south, true, 1, 100, 80));
    r0->events.push_back(decision(0, t.north, t.east, false, 3, 50, 0));
    auto r1 = std::make_shared<TurnRecord>();
    r1->turn = 1;
    r1->date = t.defs->date_of_turn(1);
    r1->events.push_back(decision(1, t.east, t.south, true, 2, 10, 10));
    r1->events.push_back(GameEvent{1, "license_expired", t.north, t.south, "lapsed", {{"application", 9}}});
    r1->events.push_back(GameEvent{1, "license_application", t.south, t.north, "applies", {}});
    r1->events.push_back(GameEvent{1, "license_application", t.south, t.east, "applies", {}});
    s.history = {r0, r1};
    s.state.turn = 4;
    s.state.applications = {application(20, t.north, t.south, 30, 1, 2), application(21, t.north, t.east, 12, 3, 5),
                            application(22, t.north, t.south, 8, 3, 4), application(23, t.east, t.south, 5, 2, 3),
                            application(24, t.north, t.south, 99, 0, 1, ApplicationStatus::Approved)};
    return s;
}

TEST(LicensingModel, DecisionsPerTurnAndTheMeanWaitMatchAHandCount) {
    Trio t;
    const LicensingView v = licensing_view(example(t), std::nullopt);
    ASSERT_EQ(v.turns.size(), 2u);
    EXPECT_EQ(v.turns[0].approved, 1);
    EXPECT_EQ(v.turns[0].denied, 1);
    EXPECT_DOUBLE_EQ(v.turns[0].mean_wait, 2.0);  // (1 + 3) / 2
    EXPECT_DOUBLE_EQ(v.turns[0].requested_t, 150.0);
    EXPECT_DOUBLE_EQ(v.turns[0].approved_t, 80.0);
    EXPECT_EQ(v.turns[1].approved, 1);
    EXPECT_EQ(v.turns[1].expired, 1);
    EXPECT_EQ(v.turns[1].applications, 2);
    EXPECT_DOUBLE_EQ(v.turns[1].mean_wait, 2.0);
    EXPECT_EQ(v.approved, 2);
    EXPECT_EQ(v.denied, 1);
    EXPECT_EQ(v.expired, 1);
    EXPECT_DOUBLE_EQ(v.mean_wait, 2.0);  // (1 + 3 + 2) / 3
}

TEST(LicensingModel, ATurnWithoutDecisionsHasNoMeanWait) {
    Trio t;
    Snapshot s = example(t);
    auto quiet = std::make_shared<TurnRecord>();
    quiet->turn = 2;
    s.history.push_back(quiet);
    const LicensingView v = licensing_view(s, std::nullopt);
    ASSERT_EQ(v.turns.size(), 3u);
    EXPECT_TRUE(std::isnan(v.turns[2].mean_wait));
    EXPECT_EQ(v.turns[2].approved + v.turns[2].denied, 0);
}

TEST(LicensingModel, ApprovalRateAndWaitByImporter) {
    Trio t;
    const LicensingView v = licensing_view(example(t), std::nullopt);
    ASSERT_EQ(v.importers.size(), 2u);  // east and south (north imports nothing here)
    for (const auto& r : v.importers) {
        if (r.importer == t.south) {
            EXPECT_EQ(r.approved, 2);
            EXPECT_EQ(r.denied, 0);
            EXPECT_EQ(r.expired, 1);
            EXPECT_DOUBLE_EQ(r.approval_rate, 1.0);
            EXPECT_DOUBLE_EQ(r.mean_wait, 1.5);  // (1 + 2) / 2
        } else {
            EXPECT_EQ(r.importer, t.east);
            EXPECT_DOUBLE_EQ(r.approval_rate, 0.0);
            EXPECT_DOUBLE_EQ(r.mean_wait, 3.0);
        }
    }
}

TEST(LicensingModel, AnExporterFilterKeepsOnlyItsDecisions) {
    Trio t;
    const LicensingView v = licensing_view(example(t), std::nullopt, t.east);
    EXPECT_EQ(v.approved, 1);
    EXPECT_EQ(v.denied, 0);
    EXPECT_EQ(v.expired, 0);
    EXPECT_DOUBLE_EQ(v.mean_wait, 2.0);
    EXPECT_EQ(v.turns[1].applications, 1) << "south's application to east only";
    EXPECT_EQ(v.queues.size(), 2u) << "the queues still list every exporter";
}

TEST(LicensingModel, QueuesCountPendingTonnesAndTheOldestWait) {
    Trio t;
    const LicensingView v = licensing_view(example(t), std::nullopt);
    ASSERT_EQ(v.queues.size(), 2u);
    const ExporterQueue* north = queue_of(v, t.north);
    ASSERT_NE(north, nullptr);
    EXPECT_EQ(v.queues[0].exporter, t.north) << "longest queue first";
    EXPECT_EQ(north->pending, 3) << "the approved application is no longer queued";
    EXPECT_DOUBLE_EQ(north->tonnes, 50.0);
    EXPECT_EQ(north->oldest_wait, 3);  // filed in turn 1, turn 4 about to be played
    EXPECT_EQ(north->decidable, 2) << "application 21 is decidable only from turn 5";
    ASSERT_EQ(north->applications.size(), 3u);
    EXPECT_EQ(north->applications[0].id, 20) << "oldest first";
    EXPECT_FALSE(north->hidden);
    const ExporterQueue* east = queue_of(v, t.east);
    ASSERT_NE(east, nullptr);
    EXPECT_EQ(east->pending, 1);
    EXPECT_EQ(east->oldest_wait, 2);
    EXPECT_EQ(queue_of(v, t.south), nullptr);
}

TEST(LicensingModel, TeamViewShowsOnlyPaperworkTheTeamIsPartyTo) {
    Trio t;
    const LicensingView v = licensing_view(example(t), t.east);
    // North's queue is hidden but for east's own firms' application.
    const ExporterQueue* north = queue_of(v, t.north);
    ASSERT_NE(north, nullptr);
    EXPECT_TRUE(north->hidden);
    ASSERT_EQ(north->applications.size(), 1u);
    EXPECT_EQ(north->applications[0].importer, t.east);
    EXPECT_EQ(v.hidden_pending, 2);
    // East's own queue is all there.
    const ExporterQueue* east = queue_of(v, t.east);
    ASSERT_NE(east, nullptr);
    EXPECT_FALSE(east->hidden);
    EXPECT_EQ(east->pending, 1);
    // Decisions: north's denial of east and east's approval for south; not north's approval for south.
    EXPECT_EQ(v.approved, 1);
    EXPECT_EQ(v.denied, 1);
    EXPECT_EQ(v.expired, 0);
}

// ---- A real game: north denies every application on a licensed route -----------------------

TEST(LicensingModel, CountsFromARealGameMatchItsEventsAndState) {
    Scenario sc = testing::trio();
    const Definitions& d = *sc.defs;
    const CountryId north = d.country_id("north");
    for (CountryId c : d.country_ids())
        for (GoodId g : d.good_ids())
            if (c != north) sc.initial.rule(north, g, c).regime = Regime::Licensed;
    Game game(std::move(sc), GameOptions{false});
    // Denies east, approves south (the engine asks once an application's processing time has passed).
    auto n = std::make_unique<ScriptedPolicy>();
    const CountryId east = game.defs().country_id("east");
    n->license = [east](PolicyContext& ctx, const LicenseApplication& a) {
        DecideLicense dl{a.id, a.importer == east ? LicenseDecisionKind::Deny : LicenseDecisionKind::Approve};
        EXPECT_TRUE(ctx.issue(dl).ok);
    };
    game.set_policy(north, std::move(n));
    for (int i = 0; i < 6; ++i) game.step();
    const Snapshot snap = snapshot_of(game);
    const LicensingView v = licensing_view(snap, std::nullopt);

    int approved = 0, denied = 0;
    double waited = 0.0;
    for (const auto& r : game.history())
        for (const auto& e : r.events)
            if (e.type == "license_decision") {
                (e.data["decision"] == "approved" ? approved : denied)++;
                waited += e.data["waited_turns"].get<double>();
            }
    ASSERT_GT(approved, 0);
    ASSERT_GT(denied, 0);
    EXPECT_EQ(v.approved, approved);
    EXPECT_EQ(v.denied, denied);
    EXPECT_DOUBLE_EQ(v.mean_wait, waited / (approved + denied));
    for (const auto& r : v.importers) {
        EXPECT_DOUBLE_EQ(r.approval_rate, r.importer == east ? 0.0 : 1.0);
    }
    int pending = 0;
    for (const auto& a : game.state().applications) pending += a.status == ApplicationStatus::Pending;
    int listed = 0;
    for (const auto& q : v.queues) listed += q.pending;
    EXPECT_EQ(listed, pending);
}

}  // namespace
}  // namespace chokepoint::view
