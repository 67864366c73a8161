#!/usr/bin/env bash
# make bench-web (issue 7): in a private network namespace (WebRTC needs an interface besides loopback), a release
# Herd and Debian's Chromium: time to first frame on the watch page, the share of segment bytes 3 viewers get from
# peers while watching with a first one (4 concurrent; target ≥ 60%), and the watch page's JS and CSS weight
# (target ≤ 150 KB uncompressed). Needs root (unshare -n).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-60}
swift build -c release --product herd >/dev/null
work=$(mktemp -d /tmp/herd-bench-web.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
ffmpeg -v error -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=$DURATION" -f lavfi \
  -i "sine=frequency=440:sample_rate=48000:duration=$DURATION" -c:v libx264 -preset ultrafast -b:v 3M \
  -pix_fmt yuv420p -c:a aac -shortest "$work/clip.mp4"
Tests/browser/in_netns.sh python3 Benchmarks/web/web_bench.py "$PWD/.build/release/herd" "$work/clip.mp4" "$work" \
  > "$work/report.json"
python3 - "$work/report.json" <<'PY'
import json, statistics, sys
sys.path.insert(0, "Benchmarks")
from record import record
r = json.load(open(sys.argv[1]))
ff = r["first_frame_ms"]
print("== make bench-web")
print("time to first frame on the watch page: median %.0f ms (runs: %s)" % (statistics.median(ff), ", ".join("%.0f" % x for x in ff)))
for i, v in enumerate(r["viewers"]):
    total = v["peerBytes"] + v["httpBytes"]
    print("viewer %d: %d segments, %d peers, %.0f%% of bytes from peers, %d rejected"
          % (i + 1, v["segments"], v["peers"], 100.0 * v["peerBytes"] / total if total else 0, v["rejected"]))
share = r["share_after_first"]
print("share from peers after the first viewer: %.1f%% (target ≥ 60%%): %s" % (share, "met" if share >= 60 else "NOT met"))
kb = r["weight_bytes"] / 1000
print("watch page JS + CSS: %.1f KB uncompressed (target ≤ 150 KB): %s" % (kb, "met" if kb <= 150 else "NOT met"))
record("web first frame", statistics.median(ff), "ms", "lower")
record("web peer share after first viewer", share, "%", "higher")
record("web watch page weight", kb, "KB", "lower")
PY
