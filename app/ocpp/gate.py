"""The door before the websocket handshake: per-address limits and our own TLS handshake.

A connection is counted from the moment TCP is accepted, before any byte of
HTTP or TLS, so a client that opens sockets and never finishes a handshake
(slow loris) or opens hundreds at once (a flood) is cut off by the same count;
the handshake timeout frees the slots of the slow ones.

The TLS handshake is run here (``loop.start_tls``) instead of by the listening
socket: asyncio drops a failed server-side handshake silently, and an operator
must see who failed to connect over wss:// and why (an unknown CA, a plain
client on the TLS port, a timeout).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.server import ServerConnection

from app.ocpp.liveness import LivenessConnection

log = logging.getLogger(__name__)

# The same (address, reason) is logged and stored at most this often: a flood
# must not become a flood of log lines.
REPORT_EVERY = 60.0

# (kind, remote address, reason): stores a security event for the operator.
Reporter = Callable[[str, str, str], Awaitable[None]]


class ConnectionGate:
    """Counts open connections per remote address and reports what it cuts off."""

    def __init__(
        self,
        max_per_address: int,
        handshake_timeout: float,
        report: Reporter,
        exempt: frozenset[str] = frozenset(),
    ) -> None:
        self.max_per_address = max_per_address
        self.exempt = exempt
        self.handshake_timeout = handshake_timeout
        self._report = report
        self._open: Counter[str] = Counter()
        self._reported: dict[tuple[str, str], float] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def open_from(self, address: str) -> int:
        return self._open[address]

    def admit(self, address: str) -> bool:
        if 0 < self.max_per_address <= self._open[address] and address not in self.exempt:
            self.report(
                "security.connection_limit",
                address,
                f"more than {self.max_per_address} connections at once from this address",
            )
            return False
        self._open[address] += 1
        return True

    def release(self, address: str) -> None:
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]

    def report(self, kind: str, address: str, reason: str) -> None:
        """Log (and store) a cut-off connection, once a minute per address and reason."""
        now = time.monotonic()
        key = (address, reason)
        last = self._reported.get(key)
        if last is not None and now - last < REPORT_EVERY:
            return
        if len(self._reported) > 10_000:
            self._reported = {k: t for k, t in self._reported.items() if now - t < REPORT_EVERY}
        self._reported[key] = now
        log.warning("cut off a connection from %s: %s", address, reason)
        self.track(self._store(kind, address, reason))

    async def _store(self, kind: str, address: str, reason: str) -> None:
        try:
            await self._report(kind, address, reason)
        except Exception:
            log.exception("could not store the security event for %s", address)

    def track(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Cancel TLS handshakes under way; let stored reports finish."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def connection_class(self, tls: ssl.SSLContext | None) -> type[ServerConnection]:
        """The websockets connection class for one listener (plain, or wss:// with tls)."""
        gate = self

        class GatedConnection(_GatedConnection):
            _gate = gate
            _tls = tls

        return GatedConnection


class _GatedConnection(LivenessConnection):
    _gate: ConnectionGate
    _tls: ssl.SSLContext | None
    _address: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        peer: Any = transport.get_extra_info("peername")
        address = str(peer[0]) if peer else "?"
        if not self._gate.admit(address):
            transport.abort()
            return
        self._address = address
        if self._tls is None:
            super().connection_made(transport)
        else:
            self._gate.track(self._start_tls(transport, self._tls, address))

    async def _start_tls(
        self, transport: asyncio.Transport, context: ssl.SSLContext, address: str
    ) -> None:
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            secured = await loop.start_tls(
                transport,
                self,
                context,
                server_side=True,
                ssl_handshake_timeout=self._gate.handshake_timeout,
            )
        except asyncio.CancelledError:
            transport.abort()
            self._release()
            raise
        except Exception as exc:
            transport.abort()
            self._release()
            timeout = self._gate.handshake_timeout
            # asyncio reports its handshake timeout as a plain ConnectionAbortedError.
            why = f"timed out after {timeout:g} s" if loop.time() - began >= timeout else _why(exc)
            self._gate.report("security.tls_failed", address, f"TLS handshake failed: {why}")
            return
        if secured is None:  # the peer went away as the handshake ended
            transport.abort()
            self._release()
            return
        super().connection_made(secured)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._address is None:
            return  # refused at the door: websockets never saw this connection
        self._release()
        super().connection_lost(exc)

    def _release(self) -> None:
        if self._address is not None:
            self._gate.release(self._address)
            self._address = None


def _why(exc: Exception) -> str:
    """A short reason an operator can act on, e.g. TLSV1_ALERT_UNKNOWN_CA."""
    if isinstance(exc, ssl.SSLError):
        return str(exc.reason or exc.strerror or exc)
    if isinstance(exc, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return "the client closed the connection"
    return str(exc) or type(exc).__name__
