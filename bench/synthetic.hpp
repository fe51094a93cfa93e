// A synthetic world of N countries for scaling benchmarks: the baseline's five
// goods and five sectors, one dominant producer, a few mid-size suppliers and
// many importers, sizes drawn from a fixed seed. Built as YAML text and loaded
// through the real loader.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "engine/scenario/loader.hpp"
#include "engine/world/rng.hpp"

namespace chokepoint::bench {

inline Scenario synthetic_world(int countries, int turns = 40, std::uint64_t seed = 1) {
    std::uint64_t st[4];
    seed_rng(st, seed);
    Rng rng(st);
    std::string y = fmt::format(R"(scenario: {{name: Synthetic {0}, start: 2026-01, turns: {1}, seed: 3}}
goods:
  ndpr_concentrate: {{name: NdPr concentrate, process: mining, stage: 0, reference_price: 25, transport_cost: 0.5}}
  dytb_concentrate: {{name: DyTb concentrate, process: mining, stage: 0, reference_price: 150, transport_cost: 1}}
  ndpr_oxide: {{name: NdPr oxide, process: separation, stage: 1, reference_price: 55, transport_cost: 1,
               recipe: {{ndpr_concentrate: 1.05}}}}
  dytb_oxide: {{name: DyTb oxide, process: separation, stage: 1, reference_price: 400, transport_cost: 2,
               recipe: {{dytb_concentrate: 1.05}}}}
  ndfeb_magnet: {{name: NdFeB magnet, process: magnet_making, stage: 2, reference_price: 70, transport_cost: 2,
                 recipe: {{ndpr_oxide: 0.30, dytb_oxide: 0.03}}}}
sectors:
  ev_motors: {{name: EV motors, good: ndfeb_magnet, value_per_tonne: 2000, growth: 0.12}}
  wind: {{name: Wind, good: ndfeb_magnet, value_per_tonne: 1500, growth: 0.08}}
  electronics: {{name: Electronics, good: ndfeb_magnet, value_per_tonne: 1200, growth: 0.04}}
  defense: {{name: Defense, good: ndfeb_magnet, defense: true, value_per_tonne: 20000, criticality: 3}}
  other_oxide: {{name: Catalysts and alloys, good: ndpr_oxide, value_per_tonne: 400, growth: 0.03}}
countries:
)", countries, turns);
    for (int c = 0; c < countries; ++c) {
        const bool dominant = c == 0, supplier = c > 0 && c % 5 == 0;
        double scale = dominant ? 1.0 : supplier ? 0.08 + 0.05 * rng.uniform() : 0.0;
        double demand = dominant ? 60000 : (120000.0 / countries) * (0.5 + rng.uniform());
        y += fmt::format("  c{}:\n    name: Country {}\n    position: {{lon: {:.1f}, lat: {:.1f}}}\n", c, c,
                         -170 + 340 * rng.uniform(), -50 + 110 * rng.uniform());
        y += fmt::format("    treasury: {:.0f}\n    gdp: {:.0f}\n", 20000 + 80000 * rng.uniform(), 1e6 + 2e7 * rng.uniform());
        if (scale > 0) {
            y += fmt::format("    reserves: {{ndpr_concentrate: {:.0f}, dytb_concentrate: {:.0f}}}\n", 4e7 * scale, 8e5 * scale);
            y += fmt::format(
                "    capacity: {{ndpr_concentrate: {:.0f}, dytb_concentrate: {:.0f}, ndpr_oxide: {:.0f}, dytb_oxide: {:.0f}, "
                "ndfeb_magnet: {:.0f}}}\n",
                300000 * scale, 6000 * scale, 280000 * scale, 5800 * scale, 280000 * scale);
            y += "    cost: {ndpr_concentrate: 10, dytb_concentrate: 60, ndpr_oxide: 14, dytb_oxide: 80, ndfeb_magnet: 20}\n";
        }
        y += fmt::format("    demand: {{ev_motors: {:.0f}, wind: {:.0f}, electronics: {:.0f}, defense: {:.0f}, other_oxide: {:.0f}}}\n",
                         demand * 0.45, demand * 0.2, demand * 0.3, demand * 0.01, demand * 0.2);
        y += fmt::format("    stocks: {{ndfeb_magnet: {:.0f}, ndpr_oxide: {:.0f}}}\n", demand * 0.1, demand * 0.03);
        if (dominant) y += "    export_regime: {dytb_oxide: {default: licensed}, ndfeb_magnet: {default: licensed}}\n";
        y += "    exports_to: {";
        for (int b = 0; b < countries; ++b)
            if (b != c) y += fmt::format("{}c{}: {:.0f}", (b == 0 || (c == 0 && b == 1)) ? "" : ", ", b, 1000 + 50000 * rng.uniform());
        y += "}\n";
    }
    return load_scenario_text(y, fmt::format("synthetic-{}.yaml", countries));
}

}  // namespace chokepoint::bench
