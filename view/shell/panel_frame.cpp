#include "view/shell/panel_frame.hpp"

#include <fmt/core.h>
#include <imgui.h>

#include <SFML/Graphics/VertexArray.hpp>
#include <cmath>
#include <string>

#include "view/ui/top_bar.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

sf::Color opaque_over_clear(const ImVec4& c) {
    const auto mix = [&](float v, sf::Uint8 under) {
        return static_cast<sf::Uint8>(std::lround(255.0f * v * c.w + static_cast<float>(under) * (1.0f - c.w)));
    };
    return sf::Color(mix(c.x, kClearColour.r), mix(c.y, kClearColour.g), mix(c.z, kClearColour.b));
}

}  // namespace

void PanelFrame::build(PanelContext& p, const Layout& layout) {
    backdrops_.clear();
    // The top bar in the form that fits (condensed at a large text size), padded as between its rows.
    const TopBar bar = plan_top_bar(p.snap);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ImGui::GetStyle().WindowPadding.x, bar.padding_y));
    begin_fixed("Controls", layout.controls);
    ImGui::PopStyleVar();
    controls_panel(p, bar);
    p.ui.controls_height = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y + bar.padding_y;
    ImGui::End();
    side_column(p, layout.side);
    bottom_strip(p, layout.bottom);
    map_overlay(p, layout.map);
}

// A button in the map's top-left corner that hides or shows the legend.
void PanelFrame::map_overlay(PanelContext& p, const Rect& r) {
    const float pad = 6.0f;
    ImGui::SetNextWindowPos(ImVec2(r.x + pad, r.y + pad), ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.0f);
    ImGui::Begin("##map_overlay", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
    if (ImGui::SmallButton(p.ui.display.legend ? "Hide legend" : "Legend")) p.ui.display.legend = !p.ui.display.legend;
    ImGui::SameLine();
    // Fewer arrows: one good, a threshold, the largest routes only.
    const std::string routes = p.ui.map_top_routes > 0 ? fmt::format("Routes: top {}", p.ui.map_top_routes) : std::string("Routes");
    if (ImGui::SmallButton((routes + "###routes").c_str())) ImGui::OpenPopup("map_routes");
    if (ImGui::BeginPopup("map_routes")) {
        if (p.snap.defs) {
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
            good_combo("good", *p.snap.defs, p.ui.good, true);
        }
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
        float pct = p.ui.map_min_share * 100.0f;
        if (ImGui::SliderFloat("hide under % of largest", &pct, 0.0f, 50.0f, "%.0f%%")) p.ui.map_min_share = pct / 100.0f;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
        ImGui::SliderInt("largest routes (0: all)", &p.ui.map_top_routes, 0, 60);
        ImGui::Checkbox("mark embargoed routes", &p.ui.map_embargoed);
        ImGui::EndPopup();
    }
    ImGui::End();
}

void PanelFrame::draw_backdrops(sf::RenderTarget& target) const {
    sf::VertexArray quads(sf::Triangles);
    for (const auto& [r, colour] : backdrops_) {
        const sf::Vector2f a(r.x, r.y), b(r.x + r.w, r.y), c(r.x + r.w, r.y + r.h), d(r.x, r.y + r.h);
        for (const sf::Vector2f& v : {a, b, c, a, c, d}) quads.append(sf::Vertex(v, colour));
    }
    target.draw(quads, sf::RenderStates(sf::BlendNone));
}

void PanelFrame::begin_fixed(const char* name, const Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h), ImGuiCond_Always);
    backdrops_.emplace_back(r, opaque_over_clear(ImGui::GetStyleColorVec4(ImGuiCol_WindowBg)));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0, 0, 0, 0));  // ImGui skips a fully transparent fill
    ImGui::Begin(name, nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoTitleBar);
    ImGui::PopStyleColor();
}

// The right column: the seat's decisions when a person is to play, then the analysis tabs.
void PanelFrame::side_column(PanelContext& p, const Rect& r) {
    begin_fixed("Analysis", r);
    // A seat at the desk (deciding, or speaking in a negotiation round) brings its tab to the front
    // once, when it comes to the desk.
    const auto desk = desk_seat(p.snap);
    const std::string at_desk =
        desk ? fmt::format("{}/{}/{}/{}", desk->seat.value(), desk->turn, desk->talks, desk->round) : std::string();
    if (ImGui::BeginTabBar("side", ImGuiTabBarFlags_FittingPolicyScroll)) {
        struct Tab {
            const char* name;
            void (*draw)(PanelContext&);
        };
        for (const Tab& t : {Tab{"Leverage", leverage_panel}, Tab{"Markets", markets_panel},
                             Tab{"Country", inspector_panel}, Tab{"Diplomacy", diplomacy_panel},
                             Tab{"Licensing", licensing_panel}}) {
            const bool pick = !p.ui.open_tab.empty() && p.ui.open_tab == t.name;
            if (ImGui::BeginTabItem(t.name, nullptr, pick ? ImGuiTabItemFlags_SetSelected : 0)) {
                ImGui::BeginChild(t.name);
                t.draw(p);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
        }
        const bool pick_seat = (desk && at_desk != seat_at_desk_) || p.ui.open_tab == "Seats";
        const std::string seat_label =
            !desk        ? std::string("Seats###seat")
            : desk->talks ? fmt::format("Talks: {}###seat", display_name(p.snap.defs->countries[desk->seat]))
                          : fmt::format("Your turn: {}###seat", display_name(p.snap.defs->countries[desk->seat]));
        if (ImGui::BeginTabItem(seat_label.c_str(), nullptr, pick_seat ? ImGuiTabItemFlags_SetSelected : 0)) {
            ImGui::BeginChild("seat");
            seat_panel(p);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        p.ui.open_tab.clear();
        ImGui::EndTabBar();
    }
    seat_at_desk_ = at_desk;
    ImGui::End();
}

void PanelFrame::bottom_strip(PanelContext& p, const Rect& r) {
    begin_fixed("Log", r);
    if (ImGui::BeginTabBar("bottom", ImGuiTabBarFlags_FittingPolicyScroll)) {
        if (ImGui::BeginTabItem("Events")) {
            ImGui::BeginChild("events");
            events_panel(p);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Script console")) {
            ImGui::BeginChild("console");
            console_panel(p);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::End();
}

}  // namespace chokepoint::view
