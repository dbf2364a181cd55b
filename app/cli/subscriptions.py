"""`chargedesk plans|subscriptions|statement`: subscription plans, drivers' subscriptions
and a driver's monthly statement (text, --json, CSV and PDF), offline on the database."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

from app.cli.output import emit
from app.cli.records import CliError, run
from app.config import Settings
from app.domain.errors import ChargeDeskError
from app.domain.price_format import format_basis_points, format_money, minor_digits
from app.domain.statements import CsvStyle, Statement, statement_csv
from app.domain.subscriptions import Month, Plan
from app.services.container import Services
from app.services.subscriptions import Member
from app.store.database import Database

T = TypeVar("T")
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
PLAN_COLUMNS = ["id", "name", "monthly_fee", "included_kwh", "price_per_kwh", "discount", "sites"]
MEMBER_COLUMNS = ["id", "driver", "plan", "starts_on", "ends_on", "status", "pauses"]


def add_parsers(sub: SubParsers, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add `plans`, `subscriptions` and `statement` to the top-level subparsers."""

    def command(parent: SubParsers, name: str, helptext: str, *, json_flag: bool = False) -> Any:
        q = parent.add_parser(name, help=helptext)
        db_arg(q)
        if json_flag:
            q.add_argument("--json", action="store_true", help="print JSON instead of text")
        return q

    p = sub.add_parser("plans", help="subscription plans")
    psub = p.add_subparsers(dest="plans_command", metavar="ACTION", required=True)
    q = command(psub, "list", "list plans", json_flag=True)
    q.add_argument("--all", action="store_true", help="archived plans too")
    q = command(psub, "create", "create a plan (prices include VAT)", json_flag=True)
    q.add_argument("name")
    q.add_argument("--fee", required=True, help="monthly fee, e.g. 299 or 299,00")
    q.add_argument("--included-kwh", default="0", help="energy included each month (kWh)")
    q.add_argument("--price-per-kwh", help="plan price per kWh beyond what is included")
    q.add_argument("--discount", default="0", help="discount on energy and time, percent")
    q.add_argument("--currency", default="SEK")
    q.add_argument("--vat", default="25", help="VAT rate of the fee, percent (default 25)")
    q.add_argument(
        "--site", type=int, action="append", default=[], help="a site it covers (default: all)"
    )
    q = command(psub, "show", "a plan and its subscribers", json_flag=True)
    q.add_argument("plan", metavar="PLAN", help="name or id")

    p = sub.add_parser("subscriptions", help="drivers' subscriptions to plans")
    ssub = p.add_subparsers(dest="subscriptions_command", metavar="ACTION", required=True)
    q = command(ssub, "add", "subscribe a driver to a plan", json_flag=True)
    q.add_argument("driver", metavar="DRIVER", help="name or id")
    q.add_argument("plan", metavar="PLAN", help="name or id")
    q.add_argument("--from", dest="first", help="first day, YYYY-MM-DD (default today)")
    q.add_argument("--until", dest="last", help="last day, YYYY-MM-DD (default: no end)")
    q = command(ssub, "pause", "pause a subscription (no fee, no plan prices)", json_flag=True)
    q.add_argument("id", type=int)
    q.add_argument("--from", dest="first", help="first paused day (default today)")
    q.add_argument("--until", dest="last", help="last paused day (default: until resumed)")
    q = command(ssub, "resume", "resume a paused subscription", json_flag=True)
    q.add_argument("id", type=int)
    q.add_argument("--on", dest="day", help="first active day again (default today)")
    q = command(ssub, "end", "end a subscription", json_flag=True)
    q.add_argument("id", type=int)
    q.add_argument("--on", dest="day", help="its last day (default today)")
    q = command(ssub, "list", "list subscriptions", json_flag=True)
    q.add_argument("--driver", help="only this driver (name or id)")
    q.add_argument("--plan", help="only this plan (name or id)")

    q = command(sub, "statement", "a driver's monthly statement", json_flag=True)
    q.add_argument("driver", metavar="DRIVER", help="name or id")
    q.add_argument("--month", required=True, help="YYYY-MM, in the site's time zone")
    q.add_argument("--csv", type=Path, metavar="FILE", help="write the statement as CSV")
    q.add_argument(
        "--semicolon", action="store_true", help="CSV with ; and decimal commas (Swedish Excel)"
    )
    q.add_argument("--pdf", type=Path, metavar="FILE", help="write the statement as PDF")


def dispatch(command: str, settings: Settings, args: argparse.Namespace) -> None:
    if command == "statement":
        statement(settings, args)
    elif command == "plans":
        {"list": plans_list, "create": plans_create, "show": plans_show}[args.plans_command](
            settings, args
        )
    else:
        {
            "add": subscriptions_add,
            "pause": subscriptions_change,
            "resume": subscriptions_change,
            "end": subscriptions_change,
            "list": subscriptions_list,
        }[args.subscriptions_command](settings, args)


# ---- parsing what people type ---------------------------------------------------------


def parse_decimal(text: str, what: str, places: int) -> int:
    """ "299", "299.5" or "299,50" → the whole number of 10^-places units, exactly."""
    try:
        value = Decimal(text.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise CliError(f"{what}: {text!r} is not a number") from None
    scaled = value.scaleb(places)
    if not value.is_finite() or scaled != scaled.to_integral_value():
        raise CliError(f"{what}: {text!r} has more than {places} decimals")
    return int(scaled)


def _checked(make: Callable[[], T]) -> T:
    """What the domain refuses, as one line for the user."""
    try:
        return make()
    except ChargeDeskError as exc:
        raise CliError(str(exc)) from exc


def parse_day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from None


# ---- plans ----------------------------------------------------------------------------


def plan_row(plan: Plan) -> dict[str, Any]:
    price = plan.price_per_kwh_minor
    return {
        "id": plan.id,
        "name": plan.name,
        "monthly_fee": format_money(plan.monthly_fee_minor, plan.currency),
        "included_kwh": str(Decimal(plan.included_wh).scaleb(-3)),
        "price_per_kwh": "" if price is None else format_money(price, plan.currency),
        "discount": format_basis_points(plan.discount_bp),
        "sites": ", ".join(map(str, sorted(plan.site_ids))) or "all",
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "name": plan.name,
        "monthly_fee_minor": plan.monthly_fee_minor,
        "included_wh": plan.included_wh,
        "price_per_kwh_minor": plan.price_per_kwh_minor,
        "discount_bp": plan.discount_bp,
        "currency": plan.currency,
        "vat_rate_bp": plan.vat_rate_bp,
        "site_ids": sorted(plan.site_ids),
        "archived": plan.archived,
    }


def plans_list(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> list[Plan]:
        return await s.subscriptions.plans(include_archived=args.all)

    plans = run(settings, work)
    if args.json:
        print(json.dumps([plan_json(p) for p in plans], indent=2, ensure_ascii=False))
    else:
        emit([plan_row(p) for p in plans], PLAN_COLUMNS, as_json=False)


def plans_create(settings: Settings, args: argparse.Namespace) -> None:
    digits = minor_digits(args.currency.strip().upper())
    price = args.price_per_kwh
    plan = _checked(
        lambda: Plan(
            name=args.name,
            monthly_fee_minor=parse_decimal(args.fee, "--fee", digits),
            included_wh=parse_decimal(args.included_kwh, "--included-kwh", 3),
            price_per_kwh_minor=None
            if price is None
            else parse_decimal(price, "--price-per-kwh", 2),
            discount_bp=parse_decimal(args.discount, "--discount", 2),
            currency=args.currency.strip().upper(),
            vat_rate_bp=parse_decimal(args.vat, "--vat", 2),
            site_ids=frozenset(args.site),
        )
    )

    async def work(s: Services, _db: Database) -> Plan:
        return await s.subscriptions.create_plan(plan)

    created = run(settings, work)
    if args.json:
        print(json.dumps(plan_json(created), indent=2, ensure_ascii=False))
    else:
        row = plan_row(created)
        print(f"Plan {created.id} {created.name!r}: {row['monthly_fee']} a month")


def plans_show(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> tuple[Plan, list[Member]]:
        plan = await s.subscriptions.find_plan(args.plan)
        return plan, await s.subscriptions.members(plan.id)

    plan, members = run(settings, work)
    if args.json:
        shown = {**plan_json(plan), "subscriptions": [member_json(m) for m in members]}
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    for key, value in plan_row(plan).items():
        print(f"{key.replace('_', ' ')}: {value}")
    print()
    emit([member_row(m) for m in members], MEMBER_COLUMNS, as_json=False)


# ---- subscriptions --------------------------------------------------------------------


def member_row(member: Member) -> dict[str, Any]:
    subscription = member.subscription
    return {
        "id": subscription.id,
        "driver": member.driver_name,
        "plan": member.plan_name,
        "starts_on": subscription.starts_on.isoformat(),
        "ends_on": "" if subscription.ends_on is None else subscription.ends_on.isoformat(),
        "status": member.status.value,
        "pauses": "; ".join(pause.describe() for pause in subscription.pauses),
    }


def member_json(member: Member) -> dict[str, Any]:
    subscription = member.subscription
    return {
        "id": subscription.id,
        "driver_id": subscription.driver_id,
        "driver": member.driver_name,
        "fleet": member.fleet_name,
        "plan_id": subscription.plan_id,
        "plan": member.plan_name,
        "starts_on": subscription.starts_on.isoformat(),
        "ends_on": None if subscription.ends_on is None else subscription.ends_on.isoformat(),
        "status": member.status.value,
        "pauses": [
            {
                "from": pause.from_date.isoformat(),
                "to": None if pause.to_date is None else pause.to_date.isoformat(),
            }
            for pause in subscription.pauses
        ],
    }


def _print_member(member: Member, as_json: bool, verb: str) -> None:
    if as_json:
        print(json.dumps(member_json(member), indent=2, ensure_ascii=False))
        return
    subscription = member.subscription
    print(
        f"Subscription {subscription.id}: {member.driver_name} on {member.plan_name!r} "
        f"{subscription.describe()} {verb} (now {member.status.value})"
    )


def subscriptions_add(settings: Settings, args: argparse.Namespace) -> None:
    first = parse_day(args.first, "--from")
    last = parse_day(args.last, "--until")

    async def work(s: Services, _db: Database) -> Member:
        driver_id = await s.subscriptions.find_driver(args.driver)
        plan = await s.subscriptions.find_plan(args.plan)
        added = await s.subscriptions.subscribe(driver_id, plan.id, first, last)
        return await s.subscriptions.member(added.id)

    _print_member(run(settings, work), args.json, "added")


def subscriptions_change(settings: Settings, args: argparse.Namespace) -> None:
    action = args.subscriptions_command
    if action == "pause":
        first = parse_day(args.first, "--from")
        last = parse_day(args.last, "--until")
    else:
        day = parse_day(args.day, "--on")

    async def work(s: Services, _db: Database) -> Member:
        service = s.subscriptions
        if action == "pause":
            await service.pause(args.id, first, last)
        elif action == "resume":
            await service.resume(args.id, day)
        else:
            await service.end(args.id, day)
        return await service.member(args.id)

    verb = {"pause": "paused", "resume": "resumed", "end": "ended"}[action]
    _print_member(run(settings, work), args.json, verb)


def subscriptions_list(settings: Settings, args: argparse.Namespace) -> None:
    async def work(s: Services, _db: Database) -> list[Member]:
        service = s.subscriptions
        driver_id = None if args.driver is None else await service.find_driver(args.driver)
        plan_id = None if args.plan is None else (await service.find_plan(args.plan)).id
        return await service.list(driver_id=driver_id, plan_id=plan_id)

    members = run(settings, work)
    if args.json:
        print(json.dumps([member_json(m) for m in members], indent=2, ensure_ascii=False))
    else:
        emit([member_row(m) for m in members], MEMBER_COLUMNS, as_json=False)


# ---- statement ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Written:
    what: str
    path: Path


def statement(settings: Settings, args: argparse.Namespace) -> None:
    month = _checked(lambda: Month.parse(args.month))

    async def work(s: Services, _db: Database) -> Statement:
        driver_id = await s.subscriptions.find_driver(args.driver)
        return await s.subscriptions.statement(driver_id, month.year, month.month)

    built = run(settings, work)
    written = []
    if args.csv is not None:
        style = CsvStyle.SEMICOLON if args.semicolon else CsvStyle.COMMA
        _write(args.csv, statement_csv(built, style).encode("utf-8"))
        written.append(_Written("CSV", args.csv))
    if args.pdf is not None:
        # Qt is loaded only for a PDF: the rest of the CLI runs without it.
        from app.ui.reports.statement_pdf import write_statement_pdf

        if not args.pdf.parent.is_dir():
            raise CliError(f"could not write {args.pdf}: there is no folder {args.pdf.parent}")
        write_statement_pdf(built, args.pdf)
        # Qt's PDF writer reports no error of its own.
        if not args.pdf.is_file() or not args.pdf.stat().st_size:
            raise CliError(f"could not write {args.pdf}")
        written.append(_Written("PDF", args.pdf))
    if args.json:
        print(json.dumps(built.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_statement(built)
    for item in written:
        print(f"{item.what} written to {item.path}")


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CliError(f"could not write {path}: {exc.strerror or exc}") from exc


def _print_statement(built: Statement) -> None:
    money = built.currency
    print(
        f"Statement {built.month} for {built.driver_name}"
        + (f" ({built.fleet_name})" if built.fleet_name else "")
    )
    if built.provisional:
        print("Provisional: a session is still charging.")
    rows = [
        {
            "start": row.started.strftime("%Y-%m-%d %H:%M"),
            "station": row.station_id,
            "kwh": str(Decimal(row.energy_wh).scaleb(-3)),
            "included_kwh": str(Decimal(row.included_wh).scaleb(-3)),
            "amount": format_money(row.amount_minor, money),
            "vat": format_money(row.vat_minor, money),
        }
        for row in built.sessions
    ]
    emit(rows, ["start", "station", "kwh", "included_kwh", "amount", "vat"], as_json=False)
    for fee in built.fees:
        print(f"{fee.description}: {format_money(fee.amount_minor, money)}")
    print(f"Charging: {format_money(built.charging_minor, money)}")
    print(f"Subscription fees: {format_money(built.fees_minor, money)}")
    for vat in built.vat:
        print(f"VAT {format_basis_points(vat.rate_bp)}: {format_money(vat.vat_minor, money)}")
    print(f"Total: {format_money(built.total_minor, money)}")
