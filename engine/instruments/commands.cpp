#include "engine/instruments/commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/instruments/commitments.hpp"
#include "engine/instruments/licensing.hpp"

namespace chokepoint {

namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

bool good_ok(const Definitions& d, GoodId g) { return g >= 0 && g < d.good_count(); }

// Destination/origin: a country other than oneself, or all.
CommandResult check_partner(const Definitions& d, CountryId self, int other, const char* what) {
    if (other == kAllCountries) return CommandResult::success();
    if (other < 0 || other >= d.country_count()) return CommandResult::refuse(fmt::format("unknown {} {}", what, other));
    if (other == self) return CommandResult::refuse(fmt::format("{} cannot be the country itself", what));
    return CommandResult::success();
}

// Proposals, answers and withdrawals are diplomacy's (engine/commands/dispatch.cpp routes them).
CommandResult not_an_instrument() { return CommandResult::refuse("a diplomatic command is not an instrument"); }

CommandResult check_good(const Definitions& d, GoodId g) {
    if (!good_ok(d, g)) return CommandResult::refuse(fmt::format("unknown good {}", g));
    return CommandResult::success();
}

CommandResult check_finite_range(double v, double lo, double hi, const char* what) {
    if (!std::isfinite(v) || v < lo || v > hi)
        return CommandResult::refuse(fmt::format("{} must be between {} and {}, got {}", what, lo, hi, v));
    return CommandResult::success();
}

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

std::string country_name(const Definitions& d, int c) {
    return c == kAllCountries ? std::string("all") : d.countries[static_cast<size_t>(c)].id;
}

}  // namespace

const char* command_name(const Command& c) {
    return std::visit(overloaded{
                          [](const SetExportRegime&) { return "set_export_regime"; },
                          [](const SetExportDuty&) { return "set_export_duty"; },
                          [](const DecideLicense&) { return "decide_license"; },
                          [](const RevokeLicense&) { return "revoke_license"; },
                          [](const SetProductionQuota&) { return "set_production_quota"; },
                          [](const SetExportQuota&) { return "set_export_quota"; },
                          [](const StockpileBuy&) { return "stockpile_buy"; },
                          [](const StockpileRelease&) { return "stockpile_release"; },
                          [](const StartProject&) { return "start_project"; },
                          [](const SetSubsidy&) { return "set_subsidy"; },
                          [](const SetPriceFloor&) { return "set_price_floor"; },
                          [](const SetTariff&) { return "set_tariff"; },
                          [](const Propose&) { return "propose"; },
                          [](const Respond&) { return "respond"; },
                          [](const Withdraw&) { return "withdraw"; },
                          [](const SetDefensePriority&) { return "set_defense_priority"; },
                      },
                      c);
}

double project_capex(const Definitions& defs, GoodId good, double tonnes_per_year) {
    const auto& p = defs.process[static_cast<int>(defs.goods[static_cast<size_t>(good)].process)];
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

CommandResult validate_instrument(const Definitions& d, const State& s, CountryId self, const Command& command) {
    const auto& me = s.countries[static_cast<size_t>(self)];
    if (auto why = agreement_lock(d, s, self, command); !why.empty()) return CommandResult::refuse(why);
    return std::visit(
        overloaded{
            [&](const SetExportRegime& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                return check_partner(d, self, c.destination, "destination");
            },
            [&](const SetExportDuty& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                if (auto r = check_partner(d, self, c.destination, "destination"); !r.ok) return r;
                return check_finite_range(c.rate, 0.0, 10.0, "duty rate");
            },
            [&](const DecideLicense& c) {
                auto it = std::find_if(s.applications.begin(), s.applications.end(),
                                       [&](const LicenseApplication& a) { return a.id == c.application_id; });
                if (it == s.applications.end())
                    return CommandResult::refuse(fmt::format("no license application {}", c.application_id));
                if (it->exporter != self)
                    return CommandResult::refuse(fmt::format("application {} is addressed to {}, not to you",
                                                             c.application_id, country_name(d, it->exporter)));
                if (it->status != ApplicationStatus::Pending)
                    return CommandResult::refuse(
                        fmt::format("application {} is already {}", c.application_id, to_string(it->status)));
                if (c.decision == LicenseDecisionKind::Defer) return CommandResult::success();
                if (s.turn < it->decidable_turn)
                    return CommandResult::refuse(fmt::format("application {} is still being processed until turn {}",
                                                             c.application_id, it->decidable_turn));
                if (c.decision == LicenseDecisionKind::Approve) {
                    if (!std::isfinite(c.tonnes_per_turn))
                        return CommandResult::refuse("licensed volume must be a finite number of tonnes");
                    if (c.tonnes_per_turn > it->tonnes_per_turn + 1e-9)
                        return CommandResult::refuse(fmt::format(
                            "cannot license more than the {:.1f} t/turn applied for", it->tonnes_per_turn));
                    if (c.validity_turns < 1 || c.validity_turns > 400)
                        return CommandResult::refuse(
                            fmt::format("validity must be 1..400 turns, got {}", c.validity_turns));
                }
                return CommandResult::success();
            },
            [&](const RevokeLicense& c) {
                auto it = std::find_if(s.licenses.begin(), s.licenses.end(),
                                       [&](const License& l) { return l.id == c.license_id; });
                if (it == s.licenses.end()) return CommandResult::refuse(fmt::format("no license {}", c.license_id));
                if (it->exporter != self)
                    return CommandResult::refuse(fmt::format("license {} was not issued by you", c.license_id));
                if (it->revoked) return CommandResult::refuse(fmt::format("license {} is already revoked", c.license_id));
                return CommandResult::success();
            },
            [&](const SetProductionQuota& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                if (std::isnan(c.tonnes_per_year) || c.tonnes_per_year < 0)
                    return CommandResult::refuse("quota must be ≥ 0 tonnes per year");
                return CommandResult::success();
            },
            [&](const SetExportQuota& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                if (std::isnan(c.tonnes_per_year) || c.tonnes_per_year < 0)
                    return CommandResult::refuse("quota must be ≥ 0 tonnes per year");
                return CommandResult::success();
            },
            [&](const StockpileBuy& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                if (auto r = check_finite_range(c.tonnes, 1e-9, 1e9, "tonnes"); !r.ok) return r;
                if (auto r = check_finite_range(c.max_price, 1e-9, 1e12, "max price"); !r.ok) return r;
                double need = c.tonnes * c.max_price + committed_purchases(s, self);
                if (need > me.treasury)
                    return CommandResult::refuse(fmt::format("treasury of ${:.0f}M cannot cover ${:.0f}M of purchases",
                                                             me.treasury / 1e6, need / 1e6));
                return CommandResult::success();
            },
            [&](const StockpileRelease& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                if (auto r = check_finite_range(c.tonnes, 1e-9, 1e9, "tonnes"); !r.ok) return r;
                if (auto r = check_finite_range(c.min_price, 0.0, 1e12, "min price"); !r.ok) return r;
                double available = me.stockpile[static_cast<size_t>(c.good)] - ordered_releases(s, self, c.good);
                if (c.tonnes > available + 1e-9)
                    return CommandResult::refuse(
                        fmt::format("stockpile holds {:.1f} t of {} not already ordered released, asked {:.1f} t",
                                    available, d.goods[static_cast<size_t>(c.good)].id, c.tonnes));
                return CommandResult::success();
            },
            [&](const StartProject& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                int host = c.host < 0 ? self : c.host;
                if (host >= d.country_count()) return CommandResult::refuse(fmt::format("unknown host {}", c.host));
                if (auto r = check_finite_range(c.tonnes_per_year, 1e-6, 1e7, "capacity"); !r.ok) return r;
                if (auto r = check_finite_range(c.output_share, 0.0, 1.0, "output share"); !r.ok) return r;
                const auto& g = d.goods[static_cast<size_t>(c.good)];
                if (g.process == Process::Mining && s.countries[static_cast<size_t>(host)].reserves[static_cast<size_t>(c.good)] <= 0)
                    return CommandResult::refuse(
                        fmt::format("{} has no reserves of {} to mine", d.countries[static_cast<size_t>(host)].id, g.id));
                double capex = project_capex(d, c.good, c.tonnes_per_year);
                if (capex > me.treasury)
                    return CommandResult::refuse(
                        fmt::format("capex ${:.0f}M exceeds the treasury of ${:.0f}M", capex / 1e6, me.treasury / 1e6));
                return CommandResult::success();
            },
            [&](const SetSubsidy& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                return check_finite_range(c.usd_per_tonne, 0.0, 1e9, "subsidy");
            },
            [&](const SetPriceFloor& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                return check_finite_range(c.usd_per_tonne, 0.0, 1e9, "price floor");
            },
            [&](const SetTariff& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                if (auto r = check_partner(d, self, c.origin, "origin"); !r.ok) return r;
                return check_finite_range(c.rate, 0.0, 10.0, "tariff rate");
            },
            [&](const Propose&) { return not_an_instrument(); },
            [&](const Respond&) { return not_an_instrument(); },
            [&](const Withdraw&) { return not_an_instrument(); },
            [&](const SetDefensePriority& c) {
                if (auto r = check_good(d, c.good); !r.ok) return r;
                for (const Sector& sec : d.sectors)
                    if (sec.defense && sec.good == c.good) return CommandResult::success();
                return CommandResult::refuse(
                    fmt::format("no defense sector consumes {}", d.goods[static_cast<size_t>(c.good)].id));
            },
        },
        command);
}

namespace {

template <typename F>
void for_destinations(const Definitions& d, CountryId self, int dest, F f) {
    for (int b = 0; b < d.country_count(); ++b)
        if (b != self && (dest == kAllCountries || dest == b)) f(b);
}

}  // namespace

CommandResult apply_instrument(const Definitions& d, State& s, CountryId self, const Command& command, EventList& log) {
    if (auto r = validate_instrument(d, s, self, command); !r.ok) return r;
    const int G = d.good_count();
    auto& me = s.countries[static_cast<size_t>(self)];
    const std::string& who = d.countries[static_cast<size_t>(self)].id;
    auto gid = [&](GoodId g) -> const std::string& { return d.goods[static_cast<size_t>(g)].id; };
    std::visit(
        overloaded{
            [&](const SetExportRegime& c) {
                bool changed = false;
                for_destinations(d, self, c.destination, [&](int b) {
                    // "all" leaves the routes a binding agreement holds open as they are.
                    if (route_locked(d, s, self, c.good, b, c.regime)) return;
                    auto& rule = s.rule(self, c.good, b, G);
                    if (rule.regime != c.regime) changed = true;
                    rule.regime = c.regime;
                });
                if (changed)
                    log.note(s.turn, "regime_change", self, c.destination, [&] {
                        return EventText{fmt::format("{} sets exports of {} to {}: {}", who, gid(c.good),
                                                     country_name(d, c.destination), to_string(c.regime)),
                                         {{"good", gid(c.good)},
                                          {"destination", country_name(d, c.destination)},
                                          {"regime", to_string(c.regime)}}};
                    });
            },
            [&](const SetExportDuty& c) {
                for_destinations(d, self, c.destination, [&](int b) { s.rule(self, c.good, b, G).duty = c.rate; });
                log.note(s.turn, "export_duty", self, c.destination, [&] {
                    return EventText{
                        fmt::format("{} sets an export duty of {:.0f}% on {} to {}", who, c.rate * 100, gid(c.good),
                                    country_name(d, c.destination)),
                        {{"good", gid(c.good)}, {"destination", country_name(d, c.destination)}, {"rate", c.rate}}};
                });
            },
            [&](const DecideLicense& c) {
                auto& app = *std::find_if(s.applications.begin(), s.applications.end(),
                                          [&](const LicenseApplication& a) { return a.id == c.application_id; });
                if (c.decision == LicenseDecisionKind::Defer) return;
                app.decided_turn = s.turn;
                nlohmann::json data = {{"application", app.id},
                                       {"good", gid(app.good)},
                                       {"importer", d.countries[static_cast<size_t>(app.importer)].id},
                                       {"end_use", to_string(app.end_use)},
                                       {"requested_t", app.tonnes_per_turn},
                                       {"waited_turns", s.turn - app.filed_turn}};
                if (c.scripted) data["scripted"] = true;
                if (c.decision == LicenseDecisionKind::Deny) {
                    app.status = ApplicationStatus::Denied;
                    record_practice(d, s, app, 0.0);
                    data["decision"] = "denied";
                    log.note(s.turn, "license_decision", self, app.importer, [&] {
                        return EventText{fmt::format("{}{} denies {}'s application for {:.0f} t/turn of {} ({})", who,
                                                     c.scripted ? " (scripted)" : "",
                                                     d.countries[static_cast<size_t>(app.importer)].id,
                                                     app.tonnes_per_turn, gid(app.good), to_string(app.end_use)),
                                         data};
                    });
                    return;
                }
                app.status = ApplicationStatus::Approved;
                // A renewal starts when the coverage it replaces ends; a licence approved in the turn
                // its review ends serves only the rest of that turn (docs/model.md §Licensing).
                const int first = std::max(s.turn, app.start_turn);
                License& l = grant_license(s, self, app.importer, app.good,
                                           c.tonnes_per_turn < 0 ? app.tonnes_per_turn : c.tonnes_per_turn, first,
                                           first + c.validity_turns - 1, c.civilian_only);
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
                        fmt::format("{}{} approves {:.0f} of {:.0f} t/turn of {} for {}, valid {} turns from {}{}{}",
                                    who, c.scripted ? " (scripted)" : "", l.tonnes_per_turn, app.tonnes_per_turn,
                                    gid(app.good), d.countries[static_cast<size_t>(app.importer)].id, c.validity_turns,
                                    d.date_of_turn(l.first_turn),
                                    l.first_turn_share < 1
                                        ? fmt::format(", {:.0f}% of the first", l.first_turn_share * 100)
                                        : "",
                                    l.civilian_only ? ", civilian use only" : ""),
                        data};
                });
            },
            [&](const RevokeLicense& c) {
                auto& l = *std::find_if(s.licenses.begin(), s.licenses.end(),
                                        [&](const License& x) { return x.id == c.license_id; });
                l.revoked = true;
                log.note(s.turn, "license_revoked", self, l.importer, [&] {
                    return EventText{fmt::format("{} revokes license {} ({} to {})", who, l.id, gid(l.good),
                                                 d.countries[static_cast<size_t>(l.importer)].id),
                                     {{"license", l.id}, {"good", gid(l.good)}}};
                });
            },
            [&](const SetProductionQuota& c) {
                double per_turn = c.tonnes_per_year / d.turns_per_year();
                me.production_quota[static_cast<size_t>(c.good)] = per_turn;
                log.note(s.turn, "quota_change", self, -1, [&] {
                    return EventText{std::isinf(per_turn)
                                         ? fmt::format("{} lifts its production quota on {}", who, gid(c.good))
                                         : fmt::format("{} sets a production quota of {:.0f} t/yr on {}", who,
                                                       c.tonnes_per_year, gid(c.good)),
                                     {{"kind", "production"},
                                      {"good", gid(c.good)},
                                      {"tonnes_per_year", std::isinf(per_turn) ? -1.0 : c.tonnes_per_year}}};
                });
            },
            [&](const SetExportQuota& c) {
                double per_turn = c.tonnes_per_year / d.turns_per_year();
                me.export_quota[static_cast<size_t>(c.good)] = per_turn;
                log.note(s.turn, "quota_change", self, -1, [&] {
                    return EventText{std::isinf(per_turn)
                                         ? fmt::format("{} lifts its export quota on {}", who, gid(c.good))
                                         : fmt::format("{} sets an export quota of {:.0f} t/yr on {}", who,
                                                       c.tonnes_per_year, gid(c.good)),
                                     {{"kind", "export"},
                                      {"good", gid(c.good)},
                                      {"tonnes_per_year", std::isinf(per_turn) ? -1.0 : c.tonnes_per_year}}};
                });
            },
            [&](const StockpileBuy& c) {
                s.stockpile_orders.push_back({self, c.good, c.tonnes, c.max_price});
                log.note(s.turn, "stockpile_order", self, -1, [&] {
                    return EventText{
                        fmt::format("{} orders up to {:.0f} t of {} for its stockpile at ≤ ${:.0f}/kg", who, c.tonnes,
                                    gid(c.good), c.max_price / 1000),
                        {{"good", gid(c.good)}, {"tonnes", c.tonnes}, {"limit_usd_per_kg", c.max_price / 1000}}};
                });
            },
            [&](const StockpileRelease& c) {
                s.stockpile_orders.push_back({self, c.good, -c.tonnes, c.min_price});
                log.note(s.turn, "stockpile_order", self, -1, [&] {
                    return EventText{
                        fmt::format("{} releases up to {:.0f} t of {} from its stockpile", who, c.tonnes, gid(c.good)),
                        {{"good", gid(c.good)}, {"tonnes", -c.tonnes}, {"limit_usd_per_kg", c.min_price / 1000}}};
                });
            },
            [&](const StartProject& c) {
                int host = c.host < 0 ? self : c.host;
                const auto& pp = d.process[static_cast<int>(d.goods[static_cast<size_t>(c.good)].process)];
                auto& p = start_project(d, s, self, host, c.good, c.tonnes_per_year, c.output_share, false,
                                        pp.lead_turns);
                log.note(s.turn, "investment", self, host, [&] {
                    return EventText{
                        fmt::format("{} starts {:.0f} t/yr of {} capacity in {} (capex ${:.0f}M, online {})", who,
                                    c.tonnes_per_year, gid(c.good), d.countries[static_cast<size_t>(host)].id,
                                    p.capex / 1e6, d.date_of_turn(p.online_turn)),
                        {{"project", p.id},
                         {"good", gid(c.good)},
                         {"tonnes_per_year", c.tonnes_per_year},
                         {"host", d.countries[static_cast<size_t>(host)].id},
                         {"capex_musd", p.capex / 1e6},
                         {"online_turn", p.online_turn},
                         {"output_share", p.output_share}}};
                });
            },
            [&](const SetSubsidy& c) {
                me.subsidy[static_cast<size_t>(c.good)] = c.usd_per_tonne;
                log.note(s.turn, "subsidy", self, -1, [&] {
                    return EventText{fmt::format("{} sets a production subsidy of ${:.2f}/kg on {}", who,
                                                 c.usd_per_tonne / 1000, gid(c.good)),
                                     {{"good", gid(c.good)}, {"usd_per_kg", c.usd_per_tonne / 1000}}};
                });
            },
            [&](const SetPriceFloor& c) {
                me.price_floor[static_cast<size_t>(c.good)] = c.usd_per_tonne;
                log.note(s.turn, "price_floor", self, -1, [&] {
                    return EventText{fmt::format("{} sets a price floor of ${:.0f}/kg on {}", who,
                                                 c.usd_per_tonne / 1000, gid(c.good)),
                                     {{"good", gid(c.good)}, {"usd_per_kg", c.usd_per_tonne / 1000}}};
                });
            },
            [&](const SetTariff& c) {
                for_destinations(d, self, c.origin, [&](int a) {
                    if (!tariff_locked(d, s, self, c.good, a, c.rate)) s.tariff_on(self, c.good, a, G) = c.rate;
                });
                log.note(s.turn, "tariff_change", self, c.origin, [&] {
                    return EventText{fmt::format("{} sets a tariff of {:.0f}% on {} from {}", who, c.rate * 100,
                                                 gid(c.good), country_name(d, c.origin)),
                                     {{"good", gid(c.good)}, {"origin", country_name(d, c.origin)}, {"rate", c.rate}}};
                });
            },
            [&](const Propose&) {},  // diplomatic: never reaches here (engine/commands/dispatch.cpp)
            [&](const Respond&) {},
            [&](const Withdraw&) {},
            [&](const SetDefensePriority& c) {
                int& flag = me.defense_priority[static_cast<size_t>(c.good)];
                if (flag == (c.on ? 1 : 0)) return;
                flag = c.on ? 1 : 0;
                log.note(s.turn, "defense_priority", self, -1, [&] {
                    return EventText{
                        fmt::format("{} {} defense priority for {}", who, c.on ? "sets" : "lifts", gid(c.good)),
                        {{"good", gid(c.good)}, {"on", c.on}}};
                });
            },
        },
        command);
    return CommandResult::success();
}

}  // namespace chokepoint
