// The Lua→C++ policy API: what `ctx` offers a policy. One area per file
// (api_world.cpp reads the world as the country may see it, api_commands.cpp
// issues the simulation's commands), each with a register_… function; api.cpp
// is the one composition point that lists everything a policy state gets.
// Every function is documented in docs/lua-api.md and stubbed in
// scripts/types/chokepoint.lua; tests/agents/lua/api_docs_test.cpp checks both.
#pragma once

#include <lua.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "agents/lua/runtime.hpp"
#include "engine/sim/policy.hpp"

namespace chokepoint::lua {

// What the ctx functions act on during one callback. Set for the duration of a
// call; a ctx kept by a script and used later finds no binding and errors clearly.
struct Binding {
    PolicyContext* ctx = nullptr;
    const char* callback = "";
    const LicenseApplication* application = nullptr;  // in on_license_request
    const void* ctx_table = nullptr;  // the ctx pushed for this call (lua_topointer): a kept one is refused
};

// Installs (or clears, with nullptr) the current binding of a state; never allocates.
void set_binding(lua_State* L, Binding* binding);
// The binding installed now (nullptr outside a callback); never allocates.
Binding* installed_binding(lua_State* L);
// The current binding; raises a Lua error naming the function when there is none, or when
// argument 1 is not the ctx this callback was given (a ctx kept from an earlier callback).
Binding& current_binding(lua_State* L, const char* function);

// What a ctx function reads first: the binding, the game's definitions and state, and who asks.
struct Call {
    Binding& b;
    const Definitions& d;
    const State& s;
    CountryId me;
    Call(lua_State* L, const char* function)
        : b(current_binding(L, function)), d(b.ctx->defs()), s(b.ctx->state()), me(b.ctx->country()) {}
};

// A registered API function: its Lua name (without "ctx:") and implementation.
struct ApiFunction {
    const char* name;
    lua_CFunction fn;
};
std::vector<ApiFunction> world_api();
std::vector<ApiFunction> command_api();
std::vector<ApiFunction> diplomacy_api();

// A proposal as Lua sees it (on_proposal's argument, ctx:proposals() entries).
void push_proposal(lua_State* L, const Definitions& d, const Proposal& p);
// Reads on_proposal's return value at idx into an answer to `p`: "" or what is wrong with it.
std::string read_answer(lua_State* L, int idx, const Definitions& d, CountryId me, const Proposal& p, Respond& out);

// Creates the methods table once per state (kept in the registry).
void install_api(lua_State* L);
// Pushes a fresh ctx for one callback: fields country, turn, date, turns, memory, params;
// the methods through its metatable.
// ctx.params is a read-only view of `params` (the country's policy_params), new for every callback.
void push_ctx(lua_State* L, Runtime& runtime, const PolicyContext& ctx, const nlohmann::json& params);
// Drops the state's converted ctx.params, so the next callback converts the policy's parameters
// again (after a reload whose declaration changed them). Never allocates.
void forget_params(lua_State* L);
// Pushes the ctx of the latest push_ctx (to read back what the callback left in ctx.memory).
void push_current_ctx(lua_State* L);
// Every name a policy can call on ctx, plus the field names (for the documentation test).
std::vector<std::string> api_names();

// Lookups shared by the API files. check_… raise a Lua error listing the valid ids (for reads);
// find_… return none and set `why` (commands answer nil, message instead of raising).
GoodId check_good(lua_State* L, int arg, const Definitions& d);
CountryId check_country(lua_State* L, int arg, const Definitions& d);
SectorId check_sector(lua_State* L, int arg, const Definitions& d);
std::optional<GoodId> find_good(lua_State* L, int arg, const Definitions& d, std::string& why);
std::optional<CountryId> find_country(lua_State* L, int arg, const Definitions& d, std::string& why);
// A country argument that may also be "all": `ok` false (and `why` set) when it is neither;
// `country` none for "all".
struct CountryOrAll {
    bool ok = false;
    std::optional<CountryId> country;
};
CountryOrAll find_country_or_all(lua_State* L, int arg, const Definitions& d, std::string& why);
// Answers a command's result the Lua way: true, or nil and the message. Returns the count.
int push_result(lua_State* L, const CommandResult& r);

}  // namespace chokepoint::lua
