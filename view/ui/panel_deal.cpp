// The deal screen: one proposal on one page, as what each side gives and gets
// (view/model/deal_model), over the window.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "view/model/deal_model.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

void side(const char* title, const std::vector<std::string>& lines) {
    ImGui::TextUnformatted(title);
    ImGui::Separator();
    if (lines.empty()) ImGui::TextDisabled("nothing");
    for (const std::string& l : lines) {
        ImGui::Bullet();
        ImGui::TextWrapped("%s", l.c_str());
    }
}

}  // namespace

bool deal_screen(PanelContext& p) {
    const Snapshot& s = p.snap;
    if (!p.ui.deal || !s.defs) return false;
    const DealView v = *p.ui.deal;
    const Definitions& d = *s.defs;
    if (!d.has_country(v.from) || !d.has_country(v.to)) {
        p.ui.deal.reset();
        return false;
    }
    const DealModel m = deal_model(d, v.from, v.to, v.clauses, v.turns, v.start);
    const float em = ImGui::GetFontSize();
    if (begin_cover_window("##deal")) {
        const float column = std::min(ImGui::GetContentRegionAvail().x, 56 * em);
        ImGui::SetCursorPosX((ImGui::GetWindowWidth() - column) * 0.5f);
        ImGui::BeginGroup();
        if (v.proposal_id > 0)
            ImGui::Text("The deal: proposal #%d from %s to %s", v.proposal_id, m.a_name.c_str(), m.b_name.c_str());
        else
            ImGui::Text("The deal you are drafting: %s to %s", m.a_name.c_str(), m.b_name.c_str());
        ImGui::TextDisabled("%s · %s", m.terms.c_str(), v.status.c_str());
        if (!v.note.empty()) ImGui::TextWrapped("\"%s\"", v.note.c_str());
        ImGui::Spacing();
        const float footer = ImGui::GetFrameHeightWithSpacing() * 1.6f;
        if (ImGui::BeginTable("##sides", 2, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY,
                              ImVec2(column, ImGui::GetContentRegionAvail().y - footer))) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            side(fmt::format("{} gives ({} gets)", m.a_name, m.b_name).c_str(), m.a_gives);
            ImGui::TableNextColumn();
            side(fmt::format("{} gives ({} gets)", m.b_name, m.a_name).c_str(), m.b_gives);
            ImGui::EndTable();
        }
        ImGui::EndGroup();
        // The buttons at the bottom centre: Close, and for a proposal the seat at the desk received,
        // accept and reject (added to its draft like the seat panel's buttons).
        const auto desk = desk_seat(s);
        const bool answer = v.answerable && desk && desk->seat == v.to;
        const float w = ImGui::CalcTextSize("Accept into the draft").x + 2.0f * em;
        const float h = ImGui::GetFrameHeight() * 1.3f;
        const float row = answer ? 3 * w + 2 * em : w;
        ImGui::SetCursorPos(ImVec2((ImGui::GetWindowWidth() - row) * 0.5f, ImGui::GetWindowHeight() - h - em));
        if (answer) {
            if (ImGui::Button("Accept into the draft", ImVec2(w, h))) {
                add_to_draft(p, v.to, Respond{v.proposal_id, AnswerKind::Accept, {}, 0, ""});
                p.ui.deal.reset();
            }
            ImGui::SameLine(0, em);
            if (ImGui::Button("Reject into the draft", ImVec2(w, h))) {
                add_to_draft(p, v.to, Respond{v.proposal_id, AnswerKind::Reject, {}, 0, ""});
                p.ui.deal.reset();
            }
            ImGui::SameLine(0, em);
        }
        if (ImGui::Button("Close", ImVec2(w, h)) || ImGui::IsKeyPressed(ImGuiKey_Escape)) p.ui.deal.reset();
    }
    end_cover_window();
    return true;
}

}  // namespace chokepoint::view
