-- Australia: a supplier moving up the chain.
--
-- Australia mines ~13 kt REO a year (Mt Weld, and Iluka's Eneabba from 2027) but has shipped
-- its concentrate to Malaysia (Lynas Kuantan) and China to be separated. Canberra's Critical
-- Minerals Strategy and the AUD 1.65bn Eneabba loan aim to keep that value at home. The policy
-- builds NdPr (and a little Dy/Tb) separation whenever most of the ore it mines leaves raw and
-- its own plants could not take it - one project per oxide while one is being built, so the
-- Eneabba refinery of the scenario comes first. It keeps its regimes (the concentrate embargo
-- toward China stands for Lynas's integrated chain) and approves every licence request in full.
-- It sells offtake: every few turns it offers a partner (Japan, the USA, Korea, the EU in turn)
-- a share of a new separation plant's output for most of its capex, and it judges offers -
-- supply contracts above all - on the forecast.
-- In the 2009-2014 scenario (params: invest = false) Mt Weld and Lynas are scripted.

local util = require("lib.util")
local supplier = require("lib.supplier")
local diplomat = require("lib.diplomat")

---@type Policy
local policy = {}

-- Its policy_params, declared: a misspelt or out-of-range key is refused at load with its place in
-- the scenario. A list or map without a default keeps the one in settings() below.
policy.params = {
  invest = { type = "boolean", default = true },
  pairs = { type = "list", doc = "{ore, oxide, tonnes} separation built beside the mines" },
  raw_export_share = { type = "number", default = 0.5, min = 0, max = 1 },
  treasury_share = { type = "number", default = 0.4, min = 0, max = 1 },
  offtake_partners = { type = "list" },
  offtake = { type = "map", doc = "{good, tonnes, share, capex_share}" },
  offtake_every = { type = "integer", default = 6, min = 1 },
}

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
    offtake_partners = p.offtake_partners or { "japan", "usa", "south_korea", "eu" },
    offtake = p.offtake or { good = "ndpr_oxide", tonnes = 1500, share = 0.4, capex_share = 0.7 },
    offtake_every = p.offtake_every or 6,
  }
end

-- Offtake for sale: a partner funds most of a plant for a share of its output.
local function sell_offtake(ctx, s)
  local m = ctx.memory
  if ctx.turn < (m.next_offtake or 2) then return end
  m.next_offtake = ctx.turn + s.offtake_every
  m.offtake_index = (m.offtake_index or 0) % #s.offtake_partners + 1
  local partner = s.offtake_partners[m.offtake_index]
  if not diplomat.exists(ctx, partner) or diplomat.talking_to(ctx, partner) or ctx:trust(partner) < 0.4 then return end
  local o = s.offtake
  local ok, err = ctx:propose(partner, {
    { type = "investment", from = "them", to = "me", good = o.good, tonnes = o.tonnes, share = o.share,
      capex_share = o.capex_share },
  }, { turns = util.months_to_turns(ctx, 36), note = "Australian separation for your supply chain" })
  if ok then ctx:log("offers " .. partner .. " offtake from a new " .. o.good .. " plant")
  else util.log_once(ctx, "offtake:" .. err, err) end
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  if not s.invest then return end
  sell_offtake(ctx, s)
  for _, pair in ipairs(s.pairs) do
    supplier.build_separation(ctx, pair, { raw_export_share = s.raw_export_share,
                                           treasury_share = s.treasury_share })
  end
end

-- A supplier courts buyers: whatever a scenario makes it license, it approves in full.
function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 4, false)
end

function policy.on_proposal(ctx, p)
  return diplomat.judge(ctx, p, { min_trust = 0.3 })
end

return policy
