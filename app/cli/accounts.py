"""`chargedesk operators ...` and `chargedesk audit ...`: accounts, roles and the audit log.

Admins only (the services check it): set CHARGEDESK_USER to an admin's name once
accounts exist. New passwords are typed twice at a prompt, or given in
CHARGEDESK_NEW_PASSWORD for scripts; never on the command line, where the
shell history and the process list would keep them.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from typing import Any

from app.cli.output import emit, plain
from app.cli.records import CliError, run
from app.config import Settings
from app.domain.audit import AuditEntry, AuditQuery, Outcome
from app.domain.operators import Operator, Role, parse_role
from app.services.container import Services
from app.store.database import Database

NEW_PASSWORD_VARIABLE = "CHARGEDESK_NEW_PASSWORD"
OPERATOR_COLUMNS = ["id", "username", "display_name", "role", "state", "last_login_at"]
AUDIT_COLUMNS = ["at", "actor", "role", "source", "action", "target", "outcome", "detail"]

Db = Callable[[argparse.ArgumentParser], None]


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], db_arg: Db) -> None:
    p = sub.add_parser("operators", help="operator accounts and their roles (admins)")
    osub = p.add_subparsers(dest="operators_command", metavar="ACTION", required=True)
    q = osub.add_parser("list", help="list operator accounts")
    db_arg(q)
    q.add_argument("--json", action="store_true", help="print JSON instead of a table")
    q = osub.add_parser("add", help="add an account (the first one must be an admin)")
    db_arg(q)
    q.add_argument("username")
    q.add_argument("--role", required=True, choices=[r.value for r in Role])
    q.add_argument("--name", default="", help="the name shown (default: the user name)")
    q = osub.add_parser("role", help="change an operator's role")
    db_arg(q)
    q.add_argument("username")
    q.add_argument("role", choices=[r.value for r in Role])
    for action, helptext in (
        ("disable", "disable an account: it can no longer sign in"),
        ("enable", "enable a disabled account"),
        ("unlock", "lift a lockout after repeated wrong passwords"),
        ("reset-password", "set a new password (and lift any lockout)"),
    ):
        q = osub.add_parser(action, help=helptext)
        db_arg(q)
        q.add_argument("username")

    p = sub.add_parser("audit", help="the audit log of operator actions (admins)")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    for action, helptext in (
        ("list", "show entries, newest first"),
        ("export", "write entries as CSV"),
    ):
        q = asub.add_parser(action, help=helptext)
        db_arg(q)
        q.add_argument("--since", help="from this local date (YYYY-MM-DD)")
        q.add_argument("--until", help="up to and with this local date (YYYY-MM-DD)")
        q.add_argument("--actor", help="only this actor")
        q.add_argument("--action", help="only actions starting with this, e.g. payment.")
        q.add_argument("--outcome", choices=[o.value for o in Outcome])
        q.add_argument("--limit", type=int, default=200 if action == "list" else 10_000)
        if action == "list":
            q.add_argument("--json", action="store_true", help="print JSON instead of a table")
        else:
            q.add_argument("file", type=Path, help="the CSV file to write ('-' for stdout)")


def dispatch_operators(settings: Settings, args: argparse.Namespace) -> int:
    action = args.operators_command
    if action == "list":
        rows = [_operator_row(o) for o in run(settings, lambda s, _db: s.operators.list())]
        emit(rows, OPERATOR_COLUMNS, as_json=args.json)
        return 0
    if action == "add":
        password = _new_password()

        async def add(s: Services, _db: Database) -> Operator:
            return await s.operators.create(
                args.username, args.name, parse_role(args.role), password
            )

        made = run(settings, add)
        print(f"Added {made.username} ({made.role.value})")
        return 0
    password = _new_password() if action == "reset-password" else ""

    async def change(s: Services, _db: Database) -> Operator:
        found = await s.operators.find(args.username)
        if action == "role":
            return await s.operators.set_role(found.id, parse_role(args.role))
        if action == "disable":
            return await s.operators.disable(found.id)
        if action == "enable":
            return await s.operators.enable(found.id)
        if action == "unlock":
            return await s.operators.unlock(found.id)
        return await s.operators.reset_password(found.id, password)

    changed = run(settings, change)
    print(f"{changed.username}: {_state(changed)}, {changed.role.value}")
    return 0


def dispatch_audit(settings: Settings, args: argparse.Namespace) -> int:
    query = _query(args)
    if args.audit_command == "list":
        entries = run(settings, lambda s, _db: s.audit.entries(query))
        emit([_audit_row(e) for e in entries], AUDIT_COLUMNS, as_json=args.json)
        return 0
    text = run(settings, lambda s, _db: s.audit.export_csv(query))
    if str(args.file) == "-":
        sys.stdout.write(text)
        return 0
    try:
        args.file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"Could not write {args.file}: {exc.strerror or exc}") from exc
    print(f"Wrote {text.count(chr(10)) - 1} audit entries to {args.file}")
    return 0


def _new_password() -> str:
    given = os.environ.get(NEW_PASSWORD_VARIABLE)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise CliError(f"Give the new password in {NEW_PASSWORD_VARIABLE} (no terminal to ask on).")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise CliError("The two passwords differ; nothing was changed.")
    return first


def _local_day(text: str | None, *, end: bool) -> datetime | None:
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise CliError(f"{text!r} is not a date like 2026-11-26.") from None
    moment = datetime.combine(day, time.max if end else time.min).astimezone()
    return moment


def _query(args: argparse.Namespace) -> AuditQuery:
    return AuditQuery(
        since=_local_day(args.since, end=False),
        until=_local_day(args.until, end=True),
        actor=args.actor or None,
        action_prefix=args.action or None,
        outcome=Outcome(args.outcome) if args.outcome else None,
        limit=args.limit,
    )


def _state(operator: Operator) -> str:
    if not operator.active:
        return "disabled"
    if operator.locked_until is not None and operator.locked_at(datetime.now().astimezone()):
        return "locked"
    return "active"


def _operator_row(operator: Operator) -> dict[str, Any]:
    row: dict[str, Any] = plain(operator)
    row["state"] = _state(operator)
    row["last_login_at"] = operator.last_login_at
    return row


def _audit_row(entry: AuditEntry) -> dict[str, Any]:
    row: dict[str, Any] = plain(entry)
    row["at"] = entry.at
    return row
