// The briefing screen: a team's situation, objectives and starting position
// (view/model/briefing_model), over the window.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "view/model/briefing_model.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

bool briefed(const UiState& ui, CountryId seat) {
    return std::find(ui.briefed.begin(), ui.briefed.end(), seat) != ui.briefed.end();
}

void section(const char* title, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    ImGui::Spacing();
    ImGui::TextUnformatted(title);
    for (const std::string& l : lines) {
        ImGui::Bullet();
        ImGui::TextWrapped("%s", l.c_str());
    }
}

}  // namespace

void briefing_screen(PanelContext& p) {
    const Snapshot& s = p.snap;
    UiState& ui = p.ui;
    if (!s.defs) return;
    // A seat deciding for the first time in this game reads its briefing first; one opened by hand
    // is shown over anything else.
    std::optional<CountryId> seat = ui.briefing;
    const auto desk = desk_seat(s);
    const bool first = !seat && desk && !ui.serving && !briefed(ui, desk->seat);
    if (first) seat = desk->seat;
    if (!seat || !s.defs->has_country(*seat)) return;
    const Briefing b = team_briefing(s, *seat);

    // Over the whole window, like the hand-over screen (nothing behind it takes a click), with the
    // text in a column of a readable width.
    const float em = ImGui::GetFontSize();
    if (begin_cover_window("##briefing")) {
        const float column = std::min(ImGui::GetContentRegionAvail().x, 48 * em);
        ImGui::SetCursorPosX((ImGui::GetWindowWidth() - column) * 0.5f);
        ImGui::BeginGroup();
        ImGui::Text("Briefing: %s", b.team.c_str());
        ImGui::TextDisabled("%s · from %s", b.scenario.c_str(), b.start.c_str());
        ImGui::Separator();
        // The text scrolls; the button sits below it, at the bottom centre whatever the text's
        // length (away from the hand-over button, so a double click there does not skip this).
        const float footer = ImGui::GetFrameHeightWithSpacing() * 1.6f;
        ImGui::BeginChild("##briefing_text", ImVec2(column, ImGui::GetContentRegionAvail().y - footer));
        ImGui::PushTextWrapPos(0.0f);
        if (!b.situation.empty()) {
            ImGui::TextUnformatted("The situation");
            ImGui::TextWrapped("%s", b.situation.c_str());
        }
        if (!b.brief.empty()) {
            ImGui::Spacing();
            ImGui::TextUnformatted("Your brief");
            ImGui::TextWrapped("%s", b.brief.c_str());
        }
        section("What your score weighs (each part 0-1; the total is their weighted mean)", b.objectives);
        section("What you make", b.makes);
        section("What you use (a year, at the start)", b.needs);
        section("Who makes what you lack", b.suppliers);
        ImGui::Spacing();
        ImGui::TextWrapped("%s.", b.treasury.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndChild();
        ImGui::EndGroup();
        const char* label = first ? "We have read it: show our desk" : "Close";
        const ImVec2 size(ImGui::CalcTextSize(label).x + 3.0f * em, ImGui::GetFrameHeight() * 1.3f);
        ImGui::SetCursorPosX((ImGui::GetWindowWidth() - size.x) * 0.5f);
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.0f, 0.45f, 0.3f, 1));
        if (ImGui::Button(label, size)) {
            if (first) ui.briefed.push_back(*seat);
            ui.briefing.reset();
        }
        ImGui::PopStyleColor();
    }
    end_cover_window();
}

}  // namespace chokepoint::view
