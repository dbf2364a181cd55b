"""Packaging check: exercise the frozen Linux build the way an installed one runs.

Run by packaging/check.sh after packaging/linux/build.sh:

1. the .deb: its metadata and file list (dpkg-deb -I / -c), and that every system
   library the bundle links to belongs to a package its Depends names;
2. the frozen CLI: `--version`, and `tags add` against a fresh database (which
   runs the Alembic migrations from inside the bundle);
3. `chargedesk serve` (frozen) on a free loopback port with a temporary database,
   simulated chargers from the project's venv (`chargedesk simulate`) connecting
   to it, until a transaction is stored in that SQLite file; SIGTERM stops it
   cleanly (exit status 0);
4. the control room (frozen) on Qt's offscreen platform: it is up once its SIGTERM
   handler is installed (that happens right after the window is shown), and
   SIGTERM then closes the window like an operator would (exit status 0);
5. the same on X11 under Xvfb, where there is one: the xcb platform plugin with
   the system's X11/xcb libraries, as on a desktop (and a screenshot);
6. the bundle's size against its budget (150 MB), and the control room's self-test
   inside the frozen program over the database `serve` filled (check_bundle.py,
   bundle_selftest.py): every tab, the report and a receipt as PDFs, a pyqtgraph
   chart, numpy's linear algebra, and the ICU collation, zone names and codecs Qt uses.

Everything runs on 127.0.0.1 with throw-away HOME/XDG directories, so the user's
own settings and database are never read or written. Prints the measured
figures (sizes, start-up times) as a Markdown table for docs/packaging.md.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from check_bundle import BundleCheckFailed, check_selftest, check_size, megabytes
from check_deb import check_deb

ROOT = Path(__file__).resolve().parent.parent
VENV_CLI = ROOT / ".venv" / "bin" / "chargedesk"
WAIT = 120.0  # seconds: the longest any step may take before the check fails
TAGS = ("DEMO0001", "DEMO0002")


class CheckFailed(RuntimeError):
    pass


def say(text: str) -> None:
    print(f"== {text}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, ready: Callable[[], bool], proc: subprocess.Popen[bytes] | None) -> float:
    """Poll `ready` until it holds (bounded by WAIT); seconds it took."""
    start = time.monotonic()
    while not ready():
        if proc is not None and proc.poll() is not None:
            raise CheckFailed(f"{what}: the program exited with {proc.returncode} first")
        if time.monotonic() - start > WAIT:
            raise CheckFailed(f"{what}: not within {WAIT:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - start


def listening(port: int) -> Callable[[], bool]:
    def probe() -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", port)) == 0

    return probe


def handles(pid: int, signum: int) -> Callable[[], bool]:
    """True once the process catches `signum` (the SigCgt mask in /proc)."""

    def probe() -> bool:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return False
        found = re.search(r"^SigCgt:\s*([0-9a-f]+)$", status, re.M)
        return bool(found and int(found.group(1), 16) & (1 << (signum - 1)))

    return probe


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (a loaded machine stretches
    wall-clock times; CPU time says what the program itself costs)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_run(args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """stdout, and "wall s (CPU s)" of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    out = run(args, env)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return out, f"{wall:.2f} s ({cpu:.2f} s CPU)"


def stop(proc: subprocess.Popen[bytes], what: str) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise CheckFailed(f"{what}: still running {WAIT:.0f} s after SIGTERM") from None
    if code != 0:
        raise CheckFailed(f"{what}: exit status {code} after SIGTERM (expected 0)")


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=WAIT)
    if done.returncode != 0:
        raise CheckFailed(f"{' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    return done.stdout


# ---- the frozen program ------------------------------------------------------------


def isolated_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHARGEDESK_", "XDG_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        CHARGEDESK_API_PORT=str(free_port()),
        QT_QPA_PLATFORM="offscreen",
        LC_ALL="C.UTF-8",
    )
    return env


def transactions(db: Path) -> int:
    if not db.exists():
        return 0
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return int(raw.execute("SELECT count(*) FROM transactions").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0
    finally:
        raw.close()


def check_serve(exe: Path, env: dict[str, str], db: Path) -> dict[str, str]:
    url = f"sqlite:///{db}"
    out, version_time = timed_run([str(exe), "--version"], env)
    print(out.strip())
    _, venv_version_time = timed_run([str(VENV_CLI), "--version"], env)
    for tag in TAGS:
        run([str(exe), "tags", "add", tag, "--db", url], env)
    say(f"frozen `serve` on 127.0.0.1, database {db}")
    port = free_port()
    log = (db.parent / "serve.log").open("wb")
    serve_cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", url]
    serve = subprocess.Popen([*serve_cmd, "--accept-unknown"], env=env, stdout=log, stderr=log)
    sim: subprocess.Popen[bytes] | None = None
    try:
        up = wait_for("the OCPP port to listen", listening(port), serve)
        up_cpu = cpu_seconds(serve.pid)
        print(f"   listening after {up:.2f} s ({up_cpu:.2f} s CPU)")
        sim = subprocess.Popen(
            [
                *(str(VENV_CLI), "simulate", "--url", f"ws://127.0.0.1:{port}/ocpp"),
                *("--stations", "2", "--connectors", "1", "--speed", "600"),
                *("--meter-interval", "1", "--tags", ",".join(TAGS)),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        took = wait_for("a stored transaction", lambda: transactions(db) > 0, serve)
        print(f"   {transactions(db)} transaction(s) stored after {took:.1f} s")
        sim.send_signal(signal.SIGINT)
        sim.wait(timeout=WAIT)
        stop(serve, "serve")
    finally:
        for proc in (sim, serve):
            if proc is not None and proc.poll() is None:
                proc.kill()
        log.close()
    with sqlite3.connect(db) as raw:
        row = raw.execute("SELECT station_id, id_tag, state FROM transactions LIMIT 1").fetchone()
    print(f"   first transaction: {row}")
    return {
        "version": version_time,
        "venv version": venv_version_time,
        "serve": f"{up:.2f} s ({up_cpu:.2f} s CPU)",
    }


def run_gui(exe: Path, env: dict[str, str], db: Path, name: str, shot: Path | None = None) -> str:
    """Start the frozen control room, wait for its window, close it with SIGTERM."""
    port = free_port()
    log_path = db.parent / f"{name}.log"
    log = log_path.open("wb")
    gui = subprocess.Popen(
        [str(exe), "run", "--demo", "0", "--port", str(port), "--db", f"sqlite:///{db}"],
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        shown = wait_for("the window", handles(gui.pid, signal.SIGTERM), gui)
        shown_cpu = cpu_seconds(gui.pid)
        print(f"   window up after {shown:.2f} s ({shown_cpu:.2f} s CPU)")
        if shot is not None and shutil.which("import"):
            time.sleep(1.0)  # a picture for people, not a condition of the check
            subprocess.run(["import", "-window", "root", str(shot)], env=env, timeout=WAIT)
            print(f"   screenshot: {shot}")
        print("   closing it with SIGTERM")
        stop(gui, "the control room")
    finally:
        if gui.poll() is None:
            gui.kill()
        log.close()
    errors = [
        line
        for line in log_path.read_text(errors="replace").splitlines()
        if "Traceback" in line or " ERROR " in line or "could not load the Qt platform" in line
    ]
    if errors:
        raise CheckFailed("the control room logged errors:\n" + "\n".join(errors))
    return f"{shown:.2f} s ({shown_cpu:.2f} s CPU)"


def check_gui(exe: Path, env: dict[str, str], db: Path) -> dict[str, str]:
    say("frozen control room, QT_QPA_PLATFORM=offscreen")
    return {"gui": run_gui(exe, env, db, "gui-offscreen")}


def check_gui_on_x11(exe: Path, env: dict[str, str], db: Path) -> dict[str, str]:
    """The xcb platform plugin against the system's X11 libraries, under Xvfb."""
    if not shutil.which("Xvfb"):
        say("no Xvfb here: the xcb platform is not exercised")
        return {"gui xcb": "not measured (no Xvfb)"}
    display = next(n for n in range(90, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    say(f"frozen control room on X11 (Xvfb :{display}, QT_QPA_PLATFORM=xcb)")
    xvfb = subprocess.Popen(
        ["Xvfb", f":{display}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for("Xvfb", Path(f"/tmp/.X11-unix/X{display}").exists, xvfb)
        x_env = {**env, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb"}
        shot = ROOT / "dist" / "check-control-room-xcb.png"  # kept after the check
        return {"gui xcb": run_gui(exe, x_env, db, "gui-xcb", shot)}
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=WAIT)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "chargedesk")
    parser.add_argument("--deb", type=Path, help="default: the newest dist/chargedesk_*.deb")
    args = parser.parse_args(argv)
    debs = sorted((ROOT / "dist").glob("chargedesk_*.deb"), key=lambda p: p.stat().st_mtime)
    deb = args.deb or (debs[-1] if debs else None)
    if deb is None or not args.bundle.is_dir():
        print("build first: bash packaging/linux/build.sh", file=sys.stderr)
        return 2
    figures: dict[str, str] = {}
    home = Path(tempfile.mkdtemp(prefix="chargedesk-check-"))
    try:
        say(f"inspecting {deb.name}")
        figures |= check_deb(deb, args.bundle)
        say("bundle size")
        figures |= check_size(args.bundle)
        env = isolated_env(home)
        exe = args.bundle / "chargedesk"
        figures |= check_serve(exe, env, home / "serve.sqlite3")
        figures |= check_gui(exe, env, home / "gui.sqlite3")
        figures |= check_gui_on_x11(exe, env, home / "gui.sqlite3")
        say("frozen control room's self-test (offscreen), over the database serve filled")
        selftest_out = ROOT / "dist" / "check-selftest"  # kept after the check
        figures |= check_selftest(exe, env, home / "serve.sqlite3", free_port(), selftest_out)
    except (CheckFailed, BundleCheckFailed) as exc:
        print(f"packaging check FAILED: {exc}", file=sys.stderr)
        print(f"(logs kept in {home})", file=sys.stderr)
        return 1
    shutil.rmtree(home, ignore_errors=True)
    say("figures (for docs/packaging.md)")
    rows = [
        ("one-folder bundle (dist/chargedesk)", figures["size"]),
        (f".deb ({deb.name})", f"{megabytes(deb):.1f} MB"),
        ("files in the .deb", figures["files"]),
        ("`chargedesk --version`, frozen", figures["version"]),
        ("`chargedesk --version` from the venv, for comparison", figures["venv version"]),
        ("`chargedesk serve`, frozen: start to OCPP port listening", figures["serve"]),
        ("control room, frozen, offscreen: start to window shown", figures["gui"]),
        ("control room, frozen, X11 (Xvfb): start to window shown", figures["gui xcb"]),
        ("self-test in the frozen control room (tabs, PDFs, chart, ICU)", figures["selftest"]),
    ]
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| what | measured |\n| --- | --- |")
    for what, value in rows:
        print(f"| {what} | {value} |")
    print("packaging check passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
