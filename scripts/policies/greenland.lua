-- Greenland: a partner to be courted, on its own terms.
--
-- Tanbreez and Kvanefjeld hold large, heavy-rich deposits and nothing is mined yet. Nuuk wants
-- investment and independence from Copenhagen's budget, but banned uranium-bearing mining in
-- 2021 (which stopped Kvanefjeld) - the environment weighs heavily here. The policy keeps every
-- regime open, grants licences in full, and welcomes the partners who finance its mines.

local util = require("lib.util")

---@type Policy
local policy = {}

function policy.init(ctx)
  util.open_everything(ctx)
end

function policy.on_turn(ctx)
  for _, p in ipairs(util.new_foreign_projects(ctx)) do
    ctx:log(string.format("welcomes %s's %.0f t/yr %s project", p.owner, p.tonnes_per_year, p.good))
  end
end

function policy.on_license_request(ctx, app)
  util.approve(ctx, app, 1.0, 8, false)
end

return policy
