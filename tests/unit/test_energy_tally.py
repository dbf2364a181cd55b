"""The daily-energy graph continued live: late events never count energy twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain.history import TransactionSpan, daily_energy, day_bounds
from app.domain.history_live import EnergyTally

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIRST = date(2026, 11, 19)


def _snapshot(spans: list[TransactionSpan]) -> EnergyTally:
    bounds = day_bounds(FIRST, 7, STOCKHOLM)
    return EnergyTally(daily_energy(FIRST, bounds, spans, []))


def test_a_session_the_store_counted_is_not_counted_again_by_its_late_events() -> None:
    start = datetime(2026, 11, 22, 21, 0, tzinfo=UTC)
    end = start + timedelta(hours=2)
    tally = _snapshot([TransactionSpan(7, "CP", 1, start, end, 0.0, 44000.0)])
    assert sum(tally.energy_wh) == 44000.0
    # The events of that session, published before the store was read, arrive now.
    tally.started(7, start, 0)
    assert not tally.reading(7, start + timedelta(hours=1), 22000.0)
    assert not tally.stopped(7, end, 44000.0)
    assert sum(tally.energy_wh) == 44000.0


def test_a_session_still_open_in_the_store_grows_only_by_what_is_new() -> None:
    start = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    tally = _snapshot([TransactionSpan(8, "CP", 1, start, None, 1000.0, None)])
    tally.started(8, start, 1000)  # late, already known
    assert tally.reading(8, start + timedelta(minutes=30), 6000.0)
    assert not tally.reading(8, start + timedelta(minutes=30), 6000.0)  # delivered twice
    assert sum(tally.energy_wh) == 5000.0
