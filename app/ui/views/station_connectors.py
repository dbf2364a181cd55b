"""The connectors of one station, live from the site overview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from app.domain.model import ConnectorStatus
from app.domain.overview import ConnectorRow, SiteOverview
from app.ui.formatting import kilo
from app.ui.status_style import shown_status_label, status_colour
from app.ui.table_model import NamedColumnsTableModel
from app.ui.views.status_grid_model import duration, local

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("connector", "status", "since", "power", "energy", "duration", "id_tag", "session")
NUMERIC = frozenset({"connector", "power", "energy", "duration", "session"})


def _tr(text: str) -> str:
    return QCoreApplication.translate("StationConnectors", text)


def column_titles() -> dict[str, str]:
    return {
        "connector": _tr("Connector"),
        "status": _tr("Status"),
        "since": _tr("Since"),
        "power": _tr("Power (kW)"),
        "energy": _tr("Energy (kWh)"),
        "duration": _tr("Duration"),
        "id_tag": _tr("Id tag"),
        "session": _tr("Session"),
    }


def _utcnow() -> datetime:
    return datetime.now(UTC)


class StationConnectorsModel(NamedColumnsTableModel):
    """One row per connector above 0 of one station; rows come from the overview."""

    def __init__(
        self, overview: SiteOverview, station_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(COLUMNS, column_titles(), parent)
        self._overview = overview
        self._station_id = station_id
        self._rows: list[ConnectorRow] = self._read()
        self.now: Callable[[], datetime] = _utcnow

    def _read(self) -> list[ConnectorRow]:
        return [r for r in self._overview.station_rows(self._station_id) if r.connector_id > 0]

    @property
    def rows(self) -> list[ConnectorRow]:
        return list(self._rows)

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == "status":
            return status_colour(row.shown_status, row.admission)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column in NUMERIC else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == "status":
            font = QFont()
            font.setBold(True)
            return font
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == "status"
            and row.shown_status is ConnectorStatus.FAULTED
        ):
            return QColor("#d0342c")
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and column == "status"
            and row.error_code != "NoError"
        ):
            return _tr("Error code: {code}").format(code=row.error_code)
        return None

    def display(self, row: ConnectorRow, column: str) -> str:
        if column == "connector":
            return str(row.connector_id)
        if column == "status":
            text = shown_status_label(row.shown_status, row.admission)
            if row.connected and row.error_code not in ("NoError", ""):
                text = f"{text} ({row.error_code})"
            return text
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
        return str(row.transaction_id) if row.transaction_id is not None else ""

    def refresh(self) -> None:
        """Re-read the rows; reset only when connectors appeared or went."""
        rows = self._read()
        if [r.key for r in rows] != [r.key for r in self._rows]:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        self._rows = rows
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))

    def refresh_durations(self) -> None:
        if any(r.session_started_at for r in self._rows):
            col = COLUMNS.index("duration")
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))
