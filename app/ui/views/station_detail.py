"""Station detail: identity, live connectors, controls, configuration and recent events.

`open_station(window, station_id)` adds the view as a closable tab (or focuses
the one already open). Live state comes from the site overview that the main
window folds events into; stored data (identity, the last configuration read)
comes through EngineOp, so everything but actions works with the station offline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QStyle,
    QTabBar,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain import events as ev
from app.domain.model import EventRecord, Station
from app.domain.overview import SiteOverview
from app.ui.dialogs.prompts import DialogPrompts, StationPrompts
from app.ui.engine_host import EngineHost
from app.ui.icons import icon
from app.ui.operations import EngineOp
from app.ui.views.configuration_table import ConfigurationPanel
from app.ui.views.station_actions import ActionHistoryTable, ActionRunner, ActionStatusLine
from app.ui.views.station_connectors import COLUMNS, StationConnectorsModel
from app.ui.views.station_controls import StationControls
from app.ui.views.station_events import RecentEventsTable
from app.ui.views.station_identity import IdentityPanel, StationHeader
from app.ui.views.station_rules import Control, Situation
from app.ui.views.station_style import soft_selection

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

# Events after which the stored station record (identity, admission, statuses) is re-read.
_IDENTITY_EVENTS = (
    ev.StationBooted,
    ev.StationAdmissionChanged,
    ev.StationConnected,
    ev.StationDisconnected,
    ev.FirmwareStatusChanged,
    ev.DiagnosticsStatusChanged,
)


MAX_VISIBLE_CONNECTORS = 8


def _tr(text: str) -> str:
    return QCoreApplication.translate("StationDetail", text)


def view_name(station_id: str) -> str:
    return f"station:{station_id}"


class StationDetailView(QWidget):
    def __init__(
        self,
        host: EngineHost,
        overview: SiteOverview,
        station_id: str,
        parent: QWidget | None = None,
        prompts: StationPrompts | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.overview = overview
        self.station_id = station_id
        self.prompts: StationPrompts = prompts or DialogPrompts()
        self.station: Station | None = None
        self.runner = ActionRunner(host, station_id, self)

        self.header = StationHeader(station_id, self)
        self.identity = IdentityPanel(self)
        self.connectors = StationConnectorsModel(overview, station_id, self)
        self.connector_table = self._make_connector_table()
        self.controls = StationControls(host, station_id, self.runner, lambda: self.prompts, self)
        self.status_line = ActionStatusLine(self.runner, self)
        self.configuration = ConfigurationPanel(
            host, station_id, self.runner, lambda: self.prompts, self
        )
        self.events = RecentEventsTable(station_id, self)
        self.history = ActionHistoryTable(self.runner, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.configuration, _tr("Configuration"))
        self.tabs.addTab(self.events, _tr("Recent events"))
        self.tabs.addTab(self.history, _tr("Actions sent"))
        self._layout()

        self.runner.changed.connect(lambda _r: self._apply_rules())
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.connectors.refresh_durations)
        self._tick.start()
        self._identity_pending = False
        self._select_first_connector()
        self._refresh_live()
        self.reload_identity()
        self._load_stored_events()
        self.configuration.load_stored()

    def _make_connector_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.connectors)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("id_tag"), QHeaderView.ResizeMode.Stretch)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        soft_selection(table)
        selection = table.selectionModel()
        selection.selectionChanged.connect(lambda _s, _d: self._apply_rules())
        return table

    def _layout(self) -> None:
        connectors_box = QGroupBox(_tr("Connectors"), self)
        box_layout = QVBoxLayout(connectors_box)
        box_layout.addWidget(self.connector_table)
        top_row = QHBoxLayout()
        top_row.addWidget(self.identity, 4)
        top_row.addWidget(connectors_box, 6)

        upper = self._upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.header)
        upper_layout.addLayout(top_row, 1)
        upper_layout.addWidget(self.controls)
        upper_layout.addWidget(self.status_line)

        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(self.tabs)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(splitter)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Row and header heights are only right once the style has been applied.
        QTimer.singleShot(0, self, self._fit_connector_table)

    # ---- live state -------------------------------------------------------------------

    @property
    def selected_connector(self) -> int | None:
        rows = self.connector_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.connectors.rows[rows[0].row()].connector_id

    def select_connector(self, connector_id: int) -> None:
        for i, row in enumerate(self.connectors.rows):
            if row.connector_id == connector_id:
                self.connector_table.selectionModel().select(
                    self.connectors.index(i, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                return

    def _select_first_connector(self) -> None:
        if self.selected_connector is None and self.connectors.rows:
            self.select_connector(self.connectors.rows[0].connector_id)

    def situation(self) -> Situation:
        rows = tuple(self.overview.station_rows(self.station_id))
        return Situation(rows, self.selected_connector)

    def _apply_rules(self) -> None:
        situation = self.situation()
        self.controls.update_situation(situation)
        reasons = self.controls.reasons
        self.configuration.set_allowed(
            reasons[Control.READ_CONFIGURATION],
            reasons[Control.EDIT_CONFIGURATION],
            reasons[Control.SOFT_RESET],
        )

    def _fit_connector_table(self) -> None:
        """As tall as its rows (two to eight), so the configuration gets the room."""
        table = self.connector_table
        rows = min(max(len(self.connectors.rows), 2), MAX_VISIBLE_CONNECTORS)
        row_height = table.verticalHeader().defaultSectionSize()
        height = table.horizontalHeader().sizeHint().height() + rows * row_height
        table.setFixedHeight(height + 2 * table.frameWidth())
        # The upper part has a natural height; the configuration and events get the rest.
        natural = self._upper.sizeHint().height()
        self._upper.setMaximumHeight(natural)
        sizes = self.splitter.sizes()
        if sizes and sizes[0] > natural:
            self.splitter.setSizes([natural, sum(sizes) - natural])

    def _refresh_live(self) -> None:
        selected = self.selected_connector
        self.connectors.refresh()
        self._fit_connector_table()
        if selected is not None and self.selected_connector is None:
            self.select_connector(selected)
        self._select_first_connector()
        situation = self.situation()
        self.header.show_situation(situation)
        last_seen = self.station.last_seen_at if self.station else None
        times = [r.last_message_at for r in situation.rows if r.last_message_at]
        self.identity.show_situation(situation, max(times) if times else last_seen)
        self._apply_rules()

    def on_events(self, batch: list[ev.DomainEvent], changed: set[tuple[str, int]]) -> None:
        """Called by MainWindow for every coalesced batch (at most ten a second)."""
        if any(station == self.station_id for station, _c in changed):
            self._refresh_live()
        self.events.add_events(batch)
        mine = [e for e in batch if e.station_id == self.station_id]
        if any(isinstance(e, ev.StationBooted) for e in mine):
            self.configuration.station_restarted()
        if any(isinstance(e, _IDENTITY_EVENTS) for e in mine):
            self.reload_identity()

    # ---- stored data --------------------------------------------------------------------

    def reload_identity(self) -> None:
        if self._identity_pending:
            return
        self._identity_pending = True
        station_id = self.station_id

        def loaded(station: Station) -> None:
            if not isValid(self):
                return
            self._identity_pending = False
            self.station = station
            self.header.show_station(station)
            self.identity.show_station(station)
            self._refresh_live()

        def failed(message: str, _exc: BaseException) -> None:
            if not isValid(self):
                return
            self._identity_pending = False
            self.header.subtitle.setText(message)

        EngineOp(self.host, lambda s: s.stations.get(station_id)).success(loaded).failure(
            failed
        ).run()

    def _load_stored_events(self) -> None:
        station_id = self.station_id

        def loaded(records: list[EventRecord]) -> None:
            if isValid(self):
                self.events.add_records(records)

        EngineOp(self.host, lambda s: s.stations.recent_events(station_id)).success(loaded).run()

    def shutdown(self) -> None:
        self._tick.stop()


def open_station(window: MainWindow, station_id: str) -> StationDetailView:
    """Add a closable tab for the station, or bring forward the one already open."""
    name = view_name(station_id)
    existing = window.views.get(name)
    if isinstance(existing, StationDetailView):
        window.tabs.setCurrentWidget(existing)
        return existing
    view = StationDetailView(window.host, window.overview, station_id, window.tabs)
    # Not add_view(): that binds a Ctrl+N shortcut, which must not outlive a closed tab.
    window.views[name] = view
    index = window.tabs.addTab(view, icon("station"), station_id)
    window.tabs.setTabToolTip(index, _tr("Station {station}").format(station=station_id))
    close = QToolButton(window.tabs)
    close.setAutoRaise(True)
    close.setIcon(view.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
    close.setToolTip(_tr("Close {station} (Ctrl+W)").format(station=station_id))
    close.clicked.connect(lambda: close_station(window, station_id))
    window.tabs.tabBar().setTabButton(index, QTabBar.ButtonPosition.RightSide, close)
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), view)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(lambda: close_station(window, station_id))
    window.tabs.setCurrentWidget(view)
    return view


def close_station(window: MainWindow, station_id: str) -> None:
    view = window.views.pop(view_name(station_id), None)
    if not isinstance(view, StationDetailView):
        return
    view.shutdown()
    index = window.tabs.indexOf(view)
    if index >= 0:
        window.tabs.removeTab(index)
    view.deleteLater()


def open_stations_from(window: MainWindow) -> None:
    """Double-click in the status grid opens the station (the hook for MainWindow)."""
    window.grid.station_activated.connect(lambda station_id: open_station(window, station_id))
