#include "agents/human_seat.hpp"

#include <fmt/format.h>

#include <optional>

namespace chokepoint {

HumanSeat::HumanSeat(SeatDesk& desk, std::unique_ptr<Policy> advisor, CountryId seat)
    : desk_(desk), advisor_(std::move(advisor)), seat_(seat) {}

void HumanSeat::init(PolicyContext& ctx) {
    // The advisor keeps its own bookkeeping (ctx.memory) from the start; what it would do is
    // only advice, so its commands go to a scratch queue.
    std::vector<IssuedCommand> scratch;
    EventList muted;
    muted.muted = true;
    PolicyContext advice(ctx.defs(), ctx.state(), ctx.country(), scratch, muted);
    advisor_->initialised = true;
    advisor_->init(advice);
}

bool is_talk_command(const Command& c) {
    return std::holds_alternative<Propose>(c) || std::holds_alternative<Respond>(c) ||
           std::holds_alternative<Withdraw>(c);
}

bool HumanSeat::person_plays(const PolicyContext& ctx, SeatPhase phase) {
    Latch& latch = phase == SeatPhase::Talks ? talks_ : decisions_;
    if (latch.turn != ctx.state().turn) latch = {ctx.state().turn, desk_.plays(ctx.country(), ctx.state().turn, phase)};
    return latch.person;
}

void HumanSeat::on_license_request(PolicyContext& ctx, const LicenseApplication& app) {
    if (!person_plays(ctx, SeatPhase::Decisions)) advisor_->on_license_request(ctx, app);
}

void HumanSeat::on_proposal(PolicyContext& ctx, const Proposal& p) {
    if (!person_plays(ctx, SeatPhase::Talks)) advisor_->on_proposal(ctx, p);
}

bool HumanSeat::on_round(PolicyContext& ctx, bool heard_new) {
    if (!person_plays(ctx, SeatPhase::Talks)) return false;
    const int turn = ctx.state().turn;
    if (talks_closed_turn_ == turn && !heard_new) return false;
    TalkRequest req;
    req.seat = ctx.country();
    req.turn = turn;
    req.round = ctx.state().negotiation_round;
    req.rounds = ctx.defs().negotiation.rounds;
    req.observation = ctx.state();
    const std::optional<TalkAnswer> said = desk_.talk(req);
    for (const auto& c : said ? said->commands : std::vector<Command>{}) {
        if (is_talk_command(c))
            ctx.issue(c);
        else
            ctx.event("command_refused",
                      fmt::format("{}: {} refused: only proposals, answers and withdrawals are said in a "
                                  "negotiation round",
                                  ctx.defs().countries[ctx.country()].id, command_name(c)),
                      {{"command", command_name(c)}, {"reason", "not a negotiation command"}});
    }
    const bool done = !said || said->done;
    if (done) talks_closed_turn_ = turn;
    return !done;
}

void HumanSeat::on_turn(PolicyContext& ctx) {
    if (!person_plays(ctx, SeatPhase::Decisions)) {
        advisor_->on_turn(ctx);
        return;
    }
    SeatRequest req;
    req.seat = ctx.country();
    req.turn = ctx.state().turn;
    req.observation = ctx.state();
    {
        std::vector<IssuedCommand> scratch;
        EventList muted;
        muted.muted = true;
        PerCountry<int> budget(ctx.defs().countries.size(), ctx.defs().negotiation.forecasts_per_turn);
        PolicyContext advice(ctx.defs(), ctx.state(), ctx.country(), scratch, muted);
        advice.set_forecast_budget(&budget);
        for (const auto& p : ctx.state().proposals)
            if (p.to == ctx.country() && p.status == ProposalStatus::Pending) advisor_->on_proposal(advice, p);
        for (const auto& app : ctx.state().applications)
            if (app.exporter == ctx.country() && app.status == ApplicationStatus::Pending &&
                ctx.state().turn >= app.decidable_turn)
                advisor_->on_license_request(advice, app);
        advisor_->on_turn(advice);
        for (const auto& c : scratch) {
            req.advice.push_back(c.command);
            req.advice_text.push_back(describe_command(ctx.defs(), c.command));
        }
    }
    auto decisions = desk_.await(req);
    if (!decisions) {
        // Handed back: the advisor plays this turn for real.
        for (const auto& c : req.advice) ctx.issue(c);
        return;
    }
    for (const auto& c : *decisions) ctx.issue(c);  // refusals are logged as command_refused
}

}  // namespace chokepoint
