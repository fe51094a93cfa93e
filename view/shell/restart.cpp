#include "view/shell/restart.hpp"

#include <fmt/core.h>

#include <cstdint>
#include <exception>

namespace chokepoint::view {

std::unique_ptr<Session> GameRestart::first(UiState& ui) const {
    ui.scenario_path = base_.scenario;
    ui.seed = static_cast<int>(base_.seed.value_or(0));
    auto session = std::make_unique<Session>(base_);
    if (!base_.seed) ui.seed = static_cast<int>(session->snapshot()->seed);
    return session;
}

void GameRestart::apply(UiState& ui, std::unique_ptr<Session>& session) const {
    if (!ui.restart_requested) return;
    ui.restart_requested = false;
    SessionOptions so = base_;
    so.scenario = ui.scenario_path;
    so.seed = static_cast<std::uint64_t>(ui.seed);
    try {
        auto fresh = std::make_unique<Session>(so);
        session = std::move(fresh);
        ui.say(fmt::format("loaded {} with seed {}", so.scenario, ui.seed));
        ui.draft = SeatDraft{};
    } catch (const std::exception& e) {
        ui.say(fmt::format("could not load: {}; the current game goes on", e.what()), true);
    }
}

}  // namespace chokepoint::view
