"""Usage and demand analytics (issue 7): the facts the store hands over, and the period.

Pure and stdlib-only. The reports are computed by the modules beside this one
(analytics_usage, analytics_demand, analytics_summary); docs/analytics.md says
what every figure means and how it is computed.

Times inside the arithmetic are epoch seconds (floats, UTC): a one-year report
folds hundreds of thousands of status reports, and floats are what keeps that
well under a second. Results hand out aware UTC datetimes again.

A report covers whole *local* days of the site's time zone, first … last
inclusive: it starts at local midnight of the first day and ends at local
midnight after the last, so a day of 23 or 25 hours (daylight saving time)
counts with its true length.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from app.domain.errors import InvalidInput

MAX_DAYS = 366
WEEKDAYS = 7
HOURS = 24
# Every time zone's offset is a multiple of 15 minutes: stepping by it finds each
# local hour's start exactly, whatever the offset and however DST shifts it.
_STEP = 900.0
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The status vocabulary (app.domain.model.ConnectorStatus values), as plain strings.
OCCUPIED = frozenset({"Preparing", "Charging", "SuspendedEV", "SuspendedEVSE", "Finishing"})
CHARGING = "Charging"
OUT_OF_SERVICE = frozenset({"Faulted", "Unavailable"})


def epoch(t: datetime) -> float:
    if t.tzinfo is None:
        raise InvalidInput("analytics needs aware (UTC) times")
    return (t - _EPOCH).total_seconds()


def instant(seconds: float) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """Local days first … last (inclusive) in zone."""

    first: date
    last: date
    zone: tzinfo

    def __post_init__(self) -> None:
        days = (self.last - self.first).days + 1
        if days < 1:
            raise InvalidInput("the last day of a report must not come before its first")
        if days > MAX_DAYS:
            raise InvalidInput(f"a report covers at most {MAX_DAYS} days")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.zone).astimezone(UTC)

    @property
    def start_at(self) -> datetime:
        return self.midnight(self.first)

    @property
    def end_at(self) -> datetime:
        return self.midnight(self.last + timedelta(days=1))

    @property
    def start(self) -> float:
        return epoch(self.start_at)

    @property
    def end(self) -> float:
        return epoch(self.end_at)


@dataclass(frozen=True, slots=True)
class HourGrid:
    """The period cut at every local hour: segment i is bounds[i]..bounds[i+1], which is
    local hour hours[i] of weekday weekdays[i] (0 = Monday). A spring-forward night has
    no 02–03 segment; a fall-back night has one 02–03 segment of two hours."""

    bounds: tuple[float, ...]
    weekdays: tuple[int, ...]
    hours: tuple[int, ...]

    @property
    def keys(self) -> list[int]:
        """The cell index (weekday*24 + hour) of each segment."""
        return [d * HOURS + h for d, h in zip(self.weekdays, self.hours, strict=True)]

    @classmethod
    def of(cls, period: ReportPeriod) -> HourGrid:
        bounds: list[float] = []
        weekdays: list[int] = []
        hours: list[int] = []
        previous: tuple[int, int] | None = None
        zone = period.zone
        day = period.first
        t = period.start
        for _ in range(period.days):
            day_end = epoch(period.midnight(day + timedelta(days=1)))
            same = zone.utcoffset(instant(t).astimezone(zone).replace(tzinfo=None))
            if day_end - t == 86_400.0 and same == zone.utcoffset(
                instant(day_end - _STEP).astimezone(zone).replace(tzinfo=None)
            ):
                # No offset change inside the day: its local hours start every 3,600 s.
                weekday = day.weekday()
                for hour in range(HOURS):
                    bounds.append(t + hour * 3600.0)
                    weekdays.append(weekday)
                    hours.append(hour)
                previous = (weekday, HOURS - 1)
                t = day_end
            else:
                while t < day_end:
                    local = instant(t).astimezone(zone)
                    cell = (local.weekday(), local.hour)
                    if cell != previous:
                        bounds.append(t)
                        weekdays.append(cell[0])
                        hours.append(cell[1])
                        previous = cell
                    t += _STEP
            day += timedelta(days=1)
        bounds.append(period.end)
        return cls(tuple(bounds), tuple(weekdays), tuple(hours))

    def split(self, a: float, b: float) -> Iterator[tuple[int, float]]:
        """(cell index weekday*24+hour, seconds) for the part of a..b in each segment."""
        bounds = self.bounds
        a, b = max(a, bounds[0]), min(b, bounds[-1])
        if b <= a:
            return
        i = bisect.bisect_right(bounds, a) - 1
        while i < len(bounds) - 1 and bounds[i] < b:
            lo, hi = max(a, bounds[i]), min(b, bounds[i + 1])
            if hi > lo:
                yield self.weekdays[i] * HOURS + self.hours[i], hi - lo
            i += 1

    def add(self, cells: list[float], keys: list[int], a: float, b: float) -> None:
        """cells[cell] += the seconds of a..b in it, for every cell a..b crosses (the hot
        loop of the heat map: no generator, one bisect)."""
        bounds = self.bounds
        a, b = max(a, bounds[0]), min(b, bounds[-1])
        if b <= a:
            return
        i = bisect.bisect_right(bounds, a) - 1
        while True:
            hi = bounds[i + 1]
            if b <= hi:
                cells[keys[i]] += b - a
                return
            cells[keys[i]] += hi - a
            a = hi
            i += 1

    def wall_seconds(self) -> list[float]:
        """Seconds of the period in each weekday × hour cell (index weekday*24+hour)."""
        cells = [0.0] * (WEEKDAYS * HOURS)
        for i in range(len(self.bounds) - 1):
            cells[self.weekdays[i] * HOURS + self.hours[i]] += self.bounds[i + 1] - self.bounds[i]
        return cells

    def cell_of(self, t: float) -> int | None:
        if not self.bounds[0] <= t < self.bounds[-1]:
            return None
        i = bisect.bisect_right(self.bounds, t) - 1
        return self.weekdays[i] * HOURS + self.hours[i]

    def segments_of(self, weekday: int, hour: int) -> list[tuple[float, float]]:
        """Every stretch of the period that is local `hour` on `weekday`."""
        return [
            (self.bounds[i], self.bounds[i + 1])
            for i in range(len(self.bounds) - 1)
            if self.weekdays[i] == weekday and self.hours[i] == hour
        ]


# ---- what the store hands over --------------------------------------------------------
# The many-row facts are named tuples: a year of a site is hundreds of thousands of
# them, and a tuple is built several times faster than a frozen dataclass.


class ConnectorRef(NamedTuple):
    station_id: str
    connector_id: int


class StatusReport(NamedTuple):
    """A connector's status from `at` on (the station's own time where it sent one)."""

    station_id: str
    connector_id: int
    at: float
    status: str
    error_code: str = "NoError"


class LinkChange(NamedTuple):
    """A station connected (online) or disconnected at `at`."""

    station_id: str
    at: float
    online: bool


class SessionFact(NamedTuple):
    """A transaction as the reports see it; ended_at None: still open."""

    id: int
    station_id: str
    connector_id: int
    id_tag: str
    started_at: float
    ended_at: float | None
    meter_start_wh: float
    meter_end_wh: float | None
    # The stored final price (session_charges.final), None when not (yet) priced.
    revenue_minor: int | None = None


class Reading(NamedTuple):
    """An energy register reading of a transaction (raw sample, or a rollup's first/last)."""

    transaction_id: int
    at: float
    wh: float


@dataclass(frozen=True, slots=True)
class ConnectorPeak:
    station_id: str
    connector_id: int
    watts: float


@dataclass(frozen=True, slots=True)
class PowerPeak:
    """The highest simultaneous power of a site: the 15-minute bucket from `at` in which
    the sum over connectors of each connector's mean power was highest."""

    at: datetime
    watts: float


@dataclass(frozen=True, slots=True)
class Authorisation:
    """A tag accepted at a station (an Authorize answered Accepted)."""

    station_id: str
    id_tag: str
    at: float


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """Everything one report reads for one site (or every station) and period."""

    site_id: int | None
    site_name: str
    connectors: tuple[ConnectorRef, ...]
    statuses: tuple[StatusReport, ...]
    links: tuple[LinkChange, ...]
    sessions: tuple[SessionFact, ...]
    readings: tuple[Reading, ...] = ()
    peaks: tuple[ConnectorPeak, ...] = ()
    site_peak: PowerPeak | None = None
    authorisations: tuple[Authorisation, ...] = ()
    connection_limit_w: int | None = None
