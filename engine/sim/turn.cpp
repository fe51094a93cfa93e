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
#include "engine/metrics/indicators.hpp"
#include "engine/sim/autopilot.hpp"
#include "engine/sim/negotiation_round.hpp"
#include "engine/world/rng.hpp"

namespace chokepoint {

namespace {


constexpr double kApplicationMargin = 1.15;  // license requests over expected need

const std::string& cid(const Definitions& d, CountryId c) { return d.countries[c].id; }
const std::string& gid(const Definitions& d, GoodId g) { return d.goods[g].id; }

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

// ---- Licensing: firms abroad apply for what they expect to need --------------------------------

void file_license_applications(const Definitions& d, State& s, EventList& log) {
    const int C = d.country_count(), G = d.good_count();
    const double tpy = d.turns_per_year();
    // Pending applications lapse.
    for (auto& app : s.applications) {
        if (app.status == ApplicationStatus::Pending && s.turn - app.filed_turn >= d.licensing.expiry_turns) {
            app.status = ApplicationStatus::Expired;
            log.note(s.turn, "license_expired", app.exporter, app.importer, [&] {
                return EventText{fmt::format("{}'s application {} for {} from {} lapsed undecided",
                                             cid(d, app.importer), app.id, gid(d, app.good), cid(d, app.exporter)),
                                 {{"application", app.id}, {"good", gid(d, app.good)}}};
            });
        }
    }
    for (GoodId g : d.good_ids()) {
        // Importers expect to buy from each supplier in proportion to what it can spare: its
        // capacity beyond its own use (Japan's magnet plants serve Japan; China's serve the world).
        PerCountry<double> cap(C), spare(C);
        double world_spare = 0.0;
        for (CountryId c : d.country_ids()) {
            cap[c] = effective_capacity(d, s, c, g);
            spare[c] = std::max(0.0, cap[c] - annual_use(d, s, c, g));
            world_spare += spare[c];
        }
        for (CountryId a : d.country_ids()) {
            if (cap[a] <= 0 && s.countries[a].stock[g] <= 0) continue;
            for (CountryId b : d.country_ids()) {
                if (a == b || s.rule(a, g, b, G).regime != Regime::Licensed) continue;
                double net = std::max(0.0, (annual_use(d, s, b, g) - cap[b]) / tpy);
                double others = world_spare - spare[b];
                double share = others > 0 ? spare[a] / others : 0.0;
                // What the firms expect to need from a: their import gap times a's share of the
                // capacity others can spare, and at least what they bought last turn and the
                // established relationship (it remembers the volume through a refusal, decaying
                // slowly), so that supply comes back when approvals resume and full approval
                // never leaves them short.
                double need = net * share;
                if (!s.last.flows.empty()) need = std::max(need, s.last.flows[g](a, b));
                if (!s.established.empty()) need = std::max(need, s.established[g](a, b));
                if (kApplicationMargin * need < 0.5) continue;
                // Review timing: an application filed now is decidable in turn + timing.turns (for the
                // rest of that turn); firms look `lead` turns ahead, the first turn a new licence
                // would be in force for a whole turn, so renewals are filed before coverage ends.
                const double days = s.turn == 0 ? 0.0 : review_days(d, s, a, b, g);
                const ReviewTiming timing = review_timing(d, days);
                const int decidable = s.turn + timing.turns, ready = s.turn + timing.lead;
                double covered = 0.0, covered_at_decision = 0.0;
                // A partial approval settles what was asked for the licence's validity: firms do not
                // re-apply for the part refused until it ends (rationing holds; denials are re-applied).
                for (const auto& l : s.licenses)
                    if (l.exporter == a && l.importer == b && l.good == g && !l.revoked) {
                        const double asked = std::max(l.tonnes_per_turn, l.requested);
                        if (l.first_turn <= ready && l.last_turn >= ready) covered += asked;
                        if (l.first_turn <= decidable && l.last_turn >= decidable) covered_at_decision += asked;
                    }
                for (const auto& app : s.applications)
                    if (app.exporter == a && app.importer == b && app.good == g &&
                        app.status == ApplicationStatus::Pending)
                        covered += app.tonnes_per_turn;
                if (covered >= need) continue;
                // Firms ask for a margin above their expected need: approvals may come in below requests.
                double gap = kApplicationMargin * need - covered;
                double defense = defense_share(d, s, b);
                for (EndUse use : {EndUse::Civilian, EndUse::Defense}) {
                    double t = std::floor((use == EndUse::Defense ? gap * defense : gap * (1 - defense)) * 10) / 10;
                    if (t < 0.1) continue;
                    LicenseApplication app;
                    app.id = s.next_id++;
                    app.exporter = a;
                    app.importer = b;
                    app.good = g;
                    app.tonnes_per_turn = t;
                    app.end_use = use;
                    app.filed_turn = s.turn;
                    // Applications of the first turn stand for those already in the queue when the
                    // scenario starts: their processing time has passed.
                    app.review_days = days;
                    app.decidable_turn = decidable;
                    app.first_turn_share = timing.first_share;
                    // A renewal starts when the coverage it replaces ends; new volume as soon as it can.
                    app.start_turn = covered_at_decision >= need ? ready : decidable;
                    s.applications.push_back(app);
                    log.note(s.turn, "license_application", b, a, [&] {
                        return EventText{fmt::format("firms in {} apply to {} for {:.1f} t/turn of {} ({})", cid(d, b),
                                                     cid(d, a), t, gid(d, g), to_string(use)),
                                         {{"application", app.id},
                                          {"good", gid(d, g)},
                                          {"tonnes_per_turn", t},
                                          {"end_use", to_string(use)},
                                          {"decidable_turn", app.decidable_turn},
                                          {"review_days", days},
                                          {"start_turn", app.start_turn}}};
                    });
                }
            }
        }
    }
}

// The scripted approval rule deciding this application, if any.
const ApprovalPolicy* scripted_rule(const State& s, const LicenseApplication& app) {
    const ApprovalPolicy* p = find_approval_policy(s, app.exporter, app.good, app.importer);
    return p && p->scripted ? p : nullptr;
}

// Scripted approval rules decide the matching applications once decidable (the exporter's policy
// is not asked), as ordinary decide_license commands marked scripted.
void decide_scripted_applications(const Definitions& d, State& s, EventList& log) {
    std::vector<std::pair<CountryId, DecideLicense>> decisions;
    for (const auto& app : s.applications) {
        if (app.status != ApplicationStatus::Pending || s.turn < app.decidable_turn) continue;
        const ApprovalPolicy* p = scripted_rule(s, app);
        if (!p) continue;
        DecideLicense c;
        c.application_id = app.id;
        c.scripted = true;
        double t = std::floor(app.tonnes_per_turn * p->share * 10) / 10;
        if ((app.end_use == EndUse::Defense && p->deny_defense) || t < 0.1) {
            c.decision = LicenseDecisionKind::Deny;
        } else {
            c.decision = LicenseDecisionKind::Approve;
            c.tonnes_per_turn = std::min(t, app.tonnes_per_turn);
            c.validity_turns = p->validity_turns;
            c.civilian_only = p->civilian_only;
        }
        decisions.emplace_back(app.exporter, c);
    }
    for (const auto& [exporter, c] : decisions) {
        CommandResult r = apply_command(d, s, exporter, c, log);
        if (!r.ok)
            log.note(s.turn, "command_refused", exporter, kNoCountry, [&, exporter = exporter] {
                return EventText{fmt::format("{}: scripted license decision refused: {}", cid(d, exporter), r.message),
                                 {{"command", "decide_license"}, {"reason", r.message}}};
            });
    }
}

// ---- Time: projects, private investment, thrift, demand growth, expectations --------------------

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
                    s.last.cash(p.host, static_cast<int>(CashFlow::PrivateCapex)) -= slice;
                } else {
                    // A partnership splits the capex between the owner and the host government.
                    double owner_part = p.host == p.owner ? slice : slice * p.owner_capex_share;
                    s.countries[p.owner].treasury -= owner_part;
                    s.last.cash(p.owner, static_cast<int>(CashFlow::Capex)) -= owner_part;
                    if (slice - owner_part > 0) {
                        s.countries[p.host].treasury -= slice - owner_part;
                        s.last.cash(p.host, static_cast<int>(CashFlow::Capex)) -= slice - owner_part;
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
                log.note(s.turn, "project_online", p.owner, p.host, [&] {
                    return EventText{
                        fmt::format("{:.0f} t/yr of {} comes online in {} (ramping from {:.0f}%)", p.tonnes_per_year,
                                    gid(d, p.good), cid(d, p.host), p.ramp_level * 100),
                        {{"project", p.id}, {"good", gid(d, p.good)}, {"tonnes_per_year", p.tonnes_per_year}}};
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

void report_shortages(const Definitions& d, const State& s, const MarketOutcome& out, EventList& log) {
    for (CountryId c : d.country_ids())
        for (SectorId k : d.sector_ids()) {
            double demand = out.demand(c, k);
            if (demand <= 0) continue;
            double unmet = (demand - out.met(c, k)) / demand;
            if (unmet < 0.10) continue;
            log.note(s.turn, "shortage", c, kNoCountry, [&] {
                return EventText{
                    fmt::format("{}: {:.0f}% of {} demand unmet", cid(d, c), unmet * 100, d.sectors[k].id),
                    {{"sector", d.sectors[k].id}, {"unmet_share", unmet}, {"unmet_t", demand - out.met(c, k)}}};
            });
        }
}

void random_shocks(const Definitions& d, State& s, EventList& log) {
    Rng rng(s.rng_state);
    for (const auto& shock : d.random_shocks)
        for (CountryId c : d.country_ids())
            for (GoodId g : d.good_ids()) {
                if (d.goods[g].process != shock.process || s.countries[c].capacity[g] <= 0) continue;
                if (!rng.chance(shock.probability)) continue;
                s.shocks.push_back({c, g, shock.capacity_factor, s.turn + shock.turns - 1});
                log.note(s.turn, "shock", c, kNoCountry, [&] {
                    return EventText{fmt::format("{} in {}: {} capacity at {:.0f}% for {} turn(s)", shock.id, cid(d, c),
                                                 gid(d, g), shock.capacity_factor * 100, shock.turns),
                                     {{"shock", shock.id},
                                      {"good", gid(d, g)},
                                      {"factor", shock.capacity_factor},
                                      {"turns", shock.turns}}};
                });
            }
}

// What a scripted event without its own text says in the log: what it did, in a line.
std::string default_event_text(const Definitions& d, const ScheduledEvent& e) {
    const std::string to = e.target == kNoCountry ? std::string("all") : cid(d, e.target);
    const std::string good = e.good ? gid(d, *e.good) : std::string("all");
    switch (e.kind) {
        case EventKind::ApprovalPolicy:
            return e.approval.scripted
                       ? fmt::format("{} approves {:.0f}% of applications for {} to {} (scripted rule)", cid(d, e.country),
                                     e.approval.share * 100, good, to)
                       : fmt::format("{}'s policy decides applications for {} to {} again", cid(d, e.country),
                                     good, to);
        case EventKind::Tariff:
            return fmt::format("{} sets its tariff on {} from {} to {:.0f}%", cid(d, e.country), good, to,
                               e.value * 100);
        case EventKind::GeneralLicense:
            return fmt::format("{} grants {} a general licence for {:.0f} t/turn of {}", cid(d, e.country), to, e.value,
                               good);
        default: return fmt::format("scripted event: {}", to_string(e.kind));
    }
}

}  // namespace

void apply_scheduled_event(const Definitions& d, State& s, const ScheduledEvent& e, EventList& log) {
    const int G = d.good_count();
    nlohmann::json data = {{"kind", to_string(e.kind)}};
    if (e.country != kNoCountry) data["country"] = cid(d, e.country);
    if (e.good) data["good"] = gid(d, *e.good);
    // The loader requires a good for every kind below that uses one.
    const GoodId good = e.good.value_or(GoodId{});
    auto targets = [&](auto f) {
        for (CountryId b : d.country_ids())
            if (b != e.country && (e.target == kNoCountry || e.target == b)) f(b);
    };
    switch (e.kind) {
        case EventKind::News: break;
        case EventKind::Regime: targets([&](CountryId b) { s.rule(e.country, good, b, G).regime = e.regime; }); break;
        case EventKind::ExportDuty: targets([&](CountryId b) { s.rule(e.country, good, b, G).duty = e.value; }); break;
        case EventKind::ExportQuota:
            s.countries[e.country].export_quota[good] = e.value < 0 ? kUnlimited : e.value / d.turns_per_year();
            break;
        case EventKind::ProductionQuota:
            s.countries[e.country].production_quota[good] =
                e.value < 0 ? kUnlimited : e.value / d.turns_per_year();
            break;
        case EventKind::Capacity:
            if (e.turns <= 0)
                s.countries[e.country].capacity[good] *= e.factor;
            else
                s.shocks.push_back({e.country, good, e.factor, s.turn + e.turns - 1});
            break;
        case EventKind::Demand:
            for (CountryId c : d.country_ids())
                if (e.country == kNoCountry || e.country == c) s.countries[c].sector_demand[e.sector] *= e.factor;
            break;
        case EventKind::Reserves: s.countries[e.country].reserves[good] += e.value; break;
        case EventKind::Project: {
            const CountryId owner = e.target == kNoCountry ? e.country : e.target;
            auto& p = start_project(d, s, owner, e.country, good, e.value, e.factor, false, e.turns);
            data["project"] = p.id;
            data["online_turn"] = p.online_turn;
            break;
        }
        case EventKind::Trust: {
            double& t = s.countries[e.country].trust[e.target];
            t = std::clamp(t + e.value, 0.0, 1.0);
            break;
        }
        case EventKind::Stockpile: {
            double& sp = s.countries[e.country].stockpile[good];
            sp = std::max(0.0, sp + e.value);
            break;
        }
        case EventKind::ApprovalPolicy: {
            // A rule for every destination replaces the per-destination ones for that good.
            auto& rules = s.approval_policies;
            std::erase_if(rules, [&](const ApprovalPolicy& p) {
                return p.exporter == e.country && p.good == good && (e.target == kNoCountry || p.destination == e.target);
            });
            ApprovalPolicy p = e.approval;
            p.exporter = e.country;
            p.good = good;
            p.destination = e.target == kNoCountry ? std::nullopt : std::optional<CountryId>(e.target);
            if (p.scripted || p.review_days >= 0) rules.push_back(p);
            data["target"] = e.target == kNoCountry ? std::string("all") : cid(d, e.target);
            data["mode"] = p.scripted ? "scripted" : "policy";
            if (p.scripted) {
                data["share"] = p.share;
                data["deny_defense"] = p.deny_defense;
                data["civilian_only"] = p.civilian_only;
                data["validity_turns"] = p.validity_turns;
            }
            if (p.review_days >= 0) data["review_days"] = p.review_days;
            break;
        }
        case EventKind::Tariff:
            for (CountryId o : d.country_ids())
                if (o != e.country && (e.target == kNoCountry || e.target == o)) s.tariff_on(e.country, good, o, G) = e.value;
            data["rate"] = e.value;
            break;
        case EventKind::GeneralLicense:
            targets([&](CountryId b) {
                License& l = grant_license(s, e.country, b, good, e.value, s.turn, s.turn + std::max(1, e.turns) - 1,
                                           e.approval.civilian_only);
                l.scripted = true;
                data["license"] = l.id;
            });
            data["tonnes_per_turn"] = e.value;
            data["validity_turns"] = e.turns;
            break;
        case EventKind::Agreement: {
            // As if proposed and accepted now: checked like a proposal at that moment; a deal that
            // cannot be fulfilled now (a seller short of supply, say) fails with the reason.
            Proposal p;
            p.id = s.next_id++;
            p.from = e.country;
            p.to = e.target;
            p.clauses = e.clauses;
            p.turns = e.turns;
            p.note = e.text;
            p.sent_turn = p.deadline_turn = p.answered_turn = s.turn;
            p.presented = true;
            if (std::string why = proposal_problem(d, s, p.from, p.to, p.clauses, p.turns); !why.empty()) {
                p.status = ProposalStatus::Failed;
                p.reason = why;
                s.proposals.push_back(p);
                data["failed"] = why;
                break;
            }
            s.proposals.push_back(p);
            Agreement& a = start_agreement(d, s, s.proposals.back(), log);
            data["agreement"] = a.id;
            break;
        }
    }
    std::string text = e.text.empty() ? default_event_text(d, e) : e.text;
    log.note(s.turn, "scripted", e.country, e.target, [&] { return EventText{text, data}; });
}

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

    // 5. Accounting: storage of strategic stockpiles; shortages.
    for (CountryId c : d.country_ids()) {
        auto& cs = s.countries[c];
        double storage = 0.0;
        for (GoodId g : d.good_ids())
            storage += cs.stockpile[g] * d.goods[g].reference_price * d.market.stockpile_storage_rate /
                       d.turns_per_year();
        cs.treasury -= storage;
        s.outside += storage;
        out.cash(c, static_cast<int>(CashFlow::StorageCost)) -= storage;
    }
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
