#include "view/model/event_model.hpp"

#include <algorithm>
#include <cctype>

namespace chokepoint::view {

namespace {

bool one_of(std::string_view t, std::initializer_list<std::string_view> types) {
    return std::find(types.begin(), types.end(), t) != types.end();
}

bool is_file_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// "usa: message" → "message", "[usa] message" → "message" (the console shows the country apart).
std::string_view without_country(std::string_view text, const std::string& id) {
    if (id.empty()) return text;
    if (text.size() > id.size() + 1 && text.substr(0, id.size()) == id && text.substr(id.size(), 2) == ": ")
        return text.substr(id.size() + 2);
    if (text.size() > id.size() + 2 && text[0] == '[' && text.substr(1, id.size()) == id &&
        text.substr(id.size() + 1, 2) == "] ")
        return text.substr(id.size() + 3);
    return text;
}

// "error in policy 'usa.lua' in on_turn(): /path/usa.lua:12: attempt to …" → where "in on_turn()",
// message "attempt to …" (agents/lua/runtime.cpp words its errors so).
void split_error(ConsoleEntry& c) {
    std::string_view h = c.headline;
    constexpr std::string_view kPrefix = "error in policy '";
    if (c.kind == ConsoleKind::Error && h.substr(0, kPrefix.size()) == kPrefix) {
        const size_t name_end = h.find("' ", kPrefix.size());
        const size_t colon = name_end == std::string_view::npos ? name_end : h.find(": ", name_end);
        if (colon != std::string_view::npos) {
            c.where = std::string(h.substr(name_end + 2, colon - name_end - 2));
            h = h.substr(colon + 2);
        }
    }
    if (!c.location.empty()) {
        // Skip past the first "…file.lua:N:" (the path may carry folders before the name).
        const size_t at = h.find(c.location);
        if (at != std::string_view::npos && at + c.location.size() < h.size() && h[at + c.location.size()] == ':') {
            h = h.substr(at + c.location.size() + 1);
            while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
        }
    }
    c.message = std::string(h);
}

}  // namespace

EventCategory category_of(std::string_view t) {
    if (one_of(t, {"proposal", "counter_proposal", "proposal_rejected", "proposal_expired", "agreement",
                   "agreement_withdrawal", "agreement_breach", "agreement_ended", "end_use_violation", "reexport_violation",
                   "loan_returned"}))
        return EventCategory::Diplomacy;
    if (t.substr(0, 8) == "license_") return EventCategory::Licensing;
    if (one_of(t, {"shortage", "shock", "stockpile_order", "investment", "project_delayed", "project_online"}))
        return EventCategory::Markets;
    if (one_of(t, {"policy_log", "policy_error", "policy_fallback", "policy_reloaded", "command_refused"}))
        return EventCategory::Policy;
    if (t == "scripted") return EventCategory::Scripted;
    return EventCategory::Measures;  // regime_change, export_duty, tariff_change, quota_change, subsidy, price_floor, defense_priority
}

const char* to_string(EventCategory c) {
    switch (c) {
        case EventCategory::Diplomacy: return "diplomacy";
        case EventCategory::Licensing: return "licensing";
        case EventCategory::Markets: return "markets";
        case EventCategory::Policy: return "policy";
        case EventCategory::Scripted: return "scripted";
        case EventCategory::Measures: return "measures";
        case EventCategory::Count: break;
    }
    return "?";
}

Rgb category_colour(EventCategory c) {
    switch (c) {
        case EventCategory::Diplomacy: return kOkabeIto[4];   // blue
        case EventCategory::Licensing: return kOkabeIto[0];   // orange
        case EventCategory::Markets: return kOkabeIto[2];     // bluish green
        case EventCategory::Policy: return kOkabeIto[6];      // reddish purple
        case EventCategory::Scripted: return kOkabeIto[3];    // yellow
        case EventCategory::Measures: return kOkabeIto[1];    // sky blue
        case EventCategory::Count: break;
    }
    return kOkabeIto[7];
}

bool category_shown(const EventFilter& f, EventCategory c) {
    switch (c) {
        case EventCategory::Diplomacy: return f.diplomacy;
        case EventCategory::Licensing: return f.licensing;
        case EventCategory::Markets: return f.markets;
        case EventCategory::Policy: return f.policy;
        case EventCategory::Scripted: return f.scripted;
        case EventCategory::Measures: return f.other;
        case EventCategory::Count: break;
    }
    return true;
}

bool event_visible(const GameEvent& e, std::optional<CountryId> team) {
    if (!team) return true;
    const CountryId seat = *team;
    const bool party = e.country == seat || e.target == seat;
    const std::string_view t = e.type;
    if (one_of(t, {"proposal", "counter_proposal", "proposal_rejected", "proposal_expired"})) return party;
    if (t.substr(0, 8) == "license_") return party;
    if (category_of(t) == EventCategory::Policy || t == "stockpile_order") return e.country == seat;
    return true;
}

bool contains_text(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    auto lower_eq = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    };
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), lower_eq) != hay.end();
}

EventLog filter_events(const Snapshot& snap, const EventFilter& f, std::optional<CountryId> team_view) {
    EventLog log;
    const std::string_view needle(f.text);
    // The turn in progress first: its injects, public to every team.
    for (size_t j = snap.live_events.size(); j-- > 0;) {
        const GameEvent& e = snap.live_events[j];
        const EventCategory c = category_of(e.type);
        ++log.total;
        ++log.by_category[static_cast<int>(c)];
        if (!category_shown(f, c) || f.country) continue;
        if (!contains_text(e.text, needle) && !contains_text(e.type, needle)) continue;
        log.rows.push_back({&e, nullptr, c});
    }
    if (snap.history.empty()) return log;
    const int last = snap.history.back()->turn;
    for (size_t i = snap.history.size(); i-- > 0;) {
        const TurnRecord& rec = *snap.history[i];
        const bool recent = f.last_turns <= 0 || rec.turn > last - f.last_turns;
        for (size_t j = rec.events.size(); j-- > 0;) {
            const GameEvent& e = rec.events[j];
            if (!event_visible(e, team_view)) continue;
            const EventCategory c = category_of(e.type);
            ++log.total;
            ++log.by_category[static_cast<int>(c)];
            if (!recent || !category_shown(f, c)) continue;
            if (f.country && e.country != *f.country && e.target != *f.country) continue;
            if (!contains_text(e.text, needle) && !contains_text(e.type, needle)) continue;
            log.rows.push_back({&e, &rec, c});
        }
    }
    return log;
}

// ---- Script console --------------------------------------------------------------------

const char* to_string(ConsoleKind k) {
    switch (k) {
        case ConsoleKind::Error: return "error";
        case ConsoleKind::Fallback: return "fallback";
        case ConsoleKind::Reloaded: return "reloaded";
        case ConsoleKind::Refused: return "refused";
        case ConsoleKind::Log: return "log";
    }
    return "?";
}

Rgb console_colour(ConsoleKind k) {
    switch (k) {
        case ConsoleKind::Error: return kOkabeIto[5];     // vermillion
        case ConsoleKind::Fallback: return kOkabeIto[0];  // orange
        case ConsoleKind::Reloaded: return kOkabeIto[2];  // bluish green
        case ConsoleKind::Refused: return kOkabeIto[6];   // reddish purple
        case ConsoleKind::Log: return kOkabeIto[7];       // grey
    }
    return kOkabeIto[7];
}

std::optional<std::string> lua_location(std::string_view m) {
    for (size_t at = m.find(".lua:"); at != std::string_view::npos; at = m.find(".lua:", at + 1)) {
        size_t digits = at + 5, end = digits;
        while (end < m.size() && std::isdigit(static_cast<unsigned char>(m[end]))) ++end;
        if (end == digits) continue;
        size_t begin = at;
        while (begin > 0 && is_file_char(m[begin - 1])) --begin;
        if (begin == at) continue;  // ".lua:" with no name before it
        return std::string(m.substr(begin, end - begin));
    }
    return std::nullopt;
}

std::vector<ConsoleEntry> console_entries(const Snapshot& snap, const ConsoleFilter& f,
                                          std::optional<CountryId> team_view) {
    std::vector<ConsoleEntry> out;
    for (size_t i = snap.history.size(); i-- > 0;) {
        const TurnRecord& rec = *snap.history[i];
        for (size_t j = rec.events.size(); j-- > 0;) {
            const GameEvent& e = rec.events[j];
            ConsoleKind kind;
            if (e.type == "policy_error") kind = ConsoleKind::Error;
            else if (e.type == "policy_fallback") kind = ConsoleKind::Fallback;
            else if (e.type == "policy_reloaded") kind = ConsoleKind::Reloaded;
            else if (e.type == "command_refused") kind = ConsoleKind::Refused;
            else if (e.type == "policy_log") kind = ConsoleKind::Log;
            else continue;
            if (!event_visible(e, team_view) || (f.country && e.country != *f.country)) continue;
            if (f.errors_only && kind != ConsoleKind::Error && kind != ConsoleKind::Fallback &&
                kind != ConsoleKind::Reloaded)
                continue;
            ConsoleEntry c;
            c.turn = e.turn;
            c.index = static_cast<int>(j);
            c.country = e.country;
            c.kind = kind;
            c.policy = e.data.value("policy", std::string());
            static const std::string kNone;
            const std::string& id = snap.defs && snap.defs->has_country(e.country)
                                        ? snap.defs->countries[e.country].id
                                        : kNone;
            // An error's data carries the message without the country; the text has it first.
            const std::string message = kind == ConsoleKind::Error && e.data.contains("error")
                                            ? e.data.value("error", std::string())
                                            : std::string(without_country(e.text, id));
            const size_t nl = message.find('\n');
            c.headline = message.substr(0, nl);
            if (nl != std::string::npos) c.detail = message.substr(nl + 1);
            if (kind != ConsoleKind::Log && kind != ConsoleKind::Refused)
                if (auto loc = lua_location(c.headline)) c.location = *loc;
            split_error(c);
            out.push_back(std::move(c));
        }
    }
    return out;
}

}  // namespace chokepoint::view
