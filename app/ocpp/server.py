"""The websocket server chargers connect to: handshake, admission, connection lifecycle."""

from __future__ import annotations

import asyncio
import base64
import binascii
import http
import logging
import ssl
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import NegotiationError
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from app.config import Settings
from app.domain.audit import Outcome
from app.domain.model import Severity
from app.ocpp.connection import StationConnection
from app.ocpp.gate import ConnectionGate
from app.ocpp.registry import ConnectionRegistry
from app.ocpp.v16 import PROTOCOL as OCPP16
from app.ocpp.v16.adapter import V16Adapter
from app.security.tls import (
    TlsConfigError,
    certificate_station_id,
    server_context,
    warn_if_expiring,
)
from app.services import acting
from app.services.container import Services

log = logging.getLogger(__name__)

SUPPORTED = (Subprotocol(OCPP16),)


def station_id_from_path(path: str, prefix: str = "") -> str:
    """The last path segment, percent-decoded; the query string is ignored.

    The bare prefix (``/ocpp``, a charger configured without its id) names no
    station rather than a station called "ocpp".
    """
    segments = [s for s in urlsplit(path).path.split("/") if s]
    if not segments or segments == [s for s in prefix.split("/") if s]:
        return ""
    return unquote(segments[-1])


def parse_basic_auth(headers: Headers) -> tuple[str, str] | None:
    value = headers.get("Authorization")
    if not value:
        return None
    scheme, _, encoded = value.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def select_subprotocol(
    connection: ServerConnection, offered: Sequence[Subprotocol]
) -> Subprotocol | None:
    if not offered:
        # Many 1.6 chargers send no Sec-WebSocket-Protocol at all: take them as 1.6.
        return None
    for protocol in SUPPORTED:
        if protocol in offered:
            return protocol
    raise NegotiationError(f"none of {', '.join(offered)} is supported; offer ocpp1.6")


class CentralSystem:
    """Runs the websocket server; one task per connected station, all tracked."""

    def __init__(self, services: Services, registry: ConnectionRegistry, settings: Settings):
        self._s = services
        self.registry = registry
        self.settings = settings
        self._server: Server | None = None
        # wss:// (security profiles 2 and 3) beside the plain listener, when configured.
        self._tls_server: Server | None = None
        # Handshake decisions until the handler runs; weak, since a handshake
        # can still fail after process_request (e.g. no common subprotocol).
        self._created: weakref.WeakKeyDictionary[ServerConnection, bool] = (
            weakref.WeakKeyDictionary()
        )
        self._v16 = V16Adapter(services)
        # Per-address connection counts and our own TLS handshakes (see app/ocpp/gate.py).
        self.gate = ConnectionGate(
            settings.ocpp_max_connections_per_address,
            settings.ocpp_handshake_timeout,
            self._report_cut_off,
            frozenset(
                a.strip() for a in settings.ocpp_connection_limit_exempt.split(",") if a.strip()
            ),
        )

    @property
    def port(self) -> int:
        """The plain ws:// port (when plain is switched off, it only refuses)."""
        assert self._server is not None, "server not started"
        return _port_of(self._server)

    @property
    def tls_port(self) -> int | None:
        """The wss:// port, or None without a TLS certificate."""
        return _port_of(self._tls_server) if self._tls_server is not None else None

    def tls_context(self) -> ssl.SSLContext | None:
        """The wss:// context from the settings; None when no certificate is configured."""
        s = self.settings
        if not (s.ocpp_tls_cert or s.ocpp_tls_key):
            if not s.ocpp_plain_ws:
                raise TlsConfigError(
                    "ocpp_plain_ws is off but no TLS certificate is configured "
                    "(ocpp_tls_cert, ocpp_tls_key): no charger could connect"
                )
            return None
        if not (s.ocpp_tls_cert and s.ocpp_tls_key):
            raise TlsConfigError("wss:// needs both ocpp_tls_cert and ocpp_tls_key")
        return server_context(
            s.ocpp_tls_cert,
            s.ocpp_tls_key,
            client_ca=s.ocpp_tls_client_ca,
            require_client_cert=s.ocpp_tls_require_client_cert,
        )

    async def start(self) -> None:
        """Listen for chargers; raises TlsConfigError (before binding) for unusable TLS settings."""
        context = self.tls_context()
        if context is not None:
            # wss:// first: the plain port's refusal names the wss:// port.
            self._tls_server = await self._serve(
                self.settings.ocpp_tls_port, self._process_tls_request, context
            )
            warn_if_expiring(self.settings.ocpp_tls_cert)
            log.info("OCPP server listening for wss:// on %s:%s", self.settings.host, self.tls_port)
        plain = self._process_request if self.settings.ocpp_plain_ws else self._refuse_plain
        try:
            self._server = await self._serve(self.settings.port, plain, None)
        except BaseException:
            await self.stop()
            raise
        log.info(
            "OCPP server listening on %s:%s%s",
            self.settings.host,
            self.port,
            "" if self.settings.ocpp_plain_ws else " (only to refuse plain ws://)",
        )

    async def _serve(
        self,
        port: int,
        process_request: Callable[[ServerConnection, Request], Awaitable[Response | None]],
        context: ssl.SSLContext | None,
    ) -> Server:
        return await serve(
            self._handle,
            self.settings.host,
            port,
            # TLS is not the listening socket's: the gate runs the handshake, to log failures.
            ssl=None,
            open_timeout=self.settings.ocpp_handshake_timeout,
            subprotocols=list(SUPPORTED),
            select_subprotocol=select_subprotocol,
            process_request=process_request,
            compression=None,
            max_size=self.settings.max_frame_bytes,
            ping_interval=self.settings.websocket_ping_interval,
            ping_timeout=self.settings.websocket_ping_interval,
            logger=logging.getLogger("app.ocpp.websockets"),
            # Counts connections per address before any handshake; notes every
            # frame, pings and pongs included, for offline detection.
            create_connection=self.gate.connection_class(context),
        )

    async def stop(self) -> None:
        """Stop accepting, close every station connection, wait for their tasks."""
        servers = [s for s in (self._server, self._tls_server) if s is not None]
        for server in servers:
            server.close(close_connections=True)
        await self.gate.close()
        for server in servers:
            await server.wait_closed()
        self._server = self._tls_server = None

    async def _report_cut_off(self, kind: str, remote: str, reason: str) -> None:
        """A connection cut off before its handshake: a security event in the event log."""
        await self._s.event_log.append(
            kind,
            Severity.WARNING,
            f"Cut off a connection from {remote}: {reason}",
            None,
            {"remote_address": remote, "reason": reason},
            self._s.clock(),
        )
        await acting.record(kind, remote, Outcome.DENIED, reason)

    async def _refuse_plain(self, connection: ServerConnection, request: Request) -> Response:
        """Plain ws:// switched off: refuse at the handshake and log it as a security event."""
        station_id = station_id_from_path(request.path, self.settings.path_prefix)
        reason = f"plain ws:// is switched off: connect with wss:// on port {self.tls_port}"
        if "Authorization" in request.headers:
            # Anyone on the network may have read it; say so where the operator looks.
            reason += " (it sent its password unencrypted: rotate it)"
        await self._s.stations.on_refused(station_id, _remote(connection), reason)
        return connection.respond(http.HTTPStatus.FORBIDDEN, reason)

    async def _process_tls_request(
        self, connection: ServerConnection, request: Request
    ) -> Response | None:
        """Profile 3: a client certificate the TLS layer verified must name this station."""
        station_id = station_id_from_path(request.path, self.settings.path_prefix)
        certified = certificate_station_id(connection.transport.get_extra_info("ssl_object"))
        if certified is not None and certified != station_id:
            reason = f"its client certificate is for {certified!r}, not this station"
            await self._s.stations.on_refused(station_id, _remote(connection), reason)
            return connection.respond(http.HTTPStatus.FORBIDDEN, reason)
        return await self._process_request(connection, request)

    async def _process_request(
        self, connection: ServerConnection, request: Request
    ) -> Response | None:
        station_id = station_id_from_path(request.path, self.settings.path_prefix)
        remote = _remote(connection)
        decision = await self._s.admission.check(
            station_id, parse_basic_auth(request.headers), remote
        )
        if not decision.allowed:
            await self._s.stations.on_refused(station_id, remote, decision.reason)
            response = connection.respond(http.HTTPStatus(decision.http_status), decision.reason)
            if decision.http_status == 401:
                response.headers["WWW-Authenticate"] = 'Basic realm="ChargeDesk OCPP"'
            return response
        self._created[connection] = decision.created
        return None

    async def _handle(self, websocket: ServerConnection) -> None:
        created = self._created.pop(websocket, False)
        path = websocket.request.path if websocket.request else ""
        station_id = station_id_from_path(path, self.settings.path_prefix)
        offered = (
            websocket.request.headers.get("Sec-WebSocket-Protocol") if websocket.request else None
        )
        if not websocket.subprotocol:
            log.info("%s offered no subprotocol (%r); speaking OCPP 1.6", station_id, offered)
        connection = StationConnection(
            station_id,
            websocket,
            self._v16,
            self._s.stations,
            self._s.frames,
            self._s.clock,
            message_rate=self.settings.station_message_rate,
        )
        previous = self.registry.add(connection)
        if previous is not None:
            log.warning("%s reconnected; closing its previous connection", station_id)
            await previous.close(1001, "replaced by a new connection")
            await previous.closed.wait()
        remote = _remote(websocket)
        reason = "connection lost"
        try:
            await self._s.stations.on_connected(station_id, OCPP16, remote, created)
            reason = await connection.run()
        except asyncio.CancelledError:
            reason = "server shutting down"
            raise
        finally:
            if self.registry.remove(connection):
                await asyncio.shield(self._s.stations.on_disconnected(station_id, reason))


def _port_of(server: Server) -> int:
    return int(next(iter(server.sockets)).getsockname()[1])


def _remote(connection: ServerConnection) -> str:
    peer: Any = connection.remote_address
    return str(peer[0]) if peer else "?"
