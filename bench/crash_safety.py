"""Crash safety: SIGKILL the server at random moments; nothing acknowledged may be lost.

`chargedesk serve` runs as a separate process on a temporary SQLite file.
Simulated chargers (bench/fault_chargers.py) start transactions, send meter
values and stop them, recording every message the server acknowledged. The
server is killed with SIGKILL after a random time, round after round, and
started again on the same database; the chargers reconnect and resend what was
not acknowledged, as OCPP 1.6 asks. After the last round every charger stops
its transaction, and the database is read with plain SQL:

- every acknowledged StartTransaction is there, with its id and meter start;
- every acknowledged StopTransaction closed its transaction with its meter stop;
- every acknowledged MeterValues is stored (by its energy register reading);
- no transaction is left open: each was reconciled when its charger came back.

    python -m bench.crash_safety --chargers 100 --rounds 20
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
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

from bench.fault_chargers import ENERGY, FaultCharger, Ledger
from bench.servers import (
    ServerProcess,
    chargedesk_command,
    chargedesk_env,
    free_port,
    raise_nofile_limit,
    read_machine_busy_seconds,
)


@dataclass(frozen=True, slots=True)
class CrashSpec:
    chargers: int = 100
    rounds: int = 20
    # Seconds the server runs (after it listens) before it is killed: uniform in this range.
    min_up: float = 0.2
    max_up: float = 4.0
    seed: int = 1
    meter_every: float = 0.05
    finish_timeout: float = 120.0
    prefix: str = "CRASH"


@dataclass
class CrashReport:
    chargers: int
    rounds: int
    kills: int = 0
    killed_by_sigkill: int = 0
    acked_starts: int = 0
    acked_stops: int = 0
    acked_meter_values: int = 0
    found_starts: int = 0
    found_stops: int = 0
    found_meter_values: int = 0
    lost: list[str] = field(default_factory=list)
    open_transactions_left: int = 0
    transactions_never_acked: int = 0
    duplicate_samples: int = 0
    resent_messages: int = 0
    reconnects: int = 0
    chargers_finished: int = 0
    start_seconds_mean: float = 0.0
    start_seconds_max: float = 0.0
    seconds: float = 0.0
    other_cpu_cores: float = 0.0
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def ok(self) -> bool:
        return (
            not self.lost
            and self.open_transactions_left == 0
            and self.chargers_finished == self.chargers
            and self.killed_by_sigkill == self.kills
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}


def _start(server: ServerProcess) -> float:
    began = time.monotonic()
    server.start()
    return time.monotonic() - began


async def _until_every_charger_has_meter_values(chargers: list[FaultCharger], limit: float) -> None:
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(limit):
            while True:
                if all(c.ledger.meter_values for c in chargers):
                    return
                await asyncio.sleep(0.1)


def _kill(server: ServerProcess) -> int:
    os.kill(server.pid, signal.SIGKILL)
    return server.stop(grace=10)


async def run_crash_safety(spec: CrashSpec, workdir: Path) -> CrashReport:
    """Run the rounds against a server in workdir; compare the chargers' ledgers with the DB."""
    rng = random.Random(spec.seed)
    port = free_port()
    db_path = workdir / "chargedesk.sqlite3"
    command = chargedesk_command(port, f"sqlite:///{db_path}")
    env = chargedesk_env(workdir)
    report = CrashReport(spec.chargers, spec.rounds)
    url = f"ws://127.0.0.1:{port}/ocpp"
    chargers = [
        FaultCharger(f"{spec.prefix}-{n:04d}", url, random.Random(rng.random()))
        for n in range(spec.chargers)
    ]
    began = time.monotonic()
    busy0 = read_machine_busy_seconds()
    starts: list[float] = []
    tasks = [asyncio.create_task(c.run(spec.meter_every)) for c in chargers]
    try:
        for n in range(spec.rounds):
            server = ServerProcess(command, port, workdir / f"server-{n:02d}.log", env)
            starts.append(await asyncio.to_thread(_start, server))
            if n == 0:
                # Kill no earlier than once every charger has data acknowledged, so that
                # there is something to lose however slowly this machine starts the server.
                await _until_every_charger_has_meter_values(chargers, spec.finish_timeout)
            await asyncio.sleep(rng.uniform(spec.min_up, spec.max_up))
            code = await asyncio.to_thread(_kill, server)
            report.kills += 1
            report.killed_by_sigkill += code == -signal.SIGKILL
        # The last start: everyone comes back, resends, stops, and leaves.
        server = ServerProcess(command, port, workdir / "server-final.log", env)
        starts.append(await asyncio.to_thread(_start, server))
        for charger in chargers:
            charger.finishing.set()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(spec.finish_timeout):
                await asyncio.gather(*(c.done.wait() for c in chargers))
        report.chargers_finished = sum(c.done.is_set() for c in chargers)
        await asyncio.to_thread(server.stop)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    report.seconds = time.monotonic() - began
    cores = (read_machine_busy_seconds() - busy0) / report.seconds
    report.other_cpu_cores = cores  # the whole machine: server, chargers and everyone else
    report.load_average = os.getloadavg()
    report.start_seconds_mean = sum(starts) / len(starts)
    report.start_seconds_max = max(starts)
    report.resent_messages = sum(c.ledger.resent for c in chargers)
    report.reconnects = sum(c.ledger.connects for c in chargers)
    compare(db_path, [c.ledger for c in chargers], report)
    return report


def compare(db_path: Path, ledgers: list[Ledger], report: CrashReport) -> None:
    """Read the database with plain SQL and check every acknowledged message against it."""
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT id, station_id, meter_start, state, meter_stop FROM transactions"
        ).fetchall()
        samples = Counter(
            (int(tx), round(value))
            for tx, value in db.execute(
                "SELECT transaction_id, value FROM meter_samples "
                "WHERE measurand = ? AND transaction_id IS NOT NULL",
                (ENERGY,),
            )
        )
    transactions = {int(r[0]): r for r in rows}
    acked_ids: set[int] = set()
    for ledger in ledgers:
        for tx_id, (meter_start, sent_at) in ledger.starts.items():
            acked_ids.add(tx_id)
            report.acked_starts += 1
            row = transactions.get(tx_id)
            if row is not None and row[1] == ledger.station_id and row[2] == meter_start:
                report.found_starts += 1
            else:
                report.lost.append(f"StartTransaction {tx_id} of {ledger.station_id} ({sent_at})")
        for tx_id, meter_stop in ledger.stops.items():
            report.acked_stops += 1
            row = transactions.get(tx_id)
            if row is not None and row[3] == "closed" and row[4] == meter_stop:
                report.found_stops += 1
            else:
                report.lost.append(f"StopTransaction {tx_id} of {ledger.station_id}: {row}")
        for tx_id, value in ledger.meter_values:
            report.acked_meter_values += 1
            if samples[(tx_id, value)] > 0:
                report.found_meter_values += 1
            else:
                report.lost.append(f"MeterValues {value} Wh of {ledger.station_id} (tx {tx_id})")
    report.open_transactions_left = sum(1 for r in rows if r[3] != "closed")
    report.transactions_never_acked = sum(1 for tx_id in transactions if tx_id not in acked_ids)
    report.duplicate_samples = sum(n - 1 for n in samples.values() if n > 1)


def summary(report: CrashReport) -> str:
    line = (
        f"{report.chargers} chargers, {report.kills} SIGKILLs: "
        f"starts {report.found_starts}/{report.acked_starts}, "
        f"stops {report.found_stops}/{report.acked_stops}, "
        f"meter values {report.found_meter_values}/{report.acked_meter_values} found; "
        f"{report.open_transactions_left} open left, {report.transactions_never_acked} never "
        f"acknowledged, {report.duplicate_samples} duplicate samples, "
        f"{report.resent_messages} resent, {report.reconnects} connects, "
        f"{report.chargers_finished} finished; server start {report.start_seconds_mean:.1f} s "
        f"(max {report.start_seconds_max:.1f}); {report.seconds:.0f} s, machine "
        f"{report.other_cpu_cores:.2f} cores busy, load {report.load_average[0]:.1f}"
    )
    if report.lost:
        line += f"\nLOST: {report.lost[:10]}"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chargers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--min-up", type=float, default=0.2)
    parser.add_argument("--max-up", type=float, default=4.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (logs, database)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    raise_nofile_limit()
    spec = CrashSpec(args.chargers, args.rounds, args.min_up, args.max_up, args.seed)
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        report = asyncio.run(run_crash_safety(spec, Path(args.keep)))
    else:
        with tempfile.TemporaryDirectory(prefix="crash-safety-") as tmp:
            report = asyncio.run(run_crash_safety(spec, Path(tmp)))
    print(json.dumps(report.as_dict(), indent=2) if args.json else summary(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
