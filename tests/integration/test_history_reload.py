"""A reload of a graph reads only what changed since the previous load, and gives
exactly what a first load (a fresh service, reading it all) gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete

from app.bootstrap import Engine
from app.domain.history import PowerHistory
from app.domain.history_power import PowerAccumulator
from app.domain.model import MeterSample
from app.services.history import HistoryService
from app.store.repositories.history import SqlHistoryRepository
from app.store.schema import meter_samples
from tests.unit.test_history_service import T0, at, build_site, power

SPAN = timedelta(hours=4)


async def both(engine: Engine, cached: HistoryService, end: datetime) -> PowerHistory:
    """The cached service's load; a first load of the same range must be the same."""
    fresh = HistoryService(SqlHistoryRepository(engine.db))
    again = await cached.power_history(end - SPAN, end, 120)
    first = await fresh.power_history(end - SPAN, end, 120)
    assert again == first
    assert PowerAccumulator.from_history(again).series() == (
        PowerAccumulator.from_history(first).series()
    )
    return again


async def test_a_reload_gives_what_a_first_load_gives(engine: Engine) -> None:
    s = engine.services
    await build_site(s)
    cached = HistoryService(SqlHistoryRepository(engine.db))
    end = T0 + SPAN
    loaded = await both(engine, cached, end)
    assert len(loaded.columns) > 0
    assert await both(engine, cached, end) == loaded  # nothing new: all kept

    # New samples at the end, a late one in an old bucket (three in it now, so the
    # order of the sum matters), a new connector, the range moved on by 7 minutes.
    await s.transactions.meter_values("B", 1, None, [power(at(22, 21), 1234.5)])
    await s.transactions.meter_values("B", 1, None, [power(at(22, 21, 30), 0.1)])
    await s.transactions.meter_values("A", 1, None, [power(end + timedelta(minutes=2), 999.9)])
    await s.stations.add("C")
    await s.transactions.meter_values("C", 2, None, [power(end + timedelta(minutes=1), 321.0)])
    moved = await both(engine, cached, end + timedelta(minutes=7))
    assert ("C", 2) in moved.columns.keys

    # Per-phase samples arriving late, then the range moving on by hours.
    late = [MeterSample(at(23, 58), 1000.0 + i, "Power.Active.Import", "W", "L1") for i in (1, 2)]
    await s.transactions.meter_values("B", 2, None, late)
    await both(engine, cached, end + timedelta(minutes=9))
    await both(engine, cached, end + timedelta(hours=3))


async def test_deleted_samples_are_not_kept(engine: Engine) -> None:
    s = engine.services
    await build_site(s)
    cached = HistoryService(SqlHistoryRepository(engine.db))
    end = T0 + SPAN
    await both(engine, cached, end)

    def drop(conn: Connection) -> None:  # as housekeeping drops rolled-up samples
        conn.execute(delete(meter_samples).where(meter_samples.c.timestamp < at(22, 10)))

    await engine.db.write(drop)
    await s.transactions.meter_values("A", 2, None, [power(end - timedelta(minutes=1), 50.0)])
    after = await both(engine, cached, end + timedelta(minutes=1))
    assert min(after.columns.index) >= after.grid.index_of(at(22, 10))


async def test_another_width_or_an_earlier_range_is_read_whole(engine: Engine) -> None:
    s = engine.services
    await build_site(s)
    cached = HistoryService(SqlHistoryRepository(engine.db))
    end = T0 + SPAN
    await both(engine, cached, end)
    await both(engine, cached, end - timedelta(hours=1))  # starts before the kept range
    fresh = HistoryService(SqlHistoryRepository(engine.db))
    assert await cached.power_history(T0, end, 600) == await fresh.power_history(T0, end, 600)


async def test_a_warmed_service_loads_the_live_range_as_a_first_load_would(
    engine: Engine,
) -> None:
    """The control room warms the live range at start; the graphs view's load a little
    later (the range moved on, a sample came in) is then a reload, with the same figures."""
    s = engine.services
    await build_site(s)
    span = timedelta(hours=24)
    end = T0 + SPAN
    warmed = HistoryService(SqlHistoryRepository(engine.db))
    await warmed.warm(end, span)
    await s.transactions.meter_values("A", 1, None, [power(end + timedelta(seconds=30), 77.0)])
    later = end + timedelta(minutes=1)
    fresh = HistoryService(SqlHistoryRepository(engine.db))
    tz = UTC
    assert await warmed.graphs(later - span, later, 7, tz) == await fresh.graphs(
        later - span, later, 7, tz
    )
