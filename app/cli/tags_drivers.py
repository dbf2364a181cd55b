"""`chargedesk tags ...` and `chargedesk drivers ...`: who may charge, from the command line.

They work on the database directly (also while a server runs on it) through
the same services as the control room; every list takes --json. Import and
export of CSV files are in app/cli/tag_files.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.cli import tag_files
from app.cli.output import emit, plain
from app.cli.records import CliError, run
from app.config import Settings
from app.domain.access import DriverCard
from app.domain.access_forms import checked_email, checked_name, checked_phone
from app.domain.errors import InvalidInput
from app.domain.model import IdTag, IdTagStatus
from app.services.container import Services
from app.store.database import Database

STATUSES = [s.value for s in IdTagStatus if s is not IdTagStatus.CONCURRENT_TX]
TAG_COLUMNS = ["id_tag", "status", "expiry_date", "parent_id_tag", "driver", "max_concurrent"]
DRIVER_COLUMNS = ["id", "name", "fleet", "email", "phone", "active", "tags"]


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    db_arg: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add `tags` and `drivers` to the top-level subcommands (`db_arg` adds --db)."""
    p = sub.add_parser("tags", help="id tags (RFID cards): list, add, block, import, export")
    tsub = p.add_subparsers(dest="tags_command", metavar="ACTION", required=True)
    q = tsub.add_parser("list", help="list id tags")
    _list_args(q, db_arg)
    q = tsub.add_parser("add", help="add an id tag, or change one (unnamed options stay)")
    db_arg(q)
    q.add_argument("tag")
    q.add_argument("--status", choices=STATUSES, help="default for a new tag: Accepted")
    q.add_argument("--expiry", help="ISO 8601 date-time (local time unless an offset is given)")
    q.add_argument("--parent", help="group tag (parent id tag); empty for none")
    q.add_argument("--driver", type=int, metavar="ID", help="the driver's id; 0 for none")
    q.add_argument("--note")
    q.add_argument("--max-concurrent", type=int, metavar="N", help="sessions at once (1-100)")
    q.add_argument("--json", action="store_true", help="print the tag as JSON")
    for action, helptext in (
        ("block", "block a tag: chargers refuse it"),
        ("unblock", "accept a blocked tag again"),
        ("remove", "remove an id tag"),
    ):
        q = tsub.add_parser(action, help=helptext)
        db_arg(q)
        q.add_argument("tag")
    tag_files.add_parsers(tsub, db_arg)

    p = sub.add_parser("drivers", help="drivers and their tags")
    dsub = p.add_subparsers(dest="drivers_command", metavar="ACTION", required=True)
    q = dsub.add_parser("list", help="list drivers with their fleet and tags")
    _list_args(q, db_arg)
    q.add_argument("--fleet", metavar="NAME", help="only this fleet's drivers")
    q.add_argument("--active", action="store_true", help="only active drivers")
    q = dsub.add_parser("add", help="add a driver (and their tags)")
    db_arg(q)
    q.add_argument("name")
    q.add_argument("--email", default="")
    q.add_argument("--phone", default="")
    q.add_argument("--fleet", metavar="NAME", help="created if there is no fleet of that name")
    q.add_argument("--notes", default="")
    q.add_argument("--tag", action="append", default=[], metavar="TAG", help="repeatable")
    q.add_argument("--json", action="store_true", help="print the driver as JSON")
    q = dsub.add_parser("show", help="one driver with their fleet and tags")
    db_arg(q)
    q.add_argument("id", type=int)
    q.add_argument("--json", action="store_true", help="print JSON instead of text")


def _list_args(
    q: argparse.ArgumentParser, db_arg: Callable[[argparse.ArgumentParser], None]
) -> None:
    db_arg(q)
    q.add_argument("--json", action="store_true", help="print JSON instead of a table")
    q.add_argument("--search", default="", metavar="TEXT", help="only matches of this text")
    q.add_argument("--limit", type=int, default=1000, help="at most this many rows")


def dispatch_tags(settings: Settings, args: argparse.Namespace) -> int:
    if args.tags_command in tag_files.COMMANDS:
        return tag_files.dispatch(settings, args)
    {
        "list": tags_list,
        "add": tags_add,
        "block": tags_block,
        "unblock": tags_block,
        "remove": tags_remove,
    }[args.tags_command](settings, args)
    return 0


def dispatch_drivers(settings: Settings, args: argparse.Namespace) -> int:
    {"list": drivers_list, "add": drivers_add, "show": drivers_show}[args.drivers_command](
        settings, args
    )
    return 0


# ---- tags -------------------------------------------------------------------------------


def _tag_row(tag: IdTag, names: dict[int, str]) -> dict[str, Any]:
    row: dict[str, Any] = plain(tag)
    row["driver"] = names.get(tag.driver_id) if tag.driver_id is not None else None
    return row


async def _driver_names(s: Services) -> dict[int, str]:
    return {c.driver.id: c.driver.name for c in await s.access.drivers(limit=10_000)}


def tags_list(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> list[dict[str, Any]]:
        names = await _driver_names(s)
        return [_tag_row(t, names) for t in await s.tags.tags(args.search, args.limit)]

    emit(run(settings, work), TAG_COLUMNS, as_json=args.json)


def _expiry(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        expiry = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"--expiry {text!r} is not an ISO 8601 date-time") from exc
    return expiry if expiry.tzinfo is not None else expiry.astimezone()  # typed in local time


def tags_add(settings: Settings, args: argparse.Namespace) -> None:
    expiry = _expiry(args.expiry)

    async def work(s: Services, _db: Database) -> tuple[IdTag, bool, dict[int, str]]:
        before = await s.tags.get_or_none(args.tag)
        base = before or IdTag(args.tag, IdTagStatus.ACCEPTED)
        changes: dict[str, Any] = {}
        if args.status:
            changes["status"] = IdTagStatus(args.status)
        if args.expiry is not None:
            changes["expiry_date"] = expiry
        if args.parent is not None:
            changes["parent_id_tag"] = args.parent or None
        if args.driver is not None:
            changes["driver_id"] = args.driver or None
        if args.note is not None:
            changes["note"] = args.note
        if args.max_concurrent is not None:
            changes["max_concurrent"] = args.max_concurrent
        tag = dataclasses.replace(base, **changes)
        stored = await (s.tags.update(tag) if before else s.tags.create(tag))
        return stored, before is None, await _driver_names(s)

    tag, created, names = run(settings, work)
    if args.json:
        print(json.dumps(_tag_row(tag, names), indent=2, ensure_ascii=False))
        return
    print(f"Id tag {tag.id_tag} {'added' if created else 'changed'}: {tag.status.value}")


def tags_block(settings: Settings, args: argparse.Namespace) -> None:
    blocking = args.tags_command == "block"

    async def work(s: Services, _db: Database) -> IdTag:
        return await (s.tags.block(args.tag) if blocking else s.tags.unblock(args.tag))

    tag = run(settings, work)
    print(f"Id tag {tag.id_tag} is now {tag.status.value}")


def tags_remove(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> bool:
        return await s.tags.remove(args.tag)

    if not run(settings, work):
        raise CliError(f"no id tag {args.tag!r}")
    print(f"Removed id tag {args.tag}")


# ---- drivers ----------------------------------------------------------------------------


def _card(card: DriverCard) -> dict[str, Any]:
    row: dict[str, Any] = plain(card.driver)
    row["fleet"] = card.fleet_name
    row["tags"] = [t.id_tag for t in card.tags]
    return row


def _card_cells(card: DriverCard) -> dict[str, Any]:
    return {**_card(card), "tags": ", ".join(t.id_tag for t in card.tags)}


async def _fleet_id(s: Services, name: str | None, *, create: bool) -> int | None:
    if not name:
        return None
    fleets = await s.access.fleets()
    for fleet in fleets:
        if fleet.name.casefold() == name.strip().casefold():
            return fleet.id
    if not create:
        known = ", ".join(f.name for f in fleets) or "none yet"
        raise CliError(f"no fleet named {name!r} (fleets: {known})")
    return (await s.access.create_fleet(name)).id


def drivers_list(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> list[DriverCard]:
        fleet_id = await _fleet_id(s, args.fleet, create=False)
        return await s.access.drivers(
            args.search, fleet_id=fleet_id, include_inactive=not args.active, limit=args.limit
        )

    cards = run(settings, work)
    if args.json:
        emit([_card(c) for c in cards], DRIVER_COLUMNS, as_json=True)
    else:
        emit([_card_cells(c) for c in cards], DRIVER_COLUMNS, as_json=False)


def drivers_add(settings: Settings, args: argparse.Namespace) -> None:
    # What the driver form would refuse is refused before a new fleet is made for them.
    try:
        checked_name(args.name, "name")
        checked_email(args.email)
        checked_phone(args.phone)
    except InvalidInput as exc:
        raise CliError(str(exc)) from exc

    async def work(s: Services, _db: Database) -> DriverCard:
        return await s.access.create_driver(
            args.name,
            fleet_id=await _fleet_id(s, args.fleet, create=True),
            email=args.email,
            phone=args.phone,
            notes=args.notes,
            tags=[IdTag(t, IdTagStatus.ACCEPTED) for t in args.tag],
        )

    card = run(settings, work)
    if args.json:
        print(json.dumps(_card(card), indent=2, ensure_ascii=False))
        return
    tags = f" with tags {', '.join(t.id_tag for t in card.tags)}" if card.tags else ""
    print(f"Driver {card.driver.id} {card.driver.name} added{tags}")


def drivers_show(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> DriverCard:
        return await s.access.driver(args.id)

    card = run(settings, work)
    if args.json:
        row = _card(card)
        row["tags"] = [plain(t) for t in card.tags]
        print(json.dumps(row, indent=2, ensure_ascii=False))
        return
    d = card.driver
    for label, value in (
        ("Driver", f"{d.id} {d.name}" + ("" if d.active else " (inactive)")),
        ("Fleet", card.fleet_name or "none"),
        ("Email", d.email),
        ("Phone", d.phone),
        ("Notes", d.notes),
    ):
        if value:
            print(f"{label + ':':8} {value}")
    print()
    emit([_tag_row(t, {d.id: d.name}) for t in card.tags], TAG_COLUMNS, as_json=False)
