-- China: licensing as leverage, calibrated to the record.
--
-- Since April 2025 Beijing licenses Dy, Tb and the magnets that contain them. In practice most
-- civilian applications were approved (magnet exports were back near 2024 volumes by late
-- 2025), military end users were refused (October 2025 rules), and the pace of approvals was
-- used as a signal: slower for partners in a trade dispute. This policy does the same:
--   * approves ~0.85-0.95 of what civilian buyers ask, less for countries it distrusts or that
--     tariff Chinese goods; refuses defense end use;
--   * tightens (lower approvals, then an embargo of one good) toward a country that raises
--     tariffs on China while China's net leverage over it is high - and eases again when that
--     country's tariffs come back down, when trust recovers, or after a while anyway (RFF 2025:
--     an exporter prefers temporary curbs, long ones push the others to build capacity);
--   * keeps its production quotas (the scenario's trend events raise them) and its stockpile:
--     the state reserve buys in slumps and never dumps.
-- It negotiates as it licenses: general licenses for civilian use only, traded for end-use
-- assurances and tariff cuts (it counters offers that lack them), offered every few turns to the
-- buyer with the highest tariff on a licensed good; it never opens a licensed good up.
-- With params.era = "quota" (the 2009-2014 scenario) it imposes none of this: China's quotas,
-- duties and the 2010 halt toward Japan are scripted events there, and licensing did not exist.

local util = require("lib.util")
local diplomat = require("lib.diplomat")

---@type Policy
local policy = {}

-- Tunables, overridable per scenario under countries.china.policy_params: declared here, so a
-- misspelt or out-of-range key is refused at load with its place in the scenario. A list or map
-- without a default keeps the one in settings() below.
policy.params = {
  era = { type = "string", default = "licensing", one_of = { "licensing", "quota" }, doc = "quota: the 2009-2014 regime" },
  licensed_goods = { type = "list", doc = "goods it licenses" },
  base_share = { type = "number", default = 0.95, min = 0, max = 1 },
  min_share = { type = "number", default = 0.85, min = 0, max = 1 },
  trust_weight = { type = "number", default = 0.2, min = 0 },
  tariff_weight = { type = "number", default = 0.1, min = 0 },
  deny_below_trust = { type = "number", default = 0.15, min = 0, max = 1 },
  deny_defense = { type = "boolean", default = true },
  civilian_only = { type = "boolean", default = true },
  validity_turns = { type = "integer", min = 1, doc = "licence validity in turns (default: a year)" },
  tighten_leverage = { type = "number", default = 0.05 },
  embargo_leverage = { type = "number", default = 0.10 },
  tight_factor = { type = "number", default = 0.7, min = 0, max = 1 },
  embargo_goods = { type = "list" },
  tight_turns = { type = "integer", min = 1, doc = "longest curb in turns (default: two years)" },
  ease_trust_gain = { type = "number", default = 0.1, min = 0 },
  cover_months = { type = "map", doc = "state reserve target per good, months of use" },
  buy_below = { type = "number", default = 1.0, min = 0 },
  tariff_ask = { type = "number", default = 0.10, min = 0 },
  offer_every = { type = "integer", default = 6, min = 1 },
  offer_min_trust = { type = "number", default = 0.2, min = 0, max = 1 },
}

local function settings(ctx)
  local p = ctx.params or {}
  local year = util.months_to_turns(ctx, 12)  -- turns in a year (docs/scenario-format.md §Turn length)
  return {
    era = p.era or "licensing",
    licensed_goods = p.licensed_goods or { "dytb_concentrate", "dytb_oxide", "ndfeb_magnet" },
    base_share = p.base_share or 0.95,        -- approval for a trusted, tariff-free buyer
    min_share = p.min_share or 0.85,          -- the floor of normal practice
    trust_weight = p.trust_weight or 0.2,     -- share lost per point of trust below 0.5
    tariff_weight = p.tariff_weight or 0.1,   -- share lost per unit of the buyer's tariff on China
    deny_below_trust = p.deny_below_trust or 0.15,
    deny_defense = p.deny_defense ~= false,
    civilian_only = p.civilian_only ~= false,
    validity_turns = p.validity_turns or year,     -- a year, at any turn length
    tighten_leverage = p.tighten_leverage or 0.05,  -- net leverage that makes a curb credible
    embargo_leverage = p.embargo_leverage or 0.10,  -- ... and one that makes an embargo affordable
    tight_factor = p.tight_factor or 0.7,           -- approvals × this while tightened
    embargo_goods = p.embargo_goods or { "dytb_oxide" },  -- the sharpest chokepoint
    tight_turns = p.tight_turns or 2 * year,        -- curbs are temporary
    ease_trust_gain = p.ease_trust_gain or 0.1,
    cover_months = p.cover_months or { ndpr_oxide = 2, dytb_oxide = 6 },
    buy_below = p.buy_below or 1.0,                 -- the state reserve buys only in slumps
    -- Negotiation: general licenses only for civilian use, against an end-use assurance and a cut
    -- of the buyer's tariff on the good; never a licensed good opened up.
    tariff_ask = p.tariff_ask or 0.10,              -- the tariff cut asked for a general license
    offer_every = p.offer_every or 6,               -- turns between two offers of its own
    offer_min_trust = p.offer_min_trust or 0.2,
  }
end

-- Tariffs other countries put on Chinese goods, read into a plain table.
local function tariffs_on_china(ctx, country)
  local t = {}
  for _, g in ipairs(ctx:goods()) do t[g.id] = ctx:tariff(country, g.id, ctx.country) end
  return t
end

function policy.init(ctx)
  local s = settings(ctx)
  local m = ctx.memory
  -- Remember where tariffs stood when the game began: "raised" means above this.
  m.base_tariffs = m.base_tariffs or {}
  m.tight = m.tight or {}
  for _, c in ipairs(ctx:countries()) do
    if c ~= ctx.country and not m.base_tariffs[c] then m.base_tariffs[c] = tariffs_on_china(ctx, c) end
  end
  if s.era == "quota" then
    ctx:log("quota era: China's quotas, duties and regimes follow the scenario's events")
    return
  end
  -- The April 2025 regime: licensed goods need a licence everywhere (an embargo stays as it is).
  for _, good in ipairs(s.licensed_goods) do
    for _, c in ipairs(ctx:countries()) do
      if c ~= ctx.country and ctx:regime(ctx.country, good, c) == "open" then
        util.check(ctx, "license:" .. good, ctx:set_regime(good, c, "licensed"))
      end
    end
  end
end

-- The share of an application China approves, before rounding.
local function approval_share(ctx, s, app)
  local trust = ctx:trust(app.importer)
  local tariff = ctx:tariff(app.importer, app.good, ctx.country)
  local share = s.base_share
      - s.trust_weight * math.max(0, 0.5 - trust)
      - s.tariff_weight * tariff
  share = util.clamp(share, s.min_share, s.base_share)
  if ctx.memory.tight[app.importer] then share = share * s.tight_factor end
  return share
end

function policy.on_license_request(ctx, app)
  local s = settings(ctx)
  if s.era == "quota" then
    ctx:autopilot()  -- no licensing policy of its own in that era
    return
  end
  if (s.deny_defense and app.end_use == "defense") or ctx:trust(app.importer) < s.deny_below_trust then
    util.deny(ctx, app)
    return
  end
  util.approve(ctx, app, approval_share(ctx, s, app), s.validity_turns, s.civilian_only)
end

-- Has `country` put tariffs on China above where they stood (base)? Returns the highest rise.
local function tariff_rise(now, base)
  local rise = 0
  for good, rate in pairs(now) do rise = math.max(rise, rate - (base[good] or 0)) end
  return rise
end

local function tighten(ctx, s, c, lev, now)
  ctx.memory.tight[c] = { since = ctx.turn, trust = ctx:trust(c), tariffs = now, embargoed = {} }
  ctx:log(string.format("tightens licences toward %s (tariffs on China raised; net leverage %+.3f)", c, lev))
end

local function escalate(ctx, s, c, lev)
  local t = ctx.memory.tight[c]
  for _, good in ipairs(s.embargo_goods) do
    if ctx:regime(ctx.country, good, c) ~= "embargo" then
      if util.check(ctx, "embargo:" .. good, ctx:set_regime(good, c, "embargo")) then
        t.embargoed[#t.embargoed + 1] = good
      end
    end
  end
  ctx:log(string.format("embargoes %s toward %s after a further tariff rise (net leverage %+.3f)",
    table.concat(s.embargo_goods, ", "), c, lev))
end

local function ease(ctx, c, why)
  local t = ctx.memory.tight[c]
  for _, good in ipairs(t.embargoed) do
    util.check(ctx, "lift:" .. good, ctx:set_regime(good, c, "licensed"))
  end
  ctx.memory.tight[c] = nil
  -- Whatever the tariffs are now becomes the new normal: no curb again for the same tariffs.
  ctx.memory.base_tariffs[c] = tariffs_on_china(ctx, c)
  ctx:log(string.format("eases licences toward %s (%s)", c, why))
end

-- The terms China would sign instead, or nil when the proposal already meets them: every
-- license it grants is civilian only and comes with the buyer's end-use assurance and a tariff
-- cut on that good.
local function amend(ctx, s, p)
  local them = p.from
  local out, changed, licensed = {}, false, {}
  for _, c in ipairs(p.clauses) do
    local copy = {}
    for k, v in pairs(c) do copy[k] = v end
    if c.type == "license" and c.from == ctx.country then
      if not c.civilian_only then copy.civilian_only = true; changed = true end
      licensed[#licensed + 1] = c.good
    end
    out[#out + 1] = copy
  end
  for _, good in ipairs(licensed) do
    local assured, cut = false, false
    local tariff = ctx:tariff(them, good, ctx.country)
    local asked = math.max(0, tariff - s.tariff_ask)
    for i, c in ipairs(p.clauses) do
      if c.type == "end_use" and c.from == them and c.good == good then assured = true end
      if c.type == "tariff" and c.from == them and (c.good == good or c.good == "all") then
        cut = true
        if c.rate > asked + 1e-9 then out[i].rate = asked; changed = true end  -- not enough of a cut
      end
    end
    if not assured then
      out[#out + 1] = { type = "end_use", from = them, to = ctx.country, good = good }
      changed = true
    end
    if not cut and tariff > 0.001 then
      out[#out + 1] = { type = "tariff", from = them, to = ctx.country, good = good, rate = asked }
      changed = true
    end
  end
  return changed and out or nil
end

function policy.on_proposal(ctx, p)
  local s = settings(ctx)
  return diplomat.judge(ctx, p, {
    min_trust = s.deny_below_trust,
    red_line = function(_, prop)
      for _, c in ipairs(prop.clauses) do
        if c.type == "regime" and c.from == ctx.country and c.regime == "open" then
          for _, g in ipairs(s.licensed_goods) do
            if g == c.good then return "China keeps licensing " .. g .. ": it does not open it up" end
          end
        end
        -- In the quota era the scenario's events decide China's regimes and licences (a scenario
        -- that scripts them with approval_policy events sets this era too): no licence by deal.
        if c.type == "license" and c.from == ctx.country and s.era == "quota" then
          return "China's licences follow the scenario's rules, not deals"
        end
        if c.type == "license" and c.from == ctx.country and ctx.memory.tight[prop.from] then
          return "not while " .. prop.from .. " keeps its new tariffs on China"
        end
      end
      return nil
    end,
    amend = function(_, prop) return amend(ctx, s, prop) end,
    -- Tariff relief is worth more to Beijing than the forecast's market figures show.
    min_gain = diplomat.clause(p, "tariff", p.from) and -0.004 or -0.001,
  })
end

-- China's own offer, every few turns: a general license to the buyer that taxes a licensed
-- Chinese good the most, for a tariff cut and an end-use assurance.
local function offer_licenses(ctx, s)
  local m = ctx.memory
  if ctx.turn < (m.next_offer or 3) or ctx:negotiation().proposals_left == 0 then return end
  local best, best_tariff, best_good = nil, 0.001, nil
  for _, c in ipairs(ctx:countries()) do
    if c ~= ctx.country and ctx:trust(c) >= s.offer_min_trust and not m.tight[c]
        and not diplomat.talking_to(ctx, c) then
      for _, good in ipairs(s.licensed_goods) do
        local t = ctx:tariff(c, good, ctx.country)
        if t > best_tariff and ctx:regime(ctx.country, good, c) == "licensed" and ctx:flow(good, ctx.country, c) > 1
            and not diplomat.has_deal(ctx, c, "license", good) then
          best, best_tariff, best_good = c, t, good
        end
      end
    end
  end
  m.next_offer = ctx.turn + s.offer_every
  if not best then return end
  local tonnes = util.floor_to(ctx:flow(best_good, ctx.country, best) * 1.1, 1)
  local ok, err = ctx:propose(best, {
    { type = "license", from = "me", to = "them", good = best_good, tonnes = tonnes, civilian_only = true, max_delay = 0 },
    { type = "end_use", from = "them", to = "me", good = best_good },
    { type = "tariff", from = "them", to = "me", good = best_good, rate = math.max(0, best_tariff - s.tariff_ask) },
  }, { turns = util.months_to_turns(ctx, 24), note = "steady licenses for lower tariffs" })
  if ok then ctx:log("offers " .. best .. " a general license for " .. best_good .. " against a tariff cut")
  else util.log_once(ctx, "offer:" .. err, err) end
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  local m = ctx.memory

  -- The state reserve: buy toward its targets in a slump, never sell (can_release = false).
  for _, good in ipairs(util.sorted_keys(s.cover_months)) do
    util.keep_stockpile(ctx, good, { target_months = s.cover_months[good], buy_below = s.buy_below,
                                     can_release = false, treasury_share = 0.2 })
  end
  if s.era == "quota" then return end
  offer_licenses(ctx, s)

  -- Watch tariffs and trust; curb or ease country by country (13 countries × 5 goods of reads).
  for _, c in ipairs(ctx:countries()) do
    if c ~= ctx.country then
      local now = tariffs_on_china(ctx, c)
      local rise = tariff_rise(now, m.base_tariffs[c] or {})
      local lev = ctx:leverage(ctx.country, c)
      local t = m.tight[c]
      if not t then
        if rise > 0.005 and lev >= s.tighten_leverage then tighten(ctx, s, c, lev, now) end
      elseif rise <= 0.005 then
        ease(ctx, c, "its tariffs on China are back down")
      elseif ctx:trust(c) >= t.trust + s.ease_trust_gain then
        ease(ctx, c, "trust has recovered")
      elseif ctx.turn - t.since >= s.tight_turns then
        ease(ctx, c, "a curb is worth more as a threat than as a habit")
      elseif #t.embargoed == 0 and tariff_rise(now, t.tariffs) > 0.005 and lev >= s.embargo_leverage then
        escalate(ctx, s, c, lev)
      end
    end
  end
end

-- Policies see this turn's scripted events before they act. A trust event only moves the
-- number ctx:trust() reads, so nothing to do; the log line helps a facilitator follow along.
function policy.on_event(ctx, event)
  if event.type == "scripted" and event.kind == "regime" and event.country == ctx.country then
    ctx:log("scenario changes a regime of China's: " .. event.text)
  end
end

return policy
