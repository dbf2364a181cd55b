"""The site map: live markers on a floor plan, dragged into place and stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.domain.model import ConnectorStatus
from app.domain.sites import StationPosition
from app.ui.engine_host import EngineHost
from app.ui.main_window import MainWindow
from app.ui.status_style import STATUS_COLOURS
from app.ui.views.site_map import SiteMapView
from app.ui.views.station_marker import StationMarker, marker_colour
from tests.fakes.threaded_charger import ThreadedCharger

SAMPLE = Path(__file__).parents[2] / "app" / "ui" / "resources" / "sample_floor_plan.svg"
Factory = Callable[..., ThreadedCharger]


def open_map(window: MainWindow, qtbot: QtBot, *, sample: bool) -> SiteMapView:
    view = SiteMapView(window.host, window.overview, window, create_sample_site=sample)
    window.add_view("site_map", view, "Site map")
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.loads > 0, timeout=5000)
    return view


@pytest.fixture
def sample_map(window: MainWindow, qtbot: QtBot) -> SiteMapView:
    return open_map(window, qtbot, sample=True)


@pytest.fixture
def plain_map(window: MainWindow, qtbot: QtBot) -> SiteMapView:
    return open_map(window, qtbot, sample=False)


def marker(view: SiteMapView, station_id: str) -> StationMarker:
    return view.scene.markers[station_id]


def stored_positions(host: EngineHost) -> dict[str, StationPosition]:
    positions = host.submit(lambda s: s.sites.positions()).result(5)
    return {p.station_id: p for p in positions}


def settled(view: SiteMapView, station_id: str, connectors: int = 2) -> bool:
    """Every connector has reported Available (booting stations report one by one)."""
    summary = marker(view, station_id).summary
    return summary.connector_count == connectors and all(
        c.status is ConnectorStatus.AVAILABLE for c in summary.connectors
    )


def in_front(view: SiteMapView, qtbot: QtBot) -> None:
    """Show the map's tab (the window may switch tabs itself, e.g. leaving the welcome panel)."""
    window = view.window()
    assert isinstance(window, MainWindow)
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.canvas.viewport().isVisible(), timeout=2000)


def site_title(view: SiteMapView) -> str | None:
    return view.site.title if view.site else None


def shows_plan(view: SiteMapView) -> bool:
    return view.scene.has_plan


def viewport_point(view: SiteMapView, station_id: str) -> QPoint:
    return view.canvas.mapFromScene(marker(view, station_id).scenePos())


def send_mouse(widget: QWidget, kind: QEvent.Type, at: QPoint, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind,
        QPointF(at),
        QPointF(widget.mapToGlobal(at)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def test_the_first_use_creates_a_depot_and_puts_chargers_on_its_bays(
    sample_map: SiteMapView, host: EngineHost, charger_factory: Factory, qtbot: QtBot
) -> None:
    assert sample_map.site is not None
    assert sample_map.site.name == "Depot"
    assert sample_map.scene.has_plan
    assert len(sample_map.scene.bays) == 16
    charger_factory("CP-A", connectors=2)
    charger_factory("CP-B", connectors=1)
    qtbot.waitUntil(lambda: set(stored_positions(host)) == {"CP-A", "CP-B"}, timeout=5000)
    bays = dict(sample_map.scene.bays)
    assert bays["bay-A1"].contains(marker(sample_map, "CP-A").pos())
    assert bays["bay-A2"].contains(marker(sample_map, "CP-B").pos())
    qtbot.waitUntil(lambda: marker(sample_map, "CP-A").summary.connector_count == 2, timeout=5000)
    assert marker(sample_map, "CP-A").summary.status is ConnectorStatus.AVAILABLE
    assert "Connector 2" in marker(sample_map, "CP-A").toolTip()


def test_a_fault_turns_the_marker_red_then_offline_grey_repainting_only_it(
    sample_map: SiteMapView, charger_factory: Factory, qtbot: QtBot
) -> None:
    faulty = charger_factory("CP-F", connectors=2)
    charger_factory("CP-OK", connectors=2)
    qtbot.waitUntil(lambda: {"CP-F", "CP-OK"} <= set(sample_map.scene.markers), timeout=5000)
    qtbot.waitUntil(lambda: settled(sample_map, "CP-OK") and settled(sample_map, "CP-F"))
    quiet_before = marker(sample_map, "CP-OK").repaints
    faulty.do(lambda c: c.set_fault(2, "GroundFailure"))
    qtbot.waitUntil(
        lambda: marker(sample_map, "CP-F").summary.status is ConnectorStatus.FAULTED, timeout=5000
    )
    colour = marker_colour(marker(sample_map, "CP-F").summary)
    assert colour.name() == STATUS_COLOURS[ConnectorStatus.FAULTED]
    assert "GroundFailure" in marker(sample_map, "CP-F").toolTip()
    assert marker(sample_map, "CP-OK").repaints == quiet_before
    faulty.do(lambda c: c.go_offline())
    qtbot.waitUntil(
        lambda: marker(sample_map, "CP-F").summary.status is ConnectorStatus.OFFLINE, timeout=5000
    )
    assert (
        marker_colour(marker(sample_map, "CP-F").summary).name()
        == (STATUS_COLOURS[ConnectorStatus.OFFLINE])
    )


def test_dragging_a_marker_stores_its_position(
    sample_map: SiteMapView, host: EngineHost, charger_factory: Factory, qtbot: QtBot
) -> None:
    charger_factory("CP-D", connectors=1)
    qtbot.waitUntil(lambda: "CP-D" in stored_positions(host), timeout=5000)
    in_front(sample_map, qtbot)
    viewport = sample_map.canvas.viewport()
    start = viewport_point(sample_map, "CP-D")
    end = start + QPoint(90, 60)
    with qtbot.waitSignal(sample_map.position_saved, timeout=5000) as saved:
        send_mouse(viewport, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
        for step in range(1, 6):
            at = start + (end - start) * (step / 5)
            send_mouse(viewport, QEvent.Type.MouseMove, at, Qt.MouseButton.LeftButton)
        send_mouse(viewport, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    assert saved.args == ["CP-D"]
    moved_to = marker(sample_map, "CP-D").pos()
    stored = stored_positions(host)["CP-D"]
    assert sample_map.site is not None
    assert stored.site_id == sample_map.site.id
    assert (stored.x, stored.y) == pytest.approx((moved_to.x(), moved_to.y()))
    assert marker(sample_map, "CP-D").isSelected(), "a click selects the station"


def test_double_click_opens_the_station(
    sample_map: SiteMapView, charger_factory: Factory, qtbot: QtBot
) -> None:
    charger_factory("CP-2X", connectors=1)
    qtbot.waitUntil(lambda: "CP-2X" in sample_map.scene.markers, timeout=5000)
    in_front(sample_map, qtbot)
    with qtbot.waitSignal(sample_map.station_activated, timeout=2000) as opened:
        QTest.mouseDClick(
            sample_map.canvas.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            viewport_point(sample_map, "CP-2X"),
        )
    assert opened.args == ["CP-2X"]


def test_without_a_floor_plan_stations_stand_in_a_tidy_grid(
    plain_map: SiteMapView, charger_factory: Factory, qtbot: QtBot
) -> None:
    assert plain_map.site is None
    assert not plain_map.import_button.isEnabled()
    for n in range(5):
        charger_factory(f"GRID-{n}", connectors=1)
    qtbot.waitUntil(lambda: len(plain_map.scene.markers) == 5, timeout=10000)
    points = [marker(plain_map, f"GRID-{n}").pos() for n in range(5)]
    assert len({(p.x(), p.y()) for p in points}) == 5
    rows = sorted({p.y() for p in points})
    columns = sorted({p.x() for p in points})
    assert len(rows) == 2
    assert len(columns) == 3
    # Reading order: left to right, then the next row.
    assert points == sorted(points, key=lambda p: (p.y(), p.x()))
    for a in plain_map.scene.markers.values():
        for b in plain_map.scene.markers.values():
            if a is not b:
                assert not a.sceneBoundingRect().intersects(b.card_rect().translated(b.pos()))


def test_a_site_is_added_given_the_sample_plan_and_removed_after_confirmation(
    plain_map: SiteMapView, host: EngineHost, tmp_path: Path, qtbot: QtBot
) -> None:
    plain_map.ask_site = lambda _parent, _title, _name, _level: ("Garage", "Level 2")
    with qtbot.waitSignal(plain_map.map_loaded, timeout=5000):
        plain_map.add_site()
    assert plain_map.site is not None
    assert plain_map.site_picker.currentText() == "Garage — Level 2"
    assert not shows_plan(plain_map)

    bad = tmp_path / "plan.png"
    bad.write_bytes(b"this is not an image")
    plain_map.choose_file = lambda _parent: str(bad)
    plain_map.import_floor_plan()
    qtbot.waitUntil(lambda: plain_map.notice.isVisible(), timeout=5000)
    assert "PNG image or an SVG drawing" in plain_map.notice.text()
    assert not shows_plan(plain_map)

    plain_map.choose_file = lambda _parent: str(SAMPLE)
    with qtbot.waitSignal(plain_map.map_loaded, timeout=5000):
        plain_map.import_floor_plan()
    assert shows_plan(plain_map)
    assert plain_map.scene.plan_rect is not None
    assert plain_map.scene.plan_rect.width() == 1600
    assert len(plain_map.scene.bays) == 16

    plain_map.confirm = lambda _parent, _title, _question: False
    plain_map.remove_site()
    assert site_title(plain_map) == "Garage — Level 2", "not confirmed: nothing removed"
    plain_map.confirm = lambda _parent, _title, _question: True
    with qtbot.waitSignal(plain_map.map_loaded, timeout=5000):
        plain_map.remove_site()
    assert site_title(plain_map) is None
    assert host.submit(lambda s: s.sites.sites()).result(5) == []


def test_zoom_buttons_and_fit(sample_map: SiteMapView) -> None:
    before = sample_map.canvas.zoom
    sample_map.zoom_in_button.click()
    assert sample_map.canvas.zoom == pytest.approx(before * 1.25)
    sample_map.zoom_out_button.click()
    sample_map.zoom_out_button.click()
    assert sample_map.canvas.zoom == pytest.approx(before / 1.25)
    sample_map.fit_button.click()
    assert sample_map.canvas.zoom == pytest.approx(before, rel=0.05)


def test_a_hidden_map_catches_up_when_shown_again(
    sample_map: SiteMapView, window: MainWindow, charger_factory: Factory, qtbot: QtBot
) -> None:
    faulty = charger_factory("CP-H", connectors=2)
    qtbot.waitUntil(lambda: "CP-H" in sample_map.scene.markers, timeout=5000)
    qtbot.waitUntil(lambda: settled(sample_map, "CP-H"))
    window.tabs.setCurrentWidget(window.grid)
    faulty.do(lambda c: c.set_fault(1, "GroundFailure"))
    qtbot.waitUntil(
        lambda: window.overview.rows[("CP-H", 1)].status is ConnectorStatus.FAULTED, timeout=5000
    )
    qtbot.wait(300)  # a batch or two reaches the hidden map
    assert marker(sample_map, "CP-H").summary.status is not ConnectorStatus.FAULTED
    window.tabs.setCurrentWidget(sample_map)
    qtbot.waitUntil(
        lambda: marker(sample_map, "CP-H").summary.status is ConnectorStatus.FAULTED, timeout=3000
    )
