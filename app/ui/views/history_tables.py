"""The Driver history screen's data, read at once, and its two tables: the sessions of
the period shown, and the totals per month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from app.domain.access import DriverCard
from app.domain.driver_history import (
    BudgetOwner,
    BudgetStatus,
    MonthTotal,
    PeriodKind,
    monthly_totals,
    period_bounds,
    previous_month,
    priced,
    spent_minor,
)
from app.domain.price_format import minor_digits
from app.domain.session_charges import SessionRecord
from app.domain.subscriptions import Month
from app.services.container import Services
from app.ui.table_model import Index, RowsTableModel
from app.ui.views.access_text import CURRENCY
from app.ui.views.tariff_tables import MUTED
from app.ui.views.tariff_text import money, scaled_text

HISTORY_LIMIT = 10_000
TOTAL_MONTHS = 12
LIVE_COLOUR = "#1f6fb2"


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverHistory", text)


# ---- what the screen shows ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    driver_id: int
    period: PeriodKind = PeriodKind.THIS_MONTH
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True, slots=True)
class DriverHistory:
    """A driver's sessions in the period (newest first), the totals of the last twelve
    months whatever the period, and the budget this month. `truncated`: more sessions
    than one read holds."""

    query: HistoryQuery
    card: DriverCard
    records: list[SessionRecord]
    totals: list[MonthTotal]
    budget: BudgetStatus | None
    month: Month
    zone: tzinfo
    as_of: datetime = field(default_factory=lambda: datetime.now(UTC))
    truncated: bool = False


async def load_history(s: Services, query: HistoryQuery) -> DriverHistory:
    zone = s.subscriptions.zone
    today = s.subscriptions.today()
    card = await s.access.driver(query.driver_id)
    since, until = period_bounds(query.period, today, zone, query.first, query.last)
    records = await s.session_pricing.history_for_driver(
        query.driver_id, since, until, limit=HISTORY_LIMIT
    )
    month = Month.of(today)
    oldest = month
    for _ in range(TOTAL_MONTHS - 1):
        oldest = previous_month(oldest)
    recent = await s.session_pricing.history_for_driver(
        query.driver_id, oldest.bounds(zone)[0], limit=HISTORY_LIMIT
    )
    return DriverHistory(
        query=query,
        card=card,
        records=records,
        totals=monthly_totals(recent, zone),
        budget=await load_budget(s, card, month),
        month=month,
        zone=zone,
        as_of=s.clock(),
        truncated=len(records) >= HISTORY_LIMIT,
    )


async def load_budget(s: Services, card: DriverCard, month: Month) -> BudgetStatus | None:
    """The driver's own budget against their spending this month; without one, the
    fleet's budget against what all its drivers spent."""
    since, until = month.bounds(s.subscriptions.zone)
    driver = card.driver
    if driver.monthly_budget_minor is not None:
        records = await s.session_pricing.history_for_driver(
            driver.id, since, until, limit=HISTORY_LIMIT
        )
        return BudgetStatus(
            BudgetOwner.DRIVER,
            driver.name,
            month,
            driver.monthly_budget_minor,
            spent_minor(records, CURRENCY),
            CURRENCY,
        )
    if driver.fleet_id is None:
        return None
    fleet = await s.access.fleet(driver.fleet_id)
    if fleet.monthly_budget_minor is None:
        return None
    spent = 0
    for member in await s.access.drivers(fleet_id=fleet.id, limit=HISTORY_LIMIT):
        records = await s.session_pricing.history_for_driver(
            member.driver.id, since, until, limit=HISTORY_LIMIT
        )
        spent += spent_minor(records, CURRENCY)
    return BudgetStatus(
        BudgetOwner.FLEET, fleet.name, month, fleet.monthly_budget_minor, spent, CURRENCY
    )


# ---- texts ---------------------------------------------------------------------------


def month_text(month: Month) -> str:
    """ "November 2026" (in Swedish "november 2026")."""
    name = QLocale().standaloneMonthName(month.month, QLocale.FormatType.LongFormat)
    return f"{name} {month.year}"


def kwh_text(wh: int | None) -> str:
    """Energy in kWh with two decimals, rounded half-up from whole Wh (no float)."""
    if wh is None:
        return ""
    return scaled_text((wh + 5) // 10, 2, group=True)


def duration_text(seconds: int) -> str:
    hours, minutes = divmod((seconds + 30) // 60, 60)
    return f"{hours}:{minutes:02d}"


def moment_text(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def costs_text(costs: tuple[tuple[str, int], ...]) -> str:
    return " + ".join(money(amount, currency) for currency, amount in costs)


def amount_digits(record: SessionRecord) -> int:
    return minor_digits(record.currency) if record.currency else 2


# ---- the tables ----------------------------------------------------------------------

SESSION_COLUMNS = (
    "start",
    "station",
    "connector",
    "energy",
    "included",
    "duration",
    "cost",
    "vat",
    "tariff",
)
TOTAL_COLUMNS = ("month", "sessions", "energy", "cost")
RIGHT = {"connector", "energy", "included", "duration", "cost", "vat", "sessions"}


class SessionTableModel(RowsTableModel[SessionRecord]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            SESSION_COLUMNS,
            {
                "start": _tr("Start"),
                "station": _tr("Station"),
                "connector": _tr("Connector"),
                "energy": _tr("Energy (kWh)"),
                "included": _tr("Included (kWh)"),
                "duration": _tr("Duration (h:mm)"),
                "cost": _tr("Cost"),
                "vat": _tr("Of which VAT"),
                "tariff": _tr("Tariff"),
            },
            parent,
        )
        self.zone: tzinfo = UTC
        self.as_of = datetime.now(UTC)

    def set_history(self, history: DriverHistory) -> None:
        self.zone = history.zone
        self.as_of = history.as_of
        self.set_rows(history.records)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.row_at(index.row())
        column = SESSION_COLUMNS[index.column()]
        live = record.stopped_at is None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "included":
                return _tr("Energy from the plan's included kWh, not charged per kWh.")
            if column in ("cost", "vat") and not priced(record):
                return _tr("No tariff applied to this session, so it has no price.")
            if live:
                return _tr("Still charging: the price so far, as if it stopped now.")
            return self._text(record, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if live:
                return QColor(LIVE_COLOUR)
            if column in ("cost", "vat") and not priced(record):
                return QColor(MUTED)
        if role == Qt.ItemDataRole.FontRole and live:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, record: SessionRecord, column: str) -> str:
        if column == "start":
            return moment_text(record.started_at, self.zone)
        if column == "station":
            return record.station_id
        if column == "connector":
            return str(record.connector_id)
        if column == "energy":
            return kwh_text(record.energy_wh)
        if column == "included":
            return kwh_text(record.included_wh_used) if record.included_wh_used else ""
        if column == "duration":
            seconds = record.duration_seconds
            if seconds is None:
                elapsed = max(0, round((self.as_of - record.started_at).total_seconds()))
                return _tr("{time} so far").format(time=duration_text(elapsed))
            return duration_text(seconds)
        if column == "tariff":
            return record.tariff_name or ""
        if not priced(record) or record.currency is None:
            return _tr("no price") if column == "cost" else ""
        amount = record.total_minor if column == "cost" else record.vat_minor
        if amount is None:
            return ""
        text = money(amount, record.currency)
        if column == "cost" and record.stopped_at is None:
            return _tr("{amount} · live").format(amount=text)
        return text


class MonthTotalTableModel(RowsTableModel[MonthTotal]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            TOTAL_COLUMNS,
            {
                "month": _tr("Month"),
                "sessions": _tr("Sessions"),
                "energy": _tr("kWh"),
                "cost": _tr("Cost"),
            },
            parent,
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        total = self.row_at(index.row())
        column = TOTAL_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(total, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == "cost":
            notes = []
            if total.live:
                notes.append(_tr("{n} still charging, at the price so far").format(n=total.live))
            if total.unpriced:
                notes.append(_tr("{n} without a price (no tariff)").format(n=total.unpriced))
            return "\n".join(notes) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in RIGHT | {"energy", "cost"}:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == "cost" and total.live:
            return QColor(LIVE_COLOUR)
        return None

    def _text(self, total: MonthTotal, column: str) -> str:
        if column == "month":
            return month_text(total.month)
        if column == "sessions":
            return str(total.sessions)
        if column == "energy":
            return kwh_text(total.energy_wh)
        text = costs_text(total.costs) or _tr("no price")
        if total.unpriced and total.costs:
            text = _tr("{amount} + {n} without price").format(amount=text, n=total.unpriced)
        return text
