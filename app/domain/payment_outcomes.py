"""What the payment provider answers, as our own frozen types (no Stripe object leaves here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

RefundReason = Literal["duplicate", "fraudulent", "requested_by_customer"]

# Stripe's test cards, for 'simulate card tap' in test mode.
APPROVED_TEST_CARD = "4242424242424242"
DECLINED_TEST_CARD = "4000000000000002"
INSUFFICIENT_FUNDS_TEST_CARD = "4000000000009995"


@dataclass(frozen=True, slots=True)
class CardReader:
    id: str
    label: str
    device_type: str
    online: bool

    @property
    def simulated(self) -> bool:
        return self.device_type.startswith("simulated_")


@dataclass(frozen=True, slots=True)
class CardIntent:
    """A PaymentIntent as far as the ledger cares: amounts in minor units and its state."""

    id: str
    status: str
    amount_minor: int
    capturable_minor: int
    received_minor: int
    currency: str


# What a reader's payment action came to.


@dataclass(frozen=True, slots=True)
class Approved:
    intent_id: str
    # Only the brand and the last four digits: nothing else of a card is kept.
    brand: str | None
    last4: str | None


@dataclass(frozen=True, slots=True)
class Declined:
    intent_id: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class TimedOut:
    """No card arrived in time; the reader may still be waiting (cancel its action)."""

    intent_id: str
    reason: str = "timed_out"


@dataclass(frozen=True, slots=True)
class Cancelled:
    intent_id: str


@dataclass(frozen=True, slots=True)
class StillWaiting:
    intent_id: str


ReaderOutcome = Approved | Declined | TimedOut | Cancelled


@dataclass(frozen=True, slots=True)
class IncrementGranted:
    intent_id: str
    authorised_minor: int


@dataclass(frozen=True, slots=True)
class IncrementRefused:
    intent_id: str
    code: str
    message: str


IncrementOutcome = IncrementGranted | IncrementRefused


@dataclass(frozen=True, slots=True)
class RefundResult:
    id: str
    intent_id: str
    amount_minor: int
    status: str
    # Our ledger's refund id, from the refund's metadata (None: made outside ChargeDesk).
    ledger_refund_id: int | None = None


@dataclass(frozen=True, slots=True)
class CheckoutLink:
    """A Checkout Session for an exact amount: show `url` as a QR code."""

    session_id: str
    url: str
    expires_at: datetime


class CheckoutState(StrEnum):
    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class CheckoutStatus:
    session_id: str
    state: CheckoutState
    amount_minor: int
    intent_id: str | None


@dataclass(frozen=True, slots=True)
class PaymentsUnavailable:
    """No gateway: the screen shows `message`, disables card and QR, and keeps cash and account."""

    message: str
