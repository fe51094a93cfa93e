// How long the window's frames take, by phase (--frame-times; docs/performance.md). Wall-clock
// time measures the drawing only: nothing here reaches the game.
#pragma once

#include <array>
#include <chrono>
#include <vector>

namespace chokepoint::view {

class FrameStats {
public:
    // The phases of a frame, in order; each mark() ends the next one.
    enum Phase { BuildPanels, DrawMap, DrawPanels, Present, kPhaseCount };

    void begin_frame();      // before the events are read
    void mark(Phase ended);  // the phase that just ended (BuildPanels, DrawMap, DrawPanels)
    void end_frame();        // after display(): ends Present and the frame
    // Mean, median, p95 and the phases' medians over the last frames (up to kTailFrames, leaving out
    // the first kWarmupFrames); prints nothing with 10 frames or fewer.
    void print() const;

    static constexpr std::ptrdiff_t kTailFrames = 300;
    static constexpr std::ptrdiff_t kWarmupFrames = 5;

private:
    using Clock = std::chrono::steady_clock;
    Clock::time_point start_, last_;
    std::vector<double> frame_ms_;
    std::array<std::vector<double>, kPhaseCount> phase_ms_;
};

}  // namespace chokepoint::view
