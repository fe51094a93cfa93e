-- A slow builder: a country that imports most of its magnets and builds its own plants a little
-- at a time, as its budget allows (India and Vietnam in the baseline; their programmes are in the
-- scenario). Once a plant is running it adds another every `every` turns while more than
-- `import_share` of its magnets are imported; with `oxide_tonnes` it grows separation the same
-- way when its magnet plants need oxide it must import. Licences (if a scenario makes it license
-- anything) are granted in full; its regimes and stockpile are left alone.
--
-- ctx.params (defaults in brackets):
--   magnet_tonnes   t/yr of each new magnet plant [500]
--   oxide_tonnes    t/yr of each new separation plant; 0 builds none [0]
--   every           turns between plants of the same good [8]
--   import_share    builds while imports exceed this share of use [0.4]
--   treasury_share  at most this share of the treasury on one plant [0.3]
--   licence_turns   how long an approval is valid, in turns [a year: ctx:turns_per_year()]

local util = require("lib.util")
local builder = require("lib.builder")

---@type Policy
local policy = {}

-- Declared (the list above): a misspelt or out-of-range key is refused at load with its place.
policy.params = {
  magnet_tonnes = { type = "number", default = 500, min = 0 },
  oxide_tonnes = { type = "number", default = 0, min = 0 },
  every = { type = "integer", default = 8, min = 1 },
  import_share = { type = "number", default = 0.4, min = 0, max = 1 },
  treasury_share = { type = "number", default = 0.3, min = 0, max = 1 },
  licence_turns = { type = "integer", min = 1, doc = "licence validity in turns (default: a year)" },
}

local function settings(ctx)
  local p = ctx.params or {}
  return {
    magnet_tonnes = p.magnet_tonnes or 500,
    oxide_tonnes = p.oxide_tonnes or 0,
    every = p.every or 8,
    import_share = p.import_share or 0.4,
    treasury_share = p.treasury_share or 0.3,
    licence_turns = p.licence_turns or util.months_to_turns(ctx, 12),
  }
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  -- One project per good while one is pending: a scenario's own plants come first.
  builder.build_slowly(ctx, "ndfeb_magnet", { tonnes = s.magnet_tonnes, every = s.every,
                                              import_share = s.import_share, treasury_share = s.treasury_share })
  if s.oxide_tonnes > 0 then
    builder.build_slowly(ctx, "ndpr_oxide", { tonnes = s.oxide_tonnes, every = s.every,
                                              import_share = s.import_share, treasury_share = s.treasury_share })
  end
end

function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, settings(ctx).licence_turns, false)
end

return policy
