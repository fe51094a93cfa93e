-- South Africa: a partner to be courted.
--
-- Steenkampskraal once supplied thorium and rare earths; Phalaborwa's phosphogypsum stacks and
-- new projects could again. Pretoria balances the US, the EU and its BRICS partner China and
-- has little money of its own for the sector. The policy: open regimes for everyone, licences
-- (if a scenario ever asks) granted in full, and each foreign-financed project welcomed.

local util = require("lib.util")

---@type Policy
local policy = {}

function policy.init(ctx)
  util.open_everything(ctx)
end

function policy.on_turn(ctx)
  for _, p in ipairs(util.new_foreign_projects(ctx)) do
    ctx:log(string.format("signs up %s as a partner: %.0f t/yr of %s", p.owner, p.tonnes_per_year, p.good))
  end
end

function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 8, false)
end

return policy
