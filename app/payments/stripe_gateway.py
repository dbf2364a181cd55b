"""`StripeGateway`: card-present payments on Terminal readers, refunds and QR Checkout.

Every request is built from the SDK's own typed parameter dicts (`stripe.params.*`),
so mypy checks each field name against Stripe's API. Every mutating request takes
an idempotency key from our ledger row: a retry after a crash or a lost answer
replays Stripe's first answer instead of charging again.

The SDK's calls run in a worker thread (`asyncio.to_thread`), which works with any
HTTP client the SDK is given and keeps the event loop free. Its own `*_async`
methods work against the stand-in too, but only through `stripe.HTTPXClient`, which
(stripe 16.1, httpx 0.28) sends the body with httpx's deprecated `data=<bytes>`: a
DeprecationWarning on every request, an error under our `filterwarnings = error`,
and a break when httpx 1.0 drops it. Revisit when the SDK passes `content=`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TypeVar

import stripe

from app.domain.payment_errors import PaymentDeclined, PaymentRefused
from app.domain.payment_outcomes import (
    CardIntent,
    CardReader,
    CheckoutLink,
    CheckoutStatus,
    IncrementGranted,
    IncrementOutcome,
    IncrementRefused,
    ReaderOutcome,
    RefundReason,
    RefundResult,
    StillWaiting,
    TimedOut,
)
from app.payments import stripe_mapping as mapping
from app.payments.secrets import StripeMode
from app.payments.stripe_errors import translate

T = TypeVar("T")

SIMULATED_READER_CODE = "simulated-wpe"
QR_SHORTEST_SECONDS = 31 * 60


class StripeGateway:
    """Talks to Stripe for one site: amounts in minor units of the site's currency."""

    def __init__(
        self,
        client: stripe.StripeClient,
        currency: str,
        *,
        mode: StripeMode = StripeMode.LIVE,
        first_poll: float = 0.25,
        longest_poll: float = 2.0,
    ) -> None:
        if len(currency) != 3 or not currency.isalpha():
            raise ValueError(f"currency: {currency!r} is not an ISO 4217 code")
        self._client = client
        self.currency = currency.lower()
        self.mode = mode
        self._first_poll = first_poll
        self._longest_poll = longest_poll

    @property
    def test_mode(self) -> bool:
        return self.mode is StripeMode.TEST

    async def _call(self, what: str, call: Callable[[], T]) -> T:
        try:
            return await asyncio.to_thread(call)
        except stripe.StripeError as error:
            problem = translate(what, error)
        raise problem

    @staticmethod
    def _options(idempotency_key: str) -> stripe.RequestOptions:
        if not idempotency_key:
            raise ValueError("a mutating Stripe request needs an idempotency key")
        return {"idempotency_key": idempotency_key}

    # Readers

    async def readers(self) -> list[CardReader]:
        params: stripe.params.terminal.ReaderListParams = {"limit": 100}
        found = await self._call(
            "list readers", lambda: self._client.v1.terminal.readers.list(params)
        )
        return [mapping.card_reader(reader) for reader in found.data]

    async def register_reader(
        self, registration_code: str, label: str, *, location: str | None = None
    ) -> CardReader:
        params: stripe.params.terminal.ReaderCreateParams = {
            "registration_code": registration_code,
            "label": label,
        }
        if location:
            params["location"] = location
        reader = await self._call(
            "register reader", lambda: self._client.v1.terminal.readers.create(params)
        )
        return mapping.card_reader(reader)

    async def register_simulated_reader(
        self, label: str, *, location: str | None = None
    ) -> CardReader:
        self._require_test_mode("Simulated readers")
        return await self.register_reader(SIMULATED_READER_CODE, label, location=location)

    # Card payments

    async def create_card_intent(
        self,
        amount_minor: int,
        *,
        manual_capture: bool,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
    ) -> CardIntent:
        """A PaymentIntent for a card on a reader; manual_capture holds the amount first."""
        _check_amount(amount_minor)
        params: stripe.params.PaymentIntentCreateParams = {
            "amount": amount_minor,
            "currency": self.currency,
            "allowed_payment_method_types": ["card_present"],
            "capture_method": "manual" if manual_capture else "automatic",
            "metadata": dict(metadata or {}),
        }
        if manual_capture:
            params["payment_method_options"] = {
                "card_present": {"request_incremental_authorization_support": True}
            }
        options = self._options(idempotency_key)
        intent = await self._call(
            "create payment", lambda: self._client.v1.payment_intents.create(params, options)
        )
        return mapping.card_intent(intent)

    async def process_on_reader(self, reader_id: str, intent_id: str, idempotency_key: str) -> None:
        """Show the payment on the reader; the customer taps next."""
        params: stripe.params.terminal.ReaderProcessPaymentIntentParams = {
            "payment_intent": intent_id
        }
        options = self._options(idempotency_key)
        await self._call(
            "show payment on reader",
            lambda: self._client.v1.terminal.readers.process_payment_intent(
                reader_id, params, options
            ),
        )

    async def reader_action(self, reader_id: str, intent_id: str) -> ReaderOutcome | StillWaiting:
        """One look at the reader: the outcome of its payment action, or still waiting."""
        reader = await self._call(
            "read reader", lambda: self._client.v1.terminal.readers.retrieve(reader_id)
        )
        outcome = mapping.action_outcome(reader, intent_id)
        if outcome is not None:
            return outcome
        params: stripe.params.PaymentIntentRetrieveParams = {"expand": ["latest_charge"]}
        intent = await self._call(
            "read payment",
            lambda: self._client.v1.payment_intents.retrieve(intent_id, params),
        )
        return mapping.approved(intent)

    async def await_reader(self, reader_id: str, intent_id: str, timeout: float) -> ReaderOutcome:
        """Poll the reader, backing off, until its action ends or `timeout` seconds pass.

        TimedOut leaves the reader's action running: cancel it with cancel_reader_action.
        """
        deadline = time.monotonic() + timeout
        pause = self._first_poll
        while True:
            outcome = await self.reader_action(reader_id, intent_id)
            if not isinstance(outcome, StillWaiting):
                return outcome
            left = deadline - time.monotonic()
            if left <= 0:
                return TimedOut(intent_id)
            await asyncio.sleep(min(pause, left))
            pause = min(pause * 1.5, self._longest_poll)

    async def cancel_reader_action(self, reader_id: str) -> None:
        params: stripe.params.terminal.ReaderCancelActionParams = {}
        await self._call(
            "cancel reader action",
            lambda: self._client.v1.terminal.readers.cancel_action(reader_id, params),
        )

    async def simulate_tap(self, reader_id: str, card_number: str) -> None:
        """Test mode only: a customer taps this test card (Stripe's present_payment_method)."""
        self._require_test_mode("Simulating a card tap")
        params: stripe.params.test_helpers.terminal.ReaderPresentPaymentMethodParams = {
            "type": "card_present",
            "card_present": {"number": card_number},
        }
        await self._call(
            "simulate card tap",
            lambda: self._client.v1.test_helpers.terminal.readers.present_payment_method(
                reader_id, params
            ),
        )

    async def capture(self, intent_id: str, amount_minor: int, idempotency_key: str) -> CardIntent:
        """Capture `amount_minor` of a hold (at most what was authorised); the rest is released."""
        _check_amount(amount_minor)
        params: stripe.params.PaymentIntentCaptureParams = {"amount_to_capture": amount_minor}
        options = self._options(idempotency_key)
        intent = await self._call(
            "capture", lambda: self._client.v1.payment_intents.capture(intent_id, params, options)
        )
        return mapping.card_intent(intent)

    async def cancel(self, intent_id: str, idempotency_key: str) -> CardIntent:
        """Cancel a payment not yet captured; a hold on the card is released."""
        params: stripe.params.PaymentIntentCancelParams = {"cancellation_reason": "abandoned"}
        options = self._options(idempotency_key)
        intent = await self._call(
            "cancel payment",
            lambda: self._client.v1.payment_intents.cancel(intent_id, params, options),
        )
        return mapping.card_intent(intent)

    async def increment_authorization(
        self, intent_id: str, amount_minor: int, idempotency_key: str
    ) -> IncrementOutcome:
        """Raise a hold to `amount_minor` in total; the issuer may refuse."""
        _check_amount(amount_minor)
        params: stripe.params.PaymentIntentIncrementAuthorizationParams = {"amount": amount_minor}
        options = self._options(idempotency_key)
        try:
            intent = await self._call(
                "increase hold",
                lambda: self._client.v1.payment_intents.increment_authorization(
                    intent_id, params, options
                ),
            )
        except PaymentDeclined as refused:
            return IncrementRefused(intent_id, refused.code, refused.message)
        return IncrementGranted(intent_id, intent.amount_capturable or intent.amount)

    async def refund(
        self,
        intent_id: str,
        amount_minor: int,
        reason: RefundReason,
        idempotency_key: str,
        *,
        ledger_refund_id: int | None = None,
    ) -> RefundResult:
        _check_amount(amount_minor)
        params: stripe.params.RefundCreateParams = {
            "payment_intent": intent_id,
            "amount": amount_minor,
            "reason": reason,
        }
        if ledger_refund_id is not None:
            params["metadata"] = {mapping.REFUND_METADATA_KEY: str(ledger_refund_id)}
        options = self._options(idempotency_key)
        refund = await self._call("refund", lambda: self._client.v1.refunds.create(params, options))
        return mapping.refund_result(refund)

    async def refunds_of(self, intent_id: str) -> list[RefundResult]:
        """The refunds Stripe holds for a payment (reading back refunds left in flight)."""
        params: stripe.params.RefundListParams = {"payment_intent": intent_id, "limit": 100}
        found = await self._call("read refunds", lambda: self._client.v1.refunds.list(params))
        return [mapping.refund_result(refund) for refund in found.data]

    async def retrieve_intent(self, intent_id: str) -> CardIntent:
        """Where a payment stands at Stripe (start-up reconciliation of in-flight payments)."""
        intent = await self._call(
            "read payment", lambda: self._client.v1.payment_intents.retrieve(intent_id)
        )
        return mapping.card_intent(intent)

    # QR payments (Stripe Checkout)

    async def checkout_for(
        self,
        amount_minor: int,
        description: str,
        idempotency_key: str,
        expires_in: timedelta = timedelta(hours=1),
        metadata: Mapping[str, str] | None = None,
    ) -> CheckoutLink:
        """A Checkout Session for exactly this amount; its URL goes on screen as a QR code."""
        _check_amount(amount_minor)
        seconds = int(expires_in.total_seconds())
        if not 30 * 60 <= seconds <= 24 * 3600:
            raise ValueError("a QR payment link lasts between 30 minutes and 24 hours")
        params: stripe.params.checkout.SessionCreateParams = {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": self.currency,
                        "unit_amount": amount_minor,
                        "product_data": {"name": description},
                    },
                    "quantity": 1,
                }
            ],
            # Stripe counts its 30-minute minimum from when the request arrives.
            "expires_at": int(time.time()) + max(seconds, QR_SHORTEST_SECONDS),
            "metadata": dict(metadata or {}),
        }
        options = self._options(idempotency_key)
        session = await self._call(
            "create QR payment", lambda: self._client.v1.checkout.sessions.create(params, options)
        )
        if session.url is None:
            raise PaymentRefused("Stripe gave no payment link for the QR code.")
        return CheckoutLink(session.id, session.url, mapping.expires_at(session))

    async def checkout_status(self, session_id: str) -> CheckoutStatus:
        session = await self._call(
            "read QR payment", lambda: self._client.v1.checkout.sessions.retrieve(session_id)
        )
        return mapping.checkout_status(session)

    async def expire_checkout(self, session_id: str, idempotency_key: str) -> CheckoutStatus:
        """Withdraw a QR code (the customer paid another way); a paid session stays paid."""
        params: stripe.params.checkout.SessionExpireParams = {}
        options = self._options(idempotency_key)
        try:
            session = await self._call(
                "withdraw QR payment",
                lambda: self._client.v1.checkout.sessions.expire(session_id, params, options),
            )
        except PaymentRefused:
            # Already paid or lapsed: say where it stands rather than fail.
            return await self.checkout_status(session_id)
        return mapping.checkout_status(session)

    def _require_test_mode(self, what: str) -> None:
        if not self.test_mode:
            raise PaymentRefused(f"{what} is only possible with a Stripe test key.")


def _check_amount(amount_minor: int) -> None:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValueError(f"amount: {amount_minor!r} is not a positive whole number of minor units")
