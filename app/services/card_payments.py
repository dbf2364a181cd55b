"""Card payments on a Stripe Terminal reader, ledger first.

Each provider call is written to the ledger before it is made (with the idempotency
key of that ledger step) and its answer after it, so a crash or a lost answer leaves
a payment `in_flight` that start-up reconciliation settles, and a retry replays
Stripe's first answer instead of charging again.

The steps, for a payment after charging (automatic capture) and for a hold before
charging (manual capture):

    open      ledger row (created), PaymentIntent          -> created, intent id kept
    present   the amount shows on the reader               -> in flight: authorise
    outcome   the customer taps (or not)                   -> captured | authorised |
                                                              failed | cancelled
    capture   a hold's final amount (never above the hold) -> captured + receipt
    release   a hold given back (nothing was charged)      -> cancelled

When Stripe answers a cancel with "too late" (the customer tapped in the same
moment), the intent's own status decides, so money taken is never recorded as
cancelled.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from app.domain.errors import InvalidInput
from app.domain.payment_errors import (
    PaymentProviderError,
    PaymentProviderUnavailable,
    PaymentRefused,
    PaymentsNotConfigured,
)
from app.domain.payment_outcomes import (
    APPROVED_TEST_CARD,
    DECLINED_TEST_CARD,
    Approved,
    Cancelled,
    Declined,
    IncrementGranted,
    PaymentsUnavailable,
    TimedOut,
)
from app.domain.payments import (
    Payment,
    PaymentAttempt,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    StepOutcome,
)
from app.domain.receipts import Receipt
from app.services.payment_gateway import PaymentGateway
from app.services.payment_reconciliation import STATE_OF_INTENT
from app.services.payments import PaymentLedger, Recorded

log = logging.getLogger(__name__)

GatewaySource = Callable[[], PaymentGateway | PaymentsUnavailable]
CardOutcomeKind = Literal["approved", "declined", "timed_out", "cancelled"]


@dataclass(frozen=True, slots=True)
class CardResult:
    payment: Payment
    receipt: Receipt | None
    outcome: CardOutcomeKind
    message: str  # plain words for the attendant


class CardPayments:
    def __init__(self, ledger: PaymentLedger, gateway: GatewaySource) -> None:
        self._ledger = ledger
        self._gateway = gateway

    def gateway(self) -> PaymentGateway:
        """The gateway, or PaymentsNotConfigured with the reason card payments are off."""
        found = self._gateway()
        if isinstance(found, PaymentsUnavailable):
            raise PaymentsNotConfigured(found.message)
        return found

    async def open(self, attempt: PaymentAttempt, *, hold: bool, by: str = "") -> Payment:
        """The ledger row, then the PaymentIntent (manual capture for a hold)."""
        if attempt.method is not PaymentMethod.CARD:
            raise InvalidInput("a card payment is opened for the card method")
        gateway = self.gateway()
        call = await self._ledger.begin(attempt, ProviderStep.CREATE)
        payment = call.payment
        metadata = {"chargedesk_payment": str(payment.id)}
        if payment.transaction_id is not None:
            metadata["chargedesk_session"] = str(payment.transaction_id)
        try:
            intent = await gateway.create_card_intent(
                payment.amount_minor,
                manual_capture=hold,
                idempotency_key=call.idempotency_key,
                metadata=metadata,
            )
        except PaymentProviderError as problem:
            # No intent reached a reader, so nothing can have been charged.
            await self._ledger.record(
                StepOutcome(payment.id, ProviderStep.CREATE, PaymentState.FAILED, str(problem)),
                by=by,
            )
            raise
        recorded = await self._ledger.record(
            StepOutcome(
                payment.id, ProviderStep.CREATE, PaymentState.CREATED, payment_intent_id=intent.id
            ),
            by=by,
        )
        return recorded.payment

    async def present(self, payment_id: int, reader_id: str, by: str = "") -> None:
        """Show the amount on the reader; the customer taps next."""
        gateway = self.gateway()
        call = await self._ledger.begin_step(payment_id, ProviderStep.AUTHORISE, by)
        intent_id = _intent(call.payment)
        try:
            await gateway.process_on_reader(reader_id, intent_id, call.idempotency_key)
        except PaymentProviderError as problem:
            await self._give_up(call.payment, f"the reader could not show it: {problem}", by)
            raise

    async def outcome(
        self, payment_id: int, reader_id: str, timeout: float, by: str = ""
    ) -> CardResult:
        """Wait for the customer's card. Stripe unreachable: the payment stays in flight
        (PaymentProviderUnavailable); ask again, or withdraw it."""
        gateway = self.gateway()
        payment = await self._ledger.get(payment_id)
        intent_id = _intent(payment)
        seen = await gateway.await_reader(reader_id, intent_id, timeout)
        payment = await self._ledger.get(payment_id)
        if payment.in_flight is not ProviderStep.AUTHORISE:
            # Withdrawn (or settled) by someone else while we waited.
            return await self._result(payment, "cancelled", "The payment was withdrawn.")
        if isinstance(seen, Approved):
            intent = await gateway.retrieve_intent(intent_id)
            hold = intent.status == "requires_capture"
            state = PaymentState.AUTHORISED if hold else PaymentState.CAPTURED
            done = await self._ledger.record(
                StepOutcome(
                    payment_id,
                    ProviderStep.AUTHORISE,
                    state,
                    card_brand=seen.brand,
                    card_last4=seen.last4,
                    captured_minor=None if hold else intent.received_minor or payment.amount_minor,
                ),
                by=by,
            )
            return CardResult(done.payment, done.receipt, "approved", "Approved.")
        if isinstance(seen, Declined):
            reason = f"declined: {seen.message}"
            done = await self._ledger.record(
                StepOutcome(payment_id, ProviderStep.AUTHORISE, PaymentState.FAILED, reason),
                by=by,
            )
            await self._quietly_cancel(gateway, done.payment)
            return CardResult(done.payment, None, "declined", f"Declined: {seen.message}")
        if isinstance(seen, TimedOut):
            await self._quietly(gateway.cancel_reader_action(reader_id), "cancel reader action")
            settled = await self._give_up(
                payment, f"no card within {timeout:.0f} s", by, raise_unavailable=True
            )
            kind: CardOutcomeKind = "approved" if settled.state in _TAKEN_OR_HELD else "timed_out"
            return await self._result(settled, kind, "No card was presented in time.")
        assert isinstance(seen, Cancelled)
        settled = await self._give_up(payment, "cancelled on the reader", by)
        return await self._result(settled, "cancelled", "Cancelled on the reader.")

    async def simulate_tap(self, reader_id: str, *, approve: bool) -> None:
        """Test mode: a customer taps Stripe's approved or declined test card."""
        card = APPROVED_TEST_CARD if approve else DECLINED_TEST_CARD
        await self.gateway().simulate_tap(reader_id, card)

    async def withdraw(
        self, payment_id: int, reader_id: str | None, reason: str, by: str = ""
    ) -> Payment:
        """The attendant stops waiting: clear the reader and cancel the intent."""
        gateway = self.gateway()
        payment = await self._ledger.get(payment_id)
        if payment.state is not PaymentState.CREATED:
            raise InvalidInput(
                f"payment {payment_id} is {payment.state.value}: nothing to withdraw"
            )
        if reader_id is not None and payment.in_flight is ProviderStep.AUTHORISE:
            await self._quietly(gateway.cancel_reader_action(reader_id), "cancel reader action")
        return await self._give_up(payment, reason, by, raise_unavailable=True)

    async def capture(self, payment_id: int, amount_minor: int, by: str = "") -> Recorded:
        """Take a hold's final amount; the rest of the hold is released by Stripe."""
        payment = await self._ledger.get(payment_id)
        if payment.state is PaymentState.CAPTURED and payment.in_flight is None:
            return Recorded(payment, await self._ledger.receipt_for(payment_id))
        if payment.transaction_id is None:
            raise InvalidInput(f"payment {payment_id} pays no session yet: nothing to capture")
        if not 0 < amount_minor <= payment.amount_minor:
            raise InvalidInput(
                f"a capture of {amount_minor} is not within the hold of {payment.amount_minor}"
            )
        gateway = self.gateway()
        call = await self._ledger.begin_step(payment_id, ProviderStep.CAPTURE, by)
        try:
            intent = await gateway.capture(_intent(payment), amount_minor, call.idempotency_key)
        except PaymentProviderUnavailable:
            raise  # in flight: a later capture (or reconciliation) asks again, same key
        except PaymentProviderError:
            return await self._settle_from_intent(gateway, call.payment, "capture refused", by)
        return await self._ledger.record(
            StepOutcome(
                payment_id,
                ProviderStep.CAPTURE,
                PaymentState.CAPTURED,
                captured_minor=intent.received_minor or amount_minor,
            ),
            by=by,
        )

    async def release(self, payment_id: int, reason: str, by: str = "") -> Payment:
        """Give a hold back: nothing is charged."""
        payment = await self._ledger.get(payment_id)
        if payment.state in (PaymentState.CANCELLED, PaymentState.FAILED):
            return payment
        gateway = self.gateway()
        call = await self._ledger.begin_step(payment_id, ProviderStep.CANCEL, by)
        return await self._cancel(gateway, call.payment, reason, by, raise_unavailable=True)

    async def increase_hold(self, payment_id: int, new_total_minor: int, by: str = "") -> bool:
        """Ask the issuer for a larger hold; True when granted (and recorded)."""
        payment = await self._ledger.get(payment_id)
        if payment.state is not PaymentState.AUTHORISED:
            raise InvalidInput(f"payment {payment_id} is {payment.state.value}: no hold to raise")
        key = f"{payment.key(ProviderStep.AUTHORISE)}-to-{new_total_minor}"
        answer = await self.gateway().increment_authorization(
            _intent(payment), new_total_minor, key
        )
        if not isinstance(answer, IncrementGranted):
            log.info("payment %s: the issuer refused a hold of %s", payment_id, new_total_minor)
            return False
        await self._ledger.raise_hold(payment_id, answer.authorised_minor, by)
        return True

    # ---- giving up on an intent ----

    async def _give_up(
        self, payment: Payment, reason: str, by: str, *, raise_unavailable: bool = False
    ) -> Payment:
        """Cancel the intent of a payment that is not going ahead, recorded on its step."""
        gateway = self.gateway()
        if payment.in_flight is None:
            payment = (await self._ledger.begin_step(payment.id, ProviderStep.CANCEL, by)).payment
        return await self._cancel(gateway, payment, reason, by, raise_unavailable=raise_unavailable)

    async def _cancel(
        self,
        gateway: PaymentGateway,
        payment: Payment,
        reason: str,
        by: str,
        *,
        raise_unavailable: bool,
    ) -> Payment:
        assert payment.in_flight is not None
        try:
            await gateway.cancel(_intent(payment), payment.key(ProviderStep.CANCEL))
        except PaymentProviderUnavailable:
            if raise_unavailable:
                raise
            log.warning(
                "payment %s: Stripe unreachable while cancelling; left in flight", payment.id
            )
            return payment
        except PaymentRefused:
            # Too late to cancel: the customer's card went through in the same moment.
            return (await self._settle_from_intent(gateway, payment, reason, by)).payment
        done = await self._ledger.record(
            StepOutcome(payment.id, payment.in_flight, PaymentState.CANCELLED, reason), by=by
        )
        return done.payment

    async def _settle_from_intent(
        self, gateway: PaymentGateway, payment: Payment, reason: str, by: str
    ) -> Recorded:
        """Record whatever Stripe says the intent came to."""
        assert payment.in_flight is not None
        intent = await gateway.retrieve_intent(_intent(payment))
        state = STATE_OF_INTENT.get(intent.status)
        if state is None:
            raise PaymentProviderUnavailable(
                f"Stripe says the payment is {intent.status}; it stays open for reconciliation."
            )
        return await self._ledger.record(
            StepOutcome(
                payment.id,
                payment.in_flight,
                state,
                reason=f"{reason}; Stripe says {intent.status}"
                if state in (PaymentState.FAILED, PaymentState.CANCELLED)
                else None,
                captured_minor=intent.received_minor if state is PaymentState.CAPTURED else None,
            ),
            by=by,
        )

    async def _result(self, payment: Payment, kind: CardOutcomeKind, message: str) -> CardResult:
        receipt = None
        if payment.state is PaymentState.CAPTURED:
            receipt = await self._ledger.receipt_for(payment.id)
            kind, message = "approved", "Approved."
        return CardResult(payment, receipt, kind, message)

    async def _quietly_cancel(self, gateway: PaymentGateway, payment: Payment) -> None:
        """A declined intent is not reused: cancel it at Stripe, best effort."""
        await self._quietly(
            gateway.cancel(_intent(payment), payment.key(ProviderStep.CANCEL)), "cancel intent"
        )

    @staticmethod
    async def _quietly(call: Awaitable[object], what: str) -> None:
        try:
            await call
        except PaymentProviderError as problem:
            log.info("%s did not go through: %s", what, problem)


_TAKEN_OR_HELD = frozenset({PaymentState.CAPTURED, PaymentState.AUTHORISED})


def _intent(payment: Payment) -> str:
    if payment.payment_intent_id is None:
        raise InvalidInput(f"payment {payment.id} has no card payment at Stripe")
    return payment.payment_intent_id
