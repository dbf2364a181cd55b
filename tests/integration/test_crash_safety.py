"""Crash safety, CI-sized: `chargedesk serve` in its own process, killed with SIGKILL
three times while ten chargers charge; nothing they got acknowledged may be lost.

The heavy version (100 chargers, 20 rounds) is bench/crash_safety.py; this runs
the same code with fewer chargers and rounds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.crash_safety import CrashSpec, run_crash_safety, summary

pytestmark = pytest.mark.slow


async def test_nothing_acknowledged_is_lost_when_the_server_is_killed(tmp_path: Path) -> None:
    spec = CrashSpec(chargers=10, rounds=3, min_up=0.2, max_up=1.0, seed=9, finish_timeout=60)
    report = await run_crash_safety(spec, tmp_path)
    assert report.kills == 3
    assert report.killed_by_sigkill == 3, "the server must die by SIGKILL, not exit cleanly"
    # The run did reach the data: transactions and meter values were acknowledged.
    assert report.acked_starts >= spec.chargers, summary(report)
    assert report.acked_meter_values > 0, summary(report)
    assert report.lost == [], summary(report)
    assert report.found_starts == report.acked_starts
    assert report.found_stops == report.acked_stops
    assert report.found_meter_values == report.acked_meter_values
    # Every charger came back, resent what was not acknowledged and stopped its session:
    # no transaction is left open, and none exists that no charger heard of.
    assert report.chargers_finished == spec.chargers, summary(report)
    assert report.open_transactions_left == 0, summary(report)
    assert report.transactions_never_acked == 0, summary(report)
