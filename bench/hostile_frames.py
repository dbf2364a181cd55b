"""Hostile frames: 100,000 generated malformed or hostile frames against a running server.

`chargedesk serve` runs as a separate process. Many fuzzing connections send
frames from a seeded generator (bench/hostile_generator.py), each with the
answer OCPP-J 1.6 calls for: a CALLRESULT, a CALLERROR with a given code (or
any proper code, for noise in a payload), nothing at all (unanswerable frames
are logged and dropped), or a close (1009 for a frame over the size limit, 1002
after too many unanswerable frames in a row). Frames go out in batches closed
by a Heartbeat; a connection handles frames in order, so once the Heartbeat is
answered every answer to the batch is in and can be checked.

Meanwhile a control charger sends a Heartbeat and a MeterValues of its open
transaction every half second: its worst latency is reported, and every
MeterValues it got acknowledged must be in the database afterwards. Last, the
handshake defences: a flood of sockets from one address and slow-loris clients
are cut off while the control charger keeps being answered.

    python -m bench.hostile_frames --frames 100000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.typing import Subprotocol

from bench.fault_chargers import ENERGY, timestamp
from bench.hostile_generator import FrameGenerator, GeneratedFrame
from bench.hostile_handshakes import handshake_attacks
from bench.servers import (
    ServerProcess,
    chargedesk_command,
    chargedesk_env,
    free_port,
    raise_nofile_limit,
    read_cpu_seconds,
    read_machine_busy_seconds,
    read_rss_kb,
)
from tests.fakes.ocpp_errors import OCPP16_ERROR_CODES

BATCH = 20


async def open_charger(url: str) -> ClientConnection:
    return await connect(
        url,
        subprotocols=[Subprotocol("ocpp1.6")],
        compression=None,
        open_timeout=30,
        ping_interval=None,
        close_timeout=2,
    )


@dataclass
class HostileReport:
    frames: int = 0
    connections: int = 0
    seconds: float = 0.0
    frames_per_second: float = 0.0
    expected: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)
    closes: Counter[int] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    wrong_count: int = 0
    control_calls: int = 0
    control_errors: int = 0
    control_max_ms: float = 0.0
    control_meter_values_acked: int = 0
    control_meter_values_stored: int = 0
    server_alive: bool = False
    fresh_charger_booted: bool = False
    server_cpu_cores: float = 0.0
    other_cpu_cores: float = 0.0
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)
    handshake: dict[str, Any] = field(default_factory=dict)

    def note_wrong(self, what: str) -> None:
        self.wrong_count += 1
        if len(self.wrong) < 20:
            self.wrong.append(what[:300])

    def as_dict(self) -> dict[str, Any]:
        # Not asdict(): it rebuilds a Counter from (key, count) pairs, counting the pairs.
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, Counter) else value


class FuzzConnection:
    """One fuzzing connection: sends batches, checks every answer, reconnects after a close."""

    def __init__(self, url: str, station_id: str, report: HostileReport) -> None:
        self.url = f"{url}/{station_id}"
        self.report = report
        self.ws: ClientConnection | None = None
        self._sentinels = 0

    async def _connection(self) -> ClientConnection:
        if self.ws is None or self.ws.close_code is not None:
            self.ws = await open_charger(self.url)
            self.report.connections += 1
        return self.ws

    async def send_batch(self, frames: list[GeneratedFrame]) -> None:
        ws = await self._connection()
        self._sentinels += 1
        sentinel = f"sentinel-{self._sentinels}"
        try:
            for frame in frames:
                await ws.send(frame.data)
            await ws.send(json.dumps([2, sentinel, "Heartbeat", {}]))
            answers = await self._answers_until(ws, sentinel)
        except ConnectionClosed:
            answers = None
        closed = ws.close_code is not None
        if closed:
            with contextlib.suppress(Exception):
                await ws.wait_closed()
            self.report.closes[ws.close_code or 0] += 1
        self._check(frames, answers, ws.close_code if closed else None)

    async def _answers_until(self, ws: ClientConnection, sentinel: str) -> dict[str, list[Any]]:
        answers: dict[str, list[Any]] = {}
        async with asyncio.timeout(60):
            while True:
                message = json.loads(await ws.recv())
                if message[0] == 2:  # a call from the server: not ours to check
                    await ws.send(json.dumps([4, message[1], "NotSupported", "", {}]))
                    continue
                if message[1] == sentinel:
                    return answers
                answers[str(message[1])] = message

    def _check(
        self, frames: list[GeneratedFrame], answers: dict[str, list[Any]] | None, close: int | None
    ) -> None:
        report = self.report
        for frame in frames:
            report.frames += 1
            report.expected[frame.expect.kind] += 1
        if answers is None:
            # Closed within the batch: only an oversize frame or a run of unanswerable ones may.
            if close == 1009 and any(f.expect.kind == "close" for f in frames):
                return
            if close == 1002:
                return
            report.note_wrong(f"closed with {close} in a batch of {[f.label for f in frames]}")
            return
        for frame in frames:
            answer = answers.pop(frame.unique_id, None) if frame.unique_id else None
            self._check_one(frame, answer)
        for unique_id, answer in answers.items():
            report.note_wrong(f"an answer nobody asked for ({unique_id}): {answer}")

    def _check_one(self, frame: GeneratedFrame, answer: list[Any] | None) -> None:
        report, expect = self.report, frame.expect
        if answer is None:
            report.answers["none"] += 1
            if expect.kind not in ("none", "close"):
                report.note_wrong(f"{frame.label}: no answer, expected {expect}")
            return
        if answer[0] == 3 and len(answer) == 3 and isinstance(answer[2], dict):
            report.answers["result"] += 1
            if expect.kind not in ("result", "any"):
                report.note_wrong(f"{frame.label}: CALLRESULT, expected {expect}: {frame.data!r}")
            return
        well_formed = (
            answer[0] == 4
            and len(answer) == 5
            and answer[2] in OCPP16_ERROR_CODES
            and answer[2] != "InternalError"
            and isinstance(answer[3], str)
            and isinstance(answer[4], dict)
        )
        report.answers[str(answer[2]) if well_formed else "malformed"] += 1
        if not well_formed:
            report.note_wrong(f"{frame.label}: malformed answer {answer}")
        elif expect.kind == "error" and expect.code not in ("", answer[2]):
            report.note_wrong(f"{frame.label}: {answer[2]}, expected {expect.code}: {frame.data!r}")
        elif expect.kind not in ("error", "any"):
            report.note_wrong(f"{frame.label}: {answer[2]}, expected {expect}: {frame.data!r}")


async def control_charger(url: str, report: HostileReport, stop: asyncio.Event) -> None:
    """A well-behaved charger charging throughout: Heartbeat and MeterValues every 0.5 s."""
    ws = await open_charger(f"{url}/CONTROL")
    ids = iter(range(1, 10**9))

    async def call(action: str, payload: dict[str, Any]) -> dict[str, Any]:
        unique_id = str(next(ids))
        sent = time.perf_counter()
        await ws.send(json.dumps([2, unique_id, action, payload]))
        async with asyncio.timeout(30):
            while True:
                message = json.loads(await ws.recv())
                if message[0] == 2:
                    await ws.send(json.dumps([4, message[1], "NotSupported", "", {}]))
                elif message[1] == unique_id:
                    break
        report.control_calls += 1
        report.control_max_ms = max(report.control_max_ms, (time.perf_counter() - sent) * 1000)
        if message[0] != 3:
            report.control_errors += 1
            raise RuntimeError(f"control {action}: {message}")
        result: dict[str, Any] = message[2]
        return result

    await call("BootNotification", {"chargePointVendor": "Control", "chargePointModel": "C"})
    energy = 1000
    start = {"connectorId": 1, "idTag": "CONTROL", "meterStart": energy, "timestamp": timestamp()}
    tx_id = (await call("StartTransaction", start))["transactionId"]
    try:
        while not stop.is_set():
            await call("Heartbeat", {})
            energy += 10
            sample = {"value": str(energy), "measurand": ENERGY, "unit": "Wh"}
            await call(
                "MeterValues",
                {
                    "connectorId": 1,
                    "transactionId": tx_id,
                    "meterValue": [{"timestamp": timestamp(), "sampledValue": [sample]}],
                },
            )
            report.control_meter_values_acked += 1
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.5):
                    await stop.wait()
    except (OSError, TimeoutError, WebSocketException, RuntimeError) as exc:
        report.control_errors += 1
        report.note_wrong(f"control charger failed: {exc!r}")
    finally:
        await ws.close()


async def fuzz(url: str, frames: int, connections: int, seed: int, report: HostileReport) -> None:
    per_connection = frames // connections

    async def worker(n: int) -> None:
        generator = FrameGenerator(random.Random(seed * 1_000_003 + n), prefix=f"w{n}-")
        fuzzer = FuzzConnection(url, f"FUZZ-{n:03d}", report)
        sent = 0
        while sent < per_connection:
            batch = [generator.next() for _ in range(min(BATCH, per_connection - sent))]
            try:
                await fuzzer.send_batch(batch)
            except (OSError, TimeoutError, WebSocketException) as exc:
                report.note_wrong(f"FUZZ-{n:03d}: {exc!r}")
                fuzzer.ws = None
            sent += len(batch)
        if fuzzer.ws is not None:
            await fuzzer.ws.close()

    await asyncio.gather(*(worker(n) for n in range(connections)))


def stored_control_samples(db_path: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        row = db.execute(
            "SELECT count(*) FROM meter_samples WHERE station_id = 'CONTROL' AND measurand = ?",
            (ENERGY,),
        ).fetchone()
    return int(row[0])


async def run_hostile(frames: int, connections: int, seed: int, workdir: Path) -> HostileReport:
    report = HostileReport()
    port = free_port()
    db_path = workdir / "chargedesk.sqlite3"
    env = chargedesk_env(workdir) | {
        "CHARGEDESK_API_ENABLED": "false",
        # The handshake phase attacks from 127.0.0.1, exempt by default.
        "CHARGEDESK_OCPP_CONNECTION_LIMIT_EXEMPT": "",
        "CHARGEDESK_OCPP_MAX_CONNECTIONS_PER_ADDRESS": str(connections + 50),
    }
    server = ServerProcess(
        chargedesk_command(port, f"sqlite:///{db_path}"), port, workdir / "server.log", env
    )
    url = f"ws://127.0.0.1:{port}/ocpp"
    await asyncio.to_thread(server.start)
    try:
        stop = asyncio.Event()
        control = asyncio.create_task(control_charger(url, report, stop))
        busy0, cpu0, began = read_machine_busy_seconds(), read_cpu_seconds(server.pid), time.time()
        await fuzz(url, frames, connections, seed, report)
        report.seconds = time.time() - began
        report.server_cpu_cores = (read_cpu_seconds(server.pid) - cpu0) / report.seconds
        machine = (read_machine_busy_seconds() - busy0) / report.seconds
        report.other_cpu_cores = max(0.0, machine - report.server_cpu_cores)
        report.load_average = os.getloadavg()
        report.frames_per_second = report.frames / report.seconds
        report.handshake = await handshake_attacks(
            "127.0.0.1", port, limit=connections + 50, slow_clients=20
        )
        stop.set()
        await control
        report.server_alive = read_rss_kb(server.pid) > 0
        fresh = await open_charger(f"{url}/FRESH")
        boot = {"chargePointVendor": "V", "chargePointModel": "M"}
        await fresh.send(json.dumps([2, "b", "BootNotification", boot]))
        answer = json.loads(await asyncio.wait_for(fresh.recv(), 30))
        report.fresh_charger_booted = answer[0] == 3 and answer[2].get("status") == "Accepted"
        await fresh.close()
    finally:
        await asyncio.to_thread(server.stop)
    report.control_meter_values_stored = stored_control_samples(db_path)
    return report


def ok(report: HostileReport) -> bool:
    return (
        report.wrong_count == 0
        and report.server_alive
        and report.fresh_charger_booted
        and report.control_errors == 0
        and report.control_meter_values_stored == report.control_meter_values_acked
        and bool(report.handshake.get("ok"))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="hostile frames against a running server")
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    raise_nofile_limit()
    with tempfile.TemporaryDirectory(prefix="hostile-frames-") as tmp:
        report = asyncio.run(run_hostile(args.frames, args.connections, args.seed, Path(tmp)))
    print(json.dumps(report.as_dict() | {"ok": ok(report)}, indent=2, default=str))
    return 0 if ok(report) else 1


if __name__ == "__main__":
    sys.exit(main())
