"""Rolling samples up: one row per series and 15-minute bucket, with what reports need."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.analytics_rollup import RawSample, bucket_start, roll_up, rollup_cutoff
from app.domain.errors import InvalidInput

T0 = datetime(2026, 3, 29, 0, 50, tzinfo=UTC)


def sample(minutes: float, value: float, measurand: str = "Power.Active.Import") -> RawSample:
    unit = "W" if measurand.startswith("Power") else "Wh"
    return RawSample("A", 1, 7, T0 + timedelta(minutes=minutes), measurand, unit, None, None, value)


def test_buckets_are_15_minutes_on_the_epoch() -> None:
    assert bucket_start(datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)) == datetime(
        2026, 3, 29, 0, 45, tzinfo=UTC
    )
    assert rollup_cutoff(datetime(2026, 5, 1, 10, 7, tzinfo=UTC), 30) == datetime(
        2026, 4, 1, 10, 0, tzinfo=UTC
    )
    with pytest.raises(InvalidInput):
        rollup_cutoff(T0, 0)


def test_mean_peak_and_the_first_and_last_reading_survive() -> None:
    samples = [sample(m, 1000.0 * (m + 1)) for m in range(12)]  # 00:50 … 01:01
    samples += [sample(m, 5000.0 + m, "Energy.Active.Import.Register") for m in range(12)]
    rollups = {(r.bucket_start.minute, r.measurand.split(".")[0]): r for r in roll_up(samples)}
    assert sorted(rollups) == [(0, "Energy"), (0, "Power"), (45, "Energy"), (45, "Power")]
    early = rollups[(45, "Power")]  # 00:50 … 00:59: values 1000 … 10000
    assert (early.samples, early.total, early.minimum, early.maximum) == (10, 55000.0, 1000, 10000)
    assert early.mean == 5500.0
    late = rollups[(0, "Energy")]  # 01:00, 01:01
    assert (late.first_at, late.first_value) == (T0 + timedelta(minutes=10), 5010.0)
    assert (late.last_at, late.last_value) == (T0 + timedelta(minutes=11), 5011.0)


def test_samples_at_one_instant_keep_their_listed_order() -> None:
    rollup = roll_up([sample(0, 1.0), sample(0, 2.0), sample(0, 3.0)])[0]
    assert (rollup.first_value, rollup.last_value) == (1.0, 3.0)
