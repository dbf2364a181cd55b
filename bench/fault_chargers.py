"""Simulated OCPP 1.6J chargers that keep a ledger of what the server acknowledged.

Each charger behaves as OCPP 1.6 §4.8 asks of a real one: transaction-related
messages (StartTransaction, StopTransaction, MeterValues of a transaction) are
queued and sent in order; one leaves the queue only when its CallResult has
arrived, and the queue is resent, oldest first, after every reconnect. What
arrived acknowledged is written to the ledger, which the benchmarks compare
with the database after the server was killed again and again.

Raw websockets and json, as in bench/loadgen.py: no `ocpp` client classes, so
the chargers share none of the server's code.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

ENERGY = "Energy.Active.Import.Register"
ID_TAG = "CRASHTAG"
CALL_TIMEOUT = 10.0


class CallFailed(Exception):
    pass


@dataclass
class Ledger:
    """What one charger got acknowledged (and what it resent)."""

    station_id: str
    # transaction id -> (meter start, timestamp sent)
    starts: dict[int, tuple[int, str]] = field(default_factory=dict)
    # transaction id -> meter stop
    stops: dict[int, int] = field(default_factory=dict)
    # (transaction id, energy register in Wh) of every acknowledged MeterValues
    meter_values: list[tuple[int, int]] = field(default_factory=list)
    connects: int = 0
    resent: int = 0
    failed_connects: int = 0


@dataclass
class _Queued:
    action: str
    payload: dict[str, Any]
    sent_before: bool = False


def timestamp() -> str:
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"


class FaultCharger:
    """One charger: connects, boots, charges; survives any number of server deaths."""

    def __init__(self, station_id: str, url: str, rng: random.Random) -> None:
        self.station_id = station_id
        self.url = url.rstrip("/")
        self.ledger = Ledger(station_id)
        self._rng = rng
        self._ids = itertools.count(1)
        self._queue: list[_Queued] = []
        self._open_tx: int | None = None
        self._samples_in_tx = 0
        self._energy = rng.randint(1_000, 1_000_000)
        # Set once the run is over: stop the open transaction, empty the queue, leave.
        self.finishing = asyncio.Event()
        self.done = asyncio.Event()

    async def run(self, meter_every: float = 0.05) -> None:
        """Until finishing is set and the queue is empty and no transaction is open."""
        while not self.done.is_set():
            try:
                ws = await connect(
                    f"{self.url}/{self.station_id}",
                    subprotocols=[Subprotocol("ocpp1.6")],
                    compression=None,
                    open_timeout=5,
                    ping_interval=None,
                    close_timeout=1,
                )
            except (OSError, TimeoutError, WebSocketException):
                self.ledger.failed_connects += 1
                await asyncio.sleep(self._rng.uniform(0.1, 0.4))
                continue
            self.ledger.connects += 1
            try:
                await self._session(ws, meter_every)
            except (OSError, TimeoutError, WebSocketException, CallFailed):
                pass  # the server died: reconnect and resend the queue
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(ws.close(), 2)

    async def _session(self, ws: ClientConnection, meter_every: float) -> None:
        boot = await self._call(
            ws, "BootNotification", {"chargePointVendor": "ChargeDesk", "chargePointModel": "Crash"}
        )
        if boot.get("status") != "Accepted":
            raise CallFailed(f"BootNotification answered {boot.get('status')}")
        while True:
            await self._flush(ws)
            if self.finishing.is_set() and self._open_tx is None:
                self.done.set()
                return
            self._enqueue_next()
            await asyncio.sleep(self._rng.uniform(0, meter_every * 2))

    def _enqueue_next(self) -> None:
        if self._open_tx is None:
            self._queue.append(
                _Queued(
                    "StartTransaction",
                    {
                        "connectorId": 1,
                        "idTag": ID_TAG,
                        "meterStart": self._energy,
                        "timestamp": timestamp(),
                    },
                )
            )
            return
        self._energy += self._rng.randint(5, 60)
        if self.finishing.is_set() or self._samples_in_tx >= self._rng.randint(5, 30):
            self._queue.append(
                _Queued(
                    "StopTransaction",
                    {
                        "transactionId": self._open_tx,
                        "meterStop": self._energy,
                        "timestamp": timestamp(),
                        "reason": "Local",
                    },
                )
            )
            return
        self._samples_in_tx += 1
        self._queue.append(
            _Queued(
                "MeterValues",
                {
                    "connectorId": 1,
                    "transactionId": self._open_tx,
                    "meterValue": [
                        {
                            "timestamp": timestamp(),
                            "sampledValue": [
                                {
                                    "value": str(self._energy),
                                    "context": "Sample.Periodic",
                                    "measurand": ENERGY,
                                    "unit": "Wh",
                                },
                                {"value": "7200", "measurand": "Power.Active.Import", "unit": "W"},
                            ],
                        }
                    ],
                },
            )
        )

    async def _flush(self, ws: ClientConnection) -> None:
        """Send the queue oldest first; each leaves it only once acknowledged."""
        while self._queue:
            queued = self._queue[0]
            if queued.sent_before:
                self.ledger.resent += 1
            queued.sent_before = True
            answer = await self._call(ws, queued.action, queued.payload)
            self._acknowledged(queued, answer)
            self._queue.pop(0)

    def _acknowledged(self, queued: _Queued, answer: dict[str, Any]) -> None:
        payload = queued.payload
        if queued.action == "StartTransaction":
            tx_id = int(answer["transactionId"])
            self.ledger.starts[tx_id] = (int(payload["meterStart"]), str(payload["timestamp"]))
            self._open_tx = tx_id
            self._samples_in_tx = 0
        elif queued.action == "StopTransaction":
            self.ledger.stops[int(payload["transactionId"])] = int(payload["meterStop"])
            self._open_tx = None
        else:
            value = int(payload["meterValue"][0]["sampledValue"][0]["value"])
            self.ledger.meter_values.append((int(payload["transactionId"]), value))

    async def _call(
        self, ws: ClientConnection, action: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        unique_id = str(next(self._ids))
        await ws.send(json.dumps([2, unique_id, action, payload], separators=(",", ":")))
        async with asyncio.timeout(CALL_TIMEOUT):
            while True:
                message = json.loads(await ws.recv())
                if message[0] == 2:
                    await _answer_server_call(ws, message)
                    continue
                if message[1] != unique_id:
                    continue
                if message[0] == 3:
                    result: dict[str, Any] = message[2]
                    return result
                raise CallFailed(f"{action}: CALLERROR {message[2]} {message[3]}")


async def _answer_server_call(ws: ClientConnection, message: list[Any]) -> None:
    """Calls the server makes (e.g. GetConfiguration after a boot): answered plainly."""
    if message[2] == "GetConfiguration":
        reply: list[Any] = [3, message[1], {"configurationKey": [], "unknownKey": []}]
    else:
        reply = [4, message[1], "NotSupported", "not simulated", {}]
    await ws.send(json.dumps(reply, separators=(",", ":")))
