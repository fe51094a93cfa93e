// Small drawing helpers the panels share: colours from the palette, coloured text pieces that
// wrap, country names, and the table styles.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>

#include "engine/world/definitions.hpp"
#include "engine/world/names.hpp"
#include "view/model/picks.hpp"
#include "view/ui/palette.hpp"

namespace chokepoint::view {

// A palette colour as ImGui wants it.
inline ImVec4 vec(Rgb c) {
    return ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1.f);
}

// A palette colour for text: darkened on a light background so it stays readable.
inline ImVec4 ink(Rgb c) {
    const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
    const float k = 0.2126f * bg.x + 0.7152f * bg.y + 0.0722f * bg.z > 0.5f ? 0.65f : 1.0f;
    return ImVec4(c.r / 255.f * k, c.g / 255.f * k, c.b / 255.f * k, 1.0f);
}

// One coloured piece of a line of pieces, on the same line unless it would run past the edge.
inline void piece(const ImVec4& colour, const std::string& text, bool first = false) {
    if (!first) {
        ImGui::SameLine();
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        if (ImGui::GetCursorScreenPos().x + ImGui::CalcTextSize(text.c_str()).x > right) ImGui::NewLine();
    }
    ImGui::TextColored(colour, "%s", text.c_str());
}

// A country's id, or `none` for no country (kNoCountry) or an id out of range.
inline const char* name_of(const Definitions& d, CountryId c, const char* none = "-") {
    return d.has_country(c) ? d.countries[c].id.c_str() : none;
}

// How a country combo reads. With `none`, the first entry picks no country and is shown for it;
// without, no pick shows `placeholder` until a country is picked, or (clamp) a pick is made and
// kept in range so a country is always chosen.
struct CountryCombo {
    const char* none = nullptr;
    const char* placeholder = "(none)";
    bool names = false;  // countries by name (else by id)
    bool clamp = false;
    std::optional<CountryId> except = std::nullopt;  // a country not offered (a seat cannot pick itself)
    float width = 0.0f;  // 0: the layout's width
};

// A combo of the scenario's countries over the window's pick (none: no country); true when the
// pick changed. A pick outside the scenario (after a "New game" with fewer countries) shows as none.
inline bool country_combo(const char* label, const Definitions& d, std::optional<CountryId>& c,
                          const CountryCombo& o = {}) {
    if (o.clamp) c = clamp_country(d, c);
    auto text = [&](CountryId i) {
        const CountryDef& def = d.countries[i];
        return o.names ? display_name(def).c_str() : def.id.c_str();
    };
    const bool picked = c && d.has_country(*c);
    if (o.width > 0) ImGui::SetNextItemWidth(o.width);
    bool changed = false;
    if (ImGui::BeginCombo(label, picked ? text(*c) : o.none ? o.none : o.placeholder)) {
        if (o.none && ImGui::Selectable(o.none, !c)) c = std::nullopt, changed = true;
        for (CountryId i : d.country_ids())
            if (i != o.except && ImGui::Selectable(text(i), c == i)) c = i, changed = true;
        ImGui::EndCombo();
    }
    return changed;
}
// The same over a pick that is always a country (kept in the scenario's range).
inline bool country_combo(const char* label, const Definitions& d, CountryId& c, CountryCombo o = {}) {
    std::optional<CountryId> pick = c;
    o.clamp = true;
    const bool changed = country_combo(label, d, pick, o);
    c = pick.value_or(CountryId{});
    return changed;
}

// A record's country (an event's actor, a breach's breaker) as a pick: none for kNoCountry.
inline std::optional<CountryId> pick_of(CountryId c) {
    return c == kNoCountry ? std::nullopt : std::optional<CountryId>(c);
}

// A good's or a country's display name (engine/world/names.hpp decides it) as ImGui takes it, or
// `none` for an id out of range (a country's also for kNoCountry).
inline const char* good_of(const Definitions& d, GoodId g, const char* none = "?") {
    return d.has_good(g) ? display_name(d.goods[g]).c_str() : none;
}
inline const char* country_name(const Definitions& d, CountryId c, const char* none = "-") {
    return d.has_country(c) ? display_name(d.countries[c]).c_str() : none;
}

// g inside the scenario's goods: a pick outlives a "New game" with fewer goods.
inline GoodId clamp_good(const Definitions& d, GoodId g) {
    return GoodId{std::clamp(g.value(), 0, std::max(0, d.good_count() - 1))};
}

// A combo of the scenario's goods by name, with "all goods" (none) first where allowed; true when
// the pick changed.
inline bool good_combo(const char* label, const Definitions& d, std::optional<GoodId>& g, bool allow_all = false) {
    if (!allow_all || g) g = clamp_good(d, g.value_or(GoodId{}));
    bool changed = false;
    if (ImGui::BeginCombo(label, g ? good_of(d, *g) : "all goods")) {
        if (allow_all && ImGui::Selectable("all goods", !g)) g = std::nullopt, changed = true;
        for (GoodId i : d.good_ids())
            if (ImGui::Selectable(good_of(d, i), g == i)) g = i, changed = true;
        ImGui::EndCombo();
    }
    return changed;
}
inline bool good_combo(const char* label, const Definitions& d, GoodId& g) {
    std::optional<GoodId> pick = g;
    const bool changed = good_combo(label, d, pick, false);
    g = pick.value_or(GoodId{});
    return changed;
}

// A screen over the whole window (a briefing, a hand-over, a confirmation, a chart shown
// full-window): it has the focus and takes every click, so nothing behind it can be pressed.
// `bg_alpha` below 1 lets the desk show through. Like ImGui::Begin, end_cover_window() follows
// whatever it returns.
inline bool begin_cover_window(const char* id, float bg_alpha = 1.0f) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::SetNextWindowBgAlpha(bg_alpha);
    ImGui::SetNextWindowFocus();
    return ImGui::Begin(id, nullptr,
                        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
}
inline void end_cover_window() {
    ImGui::End();
}

// Tables: a scrolling list with row stripes and column rules, the same without scrolling, and
// one whose columns share the panel's width.
inline constexpr ImGuiTableFlags kScrollTable =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY;
inline constexpr ImGuiTableFlags kListTable =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
inline constexpr ImGuiTableFlags kStretchTable =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;

// A stretching table with a header row whose first column (names, wrapped) takes more of the
// width than the numbers after it: each column's share is its weight.
struct Column {
    const char* label;
    float weight;
};
inline bool begin_table(const char* id, std::initializer_list<Column> columns) {
    if (!ImGui::BeginTable(id, static_cast<int>(columns.size()), kStretchTable)) return false;
    for (const Column& c : columns) ImGui::TableSetupColumn(c.label, ImGuiTableColumnFlags_WidthStretch, c.weight);
    ImGui::TableHeadersRow();
    return true;
}

// Flow layout for a bar of controls: the next item stays on this line when `next_width` pixels
// still fit, else it starts a new line (a large text size or a narrow window wraps the bar instead
// of cutting it off).
inline void same_line_or_wrap(float next_width) {
    const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + next_width;
    if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}
// The width of a button labelled `label`, and of a widget `item_width` wide with a label after it.
inline float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * ImGui::GetStyle().FramePadding.x;
}
inline float labelled_width(float item_width, const char* label) {
    return item_width + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

}  // namespace chokepoint::view
