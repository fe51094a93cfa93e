// `chokepoint check POLICY.lua`: a modder's smoke test for a policy file.
#pragma once

#include <string>
#include <vector>

namespace chokepoint::app {

struct CheckPolicyArgs {
    std::string policy;
    std::string scenario;  // default: the baseline
    std::string as;        // country to play; default: the one the scenario gives this file, else the first
    int turns = 4;
    std::string leverage = "off";  // every | N | end | off
    std::vector<std::string> reload_at;  // [COUNTRY:]TURN=FILE (app/reload_at.hpp)
};

// Loads the policy, then plays `turns` turns of the scenario with it governing one country
// (leverage as asked, off by default; every other country as the scenario says). Prints errors with file:line,
// the commands issued and budget use. Returns 0 when the policy ran without errors.
int check_policy(const CheckPolicyArgs& args);

}  // namespace chokepoint::app
