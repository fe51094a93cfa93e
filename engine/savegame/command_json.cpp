#include "engine/savegame/command_json.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "engine/commands/dispatch.hpp"
#include "engine/commands/table.hpp"

namespace chokepoint {

namespace {

using json = nlohmann::json;

json num(double x) {
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    return x;
}
double dbl(const json& j) {
    if (j.is_string()) {
        const std::string s = j.get<std::string>();
        if (s == "inf") return HUGE_VAL;
        if (s == "-inf") return -HUGE_VAL;
        throw std::invalid_argument("a number was expected, got \"" + s + "\"");
    }
    return j.get<double>();
}

// A whole number that fits an int (a larger one would wrap); throws std::out_of_range.
int int_field(const json& j) {
    if (!j.is_number_integer()) return j.get<int>();  // nlohmann's own type_error for anything else
    const auto v = j.get<long long>();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
        throw std::out_of_range("the number " + j.dump() + " is out of range");
    return static_cast<int>(v);
}

// The number of values of each enum a command holds (their integers run 0 .. count-1).
template <class E>
constexpr int enum_values();
template <>
constexpr int enum_values<Regime>() { return static_cast<int>(Regime::Embargo) + 1; }
template <>
constexpr int enum_values<LicenseDecisionKind>() { return static_cast<int>(LicenseDecisionKind::Defer) + 1; }
template <>
constexpr int enum_values<AnswerKind>() { return static_cast<int>(AnswerKind::Counter) + 1; }
template <>
constexpr int enum_values<ClauseKind>() { return kClauseKindCount; }

template <class E>
E enum_field(const json& j) {
    const int i = int_field(j);
    if (i < 0 || i >= enum_values<E>())
        throw std::out_of_range("the value " + std::to_string(i) + " is not one of the " +
                                std::to_string(enum_values<E>()) + " allowed (0 to " + std::to_string(enum_values<E>() - 1) + ")");
    return static_cast<E>(i);
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
    c.kind = enum_field<ClauseKind>(j.at("kind"));
    c.from = CountryId{int_field(j.at("from"))}, c.to = CountryId{int_field(j.at("to"))};
    if (!j.at("good").is_null()) c.good = GoodId{int_field(j.at("good"))};
    c.tonnes = dbl(j.at("tonnes")), c.price = dbl(j.at("price")), c.usd = dbl(j.at("usd"));
    c.per_turn = j.at("per_turn").get<bool>(), c.share = dbl(j.at("share")), c.capex_share = dbl(j.at("capex_share"));
    c.regime = enum_field<Regime>(j.at("regime")), c.rate = dbl(j.at("rate"));
    c.civilian_only = j.at("civilian_only").get<bool>(), c.max_delay = int_field(j.at("max_delay"));
    c.turns = int_field(j.at("turns"));
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
// A field's saved form, by its type: numbers with infinities as strings, ids and enums as
// their integers, a country that may be none as -1.
json saved(double x) { return num(x); }
json saved(int x) { return x; }
json saved(bool x) { return x; }
json saved(const std::string& x) { return x; }
json saved(GoodId g) { return g.value(); }
json saved(std::optional<CountryId> c) { return c ? c->value() : -1; }
json saved(const std::vector<Clause>& v) { return clauses_json(v); }
json saved(const std::vector<CountryId>& v) {
    json a = json::array();
    for (CountryId c : v) a.push_back(c.value());
    return a;
}
template <class E>
    requires std::is_enum_v<E>
json saved(E e) {
    return static_cast<int>(e);
}

void load(const json& j, double& x) { x = dbl(j); }
void load(const json& j, int& x) { x = int_field(j); }
void load(const json& j, bool& x) { x = j.get<bool>(); }
void load(const json& j, std::string& x) { x = j.get<std::string>(); }
void load(const json& j, GoodId& g) { g = GoodId{int_field(j)}; }
void load(const json& j, std::optional<CountryId>& c) {
    const int i = int_field(j);
    c = i == -1 ? std::nullopt : std::optional<CountryId>(CountryId{i});
}
void load(const json& j, std::vector<Clause>& v) { v = clauses_of(j); }
void load(const json& j, std::vector<CountryId>& v) {
    v.clear();
    for (const auto& c : j) v.push_back(CountryId{int_field(c)});
}
template <class E>
    requires std::is_enum_v<E>
void load(const json& j, E& e) {
    e = enum_field<E>(j);
}

// A command of type T from its saved fields (CommandTraits<T>::fields).
template <class T>
Command command_of(const json& j) {
    T c{};
    std::apply([&](const auto&... f) { (load(j.at(f.key), c.*f.member), ...); }, CommandTraits<T>::fields);
    return c;
}

using CommandReader = Command (*)(const json&);
template <std::size_t... I>
constexpr std::array<CommandReader, sizeof...(I)> command_readers(std::index_sequence<I...>) {
    return {&command_of<std::variant_alternative_t<I, Command>>...};
}
// kReaders[i] reads the Command variant's alternative i (the saved "index").
constexpr auto kReaders = command_readers(std::make_index_sequence<std::variant_size_v<Command>>{});

}  // namespace

json command_to_json(const Command& cmd) {
    json j = std::visit(
        [](const auto& c) {
            json fields = json::object();
            std::apply([&](const auto&... f) { ((fields[std::string(f.key)] = saved(c.*f.member)), ...); },
                       CommandTraits<std::decay_t<decltype(c)>>::fields);
            return fields;
        },
        cmd);
    j["command"] = command_name(cmd);
    j["index"] = cmd.index();
    return j;
}

Command command_from_json(const json& j) {
    const auto i = j.at("index").get<size_t>();
    if (i >= kReaders.size()) throw std::invalid_argument("unknown command index " + std::to_string(i));
    return kReaders[i](j);
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
    if (!j.contains("commands") || j.at("commands").is_null()) return std::nullopt;
    return commands_of(j.at("commands"));
}

std::optional<std::vector<Command>> advice_from_json(const json& j) {
    if (!j.contains("advice")) return std::nullopt;
    return commands_of(j.at("advice"));
}

bool has_decisions(const json& j) { return j.contains("commands"); }

json talk_to_json(int round, const std::vector<Command>& commands, bool done) {
    return {{"round", round}, {"commands", commands_json(commands)}, {"done", done}};
}

std::optional<std::vector<SavedTalk>> talks_from_json(const json& j) {
    if (!j.contains("talks")) return std::vector<SavedTalk>{};
    if (j.at("talks").is_null()) return std::nullopt;
    std::vector<SavedTalk> out;
    for (const auto& t : j.at("talks"))
        out.push_back({t.at("round").get<int>(), commands_of(t.at("commands")), t.at("done").get<bool>()});
    return out;
}

}  // namespace chokepoint

