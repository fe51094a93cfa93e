// The leverage panel's data, from a real game on the trio world (north mines,
// separates and makes magnets; east makes magnets; south only buys magnets).
#include "view/model/leverage_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <set>
#include <sstream>

#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"

namespace chokepoint::view {
namespace {

// What the session would publish after the game's turns so far.
using testing::snapshot_of;


Snapshot played(int turns, GameOptions options = {}) {
    Game g(testing::trio(), options);
    for (int t = 0; t < turns; ++t) g.step();
    return snapshot_of(g);
}

class LeverageModel : public ::testing::Test {
protected:
    static void SetUpTestSuite() { game_ = new Snapshot(played(3)); }
    static void TearDownTestSuite() {
        delete game_;
        game_ = nullptr;
    }
    static const Snapshot& snap() { return *game_; }
    static CountryId country(const std::string& id) { return snap().defs->country_id(id); }
    static Snapshot* game_;
};
Snapshot* LeverageModel::game_ = nullptr;

TEST_F(LeverageModel, BalanceOverTimeHasOnePointPerTurnEqualToTheIndex) {
    const LeverageSeries s = leverage_over_time(snap());
    ASSERT_TRUE(s.measured);
    ASSERT_EQ(s.dates.size(), 3u);
    EXPECT_EQ(s.dates[0], "2030-01");
    EXPECT_EQ(s.dates[2], "2030-07");
    ASSERT_EQ(s.countries.size(), 3u);
    for (CountryId c : snap().defs->country_ids()) {
        ASSERT_EQ(s.combined[c].size(), 3u);
        for (size_t t = 0; t < 3; ++t) {
            const LeverageReport& r = snap().history[t]->leverage;
            EXPECT_DOUBLE_EQ(s.combined[c][t], r.index_combined[c]);
            EXPECT_DOUBLE_EQ(s.materials[c][t], r.index_materials[c]);
            EXPECT_DOUBLE_EQ(s.market_access[c][t], r.index_market_access[c]);
        }
    }
    EXPECT_EQ(&s.channel(LeverageChannel::Materials), &s.materials);
}

TEST_F(LeverageModel, NorthHoldsTheMostLeverageInTheTrio) {
    const LeverageSeries s = leverage_over_time(snap());
    const CountryId north = country("north");
    for (CountryId c : snap().defs->country_ids())
        if (c != north) {
            EXPECT_GT(s.combined[north].back(), s.combined[c].back()) << s.countries[c];
        }
}

TEST(LeverageModelUnmeasured, SeriesHaveGapsAndTheMatrixIsEmptyWhenLeverageIsOff) {
    const Snapshot snap = played(2, GameOptions{false});
    const LeverageSeries s = leverage_over_time(snap);
    EXPECT_FALSE(s.measured);
    ASSERT_EQ(s.combined.size(), 3u);
    ASSERT_EQ(s.combined[CountryId{0}].size(), 2u);
    EXPECT_TRUE(std::isnan(s.combined[CountryId{0}][1]));
    const NetMatrix m = net_matrix(snap);
    EXPECT_FALSE(m.measured);
    EXPECT_EQ(m.turn, 1);
    EXPECT_TRUE(m.net.empty());
    EXPECT_EQ(m.labels.size(), 3u) << "the countries are still named";
    const PairBreakdown p = pair_breakdown(snap, CountryId{0}, CountryId{1});
    EXPECT_FALSE(p.measured);
    EXPECT_EQ(p.goods.size(), 3u) << "shipments are known without leverage";
}

TEST(LeverageModelUnmeasured, NothingBeforeTheFirstTurn) {
    const Snapshot snap = played(0);
    EXPECT_EQ(latest_turn(snap), -1);
    EXPECT_TRUE(leverage_over_time(snap).dates.empty());
    const NetMatrix m = net_matrix(snap);
    EXPECT_FALSE(m.measured);
    EXPECT_EQ(m.turn, -1);
    EXPECT_FALSE(pair_breakdown(snap, CountryId{0}, CountryId{1}).measured);
}

TEST_F(LeverageModel, NetMatrixIsAntisymmetricAndOrderedByIndex) {
    const NetMatrix m = net_matrix(snap());
    ASSERT_TRUE(m.measured);
    EXPECT_EQ(m.turn, 2);
    EXPECT_EQ(m.date, "2030-07");
    const LeverageReport& r = snap().history.back()->leverage;
    ASSERT_EQ(m.order.size(), 3u);
    for (size_t i = 0; i + 1 < m.order.size(); ++i)
        EXPECT_GE(r.index_combined[m.order[i]], r.index_combined[m.order[i + 1]]);
    double span = 0;
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(m.labels[i], snap().defs->countries[m.order[i]].name);
        EXPECT_EQ(m.net[i][i], 0.0);
        for (size_t j = 0; j < 3; ++j) {
            EXPECT_DOUBLE_EQ(m.net[i][j], -m.net[j][i]);
            EXPECT_DOUBLE_EQ(m.net[i][j], r.net(m.order[i], m.order[j]));
            span = std::max(span, std::abs(m.net[i][j]));
        }
    }
    EXPECT_DOUBLE_EQ(m.span, span);
    EXPECT_EQ(m.order.front(), country("north"));
}

TEST_F(LeverageModel, NetMatrixOfAnEarlierTurnAndAnotherChannel) {
    const NetMatrix m = net_matrix(snap(), 0, LeverageChannel::MarketAccess);
    ASSERT_TRUE(m.measured);
    EXPECT_EQ(m.turn, 0);
    EXPECT_EQ(m.date, "2030-01");
    const LeverageReport& r = snap().history[0]->leverage;
    for (size_t i = 0; i < 3; ++i)
        for (size_t j = 0; j < 3; ++j)
            if (i != j) {
                EXPECT_DOUBLE_EQ(m.net[i][j],
                                 r.market_access(m.order[i], m.order[j]) - r.market_access(m.order[j], m.order[i]));
            }
    EXPECT_FALSE(net_matrix(snap(), 7).measured) << "a turn not played yet";
}

TEST_F(LeverageModel, PairBreakdownMatchesTheReportByGoodAndSumsStages) {
    const CountryId north = country("north"), south = country("south");
    const PairBreakdown p = pair_breakdown(snap(), north, south);
    ASSERT_TRUE(p.measured);
    const TurnRecord& rec = *snap().history.back();
    const LeverageReport& r = rec.leverage;
    const Definitions& d = *snap().defs;
    ASSERT_EQ(p.goods.size(), static_cast<size_t>(d.good_count()));
    for (const PairLine& g : p.goods) {
        ASSERT_TRUE(g.good.has_value());
        EXPECT_EQ(g.name, d.goods[*g.good].name);
        EXPECT_EQ(g.stage, d.goods[*g.good].stage);
        EXPECT_DOUBLE_EQ(g.a_over_b, r.materials_by_good[*g.good](north, south));
        EXPECT_DOUBLE_EQ(g.b_over_a, r.materials_by_good[*g.good](south, north));
        EXPECT_DOUBLE_EQ(g.net, g.a_over_b - g.b_over_a);
        EXPECT_DOUBLE_EQ(g.a_ships_to_b, rec.outcome.flows[*g.good](north, south) * d.turns_per_year());
    }
    ASSERT_EQ(p.stages.size(), 3u);
    for (const PairLine& s : p.stages) {
        double ab = 0, ba = 0, ships = 0;
        for (const PairLine& g : p.goods)
            if (g.stage == s.stage) ab += g.a_over_b, ba += g.b_over_a, ships += g.a_ships_to_b;
        EXPECT_DOUBLE_EQ(s.a_over_b, ab) << s.name;
        EXPECT_DOUBLE_EQ(s.b_over_a, ba) << s.name;
        EXPECT_DOUBLE_EQ(s.a_ships_to_b, ships) << s.name;
    }
    EXPECT_EQ(p.stages[2].name, "magnet");
    EXPECT_DOUBLE_EQ(p.materials_a_over_b, r.materials(north, south));
    EXPECT_DOUBLE_EQ(p.combined_a_over_b, r.combined(north, south));
    EXPECT_DOUBLE_EQ(p.net, r.net(north, south));
    EXPECT_DOUBLE_EQ(p.weight_materials, d.leverage.weight_materials);
}

TEST_F(LeverageModel, NorthsLeverageOverSouthRunsThroughMagnets) {
    const CountryId north = country("north"), south = country("south");
    const GoodId magnet = GoodId{snap().defs->good_index("magnet")};
    const PairBreakdown p = pair_breakdown(snap(), north, south);
    const PairLine& m = p.goods[magnet.index()];
    EXPECT_GT(m.a_over_b, 0.0) << "south buys its magnets from north";
    EXPECT_EQ(m.b_over_a, 0.0) << "south makes nothing north could miss";
    EXPECT_GT(m.a_ships_to_b, 0.0);
    EXPECT_GT(p.net, 0.0);
}

TEST_F(LeverageModel, SwappingThePairNegatesTheNet) {
    const PairBreakdown ab = pair_breakdown(snap(), CountryId{0}, CountryId{1}), ba = pair_breakdown(snap(), CountryId{1}, CountryId{0});
    EXPECT_DOUBLE_EQ(ab.net, -ba.net);
    for (size_t g = 0; g < ab.goods.size(); ++g) EXPECT_DOUBLE_EQ(ab.goods[g].net, -ba.goods[g].net);
    EXPECT_FALSE(pair_breakdown(snap(), CountryId{1}, CountryId{1}).measured) << "a country against itself";
}

TEST(LeverageLabels, CountryCodesAreThreeCapitalsFromTheIdsAndAllDiffer) {
    const auto out = country_codes({"china", "usa", "eu", "south_korea", "south_africa", "rest_of_world"});
    EXPECT_EQ(out, (std::vector<std::string>{"CHI", "USA", "EU", "SKO", "SAF", "ROW"}));
    EXPECT_EQ(country_codes({"malaysia", "mali", "china"}), (std::vector<std::string>{"MALA", "MALI", "CHI"}));
    EXPECT_EQ(country_codes({"niger", "nigeria"}), (std::vector<std::string>{"NIGER", "NIGERI"}));
}

TEST_F(LeverageModel, NetMatrixColumnsHaveShortCodesInTheRowsOrder) {
    const NetMatrix m = net_matrix(snap());
    ASSERT_EQ(m.codes.size(), m.labels.size());
    for (size_t i = 0; i < m.order.size(); ++i)
        EXPECT_EQ(m.codes[i], country_codes({snap().defs->countries[m.order[i]].id})[0]);
}

TEST(LeverageLabels, ShortNamesUseInitialsForSeveralWords) {
    EXPECT_EQ(short_name("United States"), "US");
    EXPECT_EQ(short_name("Rest of world"), "ROW");
    EXPECT_EQ(short_name("China"), "China");
}

// North embargoes south from turn `from` (0: the first): its leverage over south is in use.
Snapshot embargoed(int turns, int from = 0) {
    Game g(testing::trio());
    const CountryId south = g.defs().country_id("south");
    auto p = std::make_unique<testing::ScriptedPolicy>();
    p->turn = [south, from](PolicyContext& ctx) {
        if (ctx.state().turn == from)
            for (GoodId k : ctx.defs().good_ids()) ctx.issue(SetExportRegime{k, south, Regime::Embargo});
    };
    g.set_policy(g.defs().country_id("north"), std::move(p));
    for (int t = 0; t < turns; ++t) g.step();
    return snapshot_of(g);
}

TEST(LeverageSplit, TheStackIsExercisedBelowAndThePotentialOnTop) {
    const Snapshot snap = embargoed(2);
    const CountryId north = snap.defs->country_id("north"), south = snap.defs->country_id("south");
    const LeverageSeries s = leverage_over_time(snap);
    const LeverageStack k = exercised_vs_reserve(snap, north);
    ASSERT_TRUE(k.measured);
    EXPECT_EQ(k.name, "North");
    ASSERT_EQ(k.exercised.size(), 2u);
    ASSERT_EQ(k.stacked.size(), 2u);
    for (size_t t = 0; t < 2; ++t) {
        const LeverageReport& r = snap.history[t]->leverage;
        EXPECT_DOUBLE_EQ(s.exercised[north][t], r.index_exercised[north]);
        EXPECT_DOUBLE_EQ(s.reserve[north][t], r.index_reserve[north]);
        EXPECT_DOUBLE_EQ(k.exercised[t], r.index_exercised[north]);
        EXPECT_GE(k.stacked[t], k.exercised[t]);
        // The stack's top is the potential (materials index), up to clamping's documented tolerance.
        EXPECT_NEAR(k.stacked[t], r.index_materials[north], 1e-9);
    }
    // The embargo is in force: north's leverage is partly exercised.
    EXPECT_GT(k.latest_exercised, 0.0);
    EXPECT_DOUBLE_EQ(k.latest_exercised, k.exercised.back());
    // The pair view splits the materials channel the same way.
    const PairBreakdown p = pair_breakdown(snap, north, south);
    EXPECT_GT(p.exercised_a_over_b, 0.0);
    EXPECT_NEAR(p.exercised_a_over_b + p.reserve_a_over_b, p.materials_a_over_b, 1e-9);
    EXPECT_EQ(p.exercised_b_over_a, 0.0) << "south restricts nothing";
    double by_good = 0.0;
    for (const PairLine& l : p.goods) by_good += l.exercised_a_over_b;
    EXPECT_GT(by_good, 0.0);
}

TEST(LeverageSplit, WithoutRestrictionsNothingIsExercised) {
    const Snapshot snap = played(2);
    const LeverageStack k = exercised_vs_reserve(snap, snap.defs->country_id("north"));
    ASSERT_TRUE(k.measured);
    for (size_t t = 0; t < k.exercised.size(); ++t) {
        EXPECT_EQ(k.exercised[t], 0.0);
        EXPECT_GT(k.stacked[t], 0.0);
    }
    // Out-of-range selections are clamped, not read past the end.
    EXPECT_EQ(exercised_vs_reserve(snap, CountryId{99}).country, CountryId{snap.defs->country_count() - 1});
    EXPECT_EQ(exercised_vs_reserve(snap, std::nullopt).country, CountryId{0}) << "no selection: the first country";
}

TEST(LeverageSplit, UnmeasuredGamesHaveAnEmptyStack) {
    const Snapshot snap = played(2, GameOptions{false});
    const LeverageStack k = exercised_vs_reserve(snap, CountryId{0});
    EXPECT_FALSE(k.measured);
    for (double x : k.exercised) EXPECT_TRUE(std::isnan(x));
    EXPECT_EQ(k.latest_exercised, 0.0);
}

// Why a value changed. The parts of a change add up to it (the index is a sum over the other
// countries, the net four channel terms), the largest first; the largest part is the country or
// channel that moved most.
TEST_F(LeverageModel, AnIndexChangeIsSplitByCountryAndAddsUp) {
    const Definitions& d = *snap().defs;
    for (int ch = 0; ch < kLeverageChannelCount; ++ch) {
        const auto channel = static_cast<LeverageChannel>(ch);
        for (CountryId a : d.country_ids()) {
            const LeverageChange c = why_index_changed(snap(), a, channel);
            ASSERT_TRUE(c.available);
            EXPECT_EQ(c.turn, 2);
            EXPECT_EQ(c.previous, 1);
            const LeverageReport &now = snap().history[2]->leverage, &then = snap().history[1]->leverage;
            const auto index = channel == LeverageChannel::Materials      ? &LeverageReport::index_materials
                                : channel == LeverageChannel::MarketAccess ? &LeverageReport::index_market_access
                                                                           : &LeverageReport::index_combined;
            EXPECT_DOUBLE_EQ(c.after, (now.*index)[a]);
            EXPECT_DOUBLE_EQ(c.before, (then.*index)[a]);
            double sum = c.rest;
            for (const ChangePart& p : c.parts) sum += p.delta;
            EXPECT_NEAR(sum, c.after - c.before, 1e-12) << d.countries[a].name << " " << ch;
            EXPECT_LE(c.parts.size(), kChangeParts);
            for (size_t i = 1; i < c.parts.size(); ++i)
                EXPECT_GE(std::abs(c.parts[i - 1].delta), std::abs(c.parts[i].delta));
            // The largest part is the other country whose weighted term moved most, named.
            double largest = 0.0;
            std::string who;
            for (CountryId b : d.country_ids()) {
                if (b == a) continue;
                const auto x = [&](const LeverageReport& r) {
                    return channel == LeverageChannel::Materials      ? r.materials(a, b)
                           : channel == LeverageChannel::MarketAccess ? r.market_access(a, b)
                                                                      : r.combined(a, b);
                };
                const double move = now.weight[b] * x(now) - then.weight[b] * x(then);
                if (std::abs(move) > std::abs(largest)) largest = move, who = d.countries[b].name;
            }
            if (std::abs(largest) >= kChangeShown) {
                ASSERT_FALSE(c.parts.empty());
                EXPECT_DOUBLE_EQ(c.parts[0].delta, largest);
                EXPECT_NE(c.parts[0].text.find("over " + who), std::string::npos) << c.parts[0].text;
            } else {
                EXPECT_TRUE(c.parts.empty());
            }
        }
    }
}

TEST(LeverageChangeTest, AnEmbargoPutInForceIsNamedAndTheNetsPartsAddUp) {
    const Snapshot snap = embargoed(3, 2);  // north embargoes south in turn 2
    const Definitions& d = *snap.defs;
    const CountryId north = d.country_id("north"), south = d.country_id("south");
    const LeverageChange c = why_net_changed(snap, north, south);
    ASSERT_TRUE(c.available);
    EXPECT_EQ(c.previous_date, snap.history[1]->date);
    EXPECT_DOUBLE_EQ(c.after, snap.history[2]->leverage.net(north, south));
    EXPECT_DOUBLE_EQ(c.before, snap.history[1]->leverage.net(north, south));
    double sum = c.rest;
    for (const ChangePart& p : c.parts) sum += p.delta;
    EXPECT_NEAR(sum, c.after - c.before, 1e-12);
    bool named = false;
    for (const std::string& line : c.drivers)
        named = named || line.find("North's restrictions in force now cost South 0.000 → ") != std::string::npos;
    EXPECT_TRUE(named) << "drivers: " << ::testing::PrintToString(c.drivers);
    // The turn before, nothing was in force: no restriction is named.
    const LeverageChange before = why_net_changed(snap, north, south, 1);
    ASSERT_TRUE(before.available);
    for (const std::string& line : before.drivers) EXPECT_EQ(line.find("restrictions"), std::string::npos) << line;
    // Every pair's parts add up.
    for (CountryId a : d.country_ids())
        for (CountryId b : d.country_ids()) {
            if (a == b) continue;
            const LeverageChange p = why_net_changed(snap, a, b);
            double total = p.rest;
            for (const ChangePart& part : p.parts) total += part.delta;
            EXPECT_NEAR(total, p.after - p.before, 1e-12);
        }
}

TEST(LeverageChangeTest, NothingToCompareOnTheFirstTurnOrWithoutLeverage) {
    const Snapshot first = played(1);
    EXPECT_FALSE(why_index_changed(first, CountryId{0}).available);
    EXPECT_FALSE(why_net_changed(first, CountryId{0}, CountryId{1}).available);
    EXPECT_EQ(why_net_changed(first, CountryId{0}, CountryId{1}).headline(), "no earlier measured turn to compare with");
    const Snapshot off = played(3, GameOptions{false});
    EXPECT_FALSE(why_index_changed(off, CountryId{0}).available);
    EXPECT_FALSE(why_net_changed(played(2), CountryId{1}, CountryId{1}).available) << "a country against itself";
}

TEST(LeverageChangeTest, TheHeadlineReadsAsAChangeSinceADate) {
    LeverageChange c;
    c.available = true;
    c.previous_date = "2025-Q2";
    c.before = 0.12, c.after = 0.151;
    EXPECT_EQ(c.headline(), "+0.031 since 2025-Q2 (0.120 → 0.151)");
    c.after = 0.1202;
    EXPECT_EQ(c.headline(), "unchanged since 2025-Q2 (0.120)");
}

// Readable at font scale 2: every term is defined, in text the popup can wrap (no long words).
TEST(LeverageGlossary, DefinesEveryTermInWrappableText) {
    std::set<std::string> terms;
    for (const GlossaryEntry& e : leverage_glossary()) {
        terms.insert(e.term);
        std::istringstream words(e.text);
        for (std::string w; words >> w;) EXPECT_LE(w.size(), 16u) << e.term << ": " << w;
        EXPECT_GT(std::string(e.text).size(), 40u) << e.term;
    }
    for (const char* t : {"Potential", "Exercised", "Reserve", "Index", "Net", "Market access", "Combined"})
        EXPECT_TRUE(terms.count(t)) << t;
    const std::string line = kLeverageSplitLine;
    for (const char* t : {"Potential", "exercised", "reserve"}) EXPECT_NE(line.find(t), std::string::npos) << t;
    std::istringstream words(line);
    for (std::string w; words >> w;) EXPECT_LE(w.size(), 16u) << w;
}

}  // namespace
}  // namespace chokepoint::view
