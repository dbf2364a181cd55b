"""`chargedesk tariffs ...`: tariffs listed, shown, created, edited, assigned and tried
on a hypothetical session, offline on the database (also while a server runs on it).

Amounts on the command line are in the currency's main unit ("3.45" or "3,45" SEK);
a tariff file (JSON or TOML) holds the keys of the stored form, `Tariff.to_dict`, in
minor units, bands included:

    name = "Standard"
    energy_per_kwh_minor = 345
    [[bands]]
    name = "Peak"
    weekdays = [0, 1, 2, 3, 4]
    start = "07:00"
    end = "09:00"
    energy_per_kwh_minor = 500
"""

from __future__ import annotations

import argparse
import json
import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeAlias

from app.cli.output import emit
from app.cli.records import CliError, run
from app.cli.subscriptions import parse_decimal
from app.config import Settings, site_zone
from app.domain.errors import InvalidInput
from app.domain.price_format import format_basis_points, format_money, minor_digits
from app.domain.pricing import describe_hypothetical
from app.domain.session_price import SessionPrice
from app.domain.tariff_assignments import StoredTariff, TariffScope
from app.domain.tariffs import SNAPSHOT_VERSION, Tariff
from app.services.container import Services
from app.store.database import Database

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
COLUMNS = ["id", "name", "energy", "per_minute", "start_fee", "bands", "assigned", "archived"]
# Option → (stored key, kind): money in the main unit, or a whole number as it is.
PRICE_OPTIONS = {
    "energy": ("energy_per_kwh_minor", "money"),
    "per_minute": ("time_per_minute_minor", "money"),
    "start_fee": ("start_fee_minor", "money"),
    "idle_per_minute": ("idle_per_minute_minor", "money"),
    "idle_grace": ("idle_grace_minutes", "whole"),
    "idle_cap": ("idle_cap_minor", "money"),
    "min_price": ("min_price_minor", "money"),
    "max_price": ("max_price_minor", "money"),
    "rounding": ("rounding_minor", "money"),
}


def add_parsers(sub: SubParsers, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("tariffs", help="tariffs: what sessions cost, where and for whom")
    tsub = p.add_subparsers(dest="tariffs_command", metavar="ACTION", required=True)

    def command(name: str, helptext: str) -> argparse.ArgumentParser:
        q = tsub.add_parser(name, help=helptext)
        db_arg(q)
        q.add_argument("--json", action="store_true", help="print JSON instead of text")
        return q

    q = command("list", "list tariffs")
    q.add_argument("--all", action="store_true", help="archived tariffs too")
    q = command("show", "a tariff, its prices and where it applies")
    q.add_argument("tariff", metavar="TARIFF", help="name or id")
    q = command("create", "create a tariff from options and/or a JSON or TOML file")
    q.add_argument("name")
    _spec_options(q)
    q = command("update", "a new version of a tariff (sessions keep the version they began with)")
    q.add_argument("tariff", metavar="TARIFF", help="name or id")
    q.add_argument("--name", help="rename it")
    _spec_options(q)
    for action, helptext in (
        ("archive", "archive a tariff (refused while it is assigned)"),
        ("restore", "bring an archived tariff back"),
    ):
        q = command(action, helptext)
        q.add_argument("tariff", metavar="TARIFF", help="name or id")
    q = command("assign", "make a tariff apply everywhere, at a site or a station")
    q.add_argument("tariff", metavar="TARIFF", help="name or id")
    _scope_options(q)
    q = command("unassign", "clear the tariff set for exactly that place and group")
    _scope_options(q)
    q = command("price", "price a hypothetical session, line by line")
    q.add_argument("tariff", metavar="TARIFF", help="name or id")
    q.add_argument("--start", required=True, help="e.g. 2026-11-25T17:30 (site time unless +HH:MM)")
    q.add_argument("--minutes", type=int, required=True, help="how long it charges")
    q.add_argument("--kwh", required=True, help="energy delivered, e.g. 22 or 22,5")


def _spec_options(q: argparse.ArgumentParser) -> None:
    q.add_argument("--file", type=Path, help="JSON or TOML with the tariff's stored keys")
    q.add_argument("--energy", help="price per kWh, e.g. 3.45")
    q.add_argument("--per-minute", help="price per minute while charging")
    q.add_argument("--start-fee", help="fee per session")
    q.add_argument("--idle-per-minute", help="fee per minute the car stays after charging")
    q.add_argument("--idle-grace", help="minutes of idling that cost nothing")
    q.add_argument("--idle-cap", help="the most the idle fee can come to")
    q.add_argument("--min-price", help="minimum session price")
    q.add_argument("--max-price", help="maximum session price")
    q.add_argument("--vat", help="VAT rate included in the prices, percent (default 25)")
    q.add_argument("--currency", help="ISO 4217 code (default SEK)")
    q.add_argument("--rounding", help="round the total to this step, e.g. 1 for whole SEK")
    q.add_argument("--rounding-mode", choices=["half_up", "up"])


def _scope_options(q: argparse.ArgumentParser) -> None:
    place = q.add_mutually_exclusive_group()
    place.add_argument("--site", help="a site (name or id); neither site nor station: everywhere")
    place.add_argument("--station", help="a station id")
    group = q.add_mutually_exclusive_group()
    group.add_argument("--fleet", help="only for this fleet's drivers (name or id)")
    group.add_argument("--plan", help="only for this subscription plan's drivers (name or id)")


def dispatch(settings: Settings, args: argparse.Namespace) -> None:
    {
        "list": list_tariffs,
        "show": show,
        "create": create,
        "update": update,
        "archive": archive,
        "restore": archive,
        "assign": assign,
        "unassign": assign,
        "price": price,
    }[args.tariffs_command](settings, args)


# ---- commands ----------------------------------------------------------------------------


def list_tariffs(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> list[dict[str, Any]]:
        places = await _places(s)
        return [_row(t, places.get(t.id, [])) for t in await s.tariffs.list(args.all)]

    rows = run(settings, work)
    if args.json:
        emit(rows, COLUMNS, as_json=True)
        return
    for row in rows:
        currency = row["spec"]["currency"]
        for key in ("energy", "per_minute", "start_fee"):
            row[key] = format_money(row[key], currency) if row[key] else ""
        row["assigned"] = "; ".join(row["assigned"])
    emit(rows, COLUMNS, as_json=False)


def show(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> dict[str, Any]:
        stored = await s.tariffs.find(args.tariff)
        return _row(stored, (await _places(s)).get(stored.id, []))

    _print_tariff(run(settings, work), args.json)


def create(settings: Settings, args: argparse.Namespace) -> None:
    fields = {**_file_fields(args.file), "name": args.name}
    tariff = _tariff(_apply_options(fields, args))

    async def work(s: Services, _db: Database) -> dict[str, Any]:
        return _row(await s.tariffs.create(tariff), [])

    _print_tariff(run(settings, work), args.json, "Created")


def update(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> dict[str, Any]:
        current = await s.tariffs.find(args.tariff)
        fields = {**current.tariff.to_dict(), **_file_fields(args.file)}
        if args.name:
            fields["name"] = args.name
        stored = await s.tariffs.update(current.id, _tariff(_apply_options(fields, args)))
        return _row(stored, (await _places(s)).get(stored.id, []))

    _print_tariff(run(settings, work), args.json, "Updated")


def archive(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> StoredTariff:
        stored = await s.tariffs.find(args.tariff)
        if args.tariffs_command == "archive":
            return await s.tariffs.archive(stored.id)
        return await s.tariffs.restore(stored.id)

    stored = run(settings, work)
    _say(
        args.json,
        {"id": stored.id, "name": stored.name, "archived": stored.archived},
        f"Tariff {stored.id} {stored.name!r} {'archived' if stored.archived else 'restored'}",
    )


def assign(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> tuple[str, str | None]:
        scope = await _scope(s, args)
        where = await s.tariffs.describe(scope)
        if args.tariffs_command == "unassign":
            await s.tariffs.unassign(
                site_id=scope.site_id,
                station_id=scope.station_id,
                fleet_id=scope.fleet_id,
                plan_id=scope.plan_id,
            )
            return where, None
        stored = await s.tariffs.find(args.tariff)
        await s.tariffs.assign(
            stored.id,
            site_id=scope.site_id,
            station_id=scope.station_id,
            fleet_id=scope.fleet_id,
            plan_id=scope.plan_id,
        )
        return where, stored.name

    where, name = run(settings, work)
    if name is None:
        _say(args.json, {"where": where, "tariff": None}, f"No tariff set {where} any more")
    else:
        _say(args.json, {"where": where, "tariff": name}, f"Tariff {name!r} applies {where}")


def price(settings: Settings, args: argparse.Namespace) -> None:
    try:
        start = datetime.fromisoformat(args.start)
    except ValueError:
        raise CliError(f"--start {args.start!r} is not an ISO 8601 date-time") from None
    kwh = parse_decimal(args.kwh, "--kwh", 3) / 1000
    zone = site_zone(settings)

    async def work(s: Services, _db: Database) -> tuple[StoredTariff, SessionPrice]:
        stored = await s.tariffs.find(args.tariff)
        return stored, describe_hypothetical(stored.tariff, start, args.minutes, kwh, zone)

    stored, result = run(settings, work)
    if args.json:
        print(json.dumps({"tariff": stored.name, **result.to_dict()}, indent=2, ensure_ascii=False))
        return
    local = start if start.utcoffset() is not None else start.replace(tzinfo=zone)
    print(
        f"{stored.name}: {args.minutes} min from {local.strftime('%Y-%m-%d %H:%M')} "
        f"({zone}), {args.kwh} kWh"
    )
    _print_price(result)


# ---- helpers -------------------------------------------------------------------------------


async def _places(s: Services) -> dict[int, list[str]]:
    """Where each tariff is assigned, in the names an operator knows."""
    places: dict[int, list[str]] = {}
    for assignment in await s.tariffs.assignments():
        where = await s.tariffs.describe(assignment.scope)
        places.setdefault(assignment.tariff_id, []).append(where)
    return places


def _row(stored: StoredTariff, assigned: list[str]) -> dict[str, Any]:
    tariff = stored.tariff
    return {
        "id": stored.id,
        "name": tariff.name,
        "energy": tariff.energy_per_kwh_minor,
        "per_minute": tariff.time_per_minute_minor,
        "start_fee": tariff.start_fee_minor,
        "bands": len(tariff.bands),
        "assigned": assigned,
        "archived": stored.archived,
        "spec": tariff.to_dict(),
    }


def _print_tariff(row: dict[str, Any], as_json: bool, verb: str = "") -> None:
    if as_json:
        print(json.dumps(row, indent=2, ensure_ascii=False))
        return
    tariff = Tariff.from_dict(row["spec"])
    money = tariff.currency
    print(
        f"{verb + ' t' if verb else 'T'}ariff {row['id']} {tariff.name!r}"
        + (" (archived)" if row["archived"] else "")
    )
    details = [
        ("Energy", tariff.energy_per_kwh_minor, "/kWh"),
        ("Charging time", tariff.time_per_minute_minor, "/min"),
        ("Start fee", tariff.start_fee_minor, ""),
        ("Idle fee", tariff.idle_per_minute_minor, "/min"),
        ("Idle fee cap", tariff.idle_cap_minor, ""),
        ("Minimum", tariff.min_price_minor, ""),
        ("Maximum", tariff.max_price_minor, ""),
    ]
    for label, amount, unit in details:
        if amount:
            print(f"  {label:<14}{format_money(amount, money)}{unit}")
    if tariff.idle_per_minute_minor and tariff.idle_grace_minutes:
        print(f"  {'Idle grace':<14}{tariff.idle_grace_minutes} min")
    for band in tariff.bands:
        prices = [
            format_money(amount, money) + unit
            for amount, unit in (
                (band.energy_per_kwh_minor, "/kWh"),
                (band.time_per_minute_minor, "/min"),
            )
            if amount is not None
        ]
        print(f"  Band {band.describe()}: {', '.join(prices)}")
    rounding = format_money(tariff.rounding_minor, money)
    print(f"  VAT {format_basis_points(tariff.vat_rate_bp)} included; totals rounded to {rounding}")
    print("  Applies " + ("; ".join(row["assigned"]) if row["assigned"] else "nowhere yet"))


def _print_price(result: SessionPrice) -> None:
    currency = result.currency
    rows = [(line.label, line.amount_minor) for line in result.lines]
    rows.append(("Total", result.total_minor))
    rows.append((f"of which VAT {format_basis_points(result.vat_rate_bp)}", result.vat_minor))
    width = max(len(label) for label, _ in rows)
    amounts = [format_money(amount, currency) for _, amount in rows]
    right = max(len(text) for text in amounts)
    for (label, _), text in zip(rows, amounts, strict=True):
        if label == "Total":
            print("  " + "-" * (width + right + 2))
        print(f"  {label:<{width}}  {text:>{right}}")


def _say(as_json: bool, data: dict[str, Any], text: str) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False) if as_json else text)


def _file_fields(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except OSError as exc:
        raise CliError(f"--file {path}: {exc.strerror or exc}") from None
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        kind = "TOML" if path.suffix.lower() == ".toml" else "JSON"
        raise CliError(f"--file {path} is not valid {kind}: {exc}") from None
    if not isinstance(data, dict):
        raise CliError(f"--file {path} must hold one tariff (an object), not {type(data).__name__}")
    return data


def _apply_options(fields: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    fields = {**fields, "v": SNAPSHOT_VERSION}
    if args.currency:
        fields["currency"] = args.currency.strip().upper()
    digits = minor_digits(str(fields.get("currency", "SEK")))
    for option, (key, kind) in PRICE_OPTIONS.items():
        text = getattr(args, option)
        if text is not None:
            places = digits if kind == "money" else 0
            fields[key] = parse_decimal(text, "--" + option.replace("_", "-"), places)
    if args.vat is not None:
        fields["vat_rate_bp"] = parse_decimal(args.vat, "--vat", 2)
    if args.rounding_mode:
        fields["rounding_mode"] = args.rounding_mode
    return fields


def _tariff(fields: dict[str, Any]) -> Tariff:
    try:
        return Tariff.from_dict(fields)
    except InvalidInput as exc:
        # The stored form's reader names it a snapshot; here it is what the user gave.
        raise CliError(str(exc).removeprefix("bad tariff snapshot: ")) from None


async def _scope(s: Services, args: argparse.Namespace) -> TariffScope:
    site_id = fleet_id = plan_id = None
    if args.site is not None:
        sites = await s.sites.sites()
        found = [x.id for x in sites if x.name.lower() == args.site.strip().lower()]
        if not found and args.site.strip().isdigit():
            found = [int(args.site)]
        if len(found) != 1:
            raise CliError(f"--site {args.site!r}: no such site (or several share the name)")
        site_id = found[0]
    if args.fleet is not None:
        fleets = await s.access.fleets()
        named = [f.id for f in fleets if f.name.lower() == args.fleet.strip().lower()]
        if not named and args.fleet.strip().isdigit():
            named = [int(args.fleet)]
        if not named:
            raise CliError(f"--fleet {args.fleet!r}: no such fleet")
        fleet_id = named[0]
    if args.plan is not None:
        plan_id = (await s.subscriptions.find_plan(args.plan)).id
    return TariffScope(site_id, args.station, fleet_id, plan_id)
