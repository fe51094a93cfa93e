#include "view/shell/talk_clock.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace chokepoint::view {

namespace {

TalkClock::Clock::duration seconds_of(double s) {
    return std::chrono::duration_cast<TalkClock::Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

void TalkClock::start(int turn, double seconds, Clock::time_point now) {
    running_ = true;
    paused_ = false;
    turn_ = turn;
    total_ = std::max(0.0, seconds);
    deadline_ = now + seconds_of(total_);
}

void TalkClock::pause(Clock::time_point now) {
    if (!running_ || paused_) return;
    paused_left_ = left(now);
    paused_ = true;
}

void TalkClock::resume(Clock::time_point now) {
    if (!running_ || !paused_) return;
    paused_ = false;
    deadline_ = now + seconds_of(paused_left_);
}

void TalkClock::extend(double seconds, Clock::time_point now) {
    if (!running_) return;
    const double was = left(now);
    const double next = std::max(0.0, was + seconds);
    total_ = std::max(0.0, total_ + (next - was));
    if (paused_)
        paused_left_ = next;
    else
        deadline_ = now + seconds_of(next);
}

double TalkClock::left(Clock::time_point now) const {
    if (paused_) return paused_left_;
    return std::max(0.0, std::chrono::duration<double>(deadline_ - now).count());
}

std::string clock_text(double seconds) {
    const long s = static_cast<long>(std::ceil(std::max(0.0, seconds)));
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace chokepoint::view
