#!/usr/bin/env bash
# `make fuzz` (issue 14): builds every fuzz target of Tests/Fuzz with libFuzzer and AddressSanitizer, runs each over
# its committed seed corpus for a budget of runs (or seconds), and prints a table: target, executions, crashes,
# seconds. New inputs go into a scratch corpus under the build folder, never into Tests/Fuzz/Corpus; crash inputs
# are left in <scratch>/runs/<target>/artifacts/ (or FUZZ_OUT).
#
#   FUZZ_RUNS=10000000   executions per target (the default: issue 14 asks for at least 10 million)
#   FUZZ_SECONDS=600     a time budget per target instead (libFuzzer's -max_total_time)
#   FUZZ_TARGETS="FuzzBencode FuzzPeerWire"   only these (default: every Sources/Fuzz* folder)
#   FUZZ_JOBS=2          targets run at once (default 1: the machine is shared)
#   FUZZ_BUILD=0         skip the build (reuse the last one)
#   FUZZ_ASAN_OPTIONS=…  AddressSanitizer's options (default: the cheap set below; empty: ASan's defaults)
#   FUZZ_OUT=dir         where each target's scratch corpus, crash inputs and logs go (default <scratch>/runs)
#   FUZZ_RESUME=1        continue a campaign: keep each target's scratch corpus, crash inputs and earlier logs, run
#                        only what the campaign still lacks of FUZZ_RUNS, and show the campaign's sum in "total" (a run
#                        cut short, e.g. by the end of a session, counts the executions its last progress line reports)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
swift=${SWIFT:-swift}
scratch=${FUZZ_SCRATCH:-$root/.build-fuzz}
runs=${FUZZ_RUNS:-10000000}
seconds=${FUZZ_SECONDS:-}
jobs=${FUZZ_JOBS:-1}
out=${FUZZ_OUT:-$scratch/runs}
asan=${FUZZ_ASAN_OPTIONS-malloc_context_size=0:detect_leaks=0:quarantine_size_mb=0:thread_local_quarantine_size_kb=0:max_malloc_fill_size=0}
targets=${FUZZ_TARGETS:-$(cd "$here/Sources" && ls -d Fuzz* | grep -v '^FuzzSupport$' | tr '\n' ' ')}

# SwiftPM renames an executable's entry point, so libFuzzer's own main is not used: each target's @main calls
# LLVMFuzzerRunDriver (Sources/CFuzzDriver). -parse-as-library lets @main sit in a file of any name; -enable-testing
# lets targets reach internal parsers (`@testable import`) without making them public.
build=(-c release --package-path "$here" --scratch-path "$scratch"
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing)
if [[ ${FUZZ_BUILD:-1} != 0 ]]; then
    nice -n 19 "$swift" build "${build[@]}"
fi
bin=$("$swift" build "${build[@]}" --show-bin-path)

# The executions a log reports: libFuzzer's final count, or for a run cut short its last progress line ("#N …").
executions_in() {
    local final progress
    final=$(sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -1)
    progress=$(grep -o '^#[0-9]*' "$1" | tail -1 | tr -d '#' || true)
    echo "${final:-${progress:-0}}"
}

# One target: its scratch corpus first (libFuzzer writes new inputs only to its first folder; fresh unless
# FUZZ_RESUME=1), the committed seeds second. Each run's log is kept under logs/, named by its start and commit.
# Writes "<target> <executions> <total> <crashes> <seconds> <exit status>" to its result file.
run_target() {
    local target=$1 work=$out/$1
    [[ ${FUZZ_RESUME:-0} == 1 ]] || rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts" "$work/logs"
    local log each done=0
    for each in "$work"/logs/*; do [[ -f $each ]] && done=$((done + $(executions_in "$each"))); done
    log="$work/logs/$(date -u +%Y%m%dT%H%M%SZ)-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    local budget=(-runs="$runs")
    if [[ -n $seconds ]]; then
        budget=(-max_total_time="$seconds")
    elif [[ ${FUZZ_RESUME:-0} == 1 ]]; then
        ((done < runs)) || { echo "$target 0 $done $(find "$work/artifacts" -type f | wc -l) 0 0" >"$work/result"; return; }
        budget=(-runs=$((runs - done)))
    fi
    local start status=0
    start=$(date +%s)
    # Swift's own crash backtracer would hold the pipe and hide libFuzzer's report: libFuzzer prints the stack.
    # ASan's allocator bookkeeping (allocation stacks, quarantine, fill) is a third of the time of these
    # allocation-heavy Swift parsers, and guards against use-after-free that safe Swift cannot commit: off by
    # default (1.6x the executions), bounds and overflow checks stay. FUZZ_ASAN_OPTIONS= restores ASan's defaults.
    ASAN_OPTIONS=$asan SWIFT_BACKTRACE=enable=no nice -n 19 "$bin/$target" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$here/Corpus/$target" \
        >"$log" 2>&1 || status=$?
    ln -sf "$log" "$work/log"
    local executions crashes total
    executions=$(executions_in "$log")
    total=$((done + executions))
    crashes=$(find "$work/artifacts" -type f | wc -l)
    echo "$target ${executions:-?} $total $crashes $(($(date +%s) - start)) $status" >"$work/result"
}

mkdir -p "$out"
running=0
for target in $targets; do
    [[ -x $bin/$target ]] || { echo "no such fuzz target: $target" >&2; exit 2; }
    run_target "$target" &
    running=$((running + 1))
    if ((running >= jobs)); then
        wait -n || true
        running=$((running - 1))
    fi
done
wait

failed=0
printf '\n%-22s %14s %14s %8s %8s\n' target executions total crashes seconds
for target in $targets; do
    read -r name executions total crashes took status <"$out/$target/result"
    note=""
    if [[ $crashes != 0 || $status != 0 ]]; then
        failed=1
        note="  <- see $out/$target/log"
    fi
    printf '%-22s %14s %14s %8s %8s%s\n' "$name" "$executions" "$total" "$crashes" "$took" "$note"
done
exit $failed
