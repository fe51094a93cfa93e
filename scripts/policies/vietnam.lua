-- Vietnam: building magnets, slowly.
--
-- Vietnam has the world's sixth rare-earth reserves (3.5 Mt REO, USGS) and Japanese magnet
-- plants (Shin-Etsu in Hai Phong) feeding its electronics assembly. Hanoi's 2023 strategy wants
-- processing and magnets at home, but budgets are small. The policy adds a small magnet plant
-- every two years or so while most of its magnets are imported, and leaves its (open) regimes,
-- licensing and stockpile alone.

local util = require("lib.util")
local builder = require("lib.builder")

---@type Policy
local policy = {}

local function settings(ctx)
  local p = ctx.params or {}
  return {
    magnet_tonnes = p.magnet_tonnes or 500,
    every = p.every or 8,
    import_share = p.import_share or 0.4,
    treasury_share = p.treasury_share or 0.3,
  }
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  builder.build_slowly(ctx, "ndfeb_magnet", { tonnes = s.magnet_tonnes, every = s.every,
                                              import_share = s.import_share, treasury_share = s.treasury_share })
end

function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 4, false)
end

return policy
