"""`chargedesk db ...`: schema upgrades, backups, restores and checks (docs/backups.md).

A backup is online: it may run while the engine serves chargers. A restore needs
the engine stopped, and checks the file before it touches anything.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.output import emit, plain
from app.cli.records import CliError
from app.config import Settings
from app.store import migrate
from app.store.backup import BackupError, Backups, BackupsNotSupported
from app.store.integrity import run_check

COLUMNS = ["created_at", "size", "kind", "path"]


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    db_arg: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add the `db` command to the top-level subparsers (`db_arg` adds --db)."""
    p = sub.add_parser("db", help="database maintenance: upgrades, backups, restores, checks")
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    q = dbsub.add_parser("upgrade", help="migrate the schema to this version (backup first)")
    db_arg(q)
    q = dbsub.add_parser("current", help="print the schema revision")
    db_arg(q)
    q = dbsub.add_parser(
        "backup", help="back up the database now (safe while ChargeDesk is running)"
    )
    db_arg(q)
    q.add_argument(
        "--to", metavar="FILE", type=Path, help="write here (default: the backup folder)"
    )
    q.add_argument("--json", action="store_true", help="print JSON instead of text")
    q = dbsub.add_parser("backups", help="list the backups, newest first")
    db_arg(q)
    q.add_argument("--json", action="store_true", help="print JSON instead of a table")
    q = dbsub.add_parser(
        "check", help="check the database (or a backup FILE) for damage; exit 1 if damaged"
    )
    db_arg(q)
    q.add_argument("file", nargs="?", type=Path, metavar="FILE", help="a backup to check")
    q.add_argument(
        "--quick",
        action="store_true",
        help="quick_check: pages and structure only, several times faster (as at start)",
    )
    q.add_argument("--json", action="store_true", help="print JSON instead of text")
    q = dbsub.add_parser(
        "restore", help="replace the database with a backup (ChargeDesk must be stopped)"
    )
    db_arg(q)
    q.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    q.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def dispatch(settings: Settings, args: argparse.Namespace) -> int:
    action = args.db_command
    if action == "upgrade":
        backup = migrate.upgrade(settings.db_url)
        print(f"Schema at {migrate.head_revision()}" + (f" (backup: {backup})" if backup else ""))
        return 0
    if action == "current":
        print(migrate.current_revision(settings.db_url) or "empty")
        return 0
    backups = Backups.from_settings(settings)
    try:
        handler = {"backup": back_up, "backups": listing, "check": check, "restore": restore}
        return handler[action](backups, args)
    except BackupError as exc:
        raise CliError(str(exc)) from exc


def _size(size_bytes: int) -> str:
    if size_bytes >= 1 << 20:
        return f"{size_bytes / (1 << 20):.1f} MB"
    return f"{max(1, round(size_bytes / 1024))} kB"


def back_up(backups: Backups, args: argparse.Namespace) -> int:
    made = backups.back_up(args.to)
    if args.json:
        print(json.dumps(plain(made) | {"path": str(made.path)}))
    else:
        print(f"Backed up to {made.path} ({_size(made.size_bytes)}); the copy passed its check.")
    return 0


def listing(backups: Backups, args: argparse.Namespace) -> int:
    rows: list[dict[str, Any]] = [
        {
            "created_at": b.created_at,
            "size": b.size_bytes if args.json else _size(b.size_bytes),
            "kind": "before upgrade" if b.before_upgrade else "backup",
            "path": str(b.path),
        }
        for b in backups.files()
    ]
    emit(rows, COLUMNS, as_json=args.json)
    if not args.json and backups.directory is not None:
        every = f"every {backups.every_hours:g} h" if backups.every_hours > 0 else "only on demand"
        print(f"\nBackup folder: {backups.directory} ({every}, newest {backups.keep} kept)")
    return 0


def check(backups: Backups, args: argparse.Namespace) -> int:
    if args.file is not None:
        checked = backups.check(args.file)
        if args.json:
            print(json.dumps(plain(checked) | {"path": str(checked.path)}))
        else:
            print(("OK: " if checked.ok else "Refused: ") + checked.message)
        return 0 if checked.ok else 1
    if backups.database is None:
        raise BackupsNotSupported()
    if not backups.database.is_file():
        raise CliError(f"there is no database at {backups.database}")
    report = run_check(backups.database, quick=args.quick)
    if args.json:
        print(json.dumps(plain(report)))
    elif report.ok:
        revision = migrate.current_revision(backups.db_url)
        print(
            f"OK: {backups.database} is sound (schema {revision}), checked in "
            f"{report.seconds:.1f} s."
        )
    else:
        print(f"Damaged: {backups.database}:")
        for problem in report.problems:
            print(f"  {problem}")
        print(
            "Restore the newest good backup: `chargedesk db backups`, then "
            "`chargedesk db restore FILE` with ChargeDesk stopped."
        )
    return 0 if report.ok else 1


def restore(backups: Backups, args: argparse.Namespace) -> int:
    checked = backups.check(args.file)
    if not checked.ok:
        raise CliError(f"not restored: {checked.message}")
    print(f"Checked: {checked.message}.")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("not restored: add --yes to restore without a question")
        answer = input(
            f"Replace the database {backups.database} with {args.file}? The current one is "
            "kept beside it as *.before-restore-<time>. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    result = backups.restore(args.file)
    print(f"Restored from {result.restored_from}.")
    if result.kept_as is not None:
        print(f"The database as it was is kept as {result.kept_as}.")
    if result.upgraded_to:
        print(f"The backup's schema {result.revision} was upgraded to {result.upgraded_to}.")
    return 0
