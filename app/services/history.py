"""History for graphs and station detail: power and energy series, usage over time.

The store aggregates (per bucket, per day); app/domain/history.py turns the
aggregates into series by the rules written down there. Only small results
cross to the GUI: at most a few thousand numbers per series.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from app.domain.errors import InvalidInput
from app.domain.history import (
    BucketGrid,
    DailyEnergy,
    GraphsHistory,
    PowerHistory,
    PowerSeries,
    RegisterSpan,
    StatusChange,
    TransactionSpan,
    UsageSeries,
    bucket_width_for,
    daily_energy,
    day_bounds,
    usage_series,
)
from app.domain.history_columns import PowerColumns, PowerMark, PowerRead, merge_columns
from app.domain.history_power import power_series

MAX_DAYS = 366


class HistoryRepository(Protocol):
    """Implemented by app/store/repositories/history.py."""

    async def power_columns(
        self, grid: BucketGrid, since: tuple[BucketGrid, PowerMark] | None = None
    ) -> PowerRead: ...
    async def transaction_spans(self, start: datetime, end: datetime) -> list[TransactionSpan]: ...
    async def energy_by_slot(
        self, bounds: Sequence[datetime]
    ) -> tuple[list[TransactionSpan], list[RegisterSpan]]: ...
    async def status_changes(self, start: datetime, end: datetime) -> list[StatusChange]: ...
    async def connector_count(self) -> int: ...


def _check_range(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("history ranges need aware (UTC) times")
    if end <= start:
        raise InvalidInput("the end of a history range must come after its start")


class HistoryService:
    def __init__(self, repository: HistoryRepository) -> None:
        self._repo = repository
        # The last power read of each bucket width: a reload of the live range (which
        # has moved on by a few buckets) reads only the buckets that changed since.
        self._power: dict[int, tuple[BucketGrid, PowerColumns, PowerMark]] = {}

    @staticmethod
    def grid(start: datetime, end: datetime, width: int | None = None) -> BucketGrid:
        """The bucket grid a range is drawn on (width chosen from its length if not given)."""
        _check_range(start, end)
        return BucketGrid.covering(start, end, width or bucket_width_for(end - start))

    async def power_history(
        self, start: datetime, end: datetime, width: int | None = None
    ) -> PowerHistory:
        """Per-connector power aggregates and transaction spans: draw it, or continue it live."""
        grid = self.grid(start, end, width)
        columns, spans = await asyncio.gather(
            self._power_columns(grid),
            self._repo.transaction_spans(grid.start, grid.end),
        )
        return PowerHistory(grid, columns, tuple(spans))

    async def warm(self, end: datetime, span: timedelta) -> None:
        """Read the live range's power once ahead of the graphs view (the control room
        asks at start), so that its first load only adds the buckets since."""
        await self._power_columns(self.grid(end - span, end, bucket_width_for(span)))

    async def _power_columns(self, grid: BucketGrid) -> PowerColumns:
        """The grid's power columns: the previous read's buckets that are still as
        stored, and the rest read (the same columns as reading it all: the store's
        PowerMark says what changed, tests/integration/test_history_reload.py)."""
        previous = self._power.get(grid.width)
        since = None if previous is None else (previous[0], previous[2])
        read = await self._repo.power_columns(grid, since)
        columns = read.columns
        if read.first > 0 and previous is not None:
            old_grid, old_columns, _ = previous
            columns = merge_columns(
                old_grid.start_epoch, old_columns, grid.start_epoch, grid.width, read
            )
        if read.mark is None:
            self._power.pop(grid.width, None)
        else:
            self._power[grid.width] = (grid, columns, read.mark)
        return columns

    async def power_series(
        self, start: datetime, end: datetime, width: int | None = None
    ) -> PowerSeries:
        """Site and per-station power per bucket (see app/domain/history.py)."""
        return power_series(await self.power_history(start, end, width))

    async def energy_per_day(self, first: date, days: int, tz: tzinfo) -> DailyEnergy:
        """Energy delivered on each local day first … first+days-1, in Wh."""
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(f"ask for 1 to {MAX_DAYS} days of energy")
        bounds = day_bounds(first, days, tz)
        spans, registers = await self._repo.energy_by_slot(bounds)
        return daily_energy(first, bounds, spans, registers)

    async def connectors_in_use(
        self, start: datetime, end: datetime, width: int | None = None
    ) -> UsageSeries:
        """Peak number of occupied connectors per bucket."""
        grid = self.grid(start, end, width)
        changes, total = await asyncio.gather(
            self._repo.status_changes(grid.start, grid.end), self._repo.connector_count()
        )
        series = usage_series(grid, changes)
        return UsageSeries(series.grid, series.peak, max(total, series.connectors))

    async def graphs(
        self, start: datetime, end: datetime, days: int, tz: tzinfo, width: int | None = None
    ) -> GraphsHistory:
        """Everything the graphs view draws for a range, in one call."""
        last_day = end.astimezone(tz).date()
        power, energy, usage = await asyncio.gather(
            self.power_history(start, end, width),
            self.energy_per_day(last_day - timedelta(days=days - 1), days, tz),
            self.connectors_in_use(start, end, width),
        )
        return GraphsHistory(power, energy, usage)
