#include "view/model/leverage_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/world/names.hpp"
#include "view/model/market_model.hpp"  // format_tonnes

namespace chokepoint::view {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The record of `turn` (-1: the latest), or null when that turn has not been played.
const TurnRecord* record_at(const Snapshot& snap, int turn) {
    if (snap.history.empty()) return nullptr;
    if (turn < 0) return snap.history.back().get();
    for (const auto& r : snap.history)
        if (r->turn == turn) return r.get();
    return nullptr;
}

bool measured(const LeverageReport& r, int countries) {
    return countries > 0 && r.combined.rows == countries && r.combined.cols == countries &&
           r.index_combined.count() == countries;
}

const PerCountry<double>& index_of(const LeverageReport& r, LeverageChannel c) {
    switch (c) {
        case LeverageChannel::Materials:
            return r.index_materials;
        case LeverageChannel::MarketAccess:
            return r.index_market_access;
        case LeverageChannel::Combined:
            break;
    }
    return r.index_combined;
}

double net_of(const LeverageReport& r, LeverageChannel c, CountryId a, CountryId b) {
    switch (c) {
        case LeverageChannel::Materials:
            return r.net_materials(a, b);
        case LeverageChannel::MarketAccess:
            return r.market_access(a, b) - r.market_access(b, a);
        case LeverageChannel::Combined:
            break;
    }
    return r.net(a, b);
}

// The value of `channel` for A over B in a report (the matrix the index sums).
double pair_value(const LeverageReport& r, LeverageChannel c, CountryId a, CountryId b) {
    switch (c) {
        case LeverageChannel::Materials:
            return r.materials(a, b);
        case LeverageChannel::MarketAccess:
            return r.market_access(a, b);
        case LeverageChannel::Combined:
            break;
    }
    return r.combined(a, b);
}

// The record of `turn` (-1: the latest) and the last measured one before it; either null.
std::pair<const TurnRecord*, const TurnRecord*> measured_pair(const Snapshot& snap, int turn) {
    const int C = snap.defs->country_count();
    const TurnRecord* now = record_at(snap, turn);
    if (!now || !measured(now->leverage, C)) return {nullptr, nullptr};
    const TurnRecord* before = nullptr;
    for (const auto& r : snap.history)
        if (r->turn < now->turn && measured(r->leverage, C)) before = r.get();
    return {now, before};
}

std::string arrow(double before, double after) { return fmt::format("{:.3f} → {:.3f}", before, after); }

// Keeps the parts of at least kChangeShown, largest first, at most kChangeParts; the rest's sum.
void rank_parts(LeverageChange& c) {
    std::stable_sort(c.parts.begin(), c.parts.end(),
                     [](const ChangePart& x, const ChangePart& y) { return std::abs(x.delta) > std::abs(y.delta); });
    std::erase_if(c.parts, [](const ChangePart& p) { return std::abs(p.delta) < kChangeShown; });
    if (c.parts.size() > kChangeParts) c.parts.resize(kChangeParts);
    c.rest = c.after - c.before;
    for (const ChangePart& p : c.parts) c.rest -= p.delta;
}

}  // namespace

std::string LeverageChange::headline() const {
    if (!available) return "no earlier measured turn to compare with";
    if (std::abs(after - before) < kChangeShown)
        return fmt::format("unchanged since {} ({:.3f})", previous_date, after);
    return fmt::format("{:+.3f} since {} ({})", after - before, previous_date, arrow(before, after));
}

LeverageChange why_index_changed(const Snapshot& snap, CountryId country, LeverageChannel channel, int turn) {
    LeverageChange c;
    const Definitions& d = *snap.defs;
    if (d.country_count() == 0) return c;
    const CountryId a = clamp_country(d, country);
    const auto [now, then] = measured_pair(snap, turn);
    if (!now || !then) return c;
    c.available = true;
    c.turn = now->turn, c.previous = then->turn;
    c.date = now->date, c.previous_date = then->date;
    c.before = index_of(then->leverage, channel)[a];
    c.after = index_of(now->leverage, channel)[a];
    for (CountryId b : d.country_ids()) {
        if (b == a) continue;
        const double w0 = then->leverage.weight[b], w1 = now->leverage.weight[b];
        const double x0 = pair_value(then->leverage, channel, a, b), x1 = pair_value(now->leverage, channel, a, b);
        ChangePart part;
        part.delta = w1 * x1 - w0 * x0;
        part.text = fmt::format("{:+.3f} over {}: {}", part.delta, display_name(d.countries[b]), arrow(x0, x1));
        if (std::abs(w1 - w0) >= 0.0005)  // a tenth of a percentage point of world demand
            part.text += fmt::format(", its share of world demand {:.1f} % → {:.1f} %", w0 * 100, w1 * 100);
        c.parts.push_back(std::move(part));
    }
    rank_parts(c);
    return c;
}

LeverageChange why_net_changed(const Snapshot& snap, CountryId a_in, CountryId b_in, int turn) {
    LeverageChange c;
    const Definitions& d = *snap.defs;
    if (d.country_count() == 0) return c;
    const CountryId a = clamp_country(d, a_in), b = clamp_country(d, b_in);
    const auto [now, then] = measured_pair(snap, turn);
    if (!now || !then || a == b) return c;
    c.available = true;
    c.turn = now->turn, c.previous = then->turn;
    c.date = now->date, c.previous_date = then->date;
    const LeverageReport &r0 = then->leverage, &r1 = now->leverage;
    c.before = r0.net(a, b);
    c.after = r1.net(a, b);
    const std::string &an = display_name(d.countries[a]), &bn = display_name(d.countries[b]);
    const double wm = d.leverage.weight_materials, wa = d.leverage.weight_market_access, wsum = wm + wa;
    if (wsum > 0.0) {
        auto part = [&](double sign, double weight, double x0, double x1, const std::string& what) {
            ChangePart p;
            p.delta = sign * weight / wsum * (x1 - x0);
            p.text = fmt::format("{:+.3f} from {}: {}", p.delta, what, arrow(x0, x1));
            c.parts.push_back(std::move(p));
        };
        part(+1, wm, r0.materials(a, b), r1.materials(a, b), an + "'s materials leverage over " + bn);
        part(-1, wm, r0.materials(b, a), r1.materials(b, a), bn + "'s materials leverage over " + an);
        part(+1, wa, r0.market_access(a, b), r1.market_access(a, b), an + "'s market access over " + bn);
        part(-1, wa, r0.market_access(b, a), r1.market_access(b, a), bn + "'s market access over " + an);
    }
    rank_parts(c);

    // What lies under the materials terms: the goods that moved most, with the shipments that
    // make a cut possible, then restrictions put in force or lifted.
    struct Good {
        GoodId g;
        double move;
        std::string text;
    };
    std::vector<Good> goods;
    const double per_year = d.turns_per_year();
    auto by_good = [](const PerGood<CountryMatrix<>>& m, GoodId g, CountryId x, CountryId y) {
        return g.index() < m.size() ? m[g].value_or(x, y) : 0.0;
    };
    auto shipped = [&](const TurnRecord& r, GoodId g, CountryId x, CountryId y) {
        return g.index() < r.outcome.flows.size() ? r.outcome.flows[g].value_or(x, y) * per_year : 0.0;
    };
    for (GoodId g : d.good_ids()) {
        for (const auto& [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
            const double d0 = by_good(r0.materials_by_good, g, x, y), d1 = by_good(r1.materials_by_good, g, x, y);
            const double s0 = shipped(*then, g, x, y), s1 = shipped(*now, g, x, y);
            if (std::abs(d1 - d0) < kChangeShown) continue;
            std::string text = fmt::format("{}: cutting it alone, {} could cost {} {}", display_name(d.goods[g]),
                                           display_name(d.countries[x]), display_name(d.countries[y]), arrow(d0, d1));
            if (std::abs(s1 - s0) >= 0.5)
                text += fmt::format(" ({} shipped {} → {} to {})", display_name(d.countries[x]),
                                    format_tonnes(s0, "t/yr"), format_tonnes(s1, "t/yr"), display_name(d.countries[y]));
            goods.push_back({g, std::abs(d1 - d0), std::move(text)});
        }
    }
    std::stable_sort(goods.begin(), goods.end(), [](const Good& x, const Good& y) { return x.move > y.move; });
    for (size_t i = 0; i < goods.size() && i < kChangeParts; ++i) c.drivers.push_back(goods[i].text);
    for (const auto& [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
        const double e0 = r0.materials_exercised.value_or(x, y), e1 = r1.materials_exercised.value_or(x, y);
        if (std::abs(e1 - e0) < kChangeShown) continue;
        c.drivers.push_back(fmt::format(
            "{}'s restrictions in force {} {} {} (exercised; the potential does not "
            "change with them)",
            display_name(d.countries[x]), e1 > e0 ? "now cost" : "cost", display_name(d.countries[y]), arrow(e0, e1)));
    }
    return c;
}

const char* to_string(LeverageChannel c) {
    switch (c) {
        case LeverageChannel::Materials:
            return "materials";
        case LeverageChannel::MarketAccess:
            return "market access";
        case LeverageChannel::Combined:
            break;
    }
    return "combined";
}

std::string stage_name(int stage) {
    switch (stage) {
        case 0:
            return "ore";
        case 1:
            return "oxide";
        case 2:
            return "magnet";
        default:
            return "stage " + std::to_string(stage);
    }
}

const PerCountry<std::vector<double>>& LeverageSeries::channel(LeverageChannel c) const {
    switch (c) {
        case LeverageChannel::Materials:
            return materials;
        case LeverageChannel::MarketAccess:
            return market_access;
        case LeverageChannel::Combined:
            break;
    }
    return combined;
}

int latest_turn(const Snapshot& snap) {
    return snap.history.empty() ? -1 : snap.history.back()->turn;
}

LeverageSeries leverage_over_time(const Snapshot& snap) {
    LeverageSeries s;
    const Definitions& d = *snap.defs;
    const int C = d.country_count();
    const size_t T = snap.history.size();
    for (const auto& c : d.countries) s.countries.push_back(display_name(c));
    s.combined.assign(static_cast<size_t>(C), std::vector<double>(T, kNaN));
    s.materials = s.combined;
    s.market_access = s.combined;
    s.exercised = s.combined;
    s.reserve = s.combined;
    for (size_t t = 0; t < T; ++t) {
        const TurnRecord& r = *snap.history[t];
        s.dates.push_back(r.date);
        if (!measured(r.leverage, C)) continue;
        s.measured = true;
        for (CountryId c : d.country_ids()) {
            s.combined[c][t] = r.leverage.index_combined[c];
            if (r.leverage.index_materials.count() == C) s.materials[c][t] = r.leverage.index_materials[c];
            if (r.leverage.index_market_access.count() == C) s.market_access[c][t] = r.leverage.index_market_access[c];
            if (r.leverage.index_exercised.count() == C) s.exercised[c][t] = r.leverage.index_exercised[c];
            if (r.leverage.index_reserve.count() == C) s.reserve[c][t] = r.leverage.index_reserve[c];
        }
    }
    return s;
}

LeverageStack exercised_vs_reserve(const Snapshot& snap, std::optional<CountryId> country) {
    LeverageStack k;
    const Definitions& d = *snap.defs;
    if (d.country_count() == 0) return k;
    k.country = clamp_country(d, country);
    k.name = display_name(d.countries[k.country]);
    const LeverageSeries s = leverage_over_time(snap);
    k.dates = s.dates;
    k.measured = s.measured;
    const auto& ex = s.exercised[k.country];
    const auto& re = s.reserve[k.country];
    for (size_t t = 0; t < ex.size(); ++t) {
        k.exercised.push_back(ex[t]);
        k.stacked.push_back(ex[t] + re[t]);
        if (std::isfinite(ex[t]) && std::isfinite(re[t])) {
            k.latest_exercised = ex[t];
            k.latest_reserve = re[t];
        }
    }
    return k;
}

const std::vector<GlossaryEntry>& leverage_glossary() {
    static const std::vector<GlossaryEntry> entries = {
        {"Potential",
         "D(A over B): the share of B's weighted demand a full cut of A's supplies would leave "
         "unmet over the next turns, measured against A's exports to B fully open (no embargo, "
         "licence, duty or quota of A's). Using a restriction does not lower it."},
        {"Exercised",
         "The part of the potential A uses now: what A's restrictions in force (embargo, refused "
         "licences, duties, export quota) cost B, against fully open trade. 0 when A restricts "
         "nothing toward B."},
        {"Reserve",
         "The part A still holds back: what a full cut would add to what B suffers today. "
         "Exercised + reserve = potential."},
        {"Index",
         "A country's leverage over everyone: the sum over the others of each one's share of world "
         "demand times the country's leverage over it. 0-1."},
        {"Net",
         "A over B minus B over A. Positive (orange): A holds more over B than B over A. "
         "Negative (blue): B does."},
        {"Market access",
         "What A's harshest tariff would cost B: the share of B's exports that go to A and would be "
         "lost. From the scenario's trade figures."},
        {"Combined",
         "Potential materials leverage and market access, weighted by the scenario (70/30 by "
         "default). Scores, the index and the net matrix use it."},
    };
    return entries;
}

NetMatrix net_matrix(const Snapshot& snap, int turn, LeverageChannel channel) {
    NetMatrix m;
    m.channel = channel;
    const Definitions& d = *snap.defs;
    const int C = d.country_count();
    const TurnRecord* r = record_at(snap, turn);
    for (CountryId c : d.country_ids()) m.order.push_back(c);
    if (r) {
        m.turn = r->turn;
        m.date = r->date;
        m.measured = measured(r->leverage, C);
    }
    if (m.measured) {
        const PerCountry<double>& index = index_of(r->leverage, channel);
        if (index.count() == C)
            std::stable_sort(m.order.begin(), m.order.end(),
                             [&](CountryId x, CountryId y) { return index[x] > index[y]; });
    }
    std::vector<std::string> ids;
    for (const auto& country : d.countries) ids.push_back(country.id);
    const std::vector<std::string> codes = country_codes(ids);
    for (CountryId c : m.order) {
        m.labels.push_back(display_name(d.countries[c]));
        m.codes.push_back(codes[c.index()]);
    }
    if (!m.measured) return m;
    m.net.assign(static_cast<size_t>(C), std::vector<double>(static_cast<size_t>(C), 0.0));
    for (size_t i = 0; i < m.order.size(); ++i)
        for (size_t j = 0; j < m.order.size(); ++j) {
            if (i == j) continue;
            const double v = net_of(r->leverage, channel, m.order[i], m.order[j]);
            m.net[i][j] = v;
            m.span = std::max(m.span, std::abs(v));
        }
    return m;
}

PairBreakdown pair_breakdown(const Snapshot& snap, CountryId a, CountryId b, int turn) {
    PairBreakdown p;
    const Definitions& d = *snap.defs;
    const int C = d.country_count();
    p.a = clamp_country(d, a);
    p.b = clamp_country(d, b);
    p.weight_materials = d.leverage.weight_materials;
    p.weight_market_access = d.leverage.weight_market_access;
    if (C == 0) return p;
    const CountryId ca = p.a, cb = p.b;
    p.a_name = display_name(d.countries[ca]);
    p.b_name = display_name(d.countries[cb]);
    const TurnRecord* r = record_at(snap, turn);
    if (!r) return p;
    p.turn = r->turn;
    p.date = r->date;
    p.measured = measured(r->leverage, C) && ca != cb;
    const LeverageReport& lev = r->leverage;
    const MarketOutcome& o = r->outcome;
    const double per_year = d.turns_per_year();

    // One line per good, then the stages as sums of their goods' lines.
    for (GoodId g : d.good_ids()) {
        PairLine line;
        line.good = g;
        line.stage = d.goods[g].stage;
        line.name = display_name(d.goods[g]);
        if (g.index() < o.flows.size()) {
            line.a_ships_to_b = o.flows[g].value_or(ca, cb) * per_year;
            line.b_ships_to_a = o.flows[g].value_or(cb, ca) * per_year;
        }
        if (p.measured && g.index() < lev.materials_by_good.size()) {
            line.a_over_b = lev.materials_by_good[g].value_or(ca, cb);
            line.b_over_a = lev.materials_by_good[g].value_or(cb, ca);
        }
        if (p.measured && g.index() < lev.materials_exercised_by_good.size()) {
            line.exercised_a_over_b = lev.materials_exercised_by_good[g].value_or(ca, cb);
            line.exercised_b_over_a = lev.materials_exercised_by_good[g].value_or(cb, ca);
        }
        line.net = line.a_over_b - line.b_over_a;
        p.goods.push_back(line);
    }
    for (const PairLine& g : p.goods) {
        auto it = std::find_if(p.stages.begin(), p.stages.end(), [&](const PairLine& s) { return s.stage == g.stage; });
        if (it == p.stages.end()) {
            PairLine s;
            s.stage = g.stage;
            s.name = stage_name(g.stage);
            p.stages.push_back(s);
            it = p.stages.end() - 1;
        }
        it->a_over_b += g.a_over_b;
        it->b_over_a += g.b_over_a;
        it->exercised_a_over_b += g.exercised_a_over_b;
        it->exercised_b_over_a += g.exercised_b_over_a;
        it->net += g.net;
        it->a_ships_to_b += g.a_ships_to_b;
        it->b_ships_to_a += g.b_ships_to_a;
    }
    std::stable_sort(p.stages.begin(), p.stages.end(),
                     [](const PairLine& x, const PairLine& y) { return x.stage < y.stage; });
    if (!p.measured) return p;
    p.materials_a_over_b = lev.materials(ca, cb);
    p.materials_b_over_a = lev.materials(cb, ca);
    p.exercised_a_over_b = lev.materials_exercised.value_or(ca, cb);
    p.exercised_b_over_a = lev.materials_exercised.value_or(cb, ca);
    p.reserve_a_over_b = lev.materials_reserve.value_or(ca, cb);
    p.reserve_b_over_a = lev.materials_reserve.value_or(cb, ca);
    p.access_a_over_b = lev.market_access.value_or(ca, cb);
    p.access_b_over_a = lev.market_access.value_or(cb, ca);
    p.combined_a_over_b = lev.combined(ca, cb);
    p.combined_b_over_a = lev.combined(cb, ca);
    p.net = lev.net(ca, cb);
    return p;
}

std::vector<std::string> country_codes(const std::vector<std::string>& ids) {
    // Each id as the letters its code is cut from: initials of the leading words, then the last word.
    std::vector<std::string> letters;
    for (const std::string& id : ids) {
        std::string l;
        const size_t last = id.find_last_of("_ ");
        bool word_start = true;
        for (size_t k = 0; last != std::string::npos && k < last; ++k) {
            if (id[k] == '_' || id[k] == ' ')
                word_start = true;
            else if (word_start) {
                l += id[k];
                word_start = false;
            }
        }
        l += last == std::string::npos ? id : id.substr(last + 1);
        for (char& ch : l) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        letters.push_back(l);
    }
    std::vector<size_t> length(ids.size(), 3);
    auto code = [&](size_t i) { return letters[i].substr(0, length[i]); };
    for (bool clash = true; clash;) {
        clash = false;
        for (size_t i = 0; i < ids.size(); ++i)
            for (size_t j = i + 1; j < ids.size(); ++j)
                if (code(i) == code(j) && (length[i] < letters[i].size() || length[j] < letters[j].size())) {
                    ++length[i];
                    ++length[j];
                    clash = true;
                }
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < ids.size(); ++i) out.push_back(code(i));
    return out;
}

std::string short_name(const std::string& name) {
    if (name.find(' ') == std::string::npos) return name;
    std::string initials;
    bool word_start = true;
    for (char ch : name) {
        if (ch == ' ')
            word_start = true;
        else if (word_start) {
            initials += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            word_start = false;
        }
    }
    return initials;
}

}  // namespace chokepoint::view
