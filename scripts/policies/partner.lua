-- A partner to be courted: a country with deposits and little capital of its own, which wants
-- investors from every side and a place in the chain rather than a side in the dispute
-- (Brazil, South Africa and Greenland in the baseline; their reasons are in the scenario).
--
-- The policy keeps every export regime open, approves any licence request in full (if a scenario
-- ever makes the country license anything), and welcomes each foreign-financed project it hosts
-- in the log, so the log shows who courts whom.
--
-- ctx.params:
--   licence_turns  how long an approval is valid, in turns (default: two years, 8 turns of 3 months)

local util = require("lib.util")

---@type Policy
local policy = {}

-- Declared: a misspelt or out-of-range key is refused at load with its place in the scenario.
policy.params = {
  licence_turns = { type = "integer", min = 1, doc = "licence validity in turns (default: two years)" },
}

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
  local p = ctx.params or {}
  util.approve(ctx, app, 1.0, p.licence_turns or util.months_to_turns(ctx, 24), false)
end

return policy
