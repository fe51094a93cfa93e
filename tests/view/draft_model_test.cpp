// A human seat's draft (issue 13, trap 9): contradicting decisions are refused when drafted, the
// ones that add up are not, and an investment's cost and first output are known before it is added.
#include "view/model/draft_model.hpp"

#include <gtest/gtest.h>

#include "engine/instruments/investment.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint::view {
namespace {

class Draft : public ::testing::Test {
protected:
    Scenario sc = chokepoint::testing::trio();
    const Definitions& d = *sc.defs;
    GoodId magnet{d.good_index("magnet")}, oxide{d.good_index("oxide")};
    int south = d.country_index("south"), east = d.country_index("east");
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
    EXPECT_FALSE(draft_conflict(d, draft, StartProject{-1, magnet, 100.0, 0.0}));
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
    const Project& made = start_project(d, s, 0, 0, magnet, 500.0, 0.0, false, p.lead_turns);
    EXPECT_DOUBLE_EQ(made.capex, p.capex_usd);
    EXPECT_EQ(made.online_turn, p.online_turn);
}

}  // namespace
}  // namespace chokepoint::view
