#include "agents/saved_game.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "engine/output/sha256.hpp"
#include "engine/savegame/replay.hpp"
#include "engine/sim/autopilot.hpp"

namespace chokepoint {

namespace {

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A country's stored Lua policy: the file on disk when its sha256 is the stored one, else the
// stored text written to a folder beside the game file (require() still looks in the original
// scripts folder).
std::unique_ptr<Policy> stored_policy(const Game& game, const GameHeader& h, const std::string& game_file,
                                      LuaPolicyOptions lua, CountryId c) {
    lua.hot_reload = false;  // a saved game's scripts are fixed (reloads are not journaled)
    const auto& cd = game.defs().countries[static_cast<size_t>(c)];
    if (cd.policy.empty() || cd.policy == "autopilot") return std::make_unique<AutopilotPolicy>();
    const PolicyScript* stored = nullptr;
    for (const auto& s : h.scripts)
        if (s.country == cd.id) stored = &s;
    std::string path = cd.policy;
    if (stored && sha256_hex(file_text(cd.policy)) != stored->sha256) {
        namespace fs = std::filesystem;
        const fs::path dir = fs::path(game_file + ".scripts") / cd.id;
        fs::create_directories(dir);
        const fs::path p = dir / fs::path(cd.policy).filename();
        std::ofstream(p, std::ios::binary) << stored->text;
        fs::path orig_dir = fs::path(cd.policy).parent_path();
        lua.scripts_root = orig_dir.filename() == "policies" ? orig_dir.parent_path().string()
                                                              : (orig_dir.empty() ? "." : orig_dir.string());
        path = p.string();
    }
    return std::make_unique<LuaPolicy>(game.defs(), c, path, lua);
}

}  // namespace

std::unique_ptr<JournalDesk> install_stored_policies(Game& game, const GameHeader& h, const std::string& game_file,
                                                     const LuaPolicyOptions& lua, const std::vector<TurnEntry>& turns,
                                                     SeatDesk* live, SeatJournal* journal) {
    bool humans = live != nullptr;
    for (const auto& e : turns) humans = humans || !e.decisions.empty();
    auto advisor = [&](CountryId c) { return stored_policy(game, h, game_file, lua, c); };
    if (!humans) {
        for (int c = 0; c < game.defs().country_count(); ++c) game.set_policy(c, advisor(c));
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

    const bool new_file = !o.save.empty() && o.save != o.load;
    if (new_file) {
        if (o.at) h.parent_file = o.load, h.parent_turn = from;
        out.file.emplace(GameFile::create(o.save, h));
    } else {
        out.file.emplace(std::move(loaded));
        if (from < saved) out.file->truncate_from(from);
    }
    replay_turns(game, turns, from, false, [&](const TurnEntry& entry, bool) {
        if (new_file) {
            TurnEntry e = make_turn_entry(game);
            e.decisions = entry.decisions;  // the human seats' decisions carry over
            out.file->append_turn(e);
        }
        if (o.after_turn) o.after_turn(game);
    });
    out.replayed = game.state().turn;
    if (!turns.empty())
        for (const auto& [country, decisions] : turns.back().decisions) out.last_seats.push_back(country);
    return out;
}

}  // namespace chokepoint
