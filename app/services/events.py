"""In-process event stream: the engine publishes, the GUI and API subscribe."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from app.domain.events import DomainEvent

log = logging.getLogger(__name__)

E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[DomainEvent], None]


class EventBus:
    """Synchronous fan-out on the engine loop.

    Handlers must be quick and must not block (hand work to a queue or to
    another thread, as the GUI bridge does). A failing handler is logged and
    never affects the publisher or other handlers.
    """

    def __init__(self) -> None:
        self._handlers: dict[int, tuple[type[DomainEvent], Handler]] = {}
        self._next = 0

    def subscribe(self, handler: Handler, kind: type[DomainEvent] = DomainEvent) -> int:
        self._next += 1
        self._handlers[self._next] = (kind, handler)
        return self._next

    def unsubscribe(self, token: int) -> None:
        self._handlers.pop(token, None)

    def publish(self, event: DomainEvent) -> None:
        for kind, handler in list(self._handlers.values()):
            if isinstance(event, kind):
                try:
                    handler(event)
                except Exception:
                    log.exception("event handler failed for %s", type(event).__name__)

    @asynccontextmanager
    async def stream(self, kind: type[E], maxsize: int = 10_000) -> AsyncIterator[asyncio.Queue[E]]:
        """A queue that receives every event of this kind while the context is open.

        When a slow consumer lets the queue fill up, the oldest events are dropped
        (and logged) rather than stalling the engine.
        """
        queue: asyncio.Queue[E] = asyncio.Queue(maxsize)

        def put(event: DomainEvent) -> None:
            if not isinstance(event, kind):
                return
            if queue.full():
                queue.get_nowait()
                log.warning("event stream overflow; dropped the oldest event")
            queue.put_nowait(event)

        token = self.subscribe(put, kind)
        try:
            yield queue
        finally:
            self.unsubscribe(token)
