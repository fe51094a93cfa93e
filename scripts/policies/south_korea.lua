-- South Korea: a stockpiler, lite.
--
-- KOMIR (the Korea Mine Rehabilitation and Mineral Resources Corporation) holds a small
-- rare-earth stockpile and aims at 100 days of use by 2030. Korea's magnet users (EV motors,
-- electronics) import nearly everything, mostly from China, and Seoul has neither ore nor the
-- budget to build a chain. So the policy only stockpiles - more patiently than Japan: the
-- target grows toward 100 days over the years, it buys in small steps and only clearly below
-- the reference price, and it releases in a squeeze. Licensing it leaves to the autopilot.

local util = require("lib.util")

---@type Policy
local policy = {}

-- Its policy_params, declared: a misspelt or out-of-range key is refused at load with its place in
-- the scenario. `goods` without a default keeps the one in settings() below.
policy.params = {
  start_months = { type = "number", default = 1, min = 0 },
  final_months = { type = "number", default = 3.3, min = 0 },
  ramp_turns = { type = "integer", min = 1, doc = "turns to reach final_months (default: 4 years)" },
  goods = { type = "list" },
  buy_below = { type = "number", default = 1.1, min = 0 },
  release_above = { type = "number", default = 2.5, min = 0 },
  step_months = { type = "number", default = 0.25, min = 0 },
}

local function settings(ctx)
  local p = ctx.params or {}
  return {
    start_months = p.start_months or 1,       -- target at the start of the game
    final_months = p.final_months or 3.3,     -- KOMIR: 100 days ...
    ramp_turns = p.ramp_turns or util.months_to_turns(ctx, 48),  -- ... reached after 4 years
    goods = p.goods or { "ndpr_oxide", "dytb_oxide" },
    buy_below = p.buy_below or 1.1,
    release_above = p.release_above or 2.5,
    step_months = p.step_months or 0.25,
  }
end

function policy.on_turn(ctx)
  local s = settings(ctx)
  local target = s.start_months + (s.final_months - s.start_months) * math.min(1, ctx.turn / s.ramp_turns)
  for _, good in ipairs(s.goods) do
    util.keep_stockpile(ctx, good, { target_months = target, buy_below = s.buy_below,
                                     release_above = s.release_above, step_months = s.step_months, input_squeeze = true,
                                     treasury_share = 0.1 })
  end
end

function policy.on_license_request(ctx, app)
  ctx:autopilot()
end

return policy
