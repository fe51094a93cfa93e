#include "engine/instruments/trade.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/instruments/checks.hpp"
#include "engine/instruments/commitments.hpp"

namespace chokepoint {

CommandResult CommandTraits<SetExportRegime>::validate(const Definitions& d, const State&, CountryId self,
                                                       const SetExportRegime& c) {
    if (auto r = check_good(d, c.good); !r.ok) return r;
    return check_partner(d, self, c.destination, "destination");
}

void CommandTraits<SetExportRegime>::apply(const Definitions& d, State& s, CountryId self, const SetExportRegime& c,
                                           EventList& log) {
    const int G = d.good_count();
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    bool changed = false;
    for_destinations(d, self, c.destination, [&](CountryId b) {
        // "all" leaves the routes a binding agreement holds open as they are.
        if (route_locked(d, s, self, c.good, b, c.regime)) return;
        auto& rule = s.rule(self, c.good, b, G);
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
    const int G = d.good_count();
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    for_destinations(d, self, c.destination, [&](CountryId b) { s.rule(self, c.good, b, G).duty = c.rate; });
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
    const int G = d.good_count();
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    for_destinations(d, self, c.origin, [&](CountryId a) {
        if (!tariff_locked(d, s, self, c.good, a, c.rate)) s.tariff_on(self, c.good, a, G) = c.rate;
    });
    log.note(s.turn, "tariff_change", self, c.origin.value_or(kNoCountry), [&] {
        return EventText{fmt::format("{} sets a tariff of {:.0f}% on {} from {}", who, c.rate * 100, gid(c.good),
                                     country_name(d, c.origin)),
                         {{"good", gid(c.good)}, {"origin", country_name(d, c.origin)}, {"rate", c.rate}}};
    });
}

}  // namespace chokepoint
