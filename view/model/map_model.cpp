#include "view/model/map_model.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "engine/metrics/indicators.hpp"
#include "engine/world/names.hpp"

namespace chokepoint::view {

namespace {

constexpr double kCoverCapMonths = 60.0;      // one huge stockpile does not swamp the weighted cover
constexpr double kTiny = 1e-6;                // tonnes: below this a route carried nothing
constexpr double kMaterialUseShare = 0.1;     // a good sets the ring if its use is worth this share of the largest


// The goods the filter shows.
std::vector<GoodId> shown_goods(const Definitions& d, const MapFilter& f) {
    if (f.good && d.has_good(*f.good)) return {*f.good};
    std::vector<GoodId> all;
    for (GoodId g : d.good_ids()) all.push_back(g);
    return all;
}

const LeverageReport* last_leverage(const Snapshot& snap, int& turn) {
    for (auto it = snap.history.rbegin(); it != snap.history.rend(); ++it) {
        if (*it && !(*it)->leverage.combined.cells.empty()) {
            turn = (*it)->turn;
            return &(*it)->leverage;
        }
    }
    return nullptr;
}

void fill_cover(const Definitions& d, const State& s, const std::vector<GoodId>& goods, const PerGood<double>& usual,
                const PerGood<double>& unmet, MapCountry& mc) {
    const CountryId c = mc.id;
    double weighted = 0.0, weight = 0.0;
    for (GoodId g : goods) {
        const double use = annual_use(d, s, c, g);
        if (use <= 0) continue;
        GoodCover gc;
        gc.good = g;
        gc.months = months_of_cover(d, s, c, g);
        gc.import_share = import_share(s, c, g);
        gc.exposed = relies_on_imports(d, s, c, g);
        gc.use_value = use * d.goods[g].reference_price;
        gc.usual_months = g.index() < usual.size() ? usual[g] : gc.months;
        gc.unmet_share = g.index() < unmet.size() ? unmet[g] : 0.0;
        gc.level = judge_cover({gc.months, gc.usual_months, gc.unmet_share, gc.exposed});
        weighted += std::min(gc.months, kCoverCapMonths) * gc.use_value;
        weight += gc.use_value;
        mc.cover.push_back(gc);
    }
    std::stable_sort(mc.cover.begin(), mc.cover.end(),
                     [](const GoodCover& a, const GoodCover& b) { return a.use_value > b.use_value; });
    mc.weighted_cover_months = weight > 0 ? weighted / weight : 0.0;
    // The critical good, among those that matter (a tenth of the country's largest use by value or
    // more, so a trickle of some input does not set the ring): the one in the worst trouble, else
    // the exposed one with the least cover.
    const double material = mc.cover.empty() ? 0.0 : kMaterialUseShare * mc.cover.front().use_value;
    const GoodCover* critical = nullptr;
    auto worse = [](const GoodCover& a, const GoodCover& b) {
        return a.level != b.level ? a.level > b.level : a.months < b.months;
    };
    for (const auto& gc : mc.cover)
        if (gc.use_value >= material && (gc.exposed || gc.level != CoverLevel::Normal) &&
            (!critical || worse(gc, *critical)))
            critical = &gc;
    if (critical) {
        mc.critical_good = critical->good;
        mc.cover_months = critical->months;
        mc.usual_cover_months = critical->usual_months;
        mc.cover_ratio = static_cast<float>(std::clamp(critical->months / kCoverTargetMonths, 0.0, 1.0));
        mc.cover_level = critical->level;
        mc.cover_alarm = critical->level != CoverLevel::Normal;
    } else {
        // Makes all it uses: no import to run out of.
        mc.cover_months = mc.weighted_cover_months;
        mc.cover_ratio = 1.0f;
    }
}

std::string tonnes_text(double t) {
    if (t >= 1000.0) return fmt::format("{:.1f} kt", t / 1000.0);
    if (t >= 10.0) return fmt::format("{:.0f} t", t);
    return fmt::format("{:.1f} t", t);
}

}  // namespace

const char* to_string(RouteStatus s) {
    switch (s) {
        case RouteStatus::Open:
            return "open";
        case RouteStatus::Licensed:
            return "licensed";
        case RouteStatus::Embargoed:
            return "embargoed";
    }
    return "?";
}

double MapModel::net(CountryId a, CountryId b) const {
    const auto inside = [&](CountryId c) { return c.value() >= 0 && c.value() < combined.rows; };
    if (!leverage_measured() || !inside(a) || !inside(b)) return 0.0;
    return combined(a, b) - combined(b, a);
}

namespace {

// The cover rings' yardsticks: each country's usual cover and unmet share of each good (none
// while the state does not hold the scenario's countries).
struct CoverYardsticks {
    bool have_state = false;
    PerCountry<PerGood<double>> usual, unmet;
};
CoverYardsticks cover_yardsticks(const Snapshot& snap) {
    CoverYardsticks y;
    y.have_state = snap.state.countries.count() == snap.defs->country_count();
    if (y.have_state) {
        y.usual = usual_cover(snap);
        y.unmet = unmet_share(snap);
    }
    return y;
}

// Who shipped the shown goods to c in the last turn, the largest by value first.
std::vector<Supply> suppliers_of(const Definitions& d, const TurnRecord& last, const std::vector<GoodId>& goods,
                                 CountryId c) {
    std::vector<Supply> out;
    for (GoodId g : goods)
        if (g.index() < last.outcome.flows.size())
            for (CountryId o : d.country_ids())
                if (o != c && last.outcome.flows[g](o, c) > kTiny) out.push_back({o, g, last.outcome.flows[g](o, c)});
    std::stable_sort(out.begin(), out.end(), [&](const Supply& a, const Supply& b) {
        return a.tonnes * d.goods[a.good].reference_price > b.tonnes * d.goods[b.good].reference_price;
    });
    return out;
}

// One country as the map shows it: place, leverage, cover (where the view may see it) and suppliers.
MapCountry map_country(const Snapshot& snap, const MapModel& m, const std::vector<GoodId>& goods,
                       const LeverageReport* lev, const CoverYardsticks& y, CountryId c) {
    const Definitions& d = *snap.defs;
    const MapFilter& filter = m.filter;
    const CountryDef& def = d.countries[c];
    MapCountry mc;
    mc.id = c;
    mc.name = display_name(def);
    mc.lon = static_cast<float>(def.lon);
    mc.lat = static_cast<float>(def.lat);
    mc.bloc = def.bloc;
    if (lev && c.index() < lev->index_combined.size()) mc.leverage_index = lev->index_combined[c];
    if (filter.selected && *filter.selected != c) mc.net_vs_selected = m.net(c, *filter.selected);
    mc.cover_known = !filter.team_view || *filter.team_view == c;
    if (mc.cover_known && y.have_state) fill_cover(d, snap.state, goods, y.usual[c], y.unmet[c], mc);
    // Before the first turn nothing has happened: the rings show each country's cover as the
    // scenario sets it, none in alarm (a thin stock is the normal state there, not news).
    if (snap.history.empty()) {
        mc.cover_alarm = false;
        mc.cover_level = CoverLevel::Normal;
        for (auto& gc : mc.cover) gc.level = CoverLevel::Normal;
    }
    if (!snap.history.empty() && snap.history.back()) mc.suppliers = suppliers_of(d, *snap.history.back(), goods, c);
    return mc;
}

// Each country's rank by its leverage index, 1 for the largest (ties: in the scenario's order).
void rank_by_leverage(const Definitions& d, PerCountry<MapCountry>& countries) {
    std::vector<CountryId> order;
    for (CountryId c : d.country_ids()) order.push_back(c);
    std::stable_sort(order.begin(), order.end(), [&](CountryId a, CountryId b) {
        return countries[a].leverage_index > countries[b].leverage_index;
    });
    int rank = 0;
    for (CountryId c : order) countries[c].leverage_rank = ++rank;
}

// The largest flow of the shown goods in the game so far, t: widths compare across turns.
double largest_flow_so_far(const Snapshot& snap, const std::vector<GoodId>& goods) {
    double largest = 0.0;
    for (const auto& rec : snap.history)
        for (GoodId g : goods)
            if (rec && g.index() < rec->outcome.flows.size())
                for (double t : rec->outcome.flows[g].cells) largest = std::max(largest, t);
    return largest;
}

RouteStatus route_status(Regime regime) {
    return regime == Regime::Embargo    ? RouteStatus::Embargoed
           : regime == Regime::Licensed ? RouteStatus::Licensed
                                        : RouteStatus::Open;
}

// The routes of good g the map draws: those that carried a share of the last turn's largest flow,
// and (when asked) cut routes: trade that used to flow, or an exporter of the good facing a user of it.
void add_routes_of_good(const Snapshot& snap, GoodId g, const MapFilter& filter, double scale,
                        std::vector<MapFlow>& out) {
    const Definitions& d = *snap.defs;
    const State& s = snap.state;
    const TurnRecord* last = snap.history.empty() ? nullptr : snap.history.back().get();
    const bool have_state = s.countries.count() == d.country_count();
    const bool have_rules = s.rules.covers(d.country_count(), d.good_count());
    const CountryMatrix<>* flows = last && g.index() < last->outcome.flows.size() ? &last->outcome.flows[g] : nullptr;
    const CountryMatrix<>* established = g.index() < s.established.size() ? &s.established[g] : nullptr;
    double largest = 0.0;
    if (flows)
        for (double t : flows->cells) largest = std::max(largest, t);
    for (CountryId e : d.country_ids()) {
        const bool produces =
            have_state && (s.countries[e].capacity[g] > 0 || (last && last->outcome.produced(e, g) > kTiny));
        for (CountryId i : d.country_ids()) {
            if (e == i) continue;
            const double t = flows ? (*flows)(e, i) : 0.0;
            MapFlow f;
            f.from = e;
            f.to = i;
            f.good = g;
            f.tonnes = t;
            f.status = route_status(have_rules ? s.rule(e, g, i).regime : Regime::Open);
            bool show = t > kTiny && t >= filter.min_share * largest;
            if (!show && f.status == RouteStatus::Embargoed && filter.show_embargoed) {
                const bool used_to = established && (*established)(e, i) > kTiny;
                const bool would = produces && have_state && annual_use(d, s, i, g) > 0;
                show = used_to || would;
            }
            if (!show) continue;
            f.width = static_cast<float>(std::sqrt(std::clamp(t / scale, 0.0, 1.0)));
            f.width_class = std::min(4, static_cast<int>(f.width * 5.0f));
            out.push_back(f);
        }
    }
}

// Only the `top` largest flows by tonnes (ties: in their order); embargoed routes stay marked.
void keep_top_routes(std::vector<MapFlow>& flows, int top) {
    std::vector<size_t> carrying;
    for (size_t i = 0; i < flows.size(); ++i)
        if (flows[i].status != RouteStatus::Embargoed || flows[i].tonnes > kTiny) carrying.push_back(i);
    if (carrying.size() <= static_cast<size_t>(top)) return;
    std::stable_sort(carrying.begin(), carrying.end(),
                     [&](size_t a, size_t b) { return flows[a].tonnes > flows[b].tonnes; });
    std::vector<char> keep(flows.size(), 1);
    for (size_t k = static_cast<size_t>(top); k < carrying.size(); ++k) keep[carrying[k]] = 0;
    std::vector<MapFlow> kept;
    for (size_t i = 0; i < flows.size(); ++i)
        if (keep[i]) kept.push_back(flows[i]);
    flows = std::move(kept);
}

}  // namespace

MapModel build_map_model(const Snapshot& snap, const MapFilter& filter) {
    MapModel m;
    m.version = snap.version;
    m.filter = filter;
    if (!snap.defs) return m;
    const Definitions& d = *snap.defs;
    const std::vector<GoodId> goods = shown_goods(d, filter);
    if (!snap.history.empty() && snap.history.back()) {
        m.turn = snap.history.back()->turn;
        m.date = snap.history.back()->date;
    }
    for (const auto& g : d.goods) m.good_names.push_back(display_name(g));

    const LeverageReport* lev = last_leverage(snap, m.leverage_turn);
    if (lev) m.combined = lev->combined;
    const CoverYardsticks yardsticks = cover_yardsticks(snap);
    for (CountryId c : d.country_ids()) m.countries.push_back(map_country(snap, m, goods, lev, yardsticks, c));
    if (lev) rank_by_leverage(d, m.countries);

    m.width_scale_tonnes = largest_flow_so_far(snap, goods);
    const double scale = m.width_scale_tonnes > 0 ? m.width_scale_tonnes : 1.0;
    for (GoodId g : goods) add_routes_of_good(snap, g, filter, scale, m.flows);
    if (filter.top_routes > 0) keep_top_routes(m.flows, filter.top_routes);
    // Slots: the flows of one exporter to one importer fan out in good order.
    CountryMatrix<int> used(d.country_count(), d.country_count(), 0);
    for (auto& f : m.flows) f.slot = used(f.from, f.to)++;
    return m;
}

std::string tooltip(const MapModel& m, CountryId country, std::optional<CountryId> selected) {
    const auto shown = [&](CountryId id) { return id.value() >= 0 && id.index() < m.countries.size(); };
    if (!shown(country)) return {};
    const MapCountry& c = m.countries[country];
    auto name_of = [&](CountryId id) -> const std::string& { return m.countries[id].name; };
    auto good_name = [&](GoodId g) -> std::string {
        return g.index() < m.good_names.size() ? m.good_names[g] : std::string("?");
    };
    const int n = m.countries.count();
    std::string out = c.name;
    if (c.bloc) out += " (an aggregate)";
    if (country == selected) out += " (selected)";
    out += "\n";

    if (!m.leverage_measured()) {
        out += "Leverage: not measured yet\n";
    } else {
        out += fmt::format("Leverage index {:.3f} (rank {} of {}, turn {})\n", c.leverage_index, c.leverage_rank, n,
                           m.leverage_turn + 1);  // turns count from 1 on screen, as in the terminal
        if (selected && shown(*selected) && *selected != country) {
            const double net = m.net(country, *selected);
            const std::string& other = name_of(*selected);
            const std::string who = std::abs(net) < 0.0005 ? std::string("balanced")
                                    : net > 0              ? c.name + " holds leverage over " + other
                                                           : other + " holds leverage over " + c.name;
            out += fmt::format("Net leverage vs {}: {:+.3f} ({})\n", other, net, who);
        } else {
            std::optional<CountryId> over, under;
            for (CountryId b : m.countries.ids()) {
                if (b == country) continue;
                const double net = m.net(country, b);
                if (net > 0 && (!over || net > m.net(country, *over))) over = b;
                if (net < 0 && (!under || net < m.net(country, *under))) under = b;
            }
            if (over) out += fmt::format("Most leverage over {}: {:+.3f}\n", name_of(*over), m.net(country, *over));
            if (under) out += fmt::format("Most exposed to {}: {:+.3f}\n", name_of(*under), m.net(country, *under));
        }
    }

    if (!c.cover_known) {
        out += "Stock cover: private\n";
    } else if (c.cover.empty()) {
        out += "Stock cover: uses none of the goods shown\n";
    } else {
        out += "Stock cover (months of use; usual = when the game began):\n";
        auto line = [&](const GoodCover& gc) {
            const std::string trouble = gc.level == CoverLevel::Short
                                            ? fmt::format(" SHORT: {:.0f}% of demand unmet,", 100.0 * gc.unmet_share)
                                        : gc.level == CoverLevel::Low ? std::string(" LOW,")
                                                                      : std::string(",");
            return fmt::format("{:.1f} months (usual {:.1f}){} {:.0f}% imported", gc.months, gc.usual_months, trouble,
                               100.0 * gc.import_share);
        };
        const size_t k = std::min<size_t>(3, c.cover.size());
        for (size_t i = 0; i < k; ++i) {
            const GoodCover& gc = c.cover[i];
            out += fmt::format("  {}: {}{}\n", good_name(gc.good), line(gc),
                               gc.good == c.critical_good ? " (the ring)" : "");
        }
        auto critical = std::find_if(c.cover.begin(), c.cover.end(),
                                     [&](const GoodCover& gc) { return gc.good == c.critical_good; });
        if (critical != c.cover.end() && critical - c.cover.begin() >= static_cast<long>(k))
            out += fmt::format("  the ring, {}: {}\n", good_name(critical->good), line(*critical));
    }

    if (c.suppliers.empty()) {
        out += "No imports last turn";
    } else {
        out += "Main suppliers last turn:";
        const size_t k = std::min<size_t>(3, c.suppliers.size());
        for (size_t i = 0; i < k; ++i) {
            const Supply& s = c.suppliers[i];
            out += fmt::format("\n  {}: {} {}", name_of(s.from), tonnes_text(s.tonnes), good_name(s.good));
        }
    }
    return out;
}

std::optional<CountryId> country_at(const MapModel& m, float lon, float lat, float radius_deg) {
    std::optional<CountryId> best;
    float best_d2 = radius_deg * radius_deg;
    for (const auto& c : m.countries) {
        const float dx = c.lon - lon, dy = c.lat - lat;
        const float d2 = dx * dx + dy * dy;
        if (d2 <= best_d2 && (!best || d2 < best_d2)) {
            best = c.id;
            best_d2 = d2;
        }
    }
    return best;
}

// --- Zoom and pan ---------------------------------------------------------------------------

float pixels_per_degree(const ViewTransform& t, const Viewport& v) {
    const float fit = std::min(v.width / 360.0f, v.height / 180.0f);
    return t.zoom * (fit > 0 ? fit : 1.0f);
}

MapPoint to_screen(const ViewTransform& t, const Viewport& v, float lon, float lat) {
    const float s = pixels_per_degree(t, v);
    const MapPoint p = project_equirect(lon, lat, 360.0f * s, 180.0f * s);
    const MapPoint c = project_equirect(t.centre_lon, t.centre_lat, 360.0f * s, 180.0f * s);
    return {v.left + v.width / 2.0f + (p.x - c.x), v.top + v.height / 2.0f + (p.y - c.y)};
}

LonLat to_lonlat(const ViewTransform& t, const Viewport& v, float x, float y) {
    const float s = pixels_per_degree(t, v);
    return {t.centre_lon + (x - v.left - v.width / 2.0f) / s, t.centre_lat - (y - v.top - v.height / 2.0f) / s};
}

ViewTransform clamp_view(ViewTransform t, const Viewport& v) {
    t.zoom = std::clamp(t.zoom, kMinZoom, kMaxZoom);
    const float s = pixels_per_degree(t, v);
    const float half_w = v.width / 2.0f / s, half_h = v.height / 2.0f / s;
    t.centre_lon = half_w >= 180.0f ? 0.0f : std::clamp(t.centre_lon, -180.0f + half_w, 180.0f - half_w);
    t.centre_lat = half_h >= 90.0f ? 0.0f : std::clamp(t.centre_lat, -90.0f + half_h, 90.0f - half_h);
    return t;
}

ViewTransform zoom_at(const ViewTransform& t, const Viewport& v, float x, float y, float factor) {
    const LonLat fixed = to_lonlat(t, v, x, y);
    ViewTransform z = t;
    z.zoom = std::clamp(t.zoom * factor, kMinZoom, kMaxZoom);
    const float s = pixels_per_degree(z, v);
    z.centre_lon = fixed.first - (x - v.left - v.width / 2.0f) / s;
    z.centre_lat = fixed.second + (y - v.top - v.height / 2.0f) / s;
    return clamp_view(z, v);
}

ViewTransform pan_by(const ViewTransform& t, const Viewport& v, float dx, float dy) {
    const float s = pixels_per_degree(t, v);
    ViewTransform p = t;
    p.centre_lon -= dx / s;
    p.centre_lat += dy / s;
    return clamp_view(p, v);
}

}  // namespace chokepoint::view
