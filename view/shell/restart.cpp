#include "view/shell/restart.hpp"

#include <fmt/core.h>

#include <cstdint>
#include <exception>

#include "engine/scenario/loader.hpp"

namespace chokepoint::view {

std::vector<std::string> human_seats(const Snapshot& snap) {
    std::vector<std::string> ids;
    if (!snap.defs) return ids;
    for (size_t c = 0; c < snap.human.size() && c < snap.defs->countries.size(); ++c)
        if (snap.human[c]) ids.push_back(snap.defs->countries[c].id);
    return ids;
}

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
        // The seats played by people now (ticked in the window or from --human) stay with people
        // where the new scenario has the same country.
        so.humans = human_seats(*session->snapshot());
        const Scenario next = load_scenario(so.scenario);
        std::erase_if(so.humans, [&](const std::string& id) { return next.defs->country_index(id) < 0; });
        auto fresh = std::make_unique<Session>(so);
        session = std::move(fresh);
        ui.say(fmt::format("loaded {} with seed {}", so.scenario, ui.seed));
        ui.draft = SeatDraft{};
    } catch (const std::exception& e) {
        ui.say(fmt::format("could not load: {}; the current game goes on", e.what()), true);
    }
}

}  // namespace chokepoint::view
