#include "app/reload_at.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>

#include "agents/lua/lua_policy.hpp"
#include "engine/game/game.hpp"

namespace chokepoint::app {

std::optional<ReloadAt> parse_reload_at(const std::string& text, std::string& error) {
    ReloadAt r;
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq + 1 == text.size()) {
        error = fmt::format("--reload-at {}: expected [COUNTRY:]TURN=FILE, e.g. usa:12=scripts/policies/hawk.lua", text);
        return std::nullopt;
    }
    std::string head = text.substr(0, eq);
    r.file = text.substr(eq + 1);
    if (const auto colon = head.find(':'); colon != std::string::npos) {
        r.country = head.substr(0, colon);
        head = head.substr(colon + 1);
    }
    const char* end = head.data() + head.size();
    auto [ptr, ec] = std::from_chars(head.data(), end, r.turn);
    if (head.empty() || ec != std::errc{} || ptr != end || r.turn < 0) {
        error = fmt::format("--reload-at {}: the turn must be a whole number >= 0 (ctx.turn, 0-based), got '{}'", text,
                            head);
        return std::nullopt;
    }
    return r;
}

std::optional<std::string> schedule_reloads(Game& game, const std::vector<std::string>& specs, CountryId default_country) {
    const Definitions& d = game.defs();
    for (const std::string& spec : specs) {
        std::string error;
        auto r = parse_reload_at(spec, error);
        if (!r) return error;
        const CountryId c = r->country.empty() ? default_country : d.country_id(r->country);
        if (c == kNoCountry) {
            std::string ids;
            for (const auto& k : d.countries) ids += (ids.empty() ? "" : ", ") + k.id;
            return r->country.empty()
                       ? fmt::format("--reload-at {}: name the country, COUNTRY:TURN=FILE (countries: {})", spec, ids)
                       : fmt::format("--reload-at {}: no country '{}' (countries: {})", spec, r->country, ids);
        }
        auto* lua = dynamic_cast<LuaPolicy*>(game.policy(c));
        if (lua == nullptr)
            return fmt::format("--reload-at {}: {} is not governed by a Lua policy (it is on the autopilot)", spec,
                               d.countries[c].id);
        std::error_code ec;
        if (std::filesystem::is_directory(r->file, ec))
            return fmt::format("--reload-at {}: {} is a folder, not a Lua file", spec, r->file);
        if (!std::filesystem::exists(r->file, ec))
            return fmt::format("--reload-at {}: no file {}", spec, r->file);
        if (!std::filesystem::is_regular_file(r->file, ec))
            return fmt::format("--reload-at {}: cannot read {} (not a regular file)", spec, r->file);
        lua->schedule_reload(r->turn, r->file);
    }
    return std::nullopt;
}

}  // namespace chokepoint::app
