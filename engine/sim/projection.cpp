#include "engine/sim/projection.hpp"

#include <vector>

namespace chokepoint {

void project(const Definitions& d, State& s, int turns, const Cutoff& cut,
             const std::function<void(const State&)>& after_turn, LastTurn last) {
    TurnOptions opt;
    opt.scheduled_events = false;
    opt.random_shocks = false;
    opt.negotiation = false;
    opt.counterfactual = true;
    opt.cut = cut;
    static const std::vector<ScheduledEvent> no_events;
    static const std::vector<Policy*> autopilot_everywhere;
    EventList scratch;
    scratch.muted = true;
    for (int t = 0; t < turns; ++t) {
        scratch.clear();
        opt.markets_only = last == LastTurn::MarketsOnly && t == turns - 1;
        play_turn(d, s, no_events, autopilot_everywhere, opt, scratch);
        after_turn(s);
    }
}

}  // namespace chokepoint
