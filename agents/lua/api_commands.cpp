// ctx commands: each queues one of the simulation's commands for this turn
// and answers true, or nil and a message saying why it was refused (an unknown
// id, a value out of range, a failed precondition). Arguments of the wrong type
// raise a Lua error, like Lua's own functions. Units: t, t/yr, USD/kg.
// docs/lua-api.md §Commands.
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "agents/lua/api.hpp"
#include "agents/lua/convert.hpp"
#include "engine/commands/dispatch.hpp"

namespace chokepoint::lua {

namespace {

constexpr double kPerKg = 1000.0;  // USD/kg in Lua, USD/t in the engine

struct Cmd {
    Binding& b;
    const Definitions& d;
    Cmd(lua_State* L, const char* fn) : b(current_binding(L, fn)), d(b.ctx->defs()) {}
    int issue(lua_State* L, const Command& c) { return push_result(L, b.ctx->issue(c)); }
};

int refuse(lua_State* L, const std::string& why) { return push_result(L, CommandResult::refuse(why)); }

Regime check_regime(lua_State* L, int arg) {
    const std::string word = check_string(L, arg, "regime");
    auto r = regime_from_string(word);
    if (!r) luaL_argerror(L, arg, fmt::format("regime must be \"open\", \"licensed\" or \"embargo\", got \"{}\"", word).c_str());
    return *r;
}

// Numbers from a policy are checked here, before any arithmetic or cast (docs/lua-api.md §Numbers):
// a number, never a string; finite (math.huge only where it means "no limit"); ids and turns
// whole numbers that fit. A wrong one raises "bad argument #n to 'f' (name: ...)".

// An optional quantity per year: nil lifts (kUnlimited); math.huge means the same.
double opt_per_year(lua_State* L, int arg) {
    return lua_isnoneornil(L, arg) ? kUnlimited : check_number_or_huge(L, arg, "tonnes_per_year");
}

// Reads opts[key] as a finite number (or the default when absent).
double opt_field(lua_State* L, int table, const char* key, double fallback) {
    if (lua_isnoneornil(L, table)) return fallback;
    check_table(L, table, "options");
    lua_getfield(L, table, key);
    double v = fallback;
    if (!lua_isnil(L, -1)) {
        const std::string problem = number_problem(L, -1, false, v);
        if (!problem.empty()) argument_error(L, table, key, lua_pushstring(L, problem.c_str()));
    }
    lua_pop(L, 1);
    return v;
}

// Reads opts[key] as a whole number that fits an int (or the default when absent).
int opt_int_field(lua_State* L, int table, const char* key, int fallback) {
    if (lua_isnoneornil(L, table)) return fallback;
    check_table(L, table, "options");
    lua_getfield(L, table, key);
    lua_Integer v = fallback;
    if (!lua_isnil(L, -1)) {
        const std::string problem = integer_problem(L, -1, INT_MIN, INT_MAX, v);
        if (!problem.empty()) argument_error(L, table, key, lua_pushstring(L, problem.c_str()));
    }
    lua_pop(L, 1);
    return static_cast<int>(v);  // in int's range
}

// The engine checks prices in USD/t and names its own fields ("max price must be between 1e-09 and
// 1000000000000, got -1000"); a policy gave USD/kg under another name. Ranges here are the
// engine's (engine/instruments/stockpile.cpp, investment.cpp) divided by kPerKg, checked first so
// that a refusal speaks the Lua API's names and units.
std::optional<std::string> range_problem(const char* name, double v, double lo, double hi, const char* lo_text,
                                         const char* hi_text, const char* unit) {
    if (v >= lo && v <= hi) return std::nullopt;
    return fmt::format("{} must be between {} and {} {}, got {}", name, lo_text, hi_text, unit, number_text(v));
}

// -- set_regime(good, destination | "all", "open" | "licensed" | "embargo") -> true | nil, msg
int l_set_regime(lua_State* L) {
    Cmd c(L, "set_regime");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    const CountryOrAll dest = find_country_or_all(L, 3, c.d, why);
    if (!dest.ok) return refuse(L, why);
    return c.issue(L, SetExportRegime{g, dest.country, check_regime(L, 4)});
}

// -- set_export_duty(good, destination | "all", rate) -> true | nil, msg
int l_set_export_duty(lua_State* L) {
    Cmd c(L, "set_export_duty");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    const CountryOrAll dest = find_country_or_all(L, 3, c.d, why);
    if (!dest.ok) return refuse(L, why);
    return c.issue(L, SetExportDuty{g, dest.country, check_number(L, 4, "rate")});
}

// -- decide_license(id, "approve" | "deny" | "defer" [, {tonnes=, turns=, civilian_only=}]) -> true | nil, msg
int l_decide_license(lua_State* L) {
    Cmd c(L, "decide_license");
    DecideLicense dl;
    dl.application_id = check_id(L, 2, "id");
    const std::string word = check_string(L, 3, "decision");
    if (word == "approve")
        dl.decision = LicenseDecisionKind::Approve;
    else if (word == "deny")
        dl.decision = LicenseDecisionKind::Deny;
    else if (word == "defer")
        dl.decision = LicenseDecisionKind::Defer;
    else
        return luaL_argerror(L, 3, fmt::format("decision must be \"approve\", \"deny\" or \"defer\", got \"{}\"", word).c_str());
    if (!lua_isnoneornil(L, 4)) {
        check_table(L, 4, "options");
        check_option_keys(L, 4, {"tonnes", "share", "turns", "civilian_only"});  // {tonne = 1} is a mistake
    }
    // NaN stands for "absent" here: a NaN given is raised by opt_field. A negative amount is out
    // of range (the engine's "< 0 = as requested" must never be reached from a policy).
    constexpr double kAbsentOption = std::numeric_limits<double>::quiet_NaN();
    const double tonnes = opt_field(L, 4, "tonnes", kAbsentOption);
    if (tonnes < 0) return refuse(L, fmt::format("tonnes must be 0 or more t/turn, got {}", number_text(tonnes)));
    dl.tonnes_per_turn = std::isnan(tonnes) ? -1.0 : tonnes + 0.0;  // + 0.0: -0 is 0
    // share = a partial approval as a share of the request (with tonnes, the smaller).
    const double share = opt_field(L, 4, "share", kAbsentOption);
    if (!std::isnan(share) && !(share >= 0.0 && share <= 1.0))
        return refuse(L, fmt::format("share must be 0..1, got {}", number_text(share)));
    if (!std::isnan(share) && dl.decision == LicenseDecisionKind::Approve) {
        for (const auto& a : c.b.ctx->state().applications)
            if (a.id == dl.application_id) {
                double t = c.d.round_down_to_licence_step(a.tonnes_per_turn * share);
                dl.tonnes_per_turn = dl.tonnes_per_turn < 0 ? t : std::min(dl.tonnes_per_turn, t);
            }
    }
    dl.validity_turns = opt_int_field(L, 4, "turns", c.d.turns_for_quarters(4));  // default: a year
    if (!lua_isnoneornil(L, 4)) {
        lua_getfield(L, 4, "civilian_only");
        if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
            argument_error(L, 4, "civilian_only", lua_pushfstring(L, "boolean expected, got %s", luaL_typename(L, -1)));
        dl.civilian_only = lua_toboolean(L, -1) != 0;
        lua_pop(L, 1);
    }
    return c.issue(L, dl);
}

// -- revoke_license(id) -> true | nil, msg
int l_revoke_license(lua_State* L) {
    Cmd c(L, "revoke_license");
    return c.issue(L, RevokeLicense{check_id(L, 2, "id")});
}

// -- set_production_quota(good, tonnes_per_year | nil) -> true | nil, msg   (nil lifts it)
int l_set_production_quota(lua_State* L) {
    Cmd c(L, "set_production_quota");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    return c.issue(L, SetProductionQuota{g, opt_per_year(L, 3)});
}

// -- set_export_quota(good, tonnes_per_year | nil) -> true | nil, msg   (nil lifts it)
int l_set_export_quota(lua_State* L) {
    Cmd c(L, "set_export_quota");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    return c.issue(L, SetExportQuota{g, opt_per_year(L, 3)});
}

// -- stockpile_buy(good, tonnes, max_price_usd_per_kg) -> true | nil, msg
int l_stockpile_buy(lua_State* L) {
    Cmd c(L, "stockpile_buy");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    const double tonnes = check_number(L, 3, "tonnes");
    const double max_price = check_number(L, 4, "max_price");
    if (auto range = range_problem("max_price", max_price, 1e-12, 1e9, "1e-12", "1e9", "USD/kg")) return refuse(L, *range);
    return c.issue(L, StockpileBuy{g, tonnes, max_price * kPerKg});
}

// -- stockpile_release(good, tonnes [, min_price_usd_per_kg]) -> true | nil, msg
int l_stockpile_release(lua_State* L) {
    Cmd c(L, "stockpile_release");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    const double tonnes = check_number(L, 3, "tonnes");
    const double min_price = opt_number(L, 4, 0.0, "min_price");
    if (auto range = range_problem("min_price", min_price, 0.0, 1e9, "0", "1e9", "USD/kg")) return refuse(L, *range);
    return c.issue(L, StockpileRelease{g, tonnes, min_price * kPerKg});
}

// -- invest(good, tonnes_per_year [, {host = country, share = 0..1}]) -> true | nil, msg
int l_invest(lua_State* L) {
    Cmd c(L, "invest");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    if (!lua_isnoneornil(L, 4)) {
        check_table(L, 4, "options");
        check_option_keys(L, 4, {"host", "share"});
    }
    StartProject sp{std::nullopt, g, check_number(L, 3, "tonnes_per_year"), opt_field(L, 4, "share", 0.0)};
    if (!lua_isnoneornil(L, 4)) {
        lua_getfield(L, 4, "host");
        if (!lua_isnil(L, -1)) {
            const std::optional<CountryId> host = find_country(L, lua_gettop(L), c.d, why);
            if (!host) {
                lua_pop(L, 1);
                return refuse(L, why);
            }
            sp.host = host;
        }
        lua_pop(L, 1);
    }
    // The engine's names are "capacity" and "output share"; the policy wrote tonnes_per_year, share.
    if (auto range = range_problem("tonnes_per_year", sp.tonnes_per_year, 1e-6, 1e7, "1e-6", "1e7", "t/yr"))
        return refuse(L, *range);
    if (!(sp.output_share >= 0.0 && sp.output_share <= 1.0))
        return refuse(L, fmt::format("share must be 0..1, got {}", number_text(sp.output_share)));
    return c.issue(L, sp);
}

// -- set_subsidy(good, usd_per_kg) -> true | nil, msg
int l_set_subsidy(lua_State* L) {
    Cmd c(L, "set_subsidy");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    const double usd_per_kg = check_number(L, 3, "usd_per_kg");
    if (auto range = range_problem("usd_per_kg", usd_per_kg, 0.0, 1e6, "0", "1e6", "USD/kg")) return refuse(L, *range);
    return c.issue(L, SetSubsidy{g, usd_per_kg * kPerKg});
}

// -- set_price_floor(good, usd_per_kg | nil) -> true | nil, msg   (nil or 0 removes it)
int l_set_price_floor(lua_State* L) {
    Cmd c(L, "set_price_floor");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    const double usd_per_kg = opt_number(L, 3, 0.0, "usd_per_kg");
    if (auto range = range_problem("usd_per_kg", usd_per_kg, 0.0, 1e6, "0", "1e6", "USD/kg")) return refuse(L, *range);
    return c.issue(L, SetPriceFloor{g, usd_per_kg * kPerKg});
}

// -- set_tariff(good | "all", origin | "all", rate) -> true | nil, msg
int l_set_tariff(lua_State* L) {
    Cmd c(L, "set_tariff");
    std::string why;
    if (lua_type(L, 2) == LUA_TSTRING && std::string_view(lua_tostring(L, 2)) == "all") {
        // Every good, as the agreement's tariff clause does: one command per good, all or none.
        const CountryOrAll from = find_country_or_all(L, 3, c.d, why);
        if (!from.ok) return refuse(L, why);
        const std::optional<CountryId> origin = from.country;
        const double rate = check_number(L, 4, "rate");
        for (GoodId g : c.d.good_ids())
            if (CommandResult r = validate_command(c.d, c.b.ctx->state(), c.b.ctx->country(), SetTariff{g, origin, rate});
                !r.ok)
                return refuse(L, fmt::format("{}: {}", c.d.goods[g].id, r.message));
        for (GoodId g : c.d.good_ids())
            if (CommandResult r = c.b.ctx->issue(SetTariff{g, origin, rate}); !r.ok) return push_result(L, r);
        lua_pushboolean(L, 1);
        return 1;
    }
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    const CountryOrAll origin = find_country_or_all(L, 3, c.d, why);
    if (!origin.ok) return refuse(L, why);
    return c.issue(L, SetTariff{g, origin.country, check_number(L, 4, "rate")});
}

// -- set_defense_priority(good, on) -> true | nil, msg   (on: true / nil; false lifts it)
int l_set_defense_priority(lua_State* L) {
    Cmd c(L, "set_defense_priority");
    std::string why;
    std::optional<GoodId> good = find_good(L, 2, c.d, why);
    if (!good) return refuse(L, why);
    const GoodId g = *good;
    const bool on = opt_bool(L, 3, true, "on");  // 1 or "yes" is a mistake, not true
    return c.issue(L, SetDefensePriority{g, on});
}

}  // namespace

std::vector<ApiFunction> command_api() {
    return {{"set_regime", l_set_regime},
            {"set_export_duty", l_set_export_duty},
            {"decide_license", l_decide_license},
            {"revoke_license", l_revoke_license},
            {"set_production_quota", l_set_production_quota},
            {"set_export_quota", l_set_export_quota},
            {"stockpile_buy", l_stockpile_buy},
            {"stockpile_release", l_stockpile_release},
            {"invest", l_invest},
            {"set_subsidy", l_set_subsidy},
            {"set_price_floor", l_set_price_floor},
            {"set_tariff", l_set_tariff},
            {"set_defense_priority", l_set_defense_priority}};
}

}  // namespace chokepoint::lua
