// A game played in a test, as the window sees it: the Snapshot a Session would publish after
// the game's last turn (shared by the view-model tests).
#pragma once

#include <memory>

#include "engine/game/game.hpp"
#include "view/session.hpp"  // Snapshot

namespace chokepoint::testing {

inline view::Snapshot snapshot_of(const Game& g) {
    view::Snapshot s;
    s.version = g.history().size() + 1;
    s.defs = g.scenario().defs;
    s.state = g.state();
    s.start = std::make_shared<const State>(g.scenario().initial);
    for (const auto& r : g.history()) s.history.push_back(std::make_shared<const TurnRecord>(r));
    for (CountryId c : g.defs().country_ids()) s.policy_names.push_back(g.policy(c)->name());
    return s;
}

}  // namespace chokepoint::testing
