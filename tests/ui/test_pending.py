"""Pending stations: an unknown charger waits, an operator accepts or rejects it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.config import Settings, UnknownStationPolicy
from app.domain.alarms import AlarmCategory, AlarmFilter
from app.domain.model import Admission
from app.domain.sites import Site
from app.sim import SimulatedCharger
from app.ui.app import open_control_room
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.views import pending
from app.ui.views.pending import AcceptChoice, PendingStationsView
from tests.fakes.threaded_charger import ThreadedCharger
from tests.ui.conftest import TESTER


class UnbootedCharger(ThreadedCharger):
    """Connects without waiting to be accepted (a pending station never is, at first)."""

    @staticmethod
    async def _make(
        url: str, station_id: str, connectors: int, options: dict[str, Any]
    ) -> SimulatedCharger:
        charger = SimulatedCharger(station_id, url, connectors=connectors, **options)
        await charger.connect()
        return charger


@pytest.fixture
def pending_host(settings: Settings) -> Iterator[EngineHost]:
    engine_host = EngineHost(
        settings.with_overrides(
            unknown_stations=UnknownStationPolicy.PENDING, boot_retry_interval=1
        ),
        actor=TESTER,
    )
    engine_host.start()
    yield engine_host
    engine_host.stop()


@pytest.fixture
def pending_window(pending_host: EngineHost, qtbot: QtBot) -> Iterator[MainWindow]:
    main = open_control_room(pending_host)
    qtbot.addWidget(main)
    yield main
    main.close()


@pytest.fixture
def arriving(pending_host: EngineHost) -> Iterator[Callable[[str], ThreadedCharger]]:
    made: list[ThreadedCharger] = []

    def make(station_id: str) -> ThreadedCharger:
        url = f"ws://127.0.0.1:{pending_host.port}/ocpp"
        charger = UnbootedCharger(url, station_id, 1, reconnect_base=0.1, reconnect_cap=0.3)
        made.append(charger)
        return charger

    yield make
    for charger in made:
        charger.close()


def open_pending(window: MainWindow, host: EngineHost) -> PendingStationsView:
    view = PendingStationsView(host, window.overview, window)
    window.add_view("pending", view, "Pending stations")
    return view


def admission(host: EngineHost, station_id: str) -> Admission:
    return host.submit(lambda s: s.stations.get(station_id)).result(5).admission


def test_an_unknown_charger_is_listed_then_accepted_with_a_password_shown_once(
    pending_window: MainWindow,
    pending_host: EngineHost,
    arriving: Callable[[str], ThreadedCharger],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = open_pending(pending_window, pending_host)
    counts: list[int] = []
    view.pending_changed.connect(counts.append)
    sim = arriving("NEW-1")
    qtbot.waitUntil(lambda: view.model.station_ids() == ["NEW-1"], timeout=5000)
    assert counts == [1]
    qtbot.waitUntil(lambda: sim.charger.boot_status == "Pending", timeout=5000)
    row = view.model.row_at(0)
    assert row.address == "127.0.0.1"
    assert row.first_seen is not None
    assert row.connected

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        pending, "choose_password", lambda _p, _s, _sites=(): AcceptChoice("depot-secret-42")
    )
    monkeypatch.setattr(pending, "show_password", lambda _p, s, pw: shown.append((s, pw)))
    view.select("NEW-1")
    view.accept_button.click()
    qtbot.waitUntil(lambda: sim.charger.is_online, timeout=5000)
    assert sim.charger.boot_status == "Accepted"
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)
    assert view.empty.isVisibleTo(view)
    # Shown once the boot it asked for is answered, which may be after the row went.
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == [("NEW-1", "depot-secret-42")]
    assert admission(pending_host, "NEW-1") is Admission.ACCEPTED
    assert pending_host.submit(lambda s: s.stations.get("NEW-1")).result(5).has_password
    waiting = pending_host.submit(
        lambda s: s.alarms.find(AlarmFilter(station_id="NEW-1", include_acknowledged=False))
    ).result(5)
    assert not [a for a in waiting if a.category is AlarmCategory.PENDING]


def test_a_rejected_charger_is_refused_from_then_on(
    pending_window: MainWindow,
    pending_host: EngineHost,
    arriving: Callable[[str], ThreadedCharger],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = open_pending(pending_window, pending_host)
    sim = arriving("ROGUE-1")
    qtbot.waitUntil(lambda: view.model.station_ids() == ["ROGUE-1"], timeout=5000)

    monkeypatch.setattr(pending, "confirm", lambda *_: False)
    view.reject_button.click()
    assert admission(pending_host, "ROGUE-1") is Admission.PENDING, "cancel changes nothing"

    monkeypatch.setattr(pending, "confirm", lambda *_: True)
    view.reject_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)
    assert admission(pending_host, "ROGUE-1") is Admission.REJECTED
    # The charger boots again after the retry interval and is told it is rejected.
    qtbot.waitUntil(lambda: sim.charger.boot_status == "Rejected", timeout=5000)

    sim.do(lambda c: c.drop_connection())

    def refused() -> bool:
        found = pending_host.submit(
            lambda s: s.alarms.find(AlarmFilter(station_id="ROGUE-1", include_acknowledged=False))
        ).result(5)
        return any(a.category is AlarmCategory.REFUSED for a in found)

    qtbot.waitUntil(refused, timeout=5000)
    assert not sim.charger.is_online


def test_the_accept_dialog_generates_or_checks_a_password_and_shows_it_once(qtbot: QtBot) -> None:
    dialog = pending.AcceptStationDialog("NEW-9")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    generated = dialog.choice()
    assert generated.generated
    assert generated.password is not None
    assert len(generated.password) == 40
    dialog.typed.setChecked(True)
    dialog.password.setText("short")
    assert not ok.isEnabled(), "the service would refuse fewer than 8 characters"
    dialog.password.setText("long-enough")
    assert ok.isEnabled()
    assert dialog.choice() == AcceptChoice("long-enough")
    dialog.none.setChecked(True)
    assert dialog.choice() == AcceptChoice(None)

    shown = pending.PasswordOnceDialog("NEW-9", "depot-secret-42")
    qtbot.addWidget(shown)
    assert shown.field.text() == "depot-secret-42"
    assert shown.field.isReadOnly()
    shown.copy.click()
    assert QGuiApplication.clipboard().text() == "depot-secret-42"


def test_accepting_onto_a_site_places_the_station_there(
    pending_window: MainWindow,
    pending_host: EngineHost,
    arriving: Callable[[str], ThreadedCharger],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = pending_host.submit(lambda s: s.sites.create_site("Garage", "Level 2")).result(5)
    view = open_pending(pending_window, pending_host)
    arriving("NEW-SITE")
    qtbot.waitUntil(lambda: view.model.station_ids() == ["NEW-SITE"], timeout=5000)
    view.refresh()
    offered: list[list[str]] = []

    def choose(_parent: object, _station: str, sites: Sequence[Site] = ()) -> AcceptChoice:
        offered.append([s.name for s in sites])
        return AcceptChoice(None, site_id=site.id)

    monkeypatch.setattr(pending, "choose_password", choose)
    qtbot.waitUntil(lambda: bool(view._sites), timeout=5000)
    view.select("NEW-SITE")
    view.accept_button.click()
    qtbot.waitUntil(lambda: admission(pending_host, "NEW-SITE") is Admission.ACCEPTED, timeout=5000)
    assert offered == [["Garage"]]
    positions = pending_host.submit(lambda s: s.sites.positions(site.id)).result(5)
    assert [p.station_id for p in positions] == ["NEW-SITE"]
