"""Store side of app/services/tariffs.py: tariffs and where each is assigned.

Checks that need the data (a name taken, a site that does not exist, a tariff
still assigned) run inside the writing transaction and raise InvalidInput, so a
refused change stores nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    Table,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from app.domain.errors import InvalidInput, NotFound
from app.domain.tariff_assignments import (
    SessionContext,
    StoredTariff,
    TariffAssignment,
    TariffScope,
    most_specific,
)
from app.domain.tariffs import Tariff
from app.store.database import Database
from app.store.schema import (
    fleets,
    sites,
    station_positions,
    stations,
    subscription_plans,
    tariff_assignments,
    tariffs,
)

_A = tariff_assignments.c


def tariff_from_row(m: RowMapping) -> StoredTariff:
    return StoredTariff(
        id=int(m["id"]),
        tariff=Tariff.from_dict(m["spec"]),
        archived=bool(m["archived"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


def assignment_from_row(m: RowMapping) -> TariffAssignment:
    return TariffAssignment(
        id=int(m["id"]),
        tariff_id=int(m["tariff_id"]),
        scope=TariffScope(
            site_id=None if m["site_id"] is None else int(m["site_id"]),
            station_id=m["station_id"],
            fleet_id=None if m["fleet_id"] is None else int(m["fleet_id"]),
            plan_id=None if m["plan_id"] is None else int(m["plan_id"]),
        ),
    )


def _get(conn: Connection, tariff_id: int) -> StoredTariff | None:
    row = conn.execute(select(tariffs).where(tariffs.c.id == tariff_id)).first()
    return tariff_from_row(row._mapping) if row else None


def _check_name_free(conn: Connection, name: str, tariff_id: int | None) -> None:
    # Case does not make two tariffs: "Standard" and "standard" would only confuse.
    query = select(tariffs.c.id, tariffs.c.name).where(func.lower(tariffs.c.name) == name.lower())
    for other_id, other_name in conn.execute(query):
        if other_id != tariff_id:
            raise InvalidInput(f"there is already a tariff named {other_name!r}")


def _matches(column: ColumnElement[Any], value: object) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _same_scope(scope: TariffScope) -> ColumnElement[bool]:
    return and_(
        _matches(_A.site_id, scope.site_id),
        _matches(_A.station_id, scope.station_id),
        _matches(_A.fleet_id, scope.fleet_id),
        _matches(_A.plan_id, scope.plan_id),
    )


def _name_of(conn: Connection, table: Table, row_id: int) -> str | None:
    name = conn.execute(select(table.c.name).where(table.c.id == row_id)).scalar()
    return None if name is None else str(name)


def describe_scope(conn: Connection, scope: TariffScope) -> str:
    """ "site 'Depot' for fleet 'Vans'": the scope in the names an operator knows."""
    if scope.station_id is not None:
        where = f"station {scope.station_id}"
    elif scope.site_id is not None:
        where = f"site {_name_of(conn, sites, scope.site_id) or scope.site_id!r}"
    else:
        where = "everywhere"
    if scope.plan_id is not None:
        plan = _name_of(conn, subscription_plans, scope.plan_id) or scope.plan_id
        return f"{where} for subscription plan {plan!r}"
    if scope.fleet_id is not None:
        return f"{where} for fleet {_name_of(conn, fleets, scope.fleet_id) or scope.fleet_id!r}"
    return where


def _check_scope_exists(conn: Connection, scope: TariffScope) -> None:
    if scope.site_id is not None and _name_of(conn, sites, scope.site_id) is None:
        raise InvalidInput(f"there is no site with id {scope.site_id}")
    if scope.station_id is not None:
        found = conn.execute(select(stations.c.id).where(stations.c.id == scope.station_id))
        if found.first() is None:
            raise InvalidInput(f"there is no station {scope.station_id!r}")
    if scope.fleet_id is not None and _name_of(conn, fleets, scope.fleet_id) is None:
        raise InvalidInput(f"there is no fleet with id {scope.fleet_id}")
    if scope.plan_id is not None and _name_of(conn, subscription_plans, scope.plan_id) is None:
        raise InvalidInput(f"there is no subscription plan with id {scope.plan_id}")


def site_of(conn: Connection, station_id: str) -> int | None:
    site = conn.execute(
        select(station_positions.c.site_id).where(station_positions.c.station_id == station_id)
    ).scalar()
    return None if site is None else int(site)


def resolve(conn: Connection, context: SessionContext) -> StoredTariff | None:
    """The tariff for a session in `context` (precedence: app/domain/tariff_assignments.py)."""
    places = [
        _A.station_id == context.station_id,
        and_(_A.station_id.is_(None), _A.site_id.is_(None)),
    ]
    if context.site_id is not None:
        places.append(_A.site_id == context.site_id)
    rows = conn.execute(select(tariff_assignments).where(or_(*places)))
    chosen = most_specific((assignment_from_row(r._mapping) for r in rows), context)
    return None if chosen is None else _get(conn, chosen.tariff_id)


class SqlTariffRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self, include_archived: bool) -> list[StoredTariff]:
        def op(conn: Connection) -> list[StoredTariff]:
            query = select(tariffs).order_by(func.lower(tariffs.c.name), tariffs.c.id)
            if not include_archived:
                query = query.where(tariffs.c.archived.is_(False))
            return [tariff_from_row(r._mapping) for r in conn.execute(query)]

        return await self._db.read(op)

    async def get(self, tariff_id: int) -> StoredTariff | None:
        return await self._db.read(lambda conn: _get(conn, tariff_id))

    async def by_name(self, name: str) -> StoredTariff | None:
        def op(conn: Connection) -> StoredTariff | None:
            query = select(tariffs).where(func.lower(tariffs.c.name) == name.lower())
            row = conn.execute(query).first()
            return tariff_from_row(row._mapping) if row else None

        return await self._db.read(op)

    async def create(self, tariff: Tariff, now: datetime) -> StoredTariff:
        def op(conn: Connection) -> StoredTariff:
            _check_name_free(conn, tariff.name, None)
            result = conn.execute(
                insert(tariffs).values(
                    name=tariff.name,
                    spec=tariff.to_dict(),
                    archived=False,
                    created_at=now,
                    updated_at=now,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            created = _get(conn, int(key[0]))
            assert created is not None
            return created

        return await self._db.write(op)

    async def update(self, tariff_id: int, tariff: Tariff, now: datetime) -> StoredTariff:
        def op(conn: Connection) -> StoredTariff:
            if _get(conn, tariff_id) is None:
                raise NotFound(f"no tariff with id {tariff_id}")
            _check_name_free(conn, tariff.name, tariff_id)
            conn.execute(
                update(tariffs)
                .where(tariffs.c.id == tariff_id)
                .values(name=tariff.name, spec=tariff.to_dict(), updated_at=now)
            )
            updated = _get(conn, tariff_id)
            assert updated is not None
            return updated

        return await self._db.write(op)

    async def set_archived(self, tariff_id: int, archived: bool, now: datetime) -> StoredTariff:
        def op(conn: Connection) -> StoredTariff:
            current = _get(conn, tariff_id)
            if current is None:
                raise NotFound(f"no tariff with id {tariff_id}")
            if archived:
                rows = conn.execute(select(tariff_assignments).where(_A.tariff_id == tariff_id))
                places = [describe_scope(conn, assignment_from_row(r._mapping).scope) for r in rows]
                if places:
                    raise InvalidInput(
                        f"tariff {current.name!r} is still assigned ({'; '.join(places)}): "
                        "assign another tariff there or clear those assignments first"
                    )
            conn.execute(
                update(tariffs)
                .where(tariffs.c.id == tariff_id)
                .values(archived=archived, updated_at=now)
            )
            changed = _get(conn, tariff_id)
            assert changed is not None
            return changed

        return await self._db.write(op)

    async def assignments(self) -> list[TariffAssignment]:
        def op(conn: Connection) -> list[TariffAssignment]:
            query = select(tariff_assignments).order_by(_A.id)
            return [assignment_from_row(r._mapping) for r in conn.execute(query)]

        return await self._db.read(op)

    async def assign(self, tariff_id: int, scope: TariffScope) -> TariffAssignment:
        """Set the tariff for `scope`, replacing the one there was."""

        def op(conn: Connection) -> TariffAssignment:
            tariff = _get(conn, tariff_id)
            if tariff is None:
                raise NotFound(f"no tariff with id {tariff_id}")
            if tariff.archived:
                raise InvalidInput(f"tariff {tariff.name!r} is archived: restore it to assign it")
            _check_scope_exists(conn, scope)
            conn.execute(delete(tariff_assignments).where(_same_scope(scope)))
            result = conn.execute(
                insert(tariff_assignments).values(
                    tariff_id=tariff_id,
                    site_id=scope.site_id,
                    station_id=scope.station_id,
                    fleet_id=scope.fleet_id,
                    plan_id=scope.plan_id,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return TariffAssignment(int(key[0]), tariff_id, scope)

        return await self._db.write(op)

    async def unassign(self, scope: TariffScope) -> TariffAssignment | None:
        """Clear the tariff set for exactly `scope`; return what was cleared."""

        def op(conn: Connection) -> TariffAssignment | None:
            where = _same_scope(scope)
            row = conn.execute(select(tariff_assignments).where(where)).first()
            if row is None:
                return None
            conn.execute(delete(tariff_assignments).where(_A.id == row.id))
            return assignment_from_row(row._mapping)

        return await self._db.write(op)

    async def describe(self, scope: TariffScope) -> str:
        return await self._db.read(lambda conn: describe_scope(conn, scope))

    async def site_of(self, station_id: str) -> int | None:
        return await self._db.read(lambda conn: site_of(conn, station_id))

    async def resolve(self, context: SessionContext) -> StoredTariff | None:
        return await self._db.read(lambda conn: resolve(conn, context))
