// Shared helpers for the simulation tests: small scenarios and a policy whose
// behaviour a test writes inline.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "engine/scenario/loader.hpp"
#include "engine/sim/autopilot.hpp"
#include "engine/game/game.hpp"

namespace chokepoint::testing {

inline Scenario trio() { return load_scenario("tests/scenarios/trio.yaml"); }

// A scenario whose definitions `change` edits (Scenario::defs is shared and const).
template <typename F>
Scenario with_defs(Scenario sc, F change) {
    auto defs = std::make_shared<Definitions>(*sc.defs);
    change(*defs);
    sc.defs = std::move(defs);
    return sc;
}

// A country policy made of lambdas; unset callbacks fall back to the autopilot.
class ScriptedPolicy : public Policy {
public:
    std::function<void(PolicyContext&)> turn;
    std::function<void(PolicyContext&, const LicenseApplication&)> license;
    std::function<void(PolicyContext&, const Proposal&)> proposal;
    std::string name() const override { return "scripted"; }
    void on_turn(PolicyContext& ctx) override { turn ? turn(ctx) : autopilot_.on_turn(ctx); }
    void on_license_request(PolicyContext& ctx, const LicenseApplication& a) override {
        license ? license(ctx, a) : autopilot_.on_license_request(ctx, a);
    }
    void on_proposal(PolicyContext& ctx, const Proposal& p) override {
        proposal ? proposal(ctx, p) : autopilot_.on_proposal(ctx, p);
    }

private:
    AutopilotPolicy autopilot_;
};

inline CountryId id_of(const Game& g, const std::string& country) { return g.defs().country_id(country); }
inline GoodId good_of(const Game& g, const std::string& good) { return GoodId{g.defs().good_index(good)}; }

// Unmet sector demand of a country in a turn's outcome, t.
inline double unmet(const Game& g, const MarketOutcome& o, CountryId c) {
    double u = 0.0;
    for (SectorId k : g.defs().sector_ids()) u += o.demand(c, k) - o.met(c, k);
    return u;
}

}  // namespace chokepoint::testing
