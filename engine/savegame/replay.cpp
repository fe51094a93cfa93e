#include "engine/savegame/replay.hpp"

#include <map>

#include "engine/savegame/state_json.hpp"
#include "engine/scenario/loader.hpp"

namespace chokepoint {

std::vector<ScriptInPlay> scripts_in_play(const GameHeader& header, const std::vector<TurnEntry>& turns) {
    std::map<std::string, ScriptInPlay> by_country;
    for (const PolicyScript& s : header.scripts) by_country[s.country] = ScriptInPlay{s, -1};
    for (const TurnEntry& e : turns)
        for (const PolicyScript& s : e.reloads) by_country[s.country] = ScriptInPlay{s, e.turn};
    std::vector<ScriptInPlay> out;
    for (auto& [country, s] : by_country) out.push_back(std::move(s));
    return out;
}

std::unique_ptr<Game> game_from_header(const GameHeader& h, GameOptions options) {
    Scenario sc = load_scenario_text(h.scenario_text, h.scenario_path);
    ScenarioOverrides o;
    if (sc.defs->turns != h.turn_limit) o.turns = h.turn_limit;
    if (sc.defs->seed != h.seed) o.seed = h.seed;
    sc = with_overrides(std::move(sc), o);
    if (!parse_leverage_schedule(h.leverage, options))
        throw GameFileError("the game file's leverage schedule '" + h.leverage + "' is not every, N, end or off");
    return std::make_unique<Game>(std::move(sc), options);
}

ReplayCheck replay_turns(Game& game, const std::vector<TurnEntry>& turns, int until, bool verify,
                         const std::function<void(const TurnEntry&, bool)>& after_turn) {
    ReplayCheck check;
    while (game.state().turn < until && game.state().turn < static_cast<int>(turns.size()) && !game.finished()) {
        const TurnEntry& saved = turns[static_cast<size_t>(game.state().turn)];
        for (const auto& j : saved.injects) game.inject(inject_from_json(j));
        game.step();
        ++check.turns_played;
        bool ok = true;
        if (verify) {
            const nlohmann::json snap = state_snapshot(game.defs(), game.state());
            const std::string hash = state_hash(snap);
            if (hash != saved.state_hash) {
                ok = false;
                check.desync_turn = saved.turn;
                check.expected_hash = saved.state_hash;
                check.actual_hash = hash;
                check.difference = snapshot_difference(saved.snapshot, snap);
                if (check.difference.empty()) check.difference = "(the stored hash does not match its snapshot)";
            }
        }
        if (after_turn) after_turn(saved, ok);
        if (!ok) break;
    }
    return check;
}

}  // namespace chokepoint
