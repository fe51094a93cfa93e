#include "view/map/land_fill.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace chokepoint::view {

namespace {

size_t at(int i) {
    return static_cast<size_t>(i);
}

struct P {
    double x, y;
};

double cross(const P& a, const P& b, const P& c) {
    return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

// Longitudes made continuous across the antimeridian; a ring that goes once around a pole
// (Antarctica) is closed along the pole's latitude.
std::vector<LonLat> unwrap(const std::vector<LonLat>& ring) {
    std::vector<LonLat> out;
    out.reserve(ring.size() + 2);
    float offset = 0.0f;
    for (size_t i = 0; i < ring.size(); ++i) {
        if (i > 0) {
            const float step = ring[i].first - ring[i - 1].first;
            if (step > 180.0f) offset -= 360.0f;
            if (step < -180.0f) offset += 360.0f;
        }
        out.push_back({ring[i].first + offset, ring[i].second});
    }
    if (out.size() > 2 && std::abs(out.back().first - out.front().first) > 180.0f) {
        double lat_sum = 0.0;
        for (const auto& p : out) lat_sum += p.second;
        const float pole = lat_sum < 0 ? -90.0f : 90.0f;
        out.push_back({out.back().first, pole});
        out.push_back({out.front().first, pole});
    }
    return out;
}

// > 0 when d lies inside the circle through the counter-clockwise triangle a, b, c.
double in_circle(const P& a, const P& b, const P& c, const P& d) {
    const double ax = a.x - d.x, ay = a.y - d.y, bx = b.x - d.x, by = b.y - d.y, cx = c.x - d.x, cy = c.y - d.y;
    return (ax * ax + ay * ay) * (bx * cy - cx * by) - (bx * bx + by * by) * (ax * cy - cx * ay) +
           (cx * cx + cy * cy) * (ax * by - bx * ay);
}

// Lawson's edge flips: ear clipping leaves long slivers across a continent, which a software
// rasteriser pays for in every tile they cross; flipping each inner edge that breaks the
// Delaunay condition gives the constrained Delaunay triangulation (the ring's own edges stay).
void make_delaunay(const std::vector<P>& pts, std::vector<std::array<int, 3>>& tris) {
    auto key = [](int a, int b) {
        return (static_cast<std::uint64_t>(std::min(a, b)) << 32) | static_cast<std::uint32_t>(std::max(a, b));
    };
    std::unordered_map<std::uint64_t, std::array<int, 2>> sides;  // edge -> the (up to) two triangles on it
    auto attach = [&](int t) {
        for (int k = 0; k < 3; ++k) {
            auto [it, fresh] =
                sides.try_emplace(key(tris[t][k], tris[t][(k + 1) % 3]), std::array<int, 2>{t, -1});
            if (!fresh) (it->second[0] < 0 ? it->second[0] : it->second[1]) = t;
        }
    };
    auto detach = [&](int t) {
        for (int k = 0; k < 3; ++k) {
            auto& two = sides[key(tris[t][k], tris[t][(k + 1) % 3])];
            for (int& side : two)
                if (side == t) side = -1;
        }
    };
    for (int t = 0; t < static_cast<int>(tris.size()); ++t) attach(t);
    std::vector<std::uint64_t> work;
    for (const auto& [edge, two] : sides)
        if (two[0] >= 0 && two[1] >= 0) work.push_back(edge);
    // The vertex of triangle t not on edge (a, b).
    auto opposite = [&](int t, int a, int b) {
        for (int v : tris[t])
            if (v != a && v != b) return v;
        return -1;
    };
    size_t budget = 50 * tris.size() + 100;  // flips terminate; this only guards against round-off loops
    while (!work.empty() && budget-- > 0) {
        const std::uint64_t edge = work.back();
        work.pop_back();
        const auto it = sides.find(edge);
        if (it == sides.end() || it->second[0] < 0 || it->second[1] < 0) continue;
        int t1 = it->second[0], t2 = it->second[1];
        int a = static_cast<int>(edge >> 32), b = static_cast<int>(edge & 0xffffffffu);
        // Orient so that t1 = (a, b, c) runs counter-clockwise.
        int c = opposite(t1, a, b), d = opposite(t2, a, b);
        if (c < 0 || d < 0) continue;
        if (cross(pts[a], pts[b], pts[c]) < 0) std::swap(a, b);
        const P &pa = pts[a], &pb = pts[b], &pc = pts[c], &pd = pts[d];
        if (in_circle(pa, pb, pc, pd) <= 1e-9) continue;
        // The new diagonal c-d must lie inside the quad a, d, b, c.
        if (cross(pc, pa, pd) <= 0 || cross(pd, pb, pc) <= 0) continue;
        detach(t1);
        detach(t2);
        sides.erase(edge);
        tris[t1] = {a, d, c};
        tris[t2] = {d, b, c};
        attach(t1);
        attach(t2);
        for (std::uint64_t e : {key(a, d), key(d, b), key(b, c), key(c, a)}) work.push_back(e);
    }
}

// Appends triangle (a, b, c) moved by `shift` degrees of longitude and cut to -180..180, as a fan.
void clip_to_map(LonLat a, LonLat b, LonLat c, float shift, std::vector<LonLat>& out) {
    std::vector<LonLat> poly = {{a.first + shift, a.second}, {b.first + shift, b.second}, {c.first + shift, c.second}};
    for (float side : {-1.0f, 1.0f}) {  // keep side * lon <= 180
        std::vector<LonLat> kept;
        for (size_t i = 0; i < poly.size(); ++i) {
            const LonLat p = poly[i], q = poly[(i + 1) % poly.size()];
            const bool p_in = side * p.first <= 180.0f, q_in = side * q.first <= 180.0f;
            if (p_in) kept.push_back(p);
            if (p_in != q_in) {
                const float edge = side * 180.0f, t = (edge - p.first) / (q.first - p.first);
                kept.push_back({edge, p.second + t * (q.second - p.second)});
            }
        }
        poly = std::move(kept);
        if (poly.size() < 3) return;
    }
    for (size_t i = 1; i + 1 < poly.size(); ++i) {
        out.push_back(poly[0]);
        out.push_back(poly[i]);
        out.push_back(poly[i + 1]);
    }
}

}  // namespace

double signed_area(const std::vector<LonLat>& ring) {
    double a = 0.0;
    for (size_t i = 0; i < ring.size(); ++i) {
        const LonLat& p = ring[i];
        const LonLat& q = ring[(i + 1) % ring.size()];
        a += static_cast<double>(p.first) * q.second - static_cast<double>(q.first) * p.second;
    }
    return a / 2.0;
}

std::vector<LonLat> triangulate_ring(const std::vector<LonLat>& ring) {
    std::vector<P> pts;
    pts.reserve(ring.size());
    for (const auto& [lon, lat] : ring) {
        const P p{lon, lat};
        if (!pts.empty() && pts.back().x == p.x && pts.back().y == p.y) continue;
        pts.push_back(p);
    }
    while (pts.size() > 1 && pts.front().x == pts.back().x && pts.front().y == pts.back().y) pts.pop_back();
    const int n = static_cast<int>(pts.size());
    if (n < 3) return {};
    double area2 = 0.0;
    for (int i = 0; i < n; ++i) area2 += pts[i].x * pts[(i + 1) % n].y - pts[(i + 1) % n].x * pts[i].y;
    if (area2 < 0) std::reverse(pts.begin(), pts.end());  // counter-clockwise from here on

    std::vector<int> prev(n), next(n);
    for (int i = 0; i < n; ++i) {
        prev[i] = (i + n - 1) % n;
        next[i] = (i + 1) % n;
    }
    std::vector<std::array<int, 3>> tris;
    tris.reserve(n - 2);
    auto emit = [&](int a, int b, int c) { tris.push_back({a, b, c}); };
    auto same = [](const P& p, const P& q) { return p.x == q.x && p.y == q.y; };
    // Ear clipping: cut off a convex corner whose triangle holds no other vertex, until three remain.
    int count = n, i = 0, misses = 0;
    while (count > 3) {
        const int a = prev[i], c = next[i];
        const P &pa = pts[a], &pb = pts[i], &pc = pts[c];
        const double turn = cross(pa, pb, pc);
        bool ear = turn > 0;
        if (ear) {
            const double x0 = std::min({pa.x, pb.x, pc.x}), x1 = std::max({pa.x, pb.x, pc.x});
            const double y0 = std::min({pa.y, pb.y, pc.y}), y1 = std::max({pa.y, pb.y, pc.y});
            for (int j = next[c]; j != a; j = next[j]) {
                const P& q = pts[j];
                if (q.x < x0 || q.x > x1 || q.y < y0 || q.y > y1) continue;
                if (same(q, pa) || same(q, pb) || same(q, pc)) continue;
                if (cross(pa, pb, q) >= 0 && cross(pb, pc, q) >= 0 && cross(pc, pa, q) >= 0) {
                    ear = false;
                    break;
                }
            }
        }
        // A straight corner adds nothing; after a whole lap without an ear (a degenerate ring),
        // drop the corner anyway so the loop ends.
        if (ear || turn == 0 || misses > count) {
            if (ear) emit(a, i, c);
            next[a] = c;
            prev[c] = a;
            --count;
            i = c;
            misses = 0;
        } else {
            i = next[i];
            ++misses;
        }
    }
    if (cross(pts[prev[at(i)]], pts[i], pts[next[at(i)]]) > 0) emit(prev[i], i, next[i]);
    make_delaunay(pts, tris);

    std::vector<LonLat> out;
    out.reserve(3 * tris.size());
    for (const auto& t : tris)
        for (int k : t) out.push_back({static_cast<float>(pts[k].x), static_cast<float>(pts[k].y)});
    return out;
}

LandFill triangulate_land(const LandMap& land) {
    LandFill fill;
    for (const auto& ring : land.rings) {
        const std::vector<LonLat> flat = unwrap(ring);
        const bool around_pole = flat.size() > ring.size();
        // Natural Earth's outer rings run clockwise (latitude up); the rest are lakes.
        const bool hole = !around_pole && signed_area(flat) > 0;
        std::vector<LonLat> tris = triangulate_ring(flat);
        float lo = 0.0f, hi = 0.0f;
        for (const auto& p : flat) {
            lo = std::min(lo, p.first);
            hi = std::max(hi, p.first);
        }
        std::vector<LonLat>& dest = hole ? fill.holes : fill.land;
        if (lo >= -180.0f && hi <= 180.0f) {
            dest.insert(dest.end(), tris.begin(), tris.end());
            continue;
        }
        // Both sides of the antimeridian, each cut at ±180° (nothing drawn off the map).
        for (float shift : {0.0f, -360.0f, 360.0f})
            for (size_t i = 0; i + 2 < tris.size(); i += 3) clip_to_map(tris[i], tris[i + 1], tris[i + 2], shift, dest);
    }
    return fill;
}

}  // namespace chokepoint::view
