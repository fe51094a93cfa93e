// The `countries:` section: each country's fixed traits (into Definitions) and
// its starting position (into State), with units converted to the engine's.
#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "engine/scenario/sections.hpp"
#include "engine/world/files.hpp"
#include "engine/world/number_text.hpp"

namespace chokepoint::scenario_yaml {

namespace {

// Where the game looked for its data folder, for a message about a file it did not find there.
std::string data_folder_hint() {
    const std::vector<std::string> dirs = data_dirs();
    if (dirs.empty())
        return "none found: set CHOKEPOINT_DATA_DIR to the game's folder (the one holding scripts/ and config/), "
               "or run the program from its build or install tree";
    std::string list;
    for (const auto& dir : dirs) list += (list.empty() ? "" : ", ") + dir;
    return list + (std::getenv("CHOKEPOINT_DATA_DIR") ? "" : "; CHOKEPOINT_DATA_DIR names another");
}

// The valid entries of an id-keyed map of numbers, and which ids were named at
// all (valid or not), so cross-checks can stay quiet about a value that has
// already been reported.
struct IdMap {
    std::vector<std::pair<int, Field>> valid;
    std::vector<double> values;  // parallel to valid, unscaled
    std::vector<bool> named;     // per id
};

IdMap read_id_numbers(LoadContext& ctx, const MapReader& r, std::string_view key, IdKind kind,
                      const NumberRule& rule) {
    IdMap out;
    size_t n = kind == IdKind::Good     ? ctx.defs.goods.size()
               : kind == IdKind::Sector ? ctx.defs.sectors.size()
                                        : ctx.defs.countries.size();
    out.named.assign(n, false);
    if (!r.ok()) return out;
    auto entries = as_entries(ctx.problems, r.field(key));
    if (!entries) return out;
    for (const auto& e : *entries) {
        int id = ctx.resolve_key(kind, e);
        if (id >= 0) out.named[static_cast<size_t>(id)] = true;
        auto v = as_number(ctx.problems, e, rule);
        if (id < 0 || !v) continue;
        out.valid.emplace_back(id, e);
        out.values.push_back(*v);
    }
    return out;
}

// Reads a per-good map of numbers straight into a per-good vector.
IdMap read_per_good(LoadContext& ctx, const MapReader& r, std::string_view key, const NumberRule& rule,
                    PerGood<double>& out, double scale = 1.0) {
    IdMap m = read_id_numbers(ctx, r, key, IdKind::Good, rule);
    for (size_t i = 0; i < m.valid.size(); ++i) out[GoodId{m.valid[i].first}] = m.values[i] * scale;
    return m;
}

// A map keyed by `default` or by other countries' ids. `apply(std::nullopt, value)` is
// called for `default` before any named country, whatever the order in the
// file, so a named country always overrides the default.
template <typename Apply>
void read_partners(LoadContext& ctx, const Field& f, CountryId self, std::string_view self_message, Apply apply) {
    auto entries = as_entries(ctx.problems, f);
    if (!entries) return;
    for (const auto& e : *entries)
        if (e.key == "default") apply(std::optional<CountryId>(), e);
    for (const auto& e : *entries) {
        if (e.key == "default") continue;
        const int k = ctx.resolve_key(IdKind::Country, e);
        if (k < 0) continue;
        const CountryId c{k};
        if (c == self) {
            ctx.problems.add(e.key_mark, e.path, self_message);
            continue;
        }
        apply(std::optional<CountryId>(c), e);
    }
}

// A per-good map of partner maps: `export_regime: {dytb_oxide: {default: licensed, russia: open}}`.
template <typename Apply>
void read_good_partners(LoadContext& ctx, const MapReader& r, std::string_view key, CountryId self,
                        std::string_view self_message, Apply apply) {
    if (!r.ok()) return;
    auto goods = as_entries(ctx.problems, r.field(key));
    if (!goods) return;
    for (const auto& ge : *goods) {
        int g = ctx.resolve_key(IdKind::Good, ge);
        if (g < 0) continue;
        read_partners(ctx, ge, self, self_message, [&](const std::optional<CountryId>& c, const Field& v) { apply(g, c, v); });
    }
}

void read_autopilot(LoadContext& ctx, const MapReader& country, AutopilotParams& a) {
    MapReader r(ctx.problems, country.field("autopilot"),
                {"license_approval_share", "deny_defense_end_use", "civilian_only_clause", "license_validity_turns",
                 "license_validity_months", "stockpile_buy_below", "stockpile_release_above", "invest_import_share", "invest_tonnes_per_year",
                 "defense_priority"});
    // A year's validity by default, in this scenario's turns (docs/model.md §Turn length).
    a.license_validity_turns = ctx.defs.turns_for_quarters(AutopilotParams{}.license_validity_turns);
    if (!r.ok()) return;
    r.read_number("license_approval_share", NumberRule::between(0, 1), a.license_approval_share);
    r.read_bool("deny_defense_end_use", a.deny_defense_end_use);
    r.read_bool("civilian_only_clause", a.civilian_only_clause);
    read_span(ctx, r, "license_validity", NumberRule::at_least(1), a.license_validity_turns);
    auto buy = r.number("stockpile_buy_below", NumberRule::above(0));
    auto sell = r.number("stockpile_release_above", NumberRule::above(0));
    if (buy) a.stockpile_buy_below = *buy;
    if (sell) a.stockpile_release_above = *sell;
    // Releasing below the buying price would churn the stockpile every turn.
    bool buy_bad = r.has("stockpile_buy_below") && !buy;
    bool sell_bad = r.has("stockpile_release_above") && !sell;
    if (!buy_bad && !sell_bad && !(a.stockpile_release_above > a.stockpile_buy_below)) {
        if (sell) {
            Field f = r.field("stockpile_release_above");
            ctx.problems.add(f.mark(), f.path,
                             fmt::format("expected a number > stockpile_buy_below ({}), got {}",
                                         a.stockpile_buy_below, describe_value(f.node)));
        } else {
            Field f = r.field("stockpile_buy_below");
            ctx.problems.add(f.mark(), f.path,
                             fmt::format("expected a number < stockpile_release_above ({}), got {}",
                                         a.stockpile_release_above, describe_value(f.node)));
        }
    }
    r.read_number("invest_import_share", NumberRule::at_least(0), a.invest_import_share);
    r.read_number("invest_tonnes_per_year", NumberRule::at_least(0), a.invest_tonnes_per_year);
    r.read_bool("defense_priority", a.defense_priority);
}


// Policy parameters are plain data: scalars, lists and maps of them.
bool plain_data(Problems& p, const YAML::Node& node, const std::string& path, nlohmann::json& out) {
    switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: out = nullptr; return true;
        case YAML::NodeType::Scalar: {
            const std::string& text = node.Scalar();
            if (node.Tag() != "!") {  // unquoted: a number or a boolean if it reads as one
                if (text == "true" || text == "false") {
                    out = text == "true";
                    return true;
                }
                // A denormal (1e-320) is a number too, not text.
                if (const auto v = read_number_text(text)) {
                    // JSON, and so ctx.params, has no inf or nan: such a value reads as nil.
                    out = std::isfinite(*v) ? nlohmann::json(*v) : nlohmann::json(nullptr);
                    return true;
                }
            }
            out = text;
            return true;
        }
        case YAML::NodeType::Sequence: {
            out = nlohmann::json::array();
            bool ok = true;
            for (size_t i = 0; i < node.size(); ++i) {
                nlohmann::json item;
                ok &= plain_data(p, node[i], index_path(path, i), item);
                out.push_back(item);
            }
            return ok;
        }
        case YAML::NodeType::Map: {
            out = nlohmann::json::object();
            bool ok = true;
            for (const auto& kv : node) {
                std::string key = kv.first.Scalar();
                nlohmann::json item;
                ok &= plain_data(p, kv.second, join_path(path, key), item);
                out[key] = item;
            }
            return ok;
        }
    }
    return false;
}

// Name, place, economy, scoring weights, policy and role.
void read_profile(LoadContext& ctx, const MapReader& r, CountryDef& d, CountryState& s) {
    Problems& p = ctx.problems;
    if (auto v = r.string("name", true)) d.name = *v;
    MapReader pos(p, r.field("position"), {"lon", "lat"}, true);
    if (pos.ok()) {
        if (auto v = pos.number("lon", NumberRule::between(-180, 180), true)) d.lon = *v;
        if (auto v = pos.number("lat", NumberRule::between(-90, 90), true)) d.lat = *v;
    }
    r.read_number("gdp", NumberRule::at_least(0), d.gdp, 1e6);
    r.read_number("treasury", NumberRule::at_least(0), s.treasury, 1e6);
    r.read_number("env_weight", NumberRule::at_least(0), d.env_weight);
    MapReader weights(p, r.field("weights"), {"economy", "security", "influence"});
    if (weights.ok()) {
        weights.read_number("economy", NumberRule::at_least(0), d.weights.economy);
        weights.read_number("security", NumberRule::at_least(0), d.weights.security);
        weights.read_number("influence", NumberRule::at_least(0), d.weights.influence);
    }
    if (Field f = r.field("policy"); f.present)
        if (auto v = as_string(p, f, false)) {
            d.policy = *v;
            if (*v != "autopilot") {
                if (auto resolved = resolve_policy_path(*v, ctx.file))
                    d.policy = *resolved;
                else if (std::error_code ec; std::filesystem::is_directory(*v, ec) ||
                                             std::filesystem::is_directory(std::filesystem::path(ctx.file).parent_path() / *v, ec))
                    p.add(f.mark(), f.path,
                          fmt::format("policy \"{}\" is a folder, not a Lua file; name the policy's .lua file in it "
                                      "(e.g. \"{}\")",
                                      *v, (std::filesystem::path(*v) / "mine.lua").generic_string()));
                else
                    p.add(f.mark(), f.path,
                          fmt::format("policy file \"{}\" not found (paths are relative to the working directory, "
                                      "the scenario's folder or the game's data folder: {}); use \"autopilot\" for "
                                      "the built-in policy",
                                      *v, data_folder_hint()));
            }
        }
    if (Field f = r.field("policy_params"); f.present) {
        nlohmann::json params;
        if (plain_data(p, f.node, f.path, params)) {
            if (!params.is_object() && !params.is_null())
                p.add(f.mark(), f.path, "expected a map of parameters (name: value)");
            else
                try {
                    (void)params.dump();  // throws on a string or key that is not UTF-8
                    d.policy_params = params.is_null() ? nlohmann::json::object() : std::move(params);
                    if (f.node.IsMap())
                        for (const auto& kv : f.node) {
                            // The key's place, but a scalar value's line: in a file that `extends`
                            // another, a key it overrides is still the base's key node (merged in
                            // place, at the base's line), while the value is its own.
                            YAML::Mark m = kv.first.Mark();
                            if (kv.second.IsScalar()) m.line = kv.second.Mark().line;
                            const std::string key = kv.first.Scalar();
                            d.policy_param_places.emplace_back(
                                key, fmt::format("{}:{}:{}: {}", ctx.file, m.line + 1, m.column + 1, join_path(f.path, key)));
                        }
                } catch (const nlohmann::json::exception&) {
                    p.add(f.mark(), f.path, "text that is not valid UTF-8 (policy parameters must be UTF-8)");
                }
        }
    }
    if (auto v = r.string("briefing", false)) d.briefing = *v;
    r.read_bool("human", d.human);
    r.read_bool("bloc", d.bloc);

}

// Physical endowments and plant: reserves, unit costs, capacity, stocks, stockpiles and sector demand.
void read_endowments(LoadContext& ctx, const MapReader& r, CountryDef& d, CountryState& s) {
    Problems& p = ctx.problems;
    const Definitions& defs = ctx.defs;
    const int G = defs.good_count();
    IdMap reserves = read_per_good(ctx, r, "reserves", NumberRule::at_least(0), d.reserves);
    for (const auto& [g, f] : reserves.valid) {
        const Good& good = defs.goods[GoodId{g}];
        if (ctx.good_process_ok[g] && good.process != Process::Mining)
            p.add(f.key_mark, f.path,
                  fmt::format("reserves are for mined goods only ({} is made by {})", good.id,
                              to_string(good.process)));
    }
    std::vector<bool> reserves_valid(static_cast<size_t>(G), false);
    for (const auto& valid : reserves.valid) reserves_valid[static_cast<size_t>(valid.first)] = true;
    IdMap cost = read_per_good(ctx, r, "cost", NumberRule::at_least(0), s.unit_cost, 1000.0);
    IdMap capacity = read_per_good(ctx, r, "capacity", NumberRule::at_least(0), s.capacity);
    for (size_t i = 0; i < capacity.valid.size(); ++i) {
        const auto& [g, f] = capacity.valid[i];
        if (!(capacity.values[i] > 0)) continue;
        const Good& good = defs.goods[GoodId{g}];
        if (!cost.named[g])
            p.add(f.key_mark, f.path,
                  fmt::format("capacity > 0 needs a cost: add {}.cost.{} (USD/kg)", r.path(), good.id));
        // A mine with nothing in the ground would produce from nowhere.
        if (ctx.good_process_ok[g] && good.process == Process::Mining) {
            if (!reserves.named[g])
                p.add(f.key_mark, f.path,
                      fmt::format("cannot mine without reserves: add {}.reserves.{} (t)", r.path(), good.id));
            else if (reserves_valid[g] && d.reserves[GoodId{g}] == 0.0)
                p.add(f.key_mark, f.path,
                      fmt::format("cannot mine without reserves: {}.reserves.{} is 0", r.path(), good.id));
        }
    }
    read_per_good(ctx, r, "stocks", NumberRule::at_least(0), s.stock);
    read_per_good(ctx, r, "stockpile", NumberRule::at_least(0), s.stockpile);
    read_per_good(ctx, r, "stockpile_target_months", NumberRule::at_least(0), s.stockpile_target_months);
    IdMap demand = read_id_numbers(ctx, r, "demand", IdKind::Sector, NumberRule::at_least(0));
    for (size_t i = 0; i < demand.valid.size(); ++i)
        s.sector_demand[SectorId{demand.valid[i].first}] = demand.values[i];

}

// Relations with the other countries: trust, export values, export regimes and duties, tariffs.
void read_relations(LoadContext& ctx, const MapReader& r, CountryId self, CountryDef& d, CountryState& s) {
    Problems& p = ctx.problems;
    const Definitions& defs = ctx.defs;
    if (r.ok()) {
        read_partners(ctx, r.field("trust"), self, "a country's trust in itself is always 1; leave it out",
                      [&](const std::optional<CountryId>& c, const Field& v) {
                          auto t = as_number(p, v, NumberRule::between(0, 1));
                          if (!t) return;
                          for (CountryId o : defs.country_ids())
                              if ((!c && o != self) || o == c) s.trust[o] = *t;
                      });
        IdMap exports = read_id_numbers(ctx, r, "exports_to", IdKind::Country, NumberRule::at_least(0));
        for (size_t i = 0; i < exports.valid.size(); ++i) {
            const auto& [k, f] = exports.valid[i];
            const CountryId c{k};
            if (c == self)
                p.add(f.key_mark, f.path, "a country does not export to itself");
            else
                d.exports_to[c] = exports.values[i] * 1e6;
        }
    }
    // Applies `set` to the rows of the trade grids this entry covers.
    auto each_partner = [&](const std::optional<CountryId>& c, auto set) {
        for (CountryId o : defs.country_ids())
            if ((!c && o != self) || o == c) set(o);
    };
    read_good_partners(ctx, r, "export_regime", self, "a country does not export to itself",
                       [&](int g, const std::optional<CountryId>& c, const Field& v) {
                           auto word = as_word(p, v, {"open", "licensed", "embargo"});
                           if (!word) return;
                           Regime regime = *regime_from_string(*word);
                           each_partner(c, [&](CountryId o) { ctx.state.rule(self, GoodId{g}, o).regime = regime; });
                       });
    read_good_partners(ctx, r, "export_duty", self, "a country does not export to itself",
                       [&](int g, const std::optional<CountryId>& c, const Field& v) {
                           auto rate = as_number(p, v, NumberRule::between(0, 10));
                           if (!rate) return;
                           each_partner(c, [&](CountryId o) { ctx.state.rule(self, GoodId{g}, o).duty = *rate; });
                       });
    read_good_partners(ctx, r, "tariffs", self, "a country does not import from itself",
                       [&](int g, const std::optional<CountryId>& c, const Field& v) {
                           auto rate = as_number(p, v, NumberRule::between(0, 10));
                           if (!rate) return;
                           each_partner(c, [&](CountryId o) { ctx.state.tariff_on(self, GoodId{g}, o) = *rate; });
                       });
}

// Instruments in force at the start. Quotas are written per year for readability and enforced
// per turn.
void read_instruments(LoadContext& ctx, const MapReader& r, CountryDef& d, CountryState& s) {
    const Definitions& defs = ctx.defs;
    const double per_turn = 1.0 / defs.turns_per_year();
    read_per_good(ctx, r, "production_quota", NumberRule::at_least(0), s.production_quota, per_turn);
    read_per_good(ctx, r, "export_quota", NumberRule::at_least(0), s.export_quota, per_turn);
    read_per_good(ctx, r, "subsidy", NumberRule::at_least(0), s.subsidy, 1000.0);
    read_per_good(ctx, r, "price_floor", NumberRule::at_least(0), s.price_floor, 1000.0);
    read_autopilot(ctx, r, d.autopilot);
}

void read_country(LoadContext& ctx, const Field& entry, CountryId self) {
    Problems& p = ctx.problems;
    MapReader r(p, entry,
                {"name", "position", "gdp", "treasury", "env_weight", "weights", "policy", "policy_params", "briefing", "human", "bloc", "reserves",
                 "capacity", "cost", "stocks", "stockpile", "stockpile_target_months", "demand", "trust",
                 "exports_to", "export_regime", "export_duty", "tariffs", "production_quota", "export_quota",
                 "subsidy", "price_floor", "autopilot"},
                true);
    if (!r.ok()) return;
    CountryDef& d = ctx.defs.countries[self];
    CountryState& s = ctx.state.countries[self];
    read_profile(ctx, r, d, s);
    read_endowments(ctx, r, d, s);
    read_relations(ctx, r, self, d, s);
    read_instruments(ctx, r, d, s);
}

}  // namespace

// A policy path as written in the scenario: tried as given (relative to the working directory),
// then next to the scenario file, then in the game's data folders (data_dirs()).
std::optional<std::string> resolve_policy_path(const std::string& path, const std::string& scenario_file) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> candidates = {fs::path(path)};
    if (fs::path(path).is_relative()) {
        candidates.push_back(fs::path(scenario_file).parent_path() / path);
        for (const auto& dir : data_dirs()) candidates.push_back(fs::path(dir) / path);
    }
    for (const auto& c : candidates)
        if (fs::is_regular_file(c, ec)) return c.lexically_normal().string();
    return std::nullopt;
}

void read_countries(LoadContext& ctx, const Field& section) {
    Problems& p = ctx.problems;
    if (!section.present) {
        p.add(section.key_mark, section.path, "required key missing");
        return;
    }
    auto entries = as_entries(p, section, false);
    if (!entries) return;
    // Trade needs a partner; a lone country would make every rule moot.
    if (entries->size() < 2)
        p.add(section.mark(), section.path, fmt::format("expected at least two countries, got {}", entries->size()));
    // Checked before anything is sized by the count: the state holds countries × countries grids
    // per good (docs/performance.md §Memory).
    if (entries->size() > kMaxCountries) {
        p.add(section.mark(), section.path,
              fmt::format("at most {} countries, got {}", kMaxCountries, entries->size()));
        return;
    }

    Definitions& defs = ctx.defs;
    const int G = defs.good_count(), S = defs.sector_count(), C = static_cast<int>(entries->size());
    for (const auto& e : *entries) {
        check_id(p, e, true);
        CountryDef d;
        d.id = e.key;
        d.policy = "autopilot";
        d.reserves.assign(static_cast<size_t>(G), 0.0);
        d.exports_to.assign(static_cast<size_t>(C), 0.0);
        defs.countries.push_back(std::move(d));
    }
    ctx.countries_read = true;

    State& st = ctx.state;
    st.countries.assign(static_cast<size_t>(C), CountryState{});
    for (CountryId c : defs.country_ids()) {
        CountryState& s = st.countries[c];
        const size_t g = static_cast<size_t>(G);
        s.capacity.assign(g, 0.0);
        s.unit_cost.assign(g, 0.0);
        s.stock.assign(g, 0.0);
        s.stockpile.assign(g, 0.0);
        s.sector_demand.assign(static_cast<size_t>(S), 0.0);
        s.thrift.assign(g, 0.0);
        s.production_quota.assign(g, kUnlimited);
        s.export_quota.assign(g, kUnlimited);
        s.subsidy.assign(g, 0.0);
        s.price_floor.assign(g, 0.0);
        s.trust.assign(static_cast<size_t>(C), 0.5);
        s.trust[c] = 1.0;
        s.stockpile_target_months.assign(g, 0.0);
        s.defense_priority.assign(g, 0);
    }
    st.rules = RouteTable<ExportRule>(C, G, ExportRule{});
    st.tariff = RouteTable<double>(C, G, 0.0);

    for (CountryId c : defs.country_ids()) read_country(ctx, (*entries)[c.index()], c);
}

}  // namespace chokepoint::scenario_yaml
