"""Alarms and events: what needs a person, who acknowledged it, and the full event log.

The list is re-read from the store when an event that can raise or clear an
alarm arrives (never on a timer), so every open window agrees with the store.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import events as ev
from app.domain.alarms import (
    Alarm,
    AlarmFilter,
    AlarmList,
)
from app.domain.model import Severity
from app.domain.overview import SiteOverview
from app.services.container import Services
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp, Reloader
from app.ui.table_model import Index, RowsTableModel
from app.ui.views.alarm_style import (
    ALARM_TRIGGERS,
    ALL_CLEAR_COLOUR,
    SEVERITY_COLOURS,
    SOUND_SETTING,
    beep,
    category_label,
    local_time,
    operator_name,
    severity_icon,
    severity_label,
)
from app.ui.views.event_log import EventLogPanel

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Alarms", text)


COLUMNS = ("severity", "time", "station", "category", "message", "acknowledged")


class AlarmTableModel(RowsTableModel[Alarm]):
    """Alarm read models; unacknowledged rows bold, acknowledged ones muted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            COLUMNS,
            {
                "severity": _tr("Severity"),
                "time": _tr("Time"),
                "station": _tr("Station"),
                "category": _tr("What"),
                "message": _tr("Details"),
                "acknowledged": _tr("Acknowledged"),
            },
            parent,
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        alarm = self.row_at(index.row())
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(alarm, column)
        if role == Qt.ItemDataRole.DecorationRole and column == "severity":
            return severity_icon(alarm.severity)
        if role == Qt.ItemDataRole.FontRole and not alarm.acknowledged:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if alarm.acknowledged:
                return QColor("#8a8f98")
            if column == "severity":
                return QColor(SEVERITY_COLOURS[alarm.severity])
        if role == Qt.ItemDataRole.ToolTipRole and column == "message":
            return alarm.message
        return None

    @staticmethod
    def _display(alarm: Alarm, column: str) -> str:
        if column == "severity":
            return severity_label(alarm.severity)
        if column == "time":
            return local_time(alarm.timestamp)
        if column == "station":
            return alarm.station_id or ""
        if column == "category":
            return category_label(alarm.category)
        if column == "message":
            return alarm.message
        if alarm.acknowledged_at is None:
            return ""
        return _tr("{who}, {when}").format(
            who=alarm.acknowledged_by, when=local_time(alarm.acknowledged_at)
        )


class AlarmsView(QWidget):
    """Alarms (acknowledge one, or all of a station) and the event log, as sub-tabs."""

    unacknowledged_changed = Signal(int)

    def __init__(
        self, host: EngineHost, overview: SiteOverview, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._overview = overview
        self.unacknowledged = 0
        self._newest_seen: int | None = None
        self._reload: Reloader[AlarmList] = Reloader(
            self, host, self._loaded, self._load_failed, self.refresh
        )

        self.headline = QLabel(self)
        self.headline.setObjectName("alarmHeadline")
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"color: {SEVERITY_COLOURS[Severity.ALARM]};")
        self.notice.hide()

        self.show_acknowledged = QCheckBox(_tr("Show acknowledged"), self)
        self.show_acknowledged.setChecked(True)
        self.show_acknowledged.toggled.connect(lambda _on: self.refresh())
        self.station_filter = QComboBox(self)
        self._listed_stations: set[str] = set()
        self.station_filter.setMinimumContentsLength(14)
        self.station_filter.addItem(_tr("All stations"), None)
        self.station_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.sound = QCheckBox(_tr("Sound on new alarm"), self)
        self.sound.setChecked(bool(QSettings().value(SOUND_SETTING, False, type=bool)))
        self.sound.toggled.connect(lambda on: QSettings().setValue(SOUND_SETTING, on))

        self.model = AlarmTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        widths = {
            "severity": 110,
            "time": 160,
            "station": 130,
            "category": 170,
            "acknowledged": 220,
        }
        for i, name in enumerate(COLUMNS):
            if name == "message":
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            else:
                header.resizeSection(i, widths[name])
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.acknowledge_button = QPushButton(_tr("&Acknowledge"), self)
        self.acknowledge_button.setToolTip(_tr("Mark the selected alarms as seen by you"))
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.acknowledge_station_button = QPushButton(_tr("Acknowledge all for &station"), self)
        self.acknowledge_station_button.clicked.connect(self.acknowledge_station_of_selected)

        filters = QHBoxLayout()
        filters.addWidget(self.headline, 1)
        filters.addWidget(self.station_filter)
        filters.addWidget(self.show_acknowledged)
        filters.addSpacing(12)
        filters.addWidget(self.sound)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice)
        buttons.addStretch(1)
        buttons.addWidget(self.acknowledge_button)
        buttons.addWidget(self.acknowledge_station_button)

        alarms_page = QWidget(self)
        alarms_layout = QVBoxLayout(alarms_page)
        alarms_layout.addLayout(filters)
        alarms_layout.addWidget(self.table, 1)
        alarms_layout.addLayout(buttons)

        self.event_log = EventLogPanel(host, overview, self)
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        self.pages.addTab(alarms_page, _tr("Alarms"))
        self.pages.addTab(self.event_log, _tr("Event log"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self._fill_stations(sorted(overview.stations()))
        self._show_count()
        self._update_buttons()
        self.refresh()

    # ---- live updates ----------------------------------------------------------

    def on_events(self, batch: list[ev.DomainEvent], changed: set[tuple[str, int]]) -> None:
        self._fill_stations(sorted(self._overview.stations()))
        if any(isinstance(e, ALARM_TRIGGERS) for e in batch):
            self.refresh()
        self.event_log.on_events(batch, changed)

    def refresh(self) -> None:
        """Re-read the alarms; a request while one is running is folded into one more."""
        query = AlarmFilter(
            station_id=self.station_filter.currentData(),
            include_acknowledged=self.show_acknowledged.isChecked(),
        )

        def load(s: Services) -> Any:
            return s.alarms.overview(query)

        self._reload.start(load)

    def _loaded(self, listing: AlarmList) -> None:
        selected = {a.event_id for a in self.selected_alarms()}
        self.model.set_rows(listing.alarms)
        self._reselect(selected)
        newest = listing.newest_unacknowledged_id
        if (
            newest is not None
            and self._newest_seen is not None
            and newest > self._newest_seen
            and self.sound.isChecked()
        ):
            beep()
        if newest is not None:
            self._newest_seen = max(newest, self._newest_seen or 0)
        elif self._newest_seen is None:
            self._newest_seen = 0
        if listing.unacknowledged != self.unacknowledged:
            self.unacknowledged = listing.unacknowledged
            self.unacknowledged_changed.emit(self.unacknowledged)
        self._show_count()
        self._update_buttons()

    def _load_failed(self, message: str) -> None:
        self._say(_tr("Could not read the alarms: {why}").format(why=message))

    def _fill_stations(self, stations: Iterable[str]) -> None:
        # Asking the combo box item by item costs more than the rest of a batch.
        new = [s for s in stations if s not in self._listed_stations]
        for station in new:
            self._listed_stations.add(station)
            self.station_filter.addItem(station, station)

    def _show_count(self) -> None:
        if self.unacknowledged:
            text = (
                _tr("1 unacknowledged alarm")
                if self.unacknowledged == 1
                else _tr("{n} unacknowledged alarms").format(n=self.unacknowledged)
            )
            colour = SEVERITY_COLOURS[Severity.ALARM]
        else:
            text = _tr("All clear: no unacknowledged alarms")
            colour = ALL_CLEAR_COLOUR
        self.headline.setText(
            f'<span style="color:{colour}; font-size:15pt">&#9679;</span>'
            f'&nbsp;<span style="font-size:12pt; font-weight:600">{text}</span>'
        )

    # ---- acknowledging ------------------------------------------------------------

    def selected_alarms(self) -> list[Alarm]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r) for r in rows if r < self.model.rowCount()]

    def select_alarm(self, event_id: int) -> None:
        self._reselect({event_id})

    def _reselect(self, event_ids: set[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row, alarm in enumerate(self.model.rows()):
            if alarm.event_id in event_ids:
                selection.select(
                    self.model.index(row, 0),
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )

    def _update_buttons(self) -> None:
        selected = self.selected_alarms()
        open_ones = [a for a in selected if not a.acknowledged]
        self.acknowledge_button.setEnabled(bool(open_ones))
        station = selected[0].station_id if selected else None
        self.acknowledge_station_button.setEnabled(station is not None)
        if station is None:
            self.acknowledge_station_button.setToolTip(_tr("Select an alarm of a station first"))
        else:
            self.acknowledge_station_button.setToolTip(
                _tr("Acknowledge every open alarm of {station}").format(station=station)
            )

    def acknowledge_selected(self) -> None:
        ids = [a.event_id for a in self.selected_alarms() if not a.acknowledged]
        if not ids:
            return
        by = operator_name()

        async def acknowledge(s: Services) -> None:
            for event_id in ids:
                await s.alarms.acknowledge(event_id, by)

        self._run(acknowledge)

    def acknowledge_station_of_selected(self) -> None:
        selected = self.selected_alarms()
        station = selected[0].station_id if selected else None
        if station is None:
            return
        by = operator_name()

        async def acknowledge(s: Services) -> None:
            await s.alarms.acknowledge_station(station, by)

        self._run(acknowledge)

    def _run(self, call: Any) -> None:
        self.notice.hide()
        EngineOp(self._host, call).success(lambda _r: self.refresh()).failure(
            lambda message, _exc: self._say(message)
        ).run()

    def _say(self, message: str) -> None:
        if shiboken6.isValid(self):
            self.notice.setText(message)
            self.notice.show()
