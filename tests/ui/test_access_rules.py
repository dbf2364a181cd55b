"""Fleets and access rules in the Drivers & tags tab, and what chargers are then answered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import pytest
from PySide6.QtCore import QTime
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.domain.access import WEEKDAYS_ALL, AccessRule, Subject
from app.services.container import Services
from app.ui.dialogs import validated_form
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views.access_text import rule_sentence
from app.ui.views.drivers import DriversView
from tests.fakes.threaded_charger import ThreadedCharger
from tests.ui.drivers_support import WAIT_MS, add_driver, call, cell, listed_names, open_drivers


@pytest.fixture
def view(window: MainWindow, qtbot: QtBot) -> DriversView:
    return open_drivers(window, qtbot)


def test_rules_read_as_sentences() -> None:
    fleets, sites = {1: "Vans"}, {7: "Depot"}
    night = AccessRule(1, Subject.FLEET, 1, 7, None, frozenset(range(5)), time(22, 0), time(6, 0))
    assert (
        rule_sentence(night, fleets, sites) == "Fleet Vans may charge at Depot, Mon–Fri 22:00–06:00"
    )
    weekend = AccessRule(2, Subject.NO_FLEET, station_id="CP-9", weekdays=frozenset({5, 6}))
    assert rule_sentence(weekend, fleets, sites) == (
        "Drivers without a fleet and the public may charge at station CP-9, Sat, Sun, all day"
    )
    always = AccessRule(3, Subject.EVERYONE, weekdays=WEEKDAYS_ALL)
    assert (
        rule_sentence(always, fleets, sites) == "Everyone may charge anywhere, every day, all day"
    )
    odd = AccessRule(
        4, Subject.EVERYONE, weekdays=frozenset({0, 2, 3, 4}), start=time(8, 30), end=time(17, 0)
    )
    assert rule_sentence(odd, fleets, sites).endswith("Mon, Wed–Fri 08:30–17:00")


def test_a_fleet_is_added_with_a_budget_and_names_stay_unique(
    view: DriversView, host: EngineHost, qtbot: QtBot
) -> None:
    call(host, lambda s: s.access.create_fleet("Buses"))
    view.pages.setCurrentWidget(view.fleets)
    qtbot.waitUntil(lambda: view.fleets.model.rowCount() == 1, timeout=WAIT_MS)
    dialog = view.fleets.add_fleet()
    QTest.keyClicks(dialog.name, "buses")
    assert dialog.problem_text("name") == "There is a fleet called buses already."
    assert not dialog.ok_button.isEnabled()
    dialog.name.setText("Vans")
    QTest.keyClicks(dialog.budget, "12 000,50")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.fleets.model.rowCount() == 2, timeout=WAIT_MS)
    assert [cell(view.fleets.model, r, 0) for r in range(2)] == ["Buses", "Vans"]
    assert cell(view.fleets.model, 1, 2) == "12,000.50 SEK"
    assert view.fleet_filter.findText("Vans") >= 0, "the drivers' fleet filter offers it"


def test_double_clicking_a_fleet_lists_its_drivers(
    view: DriversView, host: EngineHost, qtbot: QtBot
) -> None:
    vans = call(host, lambda s: s.access.create_fleet("Vans"))
    add_driver(host, "Anna Berg", fleet=vans)
    add_driver(host, "Bo Ek")
    qtbot.waitUntil(lambda: view.fleets.model.rowCount() == 1, timeout=WAIT_MS)
    assert cell(view.fleets.model, 0, 1) == "1"
    view.fleets.select(vans.id)
    view.fleets.drivers_requested.emit(vans.id)
    assert view.pages.currentWidget() is view.drivers_page
    qtbot.waitUntil(lambda: listed_names(view) == ["Anna Berg"], timeout=WAIT_MS)


def test_a_rule_added_here_changes_what_a_charger_at_another_site_is_answered(
    view: DriversView,
    host: EngineHost,
    qtbot: QtBot,
    charger_factory: Callable[..., ThreadedCharger],
) -> None:
    depot_charger = charger_factory("CP-DEPOT")
    garage_charger = charger_factory("CP-GARAGE")

    async def place(s: Services) -> None:
        depot = await s.sites.create_site("Depot")
        garage = await s.sites.create_site("Garage")
        await s.sites.assign_to_site("CP-DEPOT", depot.id)
        await s.sites.assign_to_site("CP-GARAGE", garage.id)

    call(host, place)
    vans = call(host, lambda s: s.access.create_fleet("Vans"))
    add_driver(host, "Anna Berg", "04A2B3C4", fleet=vans)
    assert garage_charger.do(lambda c: c.present_tag(1, "04A2B3C4")) == "Accepted"

    view.pages.setCurrentWidget(view.rules)
    view.refresh()
    qtbot.waitUntil(lambda: len(view.state.sites) == 2, timeout=WAIT_MS)
    assert "No access rules" in view.rules.summary.text()
    dialog = view.rules.add_rule()
    dialog.who.setCurrentIndex(dialog.who.findText("Fleet Vans"))
    dialog.where.setCurrentIndex(dialog.where.findText("Site Depot"))
    dialog.start_time.setTime(QTime(0, 0))
    dialog.end_time.setTime(QTime(0, 0))
    assert dialog.sentence.text() == "Fleet Vans may charge at Depot, every day, all day"
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(
        lambda: view.rules.sentences() == ["Fleet Vans may charge at Depot, every day, all day"],
        timeout=WAIT_MS,
    )
    assert "only where and when" in view.rules.summary.text()
    assert garage_charger.do(lambda c: c.present_tag(1, "04A2B3C4")) == "Invalid"
    assert depot_charger.do(lambda c: c.present_tag(1, "04A2B3C4")) == "Accepted"


def test_a_rule_needs_a_day_and_removing_the_last_one_says_what_follows(
    view: DriversView, host: EngineHost, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = view.rules.add_rule()
    for box in dialog.days:
        box.setChecked(False)
    assert dialog.problem_text("days") == "Choose at least one day."
    assert not dialog.ok_button.isEnabled()
    dialog.set_days(frozenset({5, 6}))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.rules.model.rowCount() == 1, timeout=WAIT_MS)
    view.rules.table.selectRow(0)
    asked: list[str] = []

    def yes(_parent: object, _title: str, question: str, _action: str) -> bool:
        asked.append(question)
        return True

    monkeypatch.setattr(validated_form, "confirm_action", yes)
    view.rules.remove_selected()
    qtbot.waitUntil(lambda: view.rules.model.rowCount() == 0, timeout=WAIT_MS)
    assert "Everyone may charge anywhere, Sat, Sun, all day" in asked[0]
    assert "It is the last rule" in asked[0]
    assert call(host, lambda s: s.access.rules()) == []
