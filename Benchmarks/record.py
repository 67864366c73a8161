"""`record(row, value, unit, better)` for the Python parts of Benchmarks/*/run.sh: the same rows as lib.sh's `record`,
appended to $BENCH_RESULTS when `make bench` collects them (better: "higher" or "lower")."""
import os


def record(row, value, unit, better):
    path = os.environ.get("BENCH_RESULTS")
    if path:
        with open(path, "a") as results:
            results.write(f"{row}\t{value:.4g}\t{unit}\t{better}\n")
