#include "engine/sim/long_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/instruments/investment.hpp"
#include "engine/metrics/indicators.hpp"
#include "engine/world/rng.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

namespace {

// A new entrant's conversion cost: the capacity-weighted mean of producers', 20% higher.
double entrant_unit_cost(const Definitions& d, const State& s, GoodId g) {
    double cap = 0.0, sum = 0.0, highest = 0.0;
    for (CountryId c : d.country_ids()) {
        const auto& cs = s.countries[c];
        if (cs.capacity[g] > 0 && cs.unit_cost[g] > 0) {
            cap += cs.capacity[g];
            sum += cs.capacity[g] * cs.unit_cost[g];
            highest = std::max(highest, cs.unit_cost[g]);
        }
    }
    if (cap <= 0) return d.goods[g].reference_price * 0.5;
    return 1.2 * sum / cap;
}
}  // namespace

void advance_projects(const Definitions& d, State& s, EventList& log) {
    Rng rng(s.rng_state);
    for (auto& p : s.projects) {
        const auto& pp = d.process[static_cast<int>(d.goods[p.good].process)];
        if (!p.online) {
            int planned = std::max(1, p.online_turn - p.delays - p.start_turn);
            double slice = std::min(p.capex - p.capex_paid, p.capex / planned);
            if (slice > 0) {
                if (p.private_firms) {
                    s.countries[p.host].economy_cash -= slice;
                    s.last.cash(p.host, CashFlow::PrivateCapex) -= slice;
                } else {
                    // A partnership splits the capex between the owner and the host government.
                    double owner_part = p.host == p.owner ? slice : slice * p.owner_capex_share;
                    s.countries[p.owner].treasury -= owner_part;
                    s.last.cash(p.owner, CashFlow::Capex) -= owner_part;
                    if (slice - owner_part > 0) {
                        s.countries[p.host].treasury -= slice - owner_part;
                        s.last.cash(p.host, CashFlow::Capex) -= slice - owner_part;
                    }
                }
                s.outside += slice;
                p.capex_paid += slice;
            }
            if (rng.chance(pp.delay_probability)) {
                ++p.online_turn;
                ++p.delays;
                log.note(s.turn, "project_delayed", p.owner, p.host, [&] {
                    return EventText{
                        fmt::format("project {} ({:.0f} t/yr of {} in {}) slips to {}", p.id, p.tonnes_per_year,
                                    gid(d, p.good), cid(d, p.host), d.date_of_turn(p.online_turn)),
                        {{"project", p.id}, {"online_turn", p.online_turn}}};
                });
                continue;
            }
            if (s.turn + 1 >= p.online_turn) {
                p.online = true;
                p.ramp_level = pp.ramp_start;
                auto& host = s.countries[p.host];
                if (host.unit_cost[p.good] <= 0) host.unit_cost[p.good] = entrant_unit_cost(d, s, p.good);
                host.capacity[p.good] += p.tonnes_per_year * p.ramp_level;
                // Built at the end of this turn: its first output is the next turn's.
                log.note(s.turn, "project_online", p.owner, p.host, [&] {
                    return EventText{
                        fmt::format("{:.0f} t/yr of {} comes online in {}, producing from {} (ramping from {:.0f}%)",
                                    p.tonnes_per_year, gid(d, p.good), cid(d, p.host), d.date_of_turn(s.turn + 1),
                                    p.ramp_level * 100),
                        {{"project", p.id},
                         {"good", gid(d, p.good)},
                         {"tonnes_per_year", p.tonnes_per_year},
                         {"first_output_turn", s.turn + 1}}};
                });
            }
        } else if (p.ramp_level < 1.0) {
            double next = std::min(1.0, p.ramp_level + (1.0 - pp.ramp_start) / std::max(1, pp.ramp_turns));
            s.countries[p.host].capacity[p.good] += p.tonnes_per_year * (next - p.ramp_level);
            p.ramp_level = next;
        }
    }
}

void private_investment(const Definitions& d, State& s, EventList& log) {
    const MarketParams& mp = d.market;
    for (GoodId g : d.good_ids()) {
        const Good& good = d.goods[g];
        const auto& pp = d.process[static_cast<int>(good.process)];
        double world = 0.0;
        for (CountryId c : d.country_ids()) world += annual_use(d, s, c, g);
        double size = std::floor(mp.private_invest_share_per_year * world / d.turns_per_year());
        if (size < 1) continue;
        CountryId best = kNoCountry;
        double best_ratio = mp.private_invest_threshold;
        for (CountryId c : d.country_ids()) {
            const auto& cs = s.countries[c];
            bool can = good.process == Process::Mining ? cs.reserves[g] > 0 : cs.capacity[g] > 0;
            if (!can) continue;
            bool pending = std::any_of(s.projects.begin(), s.projects.end(), [&](const Project& p) {
                return p.private_firms && p.host == c && p.good == g && !p.online;
            });
            if (pending) continue;
            double unit = cs.unit_cost[g] > 0 ? cs.unit_cost[g] : entrant_unit_cost(d, s, g);
            double inputs = 0.0;
            for (const auto& in : good.recipe) inputs += in.tonnes_per_tonne * s.smoothed_price(c, in.good);
            // Capital recovered over ~8 years at ~10%: an annual charge of ~0.19 of capex.
            double full = unit + inputs + 0.19 * pp.capex_per_tpy * (1.0 + d.countries[c].env_weight * 0.25);
            // A price floor guarantees producers at least the floor on home sales (docs/model.md §Firms).
            double ratio = std::max(s.smoothed_price(c, g), cs.price_floor[g]) / full;
            if (ratio > best_ratio) {
                best_ratio = ratio;
                best = c;
            }
        }
        if (best == kNoCountry) continue;
        auto& p = start_project(d, s, best, best, g, size, 0.0, true, pp.lead_turns);
        log.note(s.turn, "investment", best, best, [&] {
            return EventText{
                fmt::format("firms in {} start {:.0f} t/yr of {} capacity (prices {:.1f}× full cost; online {})",
                            cid(d, best), size, gid(d, g), best_ratio, d.date_of_turn(p.online_turn)),
                {{"project", p.id},
                 {"good", gid(d, g)},
                 {"tonnes_per_year", size},
                 {"private", true},
                 {"online_turn", p.online_turn}}};
        });
    }
}

void long_run_responses(const Definitions& d, State& s, const MarketOutcome& out) {
    const MarketParams& mp = d.market;
    const double tpy = d.turns_per_year();
    for (CountryId c : d.country_ids()) {
        auto& cs = s.countries[c];
        for (GoodId g : d.good_ids()) {
            double& sp = s.smoothed_price(c, g);
            double p = out.price(c, g);
            if (std::isfinite(p) && p > 0) sp = mp.price_smoothing * p + (1 - mp.price_smoothing) * sp;
            // Thrift and substitution set in while prices stay high, and fade slowly.
            double ratio = sp / d.goods[g].reference_price;
            double& th = cs.thrift[g];
            if (ratio > mp.thrift_threshold)
                th += mp.thrift_rate_per_year / tpy * std::min(1.0, (ratio - mp.thrift_threshold) / mp.thrift_threshold);
            else
                th -= mp.thrift_recovery_per_year / tpy;
            th = std::clamp(th, 0.0, 0.6);
        }
        for (SectorId k : d.sector_ids())
            cs.sector_demand[k] *= std::pow(1.0 + d.sectors[k].growth, 1.0 / tpy);
    }
}
}  // namespace chokepoint
