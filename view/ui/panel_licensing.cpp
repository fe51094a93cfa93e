// Licensing: each exporter's queue of pending applications, approvals and
// denials per turn with the mean wait, and approval rates by importer
// (docs/model.md §Licensing). An exporter picked here (LicensingPanelState::exporter)
// lists its applications and narrows the decisions to its own.
#include <fmt/core.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "view/model/licensing_model.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/plot.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

// One piece of a status line, kept whole: on the same line while it fits, else on the next.

void queues_tab(PanelContext& p, const LicensingView& v) {
    const Definitions& d = *p.snap.defs;
    std::optional<CountryId>& pick = p.ui.licensing.exporter;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    if (v.queues.empty()) ImGui::TextDisabled("No applications pending.");
    // One row per exporter: short enough to need no scrolling (and no scrollbar's width).
    if (!v.queues.empty() && ImGui::BeginTable("queues", 5, kListTable)) {
        ImGui::TableSetupColumn("exporter", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("pending");
        ImGui::TableSetupColumn("due");
        ImGui::TableSetupColumn("t/turn");
        ImGui::TableSetupColumn("oldest");  // turns waited by the oldest application
        ImGui::TableHeadersRow();
        for (const auto& q : v.queues) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (ImGui::Selectable(name_of(d, q.exporter), pick == q.exporter, ImGuiSelectableFlags_SpanAllColumns))
                pick = pick == q.exporter ? std::nullopt : std::optional<CountryId>(q.exporter);
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s: %d applications pending, %d past their processing time (due now);\n"
                                  "the oldest has waited %d turn(s)%s",
                                  name_of(d, q.exporter), q.pending, q.decidable, q.oldest_wait,
                                  q.hidden ? "\nTeam view: only your firms' applications are listed" : "");
            ImGui::TableNextColumn();
            ImGui::Text("%d%s", q.pending, q.hidden ? "*" : "");
            ImGui::TableNextColumn();
            ImGui::Text("%d", q.decidable);
            ImGui::TableNextColumn();
            ImGui::Text("%.0f", q.tonnes);
            ImGui::TableNextColumn();
            if (q.pending) {
                const Rgb c = q.oldest_wait >= 3 ? kOkabeIto[5] : q.oldest_wait >= 2 ? kOkabeIto[0] : kOkabeIto[2];
                ImGui::TextColored(ink(c), "%d", q.oldest_wait);
            }
        }
        ImGui::EndTable();
    }
    if (v.hidden_pending > 0)
        ImGui::TextDisabled("* team view: %d applications to others hidden", v.hidden_pending);

    // The picked exporter's applications; with none picked, the longest queue's.
    const ExporterQueue* q = pick ? queue_of(v, *pick) : (v.queues.empty() ? nullptr : &v.queues.front());
    if (!q || q->applications.empty()) {
        if (pick) ImGui::TextDisabled("No applications to %s pending.", name_of(d, *pick));
        return;
    }
    ImGui::Text("%s's queue, oldest first%s", name_of(d, q->exporter), !pick ? " (the longest; click another)" : "");
    const float h = std::max(line * 4, ImGui::GetContentRegionAvail().y);
    if (!ImGui::BeginTable("applications", 7, kScrollTable, ImVec2(0, h))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("importer", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("good", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("t/turn");
    ImGui::TableSetupColumn("use");
    ImGui::TableSetupColumn("filed");
    ImGui::TableSetupColumn("wait");
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(q->applications.size()));
    while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const QueuedApplication& a = q->applications[static_cast<size_t>(i)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%d", a.id);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(name_of(d, a.importer));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(
                good_of(d, a.good));
            ImGui::TableNextColumn();
            ImGui::Text("%.1f", a.tonnes_per_turn);
            ImGui::TableNextColumn();
            if (a.end_use == EndUse::Defense) ImGui::TextColored(ink(kOkabeIto[5]), "defense");
            else ImGui::TextUnformatted("civil");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d.date_of_turn(a.filed_turn).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d%s", a.waiting, a.decidable ? "" : " (proc.)");
            if (ImGui::IsItemHovered() && !a.decidable) ImGui::SetTooltip("Still in processing: not decidable yet");
        }
    ImGui::EndTable();
}

std::vector<std::string> date_labels(const LicensingView& v) {
    std::vector<std::string> out;
    for (const auto& t : v.turns) out.push_back(t.date);
    return out;
}

void decisions_tab(const LicensingView& v, const char* who) {
    ImGui::Text("Decisions per turn%s%s", who[0] ? " by " : "", who);
    ChartOptions o;
    o.height = std::max(90.0f, ImGui::GetTextLineHeight() * 7);
    o.y_format = "%.0f";
    o.y_min = 0.0;
    o.x_labels = date_labels(v);
    Series approved{"approved", kOkabeIto[2], {}}, denied{"denied", kOkabeIto[5], {}},
        expired{"lapsed", kOkabeIto[7], {}};
    Series wait{"mean wait (turns)", kOkabeIto[4], {}}, share{"share of volume granted", kOkabeIto[0], {}};
    for (const auto& t : v.turns) {
        approved.values.push_back(t.approved);
        denied.values.push_back(t.denied);
        expired.values.push_back(t.expired);
        wait.values.push_back(t.mean_wait);
        share.values.push_back(t.requested_t > 0 ? t.approved_t / t.requested_t : std::nan(""));
    }
    line_chart("decisions", {approved, denied, expired}, o);
    o.y_format = "%.1f";
    ImGui::TextUnformatted("Mean wait from filing to decision; share of requested t/turn granted");
    line_chart("wait", {wait, share}, o);
}

void importers_tab(const LicensingView& v, const Definitions& d) {
    if (v.importers.empty()) {
        ImGui::TextDisabled("No decisions yet.");
        return;
    }
    const float h = std::max(ImGui::GetTextLineHeightWithSpacing() * 4, ImGui::GetContentRegionAvail().y);
    if (!ImGui::BeginTable("importers", 5, kScrollTable, ImVec2(0, h))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("importer");
    ImGui::TableSetupColumn("approved", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("decided");
    ImGui::TableSetupColumn("wait");
    ImGui::TableSetupColumn("lapsed");
    ImGui::TableHeadersRow();
    char text[32];
    for (const auto& r : v.importers) {
        const int decided = r.approved + r.denied;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(name_of(d, r.importer));
        ImGui::TableNextColumn();
        if (decided) {
            std::snprintf(text, sizeof text, "%.0f%% (%d)", r.approval_rate * 100, r.approved);
            ImGui::ProgressBar(static_cast<float>(r.approval_rate), ImVec2(-1, ImGui::GetTextLineHeight()), text);
        } else {
            ImGui::TextDisabled("-");
        }
        ImGui::TableNextColumn();
        ImGui::Text("%d", decided);
        ImGui::TableNextColumn();
        if (std::isfinite(r.mean_wait)) ImGui::Text("%.1f", r.mean_wait);
        else ImGui::TextDisabled("-");
        ImGui::TableNextColumn();
        ImGui::Text("%d", r.expired);
    }
    ImGui::EndTable();
}

}  // namespace

void licensing_panel(PanelContext& p) {
    if (!p.snap.defs) return;
    const Definitions& d = *p.snap.defs;
    std::optional<CountryId>& pick = p.ui.licensing.exporter;
    if (pick && !d.has_country(*pick)) pick.reset();
    const LicensingView v = licensing_view(p.snap, p.ui.team_view, pick);

    int pending = 0;
    double tonnes = 0.0;
    for (const auto& q : v.queues) pending += q.pending, tonnes += q.tonnes;
    const ImVec4 plain = ImGui::GetStyleColorVec4(ImGuiCol_Text), dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    piece(plain, fmt::format("Pending {} ({:.0f} t/turn)", pending, tonnes), true);
    piece(ink(kOkabeIto[2]), fmt::format("approved {}", v.approved));
    piece(ink(kOkabeIto[5]), fmt::format("denied {}", v.denied));
    piece(dim, fmt::format("lapsed {}", v.expired));
    piece(std::isfinite(v.mean_wait) ? plain : dim,
          std::isfinite(v.mean_wait) ? fmt::format("wait {:.1f}", v.mean_wait) : std::string("wait -"));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Mean turns from filing to decision");

    country_combo("exporter", d, pick, {.none = "all", .width = ImGui::GetFontSize() * 8});
    if (p.ui.team_view) {
        ImGui::SameLine();
        ImGui::TextDisabled("team view: %s's paperwork only", name_of(d, *p.ui.team_view));
    }

    if (!ImGui::BeginTabBar("licensing")) return;
    if (ImGui::BeginTabItem("Queues")) {
        queues_tab(p, v);
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Decisions")) {
        decisions_tab(v, pick ? name_of(d, *pick) : "");
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Importers")) {
        importers_tab(v, d);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

}  // namespace chokepoint::view
