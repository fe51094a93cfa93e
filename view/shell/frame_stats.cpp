#include "view/shell/frame_stats.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace chokepoint::view {

namespace {
double ms_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}
}  // namespace

void FrameStats::begin_frame() { start_ = last_ = Clock::now(); }

void FrameStats::mark(Phase ended) {
    const auto now = Clock::now();
    phase_ms_[static_cast<size_t>(ended)].push_back(ms_between(last_, now));
    last_ = now;
}

void FrameStats::end_frame() {
    mark(Present);
    frame_ms_.push_back(ms_between(start_, last_));
}

void FrameStats::print() const {
    fmt::print("frames drawn: {}\n", frame_ms_.size());
    if (frame_ms_.size() <= 10) return;
    std::vector<double> tail(
        frame_ms_.end() - std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(frame_ms_.size()) - kWarmupFrames, kTailFrames),
        frame_ms_.end());
    std::sort(tail.begin(), tail.end());
    double sum = 0;
    for (double t : tail) sum += t;
    fmt::print("frame time over the last {} frames: mean {:.2f} ms, median {:.2f} ms, p95 {:.2f} ms ({:.0f} fps)\n",
               tail.size(), sum / static_cast<double>(tail.size()), tail[tail.size() / 2], tail[tail.size() * 95 / 100],
               1000.0 * static_cast<double>(tail.size()) / sum);
    const auto median_tail = [&](std::vector<double> v) {
        v.erase(v.begin(), v.end() - static_cast<std::ptrdiff_t>(tail.size()));
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    fmt::print("  medians: build panels {:.2f} ms, draw map {:.2f} ms, draw panels {:.2f} ms, present {:.2f} ms\n",
               median_tail(phase_ms_[BuildPanels]), median_tail(phase_ms_[DrawMap]), median_tail(phase_ms_[DrawPanels]),
               median_tail(phase_ms_[Present]));
}

}  // namespace chokepoint::view
