"""make bench-web (issue 7), run inside a private network namespace (in_netns.sh: WebRTC needs a veth):
time to first frame on the watch page, the share of segment bytes from peers with 4 concurrent viewers, and the
watch page's weight in JS and CSS (uncompressed, as served).

Usage: python3 web_bench.py HERD_BINARY CLIP WORKDIR
"""
import json
import os
import sys
import time

from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "browser"))
from herd_server import HerdServer  # noqa: E402

herd, clip, work = sys.argv[1:4]
server = HerdServer(herd, work, "bench-password", HERD_TRANSCODING_RESOLUTIONS_1080P="false")
base = server.base

try:
    print("transcoding the clip...", file=sys.stderr)
    uuid = server.publish(clip, "Web bench")
    watch = f"{base}/videos/watch/{uuid}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-gpu",
            "--disable-features=WebRtcHideLocalIpsWithMdns"])

        def open_viewer(measure_weight=False):
            context = browser.new_context(bypass_csp=True)
            page = context.new_page()
            weight = {"bytes": 0}
            if measure_weight:
                def counted(response):
                    if response.url.endswith((".js", ".css")):
                        weight["bytes"] += len(response.body())
                page.on("response", counted)
            page.add_init_script("""
                window.__firstFrame = null;
                document.addEventListener('DOMContentLoaded', () => {
                  const v = document.getElementById('video');
                  if (!v) return;
                  v.muted = true;
                  const seen = () => { if (v.currentTime > 0 && window.__firstFrame === null) window.__firstFrame = performance.now(); };
                  v.addEventListener('timeupdate', seen);
                });""")
            page.goto(watch)
            return context, page, weight

        # Time to first frame (a lone viewer: the HTTP path), and the page weight.
        first_frames = []
        weight = 0
        for run in range(3):
            context, page, counted = open_viewer(measure_weight=(run == 0))
            page.wait_for_function("window.__firstFrame !== null", timeout=30000)
            first_frames.append(page.evaluate("window.__firstFrame"))
            if run == 0:
                # Every script and stylesheet the page loaded, as decoded (uncompressed) bytes.
                weight = page.evaluate("""() => performance.getEntriesByType('resource')
                    .filter((e) => /\\.(js|css)(\\?|$)/.test(e.name))
                    .reduce((sum, e) => sum + e.decodedBodySize, 0)""")
                weight = max(weight, counted["bytes"])
            context.close()

        # Four concurrent viewers: the first starts alone, three join a few seconds later.
        viewers = [open_viewer()]
        viewers[0][1].wait_for_function("window.herdPlayer && window.herdPlayer.swarm && window.herdPlayer.swarm.cache.size >= 3",
                                        timeout=30000)
        for _ in range(3):
            viewers.append(open_viewer())
            time.sleep(1)
        deadline = time.time() + 240
        report = []
        while time.time() < deadline:
            report = [page.evaluate("""() => { const s = window.herdPlayer?.swarm;
                return s ? { cached: s.cache.size, segments: s.segments.length, peers: s.peerCount, ...s.stats } : null }""")
                      for _, page, _ in viewers]
            if all(r and r["cached"] >= r["segments"] for r in report):
                break
            time.sleep(1)
        browser.close()
    later = report[1:]
    peer = sum(r["peerBytes"] for r in later)
    total = sum(r["peerBytes"] + r["httpBytes"] for r in later)
    share = 100.0 * peer / total if total else 0.0
    print(json.dumps({"first_frame_ms": first_frames, "weight_bytes": weight, "viewers": report,
                      "share_after_first": share}))
finally:
    server.stop()
