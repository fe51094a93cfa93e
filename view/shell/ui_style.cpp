#include "view/shell/ui_style.hpp"

#include <backends/imgui_impl_opengl2.h>
#include <imgui.h>

#include "view/ui/theme.hpp"

namespace chokepoint::view {

void UiStyle::apply(const DisplaySettings& display) {
    if (display.font_scale == applied_scale_ && display.theme == applied_theme_) return;
    build_fonts(display.font_scale);
    apply_theme(display.theme, display.font_scale);
    applied_scale_ = display.font_scale;
    applied_theme_ = display.theme;
}

void UiStyle::build_fonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    if (atlas_scale_ == scale) return;
    if (atlas_scale_ != 0.0f) ImGui_ImplOpenGL2_DestroyFontsTexture();
    io.Fonts->Clear();
    ImFont* font = nullptr;
    // Latin with accents, the punctuation, arrows and signs the game's texts use (— · ’ → ≤ ≈ × €).
    static const ImWchar ranges[] = {0x0020, 0x017F, 0x2010, 0x205E, 0x20AC, 0x20AC, 0x2190, 0x21FF,
                                     0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
    if (!files_.regular.empty())
        font = io.Fonts->AddFontFromFileTTF(files_.regular.c_str(), kBaseFontPx * scale, nullptr, ranges);
    if (!font) {
        ImFontConfig cfg;
        cfg.SizePixels = kDefaultFontPx * scale;
        io.Fonts->AddFontDefault(&cfg);
    }
    if (atlas_scale_ != 0.0f) ImGui_ImplOpenGL2_CreateFontsTexture();
    atlas_scale_ = scale;
}

}  // namespace chokepoint::view
