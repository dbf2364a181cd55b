"""The payment settings dialog: the Stripe key into the keyring (an in-memory one) and
nowhere else, readers listed and registered through the real stripe SDK against the
Stripe stand-in, the rest into the settings file, and the desk reloaded with it."""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from collections.abc import Iterator

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.payments.secrets import SecretStore, StripeMode
from app.services.container import Services
from app.services.payment_desk import DeskAvailability
from app.ui.dialogs import payment_settings, validated_form
from app.ui.dialogs.payment_settings import PaymentSettingsDialog, open_payment_settings
from app.ui.engine_host import EngineHost
from app.ui.operations import ensure_delivery
from tests.fakes.memory_keyring import MemoryKeyring
from tests.fakes.stripe_standin import StripeStandin
from tests.fakes.stripe_standin.fixture import stripe_standin
from tests.ui.drivers_support import WAIT_MS, call
from tests.ui.payment_screens_support import shot

__all__ = ["stripe_standin"]

KEY = "sk_test_51ChargeDeskSettingsDialog"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def settings(
    settings: Settings, stripe_standin: StripeStandin, memory_keyring: MemoryKeyring
) -> Settings:
    return dataclasses.replace(settings, stripe_api_base=stripe_standin.url)


@pytest.fixture
def dialog(
    host: EngineHost, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> PaymentSettingsDialog:
    monkeypatch.setattr(validated_form, "confirm_discard", lambda _parent: True)
    ensure_delivery()
    qtbot.waitUntil(host.engine.payments_reconciled.is_set, timeout=WAIT_MS)
    opened = open_payment_settings(None, host)
    qtbot.addWidget(opened)
    # "Reading the keyring…" until the keyring has answered (it says "key" too).
    qtbot.waitUntil(
        lambda: "key" in opened.status.text() and "keyring…" not in opened.status.text(),
        timeout=WAIT_MS,
    )
    return opened


def saved_file(host: EngineHost) -> dict[str, object]:
    with host.settings_path.open("rb") as fh:
        return tomllib.load(fh)


def save(dialog: PaymentSettingsDialog, qtbot: QtBot) -> None:
    assert dialog.ok_button.isEnabled(), dialog.problems()
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()


def enter_key(dialog: PaymentSettingsDialog, qtbot: QtBot) -> None:
    dialog.key.setText(KEY)
    save(dialog, qtbot)
    qtbot.waitUntil(lambda: dialog.reader.isEnabled(), timeout=WAIT_MS)


def test_the_key_goes_to_the_keyring_only_and_the_dialog_shows_just_its_mode(
    host: EngineHost,
    dialog: PaymentSettingsDialog,
    qtbot: QtBot,
    memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    assert dialog.status.text() == "No key is set: card and QR payments are off."
    assert not dialog.remove_key_button.isEnabled()
    enter_key(dialog, qtbot)
    assert list(memory_keyring.entries.values()) == [KEY]
    assert dialog.key_mode is StripeMode.TEST
    assert dialog.status.text() == "A test-mode key is set: no real card is charged."
    assert dialog.key.text() == "", "the field is emptied once the key is stored"
    assert dialog.isVisible(), "stays open to say what the desk can do now"
    assert "Choose the desk's card reader below" in dialog.problem_text("status")
    assert KEY not in host.settings_path.read_text(encoding="utf-8")
    assert KEY[8:] not in caplog.text
    assert call(host, _availability).qr


async def _availability(services: Services) -> DeskAvailability:
    return services.desk.availability()


def test_a_wrong_key_is_refused_without_echoing_it(
    dialog: PaymentSettingsDialog, memory_keyring: MemoryKeyring
) -> None:
    dialog.key.setText("pk_test_publishable")
    assert "not a Stripe secret key" in dialog.problem_text("key")
    assert "publishable" not in dialog.problem_text("key")
    assert not dialog.ok_button.isEnabled()
    dialog.key.setText("sk_live_abc")
    assert "live-mode key" in dialog.problem_text("key")
    assert dialog.ok_button.isEnabled()
    assert memory_keyring.entries == {}


def test_a_simulated_reader_is_added_chosen_and_saved_for_the_desk(
    host: EngineHost, dialog: PaymentSettingsDialog, qtbot: QtBot
) -> None:
    enter_key(dialog, qtbot)
    assert dialog.simulated_button.isVisibleTo(dialog), "test mode offers simulated readers"
    dialog.label.setText("Front desk")
    dialog.simulated_button.click()
    qtbot.waitUntil(lambda: bool(dialog.reader.currentData()), timeout=WAIT_MS)
    reader_id = str(dialog.reader.currentData())
    assert "Front desk" in dialog.reader.currentText()
    dialog.adjustSize()  # the hints and notes that appeared since it opened
    shot(dialog, "payment-settings")
    save(dialog, qtbot)
    assert saved_file(host)["desk_reader_id"] == reader_id
    available = call(host, _availability)
    assert available.card
    assert available.reader_id == reader_id
    assert dialog.problem_text("status") == "Card and QR payments are on."


def test_a_reader_is_registered_by_its_code_and_a_wrong_code_is_explained(
    dialog: PaymentSettingsDialog, qtbot: QtBot
) -> None:
    enter_key(dialog, qtbot)
    dialog.code.setText("no-such-code")
    dialog.label.setText("Bay 4")
    dialog.register_button.click()
    qtbot.waitUntil(lambda: "invalid or has expired" in dialog.reader_note.text(), timeout=WAIT_MS)
    dialog.code.setText("simulated-s700")
    dialog.register_button.click()
    qtbot.waitUntil(lambda: "Registered Bay 4" in dialog.reader_note.text(), timeout=WAIT_MS)
    assert "Bay 4" in dialog.reader.currentText()


def test_hold_waits_and_seller_are_written_to_the_settings_file(
    host: EngineHost, dialog: PaymentSettingsDialog, qtbot: QtBot
) -> None:
    dialog.hold.setText("abc")
    assert "Not a number" in dialog.problem_text("hold")
    dialog.hold.setText("250")
    dialog.card_wait.setValue(120)
    dialog.qr_minutes.setValue(45)
    dialog.seller_name.setText("Depot Charging AB")
    dialog.org_number.setText("556677-8899")
    dialog.address.setText("Hamnvägen 1, 111 22 Stockholm")
    dialog.currency.setText("eur")
    assert "restarts" in dialog.problem_text("currency")
    save(dialog, qtbot)
    written = saved_file(host)
    assert {k: written[k] for k in ("preauth_hold_minor", "card_wait_seconds")} == {
        "preauth_hold_minor": 25000,
        "card_wait_seconds": 120,
    }
    assert written["qr_expiry_minutes"] == 45
    assert written["seller_name"] == "Depot Charging AB"
    assert written["currency"] == "EUR"
    assert host.settings.preauth_hold_minor == 25000
    seller = call(host, _seller)
    assert seller == ("Depot Charging AB", "556677-8899", "SEK")


async def _seller(services: Services) -> tuple[str, str, str]:
    ledger = services.payments
    return ledger.seller.name, ledger.seller.org_number, ledger.currency


def test_remove_key_asks_then_takes_it_out_of_the_keyring(
    host: EngineHost,
    dialog: PaymentSettingsDialog,
    qtbot: QtBot,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enter_key(dialog, qtbot)
    monkeypatch.setattr(payment_settings, "confirm_action", lambda *_a: False)
    dialog.remove_key_button.click()
    assert memory_keyring.entries
    monkeypatch.setattr(payment_settings, "confirm_action", lambda *_a: True)
    dialog.remove_key_button.click()
    qtbot.waitUntil(lambda: dialog.key_mode is None, timeout=WAIT_MS)
    assert memory_keyring.entries == {}
    assert SecretStore().read() is None
    assert "card and QR payments are off" in dialog.status.text()
    assert not call(host, _availability).card
