#include "engine/sim/turn.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/commands/dispatch.hpp"
#include "engine/diplomacy/agreements.hpp"
#include "engine/diplomacy/clauses.hpp"
#include "engine/diplomacy/negotiation.hpp"
#include "engine/instruments/investment.hpp"
#include "engine/instruments/licensing.hpp"
#include "engine/markets/accounting.hpp"
#include "engine/metrics/indicators.hpp"
#include "engine/sim/autopilot.hpp"
#include "engine/sim/negotiation_round.hpp"
#include "engine/sim/license_applications.hpp"
#include "engine/sim/long_run.hpp"
#include "engine/sim/world_events.hpp"
#include "engine/world/rng.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

bool event_concerns(const GameEvent& e, CountryId c) {
    static const char* const kPublic[] = {"scripted", "shock", "regime_change", "export_duty", "tariff_change",
                                          "quota_change", "investment", "project_online", "project_delayed",
                                          "license_revoked", "agreement", "agreement_withdrawal",
                                          "agreement_breach", "agreement_ended", "end_use_violation",
                                          "reexport_violation"};
    if (e.country == c || e.target == c || e.country == kNoCountry) return true;
    for (const char* t : kPublic)
        if (e.type == t) return true;
    return false;
}

size_t decide_turn(const Definitions& d, State& s, const std::vector<ScheduledEvent>& events,
                   const PerCountry<Policy*>& policies, const TurnOptions& options, EventList& log,
                   const std::vector<GameEvent>* carried) {
    const int C = d.country_count();
    s.stockpile_orders.clear();
    std::erase_if(s.shocks, [&](const CapacityShock& k) { return k.until_turn < s.turn; });

    // 1. Events.
    if (options.scheduled_events)
        for (const auto& e : events)
            if (e.turn == s.turn) apply_scheduled_event(d, s, e, log);
    if (options.random_shocks) random_shocks(d, s, log);

    AutopilotPolicy fallback;
    fallback.use_practice = options.counterfactual;
    PerCountry<Policy*> seat(C);
    std::vector<IssuedCommand> queue;
    for (CountryId c : d.country_ids()) {
        seat[c] = c.index() < policies.size() && policies[c] ? policies[c] : &fallback;
        if (!seat[c]->initialised) {
            PolicyContext ctx(d, s, c, queue, log);
            seat[c]->initialised = true;
            seat[c]->init(ctx);
        }
    }

    // 2. Negotiation: rounds of proposals and answers (engine/diplomacy).
    PerCountry<int> forecasts_left(C, options.negotiation ? d.negotiation.forecasts_per_turn : 0);
    if (options.negotiation && d.negotiation.enabled) negotiate(d, s, seat, forecasts_left, log);

    // 3. Policy. Firms abroad file license applications first, so that exporters see them
    // (relationships are seeded first: applications look at them).
    if (s.established.empty()) seed_relationships(d, s);
    file_license_applications(d, s, log);
    decide_scripted_applications(d, s, log);
    const size_t news_end = log.size();  // what happened this turn before the policies act
    {
        std::vector<IssuedCommand> none;
        const TurnNews news{carried, &log, news_end};
        for (CountryId c : d.country_ids()) {
            PolicyContext ctx(d, s, c, none, log);
            ctx.set_forecast_budget(&forecasts_left);
            seat[c]->before_decisions(ctx, news);
        }
    }
    for (CountryId c : d.country_ids()) {
        Policy* policy = seat[c];
        PolicyContext ctx(d, s, c, queue, log);
        ctx.set_forecast_budget(&forecasts_left);
        if (carried)
            for (const GameEvent& e : *carried)
                if (event_concerns(e, c)) policy->on_event(ctx, e);
        for (size_t i = 0; i < news_end; ++i)
            if (event_concerns(log[i], c)) policy->on_event(ctx, log[i]);
        for (const auto& app : s.applications)
            if (app.exporter == c && app.status == ApplicationStatus::Pending && s.turn >= app.decidable_turn &&
                !scripted_rule(s, app))
                policy->on_license_request(ctx, app);
        policy->on_turn(ctx);
    }
    for (const auto& cmd : queue) {
        CommandResult r = apply_command(d, s, cmd.country, cmd.command, log);
        if (!r.ok)
            log.note(s.turn, "command_refused", cmd.country, kNoCountry, [&] {
                return EventText{fmt::format("{}: {} refused when applied: {}", cid(d, cmd.country),
                                             command_name(cmd.command), r.message),
                                 {{"command", command_name(cmd.command)}, {"reason", r.message}}};
            });
    }
    return news_end;
}

void finish_turn(const Definitions& d, State& s, const TurnOptions& options, EventList& log) {
    MarketOutcome out;
    reset_outcome(d, out);

    // 4. Supply chain, stage by stage (goods are listed in stage order).
    if (s.established.empty()) seed_relationships(d, s);
    for (GoodId g : d.good_ids()) {
        move_loans(d, s, g, out, log);
        ship_project_offtake(d, s, g, options.cut, out);
        ship_contracts(d, s, g, options.cut, out);
        clear_good_market(d, s, g, options.cut, out);
    }
    if (options.markets_only) {
        s.last = std::move(out);
        return;
    }

    // 5. Accounting: storage of strategic stockpiles, agreements settled; shortages.
    charge_storage(d, s, out);
    settle_agreements(d, s, out, log);
    report_shortages(d, s, out, log);
    s.stockpile_orders.clear();

    // 6. Time.
    s.last = std::move(out);
    update_relationships(d, s);
    advance_projects(d, s, log);
    private_investment(d, s, log);
    long_run_responses(d, s, s.last);
    ++s.turn;
}

size_t play_turn(const Definitions& d, State& s, const std::vector<ScheduledEvent>& events,
                 const PerCountry<Policy*>& policies, const TurnOptions& options, EventList& log,
                 const std::vector<GameEvent>* carried) {
    const size_t news_end = decide_turn(d, s, events, policies, options, log, carried);
    finish_turn(d, s, options, log);
    return news_end;
}

}  // namespace chokepoint
