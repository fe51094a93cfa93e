-- Malaysia: the separation hub outside China.
--
-- Lynas's Kuantan plant (~10.5 kt/yr NdPr oxide, first Dy/Tb oxide in 2025) separates
-- Australian concentrate; it is the largest NdPr separation outside China. Kuala Lumpur wants
-- the downstream work (it banned raw rare-earth exports in 2023) but watches the plant's
-- residues closely, so expansions are modest. The policy expands separation when its plants
-- run full and sell abroad (or when ore it mines leaves raw, if it ever mines), one project at
-- a time, and approves every licence request in full.
-- In the 2009-2014 scenario (params: invest = false) the Lynas plant is scripted.

local util = require("lib.util")
local supplier = require("lib.supplier")

---@type Policy
local policy = {}

-- Its policy_params, declared: a misspelt or out-of-range key is refused at load with its place in
-- the scenario. `pairs` without a default keeps the one in settings() below.
policy.params = {
  invest = { type = "boolean", default = true },
  pairs = { type = "list", doc = "{ore, oxide, tonnes} separation it expands" },
  full_share = { type = "number", default = 0.9, min = 0, max = 1 },
  treasury_share = { type = "number", default = 0.5, min = 0, max = 1 },
}

local function settings(ctx)
  local p = ctx.params or {}
  return {
    invest = p.invest ~= false,
    pairs = p.pairs or {
      { ore = "ndpr_concentrate", oxide = "ndpr_oxide", tonnes = 800 },
      { ore = "dytb_concentrate", oxide = "dytb_oxide", tonnes = 50 },
    },
    full_share = p.full_share or 0.9,
    treasury_share = p.treasury_share or 0.5,
  }
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  if not s.invest then return end
  for _, pair in ipairs(s.pairs) do
    supplier.build_separation(ctx, pair, { full_share = s.full_share, treasury_share = s.treasury_share })
  end
end

function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 4, false)
end

return policy
