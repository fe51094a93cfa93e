// Diplomacy: proposals (pending first), agreements with their deliveries,
// agreements breached and licences' end-use violations (apart: a licence's
// violation breaks no deal), and trust — the matrix now, how it moved and why
// (docs/model.md §Negotiation, §End use, §Trust). A team view hides proposals
// between other countries; agreements, breaches and trust are public.
#include <fmt/core.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "view/model/diplomacy_model.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/plot.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

// Not resizable: fixed columns then fit their contents every frame, as rows come in.
// Two tables one under the other (agreements in force and ended; breaches and end-use violations)
// do not scroll themselves: the panel's child does.

ImU32 u32(Rgb c) { return IM_COL32(c.r, c.g, c.b, 255); }

// A palette colour as text: darker on a light background so it stays readable.

// One piece of a status line, kept whole: on the same line while it fits, else on the next.

float fill_height(float min_lines) {
    return std::max(ImGui::GetTextLineHeightWithSpacing() * min_lines, ImGui::GetContentRegionAvail().y);
}

void wrapped_tooltip_begin() {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 34);
}
void wrapped_tooltip_end() {
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void clause_list(const std::vector<std::string>& clauses) {
    for (const auto& c : clauses) ImGui::BulletText("%s", c.c_str());
}

// ---- Proposals ---------------------------------------------------------------------------

void proposal_tooltip(const Definitions& d, const ProposalRow& r) {
    wrapped_tooltip_begin();
    ImGui::Text("Proposal %d: %s -> %s, for %d turns", r.id, name_of(d, r.from), name_of(d, r.to), r.turns);
    if (r.counter_to) ImGui::Text("Counters proposal %d", r.counter_to);
    clause_list(r.clauses);
    if (!r.note.empty()) ImGui::Text("Note: %s", r.note.c_str());
    ImGui::Text("Sent %s, answerable until %s", d.date_of_turn(r.sent_turn).c_str(),
                d.date_of_turn(r.deadline_turn).c_str());
    if (r.status != ProposalStatus::Pending) {
        ImGui::TextColored(ink(status_colour(r.status)), "%s %s", to_string(r.status),
                           r.answered_turn >= 0 ? d.date_of_turn(r.answered_turn).c_str() : "");
        if (!r.reason.empty()) ImGui::Text("Answer: %s", r.reason.c_str());
        if (r.agreement_id) ImGui::Text("Became agreement %d", r.agreement_id);
    }
    wrapped_tooltip_end();
}

void proposals_tab(PanelContext& p, const DiplomacyView& v) {
    const Definitions& d = *p.snap.defs;
    if (v.pending.empty() && v.answered.empty()) {
        ImGui::TextDisabled("No proposals yet.");
        return;
    }
    if (!ImGui::BeginTable("proposals", 5, kScrollTable, ImVec2(0, fill_height(5)))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("from > to");
    ImGui::TableSetupColumn("status");
    ImGui::TableSetupColumn("terms", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("when");  // pending: answerable until; answered: when
    ImGui::TableHeadersRow();
    const size_t n = v.pending.size() + v.answered.size();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(n));
    while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const size_t k = static_cast<size_t>(i);
            const ProposalRow& r = k < v.pending.size() ? v.pending[k] : v.answered[k - v.pending.size()];
            ImGui::PushID(r.id);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            char id[16];
            std::snprintf(id, sizeof id, "%d", r.id);
            ImGui::Selectable(id, false, ImGuiSelectableFlags_SpanAllColumns);
            if (ImGui::IsItemHovered()) proposal_tooltip(d, r);
            ImGui::TableNextColumn();
            ImGui::Text("%s>%s", name_of(d, r.from), name_of(d, r.to));
            ImGui::TableNextColumn();
            ImGui::TextColored(ink(status_colour(r.status)), "%s%s", to_string(r.status), r.counter_to ? "*" : "");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.terms.c_str());
            ImGui::TableNextColumn();
            const int shown = r.status == ProposalStatus::Pending ? r.deadline_turn : r.answered_turn;
            ImGui::TextUnformatted(shown >= 0 ? d.date_of_turn(shown).c_str() : "");
            ImGui::PopID();
        }
    ImGui::EndTable();
}

// ---- Agreements --------------------------------------------------------------------------

void agreement_tooltip(const Definitions& d, const AgreementRow& r) {
    wrapped_tooltip_begin();
    ImGui::Text("Agreement %d: %s and %s (proposal %d)", r.id, name_of(d, r.proposer), name_of(d, r.acceptor),
                r.proposal_id);
    ImGui::Text("In force %s to %s", r.start_date.c_str(), r.end_date.c_str());
    clause_list(r.clauses);
    for (const auto& s : r.supply)
        ImGui::Text("%s > %s %s: %.0f t delivered, %.0f t owed (%.0f t/turn)", name_of(d, s.seller),
                    name_of(d, s.buyer),
                    good_of(d, s.good),
                    s.delivered, s.arrears, s.tonnes_per_turn);
    if (r.withdraw_turn >= 0 && r.status == AgreementStatus::Active)
        ImGui::TextColored(ink(kOkabeIto[0]), "Withdrawal notified: ends after %s",
                           d.date_of_turn(r.withdraw_turn).c_str());
    if (r.status != AgreementStatus::Active) {
        ImGui::TextColored(ink(status_colour(r.status)), "%s %s%s%s", to_string(r.status),
                           r.ended_turn >= 0 ? d.date_of_turn(r.ended_turn).c_str() : "", r.ended_by != kNoCountry ? " by " : "",
                           r.ended_by != kNoCountry ? name_of(d, r.ended_by) : "");
        if (!r.end_reason.empty()) ImGui::Text("%s", r.end_reason.c_str());
    }
    wrapped_tooltip_end();
}

// Agreements in force and ended ones are the same table, one under the other.
void agreement_table(const char* id, const Definitions& d, const std::vector<AgreementRow>& rows) {
    if (!ImGui::BeginTable(id, 6, kListTable)) return;
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("parties");
    ImGui::TableSetupColumn("status");
    ImGui::TableSetupColumn("until");
    ImGui::TableSetupColumn("terms", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("shipped");
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const AgreementRow& r = rows[static_cast<size_t>(i)];
            ImGui::PushID(r.id);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            char num[16];
            std::snprintf(num, sizeof num, "%d", r.id);
            ImGui::Selectable(num, false, ImGuiSelectableFlags_SpanAllColumns);
            if (ImGui::IsItemHovered()) agreement_tooltip(d, r);
            ImGui::TableNextColumn();
            ImGui::Text("%s+%s", name_of(d, r.proposer), name_of(d, r.acceptor));
            ImGui::TableNextColumn();
            const bool leaving = r.status == AgreementStatus::Active && r.withdraw_turn >= 0;
            ImGui::TextColored(ink(leaving ? kOkabeIto[0] : status_colour(r.status)), "%s",
                               leaving ? "leaving" : to_string(r.status));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.status == AgreementStatus::Active ? r.end_date.c_str()
                                                                      : d.date_of_turn(r.ended_turn).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.terms.c_str());
            ImGui::TableNextColumn();
            double delivered = 0.0, owed = 0.0;
            for (const auto& s : r.supply) delivered += s.delivered, owed += s.arrears;
            if (!r.supply.empty()) {
                ImGui::Text("%.0f t", delivered);
                if (owed > 0.5) {
                    ImGui::SameLine(0, 4);
                    ImGui::TextColored(ink(kOkabeIto[5]), "-%.0f", owed);
                }
            }
            ImGui::PopID();
        }
    ImGui::EndTable();
}

void agreements_tab(PanelContext& p, const DiplomacyView& v) {
    const Definitions& d = *p.snap.defs;
    const DiplomacyCounts& c = v.counts;
    if (v.active.empty() && v.ended.empty()) {
        ImGui::TextDisabled("No agreements yet.");
        return;
    }
    ImGui::Text("In force (%d)", c.active);
    if (v.active.empty())
        ImGui::TextDisabled("None now.");
    else
        agreement_table("active", d, v.active);
    ImGui::Spacing();
    ImGui::Text("Ended (%d: %d withdrawn, %d breached)", c.ended, c.withdrawn, c.breached);
    if (!v.ended.empty()) agreement_table("ended", d, v.ended);
}

// ---- Breaches ----------------------------------------------------------------------------

// Broken agreements and licences' end-use violations, each in the same kind of table.
void breach_table(const char* id, PanelContext& p, const std::vector<BreachRow>& rows, bool end_use) {
    const Definitions& d = *p.snap.defs;
    if (!ImGui::BeginTable(id, 4, kListTable)) return;
    ImGui::TableSetupColumn("date");
    ImGui::TableSetupColumn(end_use ? "importer > licensor" : "breaker > wronged");
    ImGui::TableSetupColumn(end_use ? "diverted" : "deal");
    ImGui::TableSetupColumn("what happened", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const BreachRow& b = rows[static_cast<size_t>(i)];
            ImGui::PushID(i);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (ImGui::Selectable(b.date.c_str(), p.ui.selected == pick_of(b.breaker), ImGuiSelectableFlags_SpanAllColumns))
                p.ui.selected = pick_of(b.breaker);
            if (ImGui::IsItemHovered()) {
                wrapped_tooltip_begin();
                if (end_use)
                    ImGui::Text("%s broke the civilian-only clause of %s's licence (turn %d): no agreement broken",
                                name_of(d, b.breaker), name_of(d, b.wronged), b.turn + 1);
                else
                    ImGui::Text("%s breached agreement %d with %s (turn %d)", name_of(d, b.breaker), b.agreement_id,
                                name_of(d, b.wronged), b.turn + 1);
                ImGui::TextUnformatted(b.reason.c_str());
                if (b.trust_after >= 0)
                    ImGui::Text("%s's trust in %s after it: %.2f", name_of(d, b.wronged), name_of(d, b.breaker),
                                b.trust_after);
                wrapped_tooltip_end();
            }
            ImGui::TableNextColumn();
            ImGui::TextColored(ink(kOkabeIto[5]), "%s", name_of(d, b.breaker));
            ImGui::SameLine(0, 2);
            ImGui::Text("> %s", name_of(d, b.wronged));
            ImGui::TableNextColumn();
            if (end_use)
                ImGui::Text("%.1f t %s", b.tonnes, b.good.c_str());
            else
                ImGui::Text("%d", b.agreement_id);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(b.reason.c_str());
            ImGui::PopID();
        }
    ImGui::EndTable();
}

void breaches_tab(PanelContext& p, const DiplomacyView& v) {
    ImGui::Text("Agreements breached (%zu)", v.agreement_breaches.size());
    if (v.agreement_breaches.empty())
        ImGui::TextDisabled("No agreement broken so far.");
    else
        breach_table("agreement_breaches", p, v.agreement_breaches, false);
    ImGui::Spacing();
    ImGui::Text("Licence end-use violations (%zu)", v.end_use_violations.size());
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped(
        "Material licensed for civilian use found in defence use: no agreement is broken, the licensing "
        "exporter's trust falls (docs/model.md, End use).");
    ImGui::PopStyleColor();
    if (v.end_use_violations.empty())
        ImGui::TextDisabled("None found so far.");
    else
        breach_table("end_use_violations", p, v.end_use_violations, true);
}

// ---- Trust -------------------------------------------------------------------------------

// The trust matrix with values: low trust vermillion, high trust blue, 0.5 neutral grey.
// (plot.hpp's heat_map writes the value it colours by, and trust is 0..1 around 0.5.)
// Clicking a cell selects the trusted country.
void trust_grid(PanelContext& p, const DiplomacyView& v) {
    const int n = v.countries.count();
    if (n == 0) return;
    float label_w = 0;
    for (const auto& l : v.countries) label_w = std::max(label_w, ImGui::CalcTextSize(l.c_str()).x);
    label_w += 6.0f;
    const float avail = ImGui::GetContentRegionAvail().x - label_w;
    const float cell = std::clamp(avail / static_cast<float>(n), ImGui::CalcTextSize(".00").x + 6.0f, 70.0f);
    const float h = ImGui::GetTextLineHeight() + 4.0f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    // A country's column (row) starts this many cells from the grid's left (top).
    const auto place = [](CountryId c) { return static_cast<float>(c.value()); };
    // Column heads: the ids cut to fit the cell (the tooltip names both countries).
    for (CountryId j : v.countries.ids()) {
        std::string head = v.countries[j];
        while (head.size() > 1 && ImGui::CalcTextSize(head.c_str()).x > cell - 4) head.pop_back();
        dl->AddText(ImVec2(o.x + label_w + cell * place(j) + 2, o.y), text, head.c_str());
    }
    char buf[16];
    for (CountryId i : v.countries.ids()) {
        const float y = o.y + h * (place(i) + 1);
        dl->AddText(ImVec2(o.x, y + 2), i == p.ui.selected ? u32(kOkabeIto[0]) : text,
                    v.countries[i].c_str());
        for (CountryId j : v.countries.ids()) {
            const ImVec2 a(o.x + label_w + cell * place(j), y), b(a.x + cell - 2, a.y + h - 2);
            if (i == j) {
                dl->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg));
                continue;
            }
            const double t = v.trust(i, j);
            const Rgb c = diverging(0.5 - t, 0.5);
            dl->AddRectFilled(a, b, u32(c));
            std::snprintf(buf, sizeof buf, t >= 0.995 ? "1.0" : ".%02d", static_cast<int>(std::lround(t * 100)) % 100);
            dl->AddText(ImVec2(a.x + 2, a.y + 1), u32(text_on(c)), buf);
        }
    }
    ImGui::InvisibleButton("##trust", ImVec2(label_w + cell * static_cast<float>(n), h * static_cast<float>(n + 1)));
    if (ImGui::IsItemHovered()) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        const int col = static_cast<int>(std::floor((m.x - o.x - label_w) / cell));
        const int row = static_cast<int>(std::floor((m.y - o.y) / h)) - 1;
        if (row >= 0 && col >= 0 && row < n && col < n && row != col) {
            const CountryId i{row}, j{col};  // the cell under the mouse
            ImGui::SetTooltip("%s's trust in %s: %.3f\n(click: show trust in %s over time)",
                              v.countries[i].c_str(), v.countries[j].c_str(), v.trust(i, j), v.countries[j].c_str());
            if (ImGui::IsItemClicked()) p.ui.selected = j;
        }
    }
}

void trust_tab(PanelContext& p, const DiplomacyView& v) {
    const Definitions& d = *p.snap.defs;
    const bool safe = p.ui.display.colour_blind_safe;
    ImGui::TextDisabled("Row's trust in column (0..1); public");
    trust_grid(p, v);

    const std::optional<CountryId> sel = p.ui.selected && d.has_country(*p.ui.selected) ? p.ui.selected : std::nullopt;
    if (sel) ImGui::Text("Trust in %s by each country", name_of(d, *sel));
    else ImGui::TextUnformatted("Mean trust each country receives");
    std::vector<Series> series;
    for (const auto& s : trust_over_time(p.snap, sel)) {
        const CountryId who = sel ? s.truster : s.trusted;
        series.push_back({name_of(d, who), country_colour(who, safe), s.values, false, false});
    }
    // The range of the data with a margin, within 0..1: trust moves by small steps, which a
    // fixed 0..1 axis would flatten.
    double lo = 1.0, hi = 0.0;
    for (const auto& s : series)
        for (double x : s.values)
            if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    ChartOptions o;
    o.height = std::max(90.0f, ImGui::GetTextLineHeight() * 7);
    o.y_min = lo <= hi ? std::max(0.0, lo - 0.05) : 0.0;
    o.y_max = lo <= hi ? std::min(1.0, hi + 0.05) : 1.0;
    for (const auto& r : p.snap.history) o.x_labels.push_back(r->date);
    line_chart("trust_time", series, o);

    const auto changes = trust_changes(p.snap, 0.02, sel);
    ImGui::Text("Moves of 0.02 or more%s%s", sel ? " involving " : "", sel ? name_of(d, *sel) : "");
    if (changes.empty()) {
        ImGui::TextDisabled("None yet.");
        return;
    }
    if (!ImGui::BeginTable("trust_changes", 4, kScrollTable, ImVec2(0, fill_height(4)))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("date");
    ImGui::TableSetupColumn("whose > in");
    ImGui::TableSetupColumn("trust");
    ImGui::TableSetupColumn("why", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(changes.size()));
    while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const TrustChange& c = changes[static_cast<size_t>(i)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d.date_of_turn(c.turn).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s>%s", name_of(d, c.truster), name_of(d, c.trusted));
            ImGui::TableNextColumn();
            ImGui::TextColored(ink(c.after < c.before ? kOkabeIto[5] : kOkabeIto[2]), "%.2f>%.2f", c.before, c.after);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.cause.empty() ? "deals kept, completed or reputation" : c.cause.c_str());
            if (ImGui::IsItemHovered() && !c.cause.empty()) ImGui::SetTooltip("%s", c.cause.c_str());
        }
    ImGui::EndTable();
}

}  // namespace

void diplomacy_panel(PanelContext& p) {
    if (!p.snap.defs) return;
    const DiplomacyView v = diplomacy_view(p.snap, p.ui.team_view);
    const DiplomacyCounts& c = v.counts;

    char pending[32], agreements[48], breaches[48];
    std::snprintf(pending, sizeof pending, "Proposals (%d)###proposals", c.pending);
    std::snprintf(agreements, sizeof agreements, "Agreements (%d)###agreements", c.active);
    std::snprintf(breaches, sizeof breaches, "Breaches (%d) / end use (%d)###breaches", c.breached,
                  c.end_use_violations);
    const ImVec4 plain = ImGui::GetStyleColorVec4(ImGuiCol_Text), dim = ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
    piece(plain, fmt::format("{} proposals:", c.proposals), true);
    piece(ink(status_colour(ProposalStatus::Accepted)), fmt::format("{} accepted", c.accepted));
    piece(ink(status_colour(ProposalStatus::Countered)), fmt::format("{} countered", c.countered));
    piece(ink(status_colour(ProposalStatus::Rejected)), fmt::format("{} rejected", c.rejected + c.failed));
    piece(dim, fmt::format("{} expired", c.expired));
    if (v.hidden_proposals > 0) piece(dim, fmt::format("(+{} between others hidden)", v.hidden_proposals));

    if (!ImGui::BeginTabBar("diplomacy")) return;
    if (ImGui::BeginTabItem(pending)) {
        proposals_tab(p, v);
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(agreements)) {
        agreements_tab(p, v);
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(breaches)) {
        breaches_tab(p, v);
        ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Trust")) {
        trust_tab(p, v);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

}  // namespace chokepoint::view
