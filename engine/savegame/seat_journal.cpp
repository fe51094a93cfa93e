#include "engine/savegame/seat_journal.hpp"

#include "engine/savegame/command_json.hpp"

#include <limits>

namespace chokepoint {

void SeatJournal::record(int turn, CountryId seat, const std::optional<std::vector<Command>>& commands,
                         const std::vector<Command>& advice) {
    std::lock_guard<std::mutex> lock(mutex_);
    nlohmann::json& row = records_[{turn, seat}];
    nlohmann::json talks = row.contains("talks") ? row["talks"] : nlohmann::json(nullptr);
    row = decisions_to_json(commands, advice);
    row["talks"] = std::move(talks);
}

void SeatJournal::record_talks_seat(int turn, CountryId seat, bool person) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (person) records_[{turn, seat}]["talks"] = nlohmann::json::array();
}

void SeatJournal::record_talk(int turn, CountryId seat, int round, const std::vector<Command>& commands, bool done) {
    std::lock_guard<std::mutex> lock(mutex_);
    records_[{turn, seat}]["talks"].push_back(talk_to_json(round, commands, done));
}

std::vector<std::pair<CountryId, nlohmann::json>> SeatJournal::take(int turn) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::pair<CountryId, nlohmann::json>> out;
    for (auto it = records_.lower_bound({turn, CountryId{std::numeric_limits<int>::min()}}); it != records_.end() && it->first.first == turn;) {
        out.emplace_back(it->first.second, std::move(it->second));
        it = records_.erase(it);
    }
    return out;
}

}  // namespace chokepoint
