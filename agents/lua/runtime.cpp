// One sandboxed lua_State per country: the capped allocator, the budgets (a count hook for
// instructions and the wall clock, C functions asking check_deadline), the one protected-call
// helper, loading policies, and ctx.memory. The environment itself is built in sandbox.cpp.
//
// Rule of this file: nothing that can raise a Lua error (anything that allocates) runs outside
// lua_pcall, since an unprotected error would end in lua_atpanic and abort; and no C++
// exception of ours crosses into Lua (guarded<> turns them into Lua errors).
#include "agents/lua/runtime.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "agents/lua/convert.hpp"
#include "engine/output/sha256.hpp"
#include "engine/scenario/yaml_reader.hpp"
#include "engine/world/files.hpp"

namespace chokepoint::lua {

using Clock = std::chrono::steady_clock;

struct Runtime::Impl {
    Runtime* owner = nullptr;  // Runtime is neither copied nor moved, so this stays valid
    Limits limits;
    std::string country;
    char seconds_text[32] = "";  // "1.0 s", for messages raised where allocating is unwise
    char memory_text[32] = "";   // "64 MiB"

    // Counted by the allocator over the state's whole life.
    std::size_t in_use = 0, peak = 0;
    bool refused = false;  // the allocator refused a block during the current call

    // The budget of the current call or load. depth > 0 while one runs; a call made from
    // inside another (a binding calling back into Lua) shares the outer budget.
    int depth = 0;
    long long instructions = 0;
    Clock::time_point start, deadline;
    char where[96] = "";       // "in on_turn()" or "at load"
    char exhausted[720] = "";  // the budget error once raised in this call, to re-raise it
    // The policy's line the budget hook last saw running while over half the memory cap: a
    // memory error comes with no traceback (nothing can be allocated), so this names where.
    char last_line[200] = "";
    // What the state held when the current call began: a policy that keeps most of the cap between
    // calls (in ctx.memory, globals, upvalues) runs out at its next call's first allocations, where
    // no line of it may have run yet; the memory error says so.
    std::size_t held_at_start = 0;
    // " (N MiB already held when the call began: ...)" when that was over half the cap, else "".
    void held_note(char* out, std::size_t size) const;
    // The wall clock stopped this call: how many instructions it ran depends on the machine, so
    // it adds none to Usage::instructions (summary.json stays byte-identical between runs).
    bool timed_out = false;

    std::string policy_name;  // base name of the loaded policy, "usa.lua"

    void begin(lua_State* L, const char* what);
    void finish(lua_State* L, Usage& usage);
    std::optional<std::string> protected_call(lua_State* L, Usage& usage, int nargs, int nresults, const char* what,
                                              const std::string& policy);
    std::string describe(lua_State* L, int status, const char* what, const std::string& policy) const;
};

namespace {

char kPolicyKey = 0;  // the loaded policy's table of callbacks
char kMemoryKey = 0;  // ctx.memory

constexpr int kHookPeriod = 100;  // instructions between two visits of the budget hook (the count's resolution)
constexpr int kMaxMemoryDepth = 100;
constexpr std::size_t kMaxMessage = 16 * 1024;  // for the view and the log; a policy may error() megabytes

Runtime::Impl& impl_of(lua_State* L) {
    return **static_cast<Runtime::Impl**>(lua_getextraspace(L));
}

// The allocator: counts bytes, refuses blocks past the cap (Lua then collects garbage and
// retries once before raising a memory error).
void* allocate(void* ud, void* block, std::size_t old_size, std::size_t new_size) {
    auto& impl = *static_cast<Runtime::Impl*>(ud);
    const std::size_t old = block != nullptr ? old_size : 0;  // without a block, old_size is a type tag
    if (new_size == 0) {
        std::free(block);
        impl.in_use -= old;
        return nullptr;
    }
    if (new_size > old && impl.in_use - old + new_size > impl.limits.memory_bytes) {
        impl.refused = true;
        return nullptr;
    }
    void* moved = std::realloc(block, new_size);
    if (moved == nullptr) {
        if (new_size <= old) return block;  // Lua assumes shrinking never fails
        impl.refused = true;
        return nullptr;
    }
    impl.in_use = impl.in_use - old + new_size;
    impl.peak = std::max(impl.peak, impl.in_use);
    return moved;
}

int panic(lua_State* L) {
    // Only reachable through a bug in this file (an allocation outside lua_pcall).
    const char* message = lua_tostring(L, -1);
    std::fprintf(stderr, "chokepoint: unprotected Lua error in the policy state of %s: %s\n",
                 impl_of(L).country.c_str(), message != nullptr ? message : "?");
    return 0;  // Lua aborts
}

[[noreturn]] void raise_budget(lua_State* L, Runtime::Impl& impl, int level, const char* what) {
    // Marked before anything allocates: at the memory cap, building the message below can fail
    // with a memory error, and the policy's pcall must still see the budget as spent.
    std::snprintf(impl.exhausted, sizeof impl.exhausted, "%s", what);
    luaL_where(L, level);
    lua_pushstring(L, what);
    lua_concat(L, 2);
    std::snprintf(impl.exhausted, sizeof impl.exhausted, "%s", lua_tostring(L, -1));
    lua_error(L);
    std::abort();  // not reached
}

// Every kHookPeriod instructions, in every thread of the state (new threads copy the hook).
void budget_hook(lua_State* L, lua_Debug* ar) {
    Runtime::Impl& impl = impl_of(L);
    if (impl.depth == 0) return;  // nothing runs outside a call; closing the state, say
    impl.instructions += kHookPeriod;
    if (impl.in_use > impl.limits.memory_bytes / 2 && lua_getinfo(L, "Sl", ar) != 0 && ar->currentline > 0)
        std::snprintf(impl.last_line, sizeof impl.last_line, "%s:%d", ar->short_src, ar->currentline);
    char what[200];
    if (impl.instructions > impl.limits.instructions_per_call) {
        std::snprintf(what, sizeof what, "instruction budget of %lld exceeded %s", impl.limits.instructions_per_call,
                      impl.where);
        raise_budget(L, impl, 0, what);  // level 0: the interrupted Lua function
    }
    if (Clock::now() > impl.deadline) {
        impl.timed_out = true;
        std::snprintf(what, sizeof what, "time budget of %s exceeded %s", impl.seconds_text, impl.where);
        raise_budget(L, impl, 0, what);
    }
}

// Whether a message starts with a position, "file.lua:12: ..." (as Lua's own errors do).
bool has_position(std::string_view m) {
    const auto colon = m.find(':');
    if (colon == std::string_view::npos || colon == 0 || m.substr(0, colon).find('\n') != std::string_view::npos)
        return false;
    std::size_t i = colon + 1;
    const std::size_t digits = i;
    while (i < m.size() && std::isdigit(static_cast<unsigned char>(m[i]))) ++i;
    return i > digits && i < m.size() && m[i] == ':';
}

// An error passed up through nested coroutine.wrap calls gets the same "file.lua:3: " once per
// level (hundreds for a stack overflow); one copy says where, and the count says how deep.
std::string collapse_repeated_position(std::string m) {
    if (!has_position(m)) return m;
    const auto end = m.find(": ", m.find(':') + 1);
    if (end == std::string::npos) return m;
    const std::string prefix = m.substr(0, end + 2);
    std::size_t copies = 1;
    while (m.compare(copies * prefix.size(), prefix.size(), prefix) == 0) ++copies;
    if (copies < 3) return m;
    return prefix + fmt::format("(the same position {} times, once per nested coroutine) ", copies) +
           m.substr(copies * prefix.size());
}

// Protected: an error object's __tostring (luaL_tolstring checks that it returns a string).
int error_object_text(lua_State* L) {
    luaL_tolstring(L, 1, nullptr);
    return 1;
}

// Message handler: the message (or what the error object is) and a traceback. A message without
// a position ("C stack overflow", "resulting string too large", an error object) gets the
// innermost file:line of the policy's code on the stack, so the summary line says where.
int traceback(lua_State* L) {
    const int type = lua_type(L, 1);
    if (type == LUA_TSTRING || type == LUA_TNUMBER) {
        lua_pushvalue(L, 1);
    } else if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL && !detail::out_of_budget(L)) {
        // Run inside the callback's budget; a failing or non-string __tostring is reported as such.
        lua_pop(L, 1);
        lua_pushcfunction(L, error_object_text);
        lua_pushvalue(L, 1);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            const char* why = lua_tostring(L, -1);
            lua_pushfstring(L, "(error object is a %s value; its __tostring failed: %s)", luaL_typename(L, 1),
                            why != nullptr ? why : "?");
            lua_remove(L, -2);
        }
    } else {
        lua_settop(L, 1);
        lua_pushfstring(L, type == LUA_TTABLE || type == LUA_TUSERDATA ? "(error object is a %s value without __tostring)"
                                                                       : "(error object is a %s value)",
                        luaL_typename(L, 1));
    }
    std::size_t length = 0;
    const char* text = lua_tolstring(L, -1, &length);
    if (!has_position({text, length})) {
        lua_Debug ar;
        for (int level = 1; lua_getstack(L, level, &ar) != 0; ++level) {
            if (lua_getinfo(L, "Sl", &ar) == 0 || ar.currentline <= 0 || ar.source == nullptr || ar.source[0] != '@')
                continue;
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            lua_insert(L, -2);
            lua_concat(L, 2);
            break;
        }
    }
    luaL_traceback(L, L, lua_tostring(L, -1), 1);
    return 1;
}

// lua_pcall's status codes in words (LUA_OK … LUA_ERRERR are 0 … 5).
const char* status_word(int status) {
    static constexpr const char* kWords[] = {"ok",           "yield",      "runtime error",
                                             "syntax error", "memory cap", "error in error handling"};
    return status >= 0 && status < 6 ? kWords[status] : "unknown error";
}

std::string base_name(const std::string& chunkname) {
    std::string name = chunkname;
    if (!name.empty() && (name.front() == '@' || name.front() == '=')) name.erase(0, 1);
    return std::filesystem::path(name).filename().string();
}

// Pushes t[name], read raw by traversal (no allocation in the state, no metamethod), and returns
// true; pushes nothing and returns false when t has no such key.
bool push_field_by_traversal(lua_State* L, int t, std::string_view name) {
    t = lua_absindex(L, t);
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        std::size_t n = 0;
        const char* key = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &n) : nullptr;
        if (key != nullptr && std::string_view(key, n) == name) {
            lua_remove(L, -2);  // the key
            return true;
        }
        lua_pop(L, 1);
    }
    return false;
}

// Levels of __index tables a policy may inherit callbacks through (the load refuses a longer chain).
constexpr int kMaxInheritance = 8;

// A policy's callback: the policy table's own field, else one inherited through its metatable's
// `__index` table (`setmetatable(policy, {__index = base})`), and so on up to kMaxInheritance
// levels. Raw reads only: an `__index` function is never called (documented: a callback found
// only through one is not found). Pushes the value and returns its type, or pushes nothing and
// returns LUA_TNONE. `protected_call`: the caller runs under lua_pcall, so the name may be pushed
// (it may allocate) and each table read with one lua_rawget; otherwise each table is traversed,
// which allocates nothing but costs its size.
int push_callback(lua_State* L, int policy, std::string_view name, bool protected_call) {
    lua_pushvalue(L, policy);  // the table searched
    for (int hop = 0; hop <= kMaxInheritance; ++hop) {
        bool found = false;
        if (protected_call) {
            lua_pushlstring(L, name.data(), name.size());
            found = lua_rawget(L, -2) != LUA_TNIL;
            if (!found) lua_pop(L, 1);
        } else {
            found = push_field_by_traversal(L, -1, name);
        }
        if (found) {
            lua_remove(L, -2);
            return lua_type(L, -1);
        }
        if (!lua_getmetatable(L, -1)) break;
        if (!push_field_by_traversal(L, -1, "__index")) {
            lua_pop(L, 1);  // the metatable
            break;
        }
        lua_remove(L, -2);  // the metatable
        if (!lua_istable(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        lua_remove(L, -2);  // the table searched: its __index is searched next
    }
    lua_pop(L, 1);
    return LUA_TNONE;
}

struct Invocation {
    const char* callback;
    const std::function<int(lua_State*)>* push_args;
    const ResultReader* read_results;
    bool missing = false;
};

// Protected: looks the callback up, pushes its arguments, calls it, reads its results.
int invoke_callback(lua_State* L) {
    Invocation& call = *static_cast<Invocation*>(lua_touserdata(L, 1));
    lua_settop(L, 0);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kPolicyKey) != LUA_TTABLE) {
        call.missing = true;
        return 0;
    }
    const int kind = push_callback(L, 1, call.callback, true);
    if (kind == LUA_TNONE || kind == LUA_TNIL) {
        call.missing = true;
        return 0;
    }
    if (kind != LUA_TFUNCTION) return luaL_error(L, "%s is a %s, not a function", call.callback, lua_typename(L, kind));
    const int function = lua_gettop(L);
    const int nargs = *call.push_args ? call_guarded(L, [&] { return (*call.push_args)(L); }) : 0;
    if (lua_gettop(L) != function + nargs)
        return luaL_error(L, "engine bug: %d values pushed for %d arguments of %s()", lua_gettop(L) - function, nargs,
                          call.callback);
    lua_call(L, nargs, LUA_MULTRET);
    if (*call.read_results) {
        const int count = lua_gettop(L) - function + 1;
        call_guarded(L, [&] {
            (*call.read_results)(L, count);
            return 0;
        });
    }
    return 0;
}

// Protected: runs a policy chunk (argument 1) in a fresh environment; returns its value.
int run_policy_chunk(lua_State* L) {
    detail::new_module_cache(L);
    detail::push_sandbox_env(L);
    lua_setupvalue(L, 1, 1);  // _ENV of the chunk: the sandbox, never the real _G
    lua_settop(L, 1);
    lua_call(L, 0, 1);
    return 1;
}

// ---- ctx.memory: deep copy of plain data --------------------------------------------------

bool is_identifier(std::string_view s) {
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front()))) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// memory.plans[3].f: how a key reads in a message.
void append_key(lua_State* L, int key, std::string& path) {
    const int type = lua_type(L, key);
    if (type == LUA_TSTRING) {
        std::size_t n = 0;
        const char* s = lua_tolstring(L, key, &n);
        const std::string_view k(s, n);
        path += is_identifier(k) ? fmt::format(".{}", k) : fmt::format("[\"{}\"]", k);
    } else if (type == LUA_TNUMBER) {  // not lua_tolstring: it would turn the key into a string mid-traversal
        path += lua_isinteger(L, key) ? fmt::format("[{}]", lua_tointeger(L, key))
                                      : fmt::format("[{}]", lua_tonumber(L, key));
    } else {
        path += type == LUA_TBOOLEAN ? (lua_toboolean(L, key) ? "[true]" : "[false]")
                                     : fmt::format("[{}]", luaL_typename(L, key));
    }
}

struct MemoryCopy {
    lua_State* L;
    int on_path;  // stack index of the set of tables being copied (to find cycles)
    // Strict: the first value that cannot be kept raises. Lenient: such values are left out (a
    // table with a metatable is copied without it) and the first problem is kept in `problem`.
    bool lenient = false;
    std::string path = "memory";
    std::string problem = {};
    long long entries = 0;

    // Raises (strict), or notes the problem and returns false: the value is left out.
    bool reject(const std::string& what) {
        std::string message = fmt::format("{}: {} cannot be kept in ctx.memory", path, what);
        if (!lenient) {
            luaL_error(L, "%s", message.c_str());
            std::abort();  // not reached
        }
        if (problem.empty()) problem = std::move(message);
        return false;
    }

    // Pushes a copy of the value at `src` and returns true; false (nothing pushed) when it is left out.
    bool copy(int src, int depth) {
        const int type = lua_type(L, src);
        if (type == LUA_TFUNCTION) return reject("functions");
        if (type == LUA_TTHREAD) return reject("coroutines");
        if (type == LUA_TUSERDATA || type == LUA_TLIGHTUSERDATA) return reject("userdata");
        if (type != LUA_TTABLE) {  // nil, boolean, number, string: values, copied as they are
            lua_pushvalue(L, src);
            return true;
        }
        if (depth > kMaxMemoryDepth) return reject(fmt::format("tables nested more than {} deep", kMaxMemoryDepth));
        if (lua_getmetatable(L, src)) {
            lua_pop(L, 1);
            reject("tables with metatables");  // lenient: copied without it
        }
        lua_pushvalue(L, src);
        const bool cycle = lua_rawget(L, on_path) != LUA_TNIL;
        lua_pop(L, 1);
        if (cycle) return reject("cycles (a table inside itself)");
        luaL_checkstack(L, 8, "ctx.memory nested too deeply");
        lua_pushvalue(L, src);
        lua_pushboolean(L, 1);
        lua_rawset(L, on_path);
        lua_newtable(L);
        const int out = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, src) != 0) {
            // C work the count hook cannot see: the copy runs inside the callback's budget.
            if (++entries % 4096 == 0) detail::check_deadline(L, "copying ctx.memory");
            const int key = lua_gettop(L) - 1;
            const std::size_t length = path.size();
            append_key(L, key, path);
            const int key_type = lua_type(L, key);
            if (key_type != LUA_TSTRING && key_type != LUA_TNUMBER && key_type != LUA_TBOOLEAN) {
                reject(fmt::format("{} keys", lua_typename(L, key_type)));
            } else {
                lua_pushvalue(L, key);
                if (copy(key + 1, depth + 1))
                    lua_rawset(L, out);
                else
                    lua_pop(L, 1);  // the key: the value is left out
            }
            path.resize(length);
            lua_pop(L, 1);  // the value; the key stays for lua_next
        }
        lua_pushvalue(L, src);
        lua_pushnil(L);
        lua_rawset(L, on_path);
        return true;
    }
};

// copy_memory(value, lenient): the copy, and (lenient) the first problem or nil.
int copy_memory(lua_State* L) {
    const bool lenient = lua_toboolean(L, 2) != 0;
    if (lua_isnil(L, 1)) {
        lua_newtable(L);
        return 1;
    }
    if (!lua_istable(L, 1)) return luaL_error(L, "memory: ctx.memory must be a table (got %s)", luaL_typename(L, 1));
    lua_settop(L, 1);
    lua_newtable(L);
    MemoryCopy copy{L, 2};
    copy.lenient = lenient;
    copy.copy(1, 0);
    if (copy.problem.empty())
        lua_pushnil(L);
    else
        lua_pushlstring(L, copy.problem.data(), copy.problem.size());
    return 2;
}

int init_registry(lua_State* L) {
    lua_pushboolean(L, 0);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kPolicyKey);  // created now, so replacing it never allocates
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kMemoryKey);
    return 0;
}

}  // namespace

// ---- budgets and the protected call -------------------------------------------------------

void Runtime::Impl::begin(lua_State* L, const char* what) {
    if (depth++ > 0) return;
    instructions = 0;
    exhausted[0] = '\0';
    last_line[0] = '\0';
    held_at_start = in_use;
    timed_out = false;
    refused = false;
    std::snprintf(where, sizeof where, "%s", what);
    start = Clock::now();
    const double seconds = std::min(limits.seconds_per_call, 1e7);  // "unlimited" must not overflow
    deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, kHookPeriod);  // also restarts the count
}

void Runtime::Impl::finish(lua_State* L, Usage& usage) {
    if (--depth > 0) return;
    if (!timed_out) usage.instructions += instructions;  // see timed_out
    usage.seconds += std::chrono::duration<double>(Clock::now() - start).count();
    usage.peak_bytes = peak;
    if (refused) lua_gc(L, LUA_GCCOLLECT);  // give the next call its room back
}

void Runtime::Impl::held_note(char* out, std::size_t size) const {
    out[0] = '\0';
    if (held_at_start <= limits.memory_bytes / 2) return;
    std::snprintf(out, size,
                  " (%.1f MiB of it already held when the call began: what the policy keeps between calls in "
                  "ctx.memory, globals or upvalues counts against the cap)",
                  static_cast<double>(held_at_start) / (1024.0 * 1024.0));
}

std::string Runtime::Impl::describe(lua_State* L, int status, const char* what, const std::string& policy) const {
    std::string message;
    if (status == LUA_ERRMEM) {
        message = fmt::format("memory cap of {} exceeded", memory_text);
        if (last_line[0] != '\0') message += fmt::format(" (the last line run: {})", last_line);
        char held[200];
        held_note(held, sizeof held);
        message += held;
    } else {
        std::size_t length = 0;
        const char* text = lua_tolstring(L, -1, &length);
        message = text != nullptr ? std::string(text, length)
                                  : fmt::format("(error object is a {} value)", luaL_typename(L, -1));
        // A memory error that passed through coroutine.wrap or a pcall arrives as a runtime error.
        const auto at = message.find("not enough memory");
        if (refused && at != std::string::npos)
            message.replace(at, 17, fmt::format("memory cap of {} exceeded", memory_text));
        // The last frame is always our C trampoline; it tells a modder nothing.
        constexpr std::string_view trampoline = "\n\t[C]: in ?";
        if (message.ends_with(trampoline)) message.resize(message.size() - trampoline.size());
        message = collapse_repeated_position(std::move(message));
        if (message.size() > kMaxMessage) {
            message.resize(kMaxMessage);
            message += " ... (message cut)";
        }
        if (status != LUA_ERRRUN && message.rfind(status_word(status), 0) != 0)
            message = fmt::format("{}: {}", status_word(status), message);
    }
    return fmt::format("error in policy '{}' {}: {}", policy, what, message);
}

// The one protected-call helper: the function and `nargs` arguments are on the stack, as for
// lua_pcall. Runs under the budget with a traceback handler; on success leaves `nresults`
// results, on failure leaves nothing and returns the message.
std::optional<std::string> Runtime::Impl::protected_call(lua_State* L, Usage& usage, int nargs, int nresults,
                                                         const char* what, const std::string& policy) {
    const int handler = lua_gettop(L) - nargs;
    lua_pushcfunction(L, traceback);
    lua_insert(L, handler);
    begin(L, what);
    const int status = lua_pcall(L, nargs, nresults, handler);
    std::optional<std::string> error;
    if (status != LUA_OK) {
        error = describe(L, status, where, policy);
        lua_pop(L, 1);
    }
    finish(L, usage);
    lua_remove(L, handler);
    return error;
}

namespace detail {

Runtime& runtime_of(lua_State* L) {
    return *impl_of(L).owner;
}

void check_deadline(lua_State* L, const char* where) {
    Runtime::Impl& impl = impl_of(L);
    if (impl.depth == 0 || Clock::now() <= impl.deadline) return;
    impl.timed_out = true;
    char what[200];
    std::snprintf(what, sizeof what, "time budget of %s exceeded %s", impl.seconds_text, where);
    raise_budget(L, impl, 1, what);  // level 1: the Lua code that called the C function
}

bool out_of_budget(lua_State* L) {
    return impl_of(L).exhausted[0] != '\0';
}

void rethrow_if_out_of_budget(lua_State* L, int status, int error_index) {
    Runtime::Impl& impl = impl_of(L);
    if (impl.exhausted[0] == '\0' && impl.depth > 0 && impl.refused) {
        // A memory error while the allocator refused blocks in this call: the cap is spent like
        // the other budgets. Lua's memory error is the preallocated "not enough memory" (with
        // status LUA_ERRMEM, or LUA_ERRRUN once coroutine.wrap has passed it on).
        bool memory = status == LUA_ERRMEM;
        if (!memory && error_index != 0 && lua_type(L, error_index) == LUA_TSTRING)
            memory = std::strcmp(lua_tostring(L, error_index), "not enough memory") == 0;
        if (memory) {
            char what[720], held[200];
            impl.held_note(held, sizeof held);
            if (impl.last_line[0] != '\0')
                std::snprintf(what, sizeof what, "memory cap of %s exceeded %s (the last line run: %s)%s",
                              impl.memory_text, impl.where, impl.last_line, held);
            else
                std::snprintf(what, sizeof what, "memory cap of %s exceeded %s%s", impl.memory_text, impl.where, held);
            raise_budget(L, impl, 1, what);  // level 1: the Lua code that called pcall / resume
        }
    }
    if (impl.exhausted[0] == '\0') return;
    lua_pushstring(L, impl.exhausted);
    lua_error(L);
}

}  // namespace detail

// ---- Runtime ------------------------------------------------------------------------------

Runtime::Runtime(std::string country, std::string scripts_root, Limits limits, std::uint64_t seed, LogSink log)
    : country_(std::move(country)),
      scripts_root_(std::move(scripts_root)),
      module_roots_{scripts_root_},
      limits_(limits),
      log_(std::move(log)),
      impl_(std::make_unique<Impl>()) {
    impl_->owner = this;
    impl_->limits = limits_;
    impl_->country = country_;
    const double tenths = limits_.seconds_per_call * 10.0;
    std::snprintf(impl_->seconds_text, sizeof impl_->seconds_text,
                  std::abs(tenths - std::round(tenths)) < 1e-9 ? "%.1f s" : "%g s", limits_.seconds_per_call);
    std::snprintf(impl_->memory_text, sizeof impl_->memory_text, "%g MiB",
                  static_cast<double>(limits_.memory_bytes) / static_cast<double>(1 << 20));

    L_ = lua_newstate(allocate, impl_.get());
    if (L_ == nullptr) throw std::runtime_error(fmt::format("cannot create a Lua state within {}", impl_->memory_text));
    *static_cast<Impl**>(lua_getextraspace(L_)) = impl_.get();
    lua_atpanic(L_, panic);
    try {
        detail::open_sandbox(L_, seed);
        lua_pushcfunction(L_, init_registry);
        if (lua_pcall(L_, 0, 0, 0) != LUA_OK) throw std::runtime_error("cannot set up the Lua registry");
    } catch (...) {
        lua_close(L_);
        throw;
    }
    lua_sethook(L_, budget_hook, LUA_MASKCOUNT, kHookPeriod);
}

Runtime::~Runtime() {
    if (L_ != nullptr) lua_close(L_);
}

void Runtime::log(const std::string& text) const {
    if (log_) log_(country_, text);
}

void Runtime::note_module(const std::string& name, const std::string& path, const std::string& text) const {
    modules_[path] = sha256_hex(text);
    module_texts_[name] = ModuleText{path, text};
}

void Runtime::add_module_root(const std::string& root) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const std::string& r : module_roots_)
        if (r == root || fs::equivalent(r, root, ec)) return;
    module_roots_.push_back(root);
}

std::size_t Runtime::bytes_in_use() const {
    return impl_->in_use;
}

std::optional<std::string> Runtime::load_file(const std::string& path) {
    std::string error;
    auto text = read_text_file(path, kMaxPolicyBytes, error);
    if (!text) {
        ++usage_.errors;
        return fmt::format("error in policy '{}' at load: cannot open {}: {}", base_name(path), path,
                           error.substr(error.find(": ") + 2));
    }
    return load_text(*text, path);
}

namespace {

std::string squashed(std::string_view key) {
    std::string out;
    for (char c : key)
        if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The "file:line" where the function at the top of the stack is defined (popped); empty for a C
// function. lua_getinfo with "S" fills a fixed buffer: no allocation.
std::string function_place(lua_State* L) {
    lua_Debug ar;
    if (!lua_isfunction(L, -1) || lua_getinfo(L, ">S", &ar) == 0) {
        lua_pop(L, 1);
        return {};
    }
    if (ar.what == nullptr || std::string_view(ar.what) == "C" || ar.linedefined <= 0) return {};
    return fmt::format("{}:{}", ar.short_src, ar.linedefined);
}

// One table of the policy's (its own, or one it inherits from): a callback that is not a function,
// or a key that reads as a misspelt callback. Traversed with lua_next (no allocation in the state).
std::optional<std::string> table_keys_problem(lua_State* L, int index, const std::vector<std::string>& callbacks) {
    const std::string list = fmt::format("{}", fmt::join(callbacks, ", "));
    std::optional<std::string> problem;
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        if (!problem && lua_type(L, -2) == LUA_TSTRING) {
            std::size_t n = 0;
            const char* text = lua_tolstring(L, -2, &n);
            const std::string key(text, n);
            const bool callback = std::find(callbacks.begin(), callbacks.end(), key) != callbacks.end();
            if (callback) {
                if (!lua_isfunction(L, -1))
                    problem = fmt::format("{} is a {}, not a function (a callback must be a function)", key,
                                          luaL_typename(L, -1));
            } else if (key != "params") {
                std::optional<std::string> meant;
                for (const auto& c : callbacks)
                    if (squashed(key) == squashed(c)) meant = c;
                const bool on = key.size() > 2 && (key[0] == 'o' || key[0] == 'O') && (key[1] == 'n' || key[1] == 'N');
                if (!meant && on) meant = scenario_yaml::suggest(key, callbacks);
                // Where the misspelt function is defined, so the message names a line.
                std::string place;
                if ((meant || key.starts_with("on_")) && lua_isfunction(L, -1)) {
                    lua_pushvalue(L, -1);
                    place = function_place(L);
                }
                const std::string at = place.empty() ? "" : fmt::format(" (defined at {})", place);
                if (meant)
                    problem = fmt::format("'{}'{} is no callback and would never be called: did you mean '{}'? "
                                          "(callbacks: {})", key, at, *meant, list);
                else if (key.starts_with("on_"))
                    problem = fmt::format("'{}'{} is no callback and would never be called (callbacks: {})", key, at,
                                          list);
            }
        }
        lua_pop(L, 1);
    }
    return problem;
}

// The policy table at `index` and every table it inherits callbacks from (push_callback's chain of
// __index tables), each checked as the policy's own; a chain longer than push_callback follows is
// refused (its deeper callbacks would never be found). A cycle ends the chain; an __index function
// ends it too (never called: documented).
std::optional<std::string> callback_table_problem(lua_State* L, int index, const std::vector<std::string>& callbacks) {
    index = lua_absindex(L, index);
    const int base = lua_gettop(L);
    std::optional<std::string> problem;
    if (!lua_checkstack(L, kMaxInheritance + 8)) return "the policy's tables could not be checked (no stack)";
    lua_pushvalue(L, index);  // base + 1: the first table of the chain; each next one pushed above
    for (int hop = 0; !problem; ++hop) {
        const int table = lua_gettop(L);
        if (auto p = table_keys_problem(L, table, callbacks)) {
            problem = hop == 0 ? *p : fmt::format("{} (in the table it inherits from {} level(s) up)", *p, hop);
            break;
        }
        if (!lua_getmetatable(L, table)) break;
        const bool has = push_field_by_traversal(L, -1, "__index");
        lua_remove(L, -2);  // the metatable
        if (!has) break;
        if (!lua_istable(L, -1)) break;
        bool seen = false;
        for (int i = base + 1; i <= table && !seen; ++i) seen = lua_rawequal(L, i, -1) != 0;
        if (seen) break;
        if (hop + 1 > kMaxInheritance) {
            problem = fmt::format("callbacks are inherited through at most {} levels of __index tables; this "
                                  "policy's chain is longer (a callback further up would never be called)",
                                  kMaxInheritance);
            break;
        }
    }
    lua_settop(L, base);
    return problem;
}

}  // namespace

std::optional<std::string> Runtime::load_text(const std::string& text, const std::string& chunkname) {
    lua_State* L = L_;
    const std::string name = base_name(chunkname);
    const bool named = !chunkname.empty() && (chunkname.front() == '@' || chunkname.front() == '=');
    const std::string lua_chunkname = named ? chunkname : "@" + chunkname;  // "@file": messages say file:line
    const int base = lua_gettop(L);
    detail::push_module_cache(L);  // base + 1: put back if the load fails
    lua_pushcfunction(L, run_policy_chunk);
    std::optional<std::string> error;
    // Text only: a binary chunk is refused here ("attempt to load a binary chunk").
    const int status = luaL_loadbufferx(L, text.data(), text.size(), lua_chunkname.c_str(), "t");
    if (status == LUA_ERRMEM) {
        error = fmt::format("error in policy '{}' at load: memory cap of {} exceeded", name, impl_->memory_text);
    } else if (status != LUA_OK) {
        error = fmt::format("error in policy '{}' at load: {}", name, lua_tostring(L, -1));
    } else {
        error = impl_->protected_call(L, usage_, 1, 1, "at load", name);
        if (!error && !lua_istable(L, -1))
            error = fmt::format("policy '{}' must return a table of callbacks (got {})", name, luaL_typename(L, -1));
        if (!error && !callbacks_.empty())
            if (auto bad = callback_table_problem(L, lua_gettop(L), callbacks_))
                error = fmt::format("error in policy '{}' at load: {}", name, *bad);
        if (!error) {
            lua_rawsetp(L, LUA_REGISTRYINDEX, &kPolicyKey);  // the key exists: no allocation
            path_ = named ? chunkname.substr(1) : chunkname;
            impl_->policy_name = name;
        }
    }
    if (error) {
        detail::set_module_cache(L, base + 1);  // the old policy keeps its modules
        ++usage_.errors;
    }
    lua_settop(L, base);
    return error;
}

CallResult Runtime::call(const char* callback, const std::function<int(lua_State*)>& push_args,
                         const ResultReader& read_results) {
    CallResult result;
    Invocation invocation{callback, &push_args, &read_results};
    char what[96];
    std::snprintf(what, sizeof what, "in %s()", callback);
    const int base = lua_gettop(L_);
    lua_pushcfunction(L_, invoke_callback);
    lua_pushlightuserdata(L_, &invocation);
    const std::optional<std::string> error = impl_->protected_call(L_, usage_, 1, 0, what, impl_->policy_name);
    lua_settop(L_, base);
    if (invocation.missing && !error) {
        result.missing = true;
        return result;
    }
    ++usage_.calls;
    if (error) {
        result.ok = false;
        result.error = *error;
        ++usage_.errors;
    }
    return result;
}

namespace {

// Protected: whether the policy has the callback named by the light userdata at 1.
int has_callback_protected(lua_State* L) {
    const char* name = static_cast<const char*>(lua_touserdata(L, 1));
    const bool table = lua_rawgetp(L, LUA_REGISTRYINDEX, &kPolicyKey) == LUA_TTABLE;
    lua_pushboolean(L, table && push_callback(L, lua_gettop(L), name, true) == LUA_TFUNCTION);
    return 1;
}

// Protected: the place of the callback named by the light userdata at 1, as a string (or nil).
int callback_place_protected(lua_State* L) {
    const char* name = static_cast<const char*>(lua_touserdata(L, 1));
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &kPolicyKey) != LUA_TTABLE ||
        push_callback(L, lua_gettop(L), name, true) != LUA_TFUNCTION)
        return 0;
    const std::string place = function_place(L);
    if (place.empty()) return 0;
    lua_pushlstring(L, place.data(), place.size());
    return 1;
}

}  // namespace

std::string Runtime::callback_place(const char* callback) const {
    const int base = lua_gettop(L_);
    std::string place;
    lua_pushcfunction(L_, callback_place_protected);
    lua_pushlightuserdata(L_, const_cast<char*>(callback));
    if (lua_pcall(L_, 1, 1, 0) == LUA_OK && lua_type(L_, -1) == LUA_TSTRING) place = lua_tostring(L_, -1);
    lua_settop(L_, base);
    return place;
}

bool Runtime::has_callback(const char* callback) const {
    // Under lua_pcall, so the name may be pushed (it may allocate) and each table read with one
    // raw get, not traversed (a policy table of a million keys cost ~20 ms a call to traverse).
    // When even that runs out of memory, fall back to the traversal, which allocates nothing.
    const int base = lua_gettop(L_);
    bool found = false;
    lua_pushcfunction(L_, has_callback_protected);
    lua_pushlightuserdata(L_, const_cast<char*>(callback));
    if (lua_pcall(L_, 1, 1, 0) == LUA_OK) {
        found = lua_toboolean(L_, -1) != 0;
    } else {
        lua_settop(L_, base);
        if (lua_rawgetp(L_, LUA_REGISTRYINDEX, &kPolicyKey) == LUA_TTABLE)
            found = push_callback(L_, -1, callback, false) == LUA_TFUNCTION;
    }
    lua_settop(L_, base);
    return found;
}

void Runtime::push_policy() {
    lua_rawgetp(L_, LUA_REGISTRYINDEX, &kPolicyKey);
}

void Runtime::push_memory() {
    lua_rawgetp(L_, LUA_REGISTRYINDEX, &kMemoryKey);
}

std::optional<std::string> Runtime::set_memory(int index, bool lenient) {
    index = lua_absindex(L_, index);
    const int base = lua_gettop(L_);
    lua_pushcfunction(L_, guarded<copy_memory>);
    lua_pushvalue(L_, index);
    lua_pushboolean(L_, lenient ? 1 : 0);
    const int status = lua_pcall(L_, 2, 2, 0);
    std::optional<std::string> error;
    if (status == LUA_OK) {
        if (const char* problem = lua_tostring(L_, -1)) error = problem;
        lua_pop(L_, 1);
        lua_rawsetp(L_, LUA_REGISTRYINDEX, &kMemoryKey);
    } else if (status == LUA_ERRMEM) {
        error = fmt::format("memory: memory cap of {} exceeded", impl_->memory_text);
    } else {
        const char* text = lua_tostring(L_, -1);
        error = text != nullptr ? text : "memory: cannot be copied";
    }
    lua_settop(L_, base);
    return error;
}

}  // namespace chokepoint::lua
