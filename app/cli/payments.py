"""`chargedesk payments ...`: the payment desk from the command line.

What needs no payment provider runs offline on the database, also while the engine
runs on it: reading (awaiting, list, show, receipt, settlement), cash, voiding cash,
and refunds of cash (handed back at the desk). What talks to Stripe goes through
the running engine's local API, which holds the Stripe key and the desk's state:
refunds of card and QR payments, and reconcile. Those take --api and --token (or
$CHARGEDESK_API_TOKEN) as the live station commands do; the ledger then names the
token as who did it.

Amounts are typed in the currency's main unit ("500", "500.00" or "500,00") and
printed with the currency. Exit status: 0 done, 1 done but not as hoped (Stripe
refused a refund; reconciliation left something for a manager), 2 refused or
could not be done (the reason is printed).
"""

from __future__ import annotations

import argparse
import getpass
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

from app.cli import live, payments_live
from app.cli.output import emit, local_time, plain
from app.cli.records import CliError, run
from app.cli.subscriptions import parse_day, parse_decimal
from app.config import Settings, site_zone
from app.domain.errors import NotFound
from app.domain.payment_errors import PaymentProviderError
from app.domain.payments import Payment, PaymentEvent, PaymentMethod
from app.domain.price_format import format_money, minor_digits
from app.domain.settlement import Settlement, day_bounds, settlement_csv, settlement_text
from app.domain.statements import CsvStyle
from app.services.container import Services
from app.services.payment_desk import AwaitingSession
from app.services.payments import CashTaken
from app.store.database import Database

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
THROUGH_STRIPE = frozenset({PaymentMethod.CARD, PaymentMethod.QR})
AWAITING_COLUMNS = ["session", "station", "connector", "tag", "stopped", "kwh", "total", "driver"]
PAYMENT_COLUMNS = ["id", "session", "method", "state", "amount", "refunded", "created", "by"]
EVENT_COLUMNS = ["at", "change", "step", "reason", "by"]


def add_parsers(sub: SubParsers, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("payments", help="the payment desk: sessions to pay, receipts, Z-report")
    psub = p.add_subparsers(dest="payments_command", metavar="ACTION", required=True)

    def command(name: str, helptext: str, *, by: bool = False) -> argparse.ArgumentParser:
        q = psub.add_parser(name, help=helptext)
        db_arg(q)
        q.add_argument("--json", action="store_true", help="print JSON instead of text")
        if by:
            q.add_argument("--by", help="who does it, for the ledger (default: your user name)")
        return q

    def through_api(q: argparse.ArgumentParser) -> None:
        q.add_argument("--api", help="API base URL (default: from the settings)")
        q.add_argument("--token", help=f"API token, scope control (default: ${live.TOKEN_ENV})")

    command("awaiting", "ended walk-in sessions not paid yet, with their price")
    q = command("list", "payments begun on a day, newest first")
    q.add_argument("--day", help="YYYY-MM-DD in the site's time zone (default today)")
    q = command("show", "a payment and every change it went through")
    q.add_argument("id", type=int, help="payment id")
    q = command("receipt", "a receipt as the receipt printer prints it")
    q.add_argument("number", type=int, help="receipt number")
    q = command("cash", "take cash for a session awaiting payment", by=True)
    q.add_argument("transaction", type=int, metavar="SESSION", help="transaction id")
    q.add_argument("--tendered", required=True, help="what the driver hands over, e.g. 500.00")
    q.add_argument("--email", help="where to send the receipt later")
    q = command("refund", "refund part or all of a payment (card and QR: through the API)", by=True)
    q.add_argument("id", type=int, help="payment id")
    q.add_argument("--amount", required=True, help="e.g. 10.00")
    q.add_argument("--reason", required=True)
    through_api(q)
    q = command("void", "take back a cash payment taken today", by=True)
    q.add_argument("id", type=int, help="payment id")
    q.add_argument("--reason", required=True)
    q = command("settlement", "the Z-report of a day: takings, refunds, cash in the drawer")
    q.add_argument("--day", help="YYYY-MM-DD in the site's time zone (default today)")
    q.add_argument("--csv", type=Path, metavar="FILE", help="also write it as CSV")
    q.add_argument(
        "--semicolon", action="store_true", help="CSV with ; and decimal commas (Swedish Excel)"
    )
    q = command("reconcile", "settle with Stripe what is left in flight (through the API)")
    through_api(q)


def dispatch(settings: Settings, args: argparse.Namespace) -> int:
    action: Callable[[Settings, argparse.Namespace], int] = {
        "awaiting": awaiting,
        "list": list_payments,
        "show": show,
        "receipt": receipt,
        "cash": cash,
        "refund": refund,
        "void": void,
        "settlement": settlement,
        "reconcile": payments_live.reconcile,
    }[args.payments_command]
    try:
        return action(settings, args)
    except live.LiveError as exc:
        return live.report(exc)
    except PaymentProviderError as exc:  # its text is safe to show
        raise CliError(str(exc)) from exc


# ---- reading --------------------------------------------------------------------------


def awaiting(settings: Settings, args: argparse.Namespace) -> int:
    async def work(s: Services, _db: Database) -> list[AwaitingSession]:
        return await s.desk.awaiting()

    found = run(settings, work)
    if args.json:
        _print_json([_awaiting_data(a) for a in found])
        return 0
    rows = [
        {
            "session": a.transaction_id,
            "station": a.station_id,
            "connector": a.connector_id,
            "tag": a.id_tag,
            "stopped": a.stopped_at,
            "kwh": str(Decimal(a.energy_wh).scaleb(-3)),
            "total": format_money(a.total_minor, a.currency),
            "driver": " / ".join(x for x in (a.driver_name, a.fleet_name) if x),
        }
        for a in found
    ]
    emit(rows, AWAITING_COLUMNS, as_json=False)
    return 0


def list_payments(settings: Settings, args: argparse.Namespace) -> int:
    day = _day(settings, args.day)
    start, end = day_bounds(day, site_zone(settings))

    async def work(s: Services, _db: Database) -> list[Payment]:
        return await s.payments.payments_between(start, end)

    found = run(settings, work)
    if args.json:
        _print_json([plain(p) for p in found])
        return 0
    emit([_payment_row(p) for p in found], PAYMENT_COLUMNS, as_json=False)
    return 0


def show(settings: Settings, args: argparse.Namespace) -> int:
    async def work(s: Services, _db: Database) -> tuple[Payment, list[PaymentEvent], int | None]:
        payment = await s.payments.get(args.id)
        try:
            number: int | None = (await s.payments.receipt_for(payment.id)).number
        except NotFound:
            number = None
        return payment, await s.payments.history(payment.id), number

    payment, events, number = run(settings, work)
    if args.json:
        _print_json({"payment": plain(payment), "receipt_number": number, "events": plain(events)})
        return 0
    money = payment.currency
    print(f"Payment {payment.id}: {payment.method.value}, {payment.state.value}")
    details = [
        ("Session", payment.transaction_id),
        ("Amount", format_money(payment.amount_minor, money)),
        (
            "Refunded",
            format_money(payment.refunded_minor, money) if payment.refunded_minor else None,
        ),
        ("Card", " ".join(x for x in (payment.card_brand, payment.card_last4) if x) or None),
        ("Tendered", _money_or_none(payment.tendered_minor, money)),
        ("Change", _money_or_none(payment.change_minor, money)),
        ("Fleet", payment.fleet_id),
        ("Failed", payment.failure_reason),
        ("Waiting for", payment.in_flight and f"Stripe ({payment.in_flight.value})"),
        ("Receipt", number),
        ("Created", f"{local_time(payment.created_at)} by {payment.by or '?'}"),
    ]
    for label, value in details:
        if value is not None:
            print(f"  {label:<12}{value}")
    rows = [
        {
            "at": e.at,
            "change": f"{e.from_state.value if e.from_state else ''} → {e.to_state.value}",
            "step": (e.step or "") + (" (in flight)" if e.in_flight else ""),
            "reason": e.reason,
            "by": e.by,
        }
        for e in events
    ]
    emit(rows, EVENT_COLUMNS, as_json=False)
    return 0


def receipt(settings: Settings, args: argparse.Namespace) -> int:
    async def work(s: Services, _db: Database) -> tuple[dict[str, object], str]:
        return (await s.payments.receipt(args.number)).to_dict(), await s.payments.receipt_text(
            args.number
        )

    data, text = run(settings, work)
    if args.json:
        _print_json(data)
    else:
        print(text, end="")
    return 0


def settlement(settings: Settings, args: argparse.Namespace) -> int:
    day = _day(settings, args.day)

    async def work(s: Services, _db: Database) -> Settlement:
        return await s.payments.settlement(day)

    report = run(settings, work)
    if args.csv is not None:
        style = CsvStyle.SEMICOLON if args.semicolon else CsvStyle.COMMA
        try:
            args.csv.write_bytes(settlement_csv(report, style).encode("utf-8"))
        except OSError as exc:
            raise CliError(f"could not write {args.csv}: {exc.strerror or exc}") from exc
    if args.json:
        _print_json(_settlement_data(report))
    else:
        print(settlement_text(report), end="")
    if args.csv is not None and not args.json:
        print(f"CSV written to {args.csv}")
    return 0


# ---- taking and giving back ---------------------------------------------------------------


def cash(settings: Settings, args: argparse.Namespace) -> int:
    tendered = _amount(settings, args.tendered, "--tendered")
    by = _by(args)

    async def work(s: Services, _db: Database) -> CashTaken:
        return await s.desk.pay_cash(args.transaction, tendered, by, args.email)

    taken = run(settings, work)
    if args.json:
        _print_json({**plain(taken), "receipt": taken.receipt.to_dict()})
        return 0
    money = taken.payment.currency
    paid = format_money(taken.payment.amount_minor, money)
    print(
        f"Session {args.transaction} paid in cash: {paid}"
        f" (payment {taken.payment.id}, receipt {taken.receipt.number})"
    )
    print(f"Change to hand back: {format_money(taken.change_minor, money)}")
    return 0


def refund(settings: Settings, args: argparse.Namespace) -> int:
    amount = _amount(settings, args.amount, "--amount")

    async def method(s: Services, _db: Database) -> Payment:
        return await s.payments.get(args.id)

    payment = run(settings, method)
    if payment.method in THROUGH_STRIPE:
        body = {"amount_minor": amount, "reason": args.reason}
        answer = payments_live.call(settings, args, "POST", f"/payments/{args.id}/refunds", body)
    else:
        by = _by(args)

        async def work(s: Services, _db: Database) -> dict[str, Any]:
            made = await s.desk.refund(args.id, amount, args.reason, by)
            return {"refund": plain(made), "payment": plain(await s.payments.get(args.id))}

        answer = run(settings, work)
    done = bool(answer["refund"]["done"])
    if args.json:
        _print_json(answer)
        return 0 if done else 1
    money = format_money(amount, payment.currency)
    if not done:
        print(f"Stripe did not refund {money} of payment {args.id}: see `payments show {args.id}`")
        return 1
    hand = " (hand it back to the driver)" if payment.method is PaymentMethod.CASH else ""
    state = answer["payment"]["state"]
    print(f"Refunded {money} of payment {args.id}{hand}; it is now {state}")
    return 0


def void(settings: Settings, args: argparse.Namespace) -> int:
    by = _by(args)

    async def work(s: Services, _db: Database) -> Payment:
        return await s.desk.void_cash(args.id, args.reason, by)

    voided = run(settings, work)
    if args.json:
        _print_json(plain(voided))
        return 0
    print(
        f"Payment {voided.id} voided: {format_money(voided.amount_minor, voided.currency)} "
        f"back to the driver; session {voided.transaction_id} awaits payment again"
    )
    return 0


# ---- helpers ------------------------------------------------------------------------------


def _day(settings: Settings, text: str | None) -> date:
    return parse_day(text, "--day") or datetime.now(site_zone(settings)).date()


def _amount(settings: Settings, text: str, what: str) -> int:
    amount = parse_decimal(text, what, minor_digits(settings.currency))
    if amount <= 0:
        raise CliError(f"{what}: give an amount above zero, e.g. 10.00")
    return amount


def _by(args: argparse.Namespace) -> str:
    if args.by:
        return str(args.by)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name to be found (a bare container)
        raise CliError("say who you are with --by NAME") from None


def _money_or_none(amount: int | None, currency: str) -> str | None:
    return None if amount is None else format_money(amount, currency)


def _payment_row(p: Payment) -> dict[str, Any]:
    return {
        "id": p.id,
        "session": p.transaction_id,
        "method": p.method.value,
        "state": p.state.value + (" (waiting for Stripe)" if p.in_flight else ""),
        "amount": format_money(p.amount_minor, p.currency),
        "refunded": format_money(p.refunded_minor, p.currency) if p.refunded_minor else "",
        "created": p.created_at,
        "by": p.by,
    }


def _awaiting_data(a: AwaitingSession) -> dict[str, Any]:
    data: dict[str, Any] = plain(a)
    data["lines"] = [
        {
            "kind": line.kind.value,
            "label": line.label,
            "amount_minor": line.amount_minor,
            "quantity": None if line.quantity is None else str(line.quantity),
            "unit": None if line.unit is None else line.unit.value,
        }
        for line in a.lines
    ]
    return data


def _settlement_data(r: Settlement) -> dict[str, Any]:
    return {
        **plain(r),
        "day": str(r.day),
        "cash_expected_minor": r.cash_expected_minor,
        "taken_minor": r.taken_minor,
        "refunded_minor": r.refunded_minor,
    }


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
