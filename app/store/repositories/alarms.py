"""Store side of app/services/alarms.py: alarms are event-log rows matching the rules
in app/domain/alarms.py, joined with their acknowledgement if there is one."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    and_,
    case,
    func,
    insert,
    not_,
    or_,
    select,
)

from app.domain.alarms import (
    ALARM_KINDS,
    ALARM_SEVERITIES,
    DISCONNECTED,
    OWN_DISCONNECT_REASONS,
    Alarm,
    AlarmFilter,
    EventPage,
    EventQuery,
)
from app.domain.model import EventRecord, Severity
from app.store.database import Database
from app.store.schema import alarm_acknowledgements as acks
from app.store.schema import events

# Events that tell where a station connected from, newest first.
ADDRESS_KINDS = ("station.pending", "station.connected")


def alarm_condition() -> ColumnElement[bool]:
    """app.domain.alarms.is_alarm, as SQL (a missing reason must not hide the row)."""
    reason = func.coalesce(events.c.data["reason"].as_string(), "")
    own_doing = and_(events.c.kind == DISCONNECTED, reason.in_(sorted(OWN_DISCONNECT_REASONS)))
    return and_(
        or_(
            events.c.kind.in_(sorted(ALARM_KINDS)),
            events.c.severity.in_(sorted(s.value for s in ALARM_SEVERITIES)),
        ),
        not_(own_doing),
    )


def _alarm_select() -> Select[Any]:
    return select(
        events.c.id,
        events.c.timestamp,
        events.c.kind,
        events.c.severity,
        events.c.message,
        events.c.station_id,
        acks.c.acknowledged_by,
        acks.c.acknowledged_at,
    ).select_from(events.outerjoin(acks, acks.c.event_id == events.c.id))


def _alarm(r: Row[Any]) -> Alarm:
    return Alarm(
        event_id=r.id,
        timestamp=r.timestamp,
        kind=r.kind,
        severity=Severity(r.severity),
        message=r.message,
        station_id=r.station_id,
        acknowledged_by=r.acknowledged_by,
        acknowledged_at=r.acknowledged_at,
    )


def _record(r: Row[Any]) -> EventRecord:
    return EventRecord(
        id=r.id,
        timestamp=r.timestamp,
        kind=r.kind,
        severity=Severity(r.severity),
        message=r.message,
        station_id=r.station_id,
        data=dict(r.data or {}),
    )


class SqlAlarmRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def alarms(self, query: AlarmFilter) -> list[Alarm]:
        def op(conn: Connection) -> list[Alarm]:
            unacknowledged_first = case((acks.c.event_id.is_(None), 0), else_=1)
            stmt = (
                _alarm_select()
                .where(alarm_condition())
                .order_by(unacknowledged_first, events.c.id.desc())
                .limit(query.limit)
            )
            if query.station_id is not None:
                stmt = stmt.where(events.c.station_id == query.station_id)
            if query.severity is not None:
                stmt = stmt.where(events.c.severity == query.severity.value)
            if not query.include_acknowledged:
                stmt = stmt.where(acks.c.event_id.is_(None))
            return [_alarm(r) for r in conn.execute(stmt)]

        return await self._db.read(op)

    async def unacknowledged(self, station_id: str | None = None) -> tuple[int, int | None]:
        """How many alarms nobody acknowledged yet, and the id of the newest of them."""

        def op(conn: Connection) -> tuple[int, int | None]:
            stmt = (
                select(func.count(), func.max(events.c.id))
                .select_from(events.outerjoin(acks, acks.c.event_id == events.c.id))
                .where(alarm_condition(), acks.c.event_id.is_(None))
            )
            if station_id is not None:
                stmt = stmt.where(events.c.station_id == station_id)
            count, newest = conn.execute(stmt).one()
            return int(count), newest

        return await self._db.read(op)

    async def get(self, event_id: int) -> tuple[Alarm, bool] | None:
        """The event as an alarm read model and whether the rules make it one; None if absent."""

        def op(conn: Connection) -> tuple[Alarm, bool] | None:
            stmt = _alarm_select().add_columns(alarm_condition().label("is_alarm"))
            row = conn.execute(stmt.where(events.c.id == event_id)).first()
            return None if row is None else (_alarm(row), bool(row.is_alarm))

        return await self._db.read(op)

    async def unacknowledged_ids(
        self, station_id: str, kinds: Collection[str] | None = None
    ) -> list[int]:
        def op(conn: Connection) -> list[int]:
            stmt = (
                select(events.c.id)
                .select_from(events.outerjoin(acks, acks.c.event_id == events.c.id))
                .where(
                    alarm_condition(),
                    acks.c.event_id.is_(None),
                    events.c.station_id == station_id,
                )
            )
            if kinds is not None:
                stmt = stmt.where(events.c.kind.in_(sorted(kinds)))
            return [int(r.id) for r in conn.execute(stmt)]

        return await self._db.read(op)

    async def acknowledge(self, event_ids: Sequence[int], by: str, at: datetime) -> list[int]:
        """Store the acknowledgement of each id not yet acknowledged; return those ids.

        The first acknowledgement wins: a second one (a double click, a second
        operator) changes nothing. One writer, so check-then-insert is safe.
        """

        def op(conn: Connection) -> list[int]:
            wanted = sorted(set(event_ids))
            if not wanted:
                return []
            done = {
                int(r.event_id)
                for r in conn.execute(select(acks.c.event_id).where(acks.c.event_id.in_(wanted)))
            }
            fresh = [i for i in wanted if i not in done]
            if fresh:
                conn.execute(
                    insert(acks),
                    [{"event_id": i, "acknowledged_by": by, "acknowledged_at": at} for i in fresh],
                )
            return fresh

        return await self._db.write(op)

    async def events(self, query: EventQuery) -> EventPage:
        def op(conn: Connection) -> EventPage:
            conditions: list[ColumnElement[bool]] = []
            if query.kind:
                conditions.append(events.c.kind == query.kind)
            if query.severity is not None:
                conditions.append(events.c.severity == query.severity.value)
            if query.station_id:
                conditions.append(events.c.station_id == query.station_id)
            text = query.text.strip()
            if text:
                pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                pattern += "%"
                conditions.append(
                    or_(
                        events.c.message.ilike(pattern, escape="\\"),
                        events.c.station_id.ilike(pattern, escape="\\"),
                        events.c.kind.ilike(pattern, escape="\\"),
                    )
                )
            total = conn.execute(
                select(func.count()).select_from(events).where(*conditions)
            ).scalar_one()
            rows = conn.execute(
                select(events)
                .where(*conditions)
                .order_by(events.c.id.desc())
                .offset(max(0, query.offset))
                .limit(query.limit)
            )
            return EventPage(
                tuple(_record(r) for r in rows), int(total), max(0, query.offset), query.limit
            )

        return await self._db.read(op)

    async def event_kinds(self) -> list[str]:
        def op(conn: Connection) -> list[str]:
            stmt = select(events.c.kind).distinct().order_by(events.c.kind)
            return [str(r.kind) for r in conn.execute(stmt)]

        return await self._db.read(op)

    async def last_addresses(self, station_ids: Collection[str]) -> dict[str, str]:
        """Where each station last connected from, as the event log recorded it."""

        def op(conn: Connection) -> dict[str, str]:
            found: dict[str, str] = {}
            for station_id in station_ids:
                row = conn.execute(
                    select(events.c.data)
                    .where(events.c.station_id == station_id, events.c.kind.in_(ADDRESS_KINDS))
                    .order_by(events.c.id.desc())
                    .limit(1)
                ).first()
                address = (row.data or {}).get("remote_address") if row is not None else None
                if isinstance(address, str) and address:
                    found[station_id] = address
            return found

        return await self._db.read(op)
