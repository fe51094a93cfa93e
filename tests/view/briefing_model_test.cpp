// A team's briefing (view/model/briefing_model): objectives from the score weights, its position
// from the scenario's starting state, and the scenario's own brief where it gives one.
#include "view/model/briefing_model.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "engine/scenario/loader.hpp"
#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"

namespace chokepoint::view {
namespace {

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
    for (const auto& l : lines)
        if (l.find(part) != std::string::npos) return true;
    return false;
}

// The trio world: north makes ore, oxide and magnets (200 kt/yr of magnets), east 30 kt/yr of
// magnets, south only buys magnets.
TEST(Briefing, ABuyerLearnsWhatItLacksAndFromWhom) {
    Game g(testing::trio());
    const Snapshot snap = testing::snapshot_of(g);
    const Definitions& d = *snap.defs;
    const Briefing b = team_briefing(snap, d.country_id("south"));
    EXPECT_EQ(b.team, "South");
    EXPECT_EQ(b.scenario, "Trio test world");
    EXPECT_TRUE(b.makes.empty()) << "south has no capacity";
    EXPECT_TRUE(has_line(b.needs, "Magnet: uses ")) << ::testing::PrintToString(b.needs);
    EXPECT_TRUE(has_line(b.needs, "own capacity covers 0 %"));
    ASSERT_EQ(b.suppliers.size(), 1u) << ::testing::PrintToString(b.suppliers);
    // 200 of 230 kt/yr and 30 of 230, the larger maker first; both trade openly with south.
    EXPECT_EQ(b.suppliers[0], "Magnet from North (87 % of the world's capacity), East (13 % of the world's capacity)");
    EXPECT_NE(b.treasury.find(" in the treasury"), std::string::npos);
    // The objectives: one line per part, heaviest first, shares adding up to 100 %.
    ASSERT_EQ(b.objectives.size(), 3u);
    const ScoreWeights& w = d.countries[d.country_id("south")].weights;
    struct Part {
        double weight;
        const char* name;
    };
    std::vector<Part> parts = {{w.economy, "Economy"}, {w.security, "Security"}, {w.influence, "Influence"}};
    std::stable_sort(parts.begin(), parts.end(), [](const Part& x, const Part& y) { return x.weight > y.weight; });
    const double sum = w.economy + w.security + w.influence;
    for (size_t i = 0; i < parts.size(); ++i)
        EXPECT_EQ(b.objectives[i].rfind(fmt::format("{} {:.0f} %: ", parts[i].name, 100 * parts[i].weight / sum), 0), 0u)
            << b.objectives[i];
}

TEST(Briefing, AMakerSeesItsShareAndALicensingExporterIsNamed) {
    Game g(testing::trio());
    Snapshot snap = testing::snapshot_of(g);
    const Definitions& d = *snap.defs;
    const CountryId north = d.country_id("north"), south = d.country_id("south");
    const Briefing maker = team_briefing(snap, north);
    EXPECT_TRUE(has_line(maker.makes, "Magnet: 200.0 kt/yr capacity, 87 % of the world's")) << ::testing::PrintToString(maker.makes);
    // North licenses its magnet exports to south from the start: south's briefing says so.
    auto start = std::make_shared<State>(*snap.start);
    start->rule(north, GoodId{d.good_index("magnet")}, south).regime = Regime::Licensed;
    snap.start = start;
    const Briefing buyer = team_briefing(snap, south);
    ASSERT_EQ(buyer.suppliers.size(), 1u);
    EXPECT_NE(buyer.suppliers[0].find("North (87 % of the world's capacity; its exports to you need a licence)"),
              std::string::npos)
        << buyer.suppliers[0];
}

// The baseline gives the four classroom seats a brief of their own; the others have none.
TEST(Briefing, TheBaselineBriefsItsClassroomSeats) {
    const Scenario sc = load_scenario("config/scenarios/baseline.yaml");
    for (const char* id : {"china", "usa", "eu", "japan"})
        EXPECT_GT(sc.defs->countries[sc.defs->country_id(id)].briefing.size(), 200u) << id;
    EXPECT_TRUE(sc.defs->countries[sc.defs->country_id("brazil")].briefing.empty());
    Snapshot snap;
    snap.defs = sc.defs;
    snap.start = std::make_shared<const State>(sc.initial);
    const Briefing usa = team_briefing(snap, sc.defs->country_id("usa"));
    EXPECT_NE(usa.brief.find("Mountain Pass"), std::string::npos);
    EXPECT_EQ(usa.situation, sc.defs->description);
    EXPECT_FALSE(usa.needs.empty());
    EXPECT_TRUE(has_line(usa.suppliers, "China (")) << ::testing::PrintToString(usa.suppliers);
}

}  // namespace
}  // namespace chokepoint::view
