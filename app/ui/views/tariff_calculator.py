"""The live calculator beside the tariff editor: what would this session cost?

It prices a session charging at constant power (start, minutes, kWh, optionally a
stay after charging and a subscription plan) with the editor's current, unsaved
tariff, and shows the total, the VAT it contains and the breakdown line by line.
The price comes from the pricing domain, the same function that prices real
sessions: `describe_hypothetical`, or `price_session` over the equivalent meter
readings when the car stays plugged in after charging (so the idle fee shows).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import InvalidInput
from app.domain.pricing import describe_hypothetical, price_session
from app.domain.session_price import SessionPrice
from app.domain.subscriptions import Plan
from app.domain.tariffs import PlanTerms, Tariff
from app.ui.formatting import sentence
from app.ui.views.tariff_lines import line_label, quantity_text
from app.ui.views.tariff_text import (
    AmountProblem,
    money,
    money_text,
    parse_money,
    parse_scaled,
    percent_text,
)

DEFAULT_START = (17, 30)
DEFAULT_MINUTES = 45
DEFAULT_KWH = "22"
MAX_MINUTES = 7 * 24 * 60
PROBLEM_STYLE = "color: #b3261e;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tariffs", text)


def next_weekday_evening(now: datetime) -> datetime:
    """The next Monday–Friday 17:30 after `now` (naive, wall clock of `now`)."""
    hour, minute = DEFAULT_START
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0, tzinfo=None)
    if candidate <= now.replace(tzinfo=None):
        candidate += timedelta(days=1)
    while candidate.weekday() >= 5:
        candidate += timedelta(days=1)
    return candidate


def price_example(
    tariff: Tariff,
    start: datetime,
    minutes: int,
    energy_wh: int,
    zone: tzinfo,
    *,
    idle_minutes: int = 0,
    plan: PlanTerms | None = None,
) -> SessionPrice:
    """What a session charging `energy_wh` evenly over `minutes` from `start` costs.

    `start` is naive, the site's wall clock. A stay after charging is priced as the
    session it is: the meter stops rising at the end of charging, the session stops
    `idle_minutes` later.
    """
    if not idle_minutes:
        return describe_hypothetical(tariff, start, minutes, energy_wh / 1000, zone, plan)
    begin = start.replace(tzinfo=zone).astimezone(UTC)
    charged = begin + timedelta(minutes=minutes)
    return price_session(
        tariff,
        zone=zone,
        started_at=begin,
        meter_start_wh=0,
        readings=[(charged, float(energy_wh))] if minutes else [],
        stopped_at=charged + timedelta(minutes=idle_minutes),
        meter_stop_wh=energy_wh if minutes else 0,
        plan=plan,
    )


class Receipt(QWidget):
    """The breakdown, a line of text and its amount per row; long texts wrap."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 4, 0, 4)
        self.grid.setHorizontalSpacing(12)
        self.grid.setColumnStretch(0, 1)
        self.rows: list[tuple[str, str]] = []

    def show_lines(self, rows: list[tuple[str, str]]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # deleted on the next turn of the loop; gone from view now
                widget.deleteLater()
        self.rows = rows
        for row, (text, amount) in enumerate(rows):
            label = QLabel(text, self)
            label.setWordWrap(True)
            value = QLabel(amount, self)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(value, row, 1)
        if rows:
            rule = QFrame(self)
            rule.setFrameShape(QFrame.Shape.HLine)
            rule.setFrameShadow(QFrame.Shadow.Sunken)
            self.grid.addWidget(rule, len(rows), 0, 1, 2)


class TariffCalculator(QGroupBox):
    """Inputs of an example session and its price under the tariff being edited."""

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(_tr("What would a session cost?"), parent)
        self.zone = zone
        self.tariff: Tariff | None = None
        self.result: SessionPrice | None = None
        self.plan: PlanTerms | None = None

        self.start = QDateTimeEdit(self)
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("ddd yyyy-MM-dd HH:mm")
        self.set_start(next_weekday_evening(datetime.now(zone)))
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, MAX_MINUTES)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.minutes.setSuffix(_tr(" min"))
        self.energy = QLineEdit(DEFAULT_KWH, self)
        self.energy.setPlaceholderText("22")
        self.idle = QSpinBox(self)
        self.idle.setRange(0, MAX_MINUTES)
        self.idle.setSuffix(_tr(" min"))
        self.idle.setToolTip(_tr("How long the car stays plugged in after charging ends"))

        self.plan_box = QGroupBox(_tr("Driver with a subscription plan"), self)
        self.plan_box.setCheckable(True)
        self.plan_box.setChecked(False)
        self.stored_plan = QComboBox(self.plan_box)
        self.stored_plan.addItem(_tr("Terms typed here"), None)
        self.stored_plan.currentIndexChanged.connect(lambda _i: self._fill_from_plan())
        self.included = QLineEdit(self.plan_box)
        self.included.setPlaceholderText("0")
        self.plan_price = QLineEdit(self.plan_box)
        self.plan_price.setPlaceholderText(_tr("tariff's price"))
        self.discount = QLineEdit(self.plan_box)
        self.discount.setPlaceholderText("0")
        plan_form = QFormLayout(self.plan_box)
        plan_form.addRow(_tr("Plan:"), self.stored_plan)
        plan_form.addRow(_tr("Included energy left (kWh):"), self.included)
        plan_form.addRow(_tr("Plan price per kWh:"), self.plan_price)
        plan_form.addRow(_tr("Discount on energy and time (%):"), self.discount)

        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.total = QLabel(self)
        self.total.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.vat = QLabel(self)
        self.vat.setStyleSheet("color: #6b7078;")
        self.lines = Receipt(self)

        inputs = QFormLayout()
        inputs.addRow(_tr("Starts:"), self.start)
        inputs.addRow(_tr("Charges for:"), self.minutes)
        inputs.addRow(_tr("Energy (kWh):"), self.energy)
        inputs.addRow(_tr("Then stays plugged in:"), self.idle)
        layout = QVBoxLayout(self)
        layout.addLayout(inputs)
        layout.addWidget(self.plan_box)
        layout.addWidget(self.problem)
        layout.addWidget(self.summary)
        layout.addWidget(self.lines)
        layout.addWidget(self.total, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.vat, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

        self.start.dateTimeChanged.connect(lambda _v: self.recompute())
        for spin in (self.minutes, self.idle):
            spin.valueChanged.connect(lambda _v: self.recompute())
        for edit in (self.energy, self.included, self.plan_price, self.discount):
            edit.textChanged.connect(lambda _t: self.recompute())
        self.plan_box.toggled.connect(lambda _on: self.recompute())
        self.recompute()

    def set_start(self, start: datetime) -> None:
        """A naive wall-clock time at the site."""
        moment = QDateTime(start.year, start.month, start.day, start.hour, start.minute, 0)
        self.start.setDateTime(moment)

    def start_time(self) -> datetime:
        moment = self.start.dateTime()
        date, clock = moment.date(), moment.time()
        return datetime(date.year(), date.month(), date.day(), clock.hour(), clock.minute())

    def set_plans(self, plans: Sequence[Plan]) -> None:
        """The stored plans to pick terms from (archived ones are not offered)."""
        chosen = self.stored_plan.currentData()
        self.stored_plan.blockSignals(True)
        while self.stored_plan.count() > 1:
            self.stored_plan.removeItem(1)
        for plan in plans:
            if not plan.archived:
                self.stored_plan.addItem(plan.name, plan)
        index = next(
            (i for i in range(self.stored_plan.count()) if self.stored_plan.itemData(i) == chosen),
            0,
        )
        self.stored_plan.setCurrentIndex(index)
        self.stored_plan.blockSignals(False)

    def _fill_from_plan(self) -> None:
        """A whole month's allowance left, the plan's price and discount."""
        plan = self.stored_plan.currentData()
        if not isinstance(plan, Plan):
            return
        kwh = Decimal(plan.included_wh).scaleb(-3)
        self.included.setText(quantity_text(kwh) if plan.included_wh else "")
        price = plan.price_per_kwh_minor
        self.plan_price.setText("" if price is None else money_text(price, plan.currency))
        self.discount.setText(percent_text(plan.discount_bp) if plan.discount_bp else "")

    def set_tariff(self, tariff: Tariff | None) -> None:
        self.tariff = tariff
        self.recompute()

    # ---- pricing -------------------------------------------------------------------

    def _plan(self, currency: str) -> PlanTerms | None:
        if not self.plan_box.isChecked():
            return None
        included = self.included.text()
        price = self.plan_price.text()
        discount = self.discount.text()
        return PlanTerms(
            included_wh_remaining=parse_scaled(included, 3) if included.strip() else 0,
            price_per_kwh_minor=parse_money(price, currency) if price.strip() else None,
            discount_bp=parse_scaled(discount, 2) if discount.strip() else 0,
        )

    def recompute(self) -> None:
        self.result = None
        tariff = self.tariff
        if tariff is None:
            self._show_problem(_tr("Fix the tariff's problems to see a price."))
            return
        try:
            energy_wh = parse_scaled(self.energy.text(), 3)
            self.plan = self._plan(tariff.currency)
            self.result = price_example(
                tariff,
                self.start_time(),
                self.minutes.value(),
                energy_wh,
                self.zone,
                idle_minutes=self.idle.value(),
                plan=self.plan,
            )
        except (AmountProblem, InvalidInput) as error:
            text = str(error) if isinstance(error, AmountProblem) else sentence(str(error))
            self._show_problem(text)
            return
        self._show(tariff, self.result, energy_wh)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        for label in (self.summary, self.total, self.vat):
            label.clear()
        self.lines.show_lines([])

    def _show(self, tariff: Tariff, price: SessionPrice, energy_wh: int) -> None:
        self.problem.hide()
        self.problem.clear()
        start = self.start.dateTime()
        locale = QLocale()
        self.summary.setText(
            _tr("A {minutes} min session of {kwh} kWh starting {clock} on {day} costs:").format(
                minutes=self.minutes.value(),
                kwh=quantity_text(Decimal(energy_wh).scaleb(-3)),
                clock=start.time().toString("HH:mm"),
                day=locale.dayName(start.date().dayOfWeek()),
            )
        )
        self.total.setText(
            _tr("Total {amount}").format(amount=money(price.total_minor, price.currency))
        )
        self.vat.setText(
            _tr("of which VAT {vat} ({rate} %), {net} without VAT").format(
                vat=money(price.vat_minor, price.currency),
                rate=percent_text(price.vat_rate_bp),
                net=money(price.net_minor, price.currency),
            )
        )
        self.lines.show_lines(
            [
                (line_label(line, tariff, self.plan), money(line.amount_minor, price.currency))
                for line in price.lines
            ]
        )
