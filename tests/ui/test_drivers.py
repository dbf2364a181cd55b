"""The Drivers & tags tab over a real engine: listing, adding, searching, blocking, history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain.model import IdTagStatus
from app.ui.dialogs import validated_form
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.drivers import DriversView
from tests.fakes.threaded_charger import ThreadedCharger
from tests.ui.drivers_support import WAIT_MS, add_driver, call, cell, listed_names, open_drivers


@pytest.fixture
def view(window: MainWindow, qtbot: QtBot) -> DriversView:
    return open_drivers(window, qtbot)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every confirmation is answered yes; the questions asked are kept."""
    asked: list[str] = []

    def yes(_parent: object, _title: str, question: str, _action: str) -> bool:
        asked.append(question)
        return True

    monkeypatch.setattr(validated_form, "confirm_action", yes)
    return asked


def test_the_tab_is_built_only_when_first_opened(window: MainWindow, qtbot: QtBot) -> None:
    assert window.drivers_tab.view is None, "cold start does not build the drivers screen"
    open_drivers(window, qtbot)
    assert window.drivers_tab.view is not None


def test_a_driver_added_with_a_tag_is_listed_with_it(
    view: DriversView, host: EngineHost, qtbot: QtBot
) -> None:
    dialog = view.add_driver()
    QTest.keyClicks(dialog.name, "Anna Berg")
    QTest.keyClicks(dialog.email, "anna@depot.se")
    QTest.keyClicks(dialog.first_tag, "04:a2:b3:c4")
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=WAIT_MS)
    assert dialog.problem_text("tag") == "Stored as 04A2B3C4."
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: listed_names(view) == ["Anna Berg"], timeout=WAIT_MS)
    assert cell(view.model, 0, 2) == "04A2B3C4"
    assert view.detail.title.text() == "Anna Berg"
    assert cell(view.detail.tags, 0, 0) == "04A2B3C4"
    assert cell(view.detail.tags, 0, 1) == "Accepted"
    stored = call(host, lambda s: s.tags.get("04A2B3C4"))
    assert stored.driver_id == view.selected_id()


def test_search_matches_name_fleet_and_any_spelling_of_a_uid(
    view: DriversView, host: EngineHost, qtbot: QtBot
) -> None:
    vans = call(host, lambda s: s.access.create_fleet("Vans"))
    add_driver(host, "Anna Berg", "04A2B3C4", fleet=vans)
    add_driver(host, "Bo Ek", "BADGE-7")
    cecilia = add_driver(host, "Cecilia Lund", "0A0B0C0D")
    call(host, lambda s: s.access.deactivate_driver(cecilia.driver.id))
    qtbot.waitUntil(lambda: listed_names(view) == ["Anna Berg", "Bo Ek"], timeout=WAIT_MS)
    assert "Inactive drivers are hidden." in view.count.text()

    QTest.keyClicks(view.search, "berg")
    qtbot.waitUntil(lambda: listed_names(view) == ["Anna Berg"], timeout=WAIT_MS)
    view.search.setText("04:a2:b3")
    qtbot.waitUntil(lambda: listed_names(view) == ["Anna Berg"], timeout=WAIT_MS)
    view.search.setText("vans")
    qtbot.waitUntil(lambda: listed_names(view) == ["Anna Berg"], timeout=WAIT_MS)
    assert view.count.text().startswith("Matching drivers: 1.")
    view.search.clear()
    view.show_inactive.setChecked(True)
    qtbot.waitUntil(lambda: len(listed_names(view)) == 3, timeout=WAIT_MS)
    assert cell(view.model, 2, 3) == "No"
    view.fleet_filter.setCurrentIndex(view.fleet_filter.findData(vans.id))
    qtbot.waitUntil(lambda: listed_names(view) == ["Anna Berg"], timeout=WAIT_MS)


def test_a_blocked_tag_is_refused_by_a_charger(
    view: DriversView,
    host: EngineHost,
    qtbot: QtBot,
    charger_factory: Callable[..., ThreadedCharger],
    answers: list[str],
) -> None:
    add_driver(host, "Anna Berg", "04A2B3C4")
    charger = charger_factory("CP-1")
    assert charger.do(lambda c: c.present_tag(1, "04A2B3C4")) == "Accepted"
    qtbot.waitUntil(lambda: view.detail.selected_tag() is not None, timeout=WAIT_MS)
    assert view.detail.block_button.text() == "&Block…"

    view.detail.block_button.click()
    qtbot.waitUntil(lambda: cell(view.detail.tags, 0, 1) == "Blocked", timeout=WAIT_MS)
    assert "Block tag 04A2B3C4?" in answers[0]
    assert "may finish" in answers[0], "stop_on_block is off in the test settings"
    assert "Sessions in progress now: 0." in answers[0]
    assert charger.do(lambda c: c.present_tag(1, "04A2B3C4")) == "Blocked"

    assert view.detail.block_button.text() == "&Unblock"
    view.detail.block_button.click()
    qtbot.waitUntil(lambda: cell(view.detail.tags, 0, 1) == "Accepted", timeout=WAIT_MS)
    assert charger.do(lambda c: c.present_tag(1, "04A2B3C4")) == "Accepted"


def test_a_deactivated_driver_is_refused_on_every_tag(
    view: DriversView,
    host: EngineHost,
    qtbot: QtBot,
    charger_factory: Callable[..., ThreadedCharger],
    answers: list[str],
) -> None:
    add_driver(host, "Bo Ek", "BADGE-7", "BADGE-8")
    charger = charger_factory("CP-1")
    qtbot.waitUntil(lambda: view.detail.card is not None, timeout=WAIT_MS)
    view.detail.active_button.click()
    qtbot.waitUntil(lambda: view.detail.activity.text().startswith("Inactive"), timeout=WAIT_MS)
    assert "all of their tags (2)" in answers[0]
    assert cell(view.detail.tags, 0, 1) == "Refused: driver inactive"
    assert charger.do(lambda c: c.present_tag(1, "BADGE-8")) == "Blocked"


def test_removing_a_tag_asks_and_takes_it_away(
    view: DriversView, host: EngineHost, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_driver(host, "Bo Ek", "BADGE-7")
    qtbot.waitUntil(lambda: view.detail.selected_tag() is not None, timeout=WAIT_MS)
    monkeypatch.setattr(validated_form, "confirm_action", lambda *_a: False)
    view.detail.remove_tag_button.click()
    assert call(host, lambda s: s.tags.get_or_none("BADGE-7")) is not None, "No keeps it"
    monkeypatch.setattr(validated_form, "confirm_action", lambda *_a: True)
    view.detail.remove_tag_button.click()
    qtbot.waitUntil(lambda: view.detail.tags.rowCount() == 0, timeout=WAIT_MS)
    assert call(host, lambda s: s.tags.get_or_none("BADGE-7")) is None
    assert cell(view.model, 0, 2) == "no tags"


def test_history_waits_for_the_history_screen_then_opens_it(
    window: MainWindow, view: DriversView, host: EngineHost, qtbot: QtBot
) -> None:
    card = add_driver(host, "Anna Berg", "04A2B3C4")
    qtbot.waitUntil(lambda: view.detail.card is not None, timeout=WAIT_MS)
    window.views.pop("driver_history", None)  # a window without the history screen
    view.detail.update_buttons()
    button = view.detail.history_button
    assert not button.isEnabled()
    assert "Driver history screen" in button.toolTip()

    class DriverHistory(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.shown: list[int] = []

        def show_driver(self, driver_id: int) -> None:
            self.shown.append(driver_id)

    history = DriverHistory()
    window.add_view("driver_history", history, "Driver history")
    view.detail.update_buttons()
    assert button.isEnabled()
    button.click()
    assert history.shown == [card.driver.id]
    assert window.tabs.currentWidget() is history


def test_changes_made_elsewhere_show_up(view: DriversView, host: EngineHost, qtbot: QtBot) -> None:
    card = add_driver(host, "Anna Berg", "04A2B3C4")
    qtbot.waitUntil(lambda: listed_names(view) == ["Anna Berg"], timeout=WAIT_MS)
    call(host, lambda s: s.tags.block("04A2B3C4"))
    qtbot.waitUntil(lambda: cell(view.detail.tags, 0, 1) == "Blocked", timeout=WAIT_MS)
    stored = call(host, lambda s: s.access.driver(card.driver.id))
    assert stored.tags[0].status is IdTagStatus.BLOCKED


def test_export_and_import_go_through_the_tag_file_dialogs(
    view: DriversView,
    host: EngineHost,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui.dialogs import tag_import

    add_driver(host, "Anna Berg", "04A2B3C4")
    target = tmp_path / "export.csv"
    said: list[str] = []
    monkeypatch.setattr(tag_import, "choose_export_file", lambda _p: (str(target), ","))
    monkeypatch.setattr(
        tag_import, "notify", lambda _p, _t, text, *, error=False: said.append(text)
    )
    view.export_button.click()
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)
    assert "04A2B3C4" in target.read_text(encoding="utf-8-sig")

    source = tmp_path / "new.csv"
    source.write_text("id_tag,status,driver_name\nBADGE-7,Accepted,Bo Ek\n", encoding="utf-8")
    monkeypatch.setattr(tag_import, "choose_import_file", lambda _p: str(source))
    dialog = view.import_tags()
    assert dialog is not None
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        dialog.import_button.click()
    qtbot.waitUntil(lambda: listed_names(view) == ["Anna Berg", "Bo Ek"], timeout=WAIT_MS)
    dialog.close()
