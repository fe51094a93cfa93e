#include "engine/savegame/command_json.hpp"

#include <cmath>
#include <stdexcept>

#include "engine/commands/dispatch.hpp"

namespace chokepoint {

namespace {

using json = nlohmann::json;

json num(double x) {
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    return x;
}
double dbl(const json& j) {
    if (j.is_string()) return j.get<std::string>() == "-inf" ? -HUGE_VAL : HUGE_VAL;
    return j.get<double>();
}

json clause_json(const Clause& c) {
    return {{"kind", static_cast<int>(c.kind)}, {"from", c.from.value()}, {"to", c.to.value()},
            {"good", c.good ? json(c.good->value()) : json(nullptr)}, {"tonnes", num(c.tonnes)},
            {"price", num(c.price)}, {"usd", num(c.usd)}, {"per_turn", c.per_turn}, {"share", num(c.share)},
            {"capex_share", num(c.capex_share)}, {"regime", static_cast<int>(c.regime)}, {"rate", num(c.rate)},
            {"civilian_only", c.civilian_only}, {"max_delay", c.max_delay}, {"turns", c.turns}};
}
Clause clause_of(const json& j) {
    Clause c;
    c.kind = static_cast<ClauseKind>(j.at("kind").get<int>());
    c.from = CountryId{j.at("from").get<int>()}, c.to = CountryId{j.at("to").get<int>()};
    if (!j.at("good").is_null()) c.good = GoodId{j.at("good").get<int>()};
    c.tonnes = dbl(j.at("tonnes")), c.price = dbl(j.at("price")), c.usd = dbl(j.at("usd"));
    c.per_turn = j.at("per_turn").get<bool>(), c.share = dbl(j.at("share")), c.capex_share = dbl(j.at("capex_share"));
    c.regime = static_cast<Regime>(j.at("regime").get<int>()), c.rate = dbl(j.at("rate"));
    c.civilian_only = j.at("civilian_only").get<bool>(), c.max_delay = j.at("max_delay").get<int>();
    c.turns = j.at("turns").get<int>();
    return c;
}
json clauses_json(const std::vector<Clause>& v) {
    json a = json::array();
    for (const auto& c : v) a.push_back(clause_json(c));
    return a;
}
std::vector<Clause> clauses_of(const json& j) {
    std::vector<Clause> v;
    for (const auto& c : j) v.push_back(clause_of(c));
    return v;
}
GoodId good_of(const json& j) { return GoodId{j.at("good").get<int>()}; }
// A country that may be none (every destination, at home): its index, or -1 for none (the saved form).
json country_or_none(std::optional<CountryId> c) { return c ? c->value() : -1; }
std::optional<CountryId> country_or_none_of(const json& j) {
    const int c = j.get<int>();
    return c == -1 ? std::nullopt : std::optional<CountryId>(CountryId{c});
}
json country_list(const std::vector<CountryId>& v) {
    json a = json::array();
    for (CountryId c : v) a.push_back(c.value());
    return a;
}
std::vector<CountryId> country_list_of(const json& j) {
    std::vector<CountryId> v;
    for (const auto& c : j) v.push_back(CountryId{c.get<int>()});
    return v;
}

}  // namespace

json command_to_json(const Command& cmd) {
    json j = std::visit(
        [](const auto& c) -> json {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, SetExportRegime>)
                return {{"good", c.good.value()}, {"destination", country_or_none(c.destination)}, {"regime", static_cast<int>(c.regime)}};
            else if constexpr (std::is_same_v<T, SetExportDuty>)
                return {{"good", c.good.value()}, {"destination", country_or_none(c.destination)}, {"rate", num(c.rate)}};
            else if constexpr (std::is_same_v<T, DecideLicense>)
                return {{"application_id", c.application_id}, {"decision", static_cast<int>(c.decision)},
                        {"tonnes_per_turn", num(c.tonnes_per_turn)}, {"validity_turns", c.validity_turns},
                        {"civilian_only", c.civilian_only}, {"scripted", c.scripted}};
            else if constexpr (std::is_same_v<T, RevokeLicense>)
                return {{"license_id", c.license_id}};
            else if constexpr (std::is_same_v<T, SetProductionQuota> || std::is_same_v<T, SetExportQuota>)
                return {{"good", c.good.value()}, {"tonnes_per_year", num(c.tonnes_per_year)}};
            else if constexpr (std::is_same_v<T, StockpileBuy>)
                return {{"good", c.good.value()}, {"tonnes", num(c.tonnes)}, {"max_price", num(c.max_price)}};
            else if constexpr (std::is_same_v<T, StockpileRelease>)
                return {{"good", c.good.value()}, {"tonnes", num(c.tonnes)}, {"min_price", num(c.min_price)}};
            else if constexpr (std::is_same_v<T, StartProject>)
                return {{"host", country_or_none(c.host)}, {"good", c.good.value()}, {"tonnes_per_year", num(c.tonnes_per_year)},
                        {"output_share", num(c.output_share)}};
            else if constexpr (std::is_same_v<T, SetSubsidy> || std::is_same_v<T, SetPriceFloor>)
                return {{"good", c.good.value()}, {"usd_per_tonne", num(c.usd_per_tonne)}};
            else if constexpr (std::is_same_v<T, SetDefensePriority>)
                return {{"good", c.good.value()}, {"on", c.on}};
            else if constexpr (std::is_same_v<T, SetTariff>)
                return {{"good", c.good.value()}, {"origin", country_or_none(c.origin)}, {"rate", num(c.rate)}};
            else if constexpr (std::is_same_v<T, Propose>)
                return {{"to", country_list(c.to)}, {"clauses", clauses_json(c.clauses)}, {"turns", c.turns}, {"note", c.note}};
            else if constexpr (std::is_same_v<T, Respond>)
                return {{"proposal_id", c.proposal_id}, {"answer", static_cast<int>(c.answer)},
                        {"clauses", clauses_json(c.clauses)}, {"turns", c.turns}, {"note", c.note}};
            else
                return {{"agreement_id", c.agreement_id}, {"note", c.note}};
        },
        cmd);
    j["command"] = command_name(cmd);
    j["index"] = cmd.index();
    return j;
}

Command command_from_json(const json& j) {
    const auto i = j.at("index").get<size_t>();
    switch (i) {
        case 0: return SetExportRegime{good_of(j), country_or_none_of(j.at("destination")), static_cast<Regime>(j.at("regime").get<int>())};
        case 1: return SetExportDuty{good_of(j), country_or_none_of(j.at("destination")), dbl(j.at("rate"))};
        case 2: {
            DecideLicense c;
            c.application_id = j.at("application_id").get<int>();
            c.decision = static_cast<LicenseDecisionKind>(j.at("decision").get<int>());
            c.tonnes_per_turn = dbl(j.at("tonnes_per_turn"));
            c.validity_turns = j.at("validity_turns").get<int>();
            c.civilian_only = j.at("civilian_only").get<bool>();
            c.scripted = j.at("scripted").get<bool>();
            return c;
        }
        case 3: return RevokeLicense{j.at("license_id").get<int>()};
        case 4: return SetProductionQuota{good_of(j), dbl(j.at("tonnes_per_year"))};
        case 5: return SetExportQuota{good_of(j), dbl(j.at("tonnes_per_year"))};
        case 6: return StockpileBuy{good_of(j), dbl(j.at("tonnes")), dbl(j.at("max_price"))};
        case 7: return StockpileRelease{good_of(j), dbl(j.at("tonnes")), dbl(j.at("min_price"))};
        case 8: return StartProject{country_or_none_of(j.at("host")), good_of(j), dbl(j.at("tonnes_per_year")), dbl(j.at("output_share"))};
        case 9: return SetSubsidy{good_of(j), dbl(j.at("usd_per_tonne"))};
        case 10: return SetPriceFloor{good_of(j), dbl(j.at("usd_per_tonne"))};
        case 11: return SetTariff{good_of(j), country_or_none_of(j.at("origin")), dbl(j.at("rate"))};
        case 12: return Propose{country_list_of(j.at("to")), clauses_of(j.at("clauses")), j.at("turns").get<int>(), j.at("note").get<std::string>()};
        case 13: return Respond{j.at("proposal_id").get<int>(), static_cast<AnswerKind>(j.at("answer").get<int>()), clauses_of(j.at("clauses")), j.at("turns").get<int>(), j.at("note").get<std::string>()};
        case 14: return Withdraw{j.at("agreement_id").get<int>(), j.at("note").get<std::string>()};
        case 15: return SetDefensePriority{good_of(j), j.at("on").get<bool>()};
        default: throw std::invalid_argument("unknown command index " + std::to_string(i));
    }
}

namespace {

json commands_json(const std::vector<Command>& commands) {
    json a = json::array();
    for (const auto& c : commands) a.push_back(command_to_json(c));
    return a;
}

std::vector<Command> commands_of(const json& j) {
    std::vector<Command> v;
    for (const auto& c : j) v.push_back(command_from_json(c));
    return v;
}

}  // namespace

json decisions_to_json(const std::optional<std::vector<Command>>& commands, const std::vector<Command>& advice) {
    return {{"human", true}, {"commands", commands ? commands_json(*commands) : json(nullptr)},
            {"advice", commands_json(advice)}};
}

std::optional<std::vector<Command>> decisions_from_json(const json& j) {
    if (j.at("commands").is_null()) return std::nullopt;
    return commands_of(j.at("commands"));
}

std::optional<std::vector<Command>> advice_from_json(const json& j) {
    if (!j.contains("advice")) return std::nullopt;
    return commands_of(j.at("advice"));
}

}  // namespace chokepoint

// The variant's order is fixed by the switch above; a new command must be added there.
static_assert(std::variant_size_v<chokepoint::Command> == 16, "command_from_json: a command was added or removed");
