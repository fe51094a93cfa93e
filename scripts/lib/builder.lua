-- Slow, steady industrial policy: load with `local builder = require("lib.builder")`.
--
-- For countries that want a share of the magnet (or oxide) business but have small budgets:
-- they add a modest plant every few years while they still import most of what they use.
-- Vietnam's and India's policies use it.

local util = require("lib.util")

local builder = {}

-- Adds `tonnes` t/yr of `good` at home when more than `import_share` of its use was imported
-- last turn, no project of ours for the good is pending, at least `every` turns have passed
-- since the last one, and the treasury can spare `treasury_share` of itself.
-- Remembers the last decision turn in ctx.memory.builder[good]. Returns true when started.
function builder.build_slowly(ctx, good, o)
  local m = ctx.memory
  m.builder = m.builder or {}
  local last = m.builder[good]
  if last and ctx.turn - last < (o.every or 8) then return false end
  local share = util.import_share(ctx, good)
  if share <= (o.import_share or 0.5) then return false end
  local started = util.invest_once(ctx, good, o.tonnes or 500, {
    treasury_share = o.treasury_share or 0.25,
    why = string.format("%.0f%% of %s use is imported", 100 * share, good),
  })
  if started then m.builder[good] = ctx.turn end
  return started
end

return builder
