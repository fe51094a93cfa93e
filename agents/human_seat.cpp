#include "agents/human_seat.hpp"

#include <fmt/format.h>

#include <optional>

#include "engine/sim/turn.hpp"  // event_concerns

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

// The advisor's suggestions on the context's observation (it has heard the turn's news): its answers
// to proposals and applications and its on_turn, on a scratch queue and a muted log.
SeatRequest HumanSeat::advise(const PolicyContext& ctx) {
    SeatRequest req;
    req.seat = ctx.country();
    req.turn = ctx.state().turn;
    req.observation = ctx.state();
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
    return req;
}

void HumanSeat::before_decisions(const PolicyContext& ctx, const TurnNews& news) {
    seat_ = ctx.country();
    prepared_.reset();
    if (!person_plays(ctx, SeatPhase::Decisions)) return;
    const CountryId c = ctx.country();
    const int turn = ctx.state().turn;
    Prepared p;
    p.turn = turn;
    // The seat's output so far this turn, so that the per-turn cap on a policy's output counts as
    // it would in the loop (PolicyContext::admit_output).
    if (news.log)
        for (size_t i = 0; i < news.log->size(); ++i) {
            const GameEvent& e = (*news.log)[i];
            if (e.country == c && e.turn == turn &&
                (e.type == "policy_log" || e.type == "command_refused" || e.type == "policy_output_suppressed")) {
                p.log.push_back(e);
                p.kept_at.push_back(i);
            }
        }
    {
        PolicyContext heard(ctx.defs(), ctx.state(), c, p.issued, p.log);
        heard.set_forecast_budget(ctx.forecast_budget());
        if (news.carried)
            for (const GameEvent& e : *news.carried)
                if (event_concerns(e, c)) advisor_->on_event(heard, e);
        if (news.log)
            for (size_t i = 0; i < news.end; ++i)
                if (event_concerns((*news.log)[i], c)) advisor_->on_event(heard, (*news.log)[i]);
    }
    p.request = advise(ctx);
    desk_.advise(p.request);
    prepared_ = std::move(p);
}

void HumanSeat::on_event(PolicyContext& ctx, const GameEvent& e) {
    seat_ = ctx.country();
    if (prepared_ && prepared_->turn == ctx.state().turn) return;  // heard in before_decisions
    advisor_->on_event(ctx, e);
}

void HumanSeat::on_turn(PolicyContext& ctx) {
    if (!person_plays(ctx, SeatPhase::Decisions)) {
        advisor_->on_turn(ctx);
        return;
    }
    SeatRequest req;
    if (prepared_ && prepared_->turn == ctx.state().turn) {
        // What the advisor issued and logged on hearing the news goes in here, where the loop's
        // deliveries would have put it.
        Prepared p = std::move(*prepared_);
        prepared_.reset();
        EventList& log = ctx.events();
        for (size_t j = 0; j < p.kept_at.size(); ++j) log.at(p.kept_at[j]) = p.log[j];  // a suppression count
        for (size_t j = p.kept_at.size(); j < p.log.size(); ++j) log.push_back(p.log[j]);
        for (const auto& c : p.issued) ctx.issue(c.command);
        req = std::move(p.request);
    } else {
        req = advise(ctx);
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
