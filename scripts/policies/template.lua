-- template.lua: start here. A policy that does exactly what the built-in autopilot does,
-- with every callback spelled out, so that you can change one thing at a time.
--
-- Copy it (cp scripts/policies/template.lua scripts/policies/mine.lua), point a country at it
-- in a scenario (countries.<id>.policy: scripts/policies/mine.lua) or smoke-test it with
--   ./build/chokepoint check scripts/policies/mine.lua --as japan --turns 8
-- The API is in docs/lua-api.md, a tutorial in docs/modding.md; scripts/types/chokepoint.lua
-- gives your editor completion (LuaLS reads .luarc.json at the repository root).
--
-- A policy file returns a table of callbacks. Every callback receives `ctx`, valid only during
-- that call: read the world with ctx:price(), ctx:stockpile(), ...; act with commands such as
-- ctx:stockpile_buy(), which answer true or nil plus a message. If a callback raises an error,
-- the commands it issued are dropped and the error (file:line, traceback) is shown; after three
-- failures in a row the autopilot takes over until the file is fixed and reloads.

-- Shared helpers live in scripts/lib/; uncomment to use util.clamp, util.keep_stockpile,
-- util.invest_once, util.log_once, ... require("lib.util") looks for lib/util.lua first in this
-- policy's own scripts folder (the folder holding this file, or its parent if that folder is
-- called policies/), then in the shipped scripts/ - so a copy kept anywhere (/tmp/x/mine.lua)
-- still finds the shipped helpers, and a lib/util.lua of your own beside it wins. Only .lua files
-- under those two folders: no absolute paths, no "..".
-- local util = require("lib.util")

---@type Policy
local policy = {}

-- Declared parameters: the scenario's policy_params for this country are checked against
-- them at load (an unknown or misspelt key, a wrong type or a value out of range is refused
-- with the scenario's file:line:column), and defaults fill missing keys. Types: number,
-- integer, boolean, string, country, good, sector, list, map; see docs/lua-api.md.
policy.params = {
  verbose = { type = "boolean", default = false, doc = "log a line at the start" },
}

-- init(ctx): once, before the country's first turn. A good place to read the scenario's
-- starting position into ctx.memory - the table that persists across turns, hot reloads and
-- saved games (plain data only: numbers, strings, booleans, tables of them).
-- ctx.params holds this country's `policy_params` from the scenario YAML (read-only), with the
-- defaults declared above filled in. ctx.memory may be mutated (ctx.memory.x = 1) or replaced
-- whole (ctx.memory = {x = 1}): what it refers to when the callback returns is kept.
function policy.init(ctx)
  ctx.memory.started_turn = ctx.memory.started_turn or ctx.turn
  -- The declared tunable: `policy_params: {verbose: true}` turns the log on.
  if ctx.params.verbose then
    ctx:log("template policy starts at " .. ctx.date .. " for " .. ctx.country)
  end
end

-- on_turn(ctx): every turn, after the license requests below. The autopilot buys toward the
-- scenario's stockpile targets while prices are normal, releases in a squeeze, and (if the
-- scenario's autopilot params say so) builds separation/magnet capacity at home when too much
-- is imported. Replace the call with your own rules, or keep it and add to it.
function policy.on_turn(ctx)
  ctx:autopilot()
end

-- on_license_request(ctx, app): once per pending application addressed to this country whose
-- processing time has passed, before on_turn. `app` = {id, importer, exporter, good, tonnes
-- (t/turn asked), end_use ("civilian" | "defense"), filed_turn, decidable_turn}.
-- Decide with ctx:decide_license(app.id, "approve" | "deny" | "defer", {tonnes=, turns=,
-- civilian_only=}); an application left undecided waits, and lapses after a few turns.
-- The autopilot approves the scenario's `license_approval_share` of the request, or denies it
-- (defense end use where `deny_defense_end_use` is set; trust below 0.15).
-- (Delete this callback altogether and the autopilot decides licences for you.)
function policy.on_license_request(ctx, app)
  ctx:autopilot()
end

-- on_proposal(ctx, proposal): in the negotiation rounds before the policy phase, once per
-- proposal addressed to this country. `proposal` = {id, from, to, clauses = {{type, from, to,
-- good, tonnes, price, ...}, ...}, turns, note, counter_to, deadline}. Return "accept",
-- "reject", {answer = "counter", clauses = {...}} or nothing (answer later with ctx:respond).
-- ctx:forecast(proposal.id) says what the deal is worth to you; lib/diplomat.lua's judge() does
-- trust, red lines, a counter and the forecast in one call. Make proposals with
-- ctx:propose(to, clauses, {turns=, note=}), which returns the proposal's id (the one the
-- answer's event names) - see docs/lua-api.md §Negotiation.
-- (Delete this callback and the autopilot answers: it accepts what its forecast likes.)
function policy.on_proposal(ctx, proposal)
  local f = ctx:forecast(proposal.id)
  if f and f.feasible and f.gain >= 0 then return "accept" end
  return { answer = "reject", note = "not for us" }
end

-- on_event(ctx, event): once per event that concerns this country (its country or target, or a
-- public type), before the licence requests and on_turn. When it arrives depends on when it
-- happened in its turn N:
--   * before the policy phase -> heard in turn N: scripted injects, random shocks, what the
--     negotiation rounds did (proposals, answers, agreements), licence applications filed or lapsed;
--   * from the policy phase on -> heard at the start of turn N+1 (event.turn is still N): what
--     every country's commands did (regime_change, tariff_change, investment, ...), your own
--     policy_log/policy_error, breaches and violations found when agreements settle at the end
--     of the turn (agreement_breach, end_use_violation), shortages, projects online or delayed.
-- So a breach found at the end of turn N reaches on_event in turn N+1.
-- `event` = {type, text, turn, country?, target?, ...data (e.g. kind, good)}.
-- The autopilot ignores events; here we only remember the last scripted one.
function policy.on_event(ctx, event)
  if event.type == "scripted" then
    ctx.memory.last_scripted = { turn = event.turn, text = event.text }
  end
end

return policy
