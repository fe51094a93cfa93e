// Deterministic table traversal for the sandbox. Lua seeds its string hashes
// per state (from the clock and addresses), so the raw next()/pairs() order of
// string keys differs between runs — and a policy that issues commands in
// pairs() order would make the game differ too. The sandbox's pairs and next
// visit keys in a fixed order instead: numbers ascending, then strings
// bytewise, then false, true, then other keys (tables, functions: in raw
// order, which no program can make deterministic). docs/lua-api.md §Determinism.
#pragma once

#include <lua.hpp>

namespace chokepoint::lua {

int ordered_next(lua_State* L);
int ordered_pairs(lua_State* L);

}  // namespace chokepoint::lua
