"""Time to price one charging session, live and final, from its meter readings.

The control room recomputes the live price of every open session once a second (up to
~50 of them), so one session of 600 readings (10 h at one a minute) must price well
under 10 ms. Sessions are priced against a tariff with three bands (one wraps midnight),
a per-minute price, an idle fee and a plan with included energy, and against a plain
per-kWh tariff; the meter series carries real-looking fractional Wh values.

    python -m bench.pricing [--repeat 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

if __name__ == "__main__" and not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.pricing import Reading, price_session
from app.domain.tariffs import PlanTerms, Tariff, TariffBand

TARGET_MS = 10.0
ZONE = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)

BANDED = Tariff(
    "Benchmark",
    energy_per_kwh_minor=345,
    time_per_minute_minor=5,
    idle_per_minute_minor=200,
    idle_grace_minutes=15,
    idle_cap_minor=30_000,
    start_fee_minor=500,
    bands=(
        TariffBand("Peak", frozenset(range(5)), time(7), time(9), 550, 10),
        TariffBand("Evening", frozenset(range(5)), time(17), time(20), 495),
        TariffBand("Night", frozenset(range(7)), time(22), time(6), 199),
    ),
    rounding_minor=100,
)
PLAIN = Tariff("Plain", energy_per_kwh_minor=345)
PLAN = PlanTerms(included_wh_remaining=25_000, discount_bp=500)


def readings(count: int) -> list[Reading]:
    """One reading a minute at about 7.4 kW, the last quarter of the session idle."""
    series = []
    wh = 1_234_567.0
    for minute in range(1, count + 1):
        if minute < count * 3 // 4:
            wh += 123.4 + (minute % 7) * 0.1
        series.append(Reading(START + timedelta(minutes=minute), round(wh, 1)))
    return series


def per_session_ms(
    tariff: Tariff, series: list[Reading], *, final: bool, repeat: int
) -> tuple[float, float]:
    """The median and the best of `repeat` timed pricings, in milliseconds."""
    stop = series[-1].at + timedelta(minutes=5)
    times = []
    for _ in range(repeat):
        began = clock.perf_counter()
        price_session(
            tariff,
            zone=ZONE,
            started_at=START,
            meter_start_wh=1_234_567,
            readings=series,
            stopped_at=stop if final else None,
            meter_stop_wh=round(series[-1].wh) if final else None,
            now=None if final else stop,
            plan=PLAN if tariff is BANDED else None,
        )
        times.append(clock.perf_counter() - began)
    return statistics.median(times) * 1000, min(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    worst = 0.0
    print(f"{'readings':>8}  {'tariff':<22} {'price':<6} {'median ms':>10} {'best ms':>8}")
    for count in (600, 6000):
        series = readings(count)
        for name, tariff in (("3 bands + plan + idle", BANDED), ("plain per kWh", PLAIN)):
            for final in (False, True):
                ms, best = per_session_ms(tariff, series, final=final, repeat=args.repeat)
                if count == 600:
                    worst = max(worst, ms)
                kind = "final" if final else "live"
                print(f"{count:>8}  {name:<22} {kind:<6} {ms:>10.2f} {best:>8.2f}")
    verdict = "PASS" if worst < TARGET_MS else "FAIL"
    print(f"600 readings, slowest median: {worst:.2f} ms (target < {TARGET_MS:g} ms): {verdict}")
    print(f"50 live sessions of 600 readings: {50 * worst:.0f} ms of CPU a second at most")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
