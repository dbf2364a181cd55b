"""The station password dialog: rotate over OCPP with a simulated charger, or issue one."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.ui.dialogs.station_credentials import StationCredentialsDialog
from app.ui.engine_host import EngineHost
from app.ui.operations import ensure_delivery
from tests.fakes.threaded_charger import ThreadedCharger

OLD = "0123456789abcdef0123456789abcdef"


def dialog_for(
    host: EngineHost, qtbot: QtBot, station_id: str, **options: object
) -> StationCredentialsDialog:
    ensure_delivery()
    dialog = StationCredentialsDialog(host, station_id, **options)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def test_rotate_pushes_the_password_and_shows_it_once(
    host: EngineHost, qtbot: QtBot, charger_factory: Callable[..., ThreadedCharger]
) -> None:
    host.submit(lambda s: s.stations.add("CP-PW", password=OLD)).result(10)
    charger = charger_factory("CP-PW", password=OLD)
    dialog = dialog_for(host, qtbot, "CP-PW")
    assert dialog.password.isHidden()
    dialog.rotate_button.click()
    qtbot.waitUntil(lambda: bool(dialog.password.text()), timeout=15000)
    shown = dialog.password.text()
    assert not dialog.password.isHidden()
    assert "uses it from now on" in dialog.status.text()
    assert charger.charger.configuration.secret("AuthorizationKey") == shown
    dialog.reject()
    assert dialog.password.text() == ""


def test_a_failed_rotation_says_the_old_password_stays(host: EngineHost, qtbot: QtBot) -> None:
    host.submit(lambda s: s.stations.add("CP-AWAY", password=OLD)).result(10)
    dialog = dialog_for(host, qtbot, "CP-AWAY")
    dialog.rotate_button.click()
    qtbot.waitUntil(lambda: "stays in force" in dialog.status.text(), timeout=15000)
    assert "offline" in dialog.status.text()
    assert dialog.password.isHidden()
    assert dialog.rotate_button.isEnabled()
    offline = dialog_for(host, qtbot, "CP-AWAY", online=False)
    assert not offline.rotate_button.isEnabled()


def test_issue_asks_first_then_shows_a_password_to_type_in(host: EngineHost, qtbot: QtBot) -> None:
    host.submit(lambda s: s.stations.add("CP-NEW")).result(10)
    answers = [False, True]
    asked: list[str] = []

    def confirm(_parent: object, _title: str, question: str, _action: str) -> bool:
        asked.append(question)
        return answers.pop(0)

    dialog = dialog_for(host, qtbot, "CP-NEW", confirm=confirm)
    dialog.issue_button.click()
    assert dialog.password.isHidden()
    assert not host.submit(lambda s: s.stations.get("CP-NEW")).result(10).has_password
    dialog.issue_button.click()
    qtbot.waitUntil(lambda: bool(dialog.password.text()), timeout=15000)
    assert "Enter this password" in dialog.status.text()
    assert len(dialog.password.text()) == 40
    assert host.submit(lambda s: s.stations.get("CP-NEW")).result(10).has_password
    assert "CP-NEW" in asked[0]
