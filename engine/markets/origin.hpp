// Origin of material and re-export control: which part of a country's commercial stock is under
// a licensor's conditions ("no re-export without the licensor's consent"), and who consents to
// what. docs/model.md §Origin and re-export control.
#pragma once

#include "engine/world/definitions.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

// Sizes every country's controlled grid (goods × countries) and the outcome's origin ledger, if not yet.
void ensure_origin(const Definitions& d, State& s);
void ensure_origin_ledger(const Definitions& d, MarketOutcome& out);

// t of country c's stock of g under any licensor's conditions.
double controlled_total(const CountryState& cs, GoodId g);

// The licensor approves of `dest` as a destination of g: its regime toward dest is open, or
// licensed with a licence to dest for g valid this turn (volume not counted).
bool approves_destination(const Definitions& d, const State& s, CountryId licensor, GoodId g, CountryId dest);

// The licensor consents to L-controlled g reaching `dest`: dest is the licensor itself, or the
// licensor approves of dest for g and, under the content rule, for every good upstream of g in the
// recipes (an input it refuses to dest makes what is made from it refused too, §Origin).
bool consents(const Definitions& d, const State& s, CountryId licensor, GoodId g, CountryId dest);

// Where removing tonnes from a stock takes origin from.
struct OriginDraw {
    enum Order {
        Pooled,           // in proportion: clean and each licensor's share
        ControlledFirst,  // controlled first (pro rata across licensors), then clean
        CleanFirst,       // clean first, then controlled pro rata
        LicensorFirst,    // `licensor`'s controlled first, then other controlled pro rata, then clean
    };
    Order order = Pooled;
    CountryId licensor = kNoCountry;  // LicensorFirst only
    static OriginDraw licensor_first(CountryId l) { return {LicensorFirst, l}; }
};

// Takes `tonnes` out of the origin accounts of c's stock of g, which held `stock_before` t before
// the removal (the caller changes the stock itself). Controlled tonnes removed are recorded as
// controlled_out when `out` is given. Returns the controlled tonnes removed per licensor into
// `taken` when given (sized countries).
void remove_origin(const Definitions& d, State& s, CountryId c, GoodId g, double stock_before, double tonnes,
                   OriginDraw draw, MarketOutcome* out, PerCountry<double>* taken = nullptr);

// Keeps Σ controlled ≤ stock after a change that may have lowered the stock below it (records the
// excess as controlled_out).
void clamp_origin(const Definitions& d, State& s, CountryId c, GoodId g, MarketOutcome* out);

// Capacity of c to make g from inputs that keep the output clean under the content rule (t this
// turn, before capacity limits): each input may carry controlled material up to its share of the
// threshold (by value at reference prices). Infinite for goods without a recipe or without the rule.
double clean_production_limit(const Definitions& d, const State& s, CountryId c, GoodId g);

}  // namespace chokepoint
