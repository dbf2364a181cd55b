"""OCPP 1.6J load generator: N stations in their own process(es), raw websockets + json.

Every station connects, boots, starts one transaction, then (mode "meter")
sends MeterValues back to back, the next only after the previous reply, as a
real charger does; or (mode "heartbeat") sends a Heartbeat every few seconds.
Calls sent inside the measurement window (after the warm-up) and answered
before it closes are counted and their latency recorded; every acknowledged
MeterValues is counted too, so the caller can check that the server stored it.

The generator does not use the `ocpp` client class (schema validation and
dataclass conversion on the client would make the generator the bottleneck);
it offers no permessage-deflate, as many chargers do not.

    python -m bench.loadgen --url ws://127.0.0.1:9000/ocpp --stations 50 --duration 15
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import multiprocessing as mp
import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from multiprocessing.queues import Queue as MpQueue
from multiprocessing.synchronize import Event as MpEvent
from pathlib import Path
from typing import Any, Literal

if __name__ == "__main__" and not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.typing import Subprotocol

from bench.servers import (
    raise_nofile_limit,
    read_cpu_seconds,
    read_machine_busy_seconds,
    read_rss_kb,
)

Mode = Literal["meter", "heartbeat"]

ID_TAG = "BENCHTAG"
SAMPLES_PER_CALL = 4
CONNECT_CONCURRENCY = 64
CALL_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class LoadSpec:
    url: str
    stations: int
    duration: float = 15.0
    warmup: float = 3.0
    processes: int = 1
    mode: Mode = "meter"
    heartbeat_every: float = 5.0
    # 0: MeterValues back to back; > 0: one MeterValues per station every this many seconds.
    meter_every: float = 0.0
    station_prefix: str = "bench"
    setup_timeout: float = 120.0


@dataclass(slots=True)
class WorkerResult:
    worker: int
    connected: int = 0
    booted: int = 0
    transactions: int = 0
    setup_failures: int = 0
    errors: int = 0
    disconnects: int = 0
    calls_in_window: int = 0
    acked_meter_values: int = 0
    acked_heartbeats: int = 0
    open_at_end: int = 0
    cpu_seconds_in_window: float = 0.0
    setup_seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    first_error: str = ""


@dataclass(frozen=True, slots=True)
class LoadResult:
    stations: int
    processes: int
    mode: str
    duration: float
    meter_every: float
    connected: int
    booted: int
    transactions: int
    setup_failures: int
    errors: int
    disconnects: int
    calls: int
    calls_per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    acked_meter_values: int
    samples_per_call: int
    open_at_end: int
    loadgen_cpu_cores: float
    server_cpu_cores: float | None
    # Everything else the machine ran meanwhile (other people's tests, the profiler, ...).
    other_cpu_cores: float
    server_rss_start_kb: int | None
    server_rss_end_kb: int | None
    server_rss_peak_kb: int | None
    setup_seconds: float
    first_error: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


# ---- one station --------------------------------------------------------------------


class CallFailed(Exception):
    pass


class Station:
    """One simulated charger: one socket, one outstanding call at a time."""

    def __init__(self, station_id: str, ws: ClientConnection) -> None:
        self.station_id = station_id
        self.ws = ws
        self._ids = itertools.count(1)
        self.transaction_id = 0
        self.energy_wh = random.randint(0, 100_000)

    async def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        unique_id = str(next(self._ids))
        await self.ws.send(json.dumps([2, unique_id, action, payload], separators=(",", ":")))
        while True:
            message = json.loads(await self.ws.recv())
            if message[0] == 2:
                await self._answer(message)
                continue
            if message[1] != unique_id:
                continue
            if message[0] == 3:
                result: dict[str, Any] = message[2]
                return result
            raise CallFailed(f"{action}: CALLERROR {message[2]} {message[3]}")

    async def _answer(self, message: list[Any]) -> None:
        """Answer a call the server makes (for example GetConfiguration after boot)."""
        unique_id, action = message[1], message[2]
        if action == "GetConfiguration":
            reply: list[Any] = [3, unique_id, {"configurationKey": [], "unknownKey": []}]
        else:
            reply = [4, unique_id, "NotSupported", "not simulated by the load generator", {}]
        await self.ws.send(json.dumps(reply, separators=(",", ":")))

    def meter_values_payload(self) -> dict[str, Any]:
        self.energy_wh += random.randint(5, 50)
        return {
            "connectorId": 1,
            "transactionId": self.transaction_id,
            "meterValue": [
                {
                    "timestamp": _timestamp(),
                    "sampledValue": [
                        {
                            "value": str(self.energy_wh),
                            "context": "Sample.Periodic",
                            "measurand": "Energy.Active.Import.Register",
                            "location": "Outlet",
                            "unit": "Wh",
                        },
                        {"value": "7180", "measurand": "Power.Active.Import", "unit": "W"},
                        {
                            "value": "31.2",
                            "measurand": "Current.Import",
                            "phase": "L1",
                            "unit": "A",
                        },
                        {"value": "230.4", "measurand": "Voltage", "phase": "L1-N", "unit": "V"},
                    ],
                }
            ],
        }


def _timestamp() -> str:
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"


# ---- one worker process ----------------------------------------------------------------


@dataclass(slots=True)
class _Window:
    start: float = 0.0  # measurement window on the system-wide monotonic clock
    end: float = 0.0
    go: asyncio.Event = field(default_factory=asyncio.Event)


async def _setup_station(
    spec: LoadSpec, station_id: str, limit: asyncio.Semaphore, result: WorkerResult
) -> Station | None:
    try:
        async with limit:
            ws = await connect(
                f"{spec.url.rstrip('/')}/{station_id}",
                subprotocols=[Subprotocol("ocpp1.6")],
                compression=None,
                open_timeout=60,
                ping_interval=None,
                close_timeout=5,
                max_queue=64,
            )
        result.connected += 1
        station = Station(station_id, ws)
        async with asyncio.timeout(CALL_TIMEOUT):
            boot = await station.call(
                "BootNotification",
                {"chargePointVendor": "ChargeDesk", "chargePointModel": "LoadGen"},
            )
        if boot.get("status") != "Accepted":
            raise CallFailed(f"BootNotification answered {boot.get('status')}")
        result.booted += 1
        if spec.mode == "meter":
            async with asyncio.timeout(CALL_TIMEOUT):
                start = await station.call(
                    "StartTransaction",
                    {
                        "connectorId": 1,
                        "idTag": ID_TAG,
                        "meterStart": station.energy_wh,
                        "timestamp": _timestamp(),
                    },
                )
            station.transaction_id = int(start["transactionId"])
            result.transactions += 1
        return station
    except (OSError, TimeoutError, WebSocketException, CallFailed, KeyError) as exc:
        result.setup_failures += 1
        result.first_error = result.first_error or f"{station_id}: {exc!r}"
        return None


async def _drive_meter(
    station: Station, window: _Window, spec: LoadSpec, result: WorkerResult
) -> None:
    await window.go.wait()
    if spec.meter_every > 0:
        await asyncio.sleep(random.uniform(0, spec.meter_every))
    now = time.monotonic()
    while now < window.end:
        sent = time.perf_counter()
        async with asyncio.timeout(CALL_TIMEOUT):
            await station.call("MeterValues", station.meter_values_payload())
        took = time.perf_counter() - sent
        result.acked_meter_values += 1
        if now >= window.start and time.monotonic() <= window.end:
            result.calls_in_window += 1
            result.latencies_ms.append(took * 1000)
        if spec.meter_every > 0:
            await asyncio.sleep(max(0.0, now + spec.meter_every - time.monotonic()))
        now = time.monotonic()


async def _drive_heartbeat(
    station: Station, window: _Window, spec: LoadSpec, result: WorkerResult
) -> None:
    await window.go.wait()
    # Spread the stations over the interval, as chargers booted at random times would be.
    await asyncio.sleep(random.uniform(0, spec.heartbeat_every))
    while time.monotonic() < window.end:
        now = time.monotonic()
        sent = time.perf_counter()
        async with asyncio.timeout(CALL_TIMEOUT):
            await station.call("Heartbeat", {})
        took = time.perf_counter() - sent
        result.acked_heartbeats += 1
        if now >= window.start and time.monotonic() <= window.end:
            result.calls_in_window += 1
            result.latencies_ms.append(took * 1000)
        await asyncio.sleep(max(0.0, spec.heartbeat_every - took))


async def _drive(station: Station, window: _Window, spec: LoadSpec, result: WorkerResult) -> None:
    try:
        if spec.mode == "meter":
            await _drive_meter(station, window, spec, result)
        else:
            await _drive_heartbeat(station, window, spec, result)
    except ConnectionClosed as exc:
        result.disconnects += 1
        result.first_error = result.first_error or f"{station.station_id}: {exc!r}"
    except (TimeoutError, CallFailed, OSError, WebSocketException) as exc:
        result.errors += 1
        result.first_error = result.first_error or f"{station.station_id}: {exc!r}"


def _cpu_seconds_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _worker_main(
    spec: LoadSpec,
    worker: int,
    station_ids: list[str],
    ready: MpQueue[tuple[int, int]],
    go: MpEvent,
    window_start: Any,
) -> WorkerResult:
    result = WorkerResult(worker)
    began = time.monotonic()
    limit = asyncio.Semaphore(CONNECT_CONCURRENCY)
    set_up = await asyncio.gather(
        *(_setup_station(spec, sid, limit, result) for sid in station_ids)
    )
    stations = [s for s in set_up if s is not None]
    result.setup_seconds = time.monotonic() - began
    ready.put((worker, len(stations)))
    window = _Window()
    drivers = [asyncio.create_task(_drive(station, window, spec, result)) for station in stations]
    released = await asyncio.to_thread(go.wait, spec.setup_timeout + 30)
    if released:
        window.start = float(window_start.value)
        window.end = window.start + spec.duration
        window.go.set()
        await asyncio.sleep(max(0.0, window.start - time.monotonic()))
        cpu_start = _cpu_seconds_self()
        await asyncio.sleep(max(0.0, window.end - time.monotonic()))
        result.cpu_seconds_in_window = _cpu_seconds_self() - cpu_start
        # Let every station finish its last call (bounded), then count who is still up.
        await asyncio.wait(drivers, timeout=CALL_TIMEOUT + 5)
    for task in drivers:
        task.cancel()
    await asyncio.gather(*drivers, return_exceptions=True)
    result.open_at_end = sum(1 for s in stations if s.ws.close_code is None)
    await asyncio.gather(
        *(asyncio.wait_for(s.ws.close(), 10) for s in stations), return_exceptions=True
    )
    return result


def _worker_entry(
    spec: LoadSpec,
    worker: int,
    station_ids: list[str],
    ready: MpQueue[tuple[int, int]],
    go: MpEvent,
    window_start: Any,
    results: MpQueue[WorkerResult],
) -> None:
    raise_nofile_limit()
    limit = spec.setup_timeout + spec.warmup + spec.duration + 3 * CALL_TIMEOUT + 60
    try:
        result = asyncio.run(
            asyncio.wait_for(
                _worker_main(spec, worker, station_ids, ready, go, window_start), limit
            )
        )
    except BaseException as exc:  # report, never hang the parent
        result = WorkerResult(worker, first_error=f"worker {worker} crashed: {exc!r}")
        ready.put((worker, -1))
    results.put(result)


# ---- the parent: split, synchronise, merge -------------------------------------------------


def run_load(
    spec: LoadSpec,
    server_pid: int | None = None,
    on_window: Callable[[str], None] | None = None,
) -> LoadResult:
    """Run the load in spec.processes worker processes and merge their figures.

    With server_pid, the server's CPU time and RSS are sampled over the window.
    on_window("start") / on_window("end") let the caller probe the server too.
    """
    ctx = mp.get_context("spawn")
    ready: MpQueue[tuple[int, int]] = ctx.Queue()
    results: MpQueue[WorkerResult] = ctx.Queue()
    go = ctx.Event()
    window_start = ctx.Value("d", 0.0)
    ids = [f"{spec.station_prefix}-{i:05d}" for i in range(spec.stations)]
    slices = [ids[w :: spec.processes] for w in range(spec.processes)]
    workers = [
        ctx.Process(
            target=_worker_entry,
            args=(spec, w, slices[w], ready, go, window_start, results),
            daemon=True,
            name=f"loadgen-{w}",
        )
        for w in range(spec.processes)
    ]
    for process in workers:
        process.start()
    try:
        for _ in workers:
            ready.get(timeout=spec.setup_timeout + 30)
        start = time.monotonic() + spec.warmup
        window_start.value = start
        go.set()
        cpu0 = rss0 = None
        peak = 0
        time.sleep(max(0.0, start - time.monotonic()))
        machine0 = read_machine_busy_seconds()
        if server_pid is not None:
            cpu0 = read_cpu_seconds(server_pid)
            rss0 = read_rss_kb(server_pid)
            peak = rss0
        if on_window is not None:
            on_window("start")
        end = start + spec.duration
        while (left := end - time.monotonic()) > 0:
            time.sleep(min(1.0, left))
            if server_pid is not None:
                peak = max(peak, read_rss_kb(server_pid))
        machine_cores = (read_machine_busy_seconds() - machine0) / spec.duration
        server_cores = rss1 = None
        if server_pid is not None and cpu0 is not None:
            server_cores = (read_cpu_seconds(server_pid) - cpu0) / spec.duration
            rss1 = read_rss_kb(server_pid)
            peak = max(peak, rss1)
        if on_window is not None:
            on_window("end")
        parts = [results.get(timeout=3 * CALL_TIMEOUT + 60) for _ in workers]
    finally:
        go.set()
        for process in workers:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
    latencies = sorted(itertools.chain.from_iterable(p.latencies_ms for p in parts))
    calls = sum(p.calls_in_window for p in parts)
    loadgen_cores = sum(p.cpu_seconds_in_window for p in parts) / spec.duration
    return LoadResult(
        stations=spec.stations,
        processes=spec.processes,
        mode=spec.mode,
        duration=spec.duration,
        meter_every=spec.meter_every,
        connected=sum(p.connected for p in parts),
        booted=sum(p.booted for p in parts),
        transactions=sum(p.transactions for p in parts),
        setup_failures=sum(p.setup_failures for p in parts),
        errors=sum(p.errors for p in parts),
        disconnects=sum(p.disconnects for p in parts),
        calls=calls,
        calls_per_second=calls / spec.duration,
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        max_ms=latencies[-1] if latencies else 0.0,
        acked_meter_values=sum(p.acked_meter_values for p in parts),
        samples_per_call=SAMPLES_PER_CALL,
        open_at_end=sum(p.open_at_end for p in parts),
        loadgen_cpu_cores=loadgen_cores,
        server_cpu_cores=server_cores,
        other_cpu_cores=max(0.0, machine_cores - loadgen_cores - (server_cores or 0.0)),
        server_rss_start_kb=rss0,
        server_rss_end_kb=rss1,
        server_rss_peak_kb=peak if server_pid is not None else None,
        setup_seconds=max((p.setup_seconds for p in parts), default=0.0),
        first_error=next((p.first_error for p in parts if p.first_error), ""),
    )


def summary(result: LoadResult) -> str:
    pacing = f" every {result.meter_every:g} s" if result.meter_every else ""
    line = (
        f"{result.stations} stations{pacing} ({result.processes} proc): "
        f"{result.calls_per_second:.0f} calls/s, p50 {result.p50_ms:.1f} ms, "
        f"p99 {result.p99_ms:.1f} ms, max {result.max_ms:.1f} ms; "
        f"loadgen {result.loadgen_cpu_cores * 100:.0f}% CPU"
    )
    if result.server_cpu_cores is not None:
        line += f", server {result.server_cpu_cores * 100:.0f}% CPU"
    line += f", others {result.other_cpu_cores * 100:.0f}% CPU"
    if result.setup_failures or result.errors or result.disconnects:
        line += (
            f"; {result.setup_failures} setup failures, {result.errors} errors, "
            f"{result.disconnects} disconnects ({result.first_error})"
        )
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="OCPP 1.6J load generator")
    parser.add_argument("--url", required=True, help="ws://127.0.0.1:PORT/ocpp")
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--mode", choices=["meter", "heartbeat"], default="meter")
    parser.add_argument("--heartbeat-every", type=float, default=5.0)
    parser.add_argument(
        "--meter-every",
        type=float,
        default=0.0,
        help="seconds between MeterValues (0: back to back)",
    )
    parser.add_argument("--prefix", default="bench")
    parser.add_argument("--server-pid", type=int, help="sample this process's CPU and RSS")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    spec = LoadSpec(
        url=args.url,
        stations=args.stations,
        duration=args.duration,
        warmup=args.warmup,
        processes=args.processes,
        mode=args.mode,
        heartbeat_every=args.heartbeat_every,
        meter_every=args.meter_every,
        station_prefix=args.prefix,
    )
    result = run_load(spec, server_pid=args.server_pid)
    print(json.dumps(result.as_dict(), indent=2) if args.json else summary(result))
    return 0 if not (result.setup_failures or result.errors) else 1


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
