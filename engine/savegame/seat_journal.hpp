// Human seats' decisions on their way into the game file: the desk records what a seat decided in
// a turn (from the worker thread the game runs on), save_new_turns() takes the turn's records into
// its journal rows.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "engine/instruments/commands.hpp"

namespace chokepoint {

class SeatJournal {
public:
    // A seat's decisions for `turn` (nullopt: handed to its advisor for the turn), with what its
    // advisor suggested (SeatRequest::advice).
    void record(int turn, CountryId seat, const std::optional<std::vector<Command>>& commands,
                const std::vector<Command>& advice = {});
    // Whether people played the seat in the turn's negotiation phase (asked once per turn). A seat
    // in the talks gets a row with "talks": [] at once; one that was not gets "talks": null if it
    // has a row for its decisions.
    void record_talks_seat(int turn, CountryId seat, bool person);
    // What the seat said in a round of the talks (commands, done).
    void record_talk(int turn, CountryId seat, int round, const std::vector<Command>& commands, bool done);
    // The turn's records by seat, removed from the journal.
    std::vector<std::pair<CountryId, nlohmann::json>> take(int turn);

private:
    std::mutex mutex_;
    std::map<std::pair<int, CountryId>, nlohmann::json> records_;
};

}  // namespace chokepoint
