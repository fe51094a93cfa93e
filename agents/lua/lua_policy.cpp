#include "agents/lua/lua_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "agents/lua/api.hpp"
#include "agents/lua/convert.hpp"
#include "agents/lua/params.hpp"
#include "engine/game/game.hpp"
#include "engine/output/sha256.hpp"
#include "engine/world/rng.hpp"
#include "engine/world/files.hpp"

namespace chokepoint {

namespace {

std::string read_file(const std::string& path) {
    std::string error;
    return read_text_file(path, kMaxPolicyBytes, error).value_or(std::string{});
}

// require() looks under the folder that holds policies/ and lib/ (scripts/), else beside the file.
std::string scripts_root_of(const std::string& path) {
    namespace fs = std::filesystem;
    fs::path dir = fs::path(path).parent_path();
    if (dir.filename() == "policies") return dir.parent_path().string();
    if (!dir.empty()) return dir.string();
    std::error_code ec;  // a bare file name: the working directory holds it
    return fs::current_path(ec).filename() == "policies" ? ".." : ".";
}

std::string base_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// A proposal's or agreement's clauses as events.jsonl has them, with the field names and units of
// a clause table in Lua: price (USD/kg), usd (USD millions), an investment's tonnes (t/yr).
nlohmann::json clauses_for_lua(const nlohmann::json& clauses) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : clauses) {
        if (!c.is_object()) continue;
        nlohmann::json t = nlohmann::json::object();
        for (auto f = c.begin(); f != c.end(); ++f) {
            const std::string& k = f.key();
            t[k == "price_usd_per_kg" ? "price" : k == "usd_m" ? "usd" : k == "tonnes_per_year" ? "tonnes" : k] = f.value();
        }
        out.push_back(std::move(t));
    }
    return out;
}

void push_event(lua_State* L, const Definitions& d, const GameEvent& e) {
    using lua::set_integer, lua::set_number, lua::set_string;
    lua_createtable(L, 0, 6);
    set_string(L, "type", e.type);
    set_string(L, "text", e.text);
    set_integer(L, "turn", e.turn);
    if (e.country != kNoCountry) set_string(L, "country", d.countries[e.country].id);
    if (e.target != kNoCountry) set_string(L, "target", d.countries[e.target].id);
    for (auto it = e.data.begin(); it != e.data.end(); ++it) {
        const auto& v = it.value();
        if (v.is_number_integer())
            set_integer(L, it.key().c_str(), v.get<lua_Integer>());  // ids print as 12, not 12.0
        else if (it.key() == "clauses" && v.is_array()) {  // in the fields of a clause table (docs/lua-api.md §Clauses)
            lua::push(L, clauses_for_lua(v));
            lua_setfield(L, -2, "clauses");
        } else if (v.is_number() || v.is_string() || v.is_boolean())
            lua::set_field(L, it.key().c_str(), v);
    }
}

void push_application(lua_State* L, const Definitions& d, const LicenseApplication& a) {
    using lua::set_integer, lua::set_number, lua::set_string;
    lua_createtable(L, 0, 11);
    set_integer(L, "id", a.id);
    set_string(L, "importer", d.countries[a.importer].id);
    set_string(L, "exporter", d.countries[a.exporter].id);
    set_string(L, "good", d.goods[a.good].id);
    set_number(L, "tonnes", a.tonnes_per_turn);
    set_string(L, "end_use", to_string(a.end_use));
    set_integer(L, "filed_turn", a.filed_turn);
    set_integer(L, "decidable_turn", a.decidable_turn);
    set_number(L, "review_days", a.review_days);
    set_number(L, "first_turn_share", a.first_turn_share);
    set_integer(L, "start_turn", a.start_turn);
}

}  // namespace

LuaPolicy::LuaPolicy(const Definitions& defs, CountryId country, std::string path, LuaPolicyOptions options)
    : path_(std::move(path)),
      params_(defs.countries[country].policy_params),
      country_(country),
      options_(std::move(options)) {
    std::uint64_t seed_state = defs.seed * 0x100000001b3ULL + static_cast<std::uint64_t>(country.value()) + 1;
    const std::uint64_t seed = splitmix64(seed_state);
    std::string root = options_.scripts_root.empty() ? scripts_root_of(path_) : options_.scripts_root;
    runtime_ = std::make_unique<lua::Runtime>(
        defs.countries[country].id, root, options_.limits, seed,
        [this](const std::string&, const std::string& text) {
            if (current_) current_->log(text);
        });
    runtime_->set_callbacks({"init", "on_event", "on_license_request", "on_proposal", "on_turn"});
    if (!options_.stored_modules.empty())
        runtime_->set_module_source([this](const std::string& name) { return stored_module(name); });
    // A policy kept outside the repository still reaches the shipped helpers (scripts/lib): the
    // working directory's scripts/ when there is one (a checkout), then the installed data's. Not
    // the first found only: a modder's own project folder with its own scripts/ has no lib/util.lua
    // (the modder review: require("lib.util") then failed when run from there).
    if (options_.shipped_scripts) {
        std::error_code ec;
        if (std::filesystem::is_directory("scripts", ec)) runtime_->add_module_root("scripts");
        for (const std::string& dir : data_dirs())
            if (std::filesystem::is_directory(dir + "/scripts", ec)) runtime_->add_module_root(dir + "/scripts");
    }
    // Protected like every other host call into the state (a Lua error outside lua_pcall aborts).
    lua_State* L = runtime_->state();
    lua_pushcfunction(L, [](lua_State* S) -> int {
        lua::install_api(S);
        return 0;
    });
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        lua_pop(L, 1);
        throw std::runtime_error("cannot install the ctx API in a new Lua state");
    }
    text_ = read_file(path_);
    std::error_code ec;
    stamp_ = std::filesystem::last_write_time(path_, ec);
    size_ = std::filesystem::file_size(path_, ec);
    defs_ = &defs;
    if (auto err = runtime_->load_file(path_)) {
        load_error_ = *err;
        fallen_back_ = true;
    } else if (auto bad = apply_declared_params()) {
        load_error_ = *bad;
        fallen_back_ = true;
    }
}

std::optional<Policy::Script> LuaPolicy::script() const {
    Script s{path_, text_, {}};
    for (const auto& [name, m] : runtime_->module_texts()) s.modules.push_back({name, m.path, m.text});
    return s;
}

std::optional<lua::ModuleText> LuaPolicy::stored_module(const std::string& name) const {
    if (turn_ >= options_.replayed_turns) return std::nullopt;
    // The version journaled last at or before this turn; before the first one, the first one.
    const StoredModule *first = nullptr, *latest = nullptr;
    for (const StoredModule& m : options_.stored_modules) {  // in journal order
        if (m.name != name) continue;
        if (!first) first = &m;
        if (m.turn <= turn_) latest = &m;
    }
    const StoredModule* pick = latest ? latest : first;
    if (!pick) return std::nullopt;
    return lua::ModuleText{pick->path, pick->text};
}

namespace {
struct DeclaredParams {
    lua::Runtime* runtime;
    const Definitions* defs;
    CountryId country;
    const std::string* path;
    const nlohmann::json* given;
    lua::ParamCheck result;
};
int check_params_protected(lua_State* L) {
    auto* p = static_cast<DeclaredParams*>(lua_touserdata(L, 1));
    p->runtime->push_policy();
    p->result = lua::check_declared_params(L, *p->defs, p->country, *p->path, *p->given);
    return 0;
}
}  // namespace

std::optional<std::string> LuaPolicy::apply_declared_params() {
    const CountryDef& me = defs_->countries[country_];
    std::optional<std::string> error;
    params_note_.clear();
    lua_State* L = runtime_->state();
    const nlohmann::json none = nlohmann::json::object();
    // The scenario's policy_params were written for the scenario's own policy of the country: a
    // different file (check --as, a tournament entrant, --reload-at) whose declaration they do
    // not fit plays with its defaults instead, with a note.
    std::error_code ec;
    const bool own = std::filesystem::equivalent(path_, me.policy, ec);
    for (const nlohmann::json* given : {&me.policy_params, &none}) {
        DeclaredParams p{runtime_.get(), defs_, country_, &path_, given, {}};
        const int base = lua_gettop(L);
        lua_pushcfunction(L, check_params_protected);
        lua_pushlightuserdata(L, &p);
        const int status = lua_pcall(L, 1, 0, 0);
        error.reset();
        if (status != LUA_OK) {
            const char* text = lua_tostring(L, -1);
            error = fmt::format("policy '{}': cannot read its params declaration: {}", base_name(path_),
                                text ? text : "memory");
        } else if (p.result.declaration_error) {
            error = *p.result.declaration_error;
        } else if (p.result.params_error) {
            params_error_ = *p.result.params_error;
            error = params_error_;
        } else {
            params_ = std::move(p.result.params);
            params_error_.clear();
        }
        lua_settop(L, base);
        if (!error || own || !p.result.params_error || given == &none) break;
        params_note_ = fmt::format("{}'s policy_params in the scenario are for {} and do not fit the params that {} "
                                   "declares, so it plays with its defaults:\n{}",
                                   me.id, me.policy.empty() ? "the autopilot" : me.policy, path_, params_error_);
    }
    return error;
}

LuaPolicy::~LuaPolicy() = default;

std::string LuaPolicy::name() const { return "lua:" + base_name(path_) + (fallen_back_ ? " (autopilot fallback)" : ""); }

// " (defined at FILE:LINE)" for a callback, for errors found after it returned (its answer, its
// ctx.memory): they have no line of their own, the callback's definition is the nearest.
std::string LuaPolicy::defined_at(const char* callback) const {
    const std::string place = runtime_->callback_place(callback);
    return place.empty() ? std::string() : " (defined at " + place + ")";
}

// Every policy error goes through here: one policy_error event, one error in stats() (what a
// tournament counts for a forfeit).
void LuaPolicy::report_error(PolicyContext& ctx, const std::string& message) {
    ++errors_;
    ctx.event("policy_error", fmt::format("{}: {}", ctx.defs().countries[country_].id, message),
              {{"policy", path_}, {"error", message}});
}

bool LuaPolicy::call(PolicyContext& ctx, const char* callback, const LicenseApplication* app,
                     const std::function<int(lua_State*)>& push_extra, const lua::ResultReader& read_results) {
    lua::Binding binding{&ctx, callback, app};
    lua::Binding* const outer = lua::installed_binding(runtime_->state());  // a call made from inside another
    lua::set_binding(runtime_->state(), &binding);
    current_ = &ctx;
    const size_t mark = ctx.queued();
    const int before = ctx.commands_issued();
    // ctx.memory is copied back inside the callback's protected call and budget, right after it
    // returns: the copy allocates (so it must not run unprotected) and may be large (so it is
    // the policy's time, not the host's).
    std::optional<std::string> memory_error;
    const lua::ResultReader read_and_keep = [&](lua_State* L, int count) {
        if (read_results) read_results(L, count);
        memory_error = keep_memory(L);
    };
    lua::CallResult r = runtime_->call(callback, [&](lua_State* L) {
        lua::push_ctx(L, *runtime_, ctx, params_);
        return 1 + (push_extra ? push_extra(L) : 0);
    }, read_and_keep);
    current_ = nullptr;
    lua::set_binding(runtime_->state(), outer);  // allocation-free (api.cpp)
    if (r.missing) return false;
    if (r.ok && memory_error) {
        // A callback that leaves ctx.memory unkeepable fails like any other: its commands are
        // dropped, and what could not be kept was left out of ctx.memory (keep_memory), so the
        // next callback starts from plain data again.
        r.ok = false;
        r.error = fmt::format("error in policy '{}' in {}(){}: {} (ctx.memory holds plain data only: it is kept "
                              "across reloads and saved games)",
                              base_name(path_), callback, defined_at(callback), *memory_error);
    }
    if (r.ok) {
        failures_.erase(callback);
        commands_ += ctx.commands_issued() - before;
        return true;
    }
    ctx.discard_queued_from(mark);  // a failed callback changes nothing
    report_error(ctx, r.error);
    const int in_a_row = ++failures_[callback];
    if (in_a_row >= options_.max_consecutive_failures && !fallen_back_) {
        fallen_back_ = true;
        ctx.event("policy_fallback",
                  fmt::format("{}: policy '{}' failed {} times in a row in {}(); the autopilot governs from now on "
                              "(fix the script: it reloads between turns)",
                              ctx.defs().countries[country_].id, base_name(path_), in_a_row, callback),
                  {{"policy", path_}, {"failures", in_a_row}, {"callback", callback}});
    }
    return true;
}

// ctx.memory must stay plain data (it is saved with the game): after each callback it is copied
// back from the ctx — so `ctx.memory = {...}` works too — and anything else fails the callback and
// is left out of the copy kept (a table with a metatable is kept without it). Runs
// inside the callback's protected call (see call()).
std::optional<std::string> LuaPolicy::keep_memory(lua_State* L) {
    const int top = lua_gettop(L);
    std::optional<std::string> err;
    lua::push_current_ctx(L);
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "memory");
        if (!lua_istable(L, -1))
            err = fmt::format("ctx.memory must stay a table (it was set to a {}); the previous table is kept",
                              luaL_typename(L, -1));
        else
            err = runtime_->set_memory(-1, true);  // what cannot be kept is left out, the rest kept
    }
    lua_settop(L, top);
    return err;
}

void LuaPolicy::reload_if_changed(PolicyContext& ctx) {
    if (!options_.hot_reload) return;
    // A cheap look first: only a file whose time or size changed is read and compared.
    std::error_code ec;
    auto stamp = std::filesystem::last_write_time(path_, ec);
    auto size = std::filesystem::file_size(path_, ec);
    if (!ec && stamp == stamp_ && size == size_) return;
    stamp_ = stamp;
    size_ = size;
    std::string now = read_file(path_);
    if (now.empty() || now == text_) return;
    text_ = now;  // judged once: a broken version is not retried every turn
    if (auto err = runtime_->load_file(path_)) {
        report_error(ctx, *err + " — the previous version keeps running");
        return;
    }
    after_reload(ctx);
}

void LuaPolicy::after_reload(PolicyContext& ctx) {
    // The new version's declaration decides ctx.params from now on (the state kept the old
    // version's converted table: a reloaded file read the scenario's values unchecked).
    const nlohmann::json before = params_;
    if (auto bad = apply_declared_params()) {
        params_ = before;
        const bool broken = !load_error_.empty();
        report_error(ctx, *bad + (broken ? " — the autopilot keeps governing" : " — the parameters stay as they were"));
        if (broken) return;
    }
    lua::forget_params(runtime_->state());
    const bool was_broken = !load_error_.empty();
    load_error_.clear();
    failures_.clear();
    fallen_back_ = false;
    nlohmann::json data = {{"policy", path_}};
    if (!params_note_.empty()) data["note"] = params_note_;
    ctx.event("policy_reloaded",
              fmt::format("{}: reloaded policy '{}'{}{}", ctx.defs().countries[country_].id, base_name(path_),
                          was_broken ? " (it had failed to load)" : "",
                          params_note_.empty() ? "" : "; note: " + params_note_),
              data);
    if (was_broken) call(ctx, "init", nullptr, nullptr);
}

void LuaPolicy::schedule_reload(int turn, std::string file) {
    auto at = std::upper_bound(scheduled_.begin() + static_cast<std::ptrdiff_t>(next_scheduled_), scheduled_.end(),
                               turn, [](int t, const auto& e) { return t < e.first; });
    scheduled_.insert(at, {turn, std::move(file)});
}

void LuaPolicy::run_scheduled_reloads(PolicyContext& ctx) {
    while (next_scheduled_ < scheduled_.size() && scheduled_[next_scheduled_].first <= ctx.state().turn) {
        const std::string file = scheduled_[next_scheduled_++].second;
        if (auto err = runtime_->load_file(file)) {
            report_error(ctx, *err + " — the previous version keeps running");
            continue;
        }
        path_ = file;
        text_ = read_file(path_);
        std::error_code ec;
        stamp_ = std::filesystem::last_write_time(path_, ec);
        size_ = std::filesystem::file_size(path_, ec);
        after_reload(ctx);
    }
}

void LuaPolicy::reload_due(PolicyContext& ctx) {
    turn_ = ctx.state().turn;
    run_scheduled_reloads(ctx);
    const int turn = ctx.state().turn;
    if (turn > 0 && turn != watched_turn_ && turn >= options_.replayed_turns) {
        watched_turn_ = turn;
        reload_if_changed(ctx);
    }
}

void LuaPolicy::init(PolicyContext& ctx) {
    turn_ = ctx.state().turn;
    const bool was_broken = !load_error_.empty();
    run_scheduled_reloads(ctx);
    if (was_broken && load_error_.empty()) return;  // a reload at turn 0 fixed it and ran init
    if (!load_error_.empty()) {
        report_error(ctx, load_error_);
        ctx.event("policy_fallback",
                  fmt::format("{}: policy '{}' did not load; the autopilot governs until it is fixed",
                              ctx.defs().countries[country_].id, base_name(path_)),
                  {{"policy", path_}});
        load_error_reported_ = true;
        return;
    }
    call(ctx, "init", nullptr, nullptr);
}

void LuaPolicy::on_turn(PolicyContext& ctx) {
    reload_due(ctx);
    if (fallen_back_) {
        autopilot_.on_turn(ctx);
        return;
    }
    call(ctx, "on_turn", nullptr, nullptr);
}

void LuaPolicy::on_license_request(PolicyContext& ctx, const LicenseApplication& app) {
    reload_due(ctx);
    // A policy without on_license_request leaves licensing to the autopilot.
    if (fallen_back_ || !runtime_->has_callback("on_license_request")) {
        autopilot_.on_license_request(ctx, app);
        return;
    }
    const Definitions& d = ctx.defs();
    call(ctx, "on_license_request", &app, [&](lua_State* L) {
        push_application(L, d, app);
        return 1;
    });
}

void LuaPolicy::on_event(PolicyContext& ctx, const GameEvent& event) {
    reload_due(ctx);
    if (fallen_back_ || !runtime_->has_callback("on_event")) return;
    const Definitions& d = ctx.defs();
    call(ctx, "on_event", nullptr, [&](lua_State* L) {
        push_event(L, d, event);
        return 1;
    });
}

void LuaPolicy::on_proposal(PolicyContext& ctx, const Proposal& proposal) {
    reload_due(ctx);
    // A policy without on_proposal leaves its answers to the autopilot.
    if (fallen_back_ || !runtime_->has_callback("on_proposal")) {
        autopilot_.on_proposal(ctx, proposal);
        return;
    }
    const Definitions& d = ctx.defs();
    bool answered = false;
    Respond answer;
    std::string problem;
    const bool ran = call(
        ctx, "on_proposal", nullptr,
        [&](lua_State* L) {
            lua::push_proposal(L, d, proposal);
            return 1;
        },
        [&](lua_State* L, int count) {
            if (count < 1 || lua_isnil(L, -count)) return;  // no answer yet: it stays pending
            problem = lua::read_answer(L, -count, d, ctx.country(), proposal, answer);
            answered = problem.empty();
        });
    if (!ran) return;
    if (!problem.empty()) {
        report_error(ctx, fmt::format("error in policy '{}' in on_proposal(){}: proposal {}: {} (the proposal stays "
                                      "unanswered)",
                                      base_name(path_), defined_at("on_proposal"), proposal.id, problem));
        return;
    }
    if (answered) ctx.issue(answer);  // a refused answer is logged as a refused command
}

nlohmann::json LuaPolicy::stats() const {
    const lua::Usage& u = runtime_->usage();
    return {{"policy", path_},
            {"calls", u.calls},
            {"instructions", u.instructions},
            {"seconds", u.seconds},
            {"errors", errors_},
            {"commands", commands_},
            {"peak_kib", static_cast<double>(u.peak_bytes) / 1024.0},
            {"fell_back", fallen_back_}};
}

std::unique_ptr<Policy> scenario_policy(const Definitions& d, CountryId country, const LuaPolicyOptions& options) {
    const std::string& p = d.countries[country].policy;
    if (p.empty() || p == "autopilot") return std::make_unique<AutopilotPolicy>();
    return std::make_unique<LuaPolicy>(d, country, p, options);
}

std::map<std::string, std::string> policy_files(const Game& game) {
    // Absolute, so that a batch or tournament resumed from another working directory finds them.
    const auto absolute = [](const std::string& path) {
        std::error_code ec;
        const std::filesystem::path p = std::filesystem::absolute(path, ec);
        return ec ? path : p.lexically_normal().generic_string();
    };
    std::map<std::string, std::string> files;
    for (CountryId c : game.defs().country_ids())
        if (const auto* p = dynamic_cast<const LuaPolicy*>(game.policy(c))) {
            files[absolute(p->path())] = sha256_hex(p->text());
            for (const auto& [path, sha] : p->runtime().modules()) files[absolute(path)] = sha;
        }
    return files;
}

std::optional<std::string> policy_files_changed(const std::map<std::string, std::string>& files) {
    for (const auto& [path, sha] : files) {
        std::ifstream in(path, std::ios::binary);
        if (!in) return path;
        const std::string text(std::istreambuf_iterator<char>(in), {});
        if (sha256_hex(text) != sha) return path;
    }
    return std::nullopt;
}

void install_lua_policies(Game& game, const LuaPolicyOptions& options) {
    const Definitions& d = game.defs();
    for (CountryId c : d.country_ids()) {
        const std::string& p = d.countries[c].policy;
        if (p.empty() || p == "autopilot") continue;
        game.set_policy(c, std::make_unique<LuaPolicy>(d, c, p, options));
    }
}

std::string policy_message_line(const std::string& message) {
    std::string line = message.substr(0, message.find('\n'));
    if (line.rfind("error in policy '", 0) == 0)
        if (const auto close = line.find("' ", 17); close != std::string::npos) line.erase(0, close + 2);
    if (line.rfind("at load: ", 0) == 0) line.erase(0, 9);
    return line;
}

}  // namespace chokepoint
