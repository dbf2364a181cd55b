"""Usage and demand reports on a year of data (issue 7).

Fifty stations with two connectors each, in five sites of ten, charge for a
year: three to five sessions a weekday per connector (one to three at the
weekend), most in the morning rush, each with a sample a minute while charging
(active power and the energy register), its status reports, an Authorize, a
final price; now and then a fault and a lost connection, and a driver who
authorised and never started. The rows go straight into a temporary SQLite file
(bulk inserts through sqlite3). The days older than raw_samples_days are written as
the rollups the housekeeping would have made of them (the same arithmetic inline:
tests/integration/test_analytics_store.py checks the real rollups keep every figure);
the last raw_samples_days are written as raw samples, and the real housekeeping
(`AnalyticsService.roll_up`) rolls them up and is timed. Housekeeping's day summaries
are made as of the last day's evening (every day before it; the last day is read raw,
as today is) and timed. Then each report is timed on the one-year range, the live 24 h
graph load is timed, and the file is measured.

Targets: every report < 2 s; the 24 h graph < 200 ms; the database < 1 GB.

    python -m bench.analytics_bench [--stations 50] [--days 365] [--keep-days 31] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __name__ == "__main__" and not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.analytics_rollup import ROLLUP_SECONDS
from app.domain.history import bucket_width_for
from app.domain.metering import ENERGY_REGISTER
from app.domain.operators import SYSTEM
from app.services.acting import act_as
from app.services.analytics import AnalyticsService
from app.services.history import HistoryService
from app.store import migrate
from app.store.database import Database
from app.store.repositories.analytics import SqlAnalyticsRepository
from app.store.repositories.history import SqlHistoryRepository

ZONE = ZoneInfo("Europe/Stockholm")
LAST_DAY = date(2026, 11, 25)
REPORT_TARGET_S = 2.0
GRAPH_TARGET_S = 0.2
SIZE_TARGET = 1 << 30
POWER = "Power.Active.Import"


def _text(t: datetime) -> str:
    """How UtcDateTime stores a time on SQLite."""
    return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _stamp(seconds: int) -> str:
    """_text() of a whole second, ten times faster (a minute's samples add up)."""
    return time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime(seconds))


def _local(day: date, minutes: float) -> datetime:
    start = datetime(day.year, day.month, day.day, tzinfo=ZONE).astimezone(UTC)
    return start + timedelta(minutes=minutes)


class Generator:
    def __init__(self, conn: sqlite3.Connection, stations: int, seed: int = 7) -> None:
        self.conn = conn
        self.rng = random.Random(seed)
        self.stations = [f"ST-{i + 1:03d}" for i in range(stations)]
        self.watts = {sid: (7400.0, 11000.0, 22000.0)[i % 3] for i, sid in enumerate(self.stations)}
        self.tx = 0
        self.register: dict[tuple[str, int], float] = {}
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.raw = False

    def setup(self, first: date) -> None:
        created = _text(_local(first, 0) - timedelta(days=1))
        c = self.conn
        sites = (len(self.stations) + 9) // 10
        c.executemany(
            "INSERT INTO sites (id, name, level, sort_order, created_at) VALUES (?, ?, '', 0, ?)",
            [(i + 1, f"Depot {i + 1}", created) for i in range(sites)],
        )
        c.executemany(
            "INSERT INTO site_connection_limits (site_id, limit_w) VALUES (?, ?)",
            [(i + 1, 150_000) for i in range(sites)],
        )
        for i, sid in enumerate(self.stations):
            c.execute(
                "INSERT INTO stations (id, admission, connected, auto_fetch_configuration,"
                " local_list_version, created_at) VALUES (?, 'Accepted', 1, 0, 0, ?)",
                (sid, created),
            )
            c.execute(
                "INSERT INTO station_positions (station_id, site_id, x, y) VALUES (?, ?, 0, 0)",
                (sid, i // 10 + 1),
            )
            for cid in (1, 2):
                c.execute(
                    "INSERT INTO connectors (station_id, connector_id, status, error_code,"
                    " updated_at) VALUES (?, ?, 'Available', 'NoError', ?)",
                    (sid, cid, created),
                )
                self._status(sid, cid, _local(first, 0) - timedelta(hours=1), "Available")
                self.register[(sid, cid)] = 0.0
            self._event(sid, _local(first, 0) - timedelta(hours=2), "station.connected", {})

    def _add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows.setdefault(table, []).append(row)

    def _status(
        self, sid: str, cid: int, at: datetime, status: str, error: str = "NoError"
    ) -> None:
        t = _text(at)
        self._add("status_history", (sid, cid, status, error, t, t))

    def _event(self, sid: str, at: datetime, kind: str, data: dict[str, object]) -> None:
        self._add("events", (_text(at), sid, kind, "info", kind, json.dumps(data)))

    def day(self, day: date) -> None:
        rng = self.rng
        weekend = day.weekday() >= 5
        for sid in self.stations:
            for cid in (1, 2):
                self._connector_day(
                    sid, cid, day, rng.randint(1, 3) if weekend else rng.randint(3, 5)
                )
            if rng.random() < 1 / 30:  # a lost connection at night, about monthly
                down = _local(day, rng.randint(60, 240))
                self._event(sid, down, "station.disconnected", {"reason": "lost"})
                self._event(
                    sid, down + timedelta(minutes=rng.randint(5, 90)), "station.connected", {}
                )
            if rng.random() < 0.05:  # a driver who authorised and never started
                at = _local(day, rng.randint(7 * 60, 18 * 60))
                self._event(
                    sid, at, "authorization.accepted", {"id_tag": f"AWAY{rng.randint(1, 500)}"}
                )

    def _connector_day(self, sid: str, cid: int, day: date, sessions: int) -> None:
        rng = self.rng
        if rng.random() < 1 / 40:  # a fault at night, about monthly
            at = _local(day, rng.randint(0, 300))
            self._status(sid, cid, at, "Faulted", "GroundFailure")
            self._status(sid, cid, at + timedelta(minutes=rng.randint(20, 200)), "Available")
        minute = 6 * 60 + 30 + rng.randint(0, 75)
        for _ in range(sessions):
            charge, idle = rng.randint(20, 150), rng.choice((0, 0, 5, 15, 40))
            if minute + charge + idle + 10 > 23 * 60:
                break
            self._session(sid, cid, day, minute, charge, idle)
            minute += 2 + charge + idle + 3 + rng.randint(1, 150)

    def _session(
        self, sid: str, cid: int, day: date, minute: float, charge: int, idle: int
    ) -> None:
        rng = self.rng
        self.tx += 1
        tx, tag = self.tx, f"TAG{rng.randint(1, 2000):05d}"
        plugged = _local(day, minute)
        begin = plugged + timedelta(minutes=2)
        stop = begin + timedelta(minutes=charge + idle)
        self._event(sid, plugged + timedelta(minutes=1), "authorization.accepted", {"id_tag": tag})
        self._status(sid, cid, plugged, "Preparing")
        self._status(sid, cid, begin, "Charging")
        if idle:
            self._status(sid, cid, begin + timedelta(minutes=charge), "SuspendedEV")
        self._status(sid, cid, stop, "Finishing")
        self._status(sid, cid, stop + timedelta(minutes=3), "Available")
        watts = self.watts[sid]
        start_wh = self.register[(sid, cid)]
        wh = start_wh
        base = int(begin.timestamp())
        # Older than raw_samples_days: written as the rollups housekeeping would have
        # made of them (same arithmetic, without a million rows through the store);
        # recent: raw samples, rolled up by the real housekeeping afterwards.
        buckets: dict[tuple[str, int], list[Any]] = {}
        for m in range(1, charge + 1):
            t = base + 60 * m
            power = watts * rng.uniform(0.9, 1.0)
            wh += power / 60
            if self.raw:
                at = _stamp(t)
                self._add("meter_samples", (sid, cid, tx, at, POWER, power, "W"))
                self._add("meter_samples", (sid, cid, tx, at, ENERGY_REGISTER, round(wh, 1), "Wh"))
                continue
            b = t - t % ROLLUP_SECONDS
            for measurand, value in ((POWER, power), (ENERGY_REGISTER, round(wh, 1))):
                agg = buckets.get((measurand, b))
                if agg is None:
                    buckets[(measurand, b)] = [1, value, value, value, t, value, t, value]
                else:
                    agg[0] += 1
                    agg[1] += value
                    agg[2] = min(agg[2], value)
                    agg[3] = max(agg[3], value)
                    agg[6], agg[7] = t, value
        for (measurand, b), (n, total, lo, hi, t0, v0, t1, v1) in buckets.items():
            unit = "W" if measurand == POWER else "Wh"
            self._add(
                "meter_rollups",
                (
                    sid,
                    cid,
                    tx,
                    _stamp(b),
                    measurand,
                    unit,
                    n,
                    total,
                    lo,
                    hi,
                    float(t0 - b),
                    v0,
                    float(t1 - b),
                    v1,
                ),
            )
        wh = round(wh, 1)
        self.register[(sid, cid)] = wh
        t0, t1 = _text(begin), _text(stop)
        self._add(
            "transactions",
            (
                tx,
                sid,
                cid,
                tag,
                "Accepted",
                round(start_wh),
                t0,
                "closed",
                round(wh),
                t1,
                "Local",
                t0,
            ),
        )
        energy = round(wh) - round(start_wh)
        self._add("session_charges", (tx, "null", "SEK", energy * 35 // 100, energy, t1))

    def flush(self) -> None:
        sql = {
            "status_history": "INSERT INTO status_history (station_id, connector_id, status,"
            " error_code, station_timestamp, received_at) VALUES (?, ?, ?, ?, ?, ?)",
            "events": "INSERT INTO events (timestamp, station_id, kind, severity, message, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            "transactions": "INSERT INTO transactions (id, station_id, connector_id, id_tag,"
            " id_tag_status, meter_start, started_at, state, meter_stop, stopped_at,"
            " stop_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "meter_samples": "INSERT INTO meter_samples (station_id, connector_id,"
            " transaction_id, timestamp, measurand, value, unit, location, context)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'Outlet', 'Sample.Periodic')",
            "meter_rollups": "INSERT INTO meter_rollups (station_id, connector_id,"
            " transaction_id, bucket_start, measurand, unit, location, samples, total, minimum,"
            " maximum, first_offset, first_value, last_offset, last_value)"
            " VALUES (?, ?, ?, ?, ?, ?, 'Outlet', ?, ?, ?, ?, ?, ?, ?, ?)",
            "session_charges": "INSERT INTO session_charges (transaction_id, tariff_snapshot,"
            " currency, total_minor, energy_wh, priced_at, walk_in, included_wh_used, final)"
            " VALUES (?, ?, ?, ?, ?, ?, 0, 0, 1)",
        }
        for table in (
            "transactions",
            "status_history",
            "events",
            "meter_samples",
            "meter_rollups",
            "session_charges",
        ):
            rows = self.rows.pop(table, [])
            if rows:
                self.conn.executemany(sql[table], rows)
        self.conn.commit()


async def _timed(
    label: str, call: Callable[[], Awaitable[object]], runs: int
) -> tuple[str, float, float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await call()
        times.append(time.perf_counter() - began)
    return label, times[0], statistics.median(times)


async def _graph(db: Database, now: datetime, runs: int) -> list[tuple[str, float, float]]:
    """The live 24 h graph as the control room loads it: first after start (a new
    service: nothing kept), then a reload a minute later each time (a range switch:
    the buckets of the previous load are kept, only what changed is read)."""
    span = timedelta(hours=24)
    width = bucket_width_for(span)
    # The control room has numpy loaded (pyqtgraph); the engine imports it with the
    # first graph that needs it, which is not what is timed here.
    importlib.import_module("numpy")

    def fresh() -> Awaitable[object]:
        return HistoryService(SqlHistoryRepository(db)).graphs(now - span, now, 7, ZONE, width)

    history = HistoryService(SqlHistoryRepository(db))
    await history.graphs(now - span, now, 7, ZONE, width)  # the load when the view opened
    later = [now + timedelta(minutes=k + 1) for k in range(runs)]

    def reload() -> Awaitable[object]:
        end = later.pop(0)
        return history.graphs(end - span, end, 7, ZONE, width)

    return [
        await _timed(
            "live 24 h graph, first load (HistoryService.graphs, 7 days of energy)", fresh, runs
        ),
        await _timed("live 24 h graph, reload a minute later (buckets kept)", reload, runs),
    ]


async def generate(
    url: str, path: Path, stations: int, days: int, keep_days: int
) -> dict[str, float]:
    first = LAST_DAY - timedelta(days=days - 1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    gen = Generator(conn, stations)
    gen.setup(first)
    gen.flush()
    db = Database(url)
    await db.start()
    analytics = AnalyticsService(SqlAnalyticsRepository(db), ZONE, raw_samples_days=keep_days)
    spent = {"generate": 0.0, "roll_up": 0.0, "roll_up_last_day": 0.0}
    raw_from = LAST_DAY - timedelta(days=keep_days)
    day = first
    began = time.perf_counter()
    while day <= LAST_DAY:
        gen.raw = day >= raw_from
        gen.day(day)
        day += timedelta(days=1)
        if day.weekday() == 0 or day > LAST_DAY:
            gen.flush()
            print(f"  generated up to {day - timedelta(days=1)}", file=sys.stderr, flush=True)
    spent["generate"] = time.perf_counter() - began
    # Housekeeping catches up with the raw days (as the hourly runs would have) and
    # summarises every day before the last; then one more run in the last day's evening
    # (the time the reports are measured at): the raw samples of the oldest day go.
    began = time.perf_counter()
    result = await analytics.roll_up(_local(LAST_DAY, 0))
    spent["roll_up"] = time.perf_counter() - began
    spent["rolled"] = result.rolled
    spent["summarised"] = result.summarised
    began = time.perf_counter()
    result = await analytics.roll_up(_local(LAST_DAY, 18 * 60))
    spent["roll_up_last_day"] = time.perf_counter() - began
    spent["rolled_last_day"] = result.rolled + result.deleted
    conn.close()
    await db.close()
    return spent


async def summarise(url: str) -> tuple[int, float]:
    """Housekeeping's day summaries as of the last day's evening (the days before it;
    the last day stays raw, as today does): station-days summarised, seconds."""
    db = Database(url)
    await db.start()
    analytics = AnalyticsService(SqlAnalyticsRepository(db), ZONE)
    began = time.perf_counter()
    done = await analytics.summarise(_local(LAST_DAY, 18 * 60))
    spent = time.perf_counter() - began
    await db.close()
    return done, spent


async def measure(url: str, days: int, runs: int) -> list[tuple[str, float, float]]:
    db = Database(url)
    await db.start()
    analytics = AnalyticsService(SqlAnalyticsRepository(db), ZONE)
    first = LAST_DAY - timedelta(days=days - 1)
    results = await _graph(db, _local(LAST_DAY, 18 * 60), runs)
    for label, site in (("one site (10 stations, 20 connectors)", 1), ("all 50 stations", None)):
        results += [
            await _timed(f"usage, {label}", partial(analytics.usage, site, first, LAST_DAY), runs),
            await _timed(
                f"demand, {label}", partial(analytics.demand, site, first, LAST_DAY), runs
            ),
            await _timed(
                f"usage + demand + summary, {label}",
                partial(analytics.report, site, first, LAST_DAY),
                runs,
            ),
        ]
    results.append(
        await _timed(
            "drill-down: sessions behind Monday 08–09, one site",
            lambda: analytics.sessions_behind(1, first, LAST_DAY, weekday=0, hour=8),
            runs,
        )
    )
    summary = await analytics.summary(1, first, LAST_DAY)
    print("\nSummary of Depot 1:\n  " + "\n  ".join(s.text for s in summary.sentences))
    await db.close()
    return results


def _sizes(path: Path) -> dict[str, float]:
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("transactions", "status_history", "meter_samples", "meter_rollups", "events")
    }
    conn.close()
    wal = path.with_name(path.name + "-wal")
    return {
        "file": path.stat().st_size + (wal.stat().st_size if wal.exists() else 0),
        "used": (pages - free) * page,
        **counts,
    }


def main() -> None:
    act_as(SYSTEM, None)  # the bench reads as the engine itself: every role, no audit
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--keep-days", type=int, default=31)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="keep the database here (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "analytics-bench.sqlite3"
        url = f"sqlite:///{path}"
        if not path.exists():
            migrate.upgrade(url, backup=False)
            spent = asyncio.run(generate(url, path, args.stations, args.days, args.keep_days))
            print(
                f"generated in {spent['generate']:.0f} s; housekeeping rolled up "
                f"{spent['rolled']:,.0f} raw samples and summarised {spent['summarised']:,.0f} "
                f"station-days in {spent['roll_up']:.0f} s; "
                f"the last run: {spent['rolled_last_day']:.0f} samples rolled up or deleted in "
                f"{spent['roll_up_last_day']:.2f} s"
            )
        migrate.upgrade(url, backup=False)  # a file kept from an older version
        done, took = asyncio.run(summarise(url))
        print(f"day summaries: {done:,} station-days summarised in {took:.1f} s")
        sizes = _sizes(path)
        print(
            f"database: {sizes['file'] / 1e6:.0f} MB on disk, {sizes['used'] / 1e6:.0f} MB in use; "
            + ", ".join(f"{k} {v:,.0f}" for k, v in sizes.items() if k not in ("file", "used"))
        )
        results = asyncio.run(measure(url, args.days, args.runs))
        print("\n| query | first (s) | median of runs (s) | target |\n| --- | --- | --- | --- |")
        for label, first, median in results:
            target = GRAPH_TARGET_S if label.startswith("live") else REPORT_TARGET_S
            mark = "ok" if median < target else "SLOW"
            print(f"| {label} | {first:.3f} | {median:.3f} | < {target} s {mark} |")
        print(f"| database size | {sizes['file'] / 1e6:.0f} MB | | < 1 GB "
              f"{'ok' if sizes['file'] < SIZE_TARGET else 'TOO BIG'} |")  # fmt: skip


if __name__ == "__main__":
    main()
