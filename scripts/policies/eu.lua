-- European Union: a diversifier with a thin purse and strict permits.
--
-- The Critical Raw Materials Act (2024) sets benchmarks - no more than 65 % of a strategic
-- material from one third country, 40 % of processing in the EU by 2030 - and RESourceEU
-- (Dec 2025) adds joint purchasing and a stockpiling pilot. Brussels has money for many small
-- projects rather than a few big ones, and permitting is slow. The policy:
--   * builds small plants at home (separation, Dy/Tb, magnets) when one supplier dominates or
--     most of a good is imported - one project per good at a time;
--   * develops a mine when a deposit is confirmed at home (the scenario's LKAB Per Geijer
--     event): on_event notices it, on_turn invests once the treasury allows;
--   * keeps a modest strategic stockpile (the pilot), bought in slumps, released in a squeeze.
-- In the 2009-2014 scenario (params: invest = false) it only stockpiles, if given targets.

local util = require("lib.util")
local diplomat = require("lib.diplomat")

---@type Policy
local policy = {}

-- Its policy_params, declared: a misspelt or out-of-range key is refused at load with its place in
-- the scenario. A list or map without a default keeps the one in settings() below.
policy.params = {
  negotiate = { type = "boolean", default = true },
  supply_goods = { type = "list" },
  supply_partners = { type = "list" },
  invest = { type = "boolean", default = true },
  invest_import_share = { type = "number", default = 0.7, min = 0, max = 1 },
  one_supplier_share = { type = "number", default = 0.65, min = 0, max = 1 },
  invest_tonnes = { type = "map" },
  mine_tonnes = { type = "number", default = 1500, min = 0 },
  treasury_share = { type = "number", default = 0.2, min = 0, max = 1 },
  cover_months = { type = "map" },
  buy_below = { type = "number", default = 1.15, min = 0 },
  release_above = { type = "number", default = 2.5, min = 0 },
}

local function settings(ctx)
  local p = ctx.params or {}
  return {
    negotiate = p.negotiate ~= false,
    supply_goods = p.supply_goods or { "ndpr_oxide", "ndfeb_magnet", "dytb_oxide" },
    supply_partners = p.supply_partners or { "australia", "malaysia", "japan", "vietnam", "india", "south_korea" },
    invest = p.invest ~= false,
    import_share = p.invest_import_share or 0.7,   -- CRMA: reduce dependence above this
    one_supplier_share = p.one_supplier_share or 0.65,  -- CRMA: max share from one country
    invest_tonnes = p.invest_tonnes or { ndpr_oxide = 800, dytb_oxide = 50, ndfeb_magnet = 1000 },
    mine_tonnes = p.mine_tonnes or 1500,
    treasury_share = p.treasury_share or 0.2,
    cover_months = p.cover_months or { ndpr_oxide = 1, dytb_oxide = 2 },
    buy_below = p.buy_below or 1.15,
    release_above = p.release_above or 2.5,
  }
end

function policy.init(ctx)
  ctx.memory.new_deposits = ctx.memory.new_deposits or {}
end

-- Who supplies most of a good to the EU, and what share (last turn's flows).
local function main_supplier(ctx, good)
  local best, share = nil, 0
  for _, c in ipairs(ctx:countries()) do
    if c ~= ctx.country then
      local s = util.supplier_share(ctx, good, c)
      if s > share then best, share = c, s end
    end
  end
  return best, share
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  if s.negotiate then
    diplomat.seek_supply(ctx, { goods = s.supply_goods, partners = s.supply_partners, min_import_share = 0.6,
                                every = 5 })
  end
  for _, good in ipairs(util.sorted_keys(s.cover_months)) do
    util.keep_stockpile(ctx, good, { target_months = s.cover_months[good], buy_below = s.buy_below,
                                     release_above = s.release_above, input_squeeze = true, treasury_share = 0.1 })
  end
  if not s.invest then return end

  for _, good in ipairs(util.sorted_keys(s.invest_tonnes)) do
    local imported = util.import_share(ctx, good)
    local supplier, share = main_supplier(ctx, good)
    if imported > s.import_share and share > s.one_supplier_share then
      util.invest_once(ctx, good, s.invest_tonnes[good], {
        treasury_share = s.treasury_share,
        why = string.format("%.0f%% imported, %.0f%% of imports from %s", 100 * imported, 100 * share, supplier),
      })
    end
  end

  -- A deposit confirmed at home becomes a mine (once; a refusal is logged and not retried).
  for _, good in ipairs(util.sorted_keys(ctx.memory.new_deposits)) do
    if ctx.memory.new_deposits[good] then
      local started, why = util.invest_once(ctx, good, s.mine_tonnes, {
        treasury_share = 0.5, why = "a new European deposit (permits permitting)",
      })
      if started or why == "refused" then ctx.memory.new_deposits[good] = false end
    end
  end
end

function policy.on_proposal(ctx, p)
  return diplomat.judge(ctx, p, { min_trust = 0.3 })
end

-- The EU licenses nothing in the shipped scenarios; if a scenario makes it, approve in full.
function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 4, false)
end

-- Scripted "reserves" events are the game's deposit discoveries.
function policy.on_event(ctx, event)
  if event.type == "scripted" and event.kind == "reserves" and event.country == ctx.country and event.good then
    ctx.memory.new_deposits = ctx.memory.new_deposits or {}
    ctx.memory.new_deposits[event.good] = true
    ctx:log("a deposit of " .. event.good .. " is confirmed at home; a mine project follows when funds allow")
  end
end

return policy
