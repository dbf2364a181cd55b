"""Small asyncio building blocks: a tracked task set and a broadcast wake-up signal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Iterable

LOGGER = logging.getLogger(__name__)


class TaskSet:
    """Keeps a reference to every task it starts and cancels them all on `cancel_all`."""

    def __init__(self, owner: str) -> None:
        self._owner = owner
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(
        self, coro: Coroutine[None, None, None], name: str | None = None
    ) -> asyncio.Task[None]:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            LOGGER.error(
                "%s: task %s failed", self._owner, task.get_name(), exc_info=task.exception()
            )

    async def cancel_all(self) -> None:
        current = asyncio.current_task()
        await cancel_and_wait([t for t in self._tasks if t is not current])


async def cancel_and_wait(tasks: Iterable[asyncio.Task[None]]) -> None:
    pending = [t for t in tasks if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)


class Signal:
    """Wakes every current waiter when pulsed (an Event that resets itself)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def pulse(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float | None = None) -> bool:
        """True if pulsed, False if the timeout passed first."""
        event = self._event
        try:
            async with asyncio.timeout(timeout):
                await event.wait()
        except TimeoutError:
            return False
        return True


async def wait_first(*events: asyncio.Event, timeout: float | None = None) -> bool:
    """Wait until any event is set; False if the timeout passed first."""
    if any(e.is_set() for e in events):
        return True
    waiters = [asyncio.create_task(e.wait()) for e in events]
    try:
        done, _ = await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        for waiter in waiters:
            with contextlib.suppress(asyncio.CancelledError):
                await waiter
    return bool(done)
