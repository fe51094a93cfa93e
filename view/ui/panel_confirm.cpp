// The confirmation before New game, Open, Branch or quitting closes a game in progress:
// it says where the game is saved.
#include <fmt/format.h>
#include <imgui.h>

#include <string>

#include "view/ui/panels.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

bool game_in_progress(const Snapshot& snap) { return !snap.history.empty(); }

void request_discard(const Snapshot& snap, UiState& ui, UiState::Discard what) {
    if (game_in_progress(snap)) {
        ui.confirm_discard = what;
        return;
    }
    if (what == UiState::Discard::NewGame || what == UiState::Discard::Open) ui.restart_requested = true;
    if (what == UiState::Discard::Quit) ui.quit_confirmed = true;
}

void request_branch(const Snapshot& snap, UiState& ui, int turns) {
    ui.open = OpenRequest{snap.game_file, turns};
    request_discard(snap, ui, UiState::Discard::Open);
}

namespace {

// What happens to the game in progress: kept in its file, or lost.
std::string fate_of(const Snapshot& s) {
    if (s.game_file.empty()) return "It is not saved in a game file (the window was started with --no-save).";
    if (!s.save_error.empty())
        return fmt::format("Its last turns could NOT be saved in {} ({}).", s.game_file, s.save_error);
    return fmt::format("It is saved in {} ({} turns); Game file > Open goes on with it.", s.game_file, s.saved_turns);
}

std::string question(const UiState& ui) {
    switch (ui.confirm_discard) {
        case UiState::Discard::Quit: return "Quit Chokepoint?";
        case UiState::Discard::Open:
            return ui.open.at < 0 ? fmt::format("Open {}?", ui.open.load)
                                  : fmt::format("Branch {} after turn {} into a new file?", ui.open.load, ui.open.at);
        default: return fmt::format("Start a new game from {}?", ui.scenario_path);
    }
}

}  // namespace

bool confirm_discard_screen(PanelContext& p) {
    UiState& ui = p.ui;
    if (ui.confirm_discard == UiState::Discard::None) return false;
    const Snapshot& s = p.snap;
    const bool quit = ui.confirm_discard == UiState::Discard::Quit;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    if (begin_cover_window("##confirm_discard", 0.96f)) {
        const std::string when = s.defs ? s.defs->date_of_turn(s.state.turn) : std::string();
        const std::string lines[] = {
            question(ui),
            fmt::format("The game in progress ({} turn{} played, now {}{}) will be closed.", s.history.size(),
                        s.history.size() == 1 ? "" : "s", when, s.finished ? ", game over" : ""),
            fate_of(s),
            quit ? std::string("Files given with --out are written when the window closes.")
            : ui.confirm_discard == UiState::Discard::Open
                ? std::string("A turn a team is still deciding is not saved: it is played again after opening.")
                : std::string("Its seats played by people are kept where the new scenario has those countries."),
        };
        const float em = ImGui::GetFontSize();
        float y = vp->Size.y * 0.5f - 8.0f * em;
        for (const std::string& l : lines) {
            ImGui::SetCursorPos(ImVec2((vp->Size.x - ImGui::CalcTextSize(l.c_str()).x) * 0.5f, y));
            ImGui::TextUnformatted(l.c_str());
            y += 1.6f * em;
        }
        // "Keep playing" is centred on the window, where the click that asked is unlikely to be;
        // the discarding button sits well below it.
        const char* keep = "Keep playing";
        const std::string go = quit ? std::string("Quit and close the game")
                               : ui.confirm_discard == UiState::Discard::Open ? std::string("Close this game and open the other")
                                                                              : std::string("Close this game and start the new one");
        const ImVec2 keep_size(ImGui::CalcTextSize(keep).x + 4.0f * em, 2.5f * em);
        const ImVec2 go_size(ImGui::CalcTextSize(go.c_str()).x + 3.0f * em, 2.0f * em);
        ImGui::SetCursorPos(ImVec2((vp->Size.x - keep_size.x) * 0.5f, (vp->Size.y - keep_size.y) * 0.5f));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.0f, 0.45f, 0.3f, 1));
        const bool kept = ImGui::Button(keep, keep_size) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
        ImGui::PopStyleColor();
        ImGui::SetCursorPos(ImVec2((vp->Size.x - go_size.x) * 0.5f, vp->Size.y * 0.5f + 5.0f * em));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.55f, 0.2f, 0.1f, 1));
        const bool discard = ImGui::Button(go.c_str(), go_size);
        ImGui::PopStyleColor();
        if (kept) {
            ui.confirm_discard = UiState::Discard::None;
            ui.open = OpenRequest{};
        } else if (discard) {
            if (quit) ui.quit_confirmed = true;
            else ui.restart_requested = true;
            ui.confirm_discard = UiState::Discard::None;
        }
    }
    end_cover_window();
    return true;
}

}  // namespace chokepoint::view
