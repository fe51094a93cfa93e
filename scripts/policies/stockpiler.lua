-- stockpiler.lua: an archetype. Insurance first.
--
-- Holds a strategic stockpile of every good it uses, measured in months of use, buys when
-- prices are normal and releases when they spike or demand goes unmet. Licensing (if it
-- exports under licence) is left to the autopilot. A stockpile cannot stop a long cutoff, but
-- it turns a quarter's shock into a non-event - and costs storage every turn it is not used.
-- Params (all optional; declared in policy.params below, so a misspelt or out-of-range key is
-- refused at load with its place in the scenario):
--   cover_months   months of use held, per good, `default` for the others
--                  (default {default: 3}; e.g. {default: 2, dytb_oxide: 6})
--   buy_below      buy below this × reference price (1.2)
--   release_above  release above this × reference price (2.5)
--   step_months    at most this many months of use bought a quarter (0.5; util.keep_stockpile)
--   treasury_share at most this share of the treasury per order (0.2)

local util = require("lib.util")

---@type Policy
local policy = {}

policy.params = {
  cover_months = { type = "map", default = { default = 3 }, doc = "months of use per good; default: the others" },
  buy_below = { type = "number", default = 1.2, min = 0 },
  release_above = { type = "number", default = 2.5, min = 0 },
  step_months = { type = "number", default = 0.5, min = 0 },
  treasury_share = { type = "number", default = 0.2, min = 0, max = 1 },
}

function policy.on_turn(ctx)
  local p = ctx.params
  for _, g in ipairs(ctx:goods()) do
    if ctx:use(g.id) > 0 then
      local action, tonnes = util.keep_stockpile(ctx, g.id, {
        target_months = util.param(p.cover_months, g.id, 3),
        buy_below = p.buy_below or 1.2,
        release_above = p.release_above or 2.5,
        input_squeeze = true,
        step_months = p.step_months or 0.5,
        treasury_share = p.treasury_share or 0.2,
      })
      -- Log only what changes the picture: releases (buys happen most turns).
      if action == "release" then
        ctx:log(string.format("releases %.0f t of %s (%.1f months of use held)", tonnes, g.id,
          util.stockpile_months(ctx, g.id)))
      end
    end
  end
end

-- Supply contracts and stockpile loans that add to its cover are welcome; it never lends.
function policy.on_proposal(ctx, p)
  for _, c in ipairs(p.clauses) do
    if c.type == "stockpile_loan" and c.from == ctx.country then
      return { answer = "reject", note = "our stockpile is not for lending" }
    end
  end
  local f = ctx:forecast(p.id)
  if f and f.feasible and (f.security > 0 or f.gain >= -0.001) then return "accept" end
  return { answer = "reject", note = "it does not add to our security" }
end

function policy.on_license_request(ctx, app)
  ctx:autopilot()
end

return policy
