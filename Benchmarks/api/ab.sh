#!/usr/bin/env bash
# Benchmarks/api/ab.sh A_TREE B_TREE: the api bench's requests against two release builds at once, interleaved.
# On a shared machine a single `make bench-api` cannot tell 10% apart (nginx itself moved 18% between two runs of
# issue 17's last stop); alternating a, b, a, b over the same seed can. Each tree must hold release builds of `herd`
# and `herd-bench-seed` (`swift build -c release --product herd --product herd-bench-seed`; for an older revision:
# `git worktree add /tmp/base REV` and build there). ROUNDS (default 4) and D (wrk duration, default 8s).
set -euo pipefail
A=$1; B=$2; ROUNDS=${ROUNDS:-4}; D=${D:-8s}
work=$(mktemp -d /tmp/herd-ab.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
declare -A port uuid token
start() { # tree name
  local tree=$1 name=$2 p=$3
  HERD_STORAGE_DIR="$work/$name" HERD_LISTEN_PORT=$p HERD_WEBSERVER_HOSTNAME=127.0.0.1 HERD_WEBSERVER_PORT=$p \
    HERD_ROOT_PASSWORD=bench-root-password HERD_LOG_LEVEL=warning HERD_WEBSERVER_MAX_CONNECTIONS_PER_IP=2000 HERD_P2P_SEEDER_PORT=0 \
    "$tree/.build/release/herd" serve > "$work/$name.log" 2>&1 &
  pids+=($!); last=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$p/api/v1/config" >/dev/null && return; sleep 0.1; done
  echo "no start $name"; cat "$work/$name.log"; exit 1
}
for name in a b; do
  tree=$A; [ $name = b ] && tree=$B
  p=$(free_port); port[$name]=$p
  start "$tree" $name $p; kill $last; wait $last 2>/dev/null || true
  "$tree/.build/release/herd-bench-seed" "$work/$name/herd.sqlite" 10000 >/dev/null
  head -c 1048576 /dev/urandom > "$work/$name/web-videos/bench-1mb.mp4"
  start "$tree" $name $p
  uuid[$name]=$(curl -s "http://127.0.0.1:$p/api/v1/videos?count=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["uuid"])')
done
m() { wrk -t2 -c64 -d$D --latency "$@" | python3 -c '
import re,sys; t=sys.stdin.read(); r=float(re.search(r"Requests/sec:\s+([\d.]+)",t).group(1))
l=re.search(r"^\s+99%\s+([\d.]+)(\w+)\s*$",t,re.M); v=float(l.group(1))*{"us":0.001,"ms":1,"s":1000}[l.group(2)]
print(f"{r:.0f} {v:.2f}")'; }
for r in $(seq 1 $ROUNDS); do
  for name in a b; do
    p=${port[$name]}
    echo "round $r $name list $(m http://127.0.0.1:$p/api/v1/videos?count=15)"
    echo "round $r $name video $(m http://127.0.0.1:$p/api/v1/videos/${uuid[$name]})"
    echo "round $r $name range $(m -H 'Range: bytes=0-262143' http://127.0.0.1:$p/static/web-videos/bench-1mb.mp4)"
  done
done | tee "$work/rounds"
# Means per request: req/s and p99 of a and b, and b against a.
python3 - "$work/rounds" <<'PY'
import collections, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, _, name, request, rps, p99 = line.split()
    runs[(request, name)].append((float(rps), float(p99)))
mean = lambda values: sum(values) / len(values)
print(f"{'request':8} {'a req/s':>9} {'b req/s':>9} {'b/a':>7} {'a p99':>7} {'b p99':>7}")
for request in ("list", "video", "range"):
    a, b = runs[(request, "a")], runs[(request, "b")]
    ra, rb = mean([x for x, _ in a]), mean([x for x, _ in b])
    print(f"{request:8} {ra:9.0f} {rb:9.0f} {rb / ra - 1:+7.1%} {mean([y for _, y in a]):7.2f} {mean([y for _, y in b]):7.2f}")
PY
