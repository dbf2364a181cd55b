"""Day summaries (issue 7, speed): a report read from them gives the figures a report
over the raw facts gives, before and after housekeeping, with late facts.

The facts of test_analytics_store.py (a session across Saturday → Sunday 2026-10-25,
the 25-hour fall-back day in Stockholm, a fault, an offline half hour, a walk-in turned
away), plus: station B offline across Saturday's local midnight, C faulted across it,
every connector of the site busy at once across it and a driver who waited after,
drivers authorised near midnight, one who started at another station, and a session
across the spring-forward night of 2026-03-29 (23 hours).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, create_engine, insert, inspect, update

from app.domain.analytics import ReportPeriod
from app.domain.analytics_demand import DemandRules, demand_report
from app.domain.analytics_summary import capacity_summary
from app.domain.analytics_usage import timelines, usage_report
from app.services.analytics import AnalyticsService, SiteReport
from app.store import migrate
from app.store.database import Database
from app.store.repositories.analytics import SqlAnalyticsRepository
from app.store.schema import session_charges, station_positions, transactions
from tests.integration.test_analytics_store import (
    SATURDAY,
    SUNDAY,
    ZONE,
    _event,
    _session,
    _status,
    facts,
    facts_database,
    pg_server,
    utc,
)

__all__ = ["pg_server"]  # the module's PostgreSQL server fixture, shared

SPRING = date(2026, 3, 29)
RANGES = [
    (SATURDAY, SUNDAY),
    (SUNDAY, SUNDAY),
    (date(2026, 10, 20), date(2026, 10, 31)),
    (date(2026, 3, 27), date(2026, 3, 31)),
    (date(2026, 3, 20), date(2026, 10, 31)),
]


def march(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def more_facts() -> list[Any]:
    rows: list[Any] = [
        # Station B offline 23:30 … 00:30 local, across Saturday's midnight (22:00 UTC).
        _event("B", utc(24, 21, 30), "station.disconnected", {"reason": "lost"}),
        _event("B", utc(24, 22, 30), "station.connected", {}),
        # C faulted across the same midnight.
        _status("C", 1, utc(24, 21), "Faulted", "OverCurrentFailure"),
        _status("C", 1, utc(25, 1), "Available"),
        # Every connector of the site busy 21:45 … 22:15 UTC (A/1 charges 21:00 … 02:00).
        _status("A", 2, utc(24, 21, 30), "Charging"),
        _status("A", 2, utc(24, 22, 30), "Available"),
        _status("B", 1, utc(24, 21, 45), "Preparing"),
        _status("B", 1, utc(24, 22, 15), "Available"),
        # … and a driver who started at B 5 minutes after it freed: waited.
        _status("B", 1, utc(24, 22, 20), "Charging"),
        _status("B", 1, utc(24, 22, 50), "Available"),
        # Authorised at 23:58 local with no session: turned away; at A, started at B.
        _event("A", utc(24, 21, 58), "authorization.accepted", {"id_tag": "N"}),
        _event("A", utc(25, 9, 30), "authorization.accepted", {"id_tag": "S"}),
        # Authorised at C (not of the site), started at A: turned away only at C's site.
        _event("C", utc(25, 13), "authorization.accepted", {"id_tag": "X"}),
    ]
    rows += _session(3, "A", 2, "T3", utc(24, 21, 30), 60, 7000.0)
    rows += _session(4, "B", 1, "T4", utc(24, 22, 20), 30, 11000.0)
    rows += _session(5, "B", 1, "S", utc(25, 9, 35), 20, 11000.0)
    rows += _session(6, "A", 1, "X", utc(25, 13, 5), 20, 11000.0)
    rows += [
        _status("B", 1, utc(25, 9, 35), "Charging"),
        _status("B", 1, utc(25, 9, 55), "Available"),
        _status("A", 1, utc(25, 13, 5), "Charging"),
        _status("A", 1, utc(25, 13, 25), "Available"),
    ]
    # The spring-forward night: A/1 charges 00:00 CET … 04:00 CEST (three real hours).
    rows += [
        _status("A", 1, march(28, 23), "Charging"),
        _status("A", 1, march(29, 2), "Available"),
        _status("B", 1, march(28, 22), "Available"),
        _status("A", 2, march(28, 22), "Available"),
    ]
    rows += _session(7, "A", 1, "T7", march(28, 23), 180, 7400.0)
    return rows


def _insert_all(conn: Connection) -> None:
    for table, values in facts() + more_facts():
        conn.execute(insert(table), values)


@pytest.fixture(params=["sqlite", "postgresql"])
async def service(
    request: pytest.FixtureRequest, tmp_path: Path, pg_server: str | None
) -> AsyncIterator[tuple[AnalyticsService, Database]]:
    db = await facts_database(request.param, tmp_path / "summaries.sqlite3", pg_server)
    db.run_sync_write(_insert_all)
    analytics = AnalyticsService(SqlAnalyticsRepository(db), ZONE, raw_samples_days=30)
    await analytics.set_connection_limit(1, 22000)
    yield analytics, db
    await db.close()


async def raw_report(db: Database, site: int | None, first: date, last: date) -> SiteReport:
    """The report over raw facts only, as before the summaries."""
    period = ReportPeriod(first, last, ZONE)
    found = await SqlAnalyticsRepository(db).facts(
        site, period.start_at, period.end_at, usage=True, demand=True
    )
    segments = timelines(found, period)
    usage = usage_report(found, period, segments)
    demand = demand_report(found, period, DemandRules(), segments)
    return SiteReport(usage, demand, capacity_summary(usage, demand))


def assert_same(new: SiteReport, old: SiteReport) -> None:
    assert new.demand == old.demand
    assert new.summary == old.summary
    assert new.usage.outages == old.usage.outages
    assert [s.faults for s in new.usage.stations] == [s.faults for s in old.usage.stations]
    for n, o in zip(new.usage.connectors, old.usage.connectors, strict=True):
        assert n.energy_wh == pytest.approx(o.energy_wh, abs=1e-6)
        assert (n.station_id, n.connector_id, n.sessions, n.charging_s, n.idle_s) == (
            o.station_id, o.connector_id, o.sessions, o.charging_s, o.idle_s,
        )  # fmt: skip
        assert (n.observed_s, n.usable_s, n.revenue_minor, n.priced_sessions) == (
            o.observed_s, o.usable_s, o.revenue_minor, o.priced_sessions,
        )  # fmt: skip
        assert n.peak_power_w == o.peak_power_w


async def split_of(db: Database, site: int | None, first: date, last: date) -> date | None:
    """The first day a report reads raw (None: it reads no summary at all)."""
    found = await SqlAnalyticsRepository(db).summarised_facts(
        site, ReportPeriod(first, last, ZONE), ZONE, usage=True, demand=True
    )
    return None if found is None else found.summarised.split


async def test_the_summaries_give_the_raw_figures(
    service: tuple[AnalyticsService, Database],
) -> None:
    analytics, db = service
    expected = {
        (site, first, last): await raw_report(db, site, first, last)
        for site in (1, None)
        for first, last in RANGES
    }
    # What the crafted facts are there for (read raw): a spell across midnight and one
    # after it, the driver who waited, the one turned away at 23:58 while it was full,
    # outages joined across midnight.
    site = expected[(1, SATURDAY, SUNDAY)]
    assert site.demand.full_spells == 2
    assert [d.transaction_id for d in site.demand.waited] == [4]
    assert [(t.id_tag, t.site_full) for t in site.demand.turned_away] == [("N", True), ("W", False)]
    offline = site.usage.station("B").outages[0]
    assert (offline.cause, offline.started_at, offline.ended_at) == ("Offline", utc(24, 21, 30),
                                                                     utc(24, 22, 30))  # fmt: skip
    fault = expected[(None, SATURDAY, SUNDAY)].usage.station("C").outages[0]
    assert (fault.started_at, fault.ended_at) == (utc(24, 21), utc(25, 1))
    for (site_id, first, last), old in expected.items():
        assert_same(await analytics.report(site_id, first, last), old)
    # Housekeeping at Sunday noon: Saturday summarised, Sunday (its session from
    # Saturday night, its full spell from Saturday) read raw; then at 1 November.
    for now, through in (
        (utc(25, 10), SATURDAY),
        (datetime(2026, 11, 1, 12, tzinfo=UTC), date(2026, 10, 31)),
    ):
        assert await analytics.summarise(now) > 0
        assert await split_of(db, 1, SATURDAY, SUNDAY) == min(through, SUNDAY) + timedelta(days=1)
        for (site_id, first, last), old in expected.items():
            assert_same(await analytics.report(site_id, first, last), old)
            assert (await analytics.demand(site_id, first, last)) == old.demand
    assert await analytics.summarise(datetime(2026, 11, 1, 13, tzinfo=UTC)) == 0


async def test_late_facts_make_their_days_stale_until_summarised_again(
    service: tuple[AnalyticsService, Database],
) -> None:
    analytics, db = service
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    await analytics.summarise(now)
    assert await split_of(db, None, SATURDAY, SUNDAY) == SUNDAY + timedelta(days=1)
    # Arriving on 1 November: a fault C queued on Saturday morning, a session on A/2
    # on Friday with its price, and the price of the session across Saturday's midnight.
    table, queued = _status("C", 1, utc(24, 6), "Faulted", "GroundFailure")
    late: list[Any] = [(table, {**queued, "received_at": now})]
    late += _session(8, "A", 2, "T8", utc(23, 10), 30, 7000.0)
    late.append(
        (session_charges, {"transaction_id": 8, "tariff_snapshot": None, "currency": "SEK",
                           "total_minor": 1200, "final": True, "priced_at": now})
    )  # fmt: skip

    def arrive(conn: Connection) -> None:
        for table, values in late:
            conn.execute(insert(table), values)
        conn.execute(
            insert(session_charges),
            {"transaction_id": 1, "tariff_snapshot": None, "currency": "SEK",
             "total_minor": 4400, "final": True, "priced_at": now},
        )  # fmt: skip

    db.run_sync_write(arrive)
    week = (date(2026, 10, 20), date(2026, 10, 31))
    assert await split_of(db, None, *week) == date(2026, 10, 22), "a day before the session"
    for site in (1, None):
        old = await raw_report(db, site, *week)
        assert_same(await analytics.report(site, *week), old)
    everything = await analytics.report(None, *week)
    assert everything.usage.connector("A", 2).revenue_minor == 3000 + 1200
    assert everything.usage.connector("A", 1).revenue_minor == 4400
    assert everything.usage.station("C").faults == 2
    # Housekeeping redoes the stale days; the figures stay.
    assert await analytics.summarise(now + timedelta(minutes=15)) > 0
    assert await split_of(db, None, *week) == week[1] + timedelta(days=1)
    for site in (1, None):
        assert_same(await analytics.report(site, *week), await raw_report(db, site, *week))


async def test_a_site_that_changed_reads_its_days_from_the_connectors(
    service: tuple[AnalyticsService, Database],
) -> None:
    analytics, db = service
    await analytics.summarise(datetime(2026, 11, 1, 12, tzinfo=UTC))
    db.run_sync_write(
        lambda c: c.execute(
            update(station_positions).where(station_positions.c.station_id == "C").values(site_id=1)
        )
    )
    assert_same(
        await analytics.report(1, SATURDAY, SUNDAY), await raw_report(db, 1, SATURDAY, SUNDAY)
    )


def test_the_summary_tables_come_and_go_with_their_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'older.sqlite3'}"
    config = migrate.alembic_config(url)
    command.upgrade(config, "0008")
    engine = create_engine(url)
    ours = {"analytics_days", "analytics_scope_days", "analytics_summary_progress",
            "analytics_summary_stations"}  # fmt: skip
    assert not ours & set(inspect(engine).get_table_names())
    command.upgrade(config, "0009")
    assert ours <= set(inspect(engine).get_table_names())
    indexes = {i["name"] for i in inspect(engine).get_indexes(transactions.name)}
    assert "ix_transactions_report" in indexes
    command.downgrade(config, "0008")
    assert not ours & set(inspect(engine).get_table_names())
    engine.dispose()
