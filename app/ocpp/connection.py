"""One live station connection: read loop, replies, and our outstanding call."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from app.domain.errors import CallErrorReceived, StationOffline, StorageUnavailable
from app.domain.ports import Clock, FrameLog
from app.ocpp import rpc
from app.ocpp.adapter import AfterReply, ProtocolAdapter
from app.services.stations import StationService

log = logging.getLogger(__name__)

# Frames in a row that cannot even be answered; past this many, the peer is
# misbehaving. In a row: a charger with one odd habit must not be cut off after weeks.
MAX_UNANSWERABLE = 20


class TokenBucket:
    """Paces one station's incoming frames; a flood waits instead of starving others."""

    def __init__(self, rate: float, burst: float) -> None:
        self._rate = rate
        self._burst = burst
        self._tokens = burst
        self._stamp = time.monotonic()

    def delay(self) -> float:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        wait = (1 - self._tokens) / self._rate
        self._tokens -= 1
        return wait


class StationConnection:
    def __init__(
        self,
        station_id: str,
        websocket: ServerConnection,
        adapter: ProtocolAdapter,
        stations: StationService,
        frame_log: FrameLog,
        clock: Clock,
        *,
        message_rate: float,
    ) -> None:
        self.station_id = station_id
        self.websocket = websocket
        self.adapter = adapter
        self._stations = stations
        self._frames = frame_log
        self._clock = clock
        self._call_lock = asyncio.Lock()
        self._pending: tuple[str, asyncio.Future[rpc.CallResult | rpc.CallError]] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._bucket = TokenBucket(message_rate, burst=max(10.0, message_rate * 2))
        self._unanswerable = 0
        self.closed = asyncio.Event()

    @property
    def remote_address(self) -> str:
        peer = self.websocket.remote_address
        return str(peer[0]) if peer else "?"

    # ---- incoming ---------------------------------------------------------------

    async def run(self) -> str:
        """Serve the connection until it closes; return why it closed."""
        try:
            async for frame in self.websocket:
                self._stations.on_activity(self.station_id)
                text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
                self._frames.record(self.station_id, "in", text, self._clock())
                await self._dispatch(text)
        except ConnectionClosed:
            pass
        finally:
            self._fail_pending()
            for task in list(self._tasks):
                task.cancel()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            self.closed.set()
        reason = _close_reason(self.websocket)
        sent = self.websocket.protocol.close_sent
        if sent is not None and sent.code not in (1000, 1001):
            # e.g. 1009 for an oversized frame: websockets closes it, we say why.
            log.warning("%s: %s", self.station_id, reason)
        return reason

    async def _dispatch(self, text: str) -> None:
        # Every frame is paced, garbage included: a flood of malformed frames
        # costs as much (logging, the frame log) as a flood of good ones.
        wait = self._bucket.delay()
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            message = rpc.parse(text)
        except rpc.RpcError as exc:
            if exc.unique_id is not None:
                await self._send(rpc.error_frame(exc.unique_id, exc.code, exc.description))
            return
        except rpc.FrameError as exc:
            self._unanswerable += 1
            log.warning("%s sent a frame that cannot be answered: %s", self.station_id, exc)
            if self._unanswerable > MAX_UNANSWERABLE:
                await self.websocket.close(1002, "too many malformed frames")
            return
        self._unanswerable = 0
        if isinstance(message, rpc.Call):
            await self._answer(message)
        else:
            self._resolve(message)

    async def _answer(self, call: rpc.Call) -> None:
        try:
            payload = await self.adapter.handle_call(self, call.action, call.payload)
            reply = rpc.result_frame(call.unique_id, payload)
        except rpc.RpcError as exc:
            reply = rpc.error_frame(call.unique_id, exc.code, exc.description, exc.details)
        except StorageUnavailable as exc:
            # Told once as an alarm by the store; one line here, not a traceback per message.
            log.warning("%s: %s not stored: %s", self.station_id, call.action, exc)
            reply = rpc.error_frame(
                call.unique_id, "InternalError", "the central system cannot store this just now"
            )
        except Exception:
            log.exception("%s: failed to handle %s", self.station_id, call.action)
            reply = rpc.error_frame(
                call.unique_id, "InternalError", "the central system could not process this"
            )
        await self._send(reply)

    def _resolve(self, message: rpc.CallResult | rpc.CallError) -> None:
        pending = self._pending
        if pending is None or pending[0] != message.unique_id:
            log.warning(
                "%s answered a call we never made (unique id %s); ignored",
                self.station_id,
                message.unique_id,
            )
            return
        future = pending[1]
        if not future.done():
            future.set_result(message)

    def schedule(self, work: AfterReply) -> None:
        task = asyncio.get_running_loop().create_task(self._run_after(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_after(self, work: AfterReply) -> None:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s: follow-up work failed", self.station_id)

    # ---- outgoing -----------------------------------------------------------------

    async def call(self, action: str, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one CALL and wait for its answer (one outstanding call at a time)."""
        async with self._call_lock:
            if self.closed.is_set():
                raise StationOffline(self.station_id, action)
            unique_id = str(uuid.uuid4())
            future: asyncio.Future[rpc.CallResult | rpc.CallError] = (
                asyncio.get_running_loop().create_future()
            )
            self._pending = (unique_id, future)
            try:
                await self._send(rpc.call_frame(unique_id, action, payload))
                async with asyncio.timeout(timeout):
                    answer = await future
            finally:
                self._pending = None
        if isinstance(answer, rpc.CallError):
            raise CallErrorReceived(self.station_id, action, answer.code, answer.description)
        return answer.payload

    async def _send(self, frame: str) -> None:
        self._frames.record(self.station_id, "out", frame, self._clock())
        try:
            await self.websocket.send(frame)
        except ConnectionClosed:
            log.info("%s: connection closed before a frame could be sent", self.station_id)

    def _fail_pending(self) -> None:
        if self._pending is not None and not self._pending[1].done():
            self._pending[1].set_exception(StationOffline(self.station_id, "call"))

    async def close(self, code: int = 1000, reason: str = "") -> None:
        await self.websocket.close(code, reason)


def _close_reason(websocket: ServerConnection) -> str:
    """Who closed, with which code and why; ours too (a 1009 is only in what we sent)."""
    protocol = websocket.protocol
    sent, received = protocol.close_sent, protocol.close_rcvd
    if received is not None and (sent is None or protocol.close_rcvd_then_sent):
        return f"closed by the station with code {received.code}" + (
            f": {received.reason}" if received.reason else ""
        )
    if sent is not None:
        return f"closed by the central system with code {sent.code}" + (
            f": {sent.reason}" if sent.reason else ""
        )
    return "connection lost"
