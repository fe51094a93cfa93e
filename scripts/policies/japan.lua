-- Japan: the stockpiler that learnt from 2010, and a financier of supply outside China.
--
-- When Chinese customs held shipments to Japan in autumn 2010, Tokyo's answer was twofold:
-- JOGMEC's stockpile (a 60-day target of use, longer for heavies) and money for supply
-- elsewhere - USD 250M to Lynas in 2011 for ~8.5-9 kt/yr of its output over 10 years. Japan's
-- dependence on China fell from ~90 % to ~60-70 % over the following 14 years. The policy:
--   * keeps about two months of use of the oxides and magnets in the strategic stockpile,
--     buying only when prices are below ~1.2x the reference, and releases in a squeeze (a price
--     spike, short sectors, or magnet lines idle for lack of an oxide: input_squeeze) - at
--     once when China halts shipments to Japan (a scripted regime event, as in 2010);
--   * while China supplies more than ~40 % (by value) of its oxide and magnet imports, finances
--     separation in a partner (Malaysia, Australia) for a share of the output, one deal at a
--     time, a few turns apart;
--   * diversifies by contract: asks partners with spare separation capacity (Australia,
--     Malaysia, Vietnam, India) for long-term oxide contracts, and judges offers on the forecast.
-- In the 2009-2014 scenario (params: partners = []) the Lynas deal is a scripted event, so
-- only the stockpile acts.

local util = require("lib.util")
local diplomat = require("lib.diplomat")

---@type Policy
local policy = {}

-- Its policy_params, declared: a misspelt or out-of-range key is refused at load with its place in
-- the scenario. A list or map without a default keeps the one in settings() below.
policy.params = {
  cover_months = { type = "map" },
  buy_below = { type = "number", default = 1.2, min = 0 },
  release_above = { type = "number", default = 2.5, min = 0 },
  partners = { type = "list", doc = "{host, good, tonnes, share} financed abroad" },
  china_share = { type = "number", default = 0.4, min = 0, max = 1 },
  watch = { type = "list" },
  partner_every = { type = "integer", default = 6, min = 1 },
  treasury_share = { type = "number", default = 0.3, min = 0, max = 1 },
  negotiate = { type = "boolean", default = true },
  supply_goods = { type = "list" },
  supply_partners = { type = "list" },
}

local function settings(ctx)
  local p = ctx.params or {}
  return {
    -- JOGMEC: 60 days of use as the baseline target; heavies longer.
    cover_months = p.cover_months or { ndpr_oxide = 2, dytb_oxide = 3, ndfeb_magnet = 2 },
    buy_below = p.buy_below or 1.2,
    release_above = p.release_above or 2.5,
    partners = p.partners or {
      { host = "malaysia", good = "ndpr_oxide", tonnes = 2000, share = 0.6 },
      { host = "australia", good = "dytb_oxide", tonnes = 150, share = 0.5 },
      { host = "australia", good = "ndpr_oxide", tonnes = 1500, share = 0.5 },
    },
    china_share = p.china_share or 0.4,   -- finance a partner above this dependence on China
    watch = p.watch or { "ndpr_oxide", "dytb_oxide", "ndfeb_magnet" },
    partner_every = p.partner_every or 6,
    treasury_share = p.treasury_share or 0.3,
    negotiate = p.negotiate ~= false,
    supply_goods = p.supply_goods or { "ndpr_oxide", "dytb_oxide" },
    supply_partners = p.supply_partners or { "australia", "malaysia", "vietnam", "india" },
  }
end

function policy.init(ctx)
  local m = ctx.memory
  m.next_partner = m.next_partner or 1
  m.partner_turn = m.partner_turn or 0
  m.halted = m.halted or {}   -- good -> last turn of a halt of shipments to Japan
end

local function diversify(ctx, s)
  local m = ctx.memory
  local deal = s.partners[m.next_partner]
  if not deal or ctx.turn < m.partner_turn then return end
  local from_china = util.dependence(ctx, "china", s.watch)
  if from_china <= s.china_share then return end
  local started, why = util.invest_once(ctx, deal.good, deal.tonnes, {
    host = deal.host, share = deal.share, treasury_share = s.treasury_share,
    why = string.format("%.0f%% of oxide and magnet imports (by value) come from China", 100 * from_china),
  })
  if started or why == "refused" or why == "pending" then
    m.next_partner = m.next_partner + 1
    m.partner_turn = ctx.turn + s.partner_every
  end
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  local halted = ctx.memory.halted or {}
  local halt_from = ctx.memory.halt_from or {}
  for key, first in pairs(ctx.memory.app_start or {}) do  -- applications never decided
    if first < ctx.turn - 8 then ctx.memory.app_start[key] = nil end
  end
  for _, good in ipairs(util.sorted_keys(s.cover_months)) do
    local opts = { target_months = s.cover_months[good], buy_below = s.buy_below,
                   release_above = s.release_above, input_squeeze = true, treasury_share = 0.2 }
    -- During a halt the squeeze is certain: treat the price trigger as already met, and release
    -- what the halt cut off (the quarter's imports from the halting country before it), not half a
    -- month of use: Dy/Tb oxide has no sector of its own, so its shortage shows only later, as
    -- idle magnet lines.
    if ctx.turn >= (halt_from[good] or -1) and ctx.turn <= (halted[good] or -1) then
      opts.release_above = 0
      local lost = (ctx.memory.halt_lost or {})[good] or 0
      local month = ctx:use(good) / 12
      if month > 0 then opts.release_months = math.max(0.5, lost / month) end
    end
    local action, tonnes = util.keep_stockpile(ctx, good, opts)
    if action == "release" then
      ctx:log(string.format("JOGMEC releases %.0f t of %s (%.1f months of cover left)", tonnes, good, ctx:cover(good)))
    end
  end
  diversify(ctx, s)
  if s.negotiate then
    diplomat.seek_supply(ctx, { goods = s.supply_goods, partners = s.supply_partners, min_import_share = 0.5,
                                every = 6 })
  end
end

function policy.on_proposal(ctx, p)
  return diplomat.judge(ctx, p, { min_trust = 0.25 })
end

-- Japan licenses nothing in the shipped scenarios; if a scenario makes it, approve in full.
function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 4, false)
end

-- Puts a good's stockpile on release for turns first..first+2, to make up `lost` t a turn.
local function halt(ctx, good, first, lost, why)
  local m = ctx.memory
  m.halted = m.halted or {}
  m.halt_from = m.halt_from or {}
  m.halt_lost = m.halt_lost or {}
  local ongoing = (m.halted[good] or -1) >= first and (m.halt_from[good] or first) <= first
  m.halted[good] = first + 2
  if not ongoing then m.halt_from[good] = first end
  m.halt_lost[good] = lost
  if not ongoing then ctx:log(why) end
end

-- A Chinese embargo toward Japan (the 2010 halt) puts the stockpile on release for a few turns;
-- so does a refused licence (the 2025 way of halting): a civilian application of Japan's firms
-- for a stockpiled good denied, or approved for less than half, releases the shortfall from the
-- turn the licence would have started (the application says when), not a quarter later when
-- idle magnet lines show it.
function policy.on_event(ctx, event)
  local m = ctx.memory
  if event.type == "license_application" and event.country == ctx.country and event.application then
    m.app_start = m.app_start or {}
    m.app_start[tostring(event.application)] = event.start_turn or ctx.turn
    return
  end
  if event.type == "license_decision" and event.importer == ctx.country and event.application then
    local key = tostring(event.application)
    local first = math.max(ctx.turn, (m.app_start or {})[key] or ctx.turn)
    if m.app_start then m.app_start[key] = nil end
    local requested, approved = event.requested_t or 0, event.approved_t or 0
    local stockpiled = settings(ctx).cover_months[event.good or ""]
    if event.end_use == "civilian" and stockpiled and event.good and requested > 0 and approved < 0.5 * requested then
      -- When, in words: the log's readers count turns from 1 (the window, `run`), ctx.turn from 0.
      local when = first == ctx.turn and "now" or first == ctx.turn + 1 and "from next turn"
                   or string.format("in %d turns", first - ctx.turn)
      halt(ctx, event.good, first, requested - approved,
        string.format("%s refused %.1f t/turn of %s for Japan's firms: the stockpile releases it %s",
          tostring(event.country), requested - approved, event.good, when))
    end
    return
  end
  if event.type == "scripted" and event.kind == "regime" and event.target == ctx.country
     and event.country and event.good and ctx:regime(event.country, event.good, ctx.country) == "embargo" then
    -- Last turn's shipments from the halting country: what the stockpile has to make up.
    halt(ctx, event.good, ctx.turn, ctx:flow(event.good, event.country, ctx.country),
      "shipments of " .. event.good .. " from " .. event.country .. " halted: the stockpile releases it")
  end
end

return policy
