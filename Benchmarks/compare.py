"""Compares one `make bench` run (the rows the benchmarks recorded, TSV: row, value, unit, better) with
Benchmarks/baseline.md, the last accepted figures. Prints one table, then a line for every row that moved by more
than 15% either way (a worse one is a defect of the change that caused it), and rows the baseline lacks.

Usage: python3 Benchmarks/compare.py RESULTS.tsv [Benchmarks/baseline.md]
"""
import sys

THRESHOLD = 0.15


def baseline(path):
    rows = {}
    for line in open(path):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] in ("row", "") or set(cells[1]) <= set("-: "):
            continue
        try:
            rows[cells[0]] = (float(cells[1]), cells[2], cells[3])
        except ValueError:
            continue
    return rows


def main():
    results = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
    base = baseline(sys.argv[2] if len(sys.argv) > 2 else "Benchmarks/baseline.md")
    moved = []
    print(f"| {'row':<40} | {'now':>10} | {'baseline':>10} | {'change':>8} | unit |")
    print(f"|{'-' * 42}|{'-' * 12}|{'-' * 12}|{'-' * 10}|------|")
    for row, value, unit, better in results:
        now = float(value)
        if row not in base:
            print(f"| {row:<40} | {now:>10.4g} | {'—':>10} | {'new':>8} | {unit} |")
            moved.append(f"{row}: new row ({now:.4g} {unit}), not in the baseline")
            continue
        was = base[row][0]
        change = (now - was) / abs(was) if was else (0.0 if now == was else float("inf"))
        print(f"| {row:<40} | {now:>10.4g} | {was:>10.4g} | {100 * change:>+7.1f}% | {unit} |")
        if abs(change) > THRESHOLD:
            worse = (change < 0) == (better == "higher")
            moved.append(f"{row}: {was:.4g} → {now:.4g} {unit} ({100 * change:+.1f}%), "
                         f"{'WORSE' if worse else 'better'}")
    missing = sorted(set(base) - {row for row, *_ in results})
    print()
    if moved:
        print("Moved by more than 15%:")
        for line in moved:
            print("  " + line)
    else:
        print("No row moved by more than 15%.")
    if missing:
        print("Not measured in this run: " + ", ".join(missing))


main()
