"""Start-up reconciliation on the real SQLite ledger and the real gateway against the
Stripe stand-in: what Stripe did while ChargeDesk was down is settled, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.domain.errors import NotFound
from app.domain.payment_errors import PaymentProviderUnavailable
from app.domain.payment_outcomes import Approved
from app.domain.payments import PaymentState, ProviderStep, StepOutcome
from app.payments.secrets import StripeMode
from app.payments.stripe_gateway import StripeGateway
from app.services.payment_reconciliation import UNREACHABLE, reconcile
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin
from tests.integration.test_payment_ledger import (
    Clock,
    Desk,
    card,
    cash,
    ended_walk_in_sessions,
    open_desk,
)

__all__ = ["stripe_standin"]

HOLD = 20000
PRICE = 4640


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    opened = await open_desk(tmp_path / "ledger.sqlite3", Clock())
    yield opened
    await opened.db.close()


@pytest.fixture
def gateway(stripe_standin: StripeStandin) -> StripeGateway:
    return StripeGateway(
        stripe_standin.client(timeout=2.0),
        "SEK",
        mode=StripeMode.TEST,
        first_poll=0.02,
        longest_poll=0.1,
    )


async def hold_in_flight(
    desk: Desk, gateway: StripeGateway, stripe_standin: StripeStandin, tx: int | None
) -> tuple[int, str]:
    """A hold whose intent id is recorded, then authorised at Stripe with the record lost."""
    call = await desk.ledger.begin(card(tx, HOLD))
    intent = await gateway.create_card_intent(
        HOLD, manual_capture=True, idempotency_key=call.idempotency_key
    )
    await desk.ledger.record(
        StepOutcome(
            call.payment.id, ProviderStep.CREATE, PaymentState.CREATED, payment_intent_id=intent.id
        )
    )
    step = await desk.ledger.begin_step(call.payment.id, ProviderStep.AUTHORISE)
    reader = await gateway.register_simulated_reader("Desk")
    stripe_standin.customer_taps()
    await gateway.process_on_reader(reader.id, intent.id, step.idempotency_key)
    outcome = await gateway.await_reader(reader.id, intent.id, timeout=2.0)
    assert isinstance(outcome, Approved)
    return call.payment.id, intent.id


async def alarms(desk: Desk) -> int:
    return len([e for e in await desk.log.recent() if e.kind == "payment.mismatch"])


async def test_a_crash_between_stripes_capture_and_our_ledger_write_is_settled_once(
    desk: Desk, gateway: StripeGateway, stripe_standin: StripeStandin
) -> None:
    (tx,) = await ended_walk_in_sessions(desk, 1)
    payment_id, intent_id = await hold_in_flight(desk, gateway, stripe_standin, tx)
    await desk.ledger.record(
        StepOutcome(
            payment_id,
            ProviderStep.AUTHORISE,
            PaymentState.AUTHORISED,
            card_brand="visa",
            card_last4="4242",
        )
    )
    capture = await desk.ledger.begin_step(payment_id, ProviderStep.CAPTURE)
    await gateway.capture(intent_id, PRICE, capture.idempotency_key)  # ... and the crash

    report = await reconcile(desk.ledger, gateway, unreachable=PaymentProviderUnavailable)
    assert report.settled == [payment_id]
    assert report.clean
    paid = await desk.ledger.get(payment_id)
    assert (paid.state, paid.amount_minor, paid.in_flight) == (PaymentState.CAPTURED, PRICE, None)
    assert (paid.card_brand, paid.card_last4) == ("visa", "4242")
    receipt = await desk.ledger.receipt_for(payment_id)
    assert receipt.number == 1
    assert await desk.ledger.awaiting_payment() == []

    history = await desk.ledger.history(payment_id)
    again = await reconcile(desk.ledger, gateway, unreachable=PaymentProviderUnavailable)
    assert (again.settled, again.mismatches, again.left_in_flight) == ([], [], [])
    assert await desk.ledger.history(payment_id) == history
    assert (await desk.ledger.receipt_for(payment_id)).number == 1
    assert len(stripe_standin.requests_to("/v1/payment_intents/*/capture")) == 1
    assert await alarms(desk) == 0


async def test_a_hold_authorised_at_stripe_whose_record_was_lost_is_authorised(
    desk: Desk, gateway: StripeGateway, stripe_standin: StripeStandin
) -> None:
    payment_id, _ = await hold_in_flight(desk, gateway, stripe_standin, None)
    report = await reconcile(desk.ledger, gateway, unreachable=PaymentProviderUnavailable)
    assert report.settled == [payment_id]
    held = await desk.ledger.get(payment_id)
    assert (held.state, held.in_flight, held.amount_minor) == (
        PaymentState.AUTHORISED,
        None,
        HOLD,
    )
    assert await alarms(desk) == 0


async def test_a_create_call_that_never_answered_is_failed_without_asking_stripe(
    desk: Desk, gateway: StripeGateway, stripe_standin: StripeStandin
) -> None:
    (tx,) = await ended_walk_in_sessions(desk, 1)
    call = await desk.ledger.begin(card(tx))
    report = await reconcile(desk.ledger, gateway, unreachable=PaymentProviderUnavailable)
    assert report.settled == [call.payment.id]
    failed = await desk.ledger.get(call.payment.id)
    assert failed.state is PaymentState.FAILED
    assert failed.failure_reason is not None
    assert "nothing was charged" in failed.failure_reason
    assert [s.transaction_id for s in await desk.ledger.awaiting_payment()] == [tx]


async def test_stripe_unreachable_leaves_payments_in_flight_and_says_so(
    desk: Desk, gateway: StripeGateway, stripe_standin: StripeStandin
) -> None:
    payment_id, _ = await hold_in_flight(desk, gateway, stripe_standin, None)
    stripe_standin.__exit__(None, None, None)  # Stripe is gone
    report = await reconcile(desk.ledger, gateway, unreachable=PaymentProviderUnavailable)
    assert report.stripe_unreachable
    assert report.left_in_flight == [payment_id]
    assert any(UNREACHABLE in note for note in report.notes)
    assert (await desk.ledger.get(payment_id)).in_flight is ProviderStep.AUTHORISE
    assert await alarms(desk) == 0


async def test_a_capture_for_a_session_paid_meanwhile_raises_an_alarm_and_applies_nothing(
    desk: Desk, gateway: StripeGateway, stripe_standin: StripeStandin
) -> None:
    (tx,) = await ended_walk_in_sessions(desk, 1)
    payment_id, intent_id = await hold_in_flight(desk, gateway, stripe_standin, tx)
    await desk.ledger.record(
        StepOutcome(payment_id, ProviderStep.AUTHORISE, PaymentState.AUTHORISED)
    )
    capture = await desk.ledger.begin_step(payment_id, ProviderStep.CAPTURE)
    await gateway.capture(intent_id, PRICE, capture.idempotency_key)  # ... and the crash
    cash_paid = await desk.ledger.pay_cash(cash(tx), PRICE)  # the session is paid another way

    report = await reconcile(desk.ledger, gateway, unreachable=PaymentProviderUnavailable)
    assert report.mismatches == [payment_id]
    assert report.settled == []
    assert await alarms(desk) == 1
    left = await desk.ledger.get(payment_id)
    assert (left.state, left.in_flight) == (PaymentState.AUTHORISED, ProviderStep.CAPTURE)
    with pytest.raises(NotFound, match="no receipt"):
        await desk.ledger.receipt_for(payment_id)
    assert (await desk.ledger.receipt_for(cash_paid.payment.id)).number == 1
