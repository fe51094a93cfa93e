#include "engine/instruments/trade.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/instruments/checks.hpp"
#include "engine/instruments/commitments.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

CommandResult CommandTraits<SetExportRegime>::validate(const Definitions& d, const State&, CountryId self,
                                                       const SetExportRegime& c) {
    if (auto r = check_good(d, c.good); !r.ok) return r;
    return check_partner(d, self, c.destination, "destination");
}

void CommandTraits<SetExportRegime>::apply(const Definitions& d, State& s, CountryId self, const SetExportRegime& c,
                                           EventList& log) {
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    bool changed = false;
    for_destinations(d, self, c.destination, [&](CountryId b) {
        // "all" leaves the routes a binding agreement holds open as they are.
        if (route_locked(d, s, self, c.good, b, c.regime)) return;
        auto& rule = s.rule(self, c.good, b);
        if (rule.regime != c.regime) changed = true;
        rule.regime = c.regime;
    });
    if (changed)
        log.note(s.turn, "regime_change", self, c.destination.value_or(kNoCountry), [&] {
            return EventText{fmt::format("{} sets exports of {} to {}: {}", who, gid(c.good),
                                         country_name(d, c.destination), to_string(c.regime)),
                             {{"good", gid(c.good)},
                              {"destination", country_name(d, c.destination)},
                              {"regime", to_string(c.regime)}}};
        });
}

CommandResult CommandTraits<SetExportDuty>::validate(const Definitions& d, const State&, CountryId self,
                                                     const SetExportDuty& c) {
    if (auto r = check_good(d, c.good); !r.ok) return r;
    if (auto r = check_partner(d, self, c.destination, "destination"); !r.ok) return r;
    return check_finite_range(c.rate, 0.0, 10.0, "duty rate");
}

void CommandTraits<SetExportDuty>::apply(const Definitions& d, State& s, CountryId self, const SetExportDuty& c,
                                         EventList& log) {
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    for_destinations(d, self, c.destination, [&](CountryId b) { s.rule(self, c.good, b).duty = c.rate; });
    log.note(s.turn, "export_duty", self, c.destination.value_or(kNoCountry), [&] {
        return EventText{fmt::format("{} sets an export duty of {:.0f}% on {} to {}", who, c.rate * 100, gid(c.good),
                                     country_name(d, c.destination)),
                         {{"good", gid(c.good)}, {"destination", country_name(d, c.destination)}, {"rate", c.rate}}};
    });
}

CommandResult CommandTraits<SetExportQuota>::validate(const Definitions& d, const State&, CountryId,
                                                      const SetExportQuota& c) {
    if (auto r = check_good(d, c.good); !r.ok) return r;
    if (std::isnan(c.tonnes_per_year) || c.tonnes_per_year < 0)
        return CommandResult::refuse("quota must be ≥ 0 tonnes per year");
    return CommandResult::success();
}

void CommandTraits<SetExportQuota>::apply(const Definitions& d, State& s, CountryId self, const SetExportQuota& c,
                                          EventList& log) {
    auto& me = s.countries[self];
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    double per_turn = c.tonnes_per_year / d.turns_per_year();
    me.export_quota[c.good] = per_turn;
    log.note(s.turn, "quota_change", self, kNoCountry, [&] {
        return EventText{std::isinf(per_turn) ? fmt::format("{} lifts its export quota on {}", who, gid(c.good))
                                              : fmt::format("{} sets an export quota of {:.0f} t/yr on {}", who,
                                                            c.tonnes_per_year, gid(c.good)),
                         {{"kind", "export"},
                          {"good", gid(c.good)},
                          {"tonnes_per_year", std::isinf(per_turn) ? -1.0 : c.tonnes_per_year}}};
    });
}

CommandResult CommandTraits<SetProductionQuota>::validate(const Definitions& d, const State&, CountryId,
                                                          const SetProductionQuota& c) {
    if (auto r = check_good(d, c.good); !r.ok) return r;
    if (std::isnan(c.tonnes_per_year) || c.tonnes_per_year < 0)
        return CommandResult::refuse("quota must be ≥ 0 tonnes per year");
    return CommandResult::success();
}

void CommandTraits<SetProductionQuota>::apply(const Definitions& d, State& s, CountryId self,
                                              const SetProductionQuota& c, EventList& log) {
    auto& me = s.countries[self];
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    double per_turn = c.tonnes_per_year / d.turns_per_year();
    me.production_quota[c.good] = per_turn;
    log.note(s.turn, "quota_change", self, kNoCountry, [&] {
        return EventText{std::isinf(per_turn) ? fmt::format("{} lifts its production quota on {}", who, gid(c.good))
                                              : fmt::format("{} sets a production quota of {:.0f} t/yr on {}", who,
                                                            c.tonnes_per_year, gid(c.good)),
                         {{"kind", "production"},
                          {"good", gid(c.good)},
                          {"tonnes_per_year", std::isinf(per_turn) ? -1.0 : c.tonnes_per_year}}};
    });
}

CommandResult CommandTraits<SetTariff>::validate(const Definitions& d, const State&, CountryId self,
                                                 const SetTariff& c) {
    if (auto r = check_good(d, c.good); !r.ok) return r;
    if (auto r = check_partner(d, self, c.origin, "origin"); !r.ok) return r;
    return check_finite_range(c.rate, 0.0, 10.0, "tariff rate");
}

void CommandTraits<SetTariff>::apply(const Definitions& d, State& s, CountryId self, const SetTariff& c,
                                     EventList& log) {
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    for_destinations(d, self, c.origin, [&](CountryId a) {
        if (!tariff_locked(d, s, self, c.good, a, c.rate)) s.tariff_on(self, c.good, a) = c.rate;
    });
    log.note(s.turn, "tariff_change", self, c.origin.value_or(kNoCountry), [&] {
        return EventText{fmt::format("{} sets a tariff of {:.0f}% on {} from {}", who, c.rate * 100, gid(c.good),
                                     country_name(d, c.origin)),
                         {{"good", gid(c.good)}, {"origin", country_name(d, c.origin)}, {"rate", c.rate}}};
    });
}

// ---- one line each, for people ----------------------------------------------------------------

namespace {
std::string per_year(double t) { return std::isinf(t) ? std::string("none") : fmt::format("{:.0f} t/yr", t); }
}  // namespace

std::string CommandTraits<SetExportRegime>::describe(const Definitions& d, const SetExportRegime& c) {
    return fmt::format("exports of {} to {}: {}", good_name(d, c.good), country_name_or_all(d, c.destination),
                       to_string(c.regime));
}

std::string CommandTraits<SetExportDuty>::describe(const Definitions& d, const SetExportDuty& c) {
    return fmt::format("export duty on {} to {}: {:.0f}%", good_name(d, c.good), country_name_or_all(d, c.destination),
                       c.rate * 100);
}

std::string CommandTraits<SetExportQuota>::describe(const Definitions& d, const SetExportQuota& c) {
    return fmt::format("export quota on {}: {}", good_name(d, c.good), per_year(c.tonnes_per_year));
}

std::string CommandTraits<SetProductionQuota>::describe(const Definitions& d, const SetProductionQuota& c) {
    return fmt::format("production quota on {}: {}", good_name(d, c.good), per_year(c.tonnes_per_year));
}

std::string CommandTraits<SetTariff>::describe(const Definitions& d, const SetTariff& c) {
    return fmt::format("tariff on {} from {}: {:.0f}%", good_name(d, c.good), country_name_or_all(d, c.origin),
                       c.rate * 100);
}

}  // namespace chokepoint
