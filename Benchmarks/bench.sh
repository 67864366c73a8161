#!/usr/bin/env bash
# make bench: every benchmark (BENCHES="api web" for some), each against its own baseline measured in the same run,
# then one table of all rows beside Benchmarks/baseline.md (Benchmarks/compare.py). Each benchmark's own output is
# kept in $BENCH_LOGS (default .build/bench). A benchmark that fails is reported and the others still run.
set -uo pipefail
cd "$(dirname "$0")/.."
BENCHES=${BENCHES:-"api transcode p2p federation redundancy web cluster"}
logs=${BENCH_LOGS:-$PWD/.build/bench}
mkdir -p "$logs"
export BENCH_RESULTS="$logs/results.tsv"
: > "$BENCH_RESULTS"
failed=()
for bench in $BENCHES; do
  echo "== make bench-$bench (log: $logs/$bench.log)"
  start=$SECONDS
  if make --no-print-directory "bench-$bench" > "$logs/$bench.log" 2>&1; then
    echo "   done in $((SECONDS - start)) s"
  else
    echo "   FAILED after $((SECONDS - start)) s; its last lines:"
    tail -5 "$logs/$bench.log" | sed 's/^/   /'
    failed+=("$bench")
  fi
done
echo
python3 Benchmarks/compare.py "$BENCH_RESULTS" Benchmarks/baseline.md
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
