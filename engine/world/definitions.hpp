// The static part of a scenario: goods, sectors, countries' fixed traits and
// the model's parameters. Loaded once from YAML (engine/scenario), never
// changed by the turn loop. Units inside the engine: tonnes, USD per tonne,
// USD. The YAML uses USD/kg and USD millions for readability; the loader
// converts. See docs/model.md for what each parameter means and its source.
#pragma once

#include <cmath>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/world/ids.hpp"

namespace chokepoint {

// The process that makes a good; capacity, lead times and capex are per process.
enum class Process { Mining = 0, Separation = 1, MagnetMaking = 2 };
inline constexpr int kProcessCount = 3;
const char* to_string(Process p);

enum class Regime { Open = 0, Licensed = 1, Embargo = 2 };
const char* to_string(Regime r);
std::optional<Regime> regime_from_string(const std::string& s);

struct RecipeInput {
    GoodId good{};
    double tonnes_per_tonne = 0.0;  // input needed per tonne of output
};

struct Good {
    std::string id;    // e.g. "ndpr_oxide"
    std::string name;  // e.g. "NdPr oxide"
    Process process = Process::Mining;
    int stage = 0;                     // 0 = ore, 1 = oxide, 2 = magnet; markets clear in stage order
    std::vector<RecipeInput> recipe;   // empty for mined goods
    double reference_price = 0.0;      // USD/t, the calibration anchor for expectations and thrift
    double transport_cost = 0.0;       // USD/t between any two countries
    double env_cost = 0.0;             // USD-equivalent environmental damage per tonne produced
    // Supplier qualification for this good (docs/model.md §Supplier relationships): how fast a trade
    // relationship may grow per turn and the volume a new one may carry at once. Negative = the
    // market's link_growth / link_floor_share. Magnets are qualified part by part over months,
    // oxides faster (calibration.md).
    double link_growth = -1.0;
    double link_floor_share = -1.0;
    double growth_limit(double market_default) const { return link_growth >= 0 ? link_growth : market_default; }
    double floor_share(double market_default) const { return link_floor_share >= 0 ? link_floor_share : market_default; }
};

struct Sector {
    std::string id;    // e.g. "ev_motors"
    std::string name;
    GoodId good{};              // the good it consumes
    bool defense = false;         // defense demand is tracked apart from civilian
    double value_per_tonne = 0.0; // USD of output lost per tonne unmet; caps willingness to pay
    double criticality = 1.0;     // weight of unmet demand in leverage and security
    double growth = 0.0;          // demand growth per year (0.087 = 8.7%/yr)
    double elasticity = 0.0;      // short-run price elasticity (absolute); 0 = the market's demand_elasticity
};

struct ScoreWeights {
    double economy = 0.4;
    double security = 0.3;
    double influence = 0.3;
};

// Parameters of the built-in C++ policy (the autopilot). Also used for every
// country inside leverage counterfactuals, with regimes frozen.
struct AutopilotParams {
    double license_approval_share = 0.8;  // share of requested volume approved
    bool deny_defense_end_use = false;    // deny applications for defense end use
    bool civilian_only_clause = false;    // approvals carry a civilian-only clause
    int license_validity_turns = 4;
    double stockpile_buy_below = 1.2;     // buy while price < this × reference
    double stockpile_release_above = 3.0; // release while price > this × reference
    double invest_import_share = 1.1;     // invest in own separation/magnets if import share above this (>1 = never)
    double invest_tonnes_per_year = 0.0;  // size of each government project
    bool defense_priority = true;         // rate defense orders of a good whose defense demand went unmet
};

struct CountryDef {
    std::string id;    // short lowercase word: "china", "usa", ...
    std::string name;  // "China"
    double lon = 0.0, lat = 0.0;
    double gdp = 0.0;        // USD/yr, for the market-access channel
    double env_weight = 1.0; // how much the country weighs environmental cost in its score
    ScoreWeights weights;
    PerGood<double> reserves;  // per good, t (mined goods only; 0 elsewhere)
    PerCountry<double> exports_to; // USD/yr of goods exported (market-access channel)
    AutopilotParams autopilot;
    std::string policy;      // "autopilot", or the path of a Lua policy (resolved by the loader)
    nlohmann::json policy_params = nlohmann::json::object();  // the policy's parameters (ctx.params): plain data, parsed once
    // Where each top-level policy_params key stands in the scenario, "file:line:column:
    // countries.usa.policy_params.quota", so that a policy's parameter declaration can point at it.
    std::vector<std::pair<std::string, std::string>> policy_param_places;  // (key, place), in file order
    std::string briefing;    // the scenario's brief for a team playing the country ("" when none)
    bool human = false;      // a seat for a person (the view's issue)
    bool bloc = false;       // an aggregate ("rest of world"): trades and mines, but imposes no one tariff
};

struct ProcessParams {
    int lead_turns = 12;            // turns from decision to first output
    int ramp_turns = 4;             // turns from first output to nameplate
    double ramp_start = 0.3;        // share of nameplate in the first turn
    double capex_per_tpy = 0.0;     // USD per t/yr of nameplate capacity
    double delay_probability = 0.1; // chance per turn in construction of a one-turn slip
};

struct MarketParams {
    double demand_elasticity = 0.3;      // short-run price elasticity of sector demand (absolute)
    int demand_steps = 12;                // bid tranches per sector demand curve
    double inventory_weeks = 8.0;         // firms' target commercial inventory
    double precautionary_weeks = 6.0;     // extra inventory weeks of a good an importer gets under licence (model.md §Firms)
    double feed_price_cap = 3.0;          // a feed bid pays at most this × max(smoothed, reference) price of the feed
    double buyer_price_cap = 3.0;         // a sector (final buyer) bids at most this × max(smoothed, reference) price
                                          // at home; beyond it a shortage is rationed pro rata (model.md §Sector demand)
    double restock_price_factor = 0.9;    // firms restock while price < this × normal price
    double release_price_factor = 1.3;    // firms draw target inventory when price > this × normal price
                                          // (normal = min(smoothed price, 1.5 × reference); model.md §Firms)
    std::vector<double> cost_steps = {0.85, 0.95, 1.05, 1.25};  // supply curve: capacity quarters at cost × step
    // Long-run responses to sustained high prices (docs/model.md §Long run)
    double thrift_rate_per_year = 0.10;   // max demand lost to thrift/substitution per year
    double thrift_threshold = 1.5;        // smoothed price / reference above which thrift sets in
    double thrift_recovery_per_year = 0.02; // demand returns slowly when prices normalise
    double price_smoothing = 0.5;         // weight of the newest turn in the smoothed price
    double private_invest_threshold = 1.6; // smoothed price / full cost that triggers private capacity
    double private_invest_share_per_year = 0.04; // new capacity per year as share of world demand
    double stockpile_storage_rate = 0.02;  // storage cost per year as a share of the reference price
    // Trade relationships (docs/model.md §Supplier relationships): buyers qualify new suppliers
    // slowly, so a link carries at most its established volume × (1 + link_growth), or
    // link_floor_share of the importer's use per turn, whichever is larger; `established` is the
    // relationship's volume (State::established).
    double link_growth = 0.5;
    double link_floor_share = 0.05;
    double link_decay = 0.1;  // per turn: an unused relationship fades
};

struct LeverageParams {
    int horizon_turns = 4;          // counterfactual length for cutoff damage
    double weight_materials = 0.7;  // combined = w_m · materials + w_a · market access
    double weight_market_access = 0.3;
    double max_tariff = 1.0;        // harshest ad-valorem tariff a country may impose
    double import_elasticity = 2.0; // trade elasticity for the market-access channel
};

struct LicensingParams {
    double review_days = 45.0;     // calendar days from filing to decision (MOFCOM: ~20-45 working days)
    int processing_turns = -1;     // legacy key: ≥ 0 means review_days = processing_turns × turn days
    double practice_weight = 0.5;  // weight of the newest decision in an exporter's recorded practice
    int expiry_turns = 4;          // an undecided application lapses after this many turns
    double end_use_discovery = 0.25; // chance per turn that diverted civilian-only material is found
    // docs/model.md §Origin and re-export control.
    bool reexport_control = true;      // licensed exports carry "no re-export without the licensor's consent"
    double reexport_compliance = 1.0;  // share of controlled material firms keep within the conditions
    double reexport_discovery = 0.25;  // chance a re-export breach is found (the loader defaults it to end_use_discovery)
    bool content_rule = false;         // products made with licensed-origin input stay under the licensor's control
    double content_threshold = 0.001;  // ... when that input is at least this share of the product's value (at reference prices)
};

// docs/model.md §Negotiation and §Trust.
struct TrustParams {
    double kept_per_turn = 0.005;  // a party's trust in the other for each turn it honoured its part
    double completed = 0.05;       // on expiry without a breach, both ways
    double breach = 0.20;          // the wronged party's trust in the breaker
    double withdrawal = 0.05;      // the other party's trust in one who withdraws early
    double end_use = 0.25;         // an exporter's trust in an importer caught diverting all of it to defense
    double reputation = 0.3;       // third parties lose this share of the wronged party's loss
};

struct NegotiationParams {
    bool enabled = true;
    bool binding = true;           // agreements: binding | non_binding
    int rounds = 2;                // rounds of proposals and answers per turn
    int max_proposals_per_turn = 3;  // per country, counting each recipient
    int deadline_turns = 1;        // a proposal may be answered until sent_turn + this
    int max_duration_turns = 20;
    int notice_turns = 1;          // binding: a withdrawal takes effect after this many turns
    double arrears_grace = 1.0;    // supply: turns of volume that may be owed before it is a breach
    int forecast_turns = 4;        // horizon of the forecast helper
    int forecasts_per_turn = 8;    // per country (each costs two short counterfactuals)
    // The window's negotiation phase for seats played by people: minutes on its clock (0: people
    // answer and propose with their decisions only). Wall time, never part of the game.
    double talk_minutes = 0.0;
    TrustParams trust;
};

struct RandomShock {
    std::string id;             // "mine_outage"
    double probability = 0.0;   // per country with capacity, per turn
    Process process = Process::Mining;
    double capacity_factor = 1.0;
    int turns = 1;
};

struct Definitions {
    std::string scenario_name;
    std::string description;
    int start_year = 2026;
    int start_month = 1;   // 1..12
    int turns = 40;
    int turn_months = 3;
    std::uint64_t seed = 1;
    PerGood<Good> goods;       // in stage order
    PerSector<Sector> sectors;
    PerCountry<CountryDef> countries;
    ProcessParams process[kProcessCount];
    MarketParams market;
    LeverageParams leverage;
    LicensingParams licensing;
    NegotiationParams negotiation;
    std::vector<RandomShock> random_shocks;

    int good_index(const std::string& id) const;     // -1 if absent
    int sector_index(const std::string& id) const;   // -1 if absent
    int country_index(const std::string& id) const;  // -1 if absent
    CountryId country_id(const std::string& id) const { return CountryId{country_index(id)}; }  // kNoCountry if absent
    int good_count() const { return goods.count(); }
    IdRange<GoodTag> good_ids() const { return goods.ids(); }
    // Whether g names a good (ids made from raw ints at the edges may not).
    bool has_good(GoodId g) const { return g.value() >= 0 && g.value() < good_count(); }
    int sector_count() const { return sectors.count(); }
    IdRange<SectorTag> sector_ids() const { return sectors.ids(); }
    int country_count() const { return countries.count(); }
    IdRange<CountryTag> country_ids() const { return countries.ids(); }
    // Whether c names a country (ids made from raw ints at the edges may not).
    bool has_country(CountryId c) const { return c.value() >= 0 && c.value() < country_count(); }
    double turns_per_year() const { return 12.0 / turn_months; }
    double turn_days() const { return turn_months * 365.25 / 12.0; }
    // Calendar time in this scenario's turns (docs/model.md §Turn length). The model's defaults
    // are stated for 3-month turns, for which these return their argument exactly.
    int turns_for_months(int months) const;         // nearest whole turn (halves up), at least 1; 0 for 0
    int turns_for_quarters(int quarters) const { return turns_for_months(3 * quarters); }
    double per_turn_share(double per_quarter) const;   // a chance or share per quarter: 1 − (1 − p)^(turn_months / 3)
    double per_turn_growth(double per_quarter) const;  // a growth per quarter: (1 + g)^(turn_months / 3) − 1
    double per_turn_amount(double per_quarter) const;  // an amount per quarter: × turn_months / 3
    // Licence volumes (t per turn) are asked for and granted in steps of 0.1 t a quarter: 0.1 t a
    // turn of 3 months, 1/30 t a monthly turn, so a monthly game can grant what a quarterly one
    // grants. A volume below one step is nothing. docs/model.md §Turn length.
    double licence_steps_per_tonne() const { return turn_months == 3 ? 10.0 : 30.0 / turn_months; }
    double licence_step() const { return 1.0 / licence_steps_per_tonne(); }
    double round_down_to_licence_step(double tonnes) const {
        const double k = licence_steps_per_tonne();
        return std::floor(tonnes * k) / k;
    }
    std::string date_of_turn(int turn) const;  // "2026-04" for turn 1 of a 2026-01 start
};

}  // namespace chokepoint
