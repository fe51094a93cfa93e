#include "view/model/country_model.hpp"

#include <algorithm>

#include "engine/metrics/indicators.hpp"
#include "engine/world/names.hpp"
#include "view/model/leverage_model.hpp"  // stage_name

namespace chokepoint::view {

namespace {

std::vector<StageCapacity> capacity_by_stage(const Definitions& d, const CountryState& cs, const TurnRecord* last,
                                             CountryId c) {
    std::vector<StageCapacity> stages;
    for (GoodId g : d.good_ids()) {
        const Good& good = d.goods[g];
        auto it =
            std::find_if(stages.begin(), stages.end(), [&](const StageCapacity& s) { return s.stage == good.stage; });
        if (it == stages.end()) {
            StageCapacity s;
            s.stage = good.stage;
            s.name = stage_name(good.stage);
            stages.push_back(s);
            it = stages.end() - 1;
        }
        CapacityLine line;
        line.good = g;
        line.name = good.name;
        line.capacity = cs.capacity[g];
        if (last) line.produced = last->outcome.produced.value_or(c, g) * d.turns_per_year();
        line.utilisation = line.capacity > 0 ? line.produced / line.capacity : 0.0;
        it->capacity += line.capacity;
        it->goods.push_back(line);
    }
    std::stable_sort(stages.begin(), stages.end(),
                     [](const StageCapacity& x, const StageCapacity& y) { return x.stage < y.stage; });
    return stages;
}

std::vector<PipelineProject> pipeline(const Definitions& d, const State& s, CountryId c) {
    std::vector<PipelineProject> out;
    for (const Project& p : s.projects) {
        if (p.owner != c && p.host != c) continue;
        if (p.online && p.ramp_level >= 1.0) continue;  // done: its capacity is in the host's
        const int ramp_turns = d.process[static_cast<int>(d.goods[p.good].process)].ramp_turns;
        PipelineProject q;
        q.id = p.id;
        q.good = p.good;
        q.good_name = display_name(d.goods[p.good]);
        q.owner = p.owner;
        q.host = p.host;
        q.owner_name = display_name(d.countries[p.owner]);
        q.host_name = display_name(d.countries[p.host]);
        q.tonnes_per_year = p.tonnes_per_year;
        q.private_firms = p.private_firms;
        q.online = p.online;
        q.ramp_level = p.online ? p.ramp_level : 0.0;
        q.start_date = d.date_of_turn(p.start_turn);
        q.online_turn = p.online_turn;
        q.online_date = d.date_of_turn(p.online_turn);
        q.full_date = d.date_of_turn(p.online_turn + ramp_turns);
        q.turns_to_online = p.online ? 0 : std::max(0, p.online_turn - s.turn);
        q.delays = p.delays;
        q.capex_musd = p.capex / 1e6;
        q.paid_share = p.capex > 0 ? std::min(1.0, p.capex_paid / p.capex) : 1.0;
        out.push_back(q);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const PipelineProject& x, const PipelineProject& y) { return x.online_turn < y.online_turn; });
    return out;
}

std::vector<StockLine> stocks(const Snapshot& snap, CountryId c) {
    const Definitions& d = *snap.defs;
    const State& s = snap.state;
    std::vector<StockLine> out;
    const CountryState& cs = s.countries[c];
    const PerGood<double> usual = usual_cover(snap)[c], unmet = unmet_share(snap)[c];
    for (GoodId g : d.good_ids()) {
        StockLine line;
        line.good = g;
        line.name = display_name(d.goods[g]);
        line.stock = cs.stock[g];
        line.stockpile = cs.stockpile[g];
        line.use = annual_use(d, s, c, g);
        if (line.stock <= 0 && line.stockpile <= 0 && line.use <= 0) continue;
        line.months_of_cover = months_of_cover(d, s, c, g);
        line.usual_months = usual[g];
        line.unmet_share = unmet[g];
        line.imported = relies_on_imports(d, s, c, g);
        if (line.use > 0)
            line.level = judge_cover({line.months_of_cover, line.usual_months, line.unmet_share, line.imported});
        if (g.index() < cs.stockpile_target_months.size()) line.target_months = cs.stockpile_target_months[g];
        out.push_back(line);
    }
    return out;
}

}  // namespace

CountryCard country_card(const Snapshot& snap, CountryId c, bool private_visible) {
    CountryCard card;
    const Definitions& d = *snap.defs;
    const State& s = snap.state;
    if (!d.has_country(c) || c.index() >= s.countries.size()) return card;
    card.country = c;
    card.id = d.countries[c].id;
    card.name = display_name(d.countries[c]);
    if (c.index() < snap.policy_names.size()) card.policy = snap.policy_names[c];
    card.turn = s.turn;
    card.date = d.date_of_turn(s.turn);
    card.private_visible = private_visible;
    const TurnRecord* last = snap.history.empty() ? nullptr : snap.history.back().get();
    card.played = last != nullptr;
    const CountryState& cs = s.countries[c];

    card.capacity = capacity_by_stage(d, cs, last, c);
    for (const auto& r : snap.history)
        if (c.index() < r->scores.size()) card.score_history.push_back(r->scores[c].total);
    if (last && c.index() < last->scores.size()) {
        card.score = last->scores[c];
        card.score_rank = 1;
        card.countries = static_cast<int>(last->scores.size());
        for (const Score& other : last->scores)
            if (other.total > card.score->total) ++card.score_rank;
    }
    for (auto it = snap.history.rbegin(); it != snap.history.rend(); ++it)
        if (c.index() < (*it)->leverage.index_combined.size()) {
            card.leverage_index = (*it)->leverage.index_combined[c];
            break;
        }

    if (!private_visible) return card;
    card.projects = pipeline(d, s, c);
    card.stocks = stocks(snap, c);
    card.treasury_musd = cs.treasury / 1e6;
    card.economy_cash_musd = cs.economy_cash / 1e6;
    if (!last) return card;
    double civ_demand = 0, civ_met = 0, def_demand = 0, def_met = 0;
    for (SectorId k : d.sector_ids()) {
        const Sector& sec = d.sectors[k];
        SectorMet m;
        m.sector = k;
        m.name = sec.name;
        m.good_name = display_name(d.goods[sec.good]);
        m.defense = sec.defense;
        m.demand = last->outcome.demand.value_or(c, k) * d.turns_per_year();
        m.met = last->outcome.met.value_or(c, k) * d.turns_per_year();
        if (m.demand <= 0) continue;
        m.share = std::clamp(m.met / m.demand, 0.0, 1.0);
        (sec.defense ? def_demand : civ_demand) += m.demand;
        (sec.defense ? def_met : civ_met) += m.met;
        card.demand_met.push_back(m);
    }
    if (civ_demand > 0) card.civilian_met_share = civ_met / civ_demand;
    if (def_demand > 0) card.defense_met_share = def_met / def_demand;
    card.defense_shortfall = std::max(0.0, def_demand - def_met);
    for (GoodId g : d.good_ids())
        if (g.index() < cs.defense_priority.size() && cs.defense_priority[g] != 0)
            card.defense_rated.push_back(display_name(d.goods[g]));
    return card;
}

}  // namespace chokepoint::view
