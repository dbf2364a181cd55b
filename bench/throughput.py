"""Persisted OCPP calls/s and latency: ChargeDesk side by side with the bare `ocpp` server.

One run on loopback: the bare server (bench.bare_server) in a subprocess under
50 and then 500 stations sending MeterValues back to back; then
`chargedesk serve` on a fresh temporary SQLite database under the same loads,
stopped with SIGTERM, after which the database is checked: every acknowledged
MeterValues must be stored (rows in meter_samples = acknowledged calls ×
samples per call). Prints both sides, the ratio, and pass/fail per target.

    python -m bench.throughput                 # the full run (about 2 minutes)
    python -m bench.throughput --profile DIR   # also py-spy the ChargeDesk server
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import ID_TAG, LoadResult, LoadSpec, run_load, summary
from bench.servers import (
    PYTHON,
    ServerProcess,
    bare_command,
    chargedesk_command,
    chargedesk_env,
    chargedesk_launcher,
    free_port,
    raise_nofile_limit,
    wait_for_quiet,
)

TARGET_RATIO = 1.5
FLOOR_RATIO = 1.0
TARGET_P99_MS = 100.0


@dataclass(frozen=True, slots=True)
class Load:
    stations: int
    meter_every: float = 0.0  # 0: back to back

    @property
    def key(self) -> str:
        return (
            f"{self.stations}" if not self.meter_every else f"{self.stations}@{self.meter_every:g}s"
        )

    @property
    def prefix(self) -> str:
        return f"s{self.stations}" if not self.meter_every else f"p{self.stations}"

    @property
    def label(self) -> str:
        if not self.meter_every:
            return f"{self.stations}, back to back"
        return f"{self.stations}, one every {self.meter_every:g} s"


def parse_loads(text: str) -> list[Load]:
    """ "50,500,500@1" → back to back at 50 and 500, and 500 paced at one call/s each."""
    loads = []
    for item in text.split(","):
        stations, _, every = item.strip().partition("@")
        loads.append(Load(int(stations), float(every.rstrip("s")) if every else 0.0))
    return loads


@dataclass(frozen=True, slots=True)
class Stored:
    expected_rows: int
    stored_rows: int
    transactions: int

    @property
    def lost(self) -> int:
        return max(0, self.expected_rows - self.stored_rows)


def _py_spy() -> str | None:
    local = Path(PYTHON).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


def _profiler(
    pid: int, duration: float, out: Path
) -> tuple[Callable[[str], None], list[subprocess.Popen[bytes]]]:
    """An on_window hook that runs py-spy over the measurement window."""
    procs: list[subprocess.Popen[bytes]] = []
    tool = _py_spy()

    def hook(moment: str) -> None:
        if moment != "start" or tool is None:
            return
        common = [tool, "record", "--pid", str(pid), "--duration", str(int(duration))]
        common += ["--rate", "100", "--nonblocking", "--threads"]
        procs.append(
            subprocess.Popen(
                [*common, "--format", "raw", "--output", str(out.with_suffix(".txt"))],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    return hook, procs


def run_one(
    name: str,
    server: ServerProcess,
    load: Load,
    args: argparse.Namespace,
) -> LoadResult:
    spec = LoadSpec(
        url=server.url,
        stations=load.stations,
        duration=args.duration,
        warmup=args.warmup,
        processes=args.processes,
        meter_every=load.meter_every,
        station_prefix=load.prefix,
    )
    hook: Callable[[str], None] | None = None
    profilers: list[subprocess.Popen[bytes]] = []
    if args.profile is not None:
        out = args.profile / f"{name.replace(' ', '-')}-{load.key}"
        hook, profilers = _profiler(server.pid, args.duration, out)
    busy = wait_for_quiet(args.quiet_wait)
    if busy >= 0.3:
        print(f"  (the machine stayed busy: {busy:.1f} cores used by others)")
    result = run_load(spec, server_pid=server.pid, on_window=hook)
    for proc in profilers:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    print(f"  {name:10s} {summary(result)}", flush=True)
    return result


def verify(db_path: Path, loads: list[Load], results: dict[str, LoadResult]) -> dict[str, Stored]:
    """Count what the stopped server stored against what it acknowledged."""
    checks: dict[str, Stored] = {}
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        for load in loads:
            result = results[load.key]
            pattern = f"{load.prefix}-%"
            rows = conn.execute(
                "SELECT count(*) FROM meter_samples WHERE station_id LIKE ?", (pattern,)
            ).fetchone()[0]
            txs = conn.execute(
                "SELECT count(*) FROM transactions WHERE station_id LIKE ?", (pattern,)
            ).fetchone()[0]
            expected = result.acked_meter_values * result.samples_per_call
            checks[load.key] = Stored(expected, int(rows), int(txs))
    return checks


def _per_cpu(result: LoadResult) -> float:
    """Calls answered per CPU-second of the server: steadier than calls/s on a busy machine."""
    return result.calls_per_second / max(result.server_cpu_cores or 0.0, 1e-9)


def _mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(
    loads: list[Load],
    bare: dict[str, LoadResult],
    cd: dict[str, LoadResult],
    stored: dict[str, Stored],
) -> tuple[str, bool]:
    lines = [
        "| stations | server | calls/s | p50 ms | p99 ms | max ms | server CPU "
        "| calls per server CPU-s | loadgen CPU | other CPU |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for load in loads:
        for name, side in (("bare ocpp", bare), ("ChargeDesk", cd)):
            r = side[load.key]
            lines.append(
                f"| {load.label} | {name} | {r.calls_per_second:.0f} | {r.p50_ms:.1f} | "
                f"{r.p99_ms:.1f} | {r.max_ms:.1f} | {(r.server_cpu_cores or 0) * 100:.0f}% | "
                f"{_per_cpu(r):.0f} | {r.loadgen_cpu_cores * 100:.0f}% | "
                f"{r.other_cpu_cores * 100:.0f}% |"
            )
    lines += [
        "",
        "| stations | ChargeDesk/bare calls/s | per CPU-s | acked MeterValues | rows expected "
        "| rows stored | lost | targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    all_ok = True
    for load in loads:
        r, s = cd[load.key], stored[load.key]
        verdicts = [f"zero lost: {_mark(s.lost == 0)}"]
        ok = s.lost == 0 and r.errors == 0 and r.setup_failures == 0
        ratio_text = cpu_ratio_text = "n/a (paced)"
        if not load.meter_every:
            ratio = r.calls_per_second / max(bare[load.key].calls_per_second, 1e-9)
            ratio_text = f"{ratio:.2f}×"
            cpu_ratio_text = f"{_per_cpu(r) / max(_per_cpu(bare[load.key]), 1e-9):.2f}×"
            verdicts += [
                f"ratio ≥ {TARGET_RATIO}: {_mark(ratio >= TARGET_RATIO)}",
                f"ratio ≥ {FLOOR_RATIO}: {_mark(ratio >= FLOOR_RATIO)}",
            ]
            ok = ok and ratio >= TARGET_RATIO
        if load.stations >= 500:
            p99_ok = r.p99_ms < TARGET_P99_MS
            verdicts.append(f"p99 < {TARGET_P99_MS:.0f} ms: {_mark(p99_ok)}")
            ok = ok and p99_ok
        all_ok = all_ok and ok
        lines.append(
            f"| {load.label} | {ratio_text} | {cpu_ratio_text} | {r.acked_meter_values} | "
            f"{s.expected_rows} | "
            f"{s.stored_rows} | {s.lost} | {'; '.join(verdicts)} |"
        )
    return "\n".join(lines), all_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--loads",
        default="50,500,500@1",
        help="comma-separated station counts; N@S paces each station to one call every S s",
    )
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--processes", type=int, default=1, help="load generator processes")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=60.0,
        help="seconds to wait at most for other processes to calm down before each load",
    )
    parser.add_argument("--profile", type=Path, help="py-spy the servers into this folder")
    parser.add_argument(
        "--app-root", type=Path, help="import ChargeDesk's app package from this folder"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    args = parser.parse_args(argv)
    loads = parse_loads(args.loads)
    raise_nofile_limit()
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="chargedesk-bench-"))
    try:
        print(
            f"loads: {', '.join(load.label for load in loads)}; "
            f"{args.warmup:.0f} s warm-up + {args.duration:.0f} s each"
        )
        db_path = workdir / "chargedesk.sqlite3"
        db_url = f"sqlite:///{db_path}"
        env = chargedesk_env(workdir, args.app_root)
        # The stations start their transaction with a known, accepted tag.
        subprocess.run(
            [*chargedesk_launcher(), "tags", "add", ID_TAG, "--db", db_url],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=60,
        )
        bare_port, cd_port = free_port(), free_port()
        bare_server = ServerProcess(bare_command(bare_port), bare_port, workdir / "bare.log")
        cd_server = ServerProcess(
            chargedesk_command(cd_port, db_url), cd_port, workdir / "chargedesk.log", env
        )
        bare: dict[str, LoadResult] = {}
        cd: dict[str, LoadResult] = {}
        # Both servers run side by side (the idle one costs nothing) and each load
        # goes to one then the other, so both meet the same background noise.
        with bare_server, cd_server:
            for load in loads:
                bare[load.key] = run_one("bare ocpp", bare_server, load, args)
                cd[load.key] = run_one("ChargeDesk", cd_server, load, args)
            cd_server.stop()  # SIGTERM: ChargeDesk flushes and exits before we count
        if cd_server.returncode != 0:
            print(f"ChargeDesk exited with {cd_server.returncode}; see {cd_server.log_path}")
        stored = verify(db_path, loads, cd)
        table, ok = report(loads, bare, cd, stored)
        print()
        print(table)
        print()
        print("all targets met" if ok else "some targets missed")
        if args.json is not None:
            data: dict[str, Any] = {
                "bare": {n: r.as_dict() for n, r in bare.items()},
                "chargedesk": {n: r.as_dict() for n, r in cd.items()},
                "stored": {n: vars_of(s) for n, s in stored.items()},
            }
            args.json.write_text(json.dumps(data, indent=2))
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def vars_of(stored: Stored) -> dict[str, int]:
    return {
        "expected_rows": stored.expected_rows,
        "stored_rows": stored.stored_rows,
        "transactions": stored.transactions,
        "lost": stored.lost,
    }


if __name__ == "__main__":
    sys.exit(main())
