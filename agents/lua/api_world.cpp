// ctx reads: the world as the country may see it. Its own private state
// (stocks, stockpile, treasury, demand, unmet demand, trust, its applications,
// licenses and projects) and everyone's public state (regimes, duties,
// tariffs, announced quotas, capacities, prices, last turn's trade flows,
// leverage). Units: t, t/yr, USD/kg, USD millions. docs/lua-api.md §Reading.
#include <algorithm>
#include <cmath>
#include <string>

#include "agents/lua/api.hpp"
#include "agents/lua/convert.hpp"
#include "agents/lua/runtime.hpp"
#include "engine/metrics/indicators.hpp"
#include "engine/sim/autopilot.hpp"

namespace chokepoint::lua {

namespace {

struct Reader : Call {
    using Call::Call;
    bool has_last() const { return !s.last.price.cells.empty(); }
};

// A read of this country's private state takes its own arguments (a good or a sector, or none) and
// no country: `ctx:stock("ndfeb_magnet", "china")` or `ctx:treasury("china")` would otherwise
// quietly answer with the caller's own.
struct OwnReader : Reader {
    OwnReader(lua_State* L, const char* function, int arguments = 1) : Reader(L, function) {
        if (lua_gettop(L) > 1 + arguments)
            luaL_error(L, "ctx:%s reads this country's own state and takes no country (another country's is private)",
                       function);
    }
};

// An optional country argument, defaulting to the policy's own country.
CountryId opt_country(lua_State* L, int arg, const Reader& r) {
    return lua_isnoneornil(L, arg) ? r.me : check_country(L, arg, r.d);
}

const std::string& cid(const Reader& r, CountryId c) { return r.d.countries[c].id; }
const std::string& gid(const Reader& r, GoodId g) { return r.d.goods[g].id; }

// -- countries() -> {id, ...}
int l_countries(lua_State* L) {
    Reader r(L, "countries");
    lua_createtable(L, r.d.country_count(), 0);
    for (CountryId c : r.d.country_ids()) {
        push(L, cid(r, c));
        lua_rawseti(L, -2, c.value() + 1);
    }
    return 1;
}

// -- goods() -> {{id, name, stage, process, reference_price}, ...}
int l_goods(lua_State* L) {
    Reader r(L, "goods");
    lua_createtable(L, r.d.good_count(), 0);
    for (GoodId g : r.d.good_ids()) {
        const Good& good = r.d.goods[g];
        lua_createtable(L, 0, 5);
        set_string(L, "id", good.id);
        set_string(L, "name", good.name);
        set_integer(L, "stage", good.stage);
        set_string(L, "process", to_string(good.process));
        set_number(L, "reference_price", good.reference_price / 1000.0);
        lua_rawseti(L, -2, g.value() + 1);
    }
    return 1;
}

// -- sectors() -> {{id, name, good, defense}, ...}
int l_sectors(lua_State* L) {
    Reader r(L, "sectors");
    lua_createtable(L, r.d.sector_count(), 0);
    for (SectorId k : r.d.sector_ids()) {
        const Sector& sec = r.d.sectors[k];
        lua_createtable(L, 0, 4);
        set_string(L, "id", sec.id);
        set_string(L, "name", sec.name);
        set_string(L, "good", gid(r, sec.good));
        set_bool(L, "defense", sec.defense);
        lua_rawseti(L, -2, k.value() + 1);
    }
    return 1;
}

// -- price(good [, country]) -> USD/kg paid by buyers there last turn (the reference price before turn 1)
int l_price(lua_State* L) {
    Reader r(L, "price");
    const GoodId g = check_good(L, 2, r.d);
    const CountryId c = opt_country(L, 3, r);
    double p = r.has_last() && r.s.turn > 0 ? r.s.last.price(c, g) : r.d.goods[g].reference_price;
    push(L, p / 1000.0);
    return 1;
}

// -- reference_price(good) -> USD/kg, the scenario's calibration anchor
int l_reference_price(lua_State* L) {
    Reader r(L, "reference_price");
    push(L, r.d.goods[check_good(L, 2, r.d)].reference_price / 1000.0);
    return 1;
}

// -- capacity(good [, country]) -> t/yr nameplate online
int l_capacity(lua_State* L) {
    Reader r(L, "capacity");
    const GoodId g = check_good(L, 2, r.d);
    const CountryId c = opt_country(L, 3, r);
    push(L, r.s.countries[c].capacity[g]);
    return 1;
}

// -- production(good [, country]) -> t produced last turn
int l_production(lua_State* L) {
    Reader r(L, "production");
    const GoodId g = check_good(L, 2, r.d);
    const CountryId c = opt_country(L, 3, r);
    push(L, r.has_last() ? r.s.last.produced(c, g) : 0.0);
    return 1;
}

// -- flow(good, from, to) -> t shipped last turn
int l_flow(lua_State* L) {
    Reader r(L, "flow");
    const GoodId g = check_good(L, 2, r.d);
    const CountryId a = check_country(L, 3, r.d), b = check_country(L, 4, r.d);
    push(L, r.s.last.flows.empty() ? 0.0 : r.s.last.flows[g](a, b));
    return 1;
}

// -- imports(good [, country]) / exports(good [, country]) -> t last turn
int l_imports(lua_State* L) {
    Reader r(L, "imports");
    const GoodId g = check_good(L, 2, r.d);
    const CountryId c = opt_country(L, 3, r);
    push(L, r.has_last() ? r.s.last.imported(c, g) : 0.0);
    return 1;
}
int l_exports(lua_State* L) {
    Reader r(L, "exports");
    const GoodId g = check_good(L, 2, r.d);
    const CountryId c = opt_country(L, 3, r);
    push(L, r.has_last() ? r.s.last.exported(c, g) : 0.0);
    return 1;
}

// -- regime(exporter, good, destination) -> "open" | "licensed" | "embargo"
int l_regime(lua_State* L) {
    Reader r(L, "regime");
    const CountryId a = check_country(L, 2, r.d);
    const GoodId g = check_good(L, 3, r.d);
    const CountryId b = check_country(L, 4, r.d);
    push(L, a == b ? "open" : to_string(r.s.rule(a, g, b).regime));
    return 1;
}

// -- export_duty(exporter, good, destination) -> rate (0.25 = 25 %)
int l_export_duty(lua_State* L) {
    Reader r(L, "export_duty");
    const CountryId a = check_country(L, 2, r.d);
    const GoodId g = check_good(L, 3, r.d);
    const CountryId b = check_country(L, 4, r.d);
    push(L, a == b ? 0.0 : r.s.rule(a, g, b).duty);
    return 1;
}

// -- tariff(importer, good, origin) -> rate
int l_tariff(lua_State* L) {
    Reader r(L, "tariff");
    const CountryId b = check_country(L, 2, r.d);
    const GoodId g = check_good(L, 3, r.d);
    const CountryId a = check_country(L, 4, r.d);
    push(L, a == b ? 0.0 : r.s.tariff_on(b, g, a));
    return 1;
}

// -- quotas(country, good) -> production t/yr or nil, export t/yr or nil (announced, public)
int l_quotas(lua_State* L) {
    Reader r(L, "quotas");
    const CountryId c = check_country(L, 2, r.d);
    const GoodId g = check_good(L, 3, r.d);
    const auto& cs = r.s.countries[c];
    double tpy = r.d.turns_per_year();
    push(L, std::isinf(cs.production_quota[g]) ? std::nullopt : std::optional<double>(cs.production_quota[g] * tpy));
    push(L, std::isinf(cs.export_quota[g]) ? std::nullopt : std::optional<double>(cs.export_quota[g] * tpy));
    return 2;
}

// -- leverage(a, b) -> net leverage of a over b (combined channels), last measured; 0 before
int l_leverage(lua_State* L) {
    Reader r(L, "leverage");
    const CountryId a = check_country(L, 2, r.d), b = check_country(L, 3, r.d);
    push(L, r.s.leverage_net.cells.empty() ? 0.0 : r.s.leverage_net(a, b));
    return 1;
}

// -- leverage_index([country]) -> combined leverage index, last measured
int l_leverage_index(lua_State* L) {
    Reader r(L, "leverage_index");
    const CountryId c = opt_country(L, 2, r);
    push(L, r.s.leverage_index.empty() ? 0.0 : r.s.leverage_index[c]);
    return 1;
}

// -- leverage_split(a, b) -> exercised, reserve: a's materials leverage over b in use (its
// restrictions in force) and in reserve (a full cut's further harm), last measured; 0, 0 before
int l_leverage_split(lua_State* L) {
    Reader r(L, "leverage_split");
    const CountryId a = check_country(L, 2, r.d), b = check_country(L, 3, r.d);
    push(L, r.s.leverage_exercised.cells.empty() ? 0.0 : r.s.leverage_exercised(a, b));
    push(L, r.s.leverage_reserve.cells.empty() ? 0.0 : r.s.leverage_reserve(a, b));
    return 2;
}

// ---- the country's own, private state ----

// -- stock(good) / stockpile(good) -> t (commercial inventory / strategic stockpile)
int l_stock(lua_State* L) {
    OwnReader r(L, "stock");
    push(L, r.s.countries[r.me].stock[check_good(L, 2, r.d)]);
    return 1;
}
int l_stockpile(lua_State* L) {
    OwnReader r(L, "stockpile");
    push(L, r.s.countries[r.me].stockpile[check_good(L, 2, r.d)]);
    return 1;
}

// -- origin(good) -> {licensor_id = controlled share of own stock, …}: the part of the firms'
// inventory under each licensor's re-export conditions (docs/model.md §Origin and re-export control)
int l_origin(lua_State* L) {
    OwnReader r(L, "origin");
    const GoodId g = check_good(L, 2, r.d);
    const auto& cs = r.s.countries[r.me];
    lua_createtable(L, 0, 2);
    const double stock = cs.stock[g];
    if (stock > 0 && cs.controlled.rows > g.value())
        for (CountryId l : r.d.country_ids()) {
            const double ctrl = cs.controlled(g, l);
            if (ctrl <= 0) continue;
            set_number(L, cid(r, l).c_str(), std::min(1.0, ctrl / stock));
        }
    return 1;
}

// -- treasury() -> USD millions
int l_treasury(lua_State* L) {
    OwnReader r(L, "treasury", 0);
    push(L, r.s.countries[r.me].treasury / 1e6);
    return 1;
}

// -- use(good) -> t/yr the country's sectors and plants use; cover(good) -> months of stock + stockpile
int l_use(lua_State* L) {
    OwnReader r(L, "use");
    push(L, annual_use(r.d, r.s, r.me, check_good(L, 2, r.d)));
    return 1;
}
int l_cover(lua_State* L) {
    OwnReader r(L, "cover");
    push(L, months_of_cover(r.d, r.s, r.me, check_good(L, 2, r.d)));
    return 1;
}

// -- demand(sector) -> t/yr; unmet(sector) -> t unmet last turn
int l_demand(lua_State* L) {
    OwnReader r(L, "demand");
    push(L, r.s.countries[r.me].sector_demand[check_sector(L, 2, r.d)]);
    return 1;
}
int l_unmet(lua_State* L) {
    OwnReader r(L, "unmet");
    SectorId k = check_sector(L, 2, r.d);
    push(L, r.has_last() ? std::max(0.0, r.s.last.demand(r.me, k) - r.s.last.met(r.me, k)) : 0.0);
    return 1;
}

// -- shortfall(good) -> t of the good the country lacked at home last turn: its sectors' unmet
// demand plus what the makers of goods made from it lacked (engine/metrics/indicators.hpp)
int l_shortfall(lua_State* L) {
    OwnReader r(L, "shortfall");
    push(L, home_shortfall(r.d, r.s, r.me, check_good(L, 2, r.d)));
    return 1;
}

// -- trust(other) -> 0..1, this country's trust in another; trust(a, b) -> a's trust in b (public)
int l_trust(lua_State* L) {
    Reader r(L, "trust");
    if (lua_isnoneornil(L, 3)) {
        push(L, r.s.countries[r.me].trust[check_country(L, 2, r.d)]);
    } else {
        const CountryId a = check_country(L, 2, r.d), b = check_country(L, 3, r.d);
        push(L, r.s.countries[a].trust[b]);
    }
    return 1;
}

// -- turn_months() -> months per turn (the scenario's turn_months); turns_per_year() -> 12 / that
int l_turn_months(lua_State* L) {
    Reader r(L, "turn_months");
    push(L, r.d.turn_months);
    return 1;
}
int l_turns_per_year(lua_State* L) {
    Reader r(L, "turns_per_year");
    push(L, r.d.turns_per_year());
    return 1;
}

// -- build_terms(good) -> {process, capex_per_tpy (USD per t/yr), lead_turns, lead_months}: what
// ctx:invest pays and waits for new capacity of the good (per process; the same in every country)
int l_build_terms(lua_State* L) {
    Reader r(L, "build_terms");
    const GoodId g = check_good(L, 2, r.d);
    const auto& p = r.d.process[static_cast<int>(r.d.goods[g].process)];
    lua_createtable(L, 0, 4);
    set_string(L, "process", to_string(r.d.goods[g].process));
    set_number(L, "capex_per_tpy", p.capex_per_tpy);
    set_integer(L, "lead_turns", std::max(1, p.lead_turns));
    set_integer(L, "lead_months", std::max(1, p.lead_turns) * r.d.turn_months);
    return 1;
}

// -- import_demand(good [, importer]) -> {use, capacity, gap, applied, licensed}, t/turn: the
// importer's full need of the good (its use, its own capacity, the gap between them) against what
// its firms asked for in pending licence applications and hold in licences in force this turn,
// from every exporter. An exporter compares an application with the importer's whole need.
int l_import_demand(lua_State* L) {
    Reader r(L, "import_demand");
    const GoodId g = check_good(L, 2, r.d);
    const CountryId b = opt_country(L, 3, r);
    const double tpy = r.d.turns_per_year();
    const double use = annual_use(r.d, r.s, b, g) / tpy, cap = effective_capacity(r.d, r.s, b, g) / tpy;
    double applied = 0.0, licensed = 0.0;
    for (const auto& a : r.s.applications)
        if (a.importer == b && a.good == g && a.status == ApplicationStatus::Pending) applied += a.tonnes_per_turn;
    for (const auto& l : r.s.licenses)
        if (l.importer == b && l.good == g && !l.revoked && l.first_turn <= r.s.turn && l.last_turn >= r.s.turn)
            licensed += l.tonnes_per_turn;
    lua_createtable(L, 0, 5);
    set_number(L, "use", use);
    set_number(L, "capacity", cap);
    set_number(L, "gap", std::max(0.0, use - cap));
    set_number(L, "applied", applied);
    set_number(L, "licensed", licensed);
    return 1;
}

void push_application(lua_State* L, const Reader& r, const LicenseApplication& a) {
    lua_createtable(L, 0, 12);
    set_integer(L, "id", a.id);
    set_string(L, "exporter", cid(r, a.exporter));
    set_string(L, "importer", cid(r, a.importer));
    set_string(L, "good", gid(r, a.good));
    set_number(L, "tonnes", a.tonnes_per_turn);
    set_string(L, "end_use", to_string(a.end_use));
    set_integer(L, "filed_turn", a.filed_turn);
    set_integer(L, "decidable_turn", a.decidable_turn);
    set_number(L, "review_days", a.review_days);
    set_number(L, "first_turn_share", a.first_turn_share);
    set_integer(L, "start_turn", a.start_turn);
    set_string(L, "status", to_string(a.status));
}

// Pushes the applications that pass `keep`, as a list.
template <typename Keep>
int push_applications(lua_State* L, const Reader& r, Keep keep) {
    lua_newtable(L);
    int i = 1;
    for (const auto& a : r.s.applications)
        if (keep(a)) {
            push_application(L, r, a);
            lua_rawseti(L, -2, i++);
        }
    return 1;
}

// -- applications() -> pending license applications addressed to this country
int l_applications(lua_State* L) {
    OwnReader r(L, "applications", 0);
    return push_applications(L, r, [&](const LicenseApplication& a) {
        return a.exporter == r.me && a.status == ApplicationStatus::Pending;
    });
}

// -- my_applications() -> applications this country's firms filed abroad (every status)
int l_my_applications(lua_State* L) {
    OwnReader r(L, "my_applications", 0);
    return push_applications(L, r, [&](const LicenseApplication& a) { return a.importer == r.me; });
}

// -- licenses() -> licenses this country issued or holds, valid now or later
int l_licenses(lua_State* L) {
    OwnReader r(L, "licenses", 0);
    lua_newtable(L);
    int i = 1;
    for (const auto& l : r.s.licenses) {
        if ((l.exporter != r.me && l.importer != r.me) || l.last_turn < r.s.turn) continue;
        lua_createtable(L, 0, 9);
        set_integer(L, "id", l.id);
        set_string(L, "exporter", cid(r, l.exporter));
        set_string(L, "importer", cid(r, l.importer));
        set_string(L, "good", gid(r, l.good));
        set_number(L, "tonnes", l.tonnes_per_turn);
        set_integer(L, "first_turn", l.first_turn);
        set_integer(L, "last_turn", l.last_turn);
        set_number(L, "first_turn_share", l.first_turn_share);
        set_bool(L, "civilian_only", l.civilian_only);
        set_bool(L, "revoked", l.revoked);
        lua_rawseti(L, -2, i++);
    }
    return 1;
}

// -- projects() -> projects this country owns or hosts
int l_projects(lua_State* L) {
    OwnReader r(L, "projects", 0);
    lua_newtable(L);
    int i = 1;
    for (const auto& p : r.s.projects) {
        if (p.owner != r.me && p.host != r.me) continue;
        lua_createtable(L, 0, 8);
        set_integer(L, "id", p.id);
        set_string(L, "owner", cid(r, p.owner));
        set_string(L, "host", cid(r, p.host));
        set_string(L, "good", gid(r, p.good));
        set_number(L, "tonnes_per_year", p.tonnes_per_year);
        set_integer(L, "online_turn", p.online_turn);
        set_bool(L, "online", p.online);
        set_bool(L, "private", p.private_firms);
        lua_rawseti(L, -2, i++);
    }
    return 1;
}

// -- log(...) -> nothing; the text goes to the game log, tagged with the country
int l_log(lua_State* L) {
    Binding& b = current_binding(L, "log");
    std::string text;
    for (int i = 2; i <= lua_gettop(L); ++i) {
        if (i > 2) text += '\t';
        std::size_t n = 0;
        const char* piece = detail::stable_tolstring(L, i, &n);  // no addresses: output is deterministic
        text.append(piece, n);  // with its length: a NUL byte does not end the line
        lua_pop(L, 1);
    }
    b.ctx->log(text);
    return 0;
}

// -- autopilot() -> nothing; lets the built-in policy act for this callback (on_turn: its stockpile and
//    investment moves; on_license_request: its decision on this application)
int l_autopilot(lua_State* L) {
    Binding& b = current_binding(L, "autopilot");
    if (!b.application && std::string(b.callback) != "on_turn")
        return luaL_error(L, "ctx:autopilot() works in on_turn and on_license_request, not in %s", b.callback);
    AutopilotPolicy autopilot;
    if (b.application)
        autopilot.on_license_request(*b.ctx, *b.application);
    else
        autopilot.on_turn(*b.ctx);
    return 0;
}

}  // namespace

std::vector<ApiFunction> world_api() {
    return {{"countries", l_countries},
            {"goods", l_goods},
            {"sectors", l_sectors},
            {"price", l_price},
            {"reference_price", l_reference_price},
            {"capacity", l_capacity},
            {"production", l_production},
            {"flow", l_flow},
            {"imports", l_imports},
            {"exports", l_exports},
            {"regime", l_regime},
            {"export_duty", l_export_duty},
            {"tariff", l_tariff},
            {"quotas", l_quotas},
            {"leverage", l_leverage},
            {"leverage_index", l_leverage_index},
            {"leverage_split", l_leverage_split},
            {"stock", l_stock},
            {"origin", l_origin},
            {"stockpile", l_stockpile},
            {"treasury", l_treasury},
            {"use", l_use},
            {"cover", l_cover},
            {"demand", l_demand},
            {"unmet", l_unmet},
            {"shortfall", l_shortfall},
            {"trust", l_trust},
            {"turn_months", l_turn_months},
            {"turns_per_year", l_turns_per_year},
            {"build_terms", l_build_terms},
            {"import_demand", l_import_demand},
            {"applications", l_applications},
            {"my_applications", l_my_applications},
            {"licenses", l_licenses},
            {"projects", l_projects},
            {"log", l_log},
            {"autopilot", l_autopilot}};
}

}  // namespace chokepoint::lua
