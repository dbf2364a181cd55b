"""`chargedesk tags import|export`: tag lists as CSV files, previewed before they are written.

Exit status: 0 done (or only previewed), 1 refused (a file that cannot be
imported, invalid or duplicate rows, tags changed meanwhile), 2 a usage mistake.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.cli.output import emit
from app.cli.records import CliError, run
from app.config import Settings
from app.domain.errors import InvalidInput
from app.domain.tag_import import ExportedFile, ImportResult, Preview, PreviewRow, RowKind
from app.services.container import Services
from app.store.database import Database

COMMANDS = ("import", "export")
OK, REFUSED = 0, 1
BOM = "\ufeff".encode()


def add_parsers(
    tsub: argparse._SubParsersAction[argparse.ArgumentParser],
    db_arg: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add `import` and `export` to the `tags` subcommands (`db_arg` adds --db)."""
    q = tsub.add_parser(
        "import",
        help="import tags and drivers from a CSV file (preview; --apply writes)",
        description="Show what importing FILE would change, row by row. Nothing is written "
        "unless --apply is given (or you answer y when asked); then everything is written "
        "at once, or nothing. See docs/tag-import.md for the columns.",
    )
    db_arg(q)
    q.add_argument("file", metavar="FILE", help="CSV file (- reads standard input)")
    q.add_argument("--apply", action="store_true", help="write the changes without asking")
    q.add_argument("--json", action="store_true", help="print JSON instead of text (never asks)")
    q = tsub.add_parser("export", help="write every tag with its driver as a CSV file")
    db_arg(q)
    q.add_argument("file", metavar="FILE", nargs="?", default="-", help="default: standard output")
    q.add_argument(
        "--delimiter",
        choices=["comma", "semicolon"],
        default="comma",
        help="semicolon for spreadsheets set to Swedish and other languages with a decimal comma",
    )


def dispatch(settings: Settings, args: argparse.Namespace) -> int:
    if args.tags_command == "import":
        return import_file(settings, args)
    return export_file(settings, args)


# ---- import -----------------------------------------------------------------------------


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror}") from exc


def import_file(settings: Settings, args: argparse.Namespace) -> int:
    data = _read(args.file)

    async def preview(s: Services, _db: Database) -> Preview | str:
        try:
            return await s.tag_import.preview(data)
        except InvalidInput as exc:  # the file as a whole: too big, not UTF-8, …
            return str(exc)

    outcome = run(settings, preview)
    if isinstance(outcome, str):
        return _finish(args, {"file": args.file, "applied": False}, outcome, REFUSED)
    report = _describe(args.file, outcome)
    if not args.json:
        _print_preview(report)
    reason = outcome.blocking_reason()
    if reason is not None:
        return _finish(args, report, reason, REFUSED)
    if not outcome.has_changes:
        return _finish(args, report, "Nothing to import: every row is as stored.", OK)
    if not (args.apply or (not args.json and _interactive() and _confirmed())):
        return _finish(args, report, "Nothing was written. Add --apply to import.", OK)

    async def apply(s: Services, _db: Database) -> ImportResult | str:
        try:
            return await s.tag_import.apply(outcome)
        except InvalidInput as exc:  # e.g. the tags changed since the preview
            return str(exc)

    result = run(settings, apply)
    if isinstance(result, str):
        return _finish(args, report, result, REFUSED)
    report["applied"] = True
    report["result"] = asdict(result)
    return _finish(args, report, _summary(result), OK)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _confirmed() -> bool:
    try:
        answer = input("Import these changes? [y/N] ")
    except EOFError:  # Ctrl-D: no
        return False
    return answer.strip().lower() in ("y", "yes", "j", "ja")


def _describe(file: str, preview: Preview) -> dict[str, Any]:
    return {
        "file": file,
        "counts": {kind.value: preview.count(kind) for kind in RowKind},
        "can_apply": preview.can_apply,
        "new_fleets": list(preview.new_fleets),
        "new_drivers": [d.values.name for d in preview.new_drivers],
        "rows": [_row(r) for r in preview.rows if r.kind is not RowKind.UNCHANGED],
        "applied": False,
        "result": None,
    }


def _row(row: PreviewRow) -> dict[str, Any]:
    return {
        "line": row.line,
        "id_tag": row.id_tag,
        "kind": row.kind.value,
        "driver": row.driver,
        "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in row.changes],
        "problems": list(row.problems),
        "remarks": list(row.remarks),
    }


def _details(row: dict[str, Any]) -> str:
    changes = [
        f"{c['field']}: {c['old'] or '(none)'} → {c['new'] or '(none)'}" for c in row["changes"]
    ]
    return "; ".join([*row["problems"], *changes, *row["remarks"]])


def _print_preview(report: dict[str, Any]) -> None:
    counts = report["counts"]
    print(
        f"{report['file']}: {sum(counts.values())} rows: "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
    )
    if report["new_fleets"]:
        print("New fleets: " + ", ".join(report["new_fleets"]))
    if report["new_drivers"]:
        print("New drivers: " + ", ".join(report["new_drivers"]))
    rows = [
        {
            "line": r["line"],
            "id_tag": r["id_tag"],
            "result": r["kind"],
            "driver": r["driver"],
            "details": _details(r),
        }
        for r in report["rows"]
    ]
    if rows:
        emit(rows, ["line", "id_tag", "result", "driver", "details"], as_json=False)


def _finish(args: argparse.Namespace, report: dict[str, Any], message: str, code: int) -> int:
    """Say how it ended: the message (and with --json the whole report) and the exit status."""
    if args.json:
        print(json.dumps({**report, "message": message}, indent=2, ensure_ascii=False))
    elif code == OK:
        print(message)
    else:
        print(f"chargedesk: {message}", file=sys.stderr)
    return code


def _summary(result: ImportResult) -> str:
    return (
        f"Imported: {result.tags_added} tags added, {result.tags_changed} changed; "
        f"{result.drivers_added} drivers added, {result.drivers_changed} changed; "
        f"{result.fleets_added} fleets added."
    )


# ---- export -----------------------------------------------------------------------------


def export_file(settings: Settings, args: argparse.Namespace) -> int:
    delimiter = ";" if args.delimiter == "semicolon" else ","

    async def work(s: Services, _db: Database) -> ExportedFile:
        return await s.tag_import.export(delimiter)

    exported = run(settings, work)
    if args.file == "-":
        sys.stdout.buffer.write(exported.data.removeprefix(BOM))  # a pipe wants no BOM
        sys.stdout.flush()
        return OK
    try:
        Path(args.file).write_bytes(exported.data)
    except OSError as exc:
        raise CliError(f"cannot write {args.file}: {exc.strerror}") from exc
    print(f"Exported {exported.tags} tags to {args.file}")
    return OK
