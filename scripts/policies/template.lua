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

-- Shared helpers live in scripts/lib/ (require is sandboxed to that folder); uncomment to use
-- util.clamp, util.keep_stockpile, util.invest_once, util.log_once, ...
-- local util = require("lib.util")

---@type Policy
local policy = {}

-- init(ctx): once, before the country's first turn. A good place to read the scenario's
-- starting position into ctx.memory - the table that persists across turns, hot reloads and
-- saved games (plain data only: numbers, strings, booleans, tables of them).
-- ctx.params holds this country's `policy_params` from the scenario YAML.
function policy.init(ctx)
  ctx.memory.started_turn = ctx.memory.started_turn or ctx.turn
  -- Example of a tunable with a default: `policy_params: {verbose: true}` turns the log on.
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
-- ctx:propose(to, clauses, {turns=, note=}) - see docs/lua-api.md §Negotiation.
-- (Delete this callback and the autopilot answers: it accepts what its forecast likes.)
function policy.on_proposal(ctx, proposal)
  local f = ctx:forecast(proposal.id)
  if f and f.feasible and f.gain >= 0 then return "accept" end
  return { answer = "reject", note = "not for us" }
end

-- on_event(ctx, event): for this turn's events that concern this country (or everyone) and
-- happened before policies act: scripted injects, random shocks, license applications filed or
-- lapsed. `event` = {type, text, turn, country?, target?, ...data (e.g. kind, good)}.
-- The autopilot ignores events; here we only remember the last scripted one.
function policy.on_event(ctx, event)
  if event.type == "scripted" then
    ctx.memory.last_scripted = { turn = event.turn, text = event.text }
  end
end

return policy
