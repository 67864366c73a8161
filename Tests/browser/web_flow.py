"""Drives Herd's web client in Debian's Chromium (playwright): log in, upload a clip through the page, wait for
publication, play it past 5 s, seek, switch rung, post a comment; screenshots of each page at desktop and phone
widths go to ARTIFACTS.

Usage: python3 web_flow.py BASE_URL USERNAME PASSWORD CLIP ARTIFACTS
Prints one JSON line with what happened at each step ({"error": ...} on the first failure).
"""
import json
import os
import sys
import time

from playwright.sync_api import sync_playwright

base, username, password, clip, artifacts = sys.argv[1:6]
os.makedirs(artifacts, exist_ok=True)
result = {"error": None}


def shots(page, name):
    for label, size in (("desktop", {"width": 1280, "height": 800}), ("phone", {"width": 390, "height": 844})):
        page.set_viewport_size(size)
        page.screenshot(path=os.path.join(artifacts, f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-gpu"],
    )
    # The pages forbid eval (CSP); playwright's own checks need it, so only the test context bypasses it.
    page = browser.new_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    outside = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(base)
            and not request.url.startswith("blob:") and not request.url.startswith("data:") else None)
    try:
        page.goto(base + "/login")
        shots(page, "login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/", timeout=10000)
        page.wait_for_selector("text=My videos", timeout=10000)
        result["loggedIn"] = True

        page.goto(base + "/upload")
        page.wait_for_selector("select[name=channelId] option", state="attached", timeout=10000)
        page.set_input_files("input[type=file]", clip)
        page.fill("input[name=name]", "Uploaded from the browser")
        page.click("button[type=submit]")
        started = time.time()
        page.wait_for_selector("#stage a", timeout=180000)
        result["publishedAfter"] = round(time.time() - started, 1)
        shots(page, "upload")
        page.click("#stage a")
        page.wait_for_selector("#title:has-text('Uploaded from the browser')", timeout=10000)
        page.evaluate("document.getElementById('video').muted = true")
        page.wait_for_function("document.getElementById('video').currentTime > 5", timeout=30000)
        result["played"] = page.evaluate("document.getElementById('video').currentTime")
        shots(page, "watch")
        # Seek back, then switch rung.
        page.evaluate("document.getElementById('video').currentTime = 1")
        page.wait_for_function("(() => { const v = document.getElementById('video'); return v.currentTime > 1.5 && v.currentTime < 5 })()",
                               timeout=15000)
        result["seeked"] = True
        options = page.eval_on_selector_all("#rung option", "os => os.map(o => o.value)")
        result["rungs"] = options
        other = [o for o in options if o != page.eval_on_selector("#rung", "s => s.value")][0]
        page.select_option("#rung", other)
        page.wait_for_function(
            f"(() => {{ const v = document.getElementById('video'); return v.videoHeight === {int(other)} && v.currentTime > 0.5 }})()",
            timeout=30000)
        result["switchedTo"] = page.evaluate("document.getElementById('video').videoHeight")
        page.fill("textarea[name=text]", "Lovely rabbits, from the browser")
        page.click("#comment button[type=submit]")
        page.wait_for_selector("#threads >> text=Lovely rabbits, from the browser", timeout=10000)
        result["commented"] = True
        page.click("#theater")
        result["theater"] = page.evaluate("document.getElementById('main').classList.contains('theater')")
        for name, path in (("home", "/"), ("my-videos", "/my-videos"), ("search", "/search?search=browser")):
            page.goto(base + path)
            page.wait_for_selector("main a[href^='/videos/watch/']", timeout=10000)
            shots(page, name)
        result["searchFound"] = True
    except Exception as error:  # noqa: BLE001 - reported to the caller
        result["error"] = str(error).splitlines()[0]
        try:
            page.screenshot(path=os.path.join(artifacts, "failure.png"), full_page=True)
        except Exception:  # noqa: BLE001
            pass
    result["pageErrors"] = errors
    result["outsideRequests"] = outside
    browser.close()
print(json.dumps(result))
