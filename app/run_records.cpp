#include "app/run_records.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "engine/output/sha256.hpp"
#include "engine/scenario/loader.hpp"

namespace chokepoint {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::string read_text_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error(fmt::format("cannot read {}", p.string()));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_atomically(const fs::path& p, const std::string& text) {
    const fs::path tmp = p.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) throw std::runtime_error(fmt::format("cannot write {}", tmp.string()));
    }
    std::error_code ec;
    fs::rename(tmp, p, ec);
    if (ec) throw std::runtime_error(fmt::format("cannot write {}: {}", p.string(), ec.message()));
}

std::optional<json> read_json_file(const fs::path& p) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return std::nullopt;
    try {
        return json::parse(read_text_file(p));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string scenario_sha256(const std::string& path, const std::string& text) {
    const std::vector<ScenarioFile> bases = extended_files(text, path);
    if (bases.empty()) return sha256_hex(text);
    std::string shas = sha256_hex(text);
    for (const ScenarioFile& b : bases) shas += "\n" + sha256_hex(b.text);
    return sha256_hex(shas);
}

std::optional<json> RunRecords::finished(const std::string& id, const std::function<bool(const json&)>& belongs) const {
    std::optional<json> r = read_json_file(path(id));
    if (!r || !r->is_object() || !intact(*r)) return std::nullopt;
    try {
        if (!belongs(*r)) return std::nullopt;
    } catch (const std::exception&) {  // a field of the wrong type: not a record of this plan
        return std::nullopt;
    }
    return r;
}

namespace {

constexpr const char* kRecordChecksum = "record_sha256";

std::string record_checksum(json record) {
    record.erase(kRecordChecksum);
    return sha256_hex(record.dump());
}

}  // namespace

void RunRecords::write(const std::string& id, const json& record) const {
    json r = record;
    r[kRecordChecksum] = record_checksum(record);
    write_atomically(path(id), r.dump(2) + "\n");
}

bool RunRecords::intact(const json& record) {
    if (!record.is_object()) return false;
    const auto it = record.find(kRecordChecksum);
    return it != record.end() && it->is_string() && it->get<std::string>() == record_checksum(record);
}

namespace {

std::string duration(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    if (s >= 3600) return fmt::format("{}h{:02d}m", s / 3600, (s % 3600) / 60);
    if (s >= 60) return fmt::format("{}m{:02d}s", s / 60, s % 60);
    return fmt::format("{}s", s);
}

}  // namespace

Progress::Progress(int total, int skipped, bool quiet, std::string noun)
    : total_(total), done_(skipped), skipped_(skipped), quiet_(quiet), tty_(isatty(fileno(stderr)) != 0),
      noun_(std::move(noun)), start_(std::chrono::steady_clock::now()) {}

void Progress::finished(const std::string& id, const std::string& failure) {
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    if (quiet_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const int played = done_ - skipped_;
    const double eta = played > 0 ? elapsed / played * (total_ - done_) : 0.0;
    if (!failure.empty()) {
        if (tty_) std::fputs("\r\033[K", stderr);
        fmt::print(stderr, "{} {} failed: {}\n", noun_, id, failure);
    }
    if (tty_) {
        constexpr int kWidth = 30;
        const int filled = total_ > 0 ? done_ * kWidth / total_ : kWidth;
        fmt::print(stderr, "\r[{}{}] {}/{} {}s, {} elapsed, ETA {}", std::string(static_cast<size_t>(filled), '#'),
                   std::string(static_cast<size_t>(kWidth - filled), '.'), done_, total_, noun_, duration(elapsed),
                   duration(eta));
        if (done_ == total_) std::fputs("\n", stderr);
    } else if (failure.empty()) {
        fmt::print(stderr, "{} {} done ({}/{}, ETA {})\n", noun_, id, done_, total_, duration(eta));
    }
    std::fflush(stderr);
}

}  // namespace chokepoint
