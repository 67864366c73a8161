"""Plays an HLS master playlist in Debian's Chromium, driven by playwright, and reports how far it got.

Chromium's own HLS support does not take single-file byte-range playlists (PeerTube's layout), so the page
plays through Media Source Extensions with Herd's web player module (Web/js/hls-mse.js).

Usage: python3 play_hls.py MASTER_URL [SECONDS] [MIRROR_BASE_URL ...]
Mirrors (a copy's folder, as the API's streamingPlaylists[].redundancies[].baseUrl lists it) are handed to the
player to fail over to. Prints one JSON line:
{"currentTime": ..., "videoWidth": ..., "videoHeight": ..., "switches": [...], "error": ...}.
"""
import json
import os
import sys

from playwright.sync_api import sync_playwright

url = sys.argv[1]
target = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
mirrors = sys.argv[3:]
module = open(os.path.join(os.path.dirname(__file__), "..", "..", "Web", "js", "hls-mse.js")).read()

with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-gpu"],
    )
    page = browser.new_page()
    page.set_content('<video id="v" muted playsinline></video>')
    page.add_script_tag(
        content=module + "\nwindow.switches = [];"
        + f"\nwindow.started = playHLS(document.getElementById('v'), {json.dumps(url)}, (vs) => vs.find((v) => v.height <= 720) || vs[0], "
        + f"{{ mirrors: {json.dumps(mirrors)}, timeout: 2000, onSwitch: (s) => window.switches.push(s) }})"
        ".then(v => window.variant = v, e => window.failure = String(e));",
        type="module",
    )
    result = {"error": None}
    try:
        page.wait_for_function(
            f"window.failure || document.getElementById('v').currentTime > {target}", timeout=30000
        )
    except Exception as error:  # noqa: BLE001 - reported to the caller
        result["error"] = str(error).splitlines()[0]
    result.update(
        page.evaluate(
            """() => { const v = document.getElementById('v');
                return { currentTime: v.currentTime, videoWidth: v.videoWidth, videoHeight: v.videoHeight,
                         failure: window.failure || null, mediaError: v.error ? v.error.code : null,
                         switches: window.switches } }"""
        )
    )
    browser.close()
    print(json.dumps(result))
