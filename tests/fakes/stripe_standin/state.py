"""The stand-in's account: every object it created, and how the test wants cards to behave."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from tests.fakes.stripe_standin.wire import Json, StripeFailure, not_found


@dataclass(frozen=True)
class SimulatedCard:
    brand: str
    last4: str
    decline_code: str | None = None
    incremental_authorization: bool = True


# Stripe's card_present test numbers (https://docs.stripe.com/terminal/references/testing).
SIMULATED_CARDS: dict[str, SimulatedCard] = {
    "4242424242424242": SimulatedCard("visa", "4242"),
    "5555555555554444": SimulatedCard("mastercard", "4444"),
    "378282246310005": SimulatedCard("amex", "0005", incremental_authorization=False),
    "4000000000000002": SimulatedCard("visa", "0002", decline_code="generic_decline"),
    "4000000000009995": SimulatedCard("visa", "9995", decline_code="insufficient_funds"),
    "4000000000009987": SimulatedCard("visa", "9987", decline_code="lost_card"),
    "4000000000000069": SimulatedCard("visa", "0069", decline_code="expired_card"),
}
DEFAULT_CARD = "4242424242424242"

DECLINE_MESSAGES = {
    "insufficient_funds": "Your card has insufficient funds.",
    "expired_card": "Your card has expired.",
}


def decline_message(decline_code: str) -> str:
    return DECLINE_MESSAGES.get(decline_code, "Your card was declined.")


def decline_error(decline_code: str, payment_intent: Json | None = None) -> StripeFailure:
    code = "expired_card" if decline_code == "expired_card" else "card_declined"
    extra: Json = {"payment_intent": payment_intent} if payment_intent is not None else {}
    return StripeFailure(
        402,
        decline_message(decline_code),
        type="card_error",
        code=code,
        decline_code=decline_code,
        extra=extra,
    )


@dataclass
class Behaviour:
    """What the test told the stand-in to do instead of the happy path."""

    decline_next: str | None = None
    extra_declines: dict[str, str] = field(default_factory=dict)
    refuse_increments: str | None = None
    never_tap: bool = False
    # The card the customer taps by themselves once a reader shows a payment, and when.
    auto_tap: str | None = None
    auto_tap_after: float = 0.0
    reader_timeout: float | None = None
    reader_timeout_code: str = "customer_abandoned"


@dataclass
class Store:
    payment_intents: dict[str, Json] = field(default_factory=dict)
    charges: dict[str, Json] = field(default_factory=dict)
    refunds: dict[str, Json] = field(default_factory=dict)
    readers: dict[str, Json] = field(default_factory=dict)
    checkout_sessions: dict[str, Json] = field(default_factory=dict)
    behaviour: Behaviour = field(default_factory=Behaviour)
    # Reader actions started when (monotonic), for the configured tap timeout.
    action_started: dict[str, float] = field(default_factory=dict)
    # Taps due on a reader: card number and the monotonic time they happen at.
    pending_taps: dict[str, tuple[str, float]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    @staticmethod
    def new_id(prefix: str) -> str:
        return f"{prefix}_{secrets.token_hex(12)}"

    @staticmethod
    def now() -> int:
        return int(time.time())

    def payment_intent(self, intent_id: str, param: str = "intent") -> Json:
        found = self.payment_intents.get(intent_id)
        if found is None:
            raise not_found("payment_intent", intent_id, param)
        return found

    def reader(self, reader_id: str) -> Json:
        found = self.readers.get(reader_id)
        if found is None:
            raise not_found("terminal.reader", reader_id, "reader")
        return found

    def charge(self, charge_id: str, param: str = "charge") -> Json:
        found = self.charges.get(charge_id)
        if found is None:
            raise not_found("charge", charge_id, param)
        return found

    def card(self, number: str) -> SimulatedCard:
        known = SIMULATED_CARDS.get(number)
        if known is None:
            brand = {"4": "visa", "5": "mastercard", "3": "amex"}.get(number[:1], "unknown")
            known = SimulatedCard(brand, number[-4:])
        extra = self.behaviour.extra_declines.get(number)
        if extra is not None:
            known = SimulatedCard(known.brand, known.last4, extra, known.incremental_authorization)
        if self.behaviour.decline_next is not None:
            known = SimulatedCard(
                known.brand,
                known.last4,
                self.behaviour.decline_next,
                known.incremental_authorization,
            )
            self.behaviour.decline_next = None
        return known

    def find(self, object_id: str) -> Json | None:
        for table in (
            self.payment_intents,
            self.charges,
            self.refunds,
            self.readers,
            self.checkout_sessions,
        ):
            if object_id in table:
                return table[object_id]
        return None
