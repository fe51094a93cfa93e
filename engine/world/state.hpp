// The dynamic part of the world: everything the turn loop changes. Plain data,
// copied whole for leverage counterfactuals, so it holds no pointers — only
// ids (indices into Definitions) and values.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/world/definitions.hpp"
#include "engine/world/diplomacy.hpp"
#include "engine/world/grid.hpp"

namespace chokepoint {

inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

// An exporter's stance toward one destination for one good.
struct ExportRule {
    Regime regime = Regime::Open;
    double duty = 0.0;  // ad-valorem export duty on the good's reference price
    bool operator==(const ExportRule&) const = default;
};

enum class EndUse { Civilian = 0, Defense = 1 };
const char* to_string(EndUse e);

enum class ApplicationStatus { Pending = 0, Approved = 1, Denied = 2, Expired = 3 };
const char* to_string(ApplicationStatus s);

struct LicenseApplication {
    int id = 0;
    CountryId exporter{}, importer{};
    GoodId good{};
    double tonnes_per_turn = 0.0;
    EndUse end_use = EndUse::Civilian;
    int filed_turn = 0;
    int decidable_turn = 0;  // filed_turn + floor(review_days / turn days): the review ends in this turn
    ApplicationStatus status = ApplicationStatus::Pending;
    int decided_turn = -1;
    double review_days = 0.0;       // review time in calendar days (0 for the turn-0 queue)
    double first_turn_share = 1.0;  // share of decidable_turn left once the review ends
    int start_turn = 0;  // first turn the firms need it for (later than decidable_turn for a renewal)
    bool operator==(const LicenseApplication&) const = default;
};

struct License {
    int id = 0;
    int application_id = 0;
    CountryId exporter{}, importer{};
    GoodId good{};
    double tonnes_per_turn = 0.0;
    int first_turn = 0, last_turn = 0;  // valid for turns [first, last]
    bool civilian_only = false;
    bool revoked = false;
    double shipped = 0.0;  // cumulative
    int agreement_id = 0;  // a general license granted by an agreement (0: from an application)
    double first_turn_share = 1.0;  // share of tonnes_per_turn usable in first_turn (review ended mid-turn)
    bool scripted = false;          // granted by a scripted event (general_license, approval_policy)
    double requested = 0.0;         // t/turn the application asked for (0: not from an application)
    bool operator==(const License&) const = default;
};

// A tonnage usable in the current turn under a license (first_turn_share in its first turn).
inline double license_volume_now(const License& l, int turn) {
    return turn == l.first_turn ? l.tonnes_per_turn * l.first_turn_share : l.tonnes_per_turn;
}

// A scripted approval rule (scenario event `approval_policy`, docs/scenario-format.md): while
// `scripted`, the engine decides the matching applications itself when they become decidable.
// Without `scripted` only review_days (if ≥ 0) is kept.
struct ApprovalPolicy {
    CountryId exporter{};
    GoodId good{};
    std::optional<CountryId> destination;  // none: every destination
    double share = 1.0;         // share of the requested volume approved
    double review_days = -1.0;  // < 0: the scenario's licensing.review_days
    bool deny_defense = false;
    bool civilian_only = false;
    int validity_turns = 4;
    bool scripted = true;
    bool operator==(const ApprovalPolicy&) const = default;
};

// An exporter's recent licensing practice toward one destination for one good, from the
// decisions actually made: approved / requested volume, exponentially weighted, for civilian
// and defense end use apart (< 0: nothing decided yet). Counterfactuals decide with it.
struct LicensePractice {
    CountryId exporter{}, importer{};
    GoodId good{};
    double civilian = -1.0, defense = -1.0;
    bool operator==(const LicensePractice&) const = default;
};

struct Project {
    int id = 0;
    CountryId owner{};   // who pays the capex
    CountryId host{};    // where the capacity is built
    GoodId good{};       // capacity for this good
    double tonnes_per_year = 0.0;
    double capex = 0.0;           // USD total
    double capex_paid = 0.0;
    double output_share = 0.0;    // share of output shipped to the owner when host != owner
    double owner_capex_share = 1.0;  // share of the capex the owner pays; the host government pays the rest
    bool private_firms = false;   // started by firms, paid from the host economy
    int start_turn = 0;
    int online_turn = 0;          // first turn with output (moves with delays)
    int delays = 0;
    bool online = false;
    double ramp_level = 0.0;      // share of nameplate now counted in the host's capacity
    bool operator==(const Project&) const = default;
};

// A temporary change to capacity from an event or random shock.
struct CapacityShock {
    CountryId country{};
    GoodId good{};
    double factor = 1.0;
    int until_turn = 0;  // last turn affected
    bool operator==(const CapacityShock&) const = default;
};

// A government's order to buy into or release from its strategic stockpile,
// executed in this turn's market for the good.
struct StockpileOrder {
    CountryId country{};
    GoodId good{};
    double tonnes = 0.0;   // > 0 buy, < 0 release
    double limit_price = 0.0;  // buy: at most; release: at least (USD/t)
    bool operator==(const StockpileOrder&) const = default;
};

struct CountryState {
    double treasury = 0.0;           // government, USD
    double economy_cash = 0.0;       // private sector net cash from rare-earth business, USD
    PerGood<double> reserves;    // per good, t in the ground (mined goods); filled from CountryDef at game start
    PerGood<double> capacity;    // per good, t/yr nameplate (online)
    PerGood<double> unit_cost;   // per good, USD/t conversion cost excluding inputs
    PerGood<double> stock;       // per good, commercial inventory, t
    // [good][licensor] t of `stock` under a licensor's re-export conditions (docs/model.md §Origin
    // and re-export control); Σ over licensors ≤ stock. Empty until the first market.
    Grid<double, GoodId, CountryId> controlled;
    PerGood<double> stockpile;   // per good, strategic stockpile, t
    PerSector<double> sector_demand;  // t/yr before thrift
    PerGood<double> thrift;      // per good, share of demand removed by thrift/substitution (0..1)
    PerGood<double> production_quota;  // per good, t/turn; kUnlimited when none
    PerGood<double> export_quota;      // per good, t/turn over all destinations; kUnlimited when none
    PerGood<double> subsidy;     // per good, USD/t paid to producers
    PerGood<double> price_floor; // per good, USD/t guaranteed to producers (0 = none)
    PerCountry<double> trust;        // in each other country, 0..1
    PerGood<double> stockpile_target_months; // per good, autopilot and view use
    PerGood<int> defense_priority;  // per good, 1 = rated defense orders served first (SetDefensePriority)
    bool operator==(const CountryState&) const = default;
};

// What happened in the last turn, per country and good: the "public" market data
// policies see, and the history the outputs record.
// Money moving in a turn, per country and kind (USD). Every transfer is
// double-entry between a government, an economy, or the outside world, so
// Σ treasuries + Σ economies + State::outside is constant (tests/engine/sim).
enum class CashFlow {
    Sales = 0,         // economy: rare-earth sales (home and abroad)
    Purchases,         // economy: rare-earth purchases
    ProductionCost,    // economy: conversion costs paid out
    TariffRevenue,     // government
    DutyRevenue,       // government
    Subsidies,         // government: subsidies and price-floor payments
    StockpileTrade,    // government: stockpile purchases (−) and releases (+)
    StorageCost,       // government
    Capex,             // government: its investment projects
    PrivateCapex,      // economy: firms' investment projects
    Count
};
inline constexpr int kCashFlowCount = static_cast<int>(CashFlow::Count);
// A cash flow's column in MarketOutcome::cash (Grid indexes by raw_index).
constexpr int raw_index(CashFlow f) { return static_cast<int>(f); }
const char* to_string(CashFlow f);

struct MarketOutcome {
    Grid<double, CountryId, GoodId> price;         // [country][good] USD/t paid by buyers in the country
    Grid<double, CountryId, GoodId> supply_price;  // [country][good] USD/t received by the country's sellers
    Grid<double, CountryId, GoodId> produced;      // [country][good] t
    Grid<double, CountryId, GoodId> consumed;      // [country][good] t used by sectors (not as inputs)
    Grid<double, CountryId, GoodId> used_as_input; // [country][good] t consumed by downstream production
    Grid<double, CountryId, GoodId> imported, exported;   // [country][good] t
    Grid<double, CountryId, GoodId> stock_change;  // [country][good] commercial, t (signed)
    Grid<double, CountryId, GoodId> stockpile_change;     // [country][good] strategic, t (signed)
    Grid<double, CountryId, SectorId> demand;        // [country][sector] t this turn (after thrift)
    Grid<double, CountryId, SectorId> met;           // [country][sector] t this turn
    PerGood<CountryMatrix<>> flows;  // per good: [from][to] t, from != to
    Grid<double, CountryId, CashFlow> cash;  // [country][flow] USD, signed for the country
    Grid<double, CountryId, GoodId> env_cost;      // [country][good] USD-equivalent environmental cost of production
    // Origin ledger, per good: [country][licensor] t of licensor-controlled material (docs/model.md
    // §Origin and re-export control). For each country, good and licensor:
    //   Δ controlled stock = controlled_in + controlled_made − controlled_out
    PerGood<CountryMatrix<>> controlled_in;    // imported (incl. over a licensed link)
    PerGood<CountryMatrix<>> controlled_made;  // produced under the content rule
    PerGood<CountryMatrix<>> controlled_out;   // exported, used as input, consumed, stockpiled, lent
    PerGood<CountryMatrix<>> reexport_breach;  // shipped to destinations the licensor does not consent to
    bool operator==(const MarketOutcome&) const = default;
};

// The origin rules a `licensing_rules` event can switch during a game (docs/model.md §Origin and
// re-export control): China's October 2025 content rule and its suspension a month later.
struct OriginRules {
    bool reexport_control = true;      // licensed exports carry "no re-export without the licensor's consent"
    bool content_rule = false;         // products made with licensed-origin input stay under the licensor's control
    double content_threshold = 0.001;  // ... from this share of the product's value (reference prices)
    bool operator==(const OriginRules&) const = default;
};

struct State {
    int turn = 0;  // the turn about to be played (0-based)
    PerCountry<CountryState> countries;
    RouteTable<ExportRule> rules;  // [exporter][good][destination]
    RouteTable<double> tariff;     // [importer][good][origin], ad valorem on reference price
    std::vector<LicenseApplication> applications;
    std::vector<License> licenses;
    std::vector<ApprovalPolicy> approval_policies;  // scripted approval rules in force
    std::vector<LicensePractice> license_practice;  // recorded decisions (counterfactual stance)
    std::vector<Project> projects;
    std::vector<CapacityShock> shocks;
    std::vector<StockpileOrder> stockpile_orders;  // this turn's, cleared after the markets
    Grid<double, CountryId, GoodId> smoothed_price;  // [country][good], for expectations and long-run responses
    // Established trade relationships, per good: [from][to] t/turn. Seeded before the first turn
    // from a free-trade clearing (the pattern trade grew up under), then the larger of each turn's
    // flow and the decayed previous value. Empty until the first turn.
    PerGood<CountryMatrix<>> established;
    MarketOutcome last;           // last turn's outcome (empty before turn 0)
    int next_id = 1;              // ids for applications, licenses, projects
    double outside = 0.0;         // money paid out of the modelled economies (costs, transport), USD
    // Last measured leverage, public to every policy: net combined leverage [a][b] and the
    // combined index per country; the materials channel's exercised and reserve parts [a][b]
    // (docs/model.md §Leverage). Empty before the first measurement.
    CountryMatrix<> leverage_net;
    PerCountry<double> leverage_index;
    CountryMatrix<> leverage_exercised;
    CountryMatrix<> leverage_reserve;
    // Diplomacy: every proposal made and every agreement struck (docs/model.md §Negotiation).
    std::vector<Proposal> proposals;
    std::vector<Agreement> agreements;
    int negotiation_round = 0;  // the round being played, or `rounds` in the policy phase
    std::uint64_t rng_state[4] = {0, 0, 0, 0};  // xoshiro256** state: the world's seeded RNG
    // Set by the first `licensing_rules` event; until then the scenario's `licensing` block holds
    // (origin_rules below reads the one in force).
    std::optional<OriginRules> origin_rules_set;

    ExportRule& rule(CountryId exporter, GoodId good, CountryId dest) { return rules(exporter, good, dest); }
    const ExportRule& rule(CountryId exporter, GoodId good, CountryId dest) const { return rules(exporter, good, dest); }
    double& tariff_on(CountryId importer, GoodId good, CountryId origin) { return tariff(importer, good, origin); }
    double tariff_on(CountryId importer, GoodId good, CountryId origin) const { return tariff(importer, good, origin); }
    bool operator==(const State&) const = default;
};

// The origin rules in force: the last `licensing_rules` event's, or the scenario's.
inline OriginRules origin_rules(const Definitions& d, const State& s) {
    if (s.origin_rules_set) return *s.origin_rules_set;
    return {d.licensing.reexport_control, d.licensing.content_rule, d.licensing.content_threshold};
}

}  // namespace chokepoint
