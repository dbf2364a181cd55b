"""Rolling raw meter samples up into 15-minute buckets without changing any report.

A rollup row stands for the samples of one series (station, connector,
transaction, measurand, unit, phase, location) in one 15-minute bucket aligned
to the epoch. It keeps what every report and graph needs, so the figures are
the same before and after:

* count, sum, min and max: the bucket's mean (sum ÷ count) and its peak;
* the first and the last sample, with their exact times: energy comes from
  register readings joined by straight lines, and the line between the last
  reading of one bucket and the first of the next is the same line as before.
  A report's bounds are local midnights, which always fall on a 15-minute
  boundary (every zone's offset is a multiple of 15 minutes), so no reading
  line inside a bucket is ever cut by a bound.

A sample's context (Sample.Periodic, Transaction.Begin …) and format are not kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.domain.errors import InvalidInput

ROLLUP_SECONDS = 900
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def bucket_start(t: datetime) -> datetime:
    seconds = (t - _EPOCH).total_seconds()
    return _EPOCH + timedelta(seconds=math.floor(seconds / ROLLUP_SECONDS) * ROLLUP_SECONDS)


def rollup_cutoff(now: datetime, keep_days: float) -> datetime:
    """Samples before this instant are rolled up: keep_days back, on a bucket boundary."""
    if keep_days < 1:
        raise InvalidInput("raw meter samples are kept for at least one day")
    return bucket_start(now - timedelta(days=keep_days))


@dataclass(frozen=True, slots=True)
class RawSample:
    station_id: str
    connector_id: int
    transaction_id: int | None
    at: datetime
    measurand: str
    unit: str
    phase: str | None
    location: str | None
    value: float


SeriesKey = tuple[str, int, int | None, datetime, str, str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Rollup:
    station_id: str
    connector_id: int
    transaction_id: int | None
    bucket_start: datetime
    measurand: str
    unit: str
    phase: str | None
    location: str | None
    samples: int
    total: float
    minimum: float
    maximum: float
    first_at: datetime
    first_value: float
    last_at: datetime
    last_value: float

    @property
    def mean(self) -> float:
        return self.total / self.samples


def roll_up(samples: Iterable[RawSample]) -> list[Rollup]:
    """One Rollup per series and bucket; ties in time keep the earlier-listed sample as
    first and the later-listed one as last (the store lists them by time, then id)."""
    groups: dict[SeriesKey, list[RawSample]] = {}
    for s in samples:
        key = (
            s.station_id,
            s.connector_id,
            s.transaction_id,
            bucket_start(s.at),
            s.measurand,
            s.unit,
            s.phase,
            s.location,
        )
        groups.setdefault(key, []).append(s)
    rollups = []
    for key, members in groups.items():
        values = [m.value for m in members]
        first = min(members, key=lambda m: m.at)
        last = max(reversed(members), key=lambda m: m.at)
        rollups.append(
            Rollup(
                *key,
                samples=len(members),
                total=math.fsum(values),
                minimum=min(values),
                maximum=max(values),
                first_at=first.at,
                first_value=first.value,
                last_at=last.at,
                last_value=last.value,
            )
        )
    return rollups
