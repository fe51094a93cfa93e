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

bool JournalDesk::plays(CountryId seat, int turn, SeatPhase phase) {
    if (turn < recorded_turns_) {
        const auto it = recorded_.find({turn, seat});
        if (it == recorded_.end()) return false;
        return phase == SeatPhase::Talks ? talks_from_json(it->second).has_value() : has_decisions(it->second);
    }
    const bool person = live_ && live_->plays(seat, turn, phase);
    if (journal_ && phase == SeatPhase::Talks) journal_->record_talks_seat(turn, seat, person);
    return person;
}

std::optional<TalkAnswer> JournalDesk::talk(const TalkRequest& request) {
    if (request.turn < recorded_turns_) {
        const auto it = recorded_.find({request.turn, request.seat});
        if (it == recorded_.end()) return std::nullopt;
        for (auto& said : talks_from_json(it->second).value_or(std::vector<SavedTalk>{}))
            if (said.round == request.round) return TalkAnswer{std::move(said.commands), said.done};
        return std::nullopt;
    }
    std::optional<TalkAnswer> said;
    if (live_) said = live_->talk(request);
    if (journal_ && said) journal_->record_talk(request.turn, request.seat, request.round, said->commands, said->done);
    return said;
}

void JournalDesk::advise(const SeatRequest& request) {
    if (request.turn >= recorded_turns_ && live_) live_->advise(request);
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
