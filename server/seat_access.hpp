// Who may play which seat from a browser (docs/protocol.md §Joining): every seat played by people
// has a short join code; a browser that shows a right code gets a session token, unguessable, that
// names the seat in every later request. A wrong code counts against the address it came from:
// after `kMaxFailures` wrong codes in `kFailureWindow` seconds that address is refused (HTTP 429)
// until the window has passed. The facilitator can kick a seat (its tokens stop working and it gets
// a new code) or hand it back to its policy. Time comes from the caller (steady seconds): the
// server's clock, never the game's.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace chokepoint::server {

// Random text from an alphabet (std::random_device by default; tests give their own).
using RandomSource = std::function<unsigned()>;

class SeatAccess {
public:
    static constexpr int kMaxFailures = 5;
    static constexpr double kFailureWindow = 60.0;  // seconds
    static constexpr int kCodeLength = 6;
    // Letters and digits a person cannot confuse when copying from a projector (no 0/O, 1/I/L).
    static constexpr const char* kCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    explicit SeatAccess(std::vector<std::string> seats, RandomSource random = {});

    enum class Outcome { Joined, WrongCode, RateLimited };
    struct Join {
        Outcome outcome = Outcome::WrongCode;
        std::string seat, token;
        double retry_after = 0.0;  // seconds, when rate limited
    };
    // A browser at `address` shows `code` at time `now`.
    Join join(const std::string& code, const std::string& address, double now);

    // The seat a token plays, if the token is valid.
    std::optional<std::string> seat_of(const std::string& token) const;
    std::string code(const std::string& seat) const;  // "" for an unknown seat
    std::vector<std::string> seats() const;
    bool has_seat(const std::string& seat) const;
    // Adds a seat (a country handed to people while the server runs); no-op if it has one.
    void add_seat(const std::string& seat);
    // Every token of the seat stops working and the seat gets a new code (kick, or reassign to
    // another team: the new code goes to them).
    void kick(const std::string& seat);
    // The seat is no longer played from a browser (a new game without it): its code and every
    // token of it stop working.
    void remove_seat(const std::string& seat);
    // How many browsers hold a valid token for the seat.
    int joined(const std::string& seat) const;

private:
    std::string random_text(const char* alphabet, int length);
    std::string new_code();

    mutable std::mutex mutex_;
    RandomSource random_;
    std::map<std::string, std::string> code_of_seat_;
    std::map<std::string, std::string> seat_of_token_;
    std::map<std::string, std::deque<double>> failures_;  // address -> times of wrong codes
};

// Constant-time comparison of two secrets of the same length (codes, tokens).
bool same_secret(const std::string& a, const std::string& b);

}  // namespace chokepoint::server
