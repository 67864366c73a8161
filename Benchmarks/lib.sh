# Sourced by each Benchmarks/*/run.sh: `record ROW VALUE UNIT BETTER` adds one row to $BENCH_RESULTS (when
# `make bench` collects them; see Benchmarks/bench.sh), BETTER being "higher" or "lower". Rows are compared with
# Benchmarks/baseline.md by Benchmarks/compare.py.
record() {
  if [ -n "${BENCH_RESULTS:-}" ]; then
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$BENCH_RESULTS"
  fi
}

# `report FILE`: prints a benchmark's rows (tab-separated: row, value, unit, better, target, mark) and records each.
report() {
  while IFS=$'\t' read -r name value unit better target mark; do
    printf '%-38s %10s %-6s %-9s %s\n' "$name" "$value" "$unit" "$target" "$mark"
    record "$name" "$value" "$unit" "$better"
  done < "$1"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# `herd_token BASE_URL ROOT_PASSWORD`: an OAuth access token for root (PeerTube's password grant).
herd_token() {
  local client
  client=$(curl -sf "$1/api/v1/oauth-clients/local")
  curl -sf "$1/api/v1/users/token" \
    --data-urlencode "client_id=$(echo "$client" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')" \
    --data-urlencode "client_secret=$(echo "$client" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')" \
    --data-urlencode grant_type=password --data-urlencode username=root --data-urlencode "password=$2" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# `measure [wrk arguments] URL` runs wrk ($CONNECTIONS, $DURATION; output in $work) and prints "requests/s p99_ms
# transfer_MiB/s errors", errors being non-2xx/3xx answers plus socket errors.
measure() {
  local url=${*: -1}
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${@:1:$#-1}" "$url" > "$work/wrk.out"
  python3 - "$work/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# The latency distribution's own line: a "+/- Stdev" such as "89.99%" also ends in "99%".
p99_line = re.search(r"^\s+99%\s+([\d.]+\w+)\s*$", text, re.M)
if not p99_line:
    # No answer to time (wrk prints "-nan"): show wrk's own report and count the run as one error.
    print(text, file=sys.stderr)
    print("0 0 0 1")
    sys.exit(0)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
p99 = ms(p99_line.group(1))
transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", text)
factor = {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024}[transfer.group(2)]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
count = (int(errors.group(1)) if errors else 0) + (sum(int(n) for n in sockets.groups()) if sockets else 0)
print(f"{rps:.0f} {p99:.2f} {float(transfer.group(1)) * factor:.1f} {count}")
PY
}

