// The built-in C++ policy. It governs every country until Lua policies land,
// every country inside leverage counterfactuals, and a country whose script
// keeps failing. It goes through exactly the command interface a Lua policy
// uses. docs/model.md §Autopilot.
#pragma once

#include "engine/sim/policy.hpp"

namespace chokepoint {

class AutopilotPolicy final : public Policy {
public:
    std::string name() const override { return "autopilot"; }
    void on_turn(PolicyContext& ctx) override;
    void on_license_request(PolicyContext& ctx, const LicenseApplication& app) override;
    void on_proposal(PolicyContext& ctx, const Proposal& p) override;
    // Counterfactuals (TurnOptions::counterfactual): decide applications with the exporter's
    // recorded practice (State::license_practice) instead of the autopilot parameters.
    bool use_practice = false;
};

}  // namespace chokepoint
