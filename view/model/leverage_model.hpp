// What the leverage panel shows, computed from a snapshot without a window: the
// balance of leverage over time (one line per country), the net-leverage matrix
// of a turn, and one pair's leverage broken down by good and stage.
// docs/model.md §Leverage defines the quantities; this only arranges them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "view/model/picks.hpp"
#include "view/session.hpp"

namespace chokepoint::view {

// Which reading of leverage to show: the combined index (what scores use) or one channel.
enum class LeverageChannel { Combined = 0, Materials = 1, MarketAccess = 2 };
inline constexpr int kLeverageChannelCount = 3;
const char* to_string(LeverageChannel c);

// Readable name of a supply-chain stage (Good::stage): "ore", "oxide", "magnet".
std::string stage_name(int stage);

struct LeverageSeries {
    std::vector<std::string> dates;      // one per turn played
    PerCountry<std::string> countries;  // names
    // [country][turn] leverage index (0..1); NaN on turns where leverage was not measured.
    PerCountry<std::vector<double>> combined, materials, market_access;
    // [country][turn] the materials index's split: exercised (restrictions in force) and reserve
    // (what a full cut would add); exercised + reserve = materials up to clamping.
    PerCountry<std::vector<double>> exercised, reserve;
    bool measured = false;  // at least one turn measured

    const PerCountry<std::vector<double>>& channel(LeverageChannel c) const;
};

LeverageSeries leverage_over_time(const Snapshot& snap);

// One country's materials leverage over time as a stack: exercised at the bottom, reserve on
// top of it (`stacked` = exercised + reserve, the potential). NaN where not measured.
struct LeverageStack {
    CountryId country{};
    std::string name;
    std::vector<std::string> dates;
    std::vector<double> exercised, stacked;
    bool measured = false;
    // The latest measured turn's values (0 when none).
    double latest_exercised = 0.0, latest_reserve = 0.0;
};
// `country` none (or out of range) is kept in range: the first (the last) country.
LeverageStack exercised_vs_reserve(const Snapshot& snap, std::optional<CountryId> country);

// The one-line explanation shown with the exercised/reserve split.
inline constexpr const char* kLeverageSplitLine =
    "Potential = what a full cut would cost B, from fully open trade; exercised = what A's "
    "restrictions in force cost B now; reserve = what A could still add.";

// The leverage glossary (a "?" on every leverage panel opens it): term, then its meaning in a few
// short sentences (the popup wraps them).
struct GlossaryEntry {
    const char* term;
    const char* text;
};
const std::vector<GlossaryEntry>& leverage_glossary();

// The latest turn played, or -1 before the first.
int latest_turn(const Snapshot& snap);

struct NetMatrix {
    int turn = -1;  // the turn it was measured after (-1: none played)
    std::string date;
    bool measured = false;  // false: the cells are empty
    LeverageChannel channel = LeverageChannel::Combined;
    std::vector<CountryId> order;          // the countries, the strongest leverage index first
    std::vector<std::string> labels;       // their names, same order (rows)
    std::vector<std::string> codes;        // their short codes, same order (column headers)
    std::vector<std::vector<double>> net;  // [i][j] net leverage of order[i] over order[j] (−1..1)
    double span = 0.0;                     // the largest |net|: the colour scale's end
};

// The net matrix after `turn` (-1: the latest), rows and columns ordered by the channel's index.
NetMatrix net_matrix(const Snapshot& snap, int turn = -1, LeverageChannel channel = LeverageChannel::Combined);

// One good's (or one stage's) part of a pair's materials leverage: the damage each could do
// the other by cutting that good alone, and last turn's shipments that make it possible.
struct PairLine {
    std::optional<GoodId> good;  // none for a stage's line
    int stage = 0;
    std::string name;
    double a_over_b = 0.0, b_over_a = 0.0;          // cutoff damage D, the potential (0..1)
    double exercised_a_over_b = 0.0, exercised_b_over_a = 0.0;  // the part in use
    double net = 0.0;                               // a_over_b − b_over_a
    double a_ships_to_b = 0.0, b_ships_to_a = 0.0;  // t/yr at last turn's rate
};

struct PairBreakdown {
    CountryId a{}, b{};
    std::string a_name, b_name;
    int turn = -1;
    std::string date;
    bool measured = false;
    std::vector<PairLine> goods;  // by good, in stage order
    // By stage: per-good cutoffs summed over the stage's goods. Cutting goods one at a time is not
    // additive (two cuts can hurt more or less than the sum), so this ranks stages, it does not
    // decompose `materials_*`.
    std::vector<PairLine> stages;
    double materials_a_over_b = 0.0, materials_b_over_a = 0.0;  // every good cut at once (potential)
    double exercised_a_over_b = 0.0, exercised_b_over_a = 0.0;  // ... of which in use now
    double reserve_a_over_b = 0.0, reserve_b_over_a = 0.0;      // ... of which still in reserve
    double access_a_over_b = 0.0, access_b_over_a = 0.0;        // market-access channel
    double combined_a_over_b = 0.0, combined_b_over_a = 0.0;
    double net = 0.0;                                           // combined, a over b
    double weight_materials = 0.0, weight_market_access = 0.0;  // the scenario's channel weights
};

// Country a against country b after `turn` (-1: the latest); a and b are kept in the scenario's range.
PairBreakdown pair_breakdown(const Snapshot& snap, CountryId a, CountryId b, int turn = -1);

// Why a value changed: one leverage value after a turn against the turn measured before it, and
// the parts that moved it, the largest first. The parts add up to the change (after − before):
// a country's index is a sum over the others (one part each: its leverage over that country
// weighted by the country's share of world demand); a pair's net is four channel terms (A's
// materials and market access over B, minus B's over A, by the scenario's weights). Under a
// pair's parts, `drivers` name what moved: goods whose one-good cutoff damage or shipments
// changed (one-good cuts do not add up, so these are not parts) and restrictions put in force
// or lifted (exercised leverage, which does not change the potential).
struct ChangePart {
    std::string text;    // one short line, e.g. "over South: 0.120 → 0.150"
    double delta = 0.0;  // this part's share of the change
};
struct LeverageChange {
    bool available = false;  // two measured turns to compare
    int turn = -1, previous = -1;
    std::string date, previous_date;
    double before = 0.0, after = 0.0;
    std::vector<ChangePart> parts;     // |delta| ≥ kChangeShown, largest first, at most kChangeParts
    double rest = 0.0;                 // the change the listed parts leave out
    std::vector<std::string> drivers;  // pairs only, at most kChangeParts
    // "+0.031 since 2025-Q2 (0.120 → 0.151)", or "unchanged since 2025-Q2 (0.120)".
    std::string headline() const;
};
inline constexpr double kChangeShown = 0.0005;  // smaller changes read as 0.000 at three decimals
inline constexpr size_t kChangeParts = 3;

// `country`'s index in `channel` after `turn` (-1: the latest) against the measured turn before.
LeverageChange why_index_changed(const Snapshot& snap, CountryId country,
                                 LeverageChannel channel = LeverageChannel::Combined, int turn = -1);
// The combined net of a over b after `turn` (-1: the latest) against the measured turn before.
LeverageChange why_net_changed(const Snapshot& snap, CountryId a, CountryId b, int turn = -1);

// Short codes for a grid's column headers, from country ids, in capitals: the id's first three
// letters ("china" -> "CHI"); an id of several words ("south_korea") by the initials of all but
// its last word and then that word ("SKO", "rest_of_world" -> "ROW"). Codes that would be the
// same are lengthened a letter at a time until they differ ("malaysia", "mali" -> "MALA", "MALI").
std::vector<std::string> country_codes(const std::vector<std::string>& ids);

// A name short enough for a column header: a name of several words by its initials
// ("United States" -> "US", "Rest of world" -> "ROW"), a one-word name whole ("China").
std::string short_name(const std::string& name);

}  // namespace chokepoint::view
