"""Runs the engine on its own thread and loop; the GUI awaits it through one helper.

A slow paint never delays a charger's reply and a disk flush never freezes
the window (DESIGN.md, "Threads and loops").
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from app.bootstrap import Engine
from app.config import Settings, settings_file
from app.domain.events import DomainEvent
from app.domain.operators import Actor
from app.services.container import Services

log = logging.getLogger(__name__)

T = TypeVar("T")
EngineCall = Callable[[Services], Awaitable[T]]
# The local API loads FastAPI (0.7 s of imports); the window opens first.
API_AFTER_WINDOW = 3.0


class EngineStartError(RuntimeError):
    """The engine could not start (port in use, database too new, …)."""


class EngineHost:
    def __init__(
        self, settings: Settings, settings_path: Path | None = None, actor: Actor | None = None
    ) -> None:
        """settings_path: the file the settings dialogs write (default: the user's own);
        actor: who acts until someone signs in (app/ui/sign_in.py)."""
        self.settings = settings
        self.settings_path = settings_path if settings_path is not None else settings_file()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._engine: Engine | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        # Kept so an engine restarted (a restored backup) tells the same listeners.
        self._subscribers: list[Callable[[DomainEvent], None]] = []
        # Who is at the keyboard: every engine call acts as them (app/ui/sign_in.py sets
        # it). None: nobody signed in, so only what needs no role works.
        self.actor = actor

    @property
    def engine(self) -> Engine:
        assert self._engine is not None, "engine not started"
        return self._engine

    @property
    def port(self) -> int:
        return self.engine.port

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._engine is not None

    def start(self, timeout: float = 60.0) -> None:
        """Start the engine thread; return once it is serving, or raise why it is not."""
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(target=self._main, name="chargedesk-engine")
        self._thread.start()
        if not self._ready.wait(timeout):
            raise EngineStartError("the engine did not start in time")
        error = self.start_error()
        if error is not None:
            self._thread.join()
            raise EngineStartError(str(error)) from error

    def start_error(self) -> BaseException | None:
        """Why the last start failed (set by the engine thread), if it did."""
        return self._error

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to start(); the thread must end quietly
            if not self._ready.is_set():
                self._error = exc
                self._ready.set()
            else:
                log.exception("the engine stopped with an error")

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with Engine(self.settings, api_delay=API_AFTER_WINDOW) as engine:
            self._engine = engine
            for handler in self._subscribers:
                engine.services.bus.subscribe(handler)
            self._ready.set()
            await self._stop.wait()
        self._engine = None

    def stop(self, timeout: float = 30.0) -> None:
        """Stop accepting, close connections, commit pending writes, end the thread."""
        if self._loop is not None and self._stop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("the engine did not stop within %.0f s", timeout)
        self._thread = None

    # ---- calls into the engine ---------------------------------------------------

    def submit(self, call: EngineCall[T]) -> concurrent.futures.Future[T]:
        """Run call(services) on the engine loop; the future resolves on that thread."""
        if self._loop is None or self._engine is None:
            raise EngineStartError("the engine is not running")
        services = self._engine.services
        actor = self.actor  # as it is when the call is made, not when it runs

        async def run() -> T:
            with services.acting(actor):
                return await call(services)

        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    async def call(self, call: EngineCall[T]) -> T:
        """Await call(services) from the GUI loop (qasync)."""
        return await asyncio.wrap_future(self.submit(call))

    def subscribe(self, handler: Callable[[DomainEvent], None]) -> None:
        """Subscribe handler to every domain event (of this engine and any restarted one);
        it runs on the engine thread."""
        self._subscribers.append(handler)
        assert self._loop is not None
        assert self._engine is not None
        bus = self._engine.services.bus
        done = threading.Event()

        def attach() -> None:
            bus.subscribe(handler)
            done.set()

        self._loop.call_soon_threadsafe(attach)
        done.wait(10)
