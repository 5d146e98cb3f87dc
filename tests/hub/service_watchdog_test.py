"""The hub under systemd (Type=notify, WatchdogSec): READY=1 once it listens, WATCHDOG=1 while its own
HTTP server answers, STOPPING=1 on SIGTERM. The real `truthpoint-hub serve`, a real notify socket."""
import argparse
import os
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from systemd_notify import NotifySocket  # noqa: E402


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def serve(hub, work, env):
    process = subprocess.Popen([hub, "serve", "--listen", "127.0.0.1:0", "--db", f"sqlite:{work}/hub.db"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "listening on" not in line:
        fail(f"the hub did not start: {line} {process.stderr.read()}")
    return process


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hub", required=True)
    hub = parser.parse_args().hub
    with tempfile.TemporaryDirectory() as work:
        notify = NotifySocket(work)
        process = serve(hub, work, notify.environment(watchdog_seconds=1.5))
        try:
            if not notify.wait_for("READY=1", 10):
                fail("no READY=1 from the hub after it listened")
            heard = notify.collect(2.5)
            feeds = heard.count("WATCHDOG=1")
            # WatchdogSec=1.5: the hub asks itself every 0.5 s, so about five in 2.5 s; three leave room for load.
            if feeds < 3:
                fail(f"only {feeds} WATCHDOG=1 in 2.5 s with a 1.5 s watchdog: {heard}")
            process.send_signal(signal.SIGSTOP)  # a hung hub: its HTTP server answers nothing
            notify.collect(0.8)  # a request already answered may still be reported
            frozen = notify.collect(2.0).count("WATCHDOG=1")
            process.send_signal(signal.SIGCONT)
            if frozen:
                fail(f"{frozen} WATCHDOG=1 while the hub was stopped")
            if not notify.wait_for("WATCHDOG=1", 3):
                fail("no WATCHDOG=1 after the hub was let run again")
            if problem := notify.stop(process):
                fail(f"the hub: {problem}")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

        # Without a watchdog, READY=1 and nothing after it.
        process = serve(hub, work, notify.environment(watchdog_seconds=None))
        try:
            if not notify.wait_for("READY=1", 10):
                fail("no READY=1 without a watchdog")
            heard = notify.collect(1.5)
            if "WATCHDOG=1" in heard:
                fail(f"WATCHDOG=1 sent although systemd asked for no watchdog: {heard}")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)
        notify.close()
    print("ok: READY=1, WATCHDOG=1 only while the hub answers, STOPPING=1")


if __name__ == "__main__":
    main()
