#include "app/report/debrief_data.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/output/csv.hpp"
#include "engine/world/number_text.hpp"

namespace chokepoint::report {
namespace {

using nlohmann::json;

std::ifstream open_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    if (in) return in;
    // A batch's folder holds runs.csv and one folder per run: the report is of one game (or two).
    std::error_code ec;
    const auto dir = p.parent_path();
    if (std::filesystem::is_regular_file(dir / "runs.csv", ec) && std::filesystem::is_directory(dir / "runs", ec))
        throw DebriefError(p.string() + ": cannot open: " + dir.string() +
                           " is a batch's folder; the report is of one or two games: give one of its runs, e.g. " +
                           (dir / "runs" / "r0001").string() +
                           " (runs.csv lists them with their overrides and seeds; series.csv has every run's series)");
    throw DebriefError(p.string() + ": cannot open (is this a `chokepoint run --out` folder?)");
}

// Splits a CSV line with double-quoted fields (engine/output/csv.hpp).
std::vector<std::string> split_csv(const std::string& line) { return csv_split(line); }

[[noreturn]] void fail(const std::filesystem::path& p, int line, const std::string& what) {
    throw DebriefError(p.string() + ":" + std::to_string(line) + ": " + what);
}

double to_number(const std::string& s, const std::filesystem::path& p, int line) {
    // Not stod: a denormal (1e-320) written by the game is out of its range.
    const auto v = read_number_text(s);
    if (!v) fail(p, line, "not a number: '" + s + "'");
    return *v;
}

// Maximum turn accepted, so a corrupt row cannot make the reader allocate without bound.
constexpr int kMaxTurns = 100000;

int to_turn(const std::string& s, const std::filesystem::path& p, int line) {
    double v = to_number(s, p, line);
    if (v < 0 || v > kMaxTurns || v != static_cast<int>(v)) fail(p, line, "bad turn '" + s + "'");
    return static_cast<int>(v);
}

void read_summary(std::istream& in, const std::filesystem::path& p, DebriefData& d) {
    nlohmann::ordered_json j;  // countries in the file's order
    try {
        j = nlohmann::ordered_json::parse(in);
        d.scenario = j.at("scenario").get<std::string>();
        d.seed = j.at("seed").get<long long>();
        d.turns_played = j.at("turns_played").get<int>();
        for (auto& [name, c] : j.at("countries").items()) {
            d.countries.push_back(name);
            const json& s = c.at("score");
            d.final_scores[name] = {s.at("economy").get<double>(), s.at("security").get<double>(),
                                    s.at("influence").get<double>(), s.at("total").get<double>()};
        }
    } catch (const json::exception& e) {
        throw DebriefError(p.string() + ": " + e.what());
    }
    if (d.turns_played < 1 || d.turns_played > kMaxTurns) throw DebriefError(p.string() + ": bad turns_played");
}

void read_timeseries(std::istream& in, const std::filesystem::path& p, DebriefData& d) {
    std::string line;
    int n = 0;
    if (!std::getline(in, line) || split_csv(line) != std::vector<std::string>{"turn", "date", "country", "metric", "value"})
        fail(p, 1, "header 'turn,date,country,metric,value' expected");
    d.dates.assign(d.turns_played, "");
    n = 1;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty()) continue;
        auto f = split_csv(line);
        if (f.size() != 5) fail(p, n, "5 fields expected, got " + std::to_string(f.size()));
        int t = to_turn(f[0], p, n);
        if (t >= d.turns_played) fail(p, n, "turn " + f[0] + " past turns_played in summary.json");
        d.dates[t] = f[1];
        auto& v = d.series[f[2]][f[3]];
        if (v.empty()) v.assign(d.turns_played, 0.0);
        v[t] = to_number(f[4], p, n);
    }
}

void read_events(std::istream& in, const std::filesystem::path& p, DebriefData& d) {
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty()) continue;
        try {
            json j = json::parse(line);
            DebriefEvent e;
            e.turn = j.at("turn").get<int>();
            e.date = j.value("date", "");
            e.type = j.at("type").get<std::string>();
            e.country = j.value("country", "");
            e.text = j.value("text", "");
            d.events.push_back(std::move(e));
        } catch (const json::exception& e) {
            fail(p, n, e.what());
        }
    }
}

void read_agreements(std::istream& in, const std::filesystem::path& p, DebriefData& d) {
    std::string line;
    if (!std::getline(in, line) || split_csv(line).size() != 10 || split_csv(line)[0] != "id")
        fail(p, 1, "header 'id,proposer,acceptor,clauses,start,end,status,ended,breaches,reason' expected");
    int n = 1;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty()) continue;
        auto f = split_csv(line);
        if (f.size() != 10) fail(p, n, "10 fields expected, got " + std::to_string(f.size()));
        DebriefAgreement a{f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[9], 0};
        a.breaches = static_cast<int>(to_number(f[8], p, n));
        d.agreements.push_back(std::move(a));
    }
}

using Reader = void (*)(std::istream&, const std::filesystem::path&, DebriefData&);
// The files in the order they are read (summary.json first: it gives turns_played); OutputTexts
// has its texts in the same order.
const std::pair<const char*, Reader> kFiles[] = {{"summary.json", read_summary},
                                                 {"timeseries.csv", read_timeseries},
                                                 {"events.jsonl", read_events},
                                                 {"agreements.csv", read_agreements}};

}  // namespace

std::vector<double> DebriefData::metric(const std::string& country, const std::string& name) const {
    auto c = series.find(country);
    if (c != series.end()) {
        auto m = c->second.find(name);
        if (m != c->second.end()) return m->second;
    }
    return std::vector<double>(turns_played, 0.0);
}

std::vector<std::string> DebriefData::suffixes(const std::string& prefix) const {
    std::set<std::string> out;
    for (const auto& [c, metrics] : series)
        for (const auto& [m, v] : metrics)
            if (m.size() > prefix.size() && m.compare(0, prefix.size(), prefix) == 0 &&
                m.find('.', prefix.size()) == std::string::npos)
                out.insert(m.substr(prefix.size()));
    return {out.begin(), out.end()};
}

DebriefData read_output_dir(const std::string& dir) {
    std::filesystem::path p(dir);
    if (!std::filesystem::is_directory(p)) throw DebriefError(dir + ": not a folder (give a `chokepoint run --out` folder)");
    DebriefData d;
    d.source = dir;
    for (const auto& [name, reader] : kFiles) {
        auto in = open_file(p / name);
        reader(in, p / name, d);
    }
    return d;
}

DebriefData read_output_texts(const std::string& source, const OutputTexts& texts) {
    const std::filesystem::path p(source);
    DebriefData d;
    d.source = source;
    const std::string* text[] = {&texts.summary, &texts.timeseries, &texts.events, &texts.agreements};
    for (size_t i = 0; i < std::size(kFiles); ++i) {
        std::istringstream in(*text[i]);
        kFiles[i].second(in, p / kFiles[i].first, d);
    }
    return d;
}

}  // namespace chokepoint::report
