"""Store side of app/services/analytics.py (issue 7).

The fact queries are in analytics_facts.py, the rollups in analytics_rollups.py, the day
summaries in analytics_summaries.py (rows), analytics_summarise.py (housekeeping) and
analytics_reports.py (what a report reads from them); this module is the repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from functools import partial

from sqlalchemy import (
    Connection,
    delete,
    insert,
    select,
)

from app.domain.analytics import (
    Reading,
    ReportPeriod,
    SessionFact,
    SiteFacts,
    epoch,
)
from app.domain.analytics_combined import SummarisedFacts
from app.domain.errors import NotFound
from app.store.database import Database
from app.store.repositories.analytics_facts import (
    authorisations,
    connection_limit,
    connector_refs,
    links,
    peaks,
    readings,
    rolled_through,
    sessions,
    site_peak,
    station_ids,
    statuses,
)
from app.store.repositories.analytics_reports import sessions_near, summarised_facts
from app.store.repositories.analytics_rollups import drop_rolled, roll_up_next
from app.store.repositories.analytics_summaries import Marks
from app.store.repositories.analytics_summarise import (
    chunks,
    finish,
    plan,
    summarise_scopes,
    summarise_station,
)
from app.store.schema import (
    meter_samples,
    site_connection_limits,
    sites,
    stations,
)

_M = meter_samples.c


class SqlAnalyticsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def facts(
        self, site_id: int | None, start: datetime, end: datetime, *, usage: bool, demand: bool
    ) -> SiteFacts:
        """What a usage report (usage) and/or a demand report (demand) read, in one read."""

        def op(conn: Connection) -> SiteFacts:
            name, ids = station_ids(conn, site_id)
            refs = connector_refs(conn, ids)
            found = sessions(conn, ids, start, end)
            rolled = rolled_through(conn)
            bounds = (epoch(start), epoch(end))
            return SiteFacts(
                site_id,
                name,
                tuple(refs),
                tuple(statuses(conn, refs, ids, start, end)),
                tuple(links(conn, ids, start, end)),
                tuple(found),
                tuple(readings(conn, found, *bounds, rolled)) if usage else (),
                tuple(peaks(conn, ids, start, end, rolled)) if usage else (),
                site_peak(conn, ids, start, end, rolled) if demand else None,
                tuple(authorisations(conn, ids, start, end)) if demand else (),
                connection_limit(conn, site_id),
            )

        return await self._db.read(op)

    async def sessions(
        self, site_id: int | None, start: datetime, end: datetime
    ) -> tuple[list[SessionFact], list[Reading]]:
        """Sessions of a site overlapping start..end, with the readings to cut them there."""

        def op(conn: Connection) -> tuple[list[SessionFact], list[Reading]]:
            found = sessions(conn, station_ids(conn, site_id)[1], start, end)
            return found, readings(conn, found, epoch(start), epoch(end), rolled_through(conn))

        return await self._db.read(op)

    async def set_connection_limit(self, site_id: int, limit_w: int | None) -> None:
        def op(conn: Connection) -> None:
            if conn.execute(select(sites.c.id).where(sites.c.id == site_id)).first() is None:
                raise NotFound(f"No site with id {site_id}")
            table = site_connection_limits
            conn.execute(delete(table).where(table.c.site_id == site_id))
            if limit_w is not None:
                conn.execute(insert(table), {"site_id": site_id, "limit_w": limit_w})

        await self._db.write(op)

    async def connection_limit(self, site_id: int) -> int | None:
        return await self._db.read(lambda conn: connection_limit(conn, site_id))

    async def roll_up_next(self, now: datetime, most: int) -> int:
        """Roll up the next raw samples, at most `most` ids, in one write transaction;
        0 when there are none left."""
        return await self._db.write(lambda conn: roll_up_next(conn, now, most))

    async def stations_with_samples_before(self, cutoff: datetime) -> list[str]:
        def op(conn: Connection) -> list[str]:
            return [
                sid
                for sid in conn.execute(select(stations.c.id)).scalars()
                if conn.execute(
                    select(_M.id).where((_M.station_id == sid) & (_M.timestamp < cutoff)).limit(1)
                ).first()
            ]

        return await self._db.read(op)

    async def drop_rolled_before(self, station_id: str, cutoff: datetime) -> int:
        """Delete a station's raw samples older than cutoff that are rolled up."""
        return await self._db.write(lambda conn: drop_rolled(conn, station_id, cutoff))

    # ---- day summaries ----------------------------------------------------------------

    async def summarised_facts(
        self, site_id: int | None, period: ReportPeriod, zone: tzinfo, *, usage: bool, demand: bool
    ) -> SummarisedFacts | None:
        """The summaries of the period's first days and the raw facts of the rest; None
        when the first day is not summarised (the report then reads raw facts)."""
        return await self._db.read(
            lambda conn: summarised_facts(conn, site_id, period, zone, usage=usage, demand=demand)
        )

    async def sessions_near(
        self,
        station_ids: Sequence[str],
        windows: Sequence[tuple[float, float]],
        tags: Sequence[tuple[str, float, float]],
        end: datetime,
    ) -> list[SessionFact]:
        return await self._db.read(
            lambda conn: sessions_near(conn, station_ids, windows, tags, end)
        )

    async def summarise(self, zone: tzinfo, through: date, now: datetime) -> int:
        """Summarise every station's days up to through that are not (or are stale);
        one write transaction per station and year. How many station-days."""
        marks: Marks
        marks, todo = await self._db.write(lambda conn: plan(conn, zone, through))
        done = 0
        for station_id, first in todo:
            for a, b in chunks(first, through):
                done += await self._db.write(
                    partial(summarise_station, station_id=station_id, first=a, last=b, zone=zone)
                )
        await self._db.write(lambda conn: summarise_scopes(conn, zone))
        await self._db.write(lambda conn: finish(conn, zone, marks, now))
        return done
