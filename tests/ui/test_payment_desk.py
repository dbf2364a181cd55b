"""The payment desk tab as an attendant uses it: a real engine with a simulated charger,
real SQLite, and the real stripe SDK against the local Stripe stand-in with a simulated
Terminal reader. Sessions are charged on the charger, stopped, priced and then paid."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.domain.access import UnknownTagPolicy
from app.domain.tariffs import Tariff
from app.payments.secrets import SecretStore
from app.services.container import Services
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.customer_display import CustomerDisplay
from app.ui.views.payment_desk import PaymentDeskView
from app.ui.views.payment_desk_display import Shown
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin
from tests.fakes.threaded_charger import ThreadedCharger
from tests.ui.drivers_support import WAIT_MS, call, cell
from tests.ui.shots import SHOTS

__all__ = ["stripe_standin"]

# A start fee only, so a session's price does not depend on how long the simulator ran.
WALK_IN = Tariff("Walk-in", start_fee_minor=4500)
DOCUMENTED = Tariff("Walk-in", energy_per_kwh_minor=395, start_fee_minor=500)


@pytest.fixture
def stripe_key(request: pytest.FixtureRequest) -> Iterator[None]:
    """The Stripe key in a keyring held in memory (the engine reads the default keyring)."""
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    if getattr(request, "param", True):
        SecretStore(memory).store("sk_test_desk")
    yield
    keyring.set_keyring(before)


@pytest.fixture
def settings(settings: Settings, stripe_standin: StripeStandin, stripe_key: None) -> Settings:
    return dataclasses.replace(
        settings, stripe_api_base=stripe_standin.url, unknown_tags=UnknownTagPolicy.WALK_IN
    )


def open_desk(window: MainWindow, qtbot: QtBot, *, reader: bool = True) -> PaymentDeskView:
    """The tab opened as the attendant does; with reader, a simulated reader chosen."""
    if reader:
        found = call(window.host, lambda s: s.desk.register_simulated_reader("Desk"))

        async def use(s: Services) -> None:
            s.desk.use_reader(found.id)

        call(window.host, use)
    window.tabs.setCurrentWidget(window.views["payment_desk"])
    view = window.payment_desk
    qtbot.waitUntil(lambda: view.loads >= 1, timeout=WAIT_MS)
    if reader:
        view.check_stripe()
        qtbot.waitUntil(lambda: view.availability().card, timeout=WAIT_MS)
    return view


def ended_session(
    host: EngineHost,
    make: Callable[..., ThreadedCharger],
    tag: str,
    station: str = "CP-DESK",
    minutes: int = 60,
) -> int:
    """A walk-in charges on the simulated charger and stops; its final price is stored."""
    if not call(host, lambda s: s.tariffs.list()):
        tariff = call(host, lambda s: s.tariffs.create(WALK_IN))
        call(host, lambda s: s.tariffs.assign(tariff.id))
    # The charger's clock: the session started an hour ago, so energy was delivered.
    moment = [datetime.now(UTC) - timedelta(minutes=minutes)]
    charger = make(station, connectors=2, clock=lambda: moment[0], seed=7)
    tx = charger.do(lambda c: c.start_transaction(1, tag))
    moment[0] = datetime.now(UTC)
    charger.do(lambda c: c.stop_transaction(1))
    return tx


def wait_listed(view: PaymentDeskView, qtbot: QtBot, tx: int) -> None:
    view.refresh()
    qtbot.waitUntil(lambda: view.sessions.row_of(tx) is not None, timeout=WAIT_MS)


def choose(view: PaymentDeskView, qtbot: QtBot, tx: int) -> None:
    wait_listed(view, qtbot, tx)
    assert view.select(tx)
    session = view.session()
    assert session is not None
    assert session.transaction_id == tx


def shown(view: PaymentDeskView) -> Shown:
    """What the customer display shows now (read afresh each time)."""
    return view.feed.current.shown


def shoot(widget: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert hasattr(widget, "grab")
    widget.grab().save(str(SHOTS / name))


def test_an_attendant_takes_a_card_payment_with_a_simulated_tap(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot)
    tx = ended_session(host, charger_factory, "WALK-CARD")
    choose(view, qtbot, tx)
    row = view.sessions.row_of(tx)
    assert row is not None
    assert [cell(view.sessions, row, c) for c in (0, 1, 2, 3, 7)] == [
        "CP-DESK",
        "1",
        "WALK-CARD",
        "walk-in",
        "45.00 SEK",
    ]
    lines = view.breakdown.rows()
    assert lines[0] == ("Start fee", "45.00 SEK")
    assert lines[1][0].startswith("Energy ")
    assert lines[-2:] == [("of which VAT 25 %", "9.00 SEK"), ("Total", "45.00 SEK")]
    assert shown(view) is Shown.AMOUNT
    window.resize(1280, 800)
    shoot(window, "payment_desk_chosen.png")

    view.methods.setCurrentWidget(view.card)
    view.card.start_button.click()
    qtbot.waitUntil(lambda: view.card.waiting, timeout=WAIT_MS)
    assert view.card.status.text() == "Present card on the reader"
    assert view.card.cancel_button.isVisible()
    assert view.card.approve_button.isVisible(), "a test key offers the simulated tap"
    assert not view.table.isEnabled(), "the list waits while the reader does"
    assert shown(view) is Shown.CARD
    shoot(window, "payment_desk_card_waiting.png")

    view.card.approve_button.click()
    qtbot.waitUntil(lambda: view.result.receipt_number is not None, timeout=WAIT_MS)
    assert view.result.text.text() == (
        f"Paid — receipt no. {view.result.receipt_number}. Card VISA •••• 4242 approved."
    )
    assert view.result.show_button.isVisible()
    qtbot.waitUntil(lambda: view.sessions.row_of(tx) is None, timeout=WAIT_MS)
    assert shown(view) is Shown.PAID
    assert view.table.isEnabled()
    shoot(window, "payment_desk_paid.png")

    number = view.result.receipt_number
    view.result.show_button.click()
    qtbot.waitUntil(lambda: view.receipt_dialog is not None, timeout=WAIT_MS)
    assert view.receipt_dialog is not None
    assert view.receipt_dialog.receipt.number == number
    assert view.receipt_dialog.receipt.total_minor == 4500
    view.receipt_dialog.close()


def test_a_declined_card_is_said_plainly_and_another_tap_pays(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot)
    tx = ended_session(host, charger_factory, "WALK-DECLINE")
    choose(view, qtbot, tx)

    view.card.start_button.click()
    qtbot.waitUntil(lambda: view.card.waiting, timeout=WAIT_MS)
    view.card.decline_button.click()
    qtbot.waitUntil(lambda: not view.card.waiting, timeout=WAIT_MS)
    assert "declined" in view.notice.text().casefold()
    assert shown(view) is Shown.DECLINED
    assert view.sessions.row_of(tx) is not None, "still awaiting payment"
    assert view.result.receipt_number is None

    assert view.card.start_button.isEnabled()
    view.card.start_button.click()
    qtbot.waitUntil(lambda: view.card.waiting, timeout=WAIT_MS)
    view.card.approve_button.click()
    qtbot.waitUntil(lambda: view.result.receipt_number is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.sessions.row_of(tx) is None, timeout=WAIT_MS)


def test_the_attendant_cancels_while_the_reader_waits(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot)
    tx = ended_session(host, charger_factory, "WALK-CANCEL")
    choose(view, qtbot, tx)
    view.card.start_button.click()
    qtbot.waitUntil(lambda: view.card.waiting, timeout=WAIT_MS)
    view.card.cancel_button.click()
    qtbot.waitUntil(lambda: not view.card.waiting, timeout=WAIT_MS)
    assert shown(view) is Shown.CANCELLED
    assert view.sessions.row_of(tx) is not None
    assert view.table.isEnabled()


def test_cash_shows_the_change_as_typed_and_refuses_too_little(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot)
    tx = ended_session(host, charger_factory, "WALK-CASH")
    choose(view, qtbot, tx)
    view.methods.setCurrentWidget(view.cash)

    view.cash.tendered.setText("40")
    assert view.cash.change.text() == "5.00 SEK too little."
    assert not view.cash.take_button.isEnabled()
    view.cash.tendered.setText("50,5")
    assert view.cash.change.text() == "5.50 SEK"
    assert view.cash.take_button.isEnabled()
    shoot(window, "payment_desk_cash.png")

    view.cash.take_button.click()
    qtbot.waitUntil(lambda: view.result.receipt_number is not None, timeout=WAIT_MS)
    assert "give back 5.50 SEK change" in view.result.text.text()
    assert shown(view) is Shown.PAID
    assert view.feed.current.detail == "Change: 5.50 SEK"
    qtbot.waitUntil(lambda: view.sessions.row_of(tx) is None, timeout=WAIT_MS)


def test_a_qr_payment_paid_on_the_phone(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    stripe_standin: StripeStandin,
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot)
    tx = ended_session(host, charger_factory, "WALK-QR")
    choose(view, qtbot, tx)
    view.methods.setCurrentWidget(view.qr)
    view.qr.start_button.click()
    qtbot.waitUntil(lambda: view.qr.open is not None, timeout=WAIT_MS)
    opened = view.qr.open
    assert opened is not None
    assert view.qr.url.text() == opened.url
    assert not view.qr.code.pixmap().isNull()
    assert shown(view) is Shown.QR
    assert view.feed.current.qr_url == opened.url
    shoot(window, "payment_desk_qr.png")

    session_id = opened.payment.checkout_session_id
    assert session_id is not None
    stripe_standin.complete_checkout_session(session_id)
    qtbot.waitUntil(lambda: view.result.receipt_number is not None, timeout=WAIT_MS)
    assert view.qr.open is None
    assert shown(view) is Shown.PAID
    qtbot.waitUntil(lambda: view.sessions.row_of(tx) is None, timeout=WAIT_MS)


def test_an_expired_qr_code_is_said_and_the_session_still_awaits(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    stripe_standin: StripeStandin,
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot)
    tx = ended_session(host, charger_factory, "WALK-QR-LATE")
    choose(view, qtbot, tx)
    view.methods.setCurrentWidget(view.qr)
    view.qr.start_button.click()
    qtbot.waitUntil(lambda: view.qr.open is not None, timeout=WAIT_MS)
    opened = view.qr.open
    assert opened is not None
    assert opened.payment.checkout_session_id is not None
    stripe_standin.lapse_checkout_session(opened.payment.checkout_session_id)
    qtbot.waitUntil(lambda: view.qr.open is None, timeout=WAIT_MS)
    assert "expired" in view.notice.text()
    assert shown(view) is Shown.EXPIRED
    assert view.result.receipt_number is None
    view.refresh()
    qtbot.waitUntil(lambda: view.sessions.row_of(tx) is not None, timeout=WAIT_MS)


@pytest.mark.parametrize("stripe_key", [False], indirect=True)
def test_without_a_key_card_and_qr_are_off_and_said_why_while_cash_works(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot, reader=False)
    tx = ended_session(host, charger_factory, "WALK-NOKEY")
    choose(view, qtbot, tx)
    assert view.banner.isVisible()
    assert "not set up" in view.unavailable.text()
    assert not view.card.start_button.isEnabled()
    assert not view.qr.start_button.isEnabled()
    assert "not set up" in view.card.status.text()
    assert not view.preauth_box.start_button.isEnabled()
    shoot(window, "payment_desk_no_key.png")

    view.methods.setCurrentWidget(view.cash)
    view.cash.tendered.setText("45")
    assert view.cash.change.text() == "0.00 SEK"
    view.cash.take_button.click()
    qtbot.waitUntil(lambda: view.result.receipt_number is not None, timeout=WAIT_MS)


def test_the_lookup_narrows_the_list_by_station_bay_or_tag(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot, reader=False)
    first = ended_session(host, charger_factory, "WALK-A", station="CP-NORTH")
    second = ended_session(host, charger_factory, "WALK-B", station="CP-SOUTH")
    wait_listed(view, qtbot, first)
    wait_listed(view, qtbot, second)
    view.lookup.setText("south")
    assert [s.transaction_id for s in view.sessions.rows()] == [second]
    view.lookup.setText("walk-a bay 1")
    assert [s.transaction_id for s in view.sessions.rows()] == [first]
    view.lookup.setText("nothing like it")
    assert view.sessions.rowCount() == 0
    assert view.empty.text() == "No session matches the lookup."
    view.lookup.clear()
    assert view.sessions.rowCount() == 2


def test_the_customer_display_follows_the_desk(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot)
    window.customer_display_action.trigger()
    display = window.findChild(CustomerDisplay)
    assert display is not None
    assert display.isVisible()
    assert display.headline.text() == "Welcome"
    tx = ended_session(host, charger_factory, "WALK-SHOWN")
    choose(view, qtbot, tx)
    assert (display.headline.text(), display.amount.text()) == ("Amount to pay", "45.00 SEK")

    view.card.start_button.click()
    qtbot.waitUntil(lambda: view.card.waiting, timeout=WAIT_MS)
    assert display.headline.text() == "Tap your card on the reader"
    view.card.approve_button.click()
    qtbot.waitUntil(lambda: display.headline.text() == "Paid — thank you", timeout=WAIT_MS)
    assert display.amount.text() == "45.00 SEK"
    shoot(display, "customer_display_paid.png")
    display.close()


def test_on_account_invoices_the_chosen_fleet(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    call(host, lambda s: s.access.create_fleet("Bus North"))
    haulage = call(host, lambda s: s.access.create_fleet("Haulage AB"))
    view = open_desk(window, qtbot, reader=False)
    tx = ended_session(host, charger_factory, "WALK-ACCOUNT")
    choose(view, qtbot, tx)
    view.methods.setCurrentWidget(view.account)
    assert [view.account.fleet.itemText(i) for i in range(2)] == ["Bus North", "Haulage AB"]
    assert not view.subscription.take_button.isEnabled(), "a walk-in has no subscription"
    view.account.fleet.setCurrentIndex(view.account.fleet.findData(haulage.id))
    view.account.take_button.click()
    qtbot.waitUntil(lambda: view.result.isVisible(), timeout=WAIT_MS)
    assert "Put on Haulage AB’s account." in view.result.text.text()
    qtbot.waitUntil(lambda: view.sessions.row_of(tx) is None, timeout=WAIT_MS)
    (payment,) = call(host, lambda s: s.payments.payments_between(*around_now()))
    assert (payment.fleet_id, payment.amount_minor) == (haulage.id, 4500)


def around_now() -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(hours=1), now + timedelta(hours=1)


def test_the_desk_as_documented(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    """Several sessions waiting and a QR code open: the picture in docs/screenshots."""
    tariff = call(host, lambda s: s.tariffs.create(DOCUMENTED))
    call(host, lambda s: s.tariffs.assign(tariff.id))
    view = open_desk(window, qtbot)
    txs = [
        ended_session(host, charger_factory, tag, station=station, minutes=minutes)
        for tag, station, minutes in (
            ("04A2-19F7", "DEPOT-03", 95),
            ("WALK-1187", "DEPOT-07", 42),
            ("04C3-88E1", "GARAGE-A", 18),
        )
    ]
    wait_listed(view, qtbot, txs[-1])
    choose(view, qtbot, txs[1])
    view.methods.setCurrentWidget(view.qr)
    view.qr.start_button.click()
    qtbot.waitUntil(lambda: view.qr.open is not None, timeout=WAIT_MS)
    window.resize(1280, 800)
    shoot(window, "payment_desk_documented.png")
    assert view.sessions.rowCount() == 3
    view.qr.other_way_button.click()
    qtbot.waitUntil(lambda: view.qr.open is None, timeout=WAIT_MS)
    assert shown(view) is Shown.AMOUNT


def test_stripe_unreachable_turns_card_and_qr_off_until_it_answers_again(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    stripe_standin: StripeStandin,
    qtbot: QtBot,
) -> None:
    view = open_desk(window, qtbot)
    tx = ended_session(host, charger_factory, "WALK-OFFLINE")
    choose(view, qtbot, tx)
    for _attempt in range(3):  # the first try and the SDK's two retries
        stripe_standin.drop_connection("/v1/payment_intents")
    view.card.start_button.click()
    qtbot.waitUntil(lambda: not view.availability().card, timeout=WAIT_MS)
    assert "could not be reached" in view.notice.text()
    assert view.banner.isVisible()
    assert "could not be reached" in view.unavailable.text()
    assert not view.card.start_button.isEnabled()
    assert not view.qr.start_button.isEnabled()
    assert view.table.isEnabled()

    view.methods.setCurrentWidget(view.cash)
    view.cash.tendered.setText("45")
    assert view.cash.take_button.isEnabled(), "cash keeps working"

    view.check_button.click()
    qtbot.waitUntil(lambda: view.availability().card, timeout=WAIT_MS)
    assert not view.banner.isVisible()
    assert view.card.start_button.isEnabled()
    assert view.card.status.text() == ""
