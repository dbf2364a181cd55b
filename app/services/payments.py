"""The payment ledger: the local source of truth for money taken at the desk.

A gateway that talks to a provider (Stripe) calls `begin` before each call, with
the idempotency key it hands back, and `record` after it. A crash between the
two leaves the payment `in_flight`; at start-up the gateway asks the provider
about each such payment and calls `settle`, or `raise_mismatch` when the
provider and the ledger disagree: an alarm for a manager.

Cash and on-account payments have no provider call and are taken in one write
with their receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, Protocol

from app.domain.errors import InvalidInput, NotFound
from app.domain.events import PaymentChanged
from app.domain.model import Severity
from app.domain.payments import (
    AwaitingPayment,
    Payment,
    PaymentAttempt,
    PaymentEvent,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    Refund,
    StepOutcome,
    cash_change,
)
from app.domain.ports import Clock, EventLog
from app.domain.receipts import Receipt, Seller, render_text
from app.domain.settlement import RefundFact, Settlement, build_settlement, day_bounds
from app.services.events import EventBus

MISMATCH_KIND = "payment.mismatch"
REASON_MAX = 500
EMAIL_MAX = 254
PROVIDER_METHODS = frozenset({PaymentMethod.CARD, PaymentMethod.QR})


class PaymentRepository(Protocol):
    """Implemented by app/store/repositories/payments.py."""

    async def begin(
        self, attempt: PaymentAttempt, step: ProviderStep, now: datetime
    ) -> Payment: ...
    async def begin_step(
        self, payment_id: int, step: ProviderStep, now: datetime, by: str
    ) -> Payment: ...
    async def record(
        self, outcome: StepOutcome, now: datetime, seller: Seller, by: str
    ) -> tuple[Payment, Receipt | None]: ...
    async def taken_at_once(
        self,
        attempt: PaymentAttempt,
        state: PaymentState,
        now: datetime,
        seller: Seller,
        email: str | None,
        **extra: Any,
    ) -> tuple[Payment, Receipt]: ...
    async def attach_session(
        self, payment_id: int, transaction_id: int, now: datetime, by: str
    ) -> Payment: ...
    async def note(
        self, payment_id: int, now: datetime, reason: str, step: str, by: str = ""
    ) -> Payment: ...
    async def void(
        self, payment_id: int, now: datetime, reason: str, by: str, same_day: Any
    ) -> Payment: ...
    async def begin_refund(
        self, payment_id: int, amount_minor: int, reason: str, by: str, now: datetime, done: bool
    ) -> tuple[Refund, Payment]: ...
    async def record_refund(
        self,
        refund_id: int,
        now: datetime,
        provider_refund_id: str | None,
        failure: str | None,
        by: str,
    ) -> tuple[Refund, Payment]: ...
    async def receipt(self, number: int) -> Receipt: ...
    async def receipt_for(self, payment_id: int) -> Receipt | None: ...
    async def set_receipt_email(self, number: int, email: str | None) -> Receipt: ...
    async def get(self, payment_id: int) -> Payment: ...
    async def in_flight(self) -> list[Payment]: ...
    async def pending_refunds(self) -> list[Refund]: ...
    async def events(self, payment_id: int) -> list[PaymentEvent]: ...
    async def awaiting_payment(self) -> list[AwaitingPayment]: ...
    async def between(self, start: datetime, end: datetime) -> list[Payment]: ...
    async def raise_hold(
        self, payment_id: int, new_total_minor: int, now: datetime, by: str
    ) -> Payment: ...
    async def day_facts(
        self, start: datetime, end: datetime
    ) -> tuple[list[Payment], list[RefundFact], list[Payment]]: ...


@dataclass(frozen=True, slots=True)
class ProviderCall:
    """A ledger row written before a provider call: send `idempotency_key` with it."""

    payment: Payment
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class Recorded:
    payment: Payment
    receipt: Receipt | None


@dataclass(frozen=True, slots=True)
class CashTaken:
    payment: Payment
    receipt: Receipt
    change_minor: int


def _text(value: str, what: str, limit: int = REASON_MAX) -> str:
    text = value.strip()
    if not text or len(text) > limit:
        raise InvalidInput(f"{what}: 1 to {limit} characters")
    return text


def _email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    text = email.strip()
    local, at, domain = text.partition("@")
    if not at or not local or "." not in domain or len(text) > EMAIL_MAX or " " in text:
        raise InvalidInput(f"{text!r} is not an e-mail address")
    return text


class PaymentLedger:
    def __init__(
        self,
        repository: PaymentRepository,
        bus: EventBus,
        clock: Clock,
        event_log: EventLog,
        seller: Seller,
        zone: tzinfo,
        currency: str = "SEK",
        opening_float_minor: int = 0,
    ) -> None:
        self._repo = repository
        self._bus = bus
        self._clock = clock
        self._log = event_log
        self.seller = seller
        self.zone = zone
        self.currency = currency
        self.opening_float_minor = opening_float_minor

    def _publish(self, payment: Payment, change: str, receipt: Receipt | None = None) -> None:
        self._bus.publish(
            PaymentChanged(
                self._clock(),
                "",
                payment.id,
                payment.transaction_id,
                payment.state.value,
                change,
                None if receipt is None else receipt.number,
            )
        )

    # ---- around a provider call ----

    async def begin(
        self, attempt: PaymentAttempt, step: ProviderStep = ProviderStep.CREATE
    ) -> ProviderCall:
        """Write the attempt before the provider is called; its key makes retries safe."""
        if attempt.method not in PROVIDER_METHODS:
            raise InvalidInput(f"{attempt.method.value} is taken without a provider call")
        payment = await self._repo.begin(attempt, step, self._clock())
        self._publish(payment, "created")
        return ProviderCall(payment, payment.key(step))

    async def begin_step(self, payment_id: int, step: ProviderStep, by: str = "") -> ProviderCall:
        """A further provider call on the same payment (capture or cancel a hold)."""
        payment = await self._repo.begin_step(payment_id, step, self._clock(), by)
        return ProviderCall(payment, payment.key(step))

    async def attach_session(self, payment_id: int, transaction_id: int, by: str = "") -> Payment:
        """A hold taken before the session started (transaction_id None) joins its session,
        so its capture pays that session and no other."""
        payment = await self._repo.attach_session(payment_id, transaction_id, self._clock(), by)
        self._publish(payment, "attached")
        return payment

    async def record(self, outcome: StepOutcome, by: str = "") -> Recorded:
        """What the provider answered; a capture takes the session's money and issues the
        receipt in the same write."""
        payment, receipt = await self._repo.record(outcome, self._clock(), self.seller, by)
        self._publish(payment, outcome.new_state.value, receipt)
        return Recorded(payment, receipt)

    async def raise_hold(self, payment_id: int, new_total_minor: int, by: str = "") -> Payment:
        """Record a hold the issuer raised (incremental authorisation)."""
        payment = await self._repo.raise_hold(payment_id, new_total_minor, self._clock(), by)
        self._publish(payment, "hold raised")
        return payment

    # ---- without a provider ----

    async def pay_cash(
        self, attempt: PaymentAttempt, tendered_minor: int, email: str | None = None
    ) -> CashTaken:
        if attempt.method is not PaymentMethod.CASH:
            raise InvalidInput("pay_cash takes cash payments")
        change = cash_change(attempt.amount_minor, tendered_minor)
        payment, receipt = await self._repo.taken_at_once(
            attempt,
            PaymentState.CAPTURED,
            self._clock(),
            self.seller,
            _email(email),
            tendered_minor=tendered_minor,
            change_minor=change,
        )
        self._publish(payment, "captured", receipt)
        return CashTaken(payment, receipt, change)

    async def put_on_account(self, attempt: PaymentAttempt, email: str | None = None) -> Recorded:
        """Charge a fleet's account: marked invoiced, with a receipt."""
        if attempt.method is not PaymentMethod.ACCOUNT:
            raise InvalidInput("put_on_account takes payments on account")
        payment, receipt = await self._repo.taken_at_once(
            attempt, PaymentState.INVOICED, self._clock(), self.seller, _email(email)
        )
        self._publish(payment, "invoiced", receipt)
        return Recorded(payment, receipt)

    async def charge_subscription(
        self, attempt: PaymentAttempt, email: str | None = None
    ) -> Recorded:
        """Bill the session with the driver's subscription: invoiced on the monthly statement."""
        if attempt.method is not PaymentMethod.SUBSCRIPTION:
            raise InvalidInput("charge_subscription takes subscription payments")
        payment, receipt = await self._repo.taken_at_once(
            attempt, PaymentState.INVOICED, self._clock(), self.seller, _email(email)
        )
        self._publish(payment, "invoiced", receipt)
        return Recorded(payment, receipt)

    async def void_cash(self, payment_id: int, reason: str, by: str) -> Payment:
        """Take back a cash payment on the day it was taken; its session awaits payment again."""
        why, who = _text(reason, "a reason"), _text(by, "who voids it", 100)
        now = self._clock()
        today = now.astimezone(self.zone).date()

        def same_day(moment: datetime) -> bool:
            return moment.astimezone(self.zone).date() == today

        payment = await self._repo.void(payment_id, now, why, who, same_day)
        self._publish(payment, "voided")
        return payment

    # ---- refunds ----

    async def refund(self, payment_id: int, amount_minor: int, reason: str, by: str) -> Refund:
        """Refund part or all of a payment. Cash is handed back at once; for a card or QR
        payment the refund is in flight until `record_refund` (send `refund.key`)."""
        why, who = _text(reason, "a reason"), _text(by, "who refunds it", 100)
        payment = await self._repo.get(payment_id)
        done = payment.method not in PROVIDER_METHODS
        refund, payment = await self._repo.begin_refund(
            payment_id, amount_minor, why, who, self._clock(), done
        )
        self._publish(payment, "refunded" if done else "refund requested")
        return refund

    async def record_refund(
        self,
        refund_id: int,
        provider_refund_id: str | None = None,
        failure: str | None = None,
        by: str = "",
    ) -> Refund:
        refund, payment = await self._repo.record_refund(
            refund_id, self._clock(), provider_refund_id, failure, by
        )
        self._publish(payment, "refund failed" if failure else "refunded")
        return refund

    # ---- reconciliation at start-up ----

    async def in_flight(self) -> list[Payment]:
        """Payments whose last provider call has no recorded outcome (a crash or timeout)."""
        return await self._repo.in_flight()

    async def pending_refunds(self) -> list[Refund]:
        return await self._repo.pending_refunds()

    async def settle(
        self,
        payment_id: int,
        provider_state: PaymentState,
        reason: str | None = None,
        payment_intent_id: str | None = None,
        card_brand: str | None = None,
        card_last4: str | None = None,
        captured_minor: int | None = None,
    ) -> Recorded:
        """Apply what the provider says happened to an in-flight payment. A state the
        ledger cannot reach from its own (or a second capture for one session) is not
        applied: it is raised as an alarm for a manager instead."""
        payment = await self._repo.get(payment_id)
        if payment.in_flight is None:
            if payment.state is not provider_state:
                await self.raise_mismatch(
                    payment_id,
                    f"the provider says {provider_state.value}, the ledger {payment.state.value}",
                )
            return Recorded(payment, None)
        if provider_state is PaymentState.FAILED and not reason:
            reason = "the provider has no record of the call"
        outcome = StepOutcome(
            payment_id,
            payment.in_flight,
            provider_state,
            reason=reason,
            payment_intent_id=payment_intent_id,
            card_brand=card_brand,
            card_last4=card_last4,
            captured_minor=captured_minor,
        )
        try:
            return await self.record(outcome, by="reconciliation")
        except InvalidInput as refused:
            await self.raise_mismatch(
                payment_id, f"the provider says {provider_state.value}: {refused}"
            )
            return Recorded(await self._repo.get(payment_id), None)

    async def raise_mismatch(self, payment_id: int, what: str) -> None:
        """Note the disagreement in the payment's history and raise an alarm."""
        text = _text(what, "what does not match", 2000)
        now = self._clock()
        payment = await self._repo.note(payment_id, now, text, "mismatch", "reconciliation")
        await self._log.append(
            MISMATCH_KIND,
            Severity.ALARM,
            f"Payment {payment_id} needs a manager: {text}",
            None,
            {
                "payment_id": payment_id,
                "transaction_id": payment.transaction_id,
                "state": payment.state.value,
                "amount_minor": payment.amount_minor,
                "currency": payment.currency,
            },
            now,
        )
        self._publish(payment, "mismatch")

    # ---- reading ----

    async def get(self, payment_id: int) -> Payment:
        return await self._repo.get(payment_id)

    async def history(self, payment_id: int) -> list[PaymentEvent]:
        return await self._repo.events(payment_id)

    async def payments_between(self, start: datetime, end: datetime) -> list[Payment]:
        """Every payment begun in [start, end), newest first (the desk's payments log)."""
        return await self._repo.between(start, end)

    async def awaiting_payment(self) -> list[AwaitingPayment]:
        """Ended walk-in sessions with a final price that nobody has paid for yet."""
        return await self._repo.awaiting_payment()

    async def receipt(self, number: int) -> Receipt:
        return await self._repo.receipt(number)

    async def receipt_for(self, payment_id: int) -> Receipt:
        found = await self._repo.receipt_for(payment_id)
        if found is None:
            raise NotFound(f"payment {payment_id} has no receipt")
        return found

    async def receipt_text(self, number: int) -> str:
        return render_text(await self._repo.receipt(number), self.zone)

    async def set_receipt_email(self, number: int, email: str | None) -> Receipt:
        """Store (or clear) the address a receipt is to be sent to later."""
        return await self._repo.set_receipt_email(number, _email(email))

    async def settlement(self, day: date) -> Settlement:
        """The Z-report of a local business day."""
        start, end = day_bounds(day, self.zone)
        taken, refunds, holds = await self._repo.day_facts(start, end)
        return build_settlement(
            day, self.zone, self.currency, taken, refunds, holds, self.opening_float_minor
        )
