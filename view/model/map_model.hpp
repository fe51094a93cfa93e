// What the world map shows, computed from a snapshot without SFML: countries at
// their positions with leverage and stock cover, last turn's trade flows with the
// status of each route, the hover tooltip, picking, and the zoom/pan arithmetic.
// view/map/world_view.cpp turns this into vertex arrays; tests/view checks it
// without a display.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "view/map_data.hpp"
#include "view/model/cover_model.hpp"
#include "view/session.hpp"

namespace chokepoint::view {

// The ring shows cover against this many months (a full ring: cover that is never low); it is in
// alarm when its good's cover is low or short (view/model/cover_model.hpp).
inline constexpr double kCoverTargetMonths = kNeverLowMonths;

struct MapFilter {
    std::optional<GoodId> good;  // none: all goods
    double min_share = 0.02;     // hide flows under this share of the turn's largest flow of the same good
    std::optional<CountryId> selected;   // net leverage is shown against this country
    std::optional<CountryId> team_view;  // a team's view: other countries' cover is private (it reveals their stocks)
    bool show_embargoed = true;  // embargoed routes, even those that carry nothing now
    int top_routes = 0;          // > 0: only this many of the largest flows (embargoed routes apart)
    bool operator==(const MapFilter&) const = default;
};

// Open: trade as usual. Licensed: the exporter's regime toward the importer requires a licence
// for the good (what flows, flows under one). Embargoed: the regime forbids it.
enum class RouteStatus { Open = 0, Licensed = 1, Embargoed = 2 };
const char* to_string(RouteStatus s);

struct GoodCover {
    GoodId good{};
    double months = 0.0;        // months_of_cover (engine/metrics/indicators.hpp)
    double import_share = 0.0;  // of last turn's use
    bool exposed = false;       // imported, or more used than the country can make
    double use_value = 0.0;     // annual use × reference price, USD/yr: how much the good matters
    double usual_months = 0.0;  // its cover when the game began (usual_cover)
    double unmet_share = 0.0;   // of last turn's sector demand for it
    CoverLevel level = CoverLevel::Normal;  // judge_cover
};

struct Supply {
    CountryId from{};
    GoodId good{};
    double tonnes = 0.0;  // last turn
};

struct MapCountry {
    CountryId id{};
    std::string name;
    float lon = 0.0f, lat = 0.0f;
    bool bloc = false;                   // an aggregate ("rest of world"), not a place
    double leverage_index = 0.0;         // combined index of the last measurement (0 when none)
    int leverage_rank = 0;               // 1 = the most leverage; 0 when not measured
    double net_vs_selected = 0.0;        // net(this, selected): > 0 this country holds leverage over it
    bool cover_known = true;             // false: private in a team view
    // The ring's good, among those that matter: the one in the worst trouble (short, then low, the
    // least cover first), else the exposed one with the least cover (none: no such good).
    std::optional<GoodId> critical_good;
    double cover_months = 0.0;           // of the critical good
    double usual_cover_months = 0.0;     // of the critical good, when the game began
    double weighted_cover_months = 0.0;  // every good it uses, weighted by use_value (capped at 5 years each)
    float cover_ratio = 1.0f;            // cover_months / kCoverTargetMonths, 0..1: the ring's sweep
    CoverLevel cover_level = CoverLevel::Normal;  // of the critical good
    bool cover_alarm = false;                     // cover_level is low or short: the ring is red
    std::vector<GoodCover> cover;        // the goods it uses (of the filter), most valuable use first
    std::vector<Supply> suppliers;       // last turn's imports (of the filter), most valuable first
};

struct MapFlow {
    CountryId from{}, to{};
    GoodId good{};
    double tonnes = 0.0;  // last turn
    float width = 0.0f;   // 0..1: sqrt(tonnes / MapModel::width_scale_tonnes)
    int width_class = 0;  // 0..4, the width in five steps (a legend's classes)
    RouteStatus status = RouteStatus::Open;
    int slot = 0;  // its place among the flows shown from `from` to `to` (curves fan out by slot)
};

struct MapModel {
    std::uint64_t version = 0;  // of the snapshot it was built from
    int turn = -1;              // the last turn played (-1: none yet)
    std::string date;
    MapFilter filter;
    PerGood<std::string> good_names;
    PerCountry<MapCountry> countries;
    std::vector<MapFlow> flows;         // by good, then exporter, then importer
    // The flow drawn at full width: the largest single flow of the game so far among the goods
    // shown, so widths compare across turns.
    double width_scale_tonnes = 0.0;
    int leverage_turn = -1;  // turn of the last leverage measurement (-1: none)
    CountryMatrix<> combined;  // its combined damage [a][b] (empty when none)

    bool leverage_measured() const { return !combined.cells.empty(); }
    // net(a, b) as engine/leverage/leverage.hpp defines it; 0 when not measured or out of range.
    double net(CountryId a, CountryId b) const;
};

MapModel build_map_model(const Snapshot& snap, const MapFilter& filter);

// The hover text for a country: name, leverage index and rank, net leverage against
// `selected` (or, with none, over whom it holds the most), cover of the goods that matter
// most, and the main suppliers. Several lines, no markup.
std::string tooltip(const MapModel& model, CountryId country, std::optional<CountryId> selected);

// The country nearest to (lon, lat) within radius_deg (plain degrees on the map), if any.
std::optional<CountryId> country_at(const MapModel& model, float lon, float lat, float radius_deg);

// --- Zoom and pan -----------------------------------------------------------------------------
// At zoom 1 the whole world fits the viewport; zooming keeps the map covering the viewport
// where it is larger than it, and centres it where it is smaller.
inline constexpr float kMinZoom = 1.0f;
inline constexpr float kMaxZoom = 16.0f;

struct ViewTransform {
    float zoom = 1.0f, centre_lon = 20.0f, centre_lat = 20.0f;
    bool operator==(const ViewTransform&) const = default;
};

// The part of the window the map uses (window pixels).
struct Viewport {
    float left = 0.0f, top = 0.0f, width = 0.0f, height = 0.0f;
    bool operator==(const Viewport&) const = default;
};

float pixels_per_degree(const ViewTransform& t, const Viewport& v);
MapPoint to_screen(const ViewTransform& t, const Viewport& v, float lon, float lat);
LonLat to_lonlat(const ViewTransform& t, const Viewport& v, float x, float y);
// The zoom within [kMinZoom, kMaxZoom] and the centre where the map still covers the viewport.
ViewTransform clamp_view(ViewTransform t, const Viewport& v);
// Zooms by `factor` keeping the map point under the screen point (x, y) where it is (before clamping).
ViewTransform zoom_at(const ViewTransform& t, const Viewport& v, float x, float y, float factor);
// Moves the map with a drag of (dx, dy) pixels.
ViewTransform pan_by(const ViewTransform& t, const Viewport& v, float dx, float dy);

}  // namespace chokepoint::view
