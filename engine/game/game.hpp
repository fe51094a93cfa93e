// A game in progress: the scenario, the current state, one policy per
// country, and the history of every turn played (what the outputs and the
// view read). Steps one turn at a time.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/leverage/leverage.hpp"
#include "engine/metrics/scores.hpp"
#include "engine/world/event_log.hpp"
#include "engine/sim/policy.hpp"
#include "engine/world/scenario.hpp"

namespace chokepoint {

struct TurnRecord {
    int turn = 0;
    std::string date;
    MarketOutcome outcome;
    PerCountry<CountryState> countries;  // after the turn
    // The routes' terms: export rules and tariffs after the turn (as State::rules, State::tariff),
    // and per good [exporter][importer] the tonnes licensed for the turn played (licensed routes).
    RouteTable<ExportRule> rules;
    RouteTable<double> tariff;
    PerGood<CountryMatrix<>> licensed;
    LeverageReport leverage;
    PerCountry<Score> scores;
    EventList events;
    double seconds_markets = 0.0;   // wall time of the turn itself (for the bench; never used by the game)
    double seconds_leverage = 0.0;
    LeverageCost leverage_cost;  // runs, markets and reuse of the measurement (for the bench)
};

// The longest game (the command line's --turns takes 1..kMaxTurns).
inline constexpr int kMaxTurns = 1000;

struct GameOptions {
    bool measure_leverage = true;  // the leverage counterfactuals (false: never; --leverage off)
    // Measure on every N-th turn of the game and on its last turn (1: every turn); 0: on the
    // last turn only (--leverage every|N|end). Between measurements the state and the influence
    // score keep the latest one (docs/model.md §Leverage, "When leverage is measured").
    int leverage_every = 1;
    // Threads for the leverage measurement, the caller's included; 0: one per hardware thread.
    // Results are the same for any number.
    int threads = 0;
    bool reuse_markets = true;  // exact reuse of solved markets in the measurement (off: tests' reference)
};

// Parses a --leverage value (every, N ≥ 1, end, off) into `options`; false if it is none of them.
bool parse_leverage_schedule(const std::string& text, GameOptions& options);
// The --leverage value of `options` (every, N, end, off): what parse_leverage_schedule reads back.
std::string leverage_schedule_text(const GameOptions& options);

class Game {
public:
    explicit Game(Scenario scenario, GameOptions options = {});

    // Installs a policy for a country (the autopilot is the default).
    void set_policy(CountryId country, std::unique_ptr<Policy> policy);
    const Policy* policy(CountryId country) const;
    Policy* policy(CountryId country);

    // Plays one turn and records it.
    const TurnRecord& step();
    bool finished() const { return state_.turn >= turn_limit_; }
    // A facilitator's live inject: applied at the start of the next turn, like a scheduled event
    // (its turn is set to that turn). Recorded in injects() so a replay can repeat it.
    void inject(ScheduledEvent event);
    const std::vector<ScheduledEvent>& injects() const { return injects_; }
    // Limits the game to `turns` turns (from the scenario's start), 1..kMaxTurns; before the
    // first turn (a length chosen for a run or a class).
    void set_turn_limit(int turns);
    int turn_limit() const { return turn_limit_; }
    // Changes the length of a game in play (the window's class length): to no fewer turns than
    // have been played (as many ends the game now; more goes on, also after the game was over)
    // and at most kMaxTurns. Refused when the turns already played would have been measured
    // differently under the new length (with leverage measured every N turns or at the end, the
    // last turn played is measured as the last only if it is), so a replay with the new length
    // in the game file gives the same game. Returns "" or why not.
    std::string change_turn_limit(int turns);

    const Definitions& defs() const { return *defs_; }
    const Scenario& scenario() const { return scenario_; }
    const State& state() const { return state_; }
    const std::vector<TurnRecord>& history() const { return history_; }
    const GameOptions& options() const { return options_; }
    // Whether leverage is measured after turn `turn` (0-based) under the options and turn limit.
    bool leverage_due(int turn) const;
    // Recorded measurements (a loaded game file, docs/game-file.md): a turn whose leverage is due
    // and recorded here takes it instead of measuring (same result, none of the cost).
    void set_recorded_leverage(std::map<int, LeverageReport> recorded) { recorded_leverage_ = std::move(recorded); }

private:
    Scenario scenario_;
    std::shared_ptr<const Definitions> defs_;
    State state_;
    GameOptions options_;
    PerCountry<std::unique_ptr<Policy>> policies_;
    std::vector<TurnRecord> history_;
    std::vector<GameEvent> carried_;       // last turn's events after its policy phase, for on_event
    std::unique_ptr<WorkerPool> pool_;     // made at the first measurement
    LeverageReport latest_leverage_;       // the latest measurement (scores between measurements)
    std::vector<ScheduledEvent> injects_;  // every live inject so far, with the turn it applied to
    int turn_limit_ = 0;
    std::map<int, LeverageReport> recorded_leverage_;  // by turn (empty: always measured)
};

}  // namespace chokepoint
