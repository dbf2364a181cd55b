"""A driver's charging history summed up: the period shown, monthly totals, the budget
this month, and the sessions as a CSV file.

Pure functions over `SessionRecord`s (app/domain/session_charges.py), so the
Driver history screen, the API and tests agree on every figure. Months are calendar
months in the site's time zone, a session counts in the month it started (as on the
statement), and money is integer minor units throughout. A session without a price
(no tariff applied) adds its energy but no cost, and is counted apart so that a
total never pretends to be complete.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum

from app.domain.errors import InvalidInput
from app.domain.price_format import minor_digits
from app.domain.session_charges import SessionRecord
from app.domain.statements import BOM, CsvStyle
from app.domain.subscriptions import Month, local_date, local_day_start
from app.domain.tag_csv import guard_formula

# ---- the period shown ----------------------------------------------------------------


class PeriodKind(StrEnum):
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    CUSTOM = "custom"
    ALL = "all"


def previous_month(month: Month) -> Month:
    return Month.of(month.first_day - timedelta(days=1))


def period_bounds(
    kind: PeriodKind,
    today: date,
    zone: tzinfo,
    first: date | None = None,
    last: date | None = None,
) -> tuple[datetime | None, datetime | None]:
    """[since, until) in UTC for the period; None where it is open.

    A custom range runs from local midnight of `first` to local midnight after
    `last` (both days included).
    """
    if kind is PeriodKind.ALL:
        return None, None
    if kind is PeriodKind.THIS_MONTH:
        return Month.of(today).bounds(zone)
    if kind is PeriodKind.LAST_MONTH:
        return previous_month(Month.of(today)).bounds(zone)
    if first is None or last is None:
        raise InvalidInput("a custom period needs its first and last day")
    if last < first:
        raise InvalidInput(
            f"the period cannot end ({last.isoformat()}) before it starts ({first.isoformat()})"
        )
    return local_day_start(first, zone), local_day_start(last + timedelta(days=1), zone)


# ---- monthly totals -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthTotal:
    """The sessions that started in one month. `costs` holds (currency, minor units) of
    the priced ones, one entry per currency (nearly always one); `unpriced` sessions
    had no tariff; `live` ones are still charging and counted at their price so far."""

    month: Month
    sessions: int
    energy_wh: int
    costs: tuple[tuple[str, int], ...]
    unpriced: int
    live: int

    def cost_in(self, currency: str) -> int:
        return sum(amount for code, amount in self.costs if code == currency)


def monthly_totals(records: Iterable[SessionRecord], zone: tzinfo) -> list[MonthTotal]:
    """One total per month that has sessions, newest month first."""
    grouped: dict[Month, list[SessionRecord]] = {}
    for record in records:
        grouped.setdefault(Month.of(local_date(record.started_at, zone)), []).append(record)
    totals = []
    for month in sorted(grouped, reverse=True):
        sessions = grouped[month]
        costs: dict[str, int] = {}
        for record in sessions:
            if record.currency is not None and record.total_minor is not None:
                costs[record.currency] = costs.get(record.currency, 0) + record.total_minor
        totals.append(
            MonthTotal(
                month=month,
                sessions=len(sessions),
                energy_wh=sum(record.energy_wh or 0 for record in sessions),
                costs=tuple(sorted(costs.items())),
                unpriced=sum(1 for record in sessions if not priced(record)),
                live=sum(1 for record in sessions if record.stopped_at is None and priced(record)),
            )
        )
    return totals


def priced(record: SessionRecord) -> bool:
    return record.currency is not None and record.total_minor is not None


# ---- the budget -----------------------------------------------------------------------


class BudgetOwner(StrEnum):
    DRIVER = "driver"
    FLEET = "fleet"


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    """What was spent on charging this month against a monthly budget.

    The driver's own budget counts the driver's sessions; without one, the fleet's
    budget counts the sessions of every driver in the fleet.
    """

    owner: BudgetOwner
    owner_name: str
    month: Month
    budget_minor: int
    spent_minor: int
    currency: str

    @property
    def over(self) -> bool:
        return self.spent_minor > self.budget_minor

    @property
    def percent(self) -> int | None:
        """Spent as a whole percentage of the budget, rounded half-up; None for a
        budget of zero that something was spent against (no percentage says that)."""
        if self.budget_minor == 0:
            return 0 if self.spent_minor <= 0 else None
        return (200 * self.spent_minor + self.budget_minor) // (2 * self.budget_minor)


def spent_minor(records: Iterable[SessionRecord], currency: str) -> int:
    """What the priced sessions in `currency` cost (open ones at their price so far)."""
    return sum(
        record.total_minor or 0
        for record in records
        if record.currency == currency and record.total_minor is not None
    )


# ---- CSV ------------------------------------------------------------------------------

HISTORY_CSV_COLUMNS = (
    "transaction",
    "start",
    "stop",
    "station",
    "connector",
    "id_tag",
    "energy_kwh",
    "duration_min",
    "cost",
    "vat",
    "currency",
    "price",
    "tariff",
)


def history_csv(
    records: Sequence[SessionRecord], zone: tzinfo, style: CsvStyle = CsvStyle.COMMA
) -> str:
    """The sessions as shown, one row each, times in the site's zone; UTF-8 BOM first.

    `price` says "final", "live" (still charging: the price so far) or "none" (no
    tariff). Text a spreadsheet would run as a formula gets a leading apostrophe.
    """
    delimiter, point = (",", ".") if style is CsvStyle.COMMA else (";", ",")

    def number(value: int, places: int) -> str:
        return str(Decimal(value).scaleb(-places)).replace(".", point)

    def moment(value: datetime | None) -> str:
        return "" if value is None else value.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HISTORY_CSV_COLUMNS)
    for record in records:
        digits = minor_digits(record.currency) if record.currency else 2
        duration = record.duration_seconds
        has_price = priced(record)
        writer.writerow(
            [
                str(record.transaction_id),
                moment(record.started_at),
                moment(record.stopped_at),
                guard_formula(record.station_id),
                str(record.connector_id),
                guard_formula(record.id_tag),
                "" if record.energy_wh is None else number(record.energy_wh, 3),
                "" if duration is None else number((duration * 10 + 30) // 60, 1),
                number(record.total_minor, digits)
                if has_price and record.total_minor is not None
                else "",
                number(record.vat_minor, digits)
                if has_price and record.vat_minor is not None
                else "",
                record.currency or "",
                "none" if not has_price else "final" if record.stopped_at else "live",
                guard_formula(record.tariff_name or ""),
            ]
        )
    return BOM + out.getvalue()
