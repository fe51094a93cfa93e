// Benchmarks (Google Benchmark). Speed is measured here, never in tests.
// Figures are recorded in docs/performance.md.
#include <benchmark/benchmark.h>

#include "engine/scenario/loader.hpp"
#include "engine/sim/game.hpp"

namespace chokepoint {
namespace {

const char* kBaseline = CHOKEPOINT_SOURCE_DIR "/config/scenarios/baseline.yaml";

// The headline figure: 40 turns of the baseline, leverage every turn, autopilot everywhere.
void BM_Baseline40TurnsWithLeverage(benchmark::State& st) {
    const Scenario sc = load_scenario(kBaseline);
    for (auto _ : st) {
        Game game(sc);
        game.set_turn_limit(40);
        while (!game.finished()) game.step();
        benchmark::DoNotOptimize(game.state().turn);
    }
}
BENCHMARK(BM_Baseline40TurnsWithLeverage)->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(3);

}  // namespace
}  // namespace chokepoint

BENCHMARK_MAIN();
