// The top bar: play, pause, step, speed, where the game is, injects, screenshot and
// the status line; then the scenario (any path, or one from a list) and seed, scripts
// and the display settings.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "view/ui/palette.hpp"
#include "view/ui/layout.hpp"
#include "view/ui/panels.hpp"
#include "view/ui/theme.hpp"
#include "view/ui/top_bar.hpp"
#include "view/ui/widgets.hpp"

namespace chokepoint::view {

namespace {

// A folder of scenarios for the picker: its YAML files, full paths, sorted.
struct ScenarioFolder {
    std::string dir;
    std::vector<std::string> files;
};

ScenarioFolder scenarios_in(const std::filesystem::path& dir) {
    ScenarioFolder f{dir.empty() ? std::string(".") : dir.generic_string(), {}};
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir.empty() ? "." : dir, ec))
        if (e.path().extension() == ".yaml" || e.path().extension() == ".yml")
            f.files.push_back(e.path().generic_string());
    std::sort(f.files.begin(), f.files.end());
    return f;
}

// The shipped scenarios, then those next to the loaded one when it lives elsewhere (analysts
// keep their own files outside config/scenarios).
std::vector<ScenarioFolder> scenario_folders(const std::string& loaded) {
    const std::filesystem::path shipped = "config/scenarios";
    std::vector<ScenarioFolder> out{scenarios_in(shipped)};
    if (loaded.empty()) return out;
    const std::filesystem::path dir = std::filesystem::path(loaded).parent_path();
    std::error_code ec;
    if (!std::filesystem::equivalent(dir.empty() ? "." : dir, shipped, ec)) out.push_back(scenarios_in(dir));
    return out;
}

std::string trimmed(const char* text) {
    std::string s = text;
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// The scenario: a path field (empty shows the loaded one) with the known files in a list beside
// it; "New game" or Enter loads the field's path. The window (view/window.cpp) loads it; when that
// fails it keeps the current game and puts the loader's message in the status, as an error.
void game_file_popup(PanelContext& p);

void scenario_picker(PanelContext& p, const TopBar& bar) {
    const Snapshot& s = p.snap;
    UiState& ui = p.ui;
    ImGui::SetNextItemWidth(bar.scenario);
    const bool enter = ImGui::InputTextWithHint("##scenario", s.scenario_path.c_str(), ui.controls.scenario_field,
                                                sizeof ui.controls.scenario_field, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Scenario to load with New game (Enter loads it): type any path, or pick one from the list");
    ImGui::SameLine(0, 0);
    if (ImGui::BeginCombo("##scenario_list", nullptr,
                          ImGuiComboFlags_NoPreview | ImGuiComboFlags_PopupAlignLeft | ImGuiComboFlags_HeightLarge)) {
        for (const ScenarioFolder& f : scenario_folders(s.scenario_path)) {
            ImGui::TextDisabled("%s/", f.dir.c_str());
            if (f.files.empty()) ImGui::TextDisabled("  (no .yaml files)");
            for (const auto& file : f.files) {
                const std::string name = "  " + std::filesystem::path(file).filename().generic_string();
                if (ImGui::Selectable(name.c_str(), file == s.scenario_path))
                    std::snprintf(ui.controls.scenario_field, sizeof ui.controls.scenario_field, "%s", file.c_str());
            }
        }
        ImGui::EndCombo();
    }
    same_line_or_wrap(labelled_width(bar.seed, "seed"));
    ImGui::SetNextItemWidth(bar.seed);
    if (bar.condensed())
        ImGui::InputInt("seed", &ui.seed, 0, 0);  // no -/+ buttons: the digits keep the room
    else
        ImGui::InputInt("seed", &ui.seed);
    same_line_or_wrap(button_width("New game"));
    if (ImGui::Button("New game") || enter) {
        const std::string typed = trimmed(ui.controls.scenario_field);
        ui.scenario_path = typed.empty() ? s.scenario_path : typed;
        request_discard(s, ui, UiState::Discard::NewGame);
    }
    // One label and one width whatever happens, so nothing after it moves under the mouse: a
    // failed save turns it vermillion; the turns saved are in its tooltip and popup.
    same_line_or_wrap(button_width("Game file"));
    const bool failed = !s.save_error.empty() || s.game_file.empty();
    if (failed) ImGui::PushStyleColor(ImGuiCol_Button, ink(kOkabeIto[5]));
    if (ImGui::Button("Game file")) ImGui::OpenPopup("gamefile");
    if (failed) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) {
        if (s.game_file.empty())
            ImGui::SetTooltip("This game is not saved (--no-save)");
        else if (!s.save_error.empty())
            ImGui::SetTooltip("SAVE FAILED: %s", s.save_error.c_str());
        else
            ImGui::SetTooltip("%d turns saved in %s (after every turn)", s.saved_turns, s.game_file.c_str());
    }
    game_file_popup(p);
}

// Save as, Open and Branch (docs/facilitation.md "Saving, resuming and branching").
void game_file_popup(PanelContext& p) {
    const Snapshot& s = p.snap;
    UiState& ui = p.ui;
    auto& c = ui.controls;
    if (!ImGui::BeginPopup("gamefile")) return;
    const float field = ImGui::GetFontSize() * 24;
    if (s.game_file.empty()) {
        ImGui::TextUnformatted("This game is not saved (the window was started with --no-save).");
    } else {
        ImGui::Text("Saved after every turn in %s", s.game_file.c_str());
        ImGui::TextDisabled("%d turns saved%s", s.saved_turns,
                            s.loaded_turns > 0 ? fmt::format(" ({} of them loaded)", s.loaded_turns).c_str() : "");
        if (!s.save_error.empty()) ImGui::TextColored(ink(kOkabeIto[5]), "The last save failed: %s", s.save_error.c_str());
        debrief_button(p);
        ImGui::Separator();
        ImGui::TextUnformatted("Save as (a copy; the next turns are saved there)");
        ImGui::SetNextItemWidth(field);
        ImGui::InputTextWithHint("##save_as", "new-file.ckp", c.save_as_field, sizeof c.save_as_field);
        ImGui::SameLine();
        const std::string target = trimmed(c.save_as_field);
        ImGui::BeginDisabled(target.empty());
        if (ImGui::Button("Save as")) {
            const std::string failure = p.session.save_as(target);
            if (failure.empty()) ui.say(fmt::format("the game is now saved in {}", target));
            else ui.say(fmt::format("could not save: {}", failure), true);
        }
        ImGui::EndDisabled();
        // Branch: keep the first N turns of this game and play on from there in a new file.
        const int played = static_cast<int>(s.history.size());
        if (played > 0) {
            ImGui::Separator();
            ImGui::TextUnformatted("Branch: go back and play on from an earlier turn (a new file; this game stays)");
            c.branch_after = std::clamp(c.branch_after, 0, played);
            ImGui::SetNextItemWidth(field * 0.6f);
            const std::string date = s.defs->date_of_turn(std::max(0, c.branch_after - 1));
            ImGui::SliderInt("turns kept", &c.branch_after, 0, played, c.branch_after == 0 ? "none (the start)" : "%d");
            ImGui::SameLine();
            if (c.branch_after > 0) ImGui::TextDisabled("to %s", date.c_str());
            if (ImGui::Button("Branch")) {
                request_branch(s, ui, c.branch_after);
                ImGui::CloseCurrentPopup();
            }
        }
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Open a game file (it goes on where it stopped)");
    ImGui::SetNextItemWidth(field);
    ImGui::InputTextWithHint("##open", "game.ckp", c.open_field, sizeof c.open_field);
    ImGui::SameLine();
    const std::string source = trimmed(c.open_field);
    ImGui::BeginDisabled(source.empty());
    if (ImGui::Button("Open")) {
        ui.open = OpenRequest{source, -1};
        request_discard(s, ui, UiState::Discard::Open);
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::EndPopup();
}

const char* kInjectKinds[] = {"news",  "regime",    "export_quota",    "capacity", "demand",
                              "trust", "stockpile", "approval_policy", "tariff",   "general_license",
                              "price_floor", "licensing_rules"};
const EventKind kInjectKindValues[] = {EventKind::News,      EventKind::Regime,         EventKind::ExportQuota,
                                       EventKind::Capacity,  EventKind::Demand,         EventKind::Trust,
                                       EventKind::Stockpile, EventKind::ApprovalPolicy, EventKind::Tariff,
                                       EventKind::GeneralLicense, EventKind::PriceFloor, EventKind::LicensingRules};

// Which fields an inject of each kind has.
bool per_good_inject(EventKind k) {
    return k == EventKind::Regime || k == EventKind::ExportQuota || k == EventKind::Capacity ||
           k == EventKind::Stockpile || k == EventKind::ApprovalPolicy || k == EventKind::Tariff ||
           k == EventKind::GeneralLicense || k == EventKind::PriceFloor;
}
bool licensing_inject(EventKind k) {
    return k == EventKind::ApprovalPolicy || k == EventKind::Tariff || k == EventKind::GeneralLicense;
}
bool country_inject(EventKind k) {
    return k != EventKind::News && k != EventKind::Demand && k != EventKind::LicensingRules;
}

// The injects waiting for their turn, each with a cancel button.
void queued_injects(PanelContext& p) {
    if (p.snap.injects.empty()) return;
    ImGui::TextUnformatted("Queued");
    for (const QueuedInject& q : p.snap.injects) {
        ImGui::PushID(q.id);
        if (ImGui::SmallButton("cancel")) {
            if (p.session.cancel_inject(q.id)) p.ui.say("inject cancelled: " + q.text);
        }
        ImGui::SameLine();
        ImGui::Text("turn %d (%s): %s", q.turn + 1, p.snap.defs->date_of_turn(q.turn).c_str(), q.text.c_str());
        ImGui::PopID();
    }
    ImGui::Separator();
}

// Who the inject is about (country) and toward whom (target), as the kind has them.
void inject_countries(const Definitions& d, InjectForm& f, EventKind kind) {
    if (country_inject(kind)) country_combo("country", d, f.country, {.names = true});
    if (kind == EventKind::Demand) country_combo("country (none: all)", d, f.country, {.none = "(all)", .names = true});
    if (kind == EventKind::Regime || kind == EventKind::Trust || kind == EventKind::ApprovalPolicy ||
        kind == EventKind::GeneralLicense)
        country_combo("toward", d, f.target,
                      {.none = kind == EventKind::Regime || kind == EventKind::ApprovalPolicy ? "(all)" : nullptr,
                       .placeholder = "(all)",
                       .names = true});
    if (kind == EventKind::Tariff) country_combo("from", d, f.target, {.none = "(all)", .names = true});
}

// The goods an inject of a per-good kind hits: several at once, one event per good picked, with
// the same headline. Returns how many are picked.
int inject_goods(const Definitions& d, InjectForm& f) {
    ImGui::TextUnformatted("goods");
    ImGui::SameLine();
    if (ImGui::SmallButton("all")) std::fill(f.goods.begin(), f.goods.end(), 1);
    ImGui::SameLine();
    if (ImGui::SmallButton("none")) std::fill(f.goods.begin(), f.goods.end(), 0);
    int picked = 0;
    for (GoodId g : d.good_ids()) {
        bool on = f.goods[g] != 0;
        if (ImGui::Checkbox(good_of(d, g), &on)) f.goods[g] = on ? 1 : 0;
        picked += on ? 1 : 0;
    }
    return picked;
}

// The kind's own numbers: sector, regime, amount, factor, validity.
void inject_values(const Definitions& d, InjectForm& f, EventKind kind) {
    if (kind == EventKind::Demand) {
        if (ImGui::BeginCombo("sector", d.sectors[SectorId{std::clamp(f.sector, 0, d.sector_count() - 1)}].id.c_str())) {
            for (SectorId k : d.sector_ids())
                if (ImGui::Selectable(d.sectors[k].id.c_str(), f.sector == k.value())) f.sector = k.value();
            ImGui::EndCombo();
        }
    }
    if (kind == EventKind::Regime) {
        const char* regimes[] = {"open", "licensed", "embargo"};
        ImGui::Combo("regime", &f.regime, regimes, 3);
    }
    if (kind == EventKind::ExportQuota) ImGui::InputFloat("t/yr (−1 lifts)", &f.value);
    if (kind == EventKind::Trust) ImGui::SliderFloat("change", &f.value, -1.0f, 1.0f, "%+.2f");
    if (kind == EventKind::Stockpile) ImGui::InputFloat("t (+ add, − remove)", &f.value);
    if (kind == EventKind::ApprovalPolicy) ImGui::SliderFloat("share approved (scripted)", &f.value, 0.0f, 1.0f, "%.2f");
    if (kind == EventKind::Tariff) ImGui::SliderFloat("tariff rate", &f.value, 0.0f, 2.0f, "%.2f");
    if (kind == EventKind::GeneralLicense) ImGui::InputFloat("t/turn", &f.value);
    if (kind == EventKind::PriceFloor) ImGui::InputFloat("USD/kg guaranteed (0 lifts)", &f.value);
    if (kind == EventKind::ApprovalPolicy || kind == EventKind::GeneralLicense)
        ImGui::SliderInt("validity (turns)", &f.turns, 1, 20);
    if (kind == EventKind::Capacity || kind == EventKind::Demand) ImGui::SliderFloat("factor", &f.factor, 0.0f, 3.0f, "%.2f");
    if (kind == EventKind::Capacity) ImGui::SliderInt("turns (0: permanent)", &f.turns, 0, 20);
    if (kind == EventKind::LicensingRules) {
        // Every exporter's licences at once (docs/model.md §Origin and re-export control).
        const char* content[] = {"keep", "in force", "suspended"};
        const char* reexport[] = {"keep", "in force", "lifted"};
        ImGui::Combo("content rule", &f.content_rule, content, 3);
        ImGui::Combo("re-export control", &f.reexport_control, reexport, 3);
    }
}

// When: the next turn, or a later one up to the class length.
void inject_turn(const Snapshot& s, InjectForm& f) {
    const int next_turn = s.state.turn + (s.computing ? 1 : 0);  // 0-based
    f.at = std::clamp(f.at, next_turn + 1, std::max(next_turn + 1, s.turn_limit));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::InputInt("at turn", &f.at);
    f.at = std::clamp(f.at, next_turn + 1, std::max(next_turn + 1, s.turn_limit));
    ImGui::SameLine();
    ImGui::TextDisabled("%s%s", s.defs->date_of_turn(f.at - 1).c_str(),
                        f.at - 1 == next_turn ? " (the next turn)" : "");
}

// Whether the form makes a valid event: goods and countries picked, numbers in range.
bool inject_ready(const InjectForm& f, EventKind kind, int picked) {
    const bool licensing = licensing_inject(kind);
    return (!per_good_inject(kind) || picked > 0) && (!country_inject(kind) || f.country) &&
           (kind != EventKind::Trust || (f.target && f.target != f.country)) && (!licensing || f.target != f.country) &&
           (kind != EventKind::GeneralLicense || (f.target && f.value > 0)) &&
           (kind != EventKind::ApprovalPolicy || (f.value >= 0 && f.value <= 1)) &&
           (kind != EventKind::Tariff || f.value >= 0) &&
           (kind != EventKind::PriceFloor || (f.value >= 0 && f.value <= 1e6)) &&
           (kind != EventKind::LicensingRules || f.content_rule != 0 || f.reexport_control != 0);
}

// The event the form describes (its good set apart, per good picked).
ScheduledEvent inject_event(const Definitions& d, const InjectForm& f, EventKind kind) {
    ScheduledEvent e;
    e.kind = kind;
    e.country = f.country.value_or(kNoCountry);  // the form's picks (none: no country)
    e.target = f.target.value_or(kNoCountry);
    e.sector = SectorId{std::clamp(f.sector, 0, d.sector_count() - 1)};
    e.regime = static_cast<Regime>(f.regime);
    e.value = f.value;
    e.factor = f.factor;
    e.turns = f.turns;
    if (kind == EventKind::ApprovalPolicy) {
        e.approval.share = f.value;
        e.approval.validity_turns = std::max(1, f.turns);
    }
    if (kind == EventKind::GeneralLicense) e.turns = std::max(1, f.turns);
    if (kind == EventKind::PriceFloor) e.value = f.value * 1000.0;  // the form in USD/kg, the event in USD/t
    if (kind == EventKind::LicensingRules) {
        e.country = e.target = kNoCountry;
        if (f.content_rule != 0) e.rules.content_rule = f.content_rule == 1;
        if (f.reexport_control != 0) e.rules.reexport_control = f.reexport_control == 1;
    }
    e.text = f.text[0] ? f.text : fmt::format("facilitator's inject: {}", kInjectKinds[f.kind]);
    if (kind == EventKind::LicensingRules && !f.text[0]) {
        // Say what changes: the log's line is what the class reads.
        std::string what;
        if (e.rules.content_rule) what = *e.rules.content_rule ? "content rule in force" : "content rule suspended";
        if (e.rules.reexport_control)
            what += std::string(what.empty() ? "" : ", ") +
                    (*e.rules.reexport_control ? "re-export control in force" : "re-export control lifted");
        e.text = "facilitator's inject: licensing rules: " + what;
    }
    return e;
}

// Queues the event for the form's turn: once per good picked for a per-good kind, else once.
void queue_inject(PanelContext& p, const InjectForm& f, ScheduledEvent e) {
    const Definitions& d = *p.snap.defs;
    int queued = 0;
    if (per_good_inject(e.kind)) {
        for (GoodId g : d.good_ids()) {
            if (!f.goods[g]) continue;
            e.good = g;
            p.session.inject(e, f.at - 1);
            ++queued;
        }
    } else {
        e.good = GoodId{};
        p.session.inject(e, f.at - 1);
        queued = 1;
    }
    p.ui.say(fmt::format("{} queued for {}: {}",
                         queued == 1 ? std::string("inject") : fmt::format("{} injects", queued),
                         d.date_of_turn(f.at - 1), e.text));
}

// The facilitator's live inject: a form in a popup, above it the injects already queued.
void inject_popup(PanelContext& p) {
    const Definitions& d = *p.snap.defs;
    InjectForm& f = p.ui.controls.inject;
    if (!ImGui::BeginPopup("inject")) return;
    queued_injects(p);
    ImGui::TextUnformatted("Inject an event at the start of a turn");
    ImGui::Combo("kind", &f.kind, kInjectKinds, IM_ARRAYSIZE(kInjectKinds));
    const EventKind kind = kInjectKindValues[f.kind];
    inject_countries(d, f, kind);
    if (f.goods.size() != static_cast<size_t>(d.good_count())) {
        f.goods.assign(static_cast<size_t>(d.good_count()), 0);
        if (!f.goods.empty()) f.goods[GoodId{0}] = 1;
    }
    const int picked = per_good_inject(kind) ? inject_goods(d, f) : 0;
    inject_values(d, f, kind);
    ImGui::InputText("headline", f.text, sizeof f.text);
    inject_turn(p.snap, f);
    const bool ok = inject_ready(f, kind, picked);
    if (!ok)
        ImGui::TextDisabled(kind == EventKind::LicensingRules      ? "change the content rule or re-export control"
                            : per_good_inject(kind) && picked == 0 ? "choose at least one good"
                                                                   : "choose the countries first");
    ImGui::BeginDisabled(!ok);
    if (ImGui::Button("Inject")) {
        queue_inject(p, f, inject_event(d, f, kind));
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

// The class length (a click on the turn bar): how many turns the game has, changed in play
// (Session::set_turn_limit; the game file keeps it). No fewer than the turns played: as many ends
// the game now.
void class_length_popup(PanelContext& p) {
    const Snapshot& s = p.snap;
    UiState& ui = p.ui;
    int& turns = ui.controls.class_turns;
    if (!ImGui::BeginPopup("class_length")) return;
    const int played = static_cast<int>(s.history.size());
    const int fewest = std::max(1, played);
    ImGui::TextUnformatted("Class length");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();  // type the number, Enter sets it
    ImGui::InputInt("turns", &turns, 0, 0);
    const bool enter = ImGui::IsItemDeactivated() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false);
    turns = std::clamp(turns, fewest, kMaxTurns);
    const Definitions& d = *s.defs;
    ImGui::TextDisabled("%d played; the last turn would be %s (%d months a turn)", played,
                        d.date_of_turn(turns - 1).c_str(), d.turn_months);
    if (turns == played) ImGui::TextWrapped("The game ends now, after the turn just played.");
    if (s.computing) ImGui::TextDisabled("Applies when the turn in progress ends.");
    if (ImGui::Button("Set") || enter) {
        p.session.set_turn_limit(turns);
        ui.class_turns = turns;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

// The turn bar's text, e.g. "Turn 3/40 · 2026-07".
std::string turn_text(const Snapshot& s) {
    const int played = static_cast<int>(s.history.size());
    return fmt::format("Turn {}/{} · {}", std::min(played + (s.finished ? 0 : 1), s.turn_limit), s.turn_limit,
                       s.defs->date_of_turn(s.state.turn));
}

// Play or pause, step, and the seconds a turn takes when playing.
void clock_controls(PanelContext& p, const TopBar& bar) {
    const Snapshot& s = p.snap;
    UiState& ui = p.ui;
    if (s.playing) {
        if (ImGui::Button("Pause")) p.session.pause();
    } else {
        ImGui::BeginDisabled(s.finished);
        if (ImGui::Button("Play")) p.session.play();
        ImGui::EndDisabled();
    }
    same_line_or_wrap(button_width("Step"));
    ImGui::BeginDisabled(s.finished || s.playing);
    if (ImGui::Button("Step")) p.session.step();
    ImGui::EndDisabled();
    same_line_or_wrap(labelled_width(bar.speed, "s/turn"));
    ImGui::SetNextItemWidth(bar.speed);
    if (ImGui::SliderFloat("s/turn", &ui.controls.seconds_per_turn, 0.0f, 5.0f, "%.1f")) p.session.set_seconds_per_turn(ui.controls.seconds_per_turn);
}

// What the negotiation clock says in the top bar ("United States talks 4:05", "talks paused").
std::string talks_clock_text(const Snapshot& s) {
    const std::string who = s.talking ? display_name(s.defs->countries[s.talking->seat]) + " talks" : "talks";
    if (s.talk_clock.paused()) return who + " paused";
    return fmt::format("{} {}", who, clock_text(s.talk_clock.left(TalkClock::Clock::now())));
}

// The negotiation clock, visible to all in the top bar; a click gives the facilitator pause,
// resume, more or less time, and ending the phase now.
void talks_clock(PanelContext& p) {
    const Snapshot& s = p.snap;
    const double left = s.talk_clock.left(TalkClock::Clock::now());
    const ImVec4 colour = left <= 30.0 && !s.talk_clock.paused() ? ImVec4(1.0f, 0.45f, 0.3f, 1) : ImVec4(1.0f, 0.8f, 0.2f, 1);
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
    if (ImGui::SmallButton(fmt::format("{}###talks_clock", talks_clock_text(s)).c_str())) ImGui::OpenPopup("talks");
    ImGui::PopStyleColor(2);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The negotiation phase: %s. Click to pause, add time or end it.", talks_status(s).c_str());
    if (!ImGui::BeginPopup("talks")) return;
    ImGui::Text("Negotiation, turn %d: %s", s.talk_clock.turn() + 1, talks_status(s).c_str());
    if (s.talk_clock.paused()) {
        if (ImGui::Button("Resume")) p.session.resume_talks();
    } else if (ImGui::Button("Pause")) {
        p.session.pause_talks();
    }
    ImGui::SameLine();
    if (ImGui::Button("+1 min")) p.session.extend_talks(60.0);
    ImGui::SameLine();
    if (ImGui::Button("+5 min")) p.session.extend_talks(300.0);
    ImGui::SameLine();
    if (ImGui::Button("-1 min")) p.session.extend_talks(-60.0);
    if (ImGui::Button("End the talks now")) {
        p.session.end_talks();
        ImGui::CloseCurrentPopup();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("what the teams have not sent is not said; the decisions begin");
    ImGui::EndPopup();
}

// Where the game is: the turn bar (a click changes the class length) and what the game is doing.
void game_progress(PanelContext& p, const TopBar& bar) {
    const Snapshot& s = p.snap;
    const Definitions& d = *s.defs;
    UiState& ui = p.ui;
    // Condensed, the bar and what the game is doing go to a new row together.
    same_line_or_wrap(bar.condensed() ? bar.turn_bar + ImGui::GetStyle().ItemSpacing.x + bar.status : bar.turn_bar);
    const int played = static_cast<int>(s.history.size());
    const std::string where = turn_text(s);
    ImGui::SetNextItemWidth(bar.turn_bar);
    ImGui::ProgressBar(s.turn_limit > 0 ? static_cast<float>(played) / static_cast<float>(s.turn_limit) : 0.0f,
                       ImVec2(bar.turn_bar, 0), where.c_str());
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Class length: %d turns, the last one %s. Click to change it.", s.turn_limit,
                          d.date_of_turn(std::max(0, s.turn_limit - 1)).c_str());
    if (ImGui::IsItemClicked()) {
        ui.controls.class_turns = s.turn_limit;
        ImGui::OpenPopup("class_length");
    }
    class_length_popup(p);
    ImGui::SameLine();
    if (s.talk_clock.running())
        talks_clock(p);
    else if (s.waiting)
        ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.2f, 1), "waiting for %s", country_name(d, s.waiting->seat));
    else if (s.computing)
        ImGui::TextColored(ImVec4(0.5f, 0.8f, 1.0f, 1), "computing%s", &"..."[2 - static_cast<int>(ImGui::GetTime() * 3) % 3]);
    else if (s.finished) {
        ImGui::TextUnformatted("game over");
        ImGui::SameLine();
        if (ImGui::SmallButton("Results")) ui.results_open = true;
    }
    else
        ImGui::TextDisabled(s.playing ? "playing" : "paused");
}

// The screenshot button; a right-click on it chooses the folder.
void screenshot_button(PanelContext& p) {
    UiState& ui = p.ui;
    const int played = static_cast<int>(p.snap.history.size());
    same_line_or_wrap(button_width("Screenshot"));
    if (ImGui::Button("Screenshot")) ui.screenshot_turn = played;
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Saves the window as %s/chokepoint-T%02d.png (F12 too; never overwrites). "
                          "Right-click to choose the folder.",
                          ui.screenshot_dir.c_str(), played);
    if (!ImGui::BeginPopupContextItem("screenshot_folder")) return;
    ImGui::TextUnformatted("Screenshot folder (created if missing)");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 20);
    if (ImGui::IsWindowAppearing()) {
        std::snprintf(ui.controls.shots_field, sizeof ui.controls.shots_field, "%s", ui.screenshot_dir.c_str());
        ImGui::SetKeyboardFocusHere();
    }
    const bool enter = ImGui::InputText("##shots", ui.controls.shots_field, sizeof ui.controls.shots_field,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button("Set") || enter) {
        const std::string typed = trimmed(ui.controls.shots_field);
        ui.screenshot_dir = typed.empty() ? std::string(".") : typed;
        ui.say("screenshots go to " + ui.screenshot_dir);
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

// The injects of the turn in progress (or the last one): every team sees the headline here.
void headlines(const Snapshot& s) {
    for (const QueuedInject& h : s.headlines) {
        same_line_or_wrap(ImGui::CalcTextSize(h.text.c_str()).x + ImGui::CalcTextSize("NEWS: ").x);
        ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.2f, 1), "NEWS: %s", h.text.c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("A facilitator's inject, turn %d (%s)", h.turn + 1, s.defs->date_of_turn(h.turn).c_str());
    }
}

// The status line, where there is room: an error in vermillion, whole in the tooltip.
void status_line(const Snapshot& s, const UiState& ui) {
    if (ui.status.empty() && s.error.empty() && s.notes.empty()) return;
    const std::string& msg = !s.error.empty() ? s.error : !ui.status.empty() ? ui.status : s.notes.back();
    same_line_or_wrap(std::min(ImGui::CalcTextSize(msg.c_str()).x, ImGui::GetFontSize() * 12));
    const bool error = !s.error.empty() || ui.status_is_error;
    if (error)
        ImGui::TextColored(ImVec4(kOkabeIto[5].r / 255.f, kOkabeIto[5].g / 255.f, kOkabeIto[5].b / 255.f, 1.f), "%s",
                           msg.c_str());
    else
        ImGui::TextDisabled("%s", msg.c_str());
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
        ImGui::TextUnformatted(msg.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

// Scripts and the display: reload the Lua policies, text size, theme, colour-blind safe palette.
// In the full bar they flow on its second row; condensed, they sit in a popup under "Display...",
// one under the other.
void display_settings(PanelContext& p, bool in_popup) {
    UiState& ui = p.ui;
    const auto next = [&](float width) {
        if (!in_popup) same_line_or_wrap(width);
    };
    next(button_width("Reload scripts"));
    if (ImGui::Button("Reload scripts")) p.session.reload_scripts();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Lua policies also reload by themselves between turns when their file changes");
    next(labelled_width(ImGui::GetFontSize() * 5, "text size"));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
    if (!ui.text_size_editing) ui.text_size_edit = ui.display.font_scale;
    ImGui::SliderFloat("text size", &ui.text_size_edit, 0.75f, 3.0f, "%.2f");
    ui.text_size_editing = ImGui::IsItemActive();
    if (ImGui::IsItemDeactivatedAfterEdit()) {
        ui.display.font_scale = std::clamp(ui.text_size_edit, 0.75f, 3.0f);
        const ImVec2 size = ImGui::GetMainViewport()->Size;
        if (!legend_fits(compute_layout(size.x, size.y, ui.display.font_scale), ui.display.font_scale))
            ui.display.legend = false;  // it would cover the map; the map's button shows it again
    }
    next(labelled_width(ImGui::GetFontSize() * 8, "theme"));
    int theme = static_cast<int>(ui.display.theme);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    const char* themes[] = {"dark", "light", "high contrast"};
    if (ImGui::Combo("theme", &theme, themes, 3)) ui.display.theme = static_cast<Theme>(theme);
    next(labelled_width(ImGui::GetFrameHeight(), "colour-blind safe"));
    ImGui::Checkbox("colour-blind safe", &ui.display.colour_blind_safe);
}

// The condensed bar's "Display..." button and its popup of the same settings.
void display_button(PanelContext& p) {
    same_line_or_wrap(button_width("Display..."));
    if (ImGui::Button("Display...")) ImGui::OpenPopup("display");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Reload scripts, text size, theme, colour-blind safe colours");
    if (!ImGui::BeginPopup("display")) return;
    display_settings(p, true);
    ImGui::EndPopup();
}

// The inject form's button, with the number of injects queued ("Inject (2)" condensed).
const char* kInjectReserve[] = {"Inject... (9 queued)", "Inject (99)"};
void inject_button(PanelContext& p, const TopBar& bar) {
    const size_t queued = p.snap.injects.size();
    same_line_or_wrap(button_width(kInjectReserve[bar.condensed() ? 1 : 0]));
    const std::string label = queued == 0       ? std::string("Inject...")
                              : bar.condensed() ? fmt::format("Inject ({})###inject_button", queued)
                                                : fmt::format("Inject... ({} queued)###inject_button", queued);
    if (ImGui::Button(label.c_str())) ImGui::OpenPopup("inject");
    if (bar.condensed() && queued > 0 && ImGui::IsItemHovered()) ImGui::SetTooltip("%zu injects queued", queued);
    inject_popup(p);
}

// What the game is doing, as the turn bar's neighbour says it; the widest it can be in this scenario.
float widest_status(const Snapshot& s) {
    float w = std::max({ImGui::CalcTextSize("computing...").x, ImGui::CalcTextSize("playing").x,
                        ImGui::CalcTextSize("paused").x,
                        ImGui::CalcTextSize("game over").x + ImGui::GetStyle().ItemSpacing.x +
                            ImGui::CalcTextSize("Results").x + 2.0f * ImGui::GetStyle().FramePadding.x});
    for (CountryId c : s.defs->country_ids()) {
        w = std::max(w, ImGui::CalcTextSize(fmt::format("waiting for {}", country_name(*s.defs, c)).c_str()).x);
        w = std::max(w, ImGui::CalcTextSize(fmt::format("{} talks paused", country_name(*s.defs, c)).c_str()).x +
                            2.0f * ImGui::GetStyle().FramePadding.x);
    }
    return w;
}

}  // namespace

TopBar top_bar_sizes(const Snapshot& s, TopBarForm form) {
    const float em = ImGui::GetFontSize();
    TopBar b;
    b.form = form;
    b.status = widest_status(s);
    // Padding as between rows: two rows at text size 1 then fit the bar's 2.6 lines without a scrollbar.
    b.padding_y = ImGui::GetStyle().ItemSpacing.y;
    if (form == TopBarForm::Full) {
        b.speed = 7 * em;
        b.turn_bar = 12 * em;
        b.scenario = std::min(16 * em, ImGui::GetMainViewport()->Size.x * 0.25f);
        b.seed = 5 * em;
    } else {
        b.speed = 4 * em;
        // As wide as its longest text (the last turn of a long class), not wider.
        const std::string longest =
            fmt::format("Turn {0}/{0} · {1}", s.turn_limit, s.defs->date_of_turn(std::max(0, s.turn_limit - 1)));
        b.turn_bar = ImGui::CalcTextSize(longest.c_str()).x + 2.0f * ImGui::GetStyle().FramePadding.x;
        b.scenario = 6 * em;
        b.seed = 3.5f * em;
    }
    return b;
}

TopBarFlow top_bar_flow(const Snapshot& s, const TopBar& bar) {
    const ImGuiStyle& style = ImGui::GetStyle();
    TopBarFlow f;
    f.bar_width = ImGui::GetMainViewport()->Size.x - 2.0f * style.WindowPadding.x;
    f.spacing = style.ItemSpacing.x;
    const float play = button_width(s.playing ? "Pause" : "Play");
    const float turn = bar.turn_bar + style.ItemSpacing.x + bar.status;
    const float inject = button_width(kInjectReserve[bar.condensed() ? 1 : 0]);
    if (bar.condensed())
        f.groups.push_back({play, button_width("Step"), labelled_width(bar.speed, "s/turn"), inject,
                            button_width("Screenshot"), turn});
    else
        f.groups.push_back({play, button_width("Step"), labelled_width(bar.speed, "s/turn"), turn, inject,
                            button_width("Screenshot")});
    std::vector<float> second{bar.scenario + ImGui::GetFrameHeight(), labelled_width(bar.seed, "seed"),
                              button_width("New game"), button_width("Game file")};
    if (bar.condensed()) {
        second.push_back(button_width("Display..."));
    } else {
        for (float w : {button_width("Reload scripts"), labelled_width(5 * ImGui::GetFontSize(), "text size"),
                        labelled_width(8 * ImGui::GetFontSize(), "theme"),
                        labelled_width(ImGui::GetFrameHeight(), "colour-blind safe")})
            second.push_back(w);
    }
    f.groups.push_back(std::move(second));
    return f;
}

TopBarRows top_bar_row_metrics(const TopBar& bar) {
    return {ImGui::GetFrameHeightWithSpacing(), ImGui::GetStyle().ItemSpacing.y, bar.padding_y};
}

TopBar plan_top_bar(const Snapshot& s) {
    const TopBar full = top_bar_sizes(s, TopBarForm::Full);
    const TopBarForm form =
        choose_top_bar_form(top_bar_flow(s, full), ImGui::GetMainViewport()->Size.y, top_bar_row_metrics(full));
    return form == TopBarForm::Full ? full : top_bar_sizes(s, form);
}

void controls_panel(PanelContext& p, const TopBar& bar) {
    const Snapshot& s = p.snap;
    // Row 1: the clock, where the game is, injects, screenshot (full: headlines and status).
    // Condensed, the turn bar and what the game is doing take the second row.
    clock_controls(p, bar);
    if (!bar.condensed()) game_progress(p, bar);
    inject_button(p, bar);
    screenshot_button(p);
    if (bar.condensed()) {
        game_progress(p, bar);
    } else {
        headlines(s);
        status_line(s, p.ui);
    }
    // Row 2: scenario, seed, scripts, display. Condensed, the headlines and status come after every
    // control, so none of them is pushed out of the bar.
    scenario_picker(p, bar);
    if (bar.condensed()) {
        display_button(p);
        headlines(s);
        status_line(s, p.ui);
    } else {
        display_settings(p, false);
    }
}

}  // namespace chokepoint::view
