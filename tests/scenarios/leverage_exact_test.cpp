// Fast leverage changes no number: exact reuse of solved markets and any number of threads give
// the leverage.csv of the reference measurement (every market solved, one thread), byte for byte,
// on the baseline (40 turns, the Lua policies, as `chokepoint run` plays it) and on crisis-2010.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "agents/lua/lua_policy.hpp"
#include "engine/output/writers.hpp"
#include "engine/scenario/loader.hpp"

namespace chokepoint {
namespace {

// The sanitizer build (unoptimised, instrumented) plays the first turns only; Release all 40.
#ifdef CHOKEPOINT_SANITIZED
constexpr int kBaselineTurns = 3, kCrisisTurns = 3;
#else
constexpr int kBaselineTurns = 40, kCrisisTurns = 1000;  // crisis-2010: all its turns
#endif

struct Played {
    std::string leverage_csv, timeseries_csv;
    long markets = 0, reused = 0;
};

Played play(const std::string& scenario, int turns, int threads, bool reuse) {
    GameOptions o;
    o.threads = threads;
    o.reuse_markets = reuse;
    Game game(load_scenario(scenario), o);
    install_lua_policies(game);
    game.set_turn_limit(turns);
    Played p;
    while (!game.finished()) {
        const TurnRecord& r = game.step();
        p.markets += r.leverage_cost.markets;
        p.reused += r.leverage_cost.markets_reused;
    }
    std::ostringstream lev, ts;
    write_leverage_csv(game, lev);
    write_timeseries_csv(game, ts);
    p.leverage_csv = lev.str();
    p.timeseries_csv = ts.str();
    return p;
}

void expect_exact(const std::string& scenario, int turns) {
    const Played reference = play(scenario, turns, 1, false);
    EXPECT_EQ(reference.reused, 0);
    EXPECT_GT(reference.leverage_csv.size(), 1000u);
    for (int threads : {1, 2}) {
        const Played fast = play(scenario, turns, threads, true);
        EXPECT_GT(fast.reused, fast.markets / 5) << "reuse should save a fifth of the markets at least";
        EXPECT_EQ(fast.markets, reference.markets);
        EXPECT_TRUE(fast.leverage_csv == reference.leverage_csv) << scenario << ", " << threads << " threads";
        EXPECT_TRUE(fast.timeseries_csv == reference.timeseries_csv) << scenario << ", " << threads << " threads";
    }
}

TEST(LeverageExact, BaselineFortyTurnsWithReuseAndThreadsEqualsTheReference) {
    expect_exact("config/scenarios/baseline.yaml", kBaselineTurns);
}

TEST(LeverageExact, Crisis2010WithReuseAndThreadsEqualsTheReference) {
    expect_exact("config/scenarios/crisis-2010.yaml", kCrisisTurns);
}

}  // namespace
}  // namespace chokepoint
