#include "engine/sim/projection.hpp"

#include <vector>

namespace chokepoint {

namespace {

TurnOptions projection_options(const Cutoff& cut) {
    TurnOptions opt;
    opt.scheduled_events = false;
    opt.random_shocks = false;
    opt.negotiation = false;
    opt.counterfactual = true;
    opt.cut = cut;
    return opt;
}

const std::vector<ScheduledEvent> no_events;
const PerCountry<Policy*> autopilot_everywhere;

// Plays turns first..turns-1 of a projection; the first one from its markets if `decided`.
void play_projection(const Definitions& d, State& s, int turns, const Cutoff& cut,
                     const std::function<void(const State&)>& after_turn, LastTurn last, bool decided) {
    TurnOptions opt = projection_options(cut);
    EventList scratch;
    scratch.muted = true;
    for (int t = 0; t < turns; ++t) {
        scratch.clear();
        opt.markets_only = last == LastTurn::MarketsOnly && t == turns - 1;
        if (!(decided && t == 0)) decide_turn(d, s, no_events, autopilot_everywhere, opt, scratch);
        finish_turn(d, s, opt, scratch);
        after_turn(s);
    }
}

}  // namespace

void project(const Definitions& d, State& s, int turns, const Cutoff& cut,
             const std::function<void(const State&)>& after_turn, LastTurn last) {
    play_projection(d, s, turns, cut, after_turn, last, false);
}

State decided_first_turn(const Definitions& d, const State& start) {
    State s = start;
    EventList scratch;
    scratch.muted = true;
    decide_turn(d, s, no_events, autopilot_everywhere, projection_options(Cutoff{}), scratch);
    return s;
}

void project_decided(const Definitions& d, State& decided, int turns, const Cutoff& cut,
                     const std::function<void(const State&)>& after_turn, LastTurn last) {
    play_projection(d, decided, turns, cut, after_turn, last, true);
}

}  // namespace chokepoint
