// A targeted licensing shock on the baseline (config/scenarios/licensing-shock-usa.yaml): China
// refuses the USA's Dy/Tb oxide and magnet licences for 2026 Q2 and restores them in Q3. Played
// as `chokepoint run` plays it (Lua policies, negotiation), against the baseline with the same
// seed. The thresholds and why they were chosen: docs/calibration.md §A targeted licensing shock.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "agents/lua/lua_policy.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/game/game.hpp"

namespace chokepoint {
namespace {

constexpr int kTurns = 4;  // 2026 Q1 (before), Q2 (refused), Q3 and Q4 (restored)
constexpr int kShock = 1, kRestored = 2;

std::unique_ptr<Game> play(const std::string& path) {
    auto game = std::make_unique<Game>(load_scenario(path), GameOptions{false});
    game->set_turn_limit(kTurns);
    install_lua_policies(*game);
    while (!game->finished()) game->step();
    return game;
}

// Weighted like the leverage measure: unmet magnet demand over demand, every sector.
double unmet_share(const Game& g, int turn, const std::string& country) {
    const Definitions& d = g.defs();
    const CountryId c = d.country_id(country);
    const MarketOutcome& o = g.history()[static_cast<size_t>(turn)].outcome;
    double unmet = 0.0, demand = 0.0;
    for (SectorId k : d.sector_ids()) {
        if (d.goods[d.sectors[k].good].id != "ndfeb_magnet") continue;
        demand += o.demand(c, k);
        unmet += std::max(0.0, o.demand(c, k) - o.met(c, k));
    }
    return demand > 0 ? unmet / demand : 0.0;
}

double price(const Game& g, int turn, const std::string& country, const std::string& good) {
    const Definitions& d = g.defs();
    return g.history()[static_cast<size_t>(turn)].outcome.price(d.country_id(country), GoodId{d.good_index(good)});
}

double imports(const Game& g, int turn, const std::string& country, const std::string& good) {
    const Definitions& d = g.defs();
    return g.history()[static_cast<size_t>(turn)].outcome.imported(d.country_id(country), GoodId{d.good_index(good)});
}

double flow(const Game& g, int turn, const std::string& from, const std::string& to, const std::string& good) {
    const Definitions& d = g.defs();
    return g.history()[static_cast<size_t>(turn)]
        .outcome.flows[GoodId{d.good_index(good)}](d.country_id(from), d.country_id(to));
}

class LicensingShock : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        try {
            base_ = play("config/scenarios/baseline.yaml").release();
            shock_ = play("config/scenarios/licensing-shock-usa.yaml").release();
            // The same shock without re-export conditions or the content rule.
            const auto dir = std::filesystem::temp_directory_path() / ("chokepoint_shock_" + std::to_string(::getpid()));
            std::filesystem::create_directories(dir);
            const auto off = dir / "off.yaml";
            std::ofstream(off) << "extends: " << std::filesystem::absolute("config/scenarios/licensing-shock-usa.yaml").string()
                               << "\nlicensing:\n  reexport_control: false\n  content_rule: {enabled: false}\n";
            off_ = play(off.string()).release();
            std::filesystem::remove_all(dir);
        } catch (const std::exception& e) {
            error_ = e.what();
        }
    }
    static void TearDownTestSuite() {
        delete base_;
        delete shock_;
        delete off_;
    }
    void SetUp() override { ASSERT_TRUE(error_.empty()) << error_; }
    static inline Game *base_ = nullptr, *shock_ = nullptr, *off_ = nullptr;
    static inline std::string error_;
};

TEST_F(LicensingShock, TheTargetedImporterLosesClearlyMoreThanOthers) {
    const double usa = unmet_share(*shock_, kShock, "usa") - unmet_share(*base_, kShock, "usa");
    EXPECT_GE(usa, 0.30) << "China supplies ~75 % of US magnet imports; stocks cover weeks, not a quarter";
    for (const char* other : {"eu", "japan", "south_korea"}) {
        const double d = unmet_share(*shock_, kShock, other) - unmet_share(*base_, kShock, other);
        EXPECT_LE(d, 0.05) << other;
        EXPECT_GE(usa, 5.0 * std::max(d, 0.01)) << other;
    }
}

// The content rule keeps China's material from the refused USA, not from everyone: magnet makers
// abroad still export most of what they would (their clean output to the USA, what they make from
// Chinese oxide to the destinations China licenses). (The historical episodes' review: every
// input upstream needed a licence to the destination, and China licenses Dy/Tb concentrate that
// nobody applies for, so Korea's and Vietnam's magnet exports fell to nothing everywhere.)
TEST_F(LicensingShock, TheContentRuleLeavesThirdCountriesTradeWithOthersStanding) {
    for (const char* maker : {"south_korea", "vietnam", "eu"})
        for (int t = 0; t < kTurns; ++t) {
            double with_rule = 0.0, without = 0.0;
            for (const CountryDef& c : shock_->defs().countries) {
                if (c.id == maker) continue;
                with_rule += flow(*shock_, t, maker, c.id, "ndfeb_magnet");
                without += flow(*off_, t, maker, c.id, "ndfeb_magnet");
            }
            EXPECT_GE(with_rule, 0.5 * without) << maker << " turn " << t << ": " << with_rule << " t against " << without;
        }
}

TEST_F(LicensingShock, ThirdCountriesDoNotMakeTheTargetWhole) {
    // What the USA gets from everyone else in the refused quarter, against what China shipped it
    // in the same quarter of the baseline: supplier qualification (magnets: +20 % a quarter) and
    // re-export conditions keep it to a fraction.
    const double from_china = flow(*base_, kShock, "china", "usa", "ndfeb_magnet");
    const double others = imports(*shock_, kShock, "usa", "ndfeb_magnet") - flow(*shock_, kShock, "china", "usa", "ndfeb_magnet");
    ASSERT_GT(from_china, 1000.0);
    EXPECT_EQ(flow(*shock_, kShock, "china", "usa", "ndfeb_magnet"), 0.0);
    EXPECT_LE(others, 0.35 * from_china);
    // Re-export conditions never make the target better off than without them.
    EXPECT_GE(unmet_share(*shock_, kShock, "usa"), unmet_share(*off_, kShock, "usa") - 1e-9);
}

TEST_F(LicensingShock, TheLicensorsHomePriceHoldsWhilePricesOutsideRiseBoundedAndComeBack) {
    const double china_before = price(*base_, kShock, "china", "ndfeb_magnet");
    EXPECT_NEAR(price(*shock_, kShock, "china", "ndfeb_magnet"), china_before, 0.15 * china_before);
    const double usa_before = price(*base_, kShock, "usa", "ndfeb_magnet");
    const double usa_shock = price(*shock_, kShock, "usa", "ndfeb_magnet");
    EXPECT_GT(usa_shock, 2.0 * usa_before);
    // Buyers' contract prices follow the market over quarters (buyer_price_cap, 3 × the smoothed
    // price): 2010-11 took about a year for Dy's 20-26×; the rest of the shortage is rationed.
    EXPECT_LE(usa_shock, 3.0 * usa_before) << "bounded by the buyers' price cap";
    // Rationed, not priced: every civilian magnet sector of the USA is short by the same share.
    const Definitions& d = shock_->defs();
    const CountryId usa = d.country_id("usa");
    const MarketOutcome& o = shock_->history()[static_cast<size_t>(kShock)].outcome;
    std::vector<double> shares;
    for (SectorId k : d.sector_ids()) {
        const Sector& sec = d.sectors[k];
        if (sec.defense || d.goods[sec.good].id != "ndfeb_magnet" || o.demand(usa, k) <= 0) continue;
        shares.push_back(1.0 - o.met(usa, k) / o.demand(usa, k));
    }
    ASSERT_GE(shares.size(), 2u);
    for (double share : shares) EXPECT_NEAR(share, shares.front(), 0.01) << "civilian sectors rationed pro rata";
    for (int t = kRestored; t < kTurns; ++t) {
        EXPECT_LE(price(*shock_, t, "usa", "ndfeb_magnet"), 1.2 * price(*base_, t, "usa", "ndfeb_magnet")) << t;
        EXPECT_LE(price(*shock_, t, "usa", "dytb_oxide"), 1.5 * price(*base_, t, "usa", "dytb_oxide")) << t;
    }
}

TEST_F(LicensingShock, SupplyRecoversWithinTwoTurnsOfRestoredApprovals) {
    bool recovered = false;
    for (int t = kRestored; t < std::min(kTurns, kRestored + 2); ++t)
        recovered = recovered || (imports(*shock_, t, "usa", "ndfeb_magnet") >= 0.8 * imports(*base_, t, "usa", "ndfeb_magnet") &&
                                  unmet_share(*shock_, t, "usa") <= unmet_share(*base_, t, "usa") + 0.02);
    EXPECT_TRUE(recovered);
    EXPECT_LE(unmet_share(*shock_, kTurns - 1, "usa"), unmet_share(*base_, kTurns - 1, "usa") + 0.02);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// No near-zero licence applications (docs/model.md §Turn, "License applications"): whenever firms
// file for a route and good, they ask for at least the minimum request (0.5 t/turn before each
// end-use part is rounded down to 0.1 t, so at least 0.3 t in all), and no part is under 0.1 t.
// On the licensing shock and on the baseline, both with their Lua policies.
// The historical episodes review: under a two-quarter halt of Dy/Tb oxide and magnets to Japan,
// JOGMEC released 10 t of Dy/Tb a quarter (half a month of use: Dy/Tb has no sector of its own, so
// no unmet demand showed) while 29 % of Japan's magnet demand went unmet and 33 t stayed in store.
// japan.lua now releases what the halt cut off, and the stockpile bridges the halt.
TEST(JapanHalt, JogmecReleasesWhatTheHaltCutOff) {
    const auto dir = std::filesystem::temp_directory_path() / ("chokepoint_japan_halt_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "halt.yaml";
    std::ofstream(file) << "extends: " << std::filesystem::absolute("config/scenarios/baseline.yaml").string() << "\n"
                        << "events:\n";
    for (const char* good : {"dytb_oxide", "ndfeb_magnet"})
        std::ofstream(file, std::ios::app)
            << "  - {date: 2026-04, type: regime, country: china, good: " << good << ", target: japan, regime: embargo}\n"
            << "  - {date: 2026-10, type: regime, country: china, good: " << good << ", target: japan, regime: licensed}\n";
    const auto halted = play(file.string());
    const auto base = play("config/scenarios/baseline.yaml");
    std::filesystem::remove_all(dir);
    const Definitions& d = halted->defs();
    const CountryId japan = d.country_id("japan");
    const GoodId dytb{d.good_index("dytb_oxide")};
    const double before = halted->history()[0].countries[japan].stockpile[dytb];
    const double after_first = halted->history()[1].countries[japan].stockpile[dytb];
    const double china_ships = flow(*base, 0, "china", "japan", "dytb_oxide");
    EXPECT_GE(before - after_first, 0.8 * china_ships) << "the first halt quarter's release covers the lost imports";
    for (int t = 1; t <= 2; ++t)
        EXPECT_LE(unmet_share(*halted, t, "japan"), unmet_share(*base, t, "japan") + 0.05) << "turn " << t;
}

TEST(LicenceApplications, NoNearZeroRequestsAreFiled) {
    for (const char* path : {"config/scenarios/licensing-shock-usa.yaml", "config/scenarios/baseline.yaml"}) {
        SCOPED_TRACE(path);
        auto game = std::make_unique<Game>(load_scenario(path), GameOptions{false});
        game->set_turn_limit(8);
        install_lua_policies(*game);
        while (!game->finished()) game->step();
        std::map<std::tuple<int, int, int, std::string>, double> filed;  // turn, importer, exporter, good
        int applications = 0;
        for (const TurnRecord& r : game->history())
            for (const GameEvent& e : r.events) {
                if (e.type != "license_application") continue;
                const double t = e.data.at("tonnes_per_turn").get<double>();
                EXPECT_GE(t, 0.1 - 1e-9) << e.text;
                EXPECT_NEAR(t * 10, std::round(t * 10), 1e-6) << e.text;  // whole tenths of a tonne
                filed[{e.turn, e.country.value(), e.target.value(), e.data.at("good").get<std::string>()}] += t;
                ++applications;
            }
        EXPECT_GT(applications, 20);
        for (const auto& [key, tonnes] : filed)
            EXPECT_GE(tonnes, 0.5 - 0.2 - 1e-9) << "turn " << std::get<0>(key) << " " << std::get<3>(key) << ": "
                                                << tonnes << " t/turn";
    }
}

// A refused licence is the licensing era's halt (April 2025). China refuses every Dy/Tb oxide
// application of Japan's firms from 2026 Q2; their licences granted before run to the end of 2026
// Q4, so the cut bites in 2027 Q1 (turn 4). JOGMEC (scripts/policies/japan.lua) hears the refusal
// of the renewal and releases the stockpile in the turn the licence would have started, not a
// quarter later once idle magnet lines and a price spike show it: in turn 4 Japan's magnet makers
// keep working and its Dy/Tb price stays near normal. Then the stockpile (~1 quarter of China's
// shipments) runs down and the shortage comes a quarter later: stockpiles buy time.
TEST(LicensingRefusal, JapansStockpileIsReleasedInTheTurnARefusedLicenceWouldHaveStarted) {
    const auto dir = std::filesystem::temp_directory_path() / ("chokepoint_refusal_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "refusal.yaml";
    std::ofstream(path) << "extends: " << std::filesystem::absolute("config/scenarios/baseline.yaml").string() << "\n"
                        << "events:\n"
                        << "  - {date: 2026-04, type: approval_policy, country: china, good: dytb_oxide, target: japan,\n"
                        << "     mode: scripted, share: 0}\n";
    auto game = std::make_unique<Game>(load_scenario(path.string()), GameOptions{false});
    std::filesystem::remove_all(dir);
    game->set_turn_limit(7);
    install_lua_policies(*game);
    while (!game->finished()) game->step();
    const Game& g = *game;
    const Definitions& d = g.defs();
    const CountryId japan = d.country_id("japan");
    const GoodId dytb{d.good_index("dytb_oxide")}, magnet{d.good_index("ndfeb_magnet")};
    auto held = [&](int turn) { return g.history()[static_cast<size_t>(turn)].countries[japan].stockpile[dytb]; };
    auto made = [&](int turn) { return g.history()[static_cast<size_t>(turn)].outcome.produced(japan, magnet); };

    // Before the cut: licensed Dy/Tb flows, the stockpile is untouched.
    EXPECT_GT(flow(g, 3, "china", "japan", "dytb_oxide"), 30.0);
    EXPECT_DOUBLE_EQ(held(3), held(0));
    // The turn the cut bites: no Chinese Dy/Tb, and the stockpile makes most of it up.
    EXPECT_LT(flow(g, 4, "china", "japan", "dytb_oxide"), 1.0);
    EXPECT_GE(held(3) - held(4), 40.0) << "released in turn 4: " << held(3) - held(4) << " t";
    EXPECT_GE(made(4), 0.85 * made(3)) << "magnet output " << made(3) << " -> " << made(4);
    EXPECT_LE(price(g, 4, "japan", "dytb_oxide"), 1.5 * price(g, 3, "japan", "dytb_oxide"));
    // A quarter later the stockpile is spent and the squeeze arrives.
    EXPECT_LT(held(5), 10.0);
    double peak = 0.0;
    for (int t = 5; t < 7; ++t) peak = std::max(peak, price(g, t, "japan", "dytb_oxide"));
    EXPECT_GE(peak, 2.0 * price(g, 3, "japan", "dytb_oxide"));
    // The policy says why, in the log, in the turn the renewal is refused (turn 3, 2026 Q4).
    bool logged = false;
    for (const GameEvent& e : g.history()[3].events)
        if (e.type == "policy_log" && e.text.find("[japan] china refused ") != std::string::npos &&
            e.text.find(" t/turn of dytb_oxide for Japan's firms: the stockpile releases it from next turn") !=
                std::string::npos)
            logged = true;
    EXPECT_TRUE(logged);
}

}  // namespace
}  // namespace chokepoint
