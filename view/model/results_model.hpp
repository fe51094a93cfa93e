// The game-over screen's content (docs/facilitation.md §Game over): the scoreboard with the team
// seats marked, the winners, and each country's balance of leverage at the first measurement and
// at the end.
#pragma once

#include <string>
#include <vector>

#include "view/session.hpp"

namespace chokepoint::view {

struct ResultRow {
    CountryId country{};
    std::string name;
    bool team = false;  // a human seat at the end of the game
    double economy = 0.0, security = 0.0, influence = 0.0, total = 0.0;  // final scores (§Scores)
    int rank = 0;       // 1 = the best total of all countries
    bool measured = false;                      // leverage was measured at least once
    double leverage_first = 0.0, leverage_last = 0.0;  // combined index, first and latest measurement
};

struct Results {
    bool available = false;  // a turn has been played
    std::string first_date, last_date;      // of the first and latest leverage measurements
    std::vector<ResultRow> rows;            // best total first (ties: country order)
    std::vector<std::string> winners;       // the best total among the team seats (all countries without seats)
    bool teams = false;                     // the game had team seats
};

Results results(const Snapshot& snap);

}  // namespace chokepoint::view
