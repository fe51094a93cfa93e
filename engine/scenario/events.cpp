// The `events:` section: scripted injects, checked per type and converted to
// ScheduledEvent (see the EventKind comments in engine/world/scenario.hpp for
// which field carries what).
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "engine/scenario/sections.hpp"

namespace chokepoint::scenario_yaml {

namespace {

struct EventSpec {
    const char* type;
    EventKind kind;
    std::vector<std::string> keys;  // besides turn/date, type and text
};

const std::vector<EventSpec>& event_specs() {
    static const std::vector<EventSpec> specs = {
        {"news", EventKind::News, {}},
        {"regime", EventKind::Regime, {"country", "good", "target", "regime"}},
        {"export_quota", EventKind::ExportQuota, {"country", "good", "tonnes_per_year", "lift"}},
        {"production_quota", EventKind::ProductionQuota, {"country", "good", "tonnes_per_year", "lift"}},
        {"export_duty", EventKind::ExportDuty, {"country", "good", "target", "rate"}},
        {"capacity", EventKind::Capacity, {"country", "good", "factor", "turns", "months"}},
        {"demand", EventKind::Demand, {"country", "sector", "factor"}},
        {"reserves", EventKind::Reserves, {"country", "good", "tonnes"}},
        {"project", EventKind::Project, {"country", "good", "tonnes_per_year", "turns", "months", "owner", "share"}},
        {"trust", EventKind::Trust, {"country", "target", "delta"}},
        {"stockpile", EventKind::Stockpile, {"country", "good", "tonnes"}},
        {"price_floor", EventKind::PriceFloor, {"country", "good", "usd_per_kg"}},
        {"approval_policy", EventKind::ApprovalPolicy,
         {"country", "good", "target", "mode", "share", "review_days", "deny_defense", "civilian_only",
          "validity_turns", "validity_months"}},
        {"tariff", EventKind::Tariff, {"country", "good", "target", "rate"}},
        {"general_license", EventKind::GeneralLicense,
         {"country", "good", "target", "tonnes_per_turn", "validity_turns", "validity_months",
          "civilian_only"}},
        {"agreement", EventKind::Agreement, {"country", "target", "turns", "months", "clauses"}},
        {"licensing_rules", EventKind::LicensingRules, {"content_rule", "content_threshold", "reexport_control"}},
    };
    return specs;
}

class EventReader {
public:
    EventReader(LoadContext& ctx, const MapReader& r) : ctx_(ctx), r_(r) {}

    // A required country id; "all" (→ kNoCountry) only where the event type allows it.
    std::optional<CountryId> country(std::string_view key, bool all_ok, bool required = true) const {
        Field f = r_.field(key);
        if (!f.present) {
            if (required) r_.missing(key);
            return std::nullopt;
        }
        if (!all_ok && f.node.IsScalar() && f.node.Scalar() == "all") {
            ctx_.problems.add(f.mark(), f.path, "\"all\" is not allowed here; name one country");
            return std::nullopt;
        }
        if (auto k = ctx_.resolve_value(IdKind::Country, f, all_ok)) return CountryId{*k};  // -1: all
        return std::nullopt;
    }

    // One id, or a list of ids (each checked), or "all" (-1) where allowed. Empty when invalid.
    std::vector<int> ids(std::string_view key, IdKind kind, bool all_ok) const {
        Field f = r_.field(key);
        std::vector<int> out;
        if (!f.present) {
            r_.missing(key);
            return out;
        }
        if (!f.node.IsSequence()) {
            if (auto v = ctx_.resolve_value(kind, f, all_ok)) out.push_back(*v);
            return out;
        }
        auto items = as_list(ctx_.problems, f, false);
        if (!items) return out;
        if (items->empty()) ctx_.problems.add(f.mark(), f.path, "the list is empty");
        bool bad = false;
        for (const auto& item : *items) {
            auto v = ctx_.resolve_value(kind, item, false);
            if (v) out.push_back(*v);
            else bad = true;
        }
        if (bad) out.clear();
        return out;
    }

    std::optional<GoodId> good(std::string_view key) const {
        if (auto v = id(key, IdKind::Good)) return GoodId{*v};
        return std::nullopt;
    }

    std::optional<int> id(std::string_view key, IdKind kind) const {
        Field f = r_.field(key);
        if (!f.present) {
            r_.missing(key);
            return std::nullopt;
        }
        return ctx_.resolve_value(kind, f);
    }

    std::optional<double> number(std::string_view key, const NumberRule& rule) const {
        return r_.number(key, rule, true);
    }

    // `tonnes_per_year: N` sets a quota, `lift: true` removes it (value -1).
    std::optional<double> quota() const {
        Field t = r_.field("tonnes_per_year"), l = r_.field("lift");
        if (t.present && l.present) {
            ctx_.problems.add(l.key_mark, l.path, "give either tonnes_per_year or lift, not both");
            return std::nullopt;
        }
        if (l.present) {
            auto lift = as_bool(ctx_.problems, l);
            if (lift && !*lift)
                ctx_.problems.add(l.mark(), l.path, "lift: false does nothing; give tonnes_per_year to set a quota");
            if (!lift || !*lift) return std::nullopt;
            return -1.0;
        }
        if (!t.present) {
            ctx_.problems.add(r_.self().mark(), t.path, "required key missing (or lift: true)");
            return std::nullopt;
        }
        return as_number(ctx_.problems, t, NumberRule::at_least(0));
    }

private:
    LoadContext& ctx_;
    const MapReader& r_;
};

// The turn an event fires: `turn:` as given, or `date:` counted in whole
// turns from the start (a date inside a turn fires at that turn's start).
std::optional<int> event_turn(LoadContext& ctx, const MapReader& r) {
    Problems& p = ctx.problems;
    const Definitions& d = ctx.defs;
    Field tf = r.field("turn"), df = r.field("date");
    if (tf.present && df.present) {
        p.add(df.key_mark, df.path, "give either turn or date, not both");
        return std::nullopt;
    }
    if (tf.present) {
        NumberRule rule = ctx.turns_ok ? NumberRule{.lo = 0, .hi = static_cast<double>(d.turns), .hi_open = true}
                                       : NumberRule::at_least(0);
        if (ctx.reading_inherited && ctx.turns_ok) {
            auto any = as_integer(p, tf, NumberRule::at_least(0));
            if (any && *any >= d.turns) {
                ctx.drop_event = true;  // from the base scenario; never fires in this shorter game
                return std::nullopt;
            }
        }
        auto v = as_integer(p, tf, rule);
        if (!v) return std::nullopt;
        return static_cast<int>(*v);
    }
    if (df.present) {
        auto m = as_month(p, df);
        if (!m || !ctx.start_ok || !ctx.turn_months_ok) return std::nullopt;
        int months = (m->first - d.start_year) * 12 + (m->second - d.start_month);
        if (months < 0) {
            p.add(df.mark(), df.path,
                  fmt::format("date {} is before the scenario start {}", df.node.Scalar(), d.date_of_turn(0)));
            return std::nullopt;
        }
        int turn = months / d.turn_months;
        if (ctx.turns_ok && turn >= d.turns && ctx.reading_inherited) {
            ctx.drop_event = true;  // from the base scenario; never fires in this shorter game
            return std::nullopt;
        }
        if (ctx.turns_ok && turn >= d.turns) {
            p.add(df.mark(), df.path,
                  fmt::format("date {} is after the last turn (turn {} starts {})", df.node.Scalar(), d.turns - 1,
                              d.date_of_turn(d.turns - 1)));
            return std::nullopt;
        }
        return turn;
    }
    p.add(r.self().mark(), join_path(r.path(), "turn"), "required key missing (give turn or date)");
    return std::nullopt;
}

// The clauses of a scripted agreement, in the same words and units as a Lua policy's
// (docs/lua-api.md §Clauses): prices in USD/kg, money in USD millions; `from` defaults to the
// event's country and `to` to its target.
void read_clauses(LoadContext& ctx, const Field& f, ScheduledEvent& ev) {
    Problems& p = ctx.problems;
    if (!f.present) {
        p.add(f.key_mark, f.path, "required key missing (a list of clauses)");
        return;
    }
    auto items = as_list(p, f, false);
    if (!items) return;
    if (items->empty() || items->size() > 12) {
        p.add(f.mark(), f.path, fmt::format("expected 1 to 12 clauses, got {}", items->size()));
        return;
    }
    static const std::vector<std::string> kTypes = {"supply",         "license", "regime",  "investment",
                                                    "stockpile_loan", "payment", "tariff",  "end_use"};
    for (const Field& item : *items) {
        MapReader c(p, item,
                    {"type", "from", "to", "good", "tonnes", "price", "usd", "per_turn", "share", "capex_share",
                     "regime", "rate", "civilian_only", "max_delay", "turns"},
                    true);
        if (!c.ok()) continue;
        auto type = c.word("type", kTypes, true);
        if (!type) continue;
        Clause cl;
        cl.kind = static_cast<ClauseKind>(clause_kind_from_string(*type));
        cl.from = ev.country;
        cl.to = ev.target;
        if (Field ff = c.field("from"); ff.present)
            if (auto v = ctx.resolve_value(IdKind::Country, ff)) cl.from = CountryId{*v};
        if (Field tf = c.field("to"); tf.present)
            if (auto v = ctx.resolve_value(IdKind::Country, tf)) cl.to = CountryId{*v};
        const bool needs_good = cl.kind != ClauseKind::Payment;
        if (Field gf = c.field("good"); gf.present) {
            // "all" (-1, tariff changes only) leaves the clause on every good.
            if (auto v = ctx.resolve_value(IdKind::Good, gf, cl.kind == ClauseKind::TariffChange); v && *v >= 0)
                cl.good = GoodId{*v};
        } else if (needs_good && cl.kind != ClauseKind::TariffChange) {
            c.missing("good");
        }
        const bool tonnes_needed = cl.kind == ClauseKind::Supply || cl.kind == ClauseKind::LicenseFacilitation ||
                                   cl.kind == ClauseKind::Investment || cl.kind == ClauseKind::StockpileLoan;
        if (auto v = c.number("tonnes", NumberRule::above(0), tonnes_needed)) cl.tonnes = *v;
        if (auto v = c.number("price", NumberRule::above(0), cl.kind == ClauseKind::Supply)) cl.price = *v * 1000.0;
        if (auto v = c.number("usd", NumberRule::above(0), cl.kind == ClauseKind::Payment)) cl.usd = *v * 1e6;
        if (auto v = c.boolean("per_turn")) cl.per_turn = *v;
        if (auto v = c.number("share", NumberRule::between(0, 1), cl.kind == ClauseKind::Investment)) cl.share = *v;
        if (auto v = c.number("capex_share", NumberRule::between(0, 1))) cl.capex_share = *v;
        if (auto v = c.word("regime", {"open", "licensed"}, cl.kind == ClauseKind::RegimeChange))
            cl.regime = *v == "open" ? Regime::Open : Regime::Licensed;
        if (auto v = c.number("rate", NumberRule::between(0, 10), cl.kind == ClauseKind::TariffChange)) cl.rate = *v;
        if (auto v = c.boolean("civilian_only")) cl.civilian_only = *v;
        if (auto v = c.integer("max_delay", NumberRule::between(0, 8))) cl.max_delay = *v;
        if (auto v = c.integer("turns", NumberRule::between(1, 400))) cl.turns = *v;
        ev.clauses.push_back(cl);
    }
}

// Sets `out` to the value read, if one was.
template <class T, class V>
void set(T& out, const V& v) {
    if (v) out = *v;
}

std::vector<std::string> event_type_names() {
    std::vector<std::string> names;
    for (const auto& s : event_specs()) names.push_back(s.type);
    return names;
}

// The spec of the item's event type (nullptr when the type is missing or unknown).
const EventSpec* event_spec_of(const Field& item) {
    const YAML::Node type_node = std::as_const(item.node)["type"];
    if (type_node.IsDefined() && type_node.IsScalar())
        for (const auto& s : event_specs())
            if (type_node.Scalar() == s.type) return &s;
    return nullptr;
}

// The keys an event of this type may have. For an unknown type every event key is accepted, so
// the one real mistake (the type) is not buried under "unknown key" noise.
std::vector<std::string> event_keys(const EventSpec* spec) {
    std::vector<std::string> allowed = {"turn", "date", "type", "text"};
    if (spec) {
        allowed.insert(allowed.end(), spec->keys.begin(), spec->keys.end());
    } else {
        for (const auto& s : event_specs())
            for (const auto& k : s.keys)
                if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) allowed.push_back(k);
    }
    return allowed;
}

// A problem with an event's `target`, reported at it.
void target_problem(Problems& p, const MapReader& r, const char* why) {
    Field f = r.field("target");
    p.add(f.mark(), f.path, why);
}

// Reserves found (or written off): a mined good only.
void read_reserves(LoadContext& ctx, const MapReader& r, const EventReader& e, ScheduledEvent& ev) {
    set(ev.country, e.country("country", false));
    auto good = e.good("good");
    set(ev.good, good);
    set(ev.value, e.number("tonnes", NumberRule::at_least(0)));
    if (good && ctx.good_process_ok[good->index()] && ctx.defs.goods[*good].process != Process::Mining) {
        Field f = r.field("good");
        ctx.problems.add(f.mark(), f.path,
                         fmt::format("reserves are for mined goods only ({} is made by {})", f.node.Scalar(),
                                     to_string(ctx.defs.goods[*good].process)));
    }
}

// Whether the event's map has a key not in `common` (its own keys, or unknown ones).
bool has_key_besides(const MapReader& r, std::initializer_list<std::string_view> common) {
    const YAML::Node& node = r.self().node;
    if (!node.IsMap()) return false;
    for (const auto& kv : node) {
        if (!kv.first.IsScalar()) return true;
        const std::string& key = kv.first.Scalar();
        if (std::find(common.begin(), common.end(), key) == common.end()) return true;
    }
    return false;
}

// The fields of an event of a kind that is one event (every kind but the three listed ones).
void read_event_fields(LoadContext& ctx, const MapReader& r, const EventReader& e, ScheduledEvent& ev) {
    Problems& p = ctx.problems;
    switch (ev.kind) {
        case EventKind::News:
            break;
        case EventKind::ExportQuota:
        case EventKind::ProductionQuota:
            set(ev.country, e.country("country", false));
            set(ev.good, e.good("good"));
            set(ev.value, e.quota());
            break;
        case EventKind::Capacity:
            set(ev.country, e.country("country", false));
            set(ev.good, e.good("good"));
            set(ev.factor, e.number("factor", NumberRule::at_least(0)));
            read_span(ctx, r, "", NumberRule::at_least(0), ev.turns, true);
            break;
        case EventKind::Demand:
            set(ev.country, e.country("country", true));
            if (auto k = e.id("sector", IdKind::Sector)) ev.sector = SectorId{*k};
            set(ev.factor, e.number("factor", NumberRule::above(0)));
            break;
        case EventKind::Reserves: read_reserves(ctx, r, e, ev); break;
        case EventKind::Project:
            set(ev.country, e.country("country", false));
            set(ev.good, e.good("good"));
            set(ev.value, e.number("tonnes_per_year", NumberRule::above(0)));
            read_span(ctx, r, "", NumberRule::at_least(1), ev.turns, true);
            set(ev.target, e.country("owner", false, false));
            // The financier's share of output (0 when the host builds for itself).
            ev.factor = 0.0;
            if (r.has("share")) set(ev.factor, r.number("share", NumberRule::between(0, 1)));
            break;
        case EventKind::Trust:
            set(ev.country, e.country("country", false));
            set(ev.target, e.country("target", false));
            set(ev.value, e.number("delta", NumberRule::between(-1, 1)));
            if (ev.target != kNoCountry && ev.target == ev.country)
                target_problem(p, r, "a country's trust in itself is always 1");
            break;
        case EventKind::Stockpile:
            set(ev.country, e.country("country", false));
            set(ev.good, e.good("good"));
            set(ev.value, e.number("tonnes", NumberRule::any()));
            break;
        case EventKind::Agreement:
            set(ev.country, e.country("country", false));
            set(ev.target, e.country("target", false));
            if (ev.country != kNoCountry && ev.country == ev.target)
                target_problem(p, r, "an agreement needs two different countries");
            ev.turns = std::min(ctx.defs.turns_for_quarters(4), ctx.defs.negotiation.max_duration_turns);  // a year
            read_span(ctx, r, "", NumberRule::between(1, ctx.defs.negotiation.max_duration_turns), ev.turns);
            read_clauses(ctx, r.field("clauses"), ev);
            break;
        case EventKind::LicensingRules: {
            // The origin rules from this turn on; a key left out keeps the rule in force.
            ev.rules.content_rule = r.boolean("content_rule");
            ev.rules.reexport_control = r.boolean("reexport_control");
            if (r.has("content_threshold"))
                ev.rules.content_threshold = r.number("content_threshold", NumberRule::between(0, 1));
            // Said only when the event has no other key: a misspelt one is reported as unknown.
            if (!r.has("content_rule") && !r.has("reexport_control") && !r.has("content_threshold") &&
                !has_key_besides(r, {"turn", "date", "type", "text"}))
                p.add(r.self().mark(), r.path(),
                      "a licensing_rules event changes something: give content_rule, content_threshold or "
                      "reexport_control");
            break;
        }
        case EventKind::Regime:
        case EventKind::ExportDuty:
        case EventKind::ApprovalPolicy:
        case EventKind::Tariff:
        case EventKind::GeneralLicense:
        case EventKind::PriceFloor:
            break;  // read_listed_events
    }
}

// Regimes, export duties, approval policies, tariffs and general licences: good and target may
// list several, one event each; price floors: good may list several (one floor for each, the same
// USD/kg).
void read_listed_events(LoadContext& ctx, const MapReader& r, const EventReader& e, ScheduledEvent ev) {
    Problems& p = ctx.problems;
    set(ev.country, e.country("country", false));
    std::vector<int> goods = e.ids("good", IdKind::Good, false);
    std::vector<int> targets = {-1};  // a price floor has no target
    if (ev.kind == EventKind::PriceFloor) {
        // as ctx:set_price_floor: 0..1e6 USD/kg, kept in USD/t
        if (auto v = e.number("usd_per_kg", NumberRule::between(0, 1e6))) ev.value = *v * 1000.0;
        if (ctx.drop_event) return;
        bool first = true;
        for (int g : goods) {
            ScheduledEvent one = ev;
            one.good = GoodId{g};
            if (!first) one.text.clear();
            first = false;
            ctx.events.push_back(std::move(one));
        }
        return;
    }
    targets = e.ids("target", IdKind::Country, ev.kind != EventKind::GeneralLicense);
    for (int t : targets)
        if (t >= 0 && CountryId{t} == ev.country) {
            Field f = r.field("target");
            p.add(f.mark(), f.path,
                  ev.kind == EventKind::Tariff ? "a country does not import from itself"
                                               : "a country does not export to itself");
            break;
        }
    ApprovalPolicy& a = ev.approval;
    if (ev.kind == EventKind::Regime) {
        if (auto w = r.word("regime", {"open", "licensed", "embargo"}, true)) ev.regime = *regime_from_string(*w);
    } else if (ev.kind == EventKind::ExportDuty) {
        set(ev.value, e.number("rate", NumberRule::between(0, 10)));  // as set_export_duty: 0..1000 %
    } else if (ev.kind == EventKind::ApprovalPolicy) {
        if (auto m = r.word("mode", {"scripted", "policy"})) a.scripted = *m == "scripted";
        set(a.share, r.number("share", NumberRule::between(0, 1), a.scripted));
        set(a.review_days, r.number("review_days", NumberRule::between(0, 3650)));
        set(a.deny_defense, r.boolean("deny_defense"));
        set(a.civilian_only, r.boolean("civilian_only"));
        a.validity_turns = ctx.defs.turns_for_quarters(ApprovalPolicy{}.validity_turns);  // a year
        read_span(ctx, r, "validity", NumberRule::between(1, 400), a.validity_turns);
    } else if (ev.kind == EventKind::Tariff) {
        set(ev.value, e.number("rate", NumberRule::between(0, 10)));
    } else {
        set(ev.value, e.number("tonnes_per_turn", NumberRule::above(0)));
        ev.turns = ctx.defs.turns_for_quarters(4);  // a year
        read_span(ctx, r, "validity", NumberRule::between(1, 400), ev.turns);
        set(a.civilian_only, r.boolean("civilian_only"));
    }
    if (ctx.drop_event) return;
    // The author's text goes with the first; the others say what they did (no repeated lines).
    bool first = true;
    for (int g : goods)
        for (int t : targets) {
            ScheduledEvent one = ev;
            one.good = GoodId{g};
            one.target = CountryId{t};  // -1 (all): kNoCountry
            if (!first) one.text.clear();
            first = false;
            ctx.events.push_back(std::move(one));
        }
}

void read_event(LoadContext& ctx, const Field& item) {
    Problems& p = ctx.problems;
    if (!item.node.IsMap()) {
        as_entries(p, item, false);  // reports "expected a map"
        return;
    }
    // The type decides which keys are allowed, so look at it first.
    const EventSpec* spec = event_spec_of(item);
    MapReader r(p, item, event_keys(spec), true);
    if (!r.ok()) return;
    Field tf = r.field("type");
    if (!tf.present) {
        r.missing("type");
    } else if (!spec) {
        if (tf.node.IsScalar() && !tf.node.Scalar().empty())
            p.add(tf.mark(), tf.path, unknown_id("event type", "types", tf.node.Scalar(), event_type_names()));
        else
            as_word(p, tf, event_type_names());
    }
    auto turn = event_turn(ctx, r);
    if (!spec) return;

    ScheduledEvent ev;
    ev.kind = spec->kind;
    ev.turn = turn.value_or(0);
    if (auto t = r.string("text", ev.kind == EventKind::News)) ev.text = trim_trailing_space(*t);

    EventReader e(ctx, r);
    if (ev.kind == EventKind::Regime || ev.kind == EventKind::ExportDuty || ev.kind == EventKind::ApprovalPolicy ||
        ev.kind == EventKind::Tariff || ev.kind == EventKind::GeneralLicense || ev.kind == EventKind::PriceFloor) {
        read_listed_events(ctx, r, e, std::move(ev));
        return;
    }
    read_event_fields(ctx, r, e, ev);
    if (ctx.drop_event) return;
    ctx.events.push_back(std::move(ev));
}

}  // namespace

void read_events(LoadContext& ctx, const Field& section) {
    auto items = as_list(ctx.problems, section);
    if (!items) return;
    if (items->size() > kMaxEvents) {
        ctx.problems.add(section.mark(), section.path,
                         fmt::format("at most {} events, got {}", kMaxEvents, items->size()));
        return;
    }
    for (size_t i = 0; i < items->size(); ++i) {
        ctx.reading_inherited = i < ctx.inherited_events;
        ctx.drop_event = false;
        // A file that extends another numbers its own events from 0, as it lists them (and as a
        // sweep's `events.N` override names them), not after the base's.
        if (!ctx.reading_inherited && ctx.inherited_events > 0)
            (*items)[i].path = fmt::format("{}[{}]", section.path, i - ctx.inherited_events);
        read_event(ctx, (*items)[i]);
    }
    ctx.reading_inherited = ctx.drop_event = false;
}

}  // namespace chokepoint::scenario_yaml
