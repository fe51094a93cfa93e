// A country played by a person (a "human seat"), for the view's role-play.
// In the negotiation phase it is asked each round (SeatDesk::talk) for its proposals and answers,
// which go out with the round like a policy's. Its on_turn waits until the person's decisions
// arrive through a SeatDesk (the view), then issues them like any policy — validated, queued,
// applied with everyone else's. License requests and proposals addressed to the seat stay
// pending for the person to decide in the same batch (DecideLicense, Respond).
// An advisor — the country's Lua policy or the autopilot — is asked on a
// scratch queue each turn; its choice is shown as a suggestion and it plays
// the seat when the desk hands the seat back (nullopt).
// Whether a person plays the seat is asked once per phase of a turn (SeatDesk::plays): a seat
// handed over in the middle of a phase changes hands at the next, so a saved game replays it.
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

// A seat's turn to speak in a negotiation round (docs/model.md §Negotiation).
struct TalkRequest {
    CountryId seat = kNoCountry;
    int turn = 0;
    int round = 0, rounds = 0;  // the round (0-based) of the turn's `rounds`
    State observation;          // as the round began: what was answered and proposed before it
};

// What a seat says in a round: proposals, answers and withdrawals (any other command is refused
// when issued), and whether it is done talking for the turn (it is asked again only when a
// proposal reaches it).
struct TalkAnswer {
    std::vector<Command> commands;
    bool done = false;
};

// The two phases of a turn in which a person may play a seat.
enum class SeatPhase { Talks, Decisions };

// Where decisions come from: the view implements it (blocking until "End turn").
class SeatDesk {
public:
    virtual ~SeatDesk() = default;
    // Whether a person plays the seat now (seats can be handed over live).
    virtual bool is_human(CountryId seat) const = 0;
    // Whether a person plays the seat in this phase of `turn`: asked once per phase and turn, the
    // answer holds for the phase. The default is is_human() now.
    virtual bool plays(CountryId seat, int /*turn*/, SeatPhase /*phase*/) { return is_human(seat); }
    // The seat's advisor's suggestions for `request.turn`, as soon as the policy phase begins and
    // before the game asks any seat (so a team can decide before its turn comes; await follows with
    // the same request). Must not block.
    virtual void advise(const SeatRequest& /*request*/) {}
    // Blocks until the seat's decisions are in; nullopt hands the seat to the advisor for this turn.
    virtual std::optional<std::vector<Command>> await(const SeatRequest& request) = 0;
    // Blocks until the seat has spoken in the round; nullopt: it says nothing more this turn (no
    // negotiation phase for people, the phase's time is up, or the seat was handed back).
    virtual std::optional<TalkAnswer> talk(const TalkRequest&) { return std::nullopt; }
};

// Whether a command may be said in a negotiation round (propose, respond, withdraw).
bool is_talk_command(const Command& c);

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
    // For a person in the negotiation phase: asks the desk for the round's proposals and answers.
    bool on_round(PolicyContext& ctx, bool heard_new) override;
    // For a person, the advisor hears the turn's news in before_decisions; the policy loop's
    // deliveries of the same news are then skipped.
    void on_event(PolicyContext& ctx, const GameEvent& e) override;
    // For a person: the advisor hears the news and makes its suggestions now, before any seat
    // decides, and the desk is told them (SeatDesk::advise). What the advisor logs or issues while
    // hearing the news is held and goes into the turn at the seat's place in the policy loop, as
    // it did when the news was heard there.
    void before_decisions(const PolicyContext& ctx, const TurnNews& news) override;
    nlohmann::json stats() const override { return advisor_->stats(); }
    std::optional<Script> script() const override { return advisor_->script(); }
    Policy& advisor() { return *advisor_; }
    std::string advisor_name() const { return advisor_->name(); }

private:
    // Whether a person plays the seat in `phase` of the context's turn (asked once, then kept).
    bool person_plays(const PolicyContext& ctx, SeatPhase phase);
    // The advisor's suggestions on `ctx`'s observation, on a scratch queue (nothing reaches the game).
    SeatRequest advise(const PolicyContext& ctx);

    SeatDesk& desk_;
    std::unique_ptr<Policy> advisor_;
    CountryId seat_ = kNoCountry;  // known from the first callback
    struct Latch {
        int turn = -1;
        bool person = false;
    };
    Latch talks_, decisions_;
    int talks_closed_turn_ = -1;  // the turn in which the seat said it was done talking
    // A person's turn prepared in before_decisions: the request with the advice, and what the
    // advisor issued and logged while hearing the news (events past `kept` in `log`; the first
    // `kept` are copies of the seat's earlier output this turn, at `kept_at` in the turn's log).
    struct Prepared {
        int turn = -1;
        SeatRequest request;
        std::vector<IssuedCommand> issued;
        EventList log;
        std::vector<size_t> kept_at;
    };
    std::optional<Prepared> prepared_;
};

}  // namespace chokepoint
