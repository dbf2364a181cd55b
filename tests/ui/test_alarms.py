"""Alarms view: raised by real charger faults and disconnections, acknowledged, logged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from app.domain.alarms import Alarm, AlarmCategory
from app.domain.model import Severity
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views import alarms
from app.ui.views.alarm_style import operator_name
from app.ui.views.alarms import AlarmsView
from tests.fakes.threaded_charger import ThreadedCharger


def open_alarms(window: MainWindow, host: EngineHost, qtbot: QtBot) -> AlarmsView:
    """As the lead wires it: a tab whose on_events the window calls."""
    view = AlarmsView(host, window.overview, window)
    window.add_view("alarms", view, "Alarms")
    qtbot.waitUntil(lambda: view.event_log.page is not None, timeout=5000)
    return view


def open_alarms_of(view: AlarmsView, category: AlarmCategory) -> list[Alarm]:
    return [a for a in view.model.rows() if a.category is category and not a.acknowledged]


def test_a_fault_raises_an_alarm_that_an_operator_acknowledges(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    beeps: list[None] = []
    monkeypatch.setattr(alarms, "beep", lambda: beeps.append(None))
    view = open_alarms(window, host, qtbot)
    view.sound.setChecked(True)
    counts: list[int] = []
    view.unacknowledged_changed.connect(counts.append)
    sim = charger_factory("CP-FAULT", connectors=1)

    sim.do(lambda c: c.set_fault(1, "GroundFailure"))
    qtbot.waitUntil(lambda: view.unacknowledged == 1, timeout=5000)
    assert counts == [1]
    assert beeps, "a new alarm sounds when the operator asked for sound"
    fault = view.model.row_at(0)
    assert (fault.station_id, fault.severity, fault.acknowledged) == (
        "CP-FAULT",
        Severity.ALARM,
        False,
    )
    assert "GroundFailure" in fault.message
    assert view.model.data(view.model.index(0, 3)) == "Connector fault"
    assert "unacknowledged" in view.headline.text()

    view.select_alarm(fault.event_id)
    assert view.acknowledge_button.isEnabled()
    view.acknowledge_button.click()
    qtbot.waitUntil(lambda: view.unacknowledged == 0, timeout=5000)
    assert counts == [1, 0]
    acknowledged = view.model.row_at(0)
    assert acknowledged.acknowledged_by == operator_name()
    assert acknowledged.acknowledged_at is not None
    assert "All clear" in view.headline.text()

    again = AlarmsView(host, window.overview)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.model.rowCount() == 1, timeout=5000)
    assert again.unacknowledged == 0
    reopened = again.model.row_at(0)
    assert (reopened.acknowledged_by, reopened.acknowledged_at) == (
        acknowledged.acknowledged_by,
        acknowledged.acknowledged_at,
    )


def test_a_station_going_offline_raises_an_alarm_and_all_of_a_station_are_acknowledged(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    view = open_alarms(window, host, qtbot)
    sim = charger_factory("CP-GONE", connectors=1)
    sim.do(lambda c: c.set_fault(1, "PowerSwitchFailure"))
    sim.do(lambda c: c.go_offline())
    qtbot.waitUntil(lambda: bool(open_alarms_of(view, AlarmCategory.OFFLINE)), timeout=5000)
    assert view.unacknowledged == 2
    offline = open_alarms_of(view, AlarmCategory.OFFLINE)[0]
    assert offline.station_id == "CP-GONE"
    assert offline.severity is Severity.WARNING

    view.select_alarm(offline.event_id)
    view.acknowledge_station_button.click()
    qtbot.waitUntil(lambda: view.unacknowledged == 0, timeout=5000)
    assert all(a.acknowledged_by == operator_name() for a in view.model.rows())
    view.show_acknowledged.setChecked(False)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)


def test_event_log_filters_by_severity_and_searches_text(
    window: MainWindow,
    host: EngineHost,
    charger_factory: Callable[..., ThreadedCharger],
    qtbot: QtBot,
) -> None:
    view = open_alarms(window, host, qtbot)
    panel = view.event_log
    window.tabs.setCurrentWidget(view)
    view.pages.setCurrentWidget(panel)
    charger_factory("LOG-A", connectors=1)
    sim = charger_factory("LOG-B", connectors=1)
    sim.do(lambda c: c.set_fault(1, "HighTemperature"))
    qtbot.waitUntil(lambda: view.unacknowledged == 1, timeout=5000)
    qtbot.waitUntil(lambda: panel.page is not None and panel.page.total >= 5, timeout=5000)

    panel.severity.setCurrentIndex(panel.severity.findData(Severity.ALARM))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    assert "HighTemperature" in panel.model.row_at(0).message

    panel.severity.setCurrentIndex(0)
    panel.search.setText("log-a")
    qtbot.waitUntil(
        lambda: (
            panel.model.rowCount() > 0
            and all(
                panel.model.row_at(r).station_id == "LOG-A" for r in range(panel.model.rowCount())
            )
        ),
        timeout=5000,
    )
    panel.search.setText("no such words anywhere")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=5000)
    assert panel.position.text() == "No entries match"

    panel.search.clear()
    panel.kind.setCurrentIndex(panel.kind.findData("station.boot"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    assert {panel.model.row_at(r).station_id for r in range(2)} == {"LOG-A", "LOG-B"}
    assert not panel.next_button.isEnabled()
