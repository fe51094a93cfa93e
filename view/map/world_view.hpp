// The world map drawn with SFML: ocean and filled land, last turn's trade flows as
// curved arrows coloured by good (width ∝ √tonnes; licensed routes marked with a
// square, embargoed ones dashed in vermillion with an ✕), countries as dots sized
// by leverage index with a stock-cover ring, labels, a legend. Wheel zooms at the
// cursor, dragging pans, a click selects.
//
// Everything drawn is cached in vertex arrays: the land once (in degrees, placed by
// a transform), the rest rebuilt only when the snapshot version, the filter, the
// view transform, the viewport or the display settings change. What is drawn comes
// from view/model/map_model.hpp, which holds the arithmetic and is tested without a window.
#pragma once

#include <SFML/Graphics.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "view/map_data.hpp"
#include "view/model/map_model.hpp"
#include "view/session.hpp"
#include "view/ui/ui_state.hpp"

namespace chokepoint::view {

class WorldView {
public:
    // Triangulates the land once (about 10 ms for Natural Earth 1:110m).
    explicit WorldView(const LandMap& land);
    // The project's land (assets/map/land-110m.txt); throws std::runtime_error if it cannot be read.
    WorldView();

    // Labels and the legend; nullptr (the default) draws none. The font must outlive the view.
    void set_font(const sf::Font* font);
    // The render target's size in pixels (draw() also takes it from the target).
    void set_size(sf::Vector2u window);
    // The part of the window the map may use, in window pixels: what docked panels leave free.
    // An empty rectangle (the default) means the whole window.
    void set_viewport(sf::FloatRect area);

    // Takes the snapshot and the UI's filter and display settings (UiState::good, selected,
    // team_view, display). Rebuilds the model only when the snapshot's
    // version or the filter changed.
    void update(const Snapshot& snap, const UiState& ui);
    // Draws the map into the viewport (clipped to it), leaving the target's view as it was.
    // Rebuilds the vertex arrays first if the model, the transform or the size changed.
    void draw(sf::RenderTarget& target);

    // Mouse input. Returns true when a click on the map made a selection (selected(): a
    // country, or none for a click on open sea); the caller copies it into UiState::selected.
    // Ignores presses, wheel and hover while ImGui wants the mouse (a drag already begun ends).
    bool handle_event(const sf::Event& event, bool imgui_wants_mouse);
    // The same, copying a click's selection into ui.selected.
    bool handle_event(const sf::Event& event, bool imgui_wants_mouse, UiState& ui);

    std::optional<CountryId> hovered() const { return hovered_; }
    std::string hover_text() const;  // tooltip(model(), hovered(), selected()); empty when nothing hovered
    std::optional<CountryId> selected() const { return selected_; }

    const MapModel& model() const { return model_; }
    const ViewTransform& transform() const { return transform_; }
    void set_transform(const ViewTransform& t);
    Viewport viewport() const;
    // How often the vertex arrays were rebuilt (a check that idle frames rebuild nothing).
    std::uint64_t geometry_builds() const { return builds_; }
    // The country names placed on the map at the last build (a crowded one shows on hover instead).
    const std::vector<sf::Text>& labels() const { return labels_; }

private:
    struct Style {
        Theme theme = Theme::Dark;
        bool colour_blind_safe = true;
        float scale = 1.0f;  // UiState::display.font_scale: dots, lines and text grow with it
        bool legend = true;  // UiState::display.legend: the legend box over the map's corner
        bool operator==(const Style&) const = default;
    };
    // What the cached geometry was built for.
    struct BuiltFor {
        std::uint64_t model = 0;
        ViewTransform transform;
        Viewport viewport;
        sf::Vector2u size;
        Style style;
        std::optional<CountryId> selected;
        const sf::Font* font = nullptr;
        bool built = false;  // false: nothing built yet (never equal to what is wanted)
        bool operator==(const BuiltFor&) const = default;
    };

    BuiltFor wanted() const;
    void rebuild();
    void build_flows();
    sf::Vector2f marker_point(const std::vector<sf::Vector2f>& body, float body_len) const;
    void build_countries();
    void build_labels();
    void build_legend();
    void build_hover();
    void draw_layers(sf::RenderTarget& target);  // everything but the hover ring, in window pixels
    std::optional<CountryId> pick(float x, float y) const;
    bool inside(float x, float y) const;

    // Land in degrees (x = lon, y = −lat), built once and placed by land_transform_.
    sf::VertexArray land_{sf::Triangles}, lakes_{sf::Triangles}, coast_{sf::Lines};
    sf::Transform land_transform_;
    Theme land_theme_ = Theme::Dark;  // the colours the land vertices carry
    // In window pixels.
    sf::VertexArray ocean_{sf::Triangles}, margins_{sf::Triangles};
    sf::VertexArray flows_{sf::Triangles}, marks_{sf::Triangles}, dots_{sf::Triangles};
    sf::VertexArray legend_{sf::Triangles}, hover_{sf::Triangles};
    std::vector<sf::Text> labels_, legend_text_;
    PerCountry<sf::Vector2f> dot_pos_;
    PerCountry<float> dot_radius_;  // in pixels; flows start and end outside dot and ring

    const sf::Font* font_ = nullptr;
    sf::Vector2u size_{0, 0};
    sf::FloatRect area_;
    Style style_;
    MapModel model_;
    const Definitions* model_defs_ = nullptr;
    bool have_model_ = false;
    std::uint64_t model_serial_ = 0;
    ViewTransform transform_;
    BuiltFor built_;
    std::uint64_t builds_ = 0;
    // The drawn map, kept as a picture: a frame then costs one opaque textured quad, not the
    // land, flows, text and legend again (under a software renderer, 6 -> ~1 ms at 1080p).
    sf::RenderTexture picture_;
    std::uint64_t picture_builds_ = ~std::uint64_t{0};

    std::optional<CountryId> hovered_, selected_;
    std::optional<CountryId> hover_built_for_;  // the hover ring as built (valid when hover_built_)
    bool hover_built_ = false;
    sf::Vector2f mouse_;
    bool dragging_ = false, dragged_ = false;
    sf::Vector2f press_, last_;
};

}  // namespace chokepoint::view
