-- India: building magnets slowly, on its own ore.
--
-- India has 6.9 Mt REO of monazite reserves (USGS) and a state miner-separator (IREL), but
-- imports nearly all its magnets from China. The REPM scheme (INR 7,280 crore, Nov 2025) funds
-- 6 kt/yr of magnet plants; the scenario starts that project. The policy keeps at it: once a
-- plant is running it adds another every couple of years while most magnets are imported, and
-- grows separation when the magnet plants need oxide it must import. Licences (if a scenario
-- makes India license anything) are granted in full; the stockpile is left alone.

local util = require("lib.util")
local builder = require("lib.builder")

---@type Policy
local policy = {}

local function settings(ctx)
  local p = ctx.params or {}
  return {
    magnet_tonnes = p.magnet_tonnes or 1000,
    oxide_tonnes = p.oxide_tonnes or 500,
    every = p.every or 8,
    import_share = p.import_share or 0.5,
    treasury_share = p.treasury_share or 0.25,
  }
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  -- One project per good while one is pending: the scenario's REPM plants come first.
  builder.build_slowly(ctx, "ndfeb_magnet", { tonnes = s.magnet_tonnes, every = s.every,
                                              import_share = s.import_share, treasury_share = s.treasury_share })
  builder.build_slowly(ctx, "ndpr_oxide", { tonnes = s.oxide_tonnes, every = s.every,
                                            import_share = s.import_share, treasury_share = s.treasury_share })
end

function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 4, false)
end

return policy
