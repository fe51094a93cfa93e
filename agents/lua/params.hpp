// Declared policy parameters (docs/lua-api.md §Declared parameters): a policy's returned table may
// carry `params = { name = {type = "number", default = 0.5, min = 0, max = 1}, ... }`. The
// scenario's policy_params for the country are checked against it when the policy loads: an
// unknown key (with a "did you mean"), a wrong type or a value out of range is refused with the
// scenario's file:line:column of the key and the policy file; defaults fill missing keys. A
// policy without a declaration gets its policy_params as they are.
#pragma once

#include <lua.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

#include "engine/world/definitions.hpp"

namespace chokepoint::lua {

// The limits of a declaration (named, documented in docs/lua-api.md).
inline constexpr int kMaxDeclaredParams = 256;
inline constexpr int kMaxParamDefaultDepth = 16;

struct ParamCheck {
    std::optional<std::string> declaration_error;  // the policy's own declaration is malformed
    std::optional<std::string> params_error;       // the scenario's values do not fit it (all problems, one a line)
    bool declared = false;                         // the policy declares its parameters
    nlohmann::json params;                         // the scenario's values with defaults filled in
};

// Reads `policy.params` from the policy table on top of the stack and checks `given` (`country`'s
// policy_params, or {}) against it. Raises Lua errors only for memory (call it protected).
ParamCheck check_declared_params(lua_State* L, const Definitions& d, CountryId country, const std::string& policy_path,
                                 const nlohmann::json& given);

}  // namespace chokepoint::lua
