// The game-over screen: the scoreboard with the team seats marked, the winners, and the balance
// of leverage at the first measurement and at the end (docs/facilitation.md §Game over).
#include <fmt/format.h>
#include <imgui.h>

#include <filesystem>

#include "view/model/results_model.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

void debrief_button(PanelContext& p) {
    const Snapshot& s = p.snap;
    if (!p.ui.export_report || s.game_file.empty()) return;
    ImGui::BeginDisabled(s.saved_turns == 0);
    if (ImGui::Button("Debrief report")) {
        const std::filesystem::path file(s.game_file);
        const std::string out = (file.parent_path() / (file.stem().string() + "-debrief.html")).string();
        const std::string failure = p.ui.export_report(s.game_file, out);
        if (failure.empty()) {
            p.ui.last_report = out;
            p.ui.say(fmt::format("debrief report written: {}", out));
        } else {
            p.ui.say(fmt::format("no debrief report: {}", failure), true);
        }
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Writes the debrief page of the turns saved so far beside the game file: leverage, prices, "
                          "unmet demand, agreements, injects, each team's decisions beside its advisor's, scores. "
                          "Open it in a browser, or print it.");
    if (!p.ui.last_report.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("written: %s", p.ui.last_report.c_str());
    }
}

void results_screen(PanelContext& p) {
    const Snapshot& s = p.snap;
    if (!s.finished) {
        p.ui.results_open = true;  // each game that ends opens it once
        return;
    }
    if (!p.ui.results_open) return;
    const Results r = results(s);
    if (!r.available) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Always,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x - 2 * em, 46 * em), std::min(vp->Size.y - 2 * em, 30 * em)));
    ImGui::SetNextWindowBgAlpha(1.0f);
    if (ImGui::Begin("Game over: results###results", &p.ui.results_open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        const Definitions& d = *s.defs;
        ImGui::TextWrapped("%s, %s to %s.", d.scenario_name.c_str(), d.date_of_turn(0).c_str(),
                           s.history.back()->date.c_str());
        if (!r.winners.empty()) {
            std::string names;
            for (const auto& w : r.winners) names += (names.empty() ? "" : ", ") + w;
            ImGui::TextColored(ImVec4(0.3f, 0.85f, 0.5f, 1), "%s: %s", r.teams ? "Best team" : "Best total", names.c_str());
        }
        ImGui::TextDisabled("Scores 0..1 (docs/model.md §Scores); leverage: combined index, %s and %s",
                            r.first_date.empty() ? "-" : r.first_date.c_str(), r.last_date.empty() ? "-" : r.last_date.c_str());
        if (begin_table("##scores", {{"country", 2.2f}, {"rank", 0.6f}, {"economy", 1}, {"security", 1}, {"influence", 1},
                                     {"total", 1}, {"leverage, first", 1.2f}, {"last", 1}})) {
            for (const ResultRow& row : r.rows) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                if (row.team)
                    ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.2f, 1), "%s (team)", row.name.c_str());
                else
                    ImGui::TextUnformatted(row.name.c_str());
                ImGui::TableNextColumn();
                ImGui::Text("%d", row.rank);
                for (double v : {row.economy, row.security, row.influence, row.total}) {
                    ImGui::TableNextColumn();
                    ImGui::Text("%.3f", v);
                }
                ImGui::TableNextColumn();
                if (row.measured) ImGui::Text("%.3f", row.leverage_first); else ImGui::TextDisabled("-");
                ImGui::TableNextColumn();
                if (row.measured) ImGui::Text("%.3f", row.leverage_last); else ImGui::TextDisabled("-");
            }
            ImGui::EndTable();
        }
        if (ImGui::Button("Close")) p.ui.results_open = false;
        ImGui::SameLine();
        debrief_button(p);
    }
    ImGui::End();
}

}  // namespace chokepoint::view
