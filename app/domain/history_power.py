"""Power on the graphs: per-connector means with the gap rule, and their sums.

The rule is written down in app/domain/history.py (site and station power);
PowerAccumulator applies it to the store's buckets when a range loads (over
arrays, app/domain/history_columns.py) and to live samples after.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from app.domain.history import (
    BucketGrid,
    ConnectorKey,
    PowerBucket,
    PowerHistory,
    PowerSeries,
    StationPower,
    TransactionSpan,
    epoch,
)
from app.domain.history_columns import (
    ColumnsBuilder,
    PowerColumns,
    connector_values,
    ordered_sum,
    span_ids,
)


def power_columns(grid: BucketGrid, buckets: Iterable[PowerBucket]) -> PowerColumns:
    """Bucket rows as columns (what the store hands over), by PowerBucket.weight()."""
    builder = ColumnsBuilder(grid.count)
    for b in buckets:
        watts, readings = b.weight()
        builder.add(b.station_id, b.connector_id, b.index, watts, readings, b.last_at)
    return builder.build()


# ---- power: per-connector means with the gap rule ---------------------------------


class PowerAccumulator:
    """Folds store buckets, then live samples, into per-connector series and their sums.

    Incremental: a change to a connector recomputes that connector from the
    first bucket that changed and adjusts the sums by the difference, so a
    live tail over a thousand connectors costs little per second.
    """

    def __init__(self, grid: BucketGrid) -> None:
        self.grid = grid
        self._sum: dict[ConnectorKey, list[float]] = {}
        self._n: dict[ConnectorKey, list[int]] = {}
        self._out: dict[ConnectorKey, list[float]] = {}
        self._spans: dict[ConnectorKey, list[TransactionSpan]] = {}
        self._last_at: dict[ConnectorKey, datetime] = {}
        self._dirty: dict[ConnectorKey, int] = {}
        self.site: list[float] = [0.0] * grid.count
        self.stations: dict[str, list[float]] = {}

    @classmethod
    def from_history(cls, history: PowerHistory) -> PowerAccumulator:
        """Load a range at once: the same values as add_bucket for each bucket and
        settle (tests/unit/test_history_columns.py), computed over arrays."""
        import numpy as np

        acc = cls(history.grid)
        for span in history.spans:
            acc.add_span(span)
        columns, count = history.columns, acc.grid.count
        if not columns.keys:
            return acc
        sums, readings = columns.tables(count)
        spans = np.stack([span_ids(count, acc._span_bounds(key)) for key in columns.keys])
        out = connector_values(sums, readings, spans)
        by_station: dict[str, list[int]] = {}
        for k, key in enumerate(columns.keys):
            acc._sum[key] = sums[k].tolist()
            acc._n[key] = readings[k].tolist()
            acc._out[key] = out[k].tolist()
            acc._last_at[key] = columns.last_at[k]
            by_station.setdefault(key[0], []).append(k)
        for station_id, rows in by_station.items():
            acc.stations[station_id] = ordered_sum(out[rows], count).tolist()
        acc.site = ordered_sum(out, count).tolist()
        return acc

    @property
    def has_data(self) -> bool:
        return bool(self._sum)

    def _ensure(self, key: ConnectorKey) -> None:
        if key not in self._sum:
            n = self.grid.count
            self._sum[key] = [0.0] * n
            self._n[key] = [0] * n
            self._out[key] = [0.0] * n
            self.stations.setdefault(key[0], [0.0] * n)

    def _touch(self, key: ConnectorKey, index: int) -> None:
        self._dirty[key] = min(self._dirty.get(key, index), max(0, index))

    def add_bucket(self, bucket: PowerBucket) -> None:
        if not 0 <= bucket.index < self.grid.count or bucket.connector_id == 0:
            return
        key = (bucket.station_id, bucket.connector_id)
        watts, readings = bucket.weight()
        if readings == 0:
            return
        self._ensure(key)
        self._sum[key][bucket.index] += watts
        self._n[key][bucket.index] += readings
        previous = self._last_at.get(key)
        if previous is None or bucket.last_at > previous:
            self._last_at[key] = bucket.last_at
        self._touch(key, bucket.index)

    def add_sample(self, station_id: str, connector_id: int, at: datetime, watts: float) -> None:
        """A live reading; ignored if the store already had it (not newer than its last)."""
        key = (station_id, connector_id)
        last = self._last_at.get(key)
        if connector_id == 0 or (last is not None and at <= last):
            return
        index = min(self.grid.index_of(at), self.grid.count - 1)
        if index < 0:
            return
        self._ensure(key)
        self._sum[key][index] += watts
        self._n[key][index] += 1
        self._last_at[key] = at
        self._touch(key, index)

    def add_span(self, span: TransactionSpan) -> None:
        key = (span.station_id, span.connector_id)
        spans = self._spans.setdefault(key, [])
        spans[:] = [s for s in spans if s.id != span.id] + [span]
        spans.sort(key=lambda s: s.started_at)
        if key in self._sum:
            self._touch(key, self.grid.index_of(span.started_at))

    def close_span(self, transaction_id: int, key: ConnectorKey, ended_at: datetime) -> None:
        for span in self._spans.get(key, []):
            if span.id == transaction_id:
                self.add_span(
                    TransactionSpan(
                        span.id,
                        span.station_id,
                        span.connector_id,
                        span.started_at,
                        ended_at,
                        span.meter_start_wh,
                        span.meter_end_wh,
                    )
                )
                if key in self._sum:
                    self._touch(key, self.grid.index_of(ended_at))
                return

    def extend_to(self, end: datetime) -> int:
        """Grow the grid to cover end; returns how many buckets were added."""
        grown = BucketGrid.covering(self.grid.start, end, self.grid.width)
        added = grown.count - self.grid.count
        if added <= 0:
            return 0
        old = self.grid.count
        self.grid = grown
        for key in self._sum:
            self._sum[key].extend([0.0] * added)
            self._n[key].extend([0] * added)
            self._out[key].extend([0.0] * added)
            self._touch(key, old)
        for values in self.stations.values():
            values.extend([0.0] * added)
        self.site.extend([0.0] * added)
        return added

    def drop_before(self, start: datetime) -> None:
        """Forget whole buckets that end before start (the scrolled-out past)."""
        drop = self.grid.index_of(start)
        if drop <= 0:
            return
        drop = min(drop, self.grid.count)
        self.grid = BucketGrid(
            self.grid.start + timedelta(seconds=drop * self.grid.width),
            self.grid.width,
            self.grid.count - drop,
        )
        for table in (self._sum, self._n, self._out, self.stations):
            for values in table.values():
                del values[:drop]
        del self.site[:drop]
        self._dirty = {k: max(0, i - drop) for k, i in self._dirty.items()}

    def _span_bounds(self, key: ConnectorKey) -> list[tuple[int, int, int]]:
        """(id, first bucket, last bucket) of each of the connector's spans, oldest first."""
        count = self.grid.count
        return [
            (
                span.id,
                self.grid.index_of(span.started_at),
                count - 1
                if span.ended_at is None
                else math.ceil((epoch(span.ended_at) - self.grid.start_epoch) / self.grid.width)
                - 1,
            )
            for span in self._spans.get(key, [])
        ]

    def _span_ids(self, key: ConnectorKey, first: int) -> list[int | None]:
        """For each bucket from first on: the id of the newest transaction overlapping it."""
        count = self.grid.count
        ids: list[int | None] = [None] * (count - first)
        for span in self._spans.get(key, []):
            lo = max(first, self.grid.index_of(span.started_at))
            hi = (
                count - 1
                if span.ended_at is None
                else min(
                    count - 1,
                    math.ceil((epoch(span.ended_at) - self.grid.start_epoch) / self.grid.width) - 1,
                )
            )
            for i in range(lo, hi + 1):
                ids[i - first] = span.id
        return ids

    def settle(self) -> bool:
        """Recompute what changed; True if any value moved."""
        if not self._dirty:
            return False
        dirty, self._dirty = self._dirty, {}
        for key, first in dirty.items():
            self._recompute(key, min(first, self.grid.count))
        return True

    def _recompute(self, key: ConnectorKey, first: int) -> None:
        sums, ns, out = self._sum[key], self._n[key], self._out[key]
        station = self.stations[key[0]]
        span_ids = self._span_ids(key, max(0, first - 1))
        offset = max(0, first - 1)
        carry: float | None = None
        carry_span: int | None = None
        if first > 0:
            # What the bucket before first left behind (its own span decides).
            carry = out[first - 1]
            carry_span = span_ids[0]
        for i in range(first, self.grid.count):
            span_id = span_ids[i - offset]
            if ns[i]:
                value = sums[i] / ns[i]
                carry, carry_span = value, span_id
            elif span_id is not None and span_id == carry_span and carry is not None:
                value = carry
            else:
                value, carry, carry_span = 0.0, None, None
            delta = value - out[i]
            if delta:
                out[i] = value
                self.site[i] += delta
                station[i] += delta

    def connector(self, key: ConnectorKey) -> list[float]:
        return self._out[key]

    def series(self) -> PowerSeries:
        self.settle()
        if not self.has_data:
            return PowerSeries(self.grid, (), ())
        return PowerSeries(
            self.grid,
            tuple(self.site),
            tuple(StationPower(s, tuple(v)) for s, v in sorted(self.stations.items())),
        )


def power_series(history: PowerHistory) -> PowerSeries:
    return PowerAccumulator.from_history(history).series()
