#include "engine/sim/policy.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/commands/dispatch.hpp"
#include "engine/diplomacy/negotiation.hpp"

namespace chokepoint {

// Proposals queued this turn but not yet applied count as sent.
int PolicyContext::queued_proposals() const {
    int queued = 0;
    for (const auto& q : queue_)
        if (q.country == country_)
            if (const auto* other = std::get_if<Propose>(&q.command)) queued += static_cast<int>(other->to.size());
    return queued;
}

int PolicyContext::proposals_left() const {
    return defs_.negotiation.max_proposals_per_turn - proposals_sent_this_turn(state_, country_) - queued_proposals();
}

int PolicyContext::max_commands() const {
    const long long scaled = 10LL * static_cast<long long>(defs_.countries.size()) * static_cast<long long>(defs_.goods.size());
    return static_cast<int>(std::clamp(scaled, 1000LL, 1'000'000LL));
}

CommandResult PolicyContext::issue(const Command& command) {
    if (mine_ < 0) {
        mine_ = 0;
        for (const auto& q : queue_) mine_ += q.country == country_ ? 1 : 0;
    }
    CommandResult r = mine_ >= max_commands()
                          ? CommandResult::refuse(fmt::format("at most {} commands a turn ({} are queued already)",
                                                              max_commands(), mine_))
                          : validate_command(defs_, state_, country_, command);
    if (const auto* p = std::get_if<Propose>(&command); r.ok && p)
        r = check_proposal_rate(defs_, state_, country_, static_cast<int>(p->to.size()), queued_proposals());
    if (r.ok) {
        queue_.push_back({country_, command});
        ++issued_;
        ++mine_;
    } else if (admit_output()) {
        log_.push_back(GameEvent{state_.turn, "command_refused", country_, kNoCountry,
                                 fmt::format("{}: {} refused: {}", defs_.countries[country_].id,
                                             command_name(command), r.message),
                                 {{"command", command_name(command)}, {"reason", r.message}}});
    }
    return r;
}

CommandResult PolicyContext::forecast(const Proposal& p, int turns, Forecast& result) {
    if (p.from != country_ && p.to != country_)
        return CommandResult::refuse("a forecast is for a party of the proposal");
    if (!forecasts_left_)
        return CommandResult::refuse(
            "no forecasts here: a forecast is made in a turn's callbacks (on_turn, on_proposal, on_event, "
            "on_license_request), each turn's budget starting with its first; init runs before any");
    if ((*forecasts_left_)[country_] <= 0)
        return CommandResult::refuse(fmt::format("forecast budget spent: {} per turn", defs_.negotiation.forecasts_per_turn));
    --(*forecasts_left_)[country_];
    result = forecast_proposal(defs_, state_, country_, p, turns);
    return CommandResult::success();
}

bool PolicyContext::admit_output() {
    if (log_.muted) return false;
    if (output_ < 0) {  // count once per context: several contexts share a turn
        output_ = 0;
        for (size_t i = 0; i < log_.size(); ++i) {
            const GameEvent& e = log_[i];
            if (e.country != country_ || e.turn != state_.turn) continue;
            if (e.type == "policy_log" || e.type == "command_refused") ++output_;
            if (e.type == "policy_output_suppressed") suppressed_at_ = i;
        }
    }
    if (output_ < kMaxOutputPerTurn) {
        ++output_;
        return true;
    }
    const std::string& id = defs_.countries[country_].id;
    if (suppressed_at_ == SIZE_MAX) {
        suppressed_at_ = log_.size();
        log_.push_back(GameEvent{state_.turn, "policy_output_suppressed", country_, kNoCountry, "",
                                 {{"suppressed", 0}, {"limit", kMaxOutputPerTurn}}});
    }
    GameEvent& e = log_.at(suppressed_at_);
    const int n = e.data.value("suppressed", 0) + 1;
    e.data["suppressed"] = n;
    e.text = fmt::format("{}: … {} more log lines and refused commands suppressed this turn (at most {} a turn)", id,
                         n, kMaxOutputPerTurn);
    return false;
}

void PolicyContext::log(const std::string& text) {
    if (!admit_output()) return;
    size_t keep = text.size();
    if (keep > kMaxLogChars) {
        keep = kMaxLogChars;
        while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;  // not mid-character
    }
    log_.push_back(GameEvent{state_.turn, "policy_log", country_, kNoCountry,
                             fmt::format("[{}] {}{}", defs_.countries[country_].id,
                                         text.substr(0, keep), keep < text.size() ? " … (line cut)" : ""),
                             nlohmann::json::object()});
}

void PolicyContext::event(const std::string& type, const std::string& text, nlohmann::json data) {
    log_.push_back(GameEvent{state_.turn, type, country_, kNoCountry, text, std::move(data)});
}

}  // namespace chokepoint
