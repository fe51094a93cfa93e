// What the world map shows, checked without a window: flows as the markets cleared them,
// each route's status, the filters, cover and leverage, the tooltip, picking, and the
// zoom/pan arithmetic. Games on the trio world: north makes everything, east makes magnets
// from north's oxide, south buys magnets.
#include "view/model/map_model.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "engine/metrics/indicators.hpp"
#include "engine/scenario/loader.hpp"
#include "tests/engine/sim/test_world.hpp"
#include "tests/view/snapshots.hpp"
#include "view/fonts.hpp"
#include "view/map/land_fill.hpp"
#include "view/map/world_view.hpp"

namespace chokepoint::view {
namespace {

using chokepoint::testing::good_of;
using chokepoint::testing::id_of;
using chokepoint::testing::ScriptedPolicy;

using testing::snapshot_of;

// North embargoes magnets toward south and licenses oxide toward east (approving every
// application in full) from the first turn; then a few turns are played.
struct TrioWithRegimes : ::testing::Test {
    Game game{chokepoint::testing::trio()};
    CountryId north = id_of(game, "north"), south = id_of(game, "south"), east = id_of(game, "east");
    GoodId oxide = good_of(game, "oxide"), magnet = good_of(game, "magnet");
    Snapshot snap;

    void SetUp() override {
        auto policy = std::make_unique<ScriptedPolicy>();
        AutopilotPolicy autopilot;
        policy->turn = [this, autopilot](PolicyContext& ctx) mutable {
            if (ctx.state().turn == 0) {
                ctx.issue(SetExportRegime{magnet, south, Regime::Embargo});
                ctx.issue(SetExportRegime{oxide, east, Regime::Licensed});
            }
            autopilot.on_turn(ctx);
        };
        policy->license = [](PolicyContext& ctx, const LicenseApplication& a) {
            ctx.issue(DecideLicense{a.id, LicenseDecisionKind::Approve, -1.0, 8, false});
        };
        game.set_policy(north, std::move(policy));
        for (int t = 0; t < 4; ++t) game.step();
        snap = snapshot_of(game);
    }

    const MapFlow* find(const MapModel& m, CountryId from, CountryId to, GoodId good) const {
        for (const auto& f : m.flows)
            if (f.from == from && f.to == to && f.good == good) return &f;
        return nullptr;
    }
};

TEST_F(TrioWithRegimes, FlowsAreLastTurnsOutcome) {
    MapFilter all;
    all.min_share = 0.0;
    const MapModel m = build_map_model(snap, all);
    const MarketOutcome& o = game.history().back().outcome;
    int positive = 0;
    for (GoodId g : game.defs().good_ids())
        for (CountryId a : game.defs().country_ids())
            for (CountryId b : game.defs().country_ids()) {
                if (a == b || o.flows[g](a, b) <= 1e-6) continue;
                ++positive;
                const MapFlow* f = find(m, a, b, g);
                ASSERT_NE(f, nullptr) << "good " << g.value() << " " << a.value() << "->" << b.value();
                EXPECT_DOUBLE_EQ(f->tonnes, o.flows[g](a, b));
            }
    EXPECT_GT(positive, 0);
    for (const auto& f : m.flows) {
        EXPECT_DOUBLE_EQ(f.tonnes, o.flows[f.good](f.from, f.to));
        EXPECT_GE(f.width, 0.0f);
        EXPECT_LE(f.width, 1.0f);
    }
    EXPECT_EQ(m.turn, game.history().back().turn);
}

TEST_F(TrioWithRegimes, EmbargoedRouteIsMarkedEvenWithNothingFlowing) {
    const MapModel m = build_map_model(snap, {});
    const MapFlow* cut = find(m, north, south, magnet);
    ASSERT_NE(cut, nullptr) << "an embargo on a route that used to carry magnets is drawn";
    EXPECT_EQ(cut->status, RouteStatus::Embargoed);
    EXPECT_EQ(cut->tonnes, 0.0);
    MapFilter hide;
    hide.show_embargoed = false;
    EXPECT_EQ(find(build_map_model(snap, hide), north, south, magnet), nullptr);
}

TEST_F(TrioWithRegimes, LicensedRouteIsMarkedLicensed) {
    const MapModel m = build_map_model(snap, {});
    const MapFlow* f = find(m, north, east, oxide);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, RouteStatus::Licensed);
    EXPECT_GT(f->tonnes, 0.0);
    const MapFlow* open = find(m, north, east, magnet);
    if (open) {
        EXPECT_EQ(open->status, RouteStatus::Open);
    }
}

TEST_F(TrioWithRegimes, FilterByGoodShowsOnlyThatGood) {
    MapFilter f;
    f.good = oxide;
    const MapModel m = build_map_model(snap, f);
    ASSERT_FALSE(m.flows.empty());
    for (const auto& flow : m.flows) EXPECT_EQ(flow.good, oxide);
    for (const auto& c : m.countries) {
        for (const auto& gc : c.cover) EXPECT_EQ(gc.good, oxide);
        for (const auto& s : c.suppliers) EXPECT_EQ(s.good, oxide);
    }
}

TEST_F(TrioWithRegimes, MinShareHidesFlowsSmallerThanThatShareOfTheLargest) {
    MapFilter f;
    f.min_share = 0.0;
    f.show_embargoed = false;
    const MapModel all = build_map_model(snap, f);
    f.min_share = 1.0;  // only each good's largest flow
    const MapModel top = build_map_model(snap, f);
    EXPECT_LE(top.flows.size(), all.flows.size());
    for (const auto& flow : top.flows) {
        double largest = 0.0;
        for (double t : game.history().back().outcome.flows[flow.good].cells) largest = std::max(largest, t);
        EXPECT_DOUBLE_EQ(flow.tonnes, largest);
    }
}

// Issue 13, trap 11: the largest N routes only; the embargoed markers stay.
TEST_F(TrioWithRegimes, TopRoutesKeepsTheLargestFlowsAndTheEmbargoMarks) {
    MapFilter f;
    f.min_share = 0.0;
    const MapModel all = build_map_model(snap, f);
    std::vector<double> carried;
    size_t marks = 0;
    for (const auto& flow : all.flows) {
        if (flow.status == RouteStatus::Embargoed && flow.tonnes <= 0) ++marks;
        else carried.push_back(flow.tonnes);
    }
    ASSERT_GE(carried.size(), 3u);
    std::sort(carried.rbegin(), carried.rend());
    f.top_routes = 2;
    const MapModel top = build_map_model(snap, f);
    size_t top_marks = 0;
    std::vector<double> kept;
    for (const auto& flow : top.flows) {
        if (flow.status == RouteStatus::Embargoed && flow.tonnes <= 0) ++top_marks;
        else kept.push_back(flow.tonnes);
    }
    EXPECT_EQ(top_marks, marks);
    ASSERT_EQ(kept.size(), 2u);
    std::sort(kept.rbegin(), kept.rend());
    EXPECT_DOUBLE_EQ(kept[0], carried[0]);
    EXPECT_DOUBLE_EQ(kept[1], carried[1]);
}

TEST_F(TrioWithRegimes, RoutesOfOnePairFanOutBySlot) {
    MapFilter f;
    f.min_share = 0.0;
    const MapModel m = build_map_model(snap, f);
    for (size_t i = 0; i < m.flows.size(); ++i)
        for (size_t j = i + 1; j < m.flows.size(); ++j)
            if (m.flows[i].from == m.flows[j].from && m.flows[i].to == m.flows[j].to) {
                EXPECT_NE(m.flows[i].slot, m.flows[j].slot);
            }
}

TEST_F(TrioWithRegimes, CoverRingFollowsTheMostExposedGood) {
    const MapModel m = build_map_model(snap, {});
    const MapCountry& s = m.countries[south];
    ASSERT_EQ(s.critical_good, magnet) << "south makes nothing and imports magnets";
    const double months = months_of_cover(game.defs(), game.state(), south, magnet);
    EXPECT_DOUBLE_EQ(s.cover_months, months);
    EXPECT_FLOAT_EQ(s.cover_ratio, static_cast<float>(std::clamp(months / kCoverTargetMonths, 0.0, 1.0)));
    auto ring = std::find_if(s.cover.begin(), s.cover.end(), [&](const GoodCover& gc) { return gc.good == magnet; });
    ASSERT_NE(ring, s.cover.end());
    EXPECT_EQ(s.cover_level, ring->level);
    EXPECT_EQ(s.cover_alarm, s.cover_level != CoverLevel::Normal);
}

TEST_F(TrioWithRegimes, TeamViewKeepsOtherCountriesCoverPrivate) {
    MapFilter f;
    f.team_view = north;
    const MapModel m = build_map_model(snap, f);
    EXPECT_TRUE(m.countries[north].cover_known);
    EXPECT_FALSE(m.countries[south].cover_known);
    EXPECT_TRUE(m.countries[south].cover.empty());
    EXPECT_NE(tooltip(m, south, std::nullopt).find("private"), std::string::npos);
}

TEST_F(TrioWithRegimes, LeverageComesFromTheLastMeasurement) {
    MapFilter f;
    f.selected = south;
    const MapModel m = build_map_model(snap, f);
    const LeverageReport& lev = game.history().back().leverage;
    ASSERT_TRUE(m.leverage_measured());
    for (CountryId c : game.defs().country_ids()) {
        EXPECT_DOUBLE_EQ(m.countries[c].leverage_index, lev.index_combined[c]);
        EXPECT_GE(m.countries[c].leverage_rank, 1);
    }
    EXPECT_DOUBLE_EQ(m.countries[north].net_vs_selected, lev.net(north, south));
    EXPECT_DOUBLE_EQ(m.net(north, south), lev.net(north, south));
}

TEST_F(TrioWithRegimes, TooltipNamesLeverageNetAgainstTheSelectedCoverAndSuppliers) {
    const MapModel m = build_map_model(snap, {});
    const std::string text = tooltip(m, south, north);
    EXPECT_NE(text.find("South"), std::string::npos);
    EXPECT_NE(text.find(fmt::format("{:.3f}", m.countries[south].leverage_index)), std::string::npos) << text;
    EXPECT_NE(text.find(fmt::format("{:+.3f}", m.net(south, north))), std::string::npos) << text;
    EXPECT_NE(text.find("Magnet"), std::string::npos) << text;
    EXPECT_NE(text.find("East"), std::string::npos) << "south's supplier once north embargoes:\n" << text;
    EXPECT_TRUE(tooltip(m, kNoCountry, north).empty());
    EXPECT_TRUE(tooltip(m, CountryId{3}, north).empty()) << "past the last country";
}

TEST(MapModel, WithoutLeverageOrHistoryItStillShowsCountries) {
    Game game(chokepoint::testing::trio(), GameOptions{false});
    Snapshot before = snapshot_of(game);
    const MapModel m0 = build_map_model(before, {});
    EXPECT_EQ(m0.countries.size(), 3u);
    EXPECT_TRUE(m0.flows.empty());
    EXPECT_EQ(m0.turn, -1);
    game.step();
    const MapModel m1 = build_map_model(snapshot_of(game), {});
    EXPECT_FALSE(m1.leverage_measured());
    EXPECT_NE(tooltip(m1, CountryId{0}, std::nullopt).find("not measured"), std::string::npos);
    EXPECT_FALSE(m1.flows.empty());
}

TEST(MapModel, PickingFindsTheNearestCountryWithinTheRadius) {
    MapModel m;
    for (auto [lon, lat] : {LonLat{100.0f, 35.0f}, LonLat{104.0f, 35.0f}, LonLat{-90.0f, 38.0f}}) {
        MapCountry c;
        c.id = CountryId{m.countries.count()};
        c.lon = lon;
        c.lat = lat;
        m.countries.push_back(c);
    }
    EXPECT_EQ(country_at(m, 101.0f, 35.0f, 5.0f), CountryId{0});
    EXPECT_EQ(country_at(m, 103.0f, 36.0f, 5.0f), CountryId{1});
    EXPECT_EQ(country_at(m, -88.0f, 37.0f, 3.0f), CountryId{2});
    EXPECT_FALSE(country_at(m, 0.0f, 0.0f, 5.0f));
    EXPECT_FALSE(country_at(m, -86.0f, 38.0f, 3.0f)) << "4 degrees away, radius 3";
}

// --- Zoom and pan ---------------------------------------------------------------------------

const Viewport kView{100.0f, 50.0f, 1200.0f, 700.0f};

TEST(ViewTransform, ProjectionRoundTrips) {
    for (ViewTransform t : {ViewTransform{}, ViewTransform{3.0f, 100.0f, 30.0f}, ViewTransform{9.5f, -60.0f, -20.0f}}) {
        t = clamp_view(t, kView);
        for (auto [lon, lat] : {LonLat{0, 0}, LonLat{104.2f, 35.9f}, LonLat{-98.6f, 39.8f}, LonLat{-179, -80}}) {
            const MapPoint p = to_screen(t, kView, lon, lat);
            const LonLat back = to_lonlat(t, kView, p.x, p.y);
            EXPECT_NEAR(back.first, lon, 1e-3);
            EXPECT_NEAR(back.second, lat, 1e-3);
        }
    }
}

TEST(ViewTransform, ZoomOneShowsTheWholeWorldCentred) {
    const ViewTransform t = clamp_view({}, kView);
    const MapPoint nw = to_screen(t, kView, -180.0f, 90.0f), se = to_screen(t, kView, 180.0f, -90.0f);
    EXPECT_NEAR(nw.x, kView.left, 1e-3) << "the width is the tighter fit";
    EXPECT_NEAR(se.x, kView.left + kView.width, 1e-3);
    EXPECT_NEAR((nw.y + se.y) / 2.0f, kView.top + kView.height / 2.0f, 1e-3);
    EXPECT_NEAR(se.x - nw.x, 2.0f * (se.y - nw.y), 1e-3) << "equirectangular: 2:1";
}

TEST(ViewTransform, ZoomAtAPointKeepsThatPointFixed) {
    const ViewTransform t = clamp_view({4.0f, 100.0f, 30.0f}, kView);
    const float x = 800.0f, y = 300.0f;
    const LonLat before = to_lonlat(t, kView, x, y);
    for (float factor : {1.25f, 0.8f, 2.0f}) {
        const ViewTransform z = zoom_at(t, kView, x, y, factor);
        EXPECT_NEAR(z.zoom, t.zoom * factor, 1e-4);
        const MapPoint p = to_screen(z, kView, before.first, before.second);
        EXPECT_NEAR(p.x, x, 1e-2);
        EXPECT_NEAR(p.y, y, 1e-2);
    }
}

TEST(ViewTransform, ZoomIsClampedAndTheMapKeepsCoveringTheViewport) {
    EXPECT_EQ(zoom_at({}, kView, 500.0f, 300.0f, 0.1f).zoom, kMinZoom);
    EXPECT_EQ(zoom_at({kMaxZoom, 0, 0}, kView, 500.0f, 300.0f, 10.0f).zoom, kMaxZoom);
    const ViewTransform far = clamp_view({4.0f, 175.0f, 85.0f}, kView);
    const MapPoint ne = to_screen(far, kView, 180.0f, 90.0f);
    EXPECT_NEAR(ne.x, kView.left + kView.width, 1e-2) << "no ocean beyond the antimeridian";
    EXPECT_NEAR(ne.y, kView.top, 1e-2);
}

TEST(ViewTransform, PanMovesTheMapWithTheMouse) {
    const ViewTransform t = clamp_view({4.0f, 20.0f, 20.0f}, kView);
    const MapPoint before = to_screen(t, kView, 10.0f, 15.0f);
    const ViewTransform p = pan_by(t, kView, 40.0f, -25.0f);
    const MapPoint after = to_screen(p, kView, 10.0f, 15.0f);
    EXPECT_NEAR(after.x - before.x, 40.0f, 1e-2);
    EXPECT_NEAR(after.y - before.y, -25.0f, 1e-2);
    EXPECT_EQ(pan_by({}, kView, 300.0f, 0.0f), clamp_view({}, kView)) << "the whole world shown: nothing to pan";
}

// --- Filled land ----------------------------------------------------------------------------

double triangles_area(const std::vector<LonLat>& tris) {
    double a = 0.0;
    for (size_t i = 0; i + 2 < tris.size(); i += 3) a += std::abs(signed_area({tris[i], tris[i + 1], tris[i + 2]}));
    return a;
}

TEST(LandFill, EarClippingCoversAConcavePolygonExactly) {
    // An L, clockwise and closed as in the land file.
    const std::vector<LonLat> l = {{0, 0}, {0, 4}, {1, 4}, {1, 1}, {3, 1}, {3, 0}, {0, 0}};
    const auto tris = triangulate_ring(l);
    EXPECT_EQ(tris.size(), 3u * 4u);
    EXPECT_NEAR(triangles_area(tris), 6.0, 1e-9);
}

TEST(LandFill, EveryRingOfTheLandMapIsCoveredByItsTriangles) {
    const LandMap land = load_land_map(std::string(CHOKEPOINT_SOURCE_DIR) + "/assets/map/land-110m.txt");
    for (size_t i = 0; i < land.rings.size(); ++i) {
        const auto& ring = land.rings[i];
        bool cut = false;  // at ±180°: made continuous first, checked below
        for (size_t k = 1; k < ring.size(); ++k) cut = cut || std::abs(ring[k].first - ring[k - 1].first) > 180.0f;
        if (cut) continue;
        const double area = std::abs(signed_area(ring));
        EXPECT_NEAR(triangles_area(triangulate_ring(ring)), area, 1e-3 * area + 1e-3) << "ring " << i;
    }
    const LandFill fill = triangulate_land(land);
    EXPECT_GT(fill.land.size(), 3000u);
    EXPECT_EQ(fill.land.size() % 3, 0u);
    EXPECT_FALSE(fill.holes.empty()) << "the Caspian";
    for (const auto& [lon, lat] : fill.land) {
        ASSERT_GE(lon, -180.0f);
        ASSERT_LE(lon, 180.0f) << "rings cut at the antimeridian are cut back to the map";
    }
    // Each ring's land once: the uncut rings exactly, plus the cut ones made whole — Eurasia
    // (~8,960 square degrees) and Antarctica closed along the pole (~5,980) — drawn once, not twice.
    double uncut = 0.0;
    for (const auto& ring : land.rings) {
        bool cut = false;
        for (size_t k = 1; k < ring.size(); ++k) cut = cut || std::abs(ring[k].first - ring[k - 1].first) > 180.0f;
        if (!cut && signed_area(ring) < 0) uncut -= signed_area(ring);  // outer rings run clockwise
    }
    const double total = triangles_area(fill.land);
    EXPECT_GT(total - uncut, 14000.0);
    EXPECT_LT(total - uncut, 16000.0);
}

// --- The SFML view: input needs no display, drawing does -------------------------------------

sf::Event mouse(sf::Event::EventType type, sf::Vector2f at) {
    sf::Event e;
    e.type = type;
    if (type == sf::Event::MouseMoved) {
        e.mouseMove = {static_cast<int>(at.x), static_cast<int>(at.y)};
    } else {
        e.mouseButton = {sf::Mouse::Left, static_cast<int>(at.x), static_cast<int>(at.y)};
    }
    return e;
}

sf::Event wheel(float delta, sf::Vector2f at) {
    sf::Event e;
    e.type = sf::Event::MouseWheelScrolled;
    e.mouseWheelScroll = {sf::Mouse::VerticalWheel, delta, static_cast<int>(at.x), static_cast<int>(at.y)};
    return e;
}

struct WorldViewInput : ::testing::Test {
    Game game{chokepoint::testing::trio(), GameOptions{false}};
    Snapshot snap;
    UiState ui;
    WorldView view{LandMap{{{{-10, -10}, {-10, 10}, {10, 10}, {10, -10}, {-10, -10}}}}};

    void SetUp() override {
        game.step();
        snap = snapshot_of(game);
        view.set_size({1200, 700});
        view.update(snap, ui);
    }
    sf::Vector2f screen_of(const std::string& country) const {
        const CountryDef& c = game.defs().countries[game.defs().country_id(country)];
        const MapPoint p =
            to_screen(view.transform(), view.viewport(), static_cast<float>(c.lon), static_cast<float>(c.lat));
        return {p.x, p.y};
    }
};

TEST_F(WorldViewInput, AClickSelectsTheCountryUnderTheMouse) {
    const sf::Vector2f south = screen_of("south") + sf::Vector2f(3, -2);
    EXPECT_FALSE(view.handle_event(mouse(sf::Event::MouseButtonPressed, south), false, ui));
    EXPECT_TRUE(view.handle_event(mouse(sf::Event::MouseButtonReleased, south), false, ui));
    EXPECT_EQ(view.selected(), game.defs().country_id("south"));
    EXPECT_EQ(ui.selected, view.selected());
    // A click on open sea clears the selection.
    const sf::Vector2f sea = screen_of("south") + sf::Vector2f(0, 200);
    view.handle_event(mouse(sf::Event::MouseButtonPressed, sea), false, ui);
    EXPECT_TRUE(view.handle_event(mouse(sf::Event::MouseButtonReleased, sea), false, ui));
    EXPECT_FALSE(ui.selected);
}

TEST_F(WorldViewInput, HoverFindsTheCountryAndItsTooltip) {
    view.handle_event(mouse(sf::Event::MouseMoved, screen_of("north")), false);
    EXPECT_EQ(view.hovered(), game.defs().country_id("north"));
    EXPECT_NE(view.hover_text().find("North"), std::string::npos);
    view.handle_event(mouse(sf::Event::MouseMoved, screen_of("north")), true);
    EXPECT_FALSE(view.hovered()) << "the mouse is over an ImGui panel";
}

TEST_F(WorldViewInput, TheWheelZoomsAtTheCursorAndADragPansWithoutSelecting) {
    const sf::Vector2f at = screen_of("north");
    view.handle_event(wheel(3.0f, at), false);
    EXPECT_NEAR(view.transform().zoom, std::pow(1.25f, 3.0f), 1e-3);
    const sf::Vector2f still = screen_of("north");
    EXPECT_NEAR(still.x, at.x, 0.5f);
    EXPECT_NEAR(still.y, at.y, 0.5f);

    const ViewTransform before = view.transform();
    view.handle_event(mouse(sf::Event::MouseButtonPressed, at), false, ui);
    view.handle_event(mouse(sf::Event::MouseMoved, at + sf::Vector2f(-60, 20)), false, ui);
    EXPECT_FALSE(view.handle_event(mouse(sf::Event::MouseButtonReleased, at + sf::Vector2f(-60, 20)), false, ui));
    EXPECT_FALSE(ui.selected) << "a drag is not a click";
    EXPECT_NEAR(screen_of("north").x, at.x - 60, 0.5f);
    EXPECT_NEAR(screen_of("north").y, at.y + 20, 0.5f);
    EXPECT_FALSE(view.transform() == before);
}

TEST_F(WorldViewInput, NothingHappensWhileImGuiWantsTheMouse) {
    const ViewTransform before = view.transform();
    const sf::Vector2f at = screen_of("north");
    view.handle_event(wheel(2.0f, at), true);
    EXPECT_FALSE(view.handle_event(mouse(sf::Event::MouseButtonPressed, at), true, ui));
    EXPECT_FALSE(view.handle_event(mouse(sf::Event::MouseButtonReleased, at), true, ui));
    EXPECT_EQ(view.transform(), before);
    EXPECT_FALSE(ui.selected);
}

// Issue 13: at a large text size labels near the map's edge were cut off by it (and by the panels
// beside it). A label takes a side that stays on the map: here a country's dot sits just inside
// the right edge, so its name goes to the left of it, not past the edge.
TEST_F(WorldViewInput, LabelsStayOnTheMap) {
    if (std::getenv("DISPLAY") == nullptr) GTEST_SKIP() << "drawing needs an X display (make test runs xvfb-run)";
    const UiFontFiles files = find_ui_fonts(default_font_search());
    sf::Font font;
    if (files.regular.empty() || !font.loadFromFile(files.regular)) GTEST_SKIP() << "no TTF font to label with";
    view.set_font(&font);
    ui.display.font_scale = 2.5f;
    ui.display.legend = false;
    view.update(snap, ui);
    const sf::FloatRect map(0, 0, 600, 400);
    view.set_viewport(map);
    // The first country's dot 10 px inside the right edge, mid-height.
    const CountryDef& c = game.defs().countries[CountryId{0}];
    ViewTransform t{3.0f, static_cast<float>(c.lon), static_cast<float>(c.lat)};
    const LonLat edge = to_lonlat(t, view.viewport(), map.left + map.width - 10, map.top + map.height / 2);
    t.centre_lon = 2.0f * static_cast<float>(c.lon) - edge.first;
    view.set_transform(t);
    ASSERT_NEAR(screen_of(c.id).x, map.left + map.width - 10, 2.0f) << "the view is not clamped away";
    sf::RenderTexture target;
    ASSERT_TRUE(target.create(1200, 700));
    view.draw(target);
    ASSERT_FALSE(view.labels().empty());
    for (const sf::Text& label : view.labels()) {
        const sf::FloatRect r = label.getGlobalBounds();
        const float halo = label.getOutlineThickness() + 0.5f;  // the outline may touch the edge
        EXPECT_GE(r.left, map.left - halo) << label.getString().toAnsiString();
        EXPECT_LE(r.left + r.width, map.left + map.width + halo) << label.getString().toAnsiString();
        EXPECT_GE(r.top, map.top - halo) << label.getString().toAnsiString();
        EXPECT_LE(r.top + r.height, map.top + map.height + halo) << label.getString().toAnsiString();
    }
}

TEST_F(WorldViewInput, IdleFramesRebuildNoGeometry) {
    if (std::getenv("DISPLAY") == nullptr) GTEST_SKIP() << "drawing needs an X display (make test runs xvfb-run)";
    sf::RenderTexture target;
    ASSERT_TRUE(target.create(1200, 700));
    view.draw(target);
    view.draw(target);
    view.update(snap, ui);
    view.draw(target);
    EXPECT_EQ(view.geometry_builds(), 1u);
    view.set_transform({2.0f, 100.0f, 30.0f});
    view.draw(target);
    EXPECT_EQ(view.geometry_builds(), 2u) << "a new view transform";
    ++snap.version;
    view.update(snap, ui);
    view.draw(target);
    EXPECT_EQ(view.geometry_builds(), 3u) << "a new snapshot";
    ui.good = GoodId{0};
    view.update(snap, ui);
    view.draw(target);
    EXPECT_EQ(view.geometry_builds(), 4u) << "a new filter";
    view.set_viewport(sf::FloatRect(0, 0, 800, 700));
    view.draw(target);
    EXPECT_EQ(view.geometry_builds(), 5u) << "a new viewport";
    view.draw(target);
    EXPECT_EQ(view.geometry_builds(), 5u);
}

// Issue 13, trap 11: before the first turn no ring is in alarm (the baseline's thin stocks are its
// starting point, not news). Without the rule's exception Australia's ring is red at the start.
TEST(MapBeforeTheFirstTurn, NoCoverRingIsInAlarm) {
    Game game(load_scenario("config/scenarios/baseline.yaml"), GameOptions{.measure_leverage = false});
    const MapModel before = build_map_model(snapshot_of(game), MapFilter{});
    for (const auto& c : before.countries) {
        EXPECT_FALSE(c.cover_alarm) << c.name;
        EXPECT_EQ(c.cover_level, CoverLevel::Normal) << c.name;
    }
}

}  // namespace
}  // namespace chokepoint::view
