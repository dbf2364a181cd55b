"""The payment ledger on a real SQLite file: receipts numbered without gaps, a session
paid once, payments caught mid-call found after a crash, mismatches raised as alarms."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.domain.errors import InvalidInput
from app.domain.events import DomainEvent, PaymentChanged
from app.domain.model import Severity
from app.domain.payments import (
    PaymentAttempt,
    PaymentMethod,
    PaymentState,
    ProviderStep,
    StepOutcome,
)
from app.domain.receipts import Seller
from app.services.events import EventBus
from app.services.payments import PaymentLedger
from app.store import migrate
from app.store.database import Database
from app.store.repositories.logs import SqlEventLog
from app.store.repositories.payments import SqlPaymentRepository
from tests.fakes.payment_sessions import insert_ended_walk_ins

ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
SELLER = Seller("Depot Charging AB", "556677-8899", "Hamnvägen 1, 111 22 Stockholm")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Desk:
    """The ledger as the desk and a later Stripe gateway use it, on a temporary database."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.bus = EventBus()
        self.seen: list[DomainEvent] = []
        self.bus.subscribe(self.seen.append, PaymentChanged)
        self.log = SqlEventLog(db)
        self.ledger = PaymentLedger(
            SqlPaymentRepository(db), self.bus, clock, self.log, SELLER, ZONE, "SEK"
        )


async def open_desk(path: Path, clock: Clock) -> Desk:
    url = f"sqlite:///{path}"
    migrate.upgrade(url, backup=False)
    db = Database(url)
    await db.start()
    return Desk(db, clock)


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    opened = await open_desk(tmp_path / "ledger.sqlite3", Clock())
    yield opened
    await opened.db.close()


async def ended_walk_in_sessions(desk: Desk, count: int, total: int = 4640) -> list[int]:
    return await insert_ended_walk_ins(desk.db, count, total, NOW)


def card(transaction_id: int | None, amount: int = 4640) -> PaymentAttempt:
    return PaymentAttempt(PaymentMethod.CARD, amount, "SEK", transaction_id, by="Anna")


def cash(transaction_id: int | None, amount: int = 4640) -> PaymentAttempt:
    return PaymentAttempt(PaymentMethod.CASH, amount, "SEK", transaction_id, by="Anna")


def captured(payment_id: int) -> StepOutcome:
    return StepOutcome(
        payment_id,
        ProviderStep.CREATE,
        PaymentState.CAPTURED,
        payment_intent_id=f"pi_{payment_id}",
        card_brand="visa",
        card_last4="4242",
    )


async def test_fifty_payments_finalised_at_once_get_receipts_1_to_50_without_a_gap(
    desk: Desk,
) -> None:
    sessions = await ended_walk_in_sessions(desk, 50)
    calls = [await desk.ledger.begin(card(tx)) for tx in sessions[:25]]
    by_card = asyncio.gather(*(desk.ledger.record(captured(call.payment.id)) for call in calls))
    in_cash = asyncio.gather(*(desk.ledger.pay_cash(cash(tx), 5000) for tx in sessions[25:]))
    card_paid, cash_paid = await asyncio.gather(by_card, in_cash)
    receipts = [r.receipt for r in card_paid] + [r.receipt for r in cash_paid]
    numbers = sorted(r.number for r in receipts if r is not None)
    assert numbers == list(range(1, 51))
    assert await desk.ledger.awaiting_payment() == []
    text = await desk.ledger.receipt_text(1)
    assert "VISA **** 4242" in text
    assert "Depot Charging AB" in text
    assert all(len(line) <= 42 for line in text.splitlines())


async def test_a_session_already_paid_cannot_be_paid_again(desk: Desk) -> None:
    (tx,) = await ended_walk_in_sessions(desk, 1)
    card_call = await desk.ledger.begin(card(tx))
    paid = await desk.ledger.pay_cash(cash(tx), 5000)
    assert paid.change_minor == 360
    with pytest.raises(InvalidInput, match="already paid"):
        await desk.ledger.pay_cash(cash(tx), 5000)
    with pytest.raises(InvalidInput, match="already paid"):
        await desk.ledger.record(captured(card_call.payment.id))
    assert (await desk.ledger.get(card_call.payment.id)).in_flight is ProviderStep.CREATE
    # And the database itself refuses a second settling payment for the session.
    path = desk.db.url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute(
            "UPDATE payments SET settles_transaction_id = ? WHERE id = ?",
            (tx, card_call.payment.id),
        )


async def test_a_card_payment_begun_before_a_crash_is_found_in_flight_and_settled(
    tmp_path: Path,
) -> None:
    clock = Clock()
    desk = await open_desk(tmp_path / "ledger.sqlite3", clock)
    (tx,) = await ended_walk_in_sessions(desk, 1)
    call = await desk.ledger.begin(card(tx))
    assert call.idempotency_key == f"chargedesk-pay-{call.payment.id}-create"
    await desk.db.close()  # the crash: the provider answered, nobody recorded it

    desk = await open_desk(tmp_path / "ledger.sqlite3", clock)
    (left,) = await desk.ledger.in_flight()
    assert left.id == call.payment.id
    assert left.key(ProviderStep.CREATE) == call.idempotency_key
    settled = await desk.ledger.settle(
        left.id, PaymentState.CAPTURED, card_brand="visa", card_last4="4242"
    )
    assert settled.payment.state is PaymentState.CAPTURED
    assert settled.receipt is not None
    assert await desk.ledger.in_flight() == []
    history = await desk.ledger.history(left.id)
    assert [(e.from_state, e.to_state, e.in_flight) for e in history] == [
        (None, PaymentState.CREATED, True),
        (PaymentState.CREATED, PaymentState.CAPTURED, False),
    ]
    await desk.db.close()


async def test_a_capture_the_ledger_cannot_accept_raises_an_alarm_for_a_manager(
    desk: Desk,
) -> None:
    (tx,) = await ended_walk_in_sessions(desk, 1)
    call = await desk.ledger.begin(card(tx))
    await desk.ledger.pay_cash(cash(tx), 4640)  # meanwhile the driver paid cash
    await desk.ledger.settle(call.payment.id, PaymentState.CAPTURED)
    alarms = [e for e in await desk.log.recent() if e.kind == "payment.mismatch"]
    assert len(alarms) == 1
    assert alarms[0].severity is Severity.ALARM
    assert alarms[0].data["payment_id"] == call.payment.id
    assert any(isinstance(e, PaymentChanged) and e.change == "mismatch" for e in desk.seen)
    history = await desk.ledger.history(call.payment.id)
    assert history[-1].step == "mismatch"
    assert "already paid" in (history[-1].reason or "")


async def test_voided_cash_puts_the_session_back_on_the_list_awaiting_payment(
    desk: Desk,
) -> None:
    (tx,) = await ended_walk_in_sessions(desk, 1)
    assert [s.transaction_id for s in await desk.ledger.awaiting_payment()] == [tx]
    paid = await desk.ledger.pay_cash(cash(tx), 10000, email="driver@example.com")
    assert paid.receipt.email == "driver@example.com"
    assert await desk.ledger.awaiting_payment() == []
    voided = await desk.ledger.void_cash(paid.payment.id, "wrong amount keyed", "Anna")
    assert voided.state is PaymentState.VOIDED
    assert [s.transaction_id for s in await desk.ledger.awaiting_payment()] == [tx]
    desk.clock.now = NOW + timedelta(days=1)
    again = await desk.ledger.pay_cash(cash(tx), 4640)
    desk.clock.now = NOW + timedelta(days=2)
    with pytest.raises(InvalidInput, match="on the day"):
        await desk.ledger.void_cash(again.payment.id, "too late", "Anna")


async def test_refunds_never_exceed_what_was_taken_and_show_in_the_z_report(
    desk: Desk,
) -> None:
    a, b, c = await ended_walk_in_sessions(desk, 3)
    cash_paid = await desk.ledger.pay_cash(cash(a), 5000)
    call = await desk.ledger.begin(card(b))
    await desk.ledger.record(captured(call.payment.id))
    hold = await desk.ledger.begin(card(c))
    await desk.ledger.record(
        StepOutcome(hold.payment.id, ProviderStep.CREATE, PaymentState.AUTHORISED)
    )

    await desk.ledger.refund(cash_paid.payment.id, 1000, "slow charger", "Anna")
    with pytest.raises(InvalidInput, match="left to refund"):
        await desk.ledger.refund(cash_paid.payment.id, 4000, "again", "Anna")
    card_refund = await desk.ledger.refund(call.payment.id, 4640, "charger fault", "Anna")
    assert not card_refund.done
    assert card_refund.key == f"chargedesk-refund-{card_refund.id}"
    with pytest.raises(InvalidInput, match="left to refund"):
        await desk.ledger.refund(call.payment.id, 1, "more", "Anna")
    assert [r.id for r in await desk.ledger.pending_refunds()] == [card_refund.id]
    await desk.ledger.record_refund(card_refund.id, provider_refund_id="re_1")
    assert (await desk.ledger.get(call.payment.id)).state is PaymentState.REFUNDED

    report = await desk.ledger.settlement(NOW.astimezone(ZONE).date())
    by_method = {m.method: m for m in report.methods}
    assert by_method[PaymentMethod.CASH].amount_minor == 4640
    assert by_method[PaymentMethod.CARD].amount_minor == 4640
    assert report.refunded_minor == 5640
    assert (report.open_holds_count, report.open_holds_minor) == (1, 4640)
    assert report.cash_expected_minor == 4640 - 1000


async def test_a_hold_taken_before_the_session_pays_that_session_once_captured(
    desk: Desk,
) -> None:
    (tx,) = await ended_walk_in_sessions(desk, 1)
    hold = await desk.ledger.begin(card(None, 30000), ProviderStep.AUTHORISE)
    await desk.ledger.record(
        StepOutcome(hold.payment.id, ProviderStep.AUTHORISE, PaymentState.AUTHORISED)
    )
    await desk.ledger.attach_session(hold.payment.id, tx, by="Anna")
    capture = await desk.ledger.begin_step(hold.payment.id, ProviderStep.CAPTURE)
    assert capture.idempotency_key == f"chargedesk-pay-{hold.payment.id}-capture"
    with pytest.raises(InvalidInput, match="exceeds the hold"):
        await desk.ledger.record(
            StepOutcome(
                hold.payment.id, ProviderStep.CAPTURE, PaymentState.CAPTURED, captured_minor=30001
            )
        )
    done = await desk.ledger.record(
        StepOutcome(
            hold.payment.id, ProviderStep.CAPTURE, PaymentState.CAPTURED, captured_minor=4640
        )
    )
    assert done.payment.amount_minor == 4640
    assert done.receipt is not None
    assert done.receipt.session is not None
    assert done.receipt.session.transaction_id == tx
    assert [line.label for line in done.receipt.lines] == ["Start fee", "Energy"]
    assert await desk.ledger.awaiting_payment() == []
