"""How payments read on screen: method (with the card's brand and last four only) and
state, in the operator's words; a provider's problem in its own (safe) words."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication

from app.domain.errors import ChargeDeskError
from app.domain.payment_errors import PaymentProviderError
from app.domain.payments import Payment, PaymentMethod, PaymentState

T = TypeVar("T")


def _tr(text: str) -> str:
    return QCoreApplication.translate("PaymentsLog", text)


def method_name(method: PaymentMethod) -> str:
    return {
        PaymentMethod.CARD: _tr("Card"),
        PaymentMethod.QR: _tr("Mobile (QR)"),
        PaymentMethod.CASH: _tr("Cash"),
        PaymentMethod.ACCOUNT: _tr("On account"),
        PaymentMethod.SUBSCRIPTION: _tr("Subscription"),
    }[method]


def card_text(payment: Payment) -> str:
    """ "VISA ···· 4242"; empty when no card was read."""
    if not payment.card_last4:
        return ""
    brand = (payment.card_brand or "").upper()
    return f"{brand} ···· {payment.card_last4}".strip()


def method_label(payment: Payment) -> str:
    card = card_text(payment)
    return f"{method_name(payment.method)} {card}" if card else method_name(payment.method)


def state_name(state: PaymentState) -> str:
    return {
        PaymentState.CREATED: _tr("Waiting"),
        PaymentState.AUTHORISED: _tr("Card hold"),
        PaymentState.CAPTURED: _tr("Paid"),
        PaymentState.PARTIALLY_REFUNDED: _tr("Partly refunded"),
        PaymentState.REFUNDED: _tr("Refunded"),
        PaymentState.CANCELLED: _tr("Cancelled"),
        PaymentState.FAILED: _tr("Failed"),
        PaymentState.VOIDED: _tr("Voided"),
        PaymentState.INVOICED: _tr("Invoiced"),
    }[state]


async def plainly(call: Awaitable[T]) -> T:
    """A Stripe problem raised as a ChargeDeskError, so EngineOp shows its words (they
    are safe to show: app/domain/payment_errors.py) instead of "see the log"."""
    try:
        return await call
    except PaymentProviderError as problem:
        raise ChargeDeskError(str(problem)) from None
