#!/usr/bin/env python3
"""Runs Truthpoint's benchmarks in one go and prints one summary table (see BENCHMARKS.md).

Window: the kiosk (truthpoint-kiosk run, attract screen, started as a user starts it: no renderer variable, so
it picks its renderer itself) beside bench_bare_window (SDL's software renderer, the cheapest bare window), on
one Xvfb at 1920x1080, runs alternated (ABBA) so both share the machine's noise; with --parent-kiosk, another
commit's kiosk binary joins the rotation and a second table compares the two:
idle CPU (utime+stime from /proc/PID/stat over --idle-seconds), frame CPU p50/p99 (FrameStats, the attract
pulse at 4 fps), launch to first frame (FrameStats' first_frame_unix_ms, median of --starts launches),
RSS (FrameStats' max_rss_kb, and VmRSS --rss-after seconds after launch).
Tap -> committed: bench_tap_commit (EventRecorder beside a bare SQLite commit, interleaved in one process): an
fmot.reaction, and the post-purchase answers smot.feedback and smot.comment (200 code points of Persian, scrubbed).
Sync: bench_sync_drain (a 100,000-event backlog drained by push_pending beside the hub's own ingest rate).
Hub: bench_hub_ingest (ingest in batches of 500 over HTTP and through the Store, beside a bare SQLite bulk
insert; then 1,000 kiosks syncing at once: batch latency p50/p99 and the hub's RSS).
Outage: bench_sync_outage (a BackgroundSync with default options behind a proxy answering 503 with Retry-After
for --outage-seconds, then the hub back: time until nothing is pending, requests/s during the outage), beside
--outage-baseline (the same benchmark built at another commit) when given.
Typing: the kiosk (as the window benchmark starts it, with a saved hub configuration so the post-purchase screens
are complete) tapped with xdotool at a fixed pace on the FMOT drivers screen (toggling drivers) and on the comment
screen (typing Persian on the on-screen keyboard), each phase in a launch of its own, alternated ABBA: UI-thread
CPU per tap (/proc/PID/task/PID/schedstat over the phase), the whole process's and Xvfb's, frames per tap and frame
CPU p50/p99 (FrameStats, less a launch that only navigates there).
Pick benchmarks with --only window,tap,typing,sync,hub,outage,slow (default: all).
Opt-in, never part of "all": --only soci (issue 12: the hub's ingest through Store::store_batches, through our own
primitives, and through SOCI's bulk binding, on SQLite and PostgreSQL; scripts/bench installs libsoci-dev for it);
--only dashboard (issue 15: a year of a 200-store chain, 10 million events by default, loaded through
Store::store_batches on SQLite and PostgreSQL, then each JSON view of the dashboard timed per filter, p50/p95).

Python 3 standard library only. Normally started by scripts/bench, which builds first.
"""

import argparse
import datetime
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
GOALS = {"idle_cpu_pct": 1.0, "frame_ratio": 1.2, "rss_ratio": 1.2, "tap_p99_ratio": 1.5,
         "drain_ratio": 0.5, "wire_bytes": 60.0, "ingest_ratio": 0.5, "burst_p99_ms": 50.0,
         "outage_median_s": 5.0, "outage_max_s": 15.0, "outage_requests_per_s": 0.5, "answer_p99_ratio": 1.5,
         "typing_ratio": 1.2}
BENCHMARKS = ["window", "tap", "typing", "sync", "hub", "outage", "slow"]
OPT_IN = ["soci", "dashboard"]  # run only when named in --only


def log(message):
    print(message, file=sys.stderr, flush=True)


def cpu_ticks(pid):
    """utime + stime of every thread of the process, in clock ticks."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5), counted after "pid (comm)"


def thread_cpu_ns(pid):
    """CPU time of the process's main thread (the kiosk's UI thread) in nanoseconds: schedstat's first field,
    or utime+stime in ticks where the kernel has no schedstat."""
    try:
        with open(f"/proc/{pid}/task/{pid}/schedstat") as schedstat:
            return int(schedstat.read().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        with open(f"/proc/{pid}/task/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // CLOCK_TICKS


def vm_rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class Xvfb:
    """One X server for the whole run, on a display it picks itself (-displayfd)."""

    def __init__(self, size, work):
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{size}x24", "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=open(work / "xvfb.log", "w"))
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError(f"Xvfb did not start; see {work / 'xvfb.log'}")
        self.display = f":{number}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Program:
    """One of the two windows under test, launched with FrameStats switched on."""

    def __init__(self, name, argv, env, work):
        self.name, self.argv, self.env, self.work = name, argv, env, work

    def launch(self, tag):
        stats = self.work / f"{self.name}-{tag}.stats.json"
        targets = self.work / f"{self.name}-{tag}.targets"
        for path in (stats, targets):
            path.unlink(missing_ok=True)
        env = dict(self.env, TRUTHPOINT_FRAME_STATS=str(stats), TRUTHPOINT_UI_TARGETS=str(targets))
        launched_ms = time.time() * 1000.0
        process = subprocess.Popen(self.argv, env=env, stdout=subprocess.DEVNULL,
                                   stderr=open(self.work / f"{self.name}-{tag}.log", "w"))
        return Run(self, process, launched_ms, stats, targets)


class Run:
    def __init__(self, program, process, launched_ms, stats, targets):
        self.program, self.process, self.launched_ms = program, process, launched_ms
        self.stats_path, self.targets_path = stats, targets

    def alive(self):
        return self.process.poll() is None

    def sleep_until(self, seconds_after_launch):
        delay = self.launched_ms / 1000.0 + seconds_after_launch - time.time()
        if delay > 0:
            time.sleep(delay)
        if not self.alive():
            raise RuntimeError(f"{self.program.name} exited early ({self.process.returncode}); "
                               f"see {self.program.work}/{self.program.name}-*.log")

    def targets_mtime_ms(self):
        """When the kiosk published its first screen's tap targets (after the first frame is presented)."""
        try:
            return self.targets_path.stat().st_mtime * 1000.0
        except FileNotFoundError:
            return None

    def screen(self):
        try:
            for line in self.targets_path.read_text().splitlines():
                if line.startswith("screen "):
                    return line.split()[1]
        except FileNotFoundError:
            pass
        return None

    def published(self):
        """The last tap-targets publication: {"seq", "screen", "locale", "targets": {name: (x, y) on the X screen}}."""
        result = {"seq": 0, "screen": None, "locale": None, "targets": {}}
        origin = (0.0, 0.0)
        try:
            lines = self.targets_path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return result
        for line in lines:
            fields = line.split(" ")
            if fields[0] == "seq":
                result["seq"] = int(fields[1])
            elif fields[0] in ("screen", "locale"):
                result[fields[0]] = fields[1]
            elif fields[0] == "window":
                origin = (float(fields[1]), float(fields[2]))
            elif fields[0] == "target" and len(fields) >= 4:
                result["targets"][fields[1]] = (origin[0] + float(fields[2]), origin[1] + float(fields[3]))
        return result

    def wait_for_screen(self, screen, after_seq=0, timeout=15.0):
        """Waits until the kiosk has presented `screen` (published after that frame is on the glass)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.program.name} exited while waiting for the {screen} screen")
            shown = self.published()
            if shown["screen"] == screen and shown["seq"] > after_seq:
                return shown
            time.sleep(0.02)
        raise RuntimeError(f"the {screen} screen did not appear within {timeout:g} s "
                           f"(showing: {self.published()['screen']}); see {self.program.work}")

    def stop(self):
        """SIGTERM (both exit cleanly and FrameStats writes its file), then the stats, or {} without them."""
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"{self.program.name} did not stop within 15 s of SIGTERM")
        try:
            stats = json.loads(self.stats_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}
        return stats if stats.get("frames") else {}


def idle_run(program, tag, xvfb, args):
    """Idle CPU on the first screen over --idle-seconds, VmRSS at --rss-after, then FrameStats."""
    run = program.launch(tag)
    settle = args.settle_seconds
    checkpoints = sorted({("rss", args.rss_after), ("start", settle), ("end", settle + args.idle_seconds)},
                         key=lambda item: item[1])
    marks = {}
    for what, at in checkpoints:
        run.sleep_until(at)
        marks[what] = (time.monotonic(), cpu_ticks(run.process.pid), cpu_ticks(xvfb.process.pid),
                       vm_rss_kb(run.process.pid))
    screen = run.screen()
    stats = run.stop()
    log_text = (program.work / f"{program.name}-{tag}.log").read_text(errors="replace")
    renderer = "software (chosen: OpenGL is a CPU rasteriser)" if "drawing with SDL's software renderer" in log_text \
        else program.env.get("SDL_RENDER_DRIVER") or "SDL default"
    (t0, own0, x0, _), (t1, own1, x1, _) = marks["start"], marks["end"]
    elapsed = t1 - t0
    result = {
        "idle_cpu_pct": 100.0 * (own1 - own0) / CLOCK_TICKS / elapsed,
        "xvfb_cpu_pct": 100.0 * (x1 - x0) / CLOCK_TICKS / elapsed,
        "vm_rss_kb": marks["rss"][3],
        "screen": screen,
        "frames": stats.get("frames"),
        "frame_p50_us": stats.get("frame_cpu_us", {}).get("p50"),
        "frame_p99_us": stats.get("frame_cpu_us", {}).get("p99"),
        "frame_max_us": stats.get("frame_cpu_us", {}).get("max"),
        "max_rss_kb": stats.get("max_rss_kb"),
        "renderer": renderer,
    }
    log(f"  {program.name:5} idle run {tag}: {result['idle_cpu_pct']:.2f}% CPU (Xvfb {result['xvfb_cpu_pct']:.2f}%), "
        f"frames {result['frames']}, p50 {result['frame_p50_us']} us, VmRSS {result['vm_rss_kb']} kB"
        + (f", screen {screen}" if screen else ""))
    return result


def start_run(program, tag, args):
    """Launch to first frame: FrameStats' first_frame_unix_ms minus the launch time (the kiosk's tap-targets
    file, written just after its first frame is presented, is the fallback while FrameStats is not wired in)."""
    run = program.launch(tag)
    run.sleep_until(args.start_wait)
    targets_ms = run.targets_mtime_ms()
    stats = run.stop()
    first = stats.get("first_frame_unix_ms")
    if first:
        return {"ms": first - run.launched_ms, "source": "FrameStats"}
    if targets_ms:
        return {"ms": targets_ms - run.launched_ms, "source": "tap targets file"}
    return {"ms": None, "source": "none"}


# [SECTION] Typing: UI CPU per tap on the comment screen's keyboard beside an FMOT question screen's.

# Typed key by key on the keyboard's unshifted layer (kiosk_ui/src/onscreen_keyboard.cpp): words, spaces, a comma
# and full stops, as a shopper writes; 80-odd code points, repeated as far as the taps go.
TYPING_TEXT = {
    "fa": "عسل خیلی خوبی است، هر هفته از این مغازه می خریم. شیشه محکم بود و قیمتش هم خوب است. ",
    "en": "lovely honey, not too sweet. we buy it every week and the jar is easy to open. ",
}
KEY_NAMES = {" ": "key_space", "،": "key_comma", ",": "key_comma", ".": "key_full_stop",
             "؟": "key_question_mark", "?": "key_question_mark"}
TYPING_DRIVERS = ["packaging", "price", "promotion", "brand", "label", "online_reviews", "recommendation", "habit"]
TYPING_SKU = "5206142000310"  # the honey: in the local catalog and in the saved hub configuration's shelf


def write_kiosk_config(path, db, languages, root, comment):
    """The kiosk's configuration as the benchmarks use it: every language, the demo assets, an unreachable hub."""
    quoted_languages = ", ".join(f'"{code}"' for code in languages)
    path.write_text(f"""# Written by bench/run_bench.py ({comment}); the hub is unreachable on purpose
[kiosk]
id = "k-bench"
store = "s-bench"
db = "{db}"
languages = [{quoted_languages}]
assets = "{root / 'assets'}"
idle_reset_seconds = 45
dpi = 96

[hub]
url = "http://127.0.0.1:9"
token = "bench-token"
""")


def write_saved_hub_config(db, root):
    """<db>.hub-config.json as the kiosk saves it after a sync (tests/kiosk_ui/kiosk_e2e_lib.sh writes the same):
    the local catalog's products, a receipt key, a review and an offer in each language, so the post-purchase
    screens are complete without a hub."""
    products = [{"sku": p["sku"], "names": p["names"], "image": os.path.basename(p.get("image", ""))}
                for p in json.loads((root / "assets" / "catalog" / "catalog.json").read_text(encoding="utf-8"))["products"]]
    reviews = [("en", 5, "Lovely honey, not too sweet. We buy it every week."),
               ("fa", 5, "عسل خیلی خوبی است، هر هفته می‌خریم."), ("ar", 4, "عسل لذيذ وطبيعي، أنصح به."),
               ("el", 5, "Πολύ καλή ποιότητα, το αγοράζουμε κάθε εβδομάδα."),
               ("tr", 4, "Çok lezzetli, her hafta alıyoruz.")]
    offers = [("en", "10% off your next jar"), ("fa", "۱۰٪ تخفیف برای خرید بعدی"),
              ("ar", "خصم ١٠٪ على مشترياتك القادمة"), ("el", "10% έκπτωση στην επόμενη αγορά"),
              ("tr", "Bir sonraki alışverişte %10 indirim")]
    document = {"format": 1, "catalog": {"products": products},
                "questions": {"drivers": TYPING_DRIVERS,
                              "why_not": ["price", "comparing", "not_needed", "other_brand", "no_information"]},
                "reviews": [{"sku": TYPING_SKU, "text": t, "rating": r, "locale": l} for l, r, t in reviews],
                "offers": [{"sku": p["sku"], "text": t, "locale": l} for p in products for l, t in offers],
                "receipt_key": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}
    Path(f"{db}.hub-config.json").write_text(
        json.dumps({"etag": "\"bench\"", "document": document}, ensure_ascii=False), encoding="utf-8")


def xdotool_tap(point, display, hold=0.0):
    """Moves the X pointer to `point`, presses, holds for `hold` seconds (a finger's tap lasts about a tenth of a
    second; 0 is a mouse click) and releases."""
    press = ["mousedown", "1", "sleep", f"{hold:g}", "mouseup", "1"] if hold > 0 else ["click", "1"]
    subprocess.run(["xdotool", "mousemove", str(round(point[0])), str(round(point[1])), *press], check=True,
                   env=dict(os.environ, DISPLAY=display))


class Navigator:
    """Taps through the kiosk's screens by their tap targets, as a shopper would, waiting for each screen."""

    def __init__(self, run):
        self.run = run
        self.shown = run.wait_for_screen("attract")

    def tap(self, target, then_screen):
        point = self.shown["targets"].get(target)
        if point is None:
            raise RuntimeError(f"no tap target {target!r} on the {self.shown['screen']} screen")
        xdotool_tap(point, self.run.program.env["DISPLAY"])
        self.shown = self.run.wait_for_screen(then_screen, self.shown["seq"])

    def to_product_grid(self, language):
        """A language tap on the attract screen starts the first-moment flow at the product grid, in it."""
        if self.shown["locale"] != language:
            self.tap(f"lang_{language}", "pick")
        else:
            self.tap("start", "pick")

    def to_drivers(self, language):
        self.to_product_grid(language)
        self.tap(f"product_{TYPING_SKU}", "reaction")
        self.tap("happy", "drivers")

    def to_comment(self, language):
        self.to_product_grid(language)  # "Already bought it?" is on the grid too, and keeps the language
        self.tap("post_purchase", "receipt")
        self.tap("skip", "purchase_pick")
        self.tap(f"product_{TYPING_SKU}", "rating")
        self.tap("star_4", "expectations")
        self.tap("skip", "recommend")
        self.tap("skip", "topics")
        self.tap("skip", "comment")


def typing_taps(phase, targets, count, language):
    """The targets to tap, in order: drivers toggled in turn, or the text typed key by key."""
    if phase == "drivers":
        names = [TYPING_DRIVERS[i % len(TYPING_DRIVERS)] for i in range(count)]
    else:
        text = TYPING_TEXT[language]
        names = [KEY_NAMES.get(c, f"key_{c}") for c in (text * (count // len(text) + 1))[:count]]
    missing = sorted({n for n in names if n not in targets})
    if missing:
        raise RuntimeError(f"the {phase} screen has no tap target(s) {', '.join(missing)}")
    return [targets[n] for n in names]


def typing_run(program, phase, tag, xvfb, args):
    """One launch: navigate to the phase's screen; then, unless `navigate_only`, tap at a fixed pace and count the
    UI thread's CPU, the process's and Xvfb's over the taps. FrameStats' frames and frame CPU come at exit."""
    navigate_only = tag.startswith("navigate")
    (program.work / "kiosk.db").unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        (program.work / f"kiosk.db{suffix}").unlink(missing_ok=True)
    run = program.launch(tag)
    try:
        navigator = Navigator(run)
        (navigator.to_drivers if phase == "drivers" else navigator.to_comment)(args.typing_language)
        points = typing_taps(phase, navigator.shown["targets"], args.typing_taps, args.typing_language)
        time.sleep(args.typing_settle)  # the screen's first frames, before the count starts
        if navigate_only:
            return {"frames": run.stop().get("frames")}
        pid = run.process.pid
        start = (time.monotonic(), thread_cpu_ns(pid), cpu_ticks(pid), cpu_ticks(xvfb.process.pid))
        interval = 1.0 / args.typing_rate
        late = 0
        for i, point in enumerate(points):
            delay = start[0] + i * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.05:
                late += 1  # more than 50 ms behind the pace: the machine is too busy for it
            xdotool_tap(point, xvfb.display, args.typing_hold)
        time.sleep(interval + args.typing_settle)  # the last tap's frames
        end = (time.monotonic(), thread_cpu_ns(pid), cpu_ticks(pid), cpu_ticks(xvfb.process.pid))
        screen = run.screen()
    except BaseException:
        if run.alive():
            run.process.kill()
            run.process.wait()
        raise
    stats = run.stop()
    taps = len(points)
    elapsed = end[0] - start[0]
    result = {
        "taps": taps,
        "seconds": elapsed,
        "taps_late": late,
        "screen_after": screen,
        "ui_us_per_tap": (end[1] - start[1]) / 1000.0 / taps,
        "process_us_per_tap": (end[2] - start[2]) / CLOCK_TICKS * 1e6 / taps,
        "xvfb_us_per_tap": (end[3] - start[3]) / CLOCK_TICKS * 1e6 / taps,
        "ui_cpu_pct": 100.0 * (end[1] - start[1]) / 1e9 / elapsed,
        "frames": stats.get("frames"),
        "frame_p50_us": stats.get("frame_cpu_us", {}).get("p50"),
        "frame_p99_us": stats.get("frame_cpu_us", {}).get("p99"),
        "frame_max_us": stats.get("frame_cpu_us", {}).get("max"),
    }
    log(f"  {phase:8} {tag}: UI {result['ui_us_per_tap']:.0f} µs/tap, process {result['process_us_per_tap']:.0f}, "
        f"Xvfb {result['xvfb_us_per_tap']:.0f}; {taps} taps in {elapsed:.1f} s ({late} late), {result['frames']} frames "
        f"in the launch, frame p50 {result['frame_p50_us']} µs, p99 {result['frame_p99_us']} µs; ends on {screen}")
    return result


def typing_benchmark(build, root, work, args):
    kiosk_bin = build / "cmd" / "truthpoint-kiosk" / "truthpoint-kiosk"
    if not kiosk_bin.exists():
        sys.exit(f"run_bench: {kiosk_bin} is missing; build it first (scripts/bench does)")
    if args.typing_language not in TYPING_TEXT:
        sys.exit(f"run_bench: --typing-language: one of {', '.join(TYPING_TEXT)}")
    if not 1 <= args.typing_taps <= 270:
        sys.exit("run_bench: --typing-taps: 1 to 270 (the comment holds 280 code points; past them keys type nothing)")
    typing_work = work / "typing"
    typing_work.mkdir(exist_ok=True)
    languages = [code for code in args.languages.split(",") if code]
    config = typing_work / "kiosk.toml"
    db = typing_work / "kiosk.db"
    write_kiosk_config(config, db, languages, root, "typing benchmark")
    write_saved_hub_config(db, root)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    xvfb = Xvfb(args.screen, typing_work)
    log(f"typing: Xvfb {args.screen} on {xvfb.display}; {args.typing_rounds} rounds of {args.typing_taps} taps at "
        f"{args.typing_rate:g}/s, each held {args.typing_hold:g} s, on the drivers and the comment screens, ABBA, in {args.typing_language}; "
        f"files in {typing_work}")
    phases = ["drivers", "comment"]
    runs = {phase: [] for phase in phases}
    navigation_frames = {}
    try:
        env = dict(os.environ, DISPLAY=xvfb.display)
        for variable in ("WAYLAND_DISPLAY", "SDL_RENDER_DRIVER", "SDL_FRAMEBUFFER_ACCELERATION"):
            env.pop(variable, None)  # the kiosk as a user starts it
        program = Program("kiosk", [str(kiosk_bin), "run", "--config", str(config)], env, typing_work)
        # Unmeasured warm-up launches that only navigate: they warm the caches and count the frames a launch
        # draws before its taps (subtracted from FrameStats' count to give frames per tap).
        for phase in phases:
            navigation_frames[phase] = typing_run(program, phase, f"navigate-{phase}", xvfb, args)["frames"]
        log(f"  frames before the taps: {navigation_frames}")
        for i in range(args.typing_rounds):
            for phase in (phases if i % 2 == 0 else phases[::-1]):
                runs[phase].append(typing_run(program, phase, f"{phase}{i}", xvfb, args))
    finally:
        xvfb.stop()
    for phase in phases:
        for r in runs[phase]:
            frames = r["frames"]
            r["frames_per_tap"] = (frames - (navigation_frames[phase] or 0)) / r["taps"] if frames else None
    keys = ["ui_us_per_tap", "process_us_per_tap", "xvfb_us_per_tap", "ui_cpu_pct", "frames_per_tap", "frame_p50_us",
            "frame_p99_us"]
    summary = {phase: {key: median([r[key] for r in runs[phase]]) for key in keys} for phase in phases}
    for phase in phases:
        summary[phase]["ranges"] = {key: [min(r[key] for r in runs[phase] if r[key] is not None),
                                          max(r[key] for r in runs[phase] if r[key] is not None)]
                                    for key in keys if any(r[key] is not None for r in runs[phase])}
    # Each comment run beside the drivers run next to it in the rotation (ABBA: pairs within a round).
    pair_ratios = [c["ui_us_per_tap"] / d["ui_us_per_tap"] for d, c in zip(runs["drivers"], runs["comment"])]
    return {"runs": runs, "summary": summary, "navigation_frames": navigation_frames, "pair_ratios": pair_ratios,
            "taps": args.typing_taps, "rate": args.typing_rate, "hold": args.typing_hold, "rounds": args.typing_rounds,
            "language": args.typing_language, "screen": args.screen,
            "load_before": load_before, "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def summarise_typing(typing, context):
    """Frame CPU while typing: the comment screen beside the FMOT drivers screen, same run."""
    d, c = typing["summary"]["drivers"], typing["summary"]["comment"]

    def spread(figures, key, digits):
        lo, hi = figures["ranges"].get(key, [None, None])
        return f"{fmt(figures[key], digits)} ({fmt(lo, digits)}–{fmt(hi, digits)})"

    rows = []

    def row(name, key, digits, goal=None, note=""):
        r = ratio(c[key], d[key])
        ratio_digits = 3 if r is not None and goal is not None and abs(r - goal) < 0.005 else 2
        rows.append([name, spread(c, key, digits), spread(d, key, digits), fmt(r, ratio_digits, "×"),
                     f"≤ {goal:g}×" if goal else "", verdict(r, goal) if goal else "", note])

    row("UI thread CPU per tap, µs", "ui_us_per_tap", 0, GOALS["typing_ratio"],
        f"/proc/PID/task/PID/schedstat over {typing['taps']} taps at {typing['rate']:g}/s, each held "
        f"{typing.get('hold', 0) * 1000:g} ms; pairs "
        + ", ".join(f"{x:.2f}" for x in typing["pair_ratios"]))
    row("whole process CPU per tap, µs", "process_us_per_tap", 0, note="utime+stime of every thread (10 ms ticks)")
    row("Xvfb CPU per tap, µs", "xvfb_us_per_tap", 0, note="the X server's share of presenting")
    row("frames per tap", "frames_per_tap", 2, note="FrameStats' count less a launch that only navigated there "
        f"({typing['navigation_frames']['comment']} / {typing['navigation_frames']['drivers']} frames)")
    row("frame CPU p50, µs", "frame_p50_us", 0, note="FrameStats, every frame of the launch (mostly the taps')")
    row("frame CPU p99, µs", "frame_p99_us", 0)
    header = ["measure", "comment screen, typing", "drivers screen, toggling", "ratio", "goal", "goal met?", "how"]
    lines = [
        f"Run {context['date']} on commit {context['commit']}; {context['cpu']} × {context['cpus']}; "
        f"load average {typing['load_before']} before, {typing['load_after']} after. Medians (min–max) of "
        f"{typing['rounds']} launches each, alternated ABBA, the kiosk in {typing['language']} on Xvfb {typing['screen']}.",
        f"Command: {context['command']}",
        "",
    ]
    return "\n".join(lines + markdown_table(header, rows))


def git_describe(root):
    def git(*argv):
        return subprocess.run(["git", "-C", str(root), *argv], capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return commit + (" (+ uncommitted changes)" if dirty else "")


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(value, digits=1, suffix=""):
    return "n/a" if value is None else f"{value:.{digits}f}{suffix}"


def verdict(value, goal):
    if value is None:
        return "not measured"
    return "met" if value <= goal else "MISSED"


def summarise(window, tap, context):
    rows = []
    k, b = window["kiosk"], window["bare"]

    def row(name, kiosk, bare, unit, digits, ratio_goal=None, absolute_goal=None, note="", paired=None):
        # `paired`: the ratio taken within each run (median and range over runs) instead of the medians' ratio.
        r = paired["median"] if paired else ratio(kiosk, bare)
        if absolute_goal is not None:
            goal, met = f"≤ {absolute_goal:g} {unit}", verdict(kiosk, absolute_goal)
        elif ratio_goal is not None:
            goal, met = f"≤ {ratio_goal:g}×", verdict(r, ratio_goal)
        else:
            goal, met = "", ""
        goal_ratio = ratio_goal if ratio_goal is not None else None
        # Two decimals, or three when two would round a miss into a "1.20×" that looks met.
        ratio_digits = 3 if r is not None and goal_ratio is not None and abs(r - goal_ratio) < 0.005 else 2
        ratio_text = fmt(r, ratio_digits, "×")
        if paired and len(paired["all"]) > 1:
            ratio_text += f" ({paired['min']:.2f}–{paired['max']:.2f})"
        rows.append([name, fmt(kiosk, digits), fmt(bare, digits), ratio_text, goal, met, note])

    if window.get("idle_runs"):  # else only tap → committed ran
        row("idle CPU, % of one core", k["idle_cpu_pct"], b["idle_cpu_pct"], "%", 2, absolute_goal=GOALS["idle_cpu_pct"],
            note=f"{window['idle_seconds']:g} s on the attract screen, median of {window['idle_runs']} runs")
        row("Xvfb CPU meanwhile, %", k["xvfb_cpu_pct"], b["xvfb_cpu_pct"], "%", 2,
            note="the X server's share of presenting")
        row("frame CPU p50, µs", k["frame_p50_us"], b["frame_p50_us"], "µs", 0, ratio_goal=GOALS["frame_ratio"],
            note="UI thread CPU per frame, attract pulse")
        row("frame CPU p99, µs", k["frame_p99_us"], b["frame_p99_us"], "µs", 0, ratio_goal=GOALS["frame_ratio"])
        row("launch → first frame, ms", k["start_ms"], b["start_ms"], "ms", 0,
            note=f"median of {window['starts']} warm-cache launches ({k['start_source']})")
        row("max RSS, MB", mb(k["max_rss_kb"]), mb(b["max_rss_kb"]), "MB", 1, ratio_goal=GOALS["rss_ratio"],
            note="getrusage at exit")
        row(f"VmRSS after {window['rss_after']} s, MB", mb(k["vm_rss_kb"]), mb(b["vm_rss_kb"]), "MB", 1,
            ratio_goal=GOALS["rss_ratio"])
    if tap:
        rec, bare = tap["recorder_us"], tap["bare_commit_us"]
        ratios = tap.get("ratios", {})
        runs = len(tap.get("runs", [])) or 1
        note = (f"{tap['samples']} interleaved samples each, {tap['filesystem']}; medians of {runs} runs, "
                f"ratios within each run (range)")
        row("tap → committed p50, ms", rec["p50"] / 1000, bare["p50"] / 1000, "ms", 3, note=note,
            paired=ratios.get("recorder_p50_vs_bare"))
        row("tap → committed p99, ms", rec["p99"] / 1000, bare["p99"] / 1000, "ms", 3,
            ratio_goal=GOALS["tap_p99_ratio"], note="EventRecorder record() → take_results() of an fmot.reaction",
            paired=ratios.get("recorder_p99_vs_bare"))
        lap = tap["ledger_append_us"]
        row("  Ledger::append p50 / p99, ms", lap["p50"] / 1000, bare["p50"] / 1000, "ms", 3,
            note=f"same thread, no hop (p99 {lap['p99'] / 1000:.3f} vs {bare['p99'] / 1000:.3f})")
        # The post-purchase answers beside the fmot.reaction: same recorder, same runs, interleaved.
        for kind, how in [("smot.feedback", "a rating with a receipt_hash"),
                          ("smot.comment", f"{tap.get('comment_code_points', '?')} code points of Persian "
                                           f"({tap.get('comment_payload_bytes', '?')} B), scrubbed at the tap "
                                           f"(scrub_comment p50 {tap.get('scrub_us', {}).get('p50', 0) / 1000:.3f} ms)")]:
            answer = tap.get("answers_us", {}).get(kind)
            if not answer:
                continue
            p50 = ratios.get(f"{kind}_p50_vs_fmot")
            bare_p99 = ratios.get(f"{kind}_p99_vs_bare")
            row(f"{kind} → committed p99, ms (baseline: fmot.reaction's)", answer["p99"] / 1000, rec["p99"] / 1000,
                "ms", 3, ratio_goal=GOALS["answer_p99_ratio"], paired=ratios.get(f"{kind}_p99_vs_fmot"),
                note=f"{how}; p50 {answer['p50'] / 1000:.3f} vs {rec['p50'] / 1000:.3f} ms"
                     + (f" ({p50['median']:.2f}×, {p50['min']:.2f}–{p50['max']:.2f})" if p50 else "")
                     + (f"; p99 ÷ bare commit's {bare_p99['median']:.2f}×" if bare_p99 else ""))
    header = ["measure", "kiosk", "baseline", "ratio", "goal", "goal met?", "how"]
    lines = [
        f"Run {context['date']} on commit {context['commit']}; {context['cpu']} × {context['cpus']}; "
        f"load average {context['load_before']} before, {context['load_after']} after.",
        f"Command: {context['command']}",
        "",
    ]
    return "\n".join(lines + markdown_table(header, rows))


def markdown_table(header, rows):
    """The lines of a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def summarise_parent(window):
    """This commit's kiosk beside another commit's (as a user starts it, and on the software renderer as its
    own benchmark ran it), each frame and RSS figure as a ratio to the same bare window's runs."""
    k, p, s, b = window["kiosk"], window["parent"], window["parent_sw"], window["bare"]
    rows = []

    def row(name, mine, theirs, theirs_sw, digits):
        rows.append([name, fmt(mine, digits), fmt(theirs, digits), fmt(ratio(mine, theirs), 2, "×"),
                     fmt(theirs_sw, digits), fmt(ratio(mine, theirs_sw), 2, "×")])

    def over_bare(program, key):
        return ratio(program[key], b[key])

    row("idle CPU, % of one core", k["idle_cpu_pct"], p["idle_cpu_pct"], s["idle_cpu_pct"], 2)
    for key, name in [("frame_p50_us", "frame CPU p50 ÷ bare"), ("frame_p99_us", "frame CPU p99 ÷ bare"),
                      ("max_rss_kb", "max RSS ÷ bare"), ("vm_rss_kb", f"VmRSS after {window['rss_after']} s ÷ bare")]:
        row(name, over_bare(k, key), over_bare(p, key), over_bare(s, key), 2)
    row("max RSS, MB", mb(k["max_rss_kb"]), mb(p["max_rss_kb"]), mb(s["max_rss_kb"]), 1)
    row("launch → first frame, ms", k["start_ms"], p["start_ms"], s["start_ms"], 0)
    renderers = window.get("renderers", {})
    header = ["measure", "this commit", "other commit", "this ÷ that", "other, SDL_RENDER_DRIVER=software",
              "this ÷ that"]
    lines = [f"Other commit: {window['parent_kiosk']}. Renderers: this commit "
             f"{', '.join(renderers.get('kiosk', [])) or 'n/a'}; the other {', '.join(renderers.get('parent', [])) or 'n/a'}.",
             "Frame CPU is the UI thread's: with OpenGL on llvmpipe most drawing is on Mesa's threads, so compare"
             " idle CPU (every thread) across renderers, and frame CPU only between like renderers.", "",
             "| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def at_least(value, goal):
    if value is None:
        return "not measured"
    return "met" if value >= goal else "MISSED"


def summarise_sync(sync, hub, context):
    """The sync and hub table: Truthpoint beside its same-run baseline, with the goals of issues 4 and 5."""
    header = ["measure", "Truthpoint", "baseline", "ratio", "goal", "goal met?", "how"]
    rows = []
    if sync:
        runs = sync["rounds"]
        rows.append(["kiosk drain, events/s", fmt(sync["drain_events_per_s"], 0),
                     fmt(sync["ingest_events_per_s"], 0), fmt(sync["drain_ratio"], 2, "×"), "≥ 0.5×",
                     at_least(sync["drain_ratio"], GOALS["drain_ratio"]),
                     f"{sync['events']:,} pending → push_pending (1 connection) vs pre-built 500-event gzip batches "
                     f"from {sync['clients']} clients; fresh hub each; median of {runs}"])
        rows.append(["  beside 1-client ingest, events/s", fmt(sync["drain_events_per_s"], 0),
                     fmt(sync["ingest1_events_per_s"], 0),
                     fmt(ratio(sync["drain_events_per_s"], sync["ingest1_events_per_s"]), 2, "×"), "", "",
                     "the same bodies, one connection, one at a time"])
        rows.append(["wire bytes/event (gzip 6)", fmt(sync["wire_bytes_per_event"], 1), "", "", "≤ 60",
                     verdict(sync["wire_bytes_per_event"], GOALS["wire_bytes"]),
                     f"SyncReport::wire_bytes / events; JSON {sync['json_bytes_per_event']:.0f} B/event, "
                     f"gzip 9 {sync['gzip9_bytes_per_event']:.1f} B/event"])
    if hub:
        runs = hub["rounds"]
        rows.append(["hub ingest over HTTP, events/s", fmt(hub["http_events_per_s"], 0), fmt(hub["bare_rows_per_s"], 0),
                     fmt(hub["http_ratio"], 2, "×"), "≥ 0.5×", at_least(hub["http_ratio"], GOALS["ingest_ratio"]),
                     f"{hub['events']:,} events in batches of 500 from {hub['clients']} clients vs bare SQLite "
                     f"(same rows, WAL, synchronous=FULL, 500 rows/transaction); median of {runs}"])
        rows.append(["  Store::store_events, events/s", fmt(hub["store_events_per_s"], 0),
                     fmt(hub["bare_rows_per_s"], 0), fmt(hub["store_ratio"], 2, "×"), "", "",
                     "the hub's storage alone: no HTTP, no JSON, events pre-decoded and hashed"])
        if "store_counted_events_per_s" in hub:
            rows.append(["  stored and counted into the rollups, events/s", fmt(hub["store_counted_events_per_s"], 0),
                         fmt(hub["bare_rows_per_s"], 0),
                         fmt(hub["store_counted_events_per_s"] / hub["bare_rows_per_s"], 2, "×"), "", "",
                         "Store::store_events, then Store::catch_up_rollups (the rollup worker's fold) until done"])
        rows.append([f"{hub['kiosks']:,} kiosks at once: batch p50, ms", fmt(hub["burst_p50_ms"], 1), "", "", "", "",
                     f"one batch of 20–50 events per kiosk, {hub['connections']} client connections"
                     + (" (kept open)" if hub["linger"] else " (closed after each)")])
        rows.append([f"{hub['kiosks']:,} kiosks at once: batch p99, ms", fmt(hub["burst_p99_ms"], 1), "", "", "≤ 50 ms",
                     verdict(hub["burst_p99_ms"], GOALS["burst_p99_ms"]),
                     f"all {hub['burst_events']:,} events in {hub['burst_seconds']:.2f} s; median of bursts"])
        if "burst_cpu_ms_per_batch" in hub:
            cpu = hub["burst_cpu_ms_per_batch"]
            rows.append(["  CPU per batch in the burst, ms", fmt(cpu["hub"] + cpu["kiosks"], 2), "", "", "", "",
                         f"hub {cpu['hub']:.2f} (its ingest writer {cpu['writer']:.2f}, which also waited "
                         f"{hub['burst_writer_waiting_ms']:.0f} ms for a CPU), simulated kiosks {cpu['kiosks']:.2f}; "
                         f"{hub['cores']:.0f} cores"])
            rows.append(["  Little's-law floor on the mean latency, ms", fmt(hub["burst_floor_cpu_ms"], 1), "", "",
                         "", "",
                         f"{hub['connections']} in flight × CPU per batch ÷ cores; the writer alone: "
                         f"{hub['burst_floor_writer_ms']:.1f} ms ({hub['connections']} × its CPU per batch)"])
        rows.append(["hub RSS peak (VmHWM), MB", fmt(mb(hub["hub_peak_rss_kb"]), 1), "", "", "", "",
                     f"truthpoint-hub serve, separate process; {mb(hub['hub_rss_before_kb']):.1f} MB before the burst"])
        if "steady_p99_ms" in hub:
            lo, hi = hub["steady_interval_s"]
            rows.append([f"{hub['kiosks']:,} kiosks syncing every {lo:g}–{hi:g} s: batch p50, ms",
                         fmt(hub["steady_p50_ms"], 1), "", "", "", "",
                         f"each kiosk on its own keep-alive connection (as HubClient), a batch of 20–50 events every "
                         f"{lo:g}–{hi:g} s (uniform jitter) for {hub['steady_seconds']:g} s; "
                         f"{hub['steady_batches']:,.0f} batches, {hub['steady_connections_opened']:,.0f} connections "
                         f"opened; median of rounds"])
            rows.append([f"{hub['kiosks']:,} kiosks syncing every {lo:g}–{hi:g} s: batch p99, ms",
                         fmt(hub["steady_p99_ms"], 1), "", "", "≤ 50 ms",
                         verdict(hub["steady_p99_ms"], GOALS["burst_p99_ms"]),
                         f"runs {', '.join(f'{x:.1f}' for x in hub['steady_p99_runs'])}; client lag p99 "
                         f"{hub['steady_client_lag_p99_ms']:.1f} ms"])
            rows.append(["  hub RSS then (VmHWM), MB", fmt(mb(hub["steady_hub_peak_rss_kb"]), 1), "", "", "", "",
                         f"{hub['steady_hub_threads']:.0f} hub threads at the end (one per open connection)"])
    lines = [
        f"Run {context['date']} on commit {context['commit']}; {context['cpu']} × {context['cpus']}; "
        f"load average {context['load_before']} before, {context['load_after']} after; "
        f"files on {(sync or hub)['filesystem'].split()[0]} ({(sync or hub)['filesystem'].split()[1]}).",
        f"Command: {context['command']}",
        "",
    ]
    return "\n".join(lines + markdown_table(header, rows))


def summarise_outage(outage, baseline, context):
    """Back on line after an outage: this build beside the baseline build, with the goals."""
    header = ["measure", "this build", "baseline", "goal", "goal met?", "how"]
    base = baseline or {}

    def value(result, key, digits=1):
        return fmt(result.get(key), digits) if result else "n/a"

    def span(result):
        return f"{result['recovery_min_s']:.1f}–{result['recovery_max_s']:.1f}" if result else "n/a"

    jitter = outage.get("outage_jitter_s", 0)
    lengths = ", ".join(f"{x:g}" + (f"–{x + jitter:g}" if jitter else "") for x in outage["outages"])
    rows = [
        ["hub back → nothing pending, median s", value(outage, "recovery_median_s"), value(base, "recovery_median_s"),
         "≤ 5 s", verdict(outage["recovery_median_s"], GOALS["outage_median_s"]),
         f"{outage['trials']} trials, outages of {lengths} s (503, Retry-After: {outage['retry_after']}), "
         f"a backlog of {outage['backlog']:,} events, default BackgroundSyncOptions"],
        ["  min–max, s", span(outage), span(baseline), "max ≤ 15 s",
         verdict(outage["recovery_max_s"], GOALS["outage_max_s"]), "from the proxy forwarding again"],
        ["requests/s during the outage, median", value(outage, "requests_per_s_median", 2),
         value(base, "requests_per_s_median", 2), "≤ 0.5", verdict(outage["requests_per_s_median"],
                                                                   GOALS["outage_requests_per_s"]),
         f"max {outage['requests_per_s_max']:.2f}; pushes into the outage per trial: "
         f"{', '.join(str(p) for p in outage['pushes_during_outage'])}"
         + (f" (baseline: {', '.join(str(p) for p in base['pushes_during_outage'])})" if baseline else "")],
    ]
    for length, figures in sorted(outage["by_outage"].items(), key=lambda item: float(item[0])):
        old = (base.get("by_outage") or {}).get(length)
        rows.append([f"  outage {float(length):g}" + (f"–{float(length) + jitter:g}" if jitter else "") +
                     " s: median (min–max), s",
                     f"{figures['median_s']:.1f} ({figures['min_s']:.1f}–{figures['max_s']:.1f})",
                     f"{old['median_s']:.1f} ({old['min_s']:.1f}–{old['max_s']:.1f})" if old else "n/a", "", "",
                     f"{figures['n']} trials"])
    lines = [
        f"Run {context['date']} on commit {context['commit']}; {context['cpu']} × {context['cpus']}; "
        f"load average {outage['load_before']} before, {outage['load_after']} after"
        + (f" (baseline: {base['load_before']} before, {base['load_after']} after)" if baseline else "") + ".",
        f"Command: {context['command']}",
        "",
    ]
    return "\n".join(lines + markdown_table(header, rows))


def summarise_soci(soci, context):
    """Seam or SOCI (issue 12): events/s per engine and way, medians and ranges over rounds, SOCI over ours paired
    within each round; CPU per event of the benchmark's process; the load average while it ran."""
    ways = {"hub": "the hub: Store::store_batches", "ours": "our primitives (core::sqlite / libpq), INSERT only",
            "soci": "SOCI 4.0, use(vector) bulk, INSERT only", "bare": "SQLite's C API alone, INSERT only"}
    runs = soci["runs"]
    rows = []
    for engine in sorted({run["engine"] for run in runs}, key=lambda e: e != "sqlite"):
        def series(way, key):
            return [run[key] for run in runs if run["engine"] == engine and run["way"] == way]
        for way, label in ways.items():
            rates = series(way, "events_per_s")
            if not rates:
                continue  # `bare` runs on SQLite only
            cpu = series(way, "cpu_us_per_event")
            rows.append([engine, label, f"{median(rates):,.0f}", f"{min(rates):,.0f}–{max(rates):,.0f}",
                         fmt(median(cpu), 1)])
        paired = [s / o for s, o in zip(series("soci", "events_per_s"), series("ours", "events_per_s"))]
        versus_hub = [s / h for s, h in zip(series("soci", "events_per_s"), series("hub", "events_per_s"))]
        rows.append([engine, "**SOCI / ours** (SOCI / hub)", f"**{median(paired):.2f}×** ({median(versus_hub):.2f}×)",
                     f"{min(paired):.2f}–{max(paired):.2f}×", ""])
    loads = [run["load1"] for run in runs]
    header = (f"Seam or SOCI — {context['date']}, {context['commit']}, {context['cpus']} CPUs; "
              f"{soci['events']:,} events per way in batches of {soci['batch']}, {soci['group']} batches per "
              f"transaction, {soci['rounds']} rounds, ways rotated; SOCI {soci['soci_version']}; 1-min load average "
              f"{min(loads):.1f}–{max(loads):.1f} during the run (before {context['load_before']}, after "
              f"{context['load_after']})\n`{context['command']}`\n\n")
    return header + "\n".join(markdown_table(["engine", "way", "events/s (median)", "range", "CPU µs/event"], rows))


def summarise_dashboard(dashboard, context):
    """One row per view and filter: p50 / p95 per engine, against the issue's p95 ≤ 100 ms."""
    engines = list(dashboard["engines"])
    lines = [f"Dashboard views: {dashboard['events']:,} events asked of {dashboard['stores']} stores over "
             f"{dashboard['days']} days ({context.get('commit', '')})", ""]
    for engine in engines:
        figures = dashboard["engines"][engine]
        lines.append(f"- {engine}: {figures['loaded_events']:,} events stored through Store::store_batches and "
                     f"counted by Store::catch_up_rollups at {figures['ingest_events_per_s']:,.0f} events/s "
                     f"({figures['store_seconds']:.0f} s storing, {figures.get('fold_seconds', 0):.0f} s counting; "
                     f"{figures['wall_seconds']:.0f} s wall with the generation)")
    lines.append("")
    header = ["view", "filter"] + [f"{engine} p50 / p95 ms" for engine in engines] + ["goal p95 ≤ 100 ms"]
    rows = []
    views = dashboard["engines"][engines[0]]["views"] if engines else {}
    for view in views:
        per_engine = [dashboard["engines"][engine]["views"].get(view) for engine in engines]
        if all(figures is None for figures in per_engine):
            rows.append([view, "skipped: GET /api/v1/dashboard/" + view + " answered 404"] + ["-"] * len(engines) + ["-"])
            continue
        filters = next(figures for figures in per_engine if figures is not None)
        for name in filters:
            cells, worst = [], 0.0
            for figures in per_engine:
                one = figures.get(name) if figures else None
                if one is None:
                    cells.append("-")
                    continue
                bad = "" if one["status"] == 200 else f" (HTTP {one['status']})"
                cells.append(f"{one['p50_ms']:.1f} / {one['p95_ms']:.1f}{bad}")
                worst = max(worst, one["p95_ms"])
            rows.append([view, name] + cells + ["met" if worst <= 100 else "**missed**"])
    return "\n".join(lines + markdown_table(header, rows))


def mb(kb):
    return None if kb is None else kb / 1024.0


def aggregate_tap(runs):
    """bench_tap_commit's figures over several runs: each series' percentiles as medians over the runs, and the
    ratios that matter computed within each run (both series saw the same minutes), as medians and ranges."""
    def series(get):
        return {key: median([get(run)[key] for run in runs]) for key in ("p50", "p90", "p99", "max", "mean")}

    result = {key: runs[0][key] for key in ("samples", "filesystem", "dir", "comment_code_points",
                                            "comment_payload_bytes") if key in runs[0]}
    result["runs"] = runs
    for key in ("recorder_us", "ledger_append_us", "bare_commit_us", "scrub_us"):
        if key in runs[0]:
            result[key] = series(lambda run, key=key: run[key])
    result["answers_us"] = {kind: series(lambda run, kind=kind: run["answers_us"][kind])
                            for kind in runs[0].get("answers_us", {})}

    def paired(numerator, denominator):
        values = [numerator(run) / denominator(run) for run in runs]
        return {"median": median(values), "min": min(values), "max": max(values), "all": values}

    result["ratios"] = {
        "recorder_p99_vs_bare": paired(lambda r: r["recorder_us"]["p99"], lambda r: r["bare_commit_us"]["p99"]),
        "recorder_p50_vs_bare": paired(lambda r: r["recorder_us"]["p50"], lambda r: r["bare_commit_us"]["p50"]),
    }
    for kind in result["answers_us"]:
        for pct in ("p50", "p99"):
            result["ratios"][f"{kind}_{pct}_vs_fmot"] = paired(lambda r, k=kind, p=pct: r["answers_us"][k][p],
                                                               lambda r, p=pct: r["recorder_us"][p])
        result["ratios"][f"{kind}_p99_vs_bare"] = paired(lambda r, k=kind: r["answers_us"][k]["p99"],
                                                         lambda r: r["bare_commit_us"]["p99"])
    return result


def aggregate(runs, starts):
    keys = ["idle_cpu_pct", "xvfb_cpu_pct", "vm_rss_kb", "frame_p50_us", "frame_p99_us", "max_rss_kb"]
    result = {key: median([r[key] for r in runs]) for key in keys}
    result["frames_per_run"] = [r["frames"] for r in runs]
    result["start_ms"] = median([s["ms"] for s in starts])
    result["start_ms_all"] = [None if s["ms"] is None else round(s["ms"]) for s in starts]
    result["start_source"] = ", ".join(sorted({s["source"] for s in starts}))
    result["screens"] = sorted({r["screen"] for r in runs if r["screen"]})
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", type=Path, required=True)
    parser.add_argument("--idle-seconds", type=float, default=60.0, help="idle CPU window per run (default 60)")
    parser.add_argument("--idle-runs", type=int, default=2, help="idle runs per program, alternated ABBA (default 2)")
    parser.add_argument("--starts", type=int, default=7, help="launches per program for start-up time (default 7)")
    parser.add_argument("--start-wait", type=float, default=3.0, help="seconds each launch runs (default 3)")
    parser.add_argument("--settle-seconds", type=float, default=3.0, help="after launch, before idle CPU counts")
    parser.add_argument("--rss-after", type=float, default=10.0, help="VmRSS is read this long after launch")
    parser.add_argument("--screen", default="1920x1080")
    parser.add_argument("--languages", default="en,fa,ar,el,tr", help="the kiosk's languages, and the baseline's "
                        "glyph set (default: all five)")
    parser.add_argument("--bare-render-driver", default="software",
                        help="SDL_RENDER_DRIVER for the bare window only (default software); the kiosk gets none")
    parser.add_argument("--parent-kiosk", type=Path,
                        help="another commit's truthpoint-kiosk, measured in the same rotation (e.g. the parent's)")
    parser.add_argument("--tap-samples", type=int, default=2000)
    parser.add_argument("--tap-runs", type=int, default=5,
                        help="runs of bench_tap_commit; figures are medians over them, ratios paired within a run "
                             "(default 5: one run's p99 swings 2x on a shared disk)")
    parser.add_argument("--tap-dir", type=Path, help="where the tap benchmark's SQLite files go (default: build dir)")
    parser.add_argument("--typing-taps", type=int, default=200,
                        help="typing: taps per launch on each screen, at most 270 (default 200)")
    parser.add_argument("--typing-rounds", type=int, default=3,
                        help="typing: launches per screen, alternated ABBA (default 3)")
    parser.add_argument("--typing-rate", type=float, default=4.0, help="typing: taps per second (default 4)")
    parser.add_argument("--typing-hold", type=float, default=0.08,
                        help="typing: seconds each tap holds the pointer down, as a finger does (default 0.08; "
                             "0 clicks)")
    parser.add_argument("--typing-language", default="fa", help="typing: the shopper's language (default fa)")
    parser.add_argument("--typing-settle", type=float, default=1.0,
                        help="typing: seconds on the screen before the taps, and after the last (default 1)")
    parser.add_argument("--skip-window", action="store_true")
    parser.add_argument("--skip-tap", action="store_true")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)} (default: all), or the "
                        f"opt-in {','.join(OPT_IN)}")
    parser.add_argument("--sync-events", type=int, default=100000, help="backlog size for the drain (default 100000)")
    parser.add_argument("--sync-rounds", type=int, default=3, help="alternated rounds of drain and ingest (default 3)")
    parser.add_argument("--ingest-clients", type=int, default=4,
                        help="HTTP clients posting pre-built batches for the hub's ingest rate (default 4)")
    parser.add_argument("--hub-events", type=int, default=50000, help="events per hub ingest series (default 50000)")
    parser.add_argument("--hub-rounds", type=int, default=3, help="rounds of HTTP / Store / bare (default 3)")
    parser.add_argument("--soci-events", type=int, default=40000, help="soci: events per way and round (default 40000)")
    parser.add_argument("--soci-rounds", type=int, default=7, help="soci: rounds, the ways rotated in each (default 7)")
    parser.add_argument("--soci-group", type=int, default=8,
                        help="soci: batches of 500 per transaction, as the hub's group commit (default 8)")
    parser.add_argument("--dashboard-events", type=int, default=10_000_000,
                        help="dashboard: events of the chain's year (default 10000000)")
    parser.add_argument("--dashboard-stores", type=int, default=200, help="dashboard: stores (default 200)")
    parser.add_argument("--dashboard-engines", default="sqlite,postgresql", help="dashboard: engines (default both)")
    parser.add_argument("--dashboard-samples", type=int, default=20,
                        help="dashboard: requests per view and filter (default 20)")
    parser.add_argument("--kiosks", type=int, default=1000, help="kiosks syncing at once (default 1000)")
    parser.add_argument("--slow-connections", type=int, default=2100,
                        help="slow: connections an attacker holds open while a kiosk syncs (default 2100)")
    parser.add_argument("--slow-addresses", default="1,8",
                        help="slow: the attacker's loopback addresses, one run per count (default 1,8)")
    parser.add_argument("--connections", type=int, default=100,
                        help="client threads the kiosks are spread over in the burst (default 100)")
    parser.add_argument("--burst-rounds", type=int, default=3, help="bursts, each on a fresh hub (default 3)")
    parser.add_argument("--steady-seconds", type=float, default=12,
                        help="kiosks syncing every few seconds on keep-alive connections: for how long (default 12)")
    parser.add_argument("--steady-rounds", type=int, default=2,
                        help="rounds of the every-few-seconds scenario, each on a fresh hub (default 2; 0 skips it)")
    parser.add_argument("--linger", action="store_true",
                        help="burst: keep each kiosk's connection open after its batch, as a live HubClient does")
    parser.add_argument("--sync-dir", type=Path, help="where the sync and hub benchmarks' files go "
                        "(default: build dir; keep it on disk, not tmpfs)")
    parser.add_argument("--outage-trials", type=int, default=15, help="outage trials (default 15)")
    parser.add_argument("--outage-seconds", default="10",
                        help="outage lengths in seconds, comma-separated, cycled over the trials (default 10)")
    parser.add_argument("--outage-jitter", type=float, default=5.0,
                        help="each outage lasts its length plus up to this many seconds, at random (default 5)")
    parser.add_argument("--outage-backlog", type=int, default=2000, help="events pending at each outage (default 2000)")
    parser.add_argument("--outage-retry-after", type=int, default=5,
                        help="Retry-After sent with the 503s (default 5, the hub's own while its database is down)")
    parser.add_argument("--outage-baseline", type=Path,
                        help="a bench_sync_outage built at another commit, run after this build's, same settings")
    parser.add_argument("--markdown", type=Path, help="also write the summary table here")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()

    build = args.build_dir.resolve()
    root = Path(__file__).resolve().parent.parent
    work = build / "bench-work"
    work.mkdir(parents=True, exist_ok=True)
    context = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_describe(root),
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "command": " ".join(["scripts/bench", *(sys.argv[3:] if sys.argv[1:2] == ["--build-dir"] else sys.argv[1:])]),
    }
    results = {"context": context}
    chosen = set(BENCHMARKS)
    if args.only:
        chosen = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = chosen - set(BENCHMARKS) - set(OPT_IN)
        if unknown:
            sys.exit(f"run_bench: --only: unknown benchmark(s) {', '.join(sorted(unknown))}; "
                     f"choose from {','.join(BENCHMARKS + OPT_IN)}")
    if args.skip_window:
        chosen.discard("window")
    if args.skip_tap:
        chosen.discard("tap")

    window = None
    if "window" in chosen:
        kiosk_bin = build / "cmd" / "truthpoint-kiosk" / "truthpoint-kiosk"
        bare_bin = build / "bench" / "bench_bare_window"
        for binary in (kiosk_bin, bare_bin):
            if not binary.exists():
                sys.exit(f"run_bench: {binary} is missing; build it first (scripts/bench does)")
        languages = [code for code in args.languages.split(",") if code]
        config = work / "kiosk.toml"
        (work / "kiosk.db").unlink(missing_ok=True)
        write_kiosk_config(config, work / "kiosk.db", languages, root, "window benchmark")
        xvfb = Xvfb(args.screen, work)
        log(f"Xvfb {args.screen} on {xvfb.display}; bare window on SDL_RENDER_DRIVER={args.bare_render_driver}, "
            f"the kiosk on its own choice; files in {work}")
        try:
            kiosk_env = dict(os.environ, DISPLAY=xvfb.display)
            for variable in ("WAYLAND_DISPLAY", "SDL_RENDER_DRIVER", "SDL_FRAMEBUFFER_ACCELERATION"):
                kiosk_env.pop(variable, None)  # the kiosk as a user starts it
            bare_env = dict(kiosk_env, SDL_RENDER_DRIVER=args.bare_render_driver)
            programs = {
                "kiosk": Program("kiosk", [str(kiosk_bin), "run", "--config", str(config)], kiosk_env, work),
                "bare": Program("bare", [str(bare_bin), "--assets", str(root / "assets"), "--languages",
                                         ",".join(languages)], bare_env, work),
            }
            if args.parent_kiosk:
                # The other commit twice: as a user starts it, and as its own benchmark ran it (software).
                parent_argv = [str(args.parent_kiosk.resolve()), "run", "--config", str(config)]
                programs["parent"] = Program("parent", parent_argv, kiosk_env, work)
                programs["parent_sw"] = Program("parent_sw", parent_argv, dict(kiosk_env, SDL_RENDER_DRIVER="software"),
                                                work)
            # Warm the page cache and the font cache for both, unmeasured.
            for program in programs.values():
                start_run(program, "warmup", args)
            names = list(programs)
            starts = {name: [] for name in names}
            log(f"launch → first frame, {args.starts} launches each, alternated")
            for i in range(args.starts):
                order = names if i % 2 == 0 else names[::-1]
                for name in order:
                    starts[name].append(start_run(programs[name], f"start{i}", args))
            log(f"  kiosk {[s['ms'] and round(s['ms']) for s in starts['kiosk']]} ms, "
                f"bare {[s['ms'] and round(s['ms']) for s in starts['bare']]} ms")
            log(f"idle: {args.idle_runs} runs each of {args.idle_seconds:g} s "
                f"(+{args.settle_seconds:g} s settle), ABBA")
            idle = {name: [] for name in names}
            for i in range(args.idle_runs):
                order = names if i % 2 == 0 else names[::-1]
                for name in order:
                    idle[name].append(idle_run(programs[name], f"idle{i}", xvfb, args))
        finally:
            xvfb.stop()
        window = {name: aggregate(idle[name], starts[name]) for name in names}
        window.update(idle_seconds=args.idle_seconds, idle_runs=args.idle_runs, starts=args.starts,
                      rss_after=args.rss_after, screen=args.screen, bare_render_driver=args.bare_render_driver,
                      parent_kiosk=str(args.parent_kiosk) if args.parent_kiosk else None,
                      renderers={name: sorted({r["renderer"] for r in idle[name] if r.get("renderer")}) for name in names},
                      runs={name: idle[name] for name in idle})
        results["window"] = window

    tap = None
    if "tap" in chosen:
        tap_dir = (args.tap_dir or work / "tap").resolve()
        tap_json = work / "tap.json"
        log(f"tap → committed: {args.tap_runs} runs of {args.tap_samples} samples each in {tap_dir}")
        tap_runs = []
        for _ in range(args.tap_runs):
            subprocess.run([str(build / "bench" / "bench_tap_commit"), "--dir", str(tap_dir), "--samples",
                            str(args.tap_samples), "--json", str(tap_json)], check=True, stdout=sys.stderr)
            tap_runs.append(json.loads(tap_json.read_text()))
        tap = aggregate_tap(tap_runs)
        results["tap"] = tap

    typing = None
    if "typing" in chosen:
        typing = typing_benchmark(build, root, work, args)
        results["typing"] = typing

    hub_bin = build / "cmd" / "truthpoint-hub" / "truthpoint-hub"
    catalog = root / "assets" / "catalog" / "catalog.json"
    sync_dir = (args.sync_dir or work).resolve()
    sync = None
    if "sync" in chosen:
        out_json = work / "sync.json"
        log(f"sync drain: {args.sync_events} events, {args.sync_rounds} rounds, in {sync_dir / 'sync'}")
        subprocess.run([str(build / "bench" / "bench_sync_drain"), "--hub-binary", str(hub_bin), "--catalog",
                        str(catalog), "--dir", str(sync_dir / "sync"), "--events", str(args.sync_events),
                        "--rounds", str(args.sync_rounds), "--clients", str(args.ingest_clients),
                        "--json", str(out_json)], check=True, stdout=sys.stderr)
        sync = json.loads(out_json.read_text())
        results["sync"] = sync
    hub = None
    if "hub" in chosen:
        out_json = work / "hub.json"
        log(f"hub ingest: {args.hub_events} events per series, {args.hub_rounds} rounds; "
            f"{args.kiosks} kiosks × {args.burst_rounds} bursts, in {sync_dir / 'hub'}")
        argv = [str(build / "bench" / "bench_hub_ingest"), "--hub-binary", str(hub_bin), "--catalog", str(catalog),
                "--dir", str(sync_dir / "hub"), "--events", str(args.hub_events), "--rounds", str(args.hub_rounds),
                "--clients", str(args.ingest_clients), "--kiosks", str(args.kiosks), "--connections",
                str(args.connections), "--burst-rounds", str(args.burst_rounds), "--steady-seconds",
                str(args.steady_seconds), "--steady-rounds", str(args.steady_rounds), "--json", str(out_json)]
        if args.linger:
            argv.append("--linger")
        subprocess.run(argv, check=True, stdout=sys.stderr)
        hub = json.loads(out_json.read_text())
        results["hub"] = hub

    outage = baseline = None
    if "outage" in chosen:
        def outage_run(binary, label):
            out_json = work / f"outage-{label}.json"
            log(f"outage ({label}): {args.outage_trials} trials of {args.outage_seconds} s, in {sync_dir / 'outage'}")
            subprocess.run([str(binary), "--hub-binary", str(hub_bin), "--catalog", str(catalog), "--dir",
                            str(sync_dir / "outage"), "--trials", str(args.outage_trials), "--outages",
                            args.outage_seconds, "--outage-jitter", str(args.outage_jitter), "--backlog",
                            str(args.outage_backlog), "--retry-after",
                            str(args.outage_retry_after), "--label", label, "--json", str(out_json)],
                           check=True, stdout=sys.stderr)
            return json.loads(out_json.read_text())
        outage = outage_run(build / "bench" / "bench_sync_outage", "this build")
        results["outage"] = outage
        if args.outage_baseline:
            baseline = outage_run(args.outage_baseline.resolve(), "baseline")
            results["outage_baseline"] = baseline
    if "slow" in chosen:
        slow_runs = []
        for addresses in [int(a) for a in args.slow_addresses.split(",") if a.strip()]:
            out_json = work / f"slow-{addresses}.json"
            log(f"slow clients: {args.slow_connections} connections from {addresses} address(es) while a kiosk syncs")
            argv = [str(build / "bench" / "bench_slow_clients"), "--hub-binary", str(hub_bin), "--catalog",
                    str(catalog), "--dir", str(sync_dir / "slow"), "--slow-connections", str(args.slow_connections),
                    "--addresses", str(addresses), "--json", str(out_json)]
            subprocess.run(argv, stdout=sys.stderr)  # a failed sync is a result to print, not a crash
            if out_json.exists():
                slow_runs.append(json.loads(out_json.read_text()))
        results["slow"] = slow_runs
        for run in slow_runs:
            ratio_text = (f"{run['attacked_ms'] / run['idle_ms']:.2f}×" if run["idle_ms"] > 0 and run["attacked_ms"] > 0
                          else "-")
            print(f"slow clients, {run['slow_connections']} from {run['addresses']} address(es): kiosk sync "
                  f"{run['idle_ms']:.1f} ms idle, {run['attacked_ms']:.1f} ms under attack ({ratio_text}, goal ≤ 2×), "
                  f"{run['failures']} failed; attacker held {run['held_before']}, hub RSS "
                  f"{run['hub_rss_kb'] / 1024:.0f} MB, {run['hub_threads']} threads")

    soci = None
    if "soci" in chosen:
        out_json = work / "soci.json"
        log(f"seam or SOCI: {args.soci_events} events per way, {args.soci_rounds} rounds, in {sync_dir / 'soci'}")
        subprocess.run([str(build / "bench" / "bench_soci_ingest"), "--catalog", str(catalog), "--dir",
                        str(sync_dir / "soci"), "--events", str(args.soci_events), "--rounds", str(args.soci_rounds),
                        "--group", str(args.soci_group), "--json", str(out_json)], check=True, stdout=sys.stderr)
        soci = json.loads(out_json.read_text())
        results["soci"] = soci

    dashboard = None
    if "dashboard" in chosen:
        out_json = work / "dashboard.json"
        log(f"dashboard: {args.dashboard_events} events of {args.dashboard_stores} stores over a year on "
            f"{args.dashboard_engines}, in {sync_dir / 'dashboard'}")
        subprocess.run([str(build / "bench" / "bench_dashboard"), "--hub-binary", str(hub_bin), "--dir",
                        str(sync_dir / "dashboard"), "--events", str(args.dashboard_events), "--stores",
                        str(args.dashboard_stores), "--engines", args.dashboard_engines, "--samples",
                        str(args.dashboard_samples), "--json", str(out_json)], check=True, stdout=sys.stderr)
        dashboard = json.loads(out_json.read_text())
        results["dashboard"] = dashboard

    context["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    tables = []
    empty = {key: None for key in ["idle_cpu_pct", "xvfb_cpu_pct", "vm_rss_kb", "frame_p50_us", "frame_p99_us",
                                   "max_rss_kb", "start_ms"]}
    empty["start_source"] = "not run"
    if window or tap:
        tables.append(summarise(window or {"kiosk": empty, "bare": empty, "idle_seconds": 0, "idle_runs": 0,
                                           "starts": 0, "rss_after": args.rss_after}, tap, context))
        if window and "parent" in window:
            tables.append(summarise_parent(window))
    if typing:
        tables.append(summarise_typing(typing, context))
    if sync or hub:
        tables.append(summarise_sync(sync, hub, context))
    if outage:
        tables.append(summarise_outage(outage, baseline, context))
    if soci:
        tables.append(summarise_soci(soci, context))
    if dashboard:
        tables.append(summarise_dashboard(dashboard, context))
    table = "\n\n".join(tables)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    out = work / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    log(f"all figures: {out}")


if __name__ == "__main__":
    main()
