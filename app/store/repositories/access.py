"""Store side of access control: fleets, drivers, access rules, and the facts a decision needs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, exists, func, insert, or_, select, update

from app.domain.access import (
    AccessFacts,
    AccessRule,
    AccessSnapshot,
    Driver,
    DriverCard,
    Fleet,
    Subject,
)
from app.domain.authorization import normalise_id_tag
from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagStatus, TransactionState
from app.store.database import Database
from app.store.repositories.checked import write_checked
from app.store.repositories.tags import check_free, get_tag, insert_tag, like_pattern, tag_from_row
from app.store.schema import (
    access_rules,
    drivers,
    fleets,
    id_tags,
    sites,
    station_positions,
    stations,
    transactions,
)


def _fleet(m: RowMapping) -> Fleet:
    return Fleet(m["id"], m["name"], m["note"] or "", m["monthly_budget_minor"])


def _driver(m: RowMapping) -> Driver:
    return Driver(
        id=m["id"],
        name=m["name"],
        fleet_id=m["fleet_id"],
        email=m["email"] or "",
        phone=m["phone"] or "",
        notes=m["notes"] or "",
        active=bool(m["active"]),
        monthly_budget_minor=m["monthly_budget_minor"],
    )


def _rule(m: RowMapping) -> AccessRule:
    mask = m["weekdays"]
    return AccessRule(
        id=m["id"],
        subject=Subject(m["subject"]),
        fleet_id=m["fleet_id"],
        site_id=m["site_id"],
        station_id=m["station_id"],
        weekdays=frozenset(d for d in range(7) if mask & (1 << d)),
        start=time(m["start_minute"] // 60, m["start_minute"] % 60),
        end=time(m["end_minute"] // 60, m["end_minute"] % 60),
        note=m["note"] or "",
    )


def _rule_values(rule: AccessRule) -> dict[str, Any]:
    return {
        "subject": rule.subject.value,
        "fleet_id": rule.fleet_id,
        "site_id": rule.site_id,
        "station_id": rule.station_id,
        "weekdays": sum(1 << d for d in rule.weekdays),
        "start_minute": rule.start.hour * 60 + rule.start.minute,
        "end_minute": rule.end.hour * 60 + rule.end.minute,
        "note": rule.note,
    }


def _driver_values(driver: Driver) -> dict[str, Any]:
    return {
        "name": driver.name,
        "fleet_id": driver.fleet_id,
        "email": driver.email,
        "phone": driver.phone,
        "notes": driver.notes,
        "active": driver.active,
        "monthly_budget_minor": driver.monthly_budget_minor,
    }


def _check_fleet_name(conn: Connection, name: str, fleet_id: int | None) -> None:
    query = select(fleets.c.id).where(func.lower(fleets.c.name) == name.lower())
    if fleet_id is not None:
        query = query.where(fleets.c.id != fleet_id)
    if conn.execute(query).first() is not None:
        raise InvalidInput(f"name: there is a fleet called {name!r} already")


def _check_exists(conn: Connection, table: Any, key: object, message: str) -> None:
    if (
        key is not None
        and conn.execute(select(table.c.id).where(table.c.id == key)).first() is None
    ):
        raise InvalidInput(message)


def _check_rule_references(conn: Connection, rule: AccessRule) -> None:
    _check_exists(conn, fleets, rule.fleet_id, f"fleet: there is no fleet {rule.fleet_id}")
    _check_exists(conn, sites, rule.site_id, f"site: there is no site {rule.site_id}")
    _check_exists(
        conn, stations, rule.station_id, f"station: there is no station {rule.station_id!r}"
    )


def _cards(conn: Connection, rows: Sequence[RowMapping]) -> list[DriverCard]:
    ids = [r["id"] for r in rows]
    tags: dict[int, list[IdTag]] = {i: [] for i in ids}
    if ids:
        query = select(id_tags).where(id_tags.c.driver_id.in_(ids)).order_by(id_tags.c.id_tag)
        for row in conn.execute(query):
            tags[row.driver_id].append(tag_from_row(row._mapping))
    return [DriverCard(_driver(r), r["fleet_name"], tuple(tags[r["id"]])) for r in rows]


_CARD_QUERY = select(drivers, fleets.c.name.label("fleet_name")).outerjoin(
    fleets, drivers.c.fleet_id == fleets.c.id
)


def _card(conn: Connection, driver_id: int) -> DriverCard | None:
    rows = conn.execute(_CARD_QUERY.where(drivers.c.id == driver_id)).mappings().all()
    cards = _cards(conn, rows)
    return cards[0] if cards else None


class SqlAccessRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ---- fleets -------------------------------------------------------------------

    async def fleets(self) -> list[Fleet]:
        def op(conn: Connection) -> list[Fleet]:
            rows = conn.execute(select(fleets).order_by(func.lower(fleets.c.name)))
            return [_fleet(r._mapping) for r in rows]

        return await self._db.read(op)

    async def fleet(self, fleet_id: int) -> Fleet | None:
        def op(conn: Connection) -> Fleet | None:
            row = conn.execute(select(fleets).where(fleets.c.id == fleet_id)).first()
            return _fleet(row._mapping) if row else None

        return await self._db.read(op)

    async def create_fleet(self, fleet: Fleet, now: datetime) -> Fleet:
        def op(conn: Connection) -> Fleet:
            _check_fleet_name(conn, fleet.name, None)
            result = conn.execute(
                insert(fleets).values(
                    name=fleet.name,
                    note=fleet.note,
                    monthly_budget_minor=fleet.monthly_budget_minor,
                    created_at=now,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return Fleet(int(key[0]), fleet.name, fleet.note, fleet.monthly_budget_minor)

        return await write_checked(self._db, op)

    async def update_fleet(self, fleet: Fleet) -> Fleet | None:
        def op(conn: Connection) -> Fleet | None:
            _check_fleet_name(conn, fleet.name, fleet.id)
            result = conn.execute(
                update(fleets)
                .where(fleets.c.id == fleet.id)
                .values(
                    name=fleet.name,
                    note=fleet.note,
                    monthly_budget_minor=fleet.monthly_budget_minor,
                )
            )
            return fleet if result.rowcount else None

        return await write_checked(self._db, op)

    async def remove_fleet(self, fleet_id: int) -> bool:
        """Its drivers stay, in no fleet; the rules for it go with it."""

        def op(conn: Connection) -> bool:
            return conn.execute(delete(fleets).where(fleets.c.id == fleet_id)).rowcount > 0

        return await write_checked(self._db, op)

    # ---- drivers ------------------------------------------------------------------

    async def drivers(
        self, search: str, fleet_id: int | None, include_inactive: bool, limit: int
    ) -> list[DriverCard]:
        def op(conn: Connection) -> list[DriverCard]:
            query = _CARD_QUERY
            text = search.strip()
            if text:
                pattern = like_pattern(text)
                uid = like_pattern(normalise_id_tag(text))
                has_tag = exists().where(
                    (id_tags.c.driver_id == drivers.c.id)
                    & (
                        id_tags.c.id_tag.ilike(uid, escape="\\")
                        | id_tags.c.id_tag.ilike(pattern, escape="\\")
                    )
                )
                query = query.where(
                    or_(
                        drivers.c.name.ilike(pattern, escape="\\"),
                        drivers.c.email.ilike(pattern, escape="\\"),
                        drivers.c.phone.ilike(pattern, escape="\\"),
                        fleets.c.name.ilike(pattern, escape="\\"),
                        has_tag,
                    )
                )
            if fleet_id is not None:
                query = query.where(drivers.c.fleet_id == fleet_id)
            if not include_inactive:
                query = query.where(drivers.c.active.is_(True))
            query = query.order_by(func.lower(drivers.c.name), drivers.c.id).limit(limit)
            return _cards(conn, conn.execute(query).mappings().all())

        return await self._db.read(op)

    async def driver(self, driver_id: int) -> DriverCard | None:
        return await self._db.read(lambda conn: _card(conn, driver_id))

    async def create_driver(
        self, driver: Driver, tags: Sequence[IdTag], now: datetime
    ) -> DriverCard:
        def op(conn: Connection) -> DriverCard:
            _check_exists(
                conn, fleets, driver.fleet_id, f"fleet: there is no fleet {driver.fleet_id}"
            )
            for tag in tags:
                check_free(conn, tag)
            result = conn.execute(
                insert(drivers).values(**_driver_values(driver), created_at=now, updated_at=now)
            )
            key = result.inserted_primary_key
            assert key is not None
            driver_id = int(key[0])
            for tag in tags:
                insert_tag(conn, dataclasses.replace(tag, driver_id=driver_id))
            card = _card(conn, driver_id)
            assert card is not None
            return card

        return await write_checked(self._db, op)

    async def update_driver(self, driver: Driver, now: datetime) -> DriverCard | None:
        def op(conn: Connection) -> DriverCard | None:
            _check_exists(
                conn, fleets, driver.fleet_id, f"fleet: there is no fleet {driver.fleet_id}"
            )
            result = conn.execute(
                update(drivers)
                .where(drivers.c.id == driver.id)
                .values(**_driver_values(driver), updated_at=now)
            )
            return _card(conn, driver.id) if result.rowcount else None

        return await write_checked(self._db, op)

    async def remove_driver(self, driver_id: int) -> DriverCard | None:
        def op(conn: Connection) -> DriverCard | None:
            card = _card(conn, driver_id)
            if card is not None:
                conn.execute(delete(id_tags).where(id_tags.c.driver_id == driver_id))
                conn.execute(delete(drivers).where(drivers.c.id == driver_id))
            return card

        return await write_checked(self._db, op)

    # ---- rules --------------------------------------------------------------------

    async def rules(self) -> list[AccessRule]:
        return await self._db.read(_all_rules)

    async def add_rule(self, rule: AccessRule, now: datetime) -> AccessRule:
        def op(conn: Connection) -> AccessRule:
            _check_rule_references(conn, rule)
            result = conn.execute(insert(access_rules).values(**_rule_values(rule), created_at=now))
            key = result.inserted_primary_key
            assert key is not None
            return dataclasses.replace(rule, id=int(key[0]))

        return await write_checked(self._db, op)

    async def update_rule(self, rule: AccessRule) -> AccessRule | None:
        def op(conn: Connection) -> AccessRule | None:
            _check_rule_references(conn, rule)
            result = conn.execute(
                update(access_rules)
                .where(access_rules.c.id == rule.id)
                .values(**_rule_values(rule))
            )
            return rule if result.rowcount else None

        return await write_checked(self._db, op)

    async def remove_rule(self, rule_id: int) -> AccessRule | None:
        def op(conn: Connection) -> AccessRule | None:
            row = conn.execute(select(access_rules).where(access_rules.c.id == rule_id)).first()
            if row is None:
                return None
            conn.execute(delete(access_rules).where(access_rules.c.id == rule_id))
            return _rule(row._mapping)

        return await write_checked(self._db, op)

    # ---- what decisions and local lists are made from ---------------------------

    async def facts(
        self, id_tag: str, station_id: str | None, connector_id: int | None
    ) -> AccessFacts:
        def op(conn: Connection) -> AccessFacts:
            tag = get_tag(conn, id_tag)
            parent = get_tag(conn, tag.parent_id_tag) if tag and tag.parent_id_tag else None
            driver = None
            if tag is not None and tag.driver_id is not None:
                row = conn.execute(select(drivers).where(drivers.c.id == tag.driver_id)).first()
                driver = _driver(row._mapping) if row else None
            open_query = (
                select(func.count())
                .select_from(transactions)
                .where(
                    (transactions.c.id_tag == id_tag)
                    & (transactions.c.state == TransactionState.OPEN.value)
                    # A start the tag was refused for is no session of the tag's.
                    & (transactions.c.id_tag_status == IdTagStatus.ACCEPTED.value)
                )
            )
            if station_id is not None and connector_id is not None:
                # A start on a connector replaces what was open there (a retried
                # StartTransaction finds its own transaction): not another session.
                open_query = open_query.where(
                    ~(
                        (transactions.c.station_id == station_id)
                        & (transactions.c.connector_id == connector_id)
                    )
                )
            return AccessFacts(
                tag=tag,
                parent=parent,
                driver=driver,
                rules=tuple(_all_rules(conn)),
                site_id=_site_of(conn, station_id) if station_id is not None else None,
                open_sessions=int(conn.execute(open_query).scalar() or 0),
            )

        return await self._db.read(op)

    async def snapshot(self) -> AccessSnapshot:
        def op(conn: Connection) -> AccessSnapshot:
            tags = [tag_from_row(r._mapping) for r in conn.execute(select(id_tags))]
            driver_rows = conn.execute(select(drivers))
            return AccessSnapshot(
                tags=tuple(tags),
                drivers={r.id: _driver(r._mapping) for r in driver_rows},
                rules=tuple(_all_rules(conn)),
            )

        return await self._db.read(op)

    async def site_of(self, station_id: str) -> int | None:
        return await self._db.read(lambda conn: _site_of(conn, station_id))


def _all_rules(conn: Connection) -> list[AccessRule]:
    return [
        _rule(r._mapping) for r in conn.execute(select(access_rules).order_by(access_rules.c.id))
    ]


def _site_of(conn: Connection, station_id: str) -> int | None:
    site: int | None = conn.execute(
        select(station_positions.c.site_id).where(station_positions.c.station_id == station_id)
    ).scalar()
    return site
