-- Shared helpers for Chokepoint policies: load with `local util = require("lib.util")`.
--
-- Everything here is plain Lua over the documented ctx API (docs/lua-api.md); nothing is
-- magic. Units follow the API: t, t/yr, USD/kg, USD millions, months of use.
--
-- State: helpers keep what they must remember in ctx.memory under keys starting with "_"
-- (_logged, _anchor, _released, _seen_projects); policies should leave those keys alone.
--
-- Determinism: the sandbox's pairs() visits keys in a fixed order (numbers, then strings
-- bytewise), so any loop replays; helpers still walk arrays (ctx:goods(), ctx:countries(),
-- params lists) where the order matters, because that says which order is meant.

local util = {}

-- ---------------------------------------------------------------------------------------------
-- Numbers
-- ---------------------------------------------------------------------------------------------

function util.clamp(x, lo, hi)
  if x < lo then return lo end
  if x > hi then return hi end
  return x
end

-- Rounds down to a step (licences are decided in 0.1 t, orders in whole tonnes).
function util.floor_to(x, step)
  step = step or 1
  return math.floor(x / step) * step
end

-- A value from a params table with a default; also reads per-good maps:
-- util.param(p.cover_months, "ndpr_oxide", 2) works whether p.cover_months is a number,
-- a map {ndpr_oxide = 2, ...} or nil.
function util.param(value, key, default)
  if type(value) == "table" then
    local v = value[key]
    if v == nil then v = value.default end
    if v == nil then return default end
    return v
  end
  if value == nil then return default end
  return value
end

-- The keys of a table, sorted as strings: an explicit order for loops that act, which also
-- holds outside the sandbox (plain Lua's pairs() order over string keys varies between runs).
function util.sorted_keys(t)
  local keys = {}
  for k in pairs(t or {}) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

-- ---------------------------------------------------------------------------------------------
-- Logging and command results
-- ---------------------------------------------------------------------------------------------

-- Logs a message once per key for the whole game (kept in ctx.memory), so that a condition
-- that holds every turn does not flood the log.
function util.log_once(ctx, key, ...)
  local seen = ctx.memory._logged
  if not seen then
    seen = {}
    ctx.memory._logged = seen
  end
  if seen[key] then return end
  seen[key] = true
  ctx:log(...)
end

-- Every command answers true, or nil and a message. This turns the answer into a boolean and
-- logs a refusal once per `key` (e.g. "buy:ndpr_oxide"), which is usually what a policy wants:
-- a refused stockpile order because the treasury ran dry is news the first time only.
function util.check(ctx, key, ok, message)
  if ok then return true end
  util.log_once(ctx, "refused:" .. key, "refused (" .. key .. "): " .. tostring(message))
  return false
end

-- ---------------------------------------------------------------------------------------------
-- Time
-- ---------------------------------------------------------------------------------------------

-- Turns per year (4 for quarterly turns): the scenario's, ctx:turns_per_year().
function util.turns_per_year(ctx)
  return ctx:turns_per_year()
end

-- A span of `months` in whole turns of this scenario (nearest, at least 1): 12 months is 4 turns of
-- 3 months and 12 of one. Policies state their spans in months so they mean the same at any turn length.
function util.months_to_turns(ctx, months)
  local m = ctx:turn_months()
  return math.max(1, (2 * months + m) // (2 * m))
end

-- ---------------------------------------------------------------------------------------------
-- The world, read the same way by every policy
-- ---------------------------------------------------------------------------------------------

-- Goods, sectors and country ids do not change during a game: read once per callback at most.
function util.goods_by_process(ctx, process)
  local out = {}
  for _, g in ipairs(ctx:goods()) do
    if g.process == process then out[#out + 1] = g.id end
  end
  return out
end

-- Sectors (their ids) that consume a good; with `defense_only`, only defense sectors.
function util.sectors_of(ctx, good, defense_only)
  local out = {}
  for _, s in ipairs(ctx:sectors()) do
    if s.good == good and (not defense_only or s.defense) then out[#out + 1] = s.id end
  end
  return out
end

-- Unmet sector demand for a good last turn, t, and as a share of the sectors' demand per turn.
function util.unmet(ctx, good)
  local unmet, demand = 0, 0
  for _, id in ipairs(util.sectors_of(ctx, good)) do
    unmet = unmet + ctx:unmet(id)
    demand = demand + ctx:demand(id)
  end
  local per_turn = demand / util.turns_per_year(ctx)
  return unmet, per_turn > 0 and unmet / per_turn or 0
end

-- Share of what the country used last turn that came from abroad (0..1):
-- imports / (production + imports − exports). Stock changes are ignored.
function util.import_share(ctx, good, country)
  local imports = ctx:imports(good, country)
  local used = ctx:production(good, country) + imports - ctx:exports(good, country)
  if used <= 1e-9 then return 0 end
  return util.clamp(imports / used, 0, 1)
end

-- Share of the country's imports of a good that came from one supplier last turn (0..1).
function util.supplier_share(ctx, good, supplier, country)
  country = country or ctx.country
  local imports = ctx:imports(good, country)
  if imports <= 1e-9 then return 0 end
  return util.clamp(ctx:flow(good, supplier, country) / imports, 0, 1)
end

-- Dependence on one supplier across several goods: its share of the value (at reference
-- prices) of what the country imported of them last turn (0..1).
function util.dependence(ctx, supplier, goods, country)
  country = country or ctx.country
  local from, total = 0, 0
  for _, good in ipairs(goods) do
    local ref = ctx:reference_price(good)
    from = from + ctx:flow(good, supplier, country) * ref
    total = total + ctx:imports(good, country) * ref
  end
  if total <= 1e-9 then return 0 end
  return util.clamp(from / total, 0, 1)
end

-- Months of use the strategic stockpile alone would cover (ctx:cover adds firms' stocks).
function util.stockpile_months(ctx, good)
  local use = ctx:use(good)
  if use <= 0 then return 0 end
  return ctx:stockpile(good) / (use / 12)
end

-- True when this country owns a government project for the good that is not online yet
-- (optionally: hosted by `host`). Private firms' projects do not count.
function util.has_pending_project(ctx, good, host)
  for _, p in ipairs(ctx:projects()) do
    if p.owner == ctx.country and p.good == good and not p.online and not p.private
       and (host == nil or p.host == host) then
      return true
    end
  end
  return false
end

-- Projects hosted here but financed by another country that this policy has not seen before
-- (remembered in ctx.memory), oldest first.
function util.new_foreign_projects(ctx)
  local seen = ctx.memory._seen_projects
  if not seen then
    seen = {}
    ctx.memory._seen_projects = seen
  end
  local out = {}
  for _, p in ipairs(ctx:projects()) do
    if p.host == ctx.country and p.owner ~= ctx.country and not seen[tostring(p.id)] then
      seen[tostring(p.id)] = true
      out[#out + 1] = p
    end
  end
  return out
end

-- Capex in USD millions for `tonnes_per_year` of a good made by `process`: the scenario's
-- (ctx:build_terms of a good of that process), unless ctx.params.capex_per_tpy gives it per
-- process in USD thousands per t/yr (as the scenario's `investment:` section does).
function util.capex(ctx, process, tonnes_per_year)
  local given = util.param(ctx.params and ctx.params.capex_per_tpy, process, nil)
  if given then return given * tonnes_per_year / 1000 end
  for _, g in ipairs(ctx:goods()) do
    if g.process == process then return ctx:build_terms(g.id).capex_per_tpy * tonnes_per_year / 1e6 end
  end
  return 0
end

-- ---------------------------------------------------------------------------------------------
-- Stockpiles: keep a target in months of use, buy in slumps, release in a squeeze
-- ---------------------------------------------------------------------------------------------

-- Manages one good's strategic stockpile. `o` (all optional):
--   target_months   months of use to hold in the strategic stockpile (default 0: never buy)
--   buy_below       buy only while the home price is below this × the reference price (1.2)
--   release_above   a squeeze: the home price above this × reference (3.0) ...
--   squeeze_unmet   ... or more than this share of the good's sector demand unmet (0.15; the
--                   cheapest twelfth of demand is priced out as soon as the price passes
--                   ~1.15x the reference, so a lower threshold reads normal prices as a squeeze) ...
--   input_squeeze   true: also a squeeze when more than squeeze_unmet of the good's use per turn
--                   was lacked at home (ctx:shortfall: for an input such as Dy/Tb oxide, what the
--                   home makers of magnets lacked), and release at least that (default false;
--                   the autopilot reads it, and so do the shipped policies of Japan, the EU,
--                   Korea and the stockpiling archetypes; the USA's does not) ...
--   floor_months    ... or total cover (ctx:cover, firms' stocks + stockpile) below this (0)
--                   while the price is above the reference
--   step_months     buy at most this many months of use a quarter (0.5): per turn, scaled to the
--                   turn length (a monthly game buys a third of it each month; a whole step in one
--                   month was half a month's use, a visible spike in the market)
--   min_months      do not bother with orders below this many months of use (0.1)
--   release_months  release at least this many months of use per turn in a squeeze (0.5)
--   min_price       release at no less than this × reference (1.0): a stockpile is not dumped
--   treasury_share  spend at most this share of the treasury on one order (0.25)
--   can_release     false: never release (default true)
--   rebuy_after     turns to wait after a release before buying again (2): buying back at once
--                   would make the stockpile chase its own price effects
-- Returns "buy", "release" or nil, and the tonnes.
function util.keep_stockpile(ctx, good, o)
  o = o or {}
  local ref = ctx:reference_price(good)
  local price = ctx:price(good)
  local use = ctx:use(good)
  if use <= 0 then return nil, 0 end
  local month = use / 12
  local held = ctx:stockpile(good)

  local unmet_t, unmet_share = util.unmet(ctx, good)
  if o.input_squeeze then unmet_t = math.max(unmet_t, ctx:shortfall(good)) end
  local squeeze = price > (o.release_above or 3.0) * ref
      or unmet_share > (o.squeeze_unmet or 0.15)
      or (o.input_squeeze and unmet_t / (use / util.turns_per_year(ctx)) > (o.squeeze_unmet or 0.15))
      or (ctx:cover(good) < (o.floor_months or 0) and price > ref)
  if squeeze then
    if o.can_release == false or held < 1 then return nil, 0 end
    local amount = math.floor(math.min(held, math.max(unmet_t, (o.release_months or 0.5) * month)))
    if amount < 1 then return nil, 0 end
    local ok, err = ctx:stockpile_release(good, amount, (o.min_price or 1.0) * ref)
    if util.check(ctx, "release:" .. good, ok, err) then
      ctx.memory._released = ctx.memory._released or {}
      ctx.memory._released[good] = ctx.turn
      return "release", amount
    end
    return nil, 0
  end
  local released = ctx.memory._released and ctx.memory._released[good]
  if released and ctx.turn - released < (o.rebuy_after or 2) then return nil, 0 end

  local gap = (o.target_months or 0) * month - held
  local limit = (o.buy_below or 1.2) * ref
  if gap < math.max(1, (o.min_months or 0.1) * month) or price >= limit then return nil, 0 end
  local amount = math.floor(math.min(gap, (o.step_months or 0.5) * month * ctx:turn_months() / 3))
  -- Cost at the limit price, in USD millions (t × USD/kg × 1000 kg/t / 1e6).
  local budget = (o.treasury_share or 0.25) * ctx:treasury()
  if amount * limit / 1000 > budget then amount = math.floor(budget * 1000 / limit) end
  if amount < 1 then return nil, 0 end
  local ok, err = ctx:stockpile_buy(good, amount, limit)
  if util.check(ctx, "buy:" .. good, ok, err) then return "buy", amount end
  return nil, 0
end

-- ---------------------------------------------------------------------------------------------
-- Investment
-- ---------------------------------------------------------------------------------------------

-- Starts a project unless one of ours for the good (and host) is still pending, or the treasury
-- cannot spare `treasury_share` (default 0.25) of itself for the capex.
-- `o`: {host = id, share = 0..1, treasury_share = 0.25, why = "text for the log"}.
-- Returns true, or false and why not: "pending", "budget" (try again later) or "refused"
-- (the engine said no, e.g. a mine where the host has no reserves; logged once).
function util.invest_once(ctx, good, tonnes_per_year, o)
  o = o or {}
  if util.has_pending_project(ctx, good, o.host) then return false, "pending" end
  local process
  for _, g in ipairs(ctx:goods()) do
    if g.id == good then process = g.process end
  end
  local capex = util.capex(ctx, process, tonnes_per_year)
  if capex > (o.treasury_share or 0.25) * ctx:treasury() then
    util.log_once(ctx, "capex:" .. good .. ":" .. tostring(o.host),
      string.format("would build %.0f t/yr of %s%s but the treasury ($%.0fM) cannot spare $%.0fM yet",
        tonnes_per_year, good, o.host and (" in " .. o.host) or "", ctx:treasury(), capex))
    return false, "budget"
  end
  local opts = nil
  if o.host then opts = { host = o.host, share = o.share or 0 } end
  local ok, err = ctx:invest(good, tonnes_per_year, opts)
  if not util.check(ctx, "invest:" .. good .. ":" .. tostring(o.host), ok, err) then return false, "refused" end
  ctx:log(string.format("invests in %.0f t/yr of %s%s%s%s", tonnes_per_year, good,
    o.host and (" in " .. o.host) or " at home",
    (o.host and o.share) and string.format(" for %.0f%% of the output", 100 * o.share) or "",
    o.why and (": " .. o.why) or ""))
  return true
end

-- ---------------------------------------------------------------------------------------------
-- Licensing
-- ---------------------------------------------------------------------------------------------

-- Approves `share` of an application (rounded down to 0.1 t) for `turns` turns (default: a year).
function util.approve(ctx, app, share, turns, civilian_only)
  local tonnes = util.floor_to(app.tonnes * util.clamp(share, 0, 1), 0.1)
  local ok, err = ctx:decide_license(app.id, "approve",
    { tonnes = tonnes, turns = turns or util.months_to_turns(ctx, 12), civilian_only = civilian_only or false })
  return util.check(ctx, "approve", ok, err)
end

function util.deny(ctx, app)
  local ok, err = ctx:decide_license(app.id, "deny")
  return util.check(ctx, "deny", ok, err)
end

-- Makes every good's regime toward every other country "open" (for suppliers that court
-- buyers). Only changes what is not open already, so it is cheap to call in init.
function util.open_everything(ctx)
  for _, g in ipairs(ctx:goods()) do
    for _, c in ipairs(ctx:countries()) do
      if c ~= ctx.country and ctx:regime(ctx.country, g.id, c) ~= "open" then
        util.check(ctx, "open:" .. g.id, ctx:set_regime(g.id, c, "open"))
      end
    end
  end
end

return util
