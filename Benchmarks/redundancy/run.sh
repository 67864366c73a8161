#!/usr/bin/env bash
# make bench-redundancy (issue 6): two Herd instances on loopback. A publishes a 720p+360p clip; B follows A and
# mirrors it by hand (POST /api/v1/server/redundancy/videos), RUNS times. Prints:
#  - acceptance → first byte: from the moment A's API lists B's copy (A took the Create CacheFile) to the first byte
#    of the master playlist and of a segment served by B (and, for scale, from the POST to that first byte);
#  - copy throughput: B's copy (fetch + SHA-1 of every piece + playlist and segments-sha256 checks + writes) against
#    curl fetching the same files from A into files, in the same run;
#  - failover: a player-like client (player.py: the origin's playlist and the mirrors from A's API, 1 s timeout)
#    playing while A is stopped (SIGSTOP: silent), B is stopped, and A is killed; time until the next segment comes
#    from the other instance. Target ≤ 5 s.
set -euo pipefail
[ -n "${TRACE:-}" ] && set -x
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-120}

swift build -c release --product herd >/dev/null
work=$(mktemp -d /tmp/herd-bench-red.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
now() { date +%s.%N; }

ffmpeg -v error -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=$DURATION" -f lavfi \
  -i "sine=frequency=440:sample_rate=48000:duration=$DURATION" -c:v libx264 -preset ultrafast -b:v 3M \
  -pix_fmt yuv420p -c:a aac -shortest "$work/clip.mp4"

start() { # name port [extra env...]
  local name=$1 port=$2; shift 2
  env HERD_STORAGE_DIR="$work/$name" HERD_LISTEN_HOSTNAME=127.0.0.1 HERD_LISTEN_PORT="$port" \
    HERD_WEBSERVER_HOSTNAME=127.0.0.1 HERD_WEBSERVER_PORT="$port" HERD_ROOT_PASSWORD=bench-root-password \
    HERD_LOG_LEVEL=notice HERD_FEDERATION_ALLOW_PRIVATE_ADDRESSES=true HERD_P2P_SEEDER_PORT=0 \
    HERD_TRANSCODING_RESOLUTIONS_240P=false HERD_TRANSCODING_RESOLUTIONS_480P=false \
    HERD_TRANSCODING_RESOLUTIONS_1080P=false HERD_TRANSCODING_WEB_VIDEOS=false \
    HERD_REDUNDANCY_HEALTH_CHECK_INTERVAL=1s HERD_REDUNDANCY_HEALTH_CHECK_TIMEOUT=1s \
    HERD_REDUNDANCY_VIDEOS_CHECK_INTERVAL=5s "$@" .build/release/herd serve > "$work/$name.log" 2>&1 &
  pids+=($!)
  disown
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/v1/config" >/dev/null && return; sleep 0.1; done
  echo "$name did not start"; tail "$work/$name.log"; exit 1
}
token() { # base
  local client; client=$(curl -sf "$1/api/v1/oauth-clients/local")
  curl -sf -X POST "$1/api/v1/users/token" --data-urlencode "client_id=$(echo "$client" | json 'd["client_id"]')" \
    --data-urlencode "client_secret=$(echo "$client" | json 'd["client_secret"]')" --data-urlencode grant_type=password \
    --data-urlencode username=root --data-urlencode password=bench-root-password | json 'd["access_token"]'
}

PORT_A=$(free_port); PORT_B=$(free_port)
A="http://127.0.0.1:$PORT_A"; B="http://127.0.0.1:$PORT_B"
start a "$PORT_A" HERD_REMOTE_REDUNDANCY_VIDEOS_ACCEPT_FROM=anybody
pid_a=${pids[-1]}
start b "$PORT_B"
pid_b=${pids[-1]}
token_a=$(token "$A"); token_b=$(token "$B")

channel=$(curl -sf -H "Authorization: Bearer $token_a" "$A/api/v1/users/me" | json 'd["videoChannels"][0]["id"]')
uuid=$(curl -sf -H "Authorization: Bearer $token_a" "$A/api/v1/videos/upload" -F "videofile=@$work/clip.mp4" \
  -F name="Redundancy bench" -F channelId="$channel" | json 'd["video"]["uuid"]')
echo "transcoding a ${DURATION}s 720p clip on A..."
for _ in $(seq 1 3000); do
  state=$(curl -sf -H "Authorization: Bearer $token_a" "$A/api/v1/videos/$uuid" | json 'd["state"]["id"]')
  [ "$state" = 1 ] && break; sleep 0.2
done
[ "$state" = 1 ] || { echo "not published"; tail "$work/a.log"; exit 1; }
curl -sf -X POST -H "Authorization: Bearer $token_b" -H "Content-Type: application/json" \
  --data "{\"hosts\":[\"127.0.0.1:$PORT_A\"]}" "$B/api/v1/server/following" >/dev/null
for _ in $(seq 1 300); do curl -sf "$B/api/v1/videos/$uuid" >/dev/null && break; sleep 0.1; done
id_b=$(curl -sf "$B/api/v1/videos/$uuid" | json 'd["id"]')

# The files a copy holds, on A, for curl.
urls=$(curl -sf "$A/api/v1/videos/$uuid" | python3 -c '
import json, sys, urllib.request
p = json.load(sys.stdin)["streamingPlaylists"][0]
base = p["playlistUrl"].rsplit("/", 1)[0]
master = urllib.request.urlopen(p["playlistUrl"]).read().decode()
urls = [p["playlistUrl"], p["segmentsSha256Url"]] + [base + "/" + l for l in master.splitlines() if l and not l.startswith("#")]
for f in p["files"]: urls += [f["fileUrl"], f["torrentUrl"]]
print(" ".join(urls))')

copy_seconds=(); curl_seconds=(); first_byte_ms=(); post_ms=(); bytes=0
for run in $(seq 1 "$RUNS"); do
  rm -rf "$work/curl"; mkdir -p "$work/curl"
  t0=$(now)
  (cd "$work/curl" && curl -sf --remote-name-all $urls)
  t1=$(now)
  curl_seconds+=("$(python3 -c "print($t1 - $t0)")")
  before=$(grep -c "mirrored a video" "$work/b.log" || true)
  posted=$(now)
  curl -sf -X POST -H "Authorization: Bearer $token_b" -H "Content-Type: application/json" \
    --data "{\"videoId\":$id_b}" "$B/api/v1/server/redundancy/videos"
  # A takes the Create CacheFile: its API lists B's copy. Then the first bytes from B.
  result=$(python3 - "$A/api/v1/videos/$uuid" "$posted" <<'PY'
import json, sys, time, urllib.request
api, posted = sys.argv[1], float(sys.argv[2])
deadline = time.time() + 600
while time.time() < deadline:
    playlist = json.load(urllib.request.urlopen(api))["streamingPlaylists"][0]
    if playlist["redundancies"]:
        break
    time.sleep(0.01)
listed = time.time()
base = playlist["redundancies"][0]["baseUrl"]
master = playlist["playlistUrl"].rsplit("/", 1)[1]
with urllib.request.urlopen(base + "/" + master) as r:
    r.read(1)
first = time.time()
name = playlist["files"][0]["fileUrl"].rsplit("/", 1)[1]
req = urllib.request.Request(base + "/" + name, headers={"Range": "bytes=0-65535"})
with urllib.request.urlopen(req) as r:
    r.read(1)
segment = time.time()
print(json.dumps({"listed_to_first_byte_ms": (first - listed) * 1000, "listed_to_segment_ms": (segment - listed) * 1000,
                  "post_to_first_byte_ms": (first - posted) * 1000}))
PY
)
  first_byte_ms+=("$(echo "$result" | json 'round(d["listed_to_segment_ms"], 1)')")
  post_ms+=("$(echo "$result" | json 'round(d["post_to_first_byte_ms"])')")
  for _ in $(seq 1 100); do [ "$(grep -c "mirrored a video" "$work/b.log")" -gt "$before" ] && break; sleep 0.1; done
  line=$(grep "mirrored a video" "$work/b.log" | tail -1)
  copy_seconds+=("$(echo "$line" | sed -E 's/.*seconds=([0-9.]+).*/\1/')")
  bytes=$(echo "$line" | sed -E 's/.*bytes=([0-9]+).*/\1/')
  if [ "$run" -lt "$RUNS" ]; then
    rid=$(curl -sf -H "Authorization: Bearer $token_b" "$B/api/v1/server/redundancy/videos?target=remote-videos" \
      | json 'd["data"][0]["redundancies"]["streamingPlaylists"][0]["id"]')
    curl -sf -X DELETE -H "Authorization: Bearer $token_b" "$B/api/v1/server/redundancy/videos/$rid"
    for _ in $(seq 1 100); do
      [ "$(curl -sf "$A/api/v1/videos/$uuid" | json 'len(d["streamingPlaylists"][0]["redundancies"])')" = 0 ] && break
      sleep 0.1
    done
  fi
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mb=$(python3 -c "print(round($bytes / 1048576, 1))")
herd=$(median "${copy_seconds[@]}"); plain=$(median "${curl_seconds[@]}")
echo
echo "== make bench-redundancy ($RUNS runs; a ${DURATION}s clip, copy of $mb MiB: 720p+360p fMP4, playlists, hashes, torrents)"
echo "acceptance → first segment byte from the mirror: $(median "${first_byte_ms[@]}") ms (runs: ${first_byte_ms[*]})"
echo "POST (start of the copy) → first byte served by the mirror: $(median "${post_ms[@]}") ms (runs: ${post_ms[*]})"
python3 -c "
h, c, mb = $herd, $plain, $mb
print('copy: Herd %.3f s (%.0f MiB/s, every piece verified) vs curl %.3f s (%.0f MiB/s, no checks): %.2fx curl'
      % (h, mb / h, c, mb / c, c / h))
import sys
sys.path.insert(0, 'Benchmarks')
from record import record
record('redundancy copy speed / curl', c / h, 'x', 'higher')
record('redundancy acceptance to first byte', $(median "${first_byte_ms[@]}"), 'ms', 'lower')"
echo "(copy runs: ${copy_seconds[*]}; curl runs: ${curl_seconds[*]})"

# Failover, in both directions, while playing.
python3 Benchmarks/redundancy/player.py "$A/api/v1/videos/$uuid" --pids "A=$pid_a,B=$pid_b" \
  --script "stop:A,cont:A,stop:B,cont:B,kill:A" > "$work/player.json"
python3 - "$work/player.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
worst = 0
for s in report["switches"]:
    worst = max(worst, s["seconds"])
    print("failover on %-7s: %s → %s after %.2f s" % (s["event"], s["from"], s["to"], s["seconds"]))
print("player: %d segments, %d failed requests; worst switch %.2f s (target ≤ 5 s): %s"
      % (report["segments"], report["errors"], worst, "met" if worst <= 5 and len(report["switches"]) == 3 else "NOT met"))
sys.path.insert(0, "Benchmarks")
from record import record
record("redundancy worst failover", worst, "s", "lower")
PY
