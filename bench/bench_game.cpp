// Benchmarks (Google Benchmark). Speed is measured here, never in tests.
// Figures are recorded in docs/performance.md.
#include <benchmark/benchmark.h>

#include <chrono>

#include "bench/magnets_problem.hpp"
#include "bench/synthetic.hpp"
#include "engine/markets/clearing.hpp"
#include "engine/leverage/leverage.hpp"
#include "engine/sim/forecast.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/game/game.hpp"
#include "engine/sim/turn.hpp"
#include "agents/lua/lua_policy.hpp"

namespace chokepoint {
namespace {

const char* kBaseline = CHOKEPOINT_SOURCE_DIR "/config/scenarios/baseline.yaml";

// Plays `turns` turns and reports the per-turn split: the turn itself (events, policy,
// markets, accounting), the leverage counterfactuals, and the rest (scores, records).
void play_and_split(benchmark::State& st, const Scenario& sc, int turns, GameOptions options = {}) {
    double markets = 0, leverage = 0, total = 0;
    long cf_turns = 0, played = 0, cf_markets = 0, lookups = 0, reused = 0;
    for (auto _ : st) {
        Game game(sc, options);
        game.set_turn_limit(turns);
        auto t0 = std::chrono::steady_clock::now();
        while (!game.finished()) {
            const TurnRecord& r = game.step();
            markets += r.seconds_markets;
            leverage += r.seconds_leverage;
            cf_turns += r.leverage.counterfactual_turns;
            cf_markets += r.leverage_cost.markets;
            lookups += r.leverage_cost.market_lookups;
            reused += r.leverage_cost.markets_reused;
            ++played;
        }
        total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        benchmark::DoNotOptimize(game.state().turn);
    }
    st.counters["turn_ms"] = 1e3 * markets / static_cast<double>(played);
    st.counters["leverage_ms"] = 1e3 * leverage / static_cast<double>(played);
    st.counters["rest_ms"] = 1e3 * (total - markets - leverage) / static_cast<double>(played);
    st.counters["cf_turns_per_turn"] = static_cast<double>(cf_turns) / static_cast<double>(played);
    st.counters["cf_markets_per_turn"] = static_cast<double>(cf_markets) / static_cast<double>(played);
    st.counters["reused_share"] = cf_markets > 0 ? static_cast<double>(reused) / static_cast<double>(cf_markets) : 0.0;
    st.counters["hit_rate"] = lookups > 0 ? static_cast<double>(reused) / static_cast<double>(lookups) : 0.0;
}

// The headline figure: 40 turns of the baseline, leverage every turn, autopilot everywhere,
// on the first argument's number of threads, with exact reuse of solved markets if the second is 1.
void BM_Baseline40TurnsWithLeverage(benchmark::State& st) {
    const Scenario sc = load_scenario(kBaseline);
    GameOptions o;
    o.threads = static_cast<int>(st.range(0));
    o.reuse_markets = st.range(1) != 0;
    play_and_split(st, sc, 40, o);
    st.counters["threads"] = static_cast<double>(o.threads);
}
BENCHMARK(BM_Baseline40TurnsWithLeverage)
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(false);

// The same game with every country on its Lua policy (the default for `chokepoint run`).
void BM_Baseline40TurnsWithLeverageLua(benchmark::State& st) {
    const Scenario sc = load_scenario(kBaseline);
    double markets = 0, leverage = 0;
    long played = 0;
    for (auto _ : st) {
        Game game(sc);
        install_lua_policies(game);
        game.set_turn_limit(40);
        while (!game.finished()) {
            const TurnRecord& r = game.step();
            markets += r.seconds_markets;
            leverage += r.seconds_leverage;
            ++played;
        }
    }
    st.counters["turn_ms"] = 1e3 * markets / static_cast<double>(played);
    st.counters["leverage_ms"] = 1e3 * leverage / static_cast<double>(played);
}
BENCHMARK(BM_Baseline40TurnsWithLeverageLua)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3);

// Without leverage the policies' share of a turn shows: autopilot against Lua, 40 turns.
void BM_Baseline40TurnsNoLeverage(benchmark::State& st) {
    const Scenario sc = load_scenario(kBaseline);
    const bool lua = st.range(0) != 0;
    for (auto _ : st) {
        Game game(sc, GameOptions{false});
        if (lua) install_lua_policies(game);
        game.set_turn_limit(40);
        while (!game.finished()) game.step();
        benchmark::DoNotOptimize(game.state().turn);
    }
    st.SetLabel(lua ? "lua policies" : "autopilot");
}
BENCHMARK(BM_Baseline40TurnsNoLeverage)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The forecast helper: two 4-turn counterfactuals of the baseline at turn 4, for a supply contract.
void BM_ForecastSupplyContract(benchmark::State& st) {
    const Scenario sc = load_scenario(kBaseline);
    Game game(sc, GameOptions{false});
    for (int t = 0; t < 4; ++t) game.step();
    const Definitions& d = game.defs();
    Proposal p;
    p.from = d.country_id("japan");
    p.to = d.country_id("malaysia");
    p.turns = 8;
    Clause c;
    c.kind = ClauseKind::Supply;
    c.from = p.to;
    c.to = p.from;
    c.good = GoodId{d.good_index("ndpr_oxide")};
    c.tonnes = 100;
    c.price = 70000;
    p.clauses = {c};
    if (!forecast_proposal(d, game.state(), p.from, p).feasible) st.SkipWithError("the contract is not feasible");
    for (auto _ : st) benchmark::DoNotOptimize(forecast_proposal(d, game.state(), p.from, p).gain);
}
BENCHMARK(BM_ForecastSupplyContract)->Unit(benchmark::kMillisecond);

// One callback round trip: C++ → Lua on_turn (an empty one) with a fresh ctx, and back.
void BM_LuaCallbackRoundTrip(benchmark::State& st) {
    const Scenario sc = load_scenario(kBaseline);
    const std::string path = CHOKEPOINT_SOURCE_DIR "/bench/empty_policy.lua";
    LuaPolicy policy(*sc.defs, CountryId{0}, path);
    State state = sc.initial;
    std::vector<IssuedCommand> queue;
    EventList log;
    PolicyContext ctx(*sc.defs, state, CountryId{0}, queue, log);
    for (auto _ : st) policy.on_turn(ctx);
}
BENCHMARK(BM_LuaCallbackRoundTrip)->Unit(benchmark::kMicrosecond);

// Growth with the number of countries (synthetic worlds), a few turns each.
void BM_SyntheticTurns(benchmark::State& st) {
    const int n = static_cast<int>(st.range(0));
    const Scenario sc = bench::synthetic_world(n);
    play_and_split(st, sc, static_cast<int>(st.range(1)));
    st.counters["countries"] = n;
}
BENCHMARK(BM_SyntheticTurns)->Args({10, 8})->Args({50, 2})->Unit(benchmark::kMillisecond)->Iterations(1);

// For worlds too large to measure leverage in full within a benchmark run: the measured cost of
// one turn without leverage, the measured cost of one counterfactual turn, and the number of
// counterfactual runs leverage needs (counted, not estimated). leverage_ms_est = runs ×
// horizon × cf_turn_ms is the one extrapolated figure.
void BM_SyntheticLeverageCost(benchmark::State& st) {
    const int n = static_cast<int>(st.range(0));
    const Scenario sc = bench::synthetic_world(n);
    double turn_ms = 0, cf_ms = 0;
    int runs = 0;
    for (auto _ : st) {
        Game game(sc, GameOptions{false});
        game.step();
        const TurnRecord& r = game.step();
        turn_ms = 1e3 * r.seconds_markets;
        runs = counterfactuals_needed(game.defs(), game.state());
        State copy = game.state();
        EventList log;
        log.muted = true;
        auto t0 = std::chrono::steady_clock::now();
        TurnOptions counterfactual;
        counterfactual.scheduled_events = counterfactual.random_shocks = counterfactual.negotiation = false;
        counterfactual.counterfactual = true;
        play_turn(game.defs(), copy, {}, {}, counterfactual, log);
        cf_ms = 1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    st.counters["countries"] = n;
    st.counters["turn_ms"] = turn_ms;
    st.counters["cf_turn_ms"] = cf_ms;
    st.counters["cf_runs"] = runs;
    st.counters["leverage_ms_est"] = runs * sc.defs->leverage.horizon_turns * cf_ms;
}
BENCHMARK(BM_SyntheticLeverageCost)->Arg(10)->Arg(50)->Arg(200)->Unit(benchmark::kMillisecond)->Iterations(1);

// One market clearing of the baseline's size: the unit everything else is made of.
void BM_ClearMarketBaselineMagnets(benchmark::State& st) {
    const Scenario sc = load_scenario(kBaseline);
    const MarketProblem p = baseline_magnets_problem(sc);
    for (auto _ : st) benchmark::DoNotOptimize(clear_market(p));
}
BENCHMARK(BM_ClearMarketBaselineMagnets)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace chokepoint

BENCHMARK_MAIN();
