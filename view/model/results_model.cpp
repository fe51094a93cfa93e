#include "view/model/results_model.hpp"

#include <algorithm>

#include "engine/world/names.hpp"

namespace chokepoint::view {

Results results(const Snapshot& snap) {
    Results r;
    if (!snap.defs || snap.history.empty() || !snap.history.back()) return r;
    const Definitions& d = *snap.defs;
    const TurnRecord& last = *snap.history.back();
    const int C = d.country_count();
    if (static_cast<int>(last.scores.size()) != C) return r;
    r.available = true;
    const TurnRecord* first_lev = nullptr;
    const TurnRecord* last_lev = nullptr;
    for (const auto& rec : snap.history)
        if (rec && static_cast<int>(rec->leverage.index_combined.size()) == C) {
            if (!first_lev) first_lev = rec.get();
            last_lev = rec.get();
        }
    if (first_lev) {
        r.first_date = first_lev->date;
        r.last_date = last_lev->date;
    }
    for (CountryId c : d.country_ids()) {
        ResultRow row;
        row.country = c;
        row.name = display_name(d.countries[c]);
        row.team = c.index() < snap.human.size() && snap.human[c];
        const Score& s = last.scores[c];
        row.economy = s.economy;
        row.security = s.security;
        row.influence = s.influence;
        row.total = s.total;
        if (first_lev) {
            row.measured = true;
            row.leverage_first = first_lev->leverage.index_combined[c];
            row.leverage_last = last_lev->leverage.index_combined[c];
        }
        r.teams = r.teams || row.team;
        r.rows.push_back(row);
    }
    std::stable_sort(r.rows.begin(), r.rows.end(), [](const ResultRow& a, const ResultRow& b) { return a.total > b.total; });
    for (size_t i = 0; i < r.rows.size(); ++i) r.rows[i].rank = static_cast<int>(i) + 1;
    double best = -1.0;
    for (const ResultRow& row : r.rows)
        if (!r.teams || row.team) best = std::max(best, row.total);
    for (const ResultRow& row : r.rows)
        if ((!r.teams || row.team) && row.total == best) r.winners.push_back(row.name);
    return r;
}

}  // namespace chokepoint::view
