"""Engine-loop time the control room's once-a-second live prices cost.

Open sessions of many readings (one a minute) receive a new reading each minute,
staggered; every second the live price of every open session is asked for. With the
cache (`LiveSession.live_price`) a price is recomputed only when its session got a
reading (or an idle fee runs); without it, every session is priced every second.

    python -m bench.live_prices [--sessions 50] [--readings 600] [--seconds 120]
"""

from __future__ import annotations

import argparse
import sys
import time as clock
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

if __name__ == "__main__" and not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.pricing import price_session
from app.domain.session_charges import ChargeSnapshot, SessionCharge
from app.domain.tariffs import Tariff
from app.services.session_price_cache import LiveSession

ZONE = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
TARIFF = Tariff("Bench", energy_per_kwh_minor=345, time_per_minute_minor=5, start_fee_minor=500)


def sessions(count: int, readings: int) -> list[LiveSession]:
    made = []
    for number in range(count):
        charge = SessionCharge(ChargeSnapshot(number, 1, TARIFF), None)
        entry = LiveSession(number, f"CP-{number}", 1, START, 0, charge)
        entry.readings.extend(
            (START + timedelta(minutes=minute), minute * 120.5) for minute in range(1, readings)
        )
        made.append(entry)
    return made


def run(count: int, readings: int, seconds: int, *, cached: bool) -> list[float]:
    """Milliseconds spent per simulated second."""
    open_sessions = sessions(count, readings)
    now = START + timedelta(minutes=readings)
    ticks = []
    for second in range(seconds):
        now += timedelta(seconds=1)
        for entry in open_sessions:
            if second % 60 == entry.transaction_id % 60:  # its reading of this minute
                entry.readings.append((now, entry.readings[-1][1] + 120.5))
        began = clock.perf_counter()
        for entry in open_sessions:
            if cached:
                entry.live_price(ZONE, now)
            else:
                price_session(
                    TARIFF,
                    zone=ZONE,
                    started_at=entry.started_at,
                    meter_start_wh=0,
                    readings=entry.readings,
                    now=now,
                )
        ticks.append((clock.perf_counter() - began) * 1000)
    return ticks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--readings", type=int, default=600)
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()
    for cached in (True, False):
        ticks = run(args.sessions, args.readings, args.seconds, cached=cached)[1:]
        ticks.sort()
        print(
            f"{'cached' if cached else 'uncached'}: {args.sessions} open sessions of "
            f"{args.readings} readings: median {ticks[len(ticks) // 2]:.2f} ms per second, "
            f"worst {ticks[-1]:.2f} ms"
        )


if __name__ == "__main__":
    main()
