#include "engine/output/output_set.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <stdexcept>
#include <system_error>

#include "engine/output/sha256.hpp"

namespace chokepoint {

namespace fs = std::filesystem;

namespace {

std::string error_text(int err) {
    return std::generic_category().message(err);
}

// An ostream's buffer over a file descriptor that remembers the first error (a lost write error
// is what made a full disk look like success) and checksums what passes through.
class FileSink : public std::streambuf {
public:
    explicit FileSink(int fd) : fd_(fd) { setp(buf_.data(), buf_.data() + buf_.size()); }
    ~FileSink() override {
        if (fd_ >= 0) ::close(fd_);
    }
    FileSink(const FileSink&) = delete;
    FileSink& operator=(const FileSink&) = delete;

    // Writes what is buffered, fsyncs and closes; 0, or the first errno met on the way.
    int finish() {
        drain();
        if (err_ == 0 && ::fsync(fd_) != 0) err_ = errno;
        if (::close(fd_) != 0 && err_ == 0) err_ = errno;
        fd_ = -1;
        return err_;
    }
    std::uint64_t bytes() const { return bytes_; }
    std::string sha256() { return sha_.hex(); }

protected:
    int_type overflow(int_type ch) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain() {
        if (err_ != 0) return false;
        const char* p = pbase();
        std::size_t n = static_cast<std::size_t>(pptr() - pbase());
        sha_.update(p, n);
        bytes_ += n;
        while (n > 0) {
            ssize_t w = ::write(fd_, p, n);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                err_ = w < 0 ? errno : ENOSPC;
                return false;
            }
            p += w;
            n -= static_cast<std::size_t>(w);
        }
        setp(buf_.data(), buf_.data() + buf_.size());
        return true;
    }

    int fd_;
    int err_ = 0;
    std::array<char, 1 << 16> buf_{};
    Sha256 sha_;
    std::uint64_t bytes_ = 0;
};

// fsync of a folder, so the names in it (the files, a rename) are on disk too.
int sync_folder(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    int err = ::fsync(fd) == 0 ? 0 : errno;
    if (::close(fd) != 0 && err == 0) err = errno;
    return err;
}

bool part_of_output_set(const std::string& name, const std::set<std::string>& names) {
    if (name == kManifestName || names.count(name)) return true;
    // Earlier versions wrote NAME.tmp and renamed it: a leftover of a killed run.
    const std::string tmp = ".tmp";
    return name.size() > tmp.size() && name.compare(name.size() - tmp.size(), tmp.size(), tmp) == 0 &&
           names.count(name.substr(0, name.size() - tmp.size()));
}

std::string manifest_text(const OutputManifest& m) {
    nlohmann::ordered_json j;
    j["format"] = kManifestFormat;
    j["run_id"] = m.run_id;
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& f : m.files) files.push_back({{"name", f.name}, {"bytes", f.bytes}, {"sha256", f.sha256}});
    j["files"] = files;
    return j.dump(2) + "\n";
}

}  // namespace

namespace {

std::set<std::string> checked_names(const std::vector<OutputFile>& files) {
    std::set<std::string> names;
    for (const auto& f : files)
        if (f.name.empty() || f.name.find('/') != std::string::npos || f.name == kManifestName || f.name[0] == '.' ||
            !names.insert(f.name).second)
            throw std::logic_error("write_output_set: bad or repeated file name '" + f.name + "'");
    return names;
}

// Writes one output set: the files into a staging folder beside the target, then swapped in whole.
class OutputSetWriter {
public:
    OutputSetWriter(const fs::path& dir, const OutputSetHooks& hooks)
        : dir_(dir), shown_(dir.string()), hooks_(hooks) {}

    OutputManifest write(const std::vector<OutputFile>& files) {
        resolve_target(checked_names(files));
        make_staging();
        for (const auto& f : files) write_file(f.name, f.fill);
        write_manifest();
        if (int err = sync_folder(staging_)) fail("cannot sync the staging folder " + staging_.string(), err);
        step("synced staging");
        swap_in();
        return manifest_;
    }

private:
    void step(const std::string& what) const {
        if (hooks_.after_step) hooks_.after_step(what);
    }

    // The folder to replace (a symbolic link: what it points to); refuses a root, a file, and a
    // folder that holds anything not part of an output set.
    void resolve_target(const std::set<std::string>& names) {
        std::error_code ec;
        target_ = fs::absolute(dir_, ec).lexically_normal();
        if (!target_.has_filename()) target_ = target_.parent_path();
        if (ec || target_ == target_.root_path() || target_.filename() == "..")
            throw std::runtime_error(
                fmt::format("cannot use {} as the output folder: name a folder to create or replace", shown_));
        if (fs::is_symlink(fs::symlink_status(target_, ec)))
            target_ = fs::weakly_canonical(target_, ec);  // replace what it points to
        const fs::file_status status = fs::status(target_, ec);
        existed_ = fs::exists(status);
        if (existed_ && !fs::is_directory(status))
            throw std::runtime_error(
                fmt::format("cannot write the output folder {}: it exists and is not a folder", shown_));
        if (existed_) check_only_output_files(names);
        parent_ = target_.parent_path();
        const std::string base = target_.filename().string();
        staging_ = parent_ / ("." + base + ".partial");
        old_ = parent_ / ("." + base + ".old");
    }

    // The folder is replaced as a whole: refuse rather than delete anything that is not ours.
    void check_only_output_files(const std::set<std::string>& names) const {
        std::error_code ec;
        for (fs::directory_iterator it(target_, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (!it->is_regular_file(ec) || !part_of_output_set(name, names))
                throw std::runtime_error(fmt::format(
                    "cannot write the output folder {}: it holds '{}', which is not part of an output set, and the "
                    "folder is replaced as a whole; give a new or empty folder (nothing was written)",
                    shown_, name));
        }
        if (ec) throw std::runtime_error(fmt::format("cannot read the output folder {}: {}", shown_, ec.message()));
    }

    void make_staging() {
        std::error_code ec;
        fs::create_directories(parent_, ec);
        if (ec)
            throw std::runtime_error(fmt::format("cannot create the folder {}: {}", parent_.string(), ec.message()));
        fs::remove_all(staging_, ec);  // a killed run's leftover: never part of the target
        if (!ec) fs::create_directory(staging_, ec);
        if (ec)
            throw std::runtime_error(
                fmt::format("cannot create the staging folder {} for {}: {}", staging_.string(), shown_, ec.message()));
    }

    [[noreturn]] void fail(const std::string& what, int err) const {
        std::error_code ignored;
        fs::remove_all(staging_, ignored);
        throw std::runtime_error(
            fmt::format("{}: {} (the output folder {} was left as it was)", what, error_text(err), shown_));
    }

    void write_file(const std::string& name, const std::function<void(std::ostream&)>& fill) {
        const fs::path path = staging_ / name;
        const std::string shown_file = (dir_ / name).string();
        int fd = hooks_.open_file ? hooks_.open_file(name, path)
                                  : ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) fail("cannot create " + shown_file, errno);
        FileSink sink(fd);
        {
            std::ostream out(&sink);
            try {
                fill(out);
            } catch (...) {
                std::error_code ignored;
                fs::remove_all(staging_, ignored);
                throw;
            }
            out.flush();
        }
        if (int err = sink.finish()) fail("cannot write " + shown_file, err);
        manifest_.files.push_back({name, sink.bytes(), sink.sha256()});
        step("wrote " + name);
    }

    // The run id (a checksum of the files' checksums) and the manifest file, which does not list itself.
    void write_manifest() {
        Sha256 id;
        for (const auto& f : manifest_.files) id.update(fmt::format("{} {} {}\n", f.name, f.bytes, f.sha256));
        manifest_.run_id = id.hex().substr(0, kRunIdDigits);
        const std::string text = manifest_text(manifest_);
        write_file(kManifestName, [&](std::ostream& out) { out << text; });
        manifest_.files.pop_back();
    }

    // The swap: one atomic exchange where the filesystem has it; else the old set aside, the new
    // one in (a kill between the two leaves `dir` missing and both complete sets beside it).
    void swap_in() {
        fs::path leftover;
        std::error_code ec;
        if (!existed_) {
            if (::rename(staging_.c_str(), target_.c_str()) != 0)
                fail("cannot rename the new output set to " + shown_, errno);
            step("renamed");
        } else if (hooks_.use_exchange &&
                   ::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
            leftover = staging_;  // now holds the earlier set
            step("exchanged");
        } else {
            fs::remove_all(old_, ec);
            if (::rename(target_.c_str(), old_.c_str()) != 0)
                fail("cannot move the earlier output set in " + shown_ + " aside", errno);
            step("moved old aside");
            if (::rename(staging_.c_str(), target_.c_str()) != 0) {
                int err = errno;
                ::rename(old_.c_str(), target_.c_str());
                fail("cannot rename the new output set to " + shown_, err);
            }
            leftover = old_;
            step("renamed");
        }
        if (int err = sync_folder(parent_))
            throw std::runtime_error(fmt::format("the output set is in {} but its folder {} could not be synced: {}",
                                                 shown_, parent_.string(), error_text(err)));
        step("synced folder");
        // Best effort: a leftover is never read. `old` may also be a killed fallback's earlier set.
        if (!leftover.empty()) fs::remove_all(leftover, ec);
        fs::remove_all(old_, ec);
        step("removed old");
    }

    fs::path dir_;
    std::string shown_;
    const OutputSetHooks& hooks_;
    fs::path target_, parent_, staging_, old_;
    bool existed_ = false;
    OutputManifest manifest_;
};

}  // namespace

OutputManifest write_output_set(const fs::path& dir, const std::vector<OutputFile>& files,
                                const OutputSetHooks& hooks) {
    return OutputSetWriter(dir, hooks).write(files);
}

std::optional<std::string> verify_output_set(const fs::path& dir, OutputManifest* out) {
    std::ifstream mf(dir / kManifestName, std::ios::binary);
    if (!mf) return fmt::format("{} has no {}", dir.string(), kManifestName);
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(mf);
    } catch (const std::exception& e) {
        return fmt::format("{}/{} is not valid JSON: {}", dir.string(), kManifestName, e.what());
    }
    if (!j.is_object() || j.value("format", "") != kManifestFormat || !j["files"].is_array() ||
        !j["run_id"].is_string())
        return fmt::format("{}/{} is not a {} manifest", dir.string(), kManifestName, kManifestFormat);
    OutputManifest m;
    m.run_id = j["run_id"].get<std::string>();
    std::set<std::string> listed{kManifestName};
    for (const auto& f : j["files"]) {
        ManifestEntry e{f.value("name", ""), f.value("bytes", std::uint64_t{0}), f.value("sha256", "")};
        listed.insert(e.name);
        std::ifstream in(dir / e.name, std::ios::binary);
        if (e.name.empty() || e.name.find('/') != std::string::npos || !in)
            return fmt::format("{}: '{}' is listed but missing", dir.string(), e.name);
        Sha256 sha;
        std::uint64_t bytes = 0;
        std::array<char, 1 << 16> buf{};
        while (in.read(buf.data(), buf.size()) || in.gcount() > 0) {
            sha.update(buf.data(), static_cast<std::size_t>(in.gcount()));
            bytes += static_cast<std::uint64_t>(in.gcount());
        }
        if (bytes != e.bytes)
            return fmt::format("{}: '{}' has {} bytes, the manifest says {}", dir.string(), e.name, bytes, e.bytes);
        if (sha.hex() != e.sha256) return fmt::format("{}: '{}' does not match its checksum", dir.string(), e.name);
        m.files.push_back(e);
    }
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (!listed.count(it->path().filename().string()))
            return fmt::format("{}: '{}' is not in the manifest", dir.string(), it->path().filename().string());
    if (out) *out = m;
    return std::nullopt;
}

}  // namespace chokepoint
