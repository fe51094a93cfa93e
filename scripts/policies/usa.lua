-- United States: reshoring, a stockpile, a price floor and partners abroad.
--
-- Washington's answer to China's licences is to rebuild the chain it let go in the 2000s:
-- DoD money for separation and magnet plants (MP Materials, Lynas Texas), the $110/kg NdPr
-- floor of the July 2025 DoD-MP deal, the DLA stockpile, and offtake deals with partners that
-- have the ore but not the plants (Australia, Brazil, Greenland). The policy:
--   * reshores: when most of what the US uses of a separated or magnet good is imported and
--     the treasury can spare the capex, it starts a plant - once per good while one of its
--     projects for that good is still being built (the scenario's MP/Lynas projects count);
--   * keeps the strategic stockpile toward a target in months of use, buys below ~1.2× the
--     reference price, and releases in a squeeze of prices or of its sectors - magnets first for
--     defense; not for magnet lines idle for lack of an oxide (no input_squeeze, unlike Japan's
--     and the EU's: the DLA's stockpile serves defense, it is not a buffer for industry);
--   * finances a project abroad every so often for a share of its output (partners list);
--   * keeps the NdPr price floor and the tariffs the scenario set, except as the price of a deal
--     (params.price_floor sets a floor at the start if a scenario wants one);
--   * negotiates: supply contracts for separated NdPr and magnets with partners that have
--     spare capacity, and - the rare-earths-for-tariffs bargain - a general license for Chinese
--     magnets and Dy/Tb oxide, civilian use, offered against a tariff cut and an end-use
--     assurance; it answers offers on the forecast helper and never lifts its tariff on Chinese
--     magnets below params.tariff_floor (0.25).
-- In the 2009-2014 scenario (params: invest = false, partners = []) the US response to the
-- crisis - the Mountain Pass restart - is scripted, so the policy only keeps a stockpile.

local util = require("lib.util")
local diplomat = require("lib.diplomat")

---@type Policy
local policy = {}

local default_partners = {
  -- Separation next to Australian ore (cf. the US-Australia critical minerals framework, 2025).
  { host = "australia", good = "ndpr_oxide", tonnes = 2000, share = 0.5 },
  -- Ore from the large, little-mined deposits the US courts.
  { host = "brazil", good = "ndpr_concentrate", tonnes = 1500, share = 0.5 },
  { host = "greenland", good = "ndpr_concentrate", tonnes = 1500, share = 0.6 },
}

-- Its policy_params, declared: a misspelt or out-of-range key is refused at load with its place in
-- the scenario. A list or map without a default keeps the one in settings() below.
policy.params = {
  invest = { type = "boolean", default = true },
  invest_import_share = { type = "number", default = 0.6, min = 0, max = 1 },
  invest_tonnes = { type = "map", doc = "t/yr per reshoring decision, per good" },
  treasury_share = { type = "number", default = 0.25, min = 0, max = 1 },
  cover_months = { type = "map" },
  buy_below = { type = "number", default = 1.2, min = 0 },
  release_above = { type = "number", default = 3.0, min = 0 },
  defense_unmet = { type = "number", default = 0.15, min = 0, max = 1 },
  partners = { type = "list", doc = "{host, good, tonnes, share} financed abroad" },
  partner_every = { type = "integer", default = 4, min = 1 },
  partner_from_turn = { type = "integer", default = 1, min = 0 },
  price_floor = { type = "map", doc = "{good = USD/kg} set at the start" },
  negotiate = { type = "boolean", default = true },
  supply_goods = { type = "list" },
  supply_partners = { type = "list" },
  china_goods = { type = "list" },
  bargain_every = { type = "integer", default = 4, min = 1 },
  tariff_cut = { type = "number", default = 0.05, min = 0 },
  tariff_floor = { type = "number", default = 0.25, min = 0 },
}

local function settings(ctx)
  local p = ctx.params or {}
  return {
    invest = p.invest ~= false,
    invest_import_share = p.invest_import_share or 0.6,
    -- t/yr per reshoring decision, per good (Dy/Tb plants are tiny: world supply is ~4 kt/yr).
    invest_tonnes = p.invest_tonnes or { ndpr_oxide = 1500, dytb_oxide = 100, ndfeb_magnet = 1500 },
    treasury_share = p.treasury_share or 0.25,   -- never commit more than this to one project
    cover_months = p.cover_months or { ndpr_oxide = 2, dytb_oxide = 6, ndfeb_magnet = 0.2 },
    buy_below = p.buy_below or 1.2,
    release_above = p.release_above or 3.0,
    defense_unmet = p.defense_unmet or 0.15,
    partners = p.partners or default_partners,
    partner_every = p.partner_every or 4,        -- turns between two deals abroad
    partner_from_turn = p.partner_from_turn or 1,
    price_floor = p.price_floor,                 -- {good = USD/kg}; nil: leave the scenario's
    negotiate = p.negotiate ~= false,
    supply_goods = p.supply_goods or { "ndpr_oxide", "ndfeb_magnet" },
    supply_partners = p.supply_partners or { "australia", "japan", "malaysia", "south_korea", "eu" },
    china_goods = p.china_goods or { "ndfeb_magnet", "dytb_oxide" },  -- licensed goods to bargain for
    bargain_every = p.bargain_every or 4,
    tariff_cut = p.tariff_cut or 0.05,           -- offered per bargain (China asks for more)
    tariff_floor = p.tariff_floor or 0.25,       -- on Chinese magnets: never lower
  }
end

function policy.init(ctx)
  local s = settings(ctx)
  ctx.memory.next_partner = ctx.memory.next_partner or 1
  ctx.memory.partner_turn = ctx.memory.partner_turn or s.partner_from_turn
  if s.price_floor then
    for _, good in ipairs(util.sorted_keys(s.price_floor)) do
      util.check(ctx, "floor:" .. good, ctx:set_price_floor(good, s.price_floor[good]))
    end
  end
end

-- Defense first: a real shortfall in a defense sector (more than `defense_unmet` of its demand;
-- the cheapest twelfth of any sector's demand is priced out whenever prices are above normal,
-- which is not a shortage) releases stockpiled magnets at once. Defense outbids every civilian
-- use, so released tonnes reach it.
local function defend(ctx, s)
  local tpy = util.turns_per_year(ctx)
  for _, sector in ipairs(ctx:sectors()) do
    if sector.defense then
      local short = ctx:unmet(sector.id)
      local per_turn = ctx:demand(sector.id) / tpy
      local held = ctx:stockpile(sector.good)
      if per_turn > 0 and short / per_turn > s.defense_unmet and held >= 1 then
        local amount = math.floor(math.min(held, short * 1.2))
        if amount >= 1 and util.check(ctx, "defense:" .. sector.good, ctx:stockpile_release(sector.good, amount)) then
          ctx:log(string.format("releases %.0f t of %s for %s (%.0f t unmet)", amount, sector.good, sector.id, short))
          return true
        end
      end
    end
  end
  return false
end

local function reshore(ctx, s)
  for _, good in ipairs(util.sorted_keys(s.invest_tonnes)) do
    local share = util.import_share(ctx, good)
    if share > s.invest_import_share then
      util.invest_once(ctx, good, s.invest_tonnes[good], {
        treasury_share = s.treasury_share,
        why = string.format("%.0f%% of use imported", 100 * share),
      })
    end
  end
end

-- One deal abroad at a time, in list order. A deal the engine refuses (e.g. the host has no
-- reserves) is skipped; one the treasury cannot afford yet waits.
local function partner(ctx, s)
  local m = ctx.memory
  local deal = s.partners[m.next_partner]
  if not deal or ctx.turn < m.partner_turn then return end
  local started, why = util.invest_once(ctx, deal.good, deal.tonnes, {
    host = deal.host, share = deal.share, treasury_share = s.treasury_share,
    why = "a partner's ore and plants for a share of the output",
  })
  if started or why == "refused" or why == "pending" then
    m.next_partner = m.next_partner + 1
    m.partner_turn = ctx.turn + s.partner_every
  end
end

-- The rare-earths-for-tariffs bargain: a general license for a licensed Chinese good, civilian
-- use, against a cut of the US tariff on it and an end-use assurance. One good per bargain,
-- every `bargain_every` turns, while none is in force or on the table.
local function bargain_with_china(ctx, s)
  local m = ctx.memory
  if ctx.turn < (m.next_bargain or 1) or diplomat.talking_to(ctx, "china") then return end
  for _, good in ipairs(s.china_goods) do
    if ctx:regime("china", good, ctx.country) == "licensed" and not diplomat.has_deal(ctx, "china", "license", good) then
      local need = math.max(ctx:flow(good, "china", ctx.country), ctx:use(good) / util.turns_per_year(ctx) * 0.3)
      local tariff = ctx:tariff(ctx.country, good, "china")
      local floor = good == "ndfeb_magnet" and s.tariff_floor or 0
      local clauses = {
        { type = "license", from = "china", to = "me", good = good, tonnes = util.floor_to(need, 1),
          civilian_only = true, max_delay = 0 },
        { type = "end_use", from = "me", to = "china", good = good },
      }
      if tariff > floor then
        clauses[#clauses + 1] = { type = "tariff", from = "me", to = "china", good = good,
                                  rate = math.max(floor, tariff - s.tariff_cut) }
      end
      if need >= 1 then
        local ok, err = ctx:propose("china", clauses, { turns = util.months_to_turns(ctx, 24), note = "licenses for tariff relief" })
        if ok then ctx:log("offers China a tariff cut on " .. good .. " for a general license") else util.log_once(ctx, "bargain:" .. err, err) end
        m.next_bargain = ctx.turn + s.bargain_every
        return
      end
    end
  end
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  if s.negotiate then
    bargain_with_china(ctx, s)
    diplomat.seek_supply(ctx, { goods = s.supply_goods, partners = s.supply_partners, min_import_share = 0.4 })
  end
  local released_for_defense = defend(ctx, s)
  for _, good in ipairs(util.sorted_keys(s.cover_months)) do
    if not (released_for_defense and good == "ndfeb_magnet") then
      util.keep_stockpile(ctx, good, { target_months = s.cover_months[good], buy_below = s.buy_below,
                                       release_above = s.release_above, treasury_share = 0.15 })
    end
  end
  if s.invest then
    reshore(ctx, s)
    partner(ctx, s)
  end
end

-- Offers are judged on the forecast; the tariff on Chinese magnets has a floor.
function policy.on_proposal(ctx, p)
  local s = settings(ctx)
  return diplomat.judge(ctx, p, {
    min_trust = 0.15,
    red_line = function(_, prop)
      for _, c in ipairs(prop.clauses) do
        if c.type == "tariff" and c.from == ctx.country and c.good == "ndfeb_magnet" and c.rate < s.tariff_floor then
          return string.format("our tariff on magnets stays at %.0f%% or more", 100 * s.tariff_floor)
        end
        if c.type == "regime" and c.from == ctx.country then return "we do not bargain over our export controls" end
      end
      return nil
    end,
  })
end

-- The US licenses nothing in the shipped scenarios; if a scenario makes it, allies get what
-- they ask for and others nearly so.
function policy.on_license_request(ctx, app)
  util.approve(ctx, app, ctx:trust(app.importer) >= 0.5 and 1.0 or 0.9, 4, false)
end

-- A new Chinese licence on US imports is the signal the reshoring lobby waits for: remember it
-- (the log shows it; ctx.memory keeps it across reloads).
function policy.on_event(ctx, event)
  if event.type == "scripted" and event.kind == "regime" and event.target == ctx.country then
    ctx.memory.restricted = ctx.memory.restricted or {}
    if event.good then ctx.memory.restricted[event.good] = ctx.turn end
    ctx:log("noted: " .. event.text)
  end
end

return policy
