"""The Stripe gateway against the local stand-in, through the real `stripe` SDK."""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta

import pytest
import stripe

from app.config import Settings
from app.domain.payment_errors import PaymentDeclined, PaymentProviderUnavailable, PaymentRefused
from app.domain.payment_outcomes import (
    DECLINED_TEST_CARD,
    Approved,
    Cancelled,
    CardReader,
    CheckoutState,
    Declined,
    IncrementGranted,
    IncrementRefused,
    PaymentsUnavailable,
    StillWaiting,
    TimedOut,
)
from app.payments.factory import NOT_CONFIGURED, gateway_from_settings
from app.payments.secrets import SecretStore, StripeMode
from app.payments.stripe_gateway import StripeGateway
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin

__all__ = ["stripe_standin"]

MASTERCARD = "5555555555554444"


def gateway_for(
    standin: StripeStandin, *, mode: StripeMode = StripeMode.TEST, key: str = "sk_test_standin"
) -> StripeGateway:
    return StripeGateway(
        standin.client(key, timeout=2.0), "SEK", mode=mode, first_poll=0.02, longest_poll=0.1
    )


@pytest.fixture
def gateway(stripe_standin: StripeStandin) -> StripeGateway:
    return gateway_for(stripe_standin)


@pytest.fixture
async def reader(gateway: StripeGateway) -> CardReader:
    return await gateway.register_simulated_reader("Desk")


async def tapped_intent(
    gateway: StripeGateway, reader: CardReader, amount: int = 20000, *, manual: bool = True
) -> tuple[str, Approved | Declined | TimedOut | Cancelled]:
    intent = await gateway.create_card_intent(
        amount, manual_capture=manual, idempotency_key="pay-1-create", metadata={"payment": "1"}
    )
    await gateway.process_on_reader(reader.id, intent.id, "pay-1-process")
    return intent.id, await gateway.await_reader(reader.id, intent.id, timeout=2.0)


async def test_readers_are_listed_and_a_simulated_one_registered(
    gateway: StripeGateway, reader: CardReader
) -> None:
    assert reader.simulated
    assert reader.label == "Desk"
    assert await gateway.readers() == [reader]


async def test_a_tapped_card_is_approved_with_brand_and_last4_only(
    stripe_standin: StripeStandin, gateway: StripeGateway, reader: CardReader
) -> None:
    stripe_standin.customer_taps(MASTERCARD)
    intent_id, outcome = await tapped_intent(gateway, reader, manual=False)
    assert outcome == Approved(intent_id, brand="mastercard", last4="4444")
    assert [f.name for f in dataclasses.fields(Approved)] == ["intent_id", "brand", "last4"]
    sent = stripe_standin.requests_to("/v1/payment_intents")[0]
    assert sent.idempotency_key == "pay-1-create"
    assert (await gateway.retrieve_intent(intent_id)).received_minor == 20000


async def test_a_declined_card_says_so_with_its_code(
    gateway: StripeGateway, reader: CardReader
) -> None:
    intent = await gateway.create_card_intent(
        5000, manual_capture=True, idempotency_key="pay-2-create"
    )
    await gateway.process_on_reader(reader.id, intent.id, "pay-2-process")
    assert await gateway.reader_action(reader.id, intent.id) == StillWaiting(intent.id)
    await gateway.simulate_tap(reader.id, DECLINED_TEST_CARD)
    outcome = await gateway.await_reader(reader.id, intent.id, timeout=1.0)
    assert isinstance(outcome, Declined)
    assert outcome.code == "generic_decline"


async def test_a_customer_who_never_taps_times_out_and_the_action_is_cancelled(
    stripe_standin: StripeStandin, gateway: StripeGateway, reader: CardReader
) -> None:
    stripe_standin.customer_never_taps()
    intent_id, outcome = await tapped_intent(gateway, reader)
    assert outcome == TimedOut(intent_id)
    await gateway.cancel_reader_action(reader.id)
    assert await gateway.reader_action(reader.id, intent_id) == Cancelled(intent_id)
    assert (await gateway.cancel(intent_id, "pay-1-cancel")).status == "canceled"


async def test_the_reader_giving_up_on_the_customer_is_a_time_out(
    stripe_standin: StripeStandin, gateway: StripeGateway, reader: CardReader
) -> None:
    stripe_standin.customer_never_taps(timeout=0.1)
    intent_id, outcome = await tapped_intent(gateway, reader)
    assert outcome == TimedOut(intent_id, reason="customer_abandoned")


async def test_a_hold_is_captured_for_the_smaller_final_price(
    stripe_standin: StripeStandin, gateway: StripeGateway, reader: CardReader
) -> None:
    stripe_standin.customer_taps()
    intent_id, outcome = await tapped_intent(gateway, reader)
    assert isinstance(outcome, Approved)
    held = await gateway.retrieve_intent(intent_id)
    assert (held.status, held.capturable_minor) == ("requires_capture", 20000)
    captured = await gateway.capture(intent_id, 13750, "pay-1-capture")
    assert (captured.status, captured.received_minor) == ("succeeded", 13750)
    with pytest.raises(PaymentRefused) as twice:
        await gateway.capture(intent_id, 13750, "pay-1-capture-again")
    assert twice.value.code == "payment_intent_unexpected_state"


async def test_cancelling_releases_the_hold(
    stripe_standin: StripeStandin, gateway: StripeGateway, reader: CardReader
) -> None:
    stripe_standin.customer_taps()
    intent_id, _ = await tapped_intent(gateway, reader)
    released = await gateway.cancel(intent_id, "pay-1-cancel")
    assert (released.status, released.capturable_minor) == ("canceled", 0)


async def test_a_hold_grows_until_the_issuer_refuses(
    stripe_standin: StripeStandin, gateway: StripeGateway, reader: CardReader
) -> None:
    stripe_standin.customer_taps()
    intent_id, _ = await tapped_intent(gateway, reader)
    grown = await gateway.increment_authorization(intent_id, 30000, "pay-1-increment-1")
    assert grown == IncrementGranted(intent_id, 30000)
    stripe_standin.refuse_increments("insufficient_funds")
    refused = await gateway.increment_authorization(intent_id, 40000, "pay-1-increment-2")
    assert isinstance(refused, IncrementRefused)
    assert refused.code == "insufficient_funds"
    assert (await gateway.retrieve_intent(intent_id)).capturable_minor == 30000


async def test_part_of_a_payment_is_refunded(
    stripe_standin: StripeStandin, gateway: StripeGateway, reader: CardReader
) -> None:
    stripe_standin.customer_taps()
    intent_id, _ = await tapped_intent(gateway, reader, manual=False)
    refund = await gateway.refund(intent_id, 5000, "requested_by_customer", "refund-7")
    assert (refund.intent_id, refund.amount_minor, refund.status) == (intent_id, 5000, "succeeded")
    assert stripe_standin.requests_to("/v1/refunds")[0].idempotency_key == "refund-7"
    with pytest.raises(PaymentRefused) as too_much:
        await gateway.refund(intent_id, 15001, "requested_by_customer", "refund-8")
    assert too_much.value.code == "amount_too_large"


async def test_a_capture_whose_answer_was_lost_is_retried_with_one_effect(
    stripe_standin: StripeStandin, gateway: StripeGateway, reader: CardReader
) -> None:
    stripe_standin.customer_taps()
    intent_id, _ = await tapped_intent(gateway, reader)
    stripe_standin.drop_connection("/v1/payment_intents/*/capture", after_effect=True)
    with pytest.raises(PaymentProviderUnavailable):
        await gateway.capture(intent_id, 9000, "pay-1-capture")
    retried = await gateway.capture(intent_id, 9000, "pay-1-capture")
    assert (retried.status, retried.received_minor) == ("succeeded", 9000)
    captures = stripe_standin.requests_to("/v1/payment_intents/*/capture")
    assert [c.replayed for c in captures] == [False, True]
    assert {c.idempotency_key for c in captures} == {"pay-1-capture"}


async def test_stripe_unreachable_is_said_plainly() -> None:
    with StripeStandin() as standin:
        gateway = gateway_for(standin)
    with pytest.raises(PaymentProviderUnavailable) as unreachable:
        await gateway.create_card_intent(5000, manual_capture=True, idempotency_key="pay-3")
    assert str(unreachable.value) == (
        "Stripe could not be reached; card and QR payments are unavailable."
    )
    assert unreachable.value.__cause__ is None


async def test_a_stripe_server_error_is_unavailability(
    stripe_standin: StripeStandin, gateway: StripeGateway
) -> None:
    stripe_standin.fail_next("/v1/checkout/sessions")
    with pytest.raises(PaymentProviderUnavailable):
        await gateway.checkout_for(9900, "Charging", "qr-1")


async def test_a_qr_payment_completes_or_expires(
    stripe_standin: StripeStandin, gateway: StripeGateway
) -> None:
    link = await gateway.checkout_for(12500, "Charging at bay 3", "qr-1")
    assert link.url.startswith("http")
    assert (await gateway.checkout_status(link.session_id)).state is CheckoutState.OPEN
    stripe_standin.complete_checkout_session(link.session_id)
    paid = await gateway.checkout_status(link.session_id)
    assert (paid.state, paid.amount_minor) == (CheckoutState.PAID, 12500)
    assert paid.intent_id is not None
    assert stripe_standin.object(paid.intent_id)["currency"] == "sek"

    unpaid = await gateway.checkout_for(12500, "Charging at bay 3", "qr-2")
    stripe_standin.lapse_checkout_session(unpaid.session_id)
    assert (await gateway.checkout_status(unpaid.session_id)).state is CheckoutState.EXPIRED
    withdrawn = await gateway.checkout_for(12500, "Charging at bay 3", "qr-4")
    assert (await gateway.expire_checkout(withdrawn.session_id, "qr-4-expire")).state is (
        CheckoutState.EXPIRED
    )
    assert (await gateway.expire_checkout(link.session_id, "qr-1-expire")).state is (
        CheckoutState.PAID
    )
    with pytest.raises(ValueError, match="30 minutes"):
        await gateway.checkout_for(100, "Charging", "qr-3", expires_in=timedelta(minutes=5))


async def test_card_taps_and_simulated_readers_only_in_test_mode(
    stripe_standin: StripeStandin,
) -> None:
    live = gateway_for(stripe_standin, mode=StripeMode.LIVE)
    with pytest.raises(PaymentRefused, match="test key"):
        await live.simulate_tap("tmr_any", DECLINED_TEST_CARD)
    with pytest.raises(PaymentRefused, match="test key"):
        await live.register_simulated_reader("Desk")
    assert stripe_standin.requests == []


async def test_the_key_never_shows_in_errors_or_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "sk_test_wrongSecretValue9876"
    with StripeStandin(api_key="sk_test_theRightOne") as standin:
        gateway = gateway_for(standin, key=wrong)
        with pytest.raises(PaymentRefused) as refused:
            await gateway.readers()
    shown = [str(refused.value), repr(refused.value), *refused.value.args]
    assert all("wrongSecretValue" not in text and "9876" not in text for text in shown)
    assert "check the key in Settings" in str(refused.value)
    assert refused.value.__cause__ is None
    assert refused.value.__context__ is None or "9876" not in str(refused.value.__context__)
    assert any(record.name == "stripe" for record in caplog.records)
    for record in caplog.records:
        assert "wrongSecretValue" not in record.getMessage()
        assert "9876" not in record.getMessage()


async def test_a_declined_increment_raised_elsewhere_is_a_decline(
    stripe_standin: StripeStandin, gateway: StripeGateway, reader: CardReader
) -> None:
    stripe_standin.customer_taps()
    intent_id, _ = await tapped_intent(gateway, reader)
    stripe_standin.fail_next(
        "/v1/payment_intents/*/capture", status=402, error_type="card_error", code="card_declined"
    )
    with pytest.raises(PaymentDeclined):
        await gateway.capture(intent_id, 100, "pay-1-capture")


async def test_the_gateway_comes_from_settings_and_the_keyring(
    stripe_standin: StripeStandin,
) -> None:
    backend = MemoryKeyring()
    secrets = SecretStore(backend)
    missing = gateway_from_settings(Settings(currency="EUR"), secrets, api_base=stripe_standin.url)
    assert missing == PaymentsUnavailable(NOT_CONFIGURED)
    secrets.store("sk_test_standin")
    made = gateway_from_settings(Settings(currency="EUR"), secrets, api_base=stripe_standin.url)
    assert isinstance(made, StripeGateway)
    assert (made.currency, made.test_mode) == ("eur", True)
    intent = await made.create_card_intent(700, manual_capture=False, idempotency_key="pay-9")
    assert intent.currency == "eur"


def test_the_sdk_is_pinned_to_the_api_version_the_stand_in_speaks() -> None:
    assert stripe.api_version.startswith("2026-10-28")
