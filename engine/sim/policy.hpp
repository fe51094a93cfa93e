// The interface every country policy implements — the C++ autopilot here,
// Lua scripts in agents/, a human seat in the view. A policy reads the turn's
// observation and issues commands through its PolicyContext; it never touches
// the world. Every country decides on the same observation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/sim/forecast.hpp"
#include "engine/instruments/commands.hpp"
#include "engine/world/event_log.hpp"
#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

class PolicyContext {
public:
    PolicyContext(const Definitions& defs, const State& observation, CountryId country,
                  std::vector<IssuedCommand>& queue, EventList& log)
        : defs_(defs), state_(observation), country_(country), queue_(queue), log_(log) {}

    const Definitions& defs() const { return defs_; }
    const State& state() const { return state_; }
    CountryId country() const { return country_; }
    const CountryState& me() const { return state_.countries[country_]; }

    // Validates against the observation and queues the command; a refusal
    // is returned (and logged) and nothing is queued.
    CommandResult issue(const Command& command);
    void log(const std::string& text);
    // Records a game event from this country (policy errors, reloads, fallbacks).
    void event(const std::string& type, const std::string& text, nlohmann::json data = nlohmann::json::object());
    EventList& events() { return log_; }
    // For a policy whose callback failed: drop the commands it queued during that callback,
    // so a failed callback changes nothing.
    size_t queued() const { return queue_.size(); }
    // The commands queued in this phase so far (all countries, in the order they will be applied).
    const std::vector<IssuedCommand>& queue() const { return queue_; }
    void discard_queued_from(size_t mark) {
        if (mark < queue_.size()) queue_.resize(mark);
        mine_ = -1;
    }
    int commands_issued() const { return issued_; }
    // Proposals this country may still send this turn: max_proposals_per_turn less those sent and
    // those queued in this phase (each recipient counts; counters do not). The rate limit's count.
    int proposals_left() const;
    int queued_proposals() const;  // recipients of this country's proposals queued, not yet applied

    // The forecast helper (engine/sim/forecast.hpp) within this turn's budget of
    // negotiation.forecasts_per_turn per country; refused with a message when it is spent.
    CommandResult forecast(const Proposal& p, int turns, Forecast& result);
    // Gives this context the turn's forecast budgets (one per country); without one, forecasts are refused.
    void set_forecast_budget(PerCountry<int>* left) { forecasts_left_ = left; }
    PerCountry<int>* forecast_budget() const { return forecasts_left_; }
    int forecasts_left() const { return forecasts_left_ ? (*forecasts_left_)[country_] : 0; }

    // A policy's log lines (print, ctx:log) and refused commands become events; at most this many
    // per country and turn, then one `policy_output_suppressed` event counts the rest.
    static constexpr int kMaxOutputPerTurn = 200;
    // Commands one country may queue in a phase (the policy phase, a negotiation round): ten for
    // each country and good of the scenario, at least 1000. A policy needs at most a few per
    // country and good (a tariff per origin, a licence decision per application); one that calls
    // set_tariff 300,000 times a turn within its instruction budget made 900,000 events in three
    // turns (38 s, 765 MB; the second hostile-inputs review). The rest are refused.
    int max_commands() const;
    static constexpr size_t kMaxLogChars = 2000;  // a longer line is cut

private:
    // Whether one more log line or refusal of this country may become an event this turn.
    bool admit_output();

    const Definitions& defs_;
    const State& state_;
    CountryId country_;
    std::vector<IssuedCommand>& queue_;
    EventList& log_;
    int issued_ = 0;
    int output_ = -1;                 // this country's log lines and refusals this turn (-1: not counted yet)
    int mine_ = -1;                   // this country's commands in the queue (-1: not counted yet)
    size_t suppressed_at_ = SIZE_MAX;  // index of the turn's suppression event, if any
    PerCountry<int>* forecasts_left_ = nullptr;
};

// The news a country's on_event hears in a turn's policy phase, in the order it hears them: last
// turn's events from after its policy phase (`carried`, may be null), then this turn's up to where
// the policies begin (`log[0, end)`); only those that concern the country (event_concerns).
struct TurnNews {
    const std::vector<GameEvent>* carried = nullptr;
    const EventList* log = nullptr;
    size_t end = 0;
};

class Policy {
public:
    virtual ~Policy() = default;
    virtual std::string name() const = 0;
    // Called once, before the country's first turn (play_turn does it).
    virtual void init(PolicyContext&) {}
    bool initialised = false;
    // Cost and health figures for the run summary (e.g. a Lua policy's instruction counts).
    virtual nlohmann::json stats() const { return nlohmann::json::object(); }
    // The script the policy runs now, for the game file's journal of reloads (a `policy_reloaded`
    // event saves it) and of modules; none for policies written in C++.
    struct Script {
        std::string path, text;
        // The modules it has require()d, the text each was last read with (by module name).
        struct Module {
            std::string name, path, text;
        };
        std::vector<Module> modules;
    };
    virtual std::optional<Script> script() const { return std::nullopt; }
    virtual void on_turn(PolicyContext& ctx) = 0;
    virtual void on_license_request(PolicyContext&, const LicenseApplication&) {}
    // A proposal addressed to this country, in a negotiation round. Answer with a Respond
    // command (accept, reject, counter), or leave it pending to answer later before its deadline.
    virtual void on_proposal(PolicyContext&, const Proposal&) {}
    // The country's turn to speak in a negotiation round, after it heard the round's proposals
    // (`heard_new`: on_proposal was called in this round). What it issues goes out with the
    // round. Returns whether it wants another round: rounds go on while one does or a proposal is
    // unheard (up to negotiation.rounds). A seat played by people speaks here (agents/human_seat).
    virtual bool on_round(PolicyContext&, bool /*heard_new*/) { return false; }
    virtual void on_event(PolicyContext&, const GameEvent&) {}
    // Before any country decides in a turn's policy phase, every policy in turn (country order) may
    // look ahead at what it will be asked: the observation is the one its on_turn gets, and `news`
    // what its on_event will hear. Nothing may be issued or logged through `ctx` here (the queue's
    // and the log's order is the policy loop's). A seat played by people uses it to show the team
    // its advisor's suggestions at once, so teams decide at the same time (agents/human_seat).
    virtual void before_decisions(const PolicyContext& /*ctx*/, const TurnNews& /*news*/) {}
};

using PolicyList = std::vector<std::unique_ptr<Policy>>;

}  // namespace chokepoint
