// Value conversion at the Lua boundary, in the style of Wesnoth's push_check: push(L, value)
// and set_…(L, key, value) for C++ → Lua (the one way bindings and callbacks hand values
// over), check_…/opt_… for Lua → C++, used by every binding. Checks are strict (a
// number argument must be a number, not the string "10"; numbers must be finite) because a
// policy passing the wrong type is almost always a bug worth reporting at the call site:
//   bad argument #2 to 'stockpile_buy' (number expected, got string)
//   bad argument #2 to 'stockpile_buy' (tonnes: number expected, got string)   -- with a name
#pragma once

#include <algorithm>
#include <climits>
#include <initializer_list>
#include <cmath>
#include <concepts>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <lua.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace chokepoint::lua {

// ---- C++ → Lua ---------------------------------------------------------------------------

inline void push(lua_State* L, bool value) {
    lua_pushboolean(L, value ? 1 : 0);
}
inline void push(lua_State* L, double value) {
    lua_pushnumber(L, value);
}
template <std::integral T>
requires(!std::same_as<T, bool>) void push(lua_State* L, T value) {
    lua_pushinteger(L, static_cast<lua_Integer>(value));
}
inline void push(lua_State* L, std::string_view value) {
    lua_pushlstring(L, value.data(), value.size());
}
inline void push(lua_State* L, const std::string& value) {
    lua_pushlstring(L, value.data(), value.size());
}
inline void push(lua_State* L, const char* value) {
    lua_pushstring(L, value);
}

template <class T>
void push(lua_State* L, const std::optional<T>& value) {
    if (value)
        push(L, *value);
    else
        lua_pushnil(L);
}

// A sequence: {v1, v2, …}.
template <class T>
void push(lua_State* L, const std::vector<T>& values) {
    lua_createtable(L, static_cast<int>(values.size()), 0);
    lua_Integer i = 1;
    for (const auto& v : values) {
        push(L, v);
        lua_rawseti(L, -2, i++);
    }
}

// Plain data (policy_params, event data): a JSON integer as a Lua integer, other numbers as
// floats, arrays as sequences, objects as tables; null as nil. `seal`, when given, is called with
// each table on top of the stack once it is filled, and may replace it (ctx.params wraps each in a
// read-only proxy).
using TableSeal = void (*)(lua_State*);
inline void push(lua_State* L, const nlohmann::json& j, TableSeal seal = nullptr) {
    luaL_checkstack(L, 4, "value nested too deeply");
    switch (j.type()) {
        case nlohmann::json::value_t::boolean: lua_pushboolean(L, j.get<bool>()); return;
        case nlohmann::json::value_t::number_integer: lua_pushinteger(L, j.get<lua_Integer>()); return;
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float: lua_pushnumber(L, j.get<double>()); return;
        case nlohmann::json::value_t::string: push(L, j.get_ref<const std::string&>()); return;
        case nlohmann::json::value_t::array: {
            lua_createtable(L, static_cast<int>(j.size()), 0);
            lua_Integer i = 1;
            for (const auto& item : j) {
                push(L, item, seal);
                lua_rawseti(L, -2, i++);
            }
            break;
        }
        case nlohmann::json::value_t::object: {
            lua_createtable(L, 0, static_cast<int>(j.size()));
            for (auto it = j.begin(); it != j.end(); ++it) {
                push(L, std::string_view(it.key()));
                push(L, it.value(), seal);
                lua_rawset(L, -3);
            }
            break;
        }
        default: lua_pushnil(L); return;
    }
    if (seal) seal(L);
}

// t[key] = value, for the table t on top of the stack: how every binding fills a table. Numbers and integers have their own
// setters because Lua 5.4 tells 3.0 from 3 (math.type, tostring).
inline void set_number(lua_State* L, const char* key, lua_Number value) {
    lua_pushnumber(L, value);
    lua_setfield(L, -2, key);
}
inline void set_integer(lua_State* L, const char* key, lua_Integer value) {
    lua_pushinteger(L, value);
    lua_setfield(L, -2, key);
}
inline void set_string(lua_State* L, const char* key, std::string_view value) {
    push(L, value);
    lua_setfield(L, -2, key);
}
inline void set_bool(lua_State* L, const char* key, bool value) {
    lua_pushboolean(L, value);
    lua_setfield(L, -2, key);
}
template <class T>
void set_field(lua_State* L, const char* key, const T& value) {
    push(L, value);
    lua_setfield(L, -2, key);
}

// ---- Lua → C++ ---------------------------------------------------------------------------

// "bad argument #idx to 'f' ([name: ]expected expected, got <type>)". Raises a Lua error.
[[noreturn]] inline void type_error(lua_State* L, int idx, const char* name, const char* expected) {
    if (name != nullptr && *name != '\0') expected = lua_pushfstring(L, "%s: %s", name, expected);
    luaL_typeerror(L, idx, expected);
    std::abort();  // not reached: luaL_typeerror raises
}

// "bad argument #idx to 'f' ([name: ]problem)". Raises a Lua error.
[[noreturn]] inline void argument_error(lua_State* L, int idx, const char* name, const char* problem) {
    if (name != nullptr && *name != '\0') problem = lua_pushfstring(L, "%s: %s", name, problem);
    luaL_argerror(L, idx, problem);
    std::abort();  // not reached: luaL_argerror raises
}

// A number as a message shows it: 1e+300, inf, -inf, nan, 2.5.
inline std::string number_text(lua_Number v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char text[64];
    std::snprintf(text, sizeof text, "%.14g", v);
    return text;
}

inline lua_Number check_number(lua_State* L, int idx, const char* name = nullptr) {
    if (lua_type(L, idx) != LUA_TNUMBER) type_error(L, idx, name, "number");
    const lua_Number v = lua_tonumber(L, idx) + 0.0;  // + 0.0: -0 reads as 0 (logged "-0%" before)
    if (!std::isfinite(v)) argument_error(L, idx, name, lua_pushfstring(L, "finite number expected, got %f", v));
    return v;
}

inline lua_Integer check_integer(lua_State* L, int idx, const char* name = nullptr) {
    if (lua_type(L, idx) != LUA_TNUMBER) type_error(L, idx, name, "number");
    int exact = 0;
    const lua_Integer v = lua_tointegerx(L, idx, &exact);
    if (!exact) argument_error(L, idx, name, "number has no integer representation");
    return v;
}

inline bool check_bool(lua_State* L, int idx, const char* name = nullptr) {
    if (lua_type(L, idx) != LUA_TBOOLEAN) type_error(L, idx, name, "boolean");
    return lua_toboolean(L, idx) != 0;
}

// Valid while the value stays on the stack.
inline std::string_view check_string_view(lua_State* L, int idx, const char* name = nullptr) {
    if (lua_type(L, idx) != LUA_TSTRING) type_error(L, idx, name, "string");
    std::size_t n = 0;
    const char* s = lua_tolstring(L, idx, &n);
    return {s, n};
}

inline std::string check_string(lua_State* L, int idx, const char* name = nullptr) {
    return std::string(check_string_view(L, idx, name));
}

inline void check_table(lua_State* L, int idx, const char* name = nullptr) {
    if (lua_type(L, idx) != LUA_TTABLE) type_error(L, idx, name, "table");
}

inline bool is_absent(lua_State* L, int idx) {
    return lua_isnoneornil(L, idx);
}

inline lua_Number opt_number(lua_State* L, int idx, lua_Number def, const char* name = nullptr) {
    return is_absent(L, idx) ? def : check_number(L, idx, name);
}
inline bool opt_bool(lua_State* L, int idx, bool def, const char* name = nullptr) {
    return is_absent(L, idx) ? def : check_bool(L, idx, name);
}

// ---- numbers in a range (checked before any cast) -----------------------------------------

// What is wrong with the value at idx as a whole number in [lo, hi] ("" when nothing): not a
// number (a string such as "10" is not one), NaN or infinite, a fraction, or out of range
// (2^32 + 5 is not 5). On success `out` holds it. No Lua error: for commands that answer nil,
// message (diplomacy) as well as for those that raise.
inline std::string integer_problem(lua_State* L, int idx, lua_Integer lo, lua_Integer hi, lua_Integer& out) {
    if (lua_type(L, idx) != LUA_TNUMBER) return std::string("a whole number expected, got ") + luaL_typename(L, idx);
    if (lua_isinteger(L, idx)) {
        out = lua_tointeger(L, idx);
    } else {
        const lua_Number v = lua_tonumber(L, idx);
        if (std::isnan(v)) return "a whole number expected, got nan";
        if (!std::isfinite(v)) return "a whole number expected, got an infinite number";
        // lua_Number → lua_Integer only when the value fits (2^63 does not).
        if (v != std::floor(v)) return "a whole number expected, got " + number_text(v);
        if (!(v >= -0x1p63 && v < 0x1p63))
            return "whole number out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + "), got " +
                   number_text(v);
        out = static_cast<lua_Integer>(v);
    }
    if (out < lo || out > hi)
        return "whole number out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + "), got " +
               std::to_string(out);
    return {};
}

// The same as an int, raising "bad argument #idx to 'f' ([name: ]problem)".
inline int check_int_in(lua_State* L, int idx, int lo, int hi, const char* name = nullptr) {
    lua_Integer v = 0;
    const std::string problem = integer_problem(L, idx, lo, hi, v);
    if (!problem.empty()) argument_error(L, idx, name, lua_pushstring(L, problem.c_str()));
    return static_cast<int>(v);  // in [lo, hi]
}

// An id of the game (application, license, proposal, agreement): a whole number that fits an int.
inline int check_id(lua_State* L, int idx, const char* name = "id") {
    return check_int_in(L, idx, 0, INT_MAX, name);
}

// What is wrong with the value at idx as a number (""): not a number, NaN, or infinite unless
// `allow_infinite` (math.huge meaning "no limit"). On success `out` holds it.
inline std::string number_problem(lua_State* L, int idx, bool allow_infinite, lua_Number& out) {
    if (lua_type(L, idx) != LUA_TNUMBER) return std::string("number expected, got ") + luaL_typename(L, idx);
    out = lua_tonumber(L, idx) + 0.0;  // -0 reads as 0
    if (std::isnan(out))
        return allow_infinite ? "finite number (or math.huge: no limit) expected, got nan" : "finite number expected, got nan";
    if (!allow_infinite && !std::isfinite(out)) return "finite number expected, got " + number_text(out);
    return {};
}

// A number that may be math.huge (quotas: no limit), never NaN; raises like check_number.
inline lua_Number check_number_or_huge(lua_State* L, int idx, const char* name = nullptr) {
    lua_Number v = 0;
    const std::string problem = number_problem(L, idx, true, v);
    if (lua_type(L, idx) != LUA_TNUMBER) type_error(L, idx, name, "number");
    if (!problem.empty()) argument_error(L, idx, name, lua_pushstring(L, problem.c_str()));
    return v;
}

// What is wrong with the keys of the option table at idx ("" when nothing): a key that is not
// one of `known` (the first in sorted order, since traversal order means nothing), or a
// numbered entry. A misspelt option ({tonne = 1}) must not be silently ignored.
inline std::string unknown_option_problem(lua_State* L, int idx, std::initializer_list<std::string_view> known) {
    idx = lua_absindex(L, idx);
    std::string names;
    for (std::string_view k : known) names += (names.empty() ? "" : ", ") + std::string(k);
    std::vector<std::string> unknown;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            return "options are named (" + names + "), not numbered";
        }
        std::size_t n = 0;
        const char* s = lua_tolstring(L, -1, &n);  // a string key: no conversion in place
        const std::string_view key(s, n);
        bool found = false;
        for (std::string_view k : known) found = found || k == key;
        if (!found) unknown.emplace_back(key);
    }
    if (unknown.empty()) return {};
    std::sort(unknown.begin(), unknown.end());
    return "unknown option '" + unknown.front() + "' (options: " + names + ")";
}

// The same for a command's option table, raising "bad argument #idx to 'f' (unknown option ...)".
inline void check_option_keys(lua_State* L, int idx, std::initializer_list<std::string_view> known) {
    const std::string problem = unknown_option_problem(L, idx, known);
    if (!problem.empty()) argument_error(L, idx, nullptr, lua_pushstring(L, problem.c_str()));
}

// A string argument with its length (NUL bytes kept); nullopt when it is not a string (a
// number is not converted: that would change the argument in place).
inline std::optional<std::string> to_string_exact(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TSTRING) return std::nullopt;
    std::size_t n = 0;
    const char* s = lua_tolstring(L, idx, &n);
    return std::string(s, n);
}

// ---- C++ exceptions at the boundary -------------------------------------------------------

// Runs C++ code `f` (returning int) from inside a C function, so a C++ exception it throws
// becomes a Lua error instead of crossing into the Lua runtime. Lua's own errors (lua_error)
// pass through untouched: with liblua5.4-c++ they are not std::exceptions.
template <class F>
int call_guarded(lua_State* L, F&& f) {
    std::string what;
    try {
        return f();
    } catch (const std::exception& e) {
        what = e.what();
    }
    return luaL_error(L, "%s", what.c_str());
}

// A lua_CFunction wrapped by call_guarded: lua_pushcfunction(L, guarded<my_function>).
template <lua_CFunction F>
int guarded(lua_State* L) {
    return call_guarded(L, [L] { return F(L); });
}

}  // namespace chokepoint::lua
