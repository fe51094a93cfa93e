// The composition point: everything a policy's ctx holds.
#include "agents/lua/api.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "agents/lua/convert.hpp"
#include "agents/lua/ordered.hpp"

namespace chokepoint::lua {

namespace {

const char* const kMethodsKey = "chokepoint.ctx_methods";
const char* const kCurrentCtxKey = "chokepoint.current_ctx";

// Fields every ctx carries (documented with the functions).
const char* const kFields[] = {"country", "turn", "date", "turns", "memory", "params"};

template <typename T>
std::string id_list(const std::vector<T>& items) {
    std::string out;
    for (const auto& it : items) out += (out.empty() ? "" : ", ") + it.id;
    return out;
}

// ---- ctx.params: read-only ------------------------------------------------------------------
// The scenario's policy_params are converted once per state into a tree of read-only proxies,
// and every ctx gets its root. A proxy is an empty table whose hidden metatable reads from its
// data (where nested tables are proxies too): t.x, t[1], #t, ipairs and pairs work; next and
// rawget see an empty table. Every way to write is closed — assignment and table.insert meet
// __newindex, setmetatable the protected metatable, rawset the read-only mark
// (detail::kReadOnlyField, sandbox.cpp) — so nothing a callback does to ctx.params can reach
// another callback or survive a reload; sharing it costs a callback nothing.

char kParamsKey = 0;  // registry: the root proxy

int params_newindex(lua_State* L) {
    const int type = lua_type(L, 2);
    std::string key = type == LUA_TSTRING || type == LUA_TNUMBER ? luaL_tolstring(L, 2, nullptr) : luaL_typename(L, 2);
    if (key.size() > 60) key = key.substr(0, 60) + "...";
    return luaL_error(L,
                      "ctx.params is read-only (writing '%s'): it holds the scenario's policy_params; copy what you "
                      "want to change into a table of your own or into ctx.memory",
                      key.c_str());
}

// Pushes the data behind the proxy at 1 (its metatable's __index).
void push_params_data(lua_State* L) {
    if (!lua_getmetatable(L, 1)) luaL_error(L, "not a ctx.params table");
    lua_pushliteral(L, "__index");
    lua_rawget(L, -2);
    lua_remove(L, -2);
}

int params_len(lua_State* L) {
    push_params_data(L);
    lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, -1)));
    return 1;
}

int params_pairs(lua_State* L) {
    push_params_data(L);
    lua_replace(L, 1);
    lua_settop(L, 1);
    return ordered_pairs(L);  // the data's keys in the sandbox's fixed order; its tables are proxies
}

// Replaces the table on top of the stack by a read-only proxy of it (push's seal for ctx.params).
void seal_params_table(lua_State* L) {
    luaL_checkstack(L, 4, "ctx.params nested too deeply");
    lua_newtable(L);  // the proxy
    lua_createtable(L, 0, 6);
    lua_rotate(L, -3, -1);  // the data on top
    lua_setfield(L, -2, "__index");
    const luaL_Reg methods[] = {{"__newindex", params_newindex}, {"__len", params_len}, {"__pairs", params_pairs}};
    for (const luaL_Reg& m : methods) {
        lua_pushcfunction(L, m.func);
        lua_setfield(L, -2, m.name);
    }
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, detail::kReadOnlyField);
    lua_pushliteral(L, "ctx.params (read-only)");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

// Pushes the read-only policy_params (converted on the state's first callback, and again after
// forget_params).
void push_params(lua_State* L, const nlohmann::json& params) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kParamsKey) != LUA_TNIL) return;
    lua_pop(L, 1);
    push(L, params, seal_params_table);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kParamsKey);
}

}  // namespace

void forget_params(lua_State* L) {
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kParamsKey);
}

// The binding's registry slot is keyed by an address and created by install_api, so replacing
// its value never allocates: set_binding is safe outside a protected call, even with the state's
// memory at its cap.
namespace {
char kBindingSlot = 0;

Binding* binding_of(lua_State* L) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kBindingSlot);
    auto* b = static_cast<Binding*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    return b;
}

}  // namespace

Binding* installed_binding(lua_State* L) { return binding_of(L); }

void set_binding(lua_State* L, Binding* binding) {
    lua_pushlightuserdata(L, binding);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kBindingSlot);
}

Binding& current_binding(lua_State* L, const char* function) {
    Binding* b = binding_of(L);
    if (!b || !b->ctx) luaL_error(L, "ctx:%s() called outside a callback (a ctx is valid only during the call it was passed to)", function);
    // A ctx kept from an earlier callback (in a global, an upvalue) must not act in this one:
    // the methods answer only the ctx this callback was given (compared by identity).
    if (lua_type(L, 1) != LUA_TTABLE || lua_topointer(L, 1) != b->ctx_table) {
        bool a_ctx = false;
        if (lua_type(L, 1) == LUA_TTABLE && lua_getmetatable(L, 1)) {
            lua_getfield(L, LUA_REGISTRYINDEX, kMethodsKey);
            a_ctx = lua_rawequal(L, -1, -2) != 0;
            lua_pop(L, 2);
        }
        if (a_ctx)
            luaL_error(L,
                       "ctx:%s() called on a ctx from an earlier callback (a ctx is valid only during the call it was "
                       "passed to: use the ctx of the current callback, do not keep one in a global)",
                       function);
        luaL_error(L, "ctx:%s() must be called with a colon on the callback's ctx (ctx:%s(...), not ctx.%s(...))",
                   function, function, function);
    }
    return *b;
}

namespace {

// An id as a message shows it: control bytes (a NUL) escaped, a long one cut.
std::string shown(const std::string& text) {
    std::string out;
    for (const char c : text.substr(0, 200)) {
        if (static_cast<unsigned char>(c) < 0x20)
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));  // a NUL byte stays visible
        else
            out += c;
    }
    return text.size() > 200 ? out + "..." : out;
}

}  // namespace

std::optional<GoodId> find_good(lua_State* L, int arg, const Definitions& d, std::string& why) {
    const std::optional<std::string> id = to_string_exact(L, arg);  // "magnet\0x" is not "magnet"
    if (!id) {
        why = fmt::format("argument #{} must be a good id (a string such as \"{}\")", arg - 1,
                          d.goods[GoodId{0}].id);
        return std::nullopt;
    }
    int g = d.good_index(*id);
    if (g < 0) {
        why = fmt::format("unknown good '{}' (goods: {})", shown(*id), id_list(d.goods.values()));
        return std::nullopt;
    }
    return GoodId{g};
}

namespace {
CountryOrAll find_country_arg(lua_State* L, int arg, const Definitions& d, bool allow_all, std::string& why) {
    const std::optional<std::string> id = to_string_exact(L, arg);
    if (!id) {
        why = fmt::format("argument #{} must be a country id (a string such as \"{}\")", arg - 1,
                          d.countries.values().front().id);
        return {};
    }
    if (allow_all && *id == "all") return {true, std::nullopt};
    const int c = d.country_index(*id);
    if (c < 0) {
        why = fmt::format("unknown country '{}' (countries: {}{})", shown(*id), id_list(d.countries.values()),
                          allow_all ? ", all" : "");
        return {};
    }
    return {true, CountryId{c}};
}
}  // namespace

std::optional<CountryId> find_country(lua_State* L, int arg, const Definitions& d, std::string& why) {
    return find_country_arg(L, arg, d, false, why).country;
}

CountryOrAll find_country_or_all(lua_State* L, int arg, const Definitions& d, std::string& why) {
    return find_country_arg(L, arg, d, true, why);
}

GoodId check_good(lua_State* L, int arg, const Definitions& d) {
    std::string why;
    std::optional<GoodId> g = find_good(L, arg, d, why);
    if (!g) luaL_argerror(L, arg, why.c_str());  // does not return
    return g.value_or(GoodId{});
}

CountryId check_country(lua_State* L, int arg, const Definitions& d) {
    std::string why;
    const std::optional<CountryId> c = find_country(L, arg, d, why);
    if (!c) luaL_argerror(L, arg, why.c_str());  // does not return
    return c.value_or(CountryId{});
}

SectorId check_sector(lua_State* L, int arg, const Definitions& d) {
    const std::string id = check_string(L, arg, "sector");
    int k = d.sector_index(id);
    if (k < 0) luaL_argerror(L, arg, fmt::format("unknown sector '{}' (sectors: {})", shown(id), id_list(d.sectors.values())).c_str());
    return SectorId{k};
}

int push_result(lua_State* L, const CommandResult& r) {
    if (r.ok) {
        push(L, true);
        return 1;
    }
    lua_pushnil(L);
    push(L, r.message);
    return 2;
}

void install_api(lua_State* L) {
    lua_pushlightuserdata(L, nullptr);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kBindingSlot);  // the slot set_binding replaces
    lua_newtable(L);  // the metatable of every ctx
    lua_newtable(L);  // its __index: the methods
    for (const auto& list : {world_api(), command_api(), diplomacy_api()})
        for (const ApiFunction& f : list) {
            lua_pushcfunction(L, f.fn);
            lua_setfield(L, -2, f.name);
        }
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, "ctx");
    lua_setfield(L, -2, "__metatable");  // getmetatable(ctx) reveals nothing to change
    lua_setfield(L, LUA_REGISTRYINDEX, kMethodsKey);
}

void push_ctx(lua_State* L, Runtime& runtime, const PolicyContext& ctx, const nlohmann::json& params) {
    const Definitions& d = ctx.defs();
    lua_createtable(L, 0, 6);
    set_string(L, "country", d.countries[ctx.country()].id);
    set_integer(L, "turn", ctx.state().turn);
    set_string(L, "date", d.date_of_turn(ctx.state().turn));
    set_integer(L, "turns", d.turns);
    runtime.push_memory();
    lua_setfield(L, -2, "memory");
    push_params(L, params);  // read-only
    lua_setfield(L, -2, "params");
    lua_getfield(L, LUA_REGISTRYINDEX, kMethodsKey);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        install_api(L);
        lua_getfield(L, LUA_REGISTRYINDEX, kMethodsKey);
    }
    lua_setmetatable(L, -2);
    if (Binding* b = binding_of(L)) b->ctx_table = lua_topointer(L, -1);  // the only ctx the methods answer
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, kCurrentCtxKey);  // so the caller can read ctx.memory back
}

void push_current_ctx(lua_State* L) { lua_getfield(L, LUA_REGISTRYINDEX, kCurrentCtxKey); }

std::vector<std::string> api_names() {
    std::vector<std::string> names(std::begin(kFields), std::end(kFields));
    for (const auto& list : {world_api(), command_api(), diplomacy_api()})
        for (const ApiFunction& f : list) names.emplace_back(f.name);
    return names;
}

}  // namespace chokepoint::lua
