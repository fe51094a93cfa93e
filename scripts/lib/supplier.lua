-- Helpers for ore and oxide suppliers that want to move up the chain: load with
-- `local supplier = require("lib.supplier")`.
--
-- A country that exports its concentrate raw sells the cheapest part of the chain; the value
-- (and the leverage) sits in separation. Australia's and Malaysia's policies use this to decide
-- when to build separation; any supplier can.

local util = require("lib.util")

local supplier = {}

-- Builds separation for one ore -> oxide pair when
--   * raw: most of last turn's output of the ore was exported (exports / production above
--     `raw_export_share`) while the oxide capacity could not process the ore mined (capacity of
--     the oxide < annual ore output), or
--   * full: the country's separation ran at `full_share` of its capacity or more and it sold
--     oxide abroad (demand is there);
-- and no project of ours for the oxide is pending. `pair`: {ore=, oxide=, tonnes=}.
-- Returns true when a project was started.
function supplier.build_separation(ctx, pair, o)
  o = o or {}
  local tpy = util.turns_per_year(ctx)
  local mined = ctx:production(pair.ore)               -- t last turn
  local raw_out = ctx:exports(pair.ore)
  local capacity = ctx:capacity(pair.oxide)            -- t/yr
  local made = ctx:production(pair.oxide)

  local raw = mined > 0 and raw_out / mined > (o.raw_export_share or 0.5) and capacity < mined * tpy
  local full = capacity > 0 and made * tpy >= (o.full_share or 0.9) * capacity
      and ctx:exports(pair.oxide) > 0
  if not (raw or full) then return false end
  local why
  if raw then
    why = string.format("%.0f%% of the %s mined leaves raw", 100 * raw_out / mined, pair.ore)
  else
    why = string.format("separation ran at %.0f%% of capacity", 100 * made * tpy / capacity)
  end
  return (util.invest_once(ctx, pair.oxide, pair.tonnes, { treasury_share = o.treasury_share or 0.4, why = why }))
end

return supplier
