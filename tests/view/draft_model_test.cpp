// A human seat's draft (issue 13, trap 9): contradicting decisions are refused when drafted, the
// ones that add up are not, and an investment's cost and first output are known before it is added.
#include "view/model/draft_model.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <utility>

#include "engine/instruments/investment.hpp"
#include "engine/game/game.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint::view {
namespace {

class Draft : public ::testing::Test {
protected:
    Scenario sc = chokepoint::testing::trio();
    const Definitions& d = *sc.defs;
    GoodId magnet{d.good_index("magnet")}, oxide{d.good_index("oxide")};
    CountryId south = d.country_id("south"), east = d.country_id("east");
};

TEST_F(Draft, AcceptingAndRejectingOneProposalIsRefused) {
    const std::vector<Command> draft{Respond{7, AnswerKind::Accept, {}, 0, ""}};
    const auto conflict = draft_conflict(d, draft, Respond{7, AnswerKind::Reject, {}, 0, ""});
    ASSERT_TRUE(conflict);
    EXPECT_NE(conflict->find("proposal"), std::string::npos) << *conflict;
    EXPECT_NE(conflict->find("remove it first"), std::string::npos) << *conflict;
    EXPECT_FALSE(draft_conflict(d, draft, Respond{8, AnswerKind::Reject, {}, 0, ""})) << "another proposal";
}

TEST_F(Draft, ASecondDecisionOnOneApplicationOrAgreementIsRefused) {
    const std::vector<Command> draft{DecideLicense{3, LicenseDecisionKind::Approve, -1.0, 4, false}, Withdraw{5, ""}};
    EXPECT_TRUE(draft_conflict(d, draft, DecideLicense{3, LicenseDecisionKind::Deny, -1.0, 4, false}));
    EXPECT_FALSE(draft_conflict(d, draft, DecideLicense{4, LicenseDecisionKind::Deny, -1.0, 4, false}));
    EXPECT_TRUE(draft_conflict(d, draft, Withdraw{5, "again"}));
}

TEST_F(Draft, OneSettingPerGoodAndPartner) {
    const std::vector<Command> draft{SetExportRegime{magnet, south, Regime::Embargo}, SetExportQuota{magnet, 100.0}};
    EXPECT_TRUE(draft_conflict(d, draft, SetExportRegime{magnet, south, Regime::Open}));
    EXPECT_FALSE(draft_conflict(d, draft, SetExportRegime{magnet, east, Regime::Open})) << "another destination";
    EXPECT_FALSE(draft_conflict(d, draft, SetExportRegime{oxide, south, Regime::Open})) << "another good";
    EXPECT_TRUE(draft_conflict(d, draft, SetExportQuota{magnet, 200.0}));
    EXPECT_FALSE(draft_conflict(d, draft, SetProductionQuota{magnet, 200.0})) << "another instrument";
}

TEST_F(Draft, PurchasesAddUpButBuyingAndReleasingOneStockpileIsRefused) {
    const std::vector<Command> draft{StockpileBuy{magnet, 10.0, 1e5}};
    EXPECT_FALSE(draft_conflict(d, draft, StockpileBuy{magnet, 5.0, 1e5}));
    EXPECT_TRUE(draft_conflict(d, draft, StockpileRelease{magnet, 5.0, 0.0}));
    EXPECT_FALSE(draft_conflict(d, draft, StockpileRelease{oxide, 5.0, 0.0}));
    EXPECT_FALSE(draft_conflict(d, draft, StartProject{std::nullopt, magnet, 100.0, 0.0}));
    EXPECT_FALSE(draft_conflict(d, draft, Propose{{south}, {}, 4, ""}));
}

TEST_F(Draft, AnInvestmentsCostAndFirstOutputAreTheEnginesBeforeItIsAdded) {
    State s = sc.initial;
    s.turn = 3;
    const InvestmentPreview p = preview_investment(d, s, magnet, 500.0);
    EXPECT_DOUBLE_EQ(p.capex_usd, project_capex(d, magnet, 500.0));
    EXPECT_GT(p.capex_usd, 0.0);
    EXPECT_EQ(p.lead_turns, 4);  // trio.yaml: magnet_making lead_turns 4
    EXPECT_EQ(p.online_turn, 7);
    // What the engine then records for the same project.
    const Project& made = start_project(d, s, CountryId{0}, CountryId{0}, magnet, 500.0, 0.0, false, p.lead_turns);
    EXPECT_DOUBLE_EQ(made.capex, p.capex_usd);
    EXPECT_EQ(made.online_turn, p.online_turn);
}

}  // namespace
}  // namespace chokepoint::view

namespace chokepoint::view {
namespace {

// China's observation when it decides on the baseline's first turn: its queue of applications.
State china_observation(const Scenario& sc) {
    Game game(sc, GameOptions{.measure_leverage = false});
    auto spy = std::make_unique<chokepoint::testing::ScriptedPolicy>();
    State seen;
    spy->turn = [&](PolicyContext& ctx) { seen = ctx.state(); };
    game.set_policy(sc.defs->country_id("china"), std::move(spy));
    game.step();
    return seen;
}

// The baseline's first turn: China's queue of applications (29 in the 2026 scenario), grouped.
TEST(LicencePaperwork, GroupsCoverEveryWaitingApplicationOncePerDestinationAndGood) {
    const Scenario sc = load_scenario("config/scenarios/baseline.yaml");
    const Definitions& d = *sc.defs;
    const CountryId china = d.country_id("china");
    const State obs = china_observation(sc);
    size_t waiting = 0;
    for (const auto& a : obs.applications)
        if (a.exporter == china && a.status == ApplicationStatus::Pending && obs.turn >= a.decidable_turn) ++waiting;
    ASSERT_GT(waiting, 10u) << "the baseline starts with a queue at China";
    const auto groups = group_applications(obs, china);
    size_t ids = 0;
    std::set<std::pair<int, int>> keys;
    std::set<int> seen;
    for (size_t i = 0; i < groups.size(); ++i) {
        const auto& g = groups[i];
        EXPECT_TRUE(keys.insert({g.importer.value(), g.good.value()}).second) << "one group per destination and good";
        if (i > 0) {
            EXPECT_GE(groups[i - 1].tonnes, g.tonnes) << "largest first";
        }
        double tonnes = 0.0, defense = 0.0;
        for (int id : g.ids) {
            EXPECT_TRUE(seen.insert(id).second);
            for (const auto& a : obs.applications)
                if (a.id == id) {
                    EXPECT_EQ(a.importer, g.importer);
                    EXPECT_EQ(a.good, g.good);
                    tonnes += a.tonnes_per_turn;
                    if (a.end_use == EndUse::Defense) defense += a.tonnes_per_turn;
                }
        }
        EXPECT_DOUBLE_EQ(g.tonnes, tonnes);
        EXPECT_DOUBLE_EQ(g.defense_tonnes, defense);
        ids += g.ids.size();
    }
    EXPECT_EQ(ids, waiting);
    EXPECT_LT(groups.size(), waiting) << "grouping shortens the list";
    EXPECT_TRUE(group_applications(obs, d.country_id("usa")).empty()) << "the US licenses nothing";
}

TEST(LicencePaperwork, AdviceOnAnApplicationNamesWhoAskedForWhat) {
    const Scenario sc = load_scenario("config/scenarios/baseline.yaml");
    const Definitions& d = *sc.defs;
    const State obs = china_observation(sc);
    const auto groups = group_applications(obs, d.country_id("china"));
    ASSERT_FALSE(groups.empty());
    const int id = groups.front().ids.front();
    const std::string text = application_context(d, obs, DecideLicense{id, LicenseDecisionKind::Deny, -1.0, 4, false});
    EXPECT_NE(text.find(d.countries[groups.front().importer].name), std::string::npos) << text;
    EXPECT_NE(text.find(d.goods[groups.front().good].name), std::string::npos) << text;
    EXPECT_NE(text.find("t/turn"), std::string::npos) << text;
    EXPECT_TRUE(application_context(d, obs, Withdraw{1, ""}).empty());
    EXPECT_TRUE(application_context(d, obs, DecideLicense{999999, LicenseDecisionKind::Deny, -1.0, 4, false}).empty());
}

}  // namespace
}  // namespace chokepoint::view
