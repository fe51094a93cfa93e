#include "view/map/world_view.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "view/assets.hpp"
#include "view/map/land_fill.hpp"
#include "view/ui/palette.hpp"

namespace chokepoint::view {

namespace {

constexpr float kPi = 3.14159265f;
constexpr float kClickSlop = 4.0f;    // pixels a press may move and still be a click
constexpr float kPickRadius = 16.0f;  // pixels around a dot that hover and click find it
constexpr float kWheelStep = 1.25f;   // zoom per wheel notch
const sf::Color kVermillion(213, 94, 0);
const sf::Color kSelection(240, 228, 66);

struct Colours {
    sf::Color ocean, land, coast, margin, text, outline, panel, track, ring, dot, dot_edge, licence;
};

Colours colours_for(Theme theme) {
    switch (theme) {
        case Theme::Light:
            return {.ocean = {198, 219, 236},
                    .land = {242, 240, 232},
                    .coast = {120, 120, 120},
                    .margin = {165, 175, 185},
                    .text = {10, 10, 10},
                    .outline = {255, 255, 255, 220},
                    .panel = {255, 255, 255, 225},
                    .track = {0, 0, 0, 45},
                    .ring = {40, 40, 40},
                    .dot = {250, 250, 250},
                    .dot_edge = {20, 20, 20},
                    .licence = {255, 255, 255}};
        case Theme::HighContrast:
            return {.ocean = {0, 0, 0},
                    .land = {52, 52, 52},
                    .coast = {255, 255, 255},
                    .margin = {24, 24, 24},
                    .text = {255, 255, 255},
                    .outline = {0, 0, 0, 255},
                    .panel = {0, 0, 0, 235},
                    .track = {255, 255, 255, 70},
                    .ring = {255, 255, 255},
                    .dot = {255, 255, 255},
                    .dot_edge = {0, 0, 0},
                    .licence = {255, 255, 255}};
        case Theme::Dark:
        default:
            return {.ocean = {14, 30, 58},
                    .land = {46, 58, 66},
                    .coast = {120, 150, 150},
                    .margin = {7, 13, 26},
                    .text = {240, 240, 240},
                    .outline = {0, 0, 0, 210},
                    .panel = {8, 14, 28, 215},
                    .track = {255, 255, 255, 70},
                    .ring = {235, 235, 235},
                    .dot = {235, 235, 235},
                    .dot_edge = {10, 10, 10},
                    .licence = {255, 255, 255}};
    }
}

sf::Color to_sf(Rgb c, std::uint8_t alpha = 255) {
    return {c.r, c.g, c.b, alpha};
}

using Pts = std::vector<sf::Vector2f>;

float length(sf::Vector2f v) {
    return std::sqrt(v.x * v.x + v.y * v.y);
}
sf::Vector2f unit(sf::Vector2f v) {
    const float l = length(v);
    return l > 0 ? v / l : sf::Vector2f(1.0f, 0.0f);
}
sf::Vector2f normal(sf::Vector2f v) {
    return {-v.y, v.x};
}  // right of v on screen (y down)

void triangle(sf::VertexArray& va, sf::Vector2f a, sf::Vector2f b, sf::Vector2f c, sf::Color col) {
    va.append({a, col});
    va.append({b, col});
    va.append({c, col});
}

void quad(sf::VertexArray& va, sf::Vector2f a, sf::Vector2f b, sf::Vector2f c, sf::Vector2f d, sf::Color col) {
    triangle(va, a, b, c, col);
    triangle(va, a, c, d, col);
}

void rect(sf::VertexArray& va, float x0, float y0, float x1, float y1, sf::Color col) {
    quad(va, {x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, col);
}

// A thick line along a polyline, joins mitred by averaging the neighbouring directions.
void thick(sf::VertexArray& va, const Pts& p, float w, sf::Color col) {
    if (p.size() < 2) return;
    sf::Vector2f prev_l, prev_r;
    for (size_t i = 0; i < p.size(); ++i) {
        const sf::Vector2f dir = unit(p[std::min(i + 1, p.size() - 1)] - p[i > 0 ? i - 1 : 0]);
        const sf::Vector2f off = normal(dir) * (w / 2.0f);
        const sf::Vector2f l = p[i] - off, r = p[i] + off;
        if (i > 0) quad(va, prev_l, prev_r, r, l, col);
        prev_l = l;
        prev_r = r;
    }
}

void segment(sf::VertexArray& va, sf::Vector2f a, sf::Vector2f b, float w, sf::Color col) {
    thick(va, {a, b}, w, col);
}

// A ring between radii r0 and r1 from angle a0 to a1 (radians, 0 = up, clockwise on screen).
void arc(sf::VertexArray& va, sf::Vector2f c, float r0, float r1, float a0, float a1, sf::Color col) {
    const int steps = std::max(2, static_cast<int>(std::ceil(std::abs(a1 - a0) / (2.0f * kPi) * 40.0f)));
    auto at_angle = [&](float r, float a) { return c + sf::Vector2f(r * std::sin(a), -r * std::cos(a)); };
    for (int k = 0; k < steps; ++k) {
        const float u = a0 + (a1 - a0) * static_cast<float>(k) / static_cast<float>(steps);
        const float v = a0 + (a1 - a0) * static_cast<float>(k + 1) / static_cast<float>(steps);
        quad(va, at_angle(r0, u), at_angle(r1, u), at_angle(r1, v), at_angle(r0, v), col);
    }
}

void disc(sf::VertexArray& va, sf::Vector2f c, float r, sf::Color col) {
    constexpr int kSteps = 24;
    for (int k = 0; k < kSteps; ++k) {
        const float u = 2.0f * kPi * static_cast<float>(k) / kSteps,
                    v = 2.0f * kPi * static_cast<float>(k + 1) / kSteps;
        triangle(va, c, c + sf::Vector2f(r * std::cos(u), r * std::sin(u)),
                 c + sf::Vector2f(r * std::cos(v), r * std::sin(v)), col);
    }
}

float polyline_length(const Pts& p) {
    float s = 0.0f;
    for (size_t i = 1; i < p.size(); ++i) s += length(p[i] - p[i - 1]);
    return s;
}

// The part of a polyline between arc lengths s0 and s1.
Pts cut(const Pts& p, float s0, float s1) {
    Pts out;
    if (p.size() < 2 || s1 <= s0) return out;
    float s = 0.0f;
    for (size_t i = 1; i < p.size(); ++i) {
        const float l = length(p[i] - p[i - 1]);
        const float a = s, b = s + l;
        s = b;
        if (b < s0 || l <= 0) continue;
        if (a > s1) break;
        auto point = [&](float at_s) { return p[i - 1] + (p[i] - p[i - 1]) * ((at_s - a) / l); };
        if (out.empty()) out.push_back(a >= s0 ? p[i - 1] : point(s0));
        if (b <= s1) {
            out.push_back(p[i]);
        } else {
            out.push_back(point(s1));
            break;
        }
    }
    return out;
}

sf::Vector2f point_at(const Pts& p, float s_at) {
    const Pts piece = cut(p, 0.0f, s_at);
    return piece.empty() ? p.front() : piece.back();
}

// A quadratic Bézier from a to b bending `bend` pixels to the right of the way.
Pts curve(sf::Vector2f a, sf::Vector2f b, float bend) {
    const sf::Vector2f mid = (a + b) / 2.0f, ctrl = mid + normal(unit(b - a)) * bend;
    constexpr int kSteps = 20;
    Pts p;
    p.reserve(kSteps + 1);
    for (int k = 0; k <= kSteps; ++k) {
        const float t = static_cast<float>(k) / kSteps, u = 1.0f - t;
        p.push_back(a * (u * u) + ctrl * (2.0f * u * t) + b * (t * t));
    }
    return p;
}

void arrow_head(sf::VertexArray& va, const Pts& p, float len, float half_width, sf::Color col) {
    const float total = polyline_length(p);
    const sf::Vector2f tip = p.back(), base = point_at(p, std::max(0.0f, total - len));
    const sf::Vector2f side = normal(unit(tip - base)) * half_width;
    triangle(va, tip, base + side, base - side, col);
}

}  // namespace

WorldView::WorldView(const LandMap& land) {
    const LandFill fill = triangulate_land(land);
    const Colours c = colours_for(Theme::Dark);
    for (const auto& [lon, lat] : fill.land) land_.append({{lon, -lat}, c.land});
    for (const auto& [lon, lat] : fill.holes) lakes_.append({{lon, -lat}, c.ocean});
    for (const auto& ring : land.rings)
        for (const auto& piece : split_at_antimeridian(ring))
            for (size_t i = 1; i < piece.size(); ++i) {
                coast_.append({{piece[i - 1].first, -piece[i - 1].second}, c.coast});
                coast_.append({{piece[i].first, -piece[i].second}, c.coast});
            }
}

WorldView::WorldView() : WorldView(load_land_map(assets_dir() + "/map/land-110m.txt")) {}

void WorldView::set_font(const sf::Font* font) {
    font_ = font;
}

void WorldView::set_size(sf::Vector2u window) {
    size_ = window;
    transform_ = clamp_view(transform_, viewport());
}

void WorldView::set_viewport(sf::FloatRect area) {
    area_ = area;
    transform_ = clamp_view(transform_, viewport());
}

Viewport WorldView::viewport() const {
    if (area_.width > 0 && area_.height > 0) return {area_.left, area_.top, area_.width, area_.height};
    return {0.0f, 0.0f, static_cast<float>(size_.x), static_cast<float>(size_.y)};
}

void WorldView::set_transform(const ViewTransform& t) {
    transform_ = clamp_view(t, viewport());
}

void WorldView::update(const Snapshot& snap, const UiState& ui) {
    selected_ = ui.selected && snap.defs && snap.defs->has_country(*ui.selected) ? ui.selected : std::nullopt;
    MapFilter filter;
    filter.good = ui.good;
    filter.min_share = ui.map_min_share;
    filter.top_routes = ui.map_top_routes;
    filter.show_embargoed = ui.map_embargoed;
    filter.selected = selected_;
    filter.team_view = ui.team_view;
    if (!have_model_ || snap.version != model_.version || snap.defs.get() != model_defs_ ||
        !(filter == model_.filter)) {
        model_ = build_map_model(snap, filter);
        model_defs_ = snap.defs.get();
        have_model_ = true;
        ++model_serial_;
        if (hovered_ && hovered_->index() >= model_.countries.size()) hovered_.reset();
    }
    style_ = {ui.display.theme,
              ui.display.colour_blind_safe,
              std::clamp(ui.display.font_scale, 0.5f, 4.0f),
              ui.display.legend};
}

WorldView::BuiltFor WorldView::wanted() const {
    return {model_serial_, transform_, viewport(), size_, style_, selected_, font_, true};
}

void WorldView::rebuild() {
    ++builds_;
    built_ = wanted();
    hover_built_ = false;
    const Viewport v = viewport();
    const Colours c = colours_for(style_.theme);
    const float s = pixels_per_degree(transform_, v);
    const MapPoint origin = to_screen(transform_, v, 0.0f, 0.0f);
    land_transform_ = sf::Transform::Identity;
    land_transform_.translate(origin.x, origin.y).scale(s, s);
    if (land_theme_ != style_.theme) {
        land_theme_ = style_.theme;
        for (size_t i = 0; i < land_.getVertexCount(); ++i) land_[i].color = c.land;
        for (size_t i = 0; i < lakes_.getVertexCount(); ++i) lakes_[i].color = c.ocean;
        for (size_t i = 0; i < coast_.getVertexCount(); ++i) coast_[i].color = c.coast;
    }

    // The map's rectangle in ocean; where the viewport is wider or taller than the map, a margin.
    const MapPoint nw = to_screen(transform_, v, -180.0f, 90.0f), se = to_screen(transform_, v, 180.0f, -90.0f);
    ocean_.clear();
    rect(ocean_, nw.x, nw.y, se.x, se.y, c.ocean);
    margins_.clear();
    const float x0 = v.left - 1, y0 = v.top - 1, x1 = v.left + v.width + 1, y1 = v.top + v.height + 1;
    if (nw.x > x0) rect(margins_, x0, y0, nw.x, y1, c.margin);
    if (se.x < x1) rect(margins_, se.x, y0, x1, y1, c.margin);
    if (nw.y > y0) rect(margins_, x0, y0, x1, nw.y, c.margin);
    if (se.y < y1) rect(margins_, x0, se.y, x1, y1, c.margin);

    const size_t n = model_.countries.size();
    dot_pos_.assign(n, {});
    dot_radius_.assign(n, 0.0f);
    double top_index = 0.0;
    for (const auto& mc : model_.countries) top_index = std::max(top_index, mc.leverage_index);
    for (CountryId i : model_.countries.ids()) {
        const MapCountry& mc = model_.countries[i];
        const MapPoint p = to_screen(transform_, v, mc.lon, mc.lat);
        dot_pos_[i] = {p.x, p.y};
        const float share = top_index > 0 ? static_cast<float>(std::sqrt(mc.leverage_index / top_index)) : 0.0f;
        dot_radius_[i] = (model_.leverage_measured() ? 4.0f + 8.0f * share : 5.0f) * style_.scale;
    }
    build_flows();
    build_countries();
    build_labels();
    build_legend();
}

// Where a route's marker (embargo cross, licence square) goes: the middle of the route, or the
// nearest point to it along the route that no country dot covers, so that the mark reads as the
// route's and not as a mark on a country.
sf::Vector2f WorldView::marker_point(const std::vector<sf::Vector2f>& body, float body_len) const {
    const float clear = 14.0f * style_.scale;
    sf::Vector2f best = point_at(body, body_len / 2.0f);
    float best_room = -1.0f;
    for (float t : {0.5f, 0.44f, 0.56f, 0.38f, 0.62f, 0.32f, 0.68f, 0.26f, 0.74f}) {
        const sf::Vector2f p = point_at(body, body_len * t);
        float room = 1e9f;  // distance to the nearest dot's edge
        for (CountryId i : dot_pos_.ids()) room = std::min(room, length(p - dot_pos_[i]) - dot_radius_[i]);
        if (room >= clear) return p;
        if (room > best_room) best_room = room, best = p;
    }
    return best;
}

void WorldView::build_flows() {
    flows_.clear();
    marks_.clear();
    const Colours c = colours_for(style_.theme);
    const float k = style_.scale;
    const float ring_gap = 8.0f * k;
    for (const MapFlow& f : model_.flows) {
        const sf::Vector2f a = dot_pos_[f.from], b = dot_pos_[f.to];
        const float dist = length(b - a);
        if (dist < 2.0f) continue;
        // Fan the goods of one route apart; the two directions bend to opposite sides.
        const float bend = dist * std::min(0.10f + 0.07f * static_cast<float>(f.slot), 0.5f);
        const Pts full = curve(a, b, bend);
        const float total = polyline_length(full);
        const float start = dot_radius_[f.from] + ring_gap, end = dot_radius_[f.to] + ring_gap;
        if (total - start - end < 6.0f * k) continue;
        const bool touches_selection = !selected_ || f.from == *selected_ || f.to == *selected_;
        const std::uint8_t alpha = touches_selection ? 215 : 55;
        const sf::Color good = to_sf(good_colour(f.good, style_.colour_blind_safe), alpha);
        const float w = (f.tonnes > 0 ? 1.5f + 8.5f * f.width : 2.0f) * k;
        const float head = std::max(11.0f * k, 2.2f * w), half_head = std::max(5.5f * k, 1.3f * w);
        const Pts body = cut(full, start, total - end);
        const float body_len = polyline_length(body);
        const Pts shaft = cut(body, 0.0f, body_len - head * 0.8f);
        const sf::Vector2f mid = marker_point(body, body_len);
        if (f.status == RouteStatus::Embargoed) {
            // Dashes: vermillion, then the good's colour, so the cut good stays readable.
            const sf::Color red(kVermillion.r, kVermillion.g, kVermillion.b, alpha);
            const float dash = 9.0f * k, gap = 5.0f * k;
            int i = 0;
            for (float s = 0.0f; s < body_len - head * 0.8f; s += dash + gap, ++i)
                thick(flows_, cut(shaft, s, std::min(s + dash, body_len)), w, i % 2 ? good : red);
            arrow_head(flows_, body, head, half_head, red);
            const float x = 6.0f * k;
            const sf::Color x_edge = c.outline;
            for (float e : {3.0f * k + 2.0f, 3.0f * k}) {
                const sf::Color col = e > 3.0f * k ? x_edge : red;
                segment(marks_, mid + sf::Vector2f(-x, -x), mid + sf::Vector2f(x, x), e, col);
                segment(marks_, mid + sf::Vector2f(-x, x), mid + sf::Vector2f(x, -x), e, col);
            }
        } else {
            thick(flows_, shaft, w, good);
            arrow_head(flows_, body, head, half_head, good);
            if (f.status == RouteStatus::Licensed) {
                const float h = std::max(4.0f * k, w / 2.0f + 2.0f * k);
                rect(marks_, mid.x - h - 1.5f, mid.y - h - 1.5f, mid.x + h + 1.5f, mid.y + h + 1.5f, c.dot_edge);
                rect(marks_, mid.x - h, mid.y - h, mid.x + h, mid.y + h, c.licence);
                rect(marks_, mid.x - h / 2, mid.y - h / 2, mid.x + h / 2, mid.y + h / 2, good);
            }
        }
    }
}

void WorldView::build_countries() {
    dots_.clear();
    const Colours c = colours_for(style_.theme);
    const float k = style_.scale;
    double span = 0.0;
    for (const auto& mc : model_.countries) span = std::max(span, std::abs(mc.net_vs_selected));
    for (CountryId i : model_.countries.ids()) {
        const MapCountry& mc = model_.countries[i];
        const sf::Vector2f p = dot_pos_[i];
        const float r = dot_radius_[i];
        // With a selection, each other dot shows its net leverage over it (vermillion: holds
        // leverage over the selected country; blue: exposed to it).
        const bool diverge = selected_ && i != *selected_ && model_.leverage_measured();
        const sf::Color fill = diverge ? to_sf(diverging(mc.net_vs_selected, span > 0 ? span : 1.0)) : c.dot;
        disc(dots_, p, r + 1.5f * k, c.dot_edge);
        disc(dots_, p, r, fill);
        if (mc.cover_known && !mc.cover.empty()) {
            // In alarm the whole track turns a faint vermillion, so even a sliver of cover reads as red.
            const float r0 = r + 3.0f * k, r1 = r + 6.5f * k;
            const sf::Color track =
                mc.cover_alarm ? sf::Color(kVermillion.r, kVermillion.g, kVermillion.b, 110) : c.track;
            arc(dots_, p, r0, r1, 0.0f, 2.0f * kPi, track);
            const float sweep = 2.0f * kPi * std::clamp(mc.cover_ratio, 0.0f, 1.0f);
            if (sweep > 0) arc(dots_, p, r0, r1, 0.0f, sweep, mc.cover_alarm ? kVermillion : c.ring);
        }
        if (i == selected_) {
            const float r0 = r + 8.0f * k;
            arc(dots_, p, r0, r0 + 3.0f * k, 0.0f, 2.0f * kPi, kSelection);
        }
        if (mc.bloc) {  // an aggregate, not a place: a small diamond inside the dot
            const float d = r * 0.45f;
            quad(dots_, p + sf::Vector2f(0, -d), p + sf::Vector2f(d, 0), p + sf::Vector2f(0, d),
                 p + sf::Vector2f(-d, 0), c.dot_edge);
        }
    }
}

void WorldView::build_labels() {
    labels_.clear();
    if (!font_) return;
    const Colours c = colours_for(style_.theme);
    const float k = style_.scale;
    const unsigned size = static_cast<unsigned>(std::lround(14.0f * k));
    // Greedy placement: the most powerful countries first, each at the first free side.
    std::vector<CountryId> order;
    for (CountryId i : model_.countries.ids()) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](CountryId a, CountryId b) {
        if ((a == selected_) != (b == selected_)) return a == selected_;
        return model_.countries[a].leverage_index > model_.countries[b].leverage_index;
    });
    // A label stays on the map: a side where it would run past the map's edge (and be cut off by
    // it or hidden under a panel) is not taken.
    const Viewport v = viewport();
    const auto on_map = [&](const sf::FloatRect& r) {
        return r.left >= v.left && r.top >= v.top && r.left + r.width <= v.left + v.width &&
               r.top + r.height <= v.top + v.height;
    };
    std::vector<sf::FloatRect> taken;  // the dots first, in country order, then the labels placed
    for (CountryId i : dot_pos_.ids()) {
        const float r = dot_radius_[i] + 6.0f * k;
        taken.push_back({dot_pos_[i].x - r, dot_pos_[i].y - r, 2 * r, 2 * r});
    }
    for (CountryId id : order) {
        sf::Text text(model_.countries[id].name, *font_, size);
        text.setFillColor(id == selected_ ? kSelection : c.text);
        text.setOutlineColor(c.outline);
        text.setOutlineThickness(2.0f * k);
        const sf::FloatRect box = text.getLocalBounds();
        const sf::Vector2f p = dot_pos_[id];
        const float r = dot_radius_[id] + 8.0f * k;
        const float right = p.x + r, left = p.x - r - box.width - box.left, centre = p.x - box.width / 2 - box.left;
        const float middle = p.y - box.height / 2 - box.top, above = p.y - r - box.height - box.top - 2,
                    below = p.y + r - box.top + 2;
        const sf::Vector2f candidates[] = {{right, middle}, {left, middle}, {centre, above}, {centre, below},
                                           {right, below},  {right, above}, {left, below},   {left, above}};
        bool placed = false;
        for (const auto& q : candidates) {
            const sf::FloatRect mine(q.x + box.left - 2, q.y + box.top - 1, box.width + 4, box.height + 2);
            const float halo = text.getOutlineThickness();  // the outline may touch the edge
            if (!on_map({q.x + box.left + halo, q.y + box.top + halo, box.width - 2 * halo, box.height - 2 * halo}))
                continue;
            bool free = true;
            for (size_t j = 0; j < taken.size() && free; ++j) {
                if (j == id.index()) continue;  // its own dot
                free = !mine.intersects(taken[j]);
            }
            if (free || id == selected_) {
                text.setPosition(std::round(q.x), std::round(q.y));
                taken.push_back(mine);
                placed = true;
                break;
            }
        }
        if (placed) labels_.push_back(std::move(text));  // a crowded label shows on hover
    }
}

void WorldView::build_legend() {
    legend_.clear();
    legend_text_.clear();
    if (!font_ || !style_.legend) return;
    const Colours c = colours_for(style_.theme);
    const Viewport v = viewport();
    const float k = style_.scale;
    const unsigned size = static_cast<unsigned>(std::lround(12.0f * k));
    const float line = 17.0f * k, swatch = 22.0f * k, pad = 8.0f * k;

    struct Row {
        std::string text;
        int kind;  // 0 title, 1 good, 2 licensed, 3 embargoed, 4 ring, 5 plain, 6 ring in alarm
        std::optional<GoodId> good = std::nullopt;  // kind 1
    };
    std::vector<Row> rows;
    rows.push_back({model_.turn >= 0 ? fmt::format("Trade flows, turn {} ({})", model_.turn + 1, model_.date)
                                     : std::string("Before the first turn"),
                    0});
    for (GoodId g : model_.good_names.ids())
        if (!model_.filter.good || model_.filter.good == g) rows.push_back({model_.good_names[g], 1, g});
    rows.push_back({"licensed route", 2});
    rows.push_back({"embargoed route", 3});
    if (model_.width_scale_tonnes > 0)
        rows.push_back({fmt::format("width: sqrt(t), full = {:.0f} t", model_.width_scale_tonnes), 5});
    // The rule is view/model/cover_model.hpp's; docs/facilitation.md §Stock cover explains it.
    rows.push_back(
        {fmt::format("stock cover of the good most at risk (full = {:.0f} months)", kCoverTargetMonths), 4});
    rows.push_back({fmt::format("red: under half its starting cover (or a week), or >{:.0f}% of demand unmet",
                                100.0 * kShortUnmetShare),
                    6});
    rows.push_back({model_.leverage_measured() ? (selected_ ? "dot: size = leverage; colour = net vs selected"
                                                                 : "dot size: leverage index")
                                               : "leverage not measured",
                    5});

    float width = 0.0f;
    for (const Row& row : rows) {
        sf::Text t(row.text, *font_, size);
        t.setFillColor(c.text);
        width = std::max(width, t.getLocalBounds().width + (row.kind == 0 || row.kind == 5 ? 0.0f : swatch + pad));
        legend_text_.push_back(std::move(t));
    }
    const float box_w = width + 2 * pad, box_h = line * static_cast<float>(rows.size()) + 2 * pad - 2;
    const float left = v.left + 10.0f, top = v.top + v.height - box_h - 10.0f;
    rect(legend_, left, top, left + box_w, top + box_h, c.panel);
    for (size_t i = 0; i < rows.size(); ++i) {
        const Row& row = rows[i];
        const float y = top + pad + line * static_cast<float>(i), mid = y + line / 2.0f;
        const float sx = left + pad, ex = sx + swatch;
        const bool swatched = row.kind != 0 && row.kind != 5;
        legend_text_[i].setPosition(std::round(swatched ? ex + pad : sx), std::round(y));
        switch (row.kind) {
            case 1:
                segment(legend_, {sx, mid}, {ex, mid}, 4.0f * k,
                        to_sf(good_colour(row.good.value_or(GoodId{}), style_.colour_blind_safe)));
                break;
            case 2: {
                const float h = 4.0f * k;
                const float cx = sx + swatch / 2, e = 1.5f;
                segment(legend_, {sx, mid}, {ex, mid}, 2.0f * k, c.coast);
                rect(legend_, cx - h - e, mid - h - e, cx + h + e, mid + h + e, c.dot_edge);
                rect(legend_, cx - h, mid - h, cx + h, mid + h, c.licence);
                break;
            }
            case 3: {
                segment(legend_, {sx, mid}, {sx + 7.0f * k, mid}, 3.0f * k, kVermillion);
                segment(legend_, {ex - 7.0f * k, mid}, {ex, mid}, 3.0f * k, kVermillion);
                const float x = 5.0f * k, cx = sx + swatch / 2;
                segment(legend_, {cx - x, mid - x}, {cx + x, mid + x}, 2.5f * k, kVermillion);
                segment(legend_, {cx - x, mid + x}, {cx + x, mid - x}, 2.5f * k, kVermillion);
                break;
            }
            case 4: {
                const sf::Vector2f p(sx + swatch / 2, mid);
                arc(legend_, p, 4.0f * k, 7.0f * k, 0.0f, 2.0f * kPi, c.track);
                arc(legend_, p, 4.0f * k, 7.0f * k, 0.0f, 1.3f * kPi, c.ring);
                break;
            }
            case 6: {
                const sf::Vector2f p(sx + swatch / 2, mid);
                arc(legend_, p, 4.0f * k, 7.0f * k, 0.0f, 2.0f * kPi,
                    sf::Color(kVermillion.r, kVermillion.g, kVermillion.b, 110));
                arc(legend_, p, 4.0f * k, 7.0f * k, 0.0f, 0.4f * kPi, kVermillion);
                break;
            }
            default:
                break;
        }
    }
}

void WorldView::build_hover() {
    hover_built_ = true;
    hover_built_for_ = hovered_;
    hover_.clear();
    if (!hovered_ || hovered_->index() >= dot_pos_.size()) return;
    const float k = style_.scale;
    const float r0 = dot_radius_[*hovered_] + (hovered_ == selected_ ? 12.0f : 8.0f) * k;
    arc(hover_, dot_pos_[*hovered_], r0, r0 + 1.5f * k, 0.0f, 2.0f * kPi, colours_for(style_.theme).text);
}

void WorldView::draw(sf::RenderTarget& target) {
    if (target.getSize() != size_) set_size(target.getSize());
    if (!(built_ == wanted())) rebuild();
    if (!hover_built_ || hover_built_for_ != hovered_) build_hover();
    const Viewport v = viewport();
    const sf::Vector2u pixels(static_cast<unsigned>(std::lround(v.width)), static_cast<unsigned>(std::lround(v.height)));
    if (pixels.x == 0 || pixels.y == 0) return;
    const sf::View previous = target.getView();
    const sf::View clip(sf::FloatRect(v.left, v.top, static_cast<float>(pixels.x), static_cast<float>(pixels.y)));
    // Redraw the picture only when the geometry was rebuilt (or the map area changed size).
    bool have_picture = picture_.getSize() == pixels || picture_.create(pixels.x, pixels.y);
    if (have_picture && picture_builds_ != builds_) {
        picture_.setView(clip);
        picture_.clear(colours_for(style_.theme).ocean);
        draw_layers(picture_);
        picture_.display();
        picture_builds_ = builds_;
    }
    const sf::Vector2f ts(static_cast<float>(target.getSize().x), static_cast<float>(target.getSize().y));
    sf::View clipped = clip;
    clipped.setViewport(sf::FloatRect(v.left / ts.x, v.top / ts.y, static_cast<float>(pixels.x) / ts.x,
                                      static_cast<float>(pixels.y) / ts.y));
    target.setView(clipped);
    if (have_picture) {
        sf::Sprite picture(picture_.getTexture());
        picture.setPosition(v.left, v.top);
        target.draw(picture, sf::RenderStates(sf::BlendNone));
    } else {
        draw_layers(target);  // no offscreen buffer here: draw straight into the target
    }
    target.draw(hover_);
    target.setView(previous);
}

void WorldView::draw_layers(sf::RenderTarget& target) {
    // The opaque layers skip blending: under a software renderer (llvmpipe) a blended full-screen
    // quad costs several times an unblended one.
    const sf::RenderStates opaque(sf::BlendNone);
    sf::RenderStates land(sf::BlendNone, land_transform_, nullptr, nullptr);
    target.draw(ocean_, opaque);
    target.draw(land_, land);
    target.draw(lakes_, land);
    target.draw(margins_, opaque);
    land.blendMode = sf::BlendAlpha;
    target.draw(coast_, land);
    target.draw(flows_);
    target.draw(marks_);
    target.draw(dots_);
    for (const auto& t : labels_) target.draw(t);
    target.draw(legend_);
    for (const auto& t : legend_text_) target.draw(t);
}

std::string WorldView::hover_text() const {
    return hovered_ ? tooltip(model_, *hovered_, selected_) : std::string();
}

bool WorldView::inside(float x, float y) const {
    const Viewport v = viewport();
    return x >= v.left && y >= v.top && x < v.left + v.width && y < v.top + v.height;
}

std::optional<CountryId> WorldView::pick(float x, float y) const {
    if (!inside(x, y)) return std::nullopt;
    const Viewport v = viewport();
    const LonLat ll = to_lonlat(transform_, v, x, y);
    const float radius_px = kPickRadius * style_.scale;
    return country_at(model_, ll.first, ll.second, radius_px / pixels_per_degree(transform_, v));
}

bool WorldView::handle_event(const sf::Event& e, bool imgui_wants_mouse, UiState& ui) {
    if (!handle_event(e, imgui_wants_mouse)) return false;
    ui.selected = selected_;
    return true;
}

bool WorldView::handle_event(const sf::Event& e, bool imgui_wants_mouse) {
    switch (e.type) {
        case sf::Event::Resized:
            set_size({e.size.width, e.size.height});
            return false;
        case sf::Event::MouseWheelScrolled: {
            const float x = static_cast<float>(e.mouseWheelScroll.x), y = static_cast<float>(e.mouseWheelScroll.y);
            if (imgui_wants_mouse || !inside(x, y)) return false;
            transform_ = zoom_at(transform_, viewport(), x, y, std::pow(kWheelStep, e.mouseWheelScroll.delta));
            hovered_ = pick(x, y);
            return false;
        }
        case sf::Event::MouseButtonPressed: {
            const float x = static_cast<float>(e.mouseButton.x), y = static_cast<float>(e.mouseButton.y);
            if (e.mouseButton.button != sf::Mouse::Left || imgui_wants_mouse || !inside(x, y)) return false;
            dragging_ = true;
            dragged_ = false;
            press_ = last_ = {x, y};
            return false;
        }
        case sf::Event::MouseMoved: {
            const sf::Vector2f p(static_cast<float>(e.mouseMove.x), static_cast<float>(e.mouseMove.y));
            mouse_ = p;
            if (dragging_) {
                if (length(p - press_) > kClickSlop) dragged_ = true;
                if (dragged_) transform_ = pan_by(transform_, viewport(), p.x - last_.x, p.y - last_.y);
                last_ = p;
                hovered_.reset();
                return false;
            }
            hovered_ = imgui_wants_mouse ? std::nullopt : pick(p.x, p.y);
            return false;
        }
        case sf::Event::MouseButtonReleased: {
            if (e.mouseButton.button != sf::Mouse::Left || !dragging_) return false;
            dragging_ = false;
            const float x = static_cast<float>(e.mouseButton.x), y = static_cast<float>(e.mouseButton.y);
            if (dragged_) {
                hovered_ = imgui_wants_mouse ? std::nullopt : pick(x, y);
                return false;
            }
            selected_ = pick(x, y);
            return true;
        }
        case sf::Event::MouseLeft:
            hovered_.reset();
            return false;
        default:
            return false;
    }
}

}  // namespace chokepoint::view
