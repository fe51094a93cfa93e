// The country inspector: one country's capacity by stage, projects in the
// pipeline with their dates, stocks and months of cover, demand met by sector,
// and score. In a team view (hot-seat) another country's private parts are not
// in the card at all (view/model/country_model), so they cannot leak here.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "view/model/country_model.hpp"
#include "view/model/market_model.hpp"  // format_tonnes
#include "view/ui/panels.hpp"
#include "view/ui/plot.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {


// The country shown: the selection, else the team's own, else the first.
CountryId shown_country(const Snapshot& s, const UiState& ui) {
    const Definitions& d = *s.defs;
    if (ui.selected && d.has_country(*ui.selected)) return *ui.selected;
    if (ui.team_view && d.has_country(*ui.team_view)) return *ui.team_view;
    return CountryId{0};
}

void country_picker(const Definitions& d, UiState& ui, CountryId shown) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 11);
    if (ImGui::BeginCombo("Country", country_name(d, shown))) {
        for (CountryId c : d.country_ids()) {
            ImGui::PushStyleColor(ImGuiCol_Text, vec(country_colour(c, ui.display.colour_blind_safe)));
            if (ImGui::Selectable(country_name(d, c), c == shown)) ui.selected = c;
            ImGui::PopStyleColor();
        }
        ImGui::EndCombo();
    }
}

// USD millions written short: "850.0 USD M", "12.3 USD bn".
std::string money(double musd) {
    return std::abs(musd) >= 1000 ? fmt::format("{:.1f} USD bn", musd / 1000) : fmt::format("{:.1f} USD M", musd);
}

void header(const CountryCard& card) {
    ImGui::Text("%s", card.name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("(%s, policy: %s)", card.id.c_str(), card.policy.empty() ? "-" : card.policy.c_str());
    if (card.score) {
        ImGui::Text("Score %.2f (rank %d of %d)", card.score->total, card.score_rank, card.countries);
        if (card.leverage_index) ImGui::Text("Leverage index %.3f", *card.leverage_index);
    } else {
        ImGui::TextDisabled("No turn played yet: the start (%s).", card.date.c_str());
    }
    if (card.treasury_musd)
        ImGui::TextWrapped("Treasury %s, firms' cash %s", money(*card.treasury_musd).c_str(),
                           money(card.economy_cash_musd.value_or(0.0)).c_str());
    if (!card.private_visible)
        ImGui::TextWrapped("Team view: %s's stocks, treasury, demand and projects are private.", card.name.c_str());
}

void capacity_section(const CountryCard& card) {
    if (!ImGui::CollapsingHeader("Capacity by stage, t/yr", ImGuiTreeNodeFlags_DefaultOpen)) return;
    if (std::all_of(card.capacity.begin(), card.capacity.end(),
                    [](const StageCapacity& s) { return s.capacity <= 0; })) {
        ImGui::TextDisabled("No production capacity: buys all it uses.");
        return;
    }
    if (begin_table("capacity", {{"Stage / good", 2.2f}, {"Capacity", 1.0f}, {"Produced", 1.0f}, {"Used", 0.6f}})) {
        auto row = [&](const std::string& label, double capacity, double produced, bool indent) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (indent) ImGui::Indent();
            ImGui::TextWrapped("%s", label.c_str());
            if (indent) ImGui::Unindent();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_tonnes(capacity).c_str());
            ImGui::TableNextColumn();
            if (card.played) ImGui::TextUnformatted(format_tonnes(produced).c_str());
            ImGui::TableNextColumn();
            if (capacity > 0 && card.played) ImGui::Text("%.0f%%", 100.0 * produced / capacity);
        };
        // A stage of one good is one row; a stage of several shows its total, then each good.
        for (const StageCapacity& st : card.capacity) {
            if (st.goods.size() == 1) {
                const CapacityLine& g = st.goods.front();
                row(st.name + ": " + g.name, g.capacity, g.produced, false);
                continue;
            }
            double produced = 0.0;
            for (const CapacityLine& g : st.goods) produced += g.produced;
            row(st.name + " stage", st.capacity, produced, false);
            for (const CapacityLine& g : st.goods) row(g.name, g.capacity, g.produced, true);
        }
        ImGui::EndTable();
    }
}

void projects_section(const CountryCard& card) {
    if (!ImGui::CollapsingHeader("Projects in the pipeline", ImGuiTreeNodeFlags_DefaultOpen)) return;
    if (!card.private_visible) {
        ImGui::TextDisabled("Private in a team view.");
        return;
    }
    if (card.projects.empty()) {
        ImGui::TextDisabled("None: no capacity being built or ramping up.");
        return;
    }
    if (begin_table(
            "projects",
            {{"Good", 1.5f}, {"Where (owner)", 1.4f}, {"t/yr", 0.9f}, {"First output", 1.3f}, {"Full", 0.8f}})) {
        for (const PipelineProject& p : card.projects) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", p.good_name.c_str());
            ImGui::TableNextColumn();
            const std::string who = p.private_firms ? "firms" : p.owner_name;
            if (p.host == p.owner && !p.private_firms)
                ImGui::TextWrapped("%s", p.host_name.c_str());
            else
                ImGui::TextWrapped("%s (%s)", p.host_name.c_str(), who.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_tonnes(p.tonnes_per_year).c_str());
            ImGui::TableNextColumn();
            if (p.online)
                ImGui::Text("ramping %.0f%%", 100.0 * p.ramp_level);
            else
                ImGui::TextWrapped("%s (in %d turns)", p.online_date.c_str(), p.turns_to_online);
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("Project %d, started %s; capex %.1f USD M, %.0f%% paid; %d delay(s)", p.id,
                                  p.start_date.c_str(), p.capex_musd, 100.0 * p.paid_share, p.delays);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(p.full_date.c_str());
        }
        ImGui::EndTable();
    }
}

// Why a cover is (or is not) flagged, in the rule's own words (view/model/cover_model.hpp).
void cover_tooltip(const StockLine& l) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::Text("%.1f months of use in stock and stockpile; %.1f when the game began.", l.months_of_cover,
                l.usual_months);
    ImGui::Text("Low below %.2f months: half the cover it began with%s, never from %.0f months.",
                low_cover_below(l.usual_months, l.imported), l.imported ? " (it imports: always under a week)" : "",
                kNeverLowMonths);
    if (l.unmet_share > 0)
        ImGui::Text("%.0f%% of its demand for it went unmet last turn (short above %.0f%%).", 100.0 * l.unmet_share,
                    100.0 * kShortUnmetShare);
    if (l.target_months > 0) ImGui::Text("Stockpile target: %.1f months.", l.target_months);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void stocks_section(const CountryCard& card) {
    if (!ImGui::CollapsingHeader("Stocks and months of cover", ImGuiTreeNodeFlags_DefaultOpen)) return;
    if (!card.private_visible) {
        ImGui::TextDisabled("Private in a team view.");
        return;
    }
    if (card.stocks.empty()) {
        ImGui::TextDisabled("Holds and uses none of the goods.");
        return;
    }
    if (begin_table("stocks",
                    {{"Good", 1.9f}, {"Stock", 1.0f}, {"Stockpile", 1.0f}, {"Use /yr", 1.0f}, {"Months", 1.0f}})) {
        for (const StockLine& l : card.stocks) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", l.name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_tonnes(l.stock).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_tonnes(l.stockpile).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_tonnes(l.use).c_str());
            ImGui::TableNextColumn();
            if (l.use <= 0) {
                ImGui::TextDisabled("no use");
                continue;
            }
            if (l.level == CoverLevel::Normal)
                ImGui::Text("%.1f", l.months_of_cover);
            else
                ImGui::TextColored(vec(kOkabeIto[5]), "%.1f (%s)", l.months_of_cover, to_string(l.level));
            if (ImGui::IsItemHovered()) cover_tooltip(l);
        }
        ImGui::EndTable();
    }
}

void demand_section(const CountryCard& card) {
    if (!ImGui::CollapsingHeader("Demand met by sector", ImGuiTreeNodeFlags_DefaultOpen)) return;
    if (!card.private_visible) {
        ImGui::TextDisabled("Private in a team view.");
        return;
    }
    if (!card.played) {
        ImGui::TextDisabled("No turn played yet.");
        return;
    }
    if (card.demand_met.empty()) {
        ImGui::TextDisabled("No sector demand.");
        return;
    }
    // A table rather than bar_chart: sector names are long, and wrap here.
    if (begin_table("met", {{"Sector", 2.2f}, {"Demand /yr", 1.0f}, {"Met", 1.2f}})) {
        for (const SectorMet& m : card.demand_met) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const bool says_defense = m.name.find("efen") != std::string::npos;
            ImGui::TextWrapped("%s%s", m.name.c_str(), m.defense && !says_defense ? " (defense)" : "");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_tonnes(m.demand).c_str());
            ImGui::TableNextColumn();
            ImGui::PushStyleColor(ImGuiCol_PlotHistogram, vec(m.share < 0.95 ? kOkabeIto[5] : kOkabeIto[2]));
            ImGui::ProgressBar(static_cast<float>(m.share), ImVec2(-1.0f, 0.0f),
                               fmt::format("{:.0f}%", 100 * m.share).c_str());
            ImGui::PopStyleColor();
        }
        ImGui::EndTable();
    }
    if (card.civilian_met_share || card.defense_met_share)
        ImGui::Text("Civilian %s   defense %s",
                    card.civilian_met_share ? fmt::format("{:.0f}%", 100 * *card.civilian_met_share).c_str() : "-",
                    card.defense_met_share ? fmt::format("{:.0f}%", 100 * *card.defense_met_share).c_str() : "-");
    if (card.defense_shortfall > 0)
        ImGui::Text("Defense short: %s/yr", format_tonnes(card.defense_shortfall).c_str());
    if (!card.defense_rated.empty()) {
        std::string goods;
        for (const auto& g : card.defense_rated) goods += (goods.empty() ? "" : ", ") + g;
        ImGui::TextWrapped("Defense orders rated (served first, stockpile covers the rest): %s", goods.c_str());
    }
}

void score_section(const CountryCard& card, const Snapshot& s, const UiState& ui) {
    if (!ImGui::CollapsingHeader("Score", ImGuiTreeNodeFlags_DefaultOpen)) return;
    if (!card.score) {
        ImGui::TextDisabled("Scored after each turn.");
        return;
    }
    const Score& sc = *card.score;
    const bool safe = ui.display.colour_blind_safe;
    bar_chart("score",
              {Bar{"Economy", sc.economy, kOkabeIto[1], fmt::format("{:.2f}", sc.economy)},
               Bar{"Security", sc.security, kOkabeIto[2], fmt::format("{:.2f}", sc.security)},
               Bar{"Influence", sc.influence, kOkabeIto[6], fmt::format("{:.2f}", sc.influence)},
               Bar{"Total", sc.total, country_colour(card.country, safe), fmt::format("{:.2f}", sc.total)}},
              1.0);
    if (card.score_history.size() > 1) {
        std::vector<std::string> dates;
        for (const auto& r : s.history) dates.push_back(r->date);
        ChartOptions o;
        o.height = ImGui::GetTextLineHeightWithSpacing() * 4;
        o.y_min = 0.0;
        o.y_max = 1.0;
        o.x_labels = std::move(dates);
        o.legend = false;
        line_chart("score_history",
                   {Series{"total", country_colour(card.country, safe), card.score_history, true, false}}, o);
    }
}

}  // namespace

void inspector_panel(PanelContext& p) {
    const Snapshot& s = p.snap;
    const Definitions& d = *s.defs;
    if (d.country_count() == 0) return;
    const CountryId c = shown_country(s, p.ui);
    country_picker(d, p.ui, c);
    const CountryCard card = country_card(s, c, may_see_private(p.ui, c));
    header(card);
    capacity_section(card);
    projects_section(card);
    stocks_section(card);
    demand_section(card);
    score_section(card, s, p.ui);
}

}  // namespace chokepoint::view
