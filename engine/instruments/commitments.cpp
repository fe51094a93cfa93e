#include "engine/instruments/commitments.hpp"
#include "engine/world/names.hpp"

#include <fmt/format.h>

namespace chokepoint {

namespace {

int strictness(Regime r) { return static_cast<int>(r); }

}  // namespace

RouteCommitment route_commitment(const State& s, CountryId exporter, GoodId g, CountryId dest) {
    RouteCommitment rc;
    for (const auto& a : s.agreements) {
        if (a.status != AgreementStatus::Active) continue;
        for (size_t i = 0; i < a.clauses.size(); ++i) {
            const Clause& c = a.clauses[i];
            if (c.from != exporter || c.to != dest || c.good != g || s.turn > a.progress[i].last_turn) continue;
            Regime keep;
            switch (c.kind) {
                case ClauseKind::Supply: keep = Regime::Licensed; break;  // ships under a license at least
                case ClauseKind::LicenseFacilitation: keep = Regime::Licensed; break;
                case ClauseKind::RegimeChange: keep = c.regime; break;
                default: continue;
            }
            if (!rc.covered || strictness(keep) < strictness(rc.loosest_allowed)) {
                rc.loosest_allowed = keep;
                rc.agreement_id = a.id;
            }
            rc.covered = true;
        }
    }
    return rc;
}

double tariff_commitment(const State& s, CountryId importer, GoodId g, CountryId origin, int* agreement_id) {
    double cap = kUnlimited;
    for (const auto& a : s.agreements) {
        if (a.status != AgreementStatus::Active) continue;
        for (size_t i = 0; i < a.clauses.size(); ++i) {
            const Clause& c = a.clauses[i];
            if (c.kind != ClauseKind::TariffChange || c.from != importer || c.to != origin ||
                s.turn > a.progress[i].last_turn || (c.good && c.good != g))
                continue;
            if (c.rate < cap) {
                cap = c.rate;
                if (agreement_id) *agreement_id = a.id;
            }
        }
    }
    return cap;
}

int license_agreement(const State& s, int license_id) {
    for (const auto& l : s.licenses)
        if (l.id == license_id) return l.agreement_id;
    return 0;
}

bool route_locked(const Definitions& d, const State& s, CountryId exporter, GoodId g, CountryId dest, Regime r) {
    if (!d.negotiation.binding) return false;
    RouteCommitment rc = route_commitment(s, exporter, g, dest);
    return rc.covered && static_cast<int>(r) > static_cast<int>(rc.loosest_allowed);
}

bool tariff_locked(const Definitions& d, const State& s, CountryId importer, GoodId g, CountryId origin, double rate) {
    if (!d.negotiation.binding) return false;
    return rate > tariff_commitment(s, importer, g, origin, nullptr) + 1e-12;
}

std::string agreement_lock(const Definitions& d, const State& s, CountryId self, const Command& command) {
    if (!d.negotiation.binding) return "";
    auto until = [&](int agreement_id) {
        for (const auto& a : s.agreements)
            if (a.id == agreement_id)
                return fmt::format("agreement {} with {} (until {})", a.id, cid(d, a.other(self)), d.date_of_turn(a.end_turn));
        return fmt::format("agreement {}", agreement_id);
    };
    if (const auto* c = std::get_if<SetExportRegime>(&command); c && c->destination && d.has_good(c->good) &&
                                                                   d.has_country(*c->destination)) {
        RouteCommitment rc = route_commitment(s, self, c->good, *c->destination);
        if (rc.covered && static_cast<int>(c->regime) > static_cast<int>(rc.loosest_allowed))
            return fmt::format("{} keeps exports of {} to {} at most {}: withdraw from it first", until(rc.agreement_id),
                               d.goods[c->good].id, cid(d, *c->destination), to_string(rc.loosest_allowed));
    }
    if (const auto* c = std::get_if<SetTariff>(&command); c && c->origin && d.has_good(c->good) &&
                                                          d.has_country(*c->origin)) {
        int id = 0;
        double cap = tariff_commitment(s, self, c->good, *c->origin, &id);
        if (c->rate > cap + 1e-12)
            return fmt::format("{} caps the tariff on {} from {} at {:.0f}%: withdraw from it first", until(id),
                               d.goods[c->good].id, cid(d, *c->origin), cap * 100);
    }
    if (const auto* c = std::get_if<RevokeLicense>(&command)) {
        int id = license_agreement(s, c->license_id);
        for (const auto& a : s.agreements)
            if (id && a.id == id && a.status == AgreementStatus::Active)
                return fmt::format("license {} was granted under {}: withdraw from it first", c->license_id, until(id));
    }
    return "";
}

}  // namespace chokepoint
