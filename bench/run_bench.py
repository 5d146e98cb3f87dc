#!/usr/bin/env python3
"""Runs Truthpoint's benchmarks in one go and prints one summary table (see BENCHMARKS.md).

Window: the kiosk (truthpoint-kiosk run, attract screen, started as a user starts it: no renderer variable, so
it picks its renderer itself) beside bench_bare_window (SDL's software renderer, the cheapest bare window), on
one Xvfb at 1920x1080, runs alternated (ABBA) so both share the machine's noise; with --parent-kiosk, another
commit's kiosk binary joins the rotation and a second table compares the two:
idle CPU (utime+stime from /proc/PID/stat over --idle-seconds), frame CPU p50/p99 (FrameStats, the attract
pulse at 4 fps), launch to first frame (FrameStats' first_frame_unix_ms, median of --starts launches),
RSS (FrameStats' max_rss_kb, and VmRSS --rss-after seconds after launch).
Tap -> committed: bench_tap_commit (EventRecorder beside a bare SQLite commit, interleaved in one process).
Sync: bench_sync_drain (a 100,000-event backlog drained by push_pending beside the hub's own ingest rate).
Hub: bench_hub_ingest (ingest in batches of 500 over HTTP and through the Store, beside a bare SQLite bulk
insert; then 1,000 kiosks syncing at once: batch latency p50/p99 and the hub's RSS).
Outage: bench_sync_outage (a BackgroundSync with default options behind a proxy answering 503 with Retry-After
for --outage-seconds, then the hub back: time until nothing is pending, requests/s during the outage), beside
--outage-baseline (the same benchmark built at another commit) when given.
Pick benchmarks with --only window,tap,sync,hub,outage,slow (default: all).

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
         "outage_median_s": 5.0, "outage_max_s": 15.0, "outage_requests_per_s": 0.5}
BENCHMARKS = ["window", "tap", "sync", "hub", "outage", "slow"]


def log(message):
    print(message, file=sys.stderr, flush=True)


def cpu_ticks(pid):
    """utime + stime of every thread of the process, in clock ticks."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5), counted after "pid (comm)"


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

    def row(name, kiosk, bare, unit, digits, ratio_goal=None, absolute_goal=None, note=""):
        r = ratio(kiosk, bare)
        if absolute_goal is not None:
            goal, met = f"≤ {absolute_goal:g} {unit}", verdict(kiosk, absolute_goal)
        elif ratio_goal is not None:
            goal, met = f"≤ {ratio_goal:g}×", verdict(r, ratio_goal)
        else:
            goal, met = "", ""
        goal_ratio = ratio_goal if ratio_goal is not None else None
        # Two decimals, or three when two would round a miss into a "1.20×" that looks met.
        ratio_digits = 3 if r is not None and goal_ratio is not None and abs(r - goal_ratio) < 0.005 else 2
        rows.append([name, fmt(kiosk, digits), fmt(bare, digits), fmt(r, ratio_digits, "×"), goal, met, note])

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
        note = f"{tap['samples']} interleaved samples each, {tap['filesystem']}"
        row("tap → committed p50, ms", rec["p50"] / 1000, bare["p50"] / 1000, "ms", 3, note=note)
        row("tap → committed p99, ms", rec["p99"] / 1000, bare["p99"] / 1000, "ms", 3,
            ratio_goal=GOALS["tap_p99_ratio"], note="EventRecorder record() → take_results()")
        lap = tap["ledger_append_us"]
        row("  Ledger::append p50 / p99, ms", lap["p50"] / 1000, bare["p50"] / 1000, "ms", 3,
            note=f"same thread, no hop (p99 {lap['p99'] / 1000:.3f} vs {bare['p99'] / 1000:.3f})")
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


def mb(kb):
    return None if kb is None else kb / 1024.0


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
    parser.add_argument("--tap-dir", type=Path, help="where the tap benchmark's SQLite files go (default: build dir)")
    parser.add_argument("--skip-window", action="store_true")
    parser.add_argument("--skip-tap", action="store_true")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--sync-events", type=int, default=100000, help="backlog size for the drain (default 100000)")
    parser.add_argument("--sync-rounds", type=int, default=3, help="alternated rounds of drain and ingest (default 3)")
    parser.add_argument("--ingest-clients", type=int, default=4,
                        help="HTTP clients posting pre-built batches for the hub's ingest rate (default 4)")
    parser.add_argument("--hub-events", type=int, default=50000, help="events per hub ingest series (default 50000)")
    parser.add_argument("--hub-rounds", type=int, default=3, help="rounds of HTTP / Store / bare (default 3)")
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
        unknown = chosen - set(BENCHMARKS)
        if unknown:
            sys.exit(f"run_bench: --only: unknown benchmark(s) {', '.join(sorted(unknown))}; "
                     f"choose from {','.join(BENCHMARKS)}")
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
        quoted_languages = ", ".join(f'"{code}"' for code in languages)
        config = work / "kiosk.toml"
        (work / "kiosk.db").unlink(missing_ok=True)
        config.write_text(f"""# Written by bench/run_bench.py (window benchmark); the hub is unreachable on purpose
[kiosk]
id = "k-bench"
store = "s-bench"
db = "{work / 'kiosk.db'}"
languages = [{quoted_languages}]
assets = "{root / 'assets'}"
idle_reset_seconds = 45
dpi = 96

[hub]
url = "http://127.0.0.1:9"
token = "bench-token"
""")
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
        log(f"tap → committed: {args.tap_samples} samples each in {tap_dir}")
        subprocess.run([str(build / "bench" / "bench_tap_commit"), "--dir", str(tap_dir), "--samples",
                        str(args.tap_samples), "--json", str(tap_json)], check=True, stdout=sys.stderr)
        tap = json.loads(tap_json.read_text())
        results["tap"] = tap

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
    if sync or hub:
        tables.append(summarise_sync(sync, hub, context))
    if outage:
        tables.append(summarise_outage(outage, baseline, context))
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
