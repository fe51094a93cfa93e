#include "app/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "engine/game/game.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/scenario/yaml_reader.hpp"
#include "engine/world/files.hpp"

namespace chokepoint {

namespace fs = std::filesystem;
using namespace scenario_yaml;

namespace {

constexpr std::size_t kMaxSweepBytes = 1 << 20;
constexpr std::size_t kMaxSeeds = 10000;

std::string where(const Problems& p, const YAML::Mark& m) {
    return fmt::format("{}:{}:{}", p.file(), m.line + 1, m.column + 1);
}

// Key paths: dotted words of the scenario format, or list indices.
bool valid_path(const std::string& path) {
    if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos) return false;
    return std::all_of(path.begin(), path.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    });
}

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
        out.push_back(path.substr(start, dot - start));
        start = dot + 1;
    }
    out.push_back(path.substr(start));
    return out;
}

std::optional<std::size_t> list_index(const std::string& key) {
    std::size_t i = 0;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), i);
    if (ec != std::errc{} || end != key.data() + key.size()) return std::nullopt;
    return i;
}

// A value as written: scalars as they are, anything else in YAML's flow style.
std::string value_text(const YAML::Node& node) {
    if (node.IsScalar()) return node.Scalar();
    YAML::Emitter e;
    e << YAML::Flow << node;
    return e.c_str();
}

Override read_override(Problems& p, const std::string& path, const Field& value) {
    Override o;
    o.path = path;
    o.value = YAML::Clone(value.node);
    o.text = value_text(value.node);
    o.where = where(p, value.mark());
    return o;
}

void check_path(Problems& p, const Field& f) {
    if (!valid_path(f.key))
        p.add(f.key_mark, f.path,
              "expected a scenario key path: words of a-z, 0-9 and _ joined by dots "
              "(e.g. countries.china.export_duty.ndpr_oxide.default)");
}

std::vector<std::uint64_t> read_seeds(Problems& p, const MapReader& top) {
    std::vector<std::uint64_t> seeds;
    Field f = top.field("seeds");
    if (!f.present) {
        top.missing("seeds");
        return seeds;
    }
    if (f.node.IsSequence()) {
        auto items = as_list(p, f, false);
        if (!items) return seeds;
        if (items->empty()) p.add(f.mark(), f.path, "expected at least one seed");
        std::set<std::uint64_t> seen;
        for (const Field& item : *items)
            if (auto s = as_unsigned(p, item)) {
                if (!seen.insert(*s).second)
                    p.add(item.mark(), item.path, fmt::format("seed {} is listed twice", *s));
                else
                    seeds.push_back(*s);
            }
        return seeds;
    }
    MapReader r(p, f, {"from", "count"}, true);
    if (!r.ok()) return seeds;
    std::uint64_t from = 1;
    if (Field ff = r.field("from"); ff.present)
        if (auto v = as_unsigned(p, ff)) from = *v;
    auto count = r.integer("count", NumberRule::between(1, static_cast<double>(kMaxSeeds)), true);
    if (!count) return seeds;
    for (int i = 0; i < *count; ++i) seeds.push_back(from + static_cast<std::uint64_t>(i));
    return seeds;
}

std::vector<GridAxis> read_grid(Problems& p, const MapReader& top) {
    std::vector<GridAxis> grid;
    Field f = top.field("grid");
    if (!f.present) return grid;
    auto entries = as_entries(p, f);
    if (!entries) return grid;
    for (const Field& e : *entries) {
        check_path(p, e);
        GridAxis axis;
        axis.path = e.key;
        auto values = as_list(p, e, false);
        if (!values) continue;
        if (values->empty()) p.add(e.mark(), e.path, "expected a list of at least one value");
        for (const Field& v : *values) axis.values.push_back(read_override(p, e.key, v));
        if (!axis.values.empty()) grid.push_back(std::move(axis));
    }
    return grid;
}

std::vector<Variant> read_variants(Problems& p, const MapReader& top) {
    std::vector<Variant> variants;
    Field f = top.field("variants");
    if (!f.present) return {Variant{"base", {}}};
    auto items = as_list(p, f, false);
    if (!items) return variants;
    if (items->empty()) p.add(f.mark(), f.path, "expected at least one variant");
    std::set<std::string> names;
    for (const Field& item : *items) {
        MapReader r(p, item, {"name", "set"}, true);
        if (!r.ok()) continue;
        Variant v;
        if (auto name = r.string("name", true)) {
            v.name = *name;
            if (!valid_id(v.name))
                p.add(r.field("name").mark(), r.field("name").path,
                      "a variant name is a word of a-z, 0-9 and _ starting with a letter");
            else if (!names.insert(v.name).second)
                p.add(r.field("name").mark(), r.field("name").path, fmt::format("variant \"{}\" is named twice", v.name));
        }
        if (Field set = r.field("set"); set.present)
            if (auto entries = as_entries(p, set))
                for (const Field& e : *entries) {
                    check_path(p, e);
                    v.set.push_back(read_override(p, e.key, e));
                }
        variants.push_back(std::move(v));
    }
    return variants;
}

// Sets `path` in the scenario tree to `value`: maps are created on the way where missing (an
// inherited section, a new policy_params entry); a list item must exist. Returns a problem, or
// nothing.
std::optional<std::string> apply(YAML::Node root, const Override& o) {
    const std::vector<std::string> keys = split_path(o.path);
    YAML::Node cur = root;
    std::string walked;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::string& k = keys[i];
        const bool last = i + 1 == keys.size();
        if (list_index(k) && !cur.IsSequence())
            return fmt::format("{} is not a list: \"{}\" cannot index it", walked.empty() ? "the scenario" : walked, k);
        if (cur.IsSequence()) {
            auto index = list_index(k);
            if (!index || *index >= cur.size())
                return fmt::format("{} is a list of {} items: \"{}\" is not one of its indices 0..{}", walked, cur.size(), k,
                                   cur.size() == 0 ? 0 : cur.size() - 1);
            if (last)
                cur[*index] = YAML::Clone(o.value);
            else
                cur.reset(cur[*index]);
        } else if (cur.IsMap() || cur.IsNull() || !cur.IsDefined()) {
            if (last) {
                cur[k] = YAML::Clone(o.value);
            } else {
                YAML::Node next = cur[k];
                if (!next.IsDefined() || next.IsNull()) {
                    cur[k] = YAML::Node(YAML::NodeType::Map);
                    next = cur[k];
                }
                cur.reset(next);
            }
        } else {
            return fmt::format("{} is a single value, not a map or list: \"{}\" cannot be set under it", walked, k);
        }
        walked = walked.empty() ? k : walked + "." + k;
    }
    return std::nullopt;
}

// The overrides of one run, in order: the variant's, then the grid point's (a grid value wins
// over a variant's setting of the same path).
std::vector<const Override*> overrides_of(const Sweep& s, int variant, const std::vector<int>& point) {
    std::vector<const Override*> out;
    for (const Override& o : s.variants[static_cast<std::size_t>(variant)].set) out.push_back(&o);
    for (std::size_t a = 0; a < s.grid.size(); ++a) out.push_back(&s.grid[a].values[static_cast<std::size_t>(point[a])]);
    return out;
}

// The places a policy's parameter errors name (CountryDef::policy_param_places) in a scenario
// rewritten by overrides: the override that set the parameter (the sweep file's line), else the
// parameter's line in the scenario file itself — never a line of the rewritten text, which no
// one can open.
void place_policy_params(const Sweep& s, const std::vector<const Override*>& overrides, Scenario& sc) {
    bool any = false;
    for (const CountryDef& c : sc.defs->countries) any = any || !c.policy_param_places.empty();
    if (!any) return;
    std::optional<Scenario> base;
    try {
        base = load_scenario_text(s.scenario_text, s.scenario);
    } catch (const ScenarioError&) {
        // The scenario loads only with the overrides: its own lines are not known.
    }
    auto defs = std::make_shared<Definitions>(*sc.defs);
    for (CountryDef& c : defs->countries)
        for (auto& [key, place] : c.policy_param_places) {
            const std::string path = fmt::format("countries.{}.policy_params.{}", c.id, key);
            const Override* from = nullptr;
            for (const Override* o : overrides)
                if ((path == o->path || path.rfind(o->path + ".", 0) == 0) && (!from || o->path.size() > from->path.size()))
                    from = o;
            if (from) {
                place = fmt::format("{}: {}", from->where, path);
                continue;
            }
            const CountryId own = base ? base->defs->country_id(c.id) : kNoCountry;
            if (own == kNoCountry) continue;
            for (const auto& [k, p] : base->defs->countries[own].policy_param_places)
                if (k == key) place = p;
        }
    sc.defs = std::move(defs);
}

// Loads the scenario with these overrides; the problems name the sweep file's lines.
Scenario load_with(const Sweep& s, const std::vector<const Override*>& overrides) {
    YAML::Node root = YAML::Load(s.scenario_text);
    {
        // Before the rewrite is emitted (an emitter writes every alias out in full).
        Problems p(s.scenario);
        if (!within_expansion_limit(p, root)) throw ScenarioError(p.take_sorted());
    }
    std::vector<std::string> unset;
    for (const Override* o : overrides)
        if (auto problem = apply(root, *o)) unset.push_back(fmt::format("{}: {}: {}", o->where, o->path, *problem));
    if (overrides.empty()) return load_scenario_text(s.scenario_text, s.scenario);
    YAML::Emitter e;
    e << root;
    std::vector<std::string> problems = unset;
    std::optional<Scenario> sc;
    try {
        sc = load_scenario_text(e.c_str(), s.scenario);
    } catch (const ScenarioError& err) {
        // Each problem at the override it comes from (the one whose key path it is on), so the
        // message points into the sweep file; others at the rewritten scenario's line.
        for (const auto& q : err.problems) {
            const Override* from = nullptr;
            std::string message = q;
            // FILE:LINE:COLUMN: key.path: message
            const std::size_t place_end = q.find(": ");
            const std::size_t key_end = place_end == std::string::npos ? place_end : q.find(": ", place_end + 2);
            if (key_end != std::string::npos) {
                std::string key = q.substr(place_end + 2, key_end - place_end - 2);
                // The loader writes list items as events[3]; overrides as events.3.
                for (std::size_t b = key.find('['); b != std::string::npos; b = key.find('[', b)) {
                    const std::size_t close = key.find(']', b);
                    if (close == std::string::npos) break;
                    key = key.substr(0, b) + "." + key.substr(b + 1, close - b - 1) + key.substr(close + 1);
                }
                for (const Override* o : overrides) {
                    const bool on = key == o->path || key.rfind(o->path + ".", 0) == 0 ||
                                    o->path.rfind(key + ".", 0) == 0;
                    if (on && (!from || o->path.size() > from->path.size())) from = o;
                }
                if (from) message = q.substr(key_end + 2);
            }
            problems.push_back(from ? fmt::format("{}: {}: {} (set to {})", from->where, from->path, message, from->text)
                                    : fmt::format("{} (in the scenario as the sweep's overrides rewrite it)", q));
        }
    }
    if (!problems.empty()) throw ScenarioError(problems);
    place_policy_params(s, overrides, *sc);
    return std::move(*sc);
}

// Every grid point, last axis fastest.
std::vector<std::vector<int>> grid_points(const Sweep& s) {
    std::vector<std::vector<int>> points{{}};
    for (const GridAxis& axis : s.grid) {
        std::vector<std::vector<int>> next;
        for (const auto& p : points)
            for (int v = 0; v < static_cast<int>(axis.values.size()); ++v) {
                next.push_back(p);
                next.back().push_back(v);
            }
        points = std::move(next);
    }
    return points;
}

}  // namespace

Sweep load_sweep(const std::string& path) {
    Problems p(path);
    Sweep s;
    s.file = path;
    std::string error;
    auto text = read_text_file(path, kMaxSweepBytes, error);
    if (!text) {
        p.add_unplaced(fmt::format("cannot read the sweep file: {}", error.substr(error.find(": ") + 2)));
        throw ScenarioError(p.take_sorted());
    }
    s.text = *text;
    YAML::Node root;
    try {
        root = YAML::Load(s.text);
    } catch (const YAML::Exception& e) {
        p.add(e.mark, "yaml syntax error", e.msg);
        throw ScenarioError(p.take_sorted());
    }
    if (!within_expansion_limit(p, root)) throw ScenarioError(p.take_sorted());
    MapReader top(p, Field{true, root, root.Mark(), "", ""}, {"scenario", "seeds", "turns", "leverage", "grid", "variants"}, true);
    if (top.ok()) {
        if (auto sc = top.string("scenario", true)) {
            // Relative to the sweep file's folder first, then to the working directory.
            const fs::path beside = fs::path(path).parent_path() / *sc;
            std::error_code ec;
            s.scenario = fs::exists(beside, ec) ? beside.lexically_normal().string() : *sc;
            auto st = read_text_file(s.scenario, kMaxScenarioBytes, error);
            if (!st)
                p.add(top.field("scenario").mark(), "scenario",
                      fmt::format("cannot read the scenario \"{}\": {}", *sc, error.substr(error.find(": ") + 2)));
            else
                s.scenario_text = *st;
        }
        s.seeds = read_seeds(p, top);
        if (auto t = top.integer("turns", NumberRule::between(1, 1000))) s.turns = *t;
        if (Field lf = top.field("leverage"); lf.present)
            if (auto v = as_string(p, lf, false)) {
                GameOptions o;
                if (!parse_leverage_schedule(*v, o))
                    p.add(lf.mark(), "leverage", fmt::format("expected every, a whole number of turns N >= 1, end or off; got {}", *v));
                else
                    s.leverage = *v;
            }
        s.grid = read_grid(p, top);
        s.variants = read_variants(p, top);
        long long runs = static_cast<long long>(s.variants.size()) * static_cast<long long>(s.seeds.size());
        for (const GridAxis& a : s.grid) runs *= static_cast<long long>(a.values.size());
        if (runs > kMaxSweepRuns)
            p.add(root.Mark(), "", fmt::format("the sweep has {} runs; at most {} (split it into several sweeps)", runs,
                                               kMaxSweepRuns));
    }
    if (!p.empty()) throw ScenarioError(p.take_sorted());
    return s;
}

std::vector<RunSpec> plan_runs(const Sweep& s) {
    std::vector<RunSpec> runs;
    const auto points = grid_points(s);
    for (int v = 0; v < static_cast<int>(s.variants.size()); ++v)
        for (const auto& point : points)
            for (std::uint64_t seed : s.seeds) {
                RunSpec r;
                r.index = static_cast<int>(runs.size()) + 1;
                r.id = fmt::format("r{:04d}", r.index);
                r.variant = v;
                r.point = point;
                r.seed = seed;
                runs.push_back(std::move(r));
            }
    return runs;
}

Scenario run_scenario(const Sweep& s, const RunSpec& run) {
    return with_overrides(load_with(s, overrides_of(s, run.variant, run.point)), {s.turns, run.seed});
}

// An override under countries.X, goods.X or sectors.X names an entry the scenario has: a sweep
// changes the scenario's countries, goods and sectors and adds none, so a new id is a misspelt
// one (the loader would otherwise report the new entry's missing keys at a line of the rewritten
// scenario). Checked against the scenario as loaded, so ids inherited through `extends` count.
std::vector<std::string> unknown_entries(const Sweep& s, std::set<std::string>& bad_paths) {
    std::vector<std::string> problems;
    std::optional<Scenario> base;
    try {
        base = load_scenario_text(s.scenario_text, s.scenario);
    } catch (const ScenarioError&) {
        return problems;  // the loads with overrides report what is wrong with it
    }
    const Definitions& d = *base->defs;
    std::vector<std::string> countries, goods, sectors;
    for (const CountryDef& c : d.countries) countries.push_back(c.id);
    for (const Good& g : d.goods) goods.push_back(g.id);
    for (const Sector& k : d.sectors) sectors.push_back(k.id);
    auto check = [&](const Override& o) {
        const std::vector<std::string> keys = split_path(o.path);
        if (keys.size() < 2) return;
        const std::vector<std::string>* ids = keys[0] == "countries" ? &countries
                                              : keys[0] == "goods"   ? &goods
                                              : keys[0] == "sectors" ? &sectors
                                                                     : nullptr;
        if (!ids || std::find(ids->begin(), ids->end(), keys[1]) != ids->end()) return;
        const std::string kind = keys[0] == "countries" ? "country" : keys[0] == "goods" ? "good" : "sector";
        bad_paths.insert(o.path);
        problems.push_back(fmt::format("{}: {}: {}; a sweep changes the scenario's {} and adds none", o.where, o.path,
                                       unknown_id(kind, keys[0], keys[1], *ids), keys[0]));
    };
    for (const Variant& v : s.variants)
        for (const Override& o : v.set) check(o);
    for (const GridAxis& a : s.grid)
        if (!a.values.empty()) check(a.values.front());
    return problems;
}

std::vector<std::string> check_overrides(const Sweep& s) {
    std::set<std::string> bad_paths;
    std::vector<std::string> problems = unknown_entries(s, bad_paths);
    std::set<std::string> seen;
    for (int v = 0; v < static_cast<int>(s.variants.size()); ++v)
        for (const auto& point : grid_points(s)) {
            // Without the overrides already found naming an entry the scenario lacks.
            std::vector<const Override*> overrides = overrides_of(s, v, point);
            std::erase_if(overrides, [&](const Override* o) { return bad_paths.count(o->path) != 0; });
            try {
                load_with(s, overrides);
            } catch (const ScenarioError& e) {
                for (const auto& q : e.problems)
                    if (seen.insert(q).second) problems.push_back(q);
            }
        }
    return problems;
}

}  // namespace chokepoint
