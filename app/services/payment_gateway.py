"""The port the payment desk needs of a card and QR payment provider.

app/payments/stripe_gateway.py's StripeGateway is the adapter; the desk and the card
steps see only this, with our own outcome types (app/domain/payment_outcomes.py) and
errors (app/domain/payment_errors.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Protocol

from app.config import Settings
from app.domain.payment_outcomes import (
    CardIntent,
    CardReader,
    CheckoutLink,
    CheckoutStatus,
    IncrementOutcome,
    PaymentsUnavailable,
    ReaderOutcome,
    RefundReason,
    RefundResult,
    StillWaiting,
)


class PaymentGateway(Protocol):
    @property
    def test_mode(self) -> bool: ...

    async def readers(self) -> list[CardReader]: ...
    async def register_reader(
        self, registration_code: str, label: str, *, location: str | None = None
    ) -> CardReader: ...
    async def register_simulated_reader(
        self, label: str, *, location: str | None = None
    ) -> CardReader: ...
    async def create_card_intent(
        self,
        amount_minor: int,
        *,
        manual_capture: bool,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
    ) -> CardIntent: ...
    async def process_on_reader(
        self, reader_id: str, intent_id: str, idempotency_key: str
    ) -> None: ...
    async def reader_action(
        self, reader_id: str, intent_id: str
    ) -> ReaderOutcome | StillWaiting: ...
    async def await_reader(
        self, reader_id: str, intent_id: str, timeout: float
    ) -> ReaderOutcome: ...
    async def cancel_reader_action(self, reader_id: str) -> None: ...
    async def simulate_tap(self, reader_id: str, card_number: str) -> None: ...
    async def capture(
        self, intent_id: str, amount_minor: int, idempotency_key: str
    ) -> CardIntent: ...
    async def cancel(self, intent_id: str, idempotency_key: str) -> CardIntent: ...
    async def increment_authorization(
        self, intent_id: str, amount_minor: int, idempotency_key: str
    ) -> IncrementOutcome: ...
    async def refund(
        self,
        intent_id: str,
        amount_minor: int,
        reason: RefundReason,
        idempotency_key: str,
        *,
        ledger_refund_id: int | None = None,
    ) -> RefundResult: ...
    async def refunds_of(self, intent_id: str) -> list[RefundResult]: ...
    async def retrieve_intent(self, intent_id: str) -> CardIntent: ...
    async def checkout_for(
        self,
        amount_minor: int,
        description: str,
        idempotency_key: str,
        expires_in: timedelta = ...,
        metadata: Mapping[str, str] | None = None,
    ) -> CheckoutLink: ...
    async def checkout_status(self, session_id: str) -> CheckoutStatus: ...
    async def expire_checkout(self, session_id: str, idempotency_key: str) -> CheckoutStatus: ...


# Builds the gateway from the settings and the stored key (blocking: the keyring).
GatewayFactory = Callable[[Settings], PaymentGateway | PaymentsUnavailable]
