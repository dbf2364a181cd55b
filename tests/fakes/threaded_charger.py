"""A simulated charger on a thread and loop of its own, for tests driven by Qt's loop.

GUI tests run synchronously (pytest-qt); the charger still talks to the engine
over a real websocket, from its own asyncio loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from app.sim import SimulatedCharger

T = TypeVar("T")


class ThreadedCharger:
    def __init__(self, url: str, station_id: str, connectors: int = 2, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"sim-{station_id}")
        self._thread.start()
        self.charger: SimulatedCharger = self.run_sync(
            lambda: self._make(url, station_id, connectors, options)
        )

    @staticmethod
    async def _make(
        url: str, station_id: str, connectors: int, options: dict[str, Any]
    ) -> SimulatedCharger:
        charger = SimulatedCharger(station_id, url, connectors=connectors, **options)
        await charger.connect()
        await charger.wait_booted(timeout=10)
        return charger

    def run_sync(self, factory: Callable[[], Awaitable[T]], timeout: float = 15.0) -> T:
        async def runner() -> T:
            return await factory()

        return asyncio.run_coroutine_threadsafe(runner(), self._loop).result(timeout)

    def do(self, action: Callable[[SimulatedCharger], Awaitable[T]], timeout: float = 15.0) -> T:
        """Run action(charger) on the charger's loop and return its result."""
        return self.run_sync(lambda: action(self.charger), timeout)

    def close(self) -> None:
        try:
            self.do(lambda c: c.close())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()
