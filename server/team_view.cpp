#include "server/team_view.hpp"

#include <algorithm>
#include <cmath>

#include "engine/commands/dispatch.hpp"
#include "engine/savegame/command_json.hpp"
#include "view/model/country_model.hpp"
#include "view/model/deal_model.hpp"
#include "view/model/diplomacy_model.hpp"
#include "view/model/draft_model.hpp"
#include "view/model/event_model.hpp"
#include "view/model/leverage_model.hpp"
#include "view/model/licensing_model.hpp"
#include "view/model/map_model.hpp"
#include "view/model/market_model.hpp"
#include "view/shell/talk_clock.hpp"

namespace chokepoint::server {

namespace {

using nlohmann::json;

// JSON has no NaN or infinity: those become null.
json number(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

std::string id_of(const Definitions& d, CountryId c) {
    return c.value() >= 0 && c.index() < d.countries.size() ? d.countries[c].id : std::string();
}

// The seat's own instruments as they stand: per good its quotas (t/yr; left out when there is
// none), subsidy and price floor (USD/kg), defense rating; its export rules that are not open and
// duty-free, and its tariffs that are not zero. The forms show them as the current setting.
json own_policy(const view::Snapshot& snap, CountryId seat) {
    const Definitions& d = *snap.defs;
    const State& s = snap.state;
    const CountryState& cs = s.countries[seat];
    json goods = json::array(), rules = json::array(), tariffs = json::array();
    for (GoodId g : d.good_ids()) {
        json row{{"good", d.goods[g].id},
                 {"subsidy_usd_per_kg", number(cs.subsidy[g] / 1000)},
                 {"price_floor_usd_per_kg", number(cs.price_floor[g] / 1000)},
                 {"defense_priority", cs.defense_priority[g] != 0}};
        if (std::isfinite(cs.export_quota[g]))
            row["export_quota_t_per_year"] = number(cs.export_quota[g] * d.turns_per_year());
        if (std::isfinite(cs.production_quota[g]))
            row["production_quota_t_per_year"] = number(cs.production_quota[g] * d.turns_per_year());
        goods.push_back(row);
        for (CountryId other : d.country_ids()) {
            if (other == seat) continue;
            const ExportRule& r = s.rule(seat, g, other);
            if (r.regime != Regime::Open || r.duty != 0.0)
                rules.push_back({{"good", d.goods[g].id}, {"destination", d.countries[other].id},
                                 {"regime", to_string(r.regime)}, {"duty", number(r.duty)}});
            const double rate = s.tariff_on(seat, g, other);
            if (rate != 0.0)
                tariffs.push_back({{"good", d.goods[g].id}, {"origin", d.countries[other].id}, {"rate", number(rate)}});
        }
    }
    return {{"goods", goods}, {"export_rules", rules}, {"tariffs", tariffs}};
}

// What new capacity costs, per good (the window's investment preview, view/model/draft_model):
// capex per t/yr of nameplate and the turns to first output if started now. A mine needs
// reserves in its host: the seat knows its own (`reserves_t`), not other countries'.
json investment_options(const view::Snapshot& snap, CountryId seat) {
    const Definitions& d = *snap.defs;
    json out = json::array();
    for (GoodId g : d.good_ids()) {
        const view::InvestmentPreview p = view::preview_investment(d, snap.state, g, 1.0);
        json row{{"good", d.goods[g].id}, {"capex_usd_per_tpy", number(p.capex_usd)}, {"lead_turns", p.lead_turns},
                 {"online_date", d.date_of_turn(p.online_turn)}, {"mining", d.goods[g].process == Process::Mining}};
        if (d.goods[g].process == Process::Mining) row["reserves_t"] = number(snap.state.countries[seat].reserves[g]);
        out.push_back(row);
    }
    return out;
}

json own_country(const view::Snapshot& snap, CountryId seat) {
    const view::CountryCard card = view::country_card(snap, seat, true);
    json j{{"id", card.id}, {"name", card.name}, {"date", card.date}, {"played", card.played}};
    if (card.treasury_musd) j["treasury_musd"] = number(*card.treasury_musd);
    if (card.score) j["score"] = {{"economy", number(card.score->economy)}, {"security", number(card.score->security)},
                                  {"influence", number(card.score->influence)}, {"total", number(card.score->total)}};
    j["score_rank"] = card.score_rank;
    if (card.leverage_index) j["leverage_index"] = number(*card.leverage_index);
    j["stocks"] = json::array();
    for (const auto& s : card.stocks)
        j["stocks"].push_back({{"good", s.name}, {"stock_t", number(s.stock)}, {"stockpile_t", number(s.stockpile)},
                               {"use_t_per_year", number(s.use)}, {"months_of_cover", number(s.months_of_cover)},
                               {"usual_months", number(s.usual_months)}, {"unmet_share", number(s.unmet_share)},
                               {"imported", s.imported}});
    j["demand_met"] = json::array();
    for (const auto& m : card.demand_met)
        j["demand_met"].push_back({{"sector", m.name}, {"good", m.good_name}, {"defense", m.defense},
                                   {"share", number(m.share)}});
    j["projects"] = json::array();
    for (const auto& p : card.projects)
        j["projects"].push_back({{"id", p.id}, {"good", p.good_name}, {"host", p.host_name},
                                 {"tonnes_per_year", number(p.tonnes_per_year)}, {"online", p.online},
                                 {"online_date", p.online_date}});
    j["capacity"] = json::array();
    for (const auto& stage : card.capacity)
        for (const auto& line : stage.goods)
            j["capacity"].push_back({{"stage", stage.name}, {"good", line.name}, {"capacity_t", number(line.capacity)},
                                     {"utilisation", number(line.utilisation)}});
    j["policy"] = own_policy(snap, seat);
    j["investment"] = investment_options(snap, seat);
    return j;
}

// Every country's public side: names, scores, leverage, who plays it.
json countries(const view::Snapshot& snap) {
    const Definitions& d = *snap.defs;
    json out = json::array();
    for (CountryId c : d.country_ids()) {
        const view::CountryCard card = view::country_card(snap, c, false);
        json row{{"id", card.id}, {"name", card.name}, {"people", snap.human.size() > c.index() && snap.human[c]}};
        if (card.score) row["score"] = number(card.score->total);
        if (card.leverage_index) row["leverage_index"] = number(*card.leverage_index);
        out.push_back(row);
    }
    return out;
}

// Per good: the price paid in the seat's country last turn and how the main exporter restricts it.
json prices(const view::Snapshot& snap, CountryId seat) {
    const Definitions& d = *snap.defs;
    json out = json::array();
    for (GoodId g : d.good_ids()) {
        const view::PriceSeries p = view::prices(snap, g);
        json row{{"good", d.goods[g].id}, {"name", p.good_name}, {"reference_usd_per_kg", number(p.reference)}};
        if (seat.index() < p.by_country.size() && !p.by_country[seat].empty())
            row["usd_per_kg"] = number(p.by_country[seat].back());
        if (p.exporter) {
            row["main_exporter"] = id_of(d, *p.exporter);
            row["restriction"] = p.restriction;
        }
        out.push_back(row);
    }
    return out;
}

json licensing(const view::Snapshot& snap, CountryId seat) {
    const Definitions& d = *snap.defs;
    const view::LicensingView v = view::licensing_view(snap, seat);
    json queues = json::array();
    for (const auto& q : v.queues)
        for (const auto& a : q.applications)
            queues.push_back({{"id", a.id}, {"exporter", id_of(d, q.exporter)}, {"importer", id_of(d, a.importer)},
                              {"good", d.goods[a.good].id}, {"tonnes_per_turn", number(a.tonnes_per_turn)},
                              {"end_use", to_string(a.end_use)},
                              {"waiting_turns", a.waiting}, {"decidable", a.decidable},
                              {"yours_to_decide", q.exporter == seat}});
    // Licences in force the seat is party to: issued (as exporter, its to revoke) or held by its
    // firms (as importer). A licence between two other countries is their paperwork (the rule of
    // view/model/licensing_model.cpp) and is left out.
    const State& s = snap.state;
    json licenses = json::array();
    for (const License& l : s.licenses) {
        if (l.exporter != seat && l.importer != seat) continue;
        if (l.revoked || l.last_turn < s.turn) continue;
        licenses.push_back({{"id", l.id}, {"exporter", id_of(d, l.exporter)}, {"importer", id_of(d, l.importer)},
                            {"good", d.goods[l.good].id}, {"tonnes_per_turn", number(l.tonnes_per_turn)},
                            {"first_turn", l.first_turn}, {"last_turn", l.last_turn},
                            {"valid_from", d.date_of_turn(l.first_turn)}, {"valid_until", d.date_of_turn(l.last_turn)},
                            {"turns_left", l.last_turn - s.turn + 1}, {"civilian_only", l.civilian_only},
                            {"shipped_t", number(l.shipped)}, {"agreement_id", l.agreement_id},
                            {"issued", l.exporter == seat}});
    }
    return {{"applications", queues}, {"licenses", licenses}, {"approved", v.approved}, {"denied", v.denied},
            {"expired", v.expired}};
}

json proposal(const Definitions& d, const view::ProposalRow& p) {
    return {{"id", p.id}, {"from", id_of(d, p.from)}, {"to", id_of(d, p.to)}, {"terms", p.terms},
            {"clauses", p.clauses}, {"turns", p.turns}, {"counter_to", p.counter_to}, {"sent_turn", p.sent_turn},
            {"deadline_turn", p.deadline_turn}, {"status", to_string(p.status)}, {"note", p.note}, {"reason", p.reason}};
}

// A pending proposal as the deal screen shows it: what each side gives, in words.
json deal(const view::Snapshot& snap, int proposal_id) {
    const Definitions& d = *snap.defs;
    for (const Proposal& p : snap.state.proposals)
        if (p.id == proposal_id) {
            const view::DealModel m = view::deal_model(d, p.from, p.to, p.clauses, p.turns, snap.state.turn);
            return {{"proposer", m.a_name}, {"recipient", m.b_name}, {"proposer_gives", m.a_gives},
                    {"recipient_gives", m.b_gives}, {"terms", m.terms}};
        }
    return nullptr;
}

json diplomacy(const view::Snapshot& snap, CountryId seat) {
    const Definitions& d = *snap.defs;
    const view::DiplomacyView v = view::diplomacy_view(snap, seat);
    json j{{"pending", json::array()}, {"answered", json::array()}, {"agreements", json::array()}};
    for (const auto& p : v.pending) {
        json row = proposal(d, p);
        row["deal"] = deal(snap, p.id);
        j["pending"].push_back(row);
    }
    for (std::size_t i = 0; i < v.answered.size() && i < 10; ++i) j["answered"].push_back(proposal(d, v.answered[i]));
    for (const auto& a : v.active)
        j["agreements"].push_back({{"id", a.id}, {"proposer", id_of(d, a.proposer)}, {"acceptor", id_of(d, a.acceptor)},
                                   {"terms", a.terms}, {"start_date", a.start_date}, {"end_date", a.end_date},
                                   {"yours", a.proposer == seat || a.acceptor == seat},
                                   {"withdrawing", a.withdraw_turn >= 0}});
    json trust = json::object();
    for (CountryId c : d.country_ids())
        if (c != seat) trust[d.countries[c].id] = number(v.trust(seat, c));
    j["your_trust"] = trust;
    return j;
}

json leverage(const view::Snapshot& snap) {
    const view::NetMatrix m = view::net_matrix(snap);
    json j{{"measured", m.measured}, {"turn", m.turn}, {"date", m.date}, {"countries", m.codes}, {"names", m.labels}};
    json rows = json::array();
    for (const auto& row : m.net) {
        json r = json::array();
        for (double x : row) r.push_back(number(x));
        rows.push_back(r);
    }
    j["net"] = rows;
    return j;
}

// The public map: countries where they are, sized by leverage, last turn's trade flows with the
// state of each route; cover only for the seat's own country (the map model's team view).
json map(const view::Snapshot& snap, CountryId seat) {
    const Definitions& d = *snap.defs;
    view::MapFilter filter;
    filter.team_view = seat;
    filter.top_routes = 40;
    const view::MapModel m = view::build_map_model(snap, filter);
    json countries = json::array();
    for (const auto& c : m.countries) {
        json row{{"id", d.countries[c.id].id}, {"name", c.name}, {"lon", c.lon}, {"lat", c.lat}, {"bloc", c.bloc},
                 {"leverage_index", number(c.leverage_index)}};
        if (c.cover_known) row["cover_alarm"] = c.cover_alarm;
        countries.push_back(row);
    }
    json flows = json::array();
    for (const auto& f : m.flows)
        flows.push_back({{"from", d.countries[f.from].id}, {"to", d.countries[f.to].id}, {"good", d.goods[f.good].id},
                         {"tonnes", number(f.tonnes)}, {"width", number(f.width)}, {"status", view::to_string(f.status)},
                         {"slot", f.slot}});
    return {{"date", m.date}, {"countries", countries}, {"flows", flows}};
}

json events(const view::Snapshot& snap, CountryId seat) {
    view::EventFilter filter;
    filter.last_turns = 2;
    const view::EventLog log = view::filter_events(snap, filter, seat);
    json out = json::array();
    for (std::size_t i = 0; i < log.rows.size() && i < 40; ++i) {
        const GameEvent& e = *log.rows[i].event;
        out.push_back({{"turn", e.turn}, {"type", e.type}, {"text", e.text}});
    }
    return out;
}

}  // namespace

std::string seat_phase(const view::Snapshot& snap, CountryId seat) {
    const bool people = seat.index() < snap.human.size() && snap.human[seat];
    if (snap.finished) return "finished";
    if (!people) return "advisor";
    if (snap.talking) return snap.talking->seat == seat ? "talking" : "talks";
    // The decisions of a turn are open from the first seat asked until the turn is played, whether
    // or not the game is waiting on a seat at this moment (a snapshot between two seats counts).
    if (snap.deciding_turn >= 0 && snap.computing && snap.deciding_turn == snap.state.turn)
        return seat.index() < snap.sent.size() && snap.sent[seat] ? "sent" : "deciding";
    if (snap.computing) return "computing";
    return snap.playing ? "computing" : "paused";
}

json team_view(const view::Snapshot& snap, CountryId seat, std::chrono::steady_clock::time_point now) {
    const Definitions& d = *snap.defs;
    json j;
    j["type"] = "view";
    j["version"] = snap.version;
    j["game"] = {{"scenario", d.scenario_name}, {"turn", snap.state.turn}, {"date", d.date_of_turn(snap.state.turn)},
                 {"turn_limit", snap.turn_limit}, {"finished", snap.finished}, {"playing", snap.playing},
                 {"computing", snap.computing}};
    const std::string phase = seat_phase(snap, seat);
    j["seat"] = {{"id", d.countries[seat].id}, {"name", d.countries[seat].name}, {"phase", phase},
                 {"deciding_turn", snap.deciding_turn}};
    if (snap.talk_clock.running())
        j["clock"] = {{"seconds_left", number(snap.talk_clock.left(now))}, {"paused", snap.talk_clock.paused()},
                      {"text", view::clock_text(snap.talk_clock.left(now))}};
    if (snap.talking && snap.talking->seat == seat)
        j["talk"] = {{"round", snap.talking->round}, {"rounds", snap.talking->rounds}};
    j["headlines"] = json::array();
    for (const auto& h : snap.headlines) j["headlines"].push_back(h.text);
    // From the start of the decisions, whether or not the game has reached the seat; not once it has sent.
    if (const auto* a = snap.advice_for(seat); phase == "deciding" && a) {
        json advice = json::array();
        for (std::size_t i = 0; i < a->commands.size(); ++i)
            advice.push_back({{"command", command_to_json(a->commands[i])},
                              {"text", i < a->text.size() ? a->text[i] : ""}});
        j["advice"] = advice;
    }
    j["country"] = own_country(snap, seat);
    j["countries"] = countries(snap);
    j["goods"] = json::array();
    for (GoodId g : d.good_ids()) {
        // Whether a defense sector uses the good (the scenario's, public): rated orders need one.
        const bool defense = std::any_of(d.sectors.begin(), d.sectors.end(),
                                         [&](const Sector& sec) { return sec.defense && sec.good == g; });
        j["goods"].push_back({{"id", d.goods[g].id}, {"name", d.goods[g].name}, {"defense", defense}});
    }
    j["prices"] = prices(snap, seat);
    j["licensing"] = licensing(snap, seat);
    j["diplomacy"] = diplomacy(snap, seat);
    j["leverage"] = leverage(snap);
    j["map"] = map(snap, seat);
    j["events"] = events(snap, seat);
    return j;
}

}  // namespace chokepoint::server
