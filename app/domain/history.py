"""History for the graphs: what each series means, and the arithmetic behind it.

Pure (stdlib; numpy only in app/domain/history_columns.py, for loading a
range at once), so the same rules serve the store's aggregates (via
app/services/history.py) and the live tail the control room folds from
events. Times are aware UTC; local time matters only for the day boundaries
of the energy series, which the caller passes in.

Definitions (docs: the report of issue 3 and the docstrings below):

* **Site power** of a bucket = Σ over connectors (connector 0, the station's
  main meter, excluded so nothing is counted twice) of that connector's
  *mean* active import power over the samples in the bucket. A connector
  that sent no sample in a bucket keeps its previous value only while the
  same transaction is still open on it; otherwise it counts 0 W. Applied by
  PowerAccumulator (app/domain/history_power.py).
* **Station power**: the same sum over one station's connectors.
* **Energy per day**: each transaction's meter readings (meter start, the
  energy register samples, meter stop) are joined by straight lines, and
  each step's energy is split over local days in proportion to time. A
  session across midnight is therefore split at midnight (exactly, up to the
  sampling interval), and the days add up to the session energy.
* **Connectors in use**: the peak number of connectors in an occupied status
  (Preparing, Charging, SuspendedEV/EVSE, Finishing) at any moment within
  each bucket, ordered by the station's own time of each report.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise

from app.domain.history_columns import (
    PowerColumns,
)
from app.domain.model import OCCUPIED_STATUSES, ConnectorStatus

ConnectorKey = tuple[str, int]

# Bucket widths that read well on a time axis, smallest first.
NICE_WIDTHS = (10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)
MAX_POINTS = 800
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch(t: datetime) -> float:
    return (t - _EPOCH).total_seconds()


def from_epoch(seconds: float) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


def bucket_width_for(span: timedelta, max_points: int = MAX_POINTS) -> int:
    """The smallest nice width giving at most max_points buckets over span.

    1 h → 10 s, 24 h → 2 min, 7 d → 15 min, 30 d → 1 h with the default.
    """
    seconds = span.total_seconds()
    for width in NICE_WIDTHS:
        if seconds / width <= max_points:
            return width
    return NICE_WIDTHS[-1]


@dataclass(frozen=True, slots=True)
class BucketGrid:
    """Equal buckets [start + i·width, start + (i+1)·width), aligned to the epoch."""

    start: datetime
    width: int
    count: int

    @classmethod
    def covering(cls, start: datetime, end: datetime, width: int) -> BucketGrid:
        first = math.floor(epoch(start) / width) * width
        last = math.ceil(epoch(end) / width) * width
        return cls(from_epoch(first), width, max(0, int((last - first) // width)))

    @property
    def start_epoch(self) -> float:
        return epoch(self.start)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.width * self.count)

    def index_of(self, t: datetime) -> int:
        """The bucket holding t (may lie outside 0..count-1)."""
        return math.floor((epoch(t) - self.start_epoch) / self.width)

    def starts(self) -> list[float]:
        """Bucket starts in epoch seconds (what a pyqtgraph DateAxisItem expects)."""
        s = self.start_epoch
        return [s + i * self.width for i in range(self.count)]

    def edges(self) -> list[float]:
        s = self.start_epoch
        return [s + i * self.width for i in range(self.count + 1)]


# ---- what the store hands over (aggregated in SQL) ---------------------------------


@dataclass(frozen=True, slots=True)
class PowerBucket:
    """One connector's power samples in one bucket, summed in SQL.

    total_*: samples without a phase (the connector's total). phase_*: the
    per-phase samples, with the number of distinct instants they came at, for
    chargers that only report per phase.
    """

    station_id: str
    connector_id: int
    index: int
    total_sum: float
    total_count: int
    phase_sum: float
    phase_instants: int
    last_at: datetime

    def weight(self) -> tuple[float, int]:
        """(sum of watts, number of readings) to average over."""
        if self.total_count:
            return self.total_sum, self.total_count
        return self.phase_sum, self.phase_instants


@dataclass(frozen=True, slots=True)
class TransactionSpan:
    """A transaction as far as the graphs care; ended_at None means still open."""

    id: int
    station_id: str
    connector_id: int
    started_at: datetime
    ended_at: datetime | None
    meter_start_wh: float
    meter_end_wh: float | None


@dataclass(frozen=True, slots=True)
class RegisterSpan:
    """The first and last energy register reading of one transaction in one slot."""

    transaction_id: int
    slot: int
    first_at: datetime
    first_wh: float
    last_at: datetime
    last_wh: float


@dataclass(frozen=True, slots=True)
class StatusChange:
    station_id: str
    connector_id: int
    at: datetime
    status: str

    @property
    def occupied(self) -> bool:
        try:
            return ConnectorStatus(self.status) in OCCUPIED_STATUSES
        except ValueError:
            return False


# ---- read models ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PowerHistory:
    """The store's aggregates for a range: enough to draw it and to continue it live."""

    grid: BucketGrid
    columns: PowerColumns
    spans: tuple[TransactionSpan, ...]


@dataclass(frozen=True, slots=True)
class StationPower:
    station_id: str
    watts: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class PowerSeries:
    """Site and per-station power on a grid; empty when nothing was measured."""

    grid: BucketGrid
    site_w: tuple[float, ...]
    stations: tuple[StationPower, ...]

    @property
    def is_empty(self) -> bool:
        return not self.stations

    def station(self, station_id: str) -> tuple[float, ...]:
        for s in self.stations:
            if s.station_id == station_id:
                return s.watts
        raise KeyError(station_id)


@dataclass(frozen=True, slots=True)
class LastReading:
    transaction_id: int
    at: datetime
    wh: float


@dataclass(frozen=True, slots=True)
class DailyEnergy:
    """Energy delivered per local day; bounds[i]..bounds[i+1] is days[i] in UTC."""

    days: tuple[date, ...]
    bounds: tuple[datetime, ...]
    energy_wh: tuple[float, ...]
    # Where each transaction still open stood, so a live tail adds only what is new.
    open_readings: tuple[LastReading, ...] = ()
    # Transactions counted to their stop: their events, however late they arrive,
    # are already in energy_wh.
    closed_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class UsageSeries:
    """Peak number of connectors in use per bucket; empty without any status history."""

    grid: BucketGrid
    peak: tuple[int, ...]
    connectors: int

    @property
    def is_empty(self) -> bool:
        return not self.peak


@dataclass(frozen=True, slots=True)
class GraphsHistory:
    power: PowerHistory
    energy: DailyEnergy
    usage: UsageSeries


# ---- energy per local day ------------------------------------------------------


def day_bounds(first: date, days: int, tz: tzinfo) -> list[datetime]:
    """UTC instants of local midnights: first day's start … last day's end (days+1)."""
    return [
        datetime.combine(first + timedelta(days=i), time(0), tzinfo=tz).astimezone(UTC)
        for i in range(days + 1)
    ]


def split_over_bounds(
    bounds: Sequence[datetime], a_at: datetime, a_wh: float, b_at: datetime, b_wh: float
) -> list[tuple[int, float]]:
    """Share the energy between two readings among the slots it crosses, by time.

    Slot i is bounds[i]..bounds[i+1]; energy outside the bounds is dropped. A
    falling register (a meter replaced or reset) delivers nothing.
    """
    energy = b_wh - a_wh
    if energy <= 0 or len(bounds) < 2:
        return []
    if b_at <= a_at:
        slot = _slot_of(bounds, b_at)
        return [(slot, energy)] if 0 <= slot < len(bounds) - 1 else []
    length = (b_at - a_at).total_seconds()
    shares = []
    # Only the slots the step can overlap (bounds ascend): a week of sessions, each
    # in one or two days, need not be compared with every day.
    first = max(0, bisect_right(bounds, a_at) - 1)
    last = min(len(bounds) - 1, bisect_left(bounds, b_at))
    for i in range(first, last):
        lo, hi = max(a_at, bounds[i]), min(b_at, bounds[i + 1])
        if hi > lo:
            shares.append((i, energy * (hi - lo).total_seconds() / length))
    return shares


def _slot_of(bounds: Sequence[datetime], t: datetime) -> int:
    """-1 before the first bound, len(bounds)-1 at or after the last."""
    for i, bound in enumerate(bounds):
        if t < bound:
            return i - 1
    return len(bounds) - 1


def transaction_readings(
    span: TransactionSpan, registers: Iterable[RegisterSpan]
) -> list[tuple[datetime, float]]:
    """The readings a transaction's energy line is drawn through, in time order."""
    points = [(span.started_at, span.meter_start_wh)]
    for r in registers:
        points.append((r.first_at, r.first_wh))
        points.append((r.last_at, r.last_wh))
    if span.ended_at is not None and span.meter_end_wh is not None:
        points.append((span.ended_at, span.meter_end_wh))
    points.sort(key=lambda p: p[0])
    return points


def daily_energy(
    first: date,
    bounds: Sequence[datetime],
    spans: Sequence[TransactionSpan],
    registers: Sequence[RegisterSpan],
) -> DailyEnergy:
    days = len(bounds) - 1
    energy = [0.0] * days
    by_tx: dict[int, list[RegisterSpan]] = {}
    for r in registers:
        by_tx.setdefault(r.transaction_id, []).append(r)
    open_readings = []
    closed_ids = set()
    for span in spans:
        points = transaction_readings(span, by_tx.get(span.id, ()))
        for (a_at, a_wh), (b_at, b_wh) in pairwise(points):
            for slot, wh in split_over_bounds(bounds, a_at, a_wh, b_at, b_wh):
                energy[slot] += wh
        if span.ended_at is None:
            at, wh = points[-1]
            open_readings.append(LastReading(span.id, at, wh))
        else:
            closed_ids.add(span.id)
    return DailyEnergy(
        tuple(first + timedelta(days=i) for i in range(days)),
        tuple(bounds),
        tuple(energy),
        tuple(open_readings),
        frozenset(closed_ids),
    )


# ---- connectors in use --------------------------------------------------------------


def usage_series(grid: BucketGrid, changes: Sequence[StatusChange]) -> UsageSeries:
    """Peak occupied connectors per bucket; changes include each connector's state
    at grid start (its last report before it), in any order."""
    if not changes:
        return UsageSeries(grid, (), 0)
    ordered = sorted(changes, key=lambda c: c.at)
    occupied: dict[ConnectorKey, bool] = {}
    count = 0
    peak = [0] * grid.count
    position = 0
    for i in range(grid.count):
        bucket_start = grid.start + timedelta(seconds=i * grid.width)
        bucket_end = bucket_start + timedelta(seconds=grid.width)
        best = count
        while position < len(ordered) and ordered[position].at < bucket_end:
            change = ordered[position]
            key = (change.station_id, change.connector_id)
            now = change.occupied
            if occupied.get(key, False) != now:
                count += 1 if now else -1
                occupied[key] = now
            # A change at (or before) the bucket's start replaces the state it began with.
            best = count if change.at <= bucket_start else max(best, count)
            position += 1
        peak[i] = best
    return UsageSeries(grid, tuple(peak), len({(c.station_id, c.connector_id) for c in changes}))
