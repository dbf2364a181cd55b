"""Refund part or all of a payment (a manager's action): the amount, by default what is
left to refund, and a reason, which is required; confirmed before anything is sent.

A card or QR refund goes back to the card through Stripe; cash is handed back from
the drawer at once. Both are written to the ledger first (app/services/payment_desk.py).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.payments import Payment, PaymentMethod, Refund
from app.services.container import Services
from app.services.payments import REASON_MAX
from app.ui.dialogs.confirm import confirm
from app.ui.dialogs.validated_form import SaveCall, ValidatedFormDialog, show_dialog
from app.ui.engine_host import EngineHost
from app.ui.views.alarm_style import operator_name
from app.ui.views.payments_log_text import method_label, plainly
from app.ui.views.tariff_text import AmountProblem, money, money_text, parse_money


def _tr(text: str) -> str:
    return QCoreApplication.translate("Refund", text)


def confirm_refund(parent: QWidget | None, question: str) -> bool:
    """Tests replace this so that nothing modal blocks them."""
    return confirm(parent, _tr("Refund"), question, _tr("Refund"), destructive=True)


def remaining_minor(payment: Payment) -> int:
    return payment.amount_minor - payment.refunded_minor


class RefundDialog(ValidatedFormDialog):
    def __init__(self, host: EngineHost, payment: Payment, parent: QWidget | None = None) -> None:
        self.payment = payment
        cur = payment.currency
        left = remaining_minor(payment)
        intro = _tr("Payment {id}: {method}, {amount}.").format(
            id=payment.id, method=method_label(payment), amount=money(payment.amount_minor, cur)
        )
        if payment.refunded_minor:
            intro += " " + _tr("{done} refunded already.").format(
                done=money(payment.refunded_minor, cur)
            )
        if payment.method in (PaymentMethod.CARD, PaymentMethod.QR):
            intro += " " + _tr("The refund goes back to the card through Stripe.")
        elif payment.method is PaymentMethod.CASH:
            intro += " " + _tr("Hand the money back from the drawer.")
        super().__init__(
            host, _tr("Refund payment {id}").format(id=payment.id), intro, _tr("Refund…"), parent
        )
        self.amount = QLineEdit(money_text(left, cur), self)
        self.amount.textChanged.connect(self.revalidate)
        self.add_field("amount", _tr("Amount ({currency}):").format(currency=cur), self.amount)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(_tr("Why, for the ledger: e.g. the charger stopped early"))
        self.reason.setMaxLength(REASON_MAX)
        self.reason.textChanged.connect(self.revalidate)
        self.add_field("reason", _tr("Reason:"), self.reason)
        self.start()

    def amount_minor(self) -> int:
        """What is typed, in minor units; raises AmountProblem with the reason."""
        amount = parse_money(self.amount.text(), self.payment.currency)
        left = remaining_minor(self.payment)
        if amount <= 0:
            raise AmountProblem(_tr("A refund is for more than nothing."))
        if amount > left:
            raise AmountProblem(
                _tr("At most {left}: what is left of the payment.").format(
                    left=money(left, self.payment.currency)
                )
            )
        return amount

    def values(self) -> tuple[str, str]:
        return self.amount.text(), self.reason.text()

    def problems(self) -> dict[str, str]:
        found = {}
        try:
            self.amount_minor()
        except AmountProblem as problem:
            found["amount"] = str(problem)
        if not self.reason.text().strip():
            found["reason"] = _tr("A reason is needed: it is kept with the refund.")
        return found

    def accept(self) -> None:
        if self.busy or self.problems():
            return
        question = _tr("Refund {amount} of payment {id}? This cannot be undone.").format(
            amount=money(self.amount_minor(), self.payment.currency), id=self.payment.id
        )
        if confirm_refund(self, question):
            super().accept()

    def save_call(self) -> SaveCall:
        payment_id, amount = self.payment.id, self.amount_minor()
        reason, by = self.reason.text().strip(), operator_name()

        async def refund(s: Services) -> Refund:
            return await plainly(s.desk.refund(payment_id, amount, reason, by))

        return refund


def open_refund(parent: QWidget | None, host: EngineHost, payment: Payment) -> RefundDialog:
    dialog = RefundDialog(host, payment, parent)
    show_dialog(dialog)
    return dialog
