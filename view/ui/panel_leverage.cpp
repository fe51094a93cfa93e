// The leverage panel: who holds leverage over whom, and through which goods.
// Three tabs: the balance over time (one line per country), the net matrix of a
// turn as a heat map (a click on a cell picks that pair), and the pair's
// breakdown by stage and good. Data from view/model/leverage_model.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "view/model/leverage_model.hpp"
#include "view/model/market_model.hpp"  // format_tonnes
#include "view/ui/panels.hpp"
#include "view/ui/plot.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {


// Net values: the row/first country's colour when positive, the other's when negative, as in the heat map.
void net_text(double v, const char* format = "%+.3f") {
    if (std::abs(v) < 0.005)
        ImGui::Text(format, v);
    else
        ImGui::TextColored(vec(v > 0 ? Rgb{230, 120, 40} : Rgb{70, 150, 230}), format, v);
}

LeverageChannel channel_of(const UiState& ui) {
    return static_cast<LeverageChannel>(std::clamp(ui.leverage.channel, 0, kLeverageChannelCount - 1));
}

void channel_picker(UiState& ui) {
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("market access").x + ImGui::GetFrameHeight() * 2);
    ImGui::Combo("Channel", &ui.leverage.channel, "combined\0materials\0market access\0");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("combined = weighted materials (cutoff damage) + market access (trade exposure)");
}


// A footnote: dimmed and wrapped to the panel.
void note(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

// The turn the matrix and the breakdown show; -1 in the UI state follows the latest turn.
void turn_picker(const Snapshot& s, UiState& ui) {
    const int latest = latest_turn(s);
    if (latest <= 0) return;
    int shown = ui.leverage.turn < 0 ? latest : std::min(ui.leverage.turn, latest);
    const std::string date = s.defs->date_of_turn(shown);
    ImGui::SetNextItemWidth(
        std::max(80.0f, ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("After turn").x - 8));
    if (ImGui::SliderInt("After turn", &shown, 0, latest, date.c_str()))
        ui.leverage.turn = shown == latest ? -1 : shown;
    // An earlier turn: the class can go back to it and play on differently (a branch, in a new file).
    if (ui.leverage.turn >= 0 && !s.game_file.empty()) {
        if (ImGui::SmallButton("Branch from here")) request_branch(s, ui, shown + 1);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Play on from after this turn in a new game file (this game stays in %s)", s.game_file.c_str());
    }
}

// The selected country's materials index as a stack: exercised below, reserve on top.
void split_chart(const Snapshot& s, UiState& ui) {
    const LeverageStack k = exercised_vs_reserve(s, ui.selected);
    if (!k.measured) return;
    ImGui::Spacing();
    ImGui::TextWrapped("%s's materials leverage: exercised vs reserve", k.name.c_str());
    note(kLeverageSplitLine);
    const Rgb colour = country_colour(k.country, ui.display.colour_blind_safe);
    Series used{"exercised", colour, k.exercised, true, false};
    // The potential in a neutral grey (Okabe-Ito's), so the two lines and their legend entries
    // differ by colour as well as by dash.
    Series all{"exercised + reserve (potential)", kOkabeIto[7], k.stacked, false, true};
    ChartOptions o;
    o.height = ImGui::GetTextLineHeightWithSpacing() * 6;
    o.y_min = 0.0;
    o.x_labels = k.dates;
    line_chart("split", {used, all}, o);
    ImGui::TextWrapped("Latest: exercised %.3f + reserve %.3f = potential %.3f (pick a country in the table)",
                       k.latest_exercised, k.latest_reserve, k.latest_exercised + k.latest_reserve);
    ImGui::Spacing();
}

// Why a value changed since the turn measured before: the headline, then its parts and (for a
// pair) what lies under them, wrapped to the panel.
void change_lines(const char* title, const LeverageChange& c) {
    if (!c.available) return;
    ImGui::TextWrapped("%s %s", title, c.headline().c_str());
    for (const ChangePart& part : c.parts) {
        ImGui::Bullet();
        ImGui::TextWrapped("%s", part.text.c_str());
    }
    if (!c.parts.empty() && std::abs(c.rest) >= kChangeShown) {
        ImGui::Bullet();
        ImGui::TextWrapped("%+.3f from the rest", c.rest);
    }
    for (const std::string& d : c.drivers) {
        ImGui::Bullet();
        note(d.c_str());
    }
}

// The glossary: a "?" button on every leverage panel, opening a popup of wrapped definitions.
void glossary_button() {
    if (ImGui::SmallButton("?")) ImGui::OpenPopup("Leverage glossary");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("What the leverage terms mean");
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 26, 0));
    if (ImGui::BeginPopup("Leverage glossary")) {
        ImGui::PushTextWrapPos(0.0f);
        for (const GlossaryEntry& e : leverage_glossary()) {
            ImGui::TextUnformatted(e.term);
            ImGui::Indent();
            ImGui::TextWrapped("%s", e.text);
            ImGui::Unindent();
        }
        ImGui::PopTextWrapPos();
        ImGui::EndPopup();
    }
}

void balance_tab(const Snapshot& s, UiState& ui) {
    const LeverageSeries series = leverage_over_time(s);
    const LeverageChannel ch = channel_of(ui);
    channel_picker(ui);
    if (!series.measured) {
        ImGui::TextWrapped("Leverage was not measured in this game (the session runs with leverage off).");
        return;
    }
    std::vector<Series> lines;
    const auto& values = series.channel(ch);
    for (CountryId c : values.ids()) {
        Series line;
        line.label = series.countries[c];
        line.colour = country_colour(c, ui.display.colour_blind_safe);
        line.values = values[c];
        line.bold = c == ui.selected;
        lines.push_back(std::move(line));
    }
    ChartOptions o;
    o.height = ImGui::GetTextLineHeightWithSpacing() * 8;
    o.y_min = 0.0;
    o.x_labels = series.dates;
    ImGui::TextWrapped("Leverage index (%s), 0-1: the share of others' weighted demand a country could cut",
                       to_string(ch));
    line_chart("balance", lines, o);
    const CountryId picked = clamp_country(*s.defs, ui.selected);
    change_lines(fmt::format("Why {}'s index changed:", series.countries[picked]).c_str(),
                 why_index_changed(s, picked, ch));

    // The latest values, strongest first, so the chart's order can be read off without hovering.
    const size_t t = series.dates.size() - 1;
    std::vector<CountryId> order;
    for (CountryId c : series.countries.ids()) order.push_back(c);
    auto latest = [&](const PerCountry<std::vector<double>>& v, CountryId c) {
        const double x = v[c][t];
        return std::isfinite(x) ? x : -1.0;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](CountryId a, CountryId b) { return latest(values, a) > latest(values, b); });
    split_chart(s, ui);
    ImGui::Text("After %s:", series.dates.back().c_str());
    if (begin_table("latest", {{"Country", 1.6f}, {"Combined", 1.0f}, {"Materials", 1.0f}, {"Access", 0.9f}})) {
        for (CountryId c : order) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(c.value());
            ImGui::PushStyleColor(ImGuiCol_Text, vec(country_colour(c, ui.display.colour_blind_safe)));
            if (ImGui::Selectable(series.countries[c].c_str(), ui.selected == c,
                                  ImGuiSelectableFlags_SpanAllColumns))
                ui.selected = c;
            ImGui::PopStyleColor();
            ImGui::PopID();
            for (const auto* v : {&series.combined, &series.materials, &series.market_access}) {
                ImGui::TableNextColumn();
                const double x = (*v)[c][t];
                if (std::isfinite(x))
                    ImGui::Text("%.3f", x);
                else
                    ImGui::TextDisabled("-");
            }
        }
        ImGui::EndTable();
    }
}

// Returns true when a cell was clicked (the pair is now ui.leverage.pair_a / ui.leverage.pair_b).
bool matrix_tab(const Snapshot& s, UiState& ui) {
    channel_picker(ui);
    turn_picker(s, ui);
    const NetMatrix m = net_matrix(s, ui.leverage.turn, channel_of(ui));
    if (!m.measured) {
        ImGui::TextWrapped("Leverage was not measured after this turn (the session runs with leverage off).");
        return false;
    }
    ImGui::TextWrapped(
        "Net %s leverage of the row over the column after %s, in hundredths (17 = 0.17). Orange: the row "
        "holds it; blue: the column does. Strongest first. Hover a column's code for its name; click a "
        "cell for its breakdown.",
        to_string(m.channel), m.date.c_str());
    HeatMap map;
    map.rows = m.labels;
    map.columns = m.codes;
    map.values = m.net;
    map.span = std::max(0.05, m.span);
    map.cell_factor = 100.0;  // hundredths: as precise as two decimals, half as wide
    map.cell_format = "%.0f";
    map.tooltip_format = "%s over %s: %+.4f (click: the breakdown)";
    // Past what the text can shrink to (many countries, a narrow panel) it scrolls sideways.
    const ImVec2 size = heat_map_size(map);
    const bool scroll = size.x > ImGui::GetContentRegionAvail().x;
    if (scroll)
        ImGui::BeginChild("matrix",
                          ImVec2(0, size.y + ImGui::GetStyle().ScrollbarSize + ImGui::GetStyle().WindowPadding.y),
                          false, ImGuiWindowFlags_HorizontalScrollbar);
    bool clicked = false;
    if (auto cell = heat_map("net", map)) {
        ui.leverage.pair_a = m.order[cell->first];
        ui.leverage.pair_b = m.order[cell->second];
        clicked = true;
    }
    if (scroll) ImGui::EndChild();
    ImGui::TextDisabled("Selected pair: %s over %s", country_name(*s.defs, clamp_country(*s.defs, ui.leverage.pair_a)),
                        country_name(*s.defs, clamp_country(*s.defs, ui.leverage.pair_b)));
    return clicked;
}

void pair_line_row(const PairLine& l, bool stage_row) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (stage_row)
        ImGui::Text("%s stage", l.name.c_str());
    else {
        ImGui::Indent();
        ImGui::TextWrapped("%s", l.name.c_str());
        ImGui::Unindent();
    }
    ImGui::TableNextColumn();
    ImGui::Text("%.3f", l.a_over_b);
    ImGui::TableNextColumn();
    ImGui::Text("%.3f", l.b_over_a);
    ImGui::TableNextColumn();
    net_text(l.net);
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s / %s", format_tonnes(l.a_ships_to_b).c_str(), format_tonnes(l.b_ships_to_a).c_str());
}

void pair_tab(const Snapshot& s, UiState& ui) {
    const Definitions& d = *s.defs;
    country_combo("over##a", d, ui.leverage.pair_a, {.names = true, .width = ImGui::GetFontSize() * 9});
    ImGui::SameLine();
    country_combo("##b", d, ui.leverage.pair_b, {.names = true, .width = ImGui::GetFontSize() * 9});
    ImGui::SameLine();
    if (ImGui::Button("Swap")) std::swap(ui.leverage.pair_a, ui.leverage.pair_b);
    turn_picker(s, ui);
    const PairBreakdown p = pair_breakdown(s, ui.leverage.pair_a, ui.leverage.pair_b, ui.leverage.turn);
    if (p.a == p.b) {
        ImGui::TextWrapped("Pick two different countries.");
        return;
    }
    if (!p.measured) {
        ImGui::TextWrapped("Leverage was not measured after this turn (the session runs with leverage off).");
        return;
    }
    ImGui::Text("%s over %s after %s: net", p.a_name.c_str(), p.b_name.c_str(), p.date.c_str());
    ImGui::SameLine();
    net_text(p.net, "%+.3f (combined)");
    change_lines("Why it changed:", why_net_changed(s, p.a, p.b, ui.leverage.turn));

    const std::string a_col = short_name(p.a_name) + " cuts", b_col = short_name(p.b_name) + " cuts";
    if (begin_table("channels",
                    {{"Channel (weight)", 2.0f}, {a_col.c_str(), 1.0f}, {b_col.c_str(), 1.0f}, {"Net", 0.9f}})) {
        struct Row {
            std::string name;
            double ab, ba;
        };
        for (const Row& r : {Row{fmt::format("Materials ({:.0f}%), potential", p.weight_materials * 100),
                                 p.materials_a_over_b, p.materials_b_over_a},
                             Row{"- of which exercised", p.exercised_a_over_b, p.exercised_b_over_a},
                             Row{"- of which reserve", p.reserve_a_over_b, p.reserve_b_over_a},
                             Row{fmt::format("Market access ({:.0f}%)", p.weight_market_access * 100),
                                 p.access_a_over_b, p.access_b_over_a},
                             Row{"Combined", p.combined_a_over_b, p.combined_b_over_a}}) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", r.name.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.3f", r.ab);
            ImGui::TableNextColumn();
            ImGui::Text("%.3f", r.ba);
            ImGui::TableNextColumn();
            net_text(r.ab - r.ba);
        }
        ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::TextUnformatted("Materials by stage and good: damage from cutting that good alone");
    if (begin_table(
            "goods",
            {{"Good", 2.0f}, {a_col.c_str(), 1.0f}, {b_col.c_str(), 1.0f}, {"Net", 0.9f}, {"Shipped t/yr", 1.7f}})) {
        for (const PairLine& stage : p.stages) {
            pair_line_row(stage, true);
            for (const PairLine& g : p.goods)
                if (g.stage == stage.stage) pair_line_row(g, false);
        }
        ImGui::EndTable();
    }
    note(fmt::format("Damage: the share of the other's weighted demand left unmet (0-1). One-good cuts do not add up "
                     "to the all-goods cut. Shipped: {} to {} / {} to {}, at last turn's rate.",
                     p.a_name, p.b_name, p.b_name, p.a_name)
             .c_str());
}

}  // namespace

void leverage_panel(PanelContext& p) {
    const Snapshot& s = p.snap;
    if (s.history.empty()) {
        ImGui::TextWrapped(
            "No turn played yet. Leverage is measured after each turn: play or step a turn to see "
            "who could hurt whom by cutting supplies.");
        return;
    }
    bool show_pair = false;
    glossary_button();
    ImGui::SameLine();
    ImGui::TextDisabled("Leverage terms");
    if (ImGui::BeginTabBar("leverage")) {
        if (ImGui::BeginTabItem("Balance")) {
            balance_tab(s, p.ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Net matrix")) {
            show_pair = matrix_tab(s, p.ui);
            ImGui::EndTabItem();
        }
        // A click in the matrix brings the breakdown forward (ImGui switches on the next frame).
        if (ImGui::BeginTabItem("Pair", nullptr, show_pair ? ImGuiTabItemFlags_SetSelected : 0)) {
            pair_tab(s, p.ui);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
}

}  // namespace chokepoint::view
