-- Negotiation helpers for Chokepoint policies: `local diplomat = require("lib.diplomat")`.
--
-- Plain Lua over the documented ctx API (docs/lua-api.md §Negotiation). Two halves:
--   * answering: diplomat.judge(ctx, proposal, opts) turns a proposal into an answer for
--     on_proposal - trust first, then the policy's red lines and amendments (a counter), then
--     the forecast helper (accept what leaves the country better off);
--   * asking: diplomat.seek_supply(ctx, opts) proposes supply contracts to partners with spare
--     capacity for goods the country imports a lot of.
-- State kept in ctx.memory under "_diplomat".

local util = require("lib.util")

local diplomat = {}

local function memory(ctx)
  ctx.memory._diplomat = ctx.memory._diplomat or { last_ask = {} }
  return ctx.memory._diplomat
end

-- The first clause of a type in a proposal or agreement, optionally from a given party.
function diplomat.clause(p, type, from)
  for _, c in ipairs(p.clauses) do
    if c.type == type and (from == nil or c.from == from) then return c end
  end
  return nil
end

-- Whether an agreement in force with `partner` has a clause of `type` for `good`.
function diplomat.has_deal(ctx, partner, type, good)
  for _, a in ipairs(ctx:agreements({ mine = true })) do
    if a.proposer == partner or a.acceptor == partner then
      for _, c in ipairs(a.clauses) do
        if c.type == type and (good == nil or c.good == good) then return true end
      end
    end
  end
  return false
end

-- Whether a proposal between this country and `partner` is waiting for an answer.
function diplomat.talking_to(ctx, partner)
  for _, p in ipairs(ctx:proposals()) do
    if p.from == partner or p.to == partner then return true end
  end
  return false
end

-- What a country could still make of a good per turn: capacity less last turn's production.
function diplomat.spare(ctx, good, country)
  local per_turn = ctx:capacity(good, country) / util.turns_per_year(ctx)
  return math.max(0, per_turn - ctx:production(good, country))
end

-- Judges a proposal. opts:
--   min_trust  (0.25) below this trust in the proposer: reject
--   min_gain   (-0.001) the forecast's gain needed to accept (a gain this close to 0 is noise)
--   haggle     (true)  a seller of a supply contract that does not pay counters once at +15%
--   red_line   function(ctx, p) -> reason | nil: refuse outright
--   amend      function(ctx, p) -> clauses | nil: the terms this country would accept instead
--              (answered as a counter; a counter to our own counter is judged on the forecast)
-- Returns an answer on_proposal can return.
function diplomat.judge(ctx, p, opts)
  opts = opts or {}
  if ctx:trust(p.from) < (opts.min_trust or 0.25) then
    return { answer = "reject", note = "we do not trust you enough" }
  end
  if opts.red_line then
    local why = opts.red_line(ctx, p)
    if why then return { answer = "reject", note = why } end
  end
  if opts.amend and p.counter_to == 0 then
    local clauses = opts.amend(ctx, p)
    if clauses then return { answer = "counter", clauses = clauses, turns = p.turns, note = "on these terms" } end
  end
  local f, err = ctx:forecast(p.id)
  if not f then return { answer = "reject", note = err } end
  if not f.feasible then return { answer = "reject", note = f.reason } end
  if f.breach == ctx.country then return { answer = "reject", note = "we could not keep it: " .. f.breach_reason } end
  if f.gain >= (opts.min_gain or -0.001) then return "accept" end
  if opts.haggle ~= false and p.counter_to == 0 and diplomat.clause(p, "supply", ctx.country) then
    local clauses = {}
    for i, c in ipairs(p.clauses) do
      local copy = {}
      for k, v in pairs(c) do copy[k] = v end
      if c.type == "supply" and c.from == ctx.country then copy.price = math.floor(c.price * 1.15 * 10 + 0.5) / 10 end
      clauses[i] = copy
    end
    return { answer = "counter", clauses = clauses, turns = p.turns, note = "at a better price" }
  end
  return { answer = "reject", note = string.format("it does not pay for us (forecast %+.4f)", f.gain) }
end

-- Whether a country is in this scenario (policies list partners that small scenarios lack).
function diplomat.exists(ctx, country)
  for _, c in ipairs(ctx:countries()) do
    if c == country then return true end
  end
  return false
end

-- Proposes supply contracts for goods this country depends on imports for. opts:
--   goods            list of goods
--   partners         list of countries to ask, in order of preference
--   min_import_share (0.5)  ask only while imports are at least this share of use
--   share            (0.25) of last turn's imports to contract
--   turns            (8)    duration
--   every            (4)    turns between two asks for the same good
--   premium          (1.05) over the higher of the partner's price and 0.9 × reference
--   min_trust        (0.4)
-- Returns the number of proposals made.
function diplomat.seek_supply(ctx, opts)
  local m = memory(ctx)
  local made = 0
  for _, good in ipairs(opts.goods) do
    local last = m.last_ask[good] or -1000
    local imports = ctx:imports(good)
    if ctx.turn - last >= (opts.every or 4) and imports > 0
        and util.import_share(ctx, good) >= (opts.min_import_share or 0.5)
        and ctx:negotiation().proposals_left > 0 then
      local best, best_spare = nil, 0
      for _, partner in ipairs(opts.partners) do
        if partner ~= ctx.country and diplomat.exists(ctx, partner) and ctx:trust(partner) >= (opts.min_trust or 0.4)
            and not diplomat.has_deal(ctx, partner, "supply", good)
            and not diplomat.talking_to(ctx, partner) then
          local spare = diplomat.spare(ctx, good, partner)
          if spare > best_spare then best, best_spare = partner, spare end
        end
      end
      local tonnes = best and util.floor_to(math.min(imports * (opts.share or 0.25), best_spare * 0.5), 10) or 0
      if tonnes >= 10 then
        local price = math.max(ctx:price(good, best), 0.9 * ctx:reference_price(good)) * (opts.premium or 1.05)
        local ok, err = ctx:propose(best, {
          { type = "supply", from = "them", to = "me", good = good, tonnes = tonnes,
            price = math.floor(price * 10 + 0.5) / 10 },
        }, { turns = opts.turns or util.months_to_turns(ctx, 24), note = "a long-term contract to diversify our supply" })
        m.last_ask[good] = ctx.turn
        if ok then made = made + 1 else util.log_once(ctx, "seek:" .. good .. ":" .. err, err) end
      end
    end
  end
  return made
end

return diplomat
