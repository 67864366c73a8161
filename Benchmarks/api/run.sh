#!/usr/bin/env bash
# make bench-api: the API and static serving against nginx, measured side by side in one run.
# Targets (issue 2): list ≥ 5,000 req/s with p99 ≤ 20 ms; static 1 MB file ≥ 0.8× nginx; idle RSS ≤ 60 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
HERD_PORT=$(free_port); NGINX_PORT=$(free_port)

# Start Herd once to create its database, then seed it through the stores and start it again.
export HERD_STORAGE_DIR="$work/storage" HERD_LISTEN_PORT=$HERD_PORT HERD_WEBSERVER_HOSTNAME=127.0.0.1 \
  HERD_WEBSERVER_PORT=$HERD_PORT HERD_ROOT_PASSWORD=bench-root-password HERD_LOG_LEVEL=warning
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
events { worker_connections 1024; }
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

# Runs wrk and prints "requests/s p99_ms transfer_MiB/s".
measure() {
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$1" > "$work/wrk.out"
  python3 - "$work/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
p99 = ms(re.search(r"99%\s+(\S+)", text).group(1))
transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", text)
factor = {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024}[transfer.group(2)]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {p99:.2f} {float(transfer.group(1)) * factor:.1f} {errors.group(1) if errors else 0}")
PY
}

echo "Herd API benchmark: $total videos in SQLite, wrk -t2 -c$CONNECTIONS -d$DURATION on 127.0.0.1 ($(nproc) cores)"
read -r list_rps list_p99 _ list_err <<< "$(measure "http://127.0.0.1:$HERD_PORT/api/v1/videos?count=15")"
read -r one_rps one_p99 _ one_err <<< "$(measure "http://127.0.0.1:$HERD_PORT/api/v1/videos/$uuid")"
read -r herd_rps herd_p99 herd_mib herd_err <<< "$(measure "http://127.0.0.1:$HERD_PORT/static/web-videos/bench-1mb.mp4")"
read -r nginx_rps nginx_p99 nginx_mib nginx_err <<< "$(measure "http://127.0.0.1:$NGINX_PORT/static/web-videos/bench-1mb.mp4")"
RANGE_HEADER="Range: bytes=0-262143"
measure_range() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -H "$RANGE_HEADER" "$1" | awk '/Requests\/sec/ {print $2}'; }
herd_range_rps=$(measure_range "http://127.0.0.1:$HERD_PORT/static/web-videos/bench-1mb.mp4")
nginx_range_rps=$(measure_range "http://127.0.0.1:$NGINX_PORT/static/web-videos/bench-1mb.mp4")
rss_after_kb=$(awk '/VmRSS/ {print $2}' /proc/$herd_pid/status)

# The list again with the anonymous list cache off: every request goes to SQLite and the JSON writer.
kill "$herd_pid"; wait "$herd_pid" 2>/dev/null || true
HERD_API_LIST_CACHE_TTL=0 start_herd
read -r raw_rps raw_p99 _ raw_err <<< "$(measure "http://127.0.0.1:$HERD_PORT/api/v1/videos?count=15")"

python3 - <<PY
list_rps, list_p99, one_rps, one_p99 = $list_rps, $list_p99, $one_rps, $one_p99
herd_rps, nginx_rps, herd_mib, nginx_mib = $herd_rps, $nginx_rps, $herd_mib, $nginx_mib
rss_idle, rss_after = $rss_idle_kb / 1024, $rss_after_kb / 1024
errors = $list_err + $one_err + $herd_err + $nginx_err + $raw_err
raw_rps, raw_p99 = $raw_rps, $raw_p99
herd_range, nginx_range = $herd_range_rps, $nginx_range_rps
def mark(ok): return "meets target" if ok else "BELOW TARGET"
print(f"GET /api/v1/videos?count=15   {list_rps:8.0f} req/s  p99 {list_p99:6.2f} ms   target ≥ 5000 req/s, p99 ≤ 20 ms: {mark(list_rps >= 5000 and list_p99 <= 20)}")
print(f"  same, list cache off (api.list_cache_ttl 0) {raw_rps:8.0f} req/s  p99 {raw_p99:6.2f} ms")
print(f"GET /api/v1/videos/{{uuid}}      {one_rps:8.0f} req/s  p99 {one_p99:6.2f} ms")
print(f"static 1 MB file, Herd        {herd_rps:8.0f} req/s  {herd_mib:8.1f} MiB/s")
print(f"static 1 MB file, nginx       {nginx_rps:8.0f} req/s  {nginx_mib:8.1f} MiB/s")
print(f"static ratio Herd/nginx       {herd_rps / nginx_rps:8.2f}×          target ≥ 0.80×: {mark(herd_rps / nginx_rps >= 0.8)}")
print(f"256 KiB range (206): Herd {herd_range:.0f} req/s, nginx {nginx_range:.0f} req/s, ratio {herd_range / nginx_range:.2f}×  target ≥ 0.80×: {mark(herd_range / nginx_range >= 0.8)}")
print(f"herd serve RSS idle {rss_idle:.1f} MiB (target ≤ 60 MiB: {mark(rss_idle <= 60)}), after load {rss_after:.1f} MiB")
print(f"non-2xx responses: {errors}")
PY
