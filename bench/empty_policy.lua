-- The cheapest possible policy: measures the cost of a callback round trip (bench/bench_game.cpp).
return { on_turn = function(ctx) end }
