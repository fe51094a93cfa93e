// A country played by a person (a "human seat"), for the view's role-play.
// Its on_turn waits until the person's decisions arrive through a SeatDesk (the
// view), then issues them like any policy — validated, queued, applied with
// everyone else's. License requests and proposals addressed to the seat stay
// pending for the person to decide in the same batch (DecideLicense, Respond).
// An advisor — the country's Lua policy or the autopilot — is asked on a
// scratch queue each turn; its choice is shown as a suggestion and it plays
// the seat when the desk hands the seat back (nullopt).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/commands/dispatch.hpp"  // describe_command, for the advice lines
#include "engine/sim/policy.hpp"

namespace chokepoint {

// What a seat is asked to decide on.
struct SeatRequest {
    CountryId seat = kNoCountry;
    int turn = 0;
    State observation;                 // the state the seat decides on (mid-turn: after negotiation)
    std::vector<Command> advice;       // the advisor's commands for this turn
    std::vector<std::string> advice_text;  // one readable line per command
};

// Where decisions come from: the view implements it (blocking until "End turn").
class SeatDesk {
public:
    virtual ~SeatDesk() = default;
    // Whether a person plays the seat now (seats can be handed over live).
    virtual bool is_human(CountryId seat) const = 0;
    // Blocks until the seat's decisions are in; nullopt hands the seat to the advisor for this turn.
    virtual std::optional<std::vector<Command>> await(const SeatRequest& request) = 0;
};

// Installed for every country in a view session: while the desk says the seat is not human,
// every callback goes to the advisor, so seats can change hands between turns.
class HumanSeat final : public Policy {
public:
    HumanSeat(SeatDesk& desk, std::unique_ptr<Policy> advisor, CountryId seat);
    std::string name() const override {
        return desk_.is_human(seat_) ? "human (advisor: " + advisor_->name() + ")" : advisor_->name();
    }
    void init(PolicyContext& ctx) override;
    void on_turn(PolicyContext& ctx) override;
    // For a person: left pending, decided in the turn's batch. Otherwise the advisor answers.
    void on_license_request(PolicyContext& ctx, const LicenseApplication& app) override;
    void on_proposal(PolicyContext& ctx, const Proposal& p) override;
    void on_event(PolicyContext& ctx, const GameEvent& e) override {
        seat_ = ctx.country();
        advisor_->on_event(ctx, e);
    }
    nlohmann::json stats() const override { return advisor_->stats(); }
    std::optional<Script> script() const override { return advisor_->script(); }
    Policy& advisor() { return *advisor_; }
    std::string advisor_name() const { return advisor_->name(); }

private:
    SeatDesk& desk_;
    std::unique_ptr<Policy> advisor_;
    CountryId seat_ = kNoCountry;  // known from the first callback
};

}  // namespace chokepoint
