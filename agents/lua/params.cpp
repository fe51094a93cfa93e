#include "agents/lua/params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/scenario/yaml_reader.hpp"

namespace chokepoint::lua {

namespace {

using scenario_yaml::suggest;
using scenario_yaml::unknown_id;

const char* const kTypes[] = {"number", "integer", "boolean", "string", "country", "good", "sector", "list", "map"};

struct Decl {
    std::string name, type;
    std::optional<double> min, max;
    std::vector<std::string> one_of;
    bool has_default = false;
    nlohmann::json fallback;
};

// Plain data at `idx` as JSON (tables: a list when its keys are 1..n, else a map with string keys).
std::optional<std::string> to_json(lua_State* L, int idx, int depth, nlohmann::json& out) {
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
        case LUA_TBOOLEAN: out = static_cast<bool>(lua_toboolean(L, idx)); return std::nullopt;
        case LUA_TNUMBER:
            if (lua_isinteger(L, idx)) out = static_cast<double>(lua_tointeger(L, idx));
            else out = lua_tonumber(L, idx);
            return std::nullopt;
        case LUA_TSTRING: {
            std::size_t n = 0;
            const char* s = lua_tolstring(L, idx, &n);
            out = std::string(s, n);
            return std::nullopt;
        }
        case LUA_TTABLE: {
            if (depth >= kMaxParamDefaultDepth) return fmt::format("nested deeper than {} tables", kMaxParamDefaultDepth);
            const lua_Unsigned n = lua_rawlen(L, idx);
            lua_Unsigned count = 0;
            bool string_keys = true;
            lua_pushnil(L);
            while (lua_next(L, idx) != 0) {
                ++count;
                string_keys = string_keys && lua_type(L, -2) == LUA_TSTRING;
                lua_pop(L, 1);
            }
            if (count > 0 && count == n) {
                out = nlohmann::json::array();
                for (lua_Unsigned i = 1; i <= n; ++i) {
                    lua_rawgeti(L, idx, static_cast<lua_Integer>(i));
                    nlohmann::json item;
                    auto err = to_json(L, -1, depth + 1, item);
                    lua_pop(L, 1);
                    if (err) return err;
                    out.push_back(std::move(item));
                }
                return std::nullopt;
            }
            if (!string_keys) return std::string("a table with keys that are neither 1..n nor strings");
            out = nlohmann::json::object();
            lua_pushnil(L);
            while (lua_next(L, idx) != 0) {
                nlohmann::json item;
                auto err = to_json(L, -1, depth + 1, item);
                if (err) {
                    lua_pop(L, 2);
                    return err;
                }
                out[lua_tostring(L, -2)] = std::move(item);
                lua_pop(L, 1);
            }
            return std::nullopt;
        }
        default: return fmt::format("a {}, not plain data", luaL_typename(L, idx));
    }
}

std::string range_text(const Decl& k) {
    if (k.min && k.max) return fmt::format(" in [{:g}, {:g}]", *k.min, *k.max);
    if (k.min) return fmt::format(" >= {:g}", *k.min);
    if (k.max) return fmt::format(" <= {:g}", *k.max);
    return "";
}

std::string json_text(const nlohmann::json& v) {
    if (v.is_string()) return fmt::format("\"{}\"", v.get<std::string>());
    return v.dump();
}

// Empty when `v` fits the declaration, else what was expected.
std::string problem(const Definitions& d, const Decl& k, const nlohmann::json& v) {
    const std::string& t = k.type;
    auto expected = [&](const std::string& what) { return fmt::format("expected {}, got {}", what, json_text(v)); };
    if (t == "number" || t == "integer") {
        if (!v.is_number()) return expected(fmt::format("a{} {}{}", t == "integer" ? "n" : "", t, range_text(k)));
        const double x = v.get<double>();
        if (!std::isfinite(x) || (t == "integer" && x != std::floor(x)) || (k.min && x < *k.min) || (k.max && x > *k.max))
            return expected(fmt::format("a{} {}{}", t == "integer" ? "n" : "", t, range_text(k)));
        return "";
    }
    if (t == "boolean") return v.is_boolean() ? "" : expected("true or false");
    if (t == "list") return v.is_array() ? "" : expected("a list");
    if (t == "map") return v.is_object() ? "" : expected("a map (name: value)");
    if (!v.is_string()) return expected(t == "string" ? "a string" : fmt::format("a {} id", t));
    const std::string s = v.get<std::string>();
    if (t == "country" && d.country_index(s) < 0) {
        std::vector<std::string> ids;
        for (const auto& c : d.countries) ids.push_back(c.id);
        return unknown_id("country", "countries", s, ids);
    }
    if (t == "good" && d.good_index(s) < 0) {
        std::vector<std::string> ids;
        for (const auto& g : d.goods.values()) ids.push_back(g.id);
        return unknown_id("good", "goods", s, ids);
    }
    if (t == "sector" && d.sector_index(s) < 0) {
        std::vector<std::string> ids;
        for (const auto& k2 : d.sectors.values()) ids.push_back(k2.id);
        return unknown_id("sector", "sectors", s, ids);
    }
    if (!k.one_of.empty()) {
        for (const auto& o : k.one_of)
            if (o == s) return "";
        std::string list;
        for (const auto& o : k.one_of) list += (list.empty() ? "\"" : ", \"") + o + "\"";
        std::string msg = fmt::format("expected one of {}, got \"{}\"", list, s);
        if (auto near = suggest(s, k.one_of)) msg += fmt::format(" (did you mean \"{}\"?)", *near);
        return msg;
    }
    return "";
}

// Reads one declaration entry (the value on top of the stack) into `k`; an error names it.
std::optional<std::string> read_decl(lua_State* L, Decl& k) {
    const int e = lua_gettop(L);
    if (!lua_istable(L, e)) return fmt::format("params.{}: expected a table such as {{type = \"number\", default = 1}}, got a {}", k.name, luaL_typename(L, e));
    lua_pushnil(L);
    while (lua_next(L, e) != 0) {
        const char* field = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : nullptr;
        const std::string f = field ? field : "?";
        std::optional<std::string> err;
        if (f == "type") {
            if (lua_type(L, -1) == LUA_TSTRING) k.type = lua_tostring(L, -1);
        } else if (f == "min" || f == "max") {
            // NaN would make every bound test false (the second hostile review): a finite number
            // or ±math.huge only.
            if (lua_type(L, -1) != LUA_TNUMBER || std::isnan(lua_tonumber(L, -1)))
                err = fmt::format("params.{}.{}: expected a number", k.name, f);
            else (f == "min" ? k.min : k.max) = lua_tonumber(L, -1);
        } else if (f == "one_of") {
            if (!lua_istable(L, -1)) err = fmt::format("params.{}.one_of: expected a list of strings", k.name);
            else
                for (lua_Integer i = 1; i <= static_cast<lua_Integer>(lua_rawlen(L, -1)); ++i) {
                    lua_rawgeti(L, -1, i);
                    if (lua_type(L, -1) == LUA_TSTRING) k.one_of.emplace_back(lua_tostring(L, -1));
                    else err = fmt::format("params.{}.one_of: expected a list of strings", k.name);
                    lua_pop(L, 1);
                }
        } else if (f == "default") {
            k.has_default = true;
            if (auto why = to_json(L, -1, 0, k.fallback)) err = fmt::format("params.{}.default: {}", k.name, *why);
        } else if (f != "doc") {
            err = fmt::format("params.{}: unknown field '{}' (type, default, min, max, one_of, doc)", k.name, f);
        }
        if (err) {
            lua_settop(L, e);
            return err;
        }
        lua_pop(L, 1);
    }
    lua_settop(L, e);
    bool known = false;
    for (const char* t : kTypes) known = known || k.type == t;
    if (!known) {
        std::string list;
        for (const char* t : kTypes) list += (list.empty() ? "" : ", ") + std::string(t);
        return fmt::format("params.{}: type must be one of {}, got '{}'", k.name, list, k.type);
    }
    return std::nullopt;
}

}  // namespace

ParamCheck check_declared_params(lua_State* L, const Definitions& d, CountryId country, const std::string& policy_path,
                                  const nlohmann::json& given) {
    ParamCheck out;
    const CountryDef& c = d.countries[country];
    out.params = given;
    const int top = lua_gettop(L);
    if (!lua_istable(L, top)) return out;
    // A raw read: the policy table's own metatable (an __index that loops or errors) is not run
    // here, outside any callback's budget.
    lua_pushliteral(L, "params");
    lua_rawget(L, top);
    if (lua_isnil(L, -1)) {
        lua_settop(L, top);
        return out;
    }
    out.declared = true;
    auto fail_declaration = [&](const std::string& why) {
        out.declaration_error = fmt::format("policy '{}': {}", policy_path, why);
        lua_settop(L, top);
        return out;
    };
    if (!lua_istable(L, -1))
        return fail_declaration(fmt::format("params must be a table of declarations, got a {}", luaL_typename(L, -1)));
    const int decl_table = lua_gettop(L);
    std::map<std::string, Decl> decls;  // by name: sorted, so messages come in a fixed order
    lua_pushnil(L);
    while (lua_next(L, decl_table) != 0) {
        if (lua_type(L, -2) != LUA_TSTRING) return fail_declaration("params: every key must be a parameter name (a string)");
        if (static_cast<int>(decls.size()) >= kMaxDeclaredParams)
            return fail_declaration(fmt::format("params: more than {} parameters", kMaxDeclaredParams));
        Decl k;
        k.name = lua_tostring(L, -2);
        if (auto err = read_decl(L, k)) return fail_declaration(*err);
        if (k.has_default)
            if (auto why = problem(d, k, k.fallback); !why.empty())
                return fail_declaration(fmt::format("params.{}.default: {}", k.name, why));
        decls.emplace(k.name, std::move(k));
        lua_pop(L, 1);
    }
    lua_settop(L, top);

    std::vector<std::string> names;
    for (const auto& [name, k] : decls) names.push_back(name);
    std::vector<std::string> problems;
    // Problems in the order the keys stand in the scenario file.
    auto order = [&](const std::string& key) {
        for (size_t i = 0; i < c.policy_param_places.size(); ++i)
            if (c.policy_param_places[i].first == key) return i;
        return c.policy_param_places.size();
    };
    auto place = [&](const std::string& key) {
        const size_t i = order(key);
        return i < c.policy_param_places.size() ? c.policy_param_places[i].second
                                                : fmt::format("countries.{}.policy_params.{}", c.id, key);
    };
    std::vector<std::pair<size_t, std::string>> found;
    for (const auto& [key, value] : given.items()) {
        auto it = decls.find(key);
        if (it == decls.end()) {
            std::string msg = fmt::format("{}: unknown parameter of policy {}", place(key), policy_path);
            if (auto near = suggest(key, names)) msg += fmt::format(" (did you mean \"{}\"?)", *near);
            else {
                std::string list;
                for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
                msg += fmt::format(" (it declares: {})", list.empty() ? "none" : list);
            }
            found.emplace_back(order(key), msg);
            continue;
        }
        if (auto why = problem(d, it->second, value); !why.empty())
            found.emplace_back(order(key), fmt::format("{}: {} (declared in policy {} as params.{})", place(key), why,
                                                       policy_path, key));
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [i, text] : found) problems.push_back(std::move(text));
    if (!problems.empty()) {
        std::string all;
        for (const auto& p : problems) all += (all.empty() ? "" : "\n") + p;
        out.params_error = all;
        return out;
    }
    for (const auto& [name, k] : decls)
        if (k.has_default && !out.params.contains(name)) out.params[name] = k.fallback;
    return out;
}

}  // namespace chokepoint::lua
