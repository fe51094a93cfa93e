#include "agents/saved_game.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "engine/output/sha256.hpp"
#include "engine/savegame/replay.hpp"
#include "engine/savegame/state_json.hpp"
#include "engine/sim/autopilot.hpp"

namespace chokepoint {

namespace {

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Where a stored script is read from: its own path when the file there still has the stored
// text (by sha256), else a copy of the text written into `dir` beside the game file.
std::string stored_script_file(const std::filesystem::path& dir, const std::string& path, const std::string& text,
                               const std::string& sha256) {
    namespace fs = std::filesystem;
    if (sha256_hex(file_text(path)) == sha256) return path;
    fs::create_directories(dir);
    const fs::path p = dir / fs::path(path).filename();
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
}

// A country's stored Lua policy: the scenario's script as the header stored it (stored_script_file;
// require() looks in the original scripts folder), with the journaled reloads of `turns`
// scheduled for the turns they happened in, and the journaled modules served to require() while
// those turns are replayed.
std::unique_ptr<Policy> stored_policy(const Game& game, const GameHeader& h, const std::string& game_file,
                                      LuaPolicyOptions lua, const std::vector<TurnEntry>& turns, CountryId c) {
    namespace fs = std::filesystem;
    const auto& cd = game.defs().countries[c];
    if (cd.policy.empty() || cd.policy == "autopilot") return std::make_unique<AutopilotPolicy>();
    const fs::path dir = fs::path(game_file + ".scripts") / cd.id;
    std::string path = cd.policy;
    for (const auto& s : h.scripts)
        if (s.country == cd.id) path = stored_script_file(dir, cd.policy, s.text, s.sha256);
    if (path != cd.policy) {
        const fs::path orig_dir = fs::path(cd.policy).parent_path();
        lua.scripts_root = orig_dir.filename() == "policies" ? orig_dir.parent_path().string()
                                                              : (orig_dir.empty() ? "." : orig_dir.string());
    }
    for (const TurnEntry& e : turns)
        for (const ModuleScript& m : e.modules)
            if (m.country == cd.id) lua.stored_modules.push_back({e.turn, m.name, m.path, m.text});
    lua.replayed_turns = static_cast<int>(turns.size());
    auto policy = std::make_unique<LuaPolicy>(game.defs(), c, path, lua);
    for (const TurnEntry& e : turns)
        for (const PolicyScript& s : e.reloads)
            if (s.country == cd.id)
                policy->schedule_reload(
                    e.turn, stored_script_file(dir / ("turn-" + std::to_string(e.turn)), s.path, s.text, s.sha256));
    return policy;
}

}  // namespace

std::unique_ptr<JournalDesk> install_stored_policies(Game& game, const GameHeader& h, const std::string& game_file,
                                                     const LuaPolicyOptions& lua, const std::vector<TurnEntry>& turns,
                                                     SeatDesk* live, SeatJournal* journal) {
    bool humans = live != nullptr;
    for (const auto& e : turns) humans = humans || !e.decisions.empty();
    auto advisor = [&](CountryId c) { return stored_policy(game, h, game_file, lua, turns, c); };
    if (!humans) {
        for (CountryId c : game.defs().country_ids()) game.set_policy(c, advisor(c));
        return nullptr;
    }
    auto desk = std::make_unique<JournalDesk>(game, turns, live, journal);
    install_journal_seats(game, *desk, advisor);
    return desk;
}

OpenedGame open_saved_game(const OpenGameOptions& o) {
    OpenedGame out;
    GameFile loaded = GameFile::open(o.load);
    GameHeader h = loaded.header();
    out.game = game_from_header(h, o.game);
    Game& game = *out.game;
    std::vector<TurnEntry> turns = loaded.turns(false);
    const std::vector<nlohmann::json> loaded_queue = loaded.queued_injects();
    const int saved = static_cast<int>(turns.size());
    if (o.at && (*o.at < 0 || *o.at > saved))
        throw GameFileError(o.load + ": cannot start after turn " + std::to_string(*o.at) + ": the file has turns 0 to " +
                            std::to_string(saved) + " saved");
    const int from = o.at ? *o.at : saved;
    // Only the turns replayed: a branch's later turns are the branch's own to play.
    turns.resize(static_cast<size_t>(from));

    out.desk = install_stored_policies(game, h, o.load, o.lua, turns, o.live, o.journal);

    // Replayed turns take their leverage from the file (a replay recomputes it); new turns measure it.
    std::map<int, LeverageReport> recorded = loaded.leverage_reports();
    recorded.erase(recorded.lower_bound(from), recorded.end());
    game.set_recorded_leverage(std::move(recorded));

    // The same file however it is spelled (./a/../a/game.ckp): going on in place, never a branch
    // over its own parent.
    std::error_code ec;
    const bool new_file = !o.save.empty() && o.save != o.load && !std::filesystem::equivalent(o.save, o.load, ec);
    if (!new_file && o.at)
        throw GameFileError(o.load + ": a branch is a new file, and " + (o.save.empty() ? o.load : o.save) +
                            " is the game being loaded: give the branch a new name");
    if (new_file) {
        if (o.at) h.parent_file = o.load, h.parent_turn = from;
        out.file.emplace(GameFile::create(o.save, h));
    } else {
        out.file.emplace(std::move(loaded));
        out.file->claim();  // before anything is written to it
        if (from < saved) out.file->truncate_from(from);
    }
    // Every replayed turn's state against its saved hash: a file that no longer replays the same
    // (an edited row, another engine) is not continued in place, where its next turns would
    // follow a different game than its first (the hostile-inputs review).
    int desync = -1;
    replay_turns(game, turns, from, false, [&](const TurnEntry& entry, bool) {
        if (desync < 0 && state_hash(state_snapshot(game.defs(), game.state())) != entry.state_hash)
            desync = entry.turn;
        if (new_file) {
            TurnEntry e = make_turn_entry(game);
            e.decisions = entry.decisions;  // the human seats' decisions carry over, and the queue
            e.queued = entry.queued;
            out.file->append_turn(e);
        }
        if (o.after_turn) o.after_turn(game);
    });
    out.replayed = game.state().turn;
    out.desync_turn = desync;
    if (desync >= 0 && !new_file)
        throw GameFileError(o.load + ": turn " + std::to_string(desync) +
                            " does not replay as it was saved (the file or the engine changed since), so going on in "
                            "it would mix two games in one file; `chokepoint replay " + o.load +
                            "` shows the first difference, and --save NEW.ckp goes on from the game as it replays now "
                            "in a new file");
    // The queue as it is saved; for a branch from an earlier turn, as the window had it when the
    // last replayed turn ended (none before the first turn, or in a file without a window's queue).
    std::vector<nlohmann::json> queue;
    if (from == saved)
        queue = loaded_queue;
    else if (!turns.empty() && turns.back().queued)
        queue = *turns.back().queued;
    for (const auto& q : queue) out.queued.push_back(inject_from_json(q));
    if (new_file || from < saved) out.file->set_queued_injects(queue);
    if (!turns.empty())
        for (const auto& [country, decisions] : turns.back().decisions) out.last_seats.push_back(country);
    return out;
}

}  // namespace chokepoint
