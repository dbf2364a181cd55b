"""Site map: a floor plan per site or level, with every station live where it stands.

Stations are markers the operator drags into place (stored through the site
service on drop), coloured by their most relevant connector (see
app.domain.sites.MARKER_PRIORITY). Updates come only from on_events; the
database is read when the operator picks a site, never polled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.events import DomainEvent
from app.domain.overview import SiteOverview
from app.domain.sites import FloorPlan, Site, StationPosition, summarize_station
from app.services.container import Services
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp
from app.ui.views.site_map_prompts import (
    AskSite,
    ChooseFile,
    Confirm,
    ask_site_details,
    choose_floor_plan_file,
    confirm,
)
from app.ui.views.site_map_scene import MapCanvas, SiteMapScene
from app.ui.views.station_marker import marker_legend

log = logging.getLogger(__name__)

SAMPLE_SITE_NAME = "Depot"
ZOOM_STEP = 1.25
NOTICE_MS = 10_000


def _tr(text: str) -> str:
    return QCoreApplication.translate("SiteMap", text)


def sample_floor_plan() -> bytes:
    """The depot drawing that ships for the demo (bays marked id="bay-A1"…)."""
    return resources.files("app.ui").joinpath("resources/sample_floor_plan.svg").read_bytes()


@dataclass(frozen=True, slots=True)
class MapData:
    sites: list[Site]
    site: Site | None
    plan: FloorPlan | None
    positions: list[StationPosition]


async def load_map(services: Services, site_id: int | None, sample: bytes | None) -> MapData:
    """What the map needs for one site; creates the demo site first if asked and none exists."""
    sites = await services.sites.sites()
    if not sites and sample is not None:
        sites = [await services.sites.ensure_first_site(SAMPLE_SITE_NAME, sample)]
    site = next((s for s in sites if s.id == site_id), sites[0] if sites else None)
    plan = None
    if site is not None and site.has_floor_plan:
        plan = await services.sites.floor_plan(site.id)
    return MapData(sites, site, plan, await services.sites.positions())


class SiteMapView(QWidget):
    station_activated = Signal(str)
    station_selected = Signal(str)
    map_loaded = Signal()
    position_saved = Signal(str)

    def __init__(
        self,
        host: EngineHost,
        overview: SiteOverview,
        parent: QWidget | None = None,
        *,
        create_sample_site: bool = True,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.overview = overview
        self.create_sample_site = create_sample_site
        self.choose_file: ChooseFile = choose_floor_plan_file
        self.ask_site: AskSite = ask_site_details
        self.confirm: Confirm = confirm
        self.sites: list[Site] = []
        self.site: Site | None = None
        self.positions: dict[str, StationPosition] = {}
        self._behind: set[str] = set()  # stations changed while the map was hidden
        # station -> its connector ids, so a changed station's rows are found without
        # scanning the whole overview (a thousand stations, ten flushes a second).
        self._connectors: dict[str, set[int]] = {}
        self._index(self.overview.rows)
        self._fit_after_load = True
        self._tooltips: dict[QToolButton, str] = {}
        self.loads = 0  # completed loads; the first may finish before anyone could connect

        self.scene = SiteMapScene(self)
        self.canvas = MapCanvas(self.scene, self)
        self.scene.marker_moved.connect(self._store_position)
        self.scene.station_activated.connect(self.station_activated)
        self.scene.station_selected.connect(self.station_selected)
        self._build()
        self._show_stations(self._connectors)
        self.scene.layout_unplaced()
        self.reload()

    # ---- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.site_picker = QComboBox(self)
        self.site_picker.setMinimumContentsLength(18)
        self.site_picker.setPlaceholderText(_tr("No site yet"))
        self.site_picker.activated.connect(self._site_picked)

        def button(text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
            b = QToolButton(self)
            b.setText(text)
            b.setToolTip(tip)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.clicked.connect(slot)
            return b

        self.add_button = button(_tr("Add site…"), _tr("Add a site or a level"), self.add_site)
        self.rename_button = button(_tr("Rename…"), _tr("Rename this site"), self.rename_site)
        self.remove_button = button(_tr("Remove…"), _tr("Remove this site"), self.remove_site)
        self.import_button = button(
            _tr("Import floor plan…"),
            _tr("Use a PNG or SVG drawing as this site's map"),
            self.import_floor_plan,
        )
        self.zoom_out_button = button("−", _tr("Zoom out (Ctrl+−)"), self.zoom_out)
        self.zoom_in_button = button("+", _tr("Zoom in (Ctrl++)"), self.zoom_in)
        self.fit_button = button(_tr("Fit"), _tr("Show the whole site (Ctrl+0)"), self.canvas.fit)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("Site:"), self))
        bar.addWidget(self.site_picker)
        for b in (self.add_button, self.rename_button, self.remove_button, self.import_button):
            bar.addWidget(b)
        bar.addStretch(1)
        for b in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(b)

        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(lambda: self.notice.setVisible(False))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(marker_legend(self))

        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
            (QKeySequence("Ctrl+0"), self.canvas.fit),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_site = self.site is not None
        for b in (self.rename_button, self.remove_button, self.import_button):
            b.setEnabled(has_site)
            usual = self._tooltips.setdefault(b, b.toolTip())
            b.setToolTip(usual if has_site else _tr("Add a site first"))
        self.scene.set_draggable(has_site)

    def show_notice(self, text: str, error: bool = True) -> None:
        colour = "#d0342c" if error else "#2f80c9"
        self.notice.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.notice.setText(text)
        self.notice.setVisible(True)
        self._notice_timer.start(NOTICE_MS)

    # ---- loading a site ------------------------------------------------------------------

    def reload(self, site_id: int | None = None, fit: bool = True) -> None:
        """Read the sites, the chosen site's plan and the stored positions (one engine call)."""
        wanted = site_id if site_id is not None else (self.site.id if self.site else None)
        sample = sample_floor_plan() if self.create_sample_site else None
        self._fit_after_load = fit
        EngineOp(self.host, lambda s: load_map(s, wanted, sample)).success(self._loaded).failure(
            lambda message, _exc: self.show_notice(message)
        ).run()

    def _loaded(self, data: MapData) -> None:
        self.sites = data.sites
        self.site = data.site
        self.positions = {p.station_id: p for p in data.positions}
        self.site_picker.blockSignals(True)
        self.site_picker.clear()
        for site in data.sites:
            self.site_picker.addItem(site.title, site.id)
        if data.site is not None:
            self.site_picker.setCurrentIndex(self.site_picker.findData(data.site.id))
        self.site_picker.blockSignals(False)
        if not self.scene.set_plan(data.plan):
            self.show_notice(_tr("The floor plan of this site cannot be drawn; showing a grid."))
        self.scene.clear_stations()
        self._show_stations(self._connectors)
        self.scene.layout_unplaced()
        self._update_buttons()
        self._put_new_stations_on_free_bays(self.scene.unplaced())
        if self._fit_after_load:
            self.canvas.fit()
        self.loads += 1
        self.map_loaded.emit()

    def _site_picked(self, index: int) -> None:
        site_id = self.site_picker.itemData(index)
        if isinstance(site_id, int) and (self.site is None or site_id != self.site.id):
            self.reload(site_id)

    # ---- stations ----------------------------------------------------------------------------

    def _show_stations(self, station_ids: Iterable[str]) -> list[str]:
        """Create or refresh markers for stations of this site; return the new ones."""
        new = []
        here = self.site.id if self.site else None
        for station_id in station_ids:
            position = self.positions.get(station_id)
            if position is not None and position.site_id != here:
                continue  # it stands on another site
            rows = self.overview.rows
            summary = summarize_station(
                station_id,
                [
                    rows[(station_id, c)]
                    for c in sorted(self._connectors.get(station_id, ()))
                    if (station_id, c) in rows
                ],
            )
            _marker, created = self.scene.show_station(summary)
            if created:
                new.append(station_id)
                if position is not None:
                    self.scene.place(station_id, QPointF(position.x, position.y))
        return new

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._behind:
            behind, self._behind = self._behind, set()
            self._show_stations(sorted(behind))

    def _index(self, keys: Iterable[tuple[str, int]]) -> None:
        for station_id, connector_id in keys:
            self._connectors.setdefault(station_id, set()).add(connector_id)

    def on_events(self, batch: list[DomainEvent], changed: set[tuple[str, int]]) -> None:
        """Repaint the markers of the stations whose rows changed, and only those.

        While the map is not on screen, changes are only noted; the markers catch up
        when it is shown again (a thousand busy stations would otherwise cost the
        window more than every other view together).
        """
        if not changed:
            return
        self._index(changed)
        stations = {station_id for station_id, _connector in changed}
        if not self.isVisible() and all(sid in self.scene.markers for sid in stations):
            self._behind |= stations
            return
        new = self._show_stations(sorted(stations))
        waiting = [sid for sid in new if sid not in self.positions]
        if waiting:
            self.scene.layout_unplaced()
            self._put_new_stations_on_free_bays(waiting)

    def _put_new_stations_on_free_bays(self, station_ids: list[str]) -> None:
        """Stations placed on no site go to this plan's free bays, in order, and are stored."""
        if self.site is None or not self.scene.bays:
            return
        unplaced_anywhere = [sid for sid in station_ids if sid not in self.positions]
        free = self.scene.free_bays()
        chosen = [
            StationPosition(sid, self.site.id, rect.center().x(), rect.center().y())
            for sid, (_bay, rect) in zip(unplaced_anywhere, free, strict=False)
        ]
        if not chosen:
            return
        for p in chosen:
            self.positions[p.station_id] = p
            self.scene.place(p.station_id, QPointF(p.x, p.y))
        self.scene.layout_unplaced()

        def failed(message: str, _exc: BaseException) -> None:
            for p in chosen:
                self.positions.pop(p.station_id, None)
                self.scene.placed.discard(p.station_id)
            self.scene.layout_unplaced()
            self.show_notice(message)

        EngineOp(self.host, lambda s: s.sites.place_stations(chosen)).failure(failed).run()

    def _store_position(self, station_id: str, at: QPointF) -> None:
        if self.site is None:
            return
        before = self.positions.get(station_id)
        position = StationPosition(station_id, self.site.id, at.x(), at.y())
        self.positions[station_id] = position
        self.scene.layout_unplaced()

        def stored(_: StationPosition) -> None:
            self.position_saved.emit(station_id)

        def failed(message: str, _exc: BaseException) -> None:
            if before is None:
                self.positions.pop(station_id, None)
                self.scene.unplace(station_id)
            else:
                self.positions[station_id] = before
                self.scene.place(station_id, QPointF(before.x, before.y))
            self.show_notice(_tr("The position was not saved: {reason}").format(reason=message))

        EngineOp(
            self.host, lambda s: s.sites.place_station(station_id, position.site_id, at.x(), at.y())
        ).success(stored).failure(failed).run()

    def selected_station(self) -> str | None:
        chosen = self.scene.selected_stations()
        return chosen[0] if chosen else None

    # ---- zoom ------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self.canvas.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.canvas.zoom_by(1 / ZOOM_STEP)

    # ---- site actions ------------------------------------------------------------------------

    def _after_change(self, site: Site) -> None:
        self.reload(site.id)

    def _failed(self, message: str, _exc: BaseException) -> None:
        self.show_notice(message)

    def add_site(self) -> None:
        answer = self.ask_site(self, _tr("Add site"), "", "")
        if answer is None:
            return
        name, level = answer
        EngineOp(self.host, lambda s: s.sites.create_site(name, level)).success(
            self._after_change
        ).failure(self._failed).run()

    def rename_site(self) -> None:
        site = self.site
        if site is None:
            return
        answer = self.ask_site(self, _tr("Rename site"), site.name, site.level)
        if answer is None:
            return
        name, level = answer
        EngineOp(self.host, lambda s: s.sites.rename_site(site.id, name, level)).success(
            lambda renamed: self.reload(renamed.id, fit=False)
        ).failure(self._failed).run()

    def remove_site(self) -> None:
        site = self.site
        if site is None:
            return
        question = _tr(
            "Remove the site {site} and its floor plan? Its stations stay known to ChargeDesk "
            "but are no longer placed on any map."
        ).format(site=site.title)
        if not self.confirm(self, _tr("Remove site"), question):
            return

        def removed(_: None) -> None:
            self.site = None
            self.reload()

        EngineOp(self.host, lambda s: s.sites.remove_site(site.id)).success(removed).failure(
            self._failed
        ).run()

    def import_floor_plan(self) -> None:
        site = self.site
        if site is None:
            return
        path = self.choose_file(self)
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            log.warning("cannot read floor plan %s: %s", path, exc)
            self.show_notice(
                _tr("The file could not be read: {reason}").format(reason=exc.strerror)
            )
            return
        EngineOp(self.host, lambda s: s.sites.import_floor_plan(site.id, data)).success(
            self._after_change
        ).failure(self._failed).run()
