"""make bench-web (issue 7), run inside a private network namespace (in_netns.sh: WebRTC needs a veth):
time to first frame on the watch page, the share of segment bytes from peers with 4 concurrent viewers, and the
watch page's weight in JS and CSS (uncompressed, as served).

Usage: python3 web_bench.py HERD_BINARY CLIP WORKDIR
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from playwright.sync_api import sync_playwright

herd, clip, work = sys.argv[1:4]
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
base = f"http://127.0.0.1:{port}"
env = dict(os.environ, HERD_STORAGE_DIR=work + "/storage", HERD_LISTEN_HOSTNAME="127.0.0.1",
           HERD_LISTEN_PORT=str(port), HERD_WEBSERVER_HOSTNAME="127.0.0.1", HERD_WEBSERVER_PORT=str(port),
           HERD_ROOT_PASSWORD="bench-password", HERD_P2P_SEEDER_PORT="0", HERD_LOG_LEVEL="warning",
           HERD_TRANSCODING_RESOLUTIONS_1080P="false")
server = subprocess.Popen([herd, "serve"], env=env, stdout=open(work + "/herd.log", "w"), stderr=subprocess.STDOUT)


def call(path, data=None, token=None):
    request = urllib.request.Request(base + path, data=data)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


try:
    for _ in range(100):
        try:
            call("/api/v1/config")
            break
        except Exception:
            time.sleep(0.1)
    client = call("/api/v1/oauth-clients/local")
    token = call("/api/v1/users/token", urllib.parse.urlencode({
        "client_id": client["client_id"], "client_secret": client["client_secret"], "grant_type": "password",
        "username": "root", "password": "bench-password"}).encode())["access_token"]
    channel = call("/api/v1/users/me", token=token)["videoChannels"][0]["id"]
    out = subprocess.run(["curl", "-sf", "-H", "Authorization: Bearer " + token, base + "/api/v1/videos/upload",
                          "-F", f"videofile=@{clip}", "-F", "name=Web bench", "-F", f"channelId={channel}"],
                         capture_output=True, check=True)
    uuid = json.loads(out.stdout)["video"]["uuid"]
    print("transcoding the clip...", file=sys.stderr)
    for _ in range(3000):
        if call(f"/api/v1/videos/{uuid}", token=token)["state"]["id"] == 1:
            break
        time.sleep(0.2)
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
    server.terminate()
    server.wait(10)
