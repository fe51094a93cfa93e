#include "agents/human_seat.hpp"

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

void HumanSeat::on_license_request(PolicyContext& ctx, const LicenseApplication& app) {
    if (!desk_.is_human(ctx.country())) advisor_->on_license_request(ctx, app);
}

void HumanSeat::on_proposal(PolicyContext& ctx, const Proposal& p) {
    if (!desk_.is_human(ctx.country())) advisor_->on_proposal(ctx, p);
}

void HumanSeat::on_turn(PolicyContext& ctx) {
    if (!desk_.is_human(ctx.country())) {
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
