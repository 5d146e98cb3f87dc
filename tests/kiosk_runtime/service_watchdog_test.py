"""The kiosk under systemd (Type=notify, WatchdogSec): READY=1 once its window has drawn, then WATCHDOG=1
only while the window loop keeps drawing frames. A frozen screen must starve the watchdog although the
process and its other threads live on: the test freezes the X server (SIGSTOP), on which the kiosk's next
frame blocks, and expects WATCHDOG=1 to stop, then to come back once the X server runs again.

Real parts: the kiosk executable, Xvfb, a notify socket as systemd's."""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from systemd_notify import NotifySocket  # noqa: E402


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def start_xvfb(work):
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                            pass_fds=(write_end,), stderr=open(os.path.join(work, "xvfb.log"), "w"))
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        display = pipe.readline().strip()
    if not display:
        fail("Xvfb did not start")
    return xvfb, f":{display}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosk", required=True)
    kiosk = parser.parse_args().kiosk
    with tempfile.TemporaryDirectory() as work:
        config = os.path.join(work, "kiosk.toml")
        with open(config, "w") as file:
            file.write(f'[kiosk]\nid = "k-1"\nstore = "s-1"\ndb = "{work}/kiosk.db"\nlanguages = ["en", "fa"]\n\n'
                       '[hub]\nurl = "http://127.0.0.1:9"\ntoken = "not-a-hub"\n')
        xvfb, display = start_xvfb(work)
        notify = NotifySocket(work)
        env = notify.environment(watchdog_seconds=1.5)
        env["DISPLAY"] = display
        env.pop("WAYLAND_DISPLAY", None)
        log = open(os.path.join(work, "kiosk.log"), "w")
        process = subprocess.Popen([kiosk, "run", "--config", config, "--windowed", "800x600"], env=env,
                                   stdout=log, stderr=log)
        try:
            if not notify.wait_for("READY=1", 30):
                fail("no READY=1 from the kiosk: " + open(os.path.join(work, "kiosk.log")).read())
            feeds = notify.collect(2.5).count("WATCHDOG=1")
            if feeds < 3:
                fail(f"only {feeds} WATCHDOG=1 in 2.5 s with a 1.5 s watchdog while the kiosk draws")

            xvfb.send_signal(signal.SIGSTOP)  # the next frame's presentation waits on the X server
            notify.collect(1.0)  # a frame drawn just before may still be reported
            frozen = notify.collect(2.5).count("WATCHDOG=1")
            alive = process.poll() is None
            xvfb.send_signal(signal.SIGCONT)
            if not alive:
                fail("the kiosk died instead of freezing")
            if frozen:
                fail(f"{frozen} WATCHDOG=1 while the kiosk's screen could not draw: the watchdog watches the "
                     "process, not the window loop")
            if not notify.wait_for("WATCHDOG=1", 5):
                fail("no WATCHDOG=1 once the screen could draw again")

            if problem := notify.stop(process):
                fail(f"the kiosk: {problem}")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            xvfb.send_signal(signal.SIGCONT)
            xvfb.terminate()
            xvfb.wait()
            notify.close()
    print("ok: READY=1 after the first frame, WATCHDOG=1 only while frames are drawn, STOPPING=1")


if __name__ == "__main__":
    main()
