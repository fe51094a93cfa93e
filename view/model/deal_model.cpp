#include "view/model/deal_model.hpp"

#include <fmt/format.h>

#include "engine/world/names.hpp"

namespace chokepoint::view {

namespace {

std::string span_of(const Clause& c) { return c.turns > 0 ? fmt::format(", for {} turns", c.turns) : ""; }

std::string usd_text(double usd) {
    if (usd >= 1e9) return fmt::format("${:.2f} bn", usd / 1e9);
    return fmt::format("${:.1f}M", usd / 1e6);
}

// What the clause's giver (c.from) gives, and what the other side gives in return under it ("" when nothing).
std::pair<std::string, std::string> sides_of(const Definitions& d, const Clause& c) {
    const std::string good = c.good ? display_name(d.goods[*c.good]) : "all goods";
    const std::string& to = display_name(d.countries[c.to]);
    switch (c.kind) {
        case ClauseKind::Supply:
            return {fmt::format("{:.0f} t/turn of {}{}", c.tonnes, good, span_of(c)),
                    fmt::format("pays ${:.0f}/kg for it: {} a turn", c.price / 1000, usd_text(c.price * c.tonnes))};
        case ClauseKind::LicenseFacilitation:
            return {fmt::format("a general export licence for {:.0f} t/turn of {}{}, decided within {} turn(s){}",
                                c.tonnes, good, c.civilian_only ? " (civilian use only)" : "", c.max_delay, span_of(c)),
                    ""};
        case ClauseKind::RegimeChange:
            return {fmt::format("exports of {} to {} made {}{}", good, to, to_string(c.regime), span_of(c)), ""};
        case ClauseKind::Investment:
            return {fmt::format("{:.0f}% of the capital of {:.0f} t/yr of {} capacity built in {}", c.capex_share * 100,
                                c.tonnes, good, to),
                    fmt::format("{:.0f}% of that plant's output", c.share * 100)};
        case ClauseKind::StockpileLoan:
            return {fmt::format("a loan of {:.0f} t of {} from its stockpile", c.tonnes, good),
                    fmt::format("returns the {:.0f} t after {}", c.tonnes,
                                c.turns > 0 ? fmt::format("{} turns", c.turns) : std::string("the agreement"))};
        case ClauseKind::Payment:
            return {fmt::format("{}{}", usd_text(c.usd), c.per_turn ? " a turn" : ", once"), ""};
        case ClauseKind::TariffChange:
            return {fmt::format("a tariff of {:.0f}% on {} from {}{}", c.rate * 100, good, to, span_of(c)), ""};
        case ClauseKind::EndUseAssurance:
            return {fmt::format("an assurance that its {} goes to civilian use only{}", good, span_of(c)), ""};
        case ClauseKind::Count: break;
    }
    return {"?", ""};
}

}  // namespace

DealModel deal_model(const Definitions& d, CountryId from, CountryId to, const std::vector<Clause>& clauses, int turns,
                     int start) {
    DealModel m;
    m.a = from;
    m.b = to;
    m.a_name = display_name(d.countries[from]);
    m.b_name = display_name(d.countries[to]);
    for (const Clause& c : clauses) {
        const auto [gives, returned] = sides_of(d, c);
        const bool by_a = c.from == from;
        (by_a ? m.a_gives : m.b_gives).push_back(gives);
        if (!returned.empty()) (by_a ? m.b_gives : m.a_gives).push_back(returned);
    }
    m.terms = fmt::format("{} turn{}, {} to {}", turns, turns == 1 ? "" : "s", d.date_of_turn(start),
                          d.date_of_turn(start + turns - 1));
    return m;
}

}  // namespace chokepoint::view
