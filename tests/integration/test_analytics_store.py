"""Analytics against a real SQLite file: facts stored as the engine stores them, figures
checked by hand, and the same figures after the raw samples are rolled up.

Sunday 2026-10-25 in Stockholm is 25 hours long (03:00 CEST → 02:00 CET), from
Saturday 22:00 UTC to Sunday 23:00 UTC. Site "Depot" has stations A (two
connectors) and B (one); station C is elsewhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, Table, func, insert, select

from app.domain.errors import InvalidInput, NotFound
from app.domain.metering import ENERGY_REGISTER
from app.services.analytics import AnalyticsService
from app.store import migrate
from app.store.database import Database
from app.store.repositories.analytics import SqlAnalyticsRepository
from app.store.schema import (
    connectors,
    events,
    meter_rollups,
    meter_samples,
    session_charges,
    sites,
    station_positions,
    stations,
    status_history,
    transactions,
)
from tests.fakes.postgres import empty_schema, find_binaries, postgres_server

ZONE = ZoneInfo("Europe/Stockholm")
SUNDAY = date(2026, 10, 25)
Row = tuple[Table, dict[str, Any]]
SATURDAY = date(2026, 10, 24)


def utc(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, second, tzinfo=UTC)


def _session(tx: int, station: str, connector: int, tag: str, begin: datetime, minutes: int,
             watts: float, spike: tuple[int, float] | None = None) -> list[Any]:  # fmt: skip
    wh_per_minute = watts / 60
    rows: list[Any] = [
        (
            transactions,
            {
                "id": tx, "station_id": station, "connector_id": connector, "id_tag": tag,
                "id_tag_status": "Accepted", "meter_start": 0, "started_at": begin,
                "state": "closed", "meter_stop": round(minutes * wh_per_minute),
                "stopped_at": begin + timedelta(minutes=minutes), "created_at": begin,
            },
        )
    ]  # fmt: skip
    for m in range(1, minutes + 1):
        when = begin + timedelta(minutes=m)
        power = spike[1] if spike and spike[0] == m else watts
        for measurand, unit, value in (
            ("Power.Active.Import", "W", power),
            (ENERGY_REGISTER, "Wh", m * wh_per_minute),
        ):
            rows.append(
                (
                    meter_samples,
                    {
                        "station_id": station, "connector_id": connector, "transaction_id": tx,
                        "timestamp": when, "measurand": measurand, "value": value, "unit": unit,
                        "location": "Outlet", "context": "Sample.Periodic",
                    },
                )
            )  # fmt: skip
    return rows


def _status(
    station: str, connector: int, when: datetime, status: str, error: str = "NoError"
) -> Row:
    return (
        status_history,
        {
            "station_id": station, "connector_id": connector, "status": status,
            "error_code": error, "station_timestamp": when, "received_at": when,
        },
    )  # fmt: skip


def _event(station: str, when: datetime, kind: str, data: dict[str, object]) -> Row:
    return (
        events,
        {"timestamp": when, "station_id": station, "kind": kind, "severity": "info",
         "message": kind, "data": data},
    )  # fmt: skip


def facts() -> list[Any]:
    created = utc(1, 0)
    rows: list[Any] = [(sites, {"id": 1, "name": "Depot", "level": "", "created_at": created})]
    for sid, conns, site in (("A", (1, 2), 1), ("B", (1,), 1), ("C", (1,), None)):
        rows.append((stations, {"id": sid, "admission": "Accepted", "created_at": created}))
        rows.append((station_positions, {"station_id": sid, "site_id": site, "x": 0, "y": 0}))
        for c in conns:
            rows.append(
                (connectors, {"station_id": sid, "connector_id": c, "status": "Available",
                              "error_code": "NoError", "updated_at": created})
            )  # fmt: skip
            rows.append(_status(sid, c, utc(20, 0), "Available"))
        rows.append(_event(sid, utc(20, 0), "station.connected", {}))
    # A/1: Saturday 23:00 CEST (21:00 UTC) to Sunday 03:00 CET (02:00 UTC), 11 kW, with
    # one 11.5 kW reading at 00:30 UTC.
    rows += _session(1, "A", 1, "T1", utc(24, 21), 300, 11000.0, spike=(210, 11500.0))
    rows += [
        _status("A", 1, utc(24, 20, 59), "Preparing"),
        _status("A", 1, utc(24, 21), "Charging"),
        _status("A", 1, utc(25, 2), "Finishing"),
        _status("A", 1, utc(25, 2, 10), "Available"),
    ]
    # A/2: Sunday 08:00–09:00 UTC, 7 kW, priced.
    rows += _session(2, "A", 2, "T2", utc(25, 8), 60, 7000.0)
    rows += [_status("A", 2, utc(25, 8), "Charging"), _status("A", 2, utc(25, 9), "Available")]
    rows.append(
        (session_charges, {"transaction_id": 2, "tariff_snapshot": None, "currency": "SEK",
                           "total_minor": 3000, "final": True})
    )  # fmt: skip
    rows += [
        _status("B", 1, utc(25, 10), "Faulted", "GroundFailure"),
        _status("B", 1, utc(25, 11), "Available"),
        _event("A", utc(25, 12), "station.disconnected", {"reason": "lost"}),
        _event("A", utc(25, 12, 30), "station.connected", {}),
        _event("B", utc(25, 15), "authorization.walk_in", {"id_tag": "W", "connector_id": 1}),
    ]
    return rows


def _insert_all(conn: Connection) -> None:
    for table, values in facts():
        conn.execute(insert(table), values)


def rows(db: Database, table: Table) -> int:
    query = select(func.count()).select_from(table)
    return int(db.run_sync_read(lambda c: c.execute(query).scalar_one()))


@pytest.fixture(scope="module")
def pg_server() -> Iterator[str | None]:
    if find_binaries() is None:
        yield None
        return
    with postgres_server() as url:
        yield url


async def facts_database(backend: str, path: Path, pg_server: str | None) -> Database:
    """A migrated, started, empty database: a SQLite file at `path`, or the PostgreSQL
    server's (the test is skipped where PostgreSQL is not installed)."""
    url = f"sqlite:///{path}"
    if backend == "postgresql":
        if pg_server is None:
            pytest.skip("PostgreSQL is not installed here")
        url = empty_schema(pg_server)
    migrate.upgrade(url, backup=False)
    db = Database(url)
    await db.start()
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
async def service(
    request: pytest.FixtureRequest, tmp_path: Path, pg_server: str | None
) -> AsyncIterator[tuple[AnalyticsService, Database]]:
    """The same reports on SQLite and, where it is installed, on PostgreSQL."""
    db = await facts_database(request.param, tmp_path / "analytics.sqlite3", pg_server)
    db.run_sync_write(_insert_all)
    yield AnalyticsService(SqlAnalyticsRepository(db), ZONE, raw_samples_days=30), db
    await db.close()


async def test_usage_on_the_fall_back_day(service: tuple[AnalyticsService, Database]) -> None:
    analytics, _db = service
    usage = await analytics.usage(1, SUNDAY, SUNDAY)
    assert [s.station_id for s in usage.stations] == ["A", "B"]
    a1, a2 = usage.connector("A", 1), usage.connector("A", 2)
    # 22:00 UTC Saturday to 02:00 UTC Sunday is Sunday's part: 4 h at 11 kW.
    assert a1.energy_wh == pytest.approx(44000.0)
    assert a1.sessions == 0
    assert (a1.charging_s, a1.idle_s) == (4 * 3600, 600)
    assert a1.observed_s == 25 * 3600
    assert a1.peak_power_w == 11500.0
    assert (a2.sessions, a2.revenue_minor) == (1, 3000)
    assert a2.energy_wh == pytest.approx(7000.0)
    assert a2.average_power_w == pytest.approx(7000.0)
    assert a1.usable_s == 25 * 3600 - 1800  # station A offline 12:00–12:30 UTC
    b = usage.station("B")
    assert b.faults == 1
    assert b.availability == pytest.approx(1 - 3600 / 90000)
    saturday = await analytics.usage(1, SATURDAY, SATURDAY)
    assert saturday.connector("A", 1).sessions == 1
    assert saturday.connector("A", 1).energy_wh == pytest.approx(11000.0)
    everywhere = await analytics.usage(None, SUNDAY, SUNDAY)
    assert [s.station_id for s in everywhere.stations] == ["A", "B", "C"]


async def test_demand_and_summary(service: tuple[AnalyticsService, Database]) -> None:
    analytics, _db = service
    await analytics.set_connection_limit(1, 22000)
    report = await analytics.report(1, SUNDAY, SUNDAY)
    demand = report.demand
    assert demand.connectors == 3
    assert demand.saturated_s == 0
    assert demand.peak_power is not None
    # The 00:30–00:45 UTC bucket: fourteen 11 kW readings and the 11.5 kW one.
    assert demand.peak_power.at == utc(25, 0, 30)
    assert demand.peak_power.watts == pytest.approx((14 * 11000 + 11500) / 15)
    assert [(t.id_tag, t.site_full) for t in demand.turned_away] == [("W", False)]
    assert demand.extra_connectors == 0
    assert "of the 22.0 kW connection limit" in report.summary.text
    assert await analytics.connection_limit(1) == 22000


async def test_drill_down_to_the_sessions_behind_a_figure(
    service: tuple[AnalyticsService, Database],
) -> None:
    analytics, _db = service
    # Sunday 01:00–02:00 local (CEST) is 23:00–00:00 UTC Saturday: A/1 was charging.
    rows = await analytics.sessions_behind(1, SUNDAY, SUNDAY, weekday=6, hour=1)
    assert [r.transaction_id for r in rows] == [1]
    assert rows[0].energy_wh == pytest.approx(44000.0)
    rows = await analytics.sessions_behind(1, SUNDAY, SUNDAY, station_id="A", connector_id=2)
    assert [(r.transaction_id, r.revenue_minor) for r in rows] == [(2, 3000)]
    assert await analytics.sessions_behind(1, SUNDAY, SUNDAY, station_id="B") == ()
    with pytest.raises(InvalidInput):
        await analytics.sessions_behind(1, SUNDAY, SUNDAY, weekday=6)


async def test_rolled_up_samples_give_the_same_figures(
    service: tuple[AnalyticsService, Database],
) -> None:
    analytics, db = service
    await analytics.set_connection_limit(1, 22000)
    days = (SATURDAY, SUNDAY)
    before = [await analytics.report(1, first, last) for first, last in (days, (SUNDAY, SUNDAY))]
    behind = await analytics.sessions_behind(1, SUNDAY, SUNDAY, weekday=6, hour=1)
    # Rolled up at once, deleted only once older than raw_samples_days (30).
    early = await analytics.roll_up(datetime(2026, 11, 1, tzinfo=UTC))
    assert (early.rolled, early.deleted) == (2 * (300 + 60), 0)
    assert rows(db, meter_samples) == 2 * (300 + 60)
    result = await analytics.roll_up(datetime(2026, 12, 31, tzinfo=UTC))
    assert result.cutoff == datetime(2026, 12, 1, tzinfo=UTC)
    assert (result.rolled, result.deleted) == (0, 2 * (300 + 60))
    assert rows(db, meter_samples) == 0
    # Samples 21:01 … 02:00 and 08:01 … 09:00: 21 and 5 quarter-hours, two measurands.
    assert rows(db, meter_rollups) == 2 * (21 + 5)
    after = [await analytics.report(1, first, last) for first, last in (days, (SUNDAY, SUNDAY))]
    for old, new in zip(before, after, strict=True):
        assert new.demand == old.demand
        assert new.summary == old.summary
        for o, n in zip(old.usage.connectors, new.usage.connectors, strict=True):
            assert n.energy_wh == pytest.approx(o.energy_wh, abs=1e-6)
            assert (n.peak_power_w, n.charging_s, n.sessions) == (
                o.peak_power_w, o.charging_s, o.sessions,
            )  # fmt: skip
    assert await analytics.sessions_behind(1, SUNDAY, SUNDAY, weekday=6, hour=1) == behind
    # Nothing left to do the second time.
    again = await analytics.roll_up(datetime(2026, 12, 31, tzinfo=UTC))
    assert (again.rolled, again.deleted) == (0, 0)


async def test_a_late_sample_after_a_rollup_still_counts(
    service: tuple[AnalyticsService, Database],
) -> None:
    analytics, db = service
    await analytics.roll_up(datetime(2026, 11, 1, tzinfo=UTC))
    # A charger back online sends a reading it queued: 200 kW at 08:30 UTC on A/2,
    # inside a bucket that is already rolled up.
    late = {
        "station_id": "A", "connector_id": 2, "transaction_id": 2,
        "timestamp": utc(25, 8, 30, 30), "measurand": "Power.Active.Import", "value": 200000.0,
        "unit": "W", "location": "Outlet",
    }  # fmt: skip
    db.run_sync_write(lambda c: c.execute(insert(meter_samples), late))
    usage = await analytics.usage(1, SUNDAY, SUNDAY)
    assert usage.connector("A", 2).peak_power_w == 200000.0
    demand = await analytics.demand(1, SUNDAY, SUNDAY)
    assert demand.peak_power is not None
    assert demand.peak_power.watts == pytest.approx((15 * 7000 + 200000) / 16)
    # On PostgreSQL a run takes only the ids the run before it had seen.
    runs = [await analytics.roll_up(datetime(2026, 11, 1, tzinfo=UTC)) for _ in range(2)]
    assert sum(r.rolled for r in runs) == 1
    assert await analytics.demand(1, SUNDAY, SUNDAY) == demand


async def test_bad_requests_are_refused(service: tuple[AnalyticsService, Database]) -> None:
    analytics, _db = service
    with pytest.raises(NotFound):
        await analytics.usage(99, SUNDAY, SUNDAY)
    with pytest.raises(NotFound):
        await analytics.set_connection_limit(99, 1000)
    with pytest.raises(InvalidInput):
        await analytics.set_connection_limit(1, 0)
    with pytest.raises(InvalidInput):
        await analytics.usage(1, SUNDAY, SATURDAY)
    await analytics.set_connection_limit(1, None)
    assert await analytics.connection_limit(1) is None
