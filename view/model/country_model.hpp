// What the country inspector shows, computed from a snapshot without a window:
// capacity by stage, projects in the pipeline with their dates, stocks and
// months of cover, demand met by sector, and the score. The private parts
// (stocks, stockpile, treasury, demand, projects — what engine policies may read
// of their own country only, agents/lua/api_world.cpp) are left empty when the
// viewer may not see them, so a team view cannot show them by mistake.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "view/model/cover_model.hpp"
#include "view/session.hpp"

namespace chokepoint::view {

struct CapacityLine {
    GoodId good{};
    std::string name;
    double capacity = 0.0;     // t/yr nameplate online
    double produced = 0.0;     // t/yr at last turn's rate
    double utilisation = 0.0;  // produced / capacity (0 when no capacity)
};

struct StageCapacity {
    int stage = 0;
    std::string name;  // "ore", "oxide", "magnet"
    std::vector<CapacityLine> goods;
    double capacity = 0.0;  // t/yr, the stage's goods together
};

struct PipelineProject {
    int id = 0;
    GoodId good{};
    std::string good_name;
    CountryId owner{}, host{};
    std::string owner_name, host_name;
    double tonnes_per_year = 0.0;  // nameplate
    bool private_firms = false;
    bool online = false;      // producing, still ramping up
    double ramp_level = 0.0;  // share of nameplate counted now
    std::string start_date;   // when it was started
    int online_turn = 0;      // first output (moves with delays)
    std::string online_date;  // defs.date_of_turn(online_turn)
    std::string full_date;    // nameplate reached: online_turn + the process's ramp_turns
    int turns_to_online = 0;  // from the snapshot's turn; 0 once online
    int delays = 0;
    double capex_musd = 0.0;
    double paid_share = 0.0;  // capex paid so far / capex
};

struct StockLine {
    GoodId good{};
    std::string name;
    double stock = 0.0, stockpile = 0.0;  // t
    double use = 0.0;                     // t/yr by sectors and plants
    double months_of_cover = 0.0;         // (stock + stockpile) / monthly use; 0 when no use
    double usual_months = 0.0;            // its cover when the game began (usual_cover)
    double unmet_share = 0.0;             // of last turn's sector demand for the good
    bool imported = false;                // relies on imports for it (relies_on_imports)
    CoverLevel level = CoverLevel::Normal;  // judge_cover (Normal when there is no use)
    double target_months = 0.0;           // the stockpile target (autopilot), months
};

struct SectorMet {
    SectorId sector;
    std::string name;
    std::string good_name;
    bool defense = false;
    double demand = 0.0, met = 0.0;  // t/yr at last turn's rate
    double share = 1.0;              // met / demand (1 when no demand)
};

struct CountryCard {
    CountryId country{};
    std::string id, name, policy;
    int turn = 0;         // the turn about to be played
    std::string date;     // its date
    bool played = false;  // at least one turn played (demand met, production, score exist)
    bool private_visible = false;

    std::vector<StageCapacity> capacity;   // public
    std::optional<Score> score;            // public; the latest turn's
    std::vector<double> score_history;     // public; total per turn played
    std::optional<double> leverage_index;  // public; combined, latest measured
    int score_rank = 0;                    // 1 = best total among all countries (0: no score yet)
    int countries = 0;                     // how many are ranked

    // Private: empty / nullopt unless private_visible.
    std::vector<PipelineProject> projects;  // owned or hosted, not yet at nameplate, soonest first
    std::vector<StockLine> stocks;          // goods the country holds or uses
    std::vector<SectorMet> demand_met;      // sectors with demand
    std::optional<double> treasury_musd, economy_cash_musd;
    std::optional<double> civilian_met_share, defense_met_share;  // by tonnes
    double defense_shortfall = 0.0;             // t/yr of defense demand unmet at last turn's rate
    std::vector<std::string> defense_rated;     // goods whose defense orders are rated (SetDefensePriority)
};

CountryCard country_card(const Snapshot& snap, CountryId country, bool private_visible);

}  // namespace chokepoint::view
