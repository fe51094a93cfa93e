#include "view/model/briefing_model.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "engine/metrics/indicators.hpp"
#include "engine/world/names.hpp"
#include "view/model/market_model.hpp"  // format_tonnes
#include "view/model/picks.hpp"

namespace chokepoint::view {

namespace {

// A maker outside the country with this share of the world's capacity for a good is named.
constexpr double kMainMakerShare = 0.10;

double world_capacity(const Definitions& d, const State& s, GoodId g) {
    double total = 0.0;
    for (CountryId c : d.country_ids()) total += s.countries[c].capacity[g];
    return total;
}

void add_objectives(const Definitions& d, CountryId c, Briefing& b) {
    const ScoreWeights& w = d.countries[c].weights;
    const double sum = w.economy + w.security + w.influence;
    if (sum <= 0.0) return;
    struct Part {
        double weight;
        const char* name;
        const char* what;
    };
    std::vector<Part> parts = {
        {w.economy, "Economy",
         "civilian demand for the goods met, less what the government spends (subsidies, stockpile "
         "trades and storage, investment) and the environmental cost it weighs"},
        {w.security, "Security", "defence demand met (60 %) and months of cover held, up to six (40 %)"},
        {w.influence, "Influence", "the leverage index: how much of the others' demand you could cut"},
    };
    std::stable_sort(parts.begin(), parts.end(), [](const Part& x, const Part& y) { return x.weight > y.weight; });
    for (const Part& p : parts)
        b.objectives.push_back(fmt::format("{} {:.0f} %: {}", p.name, 100.0 * p.weight / sum, p.what));
}

// A share of the world's for a line of text: "87 %", or "under 1 %" rather than a rounded 0.
std::string share_text(double share) {
    return share < 0.005 ? std::string("under 1 %") : fmt::format("{:.0f} %", 100.0 * share);
}

}  // namespace

Briefing team_briefing(const Snapshot& snap, CountryId country) {
    Briefing b;
    if (!snap.defs || snap.defs->country_count() == 0) return b;
    const Definitions& d = *snap.defs;
    const State& s = snap.start ? *snap.start : snap.state;
    const CountryId c = clamp_country(d, country);
    const CountryDef& def = d.countries[c];
    b.team = display_name(def);
    b.scenario = d.scenario_name;
    b.start = d.date_of_turn(0);
    b.situation = d.description;
    b.brief = def.briefing;
    add_objectives(d, c, b);

    for (GoodId g : d.good_ids()) {
        const double mine = s.countries[c].capacity[g], world = world_capacity(d, s, g);
        if (mine > 0.0 && world > 0.0)
            b.makes.push_back(fmt::format("{}: {} capacity, {} of the world's", good_name(d, g),
                                          format_tonnes(mine, "t/yr"), share_text(mine / world)));
    }
    for (GoodId g : d.good_ids()) {
        const double use = annual_use(d, s, c, g);
        if (use <= 0.0) continue;
        const double mine = s.countries[c].capacity[g];
        const double own = std::min(1.0, mine / use);
        b.needs.push_back(fmt::format("{}: uses {}; own capacity covers {:.0f} %; stocks cover {:.1f} months",
                                      good_name(d, g), format_tonnes(use, "t/yr"), 100.0 * own,
                                      months_of_cover(d, s, c, g)));
        if (own >= 0.999) continue;
        const double world = world_capacity(d, s, g);
        if (world <= 0.0) continue;
        std::vector<CountryId> makers;
        for (CountryId x : d.country_ids())
            if (x != c && s.countries[x].capacity[g] >= kMainMakerShare * world) makers.push_back(x);
        std::stable_sort(makers.begin(), makers.end(), [&](CountryId x, CountryId y) {
            return s.countries[x].capacity[g] > s.countries[y].capacity[g];
        });
        std::vector<std::string> named;
        for (CountryId x : makers) {
            const Regime regime = s.rule(x, g, c).regime;
            named.push_back(fmt::format("{} ({:.0f} % of the world's capacity{})", display_name(d.countries[x]),
                                        100.0 * s.countries[x].capacity[g] / world,
                                        regime == Regime::Licensed  ? "; its exports to you need a licence"
                                        : regime == Regime::Embargo ? "; it embargoes you"
                                                                    : ""));
        }
        if (!named.empty())
            b.suppliers.push_back(fmt::format("{} from {}", good_name(d, g), fmt::join(named, ", ")));
    }
    b.treasury = fmt::format("${:.0f}M in the treasury, for investment, stockpiles and subsidies",
                             s.countries[c].treasury / 1e6);
    return b;
}

}  // namespace chokepoint::view
