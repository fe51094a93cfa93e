return { on_turn = function(ctx) pcall(ctx.decide_license, ctx, 1, "approve", {turns = 2^31}) pcall(ctx.decide_license, ctx, 2^32 + 1, "approve", {turns = 0/0}) end }
