#!/usr/bin/env bash
# make bench-transcode: Herd's one-pass pipeline against the ffmpeg CLI, both ways, on the same source in one run.
# (a) PeerTube's way: one ffmpeg process per rung.  (b) one ffmpeg process with split + var_stream_map.
# Targets (issue 3): Herd wall ≤ 0.70× (a) and ≤ 1.0× (b); peak memory ≤ (b); SSIM within 0.002 of (b) per rung.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product herd >/dev/null
HERD=$PWD/.build/release/herd
ROOT=$PWD
work=$(mktemp -d /tmp/herd-bench-transcode.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

echo "Generating the 20 s 1080p30 source (mandelbrot, life, testsrc2, gradients; noise; beeping sine + pink noise)..."
ffmpeg -v error -y -filter_complex "\
mandelbrot=s=1920x1080:r=30,trim=duration=5,setpts=PTS-STARTPTS,format=yuv420p[v0];\
life=s=480x270:r=30:mold=10:ratio=0.1:death_color=#C83232:life_color=#00ff00,scale=1920:1080,boxblur=2,trim=duration=5,setpts=PTS-STARTPTS,format=yuv420p[v1];\
testsrc2=s=1920x1080:r=30,trim=duration=5,setpts=PTS-STARTPTS,format=yuv420p[v2];\
gradients=s=1920x1080:r=30:seed=7,trim=duration=5,setpts=PTS-STARTPTS,format=yuv420p[v3];\
[v0][v1][v2][v3]concat=n=4:v=1:a=0,noise=alls=6:allf=t+u:all_seed=42[v];\
sine=f=880:r=48000:d=20:beep_factor=4[s];anoisesrc=c=pink:r=48000:d=20:a=0.05:seed=42[n];\
[s][n]amix=inputs=2,pan=stereo|c0=c0|c1=c0[a]" \
  -map '[v]' -map '[a]' -c:v libx264 -preset veryfast -crf 18 -g 60 -pix_fmt yuv420p -c:a aac -b:a 192k \
  -movflags +faststart source.mp4
echo "source: $(stat -c %s source.mp4) bytes"

SETTINGS=(-c:v libx264 -preset veryfast -crf 23 -b_strategy 1 -bf 16 -r 30 -g:v 60 -pix_fmt yuv420p)
AUDIO=(-c:a aac -b:a 128k -ac 2 -ar 48000)
HLS=(-f hls -hls_time 4 -hls_list_size 0 -hls_playlist_type vod -hls_segment_type fmp4)
declare -A RATE=([1080]=6220800 [720]=3041280 [480]=1474560 [360]=1036800 [240]=522240)
RUNGS=(1080 720 480 360 240)

# Runs a command under /usr/bin/time; prints "wall cpu peak_kib".
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt"; exit 1; }
  awk '{printf "%s %.1f %s\n", $1, $2 + $3, $4}' "$work/time.txt"
}

echo "(a) one ffmpeg per rung..."
a_wall=0; a_cpu=0; a_mem=0
for r in "${RUNGS[@]}"; do
  mkdir -p a/$r
  read -r wall cpu mem <<< "$(measure ffmpeg -v error -y -i source.mp4 -vf scale=w=-2:h=$r "${SETTINGS[@]}" \
    -maxrate:v ${RATE[$r]} -bufsize:v $((2 * RATE[$r])) "${AUDIO[@]}" "${HLS[@]}" a/$r/index.m3u8)"
  a_wall=$(python3 -c "print($a_wall + $wall)"); a_cpu=$(python3 -c "print($a_cpu + $cpu)")
  a_mem=$(( mem > a_mem ? mem : a_mem ))
done

echo "(b) one ffmpeg process, split..."
mkdir -p b
RATES=(); MAPS=()
for i in 0 1 2 3 4; do
  r=${RUNGS[$i]}
  RATES+=(-maxrate:v:$i ${RATE[$r]} -bufsize:v:$i $((2 * RATE[$r])))
  MAPS+=(-map "[v$i]" -map 0:a)
done
read -r b_wall b_cpu b_mem <<< "$(measure ffmpeg -v error -y -i source.mp4 -filter_complex \
  "[0:v]split=5[s0][s1][s2][s3][s4];[s0]scale=w=-2:h=1080[v0];[s1]scale=w=-2:h=720[v1];[s2]scale=w=-2:h=480[v2];[s3]scale=w=-2:h=360[v3];[s4]scale=w=-2:h=240[v4]" \
  "${MAPS[@]}" "${SETTINGS[@]}" "${RATES[@]}" "${AUDIO[@]}" -max_muxing_queue_size 1024 -map_metadata -1 "${HLS[@]}" \
  -hls_fmp4_init_filename init.mp4 -master_pl_name master.m3u8 \
  -var_stream_map "v:0,a:0,name:1080 v:1,a:1,name:720 v:2,a:2,name:480 v:3,a:3,name:360 v:4,a:4,name:240" \
  -hls_segment_filename "b/%v/seg_%03d.m4s" "b/%v/index.m3u8")"

echo "Herd: one decode, the whole ladder..."
read -r h_wall h_cpu h_mem <<< "$(measure "$HERD" transcode source.mp4 --out herd --resolutions 1080,720,480,360,240 --no-web-videos)"

# SSIM of one rung's HLS output against the source scaled to the same size.
ssim() {
  ffmpeg -v info -i "$1" -i source.mp4 -lavfi "[1:v]scale=w=-2:h=$2:flags=bicubic[ref];[0:v][ref]ssim" -f null - 2>&1 \
    | sed -n 's/.*SSIM.* All:\([0-9.]*\).*/\1/p' | tail -1
}
echo
printf "%-28s %8s %8s %10s\n" "" "wall s" "CPU s" "peak MiB"
printf "%-28s %8.1f %8.1f %10.0f\n" "(a) ffmpeg per rung" "$a_wall" "$a_cpu" "$(python3 -c "print($a_mem/1024)")"
printf "%-28s %8.1f %8.1f %10.0f\n" "(b) ffmpeg split" "$b_wall" "$b_cpu" "$(python3 -c "print($b_mem/1024)")"
printf "%-28s %8.1f %8.1f %10.0f\n" "Herd one pass" "$h_wall" "$h_cpu" "$(python3 -c "print($h_mem/1024)")"
python3 - <<PY
a, b, h = $a_wall, $b_wall, $h_wall
bm, hm = $b_mem, $h_mem
def mark(ok): return "meets target" if ok else "BELOW TARGET"
print(f"Herd/(a) wall {h / a:.2f}×  target ≤ 0.70×: {mark(h / a <= 0.70)}")
print(f"Herd/(b) wall {h / b:.2f}×  target ≤ 1.00×: {mark(h / b <= 1.0)}")
print(f"Herd/(b) peak memory {hm / bm:.2f}×  target ≤ 1.00×: {mark(hm <= bm)}")
print(f"(a)/(b) wall {a / b:.2f}× (baseline measured 1.41×)")
import sys
sys.path.insert(0, "$ROOT/Benchmarks")
from record import record
record("transcode Herd/(a) wall", h / a, "x", "lower")
record("transcode Herd/(b) wall", h / b, "x", "lower")
record("transcode Herd/(b) peak memory", hm / bm, "x", "lower")
PY
echo
printf "%-6s %10s %10s %10s %10s\n" "rung" "SSIM (a)" "SSIM (b)" "SSIM Herd" "Herd-(b)"
for r in "${RUNGS[@]}"; do
  sa=$(ssim a/$r/index.m3u8 $r); sb=$(ssim b/$r/index.m3u8 $r); sh=$(ssim herd/source-$r.m3u8 $r)
  printf "%-6s %10s %10s %10s %10s\n" "${r}p" "$sa" "$sb" "$sh" "$(python3 -c "print(f'{$sh - $sb:+.4f}')")"
done
echo "target: Herd's SSIM within 0.002 of (b) for every rung"
