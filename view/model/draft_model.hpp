// A human seat's draft of decisions: what the form may add without contradicting
// a decision already in the draft, and what an investment would cost before it is added.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/instruments/commands.hpp"

namespace chokepoint::view {

// Why `next` contradicts or repeats a decision already in `draft`, or nothing when it may be added:
// a second answer to the same proposal (accept and reject), a second decision on the same licence
// application, a second withdrawal of an agreement, a second setting of the same regime, duty,
// tariff, quota, subsidy, price floor or defense rating (the same good and partner), and buying and
// releasing the same good's stockpile in one turn. Proposals, purchases and investments add up.
std::optional<std::string> draft_conflict(const Definitions& d, const std::vector<Command>& draft, const Command& next);

// What a new capacity project would cost and when it would produce, as the engine computes them
// (engine/instruments/investment.cpp): "capex $80M, online 2032-04 (9 turns)".
struct InvestmentPreview {
    double capex_usd = 0.0;
    int lead_turns = 0;
    int online_turn = 0;
};
InvestmentPreview preview_investment(const Definitions& d, const State& s, GoodId good, double tonnes_per_year);

// An exporter's licence paperwork grouped by destination and good: the
// applications waiting for its decision this turn, so that a seat decides a group at once.
struct ApplicationGroup {
    CountryId importer{};
    GoodId good{};
    std::vector<int> ids;         // application ids, in filing order
    double tonnes = 0.0;          // t/turn asked, all of them
    double defense_tonnes = 0.0;  // of which for defense end use
};
std::vector<ApplicationGroup> group_applications(const State& s, CountryId exporter);

// "United States asked for 40.0 t/turn of NdFeB magnet (civilian)" for a decision on an
// application; empty when `c` is not one or the application is unknown.
std::string application_context(const Definitions& d, const State& s, const Command& c);

}  // namespace chokepoint::view
