"""Waiting for something observable to become true, with a deadline."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

Check = Callable[[], bool] | Callable[[], Awaitable[bool]]


async def until(check: Check, timeout: float = 5.0, every: float = 0.05) -> None:
    """Poll check (sync or async) until it is true; fail the test after timeout seconds."""
    async with asyncio.timeout(timeout):
        while True:
            outcome = check()
            if inspect.isawaitable(outcome):
                outcome = await outcome
            if outcome:
                return
            # Polling is the point: the test watches state it cannot subscribe to.
            await asyncio.sleep(every)
