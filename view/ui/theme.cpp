#include "view/ui/theme.hpp"

#include <imgui.h>

namespace chokepoint::view {

void apply_theme(Theme theme, float scale) {
    ImGuiStyle style;  // fresh, so sizes do not compound when the scale changes
    switch (theme) {
        case Theme::Dark: ImGui::StyleColorsDark(&style); break;
        case Theme::Light: ImGui::StyleColorsLight(&style); break;
        case Theme::HighContrast: {
            ImGui::StyleColorsDark(&style);
            ImVec4* c = style.Colors;
            const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1), yellow(1.0f, 0.85f, 0.0f, 1), grey(0.25f, 0.25f, 0.25f, 1);
            c[ImGuiCol_Text] = white;
            c[ImGuiCol_TextDisabled] = ImVec4(0.75f, 0.75f, 0.75f, 1);
            c[ImGuiCol_WindowBg] = black;
            c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);  // the window's own black shows through: no second fill
            c[ImGuiCol_PopupBg] = black;
            c[ImGuiCol_Border] = white;
            c[ImGuiCol_FrameBg] = grey;
            c[ImGuiCol_FrameBgHovered] = ImVec4(0.4f, 0.4f, 0.4f, 1);
            c[ImGuiCol_FrameBgActive] = ImVec4(0.5f, 0.5f, 0.2f, 1);
            c[ImGuiCol_TitleBg] = black;
            c[ImGuiCol_TitleBgActive] = ImVec4(0.15f, 0.15f, 0.15f, 1);
            c[ImGuiCol_Button] = grey;
            c[ImGuiCol_ButtonHovered] = ImVec4(0.45f, 0.45f, 0.1f, 1);
            c[ImGuiCol_ButtonActive] = yellow;
            c[ImGuiCol_Header] = grey;
            c[ImGuiCol_HeaderHovered] = ImVec4(0.45f, 0.45f, 0.1f, 1);
            c[ImGuiCol_HeaderActive] = ImVec4(0.6f, 0.55f, 0.0f, 1);
            c[ImGuiCol_Tab] = grey;
            c[ImGuiCol_TabHovered] = ImVec4(0.55f, 0.5f, 0.0f, 1);
            c[ImGuiCol_TabActive] = ImVec4(0.7f, 0.6f, 0.0f, 1);
            c[ImGuiCol_CheckMark] = yellow;
            c[ImGuiCol_SliderGrab] = yellow;
            c[ImGuiCol_NavHighlight] = yellow;
            c[ImGuiCol_TableHeaderBg] = grey;
            c[ImGuiCol_TableBorderStrong] = white;
            style.WindowBorderSize = 2.0f;
            style.FrameBorderSize = 1.0f;
            break;
        }
    }
    style.WindowRounding = 0.0f;  // tiled panels; their backgrounds are square quads drawn under ImGui
    style.FrameRounding = 2.0f;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

}  // namespace chokepoint::view
