#include "engine/scenario/loader.hpp"

#include <yaml-cpp/depthguard.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>

#include "engine/scenario/sections.hpp"
#include "engine/world/event_log.hpp"
#include "engine/world/files.hpp"
#include "engine/world/rng.hpp"

namespace chokepoint {

namespace {

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i) out += '\n';
        out += lines[i];
    }
    return out;
}

}  // namespace

ScenarioError::ScenarioError(std::vector<std::string> problem_list)
    : std::runtime_error(join_lines(problem_list)), problems(std::move(problem_list)) {}

namespace scenario_yaml {

// ---- LoadContext ------------------------------------------------------------------

std::vector<std::string> LoadContext::ids(IdKind kind) const {
    std::vector<std::string> out;
    switch (kind) {
        case IdKind::Good:
            for (const auto& g : defs.goods) out.push_back(g.id);
            break;
        case IdKind::Sector:
            for (const auto& s : defs.sectors) out.push_back(s.id);
            break;
        case IdKind::Country:
            for (const auto& c : defs.countries) out.push_back(c.id);
            break;
    }
    return out;
}

int LoadContext::resolve(IdKind kind, const std::string& word, const YAML::Mark& mark,
                         const std::string& path) const {
    int index = -1;
    bool read = false;
    const char* name = "";
    const char* plural = "";
    switch (kind) {
        case IdKind::Good:
            index = defs.good_index(word), read = goods_read, name = "good", plural = "goods";
            break;
        case IdKind::Sector:
            index = defs.sector_index(word), read = sectors_read, name = "sector", plural = "sectors";
            break;
        case IdKind::Country:
            index = defs.country_index(word), read = countries_read, name = "country", plural = "countries";
            break;
    }
    if (index < 0 && read) problems.add(mark, path, unknown_id(name, plural, word, ids(kind)));
    return index;
}

std::optional<int> LoadContext::resolve_value(IdKind kind, const Field& f, bool all_ok) const {
    if (!f.present) return std::nullopt;
    if (!f.node.IsScalar() || f.node.Scalar().empty()) {
        const char* what = kind == IdKind::Good ? "a good id" : kind == IdKind::Sector ? "a sector id" : "a country id";
        problems.add(f.mark(), f.path, fmt::format("expected {}, got {}", what, describe_value(f.node)));
        return std::nullopt;
    }
    const std::string& word = f.node.Scalar();
    if (all_ok && word == "all") return -1;
    int index = resolve(kind, word, f.mark(), f.path);
    if (index < 0) return std::nullopt;
    return index;
}

int LoadContext::resolve_key(IdKind kind, const Field& entry) const {
    return resolve(kind, entry.key, entry.key_mark, entry.path);
}

// Checks an id-keyed section's keys: id format and (for countries) reserved words.
void check_id(Problems& p, const Field& entry, bool country) {
    if (!valid_id(entry.key))
        p.add(entry.key_mark, entry.path,
              fmt::format("bad id \"{}\": ids are lowercase words matching [a-z][a-z0-9_]*", entry.key));
    else if (country && reserved_country_word(entry.key))
        p.add(entry.key_mark, entry.path,
              fmt::format("\"{}\" is reserved (it means every other country in references)", entry.key));
}

void read_growth(LoadContext& ctx, const MapReader& r, std::string_view key, double& out) {
    const std::string quarter_key = fmt::format("{}_per_quarter", key);
    if (!r.has(quarter_key)) {
        r.read_number(key, NumberRule::at_least(0), out);
        return;
    }
    if (r.has(key)) {
        Field f = r.field(quarter_key);
        ctx.problems.add(f.key_mark, f.path, fmt::format("give either {} or {}, not both", key, quarter_key));
        return;
    }
    if (auto v = r.number(quarter_key, NumberRule::at_least(0))) out = ctx.defs.per_turn_growth(*v);
}

void read_span(LoadContext& ctx, const MapReader& r, std::string_view stem, const NumberRule& turns, int& out,
               bool required) {
    const std::string turns_key = stem.empty() ? "turns" : fmt::format("{}_turns", stem);
    const std::string months_key = stem.empty() ? "months" : fmt::format("{}_months", stem);
    if (!r.has(months_key)) {
        if (required) {
            if (auto v = r.integer(turns_key, turns, true)) out = *v;
        } else {
            r.read_integer(turns_key, turns, out);
        }
        return;
    }
    Field f = r.field(months_key);
    if (r.has(turns_key)) {
        ctx.problems.add(f.key_mark, f.path, fmt::format("give either {} or {}, not both", turns_key, months_key));
        return;
    }
    auto months = r.integer(months_key, NumberRule::at_least(turns.accepts(0) ? 0 : 1));
    if (!months) return;
    const int n = *months == 0 ? 0 : ctx.defs.turns_for_months(*months);  // 0 where 0 turns is allowed
    if (!turns.accepts(n)) {
        ctx.problems.add(f.mark(), f.path,
                         fmt::format("{} months is {} turns here ({}-month turns); expected {} turns", *months, n,
                                     ctx.defs.turn_months, turns.describe(true)));
        return;
    }
    out = n;
}

namespace {

const std::vector<std::string> kProcessWords = {"mining", "separation", "magnet_making"};

Process process_from_word(const std::string& w) {
    if (w == "separation") return Process::Separation;
    if (w == "magnet_making") return Process::MagnetMaking;
    return Process::Mining;
}

void read_scenario_section(LoadContext& ctx, const MapReader& top) {
    MapReader s(ctx.problems, top.field("scenario"), {"name", "description", "start", "turns", "turn_months", "seed"},
                true);
    if (!s.ok()) return;
    Definitions& d = ctx.defs;
    if (auto v = s.string("name", true)) d.scenario_name = *v;
    if (auto v = s.string("description")) d.description = trim_trailing_space(*v);
    if (s.has("start")) {
        if (auto m = as_month(ctx.problems, s.field("start"))) {
            d.start_year = m->first;
            d.start_month = m->second;
            ctx.start_ok = true;
        }
    } else {
        s.missing("start");
    }
    if (auto v = s.integer("turns", NumberRule::at_least(1), true)) {
        d.turns = *v;
        ctx.turns_ok = true;
    }
    if (Field f = s.field("turn_months"); f.present) {
        // Turns must tile a year so that per-year rates convert exactly.
        auto v = as_integer(ctx.problems, f, NumberRule::between(1, 12));
        if (v && 12 % *v == 0) {
            d.turn_months = static_cast<int>(*v);
        } else {
            ctx.turn_months_ok = false;
            if (v) ctx.problems.add(f.mark(), f.path, fmt::format("expected one of 1, 2, 3, 4, 6, 12, got {}", *v));
        }
    }
    if (auto v = as_unsigned(ctx.problems, s.field("seed"))) d.seed = *v;
}

// The defaults of spans and per-turn rates are stated for 3-month turns. For other turn lengths
// they follow the calendar (docs/model.md §Turn length): a one-year leverage horizon stays a year,
// a licence expiry a year, a relationship fades by the same share a quarter. Keys the scenario gives
// override them: those in turns are read as turns of this scenario, the `_months` twins convert.
void scale_defaults_to_turn_length(Definitions& d) {
    if (d.turn_months == 3) return;
    MarketParams& m = d.market;
    // The price caps bound how fast a shortage price can climb: with smoothing weight a and cap c the
    // smoothed price can grow by 1 + a (c − 1) a turn (2× a quarter with the defaults, docs/model.md
    // §Firms, Feed bids). Keep that growth per quarter: c' = 1 + ((1 + a (c − 1))^(m/3) − 1) / a'.
    const double a = m.price_smoothing, a_turn = d.per_turn_share(a);
    auto cap = [&](double c) { return 1.0 + (std::pow(1.0 + a * (c - 1.0), d.turn_months / 3.0) - 1.0) / a_turn; };
    m.feed_price_cap = cap(m.feed_price_cap);
    m.buyer_price_cap = cap(m.buyer_price_cap);
    m.price_smoothing = a_turn;
    m.link_growth = d.per_turn_growth(m.link_growth);
    m.link_decay = d.per_turn_share(m.link_decay);
    d.leverage.horizon_turns = std::min(12, d.turns_for_quarters(d.leverage.horizon_turns));
    LicensingParams& l = d.licensing;
    l.expiry_turns = d.turns_for_quarters(l.expiry_turns);
    l.end_use_discovery = d.per_turn_share(l.end_use_discovery);
    l.reexport_discovery = d.per_turn_share(l.reexport_discovery);
    NegotiationParams& n = d.negotiation;
    n.max_duration_turns = d.turns_for_quarters(n.max_duration_turns);
    n.notice_turns = std::min(8, d.turns_for_quarters(n.notice_turns));
    n.forecast_turns = std::min(12, d.turns_for_quarters(n.forecast_turns));
    n.trust.kept_per_turn = d.per_turn_amount(n.trust.kept_per_turn);
}

Good& good_at(LoadContext& ctx, size_t i) { return ctx.defs.goods[GoodId{static_cast<int>(i)}]; }

// One good's own fields (not its recipe, which may name goods listed further down).
void read_good_fields(LoadContext& ctx, const MapReader& r, size_t i) {
    Good& g = good_at(ctx, i);
    if (auto v = r.string("name", true)) g.name = *v;
    if (auto v = r.word("process", kProcessWords, true)) {
        g.process = process_from_word(*v);
        ctx.good_process_ok[i] = true;
    }
    if (auto v = r.integer("stage", NumberRule::at_least(0), true)) {
        g.stage = *v;
        ctx.good_stage_ok[i] = true;
    }
    if (auto v = r.number("reference_price", NumberRule::above(0), true)) g.reference_price = *v * 1000.0;
    r.read_number("transport_cost", NumberRule::at_least(0), g.transport_cost, 1000.0);
    r.read_number("env_cost", NumberRule::at_least(0), g.env_cost, 1000.0);
    read_growth(ctx, r, "link_growth", g.link_growth);
    r.read_number("link_floor_share", NumberRule::between(0, 1), g.link_floor_share);
}

// Markets clear goods in list order, so the list must follow the stages.
void check_stage_order(LoadContext& ctx, const std::vector<MapReader>& readers) {
    for (size_t i = 1; i < readers.size(); ++i) {
        if (!ctx.good_stage_ok[i]) continue;
        for (size_t j = 0; j < i; ++j) {
            if (ctx.good_stage_ok[j] && good_at(ctx, j).stage > good_at(ctx, i).stage) {
                Field f = readers[i].field("stage");
                ctx.problems.add(f.mark(), f.path,
                                 fmt::format("goods must be listed in stage order: stage {} comes after {} (stage {})",
                                             good_at(ctx, i).stage, good_at(ctx, j).id, good_at(ctx, j).stage));
                break;
            }
        }
    }
}

// Good i's recipe: none for a mined good, at least one input of a lower stage otherwise.
void read_recipe(LoadContext& ctx, const MapReader& r, size_t i) {
    Problems& p = ctx.problems;
    Good& g = good_at(ctx, i);
    Field rf = r.field("recipe");
    auto inputs = as_entries(p, rf);
    if (!inputs) return;
    if (ctx.good_process_ok[i] && g.process == Process::Mining) {
        if (!inputs->empty()) p.add(rf.mark(), rf.path, "a mined good has no inputs (leave recipe out)");
        return;
    }
    if (ctx.good_process_ok[i] && inputs->empty()) {
        if (!rf.present)
            r.missing("recipe");
        else
            p.add(rf.mark(), rf.path, fmt::format("expected at least one input for a {} good", to_string(g.process)));
        return;
    }
    for (const auto& in : *inputs) {
        int input = ctx.resolve_key(IdKind::Good, in);
        auto amount = as_number(p, in, NumberRule::above(0));
        if (input < 0 || !amount) continue;
        const Good& ig = ctx.defs.goods[GoodId{input}];
        if (ctx.good_stage_ok[i] && ctx.good_stage_ok[static_cast<size_t>(input)] && ig.stage >= g.stage) {
            p.add(in.key_mark, in.path,
                  fmt::format("input {} has stage {}, not lower than this good's stage {}", ig.id, ig.stage, g.stage));
            continue;
        }
        g.recipe.push_back(RecipeInput{GoodId{input}, *amount});
    }
}

void read_goods(LoadContext& ctx, const MapReader& top) {
    Problems& p = ctx.problems;
    Field section = top.field("goods");
    if (!section.present) {
        top.missing("goods");
        return;
    }
    auto entries = as_entries(p, section, false);
    if (!entries) return;
    if (entries->empty()) {
        p.add(section.mark(), section.path, "expected at least one good");
        return;
    }
    if (entries->size() > kMaxGoods) {
        p.add(section.mark(), section.path, fmt::format("at most {} goods, got {}", kMaxGoods, entries->size()));
        return;
    }
    // Ids first, so recipes may name any good and report stage problems
    // rather than "unknown good" for an input listed further down.
    for (const auto& e : *entries) {
        check_id(p, e, false);
        Good g;
        g.id = e.key;
        ctx.defs.goods.push_back(g);
    }
    ctx.goods_read = true;
    ctx.good_process_ok.assign(entries->size(), false);
    ctx.good_stage_ok.assign(entries->size(), false);

    std::vector<MapReader> readers;
    for (size_t i = 0; i < entries->size(); ++i) {
        readers.emplace_back(p, (*entries)[i],
                             std::vector<std::string>{"name", "process", "stage", "reference_price", "transport_cost",
                                                      "env_cost", "recipe", "link_growth", "link_growth_per_quarter",
                                                      "link_floor_share"},
                             true);
        read_good_fields(ctx, readers.back(), i);
    }
    check_stage_order(ctx, readers);
    for (size_t i = 0; i < entries->size(); ++i)
        if (readers[i].ok()) read_recipe(ctx, readers[i], i);
}

void read_sectors(LoadContext& ctx, const MapReader& top) {
    Problems& p = ctx.problems;
    Field section = top.field("sectors");
    if (!section.present) {
        top.missing("sectors");
        return;
    }
    auto entries = as_entries(p, section, false);
    if (!entries) return;
    if (entries->empty()) {
        p.add(section.mark(), section.path, "expected at least one sector");
        return;
    }
    if (entries->size() > kMaxSectors) {
        p.add(section.mark(), section.path, fmt::format("at most {} sectors, got {}", kMaxSectors, entries->size()));
        return;
    }
    for (const auto& e : *entries) {
        check_id(p, e, false);
        Sector s;
        s.id = e.key;
        ctx.defs.sectors.push_back(s);
    }
    ctx.sectors_read = true;
    for (size_t i = 0; i < entries->size(); ++i) {
        MapReader r(p, (*entries)[i], {"name", "good", "defense", "value_per_tonne", "criticality", "growth", "elasticity"},
                    true);
        if (!r.ok()) continue;
        Sector& s = ctx.defs.sectors[SectorId{static_cast<int>(i)}];
        if (auto v = r.string("name", true)) s.name = *v;
        if (Field f = r.field("good"); f.present) {
            if (auto g = ctx.resolve_value(IdKind::Good, f)) s.good = GoodId{*g};
        } else {
            r.missing("good");
        }
        r.read_bool("defense", s.defense);
        if (auto v = r.number("value_per_tonne", NumberRule::above(0), true)) s.value_per_tonne = *v * 1000.0;
        r.read_number("criticality", NumberRule::above(0), s.criticality);
        r.read_number("growth", NumberRule::above(-1), s.growth);
        r.read_number("elasticity", NumberRule::above(0), s.elasticity);
    }
}

void read_market(LoadContext& ctx, const MapReader& top) {
    MapReader r(ctx.problems, top.field("market"),
                {"demand_elasticity", "demand_steps", "inventory_weeks", "precautionary_weeks", "feed_price_cap", "buyer_price_cap",
                 "restock_price_factor",
                 "release_price_factor", "cost_steps", "thrift_rate_per_year", "thrift_threshold",
                 "thrift_recovery_per_year", "price_smoothing", "private_invest_threshold",
                 "private_invest_share_per_year", "stockpile_storage_rate", "link_growth", "link_growth_per_quarter",
                 "link_floor_share", "link_decay"});
    if (!r.ok()) return;
    MarketParams& m = ctx.defs.market;
    const auto unit = NumberRule::between(0, 1);
    r.read_number("demand_elasticity", NumberRule::above(0), m.demand_elasticity);
    r.read_integer("demand_steps", NumberRule::between(2, 64), m.demand_steps);
    r.read_number("inventory_weeks", NumberRule::at_least(0), m.inventory_weeks);
    r.read_number("precautionary_weeks", NumberRule::at_least(0), m.precautionary_weeks);
    r.read_number("feed_price_cap", NumberRule::at_least(1), m.feed_price_cap);
    r.read_number("buyer_price_cap", NumberRule::at_least(1), m.buyer_price_cap);
    // Each factor alone must be > 0; together, firms must release above the
    // price at which they restock or they would trade against themselves.
    auto restock = r.number("restock_price_factor", NumberRule::above(0));
    auto release = r.number("release_price_factor", NumberRule::above(0));
    if (restock) m.restock_price_factor = *restock;
    if (release) m.release_price_factor = *release;
    bool restock_bad = r.has("restock_price_factor") && !restock;
    bool release_bad = r.has("release_price_factor") && !release;
    if (!restock_bad && !release_bad && !(m.release_price_factor > m.restock_price_factor)) {
        if (release) {
            Field f = r.field("release_price_factor");
            ctx.problems.add(f.mark(), f.path,
                             fmt::format("expected a number > restock_price_factor ({}), got {}",
                                         m.restock_price_factor, describe_value(f.node)));
        } else {
            Field f = r.field("restock_price_factor");
            ctx.problems.add(f.mark(), f.path,
                             fmt::format("expected a number < release_price_factor ({}), got {}",
                                         m.release_price_factor, describe_value(f.node)));
        }
    }
    if (Field f = r.field("cost_steps"); f.present) {
        if (auto items = as_list(ctx.problems, f, false)) {
            std::vector<double> steps;
            bool all_ok = true;
            for (const auto& item : *items) {
                auto v = as_number(ctx.problems, item, NumberRule::above(0));
                if (!v) {
                    all_ok = false;
                    continue;
                }
                if (!steps.empty() && !(*v > steps.back())) {
                    ctx.problems.add(item.mark(), item.path,
                                     fmt::format("cost steps must increase: {} after {}", *v, steps.back()));
                    all_ok = false;
                }
                steps.push_back(*v);
            }
            if (items->empty()) ctx.problems.add(f.mark(), f.path, "expected at least one cost step");
            if (all_ok && !items->empty()) m.cost_steps = steps;
        }
    }
    r.read_number("thrift_rate_per_year", unit, m.thrift_rate_per_year);
    r.read_number("thrift_threshold", NumberRule::above(1), m.thrift_threshold);
    r.read_number("thrift_recovery_per_year", unit, m.thrift_recovery_per_year);
    r.read_number("price_smoothing", NumberRule{.lo = 0, .hi = 1, .lo_open = true}, m.price_smoothing);
    r.read_number("private_invest_threshold", NumberRule::above(1), m.private_invest_threshold);
    r.read_number("private_invest_share_per_year", unit, m.private_invest_share_per_year);
    r.read_number("stockpile_storage_rate", unit, m.stockpile_storage_rate);
    read_growth(ctx, r, "link_growth", m.link_growth);
    r.read_number("link_floor_share", unit, m.link_floor_share);
    r.read_number("link_decay", unit, m.link_decay);
}

void read_investment(LoadContext& ctx, const MapReader& top) {
    // Per-process defaults from docs/scenario-format.md: mines take longest to
    // open and cost most per tonne of annual capacity. Spans in quarters (7, 3 and 3 years to first
    // output, a year to nameplate); a slip lasts a turn, so its chance per turn needs no scaling.
    const ProcessParams defaults[kProcessCount] = {
        {.lead_turns = 28, .ramp_turns = 4, .ramp_start = 0.3, .capex_per_tpy = 40e3, .delay_probability = 0.1},
        {.lead_turns = 12, .ramp_turns = 4, .ramp_start = 0.3, .capex_per_tpy = 21e3, .delay_probability = 0.1},
        {.lead_turns = 12, .ramp_turns = 4, .ramp_start = 0.3, .capex_per_tpy = 15e3, .delay_probability = 0.1},
    };
    for (int i = 0; i < kProcessCount; ++i) {
        ctx.defs.process[i] = defaults[i];
        ctx.defs.process[i].lead_turns = ctx.defs.turns_for_quarters(defaults[i].lead_turns);
        ctx.defs.process[i].ramp_turns = ctx.defs.turns_for_quarters(defaults[i].ramp_turns);
    }
    MapReader r(ctx.problems, top.field("investment"), kProcessWords);
    if (!r.ok()) return;
    for (int i = 0; i < kProcessCount; ++i) {
        MapReader pr(ctx.problems, r.field(kProcessWords[static_cast<size_t>(i)]),
                     {"lead_turns", "lead_months", "ramp_turns", "ramp_months", "ramp_start", "capex_per_tpy",
                      "delay_probability"});
        if (!pr.ok()) continue;
        ProcessParams& pp = ctx.defs.process[i];
        read_span(ctx, pr, "lead", NumberRule::at_least(1), pp.lead_turns);
        read_span(ctx, pr, "ramp", NumberRule::at_least(1), pp.ramp_turns);
        pr.read_number("ramp_start", NumberRule{.lo = 0, .hi = 1, .lo_open = true}, pp.ramp_start);
        pr.read_number("capex_per_tpy", NumberRule::at_least(0), pp.capex_per_tpy, 1000.0);
        pr.read_number("delay_probability", NumberRule{.lo = 0, .hi = 1, .hi_open = true}, pp.delay_probability);
    }
}

void read_leverage(LoadContext& ctx, const MapReader& top) {
    MapReader r(ctx.problems, top.field("leverage"),
                {"horizon_turns", "horizon_months", "weights", "max_tariff", "import_elasticity"});
    if (!r.ok()) return;
    LeverageParams& l = ctx.defs.leverage;
    read_span(ctx, r, "horizon", NumberRule::between(1, 12), l.horizon_turns);
    MapReader w(ctx.problems, r.field("weights"), {"materials", "market_access"});
    if (w.ok()) {
        auto m = w.number("materials", NumberRule::at_least(0));
        auto a = w.number("market_access", NumberRule::at_least(0));
        bool m_ok = m || !w.has("materials"), a_ok = a || !w.has("market_access");
        if (m) l.weight_materials = *m;
        if (a) l.weight_market_access = *a;
        if (m_ok && a_ok && !(l.weight_materials + l.weight_market_access > 0))
            ctx.problems.add(w.self().mark(), w.path(), "the weights must not both be 0");
    }
    r.read_number("max_tariff", NumberRule::at_least(0), l.max_tariff);
    r.read_number("import_elasticity", NumberRule::above(0), l.import_elasticity);
}

void read_licensing(LoadContext& ctx, const MapReader& top) {
    MapReader r(ctx.problems, top.field("licensing"),
                {"review_days", "processing_turns", "expiry_turns", "expiry_months", "end_use_discovery", "practice_weight",
                 "reexport_control", "reexport_compliance", "reexport_discovery", "content_rule"});
    LicensingParams& l = ctx.defs.licensing;
    if (!r.ok()) return;
    // processing_turns (whole turns) is the older key, still read: review_days = turns × turn days.
    if (r.has("review_days") && r.has("processing_turns")) {
        Field f = r.field("processing_turns");
        ctx.problems.add(f.key_mark, f.path, "give either review_days or the older processing_turns, not both");
    } else {
        r.read_number("review_days", NumberRule::between(0, 3650), l.review_days);
        r.read_integer("processing_turns", NumberRule::at_least(0), l.processing_turns);
    }
    r.read_number("practice_weight", NumberRule{.lo = 0, .hi = 1, .lo_open = true}, l.practice_weight);
    read_span(ctx, r, "expiry", NumberRule::at_least(1), l.expiry_turns);
    if (r.read_number("end_use_discovery", NumberRule::between(0, 1), l.end_use_discovery); r.has("end_use_discovery"))
        l.reexport_discovery = l.end_use_discovery;  // unless given
    // docs/model.md §Origin and re-export control.
    r.read_bool("reexport_control", l.reexport_control);
    r.read_number("reexport_compliance", NumberRule::between(0, 1), l.reexport_compliance);
    r.read_number("reexport_discovery", NumberRule::between(0, 1), l.reexport_discovery);
    MapReader c(ctx.problems, r.field("content_rule"), {"enabled", "threshold"});
    if (!c.ok()) return;
    c.read_bool("enabled", l.content_rule);
    c.read_number("threshold", NumberRule::between(0, 1), l.content_threshold);
}

void read_negotiation(LoadContext& ctx, const MapReader& top) {
    MapReader r(ctx.problems, top.field("negotiation"),
                {"enabled", "agreements", "rounds", "max_proposals_per_turn", "deadline_turns", "max_duration_turns",
                 "max_duration_months", "notice_turns", "notice_months", "arrears_grace", "forecast_turns",
                 "forecast_months", "forecasts_per_turn", "talk_minutes", "trust"});
    if (!r.ok()) return;
    NegotiationParams& n = ctx.defs.negotiation;
    r.read_bool("enabled", n.enabled);
    if (auto w = r.word("agreements", {"binding", "non_binding"})) n.binding = *w == "binding";
    r.read_integer("rounds", NumberRule::between(1, 8), n.rounds);
    r.read_integer("max_proposals_per_turn", NumberRule::between(0, 50), n.max_proposals_per_turn);
    r.read_integer("deadline_turns", NumberRule::between(0, 8), n.deadline_turns);
    read_span(ctx, r, "max_duration", NumberRule::between(1, 400), n.max_duration_turns);
    read_span(ctx, r, "notice", NumberRule::between(0, 8), n.notice_turns);
    r.read_number("arrears_grace", NumberRule::between(0, 8), n.arrears_grace);
    read_span(ctx, r, "forecast", NumberRule::between(1, 12), n.forecast_turns);
    r.read_integer("forecasts_per_turn", NumberRule::between(0, 100), n.forecasts_per_turn);
    r.read_number("talk_minutes", NumberRule::between(0, 120), n.talk_minutes);
    MapReader t(ctx.problems, r.field("trust"),
                {"kept_per_turn", "completed", "breach", "withdrawal", "end_use", "reputation"});
    if (!t.ok()) return;
    TrustParams& tp = n.trust;
    t.read_number("kept_per_turn", NumberRule::between(0, 1), tp.kept_per_turn);
    t.read_number("completed", NumberRule::between(0, 1), tp.completed);
    t.read_number("breach", NumberRule::between(0, 1), tp.breach);
    t.read_number("withdrawal", NumberRule::between(0, 1), tp.withdrawal);
    t.read_number("end_use", NumberRule::between(0, 1), tp.end_use);
    t.read_number("reputation", NumberRule::between(0, 1), tp.reputation);
}

void read_random_shocks(LoadContext& ctx, const MapReader& top) {
    Problems& p = ctx.problems;
    auto entries = as_entries(p, top.field("random_shocks"));
    if (!entries) return;
    for (const auto& e : *entries) {
        check_id(p, e, false);
        MapReader r(p, e, {"probability", "process", "capacity_factor", "turns"}, true);
        if (!r.ok()) continue;
        RandomShock s;
        s.id = e.key;
        if (auto v = r.number("probability", NumberRule::between(0, 1), true)) s.probability = *v;
        if (auto v = r.word("process", kProcessWords, true)) s.process = process_from_word(*v);
        if (auto v = r.number("capacity_factor", NumberRule::at_least(0), true)) s.capacity_factor = *v;
        r.read_integer("turns", NumberRule::at_least(1), s.turns);
        ctx.defs.random_shocks.push_back(s);
    }
}

// The parts of the initial state that follow from the definitions alone.
void init_derived_state(const Definitions& d, State& s) {
    const int C = d.country_count(), G = d.good_count(), S = d.sector_count();
    s.turn = 0;
    s.next_id = 1;
    s.smoothed_price = {C, G, 0.0};
    MarketOutcome& last = s.last;
    for (Grid<double, CountryId, GoodId>* g : {&last.price, &last.supply_price, &last.produced, &last.consumed, &last.used_as_input,
                            &last.imported, &last.exported, &last.stock_change, &last.stockpile_change})
        *g = {C, G, 0.0};
    last.demand = {C, S, 0.0};
    last.met = {C, S, 0.0};
    last.flows.assign(static_cast<size_t>(G), CountryMatrix<>(C, C, 0.0));
    last.cash = Grid<double, CountryId, CashFlow>(C, kCashFlowCount, 0.0);
    last.env_cost = {C, G, 0.0};
    // Reserves live in the definitions (the starting endowment) and in the
    // state (what is left); both start equal.
    for (CountryId c : s.countries.ids()) s.countries[c].reserves = d.countries[c].reserves;
    // Before turn 0 the best guess of every price is the reference price.
    for (CountryId c : d.country_ids()) {
        for (GoodId g : d.good_ids()) {
            double ref = d.goods[g].reference_price;
            s.smoothed_price(c, g) = ref;
            last.price(c, g) = ref;
            last.supply_price(c, g) = ref;
        }
    }
    seed_rng(s.rng_state, d.seed);
}

// Keys that are not plain words (`[a, b]: 3`, `? {a: 1}`), which the merge below cannot compare
// (yaml-cpp threw "bad conversion" with no file); the loader says the same of them in a file that
// extends nothing.
bool plain_keys(Problems& p, const YAML::Node& n, const std::string& path) {
    bool ok = true;
    if (n.IsMap()) {
        for (const auto& kv : n) {
            if (!kv.first.IsScalar()) {
                p.add(kv.first.Mark(), path.empty() ? "(top level)" : path,
                      fmt::format("keys must be plain words, got {}", describe_value(kv.first)));
                ok = false;
                continue;
            }
            ok &= plain_keys(p, kv.second, path.empty() ? kv.first.Scalar() : path + "." + kv.first.Scalar());
        }
    } else if (n.IsSequence()) {
        for (std::size_t i = 0; i < n.size(); ++i) ok &= plain_keys(p, n[i], fmt::format("{}[{}]", path, i));
    }
    return ok;
}

// `extends: FILE` (docs/scenario-format.md §Extending a scenario): the base's maps are merged key
// by key with this file's (this file wins; new keys come after the base's, so countries keep the
// base's order), lists are replaced, except the top-level `events`, which are the base's followed
// by this file's.
// Nodes are shared, not cloned, so that every value keeps its line and column.
YAML::Node merge_scenario_nodes(YAML::Node base, const YAML::Node& over, bool top) {
    if (!base.IsMap() || !over.IsMap()) return over;
    for (const auto& kv : over) {
        const std::string key = kv.first.as<std::string>();
        if (top && key == "extends") continue;
        // A const look-up: the non-const operator[] would insert an undefined pair for a missing key.
        if (!static_cast<const YAML::Node&>(base)[key]) {
            base.force_insert(kv.first, kv.second);  // the key node itself, with its position
            continue;
        }
        YAML::Node mine = base[key];
        if (top && key == "events" && mine.IsSequence() && kv.second.IsSequence()) {
            for (const auto& e : kv.second) mine.push_back(e);
        } else {
            base[key] = merge_scenario_nodes(mine, kv.second, false);
        }
    }
    return base;
}

Scenario load_text(const std::string& text, const std::string& name, int depth = 0);

// A base's `policy:` paths are written relative to the base file: once merged they would be
// looked up beside the extending file. Those found only beside the base are rewritten to that path.
void anchor_policy_paths(YAML::Node& base, const std::filesystem::path& base_file) {
    namespace fs = std::filesystem;
    if (!base.IsMap() || !base["countries"] || !base["countries"].IsMap()) return;
    std::error_code ec;
    for (auto kv : base["countries"]) {
        if (!kv.second.IsMap() || !kv.second["policy"] || !kv.second["policy"].IsScalar()) continue;
        const std::string policy = kv.second["policy"].Scalar();
        if (policy == "autopilot" || !fs::path(policy).is_relative() || fs::is_regular_file(policy, ec)) continue;
        const fs::path beside = base_file.parent_path() / policy;
        if (fs::is_regular_file(beside, ec)) kv.second["policy"] = beside.lexically_normal().string();
    }
}

// A country whose `policy:` the extending file `name` changes does not inherit the base's
// `policy_params`: they were written for the base's policy, whose declaration the new one need not
// share (docs/scenario-format.md §Extending a scenario). The extending file's own, if any, are the
// new policy's, not merged with the old ones.
void drop_params_of_replaced_policies(YAML::Node& base, const std::string& base_name, const YAML::Node& over,
                                      const std::string& name) {
    namespace fs = std::filesystem;
    // Const look-ups only: the non-const operator[] would insert undefined pairs.
    const YAML::Node& old_root = base;
    if (!old_root.IsMap() || !over.IsMap() || !over["countries"] || !over["countries"].IsMap() ||
        !old_root["countries"] || !old_root["countries"].IsMap())
        return;
    const YAML::Node old_countries = old_root["countries"];
    for (const auto& kv : over["countries"]) {
        if (!kv.first.IsScalar() || !kv.second.IsMap()) continue;
        const YAML::Node& now = kv.second;
        if (!now["policy"] || !now["policy"].IsScalar()) continue;
        const YAML::Node was = old_countries[kv.first.Scalar()];
        if (!was || !was.IsMap() || !was["policy_params"]) continue;
        const std::string before = was["policy"] && was["policy"].IsScalar() ? was["policy"].Scalar() : "autopilot";
        const std::string after = now["policy"].Scalar();
        bool same = before == after;
        if (!same) {
            const auto a = resolve_policy_path(before, base_name), b = resolve_policy_path(after, name);
            std::error_code ec;
            same = a && b && fs::equivalent(*a, *b, ec);
        }
        // Null, not removed: the merge then takes this file's own parameters whole (a map merges
        // onto a null by replacing it), and none reads as none.
        if (!same) {
            YAML::Node params = was["policy_params"];
            params = YAML::Node(YAML::NodeType::Null);
        }
    }
}

// Where the file named by `extends: want` in the scenario `name` is: beside that file, else from
// the working directory, else in the data folders; nothing when it is in none of them.
std::optional<std::filesystem::path> find_base(const std::string& want, const std::string& name) {
    namespace fs = std::filesystem;
    std::vector<fs::path> candidates;
    if (fs::path(want).is_relative()) {
        candidates.push_back(fs::path(name).parent_path() / want);
        candidates.push_back(fs::path(want));
        for (const auto& dir : data_dirs()) candidates.push_back(fs::path(dir) / want);
    } else {
        candidates.push_back(fs::path(want));
    }
    std::error_code ec;
    for (const auto& c : candidates)
        if (fs::exists(c, ec)) return c;
    return std::nullopt;
}

// A key given twice in one map of a file, wherever it stands. The readers report these for a file
// read as it is; a file that extends another is merged onto its base first, and the merge would
// keep one of the two values without a word.
bool report_duplicate_keys(Problems& p, const YAML::Node& n, const std::string& path) {
    bool clean = true;
    if (n.IsMap()) {
        std::map<std::string, int> first_line;
        for (auto it = n.begin(); it != n.end(); ++it) {
            const YAML::Node key = it->first;
            if (!key.IsScalar()) continue;  // the readers report it
            const std::string here = path.empty() ? key.Scalar() : path + "." + key.Scalar();
            if (auto [seen, fresh] = first_line.emplace(key.Scalar(), key.Mark().line + 1); !fresh) {
                p.add(key.Mark(), here, fmt::format("duplicate key (first given on line {})", seen->second));
                clean = false;
            }
            clean = report_duplicate_keys(p, it->second, here) && clean;
        }
    } else if (n.IsSequence()) {
        for (std::size_t i = 0; i < n.size(); ++i)
            clean = report_duplicate_keys(p, n[i], fmt::format("{}[{}]", path, i)) && clean;
    }
    return clean;
}

// A scalar node's value as a whole number, if it is one.
std::optional<long long> whole_number(const YAML::Node& n) {
    if (!n || !n.IsScalar()) return std::nullopt;
    try {
        const double v = n.as<double>();
        if (v != std::floor(v) || std::abs(v) > 1e9) return std::nullopt;
        return static_cast<long long>(v);
    } catch (const YAML::Exception&) {
        return std::nullopt;
    }
}

// An extending file that changes `scenario.turn_months` keeps the base's calendar
// (docs/scenario-format.md §Extending a scenario): the base's game length, unless this file gives
// `scenario.turns`, becomes the same months in the new turns (rounded up), and the base's events
// given by `turn:` fall in the turn holding the same month (as a `date:` does). Without this a
// monthly variant of a quarterly base silently played a third of its calendar and dropped the
// events after it.
void keep_base_calendar(YAML::Node& base, const YAML::Node& over) {
    const YAML::Node& b = base;
    const YAML::Node& o = over;
    if (!b.IsMap() || !o.IsMap() || !o["scenario"] || !o["scenario"].IsMap()) return;
    const auto now = whole_number(o["scenario"]["turn_months"]);
    if (!now || *now < 1 || *now > 12 || 12 % *now != 0) return;  // absent or invalid: reported later
    long long was = 3;
    if (b["scenario"] && b["scenario"].IsMap() && b["scenario"]["turn_months"]) {
        const auto w = whole_number(b["scenario"]["turn_months"]);
        if (!w || *w < 1 || *w > 12 || 12 % *w != 0) return;  // the base's own problem
        was = *w;
    }
    if (was == *now) return;
    if (!o["scenario"]["turns"] && b["scenario"] && b["scenario"].IsMap()) {
        if (const auto turns = whole_number(b["scenario"]["turns"]); turns && *turns >= 1) {
            YAML::Node t = base["scenario"]["turns"];
            t = std::to_string((*turns * was + *now - 1) / *now);
        }
    }
    if (b["events"] && b["events"].IsSequence())
        for (std::size_t i = 0; i < b["events"].size(); ++i) {
            const YAML::Node& e = b["events"][i];
            if (!e.IsMap()) continue;
            if (const auto turn = whole_number(e["turn"]); turn && *turn >= 0) {
                YAML::Node t = base["events"][i]["turn"];
                t = std::to_string(*turn * was / *now);
            }
        }
}

// Reads the file named by `extends`, relative to the extending file (then the working directory,
// then the data folders), validates it on its own, and merges `root` onto it.
bool apply_extends(Problems& p, YAML::Node& root, const std::string& name, int depth, size_t& inherited_events) {
    if (!root.IsMap() || !root["extends"]) return true;
    // Reported, and the merge goes on (it keeps one of the values), so that the file's other
    // mistakes are found in the same pass.
    report_duplicate_keys(p, root, "");
    const YAML::Node ext = root["extends"];
    if (!ext.IsScalar()) {
        p.add(ext.Mark(), "extends", "expected the path of a scenario file");
        return false;
    }
    if (depth >= 8) {
        p.add(ext.Mark(), "extends", "scenarios extend each other more than 8 deep (a cycle?)");
        return false;
    }
    namespace fs = std::filesystem;
    const std::string want = ext.as<std::string>();
    if (const std::optional<fs::path> found = find_base(want, name)) {
        const fs::path& c = *found;
        std::string error;
        auto base_text = read_text_file(c.string(), kMaxScenarioBytes, error);
        if (!base_text) {
            p.add(ext.Mark(), "extends", fmt::format("{}: {}", want, error));
            return false;
        }
        const std::string base_name = c.lexically_normal().string();
        // The base must stand on its own: its problems are reported against its own file.
        load_text(*base_text, base_name, depth + 1);
        YAML::Node base = YAML::Load(*base_text);
        anchor_policy_paths(base, c);
        size_t base_inherited = 0;
        apply_extends(p, base, base_name, depth + 1, base_inherited);
        inherited_events = base["events"] && base["events"].IsSequence() ? base["events"].size() : 0;
        if (!plain_keys(p, root, "")) return false;
        drop_params_of_replaced_policies(base, base_name, root, name);
        keep_base_calendar(base, root);
        root = merge_scenario_nodes(base, root, true);
        return true;
    }
    p.add(ext.Mark(), "extends", fmt::format("cannot find the scenario file \"{}\"", want));
    return false;
}

// YAML indents with spaces only; a tab in a line's indentation makes yaml-cpp report a structural
// error ("end of map not found") somewhere else. The first such line, named with its key, if any.
void report_tab_indentation(Problems& p, const std::string& text) {
    int line = 0;
    for (size_t at = 0; at < text.size(); ++line) {
        const size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view row(text.data() + at, end - at);
        const size_t lead = row.find_first_not_of(" \t");
        const std::string_view indent = row.substr(0, lead == std::string_view::npos ? row.size() : lead);
        if (const size_t tab = indent.find('\t'); tab != std::string_view::npos && lead != std::string_view::npos &&
                                                   row[lead] != '#') {
            std::string_view key = row.substr(lead);
            key = key.substr(0, std::min({key.find(':'), key.size(), size_t{60}}));
            YAML::Mark m;
            m.line = line;
            m.column = static_cast<int>(tab);
            p.add(m, "yaml syntax error",
                  fmt::format("a tab in the indentation of `{}` (YAML indents with spaces only)", utf8_text(std::string(key))));
            return;
        }
        at = end + 1;
    }
}

Scenario load_text(const std::string& text, const std::string& name, int depth) {
    Problems p(name);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp says only "bad file" here.
        p.add(e.mark, "yaml syntax error",
              fmt::format("nested more than {} levels deep ([ or {{ inside one another): no scenario needs that",
                          e.depth()));
        throw ScenarioError(p.take_sorted());
    } catch (const YAML::ParserException& e) {
        p.add(e.mark, "yaml syntax error", e.msg);
        report_tab_indentation(p, text);
        throw ScenarioError(p.take_sorted());
    } catch (const YAML::Exception& e) {
        p.add(e.mark, "yaml error", e.msg);
        throw ScenarioError(p.take_sorted());
    }
    if (!within_expansion_limit(p, root)) throw ScenarioError(p.take_sorted());
    size_t inherited_events = 0;
    if (!apply_extends(p, root, name, depth, inherited_events)) throw ScenarioError(p.take_sorted());

    auto defs = std::make_shared<Definitions>();
    State state;
    std::vector<ScheduledEvent> events;
    LoadContext ctx{p, *defs, state, events, name};
    ctx.inherited_events = inherited_events;
    try {
        MapReader top(p, Field{true, root, root.Mark(), "", ""},
                      {"scenario", "goods", "sectors", "market", "investment", "leverage", "licensing",
                       "negotiation", "random_shocks", "countries", "events", "extends"});
        if (top.ok()) {
            read_scenario_section(ctx, top);
            scale_defaults_to_turn_length(*defs);
            read_goods(ctx, top);
            read_sectors(ctx, top);
            read_market(ctx, top);
            read_investment(ctx, top);
            read_leverage(ctx, top);
            read_licensing(ctx, top);
            read_negotiation(ctx, top);
            read_random_shocks(ctx, top);
            read_countries(ctx, top.field("countries"));
            read_events(ctx, top.field("events"));
        }
    } catch (const YAML::Exception& e) {
        // The readers check types before converting, so this is a loader bug;
        // still report it in the usual shape rather than crash the tool.
        p.add(e.mark, "internal error", e.what());
    }
    if (!p.empty()) throw ScenarioError(p.take_sorted());

    init_derived_state(*defs, state);
    std::stable_sort(events.begin(), events.end(),
                     [](const ScheduledEvent& a, const ScheduledEvent& b) { return a.turn < b.turn; });
    Scenario out;
    out.path = name;
    out.defs = std::move(defs);
    out.initial = std::move(state);
    out.events = std::move(events);
    return out;
}

}  // namespace

}  // namespace scenario_yaml

Scenario load_scenario_text(const std::string& text, const std::string& name) {
    return scenario_yaml::load_text(text, name);
}

std::vector<ScenarioFile> extended_files(const std::string& text, const std::string& name) {
    std::vector<ScenarioFile> out;
    std::string current = text, current_name = name;
    for (int depth = 0; depth < 8; ++depth) {  // as deep as the loader goes
        YAML::Node root;
        try {
            root = YAML::Load(current);
        } catch (const YAML::Exception&) {
            break;
        }
        if (!root.IsMap() || !root["extends"] || !root["extends"].IsScalar()) break;
        const auto base = scenario_yaml::find_base(root["extends"].Scalar(), current_name);
        if (!base) break;
        std::string error;
        auto base_text = read_text_file(base->string(), kMaxScenarioBytes, error);
        if (!base_text) break;
        out.push_back({base->lexically_normal().string(), *base_text});
        current = std::move(*base_text);
        current_name = out.back().path;
    }
    return out;
}

Scenario load_scenario(const std::string& path) {
    scenario_yaml::Problems p(path);
    std::string error;
    auto text = read_text_file(path, kMaxScenarioBytes, error);
    if (!text) {
        p.add_unplaced(fmt::format("cannot read scenario file: {}", error.substr(error.find(": ") + 2)));
        throw ScenarioError(p.take_sorted());
    }
    return scenario_yaml::load_text(*text, path);
}

Scenario with_overrides(Scenario sc, const ScenarioOverrides& o) {
    if (!o.turns && !o.seed) return sc;
    auto defs = std::make_shared<Definitions>(*sc.defs);
    if (o.turns) defs->turns = *o.turns;
    if (o.seed) {
        defs->seed = *o.seed;
        seed_rng(sc.initial.rng_state, *o.seed);
    }
    sc.defs = std::move(defs);
    return sc;
}

}  // namespace chokepoint
