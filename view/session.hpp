// A game running behind the window: the Game lives on a worker thread, so the
// window never freezes while a turn (and its leverage counterfactuals) is
// computed. The UI reads immutable snapshots, published after every turn and
// whenever a human seat starts waiting; it sends requests (play, pause, step,
// speed, injects, seat hand-overs, a seat's decisions) that the worker picks up.
// Wall-clock time paces autoplay only; it never reaches the game.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agents/human_seat.hpp"
#include "agents/journal_desk.hpp"
#include "engine/game/game.hpp"
#include "engine/savegame/game_file.hpp"
#include "engine/savegame/seat_journal.hpp"
#include "view/shell/talk_clock.hpp"

namespace chokepoint::view {

struct SessionOptions {
    std::string scenario;              // path of the scenario YAML
    std::optional<std::uint64_t> seed; // overrides the scenario's
    std::vector<std::string> humans;   // country ids played by people from the start
    bool lua = true;                   // the scenario's Lua policies (else the autopilot everywhere)
    GameOptions game;                  // when leverage is measured, and on how many threads
    int turns = 0;                     // 0: the scenario's length
    int policy_failures = 3;           // failed Lua callbacks in a row before the autopilot takes over
    // The game file (docs/game-file.md). `save`: where the game is saved after every turn ("": not
    // saved). `load`: a saved game to go on with (scenario, seed, length and policies are the
    // file's; its last seats played by people stay with people); with `at`, from after that many of
    // its turns. Going on in the loaded file (save empty or the same path) drops its later turns;
    // another `save` path is a copy, or a branch (parent reference) with `at`. With `load`, `turns`
    // is the number of turns to play on (as for `run --load`): the game's length becomes that many
    // more than it has, if that is shorter (its game file keeps it; the class length changes it).
    std::string save, load;
    std::optional<int> at;
    // The negotiation phase for people's seats: minutes on its clock each turn (0: people propose
    // and answer with their decisions only); nullopt: the scenario's negotiation.talk_minutes.
    std::optional<double> talk_minutes;
};

// A facilitator's inject waiting for its turn (Session::inject), or applied in the turn in progress.
struct QueuedInject {
    int id = 0;
    int turn = 0;  // the game turn (0-based) it applies to
    std::string text;
};

// What the UI draws from: the game as of the last published moment.
struct Snapshot {
    std::uint64_t version = 0;
    std::shared_ptr<const Definitions> defs;
    std::string scenario_path;
    std::uint64_t seed = 0;
    std::vector<std::shared_ptr<const TurnRecord>> history;  // shared between snapshots
    State state;                       // after the last turn, or the waiting seat's observation
    std::shared_ptr<const State> start;  // the state the game began in (shared between snapshots)
    PerCountry<std::string> policy_names;
    // Whether people play each seat: 1 or 0 (char, not bool: a PerCountry<bool> would hold a
    // std::vector<bool>, whose elements are bits behind proxies, not bools one can refer to).
    PerCountry<char> human;
    int turn_limit = 0;
    bool finished = false;
    bool playing = false;              // autoplay on
    bool computing = false;            // a turn is being computed (or waits for a seat)
    std::optional<SeatRequest> waiting;  // a human seat waiting for its decisions
    // Each seat's advisor's suggestions for the turn being decided, from the moment the policy
    // phase begins (SeatDesk::advise), so a team deciding before the game reaches it sees them
    // too; null for seats not played by people then, and outside the decisions.
    struct Advice {
        int turn = -1;
        std::vector<Command> commands;
        std::vector<std::string> text;  // one readable line per command
    };
    PerCountry<std::shared_ptr<const Advice>> advice;
    // `seat`'s suggestions for deciding_turn, or null.
    const Advice* advice_for(CountryId seat) const {
        if (seat.value() < 0 || seat.index() >= advice.size() || !advice[seat]) return nullptr;
        return advice[seat]->turn == deciding_turn ? advice[seat].get() : nullptr;
    }
    std::optional<TalkRequest> talking;  // a human seat's turn to speak in a negotiation round
    // The turn whose decisions people are making (-1 before the first seat is asked), and the seats
    // whose decisions for it are in (Session::submit: browser seats decide at the same time).
    int deciding_turn = -1;
    PerCountry<char> sent;
    // The negotiation phase: minutes it gets each turn (0: none) and its clock (running from the
    // first seat asked in a turn until the decisions begin; the facilitator pauses and extends it).
    double talk_minutes = 0.0;
    TalkClock talk_clock;
    std::string error;                 // the worker stopped on an exception (shown, never fatal)
    std::vector<std::string> notes;    // between-turn messages (script reloads), newest last
    std::vector<QueuedInject> injects;    // queued for a later turn, soonest first (cancellable)
    // The injects of the turn being played (while it computes or waits for a seat), else of the
    // last turn played: the headlines every team sees in the top bar.
    std::vector<QueuedInject> headlines;
    // While a turn is played: its injects as events (type "news"), so the event log lists and
    // finds them before the turn is recorded.
    std::vector<GameEvent> live_events;
    // The game file: where the game is saved after every turn ("" when it is not saved), how many
    // turns it holds, and why the last save failed ("" when it did not; the game goes on and the
    // next turn's save tries again, with every turn still missing).
    std::string game_file;
    int saved_turns = 0;
    std::string save_error;
    int loaded_turns = 0;  // turns replayed from a loaded game file (0 for a new game)
};

class Session final : public SeatDesk {
public:
    // Loads the scenario (throws ScenarioError / std::runtime_error) and starts the worker.
    explicit Session(SessionOptions options);
    ~Session() override;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    std::shared_ptr<const Snapshot> snapshot() const;
    const SessionOptions& options() const { return options_; }

    void play();
    void pause();
    void step();                          // one turn, when paused
    void set_seconds_per_turn(double s);  // autoplay pace (0: as fast as turns compute)
    double seconds_per_turn() const { return seconds_per_turn_; }
    // Queues a facilitator's event for the start of game turn `turn` (0-based; anything earlier
    // than the next turn means the next turn) and returns its id for cancel_inject.
    int inject(ScheduledEvent event, int turn = -1);
    // Drops a queued inject before its turn starts; false when it is unknown or already applied.
    bool cancel_inject(int id);
    void set_human(CountryId seat, bool human);
    // Re-reads every Lua policy whose file changed, now (between turns) rather than at the next turn.
    void reload_scripts();
    // The class length: the game ends after `turns` turns (Game::change_turn_limit's rules: no
    // fewer than played, and the turns played stay as they were). Applied between turns (a turn
    // in progress ends first), kept in the game file; the notes say what was done or why not.
    void set_turn_limit(int turns);
    // A human seat ends its turn with these decisions.
    void end_turn(CountryId seat, std::vector<Command> decisions);
    // A seat's decisions for `turn`, sent before or while the game asks it: several seats decide at
    // the same time (browser seats, docs/protocol.md). Kept until the game asks the seat in that
    // turn. False (nothing kept) when people are not deciding `turn` now (it has not begun or is
    // over), the seat is not played by people, or its decisions for the turn are already in.
    bool submit(CountryId seat, int turn, std::vector<Command> decisions);
    // A human seat speaks in the negotiation round it was asked in (Snapshot::talking).
    void say(CountryId seat, TalkAnswer answer);
    // The negotiation phase: minutes from the next phase on (0: none); the clock of the phase in
    // progress: pause, resume, add (or with a negative value take off) seconds, end it now.
    void set_talk_minutes(double minutes);
    void pause_talks();
    void resume_talks();
    void extend_talks(double seconds);
    void end_talks();
    // Blocks until no turn is being computed and nothing is queued (tests, --autoplay).
    void wait_idle();
    // Stops the worker for good (the window is closing). A turn in progress is completed first;
    // a human seat still deciding makes no decisions in it. Afterwards game() may be read.
    void finish();
    const Game& game() const;  // only after finish()
    // Copies the game file to `path` (a new file: an existing one is refused) and saves the next
    // turns there. Returns "" or the reason it failed (no game file, the path exists, disk errors).
    std::string save_as(const std::string& path);

    // SeatDesk (called on the worker thread).
    bool is_human(CountryId seat) const override;
    void advise(const SeatRequest& request) override;
    std::optional<std::vector<Command>> await(const SeatRequest& request) override;
    std::optional<TalkAnswer> talk(const TalkRequest& request) override;

private:
    // Under the lock: people decide `turn` now (from the first advice or seat asked in it).
    void open_decisions_locked(int turn);
    void run();
    void reload_locked();
    void change_turn_limit_locked();
    void publish_locked();
    void publish_controls_locked();
    void fill_injects_locked(Snapshot& s) const;
    void fill_game_file(Snapshot& s) const;
    void start_new_game();
    void open_game_file();
    void autosave(std::vector<nlohmann::json> queue, std::vector<PolicyScript> reloads);
    void flush_unsaved_locked();
    // Under mutex_: the queue as the game file keeps it (inject_to_json, in queue order), and
    // writing it there after the facilitator queued or cancelled an inject.
    std::vector<nlohmann::json> queue_json_locked() const;
    void save_queue_locked();

    SessionOptions options_;
    // Declared before the game: the game's seats point at the desk.
    SeatJournal journal_;
    std::unique_ptr<JournalDesk> desk_;
    std::unique_ptr<Game> game_;  // touched by the worker only, after construction
    // The game file and the turns not saved yet (a failed save keeps them for the next try); the
    // worker appends, save_as() switches files: both under file_mutex_.
    mutable std::mutex file_mutex_;
    std::optional<GameFile> file_;
    std::vector<TurnEntry> unsaved_;
    std::string game_file_, save_error_;
    int saved_turns_ = 0, loaded_turns_ = 0;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<const Snapshot> snapshot_;
    std::vector<std::shared_ptr<const TurnRecord>> history_;
    std::shared_ptr<const State> start_;
    PerCountry<char> human_;  // as Snapshot::human
    struct Queued {
        int id = 0;
        ScheduledEvent event;  // event.turn: the game turn it applies to
    };
    std::vector<Queued> injects_;        // waiting for their turn, in the order queued
    std::vector<PolicyScript> reloads_;  // scripts reloaded by hand since the last turn: journaled with the next
    std::vector<QueuedInject> applied_;  // handed to the game, with their turns
    int next_inject_id_ = 1;
    int turn_ = 0;  // the game turn being played, or next to play (set by the worker under the lock)
    std::optional<std::vector<Command>> decisions_;
    CountryId decisions_for_ = kNoCountry;
    std::optional<SeatRequest> waiting_;
    std::optional<TalkRequest> talking_;
    std::optional<TalkAnswer> said_;
    int deciding_turn_ = -1;  // Snapshot::deciding_turn
    // Decisions sent for deciding_turn_ (submit) and not yet handed to the game, and the seats whose
    // decisions for it are in (sent, or handed to the game).
    PerCountry<std::optional<std::vector<Command>>> early_;
    PerCountry<char> sent_;
    PerCountry<std::shared_ptr<const Snapshot::Advice>> advice_;  // Snapshot::advice
    void keep_sent_locked(CountryId seat, int turn, const std::vector<Command>& decisions);
    void restore_sent_decisions_locked();
    CountryId said_for_ = kNoCountry;
    double talk_minutes_ = 0.0;
    TalkClock talk_clock_;
    int talks_over_turn_ = -1;  // the turn whose negotiation phase the clock or the facilitator ended
    std::optional<int> turn_limit_request_;  // set_turn_limit, for the worker
    bool playing_ = false, computing_ = false, quit_ = false, reload_ = false, finished_ = false;
    std::vector<std::string> notes_;
    int steps_requested_ = 0;
    std::atomic<double> seconds_per_turn_{0.5};
    std::uint64_t version_ = 0;
    std::string error_;
    std::thread worker_;
};

}  // namespace chokepoint::view
