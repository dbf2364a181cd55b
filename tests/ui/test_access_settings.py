"""The access settings dialog: saved in the settings file, applied to the running engine."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain.access import UnknownTagPolicy
from app.domain.operators import Actor, Role, Source
from app.services.container import Services
from app.ui.dialogs import validated_form
from app.ui.dialogs.access_settings import AccessSettingsDialog
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from tests.fakes.threaded_charger import ThreadedCharger
from tests.ui.drivers_support import WAIT_MS, open_drivers


def open_settings(window: MainWindow, qtbot: QtBot) -> AccessSettingsDialog:
    view = open_drivers(window, qtbot)
    view.settings_button.click()
    dialog = view.findChild(AccessSettingsDialog)
    assert dialog is not None
    return dialog


def saved_file(host: EngineHost) -> dict[str, object]:
    with host.settings_path.open("rb") as fh:
        return tomllib.load(fh)


def test_walk_in_chosen_makes_an_unknown_tag_accepted_at_once_and_is_kept(
    window: MainWindow,
    host: EngineHost,
    qtbot: QtBot,
    charger_factory: Callable[..., ThreadedCharger],
) -> None:
    charger = charger_factory("CP-1")
    assert charger.do(lambda c: c.present_tag(1, "NEWCARD1")) == "Invalid"
    dialog = open_settings(window, qtbot)
    dialog.walk_in.click()
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    assert charger.do(lambda c: c.present_tag(1, "NEWCARD1")) == "Accepted"
    assert saved_file(host)["unknown_tags"] == "walk_in"
    assert host.settings.unknown_tag_policy is UnknownTagPolicy.WALK_IN


def test_stop_on_block_and_the_zone_are_saved_and_the_zone_waits_for_a_restart(
    window: MainWindow, host: EngineHost, qtbot: QtBot
) -> None:
    dialog = open_settings(window, qtbot)
    dialog.stop_session.click()
    dialog.zone.setCurrentText("Europe/Stockholm")
    assert "restart" in dialog.problem_text("site_time_zone")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    assert saved_file(host) == {
        "unknown_tags": "reject",
        "stop_on_block": True,
        "site_time_zone": "Europe/Stockholm",
        "local_auth_sync": False,
    }
    assert (host.settings.stop_on_block, host.settings.site_time_zone) == (
        True,
        "Europe/Stockholm",
    )
    assert host.submit(_stop_on_block).result(10) is True


async def _stop_on_block(services: Services) -> bool:
    return services.blocked_sessions.stop_on_block


def test_a_zone_that_does_not_exist_is_refused(
    window: MainWindow, host: EngineHost, qtbot: QtBot
) -> None:
    dialog = open_settings(window, qtbot)
    dialog.zone.setCurrentText("Mars/Base")
    assert "Mars/Base is not a time zone" in dialog.problem_text("site_time_zone")
    assert not dialog.ok_button.isEnabled()
    dialog.zone.setCurrentText("")
    assert dialog.ok_button.isEnabled()


def test_cancel_with_changes_asks_and_keeps_everything(
    window: MainWindow, host: EngineHost, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def discard(_parent: object) -> bool:
        asked.append(True)
        return True

    monkeypatch.setattr(validated_form, "confirm_discard", discard)
    before = host.settings
    dialog = open_settings(window, qtbot)
    dialog.walk_in.click()
    dialog.let_finish.click()
    dialog.buttons.rejected.emit()
    assert asked == [True]
    assert not dialog.isVisible()
    assert host.settings == before
    assert not host.settings_path.exists()


def test_a_file_that_cannot_be_written_is_shown_and_nothing_is_applied(
    window: MainWindow,
    host: EngineHost,
    qtbot: QtBot,
    charger_factory: Callable[..., ThreadedCharger],
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    host.settings_path = blocker / "settings.toml"
    charger = charger_factory("CP-1")
    dialog = open_settings(window, qtbot)
    dialog.walk_in.click()
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.service_error.isVisible, timeout=WAIT_MS)
    assert "could not be written" in dialog.service_error.text()
    assert dialog.isVisible()
    assert host.settings.unknown_tag_policy is UnknownTagPolicy.REJECT
    assert charger.do(lambda c: c.present_tag(1, "NEWCARD2")) == "Invalid"


def test_the_file_menu_opens_the_access_settings_too(window: MainWindow, qtbot: QtBot) -> None:
    window.access_settings_action.trigger()
    dialog = window.findChild(AccessSettingsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.reject()


def test_an_operator_cannot_save_the_settings_and_the_file_is_untouched(
    window: MainWindow, host: EngineHost, qtbot: QtBot
) -> None:
    """The role is checked in the engine, not only by greying out the menu."""
    dialog = open_settings(window, qtbot)
    host.actor = Actor("olle", Role.OPERATOR, Source.UI)
    dialog.walk_in.click()
    dialog.ok_button.click()
    qtbot.waitUntil(dialog.service_error.isVisible, timeout=WAIT_MS)
    assert "needs the manager role" in dialog.service_error.text()
    assert not host.settings_path.exists()
    assert host.settings.unknown_tag_policy is UnknownTagPolicy.REJECT
