#include "view/shell/restart.hpp"

#include <fmt/core.h>

#include <cstdint>
#include <utility>
#include <exception>

#include "engine/savegame/game_file.hpp"
#include "engine/scenario/loader.hpp"
#include "view/shell/game_files.hpp"

namespace chokepoint::view {

std::vector<std::string> human_seats(const Snapshot& snap) {
    std::vector<std::string> ids;
    if (!snap.defs) return ids;
    for (CountryId c : snap.defs->country_ids())
        if (c.index() < snap.human.size() && snap.human[c]) ids.push_back(snap.defs->countries[c].id);
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
    if (!ui.open.load.empty()) {
        open(ui, session);
        return;
    }
    SessionOptions so = base_;
    so.load.clear(), so.at.reset();
    so.scenario = ui.scenario_path;
    // A new game gets a new file in the games folder (never over an earlier game).
    so.save = folder_.empty() ? std::string() : new_game_path(folder_, so.scenario, time_stamp());
    so.seed = static_cast<std::uint64_t>(ui.seed);
    if (ui.class_turns > 0) so.turns = ui.class_turns;  // the class length set in the window stays
    try {
        // The seats played by people now (ticked in the window or from --human) stay with people
        // where the new scenario has the same country.
        so.humans = human_seats(*session->snapshot());
        const Scenario next = load_scenario(so.scenario);
        std::erase_if(so.humans, [&](const std::string& id) { return next.defs->country_index(id) < 0; });
        auto fresh = std::make_unique<Session>(so);
        session = std::move(fresh);
        ui.say(fmt::format("loaded {} with seed {}{}", so.scenario, ui.seed,
                           so.save.empty() ? std::string() : fmt::format(", saved in {}", so.save)));
        ui.draft = SeatDraft{};
        ui.briefed.clear();
    } catch (const std::exception& e) {
        ui.say(fmt::format("could not load: {}; the current game goes on", e.what()), true);
    }
}

void GameRestart::open(UiState& ui, std::unique_ptr<Session>& session) const {
    const OpenRequest req = std::exchange(ui.open, OpenRequest{});
    // What can be checked without stopping the current game is checked first.
    try {
        const GameFile probe = GameFile::open(req.load);
        if (req.at > probe.turns_saved())
            throw GameFileError(fmt::format("{} has {} turns saved, not {}", req.load, probe.turns_saved(), req.at));
    } catch (const std::exception& e) {
        ui.say(fmt::format("could not open: {}; the current game goes on", e.what()), true);
        return;
    }
    const auto before = session->snapshot();
    session->finish();  // nothing more is written to its file
    SessionOptions so = base_;
    so.turns = 0;  // the command line's --turns was for the first game; an opened file keeps its length
    so.load = req.load;
    so.at = req.at < 0 ? std::nullopt : std::optional<int>(req.at);
    so.save = req.at < 0 ? std::string() : branch_path(req.load, req.at);
    so.humans.clear();  // the file's last seats played by people stay with people
    try {
        session = std::make_unique<Session>(so);
        const auto now = session->snapshot();
        ui.say(req.at < 0 ? fmt::format("opened {}: {} turns replayed", req.load, now->loaded_turns)
                          : fmt::format("branched {} after turn {} into {}", req.load, req.at, so.save));
        ui.scenario_path = now->scenario_path;
        ui.seed = static_cast<int>(now->seed);
        ui.draft = SeatDraft{};
        ui.briefed.clear();
        return;
    } catch (const std::exception& e) {
        ui.say(fmt::format("could not open {}: {}", req.load, e.what()), true);
    }
    // The game that was going on comes back from its file (or, without one, a new game starts).
    so = base_;
    so.turns = 0;
    so.load.clear(), so.at.reset(), so.save.clear();
    so.humans = human_seats(*before);
    if (!before->game_file.empty()) {
        so.load = before->game_file;
        so.save.clear();
    }
    try {
        session = std::make_unique<Session>(so);
    } catch (const std::exception& e) {
        ui.say(fmt::format("could not reopen the game: {}", e.what()), true);
        so = base_;
        so.load.clear(), so.at.reset(), so.save.clear();
        session = std::make_unique<Session>(so);
    }
}

}  // namespace chokepoint::view
