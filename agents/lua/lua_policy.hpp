// A country governed by a Lua script: the C++→Lua callbacks in one place.
// Errors never stop the game: a failed callback changes nothing for that
// callback and is logged with file, line and traceback; after repeated
// failures the country falls back to the autopilot, visibly. Changed scripts
// reload between turns, keeping ctx.memory. docs/lua-api.md, docs/modding.md.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agents/lua/runtime.hpp"
#include "engine/sim/autopilot.hpp"
#include "engine/sim/policy.hpp"

namespace chokepoint {

// A module as a saved game journaled it: the turn it was first read in with this text.
struct StoredModule {
    int turn = 0;
    std::string name, path, text;
};

struct LuaPolicyOptions {
    lua::Limits limits;
    int max_consecutive_failures = 3;  // then the autopilot takes over
    bool hot_reload = true;            // reload the file between turns when it changes
    std::string scripts_root;          // for require(); empty: derived from the policy's path
    bool shipped_scripts = true;       // require() then looks in the shipped scripts/ (find_data_file)
    // Replaying a saved game: its turns before `replayed_turns` are played again as saved. In them
    // the file is not watched (a script edited during the replay reloads in the first new turn,
    // which journals it), and require() takes a module journaled here instead of its file
    // (docs/game-file.md §Modules) — the version journaled last at or before the current turn (the
    // earliest one before that). From that turn on, and for a module not journaled, it reads the file.
    std::vector<StoredModule> stored_modules;  // in journal order (by turn)
    int replayed_turns = 0;
};

class LuaPolicy final : public Policy {
public:
    LuaPolicy(const Definitions& defs, CountryId country, std::string path, LuaPolicyOptions options = {});
    ~LuaPolicy() override;

    std::string name() const override;
    void init(PolicyContext& ctx) override;
    void on_turn(PolicyContext& ctx) override;
    void on_license_request(PolicyContext& ctx, const LicenseApplication& app) override;
    void on_event(PolicyContext& ctx, const GameEvent& event) override;
    void on_proposal(PolicyContext& ctx, const Proposal& proposal) override;
    nlohmann::json stats() const override;
    std::optional<Script> script() const override;

    // An error at load (syntax, a chunk that does not return a table, a malformed parameter
    // declaration, scenario parameters that do not fit it); empty when loaded.
    const std::string& load_error() const { return load_error_; }
    // The scenario's policy_params refused by the policy's declaration (file:line:column of each
    // key, one a line); empty when they fit or the policy declares nothing. Also in load_error().
    const std::string& params_error() const { return params_error_; }
    // Set when the scenario's policy_params belong to another policy of the country (this file
    // is not the scenario's policy for it) and did not fit this one's declaration: it then plays
    // with its declared defaults, and this says why.
    const std::string& params_note() const { return params_note_; }
    bool fell_back() const { return fallen_back_; }
    const std::string& path() const { return path_; }  // the script it runs now
    const std::string& text() const { return text_; }
    const lua::Runtime& runtime() const { return *runtime_; }
    // Checks the file and reloads it if it changed (also called before the first callback of
    // every turn after the first).
    void reload_if_changed(PolicyContext& ctx);
    // Replaces the script by `file` at the start of turn `turn` (`run --reload-at`): before the
    // policy's first callback of that turn, as a hot reload does (ctx.memory kept, init not
    // called again, a `policy_reloaded` event). A file that does not load leaves the current
    // script in place with a `policy_error` event naming the file. Deterministic, unlike the
    // window's file watch; several may be scheduled.
    void schedule_reload(int turn, std::string file);

private:
    bool call(PolicyContext& ctx, const char* callback, const LicenseApplication* app,
              const std::function<int(lua_State*)>& push_extra, const lua::ResultReader& read_results = {});
    std::string defined_at(const char* callback) const;
    void report_error(PolicyContext& ctx, const std::string& message);
    std::optional<std::string> keep_memory(lua_State* L);
    void run_scheduled_reloads(PolicyContext& ctx);
    // Before a callback: the reloads due (scheduled ones, and once a turn a changed file), so
    // that a reload always happens before the policy's first callback of a turn.
    void reload_due(PolicyContext& ctx);
    // Checks the scenario's policy_params against the loaded script's declaration and fills
    // params_ (agents/lua/params.hpp); an error message, or nothing.
    std::optional<std::string> apply_declared_params();
    void after_reload(PolicyContext& ctx);

    std::string path_, text_;
    nlohmann::json params_;  // the country's policy_params as the loader read them (ctx.params is a read-only view)
    std::filesystem::file_time_type stamp_{};  // of the loaded file: hot reload looks at these first
    std::uintmax_t size_ = 0;
    CountryId country_;
    LuaPolicyOptions options_;
    std::unique_ptr<lua::Runtime> runtime_;
    PolicyContext* current_ = nullptr;  // where print() and ctx:log() go during a call
    AutopilotPolicy autopilot_;
    std::string load_error_, params_error_, params_note_;
    const Definitions* defs_ = nullptr;
    bool load_error_reported_ = false;
    // Failures in a row of each callback (a success of that callback resets its count): counted
    // per callback, so an on_turn that fails every turn falls back although on_event succeeds.
    std::map<std::string, int> failures_;
    bool fallen_back_ = false;
    long long commands_ = 0;
    long long errors_ = 0;  // policy_error events reported (report_error): stats()'s "errors"
    std::vector<std::pair<int, std::string>> scheduled_;  // (turn, file), by turn; from next_scheduled_ on: due
    size_t next_scheduled_ = 0;
    int watched_turn_ = 0;  // the last turn the file was checked for changes in
    int turn_ = 0;          // the turn of the callback being run (stored modules are picked by it)
    std::optional<lua::ModuleText> stored_module(const std::string& name) const;
};

// A policy's error message on one line, for summaries (tournament forfeit reasons, batch
// load_errors): its first line, without the "error in policy 'NAME' " and "at load: " it starts with.
std::string policy_message_line(const std::string& message);

class Game;
// Every Lua file the game's Lua policies have read, by the absolute path it was read from: each
// policy's script and the modules it require()d, with the sha256 of the text read (a resumed batch or
// tournament plays a run again when one of them has changed since: policy_files_changed).
std::map<std::string, std::string> policy_files(const Game& game);
// The first file of a policy_files() map whose text is not the one recorded (changed, moved or
// gone), or nothing when all are as they were.
std::optional<std::string> policy_files_changed(const std::map<std::string, std::string>& files);

// Installs a LuaPolicy for every country whose scenario names a Lua file.
void install_lua_policies(Game& game, const LuaPolicyOptions& options = {});
// The policy the scenario names for a country: its Lua script, or the autopilot.
std::unique_ptr<Policy> scenario_policy(const Definitions& d, CountryId country, const LuaPolicyOptions& options = {});

}  // namespace chokepoint
