"""Starting, probing and stopping server processes for the benchmarks (Linux only)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_PR_SET_PDEATHSIG = 1


def raise_nofile_limit() -> int:
    """Lift the soft open-files limit to the hard one; return the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def _child_setup() -> None:
    """Runs in the child before exec: more file descriptors, and die with the parent."""
    raise_nofile_limit()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def read_rss_kb(pid: int) -> int:
    """VmRSS of a process in KiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def read_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads included."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    # Fields 14 and 15 of /proc/PID/stat (utime, stime), counted after "(comm) ".
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def read_machine_busy_seconds() -> float:
    """CPU seconds all cores of the machine spent busy since boot (from /proc/stat)."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return 0.0
    # cpu user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
    values = [int(v) for v in first[1:9]]
    busy = sum(values) - values[3] - values[4]
    return busy / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(max_wait: float = 60.0, threshold: float = 0.3) -> float:
    """Wait (bounded) until the rest of the machine uses under `threshold` cores.

    Other people's test runs on a 2-core machine move the figures more than
    anything we measure; return the load seen last, in cores.
    """
    deadline = time.monotonic() + max_wait
    while True:
        before = read_machine_busy_seconds()
        time.sleep(1.0)
        busy = read_machine_busy_seconds() - before
        if busy < threshold or time.monotonic() >= deadline:
            return busy


def chargedesk_env(workdir: Path, app_root: Path | None = None) -> dict[str, str]:
    """Environment that keeps a benchmark server away from the user's own settings and data.

    With app_root, the `app` package is imported from there (for example a
    `git archive` snapshot of a commit) instead of the working tree.
    """
    env = dict(os.environ)
    if app_root is not None:
        env["PYTHONPATH"] = str(app_root.resolve())
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(workdir / name.lower())
    env["CHARGEDESK_LOG_DIR"] = str(workdir / "log")
    env.pop("PYTHONASYNCIODEBUG", None)
    return env


def chargedesk_launcher() -> list[str]:
    """The `chargedesk` console script next to this interpreter (or `python -m app`)."""
    script = Path(PYTHON).parent / "chargedesk"
    return [str(script)] if script.exists() else [PYTHON, "-m", "app"]


def chargedesk_command(port: int, db_url: str) -> list[str]:
    return [
        *chargedesk_launcher(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        db_url,
        "--accept-unknown",
    ]


def bare_command(port: int, max_seconds: float = 900.0) -> list[str]:
    return [
        PYTHON,
        "-m",
        "bench.bare_server",
        "--port",
        str(port),
        "--max-seconds",
        str(max_seconds),
    ]


class ServerProcess:
    """A server in a child process; stopped with SIGTERM (SIGKILL past a grace period)."""

    def __init__(
        self,
        command: list[str],
        port: int,
        log_path: Path,
        env: dict[str, str] | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        self.command = command
        self.port = port
        self.log_path = log_path
        self.env = env
        self.start_timeout = start_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self.returncode: int | None = None

    @property
    def pid(self) -> int:
        assert self._proc is not None, "server not started"
        return self._proc.pid

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ocpp"

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_child_setup,
            )
        try:
            deadline = time.monotonic() + self.start_timeout
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    raise RuntimeError(
                        f"server exited with {self._proc.returncode}; see {self.log_path}"
                    )
                try:
                    wait_for_port(self.port, 0.5)
                    return
                except TimeoutError:
                    continue
            raise TimeoutError(f"server did not listen within {self.start_timeout:.0f} s")
        except BaseException:
            self.stop()
            raise

    def stop(self, grace: float = 30.0) -> int:
        """SIGTERM, wait for a clean exit; return the exit code."""
        proc = self._proc
        if proc is None:
            return self.returncode if self.returncode is not None else 0
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        self.returncode = proc.returncode
        self._proc = None
        return self.returncode

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
