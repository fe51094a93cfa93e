// Internal to the scenario loader: the state shared while reading the
// sections of one file, and the readers that live in their own files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/scenario/yaml_reader.hpp"
#include "engine/world/scenario.hpp"

namespace chokepoint::scenario_yaml {

enum class IdKind { Good, Sector, Country };

// A policy path as written in the scenario `scenario_file`: tried as given (relative to the
// working directory), then next to the scenario file, then in the game's data folders; the path
// found, or nothing.
std::optional<std::string> resolve_policy_path(const std::string& path, const std::string& scenario_file);

// Limits a scenario must keep (docs/scenario-format.md §Limits), checked before anything is sized
// by them: the state holds countries × countries grids per good, so an unchecked count could
// exhaust the host before a single turn.
inline constexpr size_t kMaxCountries = 256;
inline constexpr size_t kMaxGoods = 32;
inline constexpr size_t kMaxSectors = 64;
inline constexpr size_t kMaxEvents = 20000;

struct LoadContext {
    Problems& problems;
    Definitions& defs;
    State& state;
    std::vector<ScheduledEvent>& events;
    std::string file;  // the scenario file as given; policy paths may be relative to its folder

    // Which scenario-level values were valid: checks that depend on a broken
    // value are skipped rather than reported a second time.
    // `extends`: the first `inherited_events` entries of `events` come from the base scenario; those
    // after this scenario's last turn never fire and are dropped instead of reported.
    size_t inherited_events = 0;
    bool reading_inherited = false;
    bool drop_event = false;  // set by event_turn for an inherited event past the end

    bool turns_ok = false;
    bool start_ok = false;
    bool turn_months_ok = true;  // absent is fine: the default applies
    // Whether each id-keyed section could be read at all; references into a
    // section that is itself broken (and reported) are not checked.
    bool goods_read = false;
    bool sectors_read = false;
    bool countries_read = false;
    std::vector<bool> good_process_ok{};  // per good
    std::vector<bool> good_stage_ok{};    // per good

    std::vector<std::string> ids(IdKind kind) const;
    // The index of `word` as a good/sector/country, or -1 after reporting
    // `unknown good "x" (...)` at `mark` under `path`.
    int resolve(IdKind kind, const std::string& word, const YAML::Mark& mark, const std::string& path) const;
    // Reads a scalar id from a field's value and resolves it. `all_ok`: the
    // word "all" is accepted and yields -1.
    std::optional<int> resolve_value(IdKind kind, const Field& f, bool all_ok = false) const;
    // Resolves a map key (e.g. `capacity: {ndpr_oxide: …}`) at the key's mark.
    int resolve_key(IdKind kind, const Field& entry) const;
};

// Words no country may use as its id: they mean something in references.
inline bool reserved_country_word(const std::string& id) { return id == "all" || id == "default"; }

// Reports a section key that is not a valid id (or, for countries, is a
// reserved word).
void check_id(Problems& p, const Field& entry, bool country);

// A span of time given in turns (`<stem>_turns`) or in months (`<stem>_months`, converted to whole
// turns of the scenario's length, docs/model.md §Turn length), not both. `turns` is the rule for the
// value in turns either way. Assigns only a valid value, so the default survives. An empty stem
// reads `turns` / `months` (an event's span); `required`: one of the two must be given.
void read_span(LoadContext& ctx, const MapReader& r, std::string_view stem, const NumberRule& turns, int& out,
               bool required = false);
// A growth rate per turn (`key`), or per quarter (`key_per_quarter`, compounded to this scenario's
// turns), not both; ≥ 0.
void read_growth(LoadContext& ctx, const MapReader& r, std::string_view key, double& out);
void read_countries(LoadContext& ctx, const Field& f);
void read_events(LoadContext& ctx, const Field& f);

}  // namespace chokepoint::scenario_yaml
