"""The Tariffs screen's two tables: the tariffs with their prices, and where each applies."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QTableView, QWidget

from app.domain.tariff_assignments import StoredTariff, TariffAssignment
from app.ui.table_model import Index, RowsTableModel
from app.ui.views.tariff_assign import TariffsState
from app.ui.views.tariff_lines import band_summary, prices_summary

MUTED = "#8a8f98"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tariffs", text)


TARIFF_COLUMNS = ("name", "prices", "bands", "applies")
ASSIGNMENT_COLUMNS = ("place", "group", "tariff")


class TariffTableModel(RowsTableModel[StoredTariff]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            TARIFF_COLUMNS,
            {
                "name": _tr("Name"),
                "prices": _tr("Prices"),
                "bands": _tr("Time bands"),
                "applies": _tr("Applies"),
            },
            parent,
        )
        self.state = TariffsState([], [])

    def set_state(self, state: TariffsState) -> None:
        self.state = state
        self.set_rows(state.tariffs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        stored = self.row_at(index.row())
        column = TARIFF_COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(stored, column)
        if role == Qt.ItemDataRole.ForegroundRole and (
            stored.archived or (column == "applies" and not self.state.places_of(stored.id))
        ):
            return QColor(MUTED)
        if role == Qt.ItemDataRole.FontRole and column == "name":
            font = QFont()
            font.setBold(not stored.archived)
            return font
        return None

    def _text(self, stored: StoredTariff, column: str) -> str:
        """One band or place per line: the rows grow rather than hide any."""
        tariff = stored.tariff
        if column == "name":
            return (
                _tr("{name} (archived)").format(name=stored.name)
                if stored.archived
                else (stored.name)
            )
        if column == "prices":
            return prices_summary(tariff)
        if column == "bands":
            if not tariff.bands:
                return _tr("none: the same prices all day")
            return "\n".join(band_summary(band) for band in tariff.bands)
        places = self.state.places_of(stored.id)
        return "\n".join(places) if places else _tr("not assigned")


class AssignmentTableModel(RowsTableModel[TariffAssignment]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            ASSIGNMENT_COLUMNS,
            {"place": _tr("Where"), "group": _tr("For"), "tariff": _tr("Tariff")},
            parent,
        )
        self.state = TariffsState([], [])

    def set_state(self, state: TariffsState) -> None:
        self.state = state
        # Everywhere first, then sites, then stations; everyone before groups.
        self.set_rows(
            sorted(
                state.assignments,
                key=lambda a: (
                    a.scope.place_rank,
                    state.place(a.scope),
                    a.scope.group_rank,
                    state.group(a.scope),
                ),
            )
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        assignment = self.row_at(index.row())
        column = ASSIGNMENT_COLUMNS[index.column()]
        if column == "place":
            return self.state.place(assignment.scope)
        if column == "group":
            return self.state.group(assignment.scope)
        return self.state.tariff_name(assignment.tariff_id)


def make_table(model: RowsTableModel[Any], parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setVerticalScrollMode(QTableView.ScrollMode.ScrollPerPixel)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table
