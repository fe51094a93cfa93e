#include "engine/instruments/investment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/instruments/checks.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

double project_capex(const Definitions& defs, GoodId good, double tonnes_per_year) {
    const auto& p = defs.process[static_cast<int>(defs.goods[good].process)];
    return p.capex_per_tpy * tonnes_per_year;
}

Project& start_project(const Definitions& defs, State& state, CountryId owner, CountryId host, GoodId good,
                       double tonnes_per_year, double output_share, bool private_firms, int lead_turns) {
    Project p;
    p.id = state.next_id++;
    p.owner = owner;
    p.host = host;
    p.good = good;
    p.tonnes_per_year = tonnes_per_year;
    p.capex = project_capex(defs, good, tonnes_per_year);
    p.output_share = host == owner ? 0.0 : output_share;
    p.private_firms = private_firms;
    p.start_turn = state.turn;
    p.online_turn = state.turn + std::max(1, lead_turns);
    state.projects.push_back(p);
    return state.projects.back();
}

CommandResult CommandTraits<StartProject>::validate(const Definitions& d, const State& s, CountryId self,
                                                    const StartProject& c) {
    const auto& me = s.countries[self];
    if (auto r = check_good(d, c.good); !r.ok) return r;
    const CountryId host = c.host.value_or(self);
    if (!d.has_country(host)) return CommandResult::refuse(fmt::format("unknown host {}", host.value()));
    if (auto r = check_finite_range(c.tonnes_per_year, 1e-6, 1e7, "capacity"); !r.ok) return r;
    if (auto r = check_finite_range(c.output_share, 0.0, 1.0, "output share"); !r.ok) return r;
    const auto& g = d.goods[c.good];
    if (g.process == Process::Mining &&
        s.countries[host].reserves[c.good] <= 0)
        return CommandResult::refuse(
            fmt::format("{} has no reserves of {} to mine", d.countries[host].id, g.id));
    double capex = project_capex(d, c.good, c.tonnes_per_year);
    if (capex > me.treasury)
        return CommandResult::refuse(
            fmt::format("capex ${:.0f}M exceeds the treasury of ${:.0f}M", capex / 1e6, me.treasury / 1e6));
    return CommandResult::success();
}

void CommandTraits<StartProject>::apply(const Definitions& d, State& s, CountryId self, const StartProject& c,
                                        EventList& log) {
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    const CountryId host = c.host.value_or(self);
    const auto& pp = d.process[static_cast<int>(d.goods[c.good].process)];
    auto& p = start_project(d, s, self, host, c.good, c.tonnes_per_year, c.output_share, false, pp.lead_turns);
    log.note(s.turn, "investment", self, host, [&] {
        return EventText{fmt::format("{} starts {:.0f} t/yr of {} capacity in {} (capex ${:.0f}M, online {})", who,
                                     c.tonnes_per_year, gid(c.good), d.countries[host].id,
                                     p.capex / 1e6, d.date_of_turn(p.online_turn)),
                         {{"project", p.id},
                          {"good", gid(c.good)},
                          {"tonnes_per_year", c.tonnes_per_year},
                          {"host", d.countries[host].id},
                          {"capex_musd", p.capex / 1e6},
                          {"online_turn", p.online_turn},
                          {"output_share", p.output_share}}};
    });
}

CommandResult CommandTraits<SetSubsidy>::validate(const Definitions& d, const State&, CountryId, const SetSubsidy& c) {
    if (auto r = check_good(d, c.good); !r.ok) return r;
    return check_finite_range(c.usd_per_tonne, 0.0, 1e9, "subsidy");
}

void CommandTraits<SetSubsidy>::apply(const Definitions& d, State& s, CountryId self, const SetSubsidy& c,
                                      EventList& log) {
    auto& me = s.countries[self];
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    me.subsidy[c.good] = c.usd_per_tonne;
    log.note(s.turn, "subsidy", self, kNoCountry, [&] {
        return EventText{
            fmt::format("{} sets a production subsidy of ${:.2f}/kg on {}", who, c.usd_per_tonne / 1000, gid(c.good)),
            {{"good", gid(c.good)}, {"usd_per_kg", c.usd_per_tonne / 1000}}};
    });
}

CommandResult CommandTraits<SetPriceFloor>::validate(const Definitions& d, const State&, CountryId,
                                                     const SetPriceFloor& c) {
    if (auto r = check_good(d, c.good); !r.ok) return r;
    return check_finite_range(c.usd_per_tonne, 0.0, 1e9, "price floor");
}

void CommandTraits<SetPriceFloor>::apply(const Definitions& d, State& s, CountryId self, const SetPriceFloor& c,
                                         EventList& log) {
    auto& me = s.countries[self];
    const std::string& who = d.countries[self].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[g].id; };
    me.price_floor[c.good] = c.usd_per_tonne;
    log.note(s.turn, "price_floor", self, kNoCountry, [&] {
        // 0 (set_price_floor(good, nil) or 0) lifts the floor: say so, not "a floor of $0/kg".
        std::string text = c.usd_per_tonne > 0
                               ? fmt::format("{} sets a price floor of ${:.0f}/kg on {}", who, c.usd_per_tonne / 1000,
                                             gid(c.good))
                               : fmt::format("{} lifts its price floor on {}", who, gid(c.good));
        return EventText{std::move(text), {{"good", gid(c.good)}, {"usd_per_kg", c.usd_per_tonne / 1000}}};
    });
}

std::string CommandTraits<StartProject>::describe(const Definitions& d, const StartProject& c) {
    return fmt::format("invest in {:.0f} t/yr of {}{}", c.tonnes_per_year, good_name(d, c.good),
                       !c.host ? std::string(" at home")
                               : fmt::format(" in {} for {:.0f}% of output", country_name_or_all(d, c.host),
                                             c.output_share * 100));
}

std::string CommandTraits<SetSubsidy>::describe(const Definitions& d, const SetSubsidy& c) {
    return fmt::format("subsidy on {}: ${:.2f}/kg", good_name(d, c.good), c.usd_per_tonne / 1000);
}

std::string CommandTraits<SetPriceFloor>::describe(const Definitions& d, const SetPriceFloor& c) {
    if (c.usd_per_tonne <= 0) return fmt::format("lift the price floor on {}", good_name(d, c.good));
    return fmt::format("price floor on {}: ${:.0f}/kg", good_name(d, c.good), c.usd_per_tonne / 1000);
}

}  // namespace chokepoint
