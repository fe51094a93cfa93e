// One sandboxed Lua state per country: the whitelisted environment, the
// budgets (instructions, wall clock, memory), loading policy files as text
// only, and the one protected-call helper every C++→Lua call goes through.
// docs/lua-api.md §Sandbox says what a policy can and cannot do.
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chokepoint::lua {

struct Limits {
    long long instructions_per_call = 20'000'000;  // VM instructions per callback (count hook)
    double seconds_per_call = 1.0;                 // wall-clock guard, also inside pattern matching
    std::size_t memory_bytes = 64u << 20;          // cap on everything the state allocates
};

// Cumulative cost of a policy, for the run summary and benchmarks.
struct Usage {
    long long instructions = 0;
    double seconds = 0.0;
    long long calls = 0;
    long long errors = 0;
    std::size_t peak_bytes = 0;
};

// What a protected call returned.
struct CallResult {
    bool ok = true;
    bool missing = false;  // the policy does not define the callback (not an error)
    // "error in policy 'usa.lua' in on_turn(): scripts/policies/usa.lua:12: attempt to index a nil value
    //  stack traceback: ..." — or the budget that ran out, by name.
    std::string error;
};

// Where print() and ctx:log() go: the country id and the text.
using LogSink = std::function<void(const std::string& country, const std::string& text)>;

// A module's text from somewhere other than its file (a saved game's journal): where it was read
// from (messages, the module list) and its text.
struct ModuleText {
    std::string path, text;
};
// Asked first by require() for each module name; nothing: search the module roots.
using ModuleSource = std::function<std::optional<ModuleText>(const std::string& name)>;

// Reads a callback's results inside the protected call (so a luaL_check… in it is a reported
// error, not a panic): they are the `count` values on top of the stack.
using ResultReader = std::function<void(lua_State* L, int count)>;

class Runtime {
public:
    // `scripts_root` is where the safe require() looks for helpers: require("lib.util") loads
    // scripts_root/lib/util.lua. `seed` seeds this state's math.random (derive it from the
    // world's seed and the country, so every country has its own deterministic stream).
    Runtime(std::string country, std::string scripts_root, Limits limits, std::uint64_t seed, LogSink log);
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    // Loads (or reloads) a policy file: text only (bytecode refused), run in a fresh sandboxed
    // environment under the budgets; the chunk must return a table of callbacks. On failure the
    // previously loaded policy (if any) stays in place and the message names file and line.
    std::optional<std::string> load_file(const std::string& path);
    // Same from text in memory; `chunkname` names it in messages (e.g. "scripts/policies/x.lua").
    std::optional<std::string> load_text(const std::string& text, const std::string& chunkname);

    // Calls policy[callback](args...) under the budgets. `push_args` pushes the arguments and
    // returns how many. Errors (syntax, runtime, budget, memory) come back as a CallResult;
    // nothing escapes as a C++ exception or a longjmp.
    CallResult call(const char* callback, const std::function<int(lua_State*)>& push_args,
                    const ResultReader& read_results = {});
    bool has_callback(const char* callback) const;
    // Where the policy's callback is defined, "file:line" (for errors found after it returned:
    // its answer, what it left in ctx.memory); empty when it is not a Lua function.
    std::string callback_place(const char* callback) const;

    lua_State* state() const { return L_; }
    const std::string& country() const { return country_; }
    const std::string& policy_path() const { return path_; }
    const std::string& scripts_root() const { return scripts_root_; }
    // Where require() looks, in order: the scripts root given at construction, then each folder
    // added here (the shipped scripts/ for a policy kept elsewhere). Duplicates are skipped.
    void add_module_root(const std::string& root);
    const std::vector<std::string>& module_roots() const { return module_roots_; }
    const Usage& usage() const { return usage_; }
    // Every module require() has read, by the path it was read from: the sha256 of its text
    // (tournament and batch resume check that they are unchanged). require() adds to it.
    const std::map<std::string, std::string>& modules() const { return modules_; }
    // Every module require() has read, by module name: where from and the text last read.
    const std::map<std::string, ModuleText>& module_texts() const { return module_texts_; }
    void note_module(const std::string& name, const std::string& path, const std::string& text) const;
    // The callbacks a policy table may have (and `params`). When set, a load whose table has a
    // callback that is not a function, or a key that looks like a misspelt callback
    // (`on_licence_request`, `onEvent`, `Init`), fails with a message naming it: such a callback
    // would never be called and the autopilot would decide in its place without a word.
    void set_callbacks(std::vector<std::string> callbacks) { callbacks_ = std::move(callbacks); }
    // Where require() looks before the module roots (a saved game's modules); empty: nowhere.
    void set_module_source(ModuleSource source) { module_source_ = std::move(source); }
    const ModuleSource& module_source() const { return module_source_; }
    std::size_t bytes_in_use() const;
    const Limits& limits() const { return limits_; }
    // Sends a line to the LogSink tagged with this country (print() and ctx:log() use it).
    void log(const std::string& text) const;

    // The per-country persistent table (ctx.memory): plain data, kept across reloads.
    // Pushes it onto the stack (never allocates, so it is safe outside a protected call).
    void push_memory();
    // Pushes the loaded policy's table of callbacks (nil before a load succeeded); never allocates.
    void push_policy();
    // Replaces ctx.memory by a deep copy of the value at `index` (plain data only: nil,
    // booleans, numbers, strings and tables of them). Returns an error for anything else, and
    // then keeps the previous ctx.memory; `lenient`: leaves out what cannot be kept (a table
    // with a metatable is copied without it), keeps the rest and returns the first problem.
    std::optional<std::string> set_memory(int index, bool lenient = false);

    struct Impl;

private:
    std::string country_, scripts_root_, path_;
    std::vector<std::string> module_roots_;
    Limits limits_;
    Usage usage_;
    mutable std::map<std::string, std::string> modules_;  // path → sha256 (filled from require())
    mutable std::map<std::string, ModuleText> module_texts_;  // name → as last read
    ModuleSource module_source_;
    std::vector<std::string> callbacks_;
    LogSink log_;
    lua_State* L_ = nullptr;
    std::unique_ptr<Impl> impl_;
};

// Internal wiring between runtime.cpp (budgets), sandbox.cpp (the environment) and the
// bindings; not for policies' C++ callers.
namespace detail {
// runtime.cpp
Runtime& runtime_of(lua_State* L);
// Raises "time budget of 1.0 s exceeded <where>" once the current call is past its deadline.
// For C functions whose loops a count hook cannot interrupt (string patterns, table.move).
void check_deadline(lua_State* L, const char* where);
// Whether the current call has run out of instructions or time (its error was raised).
bool out_of_budget(lua_State* L);
// A policy's pcall/xpcall/coroutine.resume must not swallow an exhausted budget: re-raises it.
// `status` and the error value at `error_index` (0: none) are what the protected call caught: a
// memory error while the allocator refused blocks in this call marks the memory cap as spent
// and raises it ("memory cap of 64 MiB exceeded in on_turn()"), as the other budgets.
void rethrow_if_out_of_budget(lua_State* L, int status = LUA_OK, int error_index = 0);
// A metatable holding this field marks its table read-only for the sandbox's rawset too (ctx.params).
inline constexpr const char* kReadOnlyField = "__read_only";
// sandbox.cpp
// luaL_tolstring without addresses (tostring, print, ctx:log, string.format's %s): a table,
// function or coroutine without __tostring is its __name or its type name ("table"), never
// "table: 0x5603…", which differs between runs. Pushes the text and returns it.
const char* stable_tolstring(lua_State* L, int idx, std::size_t* len);
void open_sandbox(lua_State* L, std::uint64_t seed);  // the whitelist, once per state
void push_sandbox_env(lua_State* L);                  // a fresh environment from the whitelist
void push_module_cache(lua_State* L);                 // require()'s private package.loaded
void new_module_cache(lua_State* L);                  // each policy load starts a new cache
void set_module_cache(lua_State* L, int index);       // restores a saved cache (no allocation)
// lua_load of source text (mode "t") in pieces with a look at the deadline before each; an
// exhausted budget is raised again, any other failure returned as lua_load does.
int load_text_on_the_clock(lua_State* L, const char* text, std::size_t len, const char* chunkname, const char* where);
}  // namespace detail

}  // namespace chokepoint::lua
