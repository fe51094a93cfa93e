// The markets panel: a good's price in every country over time, the gap
// between inside and outside its main exporter when that exporter restricts,
// and world supply and demand with each country's side of the market.
// Data from view/model/market_model.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cstdint>

#include "view/model/market_model.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/plot.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

constexpr Rgb kGrey{153, 153, 153};

void good_picker(const Definitions& d, UiState& ui) {
    ui.markets.good = clamp_good(d, ui.markets.good);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 11);
    if (ImGui::BeginCombo("Good", good_of(d, ui.markets.good))) {
        for (GoodId g : d.good_ids()) {
            ImGui::PushStyleColor(ImGuiCol_Text, vec(good_colour(g, ui.display.colour_blind_safe)));
            if (ImGui::Selectable(good_of(d, g), g == ui.markets.good)) ui.markets.good = g;
            ImGui::PopStyleColor();
        }
        ImGui::EndCombo();
    }
}

void exporter_picker(const Snapshot& s, UiState& ui) {
    const Definitions& d = *s.defs;
    const std::optional<CountryId> automatic = main_exporter(s, ui.markets.good);
    const std::string auto_label =
        automatic ? fmt::format("auto ({})", display_name(d.countries[*automatic])) : std::string("auto");
    if (ui.markets.exporter && !d.has_country(*ui.markets.exporter)) ui.markets.exporter.reset();
    country_combo("Exporter", d, ui.markets.exporter,
                  {.none = auto_label.c_str(), .names = true, .width = ImGui::GetFontSize() * 10});
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "Whose inside/outside price gap to show. Auto: the largest exporter among those "
            "restricting this good now, else the largest exporter.");
}

void prices_tab(const Snapshot& s, UiState& ui) {
    const PriceSeries p = prices(s, ui.markets.good, ui.markets.exporter);
    const bool safe = ui.display.colour_blind_safe;
    std::vector<Series> lines;
    for (CountryId c : p.by_country.ids())
        lines.push_back(
            Series{p.countries[c], country_colour(c, safe), p.by_country[c], c == ui.selected, false});
    lines.push_back(Series{"reference", kGrey, std::vector<double>(p.dates.size(), p.reference), false, true});
    ChartOptions o;
    o.height = ImGui::GetTextLineHeightWithSpacing() * 8;
    o.y_min = 0.0;
    o.y_format = "%.1f";
    o.x_labels = p.dates;
    ImGui::Text("%s: price paid by buyers, USD/kg", p.good_name.c_str());
    line_chart("prices", lines, o);

    ImGui::Separator();
    exporter_picker(s, ui);
    if (!p.exporter) {
        ImGui::TextWrapped("Nobody has exported %s yet.", p.good_name.c_str());
        return;
    }
    const std::string& name = display_name(s.defs->countries[*p.exporter]);
    if (p.restricting) {
        ImGui::TextWrapped("Inside vs outside %s, which restricts exports:", name.c_str());
        ImGui::TextWrapped("  %s", p.restriction.c_str());
    } else {
        ImGui::TextWrapped("Inside vs outside %s (does not restrict %s exports now):", name.c_str(),
                           p.good_name.c_str());
    }
    const Rgb inside_colour = country_colour(*p.exporter, safe);
    // Outside in the theme's text colour: no country's hue, and it reads on every theme.
    const ImVec4 t = ImGui::GetStyleColorVec4(ImGuiCol_Text);
    const Rgb outside_colour{static_cast<std::uint8_t>(t.x * 255), static_cast<std::uint8_t>(t.y * 255),
                             static_cast<std::uint8_t>(t.z * 255)};
    std::vector<Series> gap{Series{fmt::format("inside {}", name), inside_colour, p.inside, true, false},
                            Series{"outside (use-weighted)", outside_colour, p.outside, false, false}};
    o.height = ImGui::GetTextLineHeightWithSpacing() * 6;
    line_chart("gap", gap, o);
    if (!p.gap.empty()) {
        const double in = p.inside.back(), out = p.outside.back(), g = p.gap.back();
        const std::string share = in > 0 ? fmt::format(" ({:+.0f}% of inside)", 100.0 * g / in) : "";
        ImGui::TextWrapped("%s: inside %.1f, outside %.1f USD/kg; gap %+.1f USD/kg%s", p.dates.back().c_str(), in, out,
                           g, share.c_str());
    }
}

void supply_tab(const Snapshot& s, UiState& ui) {
    const SupplyDemand sd = supply_demand(s, ui.markets.good);
    const auto& ok = kOkabeIto;
    // The chart in kt/yr, so the axis labels stay short.
    auto kt = [](std::vector<double> v) {
        for (double& x : v) x /= 1000.0;
        return v;
    };
    // Fixed hues for the quantities (not the good's colour, which could match one of them).
    auto any = [](const std::vector<double>& v) {
        return std::any_of(v.begin(), v.end(), [](double x) { return x > 0; });
    };
    std::vector<Series> lines{Series{"capacity", kGrey, kt(sd.capacity), false, true},
                              Series{"produced", ok[4], kt(sd.produced), true, false}};
    if (any(sd.demand)) {
        lines.push_back(Series{"sector demand", ok[5], kt(sd.demand), false, false});
        lines.push_back(Series{"demand met", ok[2], kt(sd.met), false, false});
    }
    if (any(sd.input_use)) lines.push_back(Series{"used by plants", ok[6], kt(sd.input_use), false, false});
    ChartOptions o;
    o.height = ImGui::GetTextLineHeightWithSpacing() * 7;
    o.y_min = 0.0;
    o.y_format = "%.1f";
    o.x_labels = sd.dates;
    ImGui::Text("%s, world, kt/yr at each turn's rate", sd.good_name.c_str());
    line_chart("supply", lines, o);
    if (!sd.produced.empty()) {
        ImGui::TextWrapped(
            "Last turn: produced %s = sectors %s + plants %s + stock build %s",
            format_tonnes(sd.produced.back(), "t/yr").c_str(), format_tonnes(sd.sector_use.back(), "t/yr").c_str(),
            format_tonnes(sd.input_use.back(), "t/yr").c_str(), format_tonnes(sd.stock_build.back(), "t/yr").c_str());
        if (sd.demand.back() > 0) ImGui::Text("Sector demand met: %.0f%%", 100.0 * sd.met.back() / sd.demand.back());
    }

    if (!sd.countries.empty() && ImGui::BeginTable("countries", 7, kStretchTable)) {
        for (const char* h : {"Country", "Capacity", "Produced", "Imports", "Exports", "Use", "USD/kg"})
            ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        for (const MarketRow& r : sd.countries) {
            if (r.capacity <= 0 && r.produced <= 0 && r.imported <= 0 && r.exported <= 0 && r.used <= 0) continue;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(r.country.value());
            if (ImGui::Selectable(r.name.c_str(), ui.selected == r.country, ImGuiSelectableFlags_SpanAllColumns))
                ui.selected = r.country;
            ImGui::PopID();
            for (double v : {r.capacity, r.produced, r.imported, r.exported}) {
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(format_tonnes(v, "t").c_str());
            }
            ImGui::TableNextColumn();
            // What a country uses is its own business in a team view (exports and imports are not).
            if (may_see_private(ui, r.country))
                ImGui::TextUnformatted(format_tonnes(r.used, "t").c_str());
            else
                ImGui::TextDisabled("hidden");
            ImGui::TableNextColumn();
            ImGui::Text("%.1f", r.price);
        }
        ImGui::EndTable();
        ImGui::TextDisabled("Quantities in t/yr at last turn's rate.");
    }
}

}  // namespace

void markets_panel(PanelContext& p) {
    const Snapshot& s = p.snap;
    const Definitions& d = *s.defs;
    if (d.good_count() == 0) return;
    good_picker(d, p.ui);
    if (s.history.empty()) {
        ImGui::TextWrapped("No turn played yet: markets clear each turn. Reference price of %s: %.1f USD/kg.",
                           good_of(d, p.ui.markets.good), d.goods[p.ui.markets.good].reference_price / 1000.0);
        return;
    }
    if (ImGui::BeginTabBar("markets")) {
        if (ImGui::BeginTabItem("Prices")) {
            prices_tab(s, p.ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Supply and demand")) {
            supply_tab(s, p.ui);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
}

}  // namespace chokepoint::view
