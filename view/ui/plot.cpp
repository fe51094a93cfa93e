#include "view/ui/plot.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "view/ui/widgets.hpp"

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

AxisTicks nice_ticks(double lo, double hi, int target) {
    AxisTicks t;
    if (!std::isfinite(lo) || !std::isfinite(hi)) return t;
    if (hi < lo) std::swap(lo, hi);
    if (hi - lo < 1e-12) {  // a flat line: a unit around it
        const double pad = std::max(std::abs(lo) * 0.1, 1e-6);
        lo -= pad;
        hi += pad;
    }
    const double raw = (hi - lo) / std::max(1, target);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10.0 * mag;
    for (double m : {1.0, 2.0, 2.5, 5.0})
        if (m * mag >= raw * 0.999) {
            step = m * mag;
            break;
        }
    t.step = step;
    t.lo = std::floor(lo / step + 1e-9) * step;
    t.hi = std::ceil(hi / step - 1e-9) * step;
    // Enough decimals for the step (2.5 × 10^k needs one more than 10^k).
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    t.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)) + (std::abs(mantissa - 2.5) < 1e-6 ? 1 : 0));
    return t;
}

namespace {

// The chart shown over the whole window (its ImGui id where the panel draws it; 0: none). UI state
// of the chart widget itself, like ImGui's own per-widget state.
ImGuiID g_full_chart = 0;
int g_full_chart_frame = -1;  // the frame it was last drawn in: a chart no longer drawn (its tab
                              // closed, the seat handed over) does not come back full-window later

std::optional<int> draw_line_chart(const char* id, const std::vector<Series>& series, const ChartOptions& o);

}  // namespace

std::optional<int> line_chart(const char* id, const std::vector<Series>& series, const ChartOptions& o) {
    const ImGuiID me = ImGui::GetID(id);
    if (g_full_chart != 0 && ImGui::GetFrameCount() - g_full_chart_frame > 1) g_full_chart = 0;
    if (g_full_chart != me) {
        const auto hovered = draw_line_chart(id, series, o);
        ImGui::PushID(id);
        if (ImGui::SmallButton("full window")) {
            g_full_chart = me;
            g_full_chart_frame = ImGui::GetFrameCount();
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show this chart over the whole window (Escape or Close returns)");
        ImGui::PopID();
        return hovered;
    }
    // Over the whole window: the same chart, as tall as the window allows; the panel keeps a note.
    g_full_chart_frame = ImGui::GetFrameCount();
    ImGui::TextDisabled("(this chart is shown over the whole window)");
    std::optional<int> hovered;
    const std::string window = std::string("##full_chart_") + id;
    if (begin_cover_window(window.c_str())) {
        if (ImGui::Button("Close") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) g_full_chart = 0;
        ChartOptions big = o;
        big.height = std::max(o.height, ImGui::GetContentRegionAvail().y - 3.0f * ImGui::GetTextLineHeightWithSpacing());
        hovered = draw_line_chart(id, series, big);
    }
    end_cover_window();
    return hovered;
}

namespace {

// Where a line chart draws: the plot area, the points along x and the values' range along y.
struct ChartFrame {
    ImVec2 p0, p1;  // the plot area's top left and bottom right corners
    size_t n = 0;   // points along x: the longest series
    double lo = 0.0, hi = 1.0;
    AxisTicks ticks;  // decimals < 0: the caller's fixed range, in 4 even steps written with y_format
    float x(size_t i) const {
        return n <= 1 ? p0.x : p0.x + (p1.x - p0.x) * static_cast<float>(i) / static_cast<float>(n - 1);
    }
    float y(double v) const { return p1.y - static_cast<float>((v - lo) / (hi - lo)) * (p1.y - p0.y); }
};

// The points along x and the range along y: the caller's fixed ends, else the data's widened to
// round ticks (a fixed end kept where it was).
void fit_values(const std::vector<Series>& series, const ChartOptions& o, ChartFrame& f) {
    double lo = o.y_min.value_or(1e300), hi = o.y_max.value_or(-1e300);
    for (const auto& s : series) {
        f.n = std::max(f.n, s.values.size());
        for (double v : s.values)
            if (std::isfinite(v)) {
                if (!o.y_min) lo = std::min(lo, v);
                if (!o.y_max) hi = std::max(hi, v);
            }
    }
    if (lo > hi) lo = 0, hi = 1;
    f.ticks = AxisTicks{lo, hi, (hi - lo) / 4.0, -1};
    if (!o.y_min || !o.y_max) {
        nice_range(lo, hi);
        f.ticks = nice_ticks(lo, hi, 4);
        if (o.y_min) f.ticks.lo = *o.y_min;
        if (o.y_max) f.ticks.hi = *o.y_max;
        lo = f.ticks.lo;
        hi = f.ticks.hi;
    }
    f.lo = lo;
    f.hi = hi;
}

// The plot area's background, the grid lines and the value labels at the left.
void draw_value_axis(ImDrawList* dl, const ChartFrame& f, const char* y_format) {
    const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border);
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    dl->AddRectFilled(f.p0, f.p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
    const AxisTicks& t = f.ticks;
    char buf[64];
    const int intervals = t.decimals >= 0 ? std::max(1, t.count()) : 4;
    for (int i = 0; i <= intervals; ++i) {
        const double v = t.decimals >= 0 ? t.lo + t.step * i : f.lo + (f.hi - f.lo) * i / 4.0;
        if (v > f.hi + 1e-9 * std::abs(f.hi)) break;
        const float y = f.y(v);
        dl->AddLine(ImVec2(f.p0.x, y), ImVec2(f.p1.x, y), grid);
        if (t.decimals >= 0)
            std::snprintf(buf, sizeof buf, "%.*f", t.decimals, v);
        else
            std::snprintf(buf, sizeof buf, y_format, v);
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        dl->AddText(ImVec2(f.p0.x - ts.x - 4.0f, y - ts.y / 2), text, buf);
    }
}

// The x labels under the plot: as many as fit without touching (one label's width plus a gap each).
void draw_x_labels(ImDrawList* dl, const ChartFrame& f, const std::vector<std::string>& labels) {
    if (labels.empty() || f.n == 0) return;
    const float label_w = ImGui::CalcTextSize(labels.front().c_str()).x + ImGui::GetFontSize();
    const size_t fit = std::max<size_t>(1, static_cast<size_t>((f.p1.x - f.p0.x) / label_w));
    const size_t step = std::max<size_t>(1, (f.n + fit - 1) / fit);
    for (size_t i = 0; i < f.n && i < labels.size(); i += step)
        dl->AddText(ImVec2(f.x(i) - ImGui::CalcTextSize(labels[i].c_str()).x / 2, f.p1.y + 2.0f),
                    ImGui::GetColorU32(ImGuiCol_Text), labels[i].c_str());
}

// The series' lines, clipped to the plot area; a series of one value is a dot.
void draw_series(ImDrawList* dl, const ChartFrame& f, const std::vector<Series>& series) {
    dl->PushClipRect(f.p0, f.p1, true);
    for (const auto& s : series) {
        // Lines thick enough for a projector: they grow with the text size.
        const float k = ImGui::GetFontSize() / 16.0f;
        const float thick = (s.bold ? 3.5f : 2.25f) * std::max(1.0f, k);
        for (size_t i = 1; i < s.values.size(); ++i) {
            const double a = s.values[i - 1], b = s.values[i];
            if (!std::isfinite(a) || !std::isfinite(b)) continue;
            if (s.dashed && i % 2) continue;
            dl->AddLine(ImVec2(f.x(i - 1), f.y(a)), ImVec2(f.x(i), f.y(b)), col(s.colour), thick);
        }
        if (s.values.size() == 1 && std::isfinite(s.values[0]))
            dl->AddCircleFilled(ImVec2(f.x(0), f.y(s.values[0])), 3.0f, col(s.colour));
    }
    dl->PopClipRect();
}

// The chart's area as one item; under the mouse, a line at the nearest point and a tooltip with
// each series' value there. Returns that point's index.
std::optional<int> hover_values(ImDrawList* dl, const ChartFrame& f, const std::vector<Series>& series,
                                const ChartOptions& o, float width) {
    ImGui::InvisibleButton("##chart", ImVec2(width, o.height));
    if (!ImGui::IsItemHovered() || f.n == 0) return std::nullopt;
    const float mx = ImGui::GetIO().MousePos.x;
    const float t = std::clamp((mx - f.p0.x) / std::max(1.0f, f.p1.x - f.p0.x), 0.0f, 1.0f);
    const size_t i = static_cast<size_t>(std::lround(t * static_cast<float>(f.n - 1)));
    dl->AddLine(ImVec2(f.x(i), f.p0.y), ImVec2(f.x(i), f.p1.y), ImGui::GetColorU32(ImGuiCol_Text));
    ImGui::BeginTooltip();
    if (i < o.x_labels.size()) ImGui::TextUnformatted(o.x_labels[i].c_str());
    char buf[64];
    for (const auto& s : series)
        if (i < s.values.size() && std::isfinite(s.values[i])) {
            std::snprintf(buf, sizeof buf, o.y_format, s.values[i]);
            ImGui::TextColored(ImVec4(s.colour.r / 255.f, s.colour.g / 255.f, s.colour.b / 255.f, 1.f), "%s  %s",
                               s.label.c_str(), buf);
        }
    ImGui::EndTooltip();
    return static_cast<int>(i);
}

// The legend under the chart: a colour swatch and the label of each series, wrapping at `width`.
void draw_legend(ImDrawList* dl, const std::vector<Series>& series, float width) {
    const float label_h = ImGui::GetTextLineHeight();
    const float right = ImGui::GetCursorScreenPos().x + width;
    for (const auto& s : series) {
        const float w = ImGui::CalcTextSize(s.label.c_str()).x + 22.0f;
        if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
        const ImVec2 at = ImGui::GetCursorScreenPos();
        dl->AddRectFilled(ImVec2(at.x, at.y + 4), ImVec2(at.x + 12, at.y + label_h - 2), col(s.colour));
        ImGui::Dummy(ImVec2(14, label_h));
        ImGui::SameLine(0, 2);
        ImGui::TextUnformatted(s.label.c_str());
        ImGui::SameLine(0, 10);
    }
    ImGui::NewLine();
}

std::optional<int> draw_line_chart(const char* id, const std::vector<Series>& series, const ChartOptions& o) {
    ImGui::PushID(id);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(120.0f, ImGui::GetContentRegionAvail().x);
    const float axis_w = ImGui::CalcTextSize("0000.00").x + ImGui::GetStyle().ItemSpacing.x;
    const float label_h = ImGui::GetTextLineHeight();
    ChartFrame f;
    f.p0 = ImVec2(origin.x + axis_w, origin.y + 4.0f);
    f.p1 = ImVec2(origin.x + width - 4.0f, origin.y + o.height - label_h - 4.0f);
    fit_values(series, o, f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    draw_value_axis(dl, f, o.y_format);
    draw_x_labels(dl, f, o.x_labels);
    draw_series(dl, f, series);
    const std::optional<int> hovered = hover_values(dl, f, series, o, width);
    if (o.legend && !series.empty()) draw_legend(dl, series, width);
    ImGui::PopID();
    return hovered;
}

}  // namespace

namespace {

// Where a heat map's parts go, computed the same way for heat_map_size and heat_map.
struct HeatLayout {
    int n = 0;
    float label_w = 0.0f;           // the row names' column
    float cell = 0.0f;              // a cell's width
    float row_h = 0.0f;             // a row's height
    float header_h = 0.0f;          // one line of headers, or two when staggered
    float text_size = 0.0f;         // font size of the cells' and headers' text
    bool staggered = false;         // odd columns' headers on a second line
    std::vector<std::string> text;  // cell text, row-major (empty on the diagonal)

    ImVec2 size() const {
        return ImVec2(label_w + cell * static_cast<float>(n), header_h + row_h * static_cast<float>(n));
    }
};

std::string cell_text(const HeatMap& m, double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, m.cell_format, v * m.cell_factor);
    // A value that rounds to nothing has no sign. (Compared as C strings: assigning "0" to a
    // std::string here trips GCC 12's -Wrestrict false positive at -O3, breaking Release builds.)
    if (std::strcmp(buf, "-0") == 0 || std::strcmp(buf, "+0") == 0) return "0";
    return buf;
}

HeatLayout heat_layout(const HeatMap& m) {
    HeatLayout l;
    l.n = static_cast<int>(m.rows.size());
    const size_t n = m.rows.size();
    const float font = ImGui::GetFontSize();
    for (const auto& r : m.rows) l.label_w = std::max(l.label_w, ImGui::CalcTextSize(r.c_str()).x);
    l.label_w += font * 0.5f;
    float widest = ImGui::CalcTextSize("0").x;
    l.text.resize(n * n);
    for (size_t i = 0; i < n && i < m.values.size(); ++i)
        for (size_t j = 0; j < n && j < m.values[i].size(); ++j) {
            if (i == j) continue;
            l.text[i * n + j] = cell_text(m, m.values[i][j]);
            widest = std::max(widest, ImGui::CalcTextSize(l.text[i * n + j].c_str()).x);
        }
    // Cells as wide as the panel allows (up to 5.5 characters' worth); the text shrinks, down to
    // kHeatMapMinTextScale, before the grid outgrows the panel.
    const float pad = font * 0.4f;
    const float share = n > 0 ? (ImGui::GetContentRegionAvail().x - l.label_w) / static_cast<float>(n) : 0.0f;
    const float scale = std::clamp((share - pad) / widest, kHeatMapMinTextScale, 1.0f);
    l.text_size = font * scale;
    l.cell = std::clamp(share, widest * scale + pad, font * 5.5f);
    l.row_h = ImGui::GetTextLineHeight() + font * 0.35f;
    for (const auto& c : m.columns)
        l.staggered = l.staggered || ImGui::CalcTextSize(c.c_str()).x * scale > l.cell - 2.0f;
    l.header_h = l.text_size * (l.staggered ? 2.0f : 1.0f) + font * 0.25f;
    return l;
}

// The cell (row, column) or header (-1, column) under the mouse, if any.
std::optional<std::pair<int, int>> heat_hit(const HeatLayout& l, const ImVec2& origin) {
    if (!ImGui::IsWindowHovered()) return std::nullopt;
    const ImVec2 m = ImGui::GetIO().MousePos;
    const float x = m.x - origin.x - l.label_w, y = m.y - origin.y;
    if (x < 0 || y < 0 || l.cell <= 0) return std::nullopt;
    const int j = static_cast<int>(x / l.cell);
    const int i = y < l.header_h ? -1 : static_cast<int>((y - l.header_h) / l.row_h);
    if (j >= l.n || i >= l.n) return std::nullopt;
    return std::make_pair(i, j);
}

}  // namespace

ImVec2 heat_map_size(const HeatMap& map) {
    return heat_layout(map).size();
}

std::optional<std::pair<int, int>> heat_map(const char* id, const HeatMap& m) {
    std::optional<std::pair<int, int>> clicked;
    const HeatLayout l = heat_layout(m);
    const int n = l.n;
    if (n == 0 || m.columns.size() != m.rows.size()) return clicked;
    ImGui::PushID(id);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 accent = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
    const auto hit = heat_hit(l, origin);
    const int hover_i = hit ? hit->first : -2, hover_j = hit ? hit->second : -2;
    auto at = [](int i) { return static_cast<size_t>(i); };

    // Column headers centred on their cells; staggered, each may use its two neighbours' room.
    const float line = l.header_h / (l.staggered ? 2.0f : 1.0f);
    for (int j = 0; j < n; ++j) {
        const char* h = m.columns[j].c_str();
        const float w = ImGui::CalcTextSize(h).x * l.text_size / ImGui::GetFontSize();
        const float centre = origin.x + l.label_w + l.cell * (static_cast<float>(j) + 0.5f);
        const float y = origin.y + (l.staggered && j % 2 ? line : 0.0f);
        const float room = l.staggered ? l.cell : l.cell / 2.0f;
        dl->PushClipRect(ImVec2(centre - room + 1, y), ImVec2(centre + room - 1, y + line), true);
        dl->AddText(font, l.text_size, ImVec2(centre - w / 2.0f, y), j == hover_j ? accent : text, h);
        dl->PopClipRect();
    }
    for (int i = 0; i < n; ++i) {
        const float y = origin.y + l.header_h + l.row_h * static_cast<float>(i);
        dl->AddText(ImVec2(origin.x, y + (l.row_h - ImGui::GetTextLineHeight()) / 2.0f), i == hover_i ? accent : text,
                    m.rows[i].c_str());
        for (int j = 0; j < n; ++j) {
            const ImVec2 a(origin.x + l.label_w + l.cell * static_cast<float>(j), y);
            const ImVec2 b(a.x + l.cell - 2, a.y + l.row_h - 2);
            if (i == j) {
                dl->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg));
                continue;
            }
            const double v = at(i) < m.values.size() && at(j) < m.values[i].size() ? m.values[i][j] : 0.0;
            const Rgb c = diverging(v, m.span);
            dl->AddRectFilled(a, b, col(c));
            const std::string& t = l.text[at(i) * at(n) + at(j)];
            const float w = ImGui::CalcTextSize(t.c_str()).x * l.text_size / ImGui::GetFontSize();
            dl->AddText(font, l.text_size,
                        ImVec2(std::round(b.x - w - 2.0f), std::round(a.y + (l.row_h - 2 - l.text_size) / 2.0f)),
                        col(text_on(c)), t.c_str());
            if (i == hover_i && j == hover_j) dl->AddRect(a, b, accent, 0.0f, 0, 2.0f);
        }
    }
    ImGui::InvisibleButton("##heat", l.size());
    if (ImGui::IsItemHovered() && hit) {
        const auto [i, j] = *hit;
        if (i < 0) {
            ImGui::SetTooltip("%s", m.rows[j].c_str());
        } else if (i != j) {
            ImGui::SetTooltip(m.tooltip_format, m.rows[i].c_str(), m.rows[j].c_str(), m.values[i][j]);
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
