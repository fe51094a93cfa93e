// play --serve: the join screen the facilitator projects. For each seat played from a browser, its
// country, its code in large letters, its own link and that link as a QR code (a phone's camera
// opens it and joins), and how many browsers have it open.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "view/ui/panels.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

// One seat's card, `width` wide.
void join_card(PanelContext& p, const JoinSeat& j, float width) {
    const float em = ImGui::GetFontSize();
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextUnformatted(j.name.c_str());
    ImGui::SetWindowFontScale(2.2f);
    ImGui::TextUnformatted(j.code.c_str());
    ImGui::SetWindowFontScale(1.0f);
    const auto [texture, pixels] = p.ui.serving->qr_texture(j.url);
    if (texture != 0) {
        const float side = std::min(width, 11.0f * em);
        ImGui::Image(reinterpret_cast<ImTextureID>(texture), ImVec2(side, side));
    }
    ImGui::TextDisabled("%s", j.url.c_str());
    const CountryId c = p.snap.defs->country_id(j.seat);
    const std::string now = c == kNoCountry ? std::string() : served_seat_state(p.snap, c);
    ImGui::Text("%d browser%s%s%s", j.browsers, j.browsers == 1 ? "" : "s", now.empty() ? "" : " · ", now.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
}

}  // namespace

void join_screen(PanelContext& p) {
    UiState& ui = p.ui;
    if (!ui.serving || !ui.join_open || !p.snap.defs) return;
    std::vector<JoinSeat> seats = ui.serving->seats();
    std::erase_if(seats, [&](const JoinSeat& j) {
        const CountryId c = p.snap.defs->country_id(j.seat);
        return c == kNoCountry || !p.snap.human[c];
    });
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f), ImGuiCond_Always,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x - 2 * em, vp->Size.y - 2 * em));
    ImGui::SetNextWindowBgAlpha(1.0f);
    if (ImGui::Begin("Join the game###join", &ui.join_open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::SetWindowFontScale(1.4f);
        ImGui::TextWrapped("Open %s on a laptop or phone and type your country's code, or scan its QR code.",
                           ui.serving->url.c_str());
        ImGui::SetWindowFontScale(1.0f);
        ImGui::Spacing();
        if (seats.empty()) ImGui::TextWrapped("No seat is played by people: tick a country in the Seats tab.");
        const float card = 13.0f * em, gap = 1.5f * em;
        const int columns = std::max(1, static_cast<int>((ImGui::GetContentRegionAvail().x + gap) / (card + gap)));
        for (std::size_t i = 0; i < seats.size(); ++i) {
            if (i % columns != 0) ImGui::SameLine(0.0f, gap);
            ImGui::PushID(static_cast<int>(i));
            join_card(p, seats[i], card);
            ImGui::PopID();
        }
        ImGui::Spacing();
        if (ImGui::Button("Close") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) ui.join_open = false;
    }
    ImGui::End();
}

}  // namespace chokepoint::view
