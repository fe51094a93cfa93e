#include "agents/lua/ordered.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

namespace chokepoint::lua {

namespace {

struct Key {
    int rank;          // 0 number, 1 string, 2 boolean, 3 anything else
    lua_Number number;
    std::string_view text;  // points into the string kept alive in the keys table
    int slot;          // position in the keys table
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

// Pushes an array of the table's keys in the fixed order.
void push_sorted_keys(lua_State* L, int table) {
    table = lua_absindex(L, table);
    lua_newtable(L);  // raw order, keeps keys alive
    const int raw = lua_gettop(L);
    std::vector<Key> keys;
    lua_pushnil(L);
    while (lua_next(L, table) != 0) {
        lua_pop(L, 1);
        Key k{3, 0, {}, static_cast<int>(keys.size()) + 1};
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
        lua_pushvalue(L, -1);
        lua_rawseti(L, raw, k.slot);
        keys.push_back(k);
    }
    std::stable_sort(keys.begin(), keys.end(), before);
    lua_createtable(L, static_cast<int>(keys.size()), 0);
    for (size_t i = 0; i < keys.size(); ++i) {
        lua_rawgeti(L, raw, keys[i].slot);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i) + 1);
    }
    lua_remove(L, raw);
}

// Iterator closure: upvalue 1 = the sorted keys, upvalue 2 = the next position.
int ordered_step(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(2));
    for (;;) {
        ++pos;
        if (lua_rawgeti(L, lua_upvalueindex(1), pos) == LUA_TNIL) return 1;  // done: nil
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL) {  // skip keys removed during the traversal
            lua_pushinteger(L, pos);
            lua_replace(L, lua_upvalueindex(2));
            return 2;
        }
        lua_pop(L, 2);
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
    push_sorted_keys(L, 1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, ordered_step, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

int ordered_next(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    push_sorted_keys(L, 1);  // index 3
    const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 3));
    lua_Integer pos = 0;
    if (!lua_isnil(L, 2)) {
        for (pos = 1; pos <= n; ++pos) {
            lua_rawgeti(L, 3, pos);
            const bool same = lua_rawequal(L, -1, 2);
            lua_pop(L, 1);
            if (same) break;
        }
        if (pos > n) return luaL_error(L, "invalid key to 'next'");
    }
    for (++pos; pos <= n; ++pos) {
        lua_rawgeti(L, 3, pos);
        lua_pushvalue(L, -1);
        if (lua_rawget(L, 1) != LUA_TNIL) return 2;
        lua_pop(L, 2);
    }
    lua_pushnil(L);
    return 1;
}

}  // namespace chokepoint::lua
