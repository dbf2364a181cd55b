"""A driver's monthly statement: sessions, energy, charges, subscription fees and VAT.

Built from what is stored (each session's price as priced, the month's fees as
`app.domain.subscriptions` pro-rates them), never recomputed, so a statement
always agrees with the receipts. Everything is integer minor units.

How it adds up: the charging subtotal is the sum of the session rows, the fee
subtotal the sum of the fee rows, the total their sum. VAT per rate is the sum
of the VAT of the rows at that rate (each row's VAT as stored or, for a fee,
the VAT its amount contains, rounded half-up), so the VAT lines add up to the
VAT total exactly. A session whose price is not final yet (still charging) is
listed with its price so far and makes the statement provisional.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from enum import StrEnum

from app.domain.errors import InvalidInput
from app.domain.price_format import format_basis_points, minor_digits
from app.domain.session_price import vat_included
from app.domain.subscriptions import DEFAULT_CURRENCY, Month, MonthlyFee
from app.domain.tag_csv import guard_formula

BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class ChargedSession:
    """One of the driver's sessions with its stored price (None: not priced yet)."""

    transaction_id: int
    station_id: str
    started_at: datetime
    stopped_at: datetime | None
    energy_wh: int | None
    total_minor: int | None
    vat_minor: int | None
    vat_rate_bp: int
    currency: str
    included_wh_used: int
    final: bool


@dataclass(frozen=True, slots=True)
class SessionRow:
    transaction_id: int
    station_id: str
    # The start in the site's local time.
    started: datetime
    duration_seconds: int | None
    energy_wh: int
    included_wh: int
    amount_minor: int
    vat_minor: int
    vat_rate_bp: int
    final: bool


@dataclass(frozen=True, slots=True)
class FeeRow:
    plan_name: str
    active_days: int
    days_in_month: int
    amount_minor: int
    vat_minor: int
    vat_rate_bp: int

    @property
    def description(self) -> str:
        """ "Subscription Gold, 30 of 30 days"."""
        return f"Subscription {self.plan_name}, {self.active_days} of {self.days_in_month} days"


@dataclass(frozen=True, slots=True)
class VatRow:
    rate_bp: int
    # Amounts at this rate, VAT included; the VAT they contain; without VAT.
    gross_minor: int
    vat_minor: int

    @property
    def net_minor(self) -> int:
        return self.gross_minor - self.vat_minor


@dataclass(frozen=True, slots=True)
class Statement:
    driver_id: int
    driver_name: str
    fleet_name: str | None
    month: Month
    zone: str
    currency: str
    sessions: tuple[SessionRow, ...]
    fees: tuple[FeeRow, ...]
    vat: tuple[VatRow, ...]

    @property
    def charging_minor(self) -> int:
        return sum(row.amount_minor for row in self.sessions)

    @property
    def fees_minor(self) -> int:
        return sum(row.amount_minor for row in self.fees)

    @property
    def total_minor(self) -> int:
        return self.charging_minor + self.fees_minor

    @property
    def vat_minor(self) -> int:
        return sum(row.vat_minor for row in self.vat)

    @property
    def energy_wh(self) -> int:
        return sum(row.energy_wh for row in self.sessions)

    @property
    def included_wh(self) -> int:
        return sum(row.included_wh for row in self.sessions)

    @property
    def provisional(self) -> bool:
        """Some session is still charging: its amount may change."""
        return any(not row.final for row in self.sessions)

    def to_dict(self) -> dict[str, object]:
        """For --json: amounts in minor units, times ISO 8601 with the local offset."""
        return {
            "driver_id": self.driver_id,
            "driver": self.driver_name,
            "fleet": self.fleet_name,
            "month": str(self.month),
            "time_zone": self.zone,
            "currency": self.currency,
            "provisional": self.provisional,
            "sessions": [
                {
                    "transaction_id": row.transaction_id,
                    "station_id": row.station_id,
                    "started": row.started.isoformat(),
                    "duration_seconds": row.duration_seconds,
                    "energy_wh": row.energy_wh,
                    "included_wh": row.included_wh,
                    "amount_minor": row.amount_minor,
                    "vat_minor": row.vat_minor,
                    "vat_rate_bp": row.vat_rate_bp,
                    "final": row.final,
                }
                for row in self.sessions
            ],
            "fees": [
                {
                    "plan": row.plan_name,
                    "description": row.description,
                    "active_days": row.active_days,
                    "days_in_month": row.days_in_month,
                    "amount_minor": row.amount_minor,
                    "vat_minor": row.vat_minor,
                    "vat_rate_bp": row.vat_rate_bp,
                }
                for row in self.fees
            ],
            "vat": [
                {
                    "rate_bp": row.rate_bp,
                    "gross_minor": row.gross_minor,
                    "vat_minor": row.vat_minor,
                    "net_minor": row.net_minor,
                }
                for row in self.vat
            ],
            "energy_wh": self.energy_wh,
            "included_wh": self.included_wh,
            "charging_minor": self.charging_minor,
            "fees_minor": self.fees_minor,
            "vat_minor": self.vat_minor,
            "total_minor": self.total_minor,
        }


def build_statement(
    *,
    driver_id: int,
    driver_name: str,
    fleet_name: str | None,
    month: Month,
    zone: tzinfo,
    sessions: Iterable[ChargedSession],
    fees: Iterable[MonthlyFee],
) -> Statement:
    """The statement of the month; refuses amounts in more than one currency."""
    session_rows = []
    currencies: set[str] = set()
    for session in sorted(sessions, key=lambda s: (s.started_at, s.transaction_id)):
        currencies.add(session.currency)
        duration = None
        if session.stopped_at is not None:
            duration = max(0, round((session.stopped_at - session.started_at).total_seconds()))
        session_rows.append(
            SessionRow(
                transaction_id=session.transaction_id,
                station_id=session.station_id,
                started=session.started_at.astimezone(zone),
                duration_seconds=duration,
                energy_wh=session.energy_wh or 0,
                included_wh=session.included_wh_used,
                amount_minor=session.total_minor or 0,
                vat_minor=session.vat_minor or 0,
                vat_rate_bp=session.vat_rate_bp,
                final=session.final and session.total_minor is not None,
            )
        )
    fee_rows = []
    for fee in fees:
        currencies.add(fee.currency)
        fee_rows.append(
            FeeRow(
                plan_name=fee.plan_name,
                active_days=fee.active_days,
                days_in_month=fee.days_in_month,
                amount_minor=fee.amount_minor,
                vat_minor=vat_included(fee.amount_minor, fee.vat_rate_bp),
                vat_rate_bp=fee.vat_rate_bp,
            )
        )
    if len(currencies) > 1:
        raise InvalidInput(
            f"the statement for {month} has amounts in {', '.join(sorted(currencies))}; "
            "a statement is in one currency"
        )
    by_rate: dict[int, tuple[int, int]] = {}
    for rate, amount, vat in [
        *((row.vat_rate_bp, row.amount_minor, row.vat_minor) for row in session_rows),
        *((row.vat_rate_bp, row.amount_minor, row.vat_minor) for row in fee_rows),
    ]:
        gross, contained = by_rate.get(rate, (0, 0))
        by_rate[rate] = (gross + amount, contained + vat)
    return Statement(
        driver_id=driver_id,
        driver_name=driver_name,
        fleet_name=fleet_name,
        month=month,
        zone=str(zone),
        currency=currencies.pop() if currencies else DEFAULT_CURRENCY,
        sessions=tuple(session_rows),
        fees=tuple(fee_rows),
        vat=tuple(VatRow(rate, *by_rate[rate]) for rate in sorted(by_rate)),
    )


# ---- CSV ---------------------------------------------------------------------------------


class CsvStyle(StrEnum):
    """`comma`: "," between cells and "." in numbers; `semicolon`: ";" and "," (Swedish Excel)."""

    COMMA = "comma"
    SEMICOLON = "semicolon"


CSV_COLUMNS = (
    "driver",
    "fleet",
    "month",
    "kind",
    "transaction",
    "start",
    "station",
    "description",
    "energy_kwh",
    "duration_min",
    "included_kwh",
    "amount",
    "vat_rate",
    "vat",
    "currency",
)


def statement_csv(statement: Statement, style: CsvStyle = CsvStyle.COMMA) -> str:
    """One row per session, per fee, per VAT rate and for the totals; UTF-8 BOM first.

    Every row repeats the driver, fleet and month, so statements of several drivers
    can be pasted into one sheet. Text a spreadsheet would run as a formula gets a
    leading apostrophe.
    """
    delimiter, point = (",", ".") if style is CsvStyle.COMMA else (";", ",")
    digits = minor_digits(statement.currency)

    def number(value: int, places: int) -> str:
        return str(Decimal(value).scaleb(-places)).replace(".", point)

    def money(value: int) -> str:
        return number(value, digits)

    def rate(value_bp: int) -> str:
        return format_basis_points(value_bp).removesuffix(" %").replace(".", point)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    head = [guard_formula(statement.driver_name), guard_formula(statement.fleet_name or "")]
    head.append(str(statement.month))

    def row(kind: str, **cells: str) -> None:
        writer.writerow([*head, kind, *(cells.get(column, "") for column in CSV_COLUMNS[4:])])

    for session in statement.sessions:
        row(
            "session",
            transaction=str(session.transaction_id),
            start=session.started.strftime("%Y-%m-%d %H:%M"),
            station=guard_formula(session.station_id),
            description="" if session.final else "still charging: price so far",
            energy_kwh=number(session.energy_wh, 3),
            duration_min=""
            if session.duration_seconds is None
            else number((session.duration_seconds * 10 + 30) // 60, 1),
            included_kwh=number(session.included_wh, 3),
            amount=money(session.amount_minor),
            vat_rate=rate(session.vat_rate_bp),
            vat=money(session.vat_minor),
            currency=statement.currency,
        )
    for fee in statement.fees:
        row(
            "fee",
            description=guard_formula(fee.description),
            amount=money(fee.amount_minor),
            vat_rate=rate(fee.vat_rate_bp),
            vat=money(fee.vat_minor),
            currency=statement.currency,
        )
    row(
        "charging",
        description="Charging",
        energy_kwh=number(statement.energy_wh, 3),
        included_kwh=number(statement.included_wh, 3),
        amount=money(statement.charging_minor),
        currency=statement.currency,
    )
    row(
        "fees",
        description="Subscription fees",
        amount=money(statement.fees_minor),
        currency=statement.currency,
    )
    for vat in statement.vat:
        row(
            "vat",
            description=f"VAT {format_basis_points(vat.rate_bp)} of {money(vat.gross_minor)}",
            amount=money(vat.gross_minor),
            vat_rate=rate(vat.rate_bp),
            vat=money(vat.vat_minor),
            currency=statement.currency,
        )
    row(
        "total",
        description="Total" + (" (provisional)" if statement.provisional else ""),
        amount=money(statement.total_minor),
        vat=money(statement.vat_minor),
        currency=statement.currency,
    )
    return BOM + out.getvalue()
