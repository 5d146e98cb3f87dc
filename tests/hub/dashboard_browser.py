#!/usr/bin/env python3
"""The regional manager's dashboard in a real headless Chromium, end to end.

Starts the real truthpoint-hub on a fresh SQLite file, enrols three kiosks of three stores (one in Tehran's
half-hour time zone) in two regions, posts a week's and a month's answers, adds a manager (region north) and
an admin, then drives Chromium over the DevTools protocol the way a person would: sign-in, the manager's region
only, a filter and a drill-down whose figures equal the JSON views' and a count made here from the raw events,
the CSV the page downloads, a comment holding <script>, Tehran's heat map at the half hour, the page in
Persian, the admin's every region, and an empty hub. Screenshots go to --artifacts for people to look at.

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


def get_config(base_url, token, etag=None):
    """GET /api/v1/config as a kiosk asks for it: [status, ETag, document or None]."""
    headers = {"Authorization": f"Bearer {token}"}
    if etag:
        headers["If-None-Match"] = etag
    request = urllib.request.Request(f"{base_url}/api/v1/config", headers=headers)
    try:
        with HTTP.open(request, timeout=WAIT_SECONDS) as response:
            return [response.status, response.headers.get("ETag"), json.loads(response.read())]
    except urllib.error.HTTPError as error:
        return [error.code, error.headers.get("ETag"), None]


# ---------------------------------------------------------------------------------------------------------------
# The shoppers' answers the dashboard is checked against: made here, counted here independently of the hub.

TODAY = datetime.datetime.now(datetime.timezone.utc).date()
SKU_TEA, SKU_SOAP = "4006381333931", "5000112637922"
REACTIONS = ("very_unhappy", "unhappy", "happy", "very_happy")


def at_day(days_ago, hour=10, minute=0, second=0, millis=0):
    """RFC 3339 UTC text of `days_ago` days before today, at the given UTC time."""
    moment = datetime.datetime.combine(TODAY - datetime.timedelta(days=days_ago),
                                       datetime.time(hour, minute, second, millis * 1000))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis:03d}Z"


def event(kind, occurred_at, session_id, sku, data, locale="en"):
    made = {"id": uuid_v7(), "type": kind, "occurred_at": occurred_at, "session_id": session_id,
            "locale": locale, "data": data}
    if sku is not None:
        made["sku"] = sku
    return made


def fmot_session(occurred_at, sku, reaction, drivers, intent, why_not=None, ms_to_decide=2400):
    session = uuid_v7()
    intent_data = {"intent": intent, "ms_to_answer": ms_to_decide}
    if why_not:
        intent_data["why_not"] = why_not
    return [event("fmot.reaction", occurred_at, session, sku, {"reaction": reaction, "ms_to_react": 900}),
            event("fmot.driver", occurred_at, session, sku, {"drivers": drivers, "reaction": reaction,
                                                             "ms_to_answer": 1500}),
            event("fmot.intent", occurred_at, session, sku, intent_data)]


def smot_session(occurred_at, sku, rating, score, pain=(), comment=None, locale="en"):
    session = uuid_v7()
    made = [event("smot.feedback", occurred_at, session, sku, {"rating": rating, "receipt": "skipped"}, locale),
            event("smot.recommend", occurred_at, session, sku, {"score": score}, locale)]
    if pain:
        made.append(event("smot.topics", occurred_at, session, sku, {"pain": list(pain)}, locale))
    if comment:
        made.append(event("smot.comment", occurred_at, session, sku, {"comment": comment}, locale))
    return made


SCRIPT_COMMENT = "<script>document.title='owned'</script> the lid <b>leaks</b>"
PERSIAN_COMMENT = "بسته‌بندی خوب بود ولی قیمت بالاست"


def seeded_answers():
    """Per kiosk: its events. Stores: s-tehran (north, Asia/Tehran), s-athens (north, Europe/Athens),
    s-south (south, UTC). Days: 1 and 3 days ago (in 7 days), 12 (in 30 days only), 45 (in neither)."""
    answers = {"k-tehran": [], "k-athens": [], "k-south": []}
    plan = [  # kiosk, days ago, sku, reaction, intent
        ("k-tehran", 1, SKU_TEA, "very_happy", "buy_now"), ("k-tehran", 1, SKU_TEA, "happy", "buy_now"),
        ("k-tehran", 3, SKU_SOAP, "unhappy", "not_buying"), ("k-tehran", 12, SKU_TEA, "very_unhappy", "not_buying"),
        ("k-tehran", 45, SKU_TEA, "happy", "maybe_later"),
        ("k-athens", 1, SKU_SOAP, "happy", "maybe_later"), ("k-athens", 3, SKU_SOAP, "happy", "buy_now"),
        ("k-athens", 12, SKU_TEA, "very_happy", "buy_now"),
        ("k-south", 1, SKU_TEA, "very_unhappy", "not_buying"), ("k-south", 3, SKU_TEA, "unhappy", "not_buying"),
    ]
    for kiosk, days_ago, sku, reaction, intent in plan:
        answers[kiosk] += fmot_session(at_day(days_ago), sku, reaction, ["price"] if reaction in REACTIONS[:2]
                                       else ["brand", "packaging"], intent,
                                       "price" if intent == "not_buying" else None)
    # Tehran is UTC+03:30: 06:29:59Z is 09:59:59 there, 06:30:00Z is 10:00:00.
    answers["k-tehran"] += fmot_session(at_day(2, 6, 29, 59, 999), SKU_TEA, "happy", ["habit"], "buy_now")
    answers["k-tehran"] += fmot_session(at_day(2, 6, 30, 0, 0), SKU_TEA, "happy", ["habit"], "buy_now")
    answers["k-tehran"] += smot_session(at_day(1), SKU_TEA, 2, 3, pain=("value_for_money",), comment=SCRIPT_COMMENT)
    answers["k-tehran"] += smot_session(at_day(2), SKU_TEA, 5, 10, comment=PERSIAN_COMMENT, locale="fa")
    answers["k-athens"] += smot_session(at_day(3), SKU_SOAP, 4, 9)
    answers["k-south"] += smot_session(at_day(1), SKU_TEA, 1, 0, pain=("quality",), comment="South only: broken")
    return answers


def count_answers(answers, kiosks, days, sku=None):
    """The figures a person would count by hand from the raw events: reactions, the 0-100 index, intents,
    ratings, recommendation score, for the kiosks given and the days ago in `days` (a range)."""
    reactions = dict.fromkeys(REACTIONS, 0)
    intents = {"buy_now": 0, "maybe_later": 0, "not_buying": 0}
    ratings, scores = [], []
    for kiosk in kiosks:
        for made in answers[kiosk]:
            day = datetime.date.fromisoformat(made["occurred_at"][:10])
            if (TODAY - day).days not in days or (sku is not None and made.get("sku") != sku):
                continue
            data = made["data"]
            if made["type"] == "fmot.reaction":
                reactions[data["reaction"]] += 1
            elif made["type"] == "fmot.intent":
                intents[data["intent"]] += 1
            elif made["type"] == "smot.feedback":
                ratings.append(data["rating"])
            elif made["type"] == "smot.recommend":
                scores.append(data["score"])
    total = sum(reactions.values())
    index = None if total == 0 else 100 * sum(i * reactions[r] for i, r in enumerate(REACTIONS)) / (3 * total)
    score = None if not scores else 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)
    return {"reactions": reactions, "answers": total, "index": index, "intents": intents,
            "rated": len(ratings), "average_rating": sum(ratings) / len(ratings) if ratings else None,
            "recommend_score": score}


class Hub:
    def __init__(self, executable, directory):
        self.executable = executable
        self.database = "sqlite:" + os.path.join(directory, "hub.db")
        self.stdout_path = os.path.join(directory, "hub.stdout")
        self.stderr_path = os.path.join(directory, "hub.stderr")
        self.process = None
        self.url = None
        self.cli("db", "init")  # the commands below run before serve, which alone would make the database

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
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
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

    def screenshot_of(self, selector, path):
        """One element of the page, e.g. a section, as it is laid out."""
        box = self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
                            f" const r = e.getBoundingClientRect();"
                            f" return {{x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height}}; }})()")
        check(box is not None, f"no {selector} to take a picture of")
        shot = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": box["x"], "y": box["y"], "width": box["w"], "height": box["h"], "scale": 1}})
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
        progress(f"saved {path}")

    def print_to_pdf(self, path):
        """The page as Chromium prints it (its print stylesheet), A4."""
        printed = self.call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True})
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(base64.b64decode(printed["data"]))
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


def figures_on_page(browser):
    """What a person reads on the page: the headline figures' text, the places offered, who is signed in."""
    return browser.evaluate("""(() => {
        const value = (id) => { const e = document.querySelector('#' + id + ' .value'); return e ? e.textContent : null; };
        const options = (name) => [...document.querySelectorAll('#filter select[name=' + name + '] option')]
                                      .map(o => o.value).filter(v => v !== '');
        return {
            href: location.href, lang: document.documentElement.lang, dir: document.documentElement.dir,
            viewer: (document.querySelector('#viewer') || {}).textContent || null,
            answers: value('fmot-answers'), index: value('fmot-index'), rating: value('smot-rating'),
            recommend: value('smot-recommend'),
            regions: options('region'), stores: options('store'), products: options('sku'),
            sections: [...document.querySelectorAll('section[id]')].map(e => e.id),
            text: document.body.innerText,
            cookie: document.cookie,
            overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
    })()""")


def fetch_json(browser, path):
    """A JSON view fetched with the browser's own session cookie (the page's policy lets no script fetch):
    [status, body]."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.cookies() if c["name"] == "truthpoint_session")
    origin = browser.evaluate("location.origin")
    request = urllib.request.Request(origin + path, headers={"Cookie": cookie})
    try:
        with HTTP.open(request, timeout=WAIT_SECONDS) as response:
            return [response.status, json.loads(response.read())]
    except urllib.error.HTTPError as error:
        return [error.code, error.read().decode(errors="replace")]


def one_decimal(value):
    return None if value is None else f"{value:.1f}"


def expect_figures(browser, expected, where):
    """The page's figures equal the count made here from the raw events, and the JSON view the page's."""
    facts = figures_on_page(browser)
    check(facts["answers"] == str(expected["answers"]),
          f"{where}: the page shows {facts['answers']!r} answers; the raw events hold {expected['answers']}")
    if expected["index"] is not None:
        check(facts["index"] == one_decimal(expected["index"]),
              f"{where}: the page's index is {facts['index']!r}; counted from the events it is "
              f"{one_decimal(expected['index'])}")
    query = facts["href"].split("?", 1)[1] if "?" in facts["href"] else ""
    status, summary = fetch_json(browser, "/api/v1/dashboard/summary?" + query)
    check(status == 200, f"{where}: /api/v1/dashboard/summary?{query} answered {status}: {summary}")
    current = summary["current"]
    check(current["fmot"]["answers"] == expected["answers"],
          f"{where}: the JSON says {current['fmot']['answers']} answers, the page and the events {expected['answers']}")
    for reaction in REACTIONS:
        check(current["fmot"]["reactions"][reaction] == expected["reactions"][reaction],
              f"{where}: JSON {reaction} = {current['fmot']['reactions'][reaction]}, "
              f"events {expected['reactions'][reaction]}")
    for intent, n in expected["intents"].items():
        check(current["fmot"]["intents"][intent] == n,
              f"{where}: JSON intent {intent} = {current['fmot']['intents'][intent]}, events {n}")
    check(current["smot"]["rated"] == expected["rated"],
          f"{where}: JSON rated = {current['smot']['rated']}, events {expected['rated']}")
    if expected["recommend_score"] is not None:
        check(abs(current["smot"]["recommend"]["score"] - expected["recommend_score"]) < 1e-9,
              f"{where}: JSON recommendation score {current['smot']['recommend']['score']}, "
              f"events {expected['recommend_score']}")
    return facts


def submit_filter(browser, **choices):
    """Chooses in the filter form's selects as a person would, then presses its button."""
    for name, value in choices.items():
        found = browser.evaluate(f"""(() => {{ const s = document.querySelector('#filter select[name={name}]');
            if (!s || ![...s.options].some(o => o.value === {json.dumps(value)})) return false;
            s.value = {json.dumps(value)}; s.dispatchEvent(new Event('change')); return true; }})()""")
        check(found, f"the filter has no {name} option {value!r}")
    browser.click_and_wait_for_load("#filter button[type=submit]")


def expect_login_page(browser, why):
    browser.wait_until("location.pathname === '/login' && !!document.querySelector("
                       "'form.login[method=post][action=\"/login\"] #name') && !!document.querySelector('#password')"
                       " && !!document.querySelector('#sign-in')", f"the sign-in form ({why})")
    check(browser.evaluate("document.querySelector('#viewer') === null && document.querySelector('#fmot') === null"),
          f"the sign-in page shows dashboard parts ({why})")


def download(browser, selector, directory):
    """Clicks a download link and waits for the file Chromium saves."""
    os.makedirs(directory, exist_ok=True)
    browser.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": directory}, session=None)
    box = browser.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                           f" if (!e) return null; e.scrollIntoView({{block: 'center'}});"
                           f" const r = e.getBoundingClientRect(); return {{x: r.x + r.width / 2, y: r.y + r.height / 2}}; }})()")
    check(box is not None, f"no {selector} on the page")
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        params = {"type": kind, "x": box["x"], "y": box["y"]}
        if kind != "mouseMoved":
            params.update(button="left", clickCount=1)
        browser.call("Input.dispatchMouseEvent", params)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        done = [name for name in os.listdir(directory) if not name.endswith(".crdownload")]
        if done:
            time.sleep(0.2)  # Chromium renames the file when it is whole
            with open(os.path.join(directory, done[0]), encoding="utf-8") as file:
                return done[0], file.read()
        time.sleep(0.1)
    raise Failure(f"clicking {selector} downloaded nothing within {WAIT_SECONDS:.0f} s")


def events_in_filter(answers, kiosk, days, sku):
    return [made for made in answers[kiosk]
            if (TODAY - datetime.date.fromisoformat(made["occurred_at"][:10])).days in days and made.get("sku") == sku]


def scenario(hub_path, artifacts, work):
    chromium = find_chromium()
    hub = Hub(hub_path, work)

    progress("enrolling k-tehran (s-tehran, Asia/Tehran) and k-athens (s-athens) in north, k-south in south")
    tokens = {}
    for kiosk, store, region in (("k-tehran", "s-tehran", "north"), ("k-athens", "s-athens", "north"),
                                 ("k-south", "s-south", "south")):
        lines = hub.cli("kiosk", "add", "--kiosk", kiosk, "--store", store, "--region", region).strip().splitlines()
        check(lines and lines[-1].strip(), f"kiosk add {kiosk} printed no token")
        tokens[kiosk] = lines[-1].strip()
    hub.cli("store", "set", "s-tehran", "--time-zone", "Asia/Tehran", "--name", "Tehran Vanak")
    hub.cli("store", "set", "s-athens", "--time-zone", "Europe/Athens", "--name", "Athens Kifisia")
    # The kiosks' configuration: approved reviews of its products are served with it.
    catalog = os.path.join(work, "chain.json")
    with open(catalog, "w", encoding="utf-8") as file:
        json.dump({"format": 1,
                   "catalog": {"products": [{"sku": SKU_TEA, "names": {"en": "Green Tea", "fa": "چای سبز"}},
                                            {"sku": SKU_SOAP, "names": {"en": "Olive Soap"}}]},
                   "questions": {"drivers": ["price", "packaging", "brand", "habit"], "why_not": ["price"]}}, file)
    hub.cli("config", "set", "--all", "--file", catalog)
    anna_password, zoe_password = "north-star-2026", "every-region-42"
    hub.cli("user", "add", "--name", "anna", "--role", "manager", "--region", "north",
            stdin_text=f"{anna_password}\n{anna_password}\n")
    hub.cli("user", "add", "--name", "zoe", "--role", "admin", stdin_text=f"{zoe_password}\n{zoe_password}\n")

    hub.start()
    progress(f"hub at {hub.url}")
    browser = None
    try:
        answers = seeded_answers()
        for kiosk, made in answers.items():
            post_batch(hub.url, tokens[kiosk], f"b-{kiosk}", made)
        progress(f"posted {sum(len(m) for m in answers.values())} events of three kiosks")
        north = ("k-tehran", "k-athens")
        week, month = range(0, 7), range(0, 30)

        port = int(hub.url.rsplit(":", 1)[1])
        browser = Browser(chromium, work, port)
        browser.open_page()
        progress(f"Chromium is up ({browser.call('Browser.getVersion', session=None).get('product')})")

        # A stranger is sent to sign in; a wrong password is told so.
        browser.navigate(hub.url + "/")
        expect_login_page(browser, "opening / without signing in")
        sign_in(browser, "anna", "not-the-password")
        expect_login_page(browser, "after a wrong password")
        problem = browser.evaluate("(() => { const e = document.querySelector('#problem');"
                                   " return e ? e.textContent : null; })()")
        check(problem == "wrong name or password", f"after a wrong password #problem is {problem!r}")
        progress("/ without a session ends on /login; a wrong password is told so")

        # The manager sees her region only: its stores, its figures, and a 403 for the other region.
        sign_in(browser, "anna", anna_password)
        browser.wait_until("!!document.querySelector('#fmot')", "anna's dashboard")
        facts = expect_figures(browser, count_answers(answers, north, week), "anna, last 7 days")
        check("anna" in (facts["viewer"] or "") and "north" in facts["viewer"], f"#viewer is {facts['viewer']!r}")
        check(facts["regions"] == [], f"a manager is offered regions to choose: {facts['regions']}")
        check(sorted(facts["stores"]) == ["s-athens", "s-tehran"], f"anna is offered stores {facts['stores']}")
        check("South only" not in facts["text"], "anna's page shows a comment from the south region")
        for section in ("fmot", "smot", "trends", "heatmap", "rankings", "feedback", "kiosks"):
            check(section in facts["sections"], f"the page has no section #{section}: {facts['sections']}")
        check(facts["overflow"] <= 0, f"the page is {facts['overflow']} px wider than the 1280-px window")
        check("truthpoint_session" not in facts["cookie"], "page scripts can read the session cookie")
        status, _ = fetch_json(browser, "/api/v1/dashboard/summary?region=south")
        check(status == 403, f"anna asking for region south got {status}, not 403")
        browser.screenshot(os.path.join(artifacts, "manager-en.png"))
        progress("anna sees north only: figures equal the JSON and a count of the raw events; south is 403")

        # A shopper's comment holding markup is shown as text.
        feedback = browser.evaluate("""(() => { const f = document.querySelector('#feedback');
            return {text: f.innerText, scripts: f.querySelectorAll('script, b').length, title: document.title}; })()""")
        check(SCRIPT_COMMENT in feedback["text"], "the comment holding <script> is not shown as its text")
        check(feedback["scripts"] == 0 and feedback["title"] != "owned", "a shopper's markup became part of the page")
        check(PERSIAN_COMMENT in feedback["text"], "the Persian comment is missing from the open feedback")
        progress("a comment holding <script> is shown as text")

        # A shopper's pain at the Tehran store becomes a case on anna's page: she acknowledges it, cannot close it
        # without a cause, then closes it with one; who did what stays on the case.
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        pain = event("pain.reported", now, uuid_v7(), SKU_TEA, {"moment": "smot", "reason": "pain_topics", "topics": ["checkout"]})
        post_batch(hub.url, tokens["k-tehran"], "b-pain", [pain])
        answers["k-tehran"].append(pain)  # the exports below hold it
        browser.navigate(hub.url + "/?store=s-tehran")
        case_id = browser.evaluate("""(() => { const c = [...document.querySelectorAll('#cases article.case.open')]
            .find(a => a.textContent.includes('Tehran Vanak') && a.textContent.includes("pain"));
            return c ? c.id.slice(5) : null; })()""")
        check(case_id, "anna's page shows no open case for the pain at Tehran Vanak")
        case = f"#case-{case_id}"
        browser.click_and_wait_for_load(f"{case} button.acknowledge")
        state = browser.evaluate(f"(() => {{ const c = document.querySelector('{case}');"
                                 f" return c ? {{cls: c.className, text: c.innerText}} : null; }})()")
        check(state and "acknowledged" in state["cls"], f"after Acknowledge the case is {state}")
        check("anna" in state["text"], "the case's trail does not say anna acknowledged it")
        # Without a cause the browser does not send the form (the cause is required): the case stays as it was.
        valid = browser.evaluate(f"document.querySelector('{case} form[action=\"/cases/close\"]').checkValidity()")
        check(valid is False, "the close form is valid without a cause")
        browser.evaluate(f"document.querySelector('{case} form[action=\"/cases/close\"] button').click()")
        time.sleep(1)
        status, json_case = fetch_json(browser, f"/api/v1/cases/{case_id}")
        check(status == 200 and json_case["state"] == "acknowledged",
              f"clicking Close without a cause changed the case: {status} {json_case.get('state')}")
        browser.evaluate(f"document.querySelector('{case} select[name=cause]').value = 'stock'")
        browser.type_into(f"{case} form[action=\"/cases/close\"] input[name=note]", "shelf refilled")
        browser.click_and_wait_for_load(f"{case} button.close")
        status, json_case = fetch_json(browser, f"/api/v1/cases/{case_id}")
        check(status == 200 and json_case["state"] == "closed" and json_case["close_cause"] == "stock"
              and json_case["closed_by"] == "anna", f"after closing, the case is {json_case}")
        actions = [(entry["action"], entry["actor"]) for entry in json_case["audit"]]
        check(actions == [("opened", "hub"), ("acknowledged", "anna"), ("closed", "anna")], f"the case's trail is {actions}")
        shown = browser.evaluate(f"(() => {{ const c = document.querySelector('{case}');"
                                 f" return c ? {{cls: c.className, forms: c.querySelectorAll('form').length,"
                                 f" text: c.innerText}} : null; }})()")
        check(shown and "closed" in shown["cls"] and shown["forms"] == 0 and "shelf refilled" in shown["text"],
              f"the closed case on the page: {shown}")
        browser.screenshot(os.path.join(artifacts, "cases-en.png"))
        progress("a pain became a case; anna acknowledged it, could not close it without a cause, closed it with one")

        # Reviews shared at the Tehran kiosk wait for anna: one holds a phone number in Persian digits (flagged);
        # a reject without a reason is not sent by the browser; she approves another, and the kiosk's next
        # conditional GET of its configuration has it.
        status, old_etag, document = get_config(hub.url, tokens["k-tehran"])
        check(status == 200 and not document.get("reviews"), f"before any approval the kiosk's config is {status} {document}")
        shared_at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
        shared_at = shared_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        phone_review = event("umot.review", shared_at, uuid_v7(), SKU_TEA,
                             {"rating": 2, "text": "چای خوبی نیست، با من تماس بگیرید ۰۹۱۲ ۳۴۵ ۶۷۸۹", "consent": True}, "fa")
        good_review = event("umot.review", shared_at, uuid_v7(), SKU_TEA,
                            {"rating": 5, "text": "The best green tea on this street", "consent": True})
        rude_review = event("umot.review", shared_at, uuid_v7(), SKU_SOAP,
                            {"rating": 1, "text": "صابون احمقانه نیست ولی فروشنده احمق بود", "consent": True}, "fa")
        reviews = [phone_review, good_review, rude_review]
        post_batch(hub.url, tokens["k-tehran"], "b-reviews", reviews)
        answers["k-tehran"] += reviews  # the exports below hold them
        browser.navigate(hub.url + "/?store=s-tehran")
        shown = browser.evaluate(f"""(() => {{ const a = document.querySelector('#review-{phone_review["id"]}');
            return a ? {{flags: [...a.querySelectorAll('li.flag')].map(f => f.textContent), text: a.innerText,
                        dir: a.querySelector('p.review-text').getAttribute('dir')}} : null; }})()""")
        check(shown is not None, "anna's page does not show the review shared at Tehran Vanak")
        check(shown["flags"] == ["phone number"], f"the review with a phone number is flagged {shown['flags']}")
        check("Green Tea" in shown["text"] and "Tehran Vanak" in shown["text"] and shown["dir"] == "auto",
              f"the pending review shows {shown}")
        reject = f"#review-{phone_review['id']} form[action=\"/reviews/reject\"]"
        check(browser.evaluate(f"document.querySelector('{reject}').checkValidity()") is False,
              "the reject form is valid without a reason")
        browser.evaluate(f"document.querySelector('{reject} button').click()")
        time.sleep(1)
        status, listed = fetch_json(browser, "/api/v1/reviews")
        check(status == 200 and phone_review["id"] in [r["id"] for r in listed["reviews"]],
              f"clicking Reject without a reason decided the review: {status} {listed}")
        browser.screenshot_of("#reviews", os.path.join(artifacts, "reviews-en.png"))
        browser.click_and_wait_for_load(f"#review-{good_review['id']} button.approve")
        check("store=s-tehran" in browser.evaluate("location.search"), "approving did not come back to the same view")
        check(browser.evaluate(f"!document.querySelector('#review-{good_review['id']}')"),
              "the approved review is still in the queue")
        status, approved = fetch_json(browser, "/api/v1/reviews?state=approved")
        check(status == 200 and [(r["id"], r["decided_by"]) for r in approved["reviews"]] == [(good_review["id"], "anna")],
              f"after approving, the approved reviews are {approved}")
        status, new_etag, document = get_config(hub.url, tokens["k-tehran"], old_etag)
        check(status == 200 and new_etag != old_etag, f"the kiosk's conditional GET after the approval got {status}")
        check([(r["sku"], r["text"], r["rating"]) for r in document.get("reviews", [])]
              == [(SKU_TEA, good_review["data"]["text"], 5)], f"the kiosk's configuration holds {document.get('reviews')}")
        status, _, _ = get_config(hub.url, tokens["k-tehran"], new_etag)
        check(status == 304, f"asked again with the new ETag, the kiosk got {status}, not 304")
        browser.type_into(f"{reject} input[name=reason]", "a phone number")
        browser.click_and_wait_for_load(f"{reject} button.reject")
        status, rejected = fetch_json(browser, "/api/v1/reviews?state=rejected")
        check(status == 200 and [(r["id"], r["reason"]) for r in rejected["reviews"]] == [(phone_review["id"], "a phone number")],
              f"after rejecting, the rejected reviews are {rejected}")
        status, _, document = get_config(hub.url, tokens["k-tehran"], new_etag)
        check(status == 304, f"a rejection changed the kiosk's configuration ({status})")
        # The section in Persian: right to left, the shopper's words in their own direction, the flags translated.
        browser.evaluate("document.querySelector('#language-form select').value = 'fa'")
        browser.click_and_wait_for_load("#language-form button[type=submit]")
        flags = browser.evaluate(f"[...document.querySelectorAll('#review-{rude_review['id']} li.flag')].map(f => f.textContent)")
        check(flags == ["ناسزا (fa)", "ناسزا (ar)"], f"the Persian page flags the rude review {flags}")
        browser.screenshot_of("#reviews", os.path.join(artifacts, "reviews-fa.png"))
        browser.evaluate("document.querySelector('#language-form select').value = 'en'")
        browser.click_and_wait_for_load("#language-form button[type=submit]")
        progress("anna saw a review flagged, could not reject it without a reason, approved another; "
                 "the kiosk synced afterwards has it in its configuration")
        browser.navigate(hub.url + "/")

        # A filter changes the figures: the last 30 days hold the answers of 12 days ago too.
        submit_filter(browser, period="30d")
        check("period=30d" in browser.evaluate("location.search"), "the URL does not hold the period chosen")
        expect_figures(browser, count_answers(answers, north, month), "anna, last 30 days")
        progress("the 30-day filter shows the 30-day counts, in the URL")

        # Drill down: region -> store (from the ranking) -> product.
        browser.click_and_wait_for_load("#store-ranking a[href*='store=s-tehran']")
        check("store=s-tehran" in browser.evaluate("location.search"), "the store link did not go to s-tehran")
        expect_figures(browser, count_answers(answers, ("k-tehran",), month), "s-tehran, last 30 days")
        browser.click_and_wait_for_load(f"#product-ranking a[href*='sku={SKU_TEA}']")
        check(f"sku={SKU_TEA}" in browser.evaluate("location.search"), "the product link did not go to the tea")
        expect_figures(browser, count_answers(answers, ("k-tehran",), month, SKU_TEA), "s-tehran's tea, 30 days")
        progress("drilled down north -> s-tehran -> its tea; each level's figures equal the events'")

        # The CSV downloaded from the page holds exactly the filter's events.
        name, text = download(browser, "#export-csv", os.path.join(work, "downloads"))
        rows = [line for line in text.splitlines()[1:] if line]
        expected_ids = {made["id"] for made in events_in_filter(answers, "k-tehran", month, SKU_TEA)}
        got_ids = {row.split(",", 1)[0].strip('"') for row in rows}
        check(len(rows) == len(expected_ids) and got_ids == expected_ids,
              f"{name} holds {len(rows)} rows; the filter holds {len(expected_ids)} events "
              f"(missing {sorted(expected_ids - got_ids)[:3]}, extra {sorted(got_ids - expected_ids)[:3]})")
        progress(f"{name}: exactly the filter's {len(rows)} events")

        # The store's report for the period, printed to PDF: its figures and sections, without the filter's
        # form or the export links (the print stylesheet).
        browser.navigate(hub.url + "/?store=s-tehran&period=30d")
        pdf = os.path.join(artifacts or work, "report-s-tehran-30d.pdf")
        browser.print_to_pdf(pdf)
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
        pages = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
        for expected in ("Tehran Vanak", "first moment of truth", "second and ultimate moments", "When shoppers answer",
                         "Rankings", "Open feedback", "Kiosk health"):
            check(expected in text, f"the printed report lacks '{expected}'")
        for hidden in ("Download these answers", "Change language"):
            check(hidden not in text, f"the printed report shows '{hidden}', which the print stylesheet hides")
        page_count = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
        check(1 <= page_count <= 6, f"the printed report has {page_count} pages")
        progress(f"the store's 30-day report prints to {page_count} A4 pages with every section, no form")

        # Tehran is UTC+03:30: 06:29:59.999Z is 09:59 there, 06:30:00Z is 10:00.
        browser.navigate(hub.url + "/?store=s-tehran&period=7d")
        weekday = (TODAY - datetime.timedelta(days=2)).isoweekday()
        status, heat = fetch_json(browser, "/api/v1/dashboard/heatmap?store=s-tehran&period=7d")
        check(status == 200, f"the heat map's JSON answered {status}")
        cells = {(c["weekday"], c["hour"]): c["answers"] for c in heat["cells"]}
        check(cells.get((weekday, 9)) == 1 and cells.get((weekday, 10)) == 1,
              f"Tehran's heat map: {weekday}/09h holds {cells.get((weekday, 9))}, {weekday}/10h "
              f"{cells.get((weekday, 10))}; each should hold 1 (06:29:59Z and 06:30:00Z)")
        on_page = browser.evaluate(f"[9, 10].map(h => !!document.querySelector("
                                   f"'#heat td[data-day=\"{weekday}\"][data-hour=\"' + h + '\"]'))")
        check(on_page == [True, True], f"the page's heat map has no cells at {weekday}/09h and 10h: {on_page}")
        progress("Tehran's heat map counts 06:29:59Z in 09h and 06:30:00Z in 10h, local time")

        # Persian: right to left, Persian digits, Solar Hijri dates; the choice is kept.
        browser.navigate(hub.url + "/")
        found = browser.evaluate("(() => { const s = document.querySelector('#language-form select');"
                                 " if (!s) return false; s.value = 'fa'; return true; })()")
        check(found, "the page has no language chooser")
        browser.click_and_wait_for_load("#language-form button[type=submit]")
        facts = figures_on_page(browser)
        check(facts["lang"] == "fa" and facts["dir"] == "rtl", f"the Persian page is lang={facts['lang']} dir={facts['dir']}")
        persian_digits = "۰۱۲۳۴۵۶۷۸۹"
        expected_answers = "".join(persian_digits[int(d)] for d in str(count_answers(answers, north, week)["answers"]))
        check(facts["answers"] == expected_answers, f"the Persian page shows {facts['answers']!r}, not {expected_answers!r}")
        solar_year = "".join(persian_digits[int(d)] for d in str(TODAY.year - 621))
        solar_year_before = "".join(persian_digits[int(d)] for d in str(TODAY.year - 622))
        check(solar_year in facts["text"] or solar_year_before in facts["text"],
              f"the Persian page shows no Solar Hijri year ({solar_year} or {solar_year_before})")
        browser.screenshot(os.path.join(artifacts, "manager-fa.png"))
        browser.navigate(hub.url + "/")
        check(browser.evaluate("document.documentElement.lang") == "fa", "the language chosen was not kept")
        progress("the Persian page is right to left, in Persian digits, with Solar Hijri dates; the choice is kept")

        # Turkish and Greek: left to right, in the language chosen (screenshots to look at).
        for language in ("tr", "el"):
            browser.evaluate(f"document.querySelector('#language-form select').value = '{language}'")
            browser.click_and_wait_for_load("#language-form button[type=submit]")
            facts = figures_on_page(browser)
            check(facts["lang"] == language and facts["dir"] == "ltr",
                  f"the {language} page is lang={facts['lang']} dir={facts['dir']}")
            browser.screenshot(os.path.join(artifacts, f"manager-{language}.png"))
        progress("the Turkish and Greek pages are left to right")

        browser.click_and_wait_for_load("#sign-out")
        expect_login_page(browser, "after signing out")

        # The admin sees every region.
        sign_in(browser, "zoe", zoe_password)
        browser.wait_until("!!document.querySelector('#fmot')", "zoe's dashboard")
        facts = expect_figures(browser, count_answers(answers, ("k-tehran", "k-athens", "k-south"), week), "zoe")
        check(sorted(facts["regions"]) == ["north", "south"], f"zoe is offered regions {facts['regions']}")
        browser.screenshot(os.path.join(artifacts, "admin-en.png"))
        progress("zoe sees every region")
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


def empty_hub_scenario(hub_path, artifacts, work):
    """A hub with no kiosk and no answer yet shows every section empty, not an error."""
    directory = os.path.join(work, "empty")
    os.makedirs(directory)
    hub = Hub(hub_path, directory)
    hub.cli("user", "add", "--name", "zoe", "--role", "admin", stdin_text="every-region-42\nevery-region-42\n")
    hub.start()
    browser = None
    try:
        browser = Browser(find_chromium(), directory, int(hub.url.rsplit(":", 1)[1]))
        browser.open_page()
        browser.navigate(hub.url + "/")
        sign_in(browser, "zoe", "every-region-42")
        browser.wait_until("!!document.querySelector('#fmot')", "the empty hub's dashboard")
        facts = figures_on_page(browser)
        empty_sections = browser.evaluate("[...document.querySelectorAll('section[id]')]"
                                          ".filter(s => s.querySelector('.empty')).map(s => s.id)")
        for section in ("fmot", "smot", "trends", "heatmap", "rankings", "feedback"):
            check(section in empty_sections, f"the empty hub's #{section} does not say it has no answers")
        for section in ("fmot", "smot", "trends", "heatmap", "rankings", "feedback", "kiosks"):
            check(section in facts["sections"], f"the empty page has no section #{section}")
        for bad in ("NaN", "nan", "undefined", "error"):
            check(bad not in facts["text"], f"the empty page says {bad!r}")
        browser.screenshot(os.path.join(artifacts, "empty-en.png"))
        progress("an empty hub shows each section empty")
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
            empty_hub_scenario(options.hub, artifacts, work)
        except (Failure, ProtocolError, subprocess.TimeoutExpired, OSError) as error:
            print(f"dashboard_browser: FAILED: {error}", file=sys.stderr, flush=True)
            return 1
    progress(f"passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
