"""Serves the API on the engine's own loop (uvicorn, started and stopped with the engine)."""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import logging
import socket

import uvicorn

from app.api.app import create_app
from app.api.routes.commands import CommandCodec
from app.config import Settings
from app.services.container import Services

log = logging.getLogger(__name__)


class ApiRefused(RuntimeError):
    """The settings ask for something unsafe (plain HTTP beyond loopback)."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ApiServer:
    def __init__(self, services: Services, codec: CommandCodec, settings: Settings) -> None:
        tls = bool(settings.api_tls_cert and settings.api_tls_key)
        if not _is_loopback(settings.api_host) and not tls and not settings.api_allow_plain_remote:
            raise ApiRefused(
                f"the API would listen on {settings.api_host} without TLS; give api_tls_cert "
                "and api_tls_key, or set api_allow_plain_remote to accept that risk"
            )
        self._settings = settings
        self._tls = tls
        self._app = create_app(services, codec)
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._socket: socket.socket | None = None
        self.port = 0

    @property
    def url(self) -> str:
        scheme = "https" if self._tls else "http"
        return f"{scheme}://{self._settings.api_host}:{self.port}"

    async def start(self) -> None:
        settings = self._settings
        # Bind first (port 0 picks a free port) so the port is known before serving.
        family = socket.AF_INET6 if ":" in settings.api_host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((settings.api_host, settings.api_port))
        except OSError:
            sock.close()
            raise
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app,
            log_config=None,
            access_log=False,
            lifespan="off",
            ssl_certfile=settings.api_tls_cert or None,
            ssl_keyfile=settings.api_tls_key or None,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        # A context of its own: no request inherits the engine's SYSTEM actor; each
        # one acts as the holder of the token it presents (app/api/deps.py).
        self._task = asyncio.get_running_loop().create_task(
            self._server.serve(sockets=[sock]), name="chargedesk-api", context=contextvars.Context()
        )
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises why it could not start
                raise RuntimeError("the API stopped while starting")
            await asyncio.sleep(0.01)
        log.info("local API on %s (OpenAPI at /api/openapi.json)", self.url)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await asyncio.gather(self._task, return_exceptions=True)
        if self._socket is not None:
            self._socket.close()
        self._server = self._task = self._socket = None
