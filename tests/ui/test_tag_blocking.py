"""Blocking a tag while it charges, with stop_on_block on: the screen says the session
will be stopped, and the charger is told to stop it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from app.config import Settings
from app.ui.dialogs import validated_form
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from tests.fakes.threaded_charger import ThreadedCharger
from tests.ui.drivers_support import WAIT_MS, add_driver, call, cell, open_drivers


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, stop_on_block=True)


def test_blocking_a_charging_tag_says_and_does_stop_its_session(
    window: MainWindow,
    host: EngineHost,
    qtbot: QtBot,
    charger_factory: Callable[..., ThreadedCharger],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_driver(host, "Anna Berg", "04A2B3C4")
    charger = charger_factory("CP-1")
    charger.do(lambda c: c.start_transaction(1, "04A2B3C4"))
    asked: list[str] = []

    def yes(_parent: object, _title: str, question: str, _action: str) -> bool:
        asked.append(question)
        return True

    monkeypatch.setattr(validated_form, "confirm_action", yes)
    view = open_drivers(window, qtbot)
    qtbot.waitUntil(lambda: view.detail.selected_tag() is not None, timeout=WAIT_MS)
    view.detail.block_button.click()
    qtbot.waitUntil(lambda: cell(view.detail.tags, 0, 1) == "Blocked", timeout=WAIT_MS)
    assert "stopped at once" in asked[0]
    assert "Sessions in progress now: 1." in asked[0]

    def stopped() -> bool:
        return not call(host, lambda s: s.transactions.find(open_only=True, id_tag="04A2B3C4"))

    qtbot.waitUntil(stopped, timeout=WAIT_MS)
