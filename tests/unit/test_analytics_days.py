"""Day summaries, pure parts: the hour grid's whole-day shortcut, cutting a timeline at
local midnights, and a set of connectors' days."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from app.domain.analytics import HOURS, ConnectorRef, HourGrid, ReportPeriod, instant
from app.domain.analytics_days import ConnectorDay, cut_at_midnights, midnights, scope_days

STEP = 900.0


def stepped_grid(period: ReportPeriod) -> HourGrid:
    """The grid found by looking at every quarter-hour (what HourGrid.of did before)."""
    bounds: list[float] = []
    weekdays: list[int] = []
    hours: list[int] = []
    previous: tuple[int, int] | None = None
    t = period.start
    while t < period.end:
        local = instant(t).astimezone(period.zone)
        cell = (local.weekday(), local.hour)
        if cell != previous:
            bounds.append(t)
            weekdays.append(cell[0])
            hours.append(cell[1])
            previous = cell
        t += STEP
    bounds.append(period.end)
    return HourGrid(tuple(bounds), tuple(weekdays), tuple(hours))


@pytest.mark.parametrize(
    "zone",
    ["Europe/Stockholm", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "UTC",
     "America/St_Johns"],
)  # fmt: skip
def test_the_grid_of_a_year_is_the_one_found_quarter_hour_by_quarter_hour(zone: str) -> None:
    period = ReportPeriod(date(2025, 11, 26), date(2026, 11, 25), ZoneInfo(zone))
    assert HourGrid.of(period) == stepped_grid(period)


def test_a_timeline_is_cut_at_every_local_midnight() -> None:
    period = ReportPeriod(date(2026, 3, 28), date(2026, 3, 30), ZoneInfo("Europe/Stockholm"))
    bounds = midnights(period)
    assert [b - a for a, b in pairwise(bounds)] == [86400, 82800, 86400]
    segments = [(bounds[0], bounds[0] + 100_000, "Charging", "NoError", True),
                (bounds[0] + 100_000, bounds[-1], None, "", True)]  # fmt: skip
    days = cut_at_midnights(segments, bounds)
    assert [len(d) for d in days] == [1, 2, 1]
    assert days[1][0] == (bounds[1], bounds[0] + 100_000, "Charging", "NoError", True)
    assert sum(b - a for d in days for a, b, *_ in d) == bounds[-1] - bounds[0]


def _day(cid: int, day: date, stretches: tuple[float, ...], busy: int) -> ConnectorDay:
    hours = tuple(1.0 if busy >> h & 1 else 0.0 for h in range(HOURS))
    return ConnectorDay("A", cid, day, 0, 0, 0, 0, 0, 0, 0, hours, busy, stretches, (), None)


def test_a_scope_day_has_full_spells_only_where_every_connector_was_occupied() -> None:
    day = date(2026, 10, 24)
    refs = [ConnectorRef("A", 1), ConnectorRef("A", 2)]
    found = scope_days(
        [
            _day(1, day, (0.0, 50.0, 60.0, 100.0), 0b1),
            _day(2, day, (40.0, 70.0), 0b1),
            _day(1, day + timedelta(days=1), (200.0, 300.0), 0b10),
            _day(2, day + timedelta(days=1), (250.0, 260.0), 0b100),
        ],
        refs,
    )
    assert [d.spells for d in found] == [(40.0, 50.0, 60.0, 70.0), ()]
    assert found[0].hours[0] == 2.0
    # A day without a row for every connector has no full spell.
    assert scope_days([_day(1, day, (0.0, 10.0), 0b1)], refs)[0].spells == ()
