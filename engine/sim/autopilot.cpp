#include "engine/sim/autopilot.hpp"

#include <algorithm>
#include <cmath>

#include "engine/instruments/licensing.hpp"
#include "engine/metrics/indicators.hpp"

namespace chokepoint {

namespace {

// A forecast gain this close to zero is noise: the autopilot takes such a deal.
constexpr double kIndifference = 0.001;

// Unmet share of demand below which the autopilot sees no defense shortfall (rounding noise).
constexpr double kDefenseShortfall = 0.005;

bool sells(const Proposal& p, CountryId c) {
    for (const auto& cl : p.clauses)
        if (cl.kind == ClauseKind::Supply && cl.from == c) return true;
    return false;
}
}  // namespace

// Accepts what the forecast says leaves it better off, from countries it trusts
// enough; rejects the rest, saying why. It makes no proposals of its own.
void AutopilotPolicy::on_proposal(PolicyContext& ctx, const Proposal& p) {
    Respond answer;
    answer.proposal_id = p.id;
    Forecast f;
    if (ctx.me().trust[p.from] < 0.25) {
        answer.note = "we do not trust you enough";
    } else if (auto r = ctx.forecast(p, 0, f); !r.ok) {
        answer.note = "no time to study it this turn";
    } else if (!f.feasible) {
        answer.note = f.reason;
    } else if (f.breach_by == ctx.country()) {
        answer.note = "we could not keep it: " + f.breach_reason;  // e.g. our own regime stops the shipments
    } else if (f.gain >= -kIndifference) {
        answer.answer = AnswerKind::Accept;
    } else if (p.counter_to == 0 && sells(p, ctx.country())) {
        // A seller haggles once: the same terms at a higher price.
        answer.answer = AnswerKind::Counter;
        answer.clauses = p.clauses;
        for (auto& c : answer.clauses)
            if (c.kind == ClauseKind::Supply && c.from == ctx.country()) c.price = std::round(c.price * 1.15);
        answer.note = "at a better price";
    } else {
        answer.note = "it does not pay for us";
    }
    if (!ctx.issue(answer).ok && answer.answer != AnswerKind::Reject) {
        answer.answer = AnswerKind::Reject;
        answer.clauses.clear();
        ctx.issue(answer);
    }
}

// Approves a share of what is asked, refuses defense end use where the
// country's parameters say so, and refuses countries it distrusts deeply.
void AutopilotPolicy::on_license_request(PolicyContext& ctx, const LicenseApplication& app) {
    const auto& p = ctx.defs().countries[ctx.country()].autopilot;
    DecideLicense decision;
    decision.application_id = app.id;
    bool distrust = ctx.me().trust[app.importer] < 0.15;
    // Inside counterfactuals the country decides as it has recently decided such applications
    // (its recorded practice; its parameters where it decided none yet).
    double share = p.license_approval_share;
    bool deny_defense = p.deny_defense_end_use;
    if (use_practice) {
        double fallback = (app.end_use == EndUse::Defense && deny_defense) || distrust ? 0.0 : share;
        share = practice_share(ctx.state(), app, fallback);
        deny_defense = false;
        distrust = false;
    }
    const Definitions& d = ctx.defs();
    double tonnes = d.round_down_to_licence_step(app.tonnes_per_turn * share);
    if ((app.end_use == EndUse::Defense && deny_defense) || distrust || share <= 0 || tonnes < d.licence_step()) {
        decision.decision = LicenseDecisionKind::Deny;
    } else {
        decision.decision = LicenseDecisionKind::Approve;
        decision.tonnes_per_turn = std::min(tonnes, app.tonnes_per_turn);
        decision.validity_turns = p.license_validity_turns;
        decision.civilian_only = p.civilian_only_clause;
    }
    ctx.issue(decision);
}

void AutopilotPolicy::on_turn(PolicyContext& ctx) {
    const Definitions& d = ctx.defs();
    const State& s = ctx.state();
    const CountryId me = ctx.country();
    const auto& cs = ctx.me();
    const auto& p = d.countries[me].autopilot;
    const double tpy = d.turns_per_year();

    for (GoodId g : d.good_ids()) {
        const Good& good = d.goods[g];
        double use_per_turn = annual_use(d, s, me, g) / tpy;
        double price = s.last.price.cells.empty() ? good.reference_price : s.last.price(me, g);

        // Strategic stockpile: buy toward the target while prices are normal; release in a squeeze.
        double target = cs.stockpile_target_months[g] * annual_use(d, s, me, g) / 12.0;
        double held = cs.stockpile[g];
        // Last turn's shortfall of the good at home: its sectors' unmet demand, and for an input
        // (Dy/Tb oxide has no sector of its own) what the makers of goods made from it lacked.
        const double unmet = home_shortfall(d, s, me, g);
        bool squeeze = price > p.stockpile_release_above * good.reference_price || unmet > 0.05 * use_per_turn;
        if (squeeze && held >= 1.0) {
            double amount = std::floor(std::min(held, std::max(unmet, 0.25 * use_per_turn)));
            if (amount >= 1.0) ctx.issue(StockpileRelease{g, amount, 0.0});
        } else if (target > held + 0.5 && price < p.stockpile_buy_below * good.reference_price) {
            double amount = std::floor(std::min(target - held, 0.5 * use_per_turn + 1.0));
            double limit = p.stockpile_buy_below * good.reference_price;
            if (amount >= 1 && amount * limit < 0.5 * cs.treasury) ctx.issue(StockpileBuy{g, amount, limit});
        }

        // Defense priority: rate defense orders when last turn's defense demand went partly unmet;
        // lift the rating once the good's whole demand at home was met last turn.
        if (p.defense_priority && !s.last.demand.cells.empty()) {
            double def_demand = 0.0, def_unmet = 0.0, all_demand = 0.0, all_unmet = 0.0;
            for (SectorId k : d.sector_ids()) {
                if (d.sectors[k].good != g) continue;
                double dem = s.last.demand(me, k), miss = std::max(0.0, dem - s.last.met(me, k));
                all_demand += dem;
                all_unmet += miss;
                if (d.sectors[k].defense) {
                    def_demand += dem;
                    def_unmet += miss;
                }
            }
            const bool on = !cs.defense_priority.empty() && cs.defense_priority[g] != 0;
            if (!on && def_demand > 0 && def_unmet > kDefenseShortfall * def_demand)
                ctx.issue(SetDefensePriority{g, true});
            else if (on && all_unmet <= kDefenseShortfall * all_demand)
                ctx.issue(SetDefensePriority{g, false});
        }

        // Reshoring: build separation or magnet capacity when too much is imported.
        if (good.process != Process::Mining && p.invest_tonnes_per_year > 0 &&
            import_share(s, me, g) > p.invest_import_share) {
            bool pending = std::any_of(s.projects.begin(), s.projects.end(), [&](const Project& pr) {
                return pr.owner == me && pr.good == g && !pr.online && !pr.private_firms;
            });
            if (!pending) ctx.issue(StartProject{std::nullopt, g, p.invest_tonnes_per_year, 0.0});  // at home
        }
    }
}

}  // namespace chokepoint
