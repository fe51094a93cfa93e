// Session tests: a small trio game for the window's Session, and waiting for what its worker
// thread publishes (shared by session_test.cpp and session_game_file_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "view/session.hpp"

namespace chokepoint::testing {

// The three-country test world without leverage; `save` is the game file ("" for none).
inline view::SessionOptions trio_session(std::vector<std::string> humans = {}, const std::string& save = "") {
    view::SessionOptions o;
    o.scenario = "tests/scenarios/trio.yaml";
    o.humans = std::move(humans);
    o.game.measure_leverage = false;
    o.save = save;
    return o;
}

// Polls the session's snapshots until `done` holds (the worker publishes asynchronously); a test
// failure after 10 s, returning the snapshot then.
template <class F>
std::shared_ptr<const view::Snapshot> until(const view::Session& s, F done) {
    for (int i = 0; i < 5000; ++i) {
        auto snap = s.snapshot();
        if (done(*snap)) return snap;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ADD_FAILURE() << "timed out waiting for the session";
    return s.snapshot();
}

}  // namespace chokepoint::testing
