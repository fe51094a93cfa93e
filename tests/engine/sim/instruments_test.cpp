// Scenario tests of the government instruments, one behaviour each, on the
// trio world (north produces everything, east makes magnets, south buys).
#include <gtest/gtest.h>

#include <cmath>

#include "engine/markets/supply_chain.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint {
namespace {

using testing::id_of;
using testing::good_of;
using testing::ScriptedPolicy;
using testing::trio;

// A policy that issues `first` on turn `when`, autopilot otherwise.
std::unique_ptr<ScriptedPolicy> at_turn(int when, std::function<void(PolicyContext&)> first) {
    auto p = std::make_unique<ScriptedPolicy>();
    AutopilotPolicy autopilot;
    p->turn = [when, first, autopilot](PolicyContext& ctx) mutable {
        if (ctx.state().turn == when) first(ctx);
        autopilot.on_turn(ctx);
    };
    return p;
}

TEST(Markets, OpenTradeGivesOneWorldPriceUpToTransportAndTariffs) {
    Game game(trio());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    game.set_policy(south, at_turn(0, [&](PolicyContext& ctx) { ctx.issue(SetTariff{magnet, north, 0.10}); }));
    game.step();
    const TurnRecord& r = game.step();
    const MarketOutcome& o = r.outcome;
    ASSERT_GT(o.flows[magnet](north, south), 100.0);
    const Good& g = game.defs().goods[magnet];
    double link = g.transport_cost + 0.10 * g.reference_price;
    EXPECT_NEAR(o.price(south, magnet) - o.price(north, magnet), link, 1e-6 * o.price(south, magnet));
}

TEST(Markets, RestrictingExporterGetsLowerDomesticPrice) {
    Game game(trio());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    // An export quota of 10% of what south needs.
    game.set_policy(north, at_turn(0, [&](PolicyContext& ctx) { ctx.issue(SetExportQuota{magnet, 6000}); }));
    game.step();
    const MarketOutcome& o = game.step().outcome;
    double exported = o.exported(north, magnet);
    EXPECT_LE(exported, 6000.0 / 4 + 1e-6);
    double transport = game.defs().goods[magnet].transport_cost;
    EXPECT_LT(o.price(north, magnet) + transport, 0.8 * o.price(south, magnet))
        << "north " << o.price(north, magnet) << " south " << o.price(south, magnet);
}

TEST(Licensing, LicensedVolumeCapsFlows) {
    Scenario sc = trio();
    Game game(std::move(sc));
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    auto policy = at_turn(0, [&](PolicyContext& ctx) { ctx.issue(SetExportRegime{magnet, south, Regime::Licensed}); });
    // Approve a third of every request.
    policy->license = [](PolicyContext& ctx, const LicenseApplication& app) {
        ctx.issue(DecideLicense{app.id, LicenseDecisionKind::Approve, std::floor(app.tonnes_per_turn / 3), 4, false});
    };
    game.set_policy(north, std::move(policy));
    bool saw_licensed_flow = false;
    for (int t = 0; t < 8; ++t) {
        const TurnRecord& r = game.step();
        const State& s = game.state();
        double allowed = 0.0;
        for (const auto& l : s.licenses)
            if (l.exporter == north && l.importer == south && l.good == magnet && l.first_turn <= r.turn &&
                r.turn <= l.last_turn)
                allowed += l.tonnes_per_turn;
        double flow = r.outcome.flows[magnet](north, south);
        if (r.turn == 0) continue;  // the regime took effect after turn 0's policy phase
        EXPECT_LE(flow, allowed + 1e-6) << "turn " << r.turn;
        if (flow > 0) saw_licensed_flow = true;
    }
    EXPECT_TRUE(saw_licensed_flow);
    // Applications were filed, decided after the processing delay, and logged.
    int approved = 0;
    for (const auto& app : game.state().applications) {
        if (app.status == ApplicationStatus::Approved) {
            ++approved;
            EXPECT_GE(app.decided_turn, app.decidable_turn);
        }
    }
    EXPECT_GT(approved, 0);
}

TEST(Licensing, EmbargoCutsFlowsAndRaisesImporterPrice) {
    Game open(trio()), closed(trio());
    const CountryId north = id_of(open, "north"), south = id_of(open, "south");
    const GoodId magnet = good_of(open, "magnet");
    closed.set_policy(north, at_turn(0, [&](PolicyContext& ctx) {
        for (GoodId g : ctx.defs().good_ids()) ctx.issue(SetExportRegime{g, south, Regime::Embargo});
    }));
    for (int t = 0; t < 3; ++t) {
        open.step();
        closed.step();
    }
    const MarketOutcome& a = open.history().back().outcome;
    const MarketOutcome& b = closed.history().back().outcome;
    for (GoodId g : open.defs().good_ids()) EXPECT_EQ(b.flows[g](north, south), 0.0);
    EXPECT_GT(a.flows[magnet](north, south), 0.0);
    EXPECT_GT(b.price(south, magnet), 2.0 * a.price(south, magnet));
}

TEST(Stockpiles, ReleaseCutsImportersShortfall) {
    auto run = [](bool release) {
        Scenario sc = trio();
        const CountryId south = sc.defs->country_id("south");
        const GoodId magnet = GoodId{sc.defs->good_index("magnet")};
        sc.initial.countries[south].stockpile[magnet] = 8000;
        Game game(std::move(sc));
        const CountryId north = id_of(game, "north");
        game.set_policy(north, at_turn(0, [&](PolicyContext& ctx) {
            for (GoodId g : ctx.defs().good_ids()) ctx.issue(SetExportRegime{g, south, Regime::Embargo});
        }));
        auto p = std::make_unique<ScriptedPolicy>();
        p->turn = [release, magnet](PolicyContext& ctx) {
            if (release && ctx.state().turn == 1) ctx.issue(StockpileRelease{magnet, 6000, 0});
        };
        game.set_policy(south, std::move(p));
        game.step();
        return testing::unmet(game, game.step().outcome, south);
    };
    double without = run(false), with = run(true);
    EXPECT_GT(without, 1000.0);
    EXPECT_LT(with, without - 3000.0);
}

TEST(Investment, ProjectAddsCapacityOnlyAfterItsLeadTime) {
    Game game(trio());
    const CountryId south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    const int lead = game.defs().process[static_cast<int>(Process::MagnetMaking)].lead_turns;
    game.set_policy(south, at_turn(1, [&](PolicyContext& ctx) {
        EXPECT_TRUE(ctx.issue(StartProject{std::nullopt, magnet, 8000, 0}).ok);
    }));
    // North sells south oxide but no magnets, so magnets made in south pay.
    game.set_policy(id_of(game, "north"), at_turn(0, [&](PolicyContext& ctx) {
        ctx.issue(SetExportRegime{magnet, south, Regime::Embargo});
    }));
    for (int t = 0; t < 1 + lead + 5; ++t) {
        const TurnRecord& r = game.step();
        double produced = r.outcome.produced(south, magnet);
        if (r.turn < 1 + lead) {
            EXPECT_EQ(produced, 0.0) << "turn " << r.turn;
        }
    }
    const auto& cap = game.history()[1 + lead].countries[south].capacity[magnet];
    EXPECT_GT(cap, 0.0);
    EXPECT_EQ(game.history()[lead].countries[south].capacity[magnet] > 0, true);  // online at the end of turn lead
    EXPECT_EQ(game.history()[lead - 1].countries[south].capacity[magnet], 0.0);
    // Once online it produces, as its buyers qualify suppliers of feed (relationships grow each turn).
    double later = 0.0;
    for (int t = 1 + lead; t < 1 + lead + 5; ++t) later += game.history()[t].outcome.produced(south, magnet);
    EXPECT_GT(later, 0.0);
}

TEST(Commands, RefusalsAreReadableAndChangeNothing) {
    Game game(trio());
    const CountryId north = id_of(game, "north"), south = id_of(game, "south");
    const GoodId magnet = good_of(game, "magnet");
    std::vector<std::string> messages;
    auto p = std::make_unique<ScriptedPolicy>();
    p->turn = [&](PolicyContext& ctx) {
        if (ctx.state().turn != 0) return;
        for (const Command& c : std::vector<Command>{StockpileRelease{magnet, 10, 0}, DecideLicense{999, {}, 1, 1, false},
                                                     SetExportRegime{GoodId{42}, north, Regime::Open},
                                                     StockpileBuy{magnet, 1e6, 1e9}, SetTariff{magnet, south, 0.1},
                                                     StartProject{std::nullopt, good_of(game, "ore"), 1000, 0}}) {
            CommandResult r = ctx.issue(c);
            EXPECT_FALSE(r.ok);
            messages.push_back(r.message);
        }
    };
    game.set_policy(south, std::move(p));
    game.step();
    ASSERT_EQ(messages.size(), 6u);
    EXPECT_NE(messages[0].find("stockpile holds 0.0 t of magnet"), std::string::npos) << messages[0];
    EXPECT_NE(messages[1].find("no license application 999"), std::string::npos) << messages[1];
    EXPECT_NE(messages[2].find("unknown good 42"), std::string::npos) << messages[2];
    EXPECT_NE(messages[3].find("treasury"), std::string::npos) << messages[3];
    EXPECT_NE(messages[4].find("cannot be the country itself"), std::string::npos) << messages[4];
    EXPECT_NE(messages[5].find("no reserves of ore"), std::string::npos) << messages[5];
    EXPECT_EQ(game.state().countries[south].stockpile[magnet], 0.0);
    int refused = 0;
    for (const auto& e : game.history()[0].events) refused += e.type == "command_refused";
    EXPECT_EQ(refused, 6);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

using testing::id_of;
using testing::good_of;
using testing::ScriptedPolicy;
using testing::trio;

TEST(Investment, ProjectAbroadShipsTheOutputShareHomeUnlessTheHostEmbargoes) {
    auto run = [](bool embargo) {
        Game game(trio());
        const CountryId south = id_of(game, "south"), east = id_of(game, "east");
        const GoodId magnet = good_of(game, "magnet");
        auto owner = std::make_unique<ScriptedPolicy>();
        owner->turn = [&](PolicyContext& ctx) {
            if (ctx.state().turn == 0) {
                EXPECT_TRUE(ctx.issue(StartProject{east, magnet, 12000, 0.5}).ok);
            }
        };
        game.set_policy(south, std::move(owner));
        auto host = std::make_unique<ScriptedPolicy>();
        host->turn = [&, embargo](PolicyContext& ctx) {
            if (embargo && ctx.state().turn == 2) ctx.issue(SetExportRegime{magnet, south, Regime::Embargo});
        };
        game.set_policy(east, std::move(host));
        const double treasury = game.state().countries[south].treasury;
        for (int t = 0; t < 8; ++t) game.step();
        const Project& p = game.state().projects.front();
        EXPECT_TRUE(p.online);
        EXPECT_EQ(p.owner, south);
        EXPECT_EQ(p.host, east);
        EXPECT_NEAR(treasury - game.state().countries[south].treasury, p.capex, 1.0) << "the owner pays the capex";
        double shipped = 0.0;
        for (const auto& r : game.history()) shipped += r.outcome.flows[magnet](east, south);
        return shipped;
    };
    double open = run(false), closed = run(true);
    EXPECT_GT(open, 1000.0);
    EXPECT_EQ(closed, 0.0);
}

TEST(Instruments, PriceFloorKeepsProducersProducingAndTheGovernmentPays) {
    auto run = [](double floor) {
        Game game(trio());
        const CountryId east = id_of(game, "east");
        const GoodId magnet = good_of(game, "magnet");
        auto p = std::make_unique<ScriptedPolicy>();
        p->turn = [floor, magnet](PolicyContext& ctx) {
            if (ctx.state().turn == 0 && floor > 0) ctx.issue(SetPriceFloor{magnet, floor});
        };
        game.set_policy(east, std::move(p));
        double produced = 0.0, support = 0.0;
        for (int t = 0; t < 6; ++t) {
            const TurnRecord& r = game.step();
            if (r.turn < 3) continue;  // once the trio's magnet glut has set in
            produced += r.outcome.produced(east, magnet);
            support += r.outcome.cash(east, CashFlow::Subsidies);
        }
        return std::make_pair(produced, support);
    };
    auto [without, paid_without] = run(0.0);
    auto [with, paid_with] = run(80000.0);
    EXPECT_GT(with, without + 1000.0);
    EXPECT_EQ(paid_without, 0.0);
    EXPECT_LT(paid_with, 0.0);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

TEST(TurnLoop, EveryCountryDecidesOnTheSameObservation) {
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north"), south = testing::id_of(game, "south");
    const GoodId magnet = testing::good_of(game, "magnet");
    auto first = std::make_unique<testing::ScriptedPolicy>();
    first->turn = [&](PolicyContext& ctx) {
        if (ctx.state().turn == 0) ctx.issue(SetExportRegime{magnet, south, Regime::Embargo});
    };
    game.set_policy(north, std::move(first));
    Regime seen_by_south = Regime::Licensed;
    auto second = std::make_unique<testing::ScriptedPolicy>();
    second->turn = [&](PolicyContext& ctx) {
        if (ctx.state().turn == 0) seen_by_south = ctx.state().rule(north, magnet, south).regime;
    };
    game.set_policy(south, std::move(second));
    game.step();
    // North decided first, but its command applies only after everyone has decided.
    EXPECT_EQ(seen_by_south, Regime::Open);
    EXPECT_EQ(game.state().rule(north, magnet, south).regime, Regime::Embargo);
}

TEST(LongRun, SustainedHighPricesBringThriftAndNewPrivateCapacity) {
    Game game(testing::trio());
    const CountryId north = testing::id_of(game, "north"), south = testing::id_of(game, "south");
    const GoodId magnet = testing::good_of(game, "magnet");
    auto p = std::make_unique<testing::ScriptedPolicy>();
    p->turn = [&](PolicyContext& ctx) {
        if (ctx.state().turn == 0)
            for (GoodId g : ctx.defs().good_ids()) ctx.issue(SetExportRegime{g, south, Regime::Embargo});
    };
    game.set_policy(north, std::move(p));
    for (int t = 0; t < 8; ++t) game.step();
    EXPECT_GT(game.state().countries[south].thrift[magnet], 0.05) << "south's magnet users thrift and substitute";
    bool private_project = false;
    for (const auto& pr : game.state().projects) private_project |= pr.private_firms && pr.good == magnet;
    EXPECT_TRUE(private_project) << "high magnet prices bring private magnet capacity somewhere";
    // Without the embargo nobody thrifts.
    Game open(testing::trio());
    for (int t = 0; t < 8; ++t) open.step();
    EXPECT_EQ(open.state().countries[south].thrift[magnet], 0.0);
}

}  // namespace
}  // namespace chokepoint
