"""A newcomer's first walk through Herd's web client in Debian's Chromium (playwright), on a server started with the
default configuration, from the address the README gives (issue 15).

Usage: python3 newcomer.py BASE_URL ROOT_PASSWORD CLIP ARTIFACTS
Logs in as root, uploads CLIP (and a file that is not a video, which must be refused visibly), plays the video to the
end logged in and as an anonymous visitor (2 views within the flush interval; from the keyboard, the skip link and
then one Tab reach the player), likes then unlikes it, comments and replies (reply forms closed until asked),
comments as an anonymous visitor (asked to log in, the text kept), opens a missing video, an unknown page, a missing
channel and the closed sign-up page, opens /admin as a plain user, and the admin's user list at 390 px. Every console
error, page error, failed request and error status not expected by the step fails the walk. Screenshots of each state
go to ARTIFACTS (newcomer-*.png).
Prints one JSON line: what each step found, and "problems" (empty when nothing went wrong).
"""
import contextlib
import json
import os
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

base, root_password, clip, artifacts = sys.argv[1:5]
os.makedirs(artifacts, exist_ok=True)
result = {"error": None, "problems": []}
problems = result["problems"]
# (URL substring, statuses) that the current step expects to fail.
expected = []


@contextlib.contextmanager
def expecting(substring, *statuses):
    expected.append((substring, statuses))
    try:
        yield
    finally:
        expected.remove((substring, statuses))


def is_expected(url, status):
    return any(substring in url and (not statuses or status in statuses) for substring, statuses in expected)


def track(page, who):
    """Fails the walk on any console error, page error, failed request or unexpected error status."""
    def console(message):
        if message.type != "error":
            return
        # Chromium reports each error status in the console too: those the step expects are not problems.
        if "Failed to load resource" in message.text and expected:
            return
        problems.append(f"{who}: console error on {page.url}: {message.text}")

    def failed(request):
        # A page that navigates away cancels what it was still loading: that is not a failure.
        if request.failure and "ERR_ABORTED" in request.failure:
            return
        problems.append(f"{who}: request failed: {request.method} {request.url} ({request.failure})")

    def response(answer):
        if answer.status >= 400 and not is_expected(answer.url, answer.status):
            problems.append(f"{who}: {answer.status} for {answer.request.method} {answer.url} on {page.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"{who}: page error on {page.url}: {error}"))
    page.on("requestfailed", failed)
    page.on("response", response)
    return page


def shot(page, name):
    page.screenshot(path=os.path.join(artifacts, f"newcomer-{name}.png"), full_page=True)


def api(path, token=None, method="GET", body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if body:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def log_in(page, username, password):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def play_to_end(page):
    page.wait_for_function("document.getElementById('video').readyState >= 1", timeout=30000)
    page.evaluate("(() => { const v = document.getElementById('video'); v.muted = true; v.play(); })()")
    page.wait_for_function("document.getElementById('video').ended", timeout=60000)


with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-gpu"],
    )

    def context(who, width=1280):
        # The pages forbid eval (CSP); playwright's own checks need it, so only the test contexts bypass it.
        created = browser.new_context(viewport={"width": width, "height": 844}, bypass_csp=True)
        return track(created.new_page(), who)

    try:
        # The README's address, logged out: the home page, then "Log in" in the header.
        admin = context("root")
        admin.goto(base + "/")
        admin.click("header >> text=Log in")
        log_in(admin, "root", root_password)
        admin.wait_for_url(base + "/", timeout=10000)
        admin.wait_for_selector("header >> text=My videos", timeout=10000)
        result["loggedIn"] = True
        token = admin.evaluate("JSON.parse(localStorage.getItem('herd.token')).access_token")
        night = admin.locator("header button[aria-label='Night mode']")
        before = night.get_attribute("aria-pressed")
        night.click()
        result["nightModeShown"] = night.get_attribute("aria-pressed") != before
        night.click()

        # A file that is not a video is refused, and the progress line says so.
        bogus = os.path.join(artifacts, "not-a-video.mp4")
        with open(bogus, "w") as handle:
            handle.write("this is not a video\n" * 100)
        admin.goto(base + "/upload")
        admin.wait_for_selector("select[name=channelId] option", state="attached", timeout=10000)
        with expecting("/api/v1/videos/upload-resumable"):
            admin.set_input_files("input[type=file]", bogus)
            admin.fill("input[name=name]", "Not a video")
            admin.click("button[type=submit]")
            admin.wait_for_selector("#stage:has-text('Upload failed')", timeout=30000)
        result["refusedUploadShown"] = admin.inner_text("#stage")
        shot(admin, "upload-refused")

        admin.goto(base + "/upload")
        admin.wait_for_selector("select[name=channelId] option", state="attached", timeout=10000)
        admin.set_input_files("input[type=file]", clip)
        admin.fill("input[name=name]", "A newcomer's first video")
        admin.click("button[type=submit]")
        admin.wait_for_selector("#stage a", timeout=180000)
        admin.click("#stage a")
        admin.wait_for_selector("#title:has-text(\"A newcomer's first video\")", timeout=10000)
        watch_url = admin.url
        uuid = watch_url.rstrip("/").split("/")[-1]

        # Played to the end logged in, then by an anonymous visitor: two views within the flush interval.
        play_to_end(admin)
        visitor = context("visitor")
        visitor.goto(watch_url)
        play_to_end(visitor)
        # The keyboard: on the watch page, the skip link first, then one Tab reaches the player.
        visitor.keyboard.press("Tab")
        result["watchSkipLink"] = visitor.evaluate("document.activeElement.textContent") == "Skip to content"
        visitor.keyboard.press("Enter")
        visitor.keyboard.press("Tab")
        result["playerAfterSkip"] = visitor.evaluate("document.activeElement.id")
        started = time.time()
        views = 0
        while time.time() - started < 30 and views < 2:
            views = api(f"/api/v1/videos/{uuid}")["views"]
            time.sleep(0.5)
        result["views"] = views
        result["viewsAfter"] = round(time.time() - started, 1)
        admin.reload()
        admin.wait_for_selector("#meta:has-text('2 views')", timeout=10000)
        result["viewsShown"] = True

        # Like, then unlike: the count and the pressed state follow.
        like = admin.locator("#like")
        like.click()
        admin.wait_for_selector("#like[aria-pressed=true]:has-text('Like · 1')", timeout=10000)
        shot(admin, "liked")
        like.click()
        admin.wait_for_selector("#like[aria-pressed=false]:has-text('Like · 0')", timeout=10000)
        result["likedThenUnliked"] = api(f"/api/v1/videos/{uuid}")["likes"] == 0

        # A comment, then a reply: the reply form stays closed until asked for.
        admin.fill("#comment textarea[name=text]", "Welcome to Herd")
        admin.click("#comment button[type=submit]")
        admin.wait_for_selector("#threads >> text=Welcome to Herd", timeout=10000)
        result["replyFormsClosed"] = admin.locator("#threads form[aria-label=Reply]").first.is_hidden()
        shot(admin, "comment")
        admin.click("#threads li.comment >> text=Reply")
        result["replyFormOpens"] = admin.locator("#threads form[aria-label=Reply]").first.is_visible()
        admin.fill("#threads form[aria-label=Reply] textarea", "And a reply")
        admin.click("#threads form[aria-label=Reply] button[type=submit]")
        admin.wait_for_selector("#threads >> text=And a reply", timeout=10000)
        result["replied"] = True

        # An anonymous visitor's comment: asked to log in, the text kept, then posted.
        api("/api/v1/users", token, "POST", {"username": "viewer", "password": "viewer-password",
                                             "email": "viewer@example.org", "role": 2, "videoQuota": -1})
        visitor.goto(watch_url)
        visitor.fill("#comment textarea[name=text]", "A visitor's thought")
        visitor.click("#comment button[type=submit]")
        visitor.wait_for_url("**/login?next=**", timeout=10000)
        result["askedToLogIn"] = True
        shot(visitor, "comment-login")
        log_in(visitor, "viewer", "viewer-password")
        visitor.wait_for_url(watch_url, timeout=10000)
        visitor.wait_for_function("document.querySelector('#comment textarea').value === \"A visitor's thought\"",
                                  timeout=10000)
        result["draftKept"] = True
        visitor.click("#comment button[type=submit]")
        visitor.wait_for_selector("#threads >> text=A visitor's thought", timeout=10000)
        result["visitorCommented"] = True

        # Pages that are not there: an error page with its status and a way back, never JSON.
        for name, path in (("missing-video", "/videos/watch/00000000-0000-4000-8000-000000000000"),
                           ("unknown-page", "/about"), ("missing-channel", "/c/nosuchchannel")):
            with expecting(path, 404):
                answer = visitor.goto(base + path)
                visitor.wait_for_selector("h1:has-text('Page not found')", timeout=10000)
                result[name] = {"status": answer.status,
                                "wayBack": visitor.locator("main a[href='/']").count() > 0}
                shot(visitor, name)

        # Sign-up is closed by default: no form, a clear sentence.
        visitor.goto(base + "/signup")
        visitor.wait_for_selector("h1:has-text('Sign-up is closed')", timeout=10000)
        result["signupClosed"] = visitor.locator("#signup").is_hidden()
        shot(visitor, "signup-closed")

        # A plain user at /admin: refused, no administration tabs.
        visitor.goto(base + "/admin")
        visitor.wait_for_selector("h1:has-text('You cannot see this')", timeout=10000)
        result["adminRefused"] = visitor.locator("nav.tabs a").count() == 0
        shot(visitor, "admin-refused")

        # The admin's user list at phone width: every user can still be deleted.
        admin.set_viewport_size({"width": 390, "height": 844})
        admin.goto(base + "/admin?section=users")
        delete = admin.locator("table.list button", has_text="Delete").first
        delete.wait_for(timeout=10000)
        delete.scroll_into_view_if_needed()
        box = delete.bounding_box()
        result["deleteReachableOnPhone"] = delete.is_visible() and box is not None and box["x"] + box["width"] <= 390
        shot(admin, "admin-users-phone")

        # The jobs name their video; PeerTube's default client route is the home page.
        admin.set_viewport_size({"width": 1280, "height": 844})
        admin.goto(base + "/admin?section=jobs&state=completed")
        admin.wait_for_selector("table.list a:has-text(\"A newcomer's first video\")", timeout=10000)
        result["jobsNameVideos"] = True
        default_route = api("/api/v1/config")["instance"]["defaultClientRoute"]
        visitor.goto(base + default_route)
        visitor.wait_for_selector("main .card", timeout=10000)
        result["defaultRouteShown"] = True

        # Made private, the video's page tells another user it is not there for them (as for a missing one: its
        # existence is not told), with a way back: no empty player.
        api(f"/api/v1/videos/{uuid}", token, "PUT", {"privacy": 3})
        with expecting(f"/api/v1/videos/{uuid}", 401, 403, 404):
            visitor.goto(watch_url)
            visitor.wait_for_selector(".error-page h1", timeout=10000)
        result["privateRefused"] = visitor.locator("#video").count() == 0 and \
            visitor.locator("main a[href='/']").count() > 0
        shot(visitor, "private-video")

        # A login link whose `next` points off the site lands on the home page, not elsewhere (issue 14).
        stranger = context("stranger")
        stranger.goto(base + "/login?next=//evil.example/phish")
        log_in(stranger, "viewer", "viewer-password")
        stranger.wait_for_url(base + "/", timeout=10000)
        result["offSiteNextRefused"] = stranger.url == base + "/"

        # The keyboard: the first Tab reaches the skip link.
        visitor.goto(base + "/")
        visitor.keyboard.press("Tab")
        result["skipLinkFirst"] = visitor.evaluate("document.activeElement.textContent") == "Skip to content"
    except Exception as error:  # the step that failed, for the test's message
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        browser.close()

print(json.dumps(result))
