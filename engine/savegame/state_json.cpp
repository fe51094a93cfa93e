#include "engine/savegame/state_json.hpp"

#include <cmath>
#include <set>
#include <stdexcept>

#include "engine/output/sha256.hpp"

namespace chokepoint {

namespace {

using json = nlohmann::json;

json num(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    return x;
}
json num(int x) { return x; }

template <class V>
json arr(const V& v) {
    json a = json::array();
    for (const auto& x : v) a.push_back(num(x));
    return a;
}

template <class T, class R, class C>
json grid(const Grid<T, R, C>& g) {
    return json{{"rows", g.rows}, {"cols", g.cols}, {"cells", arr(g.cells)}};
}

template <class G>
json grids(const PerGood<G>& v) {
    json a = json::array();
    for (const auto& g : v) a.push_back(grid(g));
    return a;
}

json good(std::optional<GoodId> g) { return g ? json(g->value()) : json(nullptr); }

// A destination that may be every country: its index, or -1 for all (the saved form).
json country_or_all(std::optional<CountryId> c) { return c ? c->value() : -1; }

json clause(const Clause& c) {
    return {{"kind", static_cast<int>(c.kind)}, {"from", c.from.value()},          {"to", c.to.value()},
            {"good", good(c.good)},             {"tonnes", num(c.tonnes)}, {"price", num(c.price)},
            {"usd", num(c.usd)},                {"per_turn", c.per_turn},  {"share", num(c.share)},
            {"capex_share", num(c.capex_share)}, {"regime", static_cast<int>(c.regime)}, {"rate", num(c.rate)},
            {"civilian_only", c.civilian_only}, {"max_delay", c.max_delay}, {"turns", c.turns}};
}

json clauses(const std::vector<Clause>& v) {
    json a = json::array();
    for (const auto& c : v) a.push_back(clause(c));
    return a;
}

json country(const CountryState& c) {
    return {{"treasury", num(c.treasury)},
            {"economy_cash", num(c.economy_cash)},
            {"reserves", arr(c.reserves)},
            {"capacity", arr(c.capacity)},
            {"unit_cost", arr(c.unit_cost)},
            {"stock", arr(c.stock)},
            {"controlled", grid(c.controlled)},
            {"stockpile", arr(c.stockpile)},
            {"sector_demand", arr(c.sector_demand)},
            {"thrift", arr(c.thrift)},
            {"production_quota", arr(c.production_quota)},
            {"export_quota", arr(c.export_quota)},
            {"subsidy", arr(c.subsidy)},
            {"price_floor", arr(c.price_floor)},
            {"trust", arr(c.trust)},
            {"stockpile_target_months", arr(c.stockpile_target_months)},
            {"defense_priority", arr(c.defense_priority)}};
}

json markets(const MarketOutcome& m) {
    return {{"price", grid(m.price)},
            {"supply_price", grid(m.supply_price)},
            {"produced", grid(m.produced)},
            {"consumed", grid(m.consumed)},
            {"used_as_input", grid(m.used_as_input)},
            {"imported", grid(m.imported)},
            {"exported", grid(m.exported)},
            {"stock_change", grid(m.stock_change)},
            {"stockpile_change", grid(m.stockpile_change)},
            {"demand", grid(m.demand)},
            {"met", grid(m.met)},
            {"flows", grids(m.flows)},
            {"cash", grid(m.cash)},
            {"env_cost", grid(m.env_cost)},
            {"controlled_in", grids(m.controlled_in)},
            {"controlled_made", grids(m.controlled_made)},
            {"controlled_out", grids(m.controlled_out)},
            {"reexport_breach", grids(m.reexport_breach)}};
}

json licensing(const State& s) {
    json apps = json::array(), lics = json::array(), pols = json::array(), prac = json::array();
    for (const auto& a : s.applications)
        apps.push_back({{"id", a.id}, {"exporter", a.exporter.value()}, {"importer", a.importer.value()}, {"good", a.good.value()},
                        {"tonnes_per_turn", num(a.tonnes_per_turn)}, {"end_use", static_cast<int>(a.end_use)},
                        {"filed_turn", a.filed_turn}, {"decidable_turn", a.decidable_turn},
                        {"status", static_cast<int>(a.status)}, {"decided_turn", a.decided_turn},
                        {"review_days", num(a.review_days)}, {"first_turn_share", num(a.first_turn_share)},
                        {"start_turn", a.start_turn}});
    for (const auto& l : s.licenses)
        lics.push_back({{"id", l.id}, {"application_id", l.application_id}, {"exporter", l.exporter.value()},
                        {"importer", l.importer.value()}, {"good", l.good.value()}, {"tonnes_per_turn", num(l.tonnes_per_turn)},
                        {"first_turn", l.first_turn}, {"last_turn", l.last_turn}, {"civilian_only", l.civilian_only},
                        {"revoked", l.revoked}, {"shipped", num(l.shipped)}, {"agreement_id", l.agreement_id},
                        {"first_turn_share", num(l.first_turn_share)}, {"scripted", l.scripted},
                        {"requested", num(l.requested)}});
    for (const auto& p : s.approval_policies)
        pols.push_back({{"exporter", p.exporter.value()}, {"good", p.good.value()}, {"destination", country_or_all(p.destination)},
                        {"share", num(p.share)}, {"review_days", num(p.review_days)}, {"deny_defense", p.deny_defense},
                        {"civilian_only", p.civilian_only}, {"validity_turns", p.validity_turns},
                        {"scripted", p.scripted}});
    for (const auto& p : s.license_practice)
        prac.push_back({{"exporter", p.exporter.value()}, {"importer", p.importer.value()}, {"good", p.good.value()},
                        {"civilian", num(p.civilian)}, {"defense", num(p.defense)}});
    return {{"applications", apps}, {"licenses", lics}, {"approval_policies", pols}, {"license_practice", prac}};
}

json projects(const State& s) {
    json a = json::array();
    for (const auto& p : s.projects)
        a.push_back({{"id", p.id}, {"owner", p.owner.value()}, {"host", p.host.value()}, {"good", p.good.value()},
                     {"tonnes_per_year", num(p.tonnes_per_year)}, {"capex", num(p.capex)},
                     {"capex_paid", num(p.capex_paid)}, {"output_share", num(p.output_share)},
                     {"owner_capex_share", num(p.owner_capex_share)}, {"private_firms", p.private_firms},
                     {"start_turn", p.start_turn}, {"online_turn", p.online_turn}, {"delays", p.delays},
                     {"online", p.online}, {"ramp_level", num(p.ramp_level)}});
    return a;
}

json queues(const State& s) {
    json shocks = json::array(), orders = json::array();
    for (const auto& x : s.shocks)
        shocks.push_back({{"country", x.country.value()}, {"good", x.good.value()}, {"factor", num(x.factor)},
                          {"until_turn", x.until_turn}});
    for (const auto& o : s.stockpile_orders)
        orders.push_back({{"country", o.country.value()}, {"good", o.good.value()}, {"tonnes", num(o.tonnes)},
                          {"limit_price", num(o.limit_price)}});
    return {{"shocks", shocks}, {"stockpile_orders", orders}};
}

json diplomacy(const State& s) {
    json props = json::array(), agrs = json::array();
    for (const auto& p : s.proposals)
        props.push_back({{"id", p.id}, {"from", p.from.value()}, {"to", p.to.value()}, {"clauses", clauses(p.clauses)},
                         {"turns", p.turns}, {"note", p.note}, {"counter_to", p.counter_to},
                         {"sent_turn", p.sent_turn}, {"sent_round", p.sent_round}, {"deadline_turn", p.deadline_turn},
                         {"presented", p.presented}, {"status", static_cast<int>(p.status)},
                         {"answered_turn", p.answered_turn}, {"reason", p.reason}, {"agreement_id", p.agreement_id}});
    for (const auto& a : s.agreements) {
        json prog = json::array();
        for (const auto& g : a.progress)
            prog.push_back({{"last_turn", g.last_turn}, {"delivered", num(g.delivered)}, {"arrears", num(g.arrears)},
                            {"this_turn", num(g.this_turn)}, {"license_id", g.license_id},
                            {"project_id", g.project_id}, {"settled", g.settled}});
        agrs.push_back({{"id", a.id}, {"proposal_id", a.proposal_id}, {"proposer", a.proposer.value()},
                        {"acceptor", a.acceptor.value()}, {"clauses", clauses(a.clauses)}, {"progress", prog},
                        {"start_turn", a.start_turn}, {"end_turn", a.end_turn}, {"note", a.note},
                        {"status", static_cast<int>(a.status)}, {"ended_turn", a.ended_turn},
                        {"ended_by", a.ended_by.value()}, {"withdraw_turn", a.withdraw_turn}, {"end_reason", a.end_reason},
                        {"breaches", a.breaches}});
    }
    return {{"proposals", props}, {"agreements", agrs}, {"negotiation_round", s.negotiation_round}};
}

}  // namespace

json state_snapshot(const Definitions& defs, const State& s) {
    json countries = json::object(), order = json::array();
    for (CountryId c : s.countries.ids()) {
        const std::string id = defs.has_country(c) ? defs.countries[c].id : "country" + std::to_string(c.value());
        countries[id] = country(s.countries[c]);
        order.push_back(id);
    }
    json rules = json{{"rows", s.rules.grid.rows}, {"cols", s.rules.grid.cols}, {"cells", json::array()}};
    for (const auto& r : s.rules.grid.cells) rules["cells"].push_back({static_cast<int>(r.regime), num(r.duty)});
    json rng = json::array();
    for (auto x : s.rng_state) rng.push_back(std::to_string(x));  // as text: exact for 64 bits
    json snap = {{"turn", s.turn},
            {"countries", countries},
            {"country_order", order},
            {"rules", rules},
            {"tariffs", grid(s.tariff.grid)},
            {"licensing", licensing(s)},
            {"projects", projects(s)},
            {"queues", queues(s)},
            {"markets", {{"last", markets(s.last)}, {"smoothed_price", grid(s.smoothed_price)},
                         {"established", grids(s.established)}}},
            {"money", {{"next_id", s.next_id}, {"outside", num(s.outside)}}},
            {"leverage", {{"net", grid(s.leverage_net)}, {"index", arr(s.leverage_index)},
                          {"exercised", grid(s.leverage_exercised)}, {"reserve", grid(s.leverage_reserve)}}},
            {"agreements", diplomacy(s)},
            {"rng", rng}};
    // Only once a licensing_rules event has set them: game files written before such events
    // existed keep their state hashes.
    if (s.origin_rules_set) {
        const OriginRules& r = *s.origin_rules_set;
        snap["licensing"]["origin_rules"] = {{"reexport_control", r.reexport_control}, {"content_rule", r.content_rule},
                                             {"content_threshold", num(r.content_threshold)}};
    }
    return snap;
}

std::string state_hash(const json& snapshot) { return sha256_hex(snapshot.dump()); }

std::string snapshot_difference(const json& a, const json& b) {
    if (a == b) return {};
    std::set<std::string> keys;
    if (a.is_object())
        for (auto it = a.begin(); it != a.end(); ++it) keys.insert(it.key());
    if (b.is_object())
        for (auto it = b.begin(); it != b.end(); ++it) keys.insert(it.key());
    for (const auto& k : keys) {
        const json av = a.contains(k) ? a.at(k) : json(), bv = b.contains(k) ? b.at(k) : json();
        if (av == bv) continue;
        if (k == "countries" && av.is_object() && bv.is_object()) {
            std::set<std::string> ids;
            for (auto it = av.begin(); it != av.end(); ++it) ids.insert(it.key());
            for (auto it = bv.begin(); it != bv.end(); ++it) ids.insert(it.key());
            for (const auto& id : ids) {
                const json x = av.contains(id) ? av.at(id) : json(), y = bv.contains(id) ? bv.at(id) : json();
                if (x == y) continue;
                std::string field;
                if (x.is_object() && y.is_object())
                    for (auto it = x.begin(); it != x.end(); ++it)
                        if (!y.contains(it.key()) || y.at(it.key()) != it.value()) {
                            field = it.key();
                            break;
                        }
                return "countries, country " + id + (field.empty() ? "" : " (" + field + ")");
            }
        }
        if (av.is_object() && bv.is_object()) {
            for (auto it = av.begin(); it != av.end(); ++it)
                if (!bv.contains(it.key()) || bv.at(it.key()) != it.value()) return k + "." + it.key();
        }
        return k;
    }
    return "(whole state)";
}

json inject_to_json(const ScheduledEvent& e) {
    const ApprovalPolicy& p = e.approval;
    json j = {{"turn", e.turn}, {"kind", static_cast<int>(e.kind)}, {"kind_name", to_string(e.kind)},
            {"country", e.country.value()}, {"target", e.target.value()}, {"good", good(e.good)}, {"sector", e.sector.value()},
            {"regime", static_cast<int>(e.regime)}, {"value", num(e.value)}, {"factor", num(e.factor)},
            {"turns", e.turns}, {"text", e.text},
            {"approval", {{"exporter", p.exporter.value()}, {"good", p.good.value()}, {"destination", country_or_all(p.destination)},
                          {"share", num(p.share)}, {"review_days", num(p.review_days)},
                          {"deny_defense", p.deny_defense}, {"civilian_only", p.civilian_only},
                          {"validity_turns", p.validity_turns}, {"scripted", p.scripted}}},
            {"clauses", clauses(e.clauses)}};
    // Only a licensing_rules inject has "rules" (other injects' text is as before it existed).
    if (e.kind == EventKind::LicensingRules) {
        const auto& r = e.rules;
        j["rules"] = {{"reexport_control", r.reexport_control ? json(*r.reexport_control) : json()},
                      {"content_rule", r.content_rule ? json(*r.content_rule) : json()},
                      {"content_threshold", r.content_threshold ? num(*r.content_threshold) : json()}};
    }
    return j;
}

namespace {
double dbl(const json& j) {
    if (j.is_string()) {
        const std::string s = j.get<std::string>();
        if (s == "inf") return HUGE_VAL;
        if (s == "-inf") return -HUGE_VAL;
        return std::nan("");
    }
    return j.get<double>();
}
}  // namespace

namespace {
CountryMatrix<> grid_of(const json& j) {
    CountryMatrix<> g;
    g.rows = j.at("rows").get<int>(), g.cols = j.at("cols").get<int>();
    for (const auto& c : j.at("cells")) g.cells.push_back(dbl(c));
    return g;
}
PerGood<CountryMatrix<>> grids_of(const json& j) {
    PerGood<CountryMatrix<>> v;
    for (const auto& g : j) v.push_back(grid_of(g));
    return v;
}
PerCountry<double> vec_of(const json& j) {
    PerCountry<double> v;
    for (const auto& x : j) v.push_back(dbl(x));
    return v;
}
}  // namespace

json leverage_to_json(const LeverageReport& r) {
    return {{"materials", grid(r.materials)},
            {"materials_exercised", grid(r.materials_exercised)},
            {"materials_reserve", grid(r.materials_reserve)},
            {"materials_by_good", grids(r.materials_by_good)},
            {"materials_exercised_by_good", grids(r.materials_exercised_by_good)},
            {"materials_reserve_by_good", grids(r.materials_reserve_by_good)},
            {"market_access", grid(r.market_access)},
            {"combined", grid(r.combined)},
            {"weight", arr(r.weight)},
            {"index_materials", arr(r.index_materials)},
            {"index_exercised", arr(r.index_exercised)},
            {"index_reserve", arr(r.index_reserve)},
            {"index_market_access", arr(r.index_market_access)},
            {"index_combined", arr(r.index_combined)},
            {"counterfactual_turns", r.counterfactual_turns}};
}

LeverageReport leverage_from_json(const json& j) {
    LeverageReport r;
    r.materials = grid_of(j.at("materials"));
    r.materials_exercised = grid_of(j.at("materials_exercised"));
    r.materials_reserve = grid_of(j.at("materials_reserve"));
    r.materials_by_good = grids_of(j.at("materials_by_good"));
    r.materials_exercised_by_good = grids_of(j.at("materials_exercised_by_good"));
    r.materials_reserve_by_good = grids_of(j.at("materials_reserve_by_good"));
    r.market_access = grid_of(j.at("market_access"));
    r.combined = grid_of(j.at("combined"));
    r.weight = vec_of(j.at("weight"));
    r.index_materials = vec_of(j.at("index_materials"));
    r.index_exercised = vec_of(j.at("index_exercised"));
    r.index_reserve = vec_of(j.at("index_reserve"));
    r.index_market_access = vec_of(j.at("index_market_access"));
    r.index_combined = vec_of(j.at("index_combined"));
    r.counterfactual_turns = j.at("counterfactual_turns").get<int>();
    return r;
}

namespace {
Clause clause_of(const json& j) {
    Clause c;
    const int kind = j.at("kind").get<int>();
    if (kind < 0 || kind >= kClauseKindCount) throw std::invalid_argument("a stored clause has an unknown kind");
    c.kind = static_cast<ClauseKind>(kind);
    c.from = CountryId{j.at("from").get<int>()};
    c.to = CountryId{j.at("to").get<int>()};
    if (!j.at("good").is_null()) c.good = GoodId{j.at("good").get<int>()};
    c.tonnes = dbl(j.at("tonnes"));
    c.price = dbl(j.at("price"));
    c.usd = dbl(j.at("usd"));
    c.per_turn = j.at("per_turn").get<bool>();
    c.share = dbl(j.at("share"));
    c.capex_share = dbl(j.at("capex_share"));
    c.regime = static_cast<Regime>(j.at("regime").get<int>());
    c.rate = dbl(j.at("rate"));
    c.civilian_only = j.at("civilian_only").get<bool>();
    c.max_delay = j.at("max_delay").get<int>();
    c.turns = j.at("turns").get<int>();
    return c;
}
}  // namespace

ScheduledEvent inject_from_json(const json& j) {
    ScheduledEvent e;
    e.turn = j.at("turn").get<int>();
    e.kind = static_cast<EventKind>(j.at("kind").get<int>());
    e.country = CountryId{j.at("country").get<int>()};
    e.target = CountryId{j.at("target").get<int>()};
    if (!j.at("good").is_null()) e.good = GoodId{j.at("good").get<int>()};
    e.sector = SectorId{j.at("sector").get<int>()};
    e.regime = static_cast<Regime>(j.at("regime").get<int>());
    e.value = dbl(j.at("value"));
    e.factor = dbl(j.at("factor"));
    e.turns = j.at("turns").get<int>();
    e.text = j.at("text").get<std::string>();
    const json& a = j.at("approval");
    e.approval.exporter = CountryId{a.at("exporter").get<int>()};
    e.approval.good = GoodId{a.at("good").get<int>()};
    if (const int dest = a.at("destination").get<int>(); dest >= 0) e.approval.destination = CountryId{dest};
    e.approval.share = dbl(a.at("share"));
    e.approval.review_days = dbl(a.at("review_days"));
    e.approval.deny_defense = a.at("deny_defense").get<bool>();
    e.approval.civilian_only = a.at("civilian_only").get<bool>();
    e.approval.validity_turns = a.at("validity_turns").get<int>();
    e.approval.scripted = a.at("scripted").get<bool>();
    // Files written before Agreement injects were stored have no "clauses".
    if (j.contains("clauses"))
        for (const auto& c : j.at("clauses")) e.clauses.push_back(clause_of(c));
    if (j.contains("rules")) {
        const json& r = j.at("rules");
        if (!r.at("reexport_control").is_null()) e.rules.reexport_control = r.at("reexport_control").get<bool>();
        if (!r.at("content_rule").is_null()) e.rules.content_rule = r.at("content_rule").get<bool>();
        if (!r.at("content_threshold").is_null()) e.rules.content_threshold = dbl(r.at("content_threshold"));
    }
    return e;
}

}  // namespace chokepoint
