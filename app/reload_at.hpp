// `--reload-at [COUNTRY:]TURN=FILE` (run, check): a country's Lua policy replaced by FILE at the
// start of turn TURN, as the window's hot reload does, so that reloads can be tested
// deterministically (docs/lua-api.md §Hot reload).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/world/ids.hpp"

namespace chokepoint {
class Game;
}

namespace chokepoint::app {

struct ReloadAt {
    std::string country;  // empty: the command's own country (check's --as)
    int turn = 0;         // ctx.turn, 0-based
    std::string file;
};

// Parses "usa:12=scripts/policies/hawk.lua" or "12=FILE"; nothing, with `error`, when malformed.
std::optional<ReloadAt> parse_reload_at(const std::string& text, std::string& error);

// Schedules each reload on its country's Lua policy; `default_country` stands for an empty
// country (kNoCountry: none, then a country is required). An error names the spec when a country
// is unknown or not governed by a Lua policy, or the file cannot be read.
std::optional<std::string> schedule_reloads(Game& game, const std::vector<std::string>& specs, CountryId default_country);

}  // namespace chokepoint::app
