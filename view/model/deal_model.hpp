// The deal screen's page: a proposal (received, sent, or being drafted) as what each side gives
// and gets, in people's words (display names and units). A supply clause puts goods on one side
// and their price on the other; an investment, capital on one side and output on the other.
#pragma once

#include <string>
#include <vector>

#include "engine/world/definitions.hpp"
#include "engine/world/diplomacy.hpp"

namespace chokepoint::view {

struct DealModel {
    CountryId a = kNoCountry, b = kNoCountry;  // the proposer and the recipient
    std::string a_name, b_name;
    std::vector<std::string> a_gives, b_gives;  // what each side gives (so, what the other gets)
    std::string terms;  // "8 turns, from 2027-Q1 to 2028-Q4"
};

// The deal `from` proposes to `to`: `clauses` for `turns` turns starting in turn `start`.
DealModel deal_model(const Definitions& d, CountryId from, CountryId to, const std::vector<Clause>& clauses, int turns,
                     int start);

}  // namespace chokepoint::view
