"""History series from a hand-made day, stored through the real services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.bootstrap import Engine
from app.domain.errors import InvalidInput
from app.domain.history import (
    BucketGrid,
    StatusChange,
    bucket_width_for,
    split_over_bounds,
    usage_series,
)
from app.domain.history_power import PowerAccumulator
from app.domain.model import ConnectorStatus, IdTag, IdTagStatus, MeterSample, StatusReport
from app.services.container import Services

STOCKHOLM = ZoneInfo("Europe/Stockholm")  # UTC+1 in March: local midnight is 23:00Z
T0 = datetime(2026, 3, 10, 21, 0, tzinfo=UTC)


def at(hh: int, mm: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 3, day, hh, mm, tzinfo=UTC)


def power(t: datetime, watts: float, phase: str | None = None) -> MeterSample:
    return MeterSample(t, watts, "Power.Active.Import", "W", phase=phase, location="Outlet")


def register(t: datetime, wh: float) -> MeterSample:
    return MeterSample(t, wh, location="Outlet")


async def session(
    s: Services,
    station: str,
    connector: int,
    start: datetime,
    meter_start: int,
    samples: list[MeterSample],
    stop: tuple[datetime, int] | None,
) -> int:
    tx, _ = await s.transactions.start(station, connector, "TAG", meter_start, start, None)
    for sample in samples:
        await s.transactions.meter_values(station, connector, tx, [sample])
    if stop is not None:
        await s.transactions.stop(station, tx, stop[1], stop[0], "Local", None, [])
    return tx


async def status(s: Services, station: str, connector: int, t: datetime, st: str) -> None:
    await s.stations.on_status(
        station, StatusReport(connector, ConnectorStatus(st), "NoError", station_timestamp=t)
    )


async def build_site(s: Services) -> None:
    """Two stations; A has two overlapping sessions, one across local midnight."""
    for station in ("A", "B"):
        await s.stations.add(station)
    await s.authorization.add_tag(IdTag("TAG", IdTagStatus.ACCEPTED))
    # A/1: 11 kW from 21:00Z to 01:00Z (22:00–02:00 local), one sample per 10 minutes.
    a1 = [power(T0 + timedelta(minutes=5 + 10 * k), 11000) for k in range(24)]
    a1 += [register(T0 + timedelta(minutes=10 * k), 1000 + 11000 * k / 6) for k in range(1, 24)]
    await session(s, "A", 1, T0, 1000, a1, (at(1, day=11), 45000))
    # A/2: 22:00Z–23:30Z with two samples in one bucket and an hour without any.
    a2 = [power(at(22, 5), 7000), power(at(22, 6), 7200), power(at(22, 15), 7400)]
    a2 += [power(at(23, 5), 5000), register(at(23), 6000)]
    await session(s, "A", 2, at(22), 0, a2, (at(23, 30), 9000))
    # B/1 draws power without a transaction once; B/2 reports per phase only.
    await s.transactions.meter_values("B", 1, None, [power(at(21, 45), 3000)])
    await s.transactions.meter_values("B", 0, None, [power(at(21, 45), 50000)])
    b2 = [power(at(22, 15), 1000, phase) for phase in ("L1", "L2", "L3")]
    await session(s, "B", 2, at(22, 10), 0, b2, (at(22, 20), 500))
    # Status history: A/1 busy from before the range until 01:05Z, A/2 22:00–23:30Z.
    await status(s, "B", 1, at(20), "Available")
    await status(s, "A", 1, at(20, 55), "Preparing")
    await status(s, "A", 1, T0, "Charging")
    await status(s, "A", 2, at(22), "Charging")
    await status(s, "A", 2, at(23, 30), "Available")
    await status(s, "A", 1, at(1, day=11), "Finishing")
    await status(s, "A", 1, at(1, 5, day=11), "Available")


@pytest.fixture
async def site(engine: Engine) -> Services:
    await build_site(engine.services)
    return engine.services


def values_at(grid: BucketGrid, series: tuple[float, ...], *times: datetime) -> list[float]:
    return [series[grid.index_of(t)] for t in times]


async def test_site_and_station_power_per_bucket(site: Services) -> None:
    await check_power(site)


async def check_power(site: Services) -> None:
    series = await site.history.power_series(T0, T0 + timedelta(hours=4), width=600)
    grid = series.grid
    assert grid.start == T0
    assert grid.count == 24
    a = series.station("A")
    # Two samples in one bucket average; a silent hour inside an open
    # transaction keeps the last value; after the stop the connector is 0.
    assert values_at(grid, a, at(21), at(22), at(22, 10), at(22, 40), at(23), at(23, 20)) == [
        11000,
        11000 + 7100,
        11000 + 7400,
        11000 + 7400,
        11000 + 5000,
        11000 + 5000,
    ]
    assert values_at(grid, a, at(23, 30), at(0, 50, day=11)) == [11000, 11000]
    b = series.station("B")
    # Without a transaction a value is not carried on; per-phase samples are summed;
    # connector 0 (the station's own meter) is not added to its connectors.
    assert values_at(grid, b, at(21, 40), at(21, 50), at(22, 10), at(22, 20)) == [
        3000,
        0,
        3000,
        0,
    ]
    assert series.site_w == tuple(x + y for x, y in zip(a, b, strict=True))


async def test_energy_per_local_day_splits_a_session_at_midnight(site: Services) -> None:
    await check_energy(site)


async def check_energy(site: Services) -> None:
    energy = await site.history.energy_per_day(date(2026, 3, 10), 3, STOCKHOLM)
    assert energy.days == (date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12))
    assert energy.bounds[1] == at(23)
    # A/1: 2 h of 11 kW either side of midnight; A/2: 6 kWh before, 3 kWh after; B/2 0.5 kWh.
    assert energy.energy_wh == pytest.approx((22000 + 6000 + 500, 22000 + 3000, 0))
    assert energy.open_readings == ()


async def test_an_open_session_reports_where_it_stands(engine: Engine) -> None:
    s = engine.services
    await s.stations.add("C")
    await s.authorization.add_tag(IdTag("TAG", IdTagStatus.ACCEPTED))
    tx = await session(s, "C", 1, at(10), 100, [register(at(11), 2100)], None)
    energy = await s.history.energy_per_day(date(2026, 3, 10), 1, UTC)
    assert energy.energy_wh == (2000.0,)
    [reading] = energy.open_readings
    assert (reading.transaction_id, reading.at, reading.wh) == (tx, at(11), 2100)


async def test_connectors_in_use_peak_per_bucket(site: Services) -> None:
    await check_usage(site)


async def check_usage(site: Services) -> None:
    usage = await site.history.connectors_in_use(T0, T0 + timedelta(hours=5), width=1800)
    assert usage.peak == (1, 1, 2, 2, 2, 1, 1, 1, 1, 0)
    assert usage.connectors == 3


async def test_empty_ranges_give_empty_series(site: Services) -> None:
    later = at(12, day=20)
    power = await site.history.power_series(later, later + timedelta(hours=1))
    assert power.is_empty
    assert power.site_w == ()
    energy = await site.history.energy_per_day(date(2026, 3, 20), 2, STOCKHOLM)
    assert energy.energy_wh == (0.0, 0.0)
    usage = await site.history.connectors_in_use(at(12, day=1), at(13, day=1))
    assert usage.is_empty


async def test_an_empty_database_gives_empty_series(engine: Engine) -> None:
    history = engine.services.history
    assert (await history.power_series(T0, T0 + timedelta(days=30))).is_empty
    assert (await history.connectors_in_use(T0, T0 + timedelta(days=7))).is_empty
    graphs = await history.graphs(T0, T0 + timedelta(hours=1), 7, STOCKHOLM)
    assert graphs.energy.energy_wh == (0.0,) * 7


async def test_bad_ranges_are_refused(engine: Engine) -> None:
    history = engine.services.history
    with pytest.raises(InvalidInput):
        await history.power_series(T0, T0)
    with pytest.raises(InvalidInput):
        await history.energy_per_day(date(2026, 3, 1), 0, UTC)


# ---- the pure rules the live tail shares with the store ----------------------------


def test_bucket_widths_keep_every_range_under_a_thousand_points() -> None:
    assert bucket_width_for(timedelta(hours=1)) == 10
    assert bucket_width_for(timedelta(hours=24)) == 120
    assert bucket_width_for(timedelta(days=7)) == 900
    assert bucket_width_for(timedelta(days=30)) == 3600


async def test_live_samples_continue_the_history(site: Services) -> None:
    history = await site.history.power_history(T0, T0 + timedelta(hours=4), width=600)
    acc = PowerAccumulator.from_history(history)
    before = acc.series().site_w
    acc.add_sample("A", 2, at(22, 5), 99999)  # already stored: ignored
    assert acc.series().site_w == before
    acc.extend_to(at(1, 20, day=11))
    assert acc.grid.count == 26
    # A/1 was closed at 01:00Z in the store, so the new buckets are 0 …
    assert acc.series().site_w[-2:] == (0, 0)
    acc.add_sample("A", 1, at(1, 11, day=11), 4000)
    assert acc.series().site_w[-1] == 4000
    acc.drop_before(at(0, day=11))
    assert acc.grid.start == at(0, day=11)
    assert acc.series().site_w == (11000, 11000, 11000, 11000, 11000, 11000, 0, 4000)


def test_an_open_transaction_carries_its_last_value_into_new_buckets() -> None:
    from app.domain.history import PowerHistory, TransactionSpan
    from app.domain.history_columns import PowerColumns

    grid = BucketGrid.covering(at(12), at(12, 30), 600)
    span = TransactionSpan(7, "S", 1, at(12), None, 0, None)
    acc = PowerAccumulator.from_history(PowerHistory(grid, PowerColumns.empty(), (span,)))
    acc.add_sample("S", 1, at(12, 1), 7000)
    acc.extend_to(at(12, 50))
    assert acc.series().site_w == (7000, 7000, 7000, 7000, 7000)
    acc.close_span(7, ("S", 1), at(12, 35))
    assert acc.series().site_w == (7000, 7000, 7000, 7000, 0)


def test_energy_between_two_readings_is_split_by_time() -> None:
    bounds = [at(0), at(12), at(0, day=11)]
    assert split_over_bounds(bounds, at(11), 0, at(14), 300) == [(0, 100), (1, 200)]
    assert split_over_bounds(bounds, at(11), 500, at(14), 300) == []  # meter reset


def test_usage_counts_a_change_at_a_bucket_edge_in_the_new_bucket() -> None:
    grid = BucketGrid.covering(at(12), at(13), 1800)
    changes = [
        StatusChange("S", 1, at(11), "Charging"),
        StatusChange("S", 1, at(12, 30), "Available"),
        StatusChange("S", 2, at(12, 40), "Faulted"),
    ]
    assert usage_series(grid, changes).peak == (1, 0)
