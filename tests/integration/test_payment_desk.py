"""The payment desk end to end: a real engine and database, the real stripe SDK against the
local Stripe stand-in, a simulated Terminal reader; what the attendant and Stripe see."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from app.bootstrap import Engine
from app.config import Settings
from app.domain.errors import InvalidInput
from app.domain.payment_errors import PaymentProviderUnavailable, PaymentsNotConfigured
from app.domain.payment_outcomes import CheckoutState
from app.domain.payments import PaymentMethod, PaymentState
from app.payments.secrets import SecretStore
from app.services.payment_desk import NO_READER, UNREACHABLE, PaymentDesk
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.payment_sessions import insert_ended_walk_ins
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin

__all__ = ["stripe_standin"]

NOW = datetime.now(UTC)


def keys(key: str | None = "sk_test_desk") -> SecretStore:
    store = SecretStore(MemoryKeyring())
    if key is not None:
        store.store(key)
    return store


@pytest.fixture
def desk_settings(settings: Settings, stripe_standin: StripeStandin) -> Settings:
    return dataclasses.replace(settings, stripe_api_base=stripe_standin.url, api_enabled=False)


@pytest.fixture
async def desk_engine(desk_settings: Settings) -> AsyncIterator[Engine]:
    async with Engine(desk_settings, secrets=keys()) as running:
        await running.payments_reconciled.wait()
        reader = await running.services.desk.register_simulated_reader("Desk")
        running.services.desk.use_reader(reader.id)
        yield running


@pytest.fixture
def desk(desk_engine: Engine) -> PaymentDesk:
    return desk_engine.services.desk


async def sessions(engine: Engine, count: int = 1, total: int = 4640) -> list[int]:
    return await insert_ended_walk_ins(engine.db, count, total, NOW)


async def awaiting_ids(desk: PaymentDesk) -> list[int]:
    return [s.transaction_id for s in await desk.awaiting()]


async def test_a_card_tapped_on_the_reader_pays_the_session_once_with_a_receipt(
    desk_engine: Engine, desk: PaymentDesk, stripe_standin: StripeStandin
) -> None:
    (tx,) = await sessions(desk_engine)
    (waiting,) = await desk.awaiting()
    assert (waiting.station_id, waiting.connector_id, waiting.total_minor) == ("CP-1", 1, 4640)
    assert [line.amount_minor for line in waiting.lines] == [500, 4140]

    payment = await desk.start_card(tx, by="Anna")
    await desk.card.simulate_tap(desk.availability().reader_id or "", approve=True)
    result = await desk.finish_card(payment.id, timeout=5)

    assert result.outcome == "approved"
    assert result.payment.state is PaymentState.CAPTURED
    assert (result.payment.card_brand, result.payment.card_last4) == ("visa", "4242")
    assert result.receipt is not None
    assert result.receipt.total_minor == 4640
    (intent,) = stripe_standin.objects("payment_intents")
    assert (intent["status"], intent["amount_received"]) == ("succeeded", 4640)
    assert await awaiting_ids(desk) == []
    with pytest.raises(InvalidInput, match="not awaiting payment"):
        await desk.start_card(tx, by="Anna")


async def test_a_declined_card_leaves_the_session_awaiting_and_another_card_pays_it(
    desk_engine: Engine, desk: PaymentDesk, stripe_standin: StripeStandin
) -> None:
    (tx,) = await sessions(desk_engine)
    reader = desk.availability().reader_id or ""
    first = await desk.start_card(tx, by="Anna")
    await desk.card.simulate_tap(reader, approve=False)
    declined = await desk.finish_card(first.id, timeout=5)
    assert declined.outcome == "declined"
    assert declined.payment.state is PaymentState.FAILED
    assert "declined" in declined.message.lower()
    assert await awaiting_ids(desk) == [tx]

    second = await desk.start_card(tx, by="Anna")
    await desk.card.simulate_tap(reader, approve=True)
    assert (await desk.finish_card(second.id, timeout=5)).outcome == "approved"
    charged = [i for i in stripe_standin.objects("payment_intents") if i["status"] == "succeeded"]
    assert [i["amount_received"] for i in charged] == [4640]


async def test_no_card_in_time_withdraws_the_payment_from_the_reader(
    desk_engine: Engine, desk: PaymentDesk, stripe_standin: StripeStandin
) -> None:
    (tx,) = await sessions(desk_engine)
    payment = await desk.start_card(tx, by="Anna")
    result = await desk.finish_card(payment.id, timeout=0.3)
    assert result.outcome == "timed_out"
    assert result.payment.state is PaymentState.CANCELLED
    (intent,) = stripe_standin.objects("payment_intents")
    assert intent["status"] == "canceled"
    (reader,) = stripe_standin.objects("readers")
    assert reader["action"] is None or reader["action"]["status"] != "in_progress"
    assert await awaiting_ids(desk) == [tx]


async def test_the_attendant_cancels_while_the_reader_waits(
    desk_engine: Engine, desk: PaymentDesk, stripe_standin: StripeStandin
) -> None:
    (tx,) = await sessions(desk_engine)
    payment = await desk.start_card(tx, by="Anna")
    waiting = asyncio.create_task(desk.finish_card(payment.id, timeout=10))
    await asyncio.sleep(0.2)
    withdrawn = await desk.card.withdraw(payment.id, desk.availability().reader_id, "customer left")
    assert withdrawn.state is PaymentState.CANCELLED
    assert (await waiting).outcome == "cancelled"
    assert stripe_standin.objects("payment_intents")[0]["status"] == "canceled"


async def test_a_qr_payment_paid_on_the_phone_is_recorded_with_its_receipt(
    desk_engine: Engine, desk: PaymentDesk, stripe_standin: StripeStandin
) -> None:
    (tx,) = await sessions(desk_engine)
    qr = await desk.start_qr(tx, by="Anna")
    assert qr.url.startswith("http")
    assert (await desk.check_qr(qr.payment.id)).state is CheckoutState.OPEN
    assert qr.payment.checkout_session_id is not None
    stripe_standin.complete_checkout_session(qr.payment.checkout_session_id)
    paid = await desk.check_qr(qr.payment.id)
    assert paid.state is CheckoutState.PAID
    assert paid.payment.state is PaymentState.CAPTURED
    assert paid.receipt is not None
    assert paid.receipt.method is PaymentMethod.QR
    assert await awaiting_ids(desk) == []


async def test_an_expired_qr_code_leaves_the_session_awaiting(
    desk_engine: Engine, desk: PaymentDesk, stripe_standin: StripeStandin
) -> None:
    (tx,) = await sessions(desk_engine)
    qr = await desk.start_qr(tx, by="Anna")
    assert qr.payment.checkout_session_id is not None
    stripe_standin.lapse_checkout_session(qr.payment.checkout_session_id)
    lapsed = await desk.check_qr(qr.payment.id)
    assert lapsed.state is CheckoutState.EXPIRED
    assert lapsed.payment.state is PaymentState.CANCELLED
    assert await awaiting_ids(desk) == [tx]


async def test_paying_another_way_withdraws_the_qr_code(
    desk_engine: Engine, desk: PaymentDesk, stripe_standin: StripeStandin
) -> None:
    (tx,) = await sessions(desk_engine)
    qr = await desk.start_qr(tx, by="Anna")
    withdrawn = await desk.withdraw_qr(qr.payment.id, by="Anna")
    assert withdrawn.state is PaymentState.CANCELLED
    assert stripe_standin.objects("checkout_sessions")[0]["status"] == "expired"
    taken = await desk.pay_cash(tx, 5000, by="Anna")
    assert taken.change_minor == 360


async def test_cash_with_change_and_a_short_payment_refused(
    desk_engine: Engine, desk: PaymentDesk
) -> None:
    (tx,) = await sessions(desk_engine)
    with pytest.raises(InvalidInput, match="short"):
        await desk.pay_cash(tx, 4000, by="Anna")
    assert await awaiting_ids(desk) == [tx]
    taken = await desk.pay_cash(tx, 10000, by="Anna")
    assert (taken.change_minor, taken.receipt.tendered_minor) == (5360, 10000)
    assert await awaiting_ids(desk) == []


async def test_a_card_refund_goes_back_through_stripe(
    desk_engine: Engine, desk: PaymentDesk, stripe_standin: StripeStandin
) -> None:
    (tx,) = await sessions(desk_engine)
    payment = await desk.start_card(tx, by="Anna")
    await desk.card.simulate_tap(desk.availability().reader_id or "", approve=True)
    await desk.finish_card(payment.id, timeout=5)
    refund = await desk.refund(payment.id, 1000, "charger faulted", by="Manager Maja")
    assert refund.done
    assert refund.provider_refund_id is not None
    (at_stripe,) = stripe_standin.objects("refunds")
    assert (at_stripe["amount"], at_stripe["id"]) == (1000, refund.provider_refund_id)
    assert (await desk.ledger.get(payment.id)).state is PaymentState.PARTIALLY_REFUNDED


async def test_a_refund_whose_answer_was_lost_is_read_back_from_stripe_at_start_up(
    desk_settings: Settings, stripe_standin: StripeStandin
) -> None:
    secrets = keys()
    async with Engine(desk_settings, secrets=secrets) as engine:
        await engine.payments_reconciled.wait()
        desk = engine.services.desk
        desk.use_reader((await desk.register_simulated_reader("Desk")).id)
        (tx,) = await sessions(engine)
        payment = await desk.start_card(tx, by="Anna")
        await desk.card.simulate_tap(desk.availability().reader_id or "", approve=True)
        await desk.finish_card(payment.id, timeout=5)
        # Stripe makes the refund, then the answer and both SDK retries are lost.
        stripe_standin.drop_connection("/v1/refunds", after_effect=True)
        stripe_standin.drop_connection("/v1/refunds")
        stripe_standin.drop_connection("/v1/refunds")
        with pytest.raises(PaymentProviderUnavailable):
            await desk.refund(payment.id, 4640, "double charge", by="Manager Maja")
        (pending,) = await engine.services.payments.pending_refunds()

    async with Engine(desk_settings, secrets=secrets) as engine:
        await engine.payments_reconciled.wait()
        assert await engine.services.payments.pending_refunds() == []
        after = await engine.services.payments.get(payment.id)
        assert after.state is PaymentState.REFUNDED
    (made,) = stripe_standin.objects("refunds")
    assert made["metadata"] == {"chargedesk_refund": str(pending.id)}


async def test_a_tap_approved_just_before_a_crash_is_captured_at_start_up(
    desk_settings: Settings, stripe_standin: StripeStandin
) -> None:
    secrets = keys()
    async with Engine(desk_settings, secrets=secrets) as engine:
        await engine.payments_reconciled.wait()
        desk = engine.services.desk
        reader = (await desk.register_simulated_reader("Desk")).id
        desk.use_reader(reader)
        (tx,) = await sessions(engine)
        payment = await desk.start_card(tx, by="Anna")
        await desk.card.simulate_tap(reader, approve=True)
        # ChargeDesk stops before it hears the reader's outcome.

    async with Engine(desk_settings, secrets=secrets) as engine:
        await engine.payments_reconciled.wait()
        settled = await engine.services.payments.get(payment.id)
        assert (settled.state, settled.in_flight) == (PaymentState.CAPTURED, None)
        assert (await engine.services.payments.receipt_for(payment.id)).total_minor == 4640
        assert await awaiting_ids(engine.services.desk) == []


async def test_without_a_key_card_and_qr_are_off_and_cash_still_works(
    settings: Settings,
) -> None:
    async with Engine(settings, secrets=keys(None)) as engine:
        await engine.payments_reconciled.wait()
        desk = engine.services.desk
        available = desk.availability()
        assert (available.card, available.qr) == (False, False)
        assert available.message is not None
        assert "Settings" in available.message
        (tx,) = await sessions(engine)
        with pytest.raises(PaymentsNotConfigured):
            await desk.start_qr(tx, by="Anna")
        assert await engine.services.payments.in_flight() == []
        assert (await desk.pay_cash(tx, 5000, by="Anna")).change_minor == 360


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_stripe_unreachable_says_so_and_queues_nothing(settings: Settings) -> None:
    away = dataclasses.replace(settings, stripe_api_base=f"http://127.0.0.1:{closed_port()}")
    async with Engine(away, secrets=keys()) as engine:
        await engine.payments_reconciled.wait()
        desk = engine.services.desk
        available = desk.availability()
        assert (available.card, available.qr, available.message) == (False, False, UNREACHABLE)
        (tx,) = await sessions(engine)
        with pytest.raises(PaymentsNotConfigured, match="could not be reached"):
            await desk.start_card(tx, by="Anna", reader_id="tmr_any")
        assert await engine.services.payments.in_flight() == []
        assert (await desk.pay_cash(tx, 4640, by="Anna")).change_minor == 0


async def test_a_card_payment_needs_the_desk_reader_chosen(
    desk_engine: Engine, desk: PaymentDesk
) -> None:
    desk.use_reader(None)
    assert desk.availability().message == NO_READER
    (tx,) = await sessions(desk_engine)
    with pytest.raises(InvalidInput, match="reader"):
        await desk.start_card(tx, by="Anna")
    assert await desk.ledger.in_flight() == []


async def test_a_payment_still_on_the_reader_at_a_crash_is_withdrawn_at_start_up(
    desk_settings: Settings, stripe_standin: StripeStandin
) -> None:
    secrets = keys()
    async with Engine(desk_settings, secrets=secrets) as engine:
        await engine.payments_reconciled.wait()
        desk = engine.services.desk
        desk.use_reader((await desk.register_simulated_reader("Desk")).id)
        (tx,) = await sessions(engine)
        payment = await desk.start_card(tx, by="Anna")
        # ChargeDesk stops while the reader still shows the amount.

    async with Engine(desk_settings, secrets=secrets) as engine:
        await engine.payments_reconciled.wait()
        settled = await engine.services.payments.get(payment.id)
        assert (settled.state, settled.in_flight) == (PaymentState.CANCELLED, None)
        assert await awaiting_ids(engine.services.desk) == [tx]
    # A card tapped later cannot take money nobody tracks.
    (intent,) = stripe_standin.objects("payment_intents")
    assert intent["status"] == "canceled"
