"""The Tariffs tab: saving through the service, editing, duplicating, archiving, assigning."""

from __future__ import annotations

from datetime import time

import pytest
from pytestqt.qtbot import QtBot

from app.domain.tariff_assignments import StoredTariff, TariffScope
from app.domain.tariffs import Tariff, TariffBand
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views import tariff_assign, tariffs
from app.ui.views.tariff_assign import AssignRequest, AssignTariffDialog
from app.ui.views.tariff_draft import BandDraft, Field
from app.ui.views.tariffs import TariffsView

DEPOT = Tariff(
    "Depot standard",
    energy_per_kwh_minor=345,
    idle_per_minute_minor=200,
    idle_grace_minutes=15,
    start_fee_minor=500,
    bands=(TariffBand("Peak", frozenset(range(5)), time(7), time(9), 550),),
)


@pytest.fixture
def view(window: MainWindow, qtbot: QtBot) -> TariffsView:
    window.tabs.setCurrentWidget(window.tariffs_tab)
    qtbot.waitUntil(lambda: window.tariffs_tab.view is not None, timeout=5000)
    return window.tariffs


def stored(host: EngineHost, include_archived: bool = False) -> list[StoredTariff]:
    return host.submit(lambda s: s.tariffs.list(include_archived)).result(5)


def cell(view: TariffsView, row: int, column: int) -> str:
    return str(view.model.data(view.model.index(row, column)))


def test_the_tariffs_tab_is_built_only_when_opened(window: MainWindow, qtbot: QtBot) -> None:
    assert window.tariffs_tab.view is None, "cold start does not pay for it"
    window.tabs.setCurrentWidget(window.tariffs_tab)
    qtbot.waitUntil(lambda: window.tariffs_tab.view is not None, timeout=5000)


def test_saving_a_new_tariff_stores_it_through_the_service(
    view: TariffsView, host: EngineHost, qtbot: QtBot
) -> None:
    view.new_button.click()
    editor = view.editor
    editor.name.setText("Depot standard")
    editor.amounts[Field.ENERGY].setText("3,45")
    editor.amounts[Field.START_FEE].setText("5.00")
    editor.amounts[Field.IDLE].setText("2")
    editor.idle_grace.setValue(15)
    editor.bands.add_band(BandDraft("Peak", frozenset(range(5)), time(7), time(9), "5,50"))
    editor.save_button.click()

    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.list_page, timeout=5000)
    assert [t.tariff for t in stored(host)] == [DEPOT]
    assert view.notice.text() == "Tariff “Depot standard” saved."
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert cell(view, 0, 1) == "3.45 SEK/kWh · start 5.00 SEK · idle 2.00 SEK/min"
    assert cell(view, 0, 2) == "Peak Mon–Fri 07:00–09:00"
    assert cell(view, 0, 3) == "not assigned"


def test_a_name_already_taken_is_refused_and_nothing_is_stored(
    view: TariffsView, host: EngineHost, qtbot: QtBot
) -> None:
    host.submit(lambda s: s.tariffs.create(DEPOT)).result(5)
    view.new_button.click()
    view.editor.name.setText("depot STANDARD")
    view.editor.save_button.click()
    qtbot.waitUntil(lambda: bool(view.editor.general_problem.text()), timeout=5000)
    assert "Depot standard" in view.editor.general_problem.text()
    assert view.pages.currentWidget() is view.editor, "what was typed is still there"
    assert view.editor.save_button.isEnabled()
    assert [t.name for t in stored(host)] == ["Depot standard"]


def test_editing_changes_the_tariff_and_duplicating_makes_a_new_one(
    view: TariffsView, host: EngineHost, qtbot: QtBot
) -> None:
    created = host.submit(lambda s: s.tariffs.create(DEPOT)).result(5)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    view.select(created.id)
    view.edit_button.click()
    editor = view.editor
    assert editor.title.text() == "Edit tariff “Depot standard”"
    assert editor.amounts[Field.ENERGY].text() == "3.45"
    assert not editor.is_dirty()
    editor.amounts[Field.ENERGY].setText("3,95")
    editor.save_button.click()
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.list_page, timeout=5000)
    assert (
        host.submit(lambda s: s.tariffs.get(created.id)).result(5).tariff.energy_per_kwh_minor
        == 395
    )

    qtbot.waitUntil(lambda: cell(view, 0, 1).startswith("3.95"), timeout=5000)
    view.select(created.id)
    view.duplicate_button.click()
    assert editor.name.text() == "Depot standard (copy)"
    assert editor.tariff_id is None
    editor.save_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    copy = next(t for t in stored(host) if t.id != created.id)
    assert copy.tariff.bands == DEPOT.bands
    assert copy.tariff.energy_per_kwh_minor == 395


def test_archiving_is_confirmed_and_refused_while_the_tariff_is_assigned(
    view: TariffsView, host: EngineHost, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = host.submit(lambda s: s.tariffs.create(DEPOT)).result(5)
    host.submit(lambda s: s.tariffs.assign(created.id)).result(5)
    qtbot.waitUntil(lambda: cell(view, 0, 3) == "Everywhere", timeout=5000)

    monkeypatch.setattr(tariffs, "confirm", lambda *_: False)
    view.select(created.id)
    view.archive_button.click()
    assert stored(host), "cancelled: nothing happens"

    monkeypatch.setattr(tariffs, "confirm", lambda *_: True)
    view.archive_button.click()
    qtbot.waitUntil(lambda: view.notice.isVisible(), timeout=5000)
    assert "still assigned" in view.notice.text()
    assert view.notice.text()[0].isupper()
    assert [t.id for t in stored(host)] == [created.id]

    view.assignment_table.selectRow(0)
    view.unassign_button.click()
    qtbot.waitUntil(lambda: view.assignments.rowCount() == 0, timeout=5000)
    view.select(created.id)
    view.archive_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)
    assert stored(host) == []
    assert [t.archived for t in stored(host, include_archived=True)] == [True]

    view.show_archived.setChecked(True)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert cell(view, 0, 0) == "Depot standard (archived)"
    view.select(created.id)
    assert view.archive_button.text() == "&Restore"
    assert not view.edit_button.isEnabled()
    view.archive_button.click()
    qtbot.waitUntil(lambda: stored(host) != [], timeout=5000)


def test_assigning_a_tariff_to_a_site_shows_where_it_applies(
    view: TariffsView, host: EngineHost, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = host.submit(lambda s: s.tariffs.create(DEPOT)).result(5)
    site = host.submit(lambda s: s.sites.create_site("Depot", "North")).result(5)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    view.refresh()
    qtbot.waitUntil(lambda: bool(view.state.sites), timeout=5000)
    monkeypatch.setattr(
        tariff_assign,
        "choose_assignment",
        lambda _parent, _state, preferred: AssignRequest(preferred, TariffScope(site_id=site.id)),
    )
    view.select(created.id)
    view.assign_button.click()
    qtbot.waitUntil(lambda: view.assignments.rowCount() == 1, timeout=5000)
    assert view.notice.text() == "“Depot standard” now applies: Site: Depot — North."
    row = [view.assignments.data(view.assignments.index(0, c)) for c in range(3)]
    assert row == ["Site: Depot — North", "Everyone", "Depot standard"]
    assert cell(view, 0, 3) == "Site: Depot — North"
    assigned = host.submit(lambda s: s.tariffs.assignments()).result(5)
    assert [(a.tariff_id, a.scope) for a in assigned] == [(created.id, TariffScope(site.id))]


def test_a_fleet_price_at_a_station_is_listed_with_the_fleet_name(
    view: TariffsView, host: EngineHost, qtbot: QtBot
) -> None:
    created = host.submit(lambda s: s.tariffs.create(DEPOT)).result(5)
    fleet = host.submit(lambda s: s.access.create_fleet("Vans")).result(5)
    host.submit(lambda s: s.stations.add("CP-7")).result(5)
    host.submit(
        lambda s: s.tariffs.assign(created.id, station_id="CP-7", fleet_id=fleet.id)
    ).result(5)
    qtbot.waitUntil(lambda: view.assignments.rowCount() == 1, timeout=5000)
    row = [view.assignments.data(view.assignments.index(0, c)) for c in range(3)]
    assert row == ["Station: CP-7", "Fleet: Vans", "Depot standard"]
    assert cell(view, 0, 3) == "Station: CP-7, Fleet: Vans"
    dialog = AssignTariffDialog(view.state, created.id)
    qtbot.addWidget(dialog)
    assert [dialog.group.itemText(i) for i in range(dialog.group.count())] == [
        "Everyone",
        "Fleet: Vans",
    ]


def test_the_assign_dialog_offers_places_and_says_what_it_replaces(
    view: TariffsView, host: EngineHost, qtbot: QtBot
) -> None:
    first = host.submit(lambda s: s.tariffs.create(DEPOT)).result(5)
    second = host.submit(lambda s: s.tariffs.create(Tariff("Visitors", 495))).result(5)
    host.submit(lambda s: s.tariffs.assign(first.id)).result(5)
    host.submit(lambda s: s.sites.create_site("Garage")).result(5)
    host.submit(lambda s: s.stations.add("CP-7")).result(5)
    view.refresh()
    qtbot.waitUntil(lambda: view.assignments.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: view.state.station_ids == ["CP-7"], timeout=5000)

    dialog = AssignTariffDialog(view.state, second.id)
    qtbot.addWidget(dialog)
    places = [dialog.place.itemText(i) for i in range(dialog.place.count())]
    assert places == ["Everywhere", "Site: Garage", "Station: CP-7"]
    assert dialog.tariff.currentText() == "Visitors"
    assert dialog.replaces.text() == "This replaces “Depot standard” there."
    assert dialog.ok_button.isEnabled()
    dialog.tariff.setCurrentIndex(dialog.tariff.findData(first.id))
    assert dialog.problem_label.text() == "This tariff already applies there."
    assert not dialog.ok_button.isEnabled()
    dialog.place.setCurrentIndex(2)
    assert dialog.ok_button.isEnabled()
    assert dialog.scope() == TariffScope(station_id="CP-7")
