"""The payments log: a day's payments at the desk, newest first, with what can still be
done to each: reprint its receipt, refund it (a manager), or void cash taken today.

The list is re-read when a payment changes (PaymentChanged, from any window or the
engine itself), never on a timer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import site_zone
from app.domain import events as ev
from app.domain.errors import NotFound
from app.domain.payments import TAKEN, Payment, PaymentMethod, PaymentState, Refund
from app.domain.settlement import day_bounds
from app.services.container import Services
from app.ui.bridge import EventBridge
from app.ui.dialogs.receipt import ReceiptDialog, open_receipt_for_payment
from app.ui.dialogs.refund import RefundDialog, open_refund, remaining_minor
from app.ui.dialogs.validated_form import act, confirm_action, say
from app.ui.engine_host import EngineHost
from app.ui.operations import Reloader
from app.ui.table_model import Index, RowsTableModel, rows_table
from app.ui.views.alarm_style import operator_name
from app.ui.views.payments_log_text import card_text, method_name, state_name
from app.ui.views.tariff_text import money

DATE_FORMAT = "yyyy-MM-dd"
COLUMNS = ("time", "session", "method", "card", "amount", "refunded", "state", "receipt", "by")
MUTED = QColor("#8a8f98")
REFUNDABLE = frozenset({PaymentState.CAPTURED, PaymentState.PARTIALLY_REFUNDED})


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentsLog", text)


@dataclass(frozen=True, slots=True)
class PaymentRow:
    payment: Payment
    receipt_number: int | None


async def load_day(services: Services, day: date) -> list[PaymentRow]:
    """The day's payments (a local day in the site's zone) with their receipt numbers."""
    ledger = services.payments
    start, end = day_bounds(day, ledger.zone)
    rows = []
    for payment in await ledger.payments_between(start, end):
        number = None
        if payment.captured_at is not None:
            try:
                number = (await ledger.receipt_for(payment.id)).number
            except NotFound:
                number = None
        rows.append(PaymentRow(payment, number))
    return rows


def ask_void_reason(parent: QWidget, payment: Payment) -> str | None:
    """Why the cash is taken back; None when cancelled. Tests replace this."""
    text, ok = QInputDialog.getText(
        parent,
        _tr("Void cash payment"),
        _tr("Why is payment {id} voided? (kept in the ledger)").format(id=payment.id),
        QLineEdit.EchoMode.Normal,
    )
    return text.strip() if ok and text.strip() else None


class PaymentsTableModel(RowsTableModel[PaymentRow]):
    def __init__(self, zone: Any, parent: QWidget | None = None) -> None:
        super().__init__(
            COLUMNS,
            {
                "time": _tr("Time"),
                "session": _tr("Session"),
                "method": _tr("Method"),
                "card": _tr("Card"),
                "amount": _tr("Amount"),
                "refunded": _tr("Refunded"),
                "state": _tr("State"),
                "receipt": _tr("Receipt"),
                "by": _tr("By"),
            },
            parent,
        )
        self._zone = zone

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("amount", "refunded"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row.payment.state not in TAKEN:
            return MUTED
        if role == Qt.ItemDataRole.ToolTipRole and row.payment.failure_reason:
            return row.payment.failure_reason
        return None

    def _display(self, row: PaymentRow, column: str) -> str:
        p = row.payment
        if column == "time":
            return p.created_at.astimezone(self._zone).strftime("%H:%M:%S")
        if column == "session":
            return "" if p.transaction_id is None else str(p.transaction_id)
        if column == "method":
            return method_name(p.method)
        if column == "card":
            return card_text(p)
        if column == "amount":
            return money(p.amount_minor, p.currency)
        if column == "refunded":
            return money(p.refunded_minor, p.currency) if p.refunded_minor else ""
        if column == "state":
            return state_name(p.state)
        if column == "receipt":
            return "" if row.receipt_number is None else str(row.receipt_number)
        return p.by


class PaymentsLogView(QWidget):
    def __init__(
        self, host: EngineHost, bridge: EventBridge | None = None, parent: QWidget | None = None
    ) -> None:
        """bridge: give it when the view is not a main-window tab (tabs get on_events)."""
        super().__init__(parent)
        self._host = host
        self.zone = site_zone(host.settings)
        self.loads = 0  # finished reads, for whoever waits for one
        self.receipt_dialog: ReceiptDialog | None = None
        self.refund_dialog: RefundDialog | None = None
        self._reload: Reloader[list[PaymentRow]] = Reloader(
            self, host, self._loaded, self._load_failed, self.refresh
        )

        today = self.today()
        self.day = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat(DATE_FORMAT)
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.headline = QLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("Day:"), self))
        bar.addWidget(self.day)
        bar.addSpacing(16)
        bar.addWidget(self.headline, 1)

        self.model = PaymentsTableModel(self.zone, self)
        self.table = rows_table(self.model, self)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.reprint())

        self.reprint_button = QPushButton(_tr("Re&print receipt…"), self)
        self.reprint_button.clicked.connect(self.reprint)
        self.refund_button = QPushButton(_tr("&Refund…"), self)
        self.refund_button.setToolTip(_tr("For a manager: give back part or all of a payment"))
        self.refund_button.clicked.connect(self.refund)
        self.void_button = QPushButton(_tr("&Void cash…"), self)
        self.void_button.setToolTip(_tr("Take back cash taken today, e.g. a wrong session"))
        self.void_button.clicked.connect(self.void)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        buttons.addStretch(1)
        for button in (self.reprint_button, self.refund_button, self.void_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        if bridge is not None:
            bridge.events.connect(self._bridged)
        self._update_buttons()
        self.refresh()

    def today(self) -> date:
        return datetime.now(UTC).astimezone(self.zone).date()

    def chosen_day(self) -> date:
        picked = self.day.date()
        return date(picked.year(), picked.month(), picked.day())

    # ---- loading -----------------------------------------------------------------

    def on_events(self, batch: list[ev.DomainEvent], _changed: set[tuple[str, int]]) -> None:
        if any(isinstance(e, ev.PaymentChanged) for e in batch):
            self.refresh()

    def _bridged(self, batch: list[ev.DomainEvent]) -> None:
        if shiboken6.isValid(self):
            self.on_events(batch, set())

    def refresh(self) -> None:
        day = self.chosen_day()
        self._reload.start(lambda s: load_day(s, day))

    def _loaded(self, rows: list[PaymentRow]) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        self.loads += 1
        if chosen is not None:
            self.select_payment(chosen.payment.id)
        taken = [r.payment for r in rows if r.payment.state in TAKEN]
        if rows:
            currency = rows[0].payment.currency
            total = sum(p.amount_minor - p.refunded_minor for p in taken)
            self.headline.setText(
                _tr("{n} payments, {taken} taken (after refunds)").format(
                    n=len(rows), taken=money(total, currency)
                )
            )
        else:
            self.headline.setText(_tr("No payments this day."))
        self._update_buttons()

    def _load_failed(self, message: str) -> None:
        say(self.notice, _tr("Could not read the payments: {why}").format(why=message), error=True)

    # ---- selection -----------------------------------------------------------------

    def selected(self) -> PaymentRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.row_at(rows[0].row())

    def select_payment(self, payment_id: int) -> bool:
        for n, row in enumerate(self.model.rows()):
            if row.payment.id == payment_id:
                self.table.selectRow(n)
                return True
        return False

    def can_void(self, payment: Payment) -> bool:
        captured = payment.captured_at
        return (
            payment.method is PaymentMethod.CASH
            and payment.state is PaymentState.CAPTURED
            and captured is not None
            and captured.astimezone(self.zone).date() == self.today()
        )

    def _update_buttons(self) -> None:
        row = self.selected()
        payment = None if row is None else row.payment
        self.reprint_button.setEnabled(row is not None and row.receipt_number is not None)
        self.refund_button.setEnabled(
            payment is not None and payment.state in REFUNDABLE and remaining_minor(payment) > 0
        )
        self.void_button.setEnabled(payment is not None and self.can_void(payment))

    # ---- actions -------------------------------------------------------------------

    def _tell(self, text: str, error: bool) -> None:
        if shiboken6.isValid(self):
            say(self.notice, text, error=error)

    def reprint(self) -> None:
        row = self.selected()
        if row is None or row.receipt_number is None:
            return

        def opened(dialog: ReceiptDialog) -> None:
            self.receipt_dialog = dialog

        open_receipt_for_payment(
            self, self._host, row.payment.id, lambda why: self._tell(why, True), opened
        )

    def refund(self) -> None:
        row = self.selected()
        if row is None or not self.refund_button.isEnabled():
            return
        dialog = open_refund(self, self._host, row.payment)
        self.refund_dialog = dialog
        dialog.saved.connect(lambda refund: self._refunded(row.payment, refund))

    def _refunded(self, payment: Payment, refund: object) -> None:
        assert isinstance(refund, Refund)
        amount = money(refund.amount_minor, payment.currency)
        if refund.done:
            text = _tr("Refunded {amount} of payment {id}.").format(amount=amount, id=payment.id)
        else:
            text = _tr("Stripe did not make the refund of {amount}; nothing was refunded.")
            text = text.format(amount=amount)
        self._tell(text, not refund.done)
        self.refresh()

    def void(self) -> None:
        row = self.selected()
        if row is None or not self.can_void(row.payment):
            return
        payment = row.payment
        reason = ask_void_reason(self, payment)
        if reason is None:
            return
        question = _tr(
            "Void cash payment {id} of {amount}? Hand the money back; the session awaits "
            "payment again."
        ).format(id=payment.id, amount=money(payment.amount_minor, payment.currency))
        if not confirm_action(self, _tr("Void cash payment"), question, _tr("Void")):
            return
        payment_id, by = payment.id, operator_name()
        act(
            self._host,
            lambda s: s.desk.void_cash(payment_id, reason, by),
            done=_tr("Payment {id} voided.").format(id=payment_id),
            tell=self._tell,
            then=self.refresh,
        )
