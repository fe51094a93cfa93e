// A SeatDesk for saved games (docs/game-file.md): for the turns in a game file it plays the
// recorded human decisions and talks back (a seat is played by people in a turn's talks or
// decisions when the file's row for it says so);
// after them it asks the live desk (the window, or a test's scripted desk; none: the advisors
// play) and records what the seats decided, with their advisors' suggestions, in a SeatJournal for
// save_new_turns().
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "agents/human_seat.hpp"
#include "engine/game/game.hpp"
#include "engine/savegame/game_file.hpp"
#include "engine/savegame/seat_journal.hpp"

namespace chokepoint {

class JournalDesk final : public SeatDesk {
public:
    // `recorded`: the saved turns (their decisions); `live` and `journal` may be null.
    JournalDesk(const Game& game, const std::vector<TurnEntry>& recorded, SeatDesk* live, SeatJournal* journal);
    bool is_human(CountryId seat) const override;
    bool plays(CountryId seat, int turn, SeatPhase phase) override;
    void advise(const SeatRequest& request) override;  // to the live desk, for turns not saved
    std::optional<std::vector<Command>> await(const SeatRequest& request) override;
    std::optional<TalkAnswer> talk(const TalkRequest& request) override;
    // Whether any saved turn has a human seat's decisions.
    bool any_recorded() const { return !recorded_.empty(); }

private:
    const Game& game_;
    int recorded_turns_ = 0;
    std::map<std::pair<int, CountryId>, nlohmann::json> recorded_;
    SeatDesk* live_;
    SeatJournal* journal_;
};

// Installs a HumanSeat on `desk` for every country, advised by advisor(country).
void install_journal_seats(Game& game, SeatDesk& desk,
                           const std::function<std::unique_ptr<Policy>(CountryId)>& advisor);

}  // namespace chokepoint
