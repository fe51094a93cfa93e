// The script console: what Lua policies said (ctx:log, print) and how they
// failed, newest first. An error's file:line leads its row; clicking the row
// opens the whole message with the traceback below (a button copies it).
#include <imgui.h>

#include <algorithm>
#include <string>

#include "view/model/event_model.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

// A palette colour as text: darker on a light background so it stays readable.

bool is_open(const UiState& ui, const ConsoleEntry& e) {
    return ui.console.open_turn == e.turn && ui.console.open_index == e.index;
}

// The full message of the open entry: where, what, and the traceback.
void detail(PanelContext& p, const ConsoleEntry& e, float height) {
    const Definitions& d = *p.snap.defs;
    ImGui::BeginChild("detail", ImVec2(0, height), true);
    ImGui::TextColored(ink(console_colour(e.kind)), "%s", e.location.empty() ? to_string(e.kind) : e.location.c_str());
    if (ImGui::IsItemHovered() && !e.policy.empty()) ImGui::SetTooltip("%s", e.policy.c_str());
    ImGui::SameLine();
    ImGui::Text("%s, turn %d %s", name_of(d, e.country), e.turn + 1, e.where.c_str());
    ImGui::SameLine();
    const std::string full = e.headline + (e.detail.empty() ? "" : "\n" + e.detail);
    if (ImGui::SmallButton("copy")) ImGui::SetClipboardText(full.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("close")) p.ui.console.open_turn = p.ui.console.open_index = -1;
    // Wrapped to the pane (ImGui 1.86's multi-line input cannot wrap); "copy" takes the whole text.
    ImGui::BeginChild("message");
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(ink(console_colour(e.kind)), "%s", e.message.c_str());
    if (!e.detail.empty()) ImGui::TextDisabled("%s", e.detail.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    ImGui::EndChild();
}

}  // namespace

void console_panel(PanelContext& p) {
    if (!p.snap.defs) return;
    const Definitions& d = *p.snap.defs;
    UiState& ui = p.ui;
    const float em = ImGui::GetFontSize();
    country_combo("##console_country", d, ui.console.country, {.none = "all countries", .width = em * 8});
    ImGui::SameLine();
    ImGui::Checkbox("errors only", &ui.console.errors_only);

    const auto entries =
        console_entries(p.snap, ConsoleFilter{ui.console.country, ui.console.errors_only}, ui.team_view);
    int counts[5] = {};
    for (const auto& e : entries) ++counts[static_cast<int>(e.kind)];
    ImGui::SameLine();
    ImGui::TextColored(
        counts[0] ? ink(console_colour(ConsoleKind::Error)) : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled),
        "%d errors", counts[0]);
    ImGui::SameLine();
    ImGui::TextDisabled("%d fallbacks, %d logs, %d refused", counts[1], counts[4], counts[3]);
    if (entries.empty()) {
        ImGui::TextDisabled("Nothing from the scripts yet.");
        return;
    }

    const ConsoleEntry* open = nullptr;
    for (const auto& e : entries)
        if (is_open(ui, e)) open = &e;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float avail = ImGui::GetContentRegionAvail().y;
    const float detail_h = open ? std::clamp(avail * 0.6f, line * 4, line * 14) : 0.0f;
    const float table_h = std::max(line * 3, avail - detail_h - (open ? ImGui::GetStyle().ItemSpacing.y : 0.0f));

    const ImGuiTableFlags flags = kScrollTable;
    if (ImGui::BeginTable("console", 3, flags, ImVec2(0, table_h))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        float who_w = ImGui::CalcTextSize("who").x;
        for (const auto& c : d.countries) who_w = std::max(who_w, ImGui::CalcTextSize(c.id.c_str()).x);
        ImGui::TableSetupColumn("turn", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("turn").x);
        ImGui::TableSetupColumn("who", ImGuiTableColumnFlags_WidthFixed, who_w);
        ImGui::TableSetupColumn("message (click: full text)", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(entries.size()));
        while (clipper.Step())
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const ConsoleEntry& e = entries[static_cast<size_t>(i)];
                ImGui::PushID(i);
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                char turn[16];
                std::snprintf(turn, sizeof turn, "%d", e.turn + 1);  // from 1, as on the terminal
                if (ImGui::Selectable(turn, is_open(ui, e), ImGuiSelectableFlags_SpanAllColumns)) {
                    const bool was = is_open(ui, e);
                    ui.console.open_turn = was ? -1 : e.turn;
                    ui.console.open_index = was ? -1 : e.index;
                }
                if (ImGui::IsItemHovered()) {
                    ImGui::BeginTooltip();
                    ImGui::PushTextWrapPos(em * 36);
                    ImGui::TextUnformatted(e.headline.c_str());
                    if (!e.detail.empty()) ImGui::TextDisabled("%s", e.detail.c_str());
                    ImGui::PopTextWrapPos();
                    ImGui::EndTooltip();
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(name_of(d, e.country));
                ImGui::TableNextColumn();
                const ImVec4 colour = ink(console_colour(e.kind));
                if (!e.location.empty()) {
                    ImGui::TextColored(colour, "%s", e.location.c_str());
                    ImGui::SameLine();
                } else if (e.kind != ConsoleKind::Log) {
                    ImGui::TextColored(colour, "%s", to_string(e.kind));
                    ImGui::SameLine();
                }
                if (e.kind == ConsoleKind::Error) {
                    ImGui::TextColored(colour, "%s", e.message.c_str());
                    if (!e.where.empty() || !e.detail.empty()) {
                        ImGui::SameLine();
                        ImGui::TextDisabled("%s%s", e.where.c_str(), e.detail.empty() ? "" : " [+]");
                    }
                } else {
                    ImGui::TextUnformatted(e.message.c_str());
                }
                ImGui::PopID();
            }
        ImGui::EndTable();
    }
    if (open) detail(p, *open, detail_h);
}

}  // namespace chokepoint::view
