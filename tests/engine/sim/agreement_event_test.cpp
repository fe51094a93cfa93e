// A scheduled `agreement` event (docs/scenario-format.md §Event types): a scripted deal between
// two countries, as if proposed and accepted at that turn, enforced like a negotiated one.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/scenario/loader.hpp"
#include "engine/game/game.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using testing::good_of;
using testing::id_of;

std::string trio_with(const std::string& extra) {
    std::ifstream in("tests/scenarios/trio.yaml");
    std::ostringstream text;
    text << in.rdbuf() << extra;
    return text.str();
}

const char* const kDeal = R"(
events:
  - turn: 1
    type: agreement
    country: north
    target: south
    turns: 4
    text: North sells South magnets under a tariff deal
    clauses:
      - {type: supply, good: magnet, tonnes: 500, price: 70}
      - {type: tariff, from: south, to: north, good: magnet, rate: 0}
)";

TEST(AgreementEvent, StartsAnEnforcedAgreementAtItsTurn) {
    Game game(load_scenario_text(trio_with(kDeal), "trio+deal.yaml"));
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    game.step();
    EXPECT_TRUE(game.state().agreements.empty());
    game.step();
    ASSERT_EQ(game.state().agreements.size(), 1u);
    const Agreement& a = game.state().agreements.front();
    EXPECT_EQ(a.proposer, north);
    EXPECT_EQ(a.acceptor, south);
    EXPECT_EQ(a.status, AgreementStatus::Active);
    ASSERT_EQ(a.clauses.size(), 2u);
    EXPECT_DOUBLE_EQ(a.clauses[0].price, 70000.0) << "USD/kg in the file, USD/t inside";
    EXPECT_GE(game.history().back().outcome.flows[magnet](north, south), 500.0 - 1e-6);
    EXPECT_EQ(a.progress[0].delivered, 500.0);
}

TEST(AgreementEvent, MistakesInClausesAreLocated) {
    const std::string bad = R"(
events:
  - turn: 1
    type: agreement
    country: north
    target: south
    clauses:
      - {type: supply, good: magnet, tonnes: 500}
      - {type: swap, good: magnet}
      - {type: payment, usd: 5, colour: red}
)";
    try {
        load_scenario_text(trio_with(bad), "trio+bad.yaml");
        ADD_FAILURE() << "loaded";
    } catch (const ScenarioError& e) {
        std::string all;
        for (const auto& p : e.problems) all += p + "\n";
        EXPECT_NE(all.find("events[0].clauses[0].price: required key missing"), std::string::npos) << all;
        EXPECT_NE(all.find("events[0].clauses[1].type"), std::string::npos) << all;
        EXPECT_NE(all.find("events[0].clauses[2].colour: unknown key"), std::string::npos) << all;
    }
}

TEST(AgreementEvent, ADealThatCannotBeFulfilledFailsWithTheReason) {
    const std::string big = R"(
events:
  - turn: 0
    type: agreement
    country: south
    target: north
    clauses:
      - {type: supply, good: magnet, tonnes: 900000, price: 70}
)";
    Game game(load_scenario_text(trio_with(big), "trio+big.yaml"));
    game.step();
    EXPECT_TRUE(game.state().agreements.empty());
    ASSERT_FALSE(game.state().proposals.empty());
    EXPECT_EQ(game.state().proposals.back().status, ProposalStatus::Failed);
    EXPECT_FALSE(game.state().proposals.back().reason.empty());
}

}  // namespace
}  // namespace chokepoint
