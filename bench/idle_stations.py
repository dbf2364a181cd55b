"""Memory of one `chargedesk serve` process with 2,000 connected, heartbeating stations.

Starts ChargeDesk on a fresh temporary SQLite database, connects 2,000
stations from two load-generator processes, boots each one, then lets every
station send a Heartbeat every few seconds (spread over the interval). The
server's VmRSS is read from /proc when all are connected and booted, every
second for 30 s, and at the end. Target: under 400 MB. The bare `ocpp` server
goes through the same for comparison (skip with --no-bare).

    python -m bench.idle_stations
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

if __name__ == "__main__" and not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import LoadResult, LoadSpec, run_load, summary
from bench.servers import (
    ServerProcess,
    bare_command,
    chargedesk_command,
    chargedesk_env,
    free_port,
    raise_nofile_limit,
    read_rss_kb,
)

TARGET_RSS_MB = 400.0


def measure(name: str, server: ServerProcess, args: argparse.Namespace) -> tuple[int, LoadResult]:
    with server:
        time.sleep(1.0)
        rss_started = read_rss_kb(server.pid)
        spec = LoadSpec(
            url=server.url,
            stations=args.stations,
            duration=args.duration,
            warmup=0.0,
            processes=args.processes,
            mode="heartbeat",
            heartbeat_every=args.heartbeat_every,
            station_prefix="idle",
            setup_timeout=150.0,
        )
        result = run_load(spec, server_pid=server.pid)
    print(f"  {name:10s} {summary(result)}", flush=True)
    return rss_started, result


def _mb(kb: int | None) -> float:
    return (kb or 0) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stations", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--heartbeat-every", type=float, default=5.0)
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare server")
    parser.add_argument(
        "--app-root", type=Path, help="import ChargeDesk's app package from this folder"
    )
    args = parser.parse_args(argv)
    raise_nofile_limit()
    workdir = Path(tempfile.mkdtemp(prefix="chargedesk-idle-"))
    rows: list[tuple[str, int, LoadResult]] = []
    try:
        print(
            f"{args.stations} stations, Heartbeat every {args.heartbeat_every:.0f} s, "
            f"{args.duration:.0f} s"
        )
        db_url = f"sqlite:///{workdir / 'chargedesk.sqlite3'}"
        port = free_port()
        server = ServerProcess(
            chargedesk_command(port, db_url),
            port,
            workdir / "chargedesk.log",
            chargedesk_env(workdir, args.app_root),
        )
        rows.append(("ChargeDesk", *measure("ChargeDesk", server, args)))
        if not args.no_bare:
            port = free_port()
            bare = ServerProcess(bare_command(port), port, workdir / "bare.log")
            rows.append(("bare ocpp", *measure("bare ocpp", bare, args)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(
        "| server | booted | open at end | RSS started MB | RSS all booted MB "
        "| RSS +30 s MB | peak MB | heartbeats/s | p99 ms | server CPU |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, started, r in rows:
        print(
            f"| {name} | {r.booted} | {r.open_at_end} | {_mb(started):.0f} | "
            f"{_mb(r.server_rss_start_kb):.0f} | {_mb(r.server_rss_end_kb):.0f} | "
            f"{_mb(r.server_rss_peak_kb):.0f} | {r.calls_per_second:.0f} | {r.p99_ms:.1f} | "
            f"{(r.server_cpu_cores or 0) * 100:.0f}% |"
        )
    cd = rows[0][2]
    all_up = cd.booted == args.stations and cd.open_at_end == args.stations
    ok = all_up and _mb(cd.server_rss_peak_kb) < TARGET_RSS_MB
    print()
    print(
        f"ChargeDesk peak RSS {_mb(cd.server_rss_peak_kb):.0f} MB with "
        f"{cd.open_at_end}/{args.stations} stations up: "
        f"{'PASS' if ok else 'FAIL'} (target < {TARGET_RSS_MB:.0f} MB, all stations up)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
