"""Status grid: one row per connector, live, sortable, filterable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain.model import ConnectorStatus
from app.domain.overview import ConnectorRow, SiteOverview
from app.domain.sites import Site, StationPosition
from app.ui.engine_host import EngineHost
from app.ui.formatting import kilo, local_datetime
from app.ui.operations import EngineOp
from app.ui.status_style import shown_status_label, status_colour
from app.ui.table_model import NamedColumnsTableModel

Index = QModelIndex | QPersistentModelIndex
ROW_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatusGrid", text)


COLUMNS = (
    "station",
    "connector",
    "status",
    "since",
    "power",
    "energy",
    "duration",
    "id_tag",
    "last_message",
    "firmware",
)


COLUMN_WIDTHS = {
    "station": 130,
    "connector": 80,
    "status": 150,
    "since": 110,
    "power": 90,
    "energy": 160,
    "duration": 130,
    "id_tag": 150,
    "last_message": 110,
}


def column_titles() -> dict[str, str]:
    return {
        "station": _tr("Station"),
        "connector": _tr("Connector"),
        "status": _tr("Status"),
        "since": _tr("Since"),
        "power": _tr("Power (kW)"),
        "energy": _tr("Session energy (kWh)"),
        "duration": _tr("Session duration"),
        "id_tag": _tr("Id tag / driver"),
        "last_message": _tr("Last message"),
        "firmware": _tr("Firmware"),
    }


def _utcnow() -> datetime:
    return datetime.now(UTC)


def local(value: datetime | None) -> str:
    return local_datetime(value)


def duration(since: datetime | None, now: datetime) -> str:
    if since is None:
        return ""
    seconds = max(0, int((now - since).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class ConnectorTableModel(NamedColumnsTableModel):
    """A table over the overview's bays; events update rows in place."""

    def __init__(self, overview: SiteOverview, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, column_titles(), parent)
        self._overview = overview
        self._keys: list[tuple[str, int]] = [r.key for r in overview.bays()]
        self._positions: dict[tuple[str, int], int] = {k: i for i, k in enumerate(self._keys)}
        self.now: Callable[[], datetime] = _utcnow

    def row_count(self) -> int:
        return len(self._keys)

    def row_at(self, row: int) -> ConnectorRow:
        return self._overview.rows[self._keys[row]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == ROW_KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.DecorationRole and column == "status":
            return status_colour(row.shown_status, row.admission)
        faulted = row.shown_status is ConnectorStatus.FAULTED
        if role == Qt.ItemDataRole.ForegroundRole and column == "status" and faulted:
            return QColor("#d0342c")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("power", "energy", "connector"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and column == "status"
            and row.error_code != "NoError"
        ):
            return _tr("Error code: {code}").format(code=row.error_code)
        return None

    def _display(self, row: ConnectorRow, column: str) -> str:
        if column == "station":
            return row.station_id
        if column == "connector":
            return str(row.connector_id)
        if column == "status":
            return shown_status_label(row.shown_status, row.admission)
        if column == "since":
            return local(row.since)
        if column == "power":
            return kilo(row.power_w) if row.power_w is not None else ""
        if column == "energy":
            energy = row.session_energy_wh
            return kilo(energy, 2) if energy is not None else ""
        if column == "duration":
            return duration(row.session_started_at, self.now())
        if column == "id_tag":
            return row.id_tag or ""
        if column == "last_message":
            return local(row.last_message_at)
        return row.firmware or ""

    def _sort_value(self, row: ConnectorRow, column: str) -> Any:
        if column == "connector":
            return row.connector_id
        if column == "power":
            return row.power_w or 0.0
        if column == "energy":
            return row.session_energy_wh or 0.0
        if column in ("since", "last_message", "duration"):
            value = {
                "since": row.since,
                "last_message": row.last_message_at,
                "duration": row.session_started_at,
            }[column]
            return value.timestamp() if value else 0.0
        if column == "station":
            return f"{row.station_id.lower()}\x00{row.connector_id:05d}"
        return self._display(row, column).lower()

    def apply_changes(self, keys: set[tuple[str, int]]) -> bool:
        """Rows changed in the overview: refresh them, insert new bays at the end.

        Returns whether rows were added (the view sorts them in on its next tick).
        """
        positions = self._positions
        new = sorted(
            k for k in keys if k not in positions and k[1] > 0 and k in self._overview.rows
        )
        if new:
            first = len(self._keys)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for offset, key in enumerate(new):
                positions[key] = first + offset
            self._keys.extend(new)
            self.endInsertRows()
        # One signal per run of adjacent rows: the sort/filter proxy then only
        # looks at rows that changed, not at everything between the first and last.
        self._emit_runs(sorted(positions[k] for k in keys if k in positions), 0, len(COLUMNS) - 1)
        return bool(new)

    def _emit_runs(self, ordered_rows: list[int], first_col: int, last_col: int) -> None:
        runs: list[list[int]] = []
        for row in ordered_rows:
            if runs and row == runs[-1][1] + 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        for top, bottom in runs:
            self.dataChanged.emit(self.index(top, first_col), self.index(bottom, last_col))


class ConnectorFilter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status: ConnectorStatus | None = None
        self.stations: set[str] | None = None  # None: every site
        self.text = ""
        self.setSortRole(SORT_ROLE)
        # Re-sorting and re-filtering on every change would cost the GUI thread
        # more than everything else at a thousand stations; StatusGridView.tick()
        # does it at most once a second, and only when it can matter.
        self.setDynamicSortFilter(False)

    def set_status(self, status: ConnectorStatus | None) -> None:
        self.beginFilterChange()
        self.status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_stations(self, stations: set[str] | None) -> None:
        self.beginFilterChange()
        self.stations = stations
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ConnectorTableModel)
        row = model.row_at(source_row)
        if self.status is not None and row.shown_status is not self.status:
            return False
        if self.stations is not None and row.station_id not in self.stations:
            return False
        if not self.text:
            return True
        haystack = " ".join(
            str(model.data(model.index(source_row, c), Qt.ItemDataRole.DisplayRole) or "")
            for c in range(len(COLUMNS))
        ).lower()
        return self.text in haystack


class StatusGridView(QWidget):
    station_activated = Signal(str)

    def __init__(
        self,
        overview: SiteOverview,
        parent: QWidget | None = None,
        *,
        host: EngineHost | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._dirty = False
        self._added = False
        self.model = ConnectorTableModel(overview, self)
        self.proxy = ConnectorFilter(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_tr("Search station, tag, status…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem(_tr("All statuses"), None)
        for status in ConnectorStatus:
            if status is not ConnectorStatus.UNKNOWN:
                self.status_filter.addItem(shown_status_label_for(status), status)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData())
        )

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(60)
        titles = column_titles()
        metrics = header.fontMetrics()
        for i, name in enumerate(COLUMNS):
            # Wide enough for the title in the chosen language (Swedish runs long).
            fits = metrics.horizontalAdvance(titles[name]) + 28
            header.resizeSection(i, max(COLUMN_WIDTHS.get(name, 110), fits))
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self.table.doubleClicked.connect(self._activated)

        self.site_filter = QComboBox(self)
        self.site_filter.addItem(_tr("All sites"), None)
        self.site_filter.setToolTip(_tr("Show the stations placed on one site's map"))
        self.site_filter.currentIndexChanged.connect(lambda _i: self._site_chosen())
        self.site_filter.setVisible(host is not None)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.site_filter, 1)
        bar.addWidget(self.status_filter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def tick(self) -> None:
        """Once a second: durations move on, and sorting/filtering catch up with changes."""
        if not self.isVisible():
            self._dirty = True
            return
        header = self.table.horizontalHeader()
        sorted_by = (
            COLUMNS[header.sortIndicatorSection()] if header.isSortIndicatorShown() else None
        )
        filtering = bool(self.proxy.text or self.proxy.status or self.proxy.stations is not None)
        live_sort = sorted_by not in (None, "station", "connector")
        if self._added or sorted_by == "duration" or (self._dirty and (filtering or live_sort)):
            self.proxy.invalidate()
        self._dirty = self._added = False
        # Durations change with time, not with data: a repaint re-reads what is visible.
        self.table.viewport().update()

    def changed(self, keys: set[tuple[str, int]]) -> None:
        self._added = self.model.apply_changes(keys) or self._added
        self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload_sites()

    def reload_sites(self) -> None:
        """Sites change on the map; refresh the choice whenever the grid is shown."""
        if self._host is None:
            return

        def loaded(sites: list[Site]) -> None:
            if not isValid(self):
                return
            chosen = self.site_filter.currentData()
            self.site_filter.blockSignals(True)
            self.site_filter.clear()
            self.site_filter.addItem(_tr("All sites"), None)
            for site in sites:
                label = f"{site.name} – {site.level}" if site.level else site.name
                self.site_filter.addItem(label, site.id)
            index = self.site_filter.findData(chosen)
            self.site_filter.setCurrentIndex(max(0, index))
            self.site_filter.blockSignals(False)
            self._site_chosen()

        EngineOp(self._host, lambda s: s.sites.sites()).success(loaded).run()

    def _site_chosen(self) -> None:
        site_id = self.site_filter.currentData()
        if site_id is None or self._host is None:
            self.proxy.set_stations(None)
            return

        def loaded(positions: list[StationPosition]) -> None:
            if isValid(self) and self.site_filter.currentData() == site_id:
                self.proxy.set_stations({p.station_id for p in positions})

        EngineOp(self._host, lambda s: s.sites.positions(site_id)).success(loaded).run()

    def _activated(self, index: QModelIndex) -> None:
        key = self.proxy.data(index, ROW_KEY_ROLE)
        if key:
            self.station_activated.emit(key[0])

    def _column_menu(self, _pos: object) -> None:
        menu = QMenu(self)
        titles = column_titles()
        for i, name in enumerate(COLUMNS):
            action = QAction(titles[name], menu)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(i))
            action.toggled.connect(lambda on, col=i: self.table.setColumnHidden(col, not on))
            menu.addAction(action)
        menu.exec(self.table.horizontalHeader().mapToGlobal(self.table.horizontalHeader().pos()))

    def hidden_columns(self) -> list[str]:
        return [name for i, name in enumerate(COLUMNS) if self.table.isColumnHidden(i)]

    def set_hidden_columns(self, names: list[str]) -> None:
        for i, name in enumerate(COLUMNS):
            self.table.setColumnHidden(i, name in names)


def shown_status_label_for(status: ConnectorStatus) -> str:
    from app.domain.model import Admission

    return shown_status_label(status, Admission.ACCEPTED)
