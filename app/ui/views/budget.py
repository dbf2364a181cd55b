"""What a driver (or their fleet) spent on charging this month against its budget: a bar
that turns amber near the budget and red over it, and the amounts in words."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.domain.driver_history import BudgetOwner, BudgetStatus
from app.domain.price_format import minor_digits
from app.ui.views.history_tables import month_text
from app.ui.views.tariff_tables import MUTED
from app.ui.views.tariff_text import money, scaled_text

UNDER_COLOUR = "#2e9d57"
NEAR_COLOUR = "#b26a00"
OVER_COLOUR = "#d0342c"
NEAR_PERCENT = 90


def _tr(text: str) -> str:
    return QCoreApplication.translate("DriverHistory", text)


def spent_text(status: BudgetStatus) -> str:
    """ "1 234,50 of 2 000,00 SEK (62 %)"."""
    spent = scaled_text(status.spent_minor, minor_digits(status.currency), group=True)
    budget = money(status.budget_minor, status.currency)
    percent = status.percent
    if percent is None:
        return _tr("{spent} of {budget}").format(spent=spent, budget=budget)
    return _tr("{spent} of {budget} ({percent} %)").format(
        spent=spent, budget=budget, percent=percent
    )


def bar_colour(status: BudgetStatus) -> str:
    if status.over:
        return OVER_COLOUR
    percent = status.percent
    return NEAR_COLOUR if percent is not None and percent >= NEAR_PERCENT else UNDER_COLOUR


class BudgetPanel(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Budget this month"), parent)
        self.status: BudgetStatus | None = None
        self.colour = ""
        self.owner = QLabel(self)
        self.owner.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(True)
        self.bar.setMinimumHeight(26)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.owner)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)
        self.show_status(None, driver_chosen=False)

    def show_status(self, status: BudgetStatus | None, *, driver_chosen: bool = True) -> None:
        self.status = status
        if status is None:
            self.colour = ""
            self.bar.hide()
            self.detail.hide()
            self.owner.setStyleSheet(f"color: {MUTED};")
            self.owner.setText(
                _tr(
                    "No monthly budget: set one for the driver or their fleet under Drivers & tags."
                )
                if driver_chosen
                else ""
            )
            return
        month = month_text(status.month)
        if status.owner is BudgetOwner.DRIVER:
            owner = _tr("{driver}'s own budget for {month}.")
        else:
            owner = _tr(
                "The fleet {fleet}'s budget for {month}, shared by all its drivers: what "
                "they spent together."
            )
        self.owner.setStyleSheet("")
        self.owner.setText(
            owner.format(driver=status.owner_name, fleet=status.owner_name, month=month)
        )
        self.colour = bar_colour(status)
        percent = status.percent
        self.bar.setValue(100 if percent is None else min(100, percent))
        self.bar.setFormat(spent_text(status))
        self.bar.setStyleSheet(
            "QProgressBar { border: 1px solid #8a8f98; border-radius: 4px; text-align: center; }"
            f"QProgressBar::chunk {{ background-color: {self.colour}; border-radius: 3px; }}"
        )
        left = status.budget_minor - status.spent_minor
        if left < 0:
            self.detail.setText(
                _tr("{amount} over the budget.").format(amount=money(-left, status.currency))
            )
            self.detail.setStyleSheet(f"color: {OVER_COLOUR}; font-weight: bold;")
        else:
            self.detail.setText(
                _tr("{amount} left this month.").format(amount=money(left, status.currency))
            )
            self.detail.setStyleSheet(f"color: {MUTED};")
        self.bar.show()
        self.detail.show()
