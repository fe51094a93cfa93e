#include "engine/sim/world_events.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/diplomacy/agreements.hpp"
#include "engine/diplomacy/clauses.hpp"
#include "engine/diplomacy/negotiation.hpp"
#include "engine/instruments/investment.hpp"
#include "engine/instruments/licensing.hpp"
#include "engine/world/rng.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

namespace {

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
        case EventKind::PriceFloor:
            return e.value > 0 ? fmt::format("{} guarantees its {} producers ${:.0f}/kg (price floor)", cid(d, e.country),
                                             good, e.value / 1000)
                               : fmt::format("{} lifts its price floor on {}", cid(d, e.country), good);
        case EventKind::LicensingRules: {
            std::vector<std::string> parts;
            if (e.rules.content_rule)
                parts.push_back(*e.rules.content_rule ? "content rule in force" : "content rule suspended");
            if (e.rules.content_threshold)
                parts.push_back(fmt::format("content threshold {:g} % of value", *e.rules.content_threshold * 100));
            if (e.rules.reexport_control)
                parts.push_back(*e.rules.reexport_control ? "re-export control in force" : "re-export control lifted");
            std::string text = "licensing rules:";
            for (size_t i = 0; i < parts.size(); ++i) text += (i ? ", " : " ") + parts[i];
            return text;
        }
        default: return fmt::format("scripted event: {}", to_string(e.kind));
    }
}
}  // namespace

namespace {

// Random shocks draw from their own stream, one number per (seed, turn, shock, country, good),
// not from the state's generator: whether a mine fails in a turn does not depend on how many draws
// policies, agreements or projects made before, so two variants of a scenario with the same seed
// see the same outages (common random numbers, for what-if comparisons; docs/model.md §Random shocks).
double shock_draw(const Definitions& d, int turn, size_t shock, CountryId c, GoodId g) {
    std::uint64_t x = d.seed;
    for (const std::uint64_t part : {std::uint64_t{0x73686f636bULL}, static_cast<std::uint64_t>(turn),
                                     static_cast<std::uint64_t>(shock), static_cast<std::uint64_t>(c.value()),
                                     static_cast<std::uint64_t>(g.value())}) {
        std::uint64_t mix = x ^ part;
        x = splitmix64(mix);
    }
    return static_cast<double>(x >> 11) * 0x1.0p-53;
}

}  // namespace

void random_shocks(const Definitions& d, State& s, EventList& log) {
    for (size_t i = 0; i < d.random_shocks.size(); ++i)
        for (CountryId c : d.country_ids())
            for (GoodId g : d.good_ids()) {
                const auto& shock = d.random_shocks[i];
                if (d.goods[g].process != shock.process || s.countries[c].capacity[g] <= 0) continue;
                if (!(shock_draw(d, s.turn, i, c, g) < shock.probability)) continue;
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

namespace {

// An ApprovalPolicy event: the exporter's rule for applications for `good` (scripted decisions
// or a review time). A rule for every destination replaces the per-destination ones for that good.
void set_approval_policy(const Definitions& d, State& s, const ScheduledEvent& e, GoodId good, nlohmann::json& data) {
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
}

// A GeneralLicense event: a licence granted to each target for `good`, with no application.
void grant_general_license(const Definitions& d, State& s, const ScheduledEvent& e, GoodId good, nlohmann::json& data) {
    for (CountryId b : d.country_ids()) {
        if (b == e.country || (e.target != kNoCountry && e.target != b)) continue;
        License& l = grant_license(s, e.country, b, good, e.value, s.turn, s.turn + std::max(1, e.turns) - 1,
                                   e.approval.civilian_only);
        l.scripted = true;
        data["license"] = l.id;
    }
    data["tonnes_per_turn"] = e.value;
    data["validity_turns"] = e.turns;
}

// An Agreement event: as if proposed and accepted now, checked like a proposal at that moment; a
// deal that cannot be fulfilled now (a seller short of supply, say) fails with the reason.
void impose_agreement(const Definitions& d, State& s, const ScheduledEvent& e, nlohmann::json& data, EventList& log) {
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
        return;
    }
    s.proposals.push_back(p);
    Agreement& a = start_agreement(d, s, s.proposals.back(), log);
    data["agreement"] = a.id;
}

}  // namespace

void apply_scheduled_event(const Definitions& d, State& s, const ScheduledEvent& e, EventList& log) {
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
        case EventKind::Regime: targets([&](CountryId b) { s.rule(e.country, good, b).regime = e.regime; }); break;
        case EventKind::ExportDuty: targets([&](CountryId b) { s.rule(e.country, good, b).duty = e.value; }); break;
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
            // A release (negative tonnes) hands the stockpile's tonnes to the country's own firms,
            // whose stocks then serve its sectors (a JOGMEC or EU reserve released on a date); it
            // used to remove them from the world, buffering nothing (the second historical
            // review). Tonnes added come from outside the modelled economies.
            CountryState& cs = s.countries[e.country];
            double& sp = cs.stockpile[good];
            if (e.value < 0) {
                const double released = std::min(sp, -e.value);
                sp -= released;
                cs.stock[good] += released;
                data["released"] = released;
            } else {
                sp += e.value;
            }
            break;
        }
        case EventKind::ApprovalPolicy: set_approval_policy(d, s, e, good, data); break;
        case EventKind::Tariff:
            for (CountryId o : d.country_ids())
                if (o != e.country && (e.target == kNoCountry || e.target == o)) s.tariff_on(e.country, good, o) = e.value;
            data["rate"] = e.value;
            break;
        case EventKind::GeneralLicense: grant_general_license(d, s, e, good, data); break;
        case EventKind::Agreement: impose_agreement(d, s, e, data, log); break;
        case EventKind::PriceFloor:
            // A dated floor (the July 2025 US–MP Materials deal: USD 110/kg NdPr oxide for ten
            // years), as the country's own set_price_floor: the treasury tops its producers' home
            // sales up to it, and private investment sees it (docs/model.md §Instruments).
            s.countries[e.country].price_floor[good] = e.value;
            data["usd_per_kg"] = e.value / 1000;
            break;
        case EventKind::LicensingRules: {
            // China's October 2025 content rule (MOFCOM announcement No. 61) and its suspension
            // in November: the rules in force change from this turn on (docs/model.md §Origin
            // and re-export control); material already controlled stays so.
            OriginRules r = origin_rules(d, s);
            if (e.rules.reexport_control) r.reexport_control = *e.rules.reexport_control;
            if (e.rules.content_rule) r.content_rule = *e.rules.content_rule;
            if (e.rules.content_threshold) r.content_threshold = *e.rules.content_threshold;
            s.origin_rules_set = r;
            data["reexport_control"] = r.reexport_control;
            data["content_rule"] = r.content_rule;
            data["content_threshold"] = r.content_threshold;
            break;
        }
    }
    std::string text = e.text.empty() ? default_event_text(d, e) : e.text;
    log.note(s.turn, "scripted", e.country, e.target, [&] { return EventText{text, data}; });
}
}  // namespace chokepoint
