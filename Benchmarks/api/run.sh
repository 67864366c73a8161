#!/usr/bin/env bash
# make bench-api: the API and static serving against nginx, measured side by side in one run.
# Targets (issue 16): cached list ≥ 40,000 req/s p99 ≤ 5 ms; uncached list and one video ≥ 6,000 req/s p99 ≤ 15 ms;
# static 1 MB file and 256 KiB Range ≥ 0.9× nginx; 1,000 connections on 256 KiB Ranges for 30 s: no errors, p99
# ≤ 100 ms, RSS < 200 MiB; idle RSS ≤ 50 MiB.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Benchmarks/lib.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
VIDEOS=${VIDEOS:-10000}

swift build -c release --product herd >/dev/null
swift build -c release --product herd-bench-seed >/dev/null
work=$(mktemp -d /tmp/herd-bench-api.XXXXXX)
chmod 755 "$work"  # nginx workers run as another user
herd_pid=""; nginx_pid=""
cleanup() {
  [ -n "$herd_pid" ] && kill "$herd_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

HERD_PORT=$(free_port); NGINX_PORT=$(free_port)

# Start Herd once to create its database, then seed it through the stores and start it again.
# wrk's connections all come from 127.0.0.1: the per-address cap (256 by default, issue 14) is raised for them.
export HERD_STORAGE_DIR="$work/storage" HERD_LISTEN_PORT=$HERD_PORT HERD_WEBSERVER_HOSTNAME=127.0.0.1 \
  HERD_WEBSERVER_PORT=$HERD_PORT HERD_ROOT_PASSWORD=bench-root-password HERD_LOG_LEVEL=warning \
  HERD_WEBSERVER_MAX_CONNECTIONS_PER_IP=2000
start_herd() {
  .build/release/herd serve > "$work/herd.log" 2>&1 &
  herd_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HERD_PORT/api/v1/config" >/dev/null && return; sleep 0.1; done
  echo "herd did not start"; cat "$work/herd.log"; exit 1
}
start_herd; kill "$herd_pid"; wait "$herd_pid" 2>/dev/null || true
.build/release/herd-bench-seed "$work/storage/herd.sqlite" "$VIDEOS"
head -c 1048576 /dev/urandom > "$work/storage/web-videos/bench-1mb.mp4"
start_herd
sleep 1
rss_idle_kb=$(awk '/VmRSS/ {print $2}' /proc/$herd_pid/status)

mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 2048; }
http {
  access_log off;
  sendfile on; tcp_nopush on;
  types { video/mp4 mp4; }
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$NGINX_PORT; location /static/web-videos/ { alias $work/storage/web-videos/; } }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/static/web-videos/bench-1mb.mp4" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/static/web-videos/bench-1mb.mp4" || { echo "nginx did not start"; cat "$work/nginx/error.log"; exit 1; }

uuid=$(curl -s "http://127.0.0.1:$HERD_PORT/api/v1/videos?count=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["uuid"])')
total=$(curl -s "http://127.0.0.1:$HERD_PORT/api/v1/videos?count=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')

token=$(herd_token "http://127.0.0.1:$HERD_PORT" bench-root-password)

echo "Herd API benchmark: $total videos in SQLite, wrk -t2 -c$CONNECTIONS -d$DURATION on 127.0.0.1 ($(nproc) cores)"
RANGE=(-H "Range: bytes=0-262143")
FILE=static/web-videos/bench-1mb.mp4
read -r list_rps list_p99 _ list_err <<< "$(measure "http://127.0.0.1:$HERD_PORT/api/v1/videos?count=15")"
read -r one_rps one_p99 _ one_err <<< "$(measure "http://127.0.0.1:$HERD_PORT/api/v1/videos/$uuid")"
read -r auth_rps auth_p99 _ auth_err <<< "$(measure -H "Authorization: Bearer $token" "http://127.0.0.1:$HERD_PORT/api/v1/videos/$uuid")"
read -r herd_rps herd_p99 herd_mib herd_err <<< "$(measure "http://127.0.0.1:$HERD_PORT/$FILE")"
read -r nginx_rps nginx_p99 nginx_mib nginx_err <<< "$(measure "http://127.0.0.1:$NGINX_PORT/$FILE")"
read -r hrange_rps hrange_p99 _ hrange_err <<< "$(measure "${RANGE[@]}" "http://127.0.0.1:$HERD_PORT/$FILE")"
read -r nrange_rps nrange_p99 _ nrange_err <<< "$(measure "${RANGE[@]}" "http://127.0.0.1:$NGINX_PORT/$FILE")"
# 1,000 viewers at once for 30 s, each fetching a 256 KiB Range of the same fragment every half second (4 Mbit/s
# each, 500 MB/s in all: players ahead of a 1080p stream), then the same connections as fast as they can (a closed
# loop has a mean latency of connections / throughput, so it measures capacity, not what a viewer waits).
printf 'wrk.headers["Range"] = "bytes=0-262143"\nfunction delay() return 500 end\n' > "$work/paced.lua"
read -r paced_rps paced_p99 _ paced_err <<< "$(CONNECTIONS=1000 DURATION=30s measure -s "$work/paced.lua" "http://127.0.0.1:$HERD_PORT/$FILE")"
read -r many_rps many_p99 _ many_err <<< "$(CONNECTIONS=1000 DURATION=10s measure "${RANGE[@]}" "http://127.0.0.1:$HERD_PORT/$FILE")"
rss_peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$herd_pid/status)

# The list again with the anonymous list cache off: every request goes to SQLite and the JSON writer.
kill "$herd_pid"; wait "$herd_pid" 2>/dev/null || true
HERD_API_LIST_CACHE_TTL=0 start_herd
read -r raw_rps raw_p99 _ raw_err <<< "$(measure "http://127.0.0.1:$HERD_PORT/api/v1/videos?count=15")"

python3 - > "$work/report.tsv" <<PY
rows = [
    # row, value, unit, better, target (a test on the value), target's text
    ("api list (cache on) req/s", $list_rps, "req/s", "higher", lambda v: v >= 40000, "≥ 40,000"),
    ("api list (cache on) p99", $list_p99, "ms", "lower", lambda v: v <= 5, "≤ 5"),
    ("api list (cache off) req/s", $raw_rps, "req/s", "higher", lambda v: v >= 6000, "≥ 6,000"),
    ("api list (cache off) p99", $raw_p99, "ms", "lower", lambda v: v <= 15, "≤ 15"),
    ("api video req/s", $one_rps, "req/s", "higher", lambda v: v >= 6000, "≥ 6,000"),
    ("api video p99", $one_p99, "ms", "lower", lambda v: v <= 15, "≤ 15"),
    ("api video logged in req/s", $auth_rps, "req/s", "higher", None, ""),
    ("api video logged in p99", $auth_p99, "ms", "lower", None, ""),
    ("static 1 MB / nginx", $herd_rps / $nginx_rps, "x", "higher", lambda v: v >= 0.9, "≥ 0.90"),
    ("static 256 KiB range / nginx", $hrange_rps / $nrange_rps, "x", "higher", lambda v: v >= 0.9, "≥ 0.90"),
    ("1000 viewers range p99", $paced_p99, "ms", "lower", lambda v: v <= 100, "≤ 100"),
    ("1000 viewers range errors", $paced_err, "count", "lower", lambda v: v == 0, "0"),
    ("1000 viewers range req/s", $paced_rps, "req/s", "higher", None, ""),
    ("1000 conns saturated range req/s", $many_rps, "req/s", "higher", None, ""),
    ("1000 conns saturated range errors", $many_err, "count", "lower", lambda v: v == 0, "0"),
    ("RSS peak", $rss_peak_kb / 1024, "MiB", "lower", lambda v: v < 200, "< 200"),
    ("RSS idle", $rss_idle_kb / 1024, "MiB", "lower", lambda v: v <= 50, "≤ 50"),
    ("api errors", $list_err + $one_err + $auth_err + $herd_err + $hrange_err + $raw_err, "count", "lower", lambda v: v == 0, "0"),
]
for name, value, unit, better, test, target in rows:
    mark = "" if test is None else ("meets target" if test(value) else "BELOW TARGET")
    print(f"{name}\t{value:.2f}\t{unit}\t{better}\t{target}\t{mark}")
PY
echo "(nginx: 1 MB $nginx_rps req/s, 256 KiB range $nrange_rps req/s; Herd: 1 MB $herd_rps req/s $herd_mib MiB/s, range $hrange_rps req/s)"
report "$work/report.tsv"
