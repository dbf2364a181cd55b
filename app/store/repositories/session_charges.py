"""Store side of app/services/session_pricing.py: each session's terms and price.

One `session_charges` row per priced transaction. `tariff_snapshot` holds
`Tariff.to_dict()` as the session started, or JSON null when no tariff applied
(the session has no price); `lines` holds the whole `SessionPrice.to_dict()` of
the final price, and total, VAT, energy and included energy are copied into their
own columns for statements and reports to sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Connection, RowMapping, insert, or_, select, update

from app.domain.metering import ENERGY_REGISTER
from app.domain.model import Transaction, TransactionState
from app.domain.session_charges import (
    ChargeSnapshot,
    OpenSession,
    SessionCharge,
    SessionFacts,
    SessionRecord,
)
from app.domain.session_price import SessionPrice
from app.domain.tariffs import DEFAULT_CURRENCY, PlanTerms, Tariff
from app.store.database import Database
from app.store.repositories.tariffs import site_of
from app.store.repositories.transactions import transaction_from_row
from app.store.schema import (
    drivers,
    id_tags,
    meter_samples,
    session_charges,
    subscriptions,
    transactions,
)

_C = session_charges.c
_T = transactions.c
_OPEN = (TransactionState.OPEN.value, TransactionState.SUSPECT.value)
_CHUNK = 500


def _snapshot(m: RowMapping) -> ChargeSnapshot:
    spec, plan = m["tariff_snapshot"], m["plan_snapshot"]
    return ChargeSnapshot(
        transaction_id=int(m["transaction_id"]),
        tariff_id=None if m["tariff_id"] is None else int(m["tariff_id"]),
        tariff=None if spec is None else Tariff.from_dict(spec),
        driver_id=None if m["driver_id"] is None else int(m["driver_id"]),
        fleet_id=None if m["fleet_id"] is None else int(m["fleet_id"]),
        subscription_id=None if m["subscription_id"] is None else int(m["subscription_id"]),
        plan=None if plan is None else PlanTerms.from_dict(plan),
        walk_in=bool(m["walk_in"]),
    )


def charge_from_row(m: RowMapping) -> SessionCharge:
    lines = m["lines"]
    price = SessionPrice.from_dict(lines) if m["final"] and lines is not None else None
    return SessionCharge(_snapshot(m), price)


def _charges(conn: Connection, ids: Sequence[int]) -> dict[int, SessionCharge]:
    found: dict[int, SessionCharge] = {}
    for offset in range(0, len(ids), _CHUNK):
        query = select(session_charges).where(_C.transaction_id.in_(ids[offset : offset + _CHUNK]))
        for row in conn.execute(query):
            found[int(row.transaction_id)] = charge_from_row(row._mapping)
    return found


def _readings(conn: Connection, ids: Sequence[int]) -> dict[int, list[tuple[datetime, float]]]:
    """Energy register readings per transaction, in time order (as history.py selects them)."""
    m = meter_samples.c
    found: dict[int, list[tuple[datetime, float]]] = {i: [] for i in ids}
    for offset in range(0, len(ids), _CHUNK):
        query = (
            select(m.transaction_id, m.timestamp, m.value)
            .where(
                m.transaction_id.in_(ids[offset : offset + _CHUNK])
                & (m.measurand == ENERGY_REGISTER)
                & m.phase.is_(None)
                & (m.unit == "Wh")
                & or_(m.location.is_(None), m.location == "Outlet")
            )
            .order_by(m.transaction_id, m.timestamp, m.id)
        )
        for tx_id, at, value in conn.execute(query):
            found[int(tx_id)].append((at, float(value)))
    return found


def _snapshot_values(snapshot: ChargeSnapshot) -> dict[str, Any]:
    tariff = snapshot.tariff
    return {
        "transaction_id": snapshot.transaction_id,
        "tariff_id": snapshot.tariff_id,
        # JSON null, not SQL NULL: the column says "no tariff applied", explicitly.
        "tariff_snapshot": JSON.NULL if tariff is None else tariff.to_dict(),
        "driver_id": snapshot.driver_id,
        "fleet_id": snapshot.fleet_id,
        "subscription_id": snapshot.subscription_id,
        "plan_snapshot": None if snapshot.plan is None else snapshot.plan.to_dict(),
        "walk_in": snapshot.walk_in,
        # Without a tariff there is no money, but the column wants a currency.
        "currency": DEFAULT_CURRENCY if tariff is None else tariff.currency,
        "included_wh_used": 0,
        "final": False,
    }


class SqlSessionChargeRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def facts(self, station_id: str, id_tag: str) -> SessionFacts:
        def op(conn: Connection) -> SessionFacts:
            row = conn.execute(
                select(id_tags.c.driver_id, drivers.c.fleet_id)
                .select_from(id_tags.outerjoin(drivers, drivers.c.id == id_tags.c.driver_id))
                .where(id_tags.c.id_tag == id_tag)
            ).first()
            driver_id = None if row is None or row.driver_id is None else int(row.driver_id)
            fleet_id = None if row is None or row.fleet_id is None else int(row.fleet_id)
            return SessionFacts(site_of(conn, station_id), driver_id, fleet_id, row is None)

        return await self._db.read(op)

    async def plan_of(self, subscription_id: int) -> int | None:
        def op(conn: Connection) -> int | None:
            query = select(subscriptions.c.plan_id).where(subscriptions.c.id == subscription_id)
            found = conn.execute(query).scalar()
            return None if found is None else int(found)

        return await self._db.read(op)

    async def save_snapshot(self, snapshot: ChargeSnapshot) -> SessionCharge:
        """Store the snapshot unless the session has one already; return the one stored."""

        def op(conn: Connection) -> SessionCharge:
            existing = _charges(conn, [snapshot.transaction_id])
            if snapshot.transaction_id in existing:
                return existing[snapshot.transaction_id]
            conn.execute(insert(session_charges).values(**_snapshot_values(snapshot)))
            return SessionCharge(snapshot, None)

        return await self._db.write(op)

    async def save_final(
        self, transaction_id: int, price: SessionPrice | None, energy_wh: int, now: datetime
    ) -> None:
        """The final price (None: the session has no tariff, so no price) and its energy."""
        values: dict[str, Any] = {"energy_wh": energy_wh, "final": True, "priced_at": now}
        if price is not None:
            values.update(
                total_minor=price.total_minor,
                vat_minor=price.vat_minor,
                energy_wh=round(price.energy_wh),
                included_wh_used=price.included_wh_used,
                lines=price.to_dict(),
            )

        def op(conn: Connection) -> None:
            conn.execute(update(session_charges).where(_C.transaction_id == transaction_id), values)

        await self._db.write(op)

    async def session(
        self, transaction_id: int
    ) -> tuple[Transaction, SessionCharge | None, list[tuple[datetime, float]]] | None:
        """The transaction, its charge row and its register readings, in one read."""

        def op(
            conn: Connection,
        ) -> tuple[Transaction, SessionCharge | None, list[tuple[datetime, float]]] | None:
            row = conn.execute(select(transactions).where(_T.id == transaction_id)).first()
            if row is None:
                return None
            charge = _charges(conn, [transaction_id]).get(transaction_id)
            return (
                transaction_from_row(row),
                charge,
                _readings(conn, [transaction_id])[transaction_id],
            )

        return await self._db.read(op)

    async def open_sessions(self) -> list[OpenSession]:
        """Every open (or suspect) transaction with its charge row, if any, and readings."""

        def op(conn: Connection) -> list[OpenSession]:
            rows = conn.execute(select(transactions).where(_T.state.in_(_OPEN)).order_by(_T.id))
            open_txs = [transaction_from_row(r) for r in rows]
            ids = [t.id for t in open_txs]
            charges = _charges(conn, ids)
            readings = _readings(conn, ids)
            return [OpenSession(t, charges.get(t.id), readings[t.id]) for t in open_txs]

        return await self._db.read(op)

    async def stopped_without_final_price(self) -> list[int]:
        """Closed transactions whose charge row has no final price yet."""

        def op(conn: Connection) -> list[int]:
            query = (
                select(_C.transaction_id)
                .select_from(session_charges.join(transactions, _T.id == _C.transaction_id))
                .where(_C.final.is_(False) & _T.state.not_in(_OPEN))
                .order_by(_C.transaction_id)
            )
            return [int(v) for v in conn.execute(query).scalars()]

        return await self._db.read(op)

    async def history(
        self,
        *,
        driver_id: int | None = None,
        id_tags: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[SessionRecord]:
        """Sessions of the driver (as of their start) or of any of the tags, started in
        [since, until), newest first; sessions without a charge row have no cost."""

        def op(conn: Connection) -> list[SessionRecord]:
            query = (
                select(
                    _T.id,
                    _T.station_id,
                    _T.connector_id,
                    _T.id_tag,
                    _T.started_at,
                    _T.stopped_at,
                    _T.state,
                    _T.meter_start,
                    _T.meter_stop,
                    _T.last_meter_wh,
                    _C.driver_id,
                    _C.fleet_id,
                    _C.subscription_id,
                    _C.walk_in,
                    _C.tariff_snapshot,
                    _C.currency,
                    _C.total_minor,
                    _C.vat_minor,
                    _C.energy_wh,
                    _C.included_wh_used,
                    _C.final,
                )
                .select_from(transactions.outerjoin(session_charges, _C.transaction_id == _T.id))
                .order_by(_T.started_at.desc(), _T.id.desc())
                .limit(limit)
            )
            if driver_id is not None:
                query = query.where(_C.driver_id == driver_id)
            if id_tags:
                query = query.where(_T.id_tag.in_(list(id_tags)))
            if since is not None:
                query = query.where(_T.started_at >= since)
            if until is not None:
                query = query.where(_T.started_at < until)
            return [_record(row._mapping) for row in conn.execute(query)]

        return await self._db.read(op)


def _record(m: RowMapping) -> SessionRecord:
    closed = m["state"] not in _OPEN
    end = m["meter_stop"] if closed else m["last_meter_wh"]
    energy = m["energy_wh"] if m["final"] and m["energy_wh"] is not None else None
    if energy is None and end is not None:
        energy = max(0, round(end) - m["meter_start"])
    spec = m["tariff_snapshot"]
    name = spec.get("name") if isinstance(spec, dict) else None
    priced = spec is not None
    return SessionRecord(
        transaction_id=int(m["id"]),
        station_id=m["station_id"],
        connector_id=m["connector_id"],
        id_tag=m["id_tag"],
        started_at=m["started_at"],
        stopped_at=m["stopped_at"] if closed else None,
        energy_wh=energy,
        driver_id=m["driver_id"],
        fleet_id=m["fleet_id"],
        subscription_id=m["subscription_id"],
        walk_in=bool(m["walk_in"]),
        tariff_name=name if isinstance(name, str) else None,
        currency=m["currency"] if priced else None,
        total_minor=m["total_minor"],
        vat_minor=m["vat_minor"],
        included_wh_used=m["included_wh_used"] or 0,
        final=bool(m["final"]),
    )
