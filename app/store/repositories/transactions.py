"""Transactions and their meter samples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, bindparam, insert, select, update

from app.domain.metering import ENERGY_REGISTER
from app.domain.model import (
    IdTagStatus,
    MeterSample,
    ReservationState,
    Transaction,
    TransactionState,
)
from app.store.bulk import insert_rows
from app.store.database import Database
from app.store.schema import meter_samples, reservations, transactions

_OPEN = (TransactionState.OPEN.value, TransactionState.SUSPECT.value)


def transaction_from_row(row: Row[tuple[object, ...]]) -> Transaction:
    m = row._mapping
    try:
        tag_status = IdTagStatus(m["id_tag_status"])
    except ValueError:
        tag_status = IdTagStatus.INVALID
    return Transaction(
        id=m["id"],
        station_id=m["station_id"],
        connector_id=m["connector_id"],
        id_tag=m["id_tag"],
        id_tag_status=tag_status,
        meter_start=m["meter_start"],
        started_at=m["started_at"],
        state=TransactionState(m["state"]),
        reservation_id=m["reservation_id"],
        meter_stop=m["meter_stop"],
        stopped_at=m["stopped_at"],
        stop_reason=m["stop_reason"],
        stop_id_tag=m["stop_id_tag"],
        last_meter_wh=m["last_meter_wh"],
        last_meter_at=m["last_meter_at"],
        closed_by=m["closed_by"],
    )


def _sample_rows(
    station_id: str, connector_id: int, transaction_id: int | None, samples: Sequence[MeterSample]
) -> list[dict[str, object]]:
    return [
        {
            "station_id": station_id,
            "connector_id": connector_id,
            "transaction_id": transaction_id,
            "timestamp": s.timestamp,
            "measurand": s.measurand,
            "value": s.value,
            "unit": s.unit,
            "phase": s.phase,
            "location": s.location,
            "context": s.context,
            "format": s.format,
        }
        for s in samples
    ]


_SAMPLE_KEY = (
    "station_id",
    "connector_id",
    "transaction_id",
    "timestamp",
    "measurand",
    "value",
    "unit",
    "phase",
    "location",
    "context",
)


def _not_stored_yet(conn: Connection, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rows that are not already stored, nor earlier in `rows`.

    A charger resends a MeterValues (or a StopTransaction with its transaction data)
    whose answer it did not get, for instance when the server died after storing it
    and before answering; the readings must count once. One indexed read of the
    stations and timestamps at hand (ix_meter_samples_station)."""
    if not rows:
        return rows
    c = meter_samples.c
    stations = {r["station_id"] for r in rows}
    stamps = {r["timestamp"] for r in rows}
    stored = conn.execute(
        select(*(c[name] for name in _SAMPLE_KEY)).where(
            c.station_id.in_(stations), c.timestamp.in_(stamps)
        )
    )
    seen = {tuple(row) for row in stored}
    fresh = []
    for row in rows:
        key = tuple(row[name] for name in _SAMPLE_KEY)
        if key not in seen:
            seen.add(key)
            fresh.append(row)
    return fresh


def _latest_register(samples: Sequence[MeterSample]) -> MeterSample | None:
    """The newest overall energy register reading (no phase) among the samples."""
    best: MeterSample | None = None
    for s in samples:
        if s.measurand != ENERGY_REGISTER or s.phase is not None or s.unit != "Wh":
            continue
        if s.location not in (None, "Outlet"):
            continue
        if best is None or s.timestamp >= best.timestamp:
            best = s
    return best


def _get(conn: Connection, transaction_id: int) -> Transaction | None:
    row = conn.execute(select(transactions).where(transactions.c.id == transaction_id)).first()
    return transaction_from_row(row) if row else None


@dataclass(frozen=True, slots=True)
class _SampleBatchItem:
    station_id: str
    connector_id: int
    transaction_id: int | None
    samples: tuple[MeterSample, ...]


_UPDATE_LAST_READING = (
    update(transactions)
    .where(transactions.c.id == bindparam("tx_id"))
    .values(last_meter_wh=bindparam("wh"), last_meter_at=bindparam("at"))
)


def _flush_samples(conn: Connection, items: list[_SampleBatchItem]) -> list[Transaction | None]:
    """Every MeterValues of one group commit: one SELECT, one INSERT, one UPDATE batch."""
    wanted = {i.transaction_id for i in items if i.transaction_id is not None}
    known: dict[int, Transaction] = {}
    if wanted:
        rows = conn.execute(select(transactions).where(transactions.c.id.in_(wanted)))
        known = {t.id: t for t in map(transaction_from_row, rows)}
    sample_rows: list[dict[str, object]] = []
    latest: dict[int, MeterSample] = {}
    results: list[Transaction | None] = []
    for item in items:
        tx = known.get(item.transaction_id) if item.transaction_id is not None else None
        if tx is not None and tx.station_id != item.station_id:
            tx = None
        results.append(tx)
        sample_rows.extend(
            _sample_rows(item.station_id, item.connector_id, tx.id if tx else None, item.samples)
        )
        reading = _latest_register(item.samples)
        if tx is None or reading is None:
            continue
        best = latest.get(tx.id)
        if (best is None or reading.timestamp >= best.timestamp) and (
            tx.last_meter_at is None or reading.timestamp >= tx.last_meter_at
        ):
            latest[tx.id] = reading
    insert_rows(conn, meter_samples, _not_stored_yet(conn, sample_rows))
    if latest:
        conn.execute(
            _UPDATE_LAST_READING,
            [{"tx_id": tx_id, "wh": r.value, "at": r.timestamp} for tx_id, r in latest.items()],
        )
    return results


class SqlTransactionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def start(
        self,
        station_id: str,
        connector_id: int,
        id_tag: str,
        id_tag_status: IdTagStatus,
        meter_start: int,
        started_at: datetime,
        reservation_id: int | None,
        now: datetime,
    ) -> tuple[Transaction, bool, list[Transaction]]:
        def op(conn: Connection) -> tuple[Transaction, bool, list[Transaction]]:
            c = transactions.c
            existing = conn.execute(
                select(transactions).where(
                    (c.station_id == station_id)
                    & (c.connector_id == connector_id)
                    & (c.started_at == started_at)
                    & (c.meter_start == meter_start)
                    & (c.id_tag == id_tag)
                )
            ).first()
            if existing is not None:
                return transaction_from_row(existing), False, []
            # Anything still open on this connector and older was never stopped
            # (lost StopTransaction, power loss without queueing): close it from
            # its last reading so the connector is not double-booked.
            stale_rows = conn.execute(
                select(transactions).where(
                    (c.station_id == station_id)
                    & (c.connector_id == connector_id)
                    & c.state.in_(_OPEN)
                    & (c.started_at <= started_at)
                )
            ).all()
            superseded = []
            for row in stale_rows:
                tx = transaction_from_row(row)
                conn.execute(
                    update(transactions)
                    .where(c.id == tx.id)
                    .values(
                        state=TransactionState.CLOSED.value,
                        meter_stop=round(tx.last_meter_wh or tx.meter_start),
                        stopped_at=tx.last_meter_at or started_at,
                        closed_by="superseded",
                    )
                )
                superseded.append(tx)
            result = conn.execute(
                insert(transactions).values(
                    station_id=station_id,
                    connector_id=connector_id,
                    id_tag=id_tag,
                    id_tag_status=id_tag_status.value,
                    meter_start=meter_start,
                    started_at=started_at,
                    reservation_id=reservation_id,
                    state=TransactionState.OPEN.value,
                    last_meter_wh=float(meter_start),
                    last_meter_at=started_at,
                    created_at=now,
                )
            )
            new_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
            assert new_id is not None
            if reservation_id is not None:
                # The reservation is used up by the transaction that names it (§5.13),
                # in the same commit, so it can never be both open and consumed.
                r = reservations.c
                conn.execute(
                    update(reservations)
                    .where(
                        (r.id == reservation_id)
                        & (r.station_id == station_id)
                        & (r.state == ReservationState.ACTIVE.value)
                    )
                    .values(
                        state=ReservationState.USED.value,
                        transaction_id=int(new_id),
                        ended_at=now,
                    )
                )
            created = _get(conn, int(new_id))
            assert created is not None
            return created, True, superseded

        return await self._db.write(op)

    async def add_samples(
        self,
        station_id: str,
        connector_id: int,
        transaction_id: int | None,
        samples: Sequence[MeterSample],
    ) -> Transaction | None:
        item = _SampleBatchItem(station_id, connector_id, transaction_id, tuple(samples))
        result = await self._db.write_grouped(_flush_samples, item)
        assert result is None or isinstance(result, Transaction)
        return result

    async def stop(
        self,
        station_id: str,
        transaction_id: int,
        meter_stop: int,
        stopped_at: datetime,
        reason: str | None,
        id_tag: str | None,
        samples: Sequence[MeterSample],
        now: datetime,
    ) -> tuple[Transaction | None, str]:
        def op(conn: Connection) -> tuple[Transaction | None, str]:
            tx = _get(conn, transaction_id)
            if tx is None or tx.station_id != station_id:
                insert_rows(
                    conn,
                    meter_samples,
                    _not_stored_yet(conn, _sample_rows(station_id, 0, None, samples)),
                )
                return None, "unknown"
            rows = _sample_rows(station_id, tx.connector_id, tx.id, samples)
            insert_rows(conn, meter_samples, _not_stored_yet(conn, rows))
            if tx.state is TransactionState.CLOSED and tx.closed_by == "station":
                if tx.meter_stop == meter_stop and tx.stopped_at == stopped_at:
                    return tx, "duplicate"
                return tx, "already-closed"
            # Open, suspect, or closed by us from the last reading: the
            # charger's own account of the stop wins.
            conn.execute(
                update(transactions)
                .where(transactions.c.id == tx.id)
                .values(
                    state=TransactionState.CLOSED.value,
                    meter_stop=meter_stop,
                    stopped_at=stopped_at,
                    stop_reason=reason or "Local",
                    stop_id_tag=id_tag,
                    closed_by="station",
                    last_meter_wh=float(meter_stop),
                    last_meter_at=stopped_at,
                )
            )
            return _get(conn, tx.id), "closed"

        return await self._db.write(op)

    async def get(self, transaction_id: int) -> Transaction | None:
        def op(conn: Connection) -> Transaction | None:
            return _get(conn, transaction_id)

        return await self._db.read(op)

    async def open_for_connector(self, station_id: str, connector_id: int) -> Transaction | None:
        def op(conn: Connection) -> Transaction | None:
            c = transactions.c
            row = conn.execute(
                select(transactions)
                .where(
                    (c.station_id == station_id)
                    & (c.connector_id == connector_id)
                    & c.state.in_(_OPEN)
                )
                .order_by(c.started_at.desc())
            ).first()
            return transaction_from_row(row) if row else None

        return await self._db.read(op)

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
        """Newest first; since/until bound the start time (since inclusive)."""

        def op(conn: Connection) -> list[Transaction]:
            c = transactions.c
            query = select(transactions).order_by(c.id.desc()).limit(limit)
            if station_id is not None:
                query = query.where(c.station_id == station_id)
            if open_only:
                query = query.where(c.state.in_(_OPEN))
            if closed_only:
                query = query.where(c.state.not_in(_OPEN))
            if id_tag is not None:
                query = query.where(c.id_tag == id_tag)
            if since is not None:
                query = query.where(c.started_at >= since)
            if until is not None:
                query = query.where(c.started_at < until)
            return [transaction_from_row(r) for r in conn.execute(query)]

        return await self._db.read(op)

    async def mark_suspect(
        self, older_than: datetime, offline_stations: Sequence[str]
    ) -> list[Transaction]:
        if not offline_stations:
            return []

        def op(conn: Connection) -> list[Transaction]:
            c = transactions.c
            rows = conn.execute(
                select(transactions).where(
                    (c.state == TransactionState.OPEN.value)
                    & c.station_id.in_(list(offline_stations))
                    & (c.last_meter_at < older_than)
                )
            ).all()
            marked = [transaction_from_row(r) for r in rows]
            if marked:
                conn.execute(
                    update(transactions)
                    .where(c.id.in_([t.id for t in marked]))
                    .values(state=TransactionState.SUSPECT.value)
                )
            return marked

        return await self._db.write(op)

    async def close_from_last_reading(
        self, transaction_id: int, now: datetime, closed_by: str
    ) -> Transaction | None:
        def op(conn: Connection) -> Transaction | None:
            tx = _get(conn, transaction_id)
            if tx is None or tx.state is TransactionState.CLOSED:
                return None
            conn.execute(
                update(transactions)
                .where(transactions.c.id == tx.id)
                .values(
                    state=TransactionState.CLOSED.value,
                    meter_stop=round(tx.last_meter_wh or tx.meter_start),
                    stopped_at=tx.last_meter_at or now,
                    closed_by=closed_by,
                )
            )
            return _get(conn, tx.id)

        return await self._db.write(op)

    async def samples(self, transaction_id: int) -> list[MeterSample]:
        def op(conn: Connection) -> list[MeterSample]:
            rows = conn.execute(
                select(meter_samples)
                .where(meter_samples.c.transaction_id == transaction_id)
                .order_by(meter_samples.c.timestamp, meter_samples.c.id)
            )
            return [
                MeterSample(
                    timestamp=r.timestamp,
                    value=r.value,
                    measurand=r.measurand,
                    unit=r.unit,
                    phase=r.phase,
                    location=r.location,
                    context=r.context,
                    format=r.format,
                )
                for r in rows
            ]

        return await self._db.read(op)
