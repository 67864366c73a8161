"""Drives Herd's web client in Debian's Chromium (playwright): log in, upload a clip through the page, wait for
publication, play it past 5 s, seek, switch rung, post a comment; screenshots of each page at desktop and phone
widths go to ARTIFACTS.

Usage: python3 web_flow.py BASE_URL USERNAME PASSWORD CLIP ARTIFACTS BIG_CLIP FOLLOW_HOST
BIG_CLIP (over two 8 MiB chunks) is uploaded with its second chunk dropped once (a network drop) and the page
reloaded before its third (the upload resumes where the server stands). FOLLOW_HOST is followed in the admin page.
Prints one JSON line with what happened at each step ({"error": ...} on the first failure).
"""
import json
import os
import sys
import time
import urllib.parse

from playwright.sync_api import sync_playwright

base, username, password, clip, artifacts, big_clip, follow_host = sys.argv[1:8]
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
    # The instance's own bucket, when its media is in object storage (the test names it), is not outside.
    own = [base, "blob:", "data:"] + os.environ.get("WEB_FLOW_MEDIA_ORIGINS", "").split()
    page.on("request", lambda request: outside.append(request.url)
            if not any(request.url.startswith(origin) for origin in own) else None)
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
        other = "240"
        page.select_option("#rung", other)
        page.wait_for_function(
            f"(() => {{ const v = document.getElementById('video'); return v.videoHeight === {int(other)} && v.currentTime > 0.5 }})()",
            timeout=30000)
        result["switchedTo"] = page.evaluate("document.getElementById('video').videoHeight")
        page.fill("textarea[name=text]", "Lovely rabbits, from the browser")
        page.click("#comment button[type=submit]")
        page.wait_for_selector("#threads >> text=Lovely rabbits, from the browser", timeout=10000)
        result["commented"] = True
        # A reply in the thread.
        page.click("#threads li.comment >> text=Reply")
        page.fill("#threads form[aria-label=Reply] textarea", "And a reply to it")
        page.click("#threads form[aria-label=Reply] button[type=submit]")
        page.wait_for_selector("#threads >> text=And a reply to it", timeout=10000)
        result["replied"] = True
        page.click("#theater")
        result["theater"] = page.evaluate("document.getElementById('main').classList.contains('theater')")
        # The embed page plays too; the watch page carries sharing tags.
        uuid = page.url.split("/")[-1] if "/videos/watch/" in page.url else None
        result["ogTitle"] = page.eval_on_selector("meta[property='og:title']", "m => m.content") if page.query_selector("meta[property='og:title']") else None
        watch_url = page.url
        result["watchUrl"] = watch_url
        page.goto(watch_url.replace("/videos/watch/", "/videos/embed/"))
        page.evaluate("document.getElementById('video').muted = true")
        page.wait_for_function("document.getElementById('video').currentTime > 1", timeout=20000)
        result["embedPlayed"] = True
        shots(page, "embed")

        # Made private, the video still plays for its owner (a file token; every file from the private folders);
        # made password-protected, a visitor is asked for the password and then watches it.
        def privacy(fields):
            return page.evaluate("""async ([uuid, fields]) => {
                const token = JSON.parse(localStorage.getItem('herd.token')).access_token;
                const response = await fetch('/api/v1/videos/' + uuid, { method: 'PUT', body: JSON.stringify(fields),
                    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' } });
                return response.status;
            }""", [watch_url.split("/")[-1], fields])
        result["madePrivate"] = privacy({"privacy": 3})
        media = []
        page.on("request", lambda request: media.append(request.url) if "/static/" in request.url else None)
        page.goto(watch_url)
        page.evaluate("document.getElementById('video').muted = true")
        page.wait_for_function("document.getElementById('video').currentTime > 1", timeout=30000)
        result["privatePlayed"] = bool(media) and all("/private/" in url and "videoFileToken=" in url for url in media)
        result["madeProtected"] = privacy({"privacy": 5, "videoPasswords": ["rabbit-secret"]})
        visitor = browser.new_context(bypass_csp=True).new_page()
        visitor.on("pageerror", lambda error: errors.append(str(error)))
        visitor.goto(watch_url)
        visitor.wait_for_selector("form.password-form input[name=password]", timeout=10000)
        shots(visitor, "password")
        visitor.fill("form.password-form input[name=password]", "rabbit-secret")
        visitor.click("form.password-form button[type=submit]")
        visitor.evaluate("document.getElementById('video').muted = true")
        visitor.wait_for_function("document.getElementById('video').currentTime > 1", timeout=30000)
        result["passwordPlayed"] = True
        visitor.context.close()
        result["madePublic"] = privacy({"privacy": 1})

        # A resumable upload that loses its connection once, then the page is reloaded: it resumes.
        state = {"dropped": False, "reload": False, "after_reload": []}

        def chunks(route):
            request = route.request
            content_range = request.headers.get("content-range", "")
            if request.method == "PUT" and content_range.startswith("bytes ") and "*/" not in content_range:
                start = int(content_range.split(" ")[1].split("-")[0])
                if state["reload"] is True:
                    state["after_reload"].append(start)
                elif start == 8 * 1024 * 1024 and not state["dropped"]:
                    state["dropped"] = True
                    route.abort()
                    return
                elif start == 16 * 1024 * 1024 and state["reload"] is False:
                    state["reload"] = "now"
                    route.abort()
                    return
            route.continue_()

        page.route("**/api/v1/videos/upload-resumable*", chunks)
        page.goto(base + "/upload")
        page.wait_for_selector("select[name=channelId] option", state="attached", timeout=10000)
        page.set_input_files("input[type=file]", big_clip)
        page.fill("input[name=name]", "Resumed upload")
        page.click("button[type=submit]")
        deadline = time.time() + 60
        while state["reload"] != "now" and time.time() < deadline:
            page.wait_for_timeout(100)
        result["droppedOnce"] = state["dropped"]
        state["reload"] = True
        page.reload()
        page.wait_for_selector("select[name=channelId] option", state="attached", timeout=10000)
        page.set_input_files("input[type=file]", big_clip)
        page.fill("input[name=name]", "Resumed upload")
        page.click("button[type=submit]")
        page.wait_for_selector("#stage a", timeout=180000)
        result["resumedFrom"] = state["after_reload"][0] if state["after_reload"] else None
        page.unroute("**/api/v1/videos/upload-resumable*")

        # Administration: follow another instance.
        page.goto(base + "/admin?section=follows")
        page.fill("input[name=host]", follow_host)
        page.click("form[aria-label='Follow an instance'] button")
        page.wait_for_selector(f"td:has-text('{follow_host}')", timeout=10000)
        deadline = time.time() + 20
        while time.time() < deadline:
            page.goto(base + "/admin?section=follows")
            page.wait_for_selector(f"td:has-text('{follow_host}')", timeout=10000)
            if page.query_selector("td:has-text('accepted')"):
                break
            page.wait_for_timeout(500)
        result["followed"] = bool(page.query_selector("td:has-text('accepted')"))
        shots(page, "admin")
        # WebFinger's remote-interaction template: a visitor is asked to log in first; a user lands on the watch page.
        interaction = base + "/remote-interaction?" + urllib.parse.urlencode({"uri": watch_url})
        stranger = browser.new_context(bypass_csp=True).new_page()
        stranger.goto(interaction)
        stranger.wait_for_selector("main a[href^='/login?next=']", timeout=10000)
        stranger.close()
        page.goto(interaction)
        page.wait_for_url("**/videos/watch/**", timeout=10000)
        result["remoteInteraction"] = page.url.lower() == watch_url.lower()
        # Open sign-up in the admin page; a visitor then creates an account on the sign-up page.
        page.goto(base + "/admin?section=instance")
        page.wait_for_selector("#signup", timeout=10000)
        if not page.is_checked("#signup"):
            # Saved when the server has answered the change, not after a guess at how long that takes.
            with page.expect_response(lambda r: r.url.endswith("/api/v1/config/custom") and r.request.method == "PUT"):
                page.check("#signup")
        shots(page, "admin-instance")
        visitor = browser.new_context(bypass_csp=True).new_page()
        visitor.goto(base + "/signup")
        visitor.fill("input[name=username]", "visitor")
        visitor.fill("input[name=email]", "visitor@example.org")
        visitor.fill("input[name=password]", "visitor-password")
        visitor.click("button[type=submit]")
        visitor.wait_for_selector("text=visitor", timeout=10000)
        visitor.wait_for_url(base + "/", timeout=10000)
        result["signedUp"] = True
        shots(visitor, "signup-done")
        for section in ("users", "redundancy", "jobs"):
            page.goto(base + f"/admin?section={section}")
            page.wait_for_selector("#panel table", timeout=10000)
            shots(page, f"admin-{section}")

        for name, path in (("home", "/"), ("my-videos", "/my-videos"), ("search", "/search?search=browser"),
                           ("channel", "/c/root_channel")):
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
