"""Loading a range over arrays (PowerAccumulator.from_history) gives, bit for bit,
what folding each store bucket (add_bucket, then settle) gave before."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.history import (
    BucketGrid,
    PowerBucket,
    PowerHistory,
    TransactionSpan,
)
from app.domain.history_power import PowerAccumulator, power_columns

T0 = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)


def folded(history: PowerHistory, buckets: list[PowerBucket]) -> PowerAccumulator:
    """The previous path: one bucket at a time."""
    acc = PowerAccumulator(history.grid)
    for span in history.spans:
        acc.add_span(span)
    for bucket in buckets:
        acc.add_bucket(bucket)
    acc.settle()
    return acc


def crafted(seed: int) -> tuple[BucketGrid, list[PowerBucket], list[TransactionSpan]]:
    rnd = random.Random(seed)
    grid = BucketGrid.covering(T0, T0 + timedelta(hours=24), 120)
    keys = [(f"ST-{s:02d}", c) for s in range(6) for c in (0, 1, 2)]
    rnd.shuffle(keys)
    buckets, spans = [], []
    tx = 0
    for sid, cid in keys:
        t = T0 - timedelta(hours=2)
        while t < T0 + timedelta(hours=25):
            tx += 1
            length = timedelta(minutes=rnd.randint(1, 180))
            open_ = rnd.random() < 0.1 and t > T0 + timedelta(hours=20)
            spans.append(TransactionSpan(tx, sid, cid, t, None if open_ else t + length, 0.0, None))
            if rnd.random() < 0.3:  # a session overlapping it on the same connector
                tx += 1
                inner = t + length / 3
                spans.append(TransactionSpan(tx, sid, cid, inner, inner + length / 4, 0.0, None))
            # Back to back now and then: a carry must stop where the next session starts.
            t += length + timedelta(minutes=rnd.choice((0, 0, rnd.randint(1, 240))))
        for index in range(-3, grid.count + 3):
            if rnd.random() < 0.7:  # silent buckets: carried or 0
                continue
            total_n = rnd.choice((0, 0, 1, 2, 3))
            phase_n = rnd.choice((0, 1, 2))
            last = grid.start + timedelta(seconds=index * 120 + rnd.randint(0, 119))
            buckets.append(
                PowerBucket(
                    sid,
                    cid,
                    index,
                    sum(rnd.uniform(0, 22000) for _ in range(total_n)),
                    total_n,
                    sum(rnd.uniform(0, 7400) for _ in range(phase_n * 3)),
                    phase_n,
                    last,
                )
            )
    rnd.shuffle(spans)
    spans.sort(key=lambda s: s.started_at)
    return grid, buckets, spans


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_array_path_gives_the_same_series_bit_for_bit(seed: int) -> None:
    grid, buckets, spans = crafted(seed)
    history = PowerHistory(grid, power_columns(grid, buckets), tuple(spans))
    old, new = folded(history, buckets), PowerAccumulator.from_history(history)
    assert old.series() == new.series()  # float == float: the very same values
    assert old.site == new.site
    assert old.stations == new.stations
    for key in old._sum:
        assert old.connector(key) == new.connector(key)
    assert old._last_at == new._last_at
    assert set(old._sum) == set(new._sum)


def test_both_paths_continue_alike_with_live_samples() -> None:
    grid, buckets, spans = crafted(7)
    history = PowerHistory(grid, power_columns(grid, buckets), tuple(spans))
    old, new = folded(history, buckets), PowerAccumulator.from_history(history)
    end = grid.end + timedelta(minutes=30)
    for acc in (old, new):
        acc.extend_to(end)
        acc.add_sample("ST-01", 1, grid.end + timedelta(minutes=3), 7000.5)
        acc.add_sample("ST-02", 2, grid.end - timedelta(minutes=1), 3000.25)
        acc.add_sample("ST-03", 1, grid.end + timedelta(minutes=7), 11000.0)
        acc.drop_before(grid.start + timedelta(hours=1))
    assert old.series() == new.series()


def test_a_connector_with_buckets_only_outside_the_grid_is_not_shown() -> None:
    grid = BucketGrid.covering(T0, T0 + timedelta(hours=1), 600)
    outside = PowerBucket("S", 1, grid.count, 5000.0, 1, 0.0, 0, grid.end)
    silent = PowerBucket("S", 2, 0, 0.0, 0, 0.0, 0, T0)  # readings of no use: none
    meter = PowerBucket("S", 0, 0, 9000.0, 1, 0.0, 0, T0)  # the station's own meter
    history = PowerHistory(grid, power_columns(grid, [outside, silent, meter]), ())
    acc = PowerAccumulator.from_history(history)
    assert not acc.has_data
    assert acc.series().is_empty


def test_splitting_over_the_slots_it_can_overlap_equals_scanning_every_slot() -> None:
    from app.domain.history import split_over_bounds

    def scanned(bounds: list[datetime], a: datetime, x: float, b: datetime, y: float) -> object:
        # The previous loop: every slot compared.
        if y - x <= 0 or len(bounds) < 2 or b <= a:
            return split_over_bounds(bounds, a, x, b, y)
        length = (b - a).total_seconds()
        shares = []
        for i in range(len(bounds) - 1):
            lo, hi = max(a, bounds[i]), min(b, bounds[i + 1])
            if hi > lo:
                shares.append((i, (y - x) * (hi - lo).total_seconds() / length))
        return shares

    rnd = random.Random(11)
    for _ in range(5000):
        hours = {rnd.randint(0, 100) for _ in range(rnd.randint(1, 6))}
        bounds = sorted(T0 + timedelta(hours=h) for h in hours)
        a = (
            rnd.choice(bounds)
            if rnd.random() < 0.2
            else T0 + timedelta(minutes=rnd.randint(-600, 7000))
        )
        b = a + timedelta(minutes=rnd.choice((0, -5, rnd.randint(1, 3000))))
        if rnd.random() < 0.2:
            b = rnd.choice(bounds)
        x, y = rnd.uniform(0, 1e5), rnd.uniform(0, 1e5)
        assert split_over_bounds(bounds, a, x, b, y) == scanned(bounds, a, x, b, y)
