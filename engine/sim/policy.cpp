#include "engine/sim/policy.hpp"

#include <fmt/format.h>

#include "engine/diplomacy/negotiation.hpp"

namespace chokepoint {

int PolicyContext::proposals_left() const {
    // Proposals queued this turn but not yet applied count as sent.
    int queued = 0;
    for (const auto& q : queue_)
        if (q.country == country_)
            if (const auto* other = std::get_if<Propose>(&q.command)) queued += static_cast<int>(other->to.size());
    return defs_.negotiation.max_proposals_per_turn - proposals_sent_this_turn(state_, country_) - queued;
}

CommandResult PolicyContext::issue(const Command& command) {
    CommandResult r = validate_command(defs_, state_, country_, command);
    if (const auto* p = std::get_if<Propose>(&command); r.ok && p) {
        const int left = proposals_left();
        if (static_cast<int>(p->to.size()) > left)
            r = CommandResult::refuse(fmt::format("rate limit: {} proposals per turn (sent {} already, this one goes to {})",
                                                  defs_.negotiation.max_proposals_per_turn,
                                                  defs_.negotiation.max_proposals_per_turn - left, p->to.size()));
    }
    if (r.ok) {
        queue_.push_back({country_, command});
        ++issued_;
    } else {
        log_.push_back(GameEvent{state_.turn, "command_refused", country_, -1,
                                 fmt::format("{}: {} refused: {}", defs_.countries[static_cast<size_t>(country_)].id,
                                             command_name(command), r.message),
                                 {{"command", command_name(command)}, {"reason", r.message}}});
    }
    return r;
}

CommandResult PolicyContext::forecast(const Proposal& p, int turns, Forecast& result) {
    if (p.from != country_ && p.to != country_)
        return CommandResult::refuse("a forecast is for a party of the proposal");
    if (!forecasts_left_ || (*forecasts_left_)[static_cast<size_t>(country_)] <= 0)
        return CommandResult::refuse(fmt::format("forecast budget spent: {} per turn", defs_.negotiation.forecasts_per_turn));
    --(*forecasts_left_)[static_cast<size_t>(country_)];
    result = forecast_proposal(defs_, state_, country_, p, turns);
    return CommandResult::success();
}

void PolicyContext::log(const std::string& text) {
    log_.push_back(GameEvent{state_.turn, "policy_log", country_, -1,
                             fmt::format("[{}] {}", defs_.countries[static_cast<size_t>(country_)].id, text),
                             nlohmann::json::object()});
}

void PolicyContext::event(const std::string& type, const std::string& text, nlohmann::json data) {
    log_.push_back(GameEvent{state_.turn, type, country_, -1, text, std::move(data)});
}

}  // namespace chokepoint
