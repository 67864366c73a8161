#!/usr/bin/env bash
# make bench-p2p: the same swarm twice in one run, seeded by Herd and by libtorrent, then one client's throughput.
#  1. A ~50 MiB video (a noisy 1080p source, transcoded by Herd to one 1080p rung) is published on a Herd whose
#     whole upload is capped by p2p.max_upload_rate (4 MiB/s, a real server's uplink).
#  2. 8 libtorrent clients on 127.0.0.1 join 3 s apart and stay: once with Herd's torrent (its tracker, seeder and
#     web seed), once with a libtorrent seed capped at 4 MiB/s behind a plain tracker (swarm.py's, Herd stopped),
#     on the same info dictionary and file.
#  3. Uncapped, one client downloads from Herd's seeder alone, then from nginx as a web seed (and Herd's web seed).
# Targets (issue 4): Herd's seed share ≤ 15% (floor 12.5%), its last client done no later than libtorrent's;
# seeder throughput to one client ≥ 0.8× nginx's web seed.
# HERD_BIN=/path/to/herd skips the release build. CLIENTS, STAGGER, UPLOAD_RATE (bytes/s), SOURCE_SECONDS tune it;
# SINGLE_ONLY=1 runs only step 3 against Herd's seeder (for work on the seeder; no report); PERF_OUT=file profiles
# Herd meanwhile with perf; KEEP_LOG=file keeps Herd's log (HERD_LOG_LEVEL=debug for each peer connection's story).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CLIENTS=${CLIENTS:-8}
STAGGER=${STAGGER:-3}
UPLOAD_RATE=${UPLOAD_RATE:-4194304}
SOURCE_SECONDS=${SOURCE_SECONDS:-65}
PY=/usr/bin/python3  # Debian's python3-libtorrent loads only here
SWARM=$ROOT/Benchmarks/p2p/swarm.py
started=$SECONDS

if [ -n "${HERD_BIN:-}" ]; then
  HERD=$HERD_BIN
else
  swift build -c release --product herd >/dev/null || { echo "bench-p2p: swift build failed" >&2; exit 1; }
  HERD=$ROOT/.build/release/herd
fi
[ -x "$HERD" ] || { echo "bench-p2p: no herd binary at $HERD" >&2; exit 1; }
$PY -c 'import libtorrent' 2>/dev/null \
  || { echo "bench-p2p: $PY cannot import libtorrent (python3-libtorrent)" >&2; exit 1; }
for tool in ffmpeg nginx curl; do
  command -v $tool >/dev/null || { echo "bench-p2p: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d /tmp/herd-bench-p2p.XXXXXX)
chmod 755 "$work"  # nginx workers run as another user
herd_pid=""; nginx_pid=""; py_pid=""
stop_herd() {
  if [ -n "$herd_pid" ]; then
    kill "$herd_pid" 2>/dev/null || true
    wait "$herd_pid" 2>/dev/null || true
    herd_pid=""
  fi
}
cleanup() {
  if [ -n "$py_pid" ]; then kill "$py_pid" 2>/dev/null || true; wait "$py_pid" 2>/dev/null || true; fi
  stop_herd
  if [ -n "${KEEP_LOG:-}" ] && [ -f "$work/herd.log" ]; then cp "$work/herd.log" "$KEEP_LOG"; fi
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() {
  echo "bench-p2p: $*" >&2
  if [ -f "$work/herd.log" ]; then echo "--- last lines of Herd's log:" >&2; tail -n 30 "$work/herd.log" >&2; fi
  exit 1
}
# Runs swarm.py in the background, so a signal reaches the cleanup at once.
swarm() {
  $PY "$SWARM" "$@" &
  py_pid=$!
  local status=0
  wait "$py_pid" || status=$?
  py_pid=""
  return $status
}
# Prints a Python expression over the JSON on stdin, bound to `d`.
json() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# Three distinct ports, chosen up front: a seeder on port 0 could take the HTTP port between its choice and its use.
HERD_PORT=$(free_port); NGINX_PORT=$(free_port); SEEDER_PORT=$(free_port)
while [ "$NGINX_PORT" = "$HERD_PORT" ]; do NGINX_PORT=$(free_port); done
while [ "$SEEDER_PORT" = "$HERD_PORT" ] || [ "$SEEDER_PORT" = "$NGINX_PORT" ]; do SEEDER_PORT=$(free_port); done
BASE=http://127.0.0.1:$HERD_PORT
ROOT_PASSWORD=bench-root-password

# One 1080p rung (web MP4 + HLS), on loopback; the seeder on a free port.
export HERD_STORAGE_DIR="$work/storage" HERD_LISTEN_HOSTNAME=127.0.0.1 HERD_LISTEN_PORT=$HERD_PORT \
  HERD_WEBSERVER_HOSTNAME=127.0.0.1 HERD_WEBSERVER_PORT=$HERD_PORT HERD_ROOT_PASSWORD=$ROOT_PASSWORD \
  HERD_P2P_ENABLED=true HERD_P2P_SEEDER_PORT=$SEEDER_PORT HERD_LOG_LEVEL=${HERD_LOG_LEVEL:-info} \
  HERD_TRANSCODING_KEEP_ORIGINAL_RESOLUTION=true HERD_TRANSCODING_WEB_VIDEOS=true \
  HERD_TRANSCODING_RESOLUTIONS_144P=false HERD_TRANSCODING_RESOLUTIONS_240P=false \
  HERD_TRANSCODING_RESOLUTIONS_360P=false HERD_TRANSCODING_RESOLUTIONS_480P=false \
  HERD_TRANSCODING_RESOLUTIONS_720P=false HERD_TRANSCODING_RESOLUTIONS_1080P=true \
  HERD_TRANSCODING_RESOLUTIONS_1440P=false HERD_TRANSCODING_RESOLUTIONS_2160P=false

# Starts Herd with p2p.max_upload_rate = $1 and waits until its seeder has restored and announced every torrent.
seeder_port=""
start_herd() {
  local lines=0
  [ -f "$work/herd.log" ] && lines=$(wc -l < "$work/herd.log")
  HERD_P2P_MAX_UPLOAD_RATE=$1 "$HERD" serve >> "$work/herd.log" 2>&1 &
  herd_pid=$!
  for _ in $(seq 1 200); do
    kill -0 "$herd_pid" 2>/dev/null || fail "herd serve exited"
    if curl -sf -o /dev/null "$BASE/api/v1/config" && tail -n +$((lines + 1)) "$work/herd.log" | grep -q 'seeding$'
    then
      seeder_port=$(tail -n +$((lines + 1)) "$work/herd.log" \
        | sed -n 's/.*address=[0-9.]*:\([0-9]*\) .*seeder listening.*/\1/p' | tail -1)
      [ -n "$seeder_port" ] || fail "no 'seeder listening' line in Herd's log"
      return
    fi
    sleep 0.1
  done
  fail "herd serve did not start in 20 s"
}

echo "Generating a ${SOURCE_SECONDS} s noisy 1080p30 source..."
ffmpeg -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$SOURCE_SECONDS" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$SOURCE_SECONDS" -vf noise=alls=25:allf=t+u \
  -c:v libx264 -preset ultrafast -crf 30 -pix_fmt yuv420p -g 60 -c:a aac -b:a 128k -shortest "$work/source.mp4" \
  || fail "ffmpeg could not generate the source"

start_herd "$UPLOAD_RATE"
echo "Herd on $BASE (seeder port $seeder_port, p2p.max_upload_rate $UPLOAD_RATE B/s); uploading..."
oauth=$(curl -sf "$BASE/api/v1/oauth-clients/local") || fail "GET /api/v1/oauth-clients/local failed"
token=$(curl -sf "$BASE/api/v1/users/token" -d "client_id=$(echo "$oauth" | json 'd["client_id"]')" \
  -d "client_secret=$(echo "$oauth" | json 'd["client_secret"]')" -d grant_type=password -d username=root \
  -d "password=$ROOT_PASSWORD" | json 'd["access_token"]') || fail "cannot log in as root"
AUTH="Authorization: Bearer $token"
channel=$(curl -sf -H "$AUTH" "$BASE/api/v1/users/me" | json 'd["videoChannels"][0]["id"]') || fail "no channel"
uuid=$(curl -sf -H "$AUTH" -F "videofile=@$work/source.mp4" -F "name=bench-p2p" -F "channelId=$channel" \
  "$BASE/api/v1/videos/upload" | json 'd["video"]["uuid"]') || fail "the upload failed"
transcode_start=$SECONDS
state=0
while [ $((SECONDS - transcode_start)) -lt 900 ]; do
  curl -sf -H "$AUTH" "$BASE/api/v1/videos/$uuid" > "$work/video.json" || fail "GET /api/v1/videos/$uuid failed"
  state=$(json 'd["state"]["id"]' < "$work/video.json")
  [ "$state" = 1 ] && break
  [ "$state" = 7 ] && fail "transcoding failed: $(cat "$work/video.json")"
  sleep 1
done
[ "$state" = 1 ] || fail "the video was not published within 900 s"
echo "Published after $((SECONDS - transcode_start)) s of transcoding."

# The web MP4 (what url-list points at) is the payload of both swarms.
read -r torrent_url file_url size <<< "$(json \
  '" ".join(str(f[k]) for f in [max(d["files"], key=lambda f: f["size"])] for k in ("torrentUrl", "fileUrl", "size"))' \
  < "$work/video.json")"
mkdir -p "$work/payload"
payload="$work/payload/$(basename "$file_url")"
curl -sf -o "$work/herd.torrent" "$torrent_url" || fail "cannot fetch $torrent_url"
curl -sf -o "$payload" "$file_url" || fail "cannot fetch $file_url"
[ "$(stat -c %s "$payload")" = "$size" ] || fail "$file_url is $(stat -c %s "$payload") bytes, the API says $size"
size_mib=$(python3 -c "print(f'{$size / 1048576:.1f}')")
echo "File: $size_mib MiB ($file_url)"
python3 -c "import sys; sys.exit(0 if 45 <= $size / 1048576 <= 55 else 1)" \
  || echo "warning: the file is $size_mib MiB, outside 45–55 MiB; change SOURCE_SECONDS" >&2

if [ -n "${SINGLE_ONLY:-}" ]; then
  stop_herd
  start_herd -1
  [ -n "${PERF_OUT:-}" ] && { perf record -F 1999 -g -p "$herd_pid" -o "$PERF_OUT" 2>/dev/null & perf_pid=$!; }
  swarm single "$work/herd.torrent" --label "Herd seeder" --peers-only --work "$work/single" \
    --out "$work/seeder.json" || fail "the single-client download from Herd's seeder failed"
  [ -n "${PERF_OUT:-}" ] && { kill -INT $perf_pid; wait $perf_pid || true; }
  exit 0
fi

echo
echo "Swarm 1: Herd seeds (tracker, seeder and web seed; whole upload capped at $UPLOAD_RATE B/s)"
# What Herd's process writes meanwhile (sockets, and a little log) cross-checks the clients' counters.
written() { awk '/^wchar/ {print $2}' "/proc/$herd_pid/io"; }
written_before=$(written)
swarm swarm "$work/herd.torrent" --label Herd --seed-port "$seeder_port" --seed-rate "$UPLOAD_RATE" \
  --clients "$CLIENTS" --stagger "$STAGGER" --work "$work/swarm-herd" --out "$work/herd.json" \
  || fail "the Herd swarm failed"
herd_sent=$(( $(written) - written_before ))
grep -E ' (warning|error|critical) ' "$work/herd.log" | sed 's/^/  herd log: /' | tail -n 20 || true
stop_herd

echo
echo "Swarm 2: a libtorrent seed capped at $UPLOAD_RATE B/s behind a plain tracker (Herd stopped)"
swarm swarm "$work/herd.torrent" --label libtorrent --seed-file "$payload" --seed-rate "$UPLOAD_RATE" \
  --clients "$CLIENTS" --stagger "$STAGGER" --work "$work/swarm-lt" --out "$work/libtorrent.json" \
  || fail "the libtorrent swarm failed"

echo
echo "Single client, uncapped: Herd's seeder alone (no web seed), Herd's web seed alone, nginx's web seed alone"
start_herd -1
swarm single "$work/herd.torrent" --label "Herd seeder" --peers-only --work "$work/single" \
  --out "$work/seeder.json" || fail "the single-client download from Herd's seeder failed"
swarm single "$work/herd.torrent" --label "Herd web seed" --webseed "$file_url" --work "$work/single" \
  --out "$work/herd-web.json" || fail "the single-client download from Herd's web seed failed"
grep -E ' (warning|error|critical) ' "$work/herd.log" | sed 's/^/  herd log: /' | tail -n 20 || true
stop_herd

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
  server { listen 127.0.0.1:$NGINX_PORT; location /static/web-videos/ { alias $work/payload/; } }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
nginx_url="http://127.0.0.1:$NGINX_PORT/static/web-videos/$(basename "$payload")"
for _ in $(seq 1 50); do curl -sf -o /dev/null -r 0-0 "$nginx_url" && break; sleep 0.1; done
curl -sf -o /dev/null -r 0-0 "$nginx_url" || { cat "$work/nginx/error.log" >&2; fail "nginx did not start"; }
swarm single "$work/herd.torrent" --label "nginx web seed" --webseed "$nginx_url" --work "$work/single" \
  --out "$work/nginx.json" || fail "the single-client download from nginx failed"

echo
swarm report --herd-sent "$herd_sent" "$work/herd.json" "$work/libtorrent.json" "$work/seeder.json" "$work/nginx.json" \
  "$work/herd-web.json"
echo "bench-p2p took $((SECONDS - started)) s ($(nproc) cores)."
