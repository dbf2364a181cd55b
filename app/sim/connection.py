"""One websocket session to the CSMS: handshake, reader task, calls that fail fast on disconnect."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine
from typing import TypeVar

from ocpp.exceptions import OCPPError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from app.sim.link import CsmsRequestHandler, OcppLink
from app.sim.records import ReceivedCall
from app.sim.timeutil import Clock

LOGGER = logging.getLogger(__name__)
OCPP16 = Subprotocol("ocpp1.6")
_T = TypeVar("_T")


class ChargerOffline(Exception):
    """The station has no usable connection to the CSMS right now."""


class CsmsCallError(Exception):
    """The CSMS answered a request with a CallError."""

    def __init__(self, action: str, code: str, description: str) -> None:
        super().__init__(f"{action}: {code} {description}")
        self.action = action
        self.code = code
        self.description = description


def reconnect_delay(attempt: int, rng: random.Random, *, base: float, cap: float) -> float:
    """Exponential back-off with jitter: somewhere in the upper half of min(cap, base * 2^n)."""
    ceiling = min(cap, base * 2.0 ** max(0, attempt - 1))
    return ceiling * rng.uniform(0.5, 1.0)


def basic_auth_header(station_id: str, password: str) -> str:
    token = base64.b64encode(f"{station_id}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


class StationConnection:
    """A live websocket with the OCPP endpoint reading from it."""

    def __init__(self, websocket: ClientConnection, link: OcppLink) -> None:
        self.websocket = websocket
        self.link = link
        self.lost = asyncio.Event()
        self._reader = asyncio.create_task(self._read(), name=f"ocpp-reader-{link.id}")

    async def _read(self) -> None:
        try:
            await self.link.start()
        except ConnectionClosed as exc:
            LOGGER.info("%s: connection closed (%s)", self.link.id, exc.rcvd or "no close frame")
        finally:
            self.lost.set()

    async def call(self, request: object) -> object:
        """Send a request and return the ocpp call_result; ChargerOffline if the link drops."""
        if self.lost.is_set():
            raise ChargerOffline("not connected")
        call_task: asyncio.Task[object] = asyncio.create_task(
            _untyped_await(self.link.call(request, suppress=False))
        )
        # If this call is itself cancelled, nobody may look at the outcome.
        call_task.add_done_callback(_retrieve_outcome)
        lost_task = asyncio.create_task(self.lost.wait())
        try:
            await asyncio.wait({call_task, lost_task}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            lost_task.cancel()
            if not call_task.done():
                call_task.cancel()
            # Let both settle so no exception is left unretrieved.
            await asyncio.wait({call_task, lost_task})
        if call_task.cancelled():
            raise ChargerOffline("connection lost while waiting for a reply")
        error = call_task.exception()
        if isinstance(error, ConnectionClosed):
            raise ChargerOffline("connection closed") from error
        if isinstance(error, OCPPError):
            raise CsmsCallError(
                type(request).__name__, str(error.code), str(error.description)
            ) from error
        return call_task.result()

    async def close(self) -> None:
        await self.websocket.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        self.lost.set()


def _retrieve_outcome(task: asyncio.Task[object]) -> None:
    if not task.cancelled():
        task.exception()


async def _untyped_await(awaitable: Awaitable[_T]) -> _T:
    return await awaitable


async def open_connection(
    url: str,
    station_id: str,
    password: str | None,
    handler: CsmsRequestHandler,
    *,
    spawn: Callable[[Coroutine[None, None, None]], object],
    received: list[ReceivedCall],
    clock: Clock,
    response_timeout: float,
    open_timeout: float = 10.0,
) -> StationConnection:
    """Connect with subprotocol ocpp1.6 (and Basic auth when a password is set)."""
    headers = {"Authorization": basic_auth_header(station_id, password)} if password else {}
    websocket = await connect(
        url,
        subprotocols=[OCPP16],
        additional_headers=headers,
        open_timeout=open_timeout,
    )
    if websocket.subprotocol != OCPP16:
        await websocket.close()
        raise ChargerOffline(f"server did not agree to ocpp1.6 (got {websocket.subprotocol!r})")
    link = OcppLink(
        station_id,
        websocket,
        handler,
        spawn=spawn,
        received=received,
        clock=clock,
        response_timeout=response_timeout,
    )
    return StationConnection(websocket, link)
