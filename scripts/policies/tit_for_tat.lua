-- tit_for_tat.lua: an archetype. Nice, retaliatory, forgiving, clear.
--
-- Axelrod's winner of the 1980 tournaments, applied to rare earths. It never moves first; each
-- turn it looks at what every other country has done to it since the game began and answers
-- in kind, good by good:
--   * they restrict a good toward us (open -> licensed -> embargo) -> we restrict that good
--     toward them as much, if we make it;
--   * they raise a tariff on one of our goods -> we raise ours on the same good from them by
--     as much;
-- and as soon as they go back, so do we - to where we started, not to "open": the scenario's
-- starting regimes and tariffs (ours and theirs) are history, not moves. Licences it grants in
-- full to countries that restrict nothing of ours and by half to those that do (defense end
-- use refused to them).
-- In negotiation it mirrors too: it signs deals with countries that have kept theirs (no breach
-- against it on record) when the forecast does not say no, refuses anyone who has broken a deal
-- with it until they have kept one since, and withdraws from every agreement with a country
-- that moves against it.
-- Reads per turn: (countries - 1) x goods x 5, a few hundred - modest.

local util = require("lib.util")
local diplomat = require("lib.diplomat")

---@type Policy
local policy = {}

local severity = { open = 0, licensed = 1, embargo = 2 }
local by_severity = { [0] = "open", [1] = "licensed", [2] = "embargo" }

function policy.init(ctx)
  local m = ctx.memory
  if m.base then return end  -- already set (a reload keeps ctx.memory)
  -- Where both sides stood at the start, per country and good.
  m.base = {}
  for _, c in ipairs(ctx:countries()) do
    if c ~= ctx.country then
      m.base[c] = {}
      for _, g in ipairs(ctx:goods()) do
        m.base[c][g.id] = {
          ours = ctx:regime(ctx.country, g.id, c), our_tariff = ctx:tariff(ctx.country, g.id, c),
          theirs = ctx:regime(c, g.id, ctx.country), their_tariff = ctx:tariff(c, g.id, ctx.country),
        }
      end
    end
  end
  m.restricting = {}   -- countries that have moved against us (for licensing)
end

function policy.on_turn(ctx)
  local m = ctx.memory
  if not m.base then policy.init(ctx) end  -- e.g. after switching to this file mid-game
  local me = ctx.country
  for _, c in ipairs(ctx:countries()) do
    if c ~= me and m.base[c] then
      local moved = false
      for _, g in ipairs(ctx:goods()) do
        local base = m.base[c][g.id]
        -- Their move on this good: how much more restrictive than at the start.
        local step = math.max(0, severity[ctx:regime(c, g.id, me)] - severity[base.theirs])
        local rise = math.max(0, ctx:tariff(c, g.id, me) - base.their_tariff)
        moved = moved or step > 0 or rise > 1e-6
        -- Our answer, on the same good.
        local want = severity[base.ours]
        if ctx:capacity(g.id) > 0 then want = math.min(2, want + step) end
        if ctx:regime(me, g.id, c) ~= by_severity[want] then
          util.check(ctx, "regime:" .. g.id, ctx:set_regime(g.id, c, by_severity[want]))
        end
        local tariff = base.our_tariff + rise
        if math.abs(ctx:tariff(me, g.id, c) - tariff) > 1e-6 then
          util.check(ctx, "tariff:" .. g.id, ctx:set_tariff(g.id, c, tariff))
        end
      end
      if moved and not m.restricting[c] then
        ctx:log(c .. " moved against us: we answer in kind")
        for _, a in ipairs(ctx:agreements({ mine = true })) do
          if (a.proposer == c or a.acceptor == c) and not a.withdraw_turn then
            util.check(ctx, "withdraw:" .. a.id, ctx:withdraw(a.id, "you moved against us"))
          end
        end
      end
      if m.restricting[c] and not moved then ctx:log(c .. " went back: so do we") end
      m.restricting[c] = moved or nil
    end
  end
end

-- A scenario event that changes one of our own regimes is not our move either: it becomes the
-- new starting point for that good (otherwise the next on_turn would undo it).
function policy.on_event(ctx, event)
  local m = ctx.memory
  if event.type == "agreement_breach" and event.target == ctx.country and event.country then
    m.broke = m.broke or {}
    m.broke[event.country] = true
    ctx:log(event.country .. " broke a deal with us: no new deals until it keeps one")
  elseif event.type == "agreement_ended" and event.status == "expired" and m.broke then
    -- A deal kept to the end forgives.
    local other = event.country == ctx.country and event.target or event.country
    if other and m.broke[other] then m.broke[other] = nil end
  end
  if not m.base or event.type ~= "scripted" or event.kind ~= "regime" or event.country ~= ctx.country
     or not event.good then return end
  for _, c in ipairs(ctx:countries()) do
    if m.base[c] and (event.target == nil or event.target == c) then
      m.base[c][event.good].ours = ctx:regime(ctx.country, event.good, c)
    end
  end
end

-- A breach against us is remembered until the breaker keeps a deal with us again.
function policy.on_proposal(ctx, p)
  local m = ctx.memory
  m.broke = m.broke or {}
  if m.broke[p.from] or (m.restricting or {})[p.from] then
    return { answer = "reject", note = "keep a deal with us first" }
  end
  return diplomat.judge(ctx, p, { min_trust = 0.2 })
end

function policy.on_license_request(ctx, app)
  if (ctx.memory.restricting or {})[app.importer] then
    if app.end_use == "defense" then
      util.deny(ctx, app)
    else
      util.approve(ctx, app, 0.5, 2, true)
    end
  else
    util.approve(ctx, app, 1.0, 4, false)
  end
end

return policy
