"""A tag blocked while it charges: its sessions are stopped, or allowed to finish.

Which of the two is the `stop_on_block` setting; either way the event log
says what happened to each session, so the desk knows.
"""

from __future__ import annotations

import asyncio
import logging

from app.domain import commands as c
from app.domain.errors import CommandError
from app.domain.events import AccessChanged, DomainEvent
from app.domain.model import Severity, Transaction
from app.domain.ports import Clock, EventLog
from app.services.commands import CommandService
from app.services.events import EventBus
from app.services.transactions import TransactionService

log = logging.getLogger(__name__)


class BlockedSessions:
    def __init__(
        self,
        transactions: TransactionService,
        commands: CommandService,
        events: EventLog,
        bus: EventBus,
        clock: Clock,
        *,
        stop_on_block: bool,
    ) -> None:
        self._transactions = transactions
        self._commands = commands
        self._events = events
        self._bus = bus
        self._clock = clock
        self.stop_on_block = stop_on_block
        self._tasks: set[asyncio.Task[None]] = set()
        self._token = bus.subscribe(self._on_event, AccessChanged)

    async def stop(self) -> None:
        self._bus.unsubscribe(self._token)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def wait_idle(self) -> None:
        while pending := [t for t in self._tasks if not t.done()]:
            await asyncio.gather(*pending, return_exceptions=True)

    def _on_event(self, event: DomainEvent) -> None:
        if not isinstance(event, AccessChanged) or not event.blocked_tags:
            return
        task = asyncio.get_running_loop().create_task(
            self._handle(event.blocked_tags), name="chargedesk-blocked-sessions"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, id_tags: tuple[str, ...]) -> None:
        for id_tag in id_tags:
            for tx in await self._transactions.find(open_only=True, id_tag=id_tag):
                try:
                    await self._session_of_blocked_tag(tx)
                except Exception:
                    log.exception("handling blocked tag %s on transaction %s", id_tag, tx.id)

    async def _session_of_blocked_tag(self, tx: Transaction) -> None:
        where = f"Transaction {tx.id} on {tx.station_id} connector {tx.connector_id}"
        data: dict[str, object] = {"transaction_id": tx.id, "id_tag": tx.id_tag}
        if not self.stop_on_block:
            await self._log(
                tx,
                "access.blocked_while_charging",
                Severity.WARNING,
                f"{where}: id tag {tx.id_tag} was blocked while charging; the session "
                "is allowed to finish (stop_on_block is off)",
                data,
            )
            return
        try:
            await self._commands.send(
                tx.station_id, c.RemoteStopTransaction(tx.id), requested_by="access"
            )
        except CommandError as exc:
            await self._log(
                tx,
                "access.session_not_stopped",
                Severity.ALARM,
                f"{where}: id tag {tx.id_tag} was blocked, but the session could not be "
                f"stopped ({exc}); stop it at the station",
                data,
            )
            return
        await self._log(
            tx,
            "access.session_stopped",
            Severity.WARNING,
            f"{where} stopped: id tag {tx.id_tag} was blocked while charging",
            data,
        )

    async def _log(
        self, tx: Transaction, kind: str, severity: Severity, message: str, data: dict[str, object]
    ) -> None:
        log.warning("%s", message)
        await self._events.append(kind, severity, message, tx.station_id, data, self._clock())
