"""The payment ledger's rules: states, allowed changes, idempotency keys, cash and refunds.

A payment row is written before every provider call and updated after it, so
the ledger (not the provider) is the source of truth: a row left with
`in_flight` set after a crash is a call whose outcome we do not know yet, and
start-up reconciliation asks the provider about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.errors import InvalidInput


class PaymentMethod(StrEnum):
    CARD = "card"  # Stripe Terminal reader at the desk
    QR = "qr"  # Stripe Checkout, paid on the driver's phone
    CASH = "cash"
    ACCOUNT = "account"  # invoiced to a fleet
    SUBSCRIPTION = "subscription"


class PaymentState(StrEnum):
    CREATED = "created"
    AUTHORISED = "authorised"  # a hold on the card, not yet taken
    CAPTURED = "captured"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"  # a hold released
    FAILED = "failed"
    VOIDED = "voided"  # cash taken back the same day
    INVOICED = "invoiced"  # on account: the fleet is invoiced later


class ProviderStep(StrEnum):
    """A call to the provider that changes money; one idempotency key each."""

    CREATE = "create"
    AUTHORISE = "authorise"
    CAPTURE = "capture"
    CANCEL = "cancel"


S = PaymentState
ALLOWED: Mapping[PaymentState, frozenset[PaymentState]] = {
    S.CREATED: frozenset({S.AUTHORISED, S.CAPTURED, S.FAILED, S.CANCELLED, S.INVOICED}),
    S.AUTHORISED: frozenset({S.CAPTURED, S.CANCELLED, S.FAILED}),
    S.CAPTURED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED, S.VOIDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.REFUNDED: frozenset(),
    S.CANCELLED: frozenset(),
    S.FAILED: frozenset(),
    S.VOIDED: frozenset(),
    S.INVOICED: frozenset(),
}
# States in which the money is ours (and a session counts as paid).
TAKEN: frozenset[PaymentState] = frozenset(
    {S.CAPTURED, S.PARTIALLY_REFUNDED, S.REFUNDED, S.INVOICED}
)
FINISHED: frozenset[PaymentState] = frozenset(s for s, nxt in ALLOWED.items() if not nxt)


def check_transition(current: PaymentState, new: PaymentState) -> None:
    if new not in ALLOWED[current]:
        raise InvalidInput(f"a payment cannot go from {current.value} to {new.value}")


def idempotency_key(payment_id: int, step: ProviderStep) -> str:
    """Derived from our own row, so a retry after a crash or a timeout sends the same key
    and the provider answers the first call's outcome instead of charging again."""
    return f"chargedesk-pay-{payment_id}-{step.value}"


def refund_idempotency_key(refund_id: int) -> str:
    return f"chargedesk-refund-{refund_id}"


def cash_change(amount_minor: int, tendered_minor: int) -> int:
    """What the attendant hands back; refused when the driver gave too little."""
    if amount_minor <= 0:
        raise InvalidInput("a payment is for more than nothing")
    if tendered_minor < amount_minor:
        raise InvalidInput(
            f"{tendered_minor} tendered does not cover {amount_minor}: "
            f"{amount_minor - tendered_minor} short"
        )
    return tendered_minor - amount_minor


def check_refund(captured_minor: int, refunded_minor: int, amount_minor: int) -> PaymentState:
    """The state after refunding amount_minor more; refused beyond what was captured."""
    if amount_minor <= 0:
        raise InvalidInput("a refund is for more than nothing")
    left = captured_minor - refunded_minor
    if amount_minor > left:
        raise InvalidInput(f"only {left} of {captured_minor} is left to refund")
    return S.REFUNDED if amount_minor == left else S.PARTIALLY_REFUNDED


def check_card(brand: str | None, last4: str | None) -> None:
    """Only the brand and the last four digits are ever stored: refuse anything longer."""
    if last4 is not None and (len(last4) != 4 or not last4.isdigit()):
        raise InvalidInput("only the last four digits of a card are stored")
    if brand is not None and (not brand or len(brand) > 20 or any(c.isdigit() for c in brand)):
        raise InvalidInput("a card brand is a short name such as visa")


@dataclass(frozen=True, slots=True)
class PaymentAttempt:
    """What the desk asks to be paid, before any provider call."""

    method: PaymentMethod
    amount_minor: int
    currency: str
    transaction_id: int | None = None  # None: a pre-authorisation before the session exists
    vat_rate_bp: int = 2500
    fleet_id: int | None = None
    by: str = ""

    def __post_init__(self) -> None:
        if self.amount_minor <= 0:
            raise InvalidInput("a payment is for more than nothing")
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise InvalidInput("a currency is a three-letter code such as SEK")
        if not 0 <= self.vat_rate_bp <= 10_000:
            raise InvalidInput("a VAT rate is between 0 and 100 %")
        if self.method is PaymentMethod.ACCOUNT and self.fleet_id is None:
            raise InvalidInput("a payment on account names the fleet to invoice")


@dataclass(frozen=True, slots=True)
class Payment:
    id: int
    transaction_id: int | None
    method: PaymentMethod
    amount_minor: int
    currency: str
    vat_rate_bp: int
    state: PaymentState
    in_flight: ProviderStep | None
    created_at: datetime
    updated_at: datetime
    captured_at: datetime | None = None
    payment_intent_id: str | None = None
    checkout_session_id: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    tendered_minor: int | None = None
    change_minor: int | None = None
    refunded_minor: int = 0
    fleet_id: int | None = None
    failure_reason: str | None = None
    by: str = ""

    def key(self, step: ProviderStep) -> str:
        return idempotency_key(self.id, step)


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What a provider call answered (or that it failed), recorded after the call."""

    payment_id: int
    step: ProviderStep
    new_state: PaymentState
    reason: str | None = None
    payment_intent_id: str | None = None
    checkout_session_id: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    provider_request_id: str | None = None
    # A capture may take less than the hold (the session's final price).
    captured_minor: int | None = None

    def __post_init__(self) -> None:
        check_card(self.card_brand, self.card_last4)
        if self.captured_minor is not None and (
            self.new_state is not PaymentState.CAPTURED or self.captured_minor <= 0
        ):
            raise InvalidInput("only a capture takes an amount, and more than nothing")
        if self.new_state is PaymentState.FAILED and not self.reason:
            raise InvalidInput("a failed payment says why")


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    """One change of a payment, append-only: the ledger's history."""

    id: int
    payment_id: int
    at: datetime
    from_state: PaymentState | None
    to_state: PaymentState
    step: str | None
    in_flight: bool
    reason: str | None
    provider_request_id: str | None
    provider_object_id: str | None
    by: str


@dataclass(frozen=True, slots=True)
class Refund:
    id: int
    payment_id: int
    amount_minor: int
    reason: str
    by: str
    at: datetime
    done: bool  # False while the provider call is in flight
    provider_refund_id: str | None = None

    @property
    def key(self) -> str:
        return refund_idempotency_key(self.id)


@dataclass(frozen=True, slots=True)
class AwaitingPayment:
    """An ended walk-in session with a final price and no payment taken for it."""

    transaction_id: int
    station_id: str
    stopped_at: datetime | None
    total_minor: int
    vat_rate_bp: int
    currency: str
