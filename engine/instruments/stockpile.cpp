#include "engine/instruments/stockpile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/instruments/checks.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

namespace {

// Money a country has already committed this turn to stockpile purchases.
double committed_purchases(const State& s, CountryId c) {
    double sum = 0.0;
    for (const auto& o : s.stockpile_orders)
        if (o.country == c && o.tonnes > 0) sum += o.tonnes * o.limit_price;
    return sum;
}

double ordered_releases(const State& s, CountryId c, GoodId g) {
    double sum = 0.0;
    for (const auto& o : s.stockpile_orders)
        if (o.country == c && o.good == g && o.tonnes < 0) sum -= o.tonnes;
    return sum;
}

}  // namespace

CommandResult CommandTraits<StockpileBuy>::validate(const Definitions& d, const State& s, CountryId self,
                                                    const StockpileBuy& c) {
    const auto& me = s.countries[self];
    if (auto r = check_good(d, c.good); !r.ok) return r;
    if (auto r = check_finite_range(c.tonnes, 1e-9, 1e9, "tonnes"); !r.ok) return r;
    if (auto r = check_finite_range(c.max_price, 1e-9, 1e12, "max price"); !r.ok) return r;
    double need = c.tonnes * c.max_price + committed_purchases(s, self);
    if (need > me.treasury)
        return CommandResult::refuse(
            fmt::format("treasury of ${:.0f}M cannot cover ${:.0f}M of purchases", me.treasury / 1e6, need / 1e6));
    return CommandResult::success();
}

void CommandTraits<StockpileBuy>::apply(const Definitions& d, State& s, CountryId self, const StockpileBuy& c,
                                        EventList& log) {
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    s.stockpile_orders.push_back({self, c.good, c.tonnes, c.max_price});
    log.note(s.turn, "stockpile_order", self, kNoCountry, [&] {
        return EventText{fmt::format("{} orders up to {:.0f} t of {} for its stockpile at ≤ ${:.0f}/kg", who, c.tonnes,
                                     gid(c.good), c.max_price / 1000),
                         {{"good", gid(c.good)}, {"tonnes", c.tonnes}, {"limit_usd_per_kg", c.max_price / 1000}}};
    });
}

CommandResult CommandTraits<StockpileRelease>::validate(const Definitions& d, const State& s, CountryId self,
                                                        const StockpileRelease& c) {
    const auto& me = s.countries[self];
    if (auto r = check_good(d, c.good); !r.ok) return r;
    if (auto r = check_finite_range(c.tonnes, 1e-9, 1e9, "tonnes"); !r.ok) return r;
    if (auto r = check_finite_range(c.min_price, 0.0, 1e12, "min price"); !r.ok) return r;
    double available = me.stockpile[c.good] - ordered_releases(s, self, c.good);
    if (c.tonnes > available + 1e-9)
        return CommandResult::refuse(
            fmt::format("stockpile holds {:.1f} t of {} not already ordered released, asked {:.1f} t", available,
                        d.goods[c.good].id, c.tonnes));
    return CommandResult::success();
}

void CommandTraits<StockpileRelease>::apply(const Definitions& d, State& s, CountryId self, const StockpileRelease& c,
                                            EventList& log) {
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    s.stockpile_orders.push_back({self, c.good, -c.tonnes, c.min_price});
    log.note(s.turn, "stockpile_order", self, kNoCountry, [&] {
        return EventText{fmt::format("{} releases up to {:.0f} t of {} from its stockpile", who, c.tonnes, gid(c.good)),
                         {{"good", gid(c.good)}, {"tonnes", -c.tonnes}, {"limit_usd_per_kg", c.min_price / 1000}}};
    });
}

CommandResult CommandTraits<SetDefensePriority>::validate(const Definitions& d, const State&, CountryId,
                                                          const SetDefensePriority& c) {
    if (auto r = check_good(d, c.good); !r.ok) return r;
    for (const Sector& sec : d.sectors)
        if (sec.defense && sec.good == c.good) return CommandResult::success();
    return CommandResult::refuse(fmt::format("no defense sector consumes {}", d.goods[c.good].id));
}

void CommandTraits<SetDefensePriority>::apply(const Definitions& d, State& s, CountryId self,
                                              const SetDefensePriority& c, EventList& log) {
    auto& me = s.countries[self];
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    int& flag = me.defense_priority[c.good];
    if (flag == (c.on ? 1 : 0)) return;
    flag = c.on ? 1 : 0;
    log.note(s.turn, "defense_priority", self, kNoCountry, [&] {
        return EventText{fmt::format("{} {} defense priority for {}", who, c.on ? "sets" : "lifts", gid(c.good)),
                         {{"good", gid(c.good)}, {"on", c.on}}};
    });
}

std::string CommandTraits<StockpileBuy>::describe(const Definitions& d, const StockpileBuy& c) {
    return fmt::format("stockpile: buy {:.0f} t of {} at ≤ ${:.0f}/kg", c.tonnes, good_name(d, c.good), c.max_price / 1000);
}

std::string CommandTraits<StockpileRelease>::describe(const Definitions& d, const StockpileRelease& c) {
    return fmt::format("stockpile: release {:.0f} t of {}", c.tonnes, good_name(d, c.good));
}

std::string CommandTraits<SetDefensePriority>::describe(const Definitions& d, const SetDefensePriority& c) {
    return fmt::format("defense priority on {}: {}", good_name(d, c.good), c.on ? "on" : "off");
}

}  // namespace chokepoint
