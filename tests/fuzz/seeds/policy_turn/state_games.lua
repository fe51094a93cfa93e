-- Fuzz seed (docs/testing.md §Fuzzing): a policy that keeps what it should not (an old ctx, the
-- params table), writes strings with NUL bytes, fills its memory and logs a lot.
local kept
return {
  init = function(ctx)
    kept = ctx
    pcall(function() ctx.params.x = 1 end)
    ctx.memory.nul = "a\0b"
  end,
  on_turn = function(ctx)
    if kept then pcall(kept.set_subsidy, kept, ctx:goods()[1], 1) end
    kept = ctx
    for i = 1, 200 do print("line", i, "\0") end
    ctx:log(string.rep("x", 1000))
    local t = ctx.memory.t or {}
    for i = 1, 5000 do t[#t + 1] = {i, tostring(i)} end
    ctx.memory.t = t
    for k, v in pairs(t) do if k > 10 then break end end
    pcall(require, string.rep("a", 10000))
    pcall(load, string.rep("x = 1 ", 1000))
    pcall(setmetatable, {}, {__gc = function() end})
    local co = coroutine.wrap(function() while true do coroutine.yield() end end)
    for _ = 1, 100 do co() end
  end,
  on_event = function(ctx, e) ctx:log(e.type) end,
  on_proposal = function(ctx, p) pcall(ctx.respond, ctx, p.id, "counter", {clauses = {}}) end,
}
