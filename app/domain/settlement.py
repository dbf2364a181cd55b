"""End-of-day settlement (the Z-report): what the day took, per payment method.

A business day is a local calendar day in the site's zone, so a day of the
clock change has 23 or 25 hours. Cash expected in the drawer is the opening
float plus cash taken minus cash handed back (refunds); voided cash never
entered the day's takings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from app.domain.payments import TAKEN, Payment, PaymentMethod, PaymentState
from app.domain.price_format import format_money, minor_digits
from app.domain.receipts import METHOD_NAMES, RECEIPT_WIDTH
from app.domain.session_price import vat_included
from app.domain.statements import CsvStyle
from app.domain.tag_csv import guard_formula


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The UTC instants a local day starts and ends (end exclusive)."""
    start = datetime.combine(day, time(0), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end


@dataclass(frozen=True, slots=True)
class RefundFact:
    """A refund paid out, with the method of the payment it returned."""

    at: datetime
    method: PaymentMethod
    amount_minor: int
    vat_rate_bp: int


@dataclass(frozen=True, slots=True)
class MethodTotal:
    method: PaymentMethod
    count: int
    amount_minor: int
    vat_minor: int


@dataclass(frozen=True, slots=True)
class Settlement:
    day: date
    currency: str
    methods: tuple[MethodTotal, ...]  # every method, in a fixed order, zeros included
    refunds: tuple[MethodTotal, ...]
    voids_count: int
    voids_minor: int
    open_holds_count: int
    open_holds_minor: int
    opening_float_minor: int
    cash_in_minor: int
    cash_refunded_minor: int

    @property
    def cash_expected_minor(self) -> int:
        return self.opening_float_minor + self.cash_in_minor - self.cash_refunded_minor

    @property
    def taken_minor(self) -> int:
        return sum(m.amount_minor for m in self.methods)

    @property
    def refunded_minor(self) -> int:
        return sum(r.amount_minor for r in self.refunds)


def build_settlement(
    day: date,
    zone: tzinfo,
    currency: str,
    payments: Iterable[Payment],
    refunds: Iterable[RefundFact],
    open_holds: Iterable[Payment],
    opening_float_minor: int = 0,
) -> Settlement:
    """The Z-report of `day`: payments taken (captured or invoiced) within it, refunds paid
    within it, cash voided within it; holds still open however old they are."""
    start, end = day_bounds(day, zone)
    taken: dict[PaymentMethod, list[int]] = {m: [0, 0, 0] for m in PaymentMethod}
    back: dict[PaymentMethod, list[int]] = {m: [0, 0, 0] for m in PaymentMethod}
    voids = [0, 0]
    for p in payments:
        if p.captured_at is None or not start <= p.captured_at < end:
            continue
        if p.state is PaymentState.VOIDED:
            voids[0] += 1
            voids[1] += p.amount_minor
        elif p.state in TAKEN:
            row = taken[p.method]
            row[0] += 1
            row[1] += p.amount_minor
            row[2] += vat_included(p.amount_minor, p.vat_rate_bp)
    for r in refunds:
        if start <= r.at < end:
            row = back[r.method]
            row[0] += 1
            row[1] += r.amount_minor
            row[2] += vat_included(r.amount_minor, r.vat_rate_bp)
    holds = [p for p in open_holds if p.state is PaymentState.AUTHORISED]
    return Settlement(
        day=day,
        currency=currency,
        methods=tuple(MethodTotal(m, *taken[m]) for m in PaymentMethod),
        refunds=tuple(MethodTotal(m, *back[m]) for m in PaymentMethod if back[m][0]),
        voids_count=voids[0],
        voids_minor=voids[1],
        open_holds_count=len(holds),
        open_holds_minor=sum(p.amount_minor for p in holds),
        opening_float_minor=opening_float_minor,
        cash_in_minor=taken[PaymentMethod.CASH][1],
        cash_refunded_minor=back[PaymentMethod.CASH][1],
    )


def settlement_text(report: Settlement, width: int = RECEIPT_WIDTH) -> str:
    """The Z-report for a receipt printer."""
    cur = report.currency

    def pair(left: str, amount: int) -> str:
        right = format_money(amount, cur)
        return left[: width - len(right) - 1].ljust(width - len(right)) + right

    rule = "-" * width
    out = ["Z-REPORT".center(width).rstrip(), str(report.day).center(width).rstrip(), rule]
    for m in report.methods:
        out.append(pair(f"{METHOD_NAMES[m.method]} ({m.count})", m.amount_minor))
        out.append(pair("  of which VAT", m.vat_minor))
    out.append(pair("Taken", report.taken_minor))
    out.append(rule)
    for r in report.refunds:
        out.append(pair(f"Refunds {METHOD_NAMES[r.method]} ({r.count})", -r.amount_minor))
    out.append(pair(f"Voided cash ({report.voids_count})", report.voids_minor))
    out.append(pair(f"Open card holds ({report.open_holds_count})", report.open_holds_minor))
    out.append(rule)
    out.append(pair("Opening float", report.opening_float_minor))
    out.append(pair("Cash in", report.cash_in_minor))
    out.append(pair("Cash refunded", -report.cash_refunded_minor))
    out.append(pair("CASH EXPECTED IN DRAWER", report.cash_expected_minor))
    return "\n".join(out) + "\n"


CSV_COLUMNS = ("day", "section", "method", "count", "amount", "vat", "currency")


def settlement_csv(report: Settlement, style: CsvStyle = CsvStyle.COMMA) -> str:
    """One row per method, refund, the voids, the holds and the drawer; UTF-8 BOM first;
    text a spreadsheet would run as a formula gets a leading apostrophe."""
    delimiter, point = (",", ".") if style is CsvStyle.COMMA else (";", ",")
    digits = minor_digits(report.currency)

    def money(value: int) -> str:
        return str(Decimal(value).scaleb(-digits)).replace(".", point)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    head = [str(report.day)]
    currency = guard_formula(report.currency)

    def row(section: str, method: str, count: int | None, amount: int, vat: int | None) -> None:
        writer.writerow(
            [
                *head,
                section,
                method,
                "" if count is None else str(count),
                money(amount),
                "" if vat is None else money(vat),
                currency,
            ]
        )

    for m in report.methods:
        row("payments", m.method.value, m.count, m.amount_minor, m.vat_minor)
    for r in report.refunds:
        row("refunds", r.method.value, r.count, r.amount_minor, r.vat_minor)
    row("voids", PaymentMethod.CASH.value, report.voids_count, report.voids_minor, None)
    row(
        "open_holds",
        PaymentMethod.CARD.value,
        report.open_holds_count,
        report.open_holds_minor,
        None,
    )
    row("opening_float", PaymentMethod.CASH.value, None, report.opening_float_minor, None)
    row("cash_expected", PaymentMethod.CASH.value, None, report.cash_expected_minor, None)
    return "\ufeff" + out.getvalue()
