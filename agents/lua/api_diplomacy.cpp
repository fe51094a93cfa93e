// ctx diplomacy: proposals, answers, agreements, withdrawal, trust, and the
// forecast helper. Clause tables use the API's units (t, USD/kg, USD millions);
// "me" and "them" may stand for the parties. Malformed proposals answer nil and
// a message naming the clause and field; they never raise. docs/lua-api.md §Negotiation.
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <vector>

#include "agents/lua/api.hpp"
#include "agents/lua/convert.hpp"
#include "engine/commands/dispatch.hpp"
#include "engine/diplomacy/clauses.hpp"
#include "engine/diplomacy/negotiation.hpp"
#include "engine/world/names.hpp"

namespace chokepoint::lua {

namespace {

constexpr double kPerKg = 1000.0;  // USD/kg in Lua, USD/t in the engine
constexpr double kMillion = 1e6;   // USD millions in Lua

using Dip = Call;


int refuse(lua_State* L, const std::string& why) { return push_result(L, CommandResult::refuse(why)); }

// ---- Clause tables ------------------------------------------------------------------------

const std::vector<std::string>& clause_fields() {
    static const std::vector<std::string> f = {"type",  "from",       "to",     "good",          "tonnes",
                                               "price", "usd",        "per_turn", "share",       "capex_share",
                                               "regime", "rate",      "civilian_only", "max_delay", "turns",
                                               "delivered", "arrears"};
    return f;
}

// The first field of the table at idx that a clause does not have, in sorted order (traversal
// order is not meaningful), as a message; or a message for numbered fields; or "".
std::string unknown_clause_field(lua_State* L, int idx) {
    std::vector<std::string> unknown;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            return "its fields are named (type=, good=, tonnes= ...), not numbered";
        }
        std::string key = *to_string_exact(L, -1);
        const auto& known = clause_fields();
        if (std::find(known.begin(), known.end(), key) == known.end()) unknown.push_back(key);
    }
    if (unknown.empty()) return "";
    std::sort(unknown.begin(), unknown.end());
    return fmt::format(
        "unknown field '{}' (fields: type, from, to, good, tonnes, price, usd, per_turn, share, "
        "capex_share, regime, rate, civilian_only, max_delay, turns)",
        unknown.front());
}

// Reads the fields of one clause table. Each read leaves the first problem in `why` (and the
// stack as it found it); a field that is absent leaves its value as it is.
class ClauseFields {
public:
    ClauseFields(lua_State* L, int idx) : L_(L), idx_(idx) {}
    std::string why;

    // A string field; true when present and a string.
    bool text(const char* key, std::string& out) {
        const int i = field(key);
        const bool present = !lua_isnil(L_, i);
        if (present) {
            if (lua_type(L_, i) != LUA_TSTRING)
                fail(fmt::format("{} must be a string", key));
            else
                out = *to_string_exact(L_, i);  // with its length: a NUL byte stays in
        }
        lua_pop(L_, 1);
        return present && why.empty();
    }
    // A finite number, times `scale` (the API's units to the engine's).
    void number(const char* key, double& out, double scale) {
        const int i = field(key);
        if (!lua_isnil(L_, i)) {
            lua_Number v = 0;
            if (lua_type(L_, i) != LUA_TNUMBER)
                fail(fmt::format("{} must be a number", key));
            else if (!number_problem(L_, i, false, v).empty())
                fail(fmt::format("{} must be a finite number", key));
            else
                out = v * scale;
        }
        lua_pop(L_, 1);
    }
    void boolean(const char* key, bool& out) {
        const int i = field(key);
        if (!lua_isnil(L_, i)) {
            if (!lua_isboolean(L_, i))
                fail(fmt::format("{} must be true or false", key));
            else
                out = lua_toboolean(L_, i) != 0;
        }
        lua_pop(L_, 1);
    }
    // A whole number that fits an int, checked before the cast (the engine judges the range).
    void whole(const char* key, int& out) {
        const int i = field(key);
        lua_Integer v = 0;
        if (!lua_isnil(L_, i)) {
            if (auto problem = integer_problem(L_, i, INT_MIN, INT_MAX, v); !problem.empty())
                fail(fmt::format("{}: {}", key, problem));
            else
                out = static_cast<int>(v);
        }
        lua_pop(L_, 1);
    }
    // A party: a country id, "me" or "them"; `fallback` when absent.
    void party(const char* key, const Definitions& d, CountryId me, CountryId them, CountryId fallback,
               CountryId& out) {
        std::string id;
        if (!text(key, id)) {
            if (why.empty()) out = fallback;
            return;
        }
        if (id == "me")
            out = me;
        else if (id == "them")
            out = them;
        else if (int x = d.country_index(id); x >= 0)
            out = CountryId{x};
        else
            fail(fmt::format("{}: unknown country '{}' (or \"me\", \"them\")", key, id));
    }

private:
    int field(const char* key) {
        lua_getfield(L_, idx_, key);
        return lua_gettop(L_);
    }
    void fail(std::string message) {
        if (why.empty()) why = std::move(message);
    }
    lua_State* L_;
    int idx_;
};

// The clause's good: an id; a tariff clause may say "all" or leave it out (every good).
std::string read_clause_good(ClauseFields& f, const Definitions& d, Clause& c) {
    std::string good;
    if (f.text("good", good)) {
        if (good == "all" && c.kind == ClauseKind::TariffChange)
            c.good = std::nullopt;
        else if (int g = d.good_index(good); g >= 0)
            c.good = GoodId{g};
        else
            return fmt::format("unknown good '{}'", good);
    } else if (c.kind == ClauseKind::TariffChange) {
        c.good = std::nullopt;
    }
    return f.why;
}

std::string read_clause_regime(ClauseFields& f, Clause& c) {
    std::string regime;
    if (f.text("regime", regime)) {
        auto r = regime_from_string(regime);
        if (!r) return fmt::format("regime must be \"open\", \"licensed\" or \"embargo\", got \"{}\"", regime);
        c.regime = *r;
    } else if (c.kind == ClauseKind::RegimeChange && f.why.empty()) {
        return "a regime clause needs regime= (\"open\" or \"licensed\")";
    }
    return f.why;
}

// Reads the clause table at `idx`. `them` is the other party (kThem when several recipients).
// Returns "" or what is wrong (without the clause number).
std::string read_clause(lua_State* L, int idx, const Definitions& d, CountryId me, CountryId them, Clause& c) {
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx)) return fmt::format("must be a table, got a {}", luaL_typename(L, idx));
    if (auto why = unknown_clause_field(L, idx); !why.empty()) return why;
    ClauseFields f(L, idx);
    std::string type;
    if (!f.text("type", type))
        return f.why.empty()
                   ? "needs a type (supply, license, regime, investment, stockpile_loan, payment, tariff, end_use)"
                   : f.why;
    const int kind = clause_kind_from_string(type);
    if (kind < 0)
        return fmt::format(
            "unknown type '{}' (types: supply, license, regime, investment, stockpile_loan, payment, "
            "tariff, end_use)",
            type);
    c = Clause{};
    c.kind = static_cast<ClauseKind>(kind);
    f.party("from", d, me, them, me, c.from);
    if (!f.why.empty()) return f.why;
    f.party("to", d, me, them, c.from == me ? them : me, c.to);
    if (!f.why.empty()) return f.why;
    if (auto why = read_clause_good(f, d, c); !why.empty()) return why;
    f.number("tonnes", c.tonnes, 1.0);
    f.number("price", c.price, kPerKg);
    f.number("usd", c.usd, kMillion);
    f.number("share", c.share, 1.0);
    f.number("capex_share", c.capex_share, 1.0);
    f.number("rate", c.rate, 1.0);
    if (!f.why.empty()) return f.why;
    f.whole("max_delay", c.max_delay);
    if (!f.why.empty()) return f.why;
    f.whole("turns", c.turns);
    if (!f.why.empty()) return f.why;
    f.boolean("per_turn", c.per_turn);
    f.boolean("civilian_only", c.civilian_only);
    return read_clause_regime(f, c);
}

// A sequence of clause tables at idx.
std::string read_clauses(lua_State* L, int idx, const Definitions& d, CountryId me, CountryId them,
                         std::vector<Clause>& out) {
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx)) return fmt::format("clauses must be a list of clause tables, got a {}", luaL_typename(L, idx));
    const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, idx));
    if (n == 0) return "clauses must be a non-empty list of clause tables";
    if (n > 12) return "a proposal holds at most 12 clauses";
    out.clear();
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, idx, i);
        Clause c;
        std::string why = read_clause(L, -1, d, me, them, c);
        lua_pop(L, 1);
        if (!why.empty()) return fmt::format("clause {}: {}", i, why);
        out.push_back(c);
    }
    return "";
}

void push_clause(lua_State* L, const Definitions& d, const Clause& c, const ClauseProgress* p) {
    lua_createtable(L, 0, 10);
    set_string(L, "type", to_string(c.kind));
    set_string(L, "from", cid(d, c.from));
    set_string(L, "to", cid(d, c.to));
    set_string(L, "good", c.good ? d.goods[*c.good].id : std::string("all"));
    if (c.turns > 0) set_integer(L, "turns", c.turns);
    switch (c.kind) {
        case ClauseKind::Supply:
            set_number(L, "tonnes", c.tonnes);
            set_number(L, "price", c.price / kPerKg);
            break;
        case ClauseKind::LicenseFacilitation:
            set_number(L, "tonnes", c.tonnes);
            set_bool(L, "civilian_only", c.civilian_only);
            set_integer(L, "max_delay", c.max_delay);
            break;
        case ClauseKind::RegimeChange: set_string(L, "regime", to_string(c.regime)); break;
        case ClauseKind::Investment:
            set_number(L, "tonnes", c.tonnes);
            set_number(L, "share", c.share);
            set_number(L, "capex_share", c.capex_share);
            break;
        case ClauseKind::StockpileLoan: set_number(L, "tonnes", c.tonnes); break;
        case ClauseKind::Payment:
            set_number(L, "usd", c.usd / kMillion);
            set_bool(L, "per_turn", c.per_turn);
            break;
        case ClauseKind::TariffChange: set_number(L, "rate", c.rate); break;
        default: break;
    }
    if (p) {
        set_number(L, "delivered", c.kind == ClauseKind::Payment ? p->delivered / kMillion : p->delivered);
        if (c.kind == ClauseKind::Supply) set_number(L, "arrears", p->arrears);
        set_integer(L, "last_turn", p->last_turn);
    }
}

void push_agreement(lua_State* L, const Definitions& d, const Agreement& a) {
    lua_createtable(L, 0, 12);
    set_integer(L, "id", a.id);
    set_integer(L, "proposal", a.proposal_id);
    set_string(L, "proposer", cid(d, a.proposer));
    set_string(L, "acceptor", cid(d, a.acceptor));
    lua_createtable(L, static_cast<int>(a.clauses.size()), 0);
    for (size_t i = 0; i < a.clauses.size(); ++i) {
        push_clause(L, d, a.clauses[i], &a.progress[i]);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
    lua_setfield(L, -2, "clauses");
    set_integer(L, "start_turn", a.start_turn);
    set_integer(L, "end_turn", a.end_turn);
    set_string(L, "status", to_string(a.status));
    set_integer(L, "breaches", a.breaches);
    if (a.ended_by != kNoCountry) set_string(L, "ended_by", cid(d, a.ended_by));
    if (a.withdraw_turn >= 0) set_integer(L, "withdraw_turn", a.withdraw_turn);
    if (!a.end_reason.empty()) set_string(L, "end_reason", a.end_reason);
    set_string(L, "note", a.note);
}

// opts.turns / opts.note of an optional options table at idx, whose keys must be among `known`
// (a misspelt option is refused, not ignored).
std::string read_opts(lua_State* L, int idx, int& turns, std::string& note,
                      std::initializer_list<std::string_view> known) {
    if (lua_isnoneornil(L, idx)) return "";
    if (!lua_istable(L, idx)) return fmt::format("options must be a table, got a {}", luaL_typename(L, idx));
    if (auto problem = unknown_option_problem(L, idx, known); !problem.empty()) return problem;
    lua_getfield(L, idx, "turns");
    if (!lua_isnil(L, -1)) {
        lua_Integer v = 0;
        if (auto problem = integer_problem(L, -1, INT_MIN, INT_MAX, v); !problem.empty()) {
            lua_pop(L, 1);
            return "turns: " + problem;
        }
        turns = static_cast<int>(v);  // fits
    }
    lua_pop(L, 1);
    lua_getfield(L, idx, "note");
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            return "note must be a string";
        }
        note = utf8_text(*to_string_exact(L, -1));  // game text is UTF-8 (event_log.hpp)
    }
    lua_pop(L, 1);
    return "";
}

// The ids the Propose just queued (the last command of the queue) will take when the queue is
// applied: a dry run of the queue on a copy of the observation, which is the state the queue is
// applied to (commands are applied in queue order and ids come from State::next_id). Empty, with
// `why`, when the re-check at that point would refuse it.
std::vector<int> ids_when_sent(const PolicyContext& ctx, std::string& why) {
    State scratch = ctx.state();
    EventList log;
    const auto& queue = ctx.queue();
    for (size_t i = 0; i + 1 < queue.size(); ++i)
        (void)apply_command(ctx.defs(), scratch, queue[i].country, queue[i].command, log);
    const int first = scratch.next_id;
    const CommandResult r = apply_command(ctx.defs(), scratch, queue.back().country, queue.back().command, log);
    std::vector<int> ids;
    if (!r.ok) {
        why = r.message;
        return ids;
    }
    for (int id = first; id < scratch.next_id; ++id) ids.push_back(id);
    return ids;
}

// -- propose(to | {to, ...}, clauses [, {turns=, note=}]) -> id | {id, ...} | nil, msg
int l_propose(lua_State* L) {
    Dip x(L, "propose");
    Propose cmd;
    if (lua_istable(L, 2)) {
        const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 2));
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, 2, i);
            const std::optional<std::string> id = to_string_exact(L, -1);
            const int c = id ? x.d.country_index(*id) : -1;
            lua_pop(L, 1);
            if (c < 0) return refuse(L, fmt::format("recipient {}: unknown country '{}'", i, id ? *id : "?"));
            cmd.to.push_back(CountryId{c});
        }
    } else {
        std::string why;
        const std::optional<CountryId> c = find_country(L, 2, x.d, why);
        if (!c) return refuse(L, why);
        cmd.to.push_back(*c);
    }
    if (cmd.to.empty()) return refuse(L, "a proposal needs a recipient");
    CountryId them = cmd.to.size() == 1 ? cmd.to.front() : kThem;
    if (auto why = read_clauses(L, 3, x.d, x.me, them, cmd.clauses); !why.empty()) return refuse(L, why);
    if (auto why = read_opts(L, 4, cmd.turns, cmd.note, {"turns", "note"}); !why.empty()) return refuse(L, why);
    // The proposal is numbered when it is sent (end of the round or of the policy phase):
    // ctx:proposals() lists it from then on, and answers arrive as events naming it. The id it
    // will have is known now (ids_when_sent), so it is returned; a list of recipients gets a list.
    const CommandResult r = x.b.ctx->issue(cmd);
    if (!r.ok) return push_result(L, r);
    std::string why;
    const std::vector<int> ids = ids_when_sent(*x.b.ctx, why);
    if (ids.empty())
        return refuse(L, fmt::format("it is queued, but would be refused when sent: {} (a command_refused event "
                                     "will say so)", why));
    if (lua_istable(L, 2))
        push(L, ids);
    else
        push(L, ids.front());
    return 1;
}

AnswerKind check_answer(lua_State* L, int arg, std::string& why) {
    const std::optional<std::string> w = to_string_exact(L, arg);
    std::string word = w ? *w : "";
    if (word == "accept") return AnswerKind::Accept;
    if (word == "reject") return AnswerKind::Reject;
    if (word == "counter") return AnswerKind::Counter;
    why = fmt::format("answer must be \"accept\", \"reject\" or \"counter\", got {}", w ? fmt::format("\"{}\"", *w) : luaL_typename(L, arg));
    return AnswerKind::Reject;
}

}  // namespace

std::string read_answer(lua_State* L, int idx, const Definitions& d, CountryId me, const Proposal& p, Respond& out) {
    idx = lua_absindex(L, idx);
    out = Respond{};
    out.proposal_id = p.id;
    std::string why;
    if (lua_type(L, idx) == LUA_TSTRING) {
        out.answer = check_answer(L, idx, why);
        if (why.empty() && out.answer == AnswerKind::Counter) why = "a counter needs its terms: return {answer = \"counter\", clauses = {...}}";
        return why;
    }
    if (!lua_istable(L, idx))
        return fmt::format("on_proposal must return \"accept\", \"reject\", a table {{answer=, clauses=, turns=, note=}} or nothing; got a {}",
                           luaL_typename(L, idx));
    lua_getfield(L, idx, "answer");
    out.answer = lua_isnil(L, -1) ? AnswerKind::Counter : check_answer(L, lua_gettop(L), why);
    lua_pop(L, 1);
    if (!why.empty()) return why;
    why = read_opts(L, idx, out.turns, out.note, {"answer", "clauses", "turns", "note"});
    if (!why.empty()) return why;
    if (out.answer == AnswerKind::Counter) {
        lua_getfield(L, idx, "clauses");
        why = read_clauses(L, -1, d, me, p.from, out.clauses);
        lua_pop(L, 1);
    }
    return why;
}

void push_proposal(lua_State* L, const Definitions& d, const Proposal& p) {
    lua_createtable(L, 0, 12);
    set_integer(L, "id", p.id);
    set_string(L, "from", cid(d, p.from));
    set_string(L, "to", cid(d, p.to));
    lua_createtable(L, static_cast<int>(p.clauses.size()), 0);
    for (size_t i = 0; i < p.clauses.size(); ++i) {
        push_clause(L, d, p.clauses[i], nullptr);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
    lua_setfield(L, -2, "clauses");
    set_integer(L, "turns", p.turns);
    set_string(L, "note", p.note);
    set_integer(L, "counter_to", p.counter_to);
    set_integer(L, "sent_turn", p.sent_turn);
    set_integer(L, "deadline", p.deadline_turn);
    set_string(L, "status", to_string(p.status));
    if (!p.reason.empty()) set_string(L, "reason", p.reason);
    if (p.agreement_id) set_integer(L, "agreement", p.agreement_id);
}

namespace {

// -- respond(id, "accept" | "reject" | "counter" [, {clauses=, turns=, note=}]) -> true | nil, msg
int l_respond(lua_State* L) {
    Dip x(L, "respond");
    lua_Integer id = 0;
    if (auto problem = integer_problem(L, 2, 0, INT_MAX, id); !problem.empty())
        return refuse(L, "respond(id, answer [, opts]): id must be a proposal id: " + problem);
    const Proposal* p = find_proposal(x.s, static_cast<int>(id));  // fits: 2^32 + 5 never reaches 5
    if (!p) return refuse(L, fmt::format("no proposal {}", id));
    Respond cmd;
    cmd.proposal_id = p->id;
    std::string why;
    cmd.answer = check_answer(L, 3, why);
    if (!why.empty()) return refuse(L, why);
    if (auto w = read_opts(L, 4, cmd.turns, cmd.note, {"clauses", "turns", "note"}); !w.empty()) return refuse(L, w);
    if (cmd.answer == AnswerKind::Counter) {
        if (!lua_istable(L, 4)) return refuse(L, "a counter needs its terms: respond(id, \"counter\", {clauses = {...}})");
        lua_getfield(L, 4, "clauses");
        why = read_clauses(L, -1, x.d, x.me, p->from, cmd.clauses);
        lua_pop(L, 1);
        if (!why.empty()) return refuse(L, why);
    }
    return push_result(L, x.b.ctx->issue(cmd));
}

// A listing's options (proposals, agreements) at argument 2: absent, or a table whose `status` is
// absent, `current` or "any" (true: any). Anything else raises an argument error naming the field,
// as every other binding does for a wrong argument.
bool list_status_any(lua_State* L, const char* current, std::initializer_list<std::string_view> known) {
    if (is_absent(L, 2)) return false;
    check_table(L, 2, "options");
    check_option_keys(L, 2, known);
    lua_getfield(L, 2, "status");
    bool any = false;
    if (!lua_isnil(L, -1)) {
        const std::optional<std::string> status = to_string_exact(L, -1);
        any = status == std::optional<std::string>("any");
        if (!any && status != std::optional<std::string>(current))
            argument_error(L, 2, "status", lua_pushfstring(L, "'%s' or 'any' expected", current));
    }
    lua_pop(L, 1);
    return any;
}

// -- proposals([{status = "pending" | "any"}]) -> {proposal, ...}: those to and from this country
int l_proposals(lua_State* L) {
    Dip x(L, "proposals");
    const bool any = list_status_any(L, "pending", {"status"});
    lua_newtable(L);
    lua_Integer n = 0;
    for (const auto& p : x.s.proposals)
        if ((p.from == x.me || p.to == x.me) && (any || p.status == ProposalStatus::Pending)) {
            push_proposal(L, x.d, p);
            lua_rawseti(L, -2, ++n);
        }
    return 1;
}

// -- agreements([{status = "active" | "any", mine = true}]) -> {agreement, ...}
int l_agreements(lua_State* L) {
    Dip x(L, "agreements");
    const bool any = list_status_any(L, "active", {"status", "mine"});
    bool mine = false;
    if (!is_absent(L, 2)) {
        lua_getfield(L, 2, "mine");
        if (!lua_isnil(L, -1)) {
            if (lua_type(L, -1) != LUA_TBOOLEAN) argument_error(L, 2, "mine", "true or false expected");
            mine = lua_toboolean(L, -1) != 0;
        }
        lua_pop(L, 1);
    }
    lua_newtable(L);
    lua_Integer n = 0;
    for (const auto& a : x.s.agreements)
        if ((any || a.status == AgreementStatus::Active) && (!mine || a.involves(x.me))) {
            push_agreement(L, x.d, a);
            lua_rawseti(L, -2, ++n);
        }
    return 1;
}

// -- withdraw(agreement_id [, note]) -> true | nil, msg
int l_withdraw(lua_State* L) {
    Dip x(L, "withdraw");
    lua_Integer id = 0;
    if (auto problem = integer_problem(L, 2, 0, INT_MAX, id); !problem.empty())
        return refuse(L, "withdraw(id [, note]): id must be an agreement id: " + problem);
    Withdraw cmd;
    cmd.agreement_id = static_cast<int>(id);  // fits
    if (!lua_isnoneornil(L, 3)) {
        if (lua_type(L, 3) != LUA_TSTRING) return refuse(L, "the note must be a string");
        cmd.note = utf8_text(*to_string_exact(L, 3));  // game text is UTF-8 (event_log.hpp)
    }
    return push_result(L, x.b.ctx->issue(cmd));
}

// -- forecast(proposal_id) | forecast(to, clauses [, {turns=, horizon=}]) -> {gain, economy, security,
//    money, unmet, price_change, feasible, reason, breach, breach_reason, turns} | nil, msg
int l_forecast(lua_State* L) {
    Dip x(L, "forecast");
    Proposal p;
    int horizon = 0;
    if (lua_type(L, 2) == LUA_TNUMBER) {
        lua_Integer id = 0;
        if (auto problem = integer_problem(L, 2, 0, INT_MAX, id); !problem.empty())
            return refuse(L, "forecast(proposal_id): the id must be a proposal id: " + problem);
        const Proposal* q = find_proposal(x.s, static_cast<int>(id));  // fits
        if (!q) return refuse(L, fmt::format("no proposal {}", id));
        p = *q;
    } else {
        std::string why;
        const std::optional<CountryId> found = find_country(L, 2, x.d, why);
        if (!found) return refuse(L, why);
        const CountryId to = *found;
        if (to == x.me) return refuse(L, "a forecast is of a proposal to another country");
        p.from = x.me;
        p.to = to;
        if (auto w = read_clauses(L, 3, x.d, x.me, to, p.clauses); !w.empty()) return refuse(L, w);
        std::string unused;
        if (auto w = read_opts(L, 4, p.turns, unused, {"turns", "horizon"}); !w.empty()) return refuse(L, w);
        if (lua_istable(L, 4)) {
            lua_getfield(L, 4, "horizon");
            lua_Integer h = 0;
            if (!lua_isnil(L, -1)) {
                if (auto problem = integer_problem(L, -1, 0, 12, h); !problem.empty()) {  // as the forecast's cap
                    lua_pop(L, 1);
                    return refuse(L, "horizon: " + problem);
                }
                horizon = static_cast<int>(h);
            }
            lua_pop(L, 1);
        }
    }
    Forecast f;
    if (auto r = x.b.ctx->forecast(p, horizon, f); !r.ok) return push_result(L, r);
    lua_createtable(L, 0, 11);
    set_bool(L, "feasible", f.feasible);
    if (!f.feasible) set_string(L, "reason", f.reason);
    if (f.breach_by != kNoCountry) {
        set_string(L, "breach", x.d.countries[f.breach_by].id);
        set_string(L, "breach_reason", f.breach_reason);
    }
    set_number(L, "gain", f.gain);
    set_number(L, "economy", f.economy);
    set_number(L, "security", f.security);
    set_number(L, "money", f.money / kMillion);
    set_number(L, "unmet", f.unmet);
    set_number(L, "price_change", f.price_change);
    set_integer(L, "turns", f.turns);
    return 1;
}

// -- reputation([country]) -> 0..1, the mean trust the other countries place in it
int l_reputation(lua_State* L) {
    Dip x(L, "reputation");
    const CountryId c = lua_isnoneornil(L, 2) ? x.me : check_country(L, 2, x.d);
    double sum = 0.0;
    int n = 0;
    for (CountryId o : x.d.country_ids())
        if (o != c) {
            sum += x.s.countries[o].trust[c];
            ++n;
        }
    push(L, n ? sum / n : 1.0);
    return 1;
}

// -- negotiation() -> {binding, rounds, round, max_proposals_per_turn, proposals_left, forecasts_left,
//    deadline_turns, max_duration_turns, notice_turns}
int l_negotiation(lua_State* L) {
    Dip x(L, "negotiation");
    const NegotiationParams& n = x.d.negotiation;
    lua_createtable(L, 0, 10);
    set_bool(L, "enabled", n.enabled);
    set_bool(L, "binding", n.binding);
    set_integer(L, "rounds", n.rounds);
    set_integer(L, "round", x.s.negotiation_round);
    set_integer(L, "max_proposals_per_turn", n.max_proposals_per_turn);
    set_integer(L, "proposals_left", std::max(0, x.b.ctx->proposals_left()));  // counts this call's proposals too
    set_integer(L, "forecasts_left", x.b.ctx->forecasts_left());
    set_integer(L, "deadline_turns", n.deadline_turns);
    set_integer(L, "max_duration_turns", n.max_duration_turns);
    set_integer(L, "notice_turns", n.notice_turns);
    return 1;
}

}  // namespace

std::vector<ApiFunction> diplomacy_api() {
    return {{"propose", l_propose},         {"respond", l_respond},       {"proposals", l_proposals},
            {"agreements", l_agreements},   {"withdraw", l_withdraw},     {"forecast", l_forecast},
            {"reputation", l_reputation},   {"negotiation", l_negotiation}};
}

}  // namespace chokepoint::lua
