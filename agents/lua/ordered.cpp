// The sandbox's next/pairs in a fixed order (ordered.hpp). Their C work is bounded and on the
// clock, since the count hook cannot see it (docs/lua-api.md §Limits):
// - pairs(t) sorts t's keys once per loop; next(t, k) keeps the sorted keys of a traversal in a
//   cache (per table, weak) and continues from the key it returned last, so a loop of next
//   costs one sort, not one per step. next(t) or next(t, nil) starts a traversal afresh: it
//   finds the first key by one scan (no sort, no allocation: `next(t) == nil` stays cheap) and
//   drops the cache, so writes made between traversals are always seen. Writes during a
//   traversal follow Lua's rule (assigning to existing fields or clearing them is fine; keys
//   added meanwhile may be missed).
// - every loop over keys asks the deadline every kKeysPerClockCheck keys, the sort every
//   kComparisonsPerClockCheck comparisons (a Lua error is a C++ exception with liblua5.4-c++,
//   so it may leave std::stable_sort).
#include "agents/lua/ordered.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "agents/lua/runtime.hpp"

namespace chokepoint::lua {

namespace {

constexpr int kKeysPerClockCheck = 4096;
constexpr long long kComparisonsPerClockCheck = 1 << 16;

char kOrderCacheKey = 0;  // registry: weak-keyed table → its sorted keys, [0] = last position returned

struct Key {
    int rank;          // 0 number, 1 string, 2 boolean, 3 anything else
    lua_Number number;
    std::string_view text;  // points into a string kept alive as a key of the table
    int slot;          // position in raw order
};

bool before(const Key& a, const Key& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    switch (a.rank) {
        case 0:
        case 2: return a.number < b.number;
        case 1: return a.text < b.text;
        default: return a.slot < b.slot;
    }
}

// The key on top of the stack as a sortable Key.
Key key_at_top(lua_State* L, int slot) {
    Key k{3, 0, {}, slot};
    switch (lua_type(L, -1)) {
        case LUA_TNUMBER: k.rank = 0; k.number = lua_tonumber(L, -1); break;
        case LUA_TSTRING: {
            size_t len = 0;
            const char* s = lua_tolstring(L, -1, &len);
            k.rank = 1;
            k.text = std::string_view(s, len);
            break;
        }
        case LUA_TBOOLEAN: k.rank = 2; k.number = lua_toboolean(L, -1); break;
        default: break;
    }
    return k;
}

// Pushes an array of the table's keys in the fixed order.
void push_sorted_keys(lua_State* L, int table, const char* where) {
    table = lua_absindex(L, table);
    lua_newtable(L);  // raw order, keeps keys alive
    const int raw = lua_gettop(L);
    std::vector<Key> keys;
    lua_pushnil(L);
    while (lua_next(L, table) != 0) {
        lua_pop(L, 1);
        const Key k = key_at_top(L, static_cast<int>(keys.size()) + 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, raw, k.slot);
        keys.push_back(k);
        if (keys.size() % kKeysPerClockCheck == 0) detail::check_deadline(L, where);
    }
    long long comparisons = 0;
    std::stable_sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
        if (++comparisons % kComparisonsPerClockCheck == 0) detail::check_deadline(L, where);
        return before(a, b);
    });
    lua_createtable(L, static_cast<int>(keys.size()), 1);
    for (size_t i = 0; i < keys.size(); ++i) {
        lua_rawgeti(L, raw, keys[i].slot);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i) + 1);
        if ((i + 1) % kKeysPerClockCheck == 0) detail::check_deadline(L, where);
    }
    lua_remove(L, raw);
}

// Pushes the cache of sorted keys (created on first use).
void push_cache(lua_State* L) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kOrderCacheKey) == LUA_TTABLE) return;
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kOrderCacheKey);
}

void set_position(lua_State* L, int keys, lua_Integer pos) {
    lua_pushinteger(L, pos);
    lua_rawseti(L, keys, 0);
}

// Iterator closure: upvalue 1 = the sorted keys, upvalue 2 = the next position.
int ordered_step(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(2));
    for (lua_Integer skipped = 1;; ++skipped) {
        ++pos;
        if (lua_rawgeti(L, lua_upvalueindex(1), pos) == LUA_TNIL) return 1;  // done: nil
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL) {  // skip keys removed during the traversal
            lua_pushinteger(L, pos);
            lua_replace(L, lua_upvalueindex(2));
            return 2;
        }
        lua_pop(L, 2);
        if (skipped % kKeysPerClockCheck == 0) detail::check_deadline(L, "in pairs()");
    }
}

}  // namespace

int ordered_pairs(lua_State* L) {
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {  // the table's own traversal, as Lua's pairs
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    push_sorted_keys(L, 1, "in pairs()");
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, ordered_step, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

int ordered_next(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    push_cache(L);  // 3
    if (lua_isnil(L, 2)) {
        // A traversal starts: the first key by one scan, and any cached order is dropped.
        lua_pushvalue(L, 1);
        lua_pushnil(L);
        lua_rawset(L, 3);
        int slot = 0, best_slot = 0;
        Key best{};
        lua_pushnil(L);
        while (lua_next(L, 1) != 0) {
            lua_pop(L, 1);
            const Key k = key_at_top(L, ++slot);
            if (best_slot == 0 || before(k, best)) {
                best = k;  // its text stays valid: the string is a key of the table
                best_slot = slot;
                lua_pushvalue(L, -1);
                lua_replace(L, 2);
            }
            if (slot % kKeysPerClockCheck == 0) detail::check_deadline(L, "in next()");
        }
        if (best_slot == 0) {
            lua_pushnil(L);
            return 1;
        }
        lua_settop(L, 2);
        lua_pushvalue(L, 2);
        lua_rawget(L, 1);
        return 2;
    }
    lua_pushvalue(L, 1);
    lua_rawget(L, 3);  // 4: the cached keys of this table's traversal, or nil
    lua_Integer pos = 0;
    if (lua_istable(L, 4)) {
        lua_rawgeti(L, 4, 0);
        pos = lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_rawgeti(L, 4, pos);
        if (pos < 1 || !lua_rawequal(L, -1, 2)) pos = 0;
        lua_pop(L, 1);
    }
    if (pos == 0) {  // the second step of a traversal, or one resumed at another key: sort, then find the key
        lua_settop(L, 3);
        push_sorted_keys(L, 1, "in next()");  // 4
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 4);
        lua_rawset(L, 3);
        const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 4));
        for (pos = 1; pos <= n; ++pos) {
            lua_rawgeti(L, 4, pos);
            const bool same = lua_rawequal(L, -1, 2);
            lua_pop(L, 1);
            if (same) break;
            if (pos % kKeysPerClockCheck == 0) detail::check_deadline(L, "in next()");
        }
        if (pos > n) return luaL_error(L, "invalid key to 'next'");
    }
    for (lua_Integer skipped = 1;; ++skipped) {
        ++pos;
        if (lua_rawgeti(L, 4, pos) == LUA_TNIL) break;
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL) {  // skip keys removed during the traversal
            set_position(L, 4, pos);
            return 2;
        }
        lua_pop(L, 2);
        if (skipped % kKeysPerClockCheck == 0) detail::check_deadline(L, "in next()");
    }
    lua_pushvalue(L, 1);  // the traversal is over: its cache goes
    lua_pushnil(L);
    lua_rawset(L, 3);
    lua_pushnil(L);
    return 1;
}

}  // namespace chokepoint::lua
