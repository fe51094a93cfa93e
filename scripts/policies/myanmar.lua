-- Myanmar: a passive supplier.
--
-- Myanmar's ionic clays in Kachin and Shan supply about half the world's heavy rare-earth feed,
-- almost all of it to Chinese separators. The mines are held by militias and the KIA; Naypyidaw
-- has no rare-earth policy to speak of. So the government does nothing: no stockpile, no
-- projects, no regimes, and any licence a scenario makes it issue is granted in full. The
-- border closures that shape its exports are the scenario's events, not decisions.

local util = require("lib.util")

---@type Policy
return {
  on_turn = function(ctx)
    -- Nothing: the mines sell to whoever buys, at the market price.
  end,

  on_license_request = function(ctx, app)
    util.approve(ctx, app, 1.0, 4, false)
  end,
}
