"""Store side of app/services/sites.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update

from app.domain.sites import FloorPlan, FloorPlanFormat, Site, StationPosition
from app.store.database import Database
from app.store.schema import sites, station_positions, stations

# The plan's bytes are read only when asked for, never with the list of sites.
_SITE_COLUMNS = (
    sites.c.id,
    sites.c.name,
    sites.c.level,
    sites.c.floor_plan_format,
    sites.c.sort_order,
)


def site_from_row(m: RowMapping) -> Site:
    plan_format = m["floor_plan_format"]
    return Site(
        id=m["id"],
        name=m["name"],
        level=m["level"] or "",
        floor_plan_format=FloorPlanFormat(plan_format) if plan_format else None,
        sort_order=m["sort_order"],
    )


def _get(conn: Connection, site_id: int) -> Site | None:
    row = conn.execute(select(*_SITE_COLUMNS).where(sites.c.id == site_id)).first()
    return site_from_row(row._mapping) if row else None


class SqlSiteRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self) -> list[Site]:
        def op(conn: Connection) -> list[Site]:
            query = select(*_SITE_COLUMNS).order_by(sites.c.sort_order, sites.c.id)
            return [site_from_row(r._mapping) for r in conn.execute(query)]

        return await self._db.read(op)

    async def get(self, site_id: int) -> Site | None:
        return await self._db.read(lambda conn: _get(conn, site_id))

    async def create(
        self, name: str, level: str, created_at: datetime, plan: FloorPlan | None = None
    ) -> Site:
        def op(conn: Connection) -> Site:
            last = conn.execute(select(func.max(sites.c.sort_order))).scalar()
            result = conn.execute(
                insert(sites).values(
                    name=name,
                    level=level,
                    floor_plan=plan.data if plan else None,
                    floor_plan_format=plan.format.value if plan else None,
                    sort_order=(last if isinstance(last, int) else -1) + 1,
                    created_at=created_at,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            site = _get(conn, int(key[0]))
            assert site is not None
            return site

        return await self._db.write(op)

    async def rename(self, site_id: int, name: str, level: str) -> Site | None:
        def op(conn: Connection) -> Site | None:
            conn.execute(update(sites).where(sites.c.id == site_id).values(name=name, level=level))
            return _get(conn, site_id)

        return await self._db.write(op)

    async def delete(self, site_id: int) -> bool:
        def op(conn: Connection) -> bool:
            # Explicit rather than ON DELETE SET NULL: a point on a plan that no
            # longer exists means nothing, so the station becomes "not placed".
            conn.execute(delete(station_positions).where(station_positions.c.site_id == site_id))
            return conn.execute(delete(sites).where(sites.c.id == site_id)).rowcount > 0

        return await self._db.write(op)

    async def set_floor_plan(
        self, site_id: int, plan_format: FloorPlanFormat | None, data: bytes | None
    ) -> Site | None:
        def op(conn: Connection) -> Site | None:
            conn.execute(
                update(sites)
                .where(sites.c.id == site_id)
                .values(
                    floor_plan=data,
                    floor_plan_format=plan_format.value if plan_format else None,
                )
            )
            return _get(conn, site_id)

        return await self._db.write(op)

    async def floor_plan(self, site_id: int) -> FloorPlan | None:
        def op(conn: Connection) -> FloorPlan | None:
            row = conn.execute(
                select(sites.c.floor_plan, sites.c.floor_plan_format).where(sites.c.id == site_id)
            ).first()
            if row is None or row.floor_plan is None or not row.floor_plan_format:
                return None
            return FloorPlan(site_id, FloorPlanFormat(row.floor_plan_format), bytes(row.floor_plan))

        return await self._db.read(op)

    async def positions(self, site_id: int | None = None) -> list[StationPosition]:
        def op(conn: Connection) -> list[StationPosition]:
            query = select(station_positions).where(station_positions.c.site_id.is_not(None))
            if site_id is not None:
                query = query.where(station_positions.c.site_id == site_id)
            return [
                StationPosition(r.station_id, int(r.site_id), float(r.x), float(r.y))
                for r in conn.execute(query.order_by(station_positions.c.station_id))
            ]

        return await self._db.read(op)

    async def place(self, positions: Sequence[StationPosition]) -> None:
        latest = {p.station_id: p for p in positions}  # the last position given wins

        def op(conn: Connection) -> None:
            ids = list(latest)
            conn.execute(delete(station_positions).where(station_positions.c.station_id.in_(ids)))
            conn.execute(
                insert(station_positions),
                [
                    {"station_id": p.station_id, "site_id": p.site_id, "x": p.x, "y": p.y}
                    for p in latest.values()
                ],
            )

        await self._db.write(op)

    async def unplace(self, station_id: str) -> None:
        def op(conn: Connection) -> None:
            conn.execute(
                delete(station_positions).where(station_positions.c.station_id == station_id)
            )

        await self._db.write(op)

    async def known_stations(self, station_ids: Sequence[str]) -> set[str]:
        def op(conn: Connection) -> set[str]:
            query = select(stations.c.id).where(stations.c.id.in_(list(station_ids)))
            return {str(v) for v in conn.execute(query).scalars()}

        return await self._db.read(op)
