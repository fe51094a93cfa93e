#include "engine/savegame/seat_journal.hpp"

#include "engine/savegame/command_json.hpp"

#include <limits>

namespace chokepoint {

void SeatJournal::record(int turn, CountryId seat, const std::optional<std::vector<Command>>& commands,
                         const std::vector<Command>& advice) {
    std::lock_guard<std::mutex> lock(mutex_);
    records_[{turn, seat}] = decisions_to_json(commands, advice);
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
