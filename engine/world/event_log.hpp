// What happened during a turn, as typed records: license applications and
// decisions, regime changes, investments, shortages, scripted events, rejected
// commands. Written to events.jsonl and shown in the view's log.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/world/ids.hpp"

namespace chokepoint {

// Tonnes for an event's sentence: whole tonnes from 100 t, else three significant digits, so a
// small licence reads "approves 0.4 of 1.2 t/turn" rather than "0 of 1".
std::string tonnes_text(double t);

// Numbers in an event's details rounded to 6 significant digits (as every output file writes
// them: docs/outputs.md), recursively through lists and maps.
nlohmann::json rounded_details(const nlohmann::json& data);

// `s` with every byte sequence that is not UTF-8 replaced by U+FFFD (valid text is returned as
// it is). Text from Lua policies may hold any bytes; the game's outputs and game file are JSON,
// which must be UTF-8.
std::string utf8_text(std::string s);
// The same for every string, and every object key, in `j`.
nlohmann::json utf8_json(nlohmann::json j);

struct GameEvent {
    int turn = 0;
    std::string type;     // "license_application", "regime_change", "shortage", ...
    CountryId country = kNoCountry;  // the actor, kNoCountry for none
    CountryId target = kNoCountry;   // the other party, kNoCountry for none
    std::string text;     // one readable sentence
    nlohmann::json data = nlohmann::json::object();  // the details, by key
};

// What an event says: its sentence and its details.
struct EventText {
    std::string text;
    nlohmann::json data = nlohmann::json::object();
};

// The events of a turn. Muted inside projections (leverage counterfactuals, forecasts), where
// nobody reads them.
class EventList {
public:
    bool muted = false;
    void push_back(GameEvent e) {
        if (!muted) add(std::move(e));
    }
    // Records an event; `describe()` returns its EventText and is called only when the list is not
    // muted, so projections format nothing. The one way game logic notes an event.
    template <class Describe>
    void note(int turn, std::string type, CountryId country, CountryId target, Describe&& describe) {
        if (muted) return;
        EventText t = describe();
        add(GameEvent{turn, std::move(type), country, target, std::move(t.text), std::move(t.data)});
    }
    void clear() { items_.clear(); }
    size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    const GameEvent& operator[](size_t i) const { return items_[i]; }
    GameEvent& at(size_t i) { return items_.at(i); }
    const GameEvent& back() const { return items_.back(); }
    std::vector<GameEvent>::const_iterator begin() const { return items_.begin(); }
    std::vector<GameEvent>::const_iterator end() const { return items_.end(); }

private:
    // Every event's text and details are made UTF-8 here (a policy's log line or error may hold
    // any bytes), so no event can stop the writing of events.jsonl or the game file.
    void add(GameEvent e);
    std::vector<GameEvent> items_;
};

}  // namespace chokepoint
