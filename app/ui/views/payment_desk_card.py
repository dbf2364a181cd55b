"""Card on the desk's reader and QR on the customer's phone: the two ways through Stripe.

Card: start_card puts the amount on the reader; finish_card waits for the tap (the
engine times out after the configured wait). Meanwhile the attendant can cancel, and
with a test key simulate an approved or declined tap. QR: start_qr makes a Checkout
link for the exact amount, shown as a code; check_qr is asked every two seconds until
it is paid or expired; "Paid another way" withdraws it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.payments import Payment
from app.services.card_payments import CardResult
from app.services.payment_desk import QrPayment, QrResult
from app.ui.formatting import local_datetime
from app.ui.qr import qr_pixmap
from app.ui.views.payment_desk_context import (
    DeskContext,
    amount_of,
    attendant,
    big_button,
    run,
)
from app.ui.views.payment_desk_display import Shown
from app.ui.views.tariff_tables import MUTED

QR_POLL_MS = 2000
QR_SIZE = 220


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentDesk", text)


class CardPage(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.payment: Payment | None = None  # the one waiting for a tap
        self._why_off = False  # the status line says why card payments are off
        self.start_button = big_button(_tr("Take card payment"), self)
        self.start_button.clicked.connect(self.start)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.cancel_button = QPushButton(_tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.approve_button = QPushButton(_tr("Simulate tap: approve"), self)
        self.approve_button.clicked.connect(lambda: self.simulate(approve=True))
        self.decline_button = QPushButton(_tr("Simulate tap: decline"), self)
        self.decline_button.clicked.connect(lambda: self.simulate(approve=False))
        waiting = QHBoxLayout()
        for button in (self.cancel_button, self.approve_button, self.decline_button):
            waiting.addWidget(button)
        waiting.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.start_button)
        layout.addWidget(self.status)
        layout.addLayout(waiting)
        layout.addStretch(1)
        self.update_state()

    @property
    def waiting(self) -> bool:
        return self.payment is not None

    def update_state(self) -> None:
        available = self._desk.availability()
        self.start_button.setEnabled(
            available.card and self._desk.session() is not None and not self.waiting
        )
        self.start_button.setVisible(not self.waiting)
        session = self._desk.session()
        self.start_button.setText(
            _tr("Take card payment")
            if session is None
            else _tr("Take {amount} by card").format(amount=amount_of(session))
        )
        self.cancel_button.setVisible(self.waiting)
        for button in (self.approve_button, self.decline_button):
            button.setVisible(self.waiting and available.test_mode)
        if not available.card and not self.waiting:
            self.status.setText(available.message or _tr("Card payments are not available."))
            self.status.setStyleSheet(f"color: {MUTED};")
            self._why_off = True
        elif self._why_off:  # Stripe answers again: the reason no longer holds
            self.status.clear()
            self._why_off = False

    def start(self) -> None:
        session = self._desk.session()
        if session is None:
            return
        self.start_button.setEnabled(False)
        self._desk.busy(True)
        self._show(_tr("Sending {amount} to the reader…").format(amount=amount_of(session)))
        tx, by = session.transaction_id, attendant()
        run(
            self._desk,
            lambda s: s.desk.start_card(tx, by),
            self._on_reader,
            lambda _text: self._done(),
        )

    def _on_reader(self, payment: Payment) -> None:
        self.payment = payment
        session = self._desk.session()
        amount = "" if session is None else amount_of(session)
        self._show(_tr("Present card on the reader"))
        self._desk.feed.show(Shown.CARD, amount)
        self.update_state()
        payment_id = payment.id
        run(
            self._desk,
            lambda s: s.desk.finish_card(payment_id),
            self._on_outcome,
            lambda _text: self._done(),
        )

    def _on_outcome(self, result: CardResult) -> None:
        amount = self._desk.feed.current.amount
        if result.outcome == "approved":
            self._done()
            number = None if result.receipt is None else result.receipt.number
            self._desk.feed.show(Shown.PAID, amount)
            self._desk.taken(number, approved_text(result.payment))
            self.status.clear()
            return
        self._done()
        self._show(result.message)
        if result.outcome == "declined":
            self._desk.feed.show(Shown.DECLINED, amount, detail=result.message)
        else:
            self._desk.feed.show(Shown.CANCELLED, amount, detail=result.message)
        self._desk.tell(result.message, True)

    def cancel(self) -> None:
        if self.payment is None:
            return
        self.cancel_button.setEnabled(False)
        payment_id, by = self.payment.id, attendant()
        reader = self._desk.availability().reader_id
        run(
            self._desk,
            lambda s: s.desk.card.withdraw(payment_id, reader, "cancelled at the desk", by),
            lambda _p: self.cancel_button.setEnabled(True),
            lambda _text: self.cancel_button.setEnabled(True),
        )

    def simulate(self, *, approve: bool) -> None:
        reader = self._desk.availability().reader_id
        if self.payment is None or reader is None:
            return
        run(self._desk, lambda s: s.desk.card.simulate_tap(reader, approve=approve), _nothing)

    def _show(self, text: str) -> None:
        self.status.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.status.setText(text)

    def _done(self) -> None:
        self.payment = None
        self._desk.busy(False)
        self.update_state()


def approved_text(payment: Payment) -> str:
    """ "Card VISA •••• 4242 approved." (the brand and last four are all we keep)."""
    if payment.card_brand and payment.card_last4:
        return _tr("Card {brand} •••• {last4} approved.").format(
            brand=payment.card_brand.upper(), last4=payment.card_last4
        )
    return _tr("Card payment approved.")


def _nothing(_result: object) -> None:
    return None


class QrPage(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.open: QrPayment | None = None
        self._why_off = False
        self._asking = False
        self.start_button = big_button(_tr("Show QR code"), self)
        self.start_button.clicked.connect(self.start)
        self.code = QLabel(self)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.url = QLabel(self)
        self.url.setWordWrap(True)
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url.setStyleSheet(f"color: {MUTED};")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.other_way_button = QPushButton(_tr("Paid another way"), self)
        self.other_way_button.clicked.connect(self.withdraw)
        self._poll = QTimer(self)
        self._poll.setInterval(QR_POLL_MS)
        self._poll.timeout.connect(self.check)
        layout = QVBoxLayout(self)
        layout.addWidget(self.start_button)
        layout.addWidget(self.code)
        layout.addWidget(self.url)
        layout.addWidget(self.status)
        layout.addWidget(self.other_way_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.update_state()

    def update_state(self) -> None:
        available = self._desk.availability()
        waiting = self.open is not None
        self.start_button.setVisible(not waiting)
        session = self._desk.session()
        self.start_button.setEnabled(available.qr and session is not None)
        self.start_button.setText(
            _tr("Show QR code")
            if session is None
            else _tr("Show QR code for {amount}").format(amount=amount_of(session))
        )
        self.other_way_button.setVisible(waiting)
        self.code.setVisible(waiting)
        self.url.setVisible(waiting)
        if not available.qr and not waiting:
            self.status.setText(available.message or _tr("QR payments are not available."))
            self.status.setStyleSheet(f"color: {MUTED};")
            self._why_off = True
        elif self._why_off:
            self.status.clear()
            self._why_off = False

    def start(self) -> None:
        session = self._desk.session()
        if session is None:
            return
        self.start_button.setEnabled(False)
        self._desk.busy(True)
        tx, by = session.transaction_id, attendant()
        run(self._desk, lambda s: s.desk.start_qr(tx, by), self._opened, lambda _t: self._done())

    def _opened(self, qr: QrPayment) -> None:
        self.open = qr
        self.code.setPixmap(qr_pixmap(qr.url, QR_SIZE))
        self.url.setText(qr.url)
        self.status.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.status.setText(
            _tr("Scan to pay — valid until {time}").format(
                time=local_datetime(qr.expires_at, seconds=False)
            )
        )
        session = self._desk.session()
        amount = "" if session is None else amount_of(session)
        self._desk.feed.show(Shown.QR, amount, qr_url=qr.url, expires_at=qr.expires_at)
        self.update_state()
        self._poll.start()

    def check(self) -> None:
        if self.open is None or self._asking:
            return
        self._asking = True
        payment_id = self.open.payment.id
        run(self._desk, lambda s: s.desk.check_qr(payment_id), self._checked, self._not_checked)

    def _not_checked(self, _text: str) -> None:
        self._asking = False  # Stripe unreachable for a moment: the next poll asks again

    def _checked(self, result: QrResult) -> None:
        self._asking = False
        if self.open is None or result.payment.id != self.open.payment.id:
            return
        amount = self._desk.feed.current.amount
        if result.state == "paid":
            self._done()
            self._desk.feed.show(Shown.PAID, amount)
            number = None if result.receipt is None else result.receipt.number
            self._desk.taken(number, _tr("Paid by QR."))
            self.status.clear()
        elif result.state == "expired":
            self._done()
            self._desk.feed.show(Shown.EXPIRED, amount)
            message = _tr("The QR code expired before it was paid; show a new one to try again.")
            self.status.setText(message)
            self._desk.tell(message, True)

    def withdraw(self) -> None:
        if self.open is None:
            return
        payment_id, by = self.open.payment.id, attendant()
        self._poll.stop()
        self.other_way_button.setEnabled(False)

        def withdrawn(_payment: Payment) -> None:
            self.other_way_button.setEnabled(True)
            self._done()
            self.status.setText(_tr("QR code withdrawn; take the payment another way."))
            self._desk.feed.show(Shown.AMOUNT, self._desk.feed.current.amount)

        def refused(_text: str) -> None:
            self.other_way_button.setEnabled(True)
            self._poll.start()

        run(self._desk, lambda s: s.desk.withdraw_qr(payment_id, by), withdrawn, refused)

    def _done(self) -> None:
        self._poll.stop()
        self.open = None
        self.code.clear()
        self.url.clear()
        self._desk.busy(False)
        self.update_state()
