"""Start-up reconciliation: payments left in flight by a crash are settled with what the
provider (Stripe) says happened, so a captured payment is never lost, never applied to two
sessions and never charged twice.

Services depend on ports, not adapters: the gateway is any object with `retrieve_intent`
(app/payments/stripe_gateway.py's StripeGateway is one) and the caller names the exception
that means "the provider could not be reached" (PaymentProviderUnavailable).

Rules, for each payment in `ledger.in_flight()`:

* with a PaymentIntent id: Stripe's status decides (succeeded -> captured for the amount
  received; requires_capture -> authorised; canceled -> cancelled; requires_payment_method
  -> failed). Any other status (processing, requires_action, ...) is not final: the payment
  stays in flight and is reported. Card brand and last four are not part of what
  `retrieve_intent` answers; the ledger keeps what it recorded when the hold was taken.
* without an id, while its create call was in flight: the create call never answered
  (Stripe has no search by idempotency key). If Stripe did create an intent, that intent
  never reached a reader (processing is a later step, after the id is recorded) so nothing
  was charged: the payment is marked failed, and the orphan intent expires at Stripe.
* without an id on any other step (a QR payment with only a Checkout Session, say): left in
  flight and reported for a manager.
* the provider unreachable: that payment and every one after it stay in flight; the report
  says "could not reach Stripe" and reconciliation is to be run again later.
* anything the ledger refuses (a second capture for a session, a state it cannot reach):
  `ledger.settle` raises the mismatch alarm itself; it is counted here. Such a payment
  stays in flight, so a later run raises the alarm again until a manager resolves it.

Refunds in flight (`ledger.pending_refunds()`) are read back from Stripe: every refund we
send carries our refund id in its metadata, so the payment's refunds at Stripe tell whether
it was made (then it is recorded as done, with Stripe's id) or not (then it is recorded as
failed, for the manager to make again: money is never sent back without someone asking).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.domain.payment_errors import PaymentProviderError, PaymentProviderUnavailable
from app.domain.payments import Payment, PaymentState, ProviderStep, Refund
from app.services.payments import PaymentLedger

NO_ANSWER = "no answer from Stripe before ChargeDesk stopped; nothing was charged"
UNREACHABLE = "could not reach Stripe"
WITHDRAWN = "no card before ChargeDesk stopped: withdrawn at start-up, nothing charged"
REFUND_NOT_MADE = "Stripe has no such refund: it was not made"


class ProviderIntent(Protocol):
    """What reconciliation reads of a PaymentIntent (app.domain.payment_outcomes.CardIntent)."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def received_minor(self) -> int: ...


class ProviderRefund(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def ledger_refund_id(self) -> int | None: ...


class IntentLookup(Protocol):
    async def retrieve_intent(self, intent_id: str) -> ProviderIntent: ...
    async def cancel(self, intent_id: str, idempotency_key: str) -> ProviderIntent: ...
    async def refunds_of(self, intent_id: str) -> Sequence[ProviderRefund]: ...


@dataclass(slots=True)
class ReconciliationReport:
    """Payment ids by what became of them, and lines for a manager to read."""

    settled: list[int] = field(default_factory=list)
    mismatches: list[int] = field(default_factory=list)
    left_in_flight: list[int] = field(default_factory=list)
    refunds_left: list[int] = field(default_factory=list)
    refunds_settled: list[int] = field(default_factory=list)
    refunds_failed: list[int] = field(default_factory=list)
    stripe_unreachable: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.mismatches or self.left_in_flight or self.refunds_left)


# What a PaymentIntent's final statuses mean in the ledger.
STATE_OF_INTENT: dict[str, PaymentState] = {
    "succeeded": PaymentState.CAPTURED,
    "requires_capture": PaymentState.AUTHORISED,
    "canceled": PaymentState.CANCELLED,
    "requires_payment_method": PaymentState.FAILED,
}


async def reconcile(
    ledger: PaymentLedger,
    gateway: IntentLookup,
    *,
    unreachable: type[Exception] | tuple[type[Exception], ...] = PaymentProviderUnavailable,
) -> ReconciliationReport:
    """Settle every in-flight payment with what Stripe says; see the module's rules."""
    report = ReconciliationReport()
    for payment in await ledger.in_flight():
        if report.stripe_unreachable:
            report.left_in_flight.append(payment.id)
            continue
        try:
            await _one(ledger, gateway, payment, report)
        except unreachable:
            report.stripe_unreachable = True
            report.left_in_flight.append(payment.id)
            report.notes.append(f"{UNREACHABLE}; payments left in flight: try again later")
    for refund in await ledger.pending_refunds():
        if report.stripe_unreachable:
            report.refunds_left.append(refund.id)
            continue
        try:
            await _refund(ledger, gateway, refund, report)
        except unreachable:
            report.stripe_unreachable = True
            report.refunds_left.append(refund.id)
            report.notes.append(f"{UNREACHABLE}; refunds left in flight: try again later")
    return report


async def _refund(
    ledger: PaymentLedger, gateway: IntentLookup, refund: Refund, report: ReconciliationReport
) -> None:
    payment = await ledger.get(refund.payment_id)
    if payment.payment_intent_id is None:
        report.refunds_left.append(refund.id)
        report.notes.append(
            f"refund {refund.id} of payment {refund.payment_id} has no payment at Stripe: check it"
        )
        return
    made = [
        r
        for r in await gateway.refunds_of(payment.payment_intent_id)
        if r.ledger_refund_id == refund.id
    ]
    if made:
        await ledger.record_refund(refund.id, provider_refund_id=made[0].id, by="reconciliation")
        report.refunds_settled.append(refund.id)
    else:
        await ledger.record_refund(refund.id, failure=REFUND_NOT_MADE, by="reconciliation")
        report.refunds_failed.append(refund.id)
        report.notes.append(
            f"refund {refund.id} of payment {refund.payment_id} was not made at Stripe: "
            "make it again if it is still owed"
        )


async def _one(
    ledger: PaymentLedger, gateway: IntentLookup, payment: Payment, report: ReconciliationReport
) -> None:
    intent_id = payment.payment_intent_id
    if intent_id is None:
        if payment.in_flight is ProviderStep.CREATE:
            await _settle(ledger, payment, PaymentState.FAILED, report, reason=NO_ANSWER)
        else:
            report.left_in_flight.append(payment.id)
            report.notes.append(
                f"payment {payment.id} has no PaymentIntent to ask Stripe about: check it"
            )
        return
    intent = await gateway.retrieve_intent(intent_id)
    if intent.status == "requires_payment_method":
        intent = await _withdraw(gateway, payment, intent)
    state = STATE_OF_INTENT.get(intent.status)
    if state is None:
        report.left_in_flight.append(payment.id)
        report.notes.append(f"payment {payment.id} is still {intent.status} at Stripe")
        return
    await _settle(
        ledger,
        payment,
        state,
        report,
        reason=WITHDRAWN
        if state is PaymentState.CANCELLED
        else f"Stripe says {intent.status}"
        if state is PaymentState.FAILED
        else None,
        captured_minor=intent.received_minor if state is PaymentState.CAPTURED else None,
    )


async def _withdraw(
    gateway: IntentLookup, payment: Payment, intent: ProviderIntent
) -> ProviderIntent:
    """A payment still waiting for a card when ChargeDesk stopped: cancel it at Stripe, so
    a card tapped on the reader later cannot take money nobody is tracking."""
    try:
        return await gateway.cancel(intent.id, payment.key(ProviderStep.CANCEL))
    except PaymentProviderUnavailable:
        raise
    except PaymentProviderError:
        # Too late to cancel: a card came in meanwhile. Its own status decides.
        return await gateway.retrieve_intent(intent.id)


async def _settle(
    ledger: PaymentLedger,
    payment: Payment,
    state: PaymentState,
    report: ReconciliationReport,
    reason: str | None = None,
    captured_minor: int | None = None,
) -> None:
    done = await ledger.settle(
        payment.id,
        state,
        reason=reason,
        payment_intent_id=payment.payment_intent_id,
        captured_minor=captured_minor,
    )
    if done.payment.in_flight is not None or done.payment.state is not state:
        report.mismatches.append(payment.id)
        report.notes.append(f"payment {payment.id} does not match Stripe: alarm raised")
    else:
        report.settled.append(payment.id)
