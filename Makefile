# The README's two commands: `make run` and `make test`. Everything else is CMake.
JOBS ?= $(shell nproc)
BUILD ?= build
SCENARIO ?= config/scenarios/baseline.yaml

.PHONY: run test deps build build-asan bench clean

deps:
	@bash .ci/install-deps

# Release, with warnings as errors (the default for users is off: a newer compiler's new warning
# must not stop their build; here it stops the change that caused it).
build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHOKEPOINT_WERROR=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The main job: the GUI on the default scenario when a display is available,
# otherwise a headless run that prints a summary.
run: build
	@./$(BUILD)/chokepoint play $(SCENARIO)

# All tests: the normal build, then the same suite under ASan + UBSan. The window's tests need
# an X server: the suite runs inside xvfb-run (a virtual display, software OpenGL).
XVFB = xvfb-run -a -s "-screen 0 1600x900x24"
OPENGL_TESTS = GameWindow|WorldView|ImGuiSfmlBinding
test: build
	@cd $(BUILD) && $(XVFB) ctest --output-on-failure -j $(JOBS)
	@cmake -S . -B $(BUILD)-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCHOKEPOINT_WERROR=ON -DCHOKEPOINT_SANITIZE=ON -DCHOKEPOINT_BENCH=OFF >/dev/null
	@cmake --build $(BUILD)-asan -j $(JOBS)
	@cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/.ci/lsan.supp \
		UBSAN_OPTIONS=print_stacktrace=1 $(XVFB) ctest --output-on-failure -j $(JOBS) -E '$(OPENGL_TESTS)'
	@# Tests that open an OpenGL window: Mesa's dlopen'ed drivers leak ~100 bytes that LeakSanitizer
	@# cannot attribute (an "unknown module"), so leak checking is off for these only.
	@cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
		$(XVFB) ctest --output-on-failure -j $(JOBS) -R '$(OPENGL_TESTS)' 

bench: build
	@./$(BUILD)/chokepoint_bench

clean:
	rm -rf $(BUILD) $(BUILD)-asan
