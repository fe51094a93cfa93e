// The event log: every event of the game, newest first, filtered by text,
// country, category and recent turns (UiState::events). A 40-turn game logs
// thousands of events, so the rows are clipped to what is on screen.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "view/model/event_model.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

ImU32 u32(Rgb c) { return IM_COL32(c.r, c.g, c.b, 255); }

// A small square of the category's colour, as wide as a character.
void chip(Rgb c) {
    const float h = ImGui::GetTextLineHeight();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x, at.y + h * 0.2f), ImVec2(at.x + h * 0.6f, at.y + h * 0.8f),
                                              u32(c), 2.0f);
    ImGui::Dummy(ImVec2(h * 0.6f, h));
}

// SameLine when the next item of `width` still fits, else a new line.
void flow(float width) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
}

// The category switches, each with its colour and how many events it holds.
void category_switches(EventFilter& f, const EventLog& log) {
    bool* switches[kEventCategoryCount] = {&f.diplomacy, &f.licensing, &f.markets, &f.policy, &f.scripted, &f.other};
    for (int i = 0; i < kEventCategoryCount; ++i) {
        const auto c = static_cast<EventCategory>(i);
        char label[48];
        std::snprintf(label, sizeof label, "%s (%d)", to_string(c), log.by_category[i]);
        chip(category_colour(c));
        ImGui::SameLine(0, 4);
        ImGui::Checkbox(label, switches[i]);
        if (ImGui::IsItemHovered() && c == EventCategory::Measures)
            ImGui::SetTooltip("Export regimes and duties, tariffs, quotas, subsidies, price floors");
        if (ImGui::IsItemHovered() && c == EventCategory::Markets)
            ImGui::SetTooltip("Shortages, shocks, stockpile orders, investment and projects");
    }
}

// One row when the panel is wide enough (two when narrow): text, country, recent turns, and the
// categories behind a button, so the bottom strip keeps its height for the rows.
void filters(EventFilter& f, const Definitions& d, const EventLog& log) {
    const float em = ImGui::GetFontSize();
    ImGui::SetNextItemWidth(em * 8);
    ImGui::InputTextWithHint("##text", "search", f.text, sizeof f.text);
    flow(em * 7);
    country_combo("##country", d, f.country, {.none = "all countries", .width = em * 7});
    flow(em * 8);
    ImGui::SetNextItemWidth(em * 5.5f);
    ImGui::InputInt("##turns", &f.last_turns, 1, 4);
    f.last_turns = std::max(0, f.last_turns);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Only the last N turns (0: all turns)");
    ImGui::SameLine(0, 4);
    ImGui::TextUnformatted(f.last_turns > 0 ? "turns" : "all");

    const bool* on[kEventCategoryCount] = {&f.diplomacy, &f.licensing, &f.markets, &f.policy, &f.scripted, &f.other};
    int shown = 0;
    for (const bool* b : on) shown += *b ? 1 : 0;
    char kinds[32];
    std::snprintf(kinds, sizeof kinds, shown == kEventCategoryCount ? "all kinds###kinds" : "%d of %d kinds###kinds",
                  shown, kEventCategoryCount);
    flow(ImGui::CalcTextSize("6 of 6 kinds").x + em);
    if (ImGui::Button(kinds)) ImGui::OpenPopup("categories");
    if (ImGui::BeginPopup("categories")) {
        category_switches(f, log);
        ImGui::EndPopup();
    }
}

void tooltip(const EventRow& r, const Definitions& d) {
    const GameEvent& e = *r.event;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
    ImGui::Text("Turn %d (%s) - %s", e.turn, r.record ? r.record->date.c_str() : "in progress", e.type.c_str());
    if (e.country != kNoCountry)
        ImGui::Text("%s%s%s", name_of(d, e.country, ""), e.target != kNoCountry ? " -> " : "", name_of(d, e.target, ""));
    ImGui::Separator();
    ImGui::TextUnformatted(e.text.c_str());
    if (!e.data.empty()) {
        ImGui::Separator();
        std::string data = e.data.dump(1);
        if (data.size() > 1500) data = data.substr(0, 1500) + "\n...";
        ImGui::TextDisabled("%s", data.c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

}  // namespace

void events_panel(PanelContext& p) {
    if (!p.snap.defs) return;
    const Definitions& d = *p.snap.defs;
    EventFilter& f = p.ui.events;
    const EventLog log = filter_events(p.snap, f, p.ui.team_view);
    filters(f, d, log);
    char count[96];
    std::snprintf(count, sizeof count, "%zu of %d%s", log.rows.size(), log.total,
                  p.ui.team_view ? " (team view)" : "");
    flow(ImGui::CalcTextSize(count).x);
    ImGui::TextDisabled("%s", count);
    if (ImGui::IsItemHovered() && p.ui.team_view)
        ImGui::SetTooltip("Others' proposals, license paperwork, script output and stockpile orders are hidden");

    const ImGuiTableFlags flags = kScrollTable;
    const float height = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeightWithSpacing() * 5);
    if (!ImGui::BeginTable("events", 3, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    // Fixed widths: fitting to the rows on screen would make the columns jump while scrolling.
    ImGui::TableSetupColumn("date", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("2030-10").x);
    ImGui::TableSetupColumn("type", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("license_decision").x + ImGui::GetFontSize());
    ImGui::TableSetupColumn("what happened", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(log.rows.size()));
    while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const EventRow& r = log.rows[static_cast<size_t>(i)];
            const GameEvent& e = *r.event;
            ImGui::PushID(i);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            // The whole row selects the event's actor (the map and the inspector follow).
            if (ImGui::Selectable(r.record ? r.record->date.c_str() : "now", e.country != kNoCountry && e.country == p.ui.selected,
                                  ImGuiSelectableFlags_SpanAllColumns) &&
                e.country != kNoCountry)
                p.ui.selected = e.country;
            if (ImGui::IsItemHovered()) tooltip(r, d);
            ImGui::TableNextColumn();
            chip(category_colour(r.category));
            ImGui::SameLine(0, 4);
            ImGui::TextUnformatted(e.type.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(e.text.c_str());
            ImGui::PopID();
        }
    ImGui::EndTable();
}

}  // namespace chokepoint::view
