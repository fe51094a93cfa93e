#include "engine/output/writers.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <stdexcept>

#include "engine/diplomacy/clauses.hpp"
#include "engine/output/csv.hpp"
#include "engine/metrics/indicators.hpp"

namespace chokepoint {

namespace {

double json_num(double v) { return std::isfinite(v) ? std::round(v * 1e6) / 1e6 : -1.0; }

// The routes' terms where they differ from free trade (docs/outputs.md): c's export regime (1
// licensed, 2 embargo) and duty toward each destination, the tonnes licensed to it for the turn,
// and c's tariff on each origin.
template <class Row>
void route_rows(const Definitions& d, const TurnRecord& r, CountryId c, GoodId g, Row row) {
    const int C = d.country_count(), G = d.good_count();
    const std::string& id = d.goods[g].id;
    const bool have_rules = r.rules.covers(C, G), have_tariffs = r.tariff.covers(C, G);
    for (CountryId b : d.country_ids()) {
        if (b == c) continue;
        const std::string route = id + "." + d.countries[b].id;
        if (have_rules) {
            const ExportRule& rule = r.rules(c, g, b);
            if (rule.regime != Regime::Open) row("regime." + route, static_cast<double>(rule.regime));
            if (rule.duty > 0) row("export_duty." + route, rule.duty);
        }
        if (g.index() < r.licensed.size() && r.licensed[g](c, b) > 0) row("licensed." + route, r.licensed[g](c, b));
        if (have_tariffs && r.tariff(c, g, b) > 0) row("tariff." + route, r.tariff(c, g, b));
    }
}

}  // namespace

void timeseries_rows(const Definitions& d, const TurnRecord& r, const MetricRowFn& emit) {
    const MarketOutcome& o = r.outcome;
    for (CountryId c : d.country_ids()) {
        const std::string& country = d.countries[c].id;
        auto row = [&](const std::string& metric, double value) { emit(country, metric, value); };
        const CountryState& cs = r.countries[c];
        for (GoodId g : d.good_ids()) {
            const std::string& id = d.goods[g].id;
            row("price." + id, o.price(c, g) / 1000.0);  // USD/kg
            row("supply_price." + id, o.supply_price(c, g) / 1000.0);
            row("produced." + id, o.produced(c, g));
            row("consumed." + id, o.consumed(c, g));
            row("used_as_input." + id, o.used_as_input(c, g));
            row("imports." + id, o.imported(c, g));
            row("exports." + id, o.exported(c, g));
            row("stock." + id, cs.stock[g]);
            row("stockpile." + id, cs.stockpile[g]);
            // Origin (model.md §Origin and re-export control): the share of the stock under any
            // licensor's re-export conditions, and the tonnes per licensor where there are some.
            double controlled = 0.0;
            if (g.value() < cs.controlled.rows) for (CountryId l : cs.controlled.col_ids()) controlled += cs.controlled(g, l);
            row("controlled_share." + id, cs.stock[g] > 0 ? std::min(1.0, controlled / cs.stock[g]) : 0.0);
            if (g.value() < cs.controlled.rows) for (CountryId l : cs.controlled.col_ids())
                if (cs.controlled(g, l) > 0) row("controlled." + id + "." + d.countries[l].id, cs.controlled(g, l));
            row("capacity." + id, cs.capacity[g]);
            row("thrift." + id, cs.thrift[g]);
            for (CountryId b : d.country_ids())
                if (b != c && o.flows[g](c, b) > 0) row("flow." + id + "." + d.countries[b].id, o.flows[g](c, b));
            route_rows(d, r, c, g, row);
        }
        for (SectorId k : d.sector_ids()) {
            const std::string& id = d.sectors[k].id;
            double demand = o.demand(c, k), unmet = std::max(0.0, demand - o.met(c, k));
            row("demand." + id, demand);
            row("unmet." + id, unmet);
            row("unmet_share." + id, demand > 0 ? unmet / demand : 0.0);
        }
        {
            double def_demand = 0.0, def_unmet = 0.0;
            for (SectorId k : d.sector_ids())
                if (d.sectors[k].defense) {
                    def_demand += o.demand(c, k);
                    def_unmet += std::max(0.0, o.demand(c, k) - o.met(c, k));
                }
            row("defense_unmet", def_unmet);
            row("defense_unmet_share", def_demand > 0 ? def_unmet / def_demand : 0.0);
        }
        if (!r.scores.empty()) {
            row("score.economy", r.scores[c].economy);
            row("score.security", r.scores[c].security);
            row("score.influence", r.scores[c].influence);
            row("score.total", r.scores[c].total);
        }
        if (!r.leverage.index_combined.empty()) {
            row("leverage.materials", r.leverage.index_materials[c]);
            row("leverage.exercised", r.leverage.index_exercised[c]);
            row("leverage.reserve", r.leverage.index_reserve[c]);
            row("leverage.market_access", r.leverage.index_market_access[c]);
            row("leverage.combined", r.leverage.index_combined[c]);
        }
        row("treasury_musd", cs.treasury / 1e6);
        row("economy_cash_musd", cs.economy_cash / 1e6);
        for (int i = 0; i < kCashFlowCount; ++i) {
            const auto f = static_cast<CashFlow>(i);
            row(std::string("cash.") + to_string(f) + "_musd", o.cash(c, f) / 1e6);
        }
    }
}

void write_timeseries_csv(const Game& game, std::ostream& out) {
    const Definitions& d = game.defs();
    out << "turn,date,country,metric,value\n";
    for (const TurnRecord& r : game.history()) {
        const std::string prefix = fmt::format("{},{},", r.turn, r.date);
        timeseries_rows(d, r, [&](const std::string& country, const std::string& metric, double value) {
            out << prefix << country << ',' << metric << ',' << csv_num(value) << '\n';
        });
    }
}

void leverage_rows(const Definitions& d, const TurnRecord& r, const LeverageRowFn& emit) {
    if (r.leverage.index_combined.empty()) return;
    const LeverageReport& l = r.leverage;
    static const std::string all = "all";
    for (CountryId a : d.country_ids())
        for (CountryId b : d.country_ids()) {
            if (a == b) continue;
            const std::string &from = d.countries[a].id, &to = d.countries[b].id;
            emit({from, to, all, l.materials(a, b), l.materials_exercised(a, b), l.materials_reserve(a, b)});
            for (GoodId g : d.good_ids())
                emit({from, to, d.goods[g].id, l.materials_by_good[g](a, b), l.materials_exercised_by_good[g](a, b),
                      l.materials_reserve_by_good[g](a, b)});
        }
}

void write_leverage_csv(const Game& game, std::ostream& out) {
    out << "turn,date,from,to,good,damage,exercised,reserve\n";
    for (const TurnRecord& r : game.history())
        leverage_rows(game.defs(), r, [&](const LeverageRow& row) {
            out << r.turn << ',' << r.date << ',' << row.from << ',' << row.to << ',' << row.good << ','
                << csv_num(row.damage) << ',' << csv_num(row.exercised) << ',' << csv_num(row.reserve) << '\n';
        });
}

nlohmann::ordered_json event_json(const Definitions& d, const GameEvent& e) {
    nlohmann::ordered_json j;
    j["turn"] = e.turn;
    j["date"] = d.date_of_turn(e.turn);
    j["type"] = e.type;
    if (e.country != kNoCountry) j["country"] = d.countries[e.country].id;
    if (e.target != kNoCountry) j["target"] = d.countries[e.target].id;
    j["text"] = e.text;
    const nlohmann::json details = rounded_details(e.data);
    for (auto it = details.begin(); it != details.end(); ++it) j[it.key()] = it.value();
    return j;
}

void write_events_jsonl(const Game& game, std::ostream& out) {
    for (const TurnRecord& r : game.history())
        for (const GameEvent& e : r.events) out << event_json(game.defs(), e).dump() << '\n';
}

namespace {

std::string agreement_status(const Definitions& d, const Agreement& a) {
    switch (a.status) {
        case AgreementStatus::Active:
            return a.withdraw_turn >= 0 ? fmt::format("active (notice by {})", d.countries[a.ended_by].id) : "active";
        case AgreementStatus::Expired: return "expired";
        case AgreementStatus::Withdrawn: return fmt::format("withdrawn by {}", d.countries[a.ended_by].id);
        case AgreementStatus::Breached: return fmt::format("breached by {}", d.countries[a.ended_by].id);
    }
    return "?";
}

}  // namespace

std::vector<AgreementRow> agreement_rows(const Definitions& d, const State& s) {
    std::vector<AgreementRow> rows;
    for (const auto& a : s.agreements)
        rows.push_back({a.id, d.countries[a.proposer].id, d.countries[a.acceptor].id, describe(d, a.clauses),
                        d.date_of_turn(a.start_turn), d.date_of_turn(a.end_turn), agreement_status(d, a),
                        a.ended_turn >= 0 ? d.date_of_turn(a.ended_turn) : std::string(), a.breaches, a.end_reason});
    return rows;
}

void write_agreements_csv(const Game& game, std::ostream& out) {
    out << "id,proposer,acceptor,clauses,start,end,status,ended,breaches,reason\n";
    for (const AgreementRow& a : agreement_rows(game.defs(), game.state()))
        out << a.id << ',' << a.proposer << ',' << a.acceptor << ',' << csv_field(a.clauses) << ',' << a.start << ','
            << a.end << ',' << csv_field(a.status) << ',' << a.ended << ',' << a.breaches << ',' << csv_field(a.reason)
            << '\n';
}

namespace {

// Event counts by type and the licence applications' outcomes.
void summarize_events_and_licensing(const Game& game, nlohmann::ordered_json& j) {
    const State& s = game.state();
    std::map<std::string, int> counts;
    int filed = 0, approved = 0, denied = 0, expired = 0;
    double wait_sum = 0.0;
    for (const auto& r : game.history())
        for (const auto& e : r.events) ++counts[e.type];
    for (const auto& app : s.applications) {
        ++filed;
        if (app.status == ApplicationStatus::Approved) ++approved;
        if (app.status == ApplicationStatus::Denied) ++denied;
        if (app.status == ApplicationStatus::Expired) ++expired;
        if (app.decided_turn >= 0) wait_sum += app.decided_turn - app.filed_turn;
    }
    j["event_counts"] = counts;
    j["licensing"] = {{"applications", filed},
                      {"approved", approved},
                      {"denied", denied},
                      {"expired", expired},
                      {"pending", filed - approved - denied - expired},
                      {"mean_wait_turns", approved + denied > 0 ? json_num(wait_sum / (approved + denied)) : 0.0}};
}

// Each country at the end: score, leverage indices, prices, unmet demand, treasury and policy.
nlohmann::ordered_json summarize_countries(const Game& game, const TurnRecord& last) {
    const Definitions& d = game.defs();
    const State& s = game.state();
    nlohmann::ordered_json countries = nlohmann::ordered_json::object();
    for (CountryId c : d.country_ids()) {
        nlohmann::ordered_json cj;
        const Score& sc = last.scores[c];
        cj["score"] = {{"economy", json_num(sc.economy)}, {"security", json_num(sc.security)},
                       {"influence", json_num(sc.influence)}, {"total", json_num(sc.total)}};
        if (!last.leverage.index_combined.empty())
            cj["leverage"] = {{"materials", json_num(last.leverage.index_materials[c])},
                              {"exercised", json_num(last.leverage.index_exercised[c])},
                              {"reserve", json_num(last.leverage.index_reserve[c])},
                              {"market_access", json_num(last.leverage.index_market_access[c])},
                              {"combined", json_num(last.leverage.index_combined[c])}};
        nlohmann::ordered_json prices, unmet;
        for (GoodId g : d.good_ids()) prices[d.goods[g].id] = json_num(last.outcome.price(c, g) / 1000.0);
        for (SectorId k : d.sector_ids()) {
            double dem = last.outcome.demand(c, k);
            unmet[d.sectors[k].id] = json_num(dem > 0 ? std::max(0.0, dem - last.outcome.met(c, k)) / dem : 0.0);
        }
        cj["price_usd_per_kg"] = prices;
        cj["unmet_share"] = unmet;
        cj["treasury_musd"] = json_num(s.countries[c].treasury / 1e6);
        cj["policy"] = game.policy(c)->name();
        // Instruction counts are deterministic; wall time and memory peaks are not: terminal only.
        nlohmann::json stats = game.policy(c)->stats();
        stats.erase("seconds");
        stats.erase("peak_kib");  // allocation patterns vary with Lua's per-state hash seed
        if (!stats.empty()) cj["policy_stats"] = stats;
        countries[d.countries[c].id] = cj;
    }
    return countries;
}

// net(a, b) for every pair at the last measurement.
nlohmann::ordered_json summarize_net_leverage(const Definitions& d, const LeverageReport& leverage) {
    nlohmann::ordered_json net = nlohmann::ordered_json::object();
    for (CountryId a : d.country_ids()) {
        nlohmann::ordered_json row = nlohmann::ordered_json::object();
        for (CountryId b : d.country_ids())
            if (a != b) row[d.countries[b].id] = json_num(leverage.net(a, b));
        net[d.countries[a].id] = row;
    }
    return net;
}

nlohmann::ordered_json summarize_projects(const Definitions& d, const State& s) {
    nlohmann::ordered_json projects = nlohmann::ordered_json::array();
    for (const auto& p : s.projects)
        projects.push_back({{"id", p.id},
                            {"owner", d.countries[p.owner].id},
                            {"host", d.countries[p.host].id},
                            {"good", d.goods[p.good].id},
                            {"tonnes_per_year", json_num(p.tonnes_per_year)},
                            {"private", p.private_firms},
                            {"online", p.online},
                            {"online_date", d.date_of_turn(p.online_turn)},
                            {"delays", p.delays}});
    return projects;
}

// Diplomacy: counts, the agreements in force and the trust matrix at the end.
nlohmann::ordered_json summarize_diplomacy(const Definitions& d, const State& s) {
    int proposals = 0, accepted = 0, rejected = 0, countered = 0, expired_p = 0;
    for (const auto& p : s.proposals) {
        ++proposals;
        accepted += p.status == ProposalStatus::Accepted;
        rejected += p.status == ProposalStatus::Rejected;
        countered += p.status == ProposalStatus::Countered;
        expired_p += p.status == ProposalStatus::Expired;
    }
    int breached = 0, withdrawn = 0;
    nlohmann::ordered_json in_force = nlohmann::ordered_json::array();
    for (const auto& a : s.agreements) {
        breached += a.status == AgreementStatus::Breached;
        withdrawn += a.status == AgreementStatus::Withdrawn;
        if (a.status != AgreementStatus::Active) continue;
        nlohmann::ordered_json clauses = nlohmann::ordered_json::array();
        for (const auto& c : a.clauses) clauses.push_back(nlohmann::ordered_json::parse(to_json(d, c).dump()));
        in_force.push_back({{"id", a.id},
                            {"proposer", d.countries[a.proposer].id},
                            {"acceptor", d.countries[a.acceptor].id},
                            {"start", d.date_of_turn(a.start_turn)},
                            {"end", d.date_of_turn(a.end_turn)},
                            {"status", agreement_status(d, a)},
                            {"clauses", clauses}});
    }
    nlohmann::ordered_json trust = nlohmann::ordered_json::object();
    for (CountryId a : d.country_ids()) {
        nlohmann::ordered_json row = nlohmann::ordered_json::object();
        for (CountryId b : d.country_ids())
            if (a != b) row[d.countries[b].id] = json_num(s.countries[a].trust[b]);
        trust[d.countries[a].id] = row;
    }
    return {{"agreements_mode", d.negotiation.binding ? "binding" : "non_binding"},
            {"proposals", proposals},
            {"accepted", accepted},
            {"rejected", rejected},
            {"countered", countered},
            {"expired", expired_p},
            {"agreements", static_cast<int>(s.agreements.size())},
            {"breached", breached},
            {"withdrawn", withdrawn},
            {"in_force", in_force},
                      {"trust", trust}};
}

}  // namespace

std::string summary_json(const Game& game) {
    const Definitions& d = game.defs();
    const State& s = game.state();
    nlohmann::ordered_json j;
    j["scenario"] = d.scenario_name;
    j["file"] = game.scenario().path;
    j["seed"] = d.seed;
    j["turns_played"] = static_cast<int>(game.history().size());
    j["start"] = d.date_of_turn(0);
    j["end"] = game.history().empty() ? d.date_of_turn(0) : game.history().back().date;
    summarize_events_and_licensing(game, j);
    nlohmann::ordered_json countries = nlohmann::ordered_json::object();
    if (!game.history().empty()) {
        const TurnRecord& last = game.history().back();
        countries = summarize_countries(game, last);
        if (!last.leverage.index_combined.empty()) j["net_leverage"] = summarize_net_leverage(d, last.leverage);
    }
    j["countries"] = countries;
    j["projects"] = summarize_projects(d, s);
    j["diplomacy"] = summarize_diplomacy(d, s);
    return j.dump(2) + "\n";
}

OutputManifest write_outputs(const Game& game, const std::filesystem::path& dir, const OutputSetHooks& hooks) {
    return write_output_set(dir,
                            {{"timeseries.csv", [&](std::ostream& f) { write_timeseries_csv(game, f); }},
                             {"leverage.csv", [&](std::ostream& f) { write_leverage_csv(game, f); }},
                             {"events.jsonl", [&](std::ostream& f) { write_events_jsonl(game, f); }},
                             {"agreements.csv", [&](std::ostream& f) { write_agreements_csv(game, f); }},
                             {"summary.json", [&](std::ostream& f) { f << summary_json(game); }}},
                            hooks);
}

}  // namespace chokepoint
