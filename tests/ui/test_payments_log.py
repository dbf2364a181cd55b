"""The payments log over a real ledger: the day's payments as taken, refreshed when a
payment changes anywhere, a receipt reprinted, cash refunded and voided, and a card
refunded through the real stripe SDK against the Stripe stand-in."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.domain.payments import PaymentState
from app.payments.secrets import SecretStore
from app.services.container import Services
from app.ui.bridge import EventBridge
from app.ui.dialogs import refund as refund_dialog
from app.ui.engine_host import EngineHost
from app.ui.operations import ensure_delivery
from app.ui.views import payments_log
from app.ui.views.payments_log import COLUMNS, PaymentsLogView
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin
from tests.ui.drivers_support import WAIT_MS, call, cell
from tests.ui.payment_screens_support import ended_walk_in_sessions, pay_cash, shot

__all__ = ["stripe_standin"]


@pytest.fixture
def bridge(host: EngineHost) -> Iterator[EventBridge]:
    ensure_delivery()
    made = EventBridge(host)
    yield made
    made.stop()


@pytest.fixture
def view(host: EngineHost, bridge: EventBridge, qtbot: QtBot) -> PaymentsLogView:
    shown = PaymentsLogView(host, bridge)
    qtbot.addWidget(shown)
    shown.resize(1000, 420)
    shown.show()
    qtbot.waitUntil(lambda: shown.loads >= 1, timeout=WAIT_MS)
    return shown


def column(view: PaymentsLogView, name: str) -> list[str]:
    return [cell(view.model, r, COLUMNS.index(name)) for r in range(view.model.rowCount())]


def wait_rows(view: PaymentsLogView, qtbot: QtBot, count: int) -> None:
    qtbot.waitUntil(lambda: view.model.rowCount() == count, timeout=WAIT_MS)


def select(view: PaymentsLogView, payment_id: int) -> None:
    assert view.select_payment(payment_id)


def test_payments_taken_anywhere_show_newest_first_with_their_receipts(
    host: EngineHost, view: PaymentsLogView, qtbot: QtBot
) -> None:
    assert view.model.rowCount() == 0
    assert view.headline.text() == "No payments this day."
    first, second = ended_walk_in_sessions(host, 2)
    one = pay_cash(host, first, 5000)
    wait_rows(view, qtbot, 1)
    two = pay_cash(host, second, 4640)
    wait_rows(view, qtbot, 2)
    assert column(view, "session") == [str(second), str(first)]
    assert column(view, "method") == ["Cash", "Cash"]
    assert column(view, "amount")[0].endswith("SEK")
    assert column(view, "state") == ["Paid", "Paid"]
    assert column(view, "receipt") == [str(two.receipt.number), str(one.receipt.number)]
    assert "2 payments" in view.headline.text()
    shot(view, "payments-log")


def test_reprint_opens_the_payment_s_receipt(
    host: EngineHost, view: PaymentsLogView, qtbot: QtBot
) -> None:
    (tx,) = ended_walk_in_sessions(host, 1)
    paid = pay_cash(host, tx, 5000)
    wait_rows(view, qtbot, 1)
    assert not view.reprint_button.isEnabled(), "nothing selected"
    select(view, paid.payment.id)
    assert view.reprint_button.isEnabled()
    view.reprint_button.click()
    qtbot.waitUntil(lambda: view.receipt_dialog is not None, timeout=WAIT_MS)
    assert view.receipt_dialog is not None
    assert view.receipt_dialog.receipt == paid.receipt


def test_a_cash_refund_needs_a_reason_stays_within_the_payment_and_is_confirmed(
    host: EngineHost, view: PaymentsLogView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def agree(_parent: object, question: str) -> bool:
        asked.append(question)
        return True

    monkeypatch.setattr(refund_dialog, "confirm_refund", agree)
    (tx,) = ended_walk_in_sessions(host, 1)
    paid = pay_cash(host, tx, 5000)
    wait_rows(view, qtbot, 1)
    select(view, paid.payment.id)
    view.refund_button.click()
    dialog = view.refund_dialog
    assert dialog is not None
    assert dialog.amount_minor() == 4640, "by default what is left"
    assert "A reason is needed" in dialog.problem_text("reason")
    assert not dialog.ok_button.isEnabled()
    dialog.amount.setText("50")
    assert "At most 46.40 SEK" in dialog.problem_text("amount")
    dialog.amount.setText("20")
    dialog.reason.setText("The charger stopped early")
    assert dialog.ok_button.isEnabled()
    shot(dialog, "refund-dialog")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    assert asked == [f"Refund 20.00 SEK of payment {paid.payment.id}? This cannot be undone."]
    qtbot.waitUntil(lambda: column(view, "state") == ["Partly refunded"], timeout=WAIT_MS)
    assert column(view, "refunded") == ["20.00 SEK"]
    assert "Refunded 20.00 SEK" in view.notice.text()
    stored = call(host, lambda s: s.payments.get(paid.payment.id))
    assert (stored.state, stored.refunded_minor) == (PaymentState.PARTIALLY_REFUNDED, 2000)


def test_a_refund_not_confirmed_changes_nothing(
    host: EngineHost, view: PaymentsLogView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refund_dialog, "confirm_refund", lambda *_a: False)
    (tx,) = ended_walk_in_sessions(host, 1)
    paid = pay_cash(host, tx, 5000)
    wait_rows(view, qtbot, 1)
    select(view, paid.payment.id)
    view.refund_button.click()
    dialog = view.refund_dialog
    assert dialog is not None
    dialog.reason.setText("asked twice")
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert call(host, lambda s: s.payments.get(paid.payment.id)).refunded_minor == 0


def test_cash_taken_today_is_voided_with_a_reason_and_the_session_awaits_payment_again(
    host: EngineHost, view: PaymentsLogView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirmations: list[str] = []

    def agree(_parent: object, _title: str, question: str, _action: str) -> bool:
        confirmations.append(question)
        return True

    monkeypatch.setattr(payments_log, "ask_void_reason", lambda *_a: "wrong session")
    monkeypatch.setattr(payments_log, "confirm_action", agree)
    (tx,) = ended_walk_in_sessions(host, 1)
    paid = pay_cash(host, tx, 5000)
    wait_rows(view, qtbot, 1)
    select(view, paid.payment.id)
    assert view.void_button.isEnabled()
    view.void_button.click()
    qtbot.waitUntil(lambda: column(view, "state") == ["Voided"], timeout=WAIT_MS)
    assert len(confirmations) == 1
    assert "Void cash payment" in confirmations[0]
    assert f"Payment {paid.payment.id} voided." in view.notice.text()
    assert not view.void_button.isEnabled()
    assert not view.refund_button.isEnabled()
    waiting = call(host, lambda s: s.payments.awaiting_payment())
    assert [w.transaction_id for w in waiting] == [tx]


def test_no_reason_no_void(
    host: EngineHost, view: PaymentsLogView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(payments_log, "ask_void_reason", lambda *_a: None)
    (tx,) = ended_walk_in_sessions(host, 1)
    paid = pay_cash(host, tx, 5000)
    wait_rows(view, qtbot, 1)
    select(view, paid.payment.id)
    view.void_button.click()
    assert call(host, lambda s: s.payments.get(paid.payment.id)).state is PaymentState.CAPTURED


# ---- a card payment refunded through Stripe (the stand-in) ----------------------------


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    SecretStore().store("sk_test_paymentslog")
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    if "stripe_standin" not in request.fixturenames:
        return settings
    standin: StripeStandin = request.getfixturevalue("stripe_standin")
    request.getfixturevalue("memory_keyring")
    return dataclasses.replace(settings, stripe_api_base=standin.url)


def test_a_card_payment_is_refunded_to_the_card_through_stripe(
    stripe_standin: StripeStandin,
    host: EngineHost,
    view: PaymentsLogView,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(refund_dialog, "confirm_refund", lambda *_a: True)
    qtbot.waitUntil(host.engine.payments_reconciled.is_set, timeout=WAIT_MS)
    reader = call(host, lambda s: s.desk.register_simulated_reader("Desk"))
    (tx,) = ended_walk_in_sessions(host, 1)

    async def pay_by_card(s: Services) -> int:
        payment = await s.desk.start_card(tx, by="Anna", reader_id=reader.id)
        await s.desk.card.simulate_tap(reader.id, approve=True)
        result = await s.desk.finish_card(payment.id, reader_id=reader.id, timeout=5)
        assert result.outcome == "approved"
        return payment.id

    payment_id = call(host, pay_by_card)
    wait_rows(view, qtbot, 1)
    qtbot.waitUntil(lambda: column(view, "state") == ["Paid"], timeout=WAIT_MS)
    assert column(view, "card") == ["VISA ···· 4242"]
    select(view, payment_id)
    view.refund_button.click()
    dialog = view.refund_dialog
    assert dialog is not None
    dialog.reason.setText("Charged twice by mistake")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: column(view, "state") == ["Refunded"], timeout=WAIT_MS)
    (refund,) = stripe_standin.objects("refunds")
    assert (refund["amount"], refund["status"]) == (4640, "succeeded")
