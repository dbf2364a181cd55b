"""The unfinished pre-authorisations in memory, and the tasks working on them.

The answer to an Authorize and the bus handlers read it without waiting for the
store; app/services/preauth.py keeps it equal to what it stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from app.domain import preauth as rules
from app.domain.errors import NotFound
from app.domain.model import IdTagInfo
from app.domain.preauth import PreAuth

log = logging.getLogger(__name__)


class HoldBook:
    def __init__(self) -> None:
        self.holds: dict[int, PreAuth] = {}
        self._by_tag: dict[str, int] = {}
        self._by_session: dict[int, int] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        # Per session: set once its final price is stored (SessionPriced).
        self.priced: dict[int, asyncio.Event] = {}
        # Per payment: the live price at the last reading, and what that reading added.
        self.last_price: dict[int, int] = {}
        self.last_step: dict[int, int] = {}
        # Per payment: a RemoteStopTransaction at the limit was sent.
        self.stopping: set[int] = set()
        # Per payment: the hold is being given back (Stripe may take a while): its tag
        # starts nothing from the moment that was decided.
        self.giving_back: set[int] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._timers: dict[int, asyncio.Task[None]] = {}
        self._ticker: asyncio.Task[None] | None = None

    # ---- the holds ----------------------------------------------------------------------

    def remember(self, pre: PreAuth) -> None:
        """Keep the newest state of an unfinished one; forget a finished one."""
        if pre.finished:
            self.forget(pre)
            return
        self.holds[pre.payment_id] = pre
        self._by_tag[pre.id_tag] = pre.payment_id
        if pre.transaction_id is not None:
            self._by_session[pre.transaction_id] = pre.payment_id

    def forget(self, pre: PreAuth) -> None:
        self.holds.pop(pre.payment_id, None)
        self._by_tag.pop(pre.id_tag, None)
        self.last_price.pop(pre.payment_id, None)
        self.last_step.pop(pre.payment_id, None)
        self.stopping.discard(pre.payment_id)
        self.giving_back.discard(pre.payment_id)
        self.cancel_timer(pre.payment_id)
        if pre.transaction_id is not None:
            self._by_session.pop(pre.transaction_id, None)
        lock = self._locks.get(pre.payment_id)
        if lock is not None and not lock.locked():
            del self._locks[pre.payment_id]

    def join_session(self, payment_id: int, transaction_id: int) -> None:
        """The session started with the hold's tag is known at once, before it is stored."""
        self._by_session[transaction_id] = payment_id

    def by_tag(self, id_tag: str) -> PreAuth | None:
        payment_id = self._by_tag.get(id_tag)
        return None if payment_id is None else self.holds.get(payment_id)

    def by_session(self, transaction_id: int) -> PreAuth | None:
        payment_id = self._by_session.get(transaction_id)
        return None if payment_id is None else self.holds.get(payment_id)

    def unfinished(self, payment_id: int) -> PreAuth:
        pre = self.holds.get(payment_id)
        if pre is None:
            raise NotFound(f"there is no unfinished pre-authorisation {payment_id}")
        return pre

    def lock(self, payment_id: int) -> asyncio.Lock:
        """One change at a time to each pre-authorisation."""
        return self._locks.setdefault(payment_id, asyncio.Lock())

    def tag_answer(
        self, id_tag: str, station_id: str | None, connector_id: int | None
    ) -> IdTagInfo | None:
        """For AuthorizationService.use_prepaid_tags."""
        holder = self.by_tag(id_tag)
        if holder is not None and holder.payment_id in self.giving_back:
            holder = None
        return rules.tag_answer(id_tag, holder, station_id, connector_id)

    # ---- tasks ---------------------------------------------------------------------------

    def spawn(self, work: Coroutine[Any, Any, Any], what: str) -> None:
        task = asyncio.get_running_loop().create_task(work, name=f"preauth-{what}")
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def arm_timer(self, payment_id: int, work: Coroutine[Any, Any, None]) -> None:
        self.cancel_timer(payment_id)
        self._timers[payment_id] = asyncio.get_running_loop().create_task(
            work, name=f"preauth-plug-in-{payment_id}"
        )

    def cancel_timer(self, payment_id: int) -> None:
        task = self._timers.pop(payment_id, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    def run_ticker(self, work: Coroutine[Any, Any, None]) -> None:
        """The one task that runs until close() (not waited for by settled())."""
        if self._ticker is not None:
            self._ticker.cancel()
        self._ticker = asyncio.get_running_loop().create_task(work, name="preauth-price-ticker")

    def timer_done(self, payment_id: int) -> None:
        self._timers.pop(payment_id, None)

    async def settled(self) -> None:
        """Wait until every step under way (not the plug-in timers) is done."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))

    async def close(self) -> None:
        tasks = [*self._tasks, *self._timers.values()]
        if self._ticker is not None:
            tasks.append(self._ticker)
            self._ticker = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
        self._timers.clear()

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s failed", task.get_name(), exc_info=task.exception())
