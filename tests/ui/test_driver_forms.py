"""The driver and tag forms: every field checked as it is typed, OK only when all is well,
the service's refusal shown, nothing half-saved, nothing typed lost without asking."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.ui.dialogs import validated_form
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.drivers import DriversView
from tests.ui.drivers_support import (
    WAIT_MS,
    add_driver,
    call,
    cell,
    listed_names,
    open_drivers,
)


@pytest.fixture
def view(window: MainWindow, qtbot: QtBot, host: EngineHost) -> DriversView:
    add_driver(host, "Bo Ek", "04A2B3C4")
    add_driver(host, "Cecilia Lund")
    drivers = open_drivers(window, qtbot)
    qtbot.waitUntil(lambda: len(listed_names(drivers)) == 2, timeout=WAIT_MS)
    drivers.select(drivers.model.driver_ids()[1])  # Cecilia, who has no tag yet
    return drivers


def test_a_malformed_uid_disables_ok_and_says_why(view: DriversView, qtbot: QtBot) -> None:
    dialog = view.detail.add_tag()
    assert dialog is not None
    assert not dialog.ok_button.isEnabled()
    assert "Enter the tag's UID" in dialog.problem_text("uid")
    QTest.keyClicks(dialog.uid, "04 A2:B3")
    assert not dialog.ok_button.isEnabled()
    assert "no spaces inside it" in dialog.problem_text("uid")
    dialog.uid.setText("X" * 21)
    assert "at most 20 characters" in dialog.problem_text("uid")
    assert not dialog.ok_button.isEnabled()
    dialog.uid.setText("badge-9")
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    assert dialog.problem_text("uid") == "Stored as BADGE-9."


def test_a_uid_someone_has_is_refused_with_their_name(view: DriversView, qtbot: QtBot) -> None:
    dialog = view.detail.add_tag()
    assert dialog is not None
    QTest.keyClicks(dialog.uid, "04-a2-b3-c4")
    qtbot.waitUntil(
        lambda: dialog.problem_text("uid") == "04A2B3C4 is registered already, to Bo Ek.",
        timeout=WAIT_MS,
    )
    assert not dialog.ok_button.isEnabled()


def test_a_new_tag_cannot_have_expired_already(view: DriversView, qtbot: QtBot) -> None:
    dialog = view.detail.add_tag()
    assert dialog is not None
    QTest.keyClicks(dialog.uid, "BADGE-9")
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    dialog.expires.setChecked(True)
    dialog.expiry.setDateTime(QDateTime.currentDateTime().addDays(-2))
    assert "must expire in the future" in dialog.problem_text("expiry")
    assert not dialog.ok_button.isEnabled()
    dialog.expiry.setDateTime(QDateTime.currentDateTime().addDays(30))
    assert dialog.problem_text("expiry") == ""
    assert dialog.ok_button.isEnabled()


def test_a_tag_added_in_the_form_is_stored_for_the_driver(
    view: DriversView, host: EngineHost, qtbot: QtBot
) -> None:
    dialog = view.detail.add_tag()
    assert dialog is not None
    QTest.keyClicks(dialog.uid, "0a:0b:0c:0d")
    dialog.sessions.setValue(2)
    dialog.group.setText("fleet-group")
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.detail.tags.rowCount() == 1, timeout=WAIT_MS)
    tag = call(host, lambda s: s.tags.get("0A0B0C0D"))
    assert (tag.parent_id_tag, tag.max_concurrent) == ("FLEET-GROUP", 2)
    assert tag.driver_id == view.selected_id()


def test_driver_fields_are_checked_as_typed(view: DriversView, qtbot: QtBot) -> None:
    dialog = view.add_driver()
    assert dialog.problem_text("name") == "A name is needed."
    assert not dialog.ok_button.isEnabled()
    QTest.keyClicks(dialog.name, "Dan Holm")
    QTest.keyClicks(dialog.email, "dan@")
    assert "Not an email address" in dialog.problem_text("email")
    assert not dialog.ok_button.isEnabled()
    QTest.keyClicks(dialog.email, "depot.se")
    QTest.keyClicks(dialog.phone, "12")
    assert "Not a phone number" in dialog.problem_text("phone")
    dialog.phone.setText("+46 70 123 45 67")
    QTest.keyClicks(dialog.budget, "1 500,5x")
    assert dialog.problem_text("budget") != ""
    dialog.budget.setText("1 500,50")
    assert dialog.problems() == {}
    assert dialog.ok_button.isEnabled()


def test_a_refusal_by_the_service_keeps_the_dialog_and_stores_nothing(
    view: DriversView, host: EngineHost, qtbot: QtBot
) -> None:
    dialog = view.add_driver()
    QTest.keyClicks(dialog.name, "Dan Holm")
    QTest.keyClicks(dialog.first_tag, "LATE-1")
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    add_driver(host, "Erik Sand", "LATE-1")  # another desk was quicker
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.service_error.isVisible, timeout=WAIT_MS)
    assert "Not saved:" in dialog.service_error.text()
    assert "LATE-1 is registered already" in dialog.service_error.text()
    assert dialog.isVisible(), "what was typed is still there to correct"
    names = [c.driver.name for c in call(host, lambda s: s.access.drivers())]
    assert "Dan Holm" not in names, "no driver without the tag they were meant to have"


def test_cancel_with_changes_asks_first(
    view: DriversView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def say_no(_parent: object) -> bool:
        asked.append(True)
        return False

    monkeypatch.setattr(validated_form, "confirm_discard", say_no)
    dialog = view.add_driver()
    QTest.keyClicks(dialog.name, "Dan")
    dialog.reject()
    assert asked == [True]
    assert dialog.isVisible(), "kept: the operator said no to discarding"
    monkeypatch.setattr(validated_form, "confirm_discard", lambda _p: True)
    dialog.reject()
    assert not dialog.isVisible()

    untouched = view.add_driver()
    asked.clear()
    untouched.reject()
    assert asked == [], "nothing typed: nothing to ask"
    assert not untouched.isVisible()


def test_editing_a_driver_saves_every_field(
    view: DriversView, host: EngineHost, qtbot: QtBot
) -> None:
    dialog = view.detail.edit_driver()
    assert dialog is not None
    assert dialog.first_tag.isHidden(), "tags are added in the tag list"
    dialog.name.setText("Cecilia  Lund-Ek ")
    dialog.budget.setText("250")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.detail.title.text() == "Cecilia Lund-Ek", timeout=WAIT_MS)
    assert "250.00 SEK" in view.detail.values["budget"].text()


def test_editing_a_tag_keeps_its_uid_and_may_end_it(
    view: DriversView, host: EngineHost, qtbot: QtBot
) -> None:
    view.select(view.model.driver_ids()[0])  # Bo Ek and his card
    qtbot.waitUntil(lambda: view.detail.selected_tag() is not None, timeout=WAIT_MS)
    dialog = view.detail.edit_tag()
    assert dialog is not None
    assert dialog.uid.isHidden(), "shown as text: the UID of a card cannot change"
    dialog.expires.setChecked(True)
    dialog.expiry.setDateTime(QDateTime.currentDateTime().addDays(-1))
    assert "refuse the tag as expired" in dialog.problem_text("expiry")
    assert dialog.ok_button.isEnabled(), "ending a tag by a past expiry is allowed"
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: cell(view.detail.tags, 0, 1) == "Expired", timeout=WAIT_MS)
    assert call(host, lambda s: s.tags.get("04A2B3C4")).expiry_date is not None
