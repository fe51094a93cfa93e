#include "engine/commands/dispatch.hpp"

#include "engine/diplomacy/negotiation.hpp"

namespace chokepoint {

CommandResult validate_command(const Definitions& d, const State& s, CountryId self, const Command& c) {
    if (const auto* p = std::get_if<Propose>(&c)) return validate_propose(d, s, self, *p);
    if (const auto* r = std::get_if<Respond>(&c)) return validate_respond(d, s, self, *r);
    if (const auto* w = std::get_if<Withdraw>(&c)) return validate_withdraw(d, s, self, *w);
    return validate_instrument(d, s, self, c);
}

CommandResult apply_command(const Definitions& d, State& s, CountryId self, const Command& c, EventList& log) {
    auto apply = [&](const auto& command, auto&& act) {
        if (auto r = validate_command(d, s, self, c); !r.ok) return r;
        act(d, s, self, command, log);
        return CommandResult::success();
    };
    if (const auto* p = std::get_if<Propose>(&c)) return apply(*p, apply_propose);
    if (const auto* r = std::get_if<Respond>(&c)) return apply(*r, apply_respond);
    if (const auto* w = std::get_if<Withdraw>(&c)) return apply(*w, apply_withdraw);
    return apply_instrument(d, s, self, c, log);
}

}  // namespace chokepoint
