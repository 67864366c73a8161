#!/bin/sh
# Runs a command in a private network namespace with loopback and one veth pair (10.200.0.1/24), so that WebRTC in
# Chromium has an interface to gather candidates on (with only `lo` it gathers none). Needs root (unshare -n).
exec unshare -n sh -c '
  ip link set lo up &&
  ip link add v0 type veth peer name v1 &&
  ip addr add 10.200.0.1/24 dev v0 &&
  ip link set v0 up && ip link set v1 up &&
  ip route add default dev v0 &&
  exec "$@"' sh "$@"
