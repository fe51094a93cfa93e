#include "view/ui/plot.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace chokepoint::view {

namespace {

ImU32 col(Rgb c, int alpha = 255) { return IM_COL32(c.r, c.g, c.b, alpha); }

void nice_range(double& lo, double& hi) {
    if (!(hi > lo)) {
        hi = lo + 1.0;
        lo = lo - (lo > 0 ? 0.0 : 0.0);
    }
    const double pad = (hi - lo) * 0.05;
    hi += pad;
    if (lo > 0 && lo - pad < 0) lo = 0;
    else lo -= (lo == 0 ? 0 : pad);
}

}  // namespace

std::optional<int> line_chart(const char* id, const std::vector<Series>& series, const ChartOptions& o) {
    ImGui::PushID(id);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float legend_h = o.legend && !series.empty() ? ImGui::GetTextLineHeightWithSpacing() * 1.0f : 0.0f;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(120.0f, ImGui::GetContentRegionAvail().x);
    const float axis_w = ImGui::CalcTextSize("0000.00").x + style.ItemSpacing.x;
    const float label_h = ImGui::GetTextLineHeight();
    const ImVec2 p0(origin.x + axis_w, origin.y + 4.0f);
    const ImVec2 p1(origin.x + width - 4.0f, origin.y + o.height - label_h - 4.0f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border);
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 frame = ImGui::GetColorU32(ImGuiCol_FrameBg);

    size_t n = 0;
    double lo = o.y_min.value_or(1e300), hi = o.y_max.value_or(-1e300);
    for (const auto& s : series) {
        n = std::max(n, s.values.size());
        for (double v : s.values)
            if (std::isfinite(v)) {
                if (!o.y_min) lo = std::min(lo, v);
                if (!o.y_max) hi = std::max(hi, v);
            }
    }
    if (lo > hi) lo = 0, hi = 1;
    if (!o.y_min || !o.y_max) nice_range(lo, hi);
    dl->AddRectFilled(p0, p1, frame);
    char buf[64];
    for (int i = 0; i <= 4; ++i) {
        const double v = lo + (hi - lo) * i / 4.0;
        const float y = p1.y - (p1.y - p0.y) * static_cast<float>(i) / 4.0f;
        dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), grid);
        std::snprintf(buf, sizeof buf, o.y_format, v);
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        dl->AddText(ImVec2(p0.x - ts.x - 4.0f, y - ts.y / 2), text, buf);
    }
    auto xpos = [&](size_t i) {
        return n <= 1 ? p0.x : p0.x + (p1.x - p0.x) * static_cast<float>(i) / static_cast<float>(n - 1);
    };
    auto ypos = [&](double v) { return p1.y - static_cast<float>((v - lo) / (hi - lo)) * (p1.y - p0.y); };
    if (!o.x_labels.empty() && n > 0) {
        // As many labels as fit without touching: one label's width plus a gap each.
        const float label_w = ImGui::CalcTextSize(o.x_labels.front().c_str()).x + ImGui::GetFontSize();
        const size_t fit = std::max<size_t>(1, static_cast<size_t>((p1.x - p0.x) / label_w));
        const size_t step = std::max<size_t>(1, (n + fit - 1) / fit);
        for (size_t i = 0; i < n && i < o.x_labels.size(); i += step)
            dl->AddText(ImVec2(xpos(i) - ImGui::CalcTextSize(o.x_labels[i].c_str()).x / 2, p1.y + 2.0f), text,
                        o.x_labels[i].c_str());
    }
    dl->PushClipRect(p0, p1, true);
    for (const auto& s : series) {
        const float thick = s.bold ? 3.0f : 1.5f;
        for (size_t i = 1; i < s.values.size(); ++i) {
            const double a = s.values[i - 1], b = s.values[i];
            if (!std::isfinite(a) || !std::isfinite(b)) continue;
            if (s.dashed && i % 2) continue;
            dl->AddLine(ImVec2(xpos(i - 1), ypos(a)), ImVec2(xpos(i), ypos(b)), col(s.colour), thick);
        }
        if (s.values.size() == 1 && std::isfinite(s.values[0]))
            dl->AddCircleFilled(ImVec2(xpos(0), ypos(s.values[0])), 3.0f, col(s.colour));
    }
    dl->PopClipRect();

    std::optional<int> hovered;
    ImGui::InvisibleButton("##chart", ImVec2(width, o.height));
    if (ImGui::IsItemHovered() && n > 0) {
        const float mx = ImGui::GetIO().MousePos.x;
        const float t = std::clamp((mx - p0.x) / std::max(1.0f, p1.x - p0.x), 0.0f, 1.0f);
        const int i = static_cast<int>(std::lround(t * static_cast<float>(n - 1)));
        hovered = i;
        dl->AddLine(ImVec2(xpos(static_cast<size_t>(i)), p0.y), ImVec2(xpos(static_cast<size_t>(i)), p1.y), text);
        ImGui::BeginTooltip();
        if (static_cast<size_t>(i) < o.x_labels.size()) ImGui::TextUnformatted(o.x_labels[static_cast<size_t>(i)].c_str());
        for (const auto& s : series)
            if (static_cast<size_t>(i) < s.values.size() && std::isfinite(s.values[static_cast<size_t>(i)])) {
                std::snprintf(buf, sizeof buf, o.y_format, s.values[static_cast<size_t>(i)]);
                ImGui::TextColored(ImVec4(s.colour.r / 255.f, s.colour.g / 255.f, s.colour.b / 255.f, 1.f), "%s  %s",
                                   s.label.c_str(), buf);
            }
        ImGui::EndTooltip();
    }
    if (o.legend && !series.empty()) {
        float x = ImGui::GetCursorScreenPos().x;
        const float right = x + width;
        for (const auto& s : series) {
            const float w = ImGui::CalcTextSize(s.label.c_str()).x + 22.0f;
            if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
            const ImVec2 at = ImGui::GetCursorScreenPos();
            dl->AddRectFilled(ImVec2(at.x, at.y + 4), ImVec2(at.x + 12, at.y + label_h - 2), col(s.colour));
            ImGui::Dummy(ImVec2(14, label_h));
            ImGui::SameLine(0, 2);
            ImGui::TextUnformatted(s.label.c_str());
            ImGui::SameLine(0, 10);
            (void)x;
        }
        ImGui::NewLine();
    }
    (void)legend_h;
    ImGui::PopID();
    return hovered;
}

std::optional<std::pair<int, int>> heat_map(const char* id, const std::vector<std::string>& labels,
                                            const std::vector<std::vector<double>>& values, double span,
                                            const char* format) {
    std::optional<std::pair<int, int>> clicked;
    const int n = static_cast<int>(labels.size());
    if (n == 0) return clicked;
    ImGui::PushID(id);
    const float label_w = [&] {
        float w = 0;
        for (const auto& l : labels) w = std::max(w, ImGui::CalcTextSize(l.c_str()).x);
        return w + 8.0f;
    }();
    const float avail = ImGui::GetContentRegionAvail().x - label_w;
    const float cell = std::clamp(avail / static_cast<float>(n), ImGui::CalcTextSize("+0.00").x + 4.0f, 90.0f);
    const float h = ImGui::GetTextLineHeight() + 6.0f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    // Column headers, clipped to their cell so neighbours never overlap (the tooltip names them).
    for (int j = 0; j < n; ++j) {
        const ImVec2 a(origin.x + label_w + cell * static_cast<float>(j), origin.y);
        dl->PushClipRect(a, ImVec2(a.x + cell - 3, a.y + h), true);
        dl->AddText(ImVec2(a.x + 2, a.y), text, labels[static_cast<size_t>(j)].c_str());
        dl->PopClipRect();
    }
    char buf[32];
    for (int i = 0; i < n; ++i) {
        const float y = origin.y + h * static_cast<float>(i + 1);
        dl->AddText(ImVec2(origin.x, y + 3), text, labels[static_cast<size_t>(i)].c_str());
        for (int j = 0; j < n; ++j) {
            const ImVec2 a(origin.x + label_w + cell * static_cast<float>(j), y);
            const ImVec2 b(a.x + cell - 2, a.y + h - 2);
            if (i == j) {
                dl->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg));
                continue;
            }
            const double v = values[static_cast<size_t>(i)][static_cast<size_t>(j)];
            const Rgb c = diverging(v, span);
            dl->AddRectFilled(a, b, col(c));
            std::snprintf(buf, sizeof buf, format, v);
            const Rgb t = text_on(c);
            dl->AddText(ImVec2(a.x + 2, a.y + 3), col(t), buf);
        }
    }
    const ImVec2 size(label_w + cell * static_cast<float>(n), h * static_cast<float>(n + 1));
    ImGui::InvisibleButton("##heat", size);
    if (ImGui::IsItemHovered()) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        const int j = static_cast<int>((m.x - origin.x - label_w) / cell);
        const int i = static_cast<int>((m.y - origin.y) / h) - 1;
        if (i >= 0 && j >= 0 && i < n && j < n && i != j) {
            ImGui::SetTooltip("%s over %s: %+.4f", labels[static_cast<size_t>(i)].c_str(),
                              labels[static_cast<size_t>(j)].c_str(),
                              values[static_cast<size_t>(i)][static_cast<size_t>(j)]);
            if (ImGui::IsItemClicked()) clicked = std::make_pair(i, j);
        }
    }
    ImGui::PopID();
    return clicked;
}

void bar_chart(const char* id, const std::vector<Bar>& bars, std::optional<double> max) {
    ImGui::PushID(id);
    double top = max.value_or(0.0);
    if (!max)
        for (const auto& b : bars) top = std::max(top, std::abs(b.value));
    if (top <= 0) top = 1;
    float label_w = 0;
    for (const auto& b : bars) label_w = std::max(label_w, ImGui::CalcTextSize(b.label.c_str()).x);
    label_w += 8.0f;
    const float width = std::max(60.0f, ImGui::GetContentRegionAvail().x - label_w - ImGui::CalcTextSize("00000.0 t").x);
    const float h = ImGui::GetTextLineHeight();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    char buf[48];
    for (const auto& b : bars) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        dl->AddText(at, text, b.label.c_str());
        const float w = static_cast<float>(std::abs(b.value) / top) * width;
        dl->AddRectFilled(ImVec2(at.x + label_w, at.y + 2), ImVec2(at.x + label_w + std::max(1.0f, w), at.y + h - 1),
                          col(b.colour));
        std::snprintf(buf, sizeof buf, "%.1f", b.value);
        dl->AddText(ImVec2(at.x + label_w + w + 4, at.y), text, b.text.empty() ? buf : b.text.c_str());
        ImGui::Dummy(ImVec2(label_w + width, h + 2));
    }
    ImGui::PopID();
}

}  // namespace chokepoint::view
