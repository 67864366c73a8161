#!/usr/bin/env bash
# make bench-cluster (issue 18): PostgreSQL and object storage against this machine's own baselines, in one run.
#  1. GET /api/v1/videos?count=15 with 10,000 videos and the list cache off: PostgreSQL (target ≥ 5,000 req/s, p99
#     ≤ 20 ms) beside SQLite.
#  2. 10,000 queued jobs claimed by 4 concurrent workers: no duplicate, and the claim rate (PostgreSQL and SQLite).
#  3. A 1 GB original put into the bucket the way Herd puts one (S3Client) against `aws s3 cp` (awscli), same
#     SeaweedFS server: ≥ 0.8×.
#  4. A private 1 MiB fragment served through Herd from the bucket (access checked, streamed with Range) against
#     direct GETs from the bucket: ≥ 0.8×. And with `proxify_private_files: false` (access checked, then a redirect
#     to a presigned URL), fetched by curl following the redirect, against the same curl's direct GETs.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Benchmarks/lib.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
VIDEOS=${VIDEOS:-10000}
JOBS=${JOBS:-10000}
UPLOAD_MB=${UPLOAD_MB:-1024}
FETCHES=${FETCHES:-2000}

swift build -c release --product herd >/dev/null
swift build -c release --product herd-bench-seed >/dev/null
work=$(mktemp -d /tmp/herd-bench-cluster.XXXXXX)
chmod 755 "$work"
pg=/usr/lib/postgresql/15/bin
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
herd_pid=""; weed_pid=""
cleanup() {
  [ -n "$herd_pid" ] && kill "$herd_pid" 2>/dev/null || true
  # weed mini outlives SIGTERM for a long while.
  [ -n "$weed_pid" ] && kill -9 "$weed_pid" 2>/dev/null || true
  [ -f "$work/pg/data/postmaster.pid" ] && as_postgres "$pg/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL 15, as the tests start it.
PG_PORT=$(free_port)
mkdir -p "$work/pg"; [ "$(id -u)" = 0 ] && chown postgres: "$work/pg"
as_postgres "$pg/initdb" -D "$work/pg/data" -U herd -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_postgres "$pg/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $work/pg -c max_connections=200" start >/dev/null
as_postgres "$pg/createdb" -h 127.0.0.1 -p "$PG_PORT" -U herd herd
as_postgres "$pg/createdb" -h 127.0.0.1 -p "$PG_PORT" -U herd jobs
PG_URL="postgres://herd@127.0.0.1:$PG_PORT/herd"

# SeaweedFS on free ports: Herd's key may do anything, anonymous readers may read (a public bucket).
weed_args=(-dir="$work/weed" -ip=127.0.0.1 -ip.bind=127.0.0.1 -s3.config="$work/s3.json" -admin.ui=false
  -s3.port.iceberg=0 -s3.port.lance=0)
for name in s3.port master.port master.port.grpc volume.port volume.port.grpc filer.port filer.port.grpc webdav.port \
  admin.port admin.port.grpc debug.port; do
  port=$(free_port); weed_args+=("-$name=$port"); [ "$name" = s3.port ] && S3_PORT=$port
done
mkdir -p "$work/weed"
export HERD_S3_KEY=benchkey HERD_S3_SECRET=bench-secret-key
cat > "$work/s3.json" <<JSON
{"identities":[{"name":"herd","credentials":[{"accessKey":"$HERD_S3_KEY","secretKey":"$HERD_S3_SECRET"}],
"actions":["Admin","Read","Write","List"]},{"name":"anonymous","actions":["Read"]}]}
JSON
weed mini "${weed_args[@]}" > "$work/weed.log" 2>&1 &
weed_pid=$!
S3_URL="http://127.0.0.1:$S3_PORT"
export AWS_ACCESS_KEY_ID=$HERD_S3_KEY AWS_SECRET_ACCESS_KEY=$HERD_S3_SECRET AWS_DEFAULT_REGION=us-east-1
s3() { aws --endpoint-url "$S3_URL" s3 "$@"; }
for _ in $(seq 1 300); do s3 mb s3://media >/dev/null 2>&1 && break; sleep 0.2; done
s3 ls s3://media >/dev/null || { echo "SeaweedFS did not start"; tail -20 "$work/weed.log"; exit 1; }

HERD_PORT=$(free_port)
export HERD_LISTEN_PORT=$HERD_PORT HERD_WEBSERVER_HOSTNAME=127.0.0.1 HERD_WEBSERVER_PORT=$HERD_PORT \
  HERD_ROOT_PASSWORD=bench-root-password HERD_LOG_LEVEL=warning HERD_WEBSERVER_MAX_CONNECTIONS_PER_IP=2000 \
  HERD_API_LIST_CACHE_TTL=0
start_herd() {  # start_herd STORAGE_DIR [DATABASE_URL]
  HERD_STORAGE_DIR=$1 HERD_DATABASE_URL=${2:-} .build/release/herd serve > "$work/herd.log" 2>&1 &
  herd_pid=$!
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$HERD_PORT/api/v1/config" >/dev/null && return; sleep 0.1; done
  echo "herd did not start"; cat "$work/herd.log"; exit 1
}
stop_herd() { kill "$herd_pid"; wait "$herd_pid" 2>/dev/null || true; herd_pid=""; }
LIST="http://127.0.0.1:$HERD_PORT/api/v1/videos?count=15"

echo "Herd cluster benchmark: $VIDEOS videos, $JOBS jobs, a ${UPLOAD_MB} MB upload, on 127.0.0.1 ($(nproc) cores)"
# 1. The list, SQLite then PostgreSQL, each seeded through the stores.
start_herd "$work/sqlite"; stop_herd
.build/release/herd-bench-seed "$work/sqlite/herd.sqlite" "$VIDEOS" >/dev/null
start_herd "$work/sqlite"
read -r sqlite_rps sqlite_p99 _ sqlite_err <<< "$(measure "$LIST")"
stop_herd
start_herd "$work/postgres" "$PG_URL"; stop_herd
.build/release/herd-bench-seed "$PG_URL" "$VIDEOS" >/dev/null
# As autovacuum leaves a database that has been running: statistics and the visibility map up to date.
as_postgres "$pg/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U herd herd -c "VACUUM ANALYZE"
start_herd "$work/postgres" "$PG_URL"
read -r pg_rps pg_p99 _ pg_err <<< "$(measure "$LIST")"
stop_herd

# 2. The job queue: 4 workers claiming at once.
read -r _ pg_claimed _ pg_dup _ pg_claim_s <<< \
  "$(.build/release/herd-bench-seed "postgres://herd@127.0.0.1:$PG_PORT/jobs" jobs "$JOBS" 4)"
read -r _ sqlite_claimed _ sqlite_dup _ sqlite_claim_s <<< \
  "$(.build/release/herd-bench-seed "$work/jobs.sqlite" jobs "$JOBS" 4)"

# 3. A large original into the bucket: Herd's S3Client against awscli.
head -c $((UPLOAD_MB * 1048576)) /dev/urandom > "$work/original.mp4"
read -r _ herd_put_s <<< "$(.build/release/herd-bench-seed s3put "$S3_URL" media originals/herd.mp4 "$work/original.mp4")"
start=$(date +%s.%N); s3 cp --quiet "$work/original.mp4" s3://media/originals/aws.mp4; end=$(date +%s.%N)
aws_put_s=$(python3 -c "print($end - $start)")
rm -f "$work/original.mp4"

# 4. A private fragment through Herd (PostgreSQL, object storage) against the bucket itself.
uuid=$(python3 -c 'import uuid; print(uuid.uuid4())')
key="hls/private/$uuid/$uuid-720-fragmented.mp4"
head -c 1048576 /dev/urandom > "$work/fragment.mp4"
s3 cp --quiet "$work/fragment.mp4" "s3://media/$key"
.build/release/herd-bench-seed "$PG_URL" private "$uuid" >/dev/null
start_herd_object_storage() {
  HERD_OBJECT_STORAGE_ENABLED=true HERD_OBJECT_STORAGE_ENDPOINT=$S3_URL HERD_OBJECT_STORAGE_FORCE_PATH_STYLE=true \
    HERD_OBJECT_STORAGE_CREDENTIALS_ACCESS_KEY_ID=$HERD_S3_KEY HERD_OBJECT_STORAGE_CREDENTIALS_SECRET_ACCESS_KEY=$HERD_S3_SECRET \
    HERD_OBJECT_STORAGE_STREAMING_PLAYLISTS_BUCKET_NAME=media HERD_OBJECT_STORAGE_STREAMING_PLAYLISTS_PREFIX=hls/ \
    HERD_OBJECT_STORAGE_WEB_VIDEOS_BUCKET_NAME=media HERD_OBJECT_STORAGE_WEB_VIDEOS_PREFIX=web/ \
    HERD_OBJECT_STORAGE_ORIGINAL_VIDEO_FILES_BUCKET_NAME=media HERD_OBJECT_STORAGE_ORIGINAL_VIDEO_FILES_PREFIX=originals/ \
    start_herd "$work/postgres" "$PG_URL"
}
start_herd_object_storage
token=$(herd_token "http://127.0.0.1:$HERD_PORT" bench-root-password)
herd_fragment="http://127.0.0.1:$HERD_PORT/static/streaming-playlists/hls/private/$uuid/$uuid-720-fragmented.mp4"
code=$(curl -s -o "$work/through-herd.mp4" -w '%{http_code}' -H "Authorization: Bearer $token" "$herd_fragment")
[ "$code" = 200 ] && cmp -s "$work/fragment.mp4" "$work/through-herd.mp4" || { echo "Herd served $code"; exit 1; }
read -r frag_rps frag_p99 frag_mib frag_err <<< "$(measure -H "Authorization: Bearer $token" "$herd_fragment")"
read -r direct_rps direct_p99 direct_mib direct_err <<< "$(measure "$S3_URL/media/$key")"
stop_herd
# Presigned redirects: wrk does not follow them, so one curl fetches FETCHES copies $CONNECTIONS at a time, both ways.
HERD_OBJECT_STORAGE_PROXY_PROXIFY_PRIVATE_FILES=false start_herd_object_storage
redirect_code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$herd_fragment")
code=$(curl -sL -o "$work/presigned.mp4" -w '%{http_code}' -H "Authorization: Bearer $token" "$herd_fragment")
[ "$redirect_code" = 302 ] && [ "$code" = 200 ] && cmp -s "$work/fragment.mp4" "$work/presigned.mp4" \
  || { echo "Herd's presigned redirect: $redirect_code, then $code"; exit 1; }
fetches() {  # fetches [curl arguments] URL: seconds for $FETCHES GETs
  local url=${*: -1} args=()
  for _ in $(seq 1 "$FETCHES"); do args+=(-o /dev/null "$url"); done
  local start end; start=$(date +%s.%N)
  curl -SfL --no-progress-meter --parallel --parallel-max "$CONNECTIONS" "${@:1:$#-1}" "${args[@]}"
  end=$(date +%s.%N); python3 -c "print($end - $start)"
}
presigned_s=$(fetches -H "Authorization: Bearer $token" "$herd_fragment")
curl_direct_s=$(fetches "$S3_URL/media/$key")
stop_herd

python3 - > "$work/report.tsv" <<PY
rows = [
    # row, value, unit, better, target (a test on the value), target's text
    ("cluster list postgres req/s", $pg_rps, "req/s", "higher", lambda v: v >= 5000, "≥ 5,000"),
    ("cluster list postgres p99", $pg_p99, "ms", "lower", lambda v: v <= 20, "≤ 20"),
    ("cluster list sqlite req/s", $sqlite_rps, "req/s", "higher", None, ""),
    ("cluster list sqlite p99", $sqlite_p99, "ms", "lower", None, ""),
    ("cluster list postgres / sqlite", $pg_rps / $sqlite_rps, "x", "higher", None, ""),
    ("cluster claims postgres jobs/s", $pg_claimed / $pg_claim_s, "jobs/s", "higher", None, ""),
    ("cluster claims postgres duplicates", $pg_dup, "count", "lower", lambda v: v == 0, "0"),
    ("cluster claims postgres claimed", $pg_claimed, "count", "higher", lambda v: v == $JOBS, "$JOBS"),
    ("cluster claims sqlite jobs/s", $sqlite_claimed / $sqlite_claim_s, "jobs/s", "higher", None, ""),
    ("cluster claims sqlite duplicates", $sqlite_dup, "count", "lower", lambda v: v == 0, "0"),
    ("cluster upload to bucket / aws s3 cp", $aws_put_s / $herd_put_s, "x", "higher", lambda v: v >= 0.8, "≥ 0.80"),
    ("cluster upload to bucket MB/s", $UPLOAD_MB / $herd_put_s, "MB/s", "higher", None, ""),
    ("cluster private fragment / bucket", $frag_rps / $direct_rps, "x", "higher", lambda v: v >= 0.8, "≥ 0.80"),
    ("cluster private fragment p99", $frag_p99, "ms", "lower", None, ""),
    ("cluster presigned fragment / bucket", $curl_direct_s / $presigned_s, "x", "higher", lambda v: v >= 0.8, "≥ 0.80"),
    ("cluster errors", $pg_err + $sqlite_err + $frag_err + $direct_err, "count", "lower", lambda v: v == 0, "0"),
]
for name, value, unit, better, test, target in rows:
    mark = "" if test is None else ("meets target" if test(value) else "BELOW TARGET")
    print(f"{name}\t{value:.2f}\t{unit}\t{better}\t{target}\t{mark}")
PY
echo "(aws s3 cp: $aws_put_s s, S3Client: $herd_put_s s; bucket: $direct_rps req/s $direct_mib MiB/s, through Herd: $frag_rps req/s $frag_mib MiB/s; $FETCHES by curl: bucket $curl_direct_s s, presigned via Herd $presigned_s s)"
report "$work/report.tsv"
