// The 2010 export-quota crisis, against the stylized facts of
// ../shared/reference/ree-facts.md (tolerances also in docs/model.md §Validation):
//  1. prices outside China rise several-fold (≥ 3× their 2009 Q1 level) within 5 turns of the
//     July 2010 cut;
//  2. they fall back by more than half within 12 turns (3 years) of the peak;
//  3. while China's export quota binds, every importer pays more than China's domestic price.
#include <gtest/gtest.h>

#include <algorithm>

#include "agents/lua/lua_policy.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/game/game.hpp"

namespace chokepoint {
namespace {

// Demand-weighted mean price among countries other than `inside`, USD/t.
double price_outside(const Definitions& d, const TurnRecord& r, GoodId good, CountryId inside) {
    double w = 0.0, sum = 0.0;
    for (CountryId c : d.country_ids()) {
        if (c == inside) continue;
        double use = r.outcome.consumed(c, good) + r.outcome.used_as_input(c, good) + r.outcome.imported(c, good);
        w += use;
        sum += use * r.outcome.price(c, good);
    }
    return w > 0 ? sum / w : 0.0;
}

class Crisis2010 : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // As `chokepoint run` plays it: every country on the Lua policy the scenario names.
        try {
            game_ = new Game(load_scenario("config/scenarios/crisis-2010.yaml"), GameOptions{false});
            install_lua_policies(*game_);
            while (!game_->finished()) game_->step();
        } catch (const std::exception& e) {
            load_error_ = e.what();
            return;
        }
        // Collected here and asserted in every test: a failure in SetUpTestSuite would only
        // mark the tests skipped, which ctest counts as passing.
        errors_.clear();
        for (const auto& r : game_->history())
            for (const auto& e : r.events)
                if (e.type == "policy_error") errors_.push_back(e.text);
    }
    void SetUp() override {
        ASSERT_TRUE(load_error_.empty()) << load_error_;
        ASSERT_TRUE(errors_.empty()) << "policy errors in the game, first: " << errors_.front();
    }
    static inline std::vector<std::string> errors_;
    static inline std::string load_error_;
    static void TearDownTestSuite() { delete game_; }
    static Game* game_;
    const Definitions& d() const { return game_->defs(); }
    int turn_of(const std::string& date) const {
        for (int t = 0; t < d().turns; ++t)
            if (d().date_of_turn(t) == date) return t;
        return -1;
    }
};
Game* Crisis2010::game_ = nullptr;

TEST_F(Crisis2010, PricesOutsideChinaRiseSeveralFoldWithinFiveTurnsOfTheCut) {
    const CountryId china = d().country_id("china");
    const GoodId oxide = GoodId{d().good_index("ndpr_oxide")};
    const int cut = turn_of("2010-07");
    ASSERT_GE(cut, 0);
    const auto& h = game_->history();
    double before = price_outside(d(), h[0], oxide, china);
    double peak = 0.0;
    for (int t = cut; t <= cut + 5; ++t) peak = std::max(peak, price_outside(d(), h[t], oxide, china));
    EXPECT_GE(peak, 3.0 * before) << "2009 Q1 " << before << " peak " << peak;
}

TEST_F(Crisis2010, PricesFallBackByMoreThanHalfWithinThreeYearsOfThePeak) {
    const CountryId china = d().country_id("china");
    const GoodId oxide = GoodId{d().good_index("ndpr_oxide")};
    const auto& h = game_->history();
    int peak_turn = 0;
    for (int t = 0; t < static_cast<int>(h.size()); ++t)
        if (price_outside(d(), h[t], oxide, china) > price_outside(d(), h[peak_turn], oxide, china)) peak_turn = t;
    const double peak = price_outside(d(), h[peak_turn], oxide, china);
    EXPECT_GE(peak_turn, turn_of("2010-07")) << "the peak should follow the cut";
    double low = peak;
    for (int t = peak_turn; t < std::min<int>(peak_turn + 13, static_cast<int>(h.size())); ++t)
        low = std::min(low, price_outside(d(), h[t], oxide, china));
    EXPECT_LT(low, 0.5 * peak) << "peak " << peak << " at turn " << peak_turn << ", low " << low;
}

TEST_F(Crisis2010, ExportPricesStayAboveChinasDomesticPriceWhileTheQuotaBinds) {
    const CountryId china = d().country_id("china");
    int binding_turns = 0;
    for (const auto& r : game_->history()) {
        for (GoodId g : d().good_ids()) {
            double quota = r.countries[china].export_quota[g];
            if (std::isinf(quota) || quota <= 0) continue;
            if (r.outcome.exported(china, g) < 0.98 * quota) continue;  // not binding this turn
            ++binding_turns;
            for (CountryId c : d().country_ids()) {
                if (c == china || r.outcome.imported(c, g) <= 0) continue;
                EXPECT_GT(r.outcome.price(c, g), r.outcome.price(china, g))
                    << r.date << " " << d().goods[g].id << " " << d().countries[c].id;
            }
        }
    }
    EXPECT_GT(binding_turns, 4) << "the quota should bind for much of the crisis";
}

}  // namespace
}  // namespace chokepoint
