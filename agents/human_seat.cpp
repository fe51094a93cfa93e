#include "agents/human_seat.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "engine/diplomacy/clauses.hpp"

namespace chokepoint {

namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

// Display names for the people at the seat ("NdFeB magnet", "South Africa"); ids where none is given.
std::string country_or_all(const Definitions& d, std::optional<CountryId> c) {
    if (!c || !d.has_country(*c)) return "all";
    const CountryDef& def = d.countries[*c];
    return def.name.empty() ? def.id : def.name;
}
std::string good(const Definitions& d, GoodId g) {
    if (!d.has_good(g)) return "?";
    return d.goods[g].name.empty() ? d.goods[g].id : d.goods[g].name;
}
std::string per_year(double t) { return std::isinf(t) ? std::string("none") : fmt::format("{:.0f} t/yr", t); }

}  // namespace

std::string describe_command(const Definitions& d, const Command& command) {
    return std::visit(
        overloaded{
            [&](const SetExportRegime& c) {
                return fmt::format("exports of {} to {}: {}", good(d, c.good), country_or_all(d, c.destination),
                                   to_string(c.regime));
            },
            [&](const SetExportDuty& c) {
                return fmt::format("export duty on {} to {}: {:.0f}%", good(d, c.good), country_or_all(d, c.destination),
                                   c.rate * 100);
            },
            [&](const DecideLicense& c) {
                const char* what = c.decision == LicenseDecisionKind::Approve ? "approve"
                                   : c.decision == LicenseDecisionKind::Deny  ? "deny"
                                                                              : "defer";
                std::string out = fmt::format("{} application {}", what, c.application_id);
                if (c.decision == LicenseDecisionKind::Approve) {
                    if (c.tonnes_per_turn >= 0) out += fmt::format(": {:.1f} t/turn", c.tonnes_per_turn);
                    out += fmt::format(" for {} turns{}", c.validity_turns, c.civilian_only ? ", civilian only" : "");
                }
                return out;
            },
            [&](const RevokeLicense& c) { return fmt::format("revoke license {}", c.license_id); },
            [&](const SetProductionQuota& c) {
                return fmt::format("production quota on {}: {}", good(d, c.good), per_year(c.tonnes_per_year));
            },
            [&](const SetExportQuota& c) {
                return fmt::format("export quota on {}: {}", good(d, c.good), per_year(c.tonnes_per_year));
            },
            [&](const StockpileBuy& c) {
                return fmt::format("stockpile: buy {:.0f} t of {} at ≤ ${:.0f}/kg", c.tonnes, good(d, c.good),
                                   c.max_price / 1000);
            },
            [&](const StockpileRelease& c) {
                return fmt::format("stockpile: release {:.0f} t of {}", c.tonnes, good(d, c.good));
            },
            [&](const StartProject& c) {
                return fmt::format("invest in {:.0f} t/yr of {}{}", c.tonnes_per_year, good(d, c.good),
                                   !c.host ? std::string(" at home")
                                              : fmt::format(" in {} for {:.0f}% of output", country_or_all(d, c.host),
                                                            c.output_share * 100));
            },
            [&](const SetSubsidy& c) {
                return fmt::format("subsidy on {}: ${:.2f}/kg", good(d, c.good), c.usd_per_tonne / 1000);
            },
            [&](const SetPriceFloor& c) {
                return fmt::format("price floor on {}: ${:.0f}/kg", good(d, c.good), c.usd_per_tonne / 1000);
            },
            [&](const SetDefensePriority& c) {
                return fmt::format("defense priority on {}: {}", good(d, c.good), c.on ? "on" : "off");
            },
            [&](const SetTariff& c) {
                return fmt::format("tariff on {} from {}: {:.0f}%", good(d, c.good), country_or_all(d, c.origin),
                                   c.rate * 100);
            },
            [&](const Propose& c) {
                std::string to;
                for (CountryId r : c.to) to += (to.empty() ? "" : ", ") + country_or_all(d, r);
                std::vector<Clause> shown = c.clauses;
                for (auto& cl : shown) {
                    if (cl.from == kThem) cl.from = c.to.empty() ? CountryId{0} : c.to.front();
                    if (cl.to == kThem) cl.to = c.to.empty() ? CountryId{0} : c.to.front();
                }
                return fmt::format("propose to {} ({} turns): {}", to, c.turns, describe(d, shown));
            },
            [&](const Respond& c) {
                const char* what = c.answer == AnswerKind::Accept   ? "accept"
                                   : c.answer == AnswerKind::Reject ? "reject"
                                                                    : "counter";
                std::string out = fmt::format("{} proposal {}", what, c.proposal_id);
                if (c.answer == AnswerKind::Counter) out += ": " + describe(d, c.clauses);
                if (!c.note.empty()) out += fmt::format(" — \"{}\"", c.note);
                return out;
            },
            [&](const Withdraw& c) { return fmt::format("withdraw from agreement {}", c.agreement_id); },
        },
        command);
}

HumanSeat::HumanSeat(SeatDesk& desk, std::unique_ptr<Policy> advisor, CountryId seat)
    : desk_(desk), advisor_(std::move(advisor)), seat_(seat) {}

void HumanSeat::init(PolicyContext& ctx) {
    // The advisor keeps its own bookkeeping (ctx.memory) from the start; what it would do is
    // only advice, so its commands go to a scratch queue.
    std::vector<IssuedCommand> scratch;
    EventList muted;
    muted.muted = true;
    PolicyContext advice(ctx.defs(), ctx.state(), ctx.country(), scratch, muted);
    advisor_->initialised = true;
    advisor_->init(advice);
}

void HumanSeat::on_license_request(PolicyContext& ctx, const LicenseApplication& app) {
    if (!desk_.is_human(ctx.country())) advisor_->on_license_request(ctx, app);
}

void HumanSeat::on_proposal(PolicyContext& ctx, const Proposal& p) {
    if (!desk_.is_human(ctx.country())) advisor_->on_proposal(ctx, p);
}

void HumanSeat::on_turn(PolicyContext& ctx) {
    if (!desk_.is_human(ctx.country())) {
        advisor_->on_turn(ctx);
        return;
    }
    SeatRequest req;
    req.seat = ctx.country();
    req.turn = ctx.state().turn;
    req.observation = ctx.state();
    {
        std::vector<IssuedCommand> scratch;
        EventList muted;
        muted.muted = true;
        PerCountry<int> budget(ctx.defs().countries.size(), ctx.defs().negotiation.forecasts_per_turn);
        PolicyContext advice(ctx.defs(), ctx.state(), ctx.country(), scratch, muted);
        advice.set_forecast_budget(&budget);
        for (const auto& p : ctx.state().proposals)
            if (p.to == ctx.country() && p.status == ProposalStatus::Pending) advisor_->on_proposal(advice, p);
        for (const auto& app : ctx.state().applications)
            if (app.exporter == ctx.country() && app.status == ApplicationStatus::Pending &&
                ctx.state().turn >= app.decidable_turn)
                advisor_->on_license_request(advice, app);
        advisor_->on_turn(advice);
        for (const auto& c : scratch) {
            req.advice.push_back(c.command);
            req.advice_text.push_back(describe_command(ctx.defs(), c.command));
        }
    }
    auto decisions = desk_.await(req);
    if (!decisions) {
        // Handed back: the advisor plays this turn for real.
        for (const auto& c : req.advice) ctx.issue(c);
        return;
    }
    for (const auto& c : *decisions) ctx.issue(c);  // refusals are logged as command_refused
}

}  // namespace chokepoint
