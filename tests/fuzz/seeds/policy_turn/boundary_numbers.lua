-- Fuzz seed (docs/testing.md §Fuzzing): every command with numbers at and past the edges, so the
-- fuzzer starts next to the API boundary's range checks. Each call is protected: the point is
-- what the host does with the values, not whether a call succeeds. (decide_license's `turns` is
-- left out until its range check lands: issue 17 item 4, agents/lua/api_commands.cpp.)
local odd = {0, -1, 1, 0.5, 2^31, 2^32 + 5, 2^53, 2^63, -2^63, 1e308, -1e308, math.huge, -math.huge, 0/0}
local function try(f, ...) pcall(f, ...) end
return {
  on_turn = function(ctx)
    local goods, countries = ctx:goods(), ctx:countries()
    local g, c = goods[1], countries[2]
    for _, x in ipairs(odd) do
      try(ctx.set_export_duty, ctx, g, c, x)
      try(ctx.set_export_quota, ctx, g, x)
      try(ctx.set_production_quota, ctx, g, x)
      try(ctx.stockpile_buy, ctx, g, x, x)
      try(ctx.stockpile_release, ctx, g, x, x)
      try(ctx.invest, ctx, g, x, {host = c, private = true})
      try(ctx.set_subsidy, ctx, g, x)
      try(ctx.set_price_floor, ctx, g, x)
      try(ctx.set_tariff, ctx, g, c, x)
      try(ctx.decide_license, ctx, x, "approve", {tonnes = x, share = x})
      try(ctx.revoke_license, ctx, x)
      try(ctx.respond, ctx, x, "accept")
      try(ctx.withdraw, ctx, x, "note")
      try(ctx.forecast, ctx, c, {{type = "supply", good = g, tonnes = x, turns = x}})
      try(ctx.propose, ctx, c, {{type = "supply", good = g, tonnes = x, turns = x}}, {expires = x})
      try(ctx.price, ctx, g, x)
      try(ctx.trust, ctx, x)
    end
    try(ctx.set_regime, ctx, g, c, "licensed")
    try(ctx.set_defense_priority, ctx, g, true)
  end,
  on_license_request = function(ctx, app)
    pcall(ctx.decide_license, ctx, app.id, "approve", {turns = 8, share = 0/0})
  end,
}
