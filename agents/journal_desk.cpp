#include "agents/journal_desk.hpp"

#include "engine/savegame/command_json.hpp"

namespace chokepoint {

JournalDesk::JournalDesk(const Game& game, const std::vector<TurnEntry>& recorded, SeatDesk* live, SeatJournal* journal)
    : game_(game), recorded_turns_(static_cast<int>(recorded.size())), live_(live), journal_(journal) {
    const Definitions& d = game.defs();
    for (const auto& e : recorded)
        for (const auto& [country, decisions] : e.decisions) {
            const int c = d.country_index(country);
            if (c >= 0) recorded_[{e.turn, CountryId{c}}] = decisions;
        }
}

bool JournalDesk::is_human(CountryId seat) const {
    const int turn = game_.state().turn;
    if (turn < recorded_turns_) return recorded_.count({turn, seat}) > 0;
    return live_ && live_->is_human(seat);
}

std::optional<std::vector<Command>> JournalDesk::await(const SeatRequest& request) {
    if (request.turn < recorded_turns_) {
        const auto it = recorded_.find({request.turn, request.seat});
        if (it == recorded_.end()) return std::nullopt;
        return decisions_from_json(it->second);
    }
    std::optional<std::vector<Command>> decided;
    if (live_) decided = live_->await(request);
    if (journal_) journal_->record(request.turn, request.seat, decided, request.advice);
    return decided;
}

void install_journal_seats(Game& game, SeatDesk& desk,
                           const std::function<std::unique_ptr<Policy>(CountryId)>& advisor) {
    for (CountryId c : game.defs().country_ids())
        game.set_policy(c, std::make_unique<HumanSeat>(desk, advisor(c), c));
}

}  // namespace chokepoint
