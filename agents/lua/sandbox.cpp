// The environment a policy runs in, built from a whitelist (never by deleting from a full
// environment). The real libraries are opened into the state only to take functions from;
// their tables, the real _G and the registry are unreachable from a policy. docs/lua-api.md
// §Sandbox lists what a policy gets; the choices:
// - string, table, math, utf8, coroutine are per-state copies, so a policy changing string.x
//   changes only its own state (and keeps the change across a hot reload, like normal Lua).
// - Strings' metatable is replaced: methods ("x"):upper() use the state's string copy, and
//   getmetatable("") returns false, so the metatable itself cannot be reached or changed
//   (string arithmetic, "10" + 1, keeps working: those metamethods are copied).
// - string.find/match/gmatch/gsub are our interruptible matcher (pattern.cpp); string.dump is
//   absent; string.rep of an empty result returns at once (the real one loops n times).
// - load takes source text only (mode forced to "t", at most 1 MiB), and its environment
//   defaults to the environment of the script calling it, never the real _G.
// - coroutine is present: Lua 5.4 copies a thread's hook to the threads it creates, and the
//   budget hook stays installed on the main thread, so coroutines are budgeted too.
// - pcall, xpcall and coroutine.resume re-raise an exhausted budget instead of returning it,
//   and an xpcall handler is not run for a budget error (Lua would run it with hooks off).
// - setmetatable refuses a metatable with __gc: a finalizer would run whenever the collector
//   decides, outside any budget (even in lua_close), and Lua runs finalizers with hooks off.
// - collectgarbage allows "count", "collect" and "step" only.
#include <algorithm>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "agents/lua/convert.hpp"
#include "agents/lua/ordered.hpp"
#include "agents/lua/pattern.hpp"
#include "agents/lua/runtime.hpp"
#include "engine/world/files.hpp"
#include "engine/world/rng.hpp"

namespace chokepoint::lua {
namespace {

// Registry keys: addresses unique to this file.
char kTemplateKey = 0;      // name → value of everything a fresh environment gets
char kModulesKey = 0;       // require()'s cache for the current policy
char kLoadingMarkKey = 0;   // metatable of the to-be-closed mark of a module being loaded
char kLoadingSentinel = 0;  // cache value while a module's chunk runs (detects require loops)

// load(): the largest chunk a policy may load, and how much of it the parser gets between two
// looks at the clock (parsing is C work the count hook cannot see: docs/lua-api.md §Limits).
constexpr std::size_t kMaxLoadBytes = 1u << 20;  // "1 MiB" in the message below
constexpr std::size_t kLoadPieceBytes = 16u << 10;
// require(): the longest module name (a name is a path: "lib.util"); longer ones are refused
// before any path is built or the file system asked.
constexpr std::size_t kMaxModuleNameBytes = 128;
constexpr int kMoveStepsPerCheck = 4096;

const PatternGuard kPatternGuard{&detail::check_deadline};

// ---- base functions -------------------------------------------------------------------------

// tostring; print, ctx:log and string.format's %s go through stable_tolstring too.
int sandbox_tostring(lua_State* L) {
    luaL_checkany(L, 1);
    detail::stable_tolstring(L, 1, nullptr);
    return 1;
}

int sandbox_print(lua_State* L) {
    const int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; ++i) {
        if (i > 1) luaL_addchar(&b, '\t');
        detail::stable_tolstring(L, i, nullptr);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    std::size_t len = 0;
    const char* text = lua_tolstring(L, -1, &len);
    detail::runtime_of(L).log(std::string(text, len));
    return 0;
}

int finish_pcall(lua_State* L, int status, lua_KContext extra) {
    if (status != LUA_OK && status != LUA_YIELD) {
        detail::rethrow_if_out_of_budget(L, status, lua_gettop(L));
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - static_cast<int>(extra);
}

int sandbox_pcall(lua_State* L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);  // the first result if there is no error
    lua_insert(L, 1);
    const int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
    return finish_pcall(L, status, 0);
}

// The policy's message handler (upvalue 1), skipped once the budget is gone: Lua calls the
// handler of an error raised by the count hook with hooks disabled, so a looping handler
// would never be stopped.
int xpcall_handler(lua_State* L) {
    if (detail::out_of_budget(L)) return 1;  // the budget error, unchanged
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

int sandbox_xpcall(lua_State* L) {
    const int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, xpcall_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);  // true and the function go below the arguments, above the handler
    const int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
    return finish_pcall(L, status, 2);
}

int sandbox_setmetatable(lua_State* L) {
    const int kind = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, kind == LUA_TNIL || kind == LUA_TTABLE, 2, "nil or table");
    if (kind == LUA_TTABLE) {
        // Lua marks a table for finalization only if __gc is present (raw) when the metatable
        // is set, so checking here is enough: a __gc added later never runs.
        lua_pushliteral(L, "__gc");
        const bool finalizer = lua_rawget(L, 2) != LUA_TNIL;
        lua_pop(L, 1);
        if (finalizer)
            return luaL_error(
                L, "__gc metamethods are not allowed in a policy (a finalizer would run outside the budgets)");
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

// rawset as Lua's, except on a read-only table (ctx.params): rawset would write past __newindex.
int sandbox_rawset(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (luaL_getmetafield(L, 1, detail::kReadOnlyField) != LUA_TNIL)
        return luaL_error(L, "rawset: the table is read-only (ctx.params holds the scenario's policy_params)");
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

int sandbox_collectgarbage(lua_State* L) {
    const std::string_view option = luaL_optstring(L, 1, "collect");
    if (option == "count") {
        const int kb = lua_gc(L, LUA_GCCOUNT);
        const int bytes = lua_gc(L, LUA_GCCOUNTB);
        lua_pushnumber(L, static_cast<lua_Number>(kb) + static_cast<lua_Number>(bytes) / 1024.0);
    } else if (option == "collect") {
        lua_gc(L, LUA_GCCOLLECT);
        lua_pushinteger(L, 0);
    } else if (option == "step") {
        const int kb = lua_isnoneornil(L, 2) ? 0 : check_int_in(L, 2, 0, INT_MAX, "kilobytes");
        lua_pushboolean(L, lua_gc(L, LUA_GCSTEP, kb) == 1);
    } else {
        return luaL_error(L, "collectgarbage('%s') is not allowed in a policy", option.data());
    }
    return 1;
}

// Feeds the parser a chunk in pieces, looking at the clock before each: a budget that runs out
// mid-parse stops the load (lua_load catches the error; sandbox_load raises it again).
struct PieceReader {
    const char* text;
    std::size_t left;
    const char* where;
};

const char* read_piece(lua_State* L, void* data, std::size_t* size) {
    auto& r = *static_cast<PieceReader*>(data);
    if (r.left == 0) {
        *size = 0;
        return nullptr;
    }
    detail::check_deadline(L, r.where);
    const char* piece = r.text;
    *size = std::min(r.left, kLoadPieceBytes);
    r.text += *size;
    r.left -= *size;
    return piece;
}

}  // namespace

namespace detail {

const char* stable_tolstring(lua_State* L, int idx, std::size_t* len) {
    idx = lua_absindex(L, idx);
    const int type = lua_type(L, idx);
    if (type != LUA_TTABLE && type != LUA_TFUNCTION && type != LUA_TTHREAD && type != LUA_TUSERDATA &&
        type != LUA_TLIGHTUSERDATA)
        return luaL_tolstring(L, idx, len);  // nil, booleans, numbers, strings: no address in them
    if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        return luaL_tolstring(L, idx, len);  // calls it; its result must be a string
    }
    const int name = luaL_getmetafield(L, idx, "__name");  // a "class" name a policy gave it
    if (name == LUA_TSTRING) return lua_tolstring(L, -1, len);
    if (name != LUA_TNIL) lua_pop(L, 1);
    lua_pushstring(L, luaL_typename(L, idx));  // "table", "function", "thread", "userdata"
    return lua_tolstring(L, -1, len);
}

int load_text_on_the_clock(lua_State* L, const char* text, std::size_t len, const char* chunkname, const char* where) {
    PieceReader reader{text, len, where};
    const int status = lua_load(L, read_piece, &reader, chunkname, "t");
    if (status != LUA_OK) rethrow_if_out_of_budget(L, status, lua_gettop(L));  // the budget, not a syntax error
    return status;
}

}  // namespace detail

namespace {

// load(text [, chunkname [, mode [, env]]]); upvalue 1: the calling script's environment.
int sandbox_load(lua_State* L) {
    if (lua_type(L, 1) != LUA_TSTRING) type_error(L, 1, nullptr, "string (source text)");
    std::size_t len = 0;
    const char* text = lua_tolstring(L, 1, &len);
    if (len > kMaxLoadBytes)
        return luaL_error(L, "load: chunk of %I bytes is over the 1 MiB a policy may load", static_cast<LUAI_UACINT>(len));
    // A chunk name the policy gives is shown as a loaded chunk's, never as a file's: "@/etc/passwd"
    // made errors name a file the game never read (the second hostile review). "(load) NAME",
    // at most 60 bytes of the name.
    std::string chunkname = "=(load)";
    if (!lua_isnoneornil(L, 2)) {
        std::string given = luaL_checkstring(L, 2);
        if (!given.empty() && (given[0] == '@' || given[0] == '=')) given.erase(0, 1);
        if (given.size() > 60) given.resize(60);
        if (!given.empty()) chunkname += " " + given;
    }
    // Binary chunks are never loaded; a mode without "t" refuses the text too, as plain Lua does.
    const char* mode = luaL_optstring(L, 3, "bt");
    const bool binary = len > 0 && text[0] == LUA_SIGNATURE[0];  // refused below, whatever the mode
    if (!binary && std::strchr(mode, 't') == nullptr) {
        luaL_pushfail(L);
        lua_pushfstring(L, "attempt to load a text chunk (mode is '%s')", mode);
        return 2;
    }
    const int env = lua_isnone(L, 4) ? lua_upvalueindex(1) : 4;
    detail::check_deadline(L, "in load()");
    if (detail::load_text_on_the_clock(L, text, len, chunkname.c_str(), "in load()") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;  // nil, message: as the real load
    }
    lua_pushvalue(L, env);
    if (lua_setupvalue(L, -2, 1) == nullptr) lua_pop(L, 1);
    return 1;
}

// ---- library replacements -----------------------------------------------------------------

struct RandomState {
    std::uint64_t s[4];
    std::uint64_t seed;
};

// Lua 5.4's "project": a uniform integer in [0, n] from random bits, by rejection.
lua_Unsigned project(lua_Unsigned bits, lua_Unsigned n, Rng& rng) {
    if ((n & (n + 1)) == 0) return bits & n;  // n + 1 is a power of two
    lua_Unsigned mask = n;
    for (int shift = 1; shift < 64; shift *= 2) mask |= mask >> shift;
    while ((bits &= mask) > n) bits = rng.next();
    return bits;
}

// math.random([m [, n]]) with Lua 5.4's semantics on this state's deterministic stream.
int sandbox_random(lua_State* L) {
    auto* state = static_cast<RandomState*>(lua_touserdata(L, lua_upvalueindex(1)));
    Rng rng(state->s);
    const std::uint64_t bits = rng.next();
    lua_Integer low = 1, up = 0;
    switch (lua_gettop(L)) {
        case 0:
            lua_pushnumber(L, static_cast<lua_Number>(bits >> 11) * 0x1.0p-53);
            return 1;
        case 1:
            up = luaL_checkinteger(L, 1);
            if (up == 0) {  // math.random(0): all bits
                lua_pushinteger(L, static_cast<lua_Integer>(bits));
                return 1;
            }
            break;
        case 2:
            low = luaL_checkinteger(L, 1);
            up = luaL_checkinteger(L, 2);
            break;
        default:
            return luaL_error(L, "wrong number of arguments");
    }
    luaL_argcheck(L, low <= up, 1, "interval is empty");
    const lua_Unsigned r = project(bits, static_cast<lua_Unsigned>(up) - static_cast<lua_Unsigned>(low), rng);
    lua_pushinteger(L, static_cast<lua_Integer>(r + static_cast<lua_Unsigned>(low)));
    return 1;
}

// math.randomseed([x [, y]]): reseeds from x (and y); without arguments, from the engine's seed
// again (the real one would take the clock, which a deterministic game cannot allow).
int sandbox_randomseed(lua_State* L) {
    auto* state = static_cast<RandomState*>(lua_touserdata(L, lua_upvalueindex(1)));
    std::uint64_t seed = state->seed;
    if (!lua_isnone(L, 1)) {
        if (lua_isinteger(L, 1)) {
            seed = static_cast<std::uint64_t>(lua_tointeger(L, 1));
        } else {
            const lua_Number x = luaL_checknumber(L, 1);
            std::memcpy(&seed, &x, sizeof seed);
        }
        std::uint64_t extra = static_cast<std::uint64_t>(luaL_optinteger(L, 2, 0));
        seed ^= splitmix64(extra);
    }
    seed_rng(state->s, seed);
    return 0;
}

// string.rep; upvalue 1: the real one, which would loop n times to build an empty string.
int sandbox_rep(lua_State* L) {
    std::size_t len = 0, sep = 0;
    luaL_checklstring(L, 1, &len);
    const lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &sep);
    if (n <= 0 || len + sep == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

// string.format; upvalue 1: the real one. "%p" would write an address (different in every run)
// and is refused; a table, function or coroutine for "%s" is written as tostring writes it.
int sandbox_format(lua_State* L) {
    std::size_t len = 0;
    const char* f = luaL_checklstring(L, 1, &len);
    const int top = lua_gettop(L);
    int arg = 1;
    for (std::size_t i = 0; i < len; ++i) {
        if (f[i] != '%') continue;
        if (++i >= len || f[i] == '%') continue;  // "%%", or a lone '%' the real one reports
        ++arg;
        while (i < len && f[i] != '\0' && std::strchr("-+ #0123456789.", f[i]) != nullptr) ++i;
        if (i >= len) break;
        if (f[i] == 'p')
            return luaL_error(L, "string.format: '%%p' is not allowed in a policy (an address differs between runs)");
        if (f[i] == 's' && arg <= top) {
            const int type = lua_type(L, arg);
            if (type == LUA_TTABLE || type == LUA_TFUNCTION || type == LUA_TTHREAD || type == LUA_TUSERDATA ||
                type == LUA_TLIGHTUSERDATA) {
                detail::stable_tolstring(L, arg, nullptr);
                lua_replace(L, arg);
            }
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, top, 1);
    return 1;
}

// table.move(a1, f, e, t [, a2]); the real one loops over any range, even 2^40 empty slots.
int sandbox_move(lua_State* L) {
    const lua_Integer f = luaL_checkinteger(L, 2);
    const lua_Integer e = luaL_checkinteger(L, 3);
    const lua_Integer t = luaL_checkinteger(L, 4);
    const int dest = lua_isnoneornil(L, 5) ? 1 : 5;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, dest, LUA_TTABLE);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        const lua_Integer n = e - f;  // one less than the count
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n, 4, "destination wrap around");
        const bool forward = t > e || t <= f || (dest != 1 && !lua_compare(L, 1, dest, LUA_OPEQ));
        for (lua_Integer i = 0; i <= n; ++i) {
            const lua_Integer k = forward ? i : n - i;  // overlapping to the right: copy backwards
            lua_geti(L, 1, f + k);
            lua_seti(L, dest, t + k);
            if (i % kMoveStepsPerCheck == kMoveStepsPerCheck - 1) detail::check_deadline(L, "in table.move");
        }
    }
    lua_pushvalue(L, dest);
    return 1;
}

// table.sort(t [, less]). Lua's own sort runs in C off the clock (seconds on the largest table the
// memory cap allows) and picks pivots from clock() and time() when a partition is unbalanced, so
// ties could come out in a different order between runs. This one is a merge sort: stable (equal
// elements keep their order, the same in every run), O(n log n) for any input, safe for an
// inconsistent comparison (no step reads outside the array), and on the clock every
// kSortComparisonsPerCheck comparisons. The comparison is `less(a, b)` or a < b (metamethods
// included), as in Lua's.
constexpr long long kSortComparisonsPerCheck = 1 << 14;

int sandbox_sort(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    const bool custom = !lua_isnoneornil(L, 2);
    if (custom) luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    const lua_Integer n = luaL_len(L, 1);
    luaL_argcheck(L, n < (1 << 26), 1, "array too big to sort");
    if (n < 2) return 0;
    // Work on a copy of the values (slots 1..n of a new table), then write them back in order.
    lua_createtable(L, static_cast<int>(n), 0);  // 3: the values
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_geti(L, 1, i);
        lua_seti(L, 3, i);
    }
    long long comparisons = 0;
    auto less = [&](int a, int b) {
        if (++comparisons % kSortComparisonsPerCheck == 0) detail::check_deadline(L, "in table.sort()");
        if (custom) {
            lua_pushvalue(L, 2);
            lua_geti(L, 3, a);
            lua_geti(L, 3, b);
            lua_call(L, 2, 1);
            const bool r = lua_toboolean(L, -1);
            lua_pop(L, 1);
            return r;
        }
        lua_geti(L, 3, a);
        lua_geti(L, 3, b);
        const bool r = lua_compare(L, -2, -1, LUA_OPLT);
        lua_pop(L, 2);
        return r;
    };
    const auto count = static_cast<std::size_t>(n);
    std::vector<int> order(count), merged(count);
    for (std::size_t i = 0; i < count; ++i) order[i] = static_cast<int>(i + 1);
    for (std::size_t width = 1; width < count; width *= 2) {
        for (std::size_t lo = 0; lo < count; lo += 2 * width) {
            const std::size_t mid = std::min(lo + width, count), hi = std::min(lo + 2 * width, count);
            std::size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) merged[k++] = less(order[j], order[i]) ? order[j++] : order[i++];
            while (i < mid) merged[k++] = order[i++];
            while (j < hi) merged[k++] = order[j++];
        }
        order.swap(merged);
    }
    for (std::size_t i = 0; i < count; ++i) {
        lua_geti(L, 3, order[i]);
        lua_seti(L, 1, static_cast<lua_Integer>(i + 1));
        if (i % kSortComparisonsPerCheck == kSortComparisonsPerCheck - 1) detail::check_deadline(L, "in table.sort()");
    }
    return 0;
}

// coroutine.resume; upvalue 1: the real one. A coroutine stopped by the budget must stop the
// whole call, not come back as (false, message) to a loop that resumes another one.
// A coroutine that ran into the memory cap is dead with status LUA_ERRMEM: the cap is spent.
int sandbox_resume(lua_State* L) {
    lua_pushvalue(L, 1);  // 1: the coroutine, kept to read its status afterwards
    lua_insert(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 2);
    lua_call(L, lua_gettop(L) - 2, LUA_MULTRET);
    if (!lua_toboolean(L, 2)) {
        lua_State* co = lua_tothread(L, 1);
        detail::rethrow_if_out_of_budget(L, co != nullptr ? lua_status(co) : LUA_ERRRUN, lua_gettop(L) >= 3 ? 3 : 0);
    }
    return lua_gettop(L) - 1;
}

// ---- require --------------------------------------------------------------------------------

bool valid_module_name(std::string_view name) {
    if (name.empty() || name.front() == '.' || name.back() == '.' || name.find("..") != name.npos) return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
    return true;
}

// A module name as a message may show it: control bytes (a NUL would end the text there),
// quotes and bytes past ASCII as \ddd, as Lua's %q does.
std::string printable_name(std::string_view name) {
    std::string out;
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\') {
            out += '\\';  // two appends: "\\" + std::to_string(c) trips GCC 12's -Wrestrict false positive
            out += std::to_string(c);
        } else {
            out += ch;
        }
    }
    return out;
}

// The file for `name`, or an empty path if there is none under the root (symlinks included);
// `outside` tells a file that exists but resolves (through a link) outside the root.
std::filesystem::path module_file(const std::string& root, const std::string& relative, bool& outside) {
    namespace fs = std::filesystem;
    outside = false;
    std::error_code ec;
    const fs::path file = fs::weakly_canonical(fs::path(root) / relative, ec);
    if (ec || !fs::is_regular_file(file, ec)) return {};
    const fs::path base = fs::weakly_canonical(fs::path(root), ec);
    if (ec) return {};
    const auto [b, f] = std::mismatch(base.begin(), base.end(), file.begin(), file.end());
    outside = b != base.end();
    return outside ? fs::path{} : file;
}

std::string read_module(const std::string& root, const std::string& relative, bool& found, bool& outside) {
    found = false;
    const std::filesystem::path file = module_file(root, relative, outside);
    if (file.empty()) return {};
    std::string error;
    auto text = read_text_file(file.string(), kMaxPolicyBytes, error);
    if (!text) return {};
    found = true;
    return std::move(*text);
}

// __close of the mark: a module whose chunk failed is not left marked as loading.
int clear_loading_mark(lua_State* L) {
    lua_getfield(L, 1, "name");
    detail::push_module_cache(L);
    lua_pushvalue(L, -2);
    if (lua_rawget(L, -2) == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == &kLoadingSentinel) {
        lua_pushvalue(L, -3);
        lua_pushnil(L);
        lua_rawset(L, -4);
    }
    return 0;
}

int require_module(lua_State* L) {
    std::size_t len = 0;
    const char* name = luaL_checklstring(L, 1, &len);
    if (len > kMaxModuleNameBytes)
        return luaL_error(L, "module name of %I bytes is longer than the %I a module name may have",
                          static_cast<LUAI_UACINT>(len), static_cast<LUAI_UACINT>(kMaxModuleNameBytes));
    const std::string shown_name = printable_name({name, len});
    if (std::string_view(name, len).find_first_of("/\\") != std::string_view::npos ||
        std::string_view(name, len).find("..") != std::string_view::npos)
        return luaL_error(L,
                          "invalid module name '%s': a path; require takes dotted names (\"lib.util\") and only "
                          "reaches .lua files under the policy's scripts folder and the shipped scripts/ "
                          "(no absolute paths, no '..')",
                          shown_name.c_str());
    if (!valid_module_name({name, len}))
        return luaL_error(L, "invalid module name '%s' (lowercase letters, digits, '_' and '.', e.g. \"lib.util\")",
                          shown_name.c_str());
    lua_settop(L, 1);
    detail::push_module_cache(L);  // 2
    lua_pushvalue(L, 1);
    if (lua_rawget(L, 2) != LUA_TNIL) {
        if (lua_touserdata(L, -1) == &kLoadingSentinel)
            return luaL_error(L, "module '%s' requires itself (a require loop)", name);
        return 1;
    }
    lua_pop(L, 1);

    const Runtime& rt = detail::runtime_of(L);
    std::string relative(name, len);
    for (char& c : relative)
        if (c == '.') c = '/';
    relative += ".lua";
    // The policy's own scripts folder first, then the shipped scripts/ (docs/lua-api.md §require).
    std::string looked, shown, text, linked_out;
    bool found = false;
    if (rt.module_source())
        if (auto stored = rt.module_source()(std::string(name, len))) {
            shown = std::move(stored->path), text = std::move(stored->text);
            found = true;
        }
    for (std::size_t i = 0; !found && i < rt.module_roots().size(); ++i) {
        const std::string& root = rt.module_roots()[i];
        shown = (std::filesystem::path(root) / relative).generic_string();
        bool outside = false;
        text = read_module(root, relative, found, outside);
        if (!found) looked += (looked.empty() ? "" : ", ") + shown;
        if (outside && linked_out.empty()) linked_out = shown;
    }
    if (!found && !linked_out.empty())
        return luaL_error(L,
                          "module '%s': %s is a link to a file outside its scripts folder, and require reaches only "
                          "files under the policy's scripts folder and the shipped scripts/",
                          name, linked_out.c_str());
    if (!found) return luaL_error(L, "module '%s' not found (looked for %s)", name, looked.c_str());
    rt.note_module(std::string(name, len), shown, text);

    // Marked as loading while its chunk runs; the to-be-closed mark undoes that on an error.
    lua_pushvalue(L, 1);
    lua_pushlightuserdata(L, &kLoadingSentinel);
    lua_rawset(L, 2);
    lua_createtable(L, 0, 1);  // 3: the mark
    lua_pushvalue(L, 1);
    lua_setfield(L, 3, "name");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kLoadingMarkKey);
    lua_setmetatable(L, 3);
    lua_toclose(L, 3);

    const std::string chunkname = "@" + shown;
    if (detail::load_text_on_the_clock(L, text.data(), text.size(), chunkname.c_str(), "in require()") != LUA_OK)
        return luaL_error(L, "error loading module '%s': %s", name, lua_tostring(L, -1));
    detail::push_sandbox_env(L);
    lua_setupvalue(L, -2, 1);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);  // budgeted as part of the current call
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, 2);
    return 1;
}

// ---- building the whitelist -----------------------------------------------------------------

// A fresh table with the fields of the library table at `lib`, except `skip`.
void copy_library(lua_State* L, int lib, std::initializer_list<std::string_view> skip) {
    lib = lua_absindex(L, lib);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, lib) != 0) {
        bool skipped = false;
        if (lua_type(L, -2) == LUA_TSTRING)
            for (std::string_view s : skip) skipped = skipped || s == lua_tostring(L, -2);
        if (skipped) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
}

// Replaces field `name` of the table on top by a closure over the current value (a wrapper).
void wrap_field(lua_State* L, const char* name, lua_CFunction wrapper) {
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, name);
}

int open_sandbox_protected(lua_State* L) {
    const auto seed = *static_cast<std::uint64_t*>(lua_touserdata(L, 1));
    lua_settop(L, 0);
    // The real libraries, only to take functions from; io, os, debug, package are never opened.
    const luaL_Reg libraries[] = {{LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
                                  {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
                                  {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine}};
    for (const luaL_Reg& lib : libraries) luaL_requiref(L, lib.name, lib.func, 0);  // 1 … 6
    lua_newtable(L);                                                                // 7: the template
    const int tmpl = 7;

    for (const char* name : {"assert", "error", "ipairs", "rawequal", "rawlen", "rawget",
                             "select", "tonumber", "type", "getmetatable", "_VERSION"}) {
        lua_getfield(L, 1, name);
        lua_setfield(L, tmpl, name);
    }
    const luaL_Reg replaced[] = {{"print", guarded<sandbox_print>},
                                 {"tostring", sandbox_tostring},  // never an address: stable_tolstring
                                 {"next", ordered_next},    // a fixed order: ordered.hpp
                                 {"pairs", ordered_pairs},
                                 {"pcall", sandbox_pcall},
                                 {"xpcall", sandbox_xpcall},
                                 {"setmetatable", sandbox_setmetatable},
                                 {"rawset", sandbox_rawset},
                                 {"collectgarbage", sandbox_collectgarbage},
                                 {"require", guarded<require_module>}};
    for (const luaL_Reg& f : replaced) {
        lua_pushcfunction(L, f.func);
        lua_setfield(L, tmpl, f.name);
    }

    copy_library(L, 2, {"dump"});
    register_patterns(L, -1, &kPatternGuard);
    wrap_field(L, "rep", sandbox_rep);
    wrap_field(L, "format", sandbox_format);
    // Strings' metatable: methods from the copy; getmetatable("") gives false, not the table.
    // The real one's arithmetic metamethods ("10" + 1) are harmless C functions: kept.
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    copy_library(L, -1, {"__index"});
    lua_replace(L, -3);
    lua_pop(L, 1);
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushliteral(L, "");
    lua_insert(L, -2);
    lua_setmetatable(L, -2);
    lua_pop(L, 1);
    lua_setfield(L, tmpl, "string");

    copy_library(L, 3, {});
    lua_pushcfunction(L, sandbox_move);
    lua_setfield(L, -2, "move");
    lua_pushcfunction(L, sandbox_sort);
    lua_setfield(L, -2, "sort");
    lua_setfield(L, tmpl, "table");

    copy_library(L, 4, {});
    auto* random = static_cast<RandomState*>(lua_newuserdatauv(L, sizeof(RandomState), 0));
    random->seed = seed;
    seed_rng(random->s, seed);
    for (const luaL_Reg& f : {luaL_Reg{"random", sandbox_random}, luaL_Reg{"randomseed", sandbox_randomseed}}) {
        lua_pushvalue(L, -1);
        lua_pushcclosure(L, f.func, 1);
        lua_setfield(L, -3, f.name);
    }
    lua_pop(L, 1);
    lua_setfield(L, tmpl, "math");

    copy_library(L, 5, {});
    lua_setfield(L, tmpl, "utf8");

    copy_library(L, 6, {});
    wrap_field(L, "resume", sandbox_resume);
    lua_setfield(L, tmpl, "coroutine");

    lua_pushvalue(L, tmpl);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kTemplateKey);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kModulesKey);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, clear_loading_mark);
    lua_setfield(L, -2, "__close");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kLoadingMarkKey);
    return 0;
}

}  // namespace

namespace detail {

void open_sandbox(lua_State* L, std::uint64_t seed) {
    lua_pushcfunction(L, open_sandbox_protected);
    lua_pushlightuserdata(L, &seed);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        const std::string message = lua_tostring(L, -1) != nullptr ? lua_tostring(L, -1) : "unknown error";
        lua_pop(L, 1);
        throw std::runtime_error("cannot build the Lua sandbox: " + message);
    }
}

void push_sandbox_env(lua_State* L) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kTemplateKey);
    lua_createtable(L, 0, 32);
    lua_pushnil(L);
    while (lua_next(L, -3) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "_G");  // the sandbox's own _G is the environment itself
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, sandbox_load, 1);
    lua_setfield(L, -2, "load");
    lua_remove(L, -2);
}

void push_module_cache(lua_State* L) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kModulesKey);
}

void new_module_cache(lua_State* L) {
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kModulesKey);
}

void set_module_cache(lua_State* L, int index) {
    lua_pushvalue(L, index);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &kModulesKey);
}

}  // namespace detail
}  // namespace chokepoint::lua
