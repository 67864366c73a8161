# Sourced by each Benchmarks/*/run.sh: `record ROW VALUE UNIT BETTER` adds one row to $BENCH_RESULTS (when
# `make bench` collects them; see Benchmarks/bench.sh), BETTER being "higher" or "lower". Rows are compared with
# Benchmarks/baseline.md by Benchmarks/compare.py.
record() {
  if [ -n "${BENCH_RESULTS:-}" ]; then
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$BENCH_RESULTS"
  fi
}
