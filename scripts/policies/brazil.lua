-- Brazil: a partner to be courted.
--
-- Brazil holds the world's second reserves (21 Mt REO, USGS) and mines almost none of them:
-- Serra Verde's ionic clays in Goias started in 2024. Brasilia wants investors - American,
-- European, Japanese or Chinese - and a place in the chain, not a side in the dispute. The
-- policy keeps every regime open, approves any licence request in full, and makes a point of
-- welcoming each foreign-financed project it hosts (the log shows who courts whom).

local util = require("lib.util")

---@type Policy
local policy = {}

function policy.init(ctx)
  -- Open to all comers: nothing is licensed or embargoed (a scenario may have set otherwise).
  util.open_everything(ctx)
end

function policy.on_turn(ctx)
  for _, p in ipairs(util.new_foreign_projects(ctx)) do
    ctx:log(string.format("welcomes %s's %.0f t/yr %s project (online turn %.0f)",
      p.owner, p.tonnes_per_year, p.good, p.online_turn))
  end
end

function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 8, false)
end

return policy
