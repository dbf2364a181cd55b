"""Every session priced: the terms fixed at its start, a live price while it charges,
the final price stored at its stop.

When a transaction starts (TransactionStarted), a task on the engine loop takes its
snapshot: the tariff that applies (TariffService.resolve, precedence in
app/domain/tariff_assignments.py) as it is then, the driver and fleet of the tag,
the driver's subscription terms (a `PlanLookup`), and whether the tag was a walk-in.
An edited tariff never changes a session that started before the edit. With no
tariff anywhere the session has no price: nothing is invented.

While it charges, the live price is computed from the snapshot and the register
readings kept in memory from MeterValuesReceived, never from the database. It is
recomputed only when a reading arrived, or while an idle fee is running (the only
part of a price that grows with time alone, by the rules of app/domain/pricing.py);
otherwise the last one is handed out again, and its `as_of` says when it was made.

When it stops (TransactionStopped, or a newer session that superseded it), the final
price is computed from the stored readings and stored with its lines; SessionPriced
is published. At start-up, open sessions without a snapshot (the engine stopped
between the start and the snapshot) get one, said in the event log, and stopped
sessions without a final price are priced.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Any, Protocol

from app.domain.errors import InvalidInput
from app.domain.events import (
    DomainEvent,
    MeterValuesReceived,
    SessionPriced,
    TransactionStarted,
    TransactionStopped,
)
from app.domain.model import Severity, Transaction, TransactionState
from app.domain.ports import Clock, EventLog
from app.domain.session_charges import (
    ChargeSnapshot,
    OpenSession,
    SessionCharge,
    SessionFacts,
    SessionRecord,
    register_readings,
)
from app.domain.session_price import SessionPrice
from app.domain.tariff_assignments import SessionContext
from app.domain.tariffs import PlanTerms
from app.services.events import EventBus
from app.services.session_price_cache import LiveSession, Readings, session_price
from app.services.tariffs import TariffService

log = logging.getLogger(__name__)

# (driver_id, site_id, session start) -> (subscription_id, what the plan changes) or None:
# SubscriptionService.terms_at.
PlanLookup = Callable[[int, int | None, datetime], Awaitable[tuple[int, PlanTerms] | None]]


class SessionChargeRepository(Protocol):
    """Implemented by app/store/repositories/session_charges.py."""

    async def facts(self, station_id: str, id_tag: str) -> SessionFacts: ...
    async def plan_of(self, subscription_id: int) -> int | None: ...
    async def save_snapshot(self, snapshot: ChargeSnapshot) -> SessionCharge:
        """Store it unless the session has one; return the one stored."""
        ...

    async def save_final(
        self, transaction_id: int, price: SessionPrice | None, energy_wh: int, now: datetime
    ) -> None: ...
    async def session(
        self, transaction_id: int
    ) -> tuple[Transaction, SessionCharge | None, Readings] | None: ...
    async def open_sessions(self) -> Sequence[OpenSession]: ...
    async def stopped_without_final_price(self) -> list[int]: ...
    async def history(
        self,
        *,
        driver_id: int | None = None,
        id_tags: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[SessionRecord]: ...


class SessionPricingService:
    def __init__(
        self,
        repository: SessionChargeRepository,
        tariffs: TariffService,
        events: EventLog,
        bus: EventBus,
        clock: Clock,
        *,
        zone: tzinfo,
        plan_lookup: PlanLookup | None = None,
    ) -> None:
        """`zone`: the sites' time zone, in which tariff bands are read."""
        self._repo = repository
        self._tariffs = tariffs
        self._events = events
        self._bus = bus
        self._clock = clock
        self.zone = zone
        self._plan_lookup = plan_lookup
        self._open: dict[int, LiveSession] = {}
        self._snapshots: dict[int, asyncio.Task[SessionCharge]] = {}
        # One snapshot at a time: a session's plan terms count what the sessions
        # snapshotted before it hold of the month's allowance, so two sessions
        # started together must not both read it before either is stored.
        self._snapshot_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._tokens: list[int] = []

    def use_plan_lookup(self, lookup: PlanLookup | None) -> None:
        """Where subscription terms come from (SubscriptionService.terms_at)."""
        self._plan_lookup = lookup

    # ---- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Follow sessions on the bus; catch up on what happened while the engine was down.

        Call before chargers are served, so nothing new starts or stops meanwhile.
        """
        if self._tokens:
            return
        self._tokens = [
            self._bus.subscribe(self._on_event, TransactionStarted),
            self._bus.subscribe(self._on_event, MeterValuesReceived),
            self._bus.subscribe(self._on_event, TransactionStopped),
        ]
        for session in await self._repo.open_sessions():
            tx = session.transaction
            entry = self._remember(
                tx.id, tx.station_id, tx.connector_id, tx.started_at, tx.meter_start
            )
            entry.readings.extend(session.readings)
            entry.charge = session.charge
            if entry.charge is None:
                # One session's trouble must not keep the engine from serving chargers.
                try:
                    entry.charge = await self._snapshot_late(tx, "after a restart")
                except Exception:
                    log.exception("no price terms for transaction %d", tx.id)
        for transaction_id in await self._repo.stopped_without_final_price():
            try:
                await self._finalize(transaction_id)
            except Exception:
                log.exception("no final price for transaction %d", transaction_id)

    async def close(self) -> None:
        """Stop following the bus and finish every snapshot and price under way."""
        for token in self._tokens:
            self._bus.unsubscribe(token)
        self._tokens = []
        await self.settled()

    async def settled(self) -> None:
        """Wait until every snapshot and final price under way is stored."""
        while self._tasks:
            await asyncio.wait(list(self._tasks))

    # ---- what screens, the API and statements ask ----------------------------------------

    async def live_prices(self, transaction_ids: Iterable[int]) -> dict[int, SessionPrice]:
        """The live price of each open session among the ids, from memory only (cheap
        enough to ask once a second); sessions without a price (no tariff, snapshot not
        stored yet, not open) are left out."""
        now = self._clock()
        prices = {}
        for transaction_id in transaction_ids:
            entry = self._open.get(transaction_id)
            price = None if entry is None else entry.live_price(self.zone, now)
            if price is not None:
                prices[transaction_id] = price
        return prices

    async def price_of(self, transaction_id: int) -> SessionCharge | None:
        """The session's terms and price with its lines: final once stopped, live while
        open. None when the session has no snapshot (unknown, or from before ChargeDesk
        priced sessions); a snapshot without a tariff has `price` None."""
        pending = self._snapshots.get(transaction_id)
        if pending is not None:
            await asyncio.wait([pending])
        entry = self._open.get(transaction_id)
        if entry is not None and entry.charge is not None:
            return SessionCharge(entry.charge.snapshot, entry.live_price(self.zone, self._clock()))
        found = await self._repo.session(transaction_id)
        if found is None:
            return None
        tx, charge, readings = found
        if charge is None:
            return None
        if charge.price is not None:
            return charge
        return SessionCharge(
            charge.snapshot, session_price(charge.snapshot, tx, readings, self.zone, self._clock())
        )

    async def history_for_driver(
        self,
        driver_id: int,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[SessionRecord]:
        """Sessions of the driver who held the tag when each started, that started in
        [since, until), newest first, each with station, times, energy and cost (open
        ones at their live price)."""
        _check_period(since, until, limit)
        found = await self._repo.history(driver_id=driver_id, since=since, until=until, limit=limit)
        return await self._with_live_costs(found)

    async def history_for_tags(
        self,
        id_tags: Sequence[str],
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[SessionRecord]:
        """Sessions started with any of the tags in [since, until), newest first; also
        those from before sessions were priced (their cost fields are None)."""
        _check_period(since, until, limit)
        if not id_tags:
            return []
        found = await self._repo.history(id_tags=id_tags, since=since, until=until, limit=limit)
        return await self._with_live_costs(found)

    # ---- the bus (engine loop; quick, never blocking) ------------------------------------

    def _on_event(self, event: DomainEvent) -> None:
        if isinstance(event, TransactionStarted):
            self._started(event)
        elif isinstance(event, MeterValuesReceived):
            entry = None if event.transaction_id is None else self._open.get(event.transaction_id)
            if entry is not None:
                entry.readings.extend(register_readings(event.samples))
        elif isinstance(event, TransactionStopped):
            self._spawn(self._finalize(event.transaction_id), f"price-{event.transaction_id}")

    def _started(self, event: TransactionStarted) -> None:
        # A session still open on the connector was closed by this start (superseded).
        for older in list(self._open.values()):
            same_connector = (older.station_id, older.connector_id) == (
                event.station_id,
                event.connector_id,
            )
            if same_connector and older.started_at <= event.started_at:
                self._spawn(self._finalize(older.transaction_id), f"price-{older.transaction_id}")
        entry = self._remember(
            event.transaction_id,
            event.station_id,
            event.connector_id,
            event.started_at,
            event.meter_start,
        )
        task = self._spawn(
            self._snapshot(event.transaction_id, event.station_id, event.id_tag, event.started_at),
            f"snapshot-{event.transaction_id}",
        )
        self._snapshots[event.transaction_id] = task

        def stored(done: asyncio.Task[SessionCharge]) -> None:
            if self._snapshots.get(event.transaction_id) is done:
                del self._snapshots[event.transaction_id]
            if not done.cancelled() and done.exception() is None and entry.charge is None:
                entry.charge = done.result()

        task.add_done_callback(stored)

    def _spawn(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(work, name=f"session-pricing-{name}")
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s failed", task.get_name(), exc_info=task.exception())

    def _remember(
        self, transaction_id: int, station_id: str, connector_id: int, started: datetime, wh: int
    ) -> LiveSession:
        entry = LiveSession(transaction_id, station_id, connector_id, started, wh)
        self._open[transaction_id] = entry
        return entry

    # ---- snapshots and final prices ---------------------------------------------------

    async def _snapshot(
        self, transaction_id: int, station_id: str, id_tag: str, started_at: datetime
    ) -> SessionCharge:
        async with self._snapshot_lock:
            return await self._take_snapshot(transaction_id, station_id, id_tag, started_at)

    async def _take_snapshot(
        self, transaction_id: int, station_id: str, id_tag: str, started_at: datetime
    ) -> SessionCharge:
        facts = await self._repo.facts(station_id, id_tag)
        subscription_id = plan_id = None
        plan = None
        if facts.driver_id is not None and self._plan_lookup is not None:
            found = await self._plan_lookup(facts.driver_id, facts.site_id, started_at)
            if found is not None:
                subscription_id, plan = found
                plan_id = await self._repo.plan_of(subscription_id)
        context = SessionContext(station_id, facts.site_id, facts.fleet_id, plan_id)
        stored = await self._tariffs.resolve_stored(context)
        snapshot = ChargeSnapshot(
            transaction_id=transaction_id,
            tariff_id=None if stored is None else stored.id,
            tariff=None if stored is None else stored.tariff,
            driver_id=facts.driver_id,
            fleet_id=facts.fleet_id,
            subscription_id=subscription_id,
            plan=plan,
            walk_in=facts.walk_in,
        )
        return await self._repo.save_snapshot(snapshot)

    async def _snapshot_late(self, tx: Transaction, when: str) -> SessionCharge:
        charge = await self._snapshot(tx.id, tx.station_id, tx.id_tag, tx.started_at)
        tariff = charge.snapshot.tariff
        message = (
            f"Transaction {tx.id} on {tx.station_id} had no price terms from its start "
            f"(ChargeDesk stopped before taking them); taken {when} from the tariffs as they "
            f"are now: {'no tariff' if tariff is None else repr(tariff.name)}"
        )
        log.warning("%s", message)
        await self._events.append(
            "session.terms_taken_late",
            Severity.WARNING,
            message,
            tx.station_id,
            {"transaction_id": tx.id, "tariff_id": charge.snapshot.tariff_id},
            self._clock(),
        )
        return charge

    async def _finalize(self, transaction_id: int) -> None:
        pending = self._snapshots.get(transaction_id)
        if pending is not None:
            await asyncio.wait([pending])  # its failure is logged by _done
        found = await self._repo.session(transaction_id)
        if found is None or found[0].state is not TransactionState.CLOSED:
            return
        tx, charge, readings = found
        self._open.pop(transaction_id, None)
        if charge is None:
            charge = await self._snapshot_late(tx, "at its stop")
        price = session_price(charge.snapshot, tx, readings, self.zone, self._clock())
        now = self._clock()
        await self._repo.save_final(tx.id, price, tx.energy_wh or 0, now)
        total, currency = (None, None) if price is None else (price.total_minor, price.currency)
        self._bus.publish(SessionPriced(now, tx.station_id, tx.id, total, currency))

    async def _with_live_costs(self, records: list[SessionRecord]) -> list[SessionRecord]:
        result = []
        for record in records:
            if record.stopped_at is None and record.currency is not None:
                charge = await self.price_of(record.transaction_id)
                price = None if charge is None else charge.price
                if price is not None:
                    record = replace(
                        record,
                        total_minor=price.total_minor,
                        vat_minor=price.vat_minor,
                        energy_wh=round(price.energy_wh),
                        included_wh_used=price.included_wh_used,
                    )
            result.append(record)
        return result


def _check_period(since: datetime | None, until: datetime | None, limit: int) -> None:
    for moment, name in ((since, "since"), (until, "until")):
        if moment is not None and moment.utcoffset() is None:
            raise InvalidInput(f"{name}: give a time zone")
    if since is not None and until is not None and until <= since:
        raise InvalidInput("the end of the period must come after its start")
    if not 1 <= limit <= 10_000:
        raise InvalidInput("a page holds 1 to 10,000 sessions")
