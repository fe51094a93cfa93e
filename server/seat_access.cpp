#include "server/seat_access.hpp"

#include <memory>
#include <random>
#include <set>

namespace chokepoint::server {

namespace {

RandomSource device_random() {
    auto device = std::make_shared<std::random_device>();
    return [device] { return (*device)(); };
}

}  // namespace

bool same_secret(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

SeatAccess::SeatAccess(std::vector<std::string> seats, RandomSource random)
    : random_(random ? std::move(random) : device_random()) {
    for (auto& seat : seats) add_seat(seat);
}

std::string SeatAccess::random_text(const char* alphabet, int length) {
    const std::string chars(alphabet);
    // Rejection sampling: no bias toward the alphabet's first letters.
    const unsigned n = static_cast<unsigned>(chars.size());
    const unsigned limit = 0xFFFFFFFFu - (0xFFFFFFFFu % n);
    std::string out;
    while (static_cast<int>(out.size()) < length) {
        const unsigned r = random_();
        if (r >= limit) continue;
        out += chars[r % n];
    }
    return out;
}

std::string SeatAccess::new_code() {
    for (;;) {
        std::string code = random_text(kCodeAlphabet, kCodeLength);
        bool taken = false;
        for (const auto& [seat, c] : code_of_seat_) taken = taken || c == code;
        if (!taken) return code;
    }
}

void SeatAccess::add_seat(const std::string& seat) {
    std::lock_guard lock(mutex_);
    if (!code_of_seat_.count(seat)) code_of_seat_[seat] = new_code();
}

bool SeatAccess::has_seat(const std::string& seat) const {
    std::lock_guard lock(mutex_);
    return code_of_seat_.count(seat) > 0;
}

std::string SeatAccess::code(const std::string& seat) const {
    std::lock_guard lock(mutex_);
    auto it = code_of_seat_.find(seat);
    return it == code_of_seat_.end() ? std::string() : it->second;
}

std::vector<std::string> SeatAccess::seats() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [seat, code] : code_of_seat_) out.push_back(seat);
    return out;
}

SeatAccess::Join SeatAccess::join(const std::string& code, const std::string& address, double now) {
    std::lock_guard lock(mutex_);
    Join j;
    auto& failures = failures_[address];
    while (!failures.empty() && failures.front() <= now - kFailureWindow) failures.pop_front();
    if (static_cast<int>(failures.size()) >= kMaxFailures) {
        j.outcome = Outcome::RateLimited;
        j.retry_after = failures.front() + kFailureWindow - now;
        return j;
    }
    std::string upper;
    for (char ch : code)
        if (ch != ' ' && ch != '-') upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    for (const auto& [seat, c] : code_of_seat_)
        if (same_secret(c, upper)) {
            j.outcome = Outcome::Joined;
            j.seat = seat;
            j.token = random_text("0123456789abcdef", 32);  // 128 bits
            seat_of_token_[j.token] = seat;
            return j;
        }
    failures.push_back(now);
    j.outcome = Outcome::WrongCode;
    return j;
}

std::optional<std::string> SeatAccess::seat_of(const std::string& token) const {
    std::lock_guard lock(mutex_);
    auto it = seat_of_token_.find(token);
    if (it == seat_of_token_.end()) return std::nullopt;
    return it->second;
}

void SeatAccess::kick(const std::string& seat) {
    std::lock_guard lock(mutex_);
    if (!code_of_seat_.count(seat)) return;
    for (auto it = seat_of_token_.begin(); it != seat_of_token_.end();)
        it = it->second == seat ? seat_of_token_.erase(it) : std::next(it);
    code_of_seat_[seat] = new_code();
}

void SeatAccess::remove_seat(const std::string& seat) {
    std::lock_guard lock(mutex_);
    for (auto it = seat_of_token_.begin(); it != seat_of_token_.end();)
        it = it->second == seat ? seat_of_token_.erase(it) : std::next(it);
    code_of_seat_.erase(seat);
}

int SeatAccess::joined(const std::string& seat) const {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& [token, s] : seat_of_token_) n += s == seat;
    return n;
}

}  // namespace chokepoint::server
