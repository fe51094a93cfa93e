// A human seat's turn: everything its government can do, gathered into a draft of
// commands that goes to the game on "End turn"; the country's Lua policy advises.
// Each command is validated when added (the same check the engine makes), so a
// refusal shows at once with its reason. In the negotiation phase, the seat's turn to speak in a
// round: proposals, answers and withdrawals, sent with "Send". Without a seat at the desk: who
// plays which seat.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>

#include "agents/human_seat.hpp"
#include "engine/commands/dispatch.hpp"
#include "engine/diplomacy/clauses.hpp"
#include "view/model/draft_model.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

constexpr double kPerKg = 1000.0;
constexpr float kDraftRows = 5.5f;  // the draft's box, in text lines (it scrolls beyond)

const char* kClauseTypes[] = {"supply", "license", "regime", "investment", "stockpile_loan", "payment", "tariff", "end_use"};

// Adds a command to the draft if the engine would accept it now; otherwise says why.
// A decision that contradicts or repeats one already drafted (accepting and rejecting the same
// proposal) is refused too.
void add(PanelContext& p, CountryId seat, Command c) {
    CommandResult r = validate_command(*p.snap.defs, p.snap.state, seat, c);
    if (r.ok && p.snap.talking && !is_talk_command(c))
        r = CommandResult::refuse("decided after the negotiation, with the turn's other decisions");
    const auto conflict = r.ok ? draft_conflict(*p.snap.defs, p.ui.draft.commands, c) : std::nullopt;
    if (!r.ok || conflict) {
        p.ui.draft.refused.push_back(describe_command(*p.snap.defs, c) + ": " + (r.ok ? *conflict : r.message));
        p.ui.draft.draft_scroll_to_end = true;
        return;
    }
    p.ui.draft.commands.push_back(std::move(c));
    p.ui.draft.draft_scroll_to_end = true;
}

void seats_overview(PanelContext& p) {
    const Snapshot& s = p.snap;
    const Definitions& d = *s.defs;
    ImGui::TextWrapped("Hand any country to a person: the game then waits for that seat's \"End turn\" each turn, "
                       "and its Lua policy advises. Untick to give it back to the computer.");
    ImGui::Checkbox("hot-seat: show only the deciding team's private data", &p.ui.hot_seat);
    // The negotiation phase: rounds of proposals and answers before the decisions, on a clock.
    float minutes = static_cast<float>(s.talk_minutes);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    if (ImGui::SliderFloat("negotiation minutes a turn", &minutes, 0.0f, 30.0f, minutes <= 0 ? "none" : "%.1f"))
        p.session.set_talk_minutes(minutes);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Before the teams decide, up to %d rounds in which they and the computer's countries propose, "
                          "answer and counter; the clock (top bar) ends the phase. None: teams propose and answer "
                          "with their decisions, heard next turn.",
                          d.negotiation.rounds);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    country_combo("team view", d, p.ui.team_view, {.none = "facilitator (all)"});
    if (ImGui::BeginTable("seats", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
        ImGui::TableSetupColumn("country");
        ImGui::TableSetupColumn("human");
        ImGui::TableSetupColumn("policy");
        ImGui::TableHeadersRow();
        for (CountryId c : d.country_ids()) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(country_name(d, c));
            ImGui::TableNextColumn();
            bool human = s.human[c] != 0;
            ImGui::PushID(c.value());
            if (ImGui::Checkbox("##human", &human)) {
                if (human && p.ui.serving) p.ui.serving->add_seat(d.countries[c].id);
                p.session.set_human(c, human);
            }
            ImGui::PopID();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", s.policy_names[c].c_str());
        }
        ImGui::EndTable();
    }
}

// play --serve: each seat's code and browsers, what it is doing, and the facilitator's hand on it.
void served_seats(PanelContext& p) {
    const Snapshot& s = p.snap;
    const Definitions& d = *s.defs;
    ImGui::TextWrapped("Teams play from their browsers at %s with their seat's code.", p.ui.serving->url.c_str());
    if (ImGui::Button("Show the join codes")) p.ui.join_open = true;
    if (ImGui::BeginTable("served", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
        ImGui::TableSetupColumn("seat");
        ImGui::TableSetupColumn("code");
        ImGui::TableSetupColumn("now");
        ImGui::TableSetupColumn("");
        ImGui::TableHeadersRow();
        for (const JoinSeat& j : p.ui.serving->seats()) {
            const CountryId c = d.country_id(j.seat);
            if (c == kNoCountry || !s.human[c]) continue;
            ImGui::PushID(j.seat.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(j.name.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s  (%d open)", j.code.c_str(), j.browsers);
            ImGui::TableNextColumn();
            const std::string now = served_seat_state(s, c);
            ImGui::TextUnformatted(now.c_str());
            ImGui::TableNextColumn();
            if (ImGui::SmallButton("new code")) p.ui.serving->new_code(j.seat);
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("Its browsers are disconnected and the seat gets a new code (a lost or shared code).");
            const bool deciding = s.deciding_turn == s.state.turn && s.computing && !(c.index() < s.sent.size() && s.sent[c]);
            if (deciding) {
                ImGui::SameLine();
                if (ImGui::SmallButton("end its turn")) {
                    const auto* advice = s.advice_for(c);
                    p.session.submit(c, s.deciding_turn, advice ? advice->commands : std::vector<Command>{});
                }
                if (ImGui::IsItemHovered())
                    ImGui::SetTooltip("Ends the seat's turn for it with its advisor's suggestions.");
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
}

// Whether the draft already holds a decision on application `id`.
bool decided_in_draft(const SeatDraft& f, int id) {
    return std::any_of(f.commands.begin(), f.commands.end(), [&](const Command& c) {
        const auto* x = std::get_if<DecideLicense>(&c);
        return x && x->application_id == id;
    });
}

enum class Bulk { Approve, Share, Deny };

// One decision per application of `ids` not yet decided in the draft.
void decide_all(PanelContext& p, CountryId seat, const std::vector<int>& ids, Bulk how) {
    for (int id : ids) {
        if (decided_in_draft(p.ui.draft, id)) continue;
        const auto it = std::find_if(p.snap.state.applications.begin(), p.snap.state.applications.end(),
                                     [&](const LicenseApplication& a) { return a.id == id; });
        if (it == p.snap.state.applications.end()) continue;
        const double share = std::clamp(static_cast<double>(p.ui.draft.approve_share), 0.0, 1.0);
        const int year = p.snap.defs->turns_for_quarters(4);  // licences approved here last a year
        switch (how) {
            case Bulk::Approve:
                add(p, seat, DecideLicense{id, LicenseDecisionKind::Approve, -1.0, year, p.ui.draft.civilian_only});
                break;
            case Bulk::Share:
                add(p, seat, DecideLicense{id, LicenseDecisionKind::Approve, std::floor(it->tonnes_per_turn * share * 10) / 10,
                                           year, p.ui.draft.civilian_only});
                break;
            case Bulk::Deny: add(p, seat, DecideLicense{id, LicenseDecisionKind::Deny, -1.0, year, false}); break;
        }
    }
}

// Approve, approve a share or deny a set of applications, on one line.
void bulk_buttons(PanelContext& p, CountryId seat, const std::vector<int>& ids) {
    if (ImGui::SmallButton("approve")) decide_all(p, seat, ids, Bulk::Approve);
    ImGui::SameLine();
    if (ImGui::SmallButton(fmt::format("{:.0f}%###share", p.ui.draft.approve_share * 100).c_str()))
        decide_all(p, seat, ids, Bulk::Share);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("approve %.0f%% of each request (the share slider above)", p.ui.draft.approve_share * 100);
    ImGui::SameLine();
    if (ImGui::SmallButton("deny")) decide_all(p, seat, ids, Bulk::Deny);
}

// The exporter's paperwork, grouped by destination and good: a line per group
// with its total, bulk decisions for a group or for everything, each application inside.
void applications(PanelContext& p, CountryId seat) {
    const Snapshot& s = p.snap;
    const Definitions& d = *s.defs;
    const std::vector<ApplicationGroup> groups = group_applications(s.state, seat);
    size_t waiting = 0, open = 0;
    std::vector<int> all;
    for (const auto& g : groups) {
        waiting += g.ids.size();
        for (int id : g.ids) {
            all.push_back(id);
            if (!decided_in_draft(p.ui.draft, id)) ++open;
        }
    }
    if (waiting == 0) {
        ImGui::TextDisabled("no application waits for your decision");
    } else {
        ImGui::Text("%zu application%s in %zu group%s; %zu not yet decided in the draft", waiting, waiting == 1 ? "" : "s",
                    groups.size(), groups.size() == 1 ? "" : "s", open);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
        ImGui::SliderFloat("share##approve", &p.ui.draft.approve_share, 0.0f, 1.0f, "%.2f");
        ImGui::SameLine();
        ImGui::Checkbox("civilian only", &p.ui.draft.civilian_only);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("approvals carry a civilian-only clause");
        ImGui::TextUnformatted("All of them:");
        ImGui::SameLine();
        ImGui::PushID("all");
        bulk_buttons(p, seat, all);
        ImGui::PopID();
        for (const auto& g : groups) {
            ImGui::PushID(fmt::format("{}_{}", g.importer.value(), g.good.value()).c_str());
            bulk_buttons(p, seat, g.ids);
            ImGui::SameLine();
            const std::string head =
                fmt::format("{} · {}: {:.0f} t/turn, {} request{}{}", country_name(d, g.importer), good_of(d, g.good),
                            g.tonnes, g.ids.size(), g.ids.size() == 1 ? "" : "s",
                            g.defense_tonnes > 0 ? fmt::format(" ({:.1f} for defense)", g.defense_tonnes) : std::string());
            const bool expanded = ImGui::TreeNode("##group", "%s", head.c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", head.c_str());
            if (expanded) {
                for (const auto& a : s.state.applications) {
                    if (std::find(g.ids.begin(), g.ids.end(), a.id) == g.ids.end()) continue;
                    ImGui::PushID(a.id);
                    ImGui::Text("#%d: %.1f t/turn (%s)%s", a.id, a.tonnes_per_turn, to_string(a.end_use),
                                decided_in_draft(p.ui.draft, a.id) ? " — decided in the draft" : "");
                    ImGui::SameLine();
                    bulk_buttons(p, seat, {a.id});
                    ImGui::PopID();
                }
                ImGui::TreePop();
            }
            ImGui::PopID();
        }
    }
    // The other side: this country's firms apply by themselves.
    int abroad = 0;
    for (const auto& a : s.state.applications)
        if (a.importer == seat && a.status == ApplicationStatus::Pending) ++abroad;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Your firms file licence applications by themselves when they buy from a licensing "
                       "exporter (%d of theirs wait abroad now); approving them is the exporter's decision.",
                       abroad);
    ImGui::PopStyleColor();
}

// Opens the deal screen on a proposal.
void open_deal(PanelContext& p, const Proposal& pr, CountryId seat) {
    p.ui.deal = DealView{pr.id, pr.from, pr.to, pr.clauses, pr.turns, p.snap.state.turn, pr.note,
                         pr.status == ProposalStatus::Pending ? std::string("waiting for an answer") : to_string(pr.status),
                         pr.to == seat && pr.status == ProposalStatus::Pending};
}

// What became of the seat's proposals and those it received this turn (shown in later rounds).
void answered_this_turn(PanelContext& p, CountryId seat) {
    const Snapshot& s = p.snap;
    const Definitions& d = *s.defs;
    for (const auto& pr : s.state.proposals) {
        if (pr.status == ProposalStatus::Pending || pr.answered_turn != s.state.turn) continue;
        if (pr.from != seat && pr.to != seat) continue;
        ImGui::PushID(pr.id);
        if (ImGui::SmallButton("deal")) open_deal(p, pr, seat);
        ImGui::SameLine();
        const std::string other = country_name(d, pr.from == seat ? pr.to : pr.from);
        ImGui::TextDisabled("#%d %s %s: %s%s", pr.id, pr.from == seat ? "to" : "from", other.c_str(), to_string(pr.status),
                            pr.reason.empty() ? "" : fmt::format(" — {}", pr.reason).c_str());
        ImGui::PopID();
    }
}

void proposals(PanelContext& p, CountryId seat) {
    const Snapshot& s = p.snap;
    const Definitions& d = *s.defs;
    int shown = 0;
    for (const auto& pr : s.state.proposals) {
        if (pr.status != ProposalStatus::Pending) continue;
        if (pr.to == seat) {
            ++shown;
            ImGui::PushID(pr.id);
            ImGui::TextWrapped("#%d from %s (%d turns, answer by %s): %s%s", pr.id, country_name(d, pr.from),
                               pr.turns, d.date_of_turn(pr.deadline_turn).c_str(), describe(d, pr.clauses).c_str(),
                               pr.note.empty() ? "" : fmt::format(" — \"{}\"", pr.note).c_str());
            if (ImGui::SmallButton("accept")) add(p, seat, Respond{pr.id, AnswerKind::Accept, {}, 0, ""});
            ImGui::SameLine();
            if (ImGui::SmallButton("reject")) add(p, seat, Respond{pr.id, AnswerKind::Reject, {}, 0, p.ui.draft.note});
            ImGui::SameLine();
            if (ImGui::SmallButton("counter...")) {
                p.ui.draft.clauses = pr.clauses;
                p.ui.draft.counter_to = pr.id;
                p.ui.draft.partner = pr.from;
                p.ui.draft.turns = pr.turns;
            }
            ImGui::SameLine();
            if (ImGui::SmallButton("deal")) open_deal(p, pr, seat);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("what each side gives and gets, on one page");
            ImGui::PopID();
        } else if (pr.from == seat) {
            ImGui::PushID(pr.id);
            if (ImGui::SmallButton("deal")) open_deal(p, pr, seat);
            ImGui::SameLine();
            ImGui::TextDisabled("yours, #%d to %s: %s", pr.id, country_name(d, pr.to),
                                describe(d, pr.clauses).c_str());
            ImGui::PopID();
        }
    }
    if (shown == 0) ImGui::TextDisabled("no proposal waits for your answer");
    answered_this_turn(p, seat);
}

void agreements(PanelContext& p, CountryId seat) {
    const Definitions& d = *p.snap.defs;
    int shown = 0;
    for (const auto& a : p.snap.state.agreements) {
        if (a.status != AgreementStatus::Active || !a.involves(seat)) continue;
        ++shown;
        ImGui::PushID(a.id);
        ImGui::TextWrapped("#%d with %s until %s: %s", a.id, country_name(d, a.other(seat)),
                           d.date_of_turn(a.end_turn).c_str(), describe(d, a.clauses).c_str());
        if (a.withdraw_turn < 0 && ImGui::SmallButton("withdraw")) add(p, seat, Withdraw{a.id, p.ui.draft.note});
        ImGui::PopID();
    }
    if (shown == 0) ImGui::TextDisabled("no agreement in force");
}

// The clauses drafted so far, each with a button that drops it.
void drafted_clauses(const Definitions& d, SeatDraft& f) {
    for (size_t i = 0; i < f.clauses.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::SmallButton("x")) {
            f.clauses.erase(f.clauses.begin() + static_cast<std::ptrdiff_t>(i));
            ImGui::PopID();
            break;
        }
        ImGui::SameLine();
        ImGui::TextWrapped("%s", describe(d, f.clauses[i]).c_str());
        ImGui::PopID();
    }
}

// The terms a clause of this kind has (tonnes, price, regime, shares, ...).
void clause_terms(SeatDraft& f, ClauseKind kind) {
    const float w = ImGui::GetFontSize() * 6;
    switch (kind) {
        case ClauseKind::Supply:
            ImGui::SetNextItemWidth(w); ImGui::InputFloat("t/turn", &f.tonnes); ImGui::SameLine();
            ImGui::SetNextItemWidth(w); ImGui::InputFloat("USD/kg", &f.price);
            break;
        case ClauseKind::LicenseFacilitation:
            ImGui::SetNextItemWidth(w); ImGui::InputFloat("cap t/turn", &f.tonnes); ImGui::SameLine();
            ImGui::Checkbox("civilian only", &f.civilian_only); ImGui::SameLine();
            ImGui::SetNextItemWidth(w); ImGui::SliderInt("max delay", &f.max_delay, 0, 8);
            break;
        case ClauseKind::RegimeChange: {
            const char* regimes[] = {"open", "licensed"};
            ImGui::SetNextItemWidth(w); ImGui::Combo("regime", &f.regime, regimes, 2);
            break;
        }
        case ClauseKind::Investment:
            ImGui::SetNextItemWidth(w); ImGui::InputFloat("t/yr", &f.tonnes); ImGui::SameLine();
            ImGui::SetNextItemWidth(w); ImGui::SliderFloat("output share", &f.share, 0, 1); ImGui::SameLine();
            ImGui::SetNextItemWidth(w); ImGui::SliderFloat("capex share", &f.capex_share, 0, 1);
            break;
        case ClauseKind::StockpileLoan:
            ImGui::SetNextItemWidth(w); ImGui::InputFloat("t", &f.tonnes);
            break;
        case ClauseKind::Payment:
            ImGui::SetNextItemWidth(w); ImGui::InputFloat("USD M", &f.usd); ImGui::SameLine();
            ImGui::Checkbox("per turn", &f.per_turn);
            break;
        case ClauseKind::TariffChange:
            ImGui::SetNextItemWidth(w); ImGui::SliderFloat("rate", &f.rate, 0, 1, "%.2f");
            break;
        default: break;
    }
}

// The clause the form describes, between the seat and the partner (from the seat when "we give").
Clause clause_of(const SeatDraft& f, ClauseKind kind, CountryId seat, CountryId partner) {
    Clause c;
    c.kind = kind;
    c.from = f.clause_from_me ? seat : partner;
    c.to = f.clause_from_me ? partner : seat;
    c.good = kind == ClauseKind::Payment ? std::nullopt : f.good;
    c.tonnes = f.tonnes;
    c.price = f.price * kPerKg;
    c.usd = f.usd * 1e6;
    c.per_turn = f.per_turn;
    c.share = f.share;
    c.capex_share = f.capex_share;
    c.regime = f.regime == 0 ? Regime::Open : Regime::Licensed;
    c.rate = f.rate;
    c.civilian_only = f.civilian_only;
    c.max_delay = f.max_delay;
    return c;
}

// Sends the drafted clauses: as a counter to the proposal being answered, else as a proposal.
void send_clauses(PanelContext& p, CountryId seat) {
    SeatDraft& f = p.ui.draft;
    ImGui::BeginDisabled(f.clauses.empty() || !f.partner);
    if (f.counter_to > 0) {
        if (ImGui::Button(fmt::format("Counter proposal {}", f.counter_to).c_str())) {
            add(p, seat, Respond{f.counter_to, AnswerKind::Counter, f.clauses, f.turns, f.note});
            f.clauses.clear();
            f.counter_to = 0;
        }
    } else if (ImGui::Button("Propose")) {
        add(p, seat, Propose{{*f.partner}, f.clauses, f.turns, f.note});
        f.clauses.clear();
    }
    ImGui::EndDisabled();
    if (f.counter_to > 0) {
        ImGui::SameLine();
        if (ImGui::Button("cancel counter")) f.counter_to = 0, f.clauses.clear();
    }
}

// Builds one clause from the form; "me" is the seat, "them" the partner. The buttons come before
// the list of clauses drafted, so adding a clause never moves them under the mouse.
void clause_editor(PanelContext& p, CountryId seat) {
    const Definitions& d = *p.snap.defs;
    SeatDraft& f = p.ui.draft;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    country_combo("partner", d, f.partner, {.names = true, .except = seat});
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
    ImGui::InputInt("turns", &f.turns);
    f.turns = std::clamp(f.turns, 1, d.negotiation.max_duration_turns);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::Combo("clause", &f.clause_type, kClauseTypes, IM_ARRAYSIZE(kClauseTypes));
    ImGui::SameLine();
    const char* sides[] = {"they give", "we give"};
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::Combo("##side", &f.clause_from_me, sides, 2);
    const auto kind = static_cast<ClauseKind>(f.clause_type);
    if (kind != ClauseKind::Payment) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
        good_combo("good", d, f.good, kind == ClauseKind::TariffChange);
    }
    clause_terms(f, kind);
    ImGui::InputText("note", f.note, sizeof f.note);
    ImGui::BeginDisabled(!f.partner);
    if (ImGui::Button("Add clause")) f.clauses.push_back(clause_of(f, kind, seat, *f.partner));
    ImGui::EndDisabled();
    ImGui::SameLine();
    send_clauses(p, seat);
    ImGui::SameLine();
    ImGui::BeginDisabled(f.clauses.empty() || !f.partner);
    if (ImGui::Button("See the deal") && f.partner)
        p.ui.deal = DealView{0, seat, *f.partner, f.clauses, f.turns, p.snap.state.turn, f.note, "draft", false};
    ImGui::EndDisabled();
    if (f.clauses.empty()) ImGui::TextDisabled("no clause yet: set one up above, then Add clause");
    drafted_clauses(d, f);
}

void instruments(PanelContext& p, CountryId seat) {
    const Definitions& d = *p.snap.defs;
    SeatDraft& f = p.ui.draft;
    const float w = ImGui::GetFontSize() * 6;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    good_combo("good##i", d, f.decision_good);
    const GoodId g = f.decision_good;
    const auto& cs = p.snap.state.countries[seat];
    ImGui::SameLine();
    ImGui::TextDisabled("stock %.0f t, stockpile %.0f t, treasury $%.0fM", cs.stock[g],
                        cs.stockpile[g], cs.treasury / 1e6);
    // Exports.
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    country_combo("to / from", d, f.destination, {.none = "all", .names = true, .except = seat});
    ImGui::SameLine();
    const char* regimes[] = {"open", "licensed", "embargo"};
    ImGui::SetNextItemWidth(w);
    ImGui::Combo("regime##i", &f.regime, regimes, 3);
    ImGui::SameLine();
    if (ImGui::SmallButton("set regime")) add(p, seat, SetExportRegime{g, f.destination, static_cast<Regime>(f.regime)});
    ImGui::SetNextItemWidth(w);
    ImGui::SliderFloat("rate##i", &f.rate, 0, 1, "%.2f");
    ImGui::SameLine();
    if (ImGui::SmallButton("export duty")) add(p, seat, SetExportDuty{g, f.destination, f.rate});
    ImGui::SameLine();
    if (ImGui::SmallButton("tariff")) add(p, seat, SetTariff{g, f.destination, f.rate});
    // Quotas, in t/yr.
    ImGui::SetNextItemWidth(w);
    ImGui::InputFloat("quota t/yr", &f.quota_tpy, 0, 0, "%.0f");
    ImGui::SameLine();
    ImGui::Checkbox("lift", &f.lift);
    ImGui::SameLine();
    const double quota = f.lift ? kUnlimited : std::max(0.0f, f.quota_tpy);
    if (ImGui::SmallButton("production quota")) add(p, seat, SetProductionQuota{g, quota});
    ImGui::SameLine();
    if (ImGui::SmallButton("export quota")) add(p, seat, SetExportQuota{g, quota});
    // Stockpile: tonnes, and the highest price paid for a purchase.
    ImGui::SetNextItemWidth(w);
    ImGui::InputFloat("stockpile t", &f.stock_tonnes, 0, 0, "%.0f");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w);
    ImGui::InputFloat("max USD/kg##s", &f.stock_price, 0, 0, "%.1f");
    ImGui::SameLine();
    if (ImGui::SmallButton("buy")) add(p, seat, StockpileBuy{g, std::max(0.0f, f.stock_tonnes), f.stock_price * kPerKg});
    ImGui::SameLine();
    if (ImGui::SmallButton("release")) add(p, seat, StockpileRelease{g, std::max(0.0f, f.stock_tonnes), 0.0});
    // Support for producers at home: a subsidy per kg produced, or a guaranteed floor price.
    ImGui::SetNextItemWidth(w);
    ImGui::InputFloat("USD/kg##support", &f.support_price, 0, 0, "%.1f");
    ImGui::SameLine();
    if (ImGui::SmallButton("subsidy")) add(p, seat, SetSubsidy{g, f.support_price * kPerKg});
    ImGui::SameLine();
    if (ImGui::SmallButton("price floor")) add(p, seat, SetPriceFloor{g, f.support_price * kPerKg});
    // Defense priority (a DPAS-style rating: defense served first, the stockpile covers its gap).
    if (ImGui::SmallButton("defense first")) add(p, seat, SetDefensePriority{g, true});
    ImGui::SameLine();
    if (ImGui::SmallButton("defense rating off")) add(p, seat, SetDefensePriority{g, false});
    // Investment: new capacity in t/yr, its cost and first output shown before it is added.
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    country_combo("host", d, f.host, {.none = "at home", .names = true});
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w);
    ImGui::InputFloat("capacity t/yr", &f.invest_tpy, 0, 0, "%.0f");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w);
    ImGui::SliderFloat("share home##inv", &f.share, 0, 1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("abroad: the share of the plant's output shipped home");
    const InvestmentPreview inv = preview_investment(d, p.snap.state, g, f.invest_tpy);
    if (ImGui::SmallButton("invest"))
        add(p, seat, StartProject{f.host == seat ? std::nullopt : f.host, g, std::max(0.0f, f.invest_tpy), f.share});
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("capex $%.0fM of $%.0fM in the treasury; first output %s (%d turns)", inv.capex_usd / 1e6,
                       cs.treasury / 1e6, d.date_of_turn(inv.online_turn).c_str(), inv.lead_turns);
    ImGui::PopStyleColor();
}


// The draft: a box of fixed height that scrolls, so adding a decision or a refusal never moves
// the buttons below it under the mouse.
void draft_box(PanelContext& p, const char* empty) {
    const Definitions& d = *p.snap.defs;
    SeatDraft& f = p.ui.draft;
    ImGui::BeginChild("##draft_list", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * kDraftRows), true);
    for (size_t i = 0; i < f.commands.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::SmallButton("x")) {
            f.commands.erase(f.commands.begin() + static_cast<std::ptrdiff_t>(i));
            ImGui::PopID();
            break;
        }
        ImGui::SameLine();
        const std::string context = application_context(d, p.snap.state, f.commands[i]);
        if (context.empty()) ImGui::TextWrapped("%s", describe_command(d, f.commands[i]).c_str());
        else ImGui::TextWrapped("%s — %s", describe_command(d, f.commands[i]).c_str(), context.c_str());
        ImGui::PopID();
    }
    if (f.commands.empty()) ImGui::TextDisabled("%s", empty);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.3f, 1));
    for (const auto& r : f.refused) ImGui::TextWrapped("refused: %s", r.c_str());
    ImGui::PopStyleColor();
    if (f.draft_scroll_to_end) ImGui::SetScrollHereY(1.0f);
    f.draft_scroll_to_end = false;
    ImGui::EndChild();
}

// Starts a fresh draft when the seat, turn or stage (round, or the decisions) changes.
SeatDraft& draft_for(UiState& ui, const DeskSeat& desk) {
    SeatDraft& f = ui.draft;
    const int stage = desk.talks ? desk.round : -1;
    if (f.seat != desk.seat || f.turn != desk.turn || f.stage != stage) {
        const SeatDraft fresh;
        f = fresh;
        f.seat = desk.seat;
        f.turn = desk.turn;
        f.stage = stage;
    }
    return f;
}

// A seat's turn to speak in a negotiation round: proposals, answers and withdrawals only.
void talk_desk(PanelContext& p, const DeskSeat& desk) {
    const Definitions& d = *p.snap.defs;
    const CountryId seat = desk.seat;
    SeatDraft& f = draft_for(p.ui, desk);
    // The buttons come first on the line, where End turn is in the decisions.
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.0f, 0.45f, 0.3f, 1));
    const bool send = ImGui::Button(fmt::format("Send ({})###send", f.commands.size()).c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("send these now; the others answer in the next round, and you are asked again");
    ImGui::SameLine();
    const bool done = ImGui::Button("Done talking");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("send these and stop talking this turn (asked again only if a proposal reaches you)");
    if (send || done) {
        p.session.say(seat, TalkAnswer{f.commands, done});
        p.ui.say(fmt::format("{} {} {} proposal(s) and answer(s) in round {}", d.countries[seat].id,
                             done ? "ended its talks with" : "sent", f.commands.size(), desk.round + 1));
        f = SeatDraft{};
    }
    ImGui::SameLine();
    if (ImGui::Button("Let the advisor play")) p.session.set_human(seat, false);
    ImGui::Text("%s negotiates · turn %d · %s", country_name(d, seat), desk.turn + 1, d.date_of_turn(desk.turn).c_str());
    const std::string clock = talks_status(p.snap);
    if (!clock.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.2f, 1), "%s", clock.c_str());
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Propose, answer, counter or withdraw; what you send goes out at the end of this round and the "
                       "others answer in the next. Exports, stockpiles, licences and investments are decided after the "
                       "talks.");
    ImGui::PopStyleColor();
    if (ImGui::CollapsingHeader(fmt::format("To send this round ({})###draft", f.commands.size()).c_str(),
                                ImGuiTreeNodeFlags_DefaultOpen))
        draft_box(p, "nothing yet: Send now says nothing this round");
    if (ImGui::CollapsingHeader("Proposals", ImGuiTreeNodeFlags_DefaultOpen)) proposals(p, seat);
    if (ImGui::CollapsingHeader("New proposal or counter", ImGuiTreeNodeFlags_DefaultOpen)) clause_editor(p, seat);
    if (ImGui::CollapsingHeader("Agreements")) agreements(p, seat);
}

}  // namespace

std::string served_seat_state(const Snapshot& s, CountryId c) {
    if (s.finished) return "game over";
    if (s.talking) return s.talking->seat == c ? "speaking" : "";
    const bool sent = c.index() < s.sent.size() && s.sent[c];
    if (s.computing && s.deciding_turn == s.state.turn) {
        if (sent) return "decisions in";
        return s.waiting && s.waiting->seat == c ? "deciding (the game waits on it)" : "deciding";
    }
    return "";
}

std::optional<DeskSeat> desk_seat(const Snapshot& s) {
    if (s.waiting) return DeskSeat{s.waiting->seat, s.waiting->turn, false, 0, 0};
    if (s.talking) return DeskSeat{s.talking->seat, s.talking->turn, true, s.talking->round, s.talking->rounds};
    return std::nullopt;
}

void add_to_draft(PanelContext& p, CountryId seat, Command c) { add(p, seat, std::move(c)); }

std::string talks_status(const Snapshot& s) {
    if (!s.talk_clock.running()) return "";
    std::string out;
    if (s.talking) out = fmt::format("round {} of {} · ", s.talking->round + 1, s.talking->rounds);
    if (s.talk_clock.paused()) return out + clock_text(s.talk_clock.left(TalkClock::Clock::now())) + " left (paused)";
    return out + clock_text(s.talk_clock.left(TalkClock::Clock::now())) + " left";
}

void sync_team_view(const Snapshot& s, UiState& ui) {
    const auto desk = ui.serving ? std::nullopt : desk_seat(s);  // served seats decide in their browsers
    if (!desk) {
        if (ui.hot_seat && ui.team_view_follows_desk) ui.team_view.reset();  // back to the facilitator's view
        ui.team_view_follows_desk = false;
        ui.draft.seat.reset();
        return;
    }
    if (ui.hot_seat) {
        ui.team_view = desk->seat;
        ui.team_view_follows_desk = true;
    }
}

bool handover_screen(PanelContext& p) {
    const Snapshot& s = p.snap;
    const auto desk = desk_seat(s);
    if (!desk || !p.ui.hot_seat || !s.defs || p.ui.serving) return false;
    const CountryId seat = desk->seat;
    if (p.ui.handed_seat == seat && p.ui.handed_turn == desk->turn && p.ui.handed_talks == desk->talks) return false;
    const Definitions& d = *s.defs;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    if (begin_cover_window("##handover")) {
        const std::string& team = display_name(d.countries[seat]);
        const std::string clock = talks_status(s);
        const std::string lines[] = {
            fmt::format("Turn {} · {} · {}", desk->turn + 1, d.date_of_turn(desk->turn),
                        desk->talks ? "negotiation" : "decisions"),
            clock.empty() ? std::string() : "Negotiation: " + clock, "Pass the keyboard and mouse to", team,
            "(the last team's desk is hidden until then)"};
        const float em = ImGui::GetFontSize();
        float y = vp->Size.y * 0.5f - 6.6f * em;
        for (const std::string& l : lines) {
            ImGui::SetCursorPos(ImVec2((vp->Size.x - ImGui::CalcTextSize(l.c_str()).x) * 0.5f, y));
            ImGui::TextUnformatted(l.c_str());
            y += 1.6f * em;
        }
        const std::string label = fmt::format("We are {}: show our desk", team);
        const ImVec2 size(ImGui::CalcTextSize(label.c_str()).x + 3.0f * em, 2.5f * em);
        // The button's centre is the window's: far from "End turn" at the seat panel's top.
        ImGui::SetCursorPos(ImVec2((vp->Size.x - size.x) * 0.5f, (vp->Size.y - size.y) * 0.5f + 3.0f * em));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.0f, 0.45f, 0.3f, 1));
        if (ImGui::Button(label.c_str(), size)) {
            p.ui.handed_seat = seat;
            p.ui.handed_turn = desk->turn;
            p.ui.handed_talks = desk->talks;
        }
        ImGui::PopStyleColor();
    }
    end_cover_window();
    return true;
}

void seat_panel(PanelContext& p) {
    const Snapshot& s = p.snap;
    const auto desk = desk_seat(s);
    if (p.ui.serving) {
        served_seats(p);
        seats_overview(p);
        return;
    }
    if (!desk) {
        seats_overview(p);
        return;
    }
    if (desk->talks) {
        talk_desk(p, *desk);
        return;
    }
    const Definitions& d = *s.defs;
    const CountryId seat = desk->seat;
    SeatDraft& f = draft_for(p.ui, *desk);
    // The buttons come first on the line, so they stay in one place from turn to turn and seat
    // to seat (a facilitator's hand, and the e2e test, find them there).
    const auto& adv = s.waiting->advice;
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.0f, 0.45f, 0.3f, 1));
    if (ImGui::Button("End turn")) {
        p.session.end_turn(seat, f.commands);
        p.ui.say(fmt::format("{} ended its turn with {} decision(s)", d.countries[seat].id, f.commands.size()));
        f = SeatDraft{};
    }
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::BeginDisabled(adv.empty());
    if (ImGui::Button("Adopt advice")) {
        for (const auto& c : adv) add(p, seat, c);
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("add every decision the advisor suggests to the draft (%zu)", adv.size());
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Let the advisor play")) p.session.set_human(seat, false);
    ImGui::Text("%s decides · turn %d · %s", country_name(d, seat), s.waiting->turn + 1,
                d.date_of_turn(s.waiting->turn).c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("Briefing")) p.ui.briefing = seat;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The team's briefing: situation, objectives, position at the start");

    if (ImGui::CollapsingHeader(fmt::format("Decisions to send ({})###draft", f.commands.size()).c_str(), ImGuiTreeNodeFlags_DefaultOpen))
        draft_box(p, "nothing yet: ending the turn now changes nothing");
    if (ImGui::CollapsingHeader("Advisor (the country's policy) suggests", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (adv.empty()) ImGui::TextDisabled("nothing this turn");
        for (size_t i = 0; i < adv.size(); ++i) {
            ImGui::PushID(1000 + static_cast<int>(i));
            if (ImGui::SmallButton("+")) add(p, seat, adv[i]);
            ImGui::SameLine();
            const std::string context = application_context(d, s.state, adv[i]);
            if (context.empty()) ImGui::TextWrapped("%s", s.waiting->advice_text[i].c_str());
            else ImGui::TextWrapped("%s — %s", s.waiting->advice_text[i].c_str(), context.c_str());
            ImGui::PopID();
        }
    }
    if (ImGui::CollapsingHeader("License applications", ImGuiTreeNodeFlags_DefaultOpen)) applications(p, seat);
    if (ImGui::CollapsingHeader("Proposals", ImGuiTreeNodeFlags_DefaultOpen)) proposals(p, seat);
    if (ImGui::CollapsingHeader("New proposal or counter")) clause_editor(p, seat);
    if (ImGui::CollapsingHeader("Agreements")) agreements(p, seat);
    if (ImGui::CollapsingHeader("Instruments: exports, quotas, stockpile, investment")) instruments(p, seat);
}

}  // namespace chokepoint::view
