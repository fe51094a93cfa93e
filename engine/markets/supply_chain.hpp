// Firms' automatic behaviour around one good's market: what they offer
// (production up to capacity, quota and inputs; inventory), what they bid
// (sector demand curves, feed for downstream capacity, restocking), plus
// governments' stockpile orders — then clearing under the permissions in
// force and applying the result to stocks, money and the turn's outcome.
// docs/model.md §Markets and §Firms.
#pragma once

#include "engine/world/event_log.hpp"
#include <optional>

#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// A leverage counterfactual's change to one pair's trade (docs/model.md §Leverage):
// - the cut: `from` ships nothing to `to` (of `good`, or of every good when it has none);
// - the opening: `open_from`'s exports to `open_to` face no restriction from open_from — its
//   regime toward open_to counts as open (licences irrelevant), it charges no export duty on
//   them, and they pass outside its export quota — for every good except `open_except` (kept
//   as in force; none: no good) and any good the cut blocks. The importer's tariffs and the
//   relationship limits stay.
struct Cutoff {
    CountryId from = kNoCountry, to = kNoCountry;
    std::optional<GoodId> good;  // none: every good
    CountryId open_from = kNoCountry, open_to = kNoCountry;
    std::optional<GoodId> open_except;  // none: no good kept
    bool active() const { return from != kNoCountry || open_from != kNoCountry; }
    bool blocks(CountryId a, CountryId b, GoodId g) const { return a == from && b == to && (!good || *good == g); }
    bool opens(CountryId a, CountryId b, GoodId g) const {
        return a == open_from && b == open_to && g != open_except && !blocks(a, b, g);
    }

    static Cutoff cut(CountryId a, CountryId b, std::optional<GoodId> g = std::nullopt) {
        return Cutoff{a, b, g, kNoCountry, kNoCountry, std::nullopt};
    }
    // a → b opened for every good but `except`.
    static Cutoff open(CountryId a, CountryId b, std::optional<GoodId> except = std::nullopt) {
        return Cutoff{kNoCountry, kNoCountry, std::nullopt, a, b, except};
    }
    // Good g cut a → b, a's other goods to b opened.
    static Cutoff cut_one_open_rest(CountryId a, CountryId b, GoodId g) { return Cutoff{a, b, g, a, b, std::nullopt}; }
};

// Trade permission a → b for a good this turn: tonnes allowed (kUnlimited when open).
double link_allowance(const Definitions& d, const State& s, CountryId a, CountryId b, GoodId g);

// How much a→b can carry this turn given the trading relationship: buyers
// qualify new suppliers slowly (docs/model.md §Supplier relationships).
double relationship_limit(const Definitions& d, const State& s, CountryId a, CountryId b, GoodId g);

// Seeds State::established from a free-trade clearing of the current state
// (no regimes, duties, tariffs or export quotas): the pattern trade grew up under.
void seed_relationships(const Definitions& d, State& s);
// After a turn: each relationship is the larger of the turn's flow and its decayed volume.
void update_relationships(const Definitions& d, State& s);

// Shipments of foreign-financed projects' output share to their owners,
// made before the good's spot market. Records into `out`.
void ship_project_offtake(const Definitions& d, State& s, GoodId g, const Cutoff& cut, MarketOutcome& out);

// Deliveries under the supply clauses of agreements in force, made before the good's spot
// market and after project offtake: from the seller's spare capacity, then its stock, within
// the route's permission (a license where exports are licensed) and export quota, paid at the
// contract price. Records into `out` and each clause's progress.this_turn.
void ship_contracts(const Definitions& d, State& s, GoodId g, const Cutoff& cut, MarketOutcome& out);

// Builds, clears and applies the spot market for good g. Inputs of g
// (earlier stages) must have cleared already this turn.
void clear_good_market(const Definitions& d, State& s, GoodId g, const Cutoff& cut, MarketOutcome& out);

// Resets `out` to zeros sized for the definitions.
void reset_outcome(const Definitions& d, MarketOutcome& out);

}  // namespace chokepoint
