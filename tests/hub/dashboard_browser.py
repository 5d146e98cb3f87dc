#!/usr/bin/env python3
"""The hub's dashboard in a real headless Chromium, end to end.

Starts the real truthpoint-hub on a fresh SQLite file, enrols two kiosks in two regions, posts their events,
adds a manager (region north) and an admin, then drives Chromium over the DevTools protocol the way a person
would: the sign-in redirect, a wrong password, the manager's one-region dashboard, signing out, the admin's
every-region dashboard. Screenshots go to --artifacts for people to look at.

Chromium is driven with --remote-debugging-pipe (it reads commands on fd 3 and writes replies and events on
fd 4, each message JSON ended by a NUL byte), so the standard library is enough: no websocket client.

Usage: dashboard_browser.py --hub PATH/truthpoint-hub [--artifacts DIR]
"""

import argparse
import base64
import datetime
import fcntl
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

WAIT_SECONDS = 20.0  # every single wait; the whole test stays far inside ctest's TIMEOUT


class Failure(Exception):
    """A check a person would make did not hold."""


def progress(message):
    print(f"dashboard_browser: {message}", flush=True)


def check(condition, message):
    if not condition:
        raise Failure(message)


def tail(path, lines=25):
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return "".join(file.readlines()[-lines:])
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------------------------
# The hub: its CLI for kiosks and users, the server, and a kiosk's batch upload.

def run_cli(hub, arguments, stdin_text=""):
    completed = subprocess.run([hub, *arguments], input=stdin_text, capture_output=True, text=True,
                               timeout=WAIT_SECONDS)
    if completed.returncode != 0:
        raise Failure(f"truthpoint-hub {' '.join(arguments)} exited {completed.returncode}: "
                      f"{completed.stderr.strip()}")
    return completed.stdout


def uuid_v7():
    """A lower-case UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, 74 random bits, variant 10."""
    millis = time.time_ns() // 1_000_000
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= secrets.randbits(12) << 64
    value |= 0b10 << 62
    value |= secrets.randbits(62)
    text = f"{value:032x}"
    return f"{text[0:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:32]}"


def reaction_event(session_id, sku, reaction):
    now = datetime.datetime.now(datetime.timezone.utc)
    return {
        "id": uuid_v7(),
        "type": "fmot.reaction",
        "occurred_at": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "session_id": session_id,
        "locale": "en",
        "sku": sku,
        "data": {"reaction": reaction, "ms_to_react": 900},
    }


# No proxy from the environment may stand between this test and a loopback server.
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post_batch(base_url, token, batch_id, events):
    body = json.dumps({"batch_id": batch_id, "events": events}).encode()
    request = urllib.request.Request(f"{base_url}/api/v1/batches", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with HTTP.open(request, timeout=WAIT_SECONDS) as response:
            reply = json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise Failure(f"POST /api/v1/batches answered {error.code}: {error.read().decode(errors='replace')}")
    check(reply.get("accepted") == len(events) and not reply.get("rejected"),
          f"the hub did not accept all {len(events)} events of {batch_id}: {reply}")


class Hub:
    def __init__(self, executable, directory):
        self.executable = executable
        self.database = "sqlite:" + os.path.join(directory, "hub.db")
        self.stdout_path = os.path.join(directory, "hub.stdout")
        self.stderr_path = os.path.join(directory, "hub.stderr")
        self.process = None
        self.url = None

    def cli(self, *arguments, stdin_text=""):
        return run_cli(self.executable, [*arguments, "--db", self.database], stdin_text)

    def start(self):
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [self.executable, "serve", "--listen", "127.0.0.1:0", "--db", self.database],
                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        prefix = "truthpoint-hub listening on "
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            with open(self.stdout_path, encoding="utf-8", errors="replace") as file:
                first = file.readline()
            if first.endswith("\n"):
                check(first.startswith(prefix), f"the hub's first line is not '{prefix}URL': {first!r}")
                self.url = first[len(prefix):].strip()
                return
            if self.process.poll() is not None:
                raise Failure(f"the hub exited {self.process.returncode} before listening:\n"
                              f"{tail(self.stderr_path)}")
            time.sleep(0.05)
        raise Failure(f"the hub did not say where it listens within {WAIT_SECONDS:.0f} s")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            progress("the hub ignored SIGTERM for 10 s; killing it")
            self.process.kill()
            self.process.wait(timeout=10)


# ---------------------------------------------------------------------------------------------------------------
# Chromium over the DevTools pipe.

def find_chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    raise Failure("chromium is not installed (scripts/install-deps)")


class Browser:
    def __init__(self, executable, directory, allowed_port):
        self.stderr_path = os.path.join(directory, "chromium.stderr")
        # Two pipes: commands to Chromium (it reads fd 3), replies and events from it (it writes fd 4).
        command_read, self.command_write = os.pipe()
        self.reply_read, reply_write = os.pipe()
        # Copies above 3 and 4, so the child's dup2 onto 3 and 4 can never clobber one with the other.
        child_in = fcntl.fcntl(command_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(reply_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(command_read)
        os.close(reply_write)

        def onto_fds_3_and_4():
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        arguments = [
            executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--no-default-browser-check", "--disable-dev-shm-usage", "--no-proxy-server",
            "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--password-store=basic", "--use-mock-keychain", "--hide-scrollbars",
            f"--explicitly-allowed-ports={allowed_port}", "--window-size=1280,900",
            f"--user-data-dir={os.path.join(directory, 'chromium-profile')}",
            "--remote-debugging-pipe", "about:blank",
        ]
        try:
            with open(self.stderr_path, "wb") as err:
                # fds 3 and 4 exist here (at the latest the pipes just made took them), so pass_fds may keep
                # them; the child points them at the pipes before close_fds runs and Chromium starts.
                self.process = subprocess.Popen(
                    arguments, stdin=subprocess.DEVNULL, stdout=err, stderr=err, pass_fds=(3, 4),
                    preexec_fn=onto_fds_3_and_4, start_new_session=True)
        finally:
            os.close(child_in)
            os.close(child_out)
        self.next_id = 0
        self.buffer = b""
        self.events = []  # (method, params, sessionId) seen while waiting for something else
        self.session = None

    # -- the wire ------------------------------------------------------------------------------------------------
    def _send(self, method, params, session):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            _, writable, _ = select.select([], [self.command_write], [], WAIT_SECONDS)
            if not writable:
                raise Failure(f"Chromium stopped reading its DevTools pipe ({method})")
            data = data[os.write(self.command_write, data):]
        return self.next_id

    def _receive(self, deadline, what):
        """The next message from Chromium, or a Failure naming `what` once the deadline passes."""
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"timed out after {WAIT_SECONDS:.0f} s waiting for {what}")
            readable, _, _ = select.select([self.reply_read], [], [], left)
            if not readable:
                continue
            chunk = os.read(self.reply_read, 1 << 16)
            if not chunk:
                raise Failure(f"Chromium closed its DevTools pipe (exit {self.process.poll()}) while waiting for "
                              f"{what}:\n{tail(self.stderr_path)}")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session="page"):
        session = self.session if session == "page" else session
        sent = self._send(method, params, session)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            message = self._receive(deadline, f"the answer to {method}")
            if message.get("id") == sent:
                if "error" in message:
                    raise ProtocolError(method, message["error"])
                return message.get("result", {})
            if "method" in message:
                self.events.append((message["method"], message.get("params", {}), message.get("sessionId")))

    def forget_events(self, method):
        self.events = [event for event in self.events if event[0] != method]

    def wait_event(self, method, what):
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            for index, (name, params, session) in enumerate(self.events):
                if name == method and session == self.session:
                    del self.events[index]
                    return params
            message = self._receive(deadline, what)
            if "method" in message:
                self.events.append((message["method"], message.get("params", {}), message.get("sessionId")))

    # -- a page --------------------------------------------------------------------------------------------------
    def open_page(self):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=None)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=None)["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise ProtocolError("Runtime.evaluate", {"message": f"{expression}: {text}"})
        return result["result"].get("value")

    def wait_until(self, expression, what):
        """Polls a JavaScript expression until it is truthy (a page may be mid-navigation meanwhile)."""
        deadline = time.monotonic() + WAIT_SECONDS
        last_problem = ""
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
                if value:
                    return value
            except ProtocolError as error:
                last_problem = f" (last: {error})"
            time.sleep(0.1)
        raise Failure(f"timed out after {WAIT_SECONDS:.0f} s waiting for {what}{last_problem}")

    def navigate(self, url):
        self.forget_events("Page.loadEventFired")
        answer = self.call("Page.navigate", {"url": url})
        if answer.get("errorText"):
            raise Failure(f"Chromium could not open {url}: {answer['errorText']}")
        self.wait_event("Page.loadEventFired", f"{url} to load")

    def type_into(self, selector, text):
        """Focuses the input, selects what it holds, and types over it as a keyboard would."""
        found = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                              f" if (!e) return false; e.focus(); e.select(); return true; }})()")
        check(found, f"no {selector} on {self.evaluate('location.href')}")
        self.call("Input.insertText", {"text": text})
        check(self.evaluate(f"document.querySelector({json.dumps(selector)}).value") == text,
              f"typing into {selector} did not land")

    def click_and_wait_for_load(self, selector):
        """A real mouse click in the middle of the element, then the page it leads to."""
        box = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                            f" if (!e) return null; e.scrollIntoView({{block: 'center'}});"
                            f" const r = e.getBoundingClientRect();"
                            f" return {{x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height}}; }})()")
        check(box is not None, f"no {selector} on {self.evaluate('location.href')}")
        check(box["w"] > 0 and box["h"] > 0, f"{selector} is not visible (its box is {box})")
        self.forget_events("Page.loadEventFired")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            params = {"type": kind, "x": box["x"], "y": box["y"]}
            if kind != "mouseMoved":
                params.update(button="left", clickCount=1)
            self.call("Input.dispatchMouseEvent", params)
        self.wait_event("Page.loadEventFired", f"the page after clicking {selector}")

    def screenshot(self, path):
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": max(size["width"], 1280), "height": size["height"], "scale": 1}})
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
        progress(f"saved {path}")

    def cookies(self):
        return self.call("Storage.getCookies", session=None)["cookies"]

    def close(self):
        if self.process.poll() is None:
            try:
                self._send("Browser.close", {}, None)
                self.process.wait(timeout=10)
            except (Failure, OSError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            progress("Chromium did not close; killing its process group")
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
        else:
            # Its helpers (renderer, zygote) share the session made for it; none may outlive the test.
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for fd in (self.command_write, self.reply_read):
            try:
                os.close(fd)
            except OSError:
                pass


class ProtocolError(Exception):
    def __init__(self, method, error):
        super().__init__(f"{method}: {error.get('message', error)}")


# ---------------------------------------------------------------------------------------------------------------
# What a person would check.

def sign_in(browser, name, password):
    browser.type_into("#name", name)
    browser.type_into("#password", password)
    browser.click_and_wait_for_load("#sign-in")


def dashboard_facts(browser):
    return browser.evaluate("""(() => {
        const text = (selector) => { const e = document.querySelector(selector); return e ? e.textContent : null; };
        return {
            path: location.pathname,
            viewer: text('#viewer'), scope: text('#scope'),
            total: text('#total-events'), kiosks: text('#kiosks'),
            stores: [...document.querySelectorAll('#by-store tr[data-store]')].map(r => r.dataset.store),
            types: [...document.querySelectorAll('#by-type tr[data-type]')].map(r => r.dataset.type),
            reactions: text('#by-type tr[data-type="fmot.reaction"] td.count'),
            cookie: document.cookie,
            signOut: !!document.querySelector('form[action="/logout"] #sign-out'),
            // The store table's box against the width it has: wider means a sideways scroll.
            storesOverflow: (() => { const w = document.querySelector('div.wide');
                                     return w ? w.scrollWidth - w.clientWidth : 0; })(),
        };
    })()""")


def expect_login_page(browser, why):
    browser.wait_until("location.pathname === '/login' && !!document.querySelector("
                       "'form.login[method=post][action=\"/login\"] #name') && !!document.querySelector('#password')"
                       " && !!document.querySelector('#sign-in')", f"the sign-in form ({why})")
    check(browser.evaluate("document.querySelector('#viewer') === null && document.querySelector('#by-store') === null"),
          f"the sign-in page shows dashboard parts ({why})")


def expect_dashboard(browser, name, scope_part, total, kiosks, stores):
    browser.wait_until("!!document.querySelector('#viewer')", f"{name}'s dashboard")
    facts = dashboard_facts(browser)
    check(facts["path"] == "/", f"{name}'s dashboard is at {facts['path']}, not /")
    check(facts["viewer"] == name, f"#viewer is {facts['viewer']!r}, not {name!r}")
    check(facts["scope"] is not None and scope_part in facts["scope"],
          f"#scope is {facts['scope']!r}; it should mention {scope_part!r}")
    check(facts["total"] == str(total), f"{name} sees #total-events {facts['total']!r}, not {total}")
    check(facts["kiosks"] == str(kiosks), f"{name} sees #kiosks {facts['kiosks']!r}, not {kiosks}")
    check(sorted(facts["stores"]) == sorted(stores), f"{name} sees stores {facts['stores']}, not {stores}")
    check("fmot.reaction" in facts["types"], f"#by-type has no fmot.reaction row: {facts['types']}")
    check(facts["reactions"] == str(total), f"{name}'s fmot.reaction count is {facts['reactions']!r}, not {total}")
    check(facts["signOut"], "the dashboard has no #sign-out button in a form posting to /logout")
    check(facts["storesOverflow"] <= 0,
          f"the store table is {facts['storesOverflow']} px wider than the 1280-px page: its Total needs a sideways scroll")
    check("truthpoint_session" not in facts["cookie"],
          f"page scripts can read the session cookie (document.cookie = {facts['cookie']!r}); it must be HttpOnly")
    return facts


def scenario(hub_path, artifacts, work):
    chromium = find_chromium()
    hub = Hub(hub_path, work)

    progress("enrolling kiosks k-n (s-north, north) and k-s (s-south, south); adding anna and zoe")
    tokens = {}
    for kiosk, store, region in (("k-n", "s-north", "north"), ("k-s", "s-south", "south")):
        lines = hub.cli("kiosk", "add", "--kiosk", kiosk, "--store", store, "--region", region).strip().splitlines()
        check(lines and lines[-1].strip(), f"kiosk add {kiosk} printed no token")
        tokens[kiosk] = lines[-1].strip()
    anna_password, zoe_password = "north-star-2026", "every-region-42"
    hub.cli("user", "add", "--name", "anna", "--role", "manager", "--region", "north",
            stdin_text=f"{anna_password}\n{anna_password}\n")
    hub.cli("user", "add", "--name", "zoe", "--role", "admin", stdin_text=f"{zoe_password}\n{zoe_password}\n")

    hub.start()
    progress(f"hub at {hub.url}")
    browser = None
    try:
        session_n, session_s = uuid_v7(), uuid_v7()
        post_batch(hub.url, tokens["k-n"], "b-north-1",
                   [reaction_event(session_n, "4006381333931", r) for r in ("happy", "very_happy", "unhappy")])
        post_batch(hub.url, tokens["k-s"], "b-south-1",
                   [reaction_event(session_s, "5000112637922", r)
                    for r in ("happy", "happy", "very_unhappy", "unhappy", "very_happy")])
        progress("posted 3 events from k-n and 5 from k-s")

        port = int(hub.url.rsplit(":", 1)[1])
        browser = Browser(chromium, work, port)
        browser.open_page()
        progress(f"Chromium is up ({browser.call('Browser.getVersion', session=None).get('product')})")

        # 2. The dashboard sends a stranger to the sign-in form.
        browser.navigate(hub.url + "/")
        expect_login_page(browser, "opening / without signing in")
        check(browser.evaluate("document.querySelector('#problem') === null"),
              "a fresh sign-in page already shows a problem")
        progress("/ without a session ends on /login with the form")

        # 3. A wrong password: told so, and no dashboard.
        sign_in(browser, "anna", "not-the-password")
        expect_login_page(browser, "after a wrong password")
        problem = browser.evaluate("(() => { const e = document.querySelector('#problem');"
                                   " return e ? e.textContent : null; })()")
        check(problem == "wrong name or password", f"after a wrong password #problem is {problem!r}")
        check(not any(c["name"] == "truthpoint_session" for c in browser.cookies()),
              "a wrong password still set a truthpoint_session cookie")
        browser.screenshot(os.path.join(artifacts, "login-error.png"))
        progress("a wrong password shows 'wrong name or password' and no dashboard")

        # 4. The manager sees her region only, and scripts cannot read her session.
        sign_in(browser, "anna", anna_password)
        expect_dashboard(browser, "anna", "region north", total=3, kiosks=1, stores=["s-north"])
        cookies = [c for c in browser.cookies() if c["name"] == "truthpoint_session"]
        check(len(cookies) == 1, f"expected one truthpoint_session cookie in the browser, found {len(cookies)}")
        check(cookies[0].get("httpOnly") is True, "the truthpoint_session cookie is not HttpOnly")
        check(cookies[0].get("sameSite") == "Strict",
              f"the truthpoint_session cookie is SameSite={cookies[0].get('sameSite')}, not Strict")
        browser.screenshot(os.path.join(artifacts, "manager.png"))
        progress("anna sees region north: 3 events, store s-north only; the session cookie is HttpOnly")

        # 5. Signing out ends the session for good.
        browser.click_and_wait_for_load("#sign-out")
        expect_login_page(browser, "after signing out")
        browser.navigate(hub.url + "/")
        expect_login_page(browser, "opening / after signing out")
        check(not any(c["name"] == "truthpoint_session" and c.get("value") for c in browser.cookies()),
              "the truthpoint_session cookie outlived signing out")
        progress("sign out leads to /login, and / stays on /login")

        # 6. The admin sees every region.
        sign_in(browser, "zoe", zoe_password)
        expect_dashboard(browser, "zoe", "every region", total=8, kiosks=2, stores=["s-north", "s-south"])
        browser.screenshot(os.path.join(artifacts, "admin.png"))
        progress("zoe sees every region: 8 events, stores s-north and s-south")
    except Failure:
        if browser is not None and browser.process.poll() is None:
            try:
                progress(f"the browser was at {browser.evaluate('location.href')}")
            except (Failure, ProtocolError):
                pass
        hub_log = tail(hub.stderr_path, 10)
        if hub_log:
            progress("the hub's last log lines:\n" + hub_log)
        raise
    finally:
        if browser is not None:
            browser.close()
        hub.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", required=True, help="the truthpoint-hub executable")
    parser.add_argument("--artifacts", default=os.environ.get("TRUTHPOINT_DASHBOARD_SCREENS"),
                        help="where the screenshots go (default: $TRUTHPOINT_DASHBOARD_SCREENS, else a temp dir)")
    options = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="truthpoint-dashboard-", ignore_cleanup_errors=True) as work:
        artifacts = options.artifacts or os.path.join(work, "screens")
        try:
            scenario(options.hub, artifacts, work)
        except (Failure, ProtocolError, subprocess.TimeoutExpired, OSError) as error:
            print(f"dashboard_browser: FAILED: {error}", file=sys.stderr, flush=True)
            return 1
    progress(f"passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
