"""The status grid's rows: a C++ item model, written only when a fact changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QWidget,
)

from app.domain.model import ConnectorStatus
from app.domain.overview import ConnectorRow, SiteOverview
from app.ui.formatting import kilo, local_datetime
from app.ui.status_style import shown_status_label, status_colour
from app.ui.views.tariff_text import money

Index = QModelIndex | QPersistentModelIndex
ROW_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3
STATION_ROLE = Qt.ItemDataRole.UserRole + 4
DISPLAY = Qt.ItemDataRole.DisplayRole
_UNSET = object()


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatusGrid", text)


COLUMNS = (
    "station",
    "connector",
    "status",
    "since",
    "power",
    "energy",
    "cost",
    "duration",
    "id_tag",
    "last_message",
    "firmware",
)


# The facts each column is made from: a cell is formatted again only when one changes.
COLUMN_FACTS: dict[str, tuple[str, ...]] = {
    "station": ("station_id",),
    "connector": ("connector_id",),
    "status": ("status", "connected", "admission", "error_code"),
    "since": ("since",),
    "power": ("power_w",),
    "energy": ("transaction_id", "meter_start_wh", "meter_now_wh"),
    # The price so far comes from the pricing service (set_costs), not the overview.
    "cost": ("transaction_id",),
    "duration": ("session_started_at",),
    "id_tag": ("id_tag",),
    "last_message": ("last_message_at",),
    "firmware": ("firmware",),
}
FAULT_COLOUR = QColor("#d0342c")

COLUMN_WIDTHS = {
    "station": 130,
    "connector": 80,
    "status": 150,
    "since": 110,
    "power": 90,
    "energy": 160,
    "cost": 110,
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
        "cost": _tr("Cost so far"),
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


class ConnectorTableModel:
    """The grid's rows, kept in a plain C++ QStandardItemModel.

    Painting a table asks the model for every visible cell. With a Python model
    each of those calls must take the GIL, which the engine thread holds much of
    the time under load, so the window stuttered. Here Python writes cell values
    only when a row changes (at most ten times a second); painting stays in C++.
    """

    def __init__(self, overview: SiteOverview, parent: QWidget | None = None) -> None:
        self._overview = overview
        self.items = QStandardItemModel(0, len(COLUMNS), parent)
        titles = column_titles()
        self.items.setHorizontalHeaderLabels([titles[c] for c in COLUMNS])
        self._keys: list[tuple[str, int]] = []
        self._positions: dict[tuple[str, int], int] = {}
        self._shown: list[list[dict[int, Any]]] = []  # what each cell holds, by role
        self._rows: list[ConnectorRow | None] = []  # the facts those cells were made from
        # Price so far of each open session shown: transaction id → (minor units, currency).
        self._costs: dict[int, tuple[int, str]] = {}
        self.now: Callable[[], datetime] = _utcnow
        # The signals tests and benchmarks watch.
        self.dataChanged = self.items.dataChanged
        self.rowsInserted = self.items.rowsInserted
        self.apply_changes({r.key for r in overview.bays()})

    def rowCount(self) -> int:
        return len(self._keys)

    def index(self, row: int, column: int) -> QModelIndex:
        return self.items.index(row, column)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.items.data(index, role)

    def row_at(self, row: int) -> ConnectorRow:
        return self._overview.rows[self._keys[row]]

    def _cell(self, row: ConnectorRow, column: str) -> dict[int, Any]:
        """Every role of one cell, as the grid should show it."""
        shown = self._display(row, column)
        cell: dict[int, Any] = {DISPLAY: shown, SORT_ROLE: self._sort_value(row, column, shown)}
        if column == "status":
            faulted = row.shown_status is ConnectorStatus.FAULTED
            cell[STATUS_ROLE] = row.shown_status.value
            cell[Qt.ItemDataRole.DecorationRole] = status_colour(row.shown_status, row.admission)
            cell[Qt.ItemDataRole.ForegroundRole] = FAULT_COLOUR if faulted else None
            cell[Qt.ItemDataRole.ToolTipRole] = (
                _tr("Error code: {code}").format(code=row.error_code)
                if row.error_code != "NoError"
                else None
            )
        elif column == "station":
            cell[STATION_ROLE] = row.station_id
        return cell

    def _fill(self, position: int, row: ConnectorRow) -> bool:
        """Write the cells of one row that differ from what is shown; True if any did.

        Only cells whose facts changed are formatted, and only changed values
        cross into Qt: a meter sample rewrites three cells, not ten. The GUI's
        Python time is what the engine thread's GIL use stretches.
        """
        items = self.items
        before = self._rows[position]
        shown = self._shown[position]
        changed = False
        for column_index, column in enumerate(COLUMNS):
            if before is not None and all(
                getattr(before, field) == getattr(row, field) for field in COLUMN_FACTS[column]
            ):
                continue
            cell = self._cell(row, column)
            old = shown[column_index]
            if cell == old:
                continue
            index = items.index(position, column_index)
            for role, value in cell.items():
                if old.get(role, _UNSET) != value:
                    items.setData(index, value, role)
            shown[column_index] = cell
            changed = True
        self._rows[position] = row
        return changed

    def refill(self) -> None:
        """Format every cell again (the day changed, so times need their date)."""
        self._rows = [None] * len(self._rows)
        self.apply_changes(set(self._keys))

    def _new_row(self, key: tuple[str, int]) -> None:
        cells = [QStandardItem() for _ in COLUMNS]
        for column, cell in zip(COLUMNS, cells, strict=True):
            cell.setEditable(False)
            if column in ("power", "energy", "cost", "connector"):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Plain text, not a Python object: PySide6 keeps Python objects inside Qt
        # variants alive by hand, and gets it wrong at interpreter exit.
        cells[0].setData(_key_text(key), ROW_KEY_ROLE)
        self._positions[key] = len(self._keys)
        self._keys.append(key)
        self._shown.append([{} for _ in COLUMNS])
        self._rows.append(None)
        self.items.appendRow(cells)

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
        if column == "cost":
            cost = self._costs.get(row.transaction_id) if row.transaction_id else None
            return money(*cost) if cost is not None else ""
        if column == "duration":
            return duration(row.session_started_at, self.now())
        if column == "id_tag":
            return row.id_tag or ""
        if column == "last_message":
            return local(row.last_message_at)
        return row.firmware or ""

    def _sort_value(self, row: ConnectorRow, column: str, shown: str) -> Any:
        if column == "connector":
            return row.connector_id
        if column == "power":
            return row.power_w or 0.0
        if column == "energy":
            return row.session_energy_wh or 0.0
        if column == "cost":
            cost = self._costs.get(row.transaction_id) if row.transaction_id else None
            return cost[0] if cost is not None else -1
        if column in ("since", "last_message", "duration"):
            value = {
                "since": row.since,
                "last_message": row.last_message_at,
                "duration": row.session_started_at,
            }[column]
            return value.timestamp() if value else 0.0
        if column == "station":
            return f"{row.station_id.lower()}\x00{row.connector_id:05d}"
        return shown.lower()

    def apply_changes(self, keys: set[tuple[str, int]]) -> bool:
        """Rows changed in the overview: rewrite their cells, add new bays at the end.

        Returns whether rows were added (the view sorts them in on its next tick).
        """
        rows = self._overview.rows
        new = sorted(k for k in keys if k not in self._positions and k[1] > 0 and k in rows)
        for key in new:
            self._new_row(key)
        changed: list[int] = []
        # Written silently, then announced once per run of adjacent rows: the
        # proxies and the view hear about a batch, not about every cell.
        self.items.blockSignals(True)
        try:
            for key in keys:
                position = self._positions.get(key)
                if position is not None and self._fill(position, rows[key]):
                    changed.append(position)
        finally:
            self.items.blockSignals(False)
        self._announce(changed, 0, len(COLUMNS) - 1)
        return bool(new)

    def _announce(self, positions: list[int], first_column: int, last_column: int) -> None:
        items = self.items
        for start, end in _runs(sorted(positions)):
            items.dataChanged.emit(items.index(start, first_column), items.index(end, last_column))

    def refresh_durations(self, positions: Iterable[int]) -> None:
        """Durations tick on; only rows on screen are rewritten (the rest on scroll)."""
        column = COLUMNS.index("duration")
        now = self.now()
        changed: list[int] = []
        self.items.blockSignals(True)
        try:
            for position in positions:
                row = self._overview.rows[self._keys[position]]
                if row.session_started_at is None:
                    continue
                text = duration(row.session_started_at, now)
                cell = self._shown[position][column]
                if cell.get(DISPLAY) != text:
                    self.items.setData(self.items.index(position, column), text)
                    cell[DISPLAY] = text
                    changed.append(position)
        finally:
            self.items.blockSignals(False)
        self._announce(changed, column, column)

    def open_transactions(self, positions: Iterable[int]) -> dict[int, int]:
        """The open sessions among these rows: transaction id → row position."""
        found: dict[int, int] = {}
        for position in positions:
            tx = self._overview.rows[self._keys[position]].transaction_id
            if tx is not None:
                found[tx] = position
        return found

    def set_costs(self, shown: dict[int, int], costs: dict[int, tuple[int, str]]) -> None:
        """The prices so far of the sessions on these rows (missing: no tariff, no price)."""
        for tx in shown:
            if tx in costs:
                self._costs[tx] = costs[tx]
            else:
                self._costs.pop(tx, None)
        # Sessions no longer open keep no price here.
        open_now = {r.transaction_id for r in self._overview.rows.values()}
        for tx in [t for t in self._costs if t not in open_now]:
            del self._costs[tx]
        column = COLUMNS.index("cost")
        changed: list[int] = []
        self.items.blockSignals(True)
        try:
            for tx, position in shown.items():
                row = self._overview.rows[self._keys[position]]
                if row.transaction_id != tx:
                    continue  # the session ended meanwhile
                cell = self._cell(row, "cost")
                if cell != self._shown[position][column]:
                    index = self.items.index(position, column)
                    for role, value in cell.items():
                        self.items.setData(index, value, role)
                    self._shown[position][column] = cell
                    changed.append(position)
        finally:
            self.items.blockSignals(False)
        self._announce(changed, column, column)


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 7, 8] → [(1, 3), (7, 8)]"""
    runs: list[tuple[int, int]] = []
    for position in positions:
        if runs and runs[-1][1] == position - 1:
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    return runs


def _key_text(key: tuple[str, int]) -> str:
    return f"{key[0]}\x00{key[1]}"


def key_of(text: object) -> tuple[str, int] | None:
    """The (station, connector) behind a row's ROW_KEY_ROLE text."""
    if not isinstance(text, str) or "\x00" not in text:
        return None
    station, connector = text.rsplit("\x00", 1)
    return station, int(connector)
