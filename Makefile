# The README's two commands: `make run` and `make test`. Everything else is CMake.
JOBS ?= $(shell nproc)
BUILD ?= build
SCENARIO ?= config/scenarios/baseline.yaml

.PHONY: run test deps build build-asan bench clean fuzz fuzz-build

deps:
	@bash .ci/install-deps

# Unity builds of the libraries, the executable and the tests (CHOKEPOINT_UNITY, CMakeLists.txt): about
# half the CPU time of file-by-file builds of them (docs/testing.md, "CI's time"). A developer's own
# build folder can stay file by file, where one edited file recompiles alone.
UNITY = -DCHOKEPOINT_UNITY=ON

# Release, with warnings as errors (the default for users is off: a newer compiler's new warning
# must not stop their build; here it stops the change that caused it).
build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHOKEPOINT_WERROR=ON $(UNITY) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The main job: the GUI on the default scenario when a display is available,
# otherwise a headless run that prints a summary.
run: build
	@./$(BUILD)/chokepoint play $(SCENARIO)

# All tests: the normal build, then the same suite under ASan + UBSan. The window's tests need
# an X server: the suite runs inside xvfb-run (a virtual display, software OpenGL).
XVFB = xvfb-run -a -s "-screen 0 1600x900x24"
OPENGL_TESTS = GameWindow|WorldView|ImGuiSfmlBinding
# Whole-scenario tests that run in the Release pass only: under ASan each takes 20–110 s and adds
# no code path that a smaller test does not already run there (docs/testing.md, "What the
# sanitizer pass skips"); packaging and installing are not memory-safety questions.
RELEASE_ONLY_TESTS = GameFileCli.ResumeAndBranchGiveTheStraightGamesOutputs|GameFileCli.KillNineMidGameLeavesTheLastCommittedTurnLoadable|LeverageExact.BaselineFortyTurnsWithReuseAndThreadsEqualsTheReference|Cli.BaselineOnLuaPoliciesIsByteIdenticalAcrossRuns|Golden.LicensingShockOnTheBaselineEightTurns|GameWindow.TwoHumanSeatsPlayAWholeBaselineGameByMouse|GameWindow.AFacilitatorSwitchesTheContentRuleOnFromTheInjectForm|ServerLoad\.|Package\.|Install\.
# The sanitizer and fuzzing builds keep line tables only (-g1): reports still name file and line,
# and the heaviest file compiles faster (the server's unity file: 220 s instead of 255 s under
# ASan; the whole build's gain is not yet measured on an idle machine: docs/testing.md, "CI's time").
DEBUG_INFO = -g1
test: build
	@cd $(BUILD) && $(XVFB) ctest --output-on-failure -j $(JOBS)
	@cmake -S . -B $(BUILD)-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=$(DEBUG_INFO) -DCHOKEPOINT_WERROR=ON \
		-DCHOKEPOINT_SANITIZE=ON -DCHOKEPOINT_BENCH=OFF $(UNITY) >/dev/null
	@cmake --build $(BUILD)-asan -j $(JOBS)
	@cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/.ci/lsan.supp \
		UBSAN_OPTIONS=print_stacktrace=1 $(XVFB) ctest --output-on-failure -j $(JOBS) -E '$(OPENGL_TESTS)|$(RELEASE_ONLY_TESTS)'
	@# Tests that open an OpenGL window: Mesa's dlopen'ed drivers leak ~100 bytes that LeakSanitizer
	@# cannot attribute (an "unknown module"), so leak checking is off for these only.
	@cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
		$(XVFB) ctest --output-on-failure -j $(JOBS) -R '$(OPENGL_TESTS)' -E '$(RELEASE_ONLY_TESTS)'
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(CI_FUZZ_SECONDS)

# Fuzzing (docs/testing.md): libFuzzer harnesses built by Debian's clang with ASan + UBSan in their
# own build folder (only the harnesses and the libraries they need), each run for FUZZ_SECONDS;
# `make test` runs each for CI_FUZZ_SECONDS. A crash fails the run and is kept in
# $(FUZZ_BUILD)/fuzz/HARNESS/crashes/.
FUZZ_BUILD ?= $(BUILD)-fuzz
FUZZ_SECONDS ?= 300
CI_FUZZ_SECONDS ?= 60
FUZZ_HARNESSES = scenario_loader policy_turn
fuzz-build: deps
	@cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 $(DEBUG_INFO)" -DCHOKEPOINT_FUZZ=ON -DCHOKEPOINT_TESTS=OFF -DCHOKEPOINT_BENCH=OFF \
		-DCHOKEPOINT_VIEW=OFF $(UNITY) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_HARNESSES))

fuzz: fuzz-build
	@bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

bench: build
	@./$(BUILD)/chokepoint_bench

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-fuzz
