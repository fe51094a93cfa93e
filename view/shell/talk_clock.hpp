// The clock of a turn's negotiation phase for seats played by people: the facilitator sets its
// length, pauses, resumes and extends it; when it runs out, the phase ends (what a team has not
// sent is not said). Wall time, kept by the window's session: it decides only when people stop
// being asked, and what they said is journaled, so it never reaches the game's determinism.
#pragma once

#include <chrono>
#include <string>

namespace chokepoint::view {

class TalkClock {
public:
    using Clock = std::chrono::steady_clock;

    // Starts the phase of `turn` with `seconds` on the clock.
    void start(int turn, double seconds, Clock::time_point now);
    // The phase is over (every seat has spoken, or the decisions have begun).
    void stop() { running_ = false; }
    void pause(Clock::time_point now);
    void resume(Clock::time_point now);
    // Adds `seconds` (a negative value takes time off, down to none left).
    void extend(double seconds, Clock::time_point now);

    bool running() const { return running_; }
    bool paused() const { return running_ && paused_; }
    int turn() const { return turn_; }
    double total() const { return total_; }  // seconds given to the phase, extensions included
    // Seconds left (never negative); the full time left while paused.
    double left(Clock::time_point now) const;
    bool expired(Clock::time_point now) const { return running_ && !paused_ && left(now) <= 0.0; }
    // When it runs out if nobody pauses it (meaningless while paused).
    Clock::time_point deadline() const { return deadline_; }

private:
    bool running_ = false, paused_ = false;
    int turn_ = -1;
    double total_ = 0.0;
    double paused_left_ = 0.0;
    Clock::time_point deadline_{};
};

// "4:05" for 245 seconds (rounded up: 0.2 s left shows 0:01, so 0:00 means the time is up).
std::string clock_text(double seconds);

}  // namespace chokepoint::view
