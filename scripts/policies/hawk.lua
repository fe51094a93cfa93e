-- hawk.lua: an archetype. Security over trade; leverage is there to be used.
--
-- Toward rivals (countries it trusts less than `rival_trust`) a hawk:
--   * licenses every good it makes, approves little (or nothing for defense end use), and
--     embargoes its licensed goods for a few turns whenever its net leverage over a rival is
--     high - then lifts the embargo, so the threat stays credible and rivals do not simply
--     build around it (a long embargo is an investment subsidy for the other side);
--   * puts tariffs on their magnets and oxides;
-- In negotiation it gives nothing away to rivals: no licence, regime or tariff concession to a
-- rival, and it signs with allies only what the forecast likes;
-- and for itself it holds a large stockpile of what it imports and builds capacity at home
-- whenever it imports more than `invest_import_share` of a good. Allies (trust >= `ally_trust`) are treated well.
-- Params (all optional, declared in policy.params below: a misspelt or out-of-range
-- policy_params key is refused at load with its place in the scenario).

local util = require("lib.util")

---@type Policy
local policy = {}

policy.params = {
  rival_trust = { type = "number", default = 0.35, min = 0, max = 1, doc = "trust below this: a rival" },
  ally_trust = { type = "number", default = 0.7, min = 0, max = 1, doc = "trust at or above this: an ally" },
  tariff = { type = "number", default = 0.25, min = 0, max = 10, doc = "tariff on rivals' magnets and oxides" },
  rival_share = { type = "number", default = 0.5, min = 0, max = 1, doc = "share of a rival's licence request approved" },
  friend_share = { type = "number", default = 0.8, min = 0, max = 1, doc = "share of others' requests approved" },
  embargo_leverage = { type = "number", default = 0.08, min = 0, doc = "net leverage over a rival that triggers an embargo" },
  embargo_turns = { type = "integer", min = 1, doc = "length of an embargo in turns (default: 6 months)" },
  cooldown_turns = { type = "integer", min = 0, doc = "turns between embargoes (default: 18 months)" },
  cover_months = { type = "number", default = 4, min = 0, doc = "stockpile target of imported goods" },
  invest_import_share = { type = "number", default = 0.5, min = 0, max = 1, doc = "import share that triggers building at home" },
  invest_share_of_use = { type = "number", default = 0.1, min = 0, doc = "capacity built per decision, share of use" },
}

local function settings(ctx)
  local p = ctx.params
  return {
    rival_trust = p.rival_trust or 0.35,
    ally_trust = p.ally_trust or 0.7,
    tariff = p.tariff or 0.25,
    rival_share = p.rival_share or 0.5,
    friend_share = p.friend_share or 0.8,
    embargo_leverage = p.embargo_leverage or 0.08,
    embargo_turns = p.embargo_turns or util.months_to_turns(ctx, 6),   -- spans keep their months at
    cooldown_turns = p.cooldown_turns or util.months_to_turns(ctx, 18), -- any turn length
    cover_months = p.cover_months or 4,
    invest_import_share = p.invest_import_share or 0.5,
    invest_share_of_use = p.invest_share_of_use or 0.1,
  }
end

local function rivals(ctx, s)
  local out = {}
  for _, c in ipairs(ctx:countries()) do
    if c ~= ctx.country and ctx:trust(c) < s.rival_trust then out[#out + 1] = c end
  end
  return out
end

-- Goods this country makes (capacity > 0): the ones a licence or embargo can bite with.
local function made_here(ctx)
  local out = {}
  for _, g in ipairs(ctx:goods()) do
    if ctx:capacity(g.id) > 0 then out[#out + 1] = g.id end
  end
  return out
end

function policy.init(ctx)
  local s = settings(ctx)
  ctx.memory.embargo = ctx.memory.embargo or {}   -- rival -> {until_turn, goods}
  ctx.memory.cooldown = ctx.memory.cooldown or {} -- rival -> first turn a new embargo is allowed
  for _, rival in ipairs(rivals(ctx, s)) do
    for _, good in ipairs(made_here(ctx)) do
      if ctx:regime(ctx.country, good, rival) == "open" then
        util.check(ctx, "license:" .. good, ctx:set_regime(good, rival, "licensed"))
      end
    end
    for _, g in ipairs(ctx:goods()) do
      if g.process ~= "mining" and ctx:tariff(ctx.country, g.id, rival) < s.tariff then
        util.check(ctx, "tariff:" .. g.id, ctx:set_tariff(g.id, rival, s.tariff))
      end
    end
  end
end

function policy.on_proposal(ctx, p)
  local s = settings(ctx)
  local rival = ctx:trust(p.from) < s.rival_trust
  for _, c in ipairs(p.clauses) do
    if rival and c.from == ctx.country and (c.type == "license" or c.type == "regime" or c.type == "tariff") then
      return { answer = "reject", note = "no concessions to rivals" }
    end
  end
  local f = ctx:forecast(p.id)
  if f and f.feasible and f.gain > (rival and 0.002 or 0) then return "accept" end
  return { answer = "reject", note = "not in our interest" }
end

function policy.on_license_request(ctx, app)
  local s = settings(ctx)
  local trust = ctx:trust(app.importer)
  if app.end_use == "defense" and trust < s.ally_trust then
    util.deny(ctx, app)
  elseif trust < s.rival_trust then
    util.approve(ctx, app, s.rival_share, 2, true)
  else
    util.approve(ctx, app, trust >= s.ally_trust and 1.0 or s.friend_share, 4, true)
  end
end

local function manage_embargoes(ctx, s)
  local m = ctx.memory
  -- Lift embargoes whose time is up.
  for _, rival in ipairs(util.sorted_keys(m.embargo)) do
    local e = m.embargo[rival]
    if ctx.turn >= e.until_turn then
      for _, good in ipairs(e.goods) do util.check(ctx, "lift:" .. good, ctx:set_regime(good, rival, "licensed")) end
      m.embargo[rival] = nil
      m.cooldown[rival] = ctx.turn + s.cooldown_turns
      ctx:log("lifts its embargo on " .. rival .. " (for now)")
    end
  end
  -- Strike where leverage is high and no embargo or cooldown is running.
  for _, rival in ipairs(rivals(ctx, s)) do
    local lev = ctx:leverage(ctx.country, rival)
    if not m.embargo[rival] and ctx.turn >= (m.cooldown[rival] or 0) and lev >= s.embargo_leverage then
      local goods = {}
      for _, good in ipairs(made_here(ctx)) do
        if ctx:regime(ctx.country, good, rival) == "licensed"
           and util.check(ctx, "embargo:" .. good, ctx:set_regime(good, rival, "embargo")) then
          goods[#goods + 1] = good
        end
      end
      if #goods > 0 then
        m.embargo[rival] = { until_turn = ctx.turn + s.embargo_turns, goods = goods }
        ctx:log(string.format("embargoes %s toward %s for %.0f turns (net leverage %+.3f)",
          table.concat(goods, ", "), rival, s.embargo_turns, lev))
      end
    end
  end
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  manage_embargoes(ctx, s)
  for _, g in ipairs(ctx:goods()) do
    local use = ctx:use(g.id)
    if use > 0 then
      -- Insure what others could cut off: stockpile only goods it imports.
      local imported = util.import_share(ctx, g.id)
      util.keep_stockpile(ctx, g.id, { target_months = imported > 0.1 and util.param(s.cover_months, g.id, 4) or 0,
                                       buy_below = 1.2, release_above = 3.0, input_squeeze = true,
                                       treasury_share = 0.2 })
      if g.process ~= "mining" and imported > s.invest_import_share then
        local tonnes = math.max(10, util.floor_to(use * s.invest_share_of_use, 10))
        util.invest_once(ctx, g.id, tonnes, { treasury_share = 0.3, why = "self-reliance" })
      end
    end
  end
end

return policy
