#include "app/batch.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "agents/lua/lua_policy.hpp"
#include "app/parallel.hpp"
#include "app/run_records.hpp"
#include "app/sweep.hpp"
#include "engine/game/game.hpp"
#include "engine/output/csv.hpp"
#include "engine/output/sha256.hpp"
#include "engine/output/writers.hpp"
#include "engine/scenario/loader.hpp"

namespace chokepoint {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr int kExitRunFailed = 1, kExitInput = 3, kExitOutput = 4;
constexpr int kMaxShards = 10000;
constexpr const char* kBatchFile = "batch.json";

// What runs.csv reports of a finished game (docs/outputs.md §Batch outputs).
json run_metrics(const Game& game) {
    const Definitions& d = game.defs();
    json m = json::object();
    if (game.history().empty()) return m;
    const TurnRecord& last = game.history().back();
    for (CountryId c : d.country_ids()) m["score." + d.countries[c].id] = last.scores[c].total;
    // The game's mean as well: the last turn alone hides a path (a shortage that came and went).
    for (CountryId c : d.country_ids()) {
        double sum = 0.0;
        for (const TurnRecord& r : game.history()) sum += r.scores[c].total;
        m["score_mean." + d.countries[c].id] = sum / static_cast<double>(game.history().size());
    }
    // The latest measurement (a run with --leverage off has none).
    const LeverageReport* lev = nullptr;
    for (auto it = game.history().rbegin(); it != game.history().rend() && !lev; ++it)
        if (!it->leverage.index_combined.empty()) lev = &it->leverage;
    if (lev)
        for (CountryId c : d.country_ids()) m["leverage." + d.countries[c].id] = lev->index_combined[c];
    for (SectorId k : d.sector_ids()) {
        double demand = 0.0, unmet = 0.0;
        for (const TurnRecord& r : game.history())
            for (CountryId c : d.country_ids()) {
                demand += r.outcome.demand(c, k);
                unmet += std::max(0.0, r.outcome.demand(c, k) - r.outcome.met(c, k));
            }
        m["unmet." + d.sectors[k].id] = demand > 0 ? unmet / demand : 0.0;
    }
    for (GoodId g : d.good_ids()) {
        auto mean_price = [&](const TurnRecord& r) {
            double sum = 0.0;
            for (CountryId c : d.country_ids()) sum += r.outcome.price(c, g) / 1000.0;
            return d.country_count() > 0 ? sum / d.country_count() : 0.0;
        };
        double peak = 0.0;
        for (const TurnRecord& r : game.history()) peak = std::max(peak, mean_price(r));
        m["price." + d.goods[g].id] = mean_price(last);
        m["peak_price." + d.goods[g].id] = peak;
    }
    return m;
}

struct Plan {
    Sweep sweep;
    std::vector<RunSpec> runs;
    std::string sweep_sha, scenario_sha;
    std::string leverage;  // the schedule the runs are played under: --leverage, else the sweep's (canonical text)
};

json run_record(const Plan& plan, const RunSpec& run) {
    json params = json::object();
    for (std::size_t a = 0; a < plan.sweep.grid.size(); ++a)
        params[plan.sweep.grid[a].path] = plan.sweep.grid[a].values[run.point[a]].text;
    return json{{"run", run.id},
                {"index", run.index},
                {"variant", plan.sweep.variants[run.variant].name},
                {"params", params},
                {"seed", run.seed},
                {"sweep_sha256", plan.sweep_sha},
                {"scenario_sha256", plan.scenario_sha},
                {"leverage", plan.leverage}};
}

RunRecords records_in(const fs::path& dir) { return RunRecords(dir / "runs"); }

// Why a run record cannot go into runs.csv as it is (empty when it can; merge refuses such a record,
// a resumed batch plays its run again): its checksum must hold, its file name and run id must agree
// and look like a run id (the id names folders merge replaces), it must hold what assemble() reads,
// and the run's output folder must pass its manifest's checksums.
std::string run_record_problem(const fs::path& file, const json& r) {
    if (!r.is_object()) return "not a run record (not a JSON object)";
    if (!RunRecords::intact(r))
        return "the record was edited or damaged after its run (its record_sha256 does not match; a record "
               "written before records carried one has none)";
    const std::string stem = file.stem().string();
    const bool id_like = stem.size() >= 2 && stem[0] == 'r' &&
                         std::all_of(stem.begin() + 1, stem.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!id_like || !r.contains("run") || !r["run"].is_string() || r["run"].get<std::string>() != stem)
        return "its \"run\" is not the run id its file name says";
    if (!r.contains("index") || !r["index"].is_number_integer()) return "no \"index\"";
    if (!r.contains("variant") || !r["variant"].is_string()) return "no \"variant\" text";
    if (!r.contains("seed") || !r["seed"].is_number_unsigned()) return "no \"seed\"";
    if (!r.contains("params") || !r["params"].is_object()) return "no \"params\" map";
    for (const auto& [k, v] : r["params"].items())
        if (!v.is_string()) return fmt::format("params.{} is not text", k);
    if (!r["metrics"].is_object()) return "no \"metrics\" map";
    for (const auto& [k, v] : r["metrics"].items())
        if (!v.is_number()) return fmt::format("metrics.{} is not a number", k);
    if (r.contains("load_errors") && !r["load_errors"].is_string()) return "\"load_errors\" is not text";
    if (auto why = verify_output_set(file.parent_path() / stem))
        return fmt::format("its output folder fails its manifest: {}", *why);
    return "";
}

// The record of a finished run of this plan (its outputs are written first, its record last).
std::optional<json> finished(const Plan& plan, const fs::path& dir, const RunSpec& run) {
    return records_in(dir).finished(run.id, [&](const json& r) {
        return r.value("sweep_sha256", "") == plan.sweep_sha && r.value("scenario_sha256", "") == plan.scenario_sha &&
               r.value("leverage", "") == plan.leverage && r.value("index", 0) == run.index && r.contains("metrics") &&
               !policy_files_changed(r.value("files", std::map<std::string, std::string>())) &&
               run_record_problem(records_in(dir).path(run.id), r).empty();
    });
}

// The scenario's policies that did not load in this run (a syntax error, policy_params that a
// policy's declaration refuses — e.g. a grid value out of its range): "country: message" each,
// one line, "; " between; the autopilot plays those countries (runs.csv's load_errors column).
std::string policy_load_errors(const Game& game) {
    std::string out;
    for (CountryId c : game.defs().country_ids())
        if (const auto* p = dynamic_cast<const LuaPolicy*>(game.policy(c)); p && !p->load_error().empty())
            out += fmt::format("{}{}: {}", out.empty() ? "" : "; ", game.defs().countries[c].id,
                               policy_message_line(p->load_error()));
    return out;
}

void play_run(const Plan& plan, const BatchArgs& args, const fs::path& dir, const RunSpec& run) {
    GameOptions options;
    parse_leverage_schedule(plan.leverage, options);
    options.threads = args.threads;
    Game game(run_scenario(plan.sweep, run), options);
    LuaPolicyOptions lua;
    lua.hot_reload = false;  // the sweep's policies as they were when the run began
    install_lua_policies(game, lua);
    const std::string load_errors = policy_load_errors(game);
    while (!game.finished()) game.step();
    write_outputs(game, dir / "runs" / run.id);
    json record = run_record(plan, run);
    record["metrics"] = run_metrics(game);
    record["files"] = policy_files(game);
    if (!load_errors.empty()) record["load_errors"] = load_errors;
    records_in(dir).write(run.id, record);
}

// runs.csv and series.csv from the finished runs' records and timeseries, in plan order, so a
// merge of shards writes the same bytes as one batch.
void assemble(const fs::path& dir, const std::vector<json>& records) {
    std::vector<std::string> params, metrics;
    auto add_keys = [](std::vector<std::string>& keys, const json& obj) {
        for (const auto& [k, v] : obj.items())
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    };
    bool load_errors = false;
    for (const json& r : records) {
        add_keys(params, r.at("params"));
        add_keys(metrics, r.at("metrics"));
        load_errors = load_errors || r.contains("load_errors");
    }
    // (An ostringstream, not "," + text: GCC 12 at -O3 raises a -Wrestrict false positive there.)
    std::ostringstream runs;
    runs << "run,variant";
    for (const auto& p : params) runs << ',' << csv_field(p);
    runs << ",seed";
    for (const auto& m : metrics) runs << ',' << csv_field(m);
    if (load_errors) runs << ",load_errors";
    runs << '\n';
    for (const json& r : records) {
        runs << r.at("run").get<std::string>() << ',' << csv_field(r.at("variant").get<std::string>());
        for (const auto& p : params) runs << ',' << csv_field(r.at("params").value(p, std::string()));
        runs << ',' << r.at("seed").get<std::uint64_t>();
        const json& ms = r.at("metrics");
        for (const auto& m : metrics) {
            runs << ',';
            if (ms.contains(m)) runs << csv_num(ms.at(m).get<double>());
        }
        if (load_errors) runs << ',' << csv_field(r.value("load_errors", std::string()));
        runs << '\n';
    }
    write_atomically(dir / "runs.csv", runs.str());

    const fs::path series = dir / "series.csv", tmp = dir / "series.csv.tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << "run,turn,date,country,metric,value\n";
        for (const json& r : records) {
            const std::string id = r.at("run").get<std::string>();
            std::ifstream in(dir / "runs" / id / "timeseries.csv", std::ios::binary);
            if (!in) throw std::runtime_error(fmt::format("cannot read {}", (dir / "runs" / id / "timeseries.csv").string()));
            std::string line;
            std::getline(in, line);  // header
            while (std::getline(in, line)) out << id << ',' << line << '\n';
        }
        out.flush();
        if (!out) throw std::runtime_error(fmt::format("cannot write {}", tmp.string()));
    }
    fs::rename(tmp, series);
}

json batch_header(const Plan& plan, int shard, int shards) {
    json axes = json::array();
    for (const GridAxis& a : plan.sweep.grid) axes.push_back(a.path);
    return json{{"sweep", plan.sweep.file},
                {"sweep_sha256", plan.sweep_sha},
                {"scenario", plan.sweep.scenario},
                {"scenario_sha256", plan.scenario_sha},
                {"leverage", plan.leverage},
                {"runs", static_cast<int>(plan.runs.size())},
                {"shard", shard},
                {"shards", shards},
                {"axes", axes}};
}

std::vector<json> load_records(const fs::path& dir, const Plan& plan, const std::vector<RunSpec>& runs) {
    std::vector<json> records;
    for (const RunSpec& r : runs)
        if (auto record = finished(plan, dir, r)) records.push_back(std::move(*record));
    return records;
}

// The sweep's Lua policies, loaded once per distinct file and policy_params among its variants and
// grid points: a parameter the policy's declaration refuses (a misspelt key, a grid value out of
// its range) or a policy that does not load is a mistake found before anything runs, placed at
// the sweep file's line that set it (docs/workshops.md).
std::vector<std::string> check_policies(const Sweep& sweep, const std::vector<RunSpec>& runs) {
    std::vector<std::string> problems;
    std::set<std::pair<int, std::vector<int>>> points;
    std::set<std::string> loaded, seen;
    for (const RunSpec& r : runs) {
        if (!points.insert({r.variant, r.point}).second) continue;
        const Scenario sc = run_scenario(sweep, r);
        const Definitions& d = *sc.defs;
        for (CountryId c : d.country_ids()) {
            const CountryDef& country = d.countries[c];
            if (country.policy.empty() || country.policy == "autopilot") continue;
            std::string places;
            for (const auto& [key, place] : country.policy_param_places) places += place + ";";
            if (!loaded.insert(country.policy + '\n' + country.policy_params.dump() + '\n' + places).second) continue;
            LuaPolicyOptions options;
            options.hot_reload = false;
            const LuaPolicy policy(d, c, country.policy, options);
            if (policy.load_error().empty()) continue;
            const std::string problem =
                fmt::format("{} ({}'s policy {} in variant {})", policy_message_line(policy.load_error()), country.id,
                            fs::path(country.policy).filename().string(), sweep.variants[r.variant].name);
            if (seen.insert(problem).second) problems.push_back(problem);
        }
    }
    return problems;
}

// A run whose policy did not load was played, with the autopilot in that country: said once, with
// the first such run, so a grid value out of a parameter's range does not go unnoticed.
void warn_of_load_errors(const std::vector<json>& records) {
    int n = 0;
    const json* first = nullptr;
    for (const json& r : records)
        if (r.contains("load_errors") && n++ == 0) first = &r;
    if (first)
        fmt::print(stderr,
                   "chokepoint: {} of {} runs played with a policy that did not load (the autopilot played that "
                   "country), first {}: {} (runs.csv's load_errors column)\n",
                   n, records.size(), first->value("run", ""), first->value("load_errors", ""));
}

// The schedule the runs are played under, as one canonical text ("2", not "02"): part of what a
// run's record and a shard's header name, so that a rerun with another --leverage plays the runs
// again and merge refuses shards played under different schedules.
std::string leverage_schedule(const Sweep& sweep, const BatchArgs& args) {
    GameOptions options;
    parse_leverage_schedule(args.leverage.empty() ? sweep.leverage : args.leverage, options);  // validated
    return leverage_schedule_text(options);
}

// Why shard folder `dir` cannot be merged with the first one (`first`, its header `want`); empty
// when it can.
std::string shard_mismatch(const std::string& dir, const json& h, const std::string& first, const json& want) {
    if (h.value("sweep_sha256", "") != want.value("sweep_sha256", "") ||
        h.value("scenario_sha256", "") != want.value("scenario_sha256", ""))
        return fmt::format("{}: a different sweep or scenario than {}", dir, first);
    if (h.value("leverage", "") != want.value("leverage", ""))
        return fmt::format("{}: played with --leverage {}, {} with --leverage {}: the shards of one batch are played "
                           "under one schedule (play this shard again with --leverage {})",
                           dir, h.value("leverage", "?"), first, want.value("leverage", "?"), want.value("leverage", "?"));
    return {};
}

}  // namespace

bool parse_shard(const std::string& text, int& shard, int& shards) {
    const auto slash = text.find('/');
    if (slash == std::string::npos) return false;
    const char* b = text.data();
    const char* e = b + text.size();
    auto [i_end, i_ec] = std::from_chars(b, b + slash, shard);
    auto [n_end, n_ec] = std::from_chars(b + slash + 1, e, shards);
    if (i_ec != std::errc{} || n_ec != std::errc{} || i_end != b + slash || n_end != e) return false;
    return shards >= 1 && shards <= kMaxShards && shard >= 1 && shard <= shards;
}

int run_batch(const BatchArgs& args) {
    Plan plan;
    try {
        plan.sweep = load_sweep(args.sweep);
        if (auto problems = check_overrides(plan.sweep); !problems.empty()) throw ScenarioError(problems);
        plan.runs = plan_runs(plan.sweep);
        if (auto problems = check_policies(plan.sweep, plan.runs); !problems.empty()) throw ScenarioError(problems);
    } catch (const ScenarioError& e) {
        fmt::print(stderr, "{}\n", e.what());
        return kExitInput;
    }
    plan.sweep_sha = sha256_hex(plan.sweep.text);
    plan.scenario_sha = scenario_sha256(plan.sweep.scenario, plan.sweep.scenario_text);
    plan.leverage = leverage_schedule(plan.sweep, args);
    std::vector<RunSpec> mine;
    for (const RunSpec& r : plan.runs)
        if ((r.index - 1) % args.shards == args.shard - 1) mine.push_back(r);

    const fs::path dir = args.out;
    std::error_code ec;
    fs::create_directories(dir / "runs", ec);
    if (ec) {
        fmt::print(stderr, "chokepoint: cannot create {}: {}\n", (dir / "runs").string(), ec.message());
        return kExitOutput;
    }
    // The same folder holds one plan: a changed sweep or scenario starts its runs again.
    if (fs::exists(dir / kBatchFile)) {
        try {
            const json old = json::parse(read_text_file(dir / kBatchFile));
            if (old.value("shard", 1) != args.shard || old.value("shards", 1) != args.shards) {
                fmt::print(stderr, "chokepoint: {} holds shard {}/{} of a batch, not {}/{}: use another --out\n",
                           dir.string(), old.value("shard", 1), old.value("shards", 1), args.shard, args.shards);
                return kExitOutput;
            }
        } catch (const std::exception&) {
        }
    }
    try {
        write_atomically(dir / kBatchFile, batch_header(plan, args.shard, args.shards).dump(2) + "\n");
    } catch (const std::exception& e) {
        fmt::print(stderr, "chokepoint: {}\n", e.what());
        return kExitOutput;
    }

    std::vector<RunSpec> todo;
    for (const RunSpec& r : mine)
        if (!finished(plan, dir, r)) todo.push_back(r);
    const int skipped = static_cast<int>(mine.size() - todo.size());
    if (!args.quiet)
        fmt::print(stderr, "{}: {} runs{}, {} to play{} ({} at once)\n", plan.sweep.file, plan.runs.size(),
                   args.shards > 1 ? fmt::format(", shard {}/{} has {}", args.shard, args.shards, mine.size()) : "",
                   todo.size(), skipped > 0 ? fmt::format(", {} already done", skipped) : "",
                   resolve_jobs(args.jobs));

    Progress progress(static_cast<int>(mine.size()), skipped, args.quiet);
    std::mutex failures_mu;
    std::map<int, std::string> failures;
    for_each_parallel(todo.size(), args.jobs, [&](std::size_t i) {
        const RunSpec& r = todo[i];
        std::string failure;
        try {
            play_run(plan, args, dir, r);
        } catch (const std::exception& e) {
            failure = e.what();
            std::lock_guard<std::mutex> lock(failures_mu);
            failures[r.index] = failure;
        }
        progress.finished(r.id, failure);
    });

    std::vector<json> records;
    try {
        records = load_records(dir, plan, mine);
        assemble(dir, records);
    } catch (const std::exception& e) {
        fmt::print(stderr, "chokepoint: {}\n", e.what());
        return kExitOutput;
    }
    warn_of_load_errors(records);
    if (!failures.empty()) {
        fmt::print(stderr, "{} of {} runs failed; run the same command again to retry them (finished runs are kept)\n",
                   failures.size(), mine.size());
        return kExitRunFailed;
    }
    if (!args.quiet)
        fmt::print(stderr, "Wrote {0}/runs.csv (one row per run) and {0}/series.csv (every run's timeseries){1}\n",
                   dir.string(),
                   args.shards > 1 ? fmt::format("; combine the {} shards with `chokepoint merge`", args.shards) : "");
    return 0;
}

int merge_batches(const std::vector<std::string>& dirs, const std::string& out, bool quiet) {
    std::optional<json> header;
    std::string header_dir;  // the folder the header came from
    std::map<int, std::pair<fs::path, json>> found;  // run index → (folder, record)
    std::vector<std::string> problems;
    for (const std::string& d : dirs) {
        json h;
        try {
            h = json::parse(read_text_file(fs::path(d) / kBatchFile));
        } catch (const std::exception& e) {
            problems.push_back(fmt::format("{}: not a batch folder ({} missing or unreadable)", d, kBatchFile));
            continue;
        }
        auto is_text = [&](const char* key) { return h.contains(key) && h[key].is_string(); };
        if (!h.is_object() || !is_text("sweep_sha256") || !is_text("scenario_sha256") || !is_text("leverage") ||
            !h.contains("runs") || !h["runs"].is_number_integer() || h["runs"].get<long long>() < 1 ||
            h["runs"].get<long long>() > kMaxSweepRuns) {
            problems.push_back(fmt::format("{}: {} is damaged (it must name the sweep, the scenario, the leverage "
                                           "schedule and 1 to {} runs)",
                                           d, kBatchFile, kMaxSweepRuns));
            continue;
        }
        if (!header) {
            header = h;
            header_dir = d;
        } else if (const std::string why = shard_mismatch(d, h, header_dir, *header); !why.empty()) {
            problems.push_back(why);
            continue;
        }
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(fs::path(d) / "runs", ec)) {
            if (entry.path().extension() != ".json") continue;
            json r;
            try {
                r = json::parse(read_text_file(entry.path()));
            } catch (const std::exception&) {
                problems.push_back(fmt::format("{}: unreadable run record", entry.path().string()));
                continue;
            }
            auto text = [](const json& j, const char* key) {
                const auto it = j.find(key);
                return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
            };
            if (!r.is_object() || text(r, "sweep_sha256") != text(*header, "sweep_sha256") ||
                text(r, "leverage") != text(*header, "leverage") || !r.contains("metrics"))
                continue;
            if (const std::string why = run_record_problem(entry.path(), r); !why.empty()) {
                problems.push_back(fmt::format("{}: {} (run the shard's batch again: it replays that run)",
                                               entry.path().string(), why));
                continue;
            }
            const int index = r.value("index", 0);
            if (auto it = found.find(index); it != found.end()) {
                problems.push_back(fmt::format("run {} is in both {} and {}", r.value("run", ""), it->second.first.string(), d));
                continue;
            }
            found[index] = {fs::path(d), r};
        }
    }
    if (header) {
        const int total = header->value("runs", 0);
        std::vector<std::string> missing;
        for (int i = 1; i <= total; ++i)
            if (!found.count(i)) missing.push_back(fmt::format("r{:04d}", i));
        if (!missing.empty())
            problems.push_back(fmt::format("{} of {} runs are missing: {}{}", missing.size(), total,
                                           fmt::join(missing.begin(), missing.begin() + std::min<long>(10, static_cast<long>(missing.size())), ", "),
                                           missing.size() > 10 ? ", ..." : ""));
    }
    if (!problems.empty() || !header) {
        for (const auto& p : problems) fmt::print(stderr, "chokepoint merge: {}\n", p);
        return kExitInput;
    }
    const fs::path dir = out;
    try {
        std::error_code ec;
        fs::create_directories(dir / "runs", ec);
        if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", (dir / "runs").string(), ec.message()));
        std::vector<json> records;
        for (const auto& [index, where] : found) {
            const std::string id = where.second.at("run").get<std::string>();
            if (fs::weakly_canonical(where.first) != fs::weakly_canonical(dir)) {
                fs::remove_all(dir / "runs" / id);
                fs::copy(where.first / "runs" / id, dir / "runs" / id, fs::copy_options::recursive);
                records_in(dir).write(id, where.second);
            }
            records.push_back(where.second);
        }
        json h = *header;
        h["shard"] = 1;
        h["shards"] = 1;
        write_atomically(dir / kBatchFile, h.dump(2) + "\n");
        assemble(dir, records);
    } catch (const std::exception& e) {
        fmt::print(stderr, "chokepoint merge: {}\n", e.what());
        return kExitOutput;
    }
    if (!quiet)
        fmt::print(stderr, "Merged {} runs from {} folders into {}/runs.csv and {}/series.csv\n", found.size(), dirs.size(),
                   dir.string(), dir.string());
    return 0;
}

}  // namespace chokepoint
