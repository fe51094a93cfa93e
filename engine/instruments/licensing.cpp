#include "engine/instruments/licensing.hpp"

#include <algorithm>
#include <cmath>

namespace chokepoint {

const ApprovalPolicy* find_approval_policy(const State& s, CountryId exporter, GoodId good, CountryId destination) {
    const ApprovalPolicy* all = nullptr;
    for (const auto& p : s.approval_policies) {
        if (p.exporter != exporter || p.good != good) continue;
        if (p.destination == destination) return &p;
        if (p.destination < 0) all = &p;
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

}  // namespace chokepoint
