// What the event log and the script console show, computed from a snapshot
// without a window. Event types and their keys: docs/outputs.md (events.jsonl).
// The log filters by text, country, category and recent turns, newest first; the
// console gathers what Lua policies said (ctx:log, print) and how they failed,
// with the failing file:line pulled out of the message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "view/session.hpp"
#include "view/ui/palette.hpp"
#include "view/ui/ui_state.hpp"

namespace chokepoint::view {

// The log's filter groups (EventFilter's switches). Measures (regimes, duties, tariffs,
// quotas, subsidies, price floors) and any unknown type go under EventFilter::other.
enum class EventCategory { Diplomacy = 0, Licensing, Markets, Policy, Scripted, Measures, Count };
inline constexpr int kEventCategoryCount = static_cast<int>(EventCategory::Count);

EventCategory category_of(std::string_view type);
const char* to_string(EventCategory c);
Rgb category_colour(EventCategory c);
bool category_shown(const EventFilter& f, EventCategory c);

// Whether a team view (`team_view`; none: the facilitator's, which shows all) shows an event: proposals only to their parties,
// license paperwork only to exporter and importer, a policy's logs, errors, refused commands
// and stockpile orders only to its own country. Everything else is public.
bool event_visible(const GameEvent& e, std::optional<CountryId> team_view);

struct EventRow {
    const GameEvent* event = nullptr;  // owned by the snapshot's history
    const TurnRecord* record = nullptr;  // none: the turn in progress (Snapshot::live_events)
    EventCategory category = EventCategory::Measures;
};

struct EventLog {
    std::vector<EventRow> rows;  // newest first
    int total = 0;               // events the team view may see, before the filter
    int by_category[kEventCategoryCount] = {};  // of `total`
};

// Case-insensitive substring test (empty needle: true).
bool contains_text(std::string_view haystack, std::string_view needle);

// The events passing `filter`: text in the sentence or the type, country as actor or other
// party, the category switches, the last `last_turns` recorded turns (0: all).
EventLog filter_events(const Snapshot& snap, const EventFilter& filter, std::optional<CountryId> team_view);

// ---- Script console --------------------------------------------------------------------

enum class ConsoleKind { Error = 0, Fallback, Reloaded, Refused, Log };
const char* to_string(ConsoleKind k);
Rgb console_colour(ConsoleKind k);

struct ConsoleEntry {
    int turn = 0;
    int index = 0;               // the event's position in its turn's list (with turn: a stable key)
    CountryId country = kNoCountry;
    ConsoleKind kind = ConsoleKind::Log;
    std::string location;        // "usa.lua:12" (file name and line) when the message names one
    std::string headline;        // the first line, without the "country: " prefix
    std::string where;           // an error's callback, e.g. "in on_turn()" or "at load" (else empty)
    std::string message;         // an error's own words, after its file:line (else the headline)
    std::string detail;          // the rest (the Lua traceback); empty when none
    std::string policy;          // the policy file, when the event names it
};

struct ConsoleFilter {
    std::optional<CountryId> country;  // none: every country
    bool errors_only = false;          // errors, fallbacks and reloads only
};

// Newest first.
std::vector<ConsoleEntry> console_entries(const Snapshot& snap, const ConsoleFilter& filter,
                                          std::optional<CountryId> team_view);

// The first "file.lua:N" in a Lua message (the file name without its folders), if any.
std::optional<std::string> lua_location(std::string_view message);

}  // namespace chokepoint::view
