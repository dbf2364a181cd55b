"""Store side of app/services/preauth.py: one row per pre-authorisation, saved whole."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update

from app.domain.errors import NotFound
from app.domain.preauth import FINISHED, PreAuth, PreAuthPhase
from app.store.database import Database
from app.store.schema import preauthorisations

_A = preauthorisations.c
_FINISHED = [p.value for p in FINISHED]


def _preauth(m: RowMapping) -> PreAuth:
    def number(name: str) -> int | None:
        value = m[name]
        return None if value is None else int(value)

    return PreAuth(
        payment_id=int(m["payment_id"]),
        station_id=m["station_id"],
        connector_id=int(m["connector_id"]),
        id_tag=m["id_tag"],
        hold_minor=int(m["hold_minor"]),
        phase=PreAuthPhase(m["phase"]),
        transaction_id=number("transaction_id"),
        live_price_minor=None,
        captured_minor=number("captured_minor"),
        receipt_number=number("receipt_number"),
        message=m["message"],
        initial_hold_minor=int(m["initial_hold_minor"]),
        reader_id=m["reader_id"],
        plug_in_by=m["plug_in_by"],
        increase_refused=bool(m["increase_refused"]),
        session_ended_at=m["session_ended_at"],
        by=m["by"],
    )


def _values(pre: PreAuth) -> dict[str, Any]:
    return {
        "station_id": pre.station_id,
        "connector_id": pre.connector_id,
        "id_tag": pre.id_tag,
        "reader_id": pre.reader_id,
        "initial_hold_minor": pre.initial_hold_minor,
        "hold_minor": pre.hold_minor,
        "phase": pre.phase.value,
        "transaction_id": pre.transaction_id,
        "plug_in_by": pre.plug_in_by,
        "increase_refused": pre.increase_refused,
        "session_ended_at": pre.session_ended_at,
        "captured_minor": pre.captured_minor,
        "receipt_number": pre.receipt_number,
        "message": pre.message,
        "by": pre.by,
    }


class SqlPreAuthRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, pre: PreAuth, now: datetime) -> PreAuth:
        def op(conn: Connection) -> PreAuth:
            conn.execute(
                insert(preauthorisations).values(
                    payment_id=pre.payment_id, created_at=now, updated_at=now, **_values(pre)
                )
            )
            return pre

        return await self._db.write(op)

    async def save(self, pre: PreAuth, now: datetime) -> PreAuth:
        def op(conn: Connection) -> PreAuth:
            done = conn.execute(
                update(preauthorisations)
                .where(_A.payment_id == pre.payment_id)
                .values(updated_at=now, **_values(pre))
            )
            if done.rowcount != 1:
                raise NotFound(f"there is no pre-authorisation {pre.payment_id}")
            return pre

        return await self._db.write(op)

    async def get(self, payment_id: int) -> PreAuth:
        def op(conn: Connection) -> PreAuth:
            row = conn.execute(select(preauthorisations).where(_A.payment_id == payment_id)).first()
            if row is None:
                raise NotFound(f"there is no pre-authorisation {payment_id}")
            return _preauth(row._mapping)

        return await self._db.read(op)

    async def unfinished(self) -> list[PreAuth]:
        """Holds still waiting, held or paying a session: what a restart picks up again."""

        def op(conn: Connection) -> list[PreAuth]:
            rows = conn.execute(
                select(preauthorisations).where(_A.phase.not_in(_FINISHED)).order_by(_A.payment_id)
            )
            return [_preauth(r._mapping) for r in rows]

        return await self._db.read(op)
