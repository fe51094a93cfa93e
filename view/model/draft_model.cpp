#include "view/model/draft_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>

#include "agents/human_seat.hpp"
#include "engine/instruments/investment.hpp"
#include "engine/world/names.hpp"

namespace chokepoint::view {

namespace {

// What a decision is about when only one of its kind may stand per turn; nothing for decisions
// that add up (proposals, purchases, investments, revocations).
struct Target {
    int kind = 0;   // which family of decision
    long long a = 0, b = 0;  // what it is about: an id, or a good and a partner
    bool operator==(const Target&) const = default;
};

std::optional<Target> target_of(const Command& c) {
    return std::visit(
        [](const auto& x) -> std::optional<Target> {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, Respond>) return Target{1, x.proposal_id, 0};
            else if constexpr (std::is_same_v<T, DecideLicense>) return Target{2, x.application_id, 0};
            else if constexpr (std::is_same_v<T, Withdraw>) return Target{3, x.agreement_id, 0};
            else if constexpr (std::is_same_v<T, SetExportRegime>) return Target{4, x.good.value(), x.destination ? x.destination->value() : -1};
            else if constexpr (std::is_same_v<T, SetExportDuty>) return Target{5, x.good.value(), x.destination ? x.destination->value() : -1};
            else if constexpr (std::is_same_v<T, SetTariff>) return Target{6, x.good.value(), x.origin ? x.origin->value() : -1};
            else if constexpr (std::is_same_v<T, SetProductionQuota>) return Target{7, x.good.value(), 0};
            else if constexpr (std::is_same_v<T, SetExportQuota>) return Target{8, x.good.value(), 0};
            else if constexpr (std::is_same_v<T, SetSubsidy>) return Target{9, x.good.value(), 0};
            else if constexpr (std::is_same_v<T, SetPriceFloor>) return Target{10, x.good.value(), 0};
            else if constexpr (std::is_same_v<T, SetDefensePriority>) return Target{11, x.good.value(), 0};
            // Buying and releasing one good's stockpile in a turn work against each other.
            else if constexpr (std::is_same_v<T, StockpileBuy> || std::is_same_v<T, StockpileRelease>)
                return Target{12, x.good.value(), std::is_same_v<T, StockpileBuy> ? 1 : 2};
            else return std::nullopt;
        },
        c);
}

}  // namespace

std::optional<std::string> draft_conflict(const Definitions& d, const std::vector<Command>& draft, const Command& next) {
    const auto t = target_of(next);
    if (!t) return std::nullopt;
    for (const Command& c : draft) {
        const auto u = target_of(c);
        if (!u) continue;
        if (t->kind == 12 && u->kind == 12 && t->a == u->a) {
            if (t->b == u->b) continue;  // two purchases (or two releases) add up
            return fmt::format("the draft already has \"{}\": buying and releasing the same stockpile in one turn "
                               "work against each other; remove it first",
                               describe_command(d, c));
        }
        if (*t == *u)
            return fmt::format("the draft already has \"{}\" on the same {}; remove it first (x) to change it",
                               describe_command(d, c),
                               t->kind == 1 ? "proposal" : t->kind == 2 ? "application" : t->kind == 3 ? "agreement" : "good and partner");
    }
    return std::nullopt;
}

InvestmentPreview preview_investment(const Definitions& d, const State& s, GoodId good, double tonnes_per_year) {
    InvestmentPreview p;
    if (!d.has_good(good)) return p;
    p.capex_usd = project_capex(d, good, std::max(0.0, tonnes_per_year));
    p.lead_turns = std::max(1, d.process[static_cast<int>(d.goods[good].process)].lead_turns);
    p.online_turn = s.turn + p.lead_turns;
    return p;
}

std::vector<ApplicationGroup> group_applications(const State& s, CountryId exporter) {
    std::vector<ApplicationGroup> groups;
    for (const auto& a : s.applications) {
        if (a.exporter != exporter || a.status != ApplicationStatus::Pending || s.turn < a.decidable_turn) continue;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const ApplicationGroup& g) { return g.importer == a.importer && g.good == a.good; });
        if (it == groups.end()) {
            groups.push_back(ApplicationGroup{a.importer, a.good, {}, 0.0, 0.0});
            it = groups.end() - 1;
        }
        it->ids.push_back(a.id);
        it->tonnes += a.tonnes_per_turn;
        if (a.end_use == EndUse::Defense) it->defense_tonnes += a.tonnes_per_turn;
    }
    // Largest volume first: the decisions that matter most are at the top.
    std::stable_sort(groups.begin(), groups.end(),
                     [](const ApplicationGroup& a, const ApplicationGroup& b) { return a.tonnes > b.tonnes; });
    return groups;
}

std::string application_context(const Definitions& d, const State& s, const Command& c) {
    const auto* decide = std::get_if<DecideLicense>(&c);
    if (!decide) return {};
    for (const auto& a : s.applications) {
        if (a.id != decide->application_id) continue;
        const CountryDef& who = d.countries[a.importer];
        const Good& g = d.goods[a.good];
        return fmt::format("{} asked for {:.1f} t/turn of {} ({})", display_name(who), a.tonnes_per_turn,
                           display_name(g), to_string(a.end_use));
    }
    return {};
}

}  // namespace chokepoint::view
