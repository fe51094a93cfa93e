-- free_trader.lua: an archetype. Markets allocate; governments keep out.
--
-- Opens every regime, removes its tariffs and export duties, grants every licence request in
-- full and never stockpiles or builds. A free trader is a useful benchmark in a tournament:
-- how much does a seat lose (or gain) by not playing the leverage game at all?
-- It signs any deal that opens trade and does not clearly hurt it.
-- Params: keep_tariffs = true leaves tariffs as the scenario set them.

local util = require("lib.util")

---@type Policy
local policy = {}

-- Declared: a misspelt key is refused at load with its place in the scenario.
policy.params = {
  keep_tariffs = { type = "boolean", default = false },
}

function policy.init(ctx)
  util.open_everything(ctx)
  for _, g in ipairs(ctx:goods()) do
    for _, c in ipairs(ctx:countries()) do
      if c ~= ctx.country then
        if not ctx.params.keep_tariffs and ctx:tariff(ctx.country, g.id, c) > 0 then
          util.check(ctx, "tariff:" .. g.id, ctx:set_tariff(g.id, c, 0))
        end
        if ctx:export_duty(ctx.country, g.id, c) > 0 then
          util.check(ctx, "duty:" .. g.id, ctx:set_export_duty(g.id, c, 0))
        end
      end
    end
  end
end

function policy.on_turn(ctx)
  -- Deliberately nothing.
end

-- Deals that open trade are welcome; anything that does not hurt is signed (no red lines, no
-- haggling: the benchmark of a country that does not bargain).
function policy.on_proposal(ctx, p)
  for _, c in ipairs(p.clauses) do
    if c.type == "regime" or c.type == "license" or c.type == "supply" then
      local f = ctx:forecast(p.id)
      if not f or f.gain >= -0.002 then return "accept" end
    end
  end
  local f = ctx:forecast(p.id)
  if f and f.feasible and f.gain >= -0.001 then return "accept" end
  return { answer = "reject", note = "it costs us more than it brings" }
end

-- In case a scenario event licenses one of its goods: approve in full, for two years.
function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 8, false)
end

return policy
