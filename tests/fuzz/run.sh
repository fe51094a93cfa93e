#!/usr/bin/env bash
# Runs each libFuzzer harness for SECONDS (docs/testing.md §Fuzzing): usage
#   tests/fuzz/run.sh BUILD_DIR SECONDS HARNESS...
# Seeds come from the project's own files (config/, tests/, scripts/) and the saved regressions;
# what the fuzzer adds is kept in BUILD_DIR/fuzz/HARNESS/corpus, a crash lands in
# BUILD_DIR/fuzz/HARNESS/crashes/ and fails the run. The harnesses run at the same time (each is
# one process on one core: on 2 cores two harnesses take SECONDS, not twice that); their summaries
# print in the order given, once all have finished.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$1 seconds=$2
shift 2
status=0
# Prepares HARNESS's folders and seeds; prints what it will run.
prepare() {
  local harness=$1 work=$build/fuzz/$1 seeds f
  rm -rf "$work/seeds"
  mkdir -p "$work/seeds" "$work/corpus" "$work/crashes"
  case $harness in
    scenario_loader) seeds=$(find config tests -name '*.yaml' | sort) ;;
    policy_turn) seeds=$(find scripts tests -name '*.lua' | sort) ;;
    *) echo "fuzz: unknown harness $harness" >&2; exit 2 ;;
  esac
  for f in $seeds; do cp "$f" "$work/seeds/${f//\//_}"; done
  echo "fuzz: $harness for ${seconds} s ($(echo "$seeds" | wc -w) seed files; log in $work/log.txt)"
}
# Runs HARNESS for SECONDS; its exit status is libFuzzer's.
run() {
  local harness=$1 work=$build/fuzz/$1
  "$build/fuzz_$harness" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="tests/fuzz/$harness.dict" -artifact_prefix="$work/crashes/" "$work/corpus" "$work/seeds" "tests/fuzz/regressions/$harness" >"$work/log.txt" 2>&1
}
# Prints HARNESS's result from its log; a failure (exit status RC) sets status=1.
report() {
  local harness=$1 rc=$2 work=$build/fuzz/$1 runs rate
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log.txt")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log.txt")
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "fuzz: $harness FAILED (exit $rc): the input is in $work/crashes/; reproduce with" >&2
    echo "      $build/fuzz_$harness $work/crashes/FILE   (last lines of the log:)" >&2
    tail -n 30 "$work/log.txt" >&2
  else
    echo "fuzz: $harness ok: ${runs:-?} inputs, ${rate:-?} exec/s, corpus $(ls "$work/corpus" | wc -l) files"
  fi
}
for harness in "$@"; do prepare "$harness"; done
pids=()
for harness in "$@"; do run "$harness" & pids+=($!); done
i=0
for harness in "$@"; do
  rc=0
  wait "${pids[$i]}" || rc=$?
  report "$harness" "$rc"
  i=$((i + 1))
done
exit $status
