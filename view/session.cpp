#include "view/session.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

#include "agents/lua/lua_policy.hpp"
#include "agents/saved_game.hpp"
#include "engine/output/sha256.hpp"
#include "engine/savegame/command_json.hpp"
#include "engine/savegame/state_json.hpp"
#include "engine/sim/autopilot.hpp"
#include "engine/scenario/loader.hpp"

namespace chokepoint::view {

namespace {

Scenario load(const SessionOptions& o) {
    std::optional<int> turns;
    if (o.turns > 0) turns = o.turns;
    return with_overrides(load_scenario(o.scenario), {turns, o.seed});
}

}  // namespace

Session::Session(SessionOptions options) : options_(std::move(options)) {
    if (options_.load.empty())
        start_new_game();
    else
        open_game_file();
    start_ = std::make_shared<const State>(game_->scenario().initial);
    turn_ = game_->state().turn;
    const Definitions& d = game_->defs();
    talk_minutes_ = std::clamp(options_.talk_minutes.value_or(d.negotiation.talk_minutes), 0.0, 120.0);
    for (const auto& id : options_.humans) {
        const CountryId c = d.country_id(id);
        if (!d.has_country(c)) throw std::runtime_error("unknown country for a human seat: " + id);
        human_[c] = 1;
    }
    {
        std::lock_guard lock(mutex_);
        if (!options_.load.empty()) restore_sent_decisions_locked();
        publish_locked();
    }
    worker_ = std::thread([this] { run(); });
}

// Every country is a seat on the journal desk: people play it when the window says so, its
// advisor otherwise; what people decide goes into the journal and from there into the game file.
void Session::start_new_game() {
    game_ = std::make_unique<Game>(load(options_), options_.game);
    const Definitions& d = game_->defs();
    human_.assign(static_cast<size_t>(d.country_count()), 0);
    for (CountryId c : d.country_ids())
        if (d.countries[c].human) human_[c] = 1;
    desk_ = std::make_unique<JournalDesk>(*game_, std::vector<TurnEntry>{}, this, &journal_);
    LuaPolicyOptions lo;
    lo.max_consecutive_failures = options_.policy_failures;
    install_journal_seats(*game_, *desk_, [&](CountryId c) -> std::unique_ptr<Policy> {
        if (!options_.lua) return std::make_unique<AutopilotPolicy>();
        return scenario_policy(d, c, lo);
    });
    if (!options_.save.empty()) {
        file_.emplace(GameFile::create(options_.save, make_header(*game_, options_.scenario, leverage_schedule_text(options_.game))));
        game_file_ = file_->path();
    }
}

// A saved game: rebuilt from the file and its turns replayed (their records kept for the charts).
void Session::open_game_file() {
    OpenGameOptions o;
    o.load = options_.load;
    o.save = options_.save;
    o.at = options_.at;
    o.game = options_.game;
    o.lua.max_consecutive_failures = options_.policy_failures;
    o.live = this;
    o.journal = &journal_;
    o.after_turn = [this](const Game& g) { history_.push_back(std::make_shared<const TurnRecord>(g.history().back())); };
    OpenedGame opened = open_saved_game(o);
    desk_ = std::move(opened.desk);
    game_ = std::move(opened.game);
    file_ = std::move(opened.file);
    game_file_ = file_->path();
    saved_turns_ = file_->turns_saved();
    loaded_turns_ = opened.replayed;
    const Definitions& d = game_->defs();
    human_.assign(static_cast<size_t>(d.country_count()), 0);
    for (const auto& id : opened.last_seats)
        if (const CountryId c = d.country_id(id); d.has_country(c)) human_[c] = 1;
    for (auto& event : opened.queued) injects_.push_back(Queued{next_inject_id_++, std::move(event)});
    // --turns N with a saved game: N more turns, as for `run --load` (not past the game's length).
    if (options_.turns > 0) {
        const int stop = std::min(game_->state().turn + options_.turns, game_->turn_limit());
        if (stop != game_->turn_limit()) {
            if (const std::string why = game_->change_turn_limit(stop); why.empty())
                file_->set_turn_limit(stop);
            else
                notes_.push_back(fmt::format("--turns {} not applied: {}", options_.turns, why));
        }
    }
}

// On the worker after each turn: the turn's entry (with the seats' decisions) goes to the file,
// after any earlier turns a failed save left over.
void Session::autosave(std::vector<nlohmann::json> queue, std::vector<PolicyScript> reloads) {
    if (!file_) return;
    std::lock_guard files(file_mutex_);
    unsaved_.push_back(make_turn_entry(*game_, &journal_));
    TurnEntry& entry = unsaved_.back();
    entry.queued = std::move(queue);
    // Reloaded before the turn: replayed at its start, before the reloads made during it.
    entry.reloads.insert(entry.reloads.begin(), reloads.begin(), reloads.end());
    flush_unsaved_locked();
}

std::vector<nlohmann::json> Session::queue_json_locked() const {
    std::vector<nlohmann::json> out;
    for (const auto& q : injects_) out.push_back(inject_to_json(q.event));
    return out;
}

// A queue change is saved at once (a game closed before the inject's turn keeps it). With turns
// still unsaved (a save failed), the next turn's save writes the queue with them.
void Session::save_queue_locked() {
    std::lock_guard files(file_mutex_);
    if (!file_ || !unsaved_.empty()) return;
    try {
        file_->set_queued_injects(queue_json_locked());
    } catch (const std::exception& e) {
        save_error_ = e.what();
    }
}

// Under file_mutex_: the turns not in the file yet go there, oldest first; a failure keeps the
// rest for the next try and says why.
void Session::flush_unsaved_locked() {
    try {
        while (!unsaved_.empty()) {
            file_->append_turn(unsaved_.front());
            unsaved_.erase(unsaved_.begin());
        }
        save_error_.clear();
    } catch (const std::exception& e) {
        save_error_ = e.what();
    }
    saved_turns_ = file_->turns_saved();
}

std::string Session::save_as(const std::string& path) {
    std::string failure;
    {
        std::lock_guard files(file_mutex_);
        if (!file_) return "this game has no game file (the window was started with --no-save)";
        try {
            file_->copy_to(path);
            GameFile copy = GameFile::open(path);
            copy.claim();
            file_.emplace(std::move(copy));
            game_file_ = file_->path();
            flush_unsaved_locked();  // turns an earlier save could not write go to the copy
        } catch (const std::exception& e) {
            failure = e.what();
        }
    }
    std::lock_guard lock(mutex_);
    publish_controls_locked();
    return failure;
}

Session::~Session() { finish(); }

void Session::finish() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
    finished_ = true;
    // Nothing more is written to the file: the window may open it again (its Open, a restart
    // that falls back to the game that was going on) while this session still exists.
    std::lock_guard files(file_mutex_);
    if (file_) file_->release_claim();
}

const Game& Session::game() const {
    if (!finished_) throw std::logic_error("Session::game() before finish(): the worker owns the game");
    return *game_;
}

std::shared_ptr<const Snapshot> Session::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

// Control changes from the UI thread: the game may be mid-turn on the worker, so only the
// control fields change (the rest is copied from the last snapshot).
void Session::publish_controls_locked() {
    auto s = std::make_shared<Snapshot>(*snapshot_);
    s->version = ++version_;
    s->human = human_;
    s->playing = playing_;
    s->talk_minutes = talk_minutes_;
    s->talk_clock = talk_clock_;
    fill_injects_locked(*s);
    fill_game_file(*s);
    snapshot_ = std::move(s);
}

void Session::fill_game_file(Snapshot& s) const {
    std::lock_guard files(file_mutex_);
    s.game_file = game_file_;
    s.saved_turns = saved_turns_;
    s.save_error = save_error_;
    s.loaded_turns = loaded_turns_;
}

void Session::fill_injects_locked(Snapshot& s) const {
    s.injects.clear();
    for (const auto& q : injects_) s.injects.push_back(QueuedInject{q.id, q.event.turn, q.event.text});
    std::stable_sort(s.injects.begin(), s.injects.end(),
                     [](const QueuedInject& a, const QueuedInject& b) { return a.turn < b.turn; });
    // The turn in progress (computing or waiting), else the last one played.
    const int shown = computing_ || waiting_ ? turn_ : static_cast<int>(history_.size()) - 1;
    s.headlines.clear();
    s.live_events.clear();
    for (const auto& a : applied_) {
        if (a.turn != shown) continue;
        s.headlines.push_back(a);
        if (computing_ || waiting_) s.live_events.push_back(GameEvent{a.turn, "news", kNoCountry, kNoCountry, a.text, nlohmann::json::object()});
    }
}

// From the worker (or the constructor): the game is not being stepped by anyone else.
void Session::publish_locked() {
    auto s = std::make_shared<Snapshot>();
    s->version = ++version_;
    s->defs = game_->scenario().defs;
    s->scenario_path = game_->scenario().path;
    s->seed = game_->defs().seed;
    s->history = history_;
    s->start = start_;
    s->state = waiting_ ? waiting_->observation : talking_ ? talking_->observation : game_->state();
    s->talking = talking_;
    // Names from the advisors and our own flags: HumanSeat::name() would ask is_human(), which locks.
    for (CountryId c : game_->defs().country_ids()) {
        const auto* seat = dynamic_cast<const HumanSeat*>(game_->policy(c));
        const std::string advisor = seat ? seat->advisor_name() : game_->policy(c)->name();
        s->policy_names.push_back(human_[c] ? "human (advisor: " + advisor + ")" : advisor);
    }
    s->human = human_;
    s->turn_limit = game_->turn_limit();
    s->finished = game_->finished();
    s->playing = playing_;
    s->computing = computing_;
    s->waiting = waiting_;
    s->deciding_turn = deciding_turn_;
    s->sent = sent_;
    s->advice = advice_;
    s->talk_minutes = talk_minutes_;
    s->talk_clock = talk_clock_;
    fill_injects_locked(*s);
    fill_game_file(*s);
    s->error = error_;
    s->notes = notes_;
    snapshot_ = std::move(s);
}

void Session::reload_scripts() {
    std::lock_guard lock(mutex_);
    reload_ = true;
    wake_.notify_all();
}

// On the worker, between turns: the game is idle.
void Session::reload_locked() {
    reload_ = false;
    const Definitions& d = game_->defs();
    std::vector<IssuedCommand> scratch;
    EventList events;
    int changed = 0;
    for (CountryId c : d.country_ids()) {
        auto* seat = dynamic_cast<HumanSeat*>(game_->policy(c));
        auto* lua = seat ? dynamic_cast<LuaPolicy*>(&seat->advisor()) : nullptr;
        if (!lua) continue;
        PolicyContext ctx(d, game_->state(), c, scratch, events);
        const size_t before = events.size();
        lua->reload_if_changed(ctx);
        const bool reloaded = std::any_of(events.begin() + static_cast<std::ptrdiff_t>(before), events.end(),
                                          [](const GameEvent& e) { return e.type == "policy_reloaded"; });
        if (const auto script = lua->script(); reloaded && script)
            reloads_.push_back({d.countries[c].id, script->path, script->text,
                                sha256_hex(script->text)});
    }
    for (const auto& e : events) {
        notes_.push_back(e.text);
        ++changed;
    }
    if (changed == 0) notes_.push_back("no policy file changed since it was loaded");
    if (notes_.size() > 50) notes_.erase(notes_.begin(), notes_.end() - 50);
    publish_locked();
}

// On the worker, between turns: the game is idle.
void Session::change_turn_limit_locked() {
    const int turns = *std::exchange(turn_limit_request_, std::nullopt);
    const std::string why = game_->change_turn_limit(turns);
    if (why.empty()) {
        {
            std::lock_guard files(file_mutex_);
            try {
                if (file_) file_->set_turn_limit(turns);
            } catch (const std::exception& e) {
                save_error_ = e.what();
            }
        }
        notes_.push_back(fmt::format("class length: {} turns, the last one {}", turns,
                                     game_->defs().date_of_turn(turns - 1)));
    } else {
        notes_.push_back("class length unchanged: " + why);
    }
    publish_locked();
}

void Session::set_turn_limit(int turns) {
    std::lock_guard lock(mutex_);
    turn_limit_request_ = turns;
    wake_.notify_all();
}

void Session::play() {
    std::lock_guard lock(mutex_);
    playing_ = true;
    publish_controls_locked();
    wake_.notify_all();
}

void Session::pause() {
    std::lock_guard lock(mutex_);
    playing_ = false;
    publish_controls_locked();
}

void Session::step() {
    std::lock_guard lock(mutex_);
    ++steps_requested_;
    wake_.notify_all();
}

void Session::set_seconds_per_turn(double s) { seconds_per_turn_ = std::max(0.0, s); }

int Session::inject(ScheduledEvent event, int turn) {
    std::lock_guard lock(mutex_);
    // The turn about to be played (or being played: then the inject waits for the next).
    const int next = turn_ + (computing_ ? 1 : 0);
    event.turn = std::max(turn, next);
    const int id = next_inject_id_++;
    injects_.push_back(Queued{id, std::move(event)});
    save_queue_locked();
    publish_controls_locked();
    return id;
}

bool Session::cancel_inject(int id) {
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(injects_.begin(), injects_.end(), [&](const Queued& q) { return q.id == id; });
    if (it == injects_.end()) return false;
    injects_.erase(it);
    save_queue_locked();
    publish_controls_locked();
    return true;
}

void Session::set_human(CountryId seat, bool human) {
    std::lock_guard lock(mutex_);
    if (seat.value() < 0 || seat.index() >= human_.size()) return;
    human_[seat] = human ? 1 : 0;
    publish_controls_locked();
    wake_.notify_all();  // a waiting seat handed to its advisor goes on at once
}

void Session::end_turn(CountryId seat, std::vector<Command> decisions) {
    std::lock_guard lock(mutex_);
    if (!waiting_ || waiting_->seat != seat || sent_[seat]) return;  // a second End turn changes nothing
    sent_[seat] = 1;
    keep_sent_locked(seat, waiting_->turn, decisions);
    decisions_ = std::move(decisions);
    decisions_for_ = seat;
    publish_locked();
    wake_.notify_all();
}

void Session::say(CountryId seat, TalkAnswer answer) {
    std::lock_guard lock(mutex_);
    if (!talking_ || talking_->seat != seat) return;
    said_ = std::move(answer);
    said_for_ = seat;
    wake_.notify_all();
}

void Session::set_talk_minutes(double minutes) {
    std::lock_guard lock(mutex_);
    talk_minutes_ = std::clamp(minutes, 0.0, 120.0);
    publish_controls_locked();
}

void Session::pause_talks() {
    std::lock_guard lock(mutex_);
    talk_clock_.pause(TalkClock::Clock::now());
    publish_controls_locked();
    wake_.notify_all();
}

void Session::resume_talks() {
    std::lock_guard lock(mutex_);
    talk_clock_.resume(TalkClock::Clock::now());
    publish_controls_locked();
    wake_.notify_all();
}

void Session::extend_talks(double seconds) {
    std::lock_guard lock(mutex_);
    talk_clock_.extend(seconds, TalkClock::Clock::now());
    publish_controls_locked();
    wake_.notify_all();
}

void Session::end_talks() {
    std::lock_guard lock(mutex_);
    if (!talk_clock_.running()) return;
    talks_over_turn_ = talk_clock_.turn();
    talk_clock_.stop();
    notes_.push_back(fmt::format("Turn {}: the facilitator ended the negotiation phase", talks_over_turn_ + 1));
    publish_controls_locked();
    wake_.notify_all();
}

std::optional<TalkAnswer> Session::talk(const TalkRequest& request) {
    using Clock = TalkClock::Clock;
    std::unique_lock lock(mutex_);
    if (talk_minutes_ <= 0.0 || talks_over_turn_ == request.turn || quit_ || !human_[request.seat]) return std::nullopt;
    if (!talk_clock_.running() || talk_clock_.turn() != request.turn)
        talk_clock_.start(request.turn, talk_minutes_ * 60.0, Clock::now());
    talking_ = request;
    said_.reset();
    publish_locked();
    const auto spoken = [&] {
        return quit_ || (said_ && said_for_ == request.seat) || !human_[request.seat] || talks_over_turn_ == request.turn;
    };
    while (!spoken()) {
        if (talk_clock_.paused()) {
            wake_.wait(lock);
            continue;
        }
        if (talk_clock_.expired(Clock::now())) {
            talks_over_turn_ = request.turn;
            talk_clock_.stop();
            notes_.push_back(fmt::format("Turn {}: the negotiation time is up", request.turn + 1));
            break;
        }
        wake_.wait_until(lock, talk_clock_.deadline());
    }
    std::optional<TalkAnswer> out;
    if (!quit_ && said_ && said_for_ == request.seat && talks_over_turn_ != request.turn) out = std::move(said_);
    said_.reset();
    talking_.reset();
    publish_locked();
    return out;
}

bool Session::is_human(CountryId seat) const {
    std::lock_guard lock(mutex_);
    return seat.value() >= 0 && seat.index() < human_.size() && human_[seat];
}

// Under the lock: a seat's decisions for a turn not played yet go to the game file at once, so a
// crash of this process before the turn is saved loses none (restore_sent_decisions reads them back).
void Session::keep_sent_locked(CountryId seat, int turn, const std::vector<Command>& decisions) {
    std::lock_guard files(file_mutex_);
    if (!file_) return;
    try {
        file_->set_sent_decisions(turn, game_->defs().countries[seat].id, decisions_to_json(decisions));
    } catch (const std::exception& e) {
        save_error_ = e.what();
    }
}

// A game file opened at its end: the decisions its seats had sent for the turn it was deciding
// when the game stopped (a crash, or the server stopped mid-turn) are theirs again, for seats
// still played by people.
void Session::restore_sent_decisions_locked() {
    if (!file_) return;
    const int turn = game_->state().turn;
    std::vector<std::pair<std::string, nlohmann::json>> rows;
    try {
        rows = file_->sent_decisions(turn);
    } catch (const std::exception& e) {
        notes_.push_back(e.what());
        return;
    }
    const Definitions& d = game_->defs();
    int restored = 0;
    for (const auto& [id, data] : rows) {
        const CountryId c = d.country_id(id);
        if (!d.has_country(c) || !human_[c]) continue;
        std::optional<std::vector<Command>> commands;
        try {
            commands = decisions_from_json(data);
        } catch (const std::exception& e) {
            notes_.push_back(fmt::format("the decisions {} sent for turn {} could not be read: {}", id, turn + 1, e.what()));
            continue;
        }
        if (!commands) continue;
        open_decisions_locked(turn);
        early_[c] = std::move(commands);
        sent_[c] = 1;
        ++restored;
    }
    if (restored > 0)
        notes_.push_back(fmt::format("{} seat(s) had sent their decisions for turn {}: they are kept", restored, turn + 1));
}

bool Session::submit(CountryId seat, int turn, std::vector<Command> decisions) {
    std::lock_guard lock(mutex_);
    if (turn < 0 || turn != deciding_turn_ || seat.value() < 0 || seat.index() >= human_.size() || !human_[seat] || sent_[seat])
        return false;
    sent_[seat] = 1;
    keep_sent_locked(seat, turn, decisions);
    if (waiting_ && waiting_->seat == seat) {
        decisions_ = std::move(decisions);
        decisions_for_ = seat;
        wake_.notify_all();
    } else {
        early_[seat] = std::move(decisions);
    }
    // Published at once: a reader after this call (the server's next poll, after its ack) must
    // never see the seat still deciding the turn it has just sent.
    publish_locked();
    return true;
}

void Session::open_decisions_locked(int turn) {
    if (deciding_turn_ == turn) return;
    deciding_turn_ = turn;
    const int C = game_->defs().country_count();
    early_.assign(C, std::nullopt);
    sent_.assign(C, 0);
    advice_.assign(C, nullptr);
}

void Session::advise(const SeatRequest& request) {
    std::lock_guard lock(mutex_);
    talk_clock_.stop();  // the negotiation phase is over: decisions have begun
    open_decisions_locked(request.turn);
    advice_[request.seat] = std::make_shared<const Snapshot::Advice>(
        Snapshot::Advice{request.turn, request.advice, request.advice_text});
    publish_locked();
}

std::optional<std::vector<Command>> Session::await(const SeatRequest& request) {
    std::unique_lock lock(mutex_);
    talk_clock_.stop();  // the negotiation phase is over: decisions have begun
    open_decisions_locked(request.turn);
    if (auto early = std::move(early_[request.seat])) {  // sent before the game reached the seat
        early_[request.seat].reset();
        return early;
    }
    waiting_ = request;
    decisions_.reset();
    publish_locked();
    wake_.wait(lock, [&] {
        return quit_ || (decisions_ && decisions_for_ == request.seat) || !human_[request.seat];
    });
    std::optional<std::vector<Command>> out;
    if (!quit_ && decisions_ && decisions_for_ == request.seat) out = std::move(decisions_);
    decisions_.reset();
    waiting_.reset();
    publish_locked();
    return out;
}

void Session::wait_idle() {
    using namespace std::chrono_literals;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (!computing_ && steps_requested_ == 0 && (!playing_ || snapshot_->finished)) return;
        }
        std::this_thread::sleep_for(5ms);
    }
}

void Session::run() {
    using clock = std::chrono::steady_clock;
    auto next = clock::now();
    std::unique_lock lock(mutex_);
    while (!quit_) {
        if (reload_) reload_locked();
        if (turn_limit_request_) change_turn_limit_locked();
        const bool due = playing_ && clock::now() >= next;
        if (game_->finished()) {
            playing_ = false;
            steps_requested_ = 0;
        }
        if (!(steps_requested_ > 0 || due) || game_->finished()) {
            if (playing_)
                wake_.wait_until(lock, next);
            else
                wake_.wait(lock, [&] {
                    return quit_ || steps_requested_ > 0 || playing_ || reload_ || turn_limit_request_.has_value();
                });
            continue;
        }
        if (steps_requested_ > 0) --steps_requested_;
        // The injects due this turn go to the game (Game::inject applies them at the turn's start).
        const int turn = turn_ = game_->state().turn;
        for (auto it = injects_.begin(); it != injects_.end();) {
            if (it->event.turn > turn) {
                ++it;
                continue;
            }
            applied_.push_back(QueuedInject{it->id, turn, it->event.text});
            game_->inject(std::move(it->event));
            it = injects_.erase(it);
        }
        computing_ = true;
        publish_locked();
        lock.unlock();
        std::shared_ptr<const TurnRecord> record;
        std::string failure;
        try {
            record = std::make_shared<const TurnRecord>(game_->step());
        } catch (const std::exception& e) {
            failure = e.what();
        }
        // A turn finished after the window asked to quit is not saved: the file keeps the game as
        // it stood before (a seat still deciding played no part in a saved turn).
        lock.lock();
        const bool quitting = quit_;
        std::vector<nlohmann::json> queue = queue_json_locked();
        std::vector<PolicyScript> reloads = std::exchange(reloads_, {});
        lock.unlock();
        if (record && !quitting) autosave(std::move(queue), std::move(reloads));
        lock.lock();
        computing_ = false;
        talk_clock_.stop();
        turn_ = game_->state().turn;
        if (record) history_.push_back(std::move(record));
        if (!failure.empty()) {
            error_ = failure;
            playing_ = false;
        }
        if (game_->finished()) playing_ = false;
        next = clock::now() + std::chrono::duration_cast<clock::duration>(
                                  std::chrono::duration<double>(seconds_per_turn_.load()));
        publish_locked();
    }
}

}  // namespace chokepoint::view
