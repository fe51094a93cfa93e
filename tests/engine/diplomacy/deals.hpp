// Shared helpers for the diplomacy tests: clause builders in the game's words,
// policies that propose and answer, agreements put in force directly, and
// lookups into the history.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/diplomacy/agreements.hpp"
#include "engine/diplomacy/clauses.hpp"
#include "tests/engine/sim/test_world.hpp"

namespace chokepoint::testing {

// The trio world's countries and goods by name (tests/scenarios/trio.yaml).
struct Trio {
    CountryId north, south, east;
    GoodId oxide, magnet;
    int G;
    explicit Trio(const Definitions& d)
        : north(d.country_index("north")),
          south(d.country_index("south")),
          east(d.country_index("east")),
          oxide(d.good_index("oxide")),
          magnet(d.good_index("magnet")),
          G(d.good_count()) {}
};

// ---- Clauses ------------------------------------------------------------------------------------

inline Clause supply(CountryId seller, CountryId buyer, GoodId g, double tonnes_per_turn, double usd_per_t) {
    Clause c;
    c.kind = ClauseKind::Supply;
    c.from = seller;
    c.to = buyer;
    c.good = g;
    c.tonnes = tonnes_per_turn;
    c.price = usd_per_t;
    return c;
}

inline Clause general_license(CountryId exporter, CountryId importer, GoodId g, double tonnes_per_turn,
                              bool civilian_only = true) {
    Clause c;
    c.kind = ClauseKind::LicenseFacilitation;
    c.from = exporter;
    c.to = importer;
    c.good = g;
    c.tonnes = tonnes_per_turn;
    c.civilian_only = civilian_only;
    c.max_delay = 0;
    return c;
}

inline Clause regime_change(CountryId exporter, CountryId dest, GoodId g, Regime r) {
    Clause c;
    c.kind = ClauseKind::RegimeChange;
    c.from = exporter;
    c.to = dest;
    c.good = g;
    c.regime = r;
    return c;
}

inline Clause investment(CountryId investor, CountryId host, GoodId g, double tonnes_per_year, double output_share,
                         double capex_share) {
    Clause c;
    c.kind = ClauseKind::Investment;
    c.from = investor;
    c.to = host;
    c.good = g;
    c.tonnes = tonnes_per_year;
    c.share = output_share;
    c.capex_share = capex_share;
    return c;
}

inline Clause stockpile_loan(CountryId lender, CountryId borrower, GoodId g, double tonnes) {
    Clause c;
    c.kind = ClauseKind::StockpileLoan;
    c.from = lender;
    c.to = borrower;
    c.good = g;
    c.tonnes = tonnes;
    return c;
}

inline Clause payment(CountryId payer, CountryId payee, double usd, bool per_turn) {
    Clause c;
    c.kind = ClauseKind::Payment;
    c.from = payer;
    c.to = payee;
    c.usd = usd;
    c.per_turn = per_turn;
    return c;
}

// g none: every good.
inline Clause tariff_cap(CountryId importer, CountryId origin, std::optional<GoodId> g, double rate) {
    Clause c;
    c.kind = ClauseKind::TariffChange;
    c.from = importer;
    c.to = origin;
    c.good = g;
    c.rate = rate;
    return c;
}

inline Clause end_use_assurance(CountryId importer, CountryId exporter, GoodId g) {
    Clause c;
    c.kind = ClauseKind::EndUseAssurance;
    c.from = importer;
    c.to = exporter;
    c.good = g;
    return c;
}

inline Propose offer(CountryId to, std::vector<Clause> clauses, int turns = 4, std::string note = "") {
    Propose p;
    p.to = {to};
    p.clauses = std::move(clauses);
    p.turns = turns;
    p.note = std::move(note);
    return p;
}

inline Respond answer(int proposal_id, AnswerKind kind, std::string note = "") {
    Respond r;
    r.proposal_id = proposal_id;
    r.answer = kind;
    r.note = std::move(note);
    return r;
}

// ---- Policies -----------------------------------------------------------------------------------

// Proposes `p` from on_turn on turn `when` (the issue must succeed), plays the autopilot otherwise.
inline std::unique_ptr<ScriptedPolicy> proposing(int when, Propose p) {
    auto policy = std::make_unique<ScriptedPolicy>();
    AutopilotPolicy autopilot;
    policy->turn = [when, p, autopilot](PolicyContext& ctx) mutable {
        if (ctx.state().turn == when) {
            CommandResult r = ctx.issue(p);
            EXPECT_TRUE(r.ok) << r.message;
        }
        autopilot.on_turn(ctx);
    };
    return policy;
}

// Accepts every proposal addressed to it; the autopilot otherwise.
inline std::unique_ptr<ScriptedPolicy> accepting() {
    auto policy = std::make_unique<ScriptedPolicy>();
    policy->proposal = [](PolicyContext& ctx, const Proposal& p) {
        CommandResult r = ctx.issue(answer(p.id, AnswerKind::Accept));
        EXPECT_TRUE(r.ok) << r.message;
    };
    return policy;
}

// ---- Agreements put in force before the first turn ----------------------------------------------

// Starts an agreement between `from` and `to` in the scenario's initial state, as if the proposal
// had been accepted just before turn 0; returns its id (0 when the terms are refused).
inline int in_force(Scenario& sc, CountryId from, CountryId to, std::vector<Clause> clauses, int turns) {
    Proposal p;
    p.id = sc.initial.next_id++;
    p.from = from;
    p.to = to;
    p.clauses = std::move(clauses);
    p.turns = turns;
    if (auto why = proposal_problem(*sc.defs, sc.initial, from, to, p.clauses, turns); !why.empty()) {
        ADD_FAILURE() << "terms refused: " << why;
        return 0;
    }
    EventList scratch;
    return start_agreement(*sc.defs, sc.initial, p, scratch).id;
}

// ---- Lookups ------------------------------------------------------------------------------------

inline const Agreement* find_agreement(const State& s, int id) {
    for (const auto& a : s.agreements)
        if (a.id == id) return &a;
    return nullptr;
}

inline const Proposal* find_proposal(const State& s, int id) {
    for (const auto& p : s.proposals)
        if (p.id == id) return &p;
    return nullptr;
}

// Every event of `type` in the game's history, in order.
inline std::vector<GameEvent> events_of(const Game& g, const std::string& type) {
    std::vector<GameEvent> out;
    for (const auto& r : g.history())
        for (const auto& e : r.events)
            if (e.type == type) out.push_back(e);
    return out;
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

inline double trust(const State& s, CountryId truster, CountryId trusted) {
    return s.countries[truster].trust[trusted];
}

inline GameOptions no_leverage() {
    GameOptions o;
    o.measure_leverage = false;
    return o;
}

}  // namespace chokepoint::testing
