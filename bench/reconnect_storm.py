"""Reconnect storm: every registered charger comes back within one second.

`chargedesk serve` runs as a separate process on a temporary SQLite file.
First every charger registers (connects, boots, reports its connector) at an
easy pace; then all drop their connections at once, as after a site network
outage, and once the server has seen them go, all reconnect within one second
(start times spread evenly over that second). Each must be connected, booted
(BootNotification Accepted) and have its StatusNotification answered; the time
from the first reconnect to the last answer is the figure. The database is
then read with plain SQL: every station connected, its connector's status
stored, and nothing duplicated (one station row, one connection, one boot and
one status change per charger and phase).

    python -m bench.reconnect_storm --chargers 1000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

from bench.servers import (
    ServerProcess,
    chargedesk_command,
    chargedesk_env,
    free_port,
    raise_nofile_limit,
    read_cpu_seconds,
    read_machine_busy_seconds,
)

CALL_TIMEOUT = 30.0


@dataclass
class StormResult:
    chargers: int
    spread: float
    booted: int = 0
    failures: int = 0
    first_error: str = ""
    # Seconds from the storm's start until the last charger had both answers.
    all_online_seconds: float = 0.0
    p50_seconds: float = 0.0
    p99_seconds: float = 0.0
    # Seconds from the storm's start until half and all of the websockets were open.
    opened_p50_seconds: float = 0.0
    opened_all_seconds: float = 0.0
    connect_attempts: int = 0
    # CPU seconds the server and this process (the chargers) spent on the storm.
    server_cpu_seconds: float = 0.0
    chargers_cpu_seconds: float = 0.0
    other_cpu_cores: float = 0.0
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)
    db: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def _call(ws: ClientConnection, unique_id: str, action: str, payload: Any) -> Any:
    await ws.send(json.dumps([2, unique_id, action, payload], separators=(",", ":")))
    async with asyncio.timeout(CALL_TIMEOUT):
        while True:
            message = json.loads(await ws.recv())
            if message[0] == 2:  # e.g. GetConfiguration after a boot
                await ws.send(json.dumps([4, message[1], "NotSupported", "", {}]))
                continue
            if message[1] == unique_id:
                if message[0] != 3:
                    raise RuntimeError(f"{action}: {message}")
                return message[2]


async def come_online(
    url: str, station_id: str, status: str, opened: list[float] | None = None
) -> tuple[ClientConnection, int]:
    """Connect (retrying a refused connect), boot, report connector 1; return the socket.

    With `opened`, the loop time the websocket opened is appended to it.
    """
    attempts = 0
    while True:
        attempts += 1
        try:
            ws = await connect(
                f"{url}/{station_id}",
                subprotocols=[Subprotocol("ocpp1.6")],
                compression=None,
                open_timeout=CALL_TIMEOUT,
                ping_interval=None,
                close_timeout=2,
            )
            if opened is not None:
                opened.append(asyncio.get_running_loop().time())
            break
        except (OSError, WebSocketException):
            if attempts >= 5:
                raise
            await asyncio.sleep(0.2 * attempts)
    boot = await _call(
        ws, "1", "BootNotification", {"chargePointVendor": "Storm", "chargePointModel": "S1"}
    )
    if boot.get("status") != "Accepted":
        raise RuntimeError(f"{station_id}: BootNotification answered {boot}")
    await _call(
        ws, "2", "StatusNotification", {"connectorId": 1, "status": status, "errorCode": "NoError"}
    )
    return ws, attempts


async def register(url: str, station_ids: list[str], concurrency: int = 50) -> None:
    """The calm before: every charger comes online once, a few at a time, and leaves."""
    limit = asyncio.Semaphore(concurrency)
    sockets: list[ClientConnection] = []

    async def one(station_id: str) -> None:
        async with limit:
            ws, _ = await come_online(url, station_id, "Available")
            sockets.append(ws)

    await asyncio.gather(*(one(s) for s in station_ids))
    # All drop at once, without a closing handshake: the site's network went away.
    for ws in sockets:
        ws.transport.abort()
    await asyncio.gather(*(ws.wait_closed() for ws in sockets), return_exceptions=True)


async def storm(
    url: str, station_ids: list[str], spread: float = 1.0
) -> tuple[StormResult, list[ClientConnection]]:
    """All chargers reconnect, evenly spread over `spread` seconds; return them still online."""
    result = StormResult(len(station_ids), spread)
    loop = asyncio.get_running_loop()
    began = loop.time()
    done_at: list[float] = []
    opened: list[float] = []
    sockets: list[ClientConnection] = []

    async def one(n: int, station_id: str) -> None:
        await asyncio.sleep(max(0.0, began + spread * n / len(station_ids) - loop.time()))
        try:
            ws, attempts = await come_online(url, station_id, "Preparing", opened)
        except (OSError, TimeoutError, WebSocketException, RuntimeError) as exc:
            result.failures += 1
            result.first_error = result.first_error or f"{station_id}: {exc!r}"
            return
        result.connect_attempts += attempts
        done_at.append(loop.time() - began)
        sockets.append(ws)

    busy0 = read_machine_busy_seconds()
    await asyncio.gather(*(one(n, s) for n, s in enumerate(station_ids)))
    elapsed = loop.time() - began
    result.other_cpu_cores = (read_machine_busy_seconds() - busy0) / max(elapsed, 1e-3)
    result.load_average = os.getloadavg()
    result.booted = len(done_at)
    done_at.sort()
    opened = sorted(t - began for t in opened)
    if opened:
        result.opened_p50_seconds = opened[len(opened) // 2]
        result.opened_all_seconds = opened[-1]
    if done_at:
        result.all_online_seconds = done_at[-1]
        result.p50_seconds = done_at[len(done_at) // 2]
        result.p99_seconds = done_at[min(len(done_at) - 1, int(len(done_at) * 0.99))]
    return result, sockets


async def close_all(sockets: list[ClientConnection]) -> None:
    await asyncio.gather(
        *(asyncio.wait_for(ws.close(), 5) for ws in sockets), return_exceptions=True
    )


def database_counts(db_path: Path, prefix: str) -> dict[str, int]:
    """What the server stored, per kind of fact, for the stations of this run."""
    like = f"{prefix}%"
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:

        def one(sql: str, *args: object) -> int:
            return int(db.execute(sql, (like, *args)).fetchone()[0])

        def per_station(kind: str) -> Counter[int]:
            rows = db.execute(
                "SELECT count(*) FROM events WHERE station_id LIKE ? AND kind = ? "
                "GROUP BY station_id",
                (like, kind),
            )
            return Counter(int(n) for (n,) in rows)

        counts = {
            "stations": one("SELECT count(*) FROM stations WHERE id LIKE ?"),
            "connected": one("SELECT count(*) FROM stations WHERE id LIKE ? AND connected = 1"),
            "connectors": one("SELECT count(*) FROM connectors WHERE station_id LIKE ?"),
            "connectors_preparing": one(
                "SELECT count(*) FROM connectors WHERE station_id LIKE ? AND status = ?",
                "Preparing",
            ),
            "status_history": one("SELECT count(*) FROM status_history WHERE station_id LIKE ?"),
        }
        for kind in ("station.connected", "station.boot", "station.disconnected"):
            spread = per_station(kind)
            counts[f"{kind} total"] = sum(n * k for n, k in spread.items())
            counts[f"{kind} max per station"] = max(spread, default=0)
    return counts


async def wait_connected(db_path: Path, prefix: str, connected: int, timeout: float) -> None:
    """Bounded wait until the server has stored this many of the stations as connected."""
    async with asyncio.timeout(timeout):
        while True:
            if database_counts(db_path, prefix)["connected"] == connected:
                return
            # The database is another process's: polling is all there is.
            await asyncio.sleep(0.2)


async def run_storm_bench(chargers: int, spread: float, workdir: Path) -> StormResult:
    port = free_port()
    db_path = workdir / "chargedesk.sqlite3"
    prefix = "STORM-"
    ids = [f"{prefix}{n:05d}" for n in range(chargers)]
    env = chargedesk_env(workdir) | {"CHARGEDESK_API_ENABLED": "false"}
    server = ServerProcess(
        chargedesk_command(port, f"sqlite:///{db_path}"), port, workdir / "server.log", env
    )
    await asyncio.to_thread(server.start)
    try:
        url = f"ws://127.0.0.1:{port}/ocpp"
        await register(url, ids)
        await wait_connected(db_path, prefix, 0, timeout=120)
        cpu0, own0 = read_cpu_seconds(server.pid), time.process_time()
        result, sockets = await storm(url, ids, spread)
        result.server_cpu_seconds = read_cpu_seconds(server.pid) - cpu0
        result.chargers_cpu_seconds = time.process_time() - own0
        with contextlib.suppress(TimeoutError):
            await wait_connected(db_path, prefix, chargers, timeout=60)
        result.db = database_counts(db_path, prefix)
        await close_all(sockets)
    finally:
        await asyncio.to_thread(server.stop)
    return result


def problems(result: StormResult) -> list[str]:
    """What is wrong with a storm's outcome (empty: all online, nothing duplicated)."""
    n, db = result.chargers, result.db
    found = []
    if result.booted != n:
        found.append(f"{n - result.booted} chargers did not come back ({result.first_error})")
    expected = {"stations": n, "connected": n, "connectors": n, "connectors_preparing": n}
    found += [f"{k}: {db.get(k)} != {v}" for k, v in expected.items() if db.get(k) != v]
    # Two phases: registration and storm. Never more than one of each per phase.
    limits = {
        "station.connected max per station": 2,
        "station.boot max per station": 2,
        "station.disconnected max per station": 1,
        "status_history": 2 * n,
    }
    found += [f"{k}: {db.get(k)} > {v}" for k, v in limits.items() if db.get(k, 0) > v]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="1,000 chargers reconnect within one second")
    parser.add_argument("--chargers", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=1.0, help="seconds over which they return")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    raise_nofile_limit()
    with tempfile.TemporaryDirectory(prefix="reconnect-storm-") as tmp:
        started = time.monotonic()
        result = asyncio.run(run_storm_bench(args.chargers, args.spread, Path(tmp)))
        took = time.monotonic() - started
    wrong = problems(result)
    if args.json:
        print(json.dumps(result.as_dict() | {"problems": wrong, "bench_seconds": took}, indent=2))
    else:
        print(
            f"{result.booted}/{result.chargers} back online and booted "
            f"{result.all_online_seconds:.2f} s after the storm began "
            f"(p50 {result.p50_seconds:.2f} s, p99 {result.p99_seconds:.2f} s, "
            f"{result.connect_attempts} connects); machine {result.other_cpu_cores:.2f} cores "
            f"busy, load {result.load_average[0]:.1f}; db {result.db}; problems: {wrong or 'none'}"
        )
    return 0 if not wrong and result.all_online_seconds <= 10.0 else 1


if __name__ == "__main__":
    sys.exit(main())
