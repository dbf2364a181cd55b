"""Live tails of the history graphs: events folded into what the store gave.

The control room loads a range from app/services/history.py, then keeps it
current from MeterValuesReceived, TransactionStarted/Stopped and the live
connector statuses, by the same rules as app/domain/history.py, so the
live part of a graph matches what a reload would show.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.domain.history import BucketGrid, DailyEnergy, UsageSeries, split_over_bounds
from app.domain.metering import ENERGY_REGISTER
from app.domain.model import MeterSample

POWER = "Power.Active.Import"
_PHASES = ("L1", "L2", "L3", "L1-N", "L2-N", "L3-N")


def power_readings(samples: Iterable[MeterSample]) -> list[tuple[datetime, float]]:
    """One active import power per instant: the total, else the sum of the phases."""
    total: dict[datetime, float] = {}
    phases: dict[datetime, float] = {}
    for s in samples:
        if s.measurand != POWER or s.unit != "W" or s.location not in (None, "Outlet"):
            continue
        if s.phase is None:
            total[s.timestamp] = s.value
        elif s.phase in _PHASES:
            phases[s.timestamp] = phases.get(s.timestamp, 0.0) + s.value
    return sorted({**phases, **total}.items())


def register_readings(samples: Iterable[MeterSample]) -> list[tuple[datetime, float]]:
    """The overall energy register readings (Wh), in time order."""
    return sorted(
        (s.timestamp, s.value)
        for s in samples
        if s.measurand == ENERGY_REGISTER
        and s.phase is None
        and s.unit == "Wh"
        and s.location in (None, "Outlet")
    )


class EnergyTally:
    """Energy per local day, continued from the store with live register readings."""

    def __init__(self, energy: DailyEnergy) -> None:
        self.days = list(energy.days)
        self.bounds = list(energy.bounds)
        self.energy_wh = list(energy.energy_wh)
        self._last: dict[int, tuple[datetime, float]] = {
            r.transaction_id: (r.at, r.wh) for r in energy.open_readings
        }
        # Events published before the store was read can arrive after it: the
        # ones of a transaction the store counted to its stop add nothing.
        self._counted = energy.closed_ids

    def started(self, transaction_id: int, at: datetime, meter_start: float) -> None:
        if transaction_id not in self._counted:
            self._last.setdefault(transaction_id, (at, meter_start))

    def reading(self, transaction_id: int, at: datetime, wh: float) -> bool:
        """Add what was delivered since the transaction's previous reading; True if any."""
        if transaction_id in self._counted:
            return False
        previous = self._last.get(transaction_id)
        if previous is None or at <= previous[0]:
            if previous is None:
                self._last[transaction_id] = (at, wh)
            return False
        self._last[transaction_id] = (at, wh)
        shares = split_over_bounds(self.bounds, previous[0], previous[1], at, wh)
        for slot, share in shares:
            self.energy_wh[slot] += share
        return bool(shares)

    def stopped(self, transaction_id: int, at: datetime, meter_stop: float) -> bool:
        added = self.reading(transaction_id, at, meter_stop)
        self._last.pop(transaction_id, None)
        return added

    def roll_to(self, today: date, tz: tzinfo) -> bool:
        """Start a new day when local midnight passes (the oldest day drops off)."""
        moved = False
        while self.days and self.days[-1] < today:
            nxt = self.days[-1] + timedelta(days=1)
            self.days = [*self.days[1:], nxt]
            self.bounds = [
                *self.bounds[1:],
                datetime.combine(nxt + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC),
            ]
            self.energy_wh = [*self.energy_wh[1:], 0.0]
            moved = True
        return moved


class UsageTally:
    """Connectors in use per bucket, continued live from the current count."""

    def __init__(self, usage: UsageSeries) -> None:
        self.grid = usage.grid
        self.peak = list(usage.peak) or [0] * usage.grid.count
        self.connectors = usage.connectors
        self._current = self.peak[-1] if self.peak else 0

    def extend_to(self, end: datetime) -> int:
        grown = BucketGrid.covering(self.grid.start, end, self.grid.width)
        added = grown.count - self.grid.count
        if added > 0:
            self.grid = grown
            self.peak.extend([self._current] * added)
        return max(0, added)

    def drop_before(self, start: datetime) -> None:
        drop = min(self.grid.index_of(start), self.grid.count)
        if drop > 0:
            self.grid = BucketGrid(
                self.grid.start + timedelta(seconds=drop * self.grid.width),
                self.grid.width,
                self.grid.count - drop,
            )
            del self.peak[:drop]

    def observe(self, at: datetime, in_use: int, connectors: int) -> bool:
        """The count right now; True if the series changed."""
        self._current = in_use
        self.connectors = max(self.connectors, connectors)
        index = min(self.grid.index_of(at), self.grid.count - 1)
        if index < 0 or self.peak[index] >= in_use:
            return False
        self.peak[index] = in_use
        return True
