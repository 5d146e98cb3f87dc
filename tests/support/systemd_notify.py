"""What systemd would hear from a Type=notify service: a datagram socket at $NOTIFY_SOCKET.

The tests start the real programs with NOTIFY_SOCKET (and WATCHDOG_USEC) pointing here and read the
READY=1 / WATCHDOG=1 / STOPPING=1 messages they send, as systemd would.
"""
import os
import signal
import socket
import time


class NotifySocket:
    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)

    def environment(self, watchdog_seconds=None):
        """The variables systemd sets for the service (WATCHDOG_PID left out: any pid may feed it)."""
        env = dict(os.environ, NOTIFY_SOCKET=self.path)
        env.pop("WATCHDOG_USEC", None)
        env.pop("WATCHDOG_PID", None)
        if watchdog_seconds is not None:
            env["WATCHDOG_USEC"] = str(int(watchdog_seconds * 1_000_000))
        return env

    def collect(self, seconds):
        """Every message received within `seconds`, each split into its lines."""
        lines = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                lines.extend(self.sock.recv(4096).decode().splitlines())
            except socket.timeout:
                break
        return lines

    def wait_for(self, line, seconds):
        """True once `line` arrives within `seconds`; what else arrived meanwhile is dropped."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                if line in self.sock.recv(4096).decode().splitlines():
                    return True
            except socket.timeout:
                return False
        return False

    def stop(self, process):
        """SIGTERM, as systemd stops a service: what went wrong (no STOPPING=1, an exit code), or None."""
        process.send_signal(signal.SIGTERM)
        if not self.wait_for("STOPPING=1", 10):
            return "no STOPPING=1 on SIGTERM"
        if process.wait(timeout=15) != 0:
            return f"exit {process.returncode} on SIGTERM"
        return None

    def close(self):
        self.sock.close()
