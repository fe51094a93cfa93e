// The composition point: everything a policy's ctx holds.
#include "agents/lua/api.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace chokepoint::lua {

namespace {

const char* const kMethodsKey = "chokepoint.ctx_methods";
const char* const kParamsKey = "chokepoint.params";
const char* const kCurrentCtxKey = "chokepoint.current_ctx";

// Fields every ctx carries (documented with the functions).
const char* const kFields[] = {"country", "turn", "date", "turns", "memory", "params"};

template <typename T>
std::string id_list(const std::vector<T>& items) {
    std::string out;
    for (const auto& it : items) out += (out.empty() ? "" : ", ") + it.id;
    return out;
}

void push_json(lua_State* L, const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::boolean: lua_pushboolean(L, j.get<bool>()); break;
        case nlohmann::json::value_t::number_integer: lua_pushinteger(L, j.get<lua_Integer>()); break;
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float: lua_pushnumber(L, j.get<double>()); break;
        case nlohmann::json::value_t::string: lua_pushstring(L, j.get<std::string>().c_str()); break;
        case nlohmann::json::value_t::array: {
            lua_createtable(L, static_cast<int>(j.size()), 0);
            lua_Integer i = 1;
            for (const auto& item : j) {
                push_json(L, item);
                lua_rawseti(L, -2, i++);
            }
            break;
        }
        case nlohmann::json::value_t::object: {
            lua_createtable(L, 0, static_cast<int>(j.size()));
            for (auto it = j.begin(); it != j.end(); ++it) {
                push_json(L, it.value());
                lua_setfield(L, -2, it.key().c_str());
            }
            break;
        }
        default: lua_pushnil(L); break;
    }
}

}  // namespace

// The binding's registry slot is keyed by an address and created by install_api, so replacing
// its value never allocates: set_binding is safe outside a protected call, even with the state's
// memory at its cap.
namespace {
char kBindingSlot = 0;
}  // namespace

void set_binding(lua_State* L, Binding* binding) {
    lua_pushlightuserdata(L, binding);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kBindingSlot);
}

Binding& current_binding(lua_State* L, const char* function) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kBindingSlot);
    auto* b = static_cast<Binding*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    if (!b || !b->ctx) luaL_error(L, "ctx:%s() called outside a callback (a ctx is valid only during the call it was passed to)", function);
    return *b;
}

int find_good(lua_State* L, int arg, const Definitions& d, std::string& why) {
    const char* id = lua_tostring(L, arg);
    if (!id) {
        why = fmt::format("argument #{} must be a good id (a string such as \"{}\")", arg - 1, d.goods.front().id);
        return -1;
    }
    int g = d.good_index(id);
    if (g < 0) why = fmt::format("unknown good '{}' (goods: {})", id, id_list(d.goods));
    return g;
}

int find_country(lua_State* L, int arg, const Definitions& d, bool allow_all, std::string& why) {
    const char* id = lua_tostring(L, arg);
    if (!id) {
        why = fmt::format("argument #{} must be a country id (a string such as \"{}\")", arg - 1, d.countries.front().id);
        return -3;
    }
    if (allow_all && std::string(id) == "all") return kAllCountries;
    int c = d.country_index(id);
    if (c < 0) {
        why = fmt::format("unknown country '{}' (countries: {}{})", id, id_list(d.countries), allow_all ? ", all" : "");
        return -2;
    }
    return c;
}

int check_good(lua_State* L, int arg, const Definitions& d) {
    std::string why;
    int g = find_good(L, arg, d, why);
    if (g < 0) luaL_argerror(L, arg, why.c_str());
    return g;
}

int check_country(lua_State* L, int arg, const Definitions& d) {
    std::string why;
    int c = find_country(L, arg, d, false, why);
    if (c < 0) luaL_argerror(L, arg, why.c_str());
    return c;
}

int check_sector(lua_State* L, int arg, const Definitions& d) {
    const char* id = luaL_checkstring(L, arg);
    int k = d.sector_index(id);
    if (k < 0) luaL_argerror(L, arg, fmt::format("unknown sector '{}' (sectors: {})", id, id_list(d.sectors)).c_str());
    return k;
}

int push_result(lua_State* L, const CommandResult& r) {
    if (r.ok) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushnil(L);
    lua_pushstring(L, r.message.c_str());
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

void push_ctx(lua_State* L, Runtime& runtime, const PolicyContext& ctx, const std::string& params_json) {
    const Definitions& d = ctx.defs();
    lua_createtable(L, 0, 6);
    lua_pushstring(L, d.countries[static_cast<size_t>(ctx.country())].id.c_str());
    lua_setfield(L, -2, "country");
    lua_pushinteger(L, ctx.state().turn);
    lua_setfield(L, -2, "turn");
    lua_pushstring(L, d.date_of_turn(ctx.state().turn).c_str());
    lua_setfield(L, -2, "date");
    lua_pushinteger(L, d.turns);
    lua_setfield(L, -2, "turns");
    runtime.push_memory();
    lua_setfield(L, -2, "memory");
    // The parameters are converted once per state and shared by every ctx (read them; don't write).
    if (lua_getfield(L, LUA_REGISTRYINDEX, kParamsKey) == LUA_TNIL) {
        lua_pop(L, 1);
        push_json(L, nlohmann::json::parse(params_json, nullptr, false));
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, kParamsKey);
    }
    lua_setfield(L, -2, "params");
    lua_getfield(L, LUA_REGISTRYINDEX, kMethodsKey);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        install_api(L);
        lua_getfield(L, LUA_REGISTRYINDEX, kMethodsKey);
    }
    lua_setmetatable(L, -2);
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
