-- Australia: a supplier moving up the chain.
--
-- Australia mines ~13 kt REO a year (Mt Weld, and Iluka's Eneabba from 2027) but has shipped
-- its concentrate to Malaysia (Lynas Kuantan) and China to be separated. Canberra's Critical
-- Minerals Strategy and the AUD 1.65bn Eneabba loan aim to keep that value at home. The policy
-- builds NdPr (and a little Dy/Tb) separation whenever most of the ore it mines leaves raw and
-- its own plants could not take it - one project per oxide while one is being built, so the
-- Eneabba refinery of the scenario comes first. It keeps its regimes (the concentrate embargo
-- toward China stands for Lynas's integrated chain) and approves every licence request in full.
-- In the 2009-2014 scenario (params: invest = false) Mt Weld and Lynas are scripted.

local util = require("lib.util")
local supplier = require("lib.supplier")

---@type Policy
local policy = {}

local function settings(ctx)
  local p = ctx.params or {}
  return {
    invest = p.invest ~= false,
    pairs = p.pairs or {
      { ore = "ndpr_concentrate", oxide = "ndpr_oxide", tonnes = 2000 },
      { ore = "dytb_concentrate", oxide = "dytb_oxide", tonnes = 150 },
    },
    raw_export_share = p.raw_export_share or 0.5,
    treasury_share = p.treasury_share or 0.4,
  }
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  if not s.invest then return end
  for _, pair in ipairs(s.pairs) do
    supplier.build_separation(ctx, pair, { raw_export_share = s.raw_export_share,
                                           treasury_share = s.treasury_share })
  end
end

-- A supplier courts buyers: whatever a scenario makes it license, it approves in full.
function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 4, false)
end

return policy
