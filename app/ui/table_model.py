"""The base of every flat table in the control room: named columns, titled headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


class NamedColumnsTableModel(QAbstractTableModel):
    """Subclasses hold their rows and say how many there are; columns are named once."""

    def __init__(
        self,
        columns: tuple[str, ...],
        titles: dict[str, str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = columns
        # Translated when the model is made, in the language chosen then.
        self._titles = titles

    def row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[self.columns[section]]
        return None


class RowsTableModel(NamedColumnsTableModel, Generic[R]):
    """A table over a list of read-model rows, replaced whole when a new list arrives."""

    def __init__(
        self,
        columns: tuple[str, ...],
        titles: dict[str, str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, titles, parent)
        self._rows: list[R] = []

    def row_count(self) -> int:
        return len(self._rows)

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rows(self) -> list[R]:
        return list(self._rows)


def rows_table(
    model: QAbstractTableModel, parent: QWidget, *, single: bool = True, stripes: bool = True
) -> QTableView:
    """A read-only table of whole rows: a click selects a row (one, if `single`), no cell
    is ever edited, columns fit their contents and the last one takes the rest."""
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(stripes)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table
