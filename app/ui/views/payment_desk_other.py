"""Cash, on account and against a subscription: the ways to pay that need no Stripe."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.access import Fleet
from app.services.payments import CashTaken, Recorded
from app.ui.dialogs.validated_form import ERROR_COLOUR
from app.ui.views.payment_desk_context import DeskContext, amount_of, attendant, big_button, run
from app.ui.views.payment_desk_display import Shown
from app.ui.views.tariff_tables import MUTED
from app.ui.views.tariff_text import AmountProblem, money, parse_money


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentDesk", text)


class CashPage(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.tendered = QLineEdit(self)
        self.tendered.setPlaceholderText(_tr("what the driver hands over, e.g. 200"))
        self.tendered.textChanged.connect(lambda _t: self.update_state())
        self.tendered.returnPressed.connect(self.take)
        self.change = QLabel(self)
        self.change.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.take_button = big_button(_tr("Take cash"), self)
        self.take_button.clicked.connect(self.take)
        self._sending = False
        form = QFormLayout()
        form.addRow(_tr("Amount tendered:"), self.tendered)
        form.addRow(_tr("Change:"), self.change)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.take_button)
        layout.addStretch(1)
        self.update_state()

    def tendered_minor(self) -> int | None:
        """What was typed, in minor units; None when empty or not an amount."""
        session = self._desk.session()
        if session is None or not self.tendered.text().strip():
            return None
        try:
            return parse_money(self.tendered.text(), session.currency)
        except AmountProblem:
            return None

    def problem(self) -> str | None:
        session = self._desk.session()
        if session is None:
            return _tr("Choose a session first.")
        if not self.tendered.text().strip():
            return _tr("Type the amount the driver hands over.")
        try:
            tendered = parse_money(self.tendered.text(), session.currency)
        except AmountProblem as problem:
            return str(problem)
        short = session.total_minor - tendered
        if short > 0:
            return _tr("{short} too little.").format(short=money(short, session.currency))
        return None

    def update_state(self) -> None:
        session = self._desk.session()
        problem = self.problem()
        tendered = self.tendered_minor()
        if session is not None and problem is None and tendered is not None:
            self.change.setStyleSheet("font-size: 15px; font-weight: bold;")
            self.change.setText(money(tendered - session.total_minor, session.currency))
        else:
            colour = ERROR_COLOUR if self.tendered.text().strip() else MUTED
            self.change.setStyleSheet(f"color: {colour};")
            self.change.setText(problem or "")
        self.take_button.setEnabled(problem is None and not self._sending)

    def take(self) -> None:
        session, tendered = self._desk.session(), self.tendered_minor()
        if session is None or tendered is None or self.problem() is not None:
            return
        self._sending = True
        self.update_state()
        tx, by, amount = session.transaction_id, attendant(), amount_of(session)
        self._desk.feed.show(Shown.CASH, amount)

        def taken(result: CashTaken) -> None:
            self._sending = False
            self.tendered.clear()
            change = money(result.change_minor, result.payment.currency)
            self._desk.feed.show(Shown.PAID, amount, detail=_tr("Change: {c}").format(c=change))
            self._desk.taken(
                result.receipt.number, _tr("Cash taken; give back {c} change.").format(c=change)
            )

        def refused(_text: str) -> None:
            self._sending = False
            self.update_state()

        run(self._desk, lambda s: s.desk.pay_cash(tx, tendered, by), taken, refused)


class AccountPage(QWidget):
    """Invoiced to a fleet later; the session's own fleet is offered first."""

    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.fleet = QComboBox(self)
        self.take_button = big_button(_tr("Put on account"), self)
        self.take_button.clicked.connect(self.take)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {MUTED};")
        self._sending = False
        form = QFormLayout()
        form.addRow(_tr("Invoice to fleet:"), self.fleet)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.take_button)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.update_state()

    def set_fleets(self, fleets: list[Fleet]) -> None:
        chosen = self.fleet.currentData()
        self.fleet.clear()
        for fleet in sorted(fleets, key=lambda f: f.name.casefold()):
            self.fleet.addItem(fleet.name, fleet.id)
        self._choose(chosen)
        self.update_state()

    def session_changed(self) -> None:
        session = self._desk.session()
        if session is not None and session.fleet_id is not None:
            self._choose(session.fleet_id)
        self.update_state()

    def _choose(self, fleet_id: object) -> None:
        index = self.fleet.findData(fleet_id)
        if index >= 0:
            self.fleet.setCurrentIndex(index)

    def update_state(self) -> None:
        session = self._desk.session()
        has_fleets = self.fleet.count() > 0
        self.fleet.setEnabled(has_fleets)
        self.take_button.setEnabled(session is not None and has_fleets and not self._sending)
        self.note.setText(
            "" if has_fleets else _tr("No fleets yet: add one under Drivers & tags first.")
        )

    def take(self) -> None:
        session, fleet_id = self._desk.session(), self.fleet.currentData()
        if session is None or not isinstance(fleet_id, int):
            return
        self._sending = True
        self.update_state()
        tx, by, fleet_name = session.transaction_id, attendant(), self.fleet.currentText()

        def taken(result: Recorded) -> None:
            self._sending = False
            self.update_state()
            number = None if result.receipt is None else result.receipt.number
            self._desk.taken(number, _tr("Put on {fleet}’s account.").format(fleet=fleet_name))

        def refused(_text: str) -> None:
            self._sending = False
            self.update_state()

        run(self._desk, lambda s: s.desk.put_on_account(tx, fleet_id, by), taken, refused)


class SubscriptionPage(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.take_button = big_button(_tr("Charge to subscription"), self)
        self.take_button.clicked.connect(self.take)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {MUTED};")
        self._sending = False
        layout = QVBoxLayout(self)
        layout.addWidget(self.take_button)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.update_state()

    def update_state(self) -> None:
        session = self._desk.session()
        subscribed = session is not None and session.subscription_id is not None
        self.take_button.setEnabled(subscribed and not self._sending)
        self.note.setText(
            _tr("The session goes on the driver’s monthly statement.")
            if subscribed
            else _tr("The tag’s driver has no active subscription.")
        )

    def take(self) -> None:
        session = self._desk.session()
        if session is None or session.subscription_id is None:
            return
        self._sending = True
        self.update_state()
        tx, by = session.transaction_id, attendant()

        def taken(result: Recorded) -> None:
            self._sending = False
            self.update_state()
            number = None if result.receipt is None else result.receipt.number
            self._desk.taken(number, _tr("Charged to the driver’s subscription."))

        def refused(_text: str) -> None:
            self._sending = False
            self.update_state()

        run(self._desk, lambda s: s.desk.charge_subscription(tx, by), taken, refused)
