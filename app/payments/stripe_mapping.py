"""Stripe objects to our outcome types: the only place their fields are read."""

from __future__ import annotations

from datetime import UTC, datetime

import stripe

from app.domain.payment_errors import PaymentRefused
from app.domain.payment_outcomes import (
    Approved,
    Cancelled,
    CardIntent,
    CardReader,
    CheckoutState,
    CheckoutStatus,
    Declined,
    RefundResult,
    StillWaiting,
    TimedOut,
)

# A reader action that failed with one of these: the customer never presented a card.
_NO_CARD_CODES = frozenset({"customer_abandoned", "timed_out", "reader_timeout"})


REFUND_METADATA_KEY = "chargedesk_refund"


def card_reader(reader: stripe.terminal.Reader) -> CardReader:
    return CardReader(
        id=reader.id,
        label=reader.label or reader.id,
        device_type=str(reader.device_type),
        online=reader.status == "online",
    )


def card_intent(intent: stripe.PaymentIntent) -> CardIntent:
    return CardIntent(
        id=intent.id,
        status=intent.status,
        amount_minor=intent.amount,
        capturable_minor=intent.amount_capturable or 0,
        received_minor=intent.amount_received or 0,
        currency=intent.currency,
    )


def approved(intent: stripe.PaymentIntent) -> Approved:
    """Approved, with the card's brand and last four digits (and nothing else of it)."""
    brand = last4 = None
    charge = intent.latest_charge
    if isinstance(charge, stripe.Charge) and charge.payment_method_details is not None:
        present = charge.payment_method_details.card_present
        if present is not None:
            brand, last4 = present.brand, present.last4
    return Approved(intent_id=intent.id, brand=brand, last4=last4)


def action_outcome(
    reader: stripe.terminal.Reader, intent_id: str
) -> Declined | TimedOut | Cancelled | StillWaiting | None:
    """What the reader's action says; None when it succeeded (the caller fetches the card)."""
    action = reader.action
    if action is None or action.type != "process_payment_intent":
        raise PaymentRefused("The reader is not showing this payment.", code="no_reader_action")
    shown = action.process_payment_intent
    if shown is None or _id_of(shown.payment_intent) != intent_id:
        raise PaymentRefused("The reader is showing another payment.", code="other_payment")
    if action.status == "in_progress":
        return StillWaiting(intent_id)
    if action.status == "succeeded":
        return None
    code = action.failure_code or "failed"
    if code == "canceled":
        return Cancelled(intent_id)
    if code in _NO_CARD_CODES:
        return TimedOut(intent_id, reason=code)
    api_error = action.api_error
    decline_code = (api_error.decline_code if api_error else None) or code
    return Declined(intent_id, code=decline_code, message=action.failure_message or "")


def refund_result(refund: stripe.Refund) -> RefundResult:
    return RefundResult(
        id=refund.id,
        intent_id=_id_of(refund.payment_intent) or "",
        amount_minor=refund.amount,
        status=refund.status or "pending",
        ledger_refund_id=_ledger_refund_id(refund),
    )


def _ledger_refund_id(refund: stripe.Refund) -> int | None:
    metadata = refund.metadata
    if metadata is None or REFUND_METADATA_KEY not in metadata:
        return None
    text = str(metadata[REFUND_METADATA_KEY])
    return int(text) if text.isdigit() else None


def checkout_status(session: stripe.checkout.Session) -> CheckoutStatus:
    if session.status == "complete" and session.payment_status == "paid":
        state = CheckoutState.PAID
    elif session.status == "expired":
        state = CheckoutState.EXPIRED
    else:
        state = CheckoutState.OPEN
    return CheckoutStatus(
        session_id=session.id,
        state=state,
        amount_minor=session.amount_total or 0,
        intent_id=_id_of(session.payment_intent),
    )


def expires_at(session: stripe.checkout.Session) -> datetime:
    return datetime.fromtimestamp(session.expires_at, UTC)


def _id_of(value: str | stripe.StripeObject | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    found = getattr(value, "id", None)
    return found if isinstance(found, str) else None
