// Runs the chokepoint command for the end-to-end tests: exit code and everything it printed.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace chokepoint::testing {

struct RunResult {
    int code = -1;
    std::string out;  // stdout and stderr together
};

// `timeout_seconds` > 0 runs it under timeout(1), so a hang fails the test (exit 124) instead of
// stalling the suite.
inline RunResult run_chokepoint(const std::string& args, int timeout_seconds = 0) {
    std::string cmd = (timeout_seconds > 0 ? "timeout " + std::to_string(timeout_seconds) + " " : std::string()) +
                      std::string(CHOKEPOINT_BINARY) + " " + args + " 2>&1";
    RunResult r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace chokepoint::testing
