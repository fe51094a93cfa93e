// Our own Lua pattern matcher (reference manual §6.4.1) behind string.find, match, gmatch
// and gsub in the sandbox. Lua's C matcher can backtrack for minutes on a pathological
// pattern and a count hook cannot interrupt a C function; this one asks a guard every few
// thousand steps whether the call is out of time.
#pragma once

#include <lua.hpp>

namespace chokepoint::lua {

struct PatternGuard {
    // Raises a Lua error when the call is past its deadline; `where` names the activity
    // ("in a string pattern"). Never returns normally in that case.
    void (*check)(lua_State* L, const char* where);
};

// Sets find, match, gmatch and gsub of the table at `index` to our matcher. `guard` must
// outlive the state; nullptr means no deadline (tests comparing against the real library).
void register_patterns(lua_State* L, int index, const PatternGuard* guard);

}  // namespace chokepoint::lua
