#include "app/check_policy.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "agents/lua/lua_policy.hpp"
#include "app/reload_at.hpp"
#include "engine/scenario/loader.hpp"
#include "engine/game/game.hpp"
#include "engine/world/files.hpp"

namespace chokepoint::app {

namespace {
// Event types that record a command's effect or a policy's own voice.
bool is_policy_output(const std::string& type) {
    static const char* const kTypes[] = {"regime_change", "export_duty", "license_decision", "license_revoked",
                                         "quota_change", "stockpile_order", "investment", "subsidy", "price_floor",
                                         "defense_priority", "tariff_change", "command_refused", "policy_log", "policy_error",
                                         "policy_fallback", "policy_reloaded", "policy_output_suppressed"};
    for (const char* t : kTypes)
        if (type == t) return true;
    return false;
}
// Events that are not an effect of the policy's commands: its own voice, its failures, and what the
// country's firms do on their own (a private investment, `"private": true`) — the third modder
// review: "Effects of its commands" counted those.
bool is_command_effect(const GameEvent& e) {
    static const char* const kNotCommands[] = {"policy_log", "policy_error", "policy_fallback", "policy_reloaded",
                                               "policy_output_suppressed"};
    for (const char* t : kNotCommands)
        if (e.type == t) return false;
    return !(e.type == "investment" && e.data.value("private", false));
}
// Text a policy wrote (its logs, its error messages) as a terminal shows it safely: control
// characters, escape sequences among them, are printed as \xNN instead of being obeyed (the second
// hostile review: a policy could move the cursor or recolour the terminal through `check`).
std::string printable(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            out += fmt::format("\\x{:02x}", c);
        else
            out += ch;
    }
    return out;
}
// Diplomacy the policy takes part in, on either side: what it proposed, answered and agreed.
bool is_diplomacy(const std::string& type) {
    static const char* const kTypes[] = {"proposal",  "counter_proposal",     "proposal_rejected",   "proposal_expired",
                                         "agreement", "agreement_withdrawal", "agreement_breach",    "agreement_ended"};
    for (const char* t : kTypes)
        if (type == t) return true;
    return false;
}
}  // namespace

int check_policy(const CheckPolicyArgs& a) {
    namespace fs = std::filesystem;
    std::string error;
    if (!read_text_file(a.policy, kMaxPolicyBytes, error)) {
        fmt::print(stderr, "{}: cannot read policy file: {}\n", a.policy, error.substr(error.find(": ") + 2));
        return 3;
    }
    Scenario sc = load_scenario(a.scenario);
    const Definitions& d = *sc.defs;
    CountryId me = kNoCountry;
    if (!a.as.empty()) {
        me = d.country_id(a.as);
        if (me == kNoCountry) {
            std::string ids;
            for (const auto& c : d.countries) ids += (ids.empty() ? "" : ", ") + c.id;
            fmt::print(stderr, "--as {}: no such country in {} (countries: {})\n", a.as, a.scenario, ids);
            return 2;
        }
    } else {
        std::error_code ec;  // a country on the autopilot names no file: not equivalent, no throw
        for (CountryId c : d.country_ids())
            if (fs::equivalent(d.countries[c].policy, a.policy, ec) ||
                fs::path(d.countries[c].policy).filename() == fs::path(a.policy).filename()) {
                me = c;
                break;
            }
        if (me == kNoCountry) me = CountryId{0};
    }
    const std::string who = d.countries[me].id;
    GameOptions options;
    parse_leverage_schedule(a.leverage, options);  // validated by the parser
    options.threads = 1;
    Game game(std::move(sc), options);
    install_lua_policies(game);
    auto policy = std::make_unique<LuaPolicy>(game.defs(), me, a.policy);
    const LuaPolicy& lua = *policy;
    const bool loaded = policy->load_error().empty();
    fmt::print("{}: {}\n", a.policy, loaded ? "loads" : "does not load");
    if (!policy->params_note().empty()) fmt::print("  Note: {}\n", printable(policy->params_note()));
    if (!loaded) {
        fmt::print("  {}\n", printable(policy->load_error()));
        return 3;
    }
    game.set_policy(me, std::move(policy));
    if (auto bad = schedule_reloads(game, a.reload_at, me)) {
        fmt::print(stderr, "{}\n", *bad);
        return 2;
    }
    game.set_turn_limit(a.turns);
    fmt::print("Playing {} turn(s) of {} as {} (leverage {})...\n", a.turns, game.defs().scenario_name, who, a.leverage);
    int errors = 0;  // policy_error events, as run's Policies table counts them
    bool fell_back = false;
    std::map<std::string, int> commands, diplomacy;
    while (!game.finished()) {
        const TurnRecord& r = game.step();
        for (const auto& e : r.events) {
            if (is_diplomacy(e.type) && (e.country == me || e.target == me)) {
                ++diplomacy[e.type];
                fmt::print("  T{} {} {}: {}\n", r.turn + 1, r.date, e.type, printable(e.text));
                continue;
            }
            if (e.country != me || !is_policy_output(e.type)) continue;
            if (e.type == "policy_error") ++errors;
            if (e.type == "policy_fallback") fell_back = true;
            if (is_command_effect(e)) ++commands[e.type];
            fmt::print("  T{} {} {}: {}\n", r.turn + 1, r.date, e.type, printable(e.text));
        }
    }
    const auto& u = lua.runtime().usage();
    const auto& lim = lua.runtime().limits();
    fmt::print("\nBudget use: {} calls, {} instructions in all ({} per call on average; the budget is {} per call),\n"
               "            {:.1f} ms in all, peak memory {:.0f} KiB of {:.0f} KiB\n",
               u.calls, u.instructions, u.calls ? u.instructions / u.calls : 0, lim.instructions_per_call,
               u.seconds * 1e3, static_cast<double>(u.peak_bytes) / 1024.0,
               static_cast<double>(lim.memory_bytes) / 1024.0);
    fmt::print("Effects of its commands:");
    if (commands.empty()) fmt::print(" none");
    for (const auto& [type, n] : commands) fmt::print(" {} ×{}", type, n);
    fmt::print("\nDiplomacy it took part in:");
    if (diplomacy.empty()) fmt::print(" none");
    for (const auto& [type, n] : diplomacy) fmt::print(" {} ×{}", type, n);
    if (const TurnRecord* last = game.history().empty() ? nullptr : &game.history().back();
        last && !last->leverage.index_combined.empty())
        fmt::print("\nLeverage at the end: {} combined index {:.3f}", who, last->leverage.index_combined[me]);
    if (errors == 0 && !fell_back)
        fmt::print("\nNo errors.\n");
    else
        fmt::print("\n{} error(s){}: see above.\n", errors, fell_back ? ", and it fell back to the autopilot" : "");
    return errors == 0 && !fell_back ? 0 : 3;
}

}  // namespace chokepoint::app
