// The UI's fonts and theme, rebuilt when the display settings change: the font atlas at the UI
// scale (crisp text on a projector rather than a stretched bitmap), the ImGui theme.
#pragma once

#include <string>

#include "view/fonts.hpp"
#include "view/ui/ui_state.hpp"

namespace chokepoint::view {

class UiStyle {
public:
    explicit UiStyle(UiFontFiles files) : files_(std::move(files)) {}
    // Rebuilds fonts and theme when the scale or the theme differ from what was last applied.
    // Needs ImGui's context and its OpenGL2 renderer.
    void apply(const DisplaySettings& display);

    static constexpr float kBaseFontPx = 16.0f;   // a TTF font's size at scale 1
    static constexpr float kDefaultFontPx = 13.0f;  // ImGui's built-in font, when no TTF was found

private:
    void build_fonts(float scale);

    UiFontFiles files_;
    float atlas_scale_ = 0.0f;    // the scale the atlas was built for (0: none yet)
    float applied_scale_ = 0.0f;  // the scale and theme of the last apply
    Theme applied_theme_ = Theme::Dark;
};

}  // namespace chokepoint::view
