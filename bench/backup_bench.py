"""Backups and integrity checks on a big database (issue 9).

Builds a ChargeDesk database of about --mb megabytes (meter samples, the bulk of a
real one), then times PRAGMA quick_check (what the engine runs at start),
integrity_check (`chargedesk db check`), an online backup and the check of the copy.
While the backup runs, a writer commits one small transaction after another through
the real group-commit Database, and the slowest commit is reported: the backup must
not hold the writer up.

    python -m bench.backup_bench [--mb 1000] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, text

from app.store import migrate
from app.store.backup import Backups
from app.store.database import Database
from app.store.integrity import check_file, run_check

ROW = (
    "INSERT INTO meter_samples (station_id, connector_id, transaction_id, timestamp, measurand,"
    " value, unit) VALUES ('BENCH', 1, NULL, ?, 'Energy.Active.Import.Register', ?, 'Wh')"
)


def build(path: Path, megabytes: int) -> None:
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    conn = sqlite3.connect(path)
    try:
        stamp = datetime.now(UTC).isoformat()
        conn.execute(
            "INSERT OR IGNORE INTO stations (id, admission, connected, auto_fetch_configuration,"
            " local_list_version, created_at) VALUES ('BENCH', 'Accepted', 0, 0, 0, ?)",
            (stamp,),
        )
        batch = [(stamp, float(n)) for n in range(100_000)]
        while path.stat().st_size < megabytes * 1_000_000:
            conn.executemany(ROW, batch)
            conn.commit()
    finally:
        conn.close()


async def backup_under_writes(path: Path) -> dict[str, float]:
    db = Database(f"sqlite:///{path}")
    await db.start()
    stamp = datetime.now(UTC)
    latencies: list[float] = []
    done = asyncio.Event()

    def one(conn: Connection) -> None:
        conn.execute(text(ROW.replace("?", ":t", 1).replace("?", ":v")), {"t": stamp, "v": 1.0})

    async def writer() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await db.write(one)
            latencies.append(time.perf_counter() - started)

    task = asyncio.create_task(writer())
    started = time.perf_counter()
    made = await Backups(db.url, every_hours=0).back_up_async()
    backup_s = time.perf_counter() - started
    done.set()
    await task
    await db.close()
    started = time.perf_counter()
    ok = check_file(made.path).ok
    check_s = time.perf_counter() - started
    latencies.sort()
    return {
        "backup_s": round(backup_s, 2),
        "backup_mb": round(made.size_bytes / 1e6, 1),
        "copy_checked_s": round(check_s, 2),
        "copy_ok": float(ok),
        "commits_during_backup": len(latencies),
        "commit_p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "commit_max_ms": round(latencies[-1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=1000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "chargedesk.sqlite3"
        if not path.exists():
            build(path, args.mb)
        size = path.stat().st_size / 1e6
        quick = run_check(path, quick=True)
        full = run_check(path, quick=False)
        result = {
            "database_mb": round(size, 1),
            "quick_check_s": round(quick.seconds, 2),
            "integrity_check_s": round(full.seconds, 2),
            **asyncio.run(backup_under_writes(path)),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
