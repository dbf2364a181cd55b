"""Charging sessions: start, meter values, stop, and the ones chargers forget."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from app.domain.authorization import normalise_id_tag
from app.domain.errors import InvalidInput
from app.domain.events import (
    MeterValuesReceived,
    OperatorAttentionNeeded,
    TransactionStarted,
    TransactionStopped,
)
from app.domain.model import (
    ConnectorStatus,
    IdTagInfo,
    IdTagStatus,
    MeterSample,
    Severity,
    Transaction,
    TransactionState,
)
from app.domain.ports import Clock, EventLog, TransactionRepository
from app.services.authorization import AuthorizationService
from app.services.events import EventBus

log = logging.getLogger(__name__)

# Chargers send -1 when they never got a transaction id (OCPP 1.6 errata 3.18).
NO_TRANSACTION_ID = -1


class TransactionService:
    def __init__(
        self,
        transactions: TransactionRepository,
        authorization: AuthorizationService,
        events: EventLog,
        bus: EventBus,
        clock: Clock,
        *,
        suspect_after: float,
    ) -> None:
        self._tx = transactions
        self._auth = authorization
        self._events = events
        self._bus = bus
        self._clock = clock
        self.suspect_after = suspect_after

    async def start(
        self,
        station_id: str,
        connector_id: int,
        id_tag: str,
        meter_start: int,
        timestamp: datetime,
        reservation_id: int | None,
    ) -> tuple[int, IdTagInfo]:
        """Open (or find again) the transaction; the id is returned only once committed.

        Even a refused tag gets a transaction id, as OCPP 1.6 requires: the
        charger may already be charging (offline start) and must be able to
        report the stop against it.
        """
        info = await self.authorize(station_id, id_tag, connector_id)
        now = self._clock()
        tx, created, superseded = await self._tx.start(
            station_id,
            connector_id,
            normalise_id_tag(id_tag),
            info.status,
            meter_start,
            timestamp,
            reservation_id,
            now,
        )
        for old in superseded:
            await self._attention(
                station_id,
                "transaction.superseded",
                f"Transaction {old.id} on {station_id} connector {connector_id} was never "
                f"stopped; closed from its last reading when transaction {tx.id} started",
                {"transaction_id": old.id, "new_transaction_id": tx.id},
            )
        if created:
            self._bus.publish(
                TransactionStarted(
                    now, station_id, tx.id, connector_id, tx.id_tag, meter_start, timestamp
                )
            )
        return tx.id, info

    async def authorize(
        self, station_id: str, id_tag: str, connector_id: int | None = None
    ) -> IdTagInfo:
        """Decide for a tag presented at a station; a refusal or a walk-in is logged."""
        decision = await self._auth.decide(id_tag, station_id, connector_id)
        info = decision.info
        where = f" connector {connector_id}" if connector_id else ""
        if decision.walk_in:
            await self._events.append(
                "authorization.walk_in",
                Severity.INFO,
                f"{station_id}{where} accepted unregistered id tag "
                f"{normalise_id_tag(id_tag)} as a walk-in",
                station_id,
                {"id_tag": normalise_id_tag(id_tag), "connector_id": connector_id},
                self._clock(),
            )
        elif info.status is IdTagStatus.ACCEPTED:
            # Usage analytics count drivers who were let in but found no free connector.
            await self._events.append(
                "authorization.accepted",
                Severity.INFO,
                f"{station_id}{where} accepted id tag {normalise_id_tag(id_tag)}",
                station_id,
                {"id_tag": normalise_id_tag(id_tag), "connector_id": connector_id},
                self._clock(),
            )
        if info.status is not IdTagStatus.ACCEPTED:
            await self._events.append(
                "authorization.rejected",
                Severity.WARNING,
                f"{station_id}{where} refused id tag {normalise_id_tag(id_tag)}: "
                f"{info.status.value}",
                station_id,
                {
                    "id_tag": normalise_id_tag(id_tag),
                    "status": info.status.value,
                    "connector_id": connector_id,
                },
                self._clock(),
            )
        return info

    async def meter_values(
        self,
        station_id: str,
        connector_id: int,
        transaction_id: int | None,
        samples: Sequence[MeterSample],
    ) -> None:
        if transaction_id == NO_TRANSACTION_ID:
            transaction_id = None
        tx = await self._tx.add_samples(station_id, connector_id, transaction_id, samples)
        if transaction_id is not None and tx is None:
            log.warning(
                "%s sent meter values for unknown transaction %s; stored without it",
                station_id,
                transaction_id,
            )
        self._bus.publish(
            MeterValuesReceived(
                self._clock(),
                station_id,
                connector_id,
                tx.id if tx is not None else None,
                tuple(samples),
            )
        )

    async def stop(
        self,
        station_id: str,
        transaction_id: int,
        meter_stop: int,
        timestamp: datetime,
        reason: str | None,
        id_tag: str | None,
        samples: Sequence[MeterSample],
    ) -> IdTagInfo | None:
        """Close the transaction. Always succeeds from the charger's point of view:
        a central system cannot refuse a stop, only flag what does not add up."""
        now = self._clock()
        tag = normalise_id_tag(id_tag) if id_tag else None
        tx, outcome = await self._tx.stop(
            station_id, transaction_id, meter_stop, timestamp, reason, tag, samples, now
        )
        if outcome == "unknown":
            await self._attention(
                station_id,
                "transaction.unknown_stop",
                f"{station_id} stopped transaction {transaction_id}, which this system "
                f"does not know (meter stop {meter_stop} Wh at {timestamp.isoformat()})",
                {
                    "transaction_id": transaction_id,
                    "meter_stop": meter_stop,
                    "timestamp": timestamp.isoformat(),
                    "reason": reason,
                    "id_tag": tag,
                },
            )
        elif outcome == "already-closed":
            await self._attention(
                station_id,
                "transaction.stop_again",
                f"{station_id} stopped transaction {transaction_id} again with other values",
                {"transaction_id": transaction_id, "meter_stop": meter_stop},
            )
        elif outcome == "closed" and tx is not None:
            if meter_stop < tx.meter_start:
                await self._attention(
                    station_id,
                    "transaction.meter_backwards",
                    f"Transaction {tx.id} on {station_id} stopped at {meter_stop} Wh, below its "
                    f"start of {tx.meter_start} Wh (meter reset or replaced?); energy counted as 0",
                    {
                        "transaction_id": tx.id,
                        "meter_start": tx.meter_start,
                        "meter_stop": meter_stop,
                    },
                )
            energy = tx.energy_wh or 0
            self._bus.publish(
                TransactionStopped(
                    now,
                    station_id,
                    tx.id,
                    tx.connector_id,
                    meter_stop,
                    timestamp,
                    reason,
                    energy,
                )
            )
        if tag is None:
            return None
        # What the charger keeps in its cache for the tag; its other sessions do not matter.
        return await self._auth.authorize(tag, station_id, count_sessions=False)

    async def on_status(self, station_id: str, connector_id: int, status: ConnectorStatus) -> None:
        """Close a suspect transaction once its charger says the connector is free again."""
        if status is not ConnectorStatus.AVAILABLE or connector_id == 0:
            return
        tx = await self._tx.open_for_connector(station_id, connector_id)
        if tx is None or tx.state is not TransactionState.SUSPECT:
            return
        closed = await self._tx.close_from_last_reading(tx.id, self._clock(), "reconciled")
        if closed is None:
            return
        await self._attention(
            station_id,
            "transaction.reconciled",
            f"Transaction {tx.id} on {station_id} closed from its last meter reading "
            f"({closed.meter_stop} Wh) after the charger reported the connector Available",
            {"transaction_id": tx.id, "meter_stop": closed.meter_stop},
        )
        self._bus.publish(
            TransactionStopped(
                self._clock(),
                station_id,
                tx.id,
                connector_id,
                closed.meter_stop or 0,
                closed.stopped_at or self._clock(),
                "Reconciled",
                closed.energy_wh or 0,
            )
        )

    async def flag_suspects(self, silent_station_ids: Sequence[str]) -> list[Transaction]:
        older_than = self._clock() - timedelta(seconds=self.suspect_after)
        marked = await self._tx.mark_suspect(older_than, silent_station_ids)
        for tx in marked:
            await self._attention(
                tx.station_id,
                "transaction.suspect",
                f"Transaction {tx.id} on {tx.station_id} connector {tx.connector_id} has had "
                f"no news since {tx.last_meter_at}; it will be closed from its last reading "
                "when the charger reports the connector free",
                {"transaction_id": tx.id},
            )
        return marked

    async def get(self, transaction_id: int) -> Transaction | None:
        return await self._tx.get(transaction_id)

    async def find(
        self,
        *,
        station_id: str | None = None,
        open_only: bool = False,
        closed_only: bool = False,
        id_tag: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[Transaction]:
        if open_only and closed_only:
            raise InvalidInput("a transaction is either open or closed, not both")
        if since is not None and until is not None and until <= since:
            raise InvalidInput("the end of the period must come after its start")
        if not 1 <= limit <= 10_000:
            raise InvalidInput("a page holds 1 to 10,000 transactions")
        return await self._tx.find(
            station_id=station_id,
            open_only=open_only,
            closed_only=closed_only,
            id_tag=id_tag,
            since=since,
            until=until,
            limit=limit,
        )

    async def samples(self, transaction_id: int) -> list[MeterSample]:
        return await self._tx.samples(transaction_id)

    async def _attention(
        self, station_id: str, kind: str, message: str, data: dict[str, object]
    ) -> None:
        now = self._clock()
        log.warning("%s", message)
        await self._events.append(kind, Severity.WARNING, message, station_id, data, now)
        self._bus.publish(OperatorAttentionNeeded(now, station_id, kind, message))
