-- Rest of world: a free trader.
--
-- "Rest of world" is an aggregate (Nigeria, Thailand, Russia, Madagascar, Laos, Canada, the UK,
-- ...): it has no single government to restrict trade, impose a tariff or hold a stockpile, so
-- its policy is free trade - everything open, no tariffs or duties, every licence request
-- granted in full, no stockpile and no state projects (private firms still invest).
-- (scripts/policies/free_trader.lua is the same idea as an archetype to copy.)

local util = require("lib.util")

---@type Policy
local policy = {}

function policy.init(ctx)
  util.open_everything(ctx)
  -- Remove any tariff or export duty a scenario gave the aggregate.
  for _, g in ipairs(ctx:goods()) do
    for _, c in ipairs(ctx:countries()) do
      if c ~= ctx.country then
        if ctx:tariff(ctx.country, g.id, c) > 0 then util.check(ctx, "tariff", ctx:set_tariff(g.id, c, 0)) end
        if ctx:export_duty(ctx.country, g.id, c) > 0 then util.check(ctx, "duty", ctx:set_export_duty(g.id, c, 0)) end
      end
    end
  end
end

function policy.on_turn(ctx)
  -- Nothing to decide: markets allocate.
end

function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 8, false)
end

return policy
