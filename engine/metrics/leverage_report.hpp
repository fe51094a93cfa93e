// What a leverage measurement reports (engine/leverage/ measures it; scores, outputs and the
// window read it). docs/model.md §Leverage.
#pragma once

#include <vector>

#include "engine/world/state.hpp"

namespace chokepoint {

// D(A→B) comes in three parts (docs/model.md §Leverage): the potential, harm to B of a full
// cut by A relative to A's exports to B fully open; the exercised part, harm of A's restrictions
// in force (regime, licences, duty, export quota) relative to open; the reserve, further harm of
// a full cut relative to today. exercised + reserve = potential up to clamping.
struct LeverageReport {
    CountryMatrix<> materials;                    // [A][B] D_potential(A→B), every good cut, 0..1
    CountryMatrix<> materials_exercised;          // [A][B] D_exercised(A→B), 0..1
    CountryMatrix<> materials_reserve;            // [A][B] D_reserve(A→B), 0..1
    PerGood<CountryMatrix<>> materials_by_good;  // [good][A][B] D_potential(A→B) cutting that good only
    PerGood<CountryMatrix<>> materials_exercised_by_good;  // [good][A][B] that good's restrictions only
    PerGood<CountryMatrix<>> materials_reserve_by_good;    // [good][A][B]
    CountryMatrix<> market_access;                // [A][B] M(A→B), 0..1
    CountryMatrix<> combined;                     // [A][B] w_m·D_potential + w_a·M
    PerCountry<double> weight;                // w_B: share of world weighted demand
    PerCountry<double> index_materials;       // Σ_B w_B·D_potential(A→B)
    PerCountry<double> index_exercised;       // Σ_B w_B·D_exercised(A→B)
    PerCountry<double> index_reserve;         // Σ_B w_B·D_reserve(A→B)
    PerCountry<double> index_market_access;   // Σ_B w_B·M(A→B)
    PerCountry<double> index_combined;        // Σ_B w_B·combined(A→B)
    int counterfactual_turns = 0;              // turns simulated to measure it (cost accounting)

    double net(CountryId a, CountryId b) const { return combined(a, b) - combined(b, a); }
    double net_materials(CountryId a, CountryId b) const { return materials(a, b) - materials(b, a); }
};

}  // namespace chokepoint
