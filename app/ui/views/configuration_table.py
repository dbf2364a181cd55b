"""A station's OCPP configuration: read it, and change a value with confirmation.

Edits are requests, not changes: the table keeps showing the old value until
the station accepts the new one (ChangeConfiguration), and a RebootRequired
answer is surfaced with an offer to soft-reset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain import commands as c
from app.domain.model import ConfigurationKey
from app.ui.dialogs.prompts import StationPrompts
from app.ui.engine_host import EngineHost
from app.ui.operations import EngineOp
from app.ui.table_model import NamedColumnsTableModel
from app.ui.views.station_actions import ActionRunner

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("key", "value", "access")
READ_ONLY_COLOUR = "#7a7a7a"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConfigurationTable", text)


class ConfigurationTableModel(NamedColumnsTableModel):
    """Key, value, access; editing a value emits edit_requested instead of changing it."""

    edit_requested = Signal(str, str, str)  # key, old value, new value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            COLUMNS, {"key": _tr("Setting"), "value": _tr("Value"), "access": _tr("Access")}, parent
        )
        self._rows: list[ConfigurationKey] = []
        self.editable = True

    @property
    def entries(self) -> list[ConfigurationKey]:
        return list(self._rows)

    def entry(self, key: str) -> ConfigurationKey | None:
        return next((r for r in self._rows if r.key == key), None)

    def row_of(self, key: str) -> int:
        return next(i for i, r in enumerate(self._rows) if r.key == key)

    def set_entries(self, entries: Iterable[ConfigurationKey]) -> None:
        self.beginResetModel()
        self._rows = sorted(entries, key=lambda e: e.key.lower())
        self.endResetModel()

    def set_value(self, key: str, value: str) -> None:
        for i, row in enumerate(self._rows):
            if row.key == key:
                self._rows[i] = ConfigurationKey(key, value, row.readonly)
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                return

    def row_count(self) -> int:
        return len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if not index.isValid():
            return flags
        row = self._rows[index.row()]
        if COLUMNS[index.column()] == "value" and not row.readonly and self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "key":
                return row.key
            if column == "value":
                return row.value if row.value is not None else _tr("(not shown)")
            return _tr("Read-only") if row.readonly else _tr("Editable")
        if role == Qt.ItemDataRole.EditRole and column == "value":
            return row.value or ""
        if role == Qt.ItemDataRole.ForegroundRole and (row.readonly or row.value is None):
            return QColor(READ_ONLY_COLOUR)
        if role == Qt.ItemDataRole.FontRole and column == "access" and row.readonly:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.readonly:
                return _tr("The station does not allow this setting to be changed.")
            if column == "value":
                return _tr("Double-click to change; the station is asked first.")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or COLUMNS[index.column()] != "value":
            return False
        row = self._rows[index.row()]
        new = str(value).strip()
        if row.readonly or new == (row.value or ""):
            return False
        self.edit_requested.emit(row.key, row.value or "", new)
        return False  # shown only once the station accepts it


class ConfigurationPanel(QWidget):
    """Read button, filter, the table, and a banner when a restart is needed."""

    def __init__(
        self,
        host: EngineHost,
        station_id: str,
        runner: ActionRunner,
        prompts: Callable[[], StationPrompts],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._station_id = station_id
        self._runner = runner
        self._prompts = prompts
        self.model = ConfigurationTableModel(self)
        self.model.edit_requested.connect(self.request_change)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)

        self.read_button = QPushButton(_tr("Read configuration"), self)
        self.read_button.clicked.connect(self.read)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(_tr("Filter settings…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.source = QLabel(_tr("Not read yet."), self)
        self.source.setStyleSheet(f"color: {READ_ONLY_COLOUR};")

        self.restart_banner = QFrame(self)
        self.restart_banner.setStyleSheet(
            "QFrame { background: #fff4e0; border: 1px solid #e0a040; border-radius: 4px; }"
            "QLabel { color: #6b4100; border: none; }"
        )
        self.restart_label = QLabel(self.restart_banner)
        self.restart_button = QPushButton(_tr("Soft reset now"), self.restart_banner)
        self.restart_button.clicked.connect(self.offer_reset)
        banner = QHBoxLayout(self.restart_banner)
        banner.addWidget(self.restart_label, 1)
        banner.addWidget(self.restart_button)
        self.restart_banner.hide()
        self.restart_keys: list[str] = []

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked | QTableView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        bar = QHBoxLayout()
        bar.addWidget(self.read_button)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.source)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.restart_banner)
        layout.addWidget(self.table)

    # ---- reading ---------------------------------------------------------------

    def load_stored(self) -> None:
        """Show the copy stored from the last read; works with the station offline."""
        station_id = self._station_id

        def loaded(keys: list[ConfigurationKey]) -> None:
            if not isValid(self):
                return  # the tab was closed meanwhile
            if keys and not self.model.entries:
                self.model.set_entries(keys)
                self.source.setText(_tr("Stored copy from the last read."))

        EngineOp(self._host, lambda s: s.stations.configuration(station_id)).success(loaded).run()

    def read(self) -> None:
        def done(result: c.CommandResult) -> None:
            if isinstance(result, c.ConfigurationResult):
                self.model.set_entries(
                    ConfigurationKey(e.key, e.value, e.readonly) for e in result.configuration_key
                )
                self.source.setText(
                    _tr("Read from the station at {time}.").format(
                        time=datetime.now().strftime("%H:%M:%S")
                    )
                )

        self._runner.send(
            "read_configuration", _tr("Read configuration"), c.GetConfiguration(), then=done
        )

    # ---- changing --------------------------------------------------------------

    def request_change(self, key: str, old: str, new: str) -> None:
        question = _tr("Change {key} on {station} from “{old}” to “{new}”?").format(
            key=key, station=self._station_id, old=old, new=new
        )
        if not self._prompts().confirm(self, _tr("Change a setting"), question, _tr("Change")):
            return

        def done(result: c.CommandResult) -> None:
            self.model.set_value(key, new)
            if isinstance(result, c.StatusResult) and result.status == "RebootRequired":
                self.restart_needed(key)

        self._runner.send(
            "change_configuration",
            _tr("Change {key}").format(key=key),
            c.ChangeConfiguration(key=key, value=new),
            then=done,
        )

    def restart_needed(self, key: str) -> None:
        if key not in self.restart_keys:
            self.restart_keys.append(key)
        self.restart_label.setText(
            _tr("The station applies {keys} only after a restart.").format(
                keys=", ".join(self.restart_keys)
            )
        )
        self.restart_banner.show()
        self.offer_reset()

    def offer_reset(self) -> None:
        question = _tr(
            "{station} needs a restart to apply {keys}. Soft-reset it now? A running "
            "session is stopped first."
        ).format(station=self._station_id, keys=", ".join(self.restart_keys))
        if self._prompts().confirm(self, _tr("Restart needed"), question, _tr("Soft reset now")):
            self._runner.send("soft_reset", _tr("Soft reset"), c.Reset(c.ResetType.SOFT))

    def station_restarted(self) -> None:
        self.restart_keys.clear()
        self.restart_banner.hide()

    # ---- what is allowed -------------------------------------------------------

    def set_allowed(
        self, read_reason: str | None, edit_reason: str | None, reset_reason: str | None
    ) -> None:
        """None means allowed; otherwise the reason, shown as a tooltip."""
        pending = self._runner.pending("read_configuration")
        self.read_button.setEnabled(read_reason is None and not pending)
        if read_reason is not None:
            self.read_button.setToolTip(read_reason)
        elif pending:
            self.read_button.setToolTip(_tr("Waiting for the station's answer…"))
        else:
            self.read_button.setToolTip(_tr("Ask the station for all its settings."))
        self.restart_button.setEnabled(reset_reason is None)
        self.restart_button.setToolTip(reset_reason or "")
        self.model.editable = edit_reason is None
        self.table.setToolTip(edit_reason or "")
