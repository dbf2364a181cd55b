"""The power rule of app/domain/history.py over whole arrays, for loading a range.

A 24 h graph starts from some 17,000 per-connector buckets; folding them one
by one in Python (PowerAccumulator.add_bucket, then settle) costs more than
reading them. This computes the same per-connector values, bucket for bucket
and bit for bit, with numpy:

* a bucket with readings is its mean (sum / readings, the same IEEE division);
* an empty bucket keeps the value of the last bucket with readings if every
  bucket since (itself included) lies in the same transaction, the newest one
  overlapping each bucket, as in PowerAccumulator._span_ids; otherwise 0 W.

Station and site sums are added connector by connector in the given order,
as the accumulator adds them, so the float sums are the same too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int64]

# numpy is imported where it is used: the engine and the window start without it
# (docs/performance.md, cold start); it comes in with the first graph.
NO_SPAN = -(2**63)


def span_ids(count: int, spans: Sequence[tuple[int, int, int]]) -> IntArray:
    """For each bucket, the id of the newest span overlapping it (NO_SPAN for none).

    spans: (id, first bucket, last bucket), oldest start first; later ones win.
    """
    import numpy as np

    ids = np.full(count, NO_SPAN, dtype=np.int64)
    for span_id, lo, hi in spans:
        lo, hi = max(0, lo), min(count - 1, hi)
        if hi >= lo:
            ids[lo : hi + 1] = span_id
    return ids


def connector_values(sums: FloatArray, readings: IntArray, spans: IntArray) -> FloatArray:
    """Per-connector watts per bucket (rows: connectors, columns: buckets)."""
    import numpy as np

    has = readings > 0
    mean = np.zeros_like(sums)
    np.divide(sums, readings, out=mean, where=has)
    count = sums.shape[1]
    if count == 0:
        return mean
    positions = np.broadcast_to(np.arange(count, dtype=np.int64), sums.shape)
    # The last bucket with readings at or before each bucket (-1: none yet).
    last = np.maximum.accumulate(np.where(has, positions, -1), axis=1)
    safe_last = np.maximum(last, 0)
    # Runs of consecutive buckets in the same span: a carry survives only inside one.
    changes = np.zeros(sums.shape, dtype=np.int64)
    changes[:, 1:] = spans[:, 1:] != spans[:, :-1]
    run = np.cumsum(changes, axis=1)
    carried = (last >= 0) & (spans != NO_SPAN) & (run == np.take_along_axis(run, safe_last, axis=1))
    carry = np.take_along_axis(mean, safe_last, axis=1)
    return np.where(has, mean, np.where(carried, carry, 0.0))


def ordered_sum(rows: FloatArray, count: int) -> FloatArray:
    """rows[0] + rows[1] + … per bucket, in that order (not numpy's pairwise sum)."""
    import numpy as np

    total = np.zeros(count, dtype=np.float64)
    for row in rows:
        total += row
    return total


@dataclass(frozen=True, slots=True)
class PowerColumns:
    """The store's power buckets as columns, one entry per (connector, bucket).

    Only buckets inside the grid with readings, of connectors > 0: watts and
    readings are what PowerBucket.weight() gives (the total's samples, else the
    phases' instants). keys are the connectors in the order they first appear;
    last_at[k] is the newest sample of keys[k] (a live reading not newer is
    already counted).
    """

    keys: tuple[tuple[str, int], ...]
    last_at: tuple[datetime, ...]
    key: tuple[int, ...]
    index: tuple[int, ...]
    watts: tuple[float, ...]
    readings: tuple[int, ...]

    @classmethod
    def empty(cls) -> PowerColumns:
        return cls((), (), (), (), (), ())

    def __len__(self) -> int:
        return len(self.key)

    def tables(self, count: int) -> tuple[FloatArray, IntArray]:
        """(sums, readings) per connector (rows, in keys order) and bucket."""
        import numpy as np

        sums = np.zeros((len(self.keys), count), dtype=np.float64)
        readings = np.zeros((len(self.keys), count), dtype=np.int64)
        if self.key:
            rows = np.asarray(self.key, dtype=np.int64)
            cols = np.asarray(self.index, dtype=np.int64)
            # Unbuffered, in order: a bucket given twice adds up as the accumulator does.
            np.add.at(sums, (rows, cols), np.asarray(self.watts, dtype=np.float64))
            np.add.at(readings, (rows, cols), np.asarray(self.readings, dtype=np.int64))
        return sums, readings


class ColumnsBuilder:
    """Collects bucket rows into PowerColumns (what the store and tests use)."""

    def __init__(self, count: int) -> None:
        self._count = count
        self._positions: dict[tuple[str, int], int] = {}
        self._last: list[Any] = []
        self.key: list[int] = []
        self.index: list[int] = []
        self.watts: list[float] = []
        self.readings: list[int] = []

    def add(
        self,
        station_id: str,
        connector_id: int,
        index: int,
        watts: float,
        readings: int,
        last_at: Any,
    ) -> None:
        """One bucket; last_at may be any value ordered like time (stored text on SQLite)."""
        if readings == 0 or connector_id == 0 or not 0 <= index < self._count:
            return
        key = (station_id, connector_id)
        k = self._positions.get(key)
        if k is None:
            k = self._positions[key] = len(self._last)
            self._last.append(last_at)
        elif last_at > self._last[k]:
            self._last[k] = last_at
        self.key.append(k)
        self.index.append(index)
        self.watts.append(watts)
        self.readings.append(readings)

    def build(self, as_time: Callable[[Any], datetime] = lambda t: t) -> PowerColumns:
        return PowerColumns(
            tuple(self._positions),
            tuple(as_time(t) for t in self._last),
            tuple(self.key),
            tuple(self.index),
            tuple(self.watts),
            tuple(self.readings),
        )


# ---- reading only what changed since the previous load ---------------------------


@dataclass(frozen=True, slots=True)
class PowerMark:
    """Where a read of a grid stood: every meter sample with an id up to sample_id was
    in the store, and `samples` of them fell in the grid's range (a later count that
    differs means some were deleted: read it all again)."""

    sample_id: int
    samples: int


@dataclass(frozen=True, slots=True)
class PowerRead:
    """The store's answer: columns for buckets first… of the grid (0: all of it);
    mark None where the store cannot say what is new (then nothing is kept)."""

    columns: PowerColumns
    first: int
    mark: PowerMark | None


def merge_columns(
    old_start_epoch: float, old: PowerColumns, grid_start_epoch: float, width: int, read: PowerRead
) -> PowerColumns:
    """The previous read's buckets before read.first, then the new read's: the columns
    a read of the whole grid gives (connectors in (station, connector) order, each
    one's buckets in order), as tests/integration/test_history_reload.py checks."""
    import numpy as np

    fresh, first = read.columns, read.first
    shift = round((grid_start_epoch - old_start_epoch) / width)
    old_index = np.asarray(old.index, dtype=np.int64) - shift
    kept = (old_index >= 0) & (old_index < first)
    old_key = np.asarray(old.key, dtype=np.int64)[kept]
    kept_keys = {old.keys[k] for k in np.unique(old_key).tolist()}
    keys = sorted(kept_keys | set(fresh.keys))
    position = {key: i for i, key in enumerate(keys)}
    old_map = np.asarray([position.get(key, -1) for key in old.keys], dtype=np.int64)
    fresh_map = np.asarray([position[key] for key in fresh.keys], dtype=np.int64)
    key = np.concatenate([old_map[old_key], fresh_map[np.asarray(fresh.key, dtype=np.int64)]])
    index = np.concatenate([old_index[kept], np.asarray(fresh.index, dtype=np.int64)])
    watts = np.concatenate(
        [np.asarray(old.watts, dtype=np.float64)[kept], np.asarray(fresh.watts, np.float64)]
    )
    readings = np.concatenate(
        [np.asarray(old.readings, dtype=np.int64)[kept], np.asarray(fresh.readings, np.int64)]
    )
    order = np.lexsort((index, key))
    # A connector's newest sample: the new read's, else the previous one's (a sample
    # in a bucket read again is read again, so the newer of the two is right).
    last: dict[tuple[str, int], datetime] = {}
    for k, at in zip(old.keys, old.last_at, strict=True):
        if k in kept_keys:
            last[k] = at
    for k, at in zip(fresh.keys, fresh.last_at, strict=True):
        last[k] = max(at, last[k]) if k in last else at
    return PowerColumns(
        tuple(keys),
        tuple(last[k] for k in keys),
        tuple(key[order].tolist()),
        tuple(index[order].tolist()),
        tuple(watts[order].tolist()),
        tuple(readings[order].tolist()),
    )
