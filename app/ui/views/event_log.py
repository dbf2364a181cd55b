"""The full event log: filter by severity, kind and station, search, page."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import events as ev
from app.domain.alarms import (
    EventPage,
    EventQuery,
)
from app.domain.model import EventRecord, Severity
from app.domain.overview import SiteOverview
from app.services.container import Services
from app.ui.engine_host import EngineHost
from app.ui.operations import Reloader
from app.ui.table_model import Index, RowsTableModel
from app.ui.views.alarm_style import local_time, severity_icon, severity_label

log = logging.getLogger(__name__)


LOG_COLUMNS = ("severity", "time", "station", "kind", "message")
PAGE_SIZE = 100
LIVE_REFRESH_MS = 1000
# Meter values are not logged: a batch of only these cannot change the log.
NOT_LOGGED: tuple[type[ev.DomainEvent], ...] = (ev.MeterValuesReceived,)


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventLog", text)


class EventLogTableModel(RowsTableModel[EventRecord]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            LOG_COLUMNS,
            {
                "severity": _tr("Severity"),
                "time": _tr("Time"),
                "station": _tr("Station"),
                "kind": _tr("Kind"),
                "message": _tr("Message"),
            },
            parent,
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.row_at(index.row())
        column = LOG_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "severity": severity_label(record.severity),
                "time": local_time(record.timestamp),
                "station": record.station_id or "",
                "kind": record.kind,
                "message": record.message,
            }[column]
        if role == Qt.ItemDataRole.DecorationRole and column == "severity":
            return severity_icon(record.severity)
        if role == Qt.ItemDataRole.ToolTipRole and column == "message":
            return record.message
        return None


class EventLogPanel(QWidget):
    """Every logged event, newest first, filtered in the store and read a page at a time."""

    def __init__(
        self, host: EngineHost, overview: SiteOverview, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._overview = overview
        self._offset = 0
        self._reload: Reloader[tuple[EventPage, list[str]]] = Reloader(
            self, host, self._loaded, self._failed, self.refresh
        )
        self.page: EventPage | None = None

        self.severity = QComboBox(self)
        self.severity.addItem(_tr("All severities"), None)
        for severity in (Severity.ALARM, Severity.WARNING, Severity.INFO):
            self.severity.addItem(severity_icon(severity), severity_label(severity), severity)
        self.kind = QComboBox(self)
        self.kind.setMinimumContentsLength(18)
        self.kind.addItem(_tr("All kinds"), None)
        self.station = QComboBox(self)
        self._listed_stations: set[str] = set()
        self.station.setMinimumContentsLength(14)
        self.station.addItem(_tr("All stations"), None)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_tr("Search messages, stations, kinds…"))
        self.search.setClearButtonEnabled(True)
        self._search_delay = QTimer(self)
        self._search_delay.setSingleShot(True)
        self._search_delay.setInterval(250)
        self._search_delay.timeout.connect(self.first_page)
        self.search.textChanged.connect(lambda _t: self._search_delay.start())
        self._hidden_changes = False
        self._live_delay = QTimer(self)
        self._live_delay.setSingleShot(True)
        self._live_delay.setInterval(LIVE_REFRESH_MS)
        self._live_delay.timeout.connect(self.refresh)
        for combo in (self.severity, self.kind, self.station):
            combo.currentIndexChanged.connect(lambda _i: self.first_page())

        self.model = EventLogTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for i, width in enumerate((120, 160, 130, 180)):
            header.resizeSection(i, width)
        header.setSectionResizeMode(len(LOG_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

        self.previous_button = QPushButton(_tr("◀ Newer"), self)
        self.previous_button.clicked.connect(lambda: self._go(self._offset - PAGE_SIZE))
        self.next_button = QPushButton(_tr("Older ▶"), self)
        self.next_button.clicked.connect(lambda: self._go(self._offset + PAGE_SIZE))
        self.position = QLabel(self)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.severity, 1)
        filters.addWidget(self.kind, 1)
        filters.addWidget(self.station, 1)
        paging = QHBoxLayout()
        paging.addWidget(self.position, 1)
        paging.addWidget(self.previous_button)
        paging.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)
        self._fill_stations()
        self.refresh()

    def on_events(self, batch: list[ev.DomainEvent], _changed: set[tuple[str, int]]) -> None:
        self._fill_stations()
        # Only the newest page moves; an operator reading older pages keeps their place.
        if self._offset != 0 or all(isinstance(e, NOT_LOGGED) for e in batch):
            return
        # Counting a long log costs the store: read it only when someone looks, once a second.
        if not self.isVisible():
            self._hidden_changes = True
        elif not self._live_delay.isActive():
            self._live_delay.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._hidden_changes:
            self._hidden_changes = False
            self.refresh()

    def query(self) -> EventQuery:
        severity = self.severity.currentData()  # Qt hands the enum back as its value
        return EventQuery(
            kind=self.kind.currentData(),
            severity=Severity(severity) if severity else None,
            station_id=self.station.currentData(),
            text=self.search.text(),
            offset=self._offset,
            limit=PAGE_SIZE,
        )

    def first_page(self) -> None:
        self._go(0)

    def _go(self, offset: int) -> None:
        self._offset = max(0, offset)
        self.refresh()

    def refresh(self) -> None:
        query = self.query()

        async def load(s: Services) -> tuple[EventPage, list[str]]:
            return await s.alarms.events(query), await s.alarms.event_kinds()

        self._reload.start(load)

    def _loaded(self, result: tuple[EventPage, list[str]]) -> None:
        page, kinds = result
        self.page = page
        self._fill_kinds(kinds)
        self.model.set_rows(page.records)
        if page.total:
            self.position.setText(
                _tr("Page {page} of {pages} · {total} entries").format(
                    page=page.page, pages=page.pages, total=page.total
                )
            )
        else:
            self.position.setText(_tr("No entries match"))
        self.previous_button.setEnabled(page.has_previous)
        self.next_button.setEnabled(page.has_next)

    def _failed(self, message: str) -> None:
        self.position.setText(_tr("Could not read the event log: {why}").format(why=message))

    def _fill_kinds(self, kinds: Iterable[str]) -> None:
        known = {self.kind.itemData(i) for i in range(1, self.kind.count())}
        for kind in kinds:
            if kind not in known:
                self.kind.addItem(kind, kind)

    def _fill_stations(self) -> None:
        stations = self._overview.stations()
        if len(stations) == len(self._listed_stations):
            return  # stations are only ever added, so the same count means nothing new
        for station in sorted(stations - self._listed_stations):
            self._listed_stations.add(station)
            self.station.addItem(station, station)
