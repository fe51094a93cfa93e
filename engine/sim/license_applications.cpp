#include "engine/sim/license_applications.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>

#include "engine/commands/dispatch.hpp"
#include "engine/instruments/licensing.hpp"
#include "engine/metrics/indicators.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

namespace {
constexpr double kApplicationMargin = 1.15;  // license requests over expected need
}  // namespace

void file_license_applications(const Definitions& d, State& s, EventList& log) {
    const int C = d.country_count();
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
                if (a == b || s.rule(a, g, b).regime != Regime::Licensed) continue;
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
                if (kApplicationMargin * need < d.per_turn_amount(0.5)) continue;  // 0.5 t a quarter
                // Review timing: an application filed now is decidable in turn + timing.turns (for the
                // rest of that turn); firms look `lead` turns ahead, the first turn a new licence
                // would be in force for a whole turn, so renewals are filed before coverage ends.
                const double days = s.turn == 0 ? 0.0 : review_days(d, s, a, b, g);
                const ReviewTiming timing = review_timing(d, days);
                const int decidable = s.turn + timing.turns, ready = s.turn + timing.lead;
                double covered = 0.0, covered_at_decision = 0.0;
                // A partial approval settles what was asked for the licence's validity: firms do not
                // re-apply for the part refused until it ends (rationing holds; denials are re-applied).
                // Unless the exporter eased since: when its scripted rule for the route would now
                // approve more of that request than the licence got, the refused part is asked again
                // at once (the 2025 pattern: after the June London framework, approvals of pending and
                // new applications sped up within weeks, not at the old licences' expiry).
                const ApprovalPolicy* rule = find_approval_policy(s, a, g, b);
                const auto eased = [&](const License& l) {
                    return rule && rule->scripted && l.requested > l.tonnes_per_turn &&
                           d.round_down_to_licence_step(l.requested * rule->share) > l.tonnes_per_turn;
                };
                // How long firms expect a licence on this route to run: the scripted rule's validity,
                // else that of the latest licence granted, else long enough. A `mode: policy` rule
                // keeps only its review time: its validity_turns is a default the exporter's
                // policy does not use.
                const bool rule_decides = rule && rule->scripted;
                int span = rule_decides ? rule->validity_turns : 0, latest = -1;
                for (const auto& l : s.licenses)
                    if (l.exporter == a && l.importer == b && l.good == g && !l.revoked) {
                        const double asked = eased(l) ? l.tonnes_per_turn : std::max(l.tonnes_per_turn, l.requested);
                        if (l.first_turn <= ready && l.last_turn >= ready) covered += asked;
                        if (l.first_turn <= decidable && l.last_turn >= decidable) covered_at_decision += asked;
                        if (!rule_decides && l.first_turn >= latest) latest = l.first_turn, span = l.last_turn - l.first_turn + 1;
                    }
                // A pending application covers the turns its licence is expected to run. With licences
                // valid one quarter and a review within the quarter, the one pending now ends before
                // `ready`: its renewal must be filed now, to start when it ends (the second
                // historical review: counted as covering `ready`, it left every quarter's licence
                // starting mid-quarter, and exports 27-40 % short at full approval).
                for (const auto& app : s.applications)
                    if (app.exporter == a && app.importer == b && app.good == g &&
                        app.status == ApplicationStatus::Pending) {
                        const int last = span > 0 ? std::max(app.start_turn, app.decidable_turn) + span - 1 : INT_MAX;
                        if (app.start_turn <= ready && last >= ready) covered += app.tonnes_per_turn;
                        if (app.start_turn <= decidable && last >= decidable) covered_at_decision += app.tonnes_per_turn;
                    }
                if (covered >= need) continue;
                // Firms ask for a margin above their expected need: approvals may come in below requests.
                double gap = kApplicationMargin * need - covered;
                double defense = defense_share(d, s, b);
                // A renewal starts when the coverage it replaces ends; new volume as soon as it can.
                const int start = covered_at_decision >= need ? ready : decidable;
                const auto file = [&](int start_turn) {
                    for (EndUse use : {EndUse::Civilian, EndUse::Defense}) {
                        double t = d.round_down_to_licence_step(use == EndUse::Defense ? gap * defense : gap * (1 - defense));
                        if (t < d.licence_step()) continue;
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
                        app.start_turn = start_turn;
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
                };
                file(start);
                // New volume whose licence is expected to end before `ready` (licences valid a
                // quarter, reviewed within it) is renewed in the same filing, to start as it ends:
                // otherwise next turn's application is new volume again, its licence starts
                // mid-turn, and every quarter loses half its supply at full approval.
                if (start == decidable && span > 0 && decidable + span - 1 < ready) file(ready);
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
        double t = d.round_down_to_licence_step(app.tonnes_per_turn * p->share);
        if ((app.end_use == EndUse::Defense && p->deny_defense) || t < d.licence_step()) {
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
}  // namespace chokepoint
