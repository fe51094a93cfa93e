#include "engine/sim/policy.hpp"

#include <fmt/format.h>

namespace chokepoint {

CommandResult PolicyContext::issue(const Command& command) {
    CommandResult r = validate_command(defs_, state_, country_, command);
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

void PolicyContext::log(const std::string& text) {
    log_.push_back(GameEvent{state_.turn, "policy_log", country_, -1,
                             fmt::format("[{}] {}", defs_.countries[static_cast<size_t>(country_)].id, text),
                             nlohmann::json::object()});
}

void PolicyContext::event(const std::string& type, const std::string& text, nlohmann::json data) {
    log_.push_back(GameEvent{state_.turn, type, country_, -1, text, std::move(data)});
}

}  // namespace chokepoint
