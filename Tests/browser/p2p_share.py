"""Peer sharing between browsers (issue 7), run inside a private network namespace with a veth pair (WebRTC needs an
interface besides loopback; see in_netns.sh). Starts `herd serve`, uploads a clip over the API, then:
1. viewer A watches the video (its segments come over HTTP);
2. viewer B watches it at the same time: most of its segments must come from A, checked against
   segments-sha256.json;
3. A and B leave; a viewer that serves damaged segments (the page's test hook `?p2p-test-corrupt`) watches, then
   viewer D: every segment it gets from that peer is rejected and fetched over HTTP instead, and it still plays.

Usage: python3 p2p_share.py HERD_BINARY CLIP WORKDIR
Prints one JSON line: {"a": stats, "b": stats, "d": stats, "error": ...}.
"""
import json
import sys
import time

from playwright.sync_api import sync_playwright

from herd_server import HerdServer

herd, clip, work = sys.argv[1:4]
server = HerdServer(herd, work, "p2p-password", HERD_TRANSCODING_RESOLUTIONS_240P="false",
                    HERD_TRANSCODING_RESOLUTIONS_480P="false", HERD_TRANSCODING_RESOLUTIONS_720P="false")
base = server.base
result = {"error": None}


def stats(page):
    return page.evaluate("""() => { const s = window.herdPlayer?.swarm; const v = document.getElementById('video');
        return { peers: s ? s.peerCount : -1, cached: s ? s.cache.size : 0, segments: s ? s.segments.length : 0,
                 ...(s ? s.stats : {}), currentTime: v.currentTime,
                 failure: document.querySelector('.notice.error')?.textContent || null } }""")


try:
    uuid = server.publish(clip, "Shared")
    watch = f"{base}/videos/watch/{uuid}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-gpu",
            "--disable-features=WebRtcHideLocalIpsWithMdns"])

        def viewer(query=""):
            context = browser.new_context(bypass_csp=True)
            page = context.new_page()
            page.goto(watch + query)
            page.wait_for_function("window.herdPlayer && window.herdPlayer.swarm", timeout=20000)
            return context, page

        def finished(page, timeout=60):
            deadline = time.time() + timeout
            while time.time() < deadline:
                s = stats(page)
                if s["segments"] and s["cached"] >= s["segments"]:
                    return s
                time.sleep(0.25)
            return stats(page)

        context_a, a = viewer()
        result["a"] = finished(a)
        context_b, b = viewer()
        result["b"] = finished(b)
        b.wait_for_function("document.getElementById('video').currentTime > 2", timeout=20000)
        result["b"]["currentTime"] = stats(b)["currentTime"]
        context_a.close()
        context_b.close()
        context_e, evil = viewer("?p2p-test-corrupt")
        result["evil"] = finished(evil)
        context_d, d = viewer()
        result["d"] = finished(d)
        d.wait_for_function("document.getElementById('video').currentTime > 2", timeout=20000)
        result["d"]["currentTime"] = stats(d)["currentTime"]
        browser.close()
except Exception as error:  # noqa: BLE001 - reported to the caller
    result["error"] = str(error).splitlines()[0]
finally:
    server.stop()
print(json.dumps(result))
