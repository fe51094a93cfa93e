#include "engine/instruments/licensing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/instruments/checks.hpp"

namespace chokepoint {

const ApprovalPolicy* find_approval_policy(const State& s, CountryId exporter, GoodId good, CountryId destination) {
    const ApprovalPolicy* all = nullptr;
    for (const auto& p : s.approval_policies) {
        if (p.exporter != exporter || p.good != good) continue;
        if (p.destination == destination) return &p;
        if (!p.destination) all = &p;
    }
    return all;
}

double review_days(const Definitions& d, const State& s, CountryId exporter, CountryId importer, GoodId g) {
    const LicensingParams& l = d.licensing;
    double days = l.processing_turns >= 0 ? l.processing_turns * d.turn_days() : l.review_days;
    if (const ApprovalPolicy* p = find_approval_policy(s, exporter, g, importer); p && p->review_days >= 0)
        days = p->review_days;
    for (const auto& a : s.agreements)
        if (a.status == AgreementStatus::Active)
            for (size_t i = 0; i < a.clauses.size(); ++i) {
                const Clause& c = a.clauses[i];
                if (c.kind == ClauseKind::LicenseFacilitation && c.from == exporter && c.to == importer && c.good == g &&
                    s.turn <= a.progress[i].last_turn)
                    days = std::min(days, c.max_delay * d.turn_days());
            }
    return std::max(0.0, days);
}

ReviewTiming review_timing(const Definitions& d, double days) {
    constexpr double kEps = 1e-9;
    double x = std::max(0.0, days) / d.turn_days();
    double whole = std::floor(x + kEps);  // a review of exactly n turns ends at the start of turn n
    double frac = std::max(0.0, x - whole);
    if (frac < kEps) frac = 0.0;
    ReviewTiming t;
    t.turns = static_cast<int>(whole);
    t.first_share = 1.0 - frac;
    t.lead = t.turns + (frac > 0 ? 1 : 0);
    return t;
}

namespace {
LicensePractice* find_practice(State& s, const LicenseApplication& app) {
    for (auto& p : s.license_practice)
        if (p.exporter == app.exporter && p.importer == app.importer && p.good == app.good) return &p;
    return nullptr;
}
}  // namespace

void record_practice(const Definitions& d, State& s, const LicenseApplication& app, double approved_share) {
    LicensePractice* p = find_practice(s, app);
    if (!p) {
        LicensePractice fresh;
        fresh.exporter = app.exporter;
        fresh.importer = app.importer;
        fresh.good = app.good;
        s.license_practice.push_back(fresh);
        p = &s.license_practice.back();
    }
    double& v = app.end_use == EndUse::Defense ? p->defense : p->civilian;
    const double w = d.licensing.practice_weight;
    v = v < 0 ? approved_share : w * approved_share + (1 - w) * v;
}

double practice_share(const State& s, const LicenseApplication& app, double fallback) {
    for (const auto& p : s.license_practice)
        if (p.exporter == app.exporter && p.importer == app.importer && p.good == app.good) {
            double v = app.end_use == EndUse::Defense ? p.defense : p.civilian;
            return v < 0 ? fallback : v;
        }
    return fallback;
}

License& grant_license(State& s, CountryId exporter, CountryId importer, GoodId good, double tonnes_per_turn,
                       int first_turn, int last_turn, bool civilian_only) {
    License l;
    l.id = s.next_id++;
    l.exporter = exporter;
    l.importer = importer;
    l.good = good;
    l.tonnes_per_turn = tonnes_per_turn;
    l.first_turn = first_turn;
    l.last_turn = last_turn;
    l.civilian_only = civilian_only;
    s.licenses.push_back(l);
    return s.licenses.back();
}

CommandResult CommandTraits<DecideLicense>::validate(const Definitions& d, const State& s, CountryId self,
                                                     const DecideLicense& c) {
    auto it = std::find_if(s.applications.begin(), s.applications.end(),
                           [&](const LicenseApplication& a) { return a.id == c.application_id; });
    if (it == s.applications.end())
        return CommandResult::refuse(fmt::format("no license application {}", c.application_id));
    if (it->exporter != self)
        return CommandResult::refuse(fmt::format("application {} is addressed to {}, not to you", c.application_id,
                                                 country_name(d, it->exporter)));
    if (it->status != ApplicationStatus::Pending)
        return CommandResult::refuse(
            fmt::format("application {} is already {}", c.application_id, to_string(it->status)));
    if (c.decision == LicenseDecisionKind::Defer) return CommandResult::success();
    if (s.turn < it->decidable_turn)
        return CommandResult::refuse(
            fmt::format("application {} is still being processed until turn {}", c.application_id, it->decidable_turn));
    if (c.decision == LicenseDecisionKind::Approve) {
        if (!std::isfinite(c.tonnes_per_turn))
            return CommandResult::refuse("licensed volume must be a finite number of tonnes");
        if (c.tonnes_per_turn > it->tonnes_per_turn + 1e-9)
            return CommandResult::refuse(
                fmt::format("cannot license more than the {:.1f} t/turn applied for", it->tonnes_per_turn));
        if (c.validity_turns < 1 || c.validity_turns > 400)
            return CommandResult::refuse(fmt::format("validity must be 1..400 turns, got {}", c.validity_turns));
    }
    return CommandResult::success();
}

void CommandTraits<DecideLicense>::apply(const Definitions& d, State& s, CountryId self, const DecideLicense& c,
                                         EventList& log) {
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    auto& app = *std::find_if(s.applications.begin(), s.applications.end(),
                              [&](const LicenseApplication& a) { return a.id == c.application_id; });
    if (c.decision == LicenseDecisionKind::Defer) return;
    app.decided_turn = s.turn;
    nlohmann::json data = {{"application", app.id},
                           {"good", gid(app.good)},
                           {"importer", d.countries[app.importer].id},
                           {"end_use", to_string(app.end_use)},
                           {"requested_t", app.tonnes_per_turn},
                           {"waited_turns", s.turn - app.filed_turn}};
    if (c.scripted) data["scripted"] = true;
    if (c.decision == LicenseDecisionKind::Deny) {
        app.status = ApplicationStatus::Denied;
        record_practice(d, s, app, 0.0);
        data["decision"] = "denied";
        log.note(s.turn, "license_decision", self, app.importer, [&] {
            return EventText{
                fmt::format("{}{} denies {}'s application for {} t/turn of {} ({})", who,
                            c.scripted ? " (scripted)" : "", d.countries[app.importer].id,
                            tonnes_text(app.tonnes_per_turn), gid(app.good), to_string(app.end_use)),
                data};
        });
        return;
    }
    app.status = ApplicationStatus::Approved;
    // A renewal starts when the coverage it replaces ends; a licence approved in the turn
    // its review ends serves only the rest of that turn (docs/model.md §Licensing).
    const int first = std::max(s.turn, app.start_turn);
    License& l =
        grant_license(s, self, app.importer, app.good, c.tonnes_per_turn < 0 ? app.tonnes_per_turn : c.tonnes_per_turn,
                      first, first + c.validity_turns - 1, c.civilian_only);
    l.application_id = app.id;
    l.first_turn_share = first == app.decidable_turn ? app.first_turn_share : 1.0;
    l.scripted = c.scripted;
    l.requested = app.tonnes_per_turn;
    record_practice(d, s, app, app.tonnes_per_turn > 0 ? l.tonnes_per_turn / app.tonnes_per_turn : 1.0);
    data["decision"] = "approved";
    data["license"] = l.id;
    data["approved_t"] = l.tonnes_per_turn;
    data["valid_turns"] = c.validity_turns;
    data["first_turn"] = l.first_turn;
    data["last_turn"] = l.last_turn;
    data["first_turn_share"] = l.first_turn_share;
    data["civilian_only"] = l.civilian_only;
    log.note(s.turn, "license_decision", self, app.importer, [&] {
        return EventText{
            fmt::format("{}{} approves {} of {} t/turn of {} for {}, valid {} turns from {}{}{}", who,
                        c.scripted ? " (scripted)" : "", tonnes_text(l.tonnes_per_turn), tonnes_text(app.tonnes_per_turn),
                        gid(app.good),
                        d.countries[app.importer].id, c.validity_turns,
                        d.date_of_turn(l.first_turn),
                        l.first_turn_share < 1 ? fmt::format(", {:.0f}% of the first", l.first_turn_share * 100) : "",
                        l.civilian_only ? ", civilian use only" : ""),
            data};
    });
}

CommandResult CommandTraits<RevokeLicense>::validate(const Definitions&, const State& s, CountryId self,
                                                     const RevokeLicense& c) {
    auto it =
        std::find_if(s.licenses.begin(), s.licenses.end(), [&](const License& l) { return l.id == c.license_id; });
    if (it == s.licenses.end()) return CommandResult::refuse(fmt::format("no license {}", c.license_id));
    if (it->exporter != self)
        return CommandResult::refuse(fmt::format("license {} was not issued by you", c.license_id));
    if (it->revoked) return CommandResult::refuse(fmt::format("license {} is already revoked", c.license_id));
    return CommandResult::success();
}

void CommandTraits<RevokeLicense>::apply(const Definitions& d, State& s, CountryId self, const RevokeLicense& c,
                                         EventList& log) {
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    auto& l =
        *std::find_if(s.licenses.begin(), s.licenses.end(), [&](const License& x) { return x.id == c.license_id; });
    l.revoked = true;
    log.note(s.turn, "license_revoked", self, l.importer, [&] {
        return EventText{fmt::format("{} revokes license {} ({} to {})", who, l.id, gid(l.good),
                                     d.countries[l.importer].id),
                         {{"license", l.id}, {"good", gid(l.good)}}};
    });
}

std::string CommandTraits<DecideLicense>::describe(const Definitions&, const DecideLicense& c) {
    const char* what = c.decision == LicenseDecisionKind::Approve ? "approve"
                       : c.decision == LicenseDecisionKind::Deny  ? "deny"
                                                                  : "defer";
    std::string out = fmt::format("{} application {}", what, c.application_id);
    if (c.decision == LicenseDecisionKind::Approve) {
        if (c.tonnes_per_turn >= 0) out += fmt::format(": {:.1f} t/turn", c.tonnes_per_turn);
        out += fmt::format(" for {} turns{}", c.validity_turns, c.civilian_only ? ", civilian only" : "");
    }
    return out;
}

std::string CommandTraits<RevokeLicense>::describe(const Definitions&, const RevokeLicense& c) {
    return fmt::format("revoke license {}", c.license_id);
}

}  // namespace chokepoint
