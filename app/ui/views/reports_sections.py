"""Parts of the Reports view: a titled table with CSV export, the capacity summary,
and the site's connection limit editor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.analytics_summary import CapacitySummary
from app.domain.statements import CsvStyle
from app.ui.dialogs.statement_export import ask_csv_path
from app.ui.views.reports_tables import DrillKey, ReportTable, table_csv

# parent, caption, suggested name → (path, style) or None when cancelled
AskCsvPath = Callable[[QWidget | None, str, str], tuple[Path, CsvStyle] | None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


def heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


class Section(QFrame):
    """A titled box in the style of the graphs' panels."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportSection")
        self.setStyleSheet(
            "#reportSection { border: 1px solid palette(midlight); border-radius: 6px;"
            " background: palette(base); }"
        )
        self.title = heading(title, self)
        self.header = QHBoxLayout()
        self.header.addWidget(self.title)
        self.header.addStretch(1)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(10, 8, 10, 8)
        self.body.addLayout(self.header)


class TableSection(Section):
    """A report table; a row click emits `picked(key)`; Export CSV… writes its rows."""

    picked = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.ask_csv_path: AskCsvPath = ask_csv_path
        self.table_data: ReportTable | None = None
        self.export_button = QPushButton(_tr("Export CSV…"), self)
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.header.addWidget(self.export_button)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.cellClicked.connect(self._clicked)
        self.body.addWidget(self.table)

    def show_table(self, data: ReportTable) -> None:
        self.table_data = data
        self.title.setText(data.title)
        self.table.clear()
        self.table.setColumnCount(len(data.header))
        self.table.setRowCount(len(data.rows))
        self.table.setHorizontalHeaderLabels(list(data.header))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r, row in enumerate(data.rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c in data.numeric:
                    item.setTextAlignment(right)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # A text column takes the spare width; numbers stay next to their labels.
        header.setStretchLastSection(len(data.header) - 1 not in data.numeric)
        rows_height = sum(self.table.rowHeight(r) for r in range(len(data.rows)))
        self.table.setFixedHeight(min(rows_height + header.height() + 6, 420))

    def _clicked(self, row: int, _column: int) -> None:
        if self.table_data is None or row >= len(self.table_data.keys):
            return
        key: DrillKey = self.table_data.keys[row]
        if key is not None:
            self.picked.emit(key)

    def export_csv(self) -> Path | None:
        if self.table_data is None:
            return None
        chosen = self.ask_csv_path(
            self, _tr("Export table"), f"chargedesk-report-{self.table_data.slug}.csv"
        )
        if chosen is None:
            return None
        path, style = chosen
        path.write_text(table_csv(self.table_data, style), encoding="utf-8", newline="")
        return path


class SummarySection(Section):
    """Each sentence of the capacity summary, its method below it and on hover."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Capacity summary"), parent)
        self.lines = QVBoxLayout()
        self.body.addLayout(self.lines)
        self.labels: list[QLabel] = []

    def show_summary(self, summary: CapacitySummary) -> None:
        for label in self.labels:
            label.deleteLater()
        self.labels = []
        for sentence in summary.sentences:
            text = QLabel(sentence.text, self)
            text.setWordWrap(True)
            text.setToolTip(sentence.method)
            method = QLabel(_tr("How: {method}").format(method=sentence.method), self)
            method.setWordWrap(True)
            method.setStyleSheet("color: palette(dark); font-size: 8pt;")
            method.setContentsMargins(12, 0, 0, 4)
            method.setToolTip(sentence.method)
            for label in (text, method):
                self.lines.addWidget(label)
                self.labels.append(label)
        if not summary.sentences:
            empty = QLabel(_tr("Nothing to say about this range yet."), self)
            self.lines.addWidget(empty)
            self.labels.append(empty)


class LimitEditor(QWidget):
    """The site's grid connection limit in kW; `submitted(watts or None)` on Set / Clear."""

    submitted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kw = QDoubleSpinBox(self)
        self.kw.setRange(0.0, 100_000.0)
        self.kw.setDecimals(1)
        self.kw.setSuffix(" kW")
        self.kw.setSpecialValueText(_tr("not set"))
        self.set_button = QPushButton(_tr("Set limit"), self)
        self.set_button.clicked.connect(self._set)
        self.clear_button = QPushButton(_tr("Clear"), self)
        self.clear_button.clicked.connect(lambda: self.submitted.emit(None))
        self.note = QLabel(self)
        self.note.setStyleSheet("color: palette(mid);")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_tr("Site connection limit"), self))
        layout.addWidget(self.kw)
        layout.addWidget(self.set_button)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.note, 1)

    def show_limit(self, site_id: int | None, limit_w: int | None) -> None:
        editable = site_id is not None
        for widget in (self.kw, self.set_button, self.clear_button):
            widget.setEnabled(editable)
        self.kw.setValue(0.0 if limit_w is None else limit_w / 1000)
        self.note.setText("" if editable else _tr("Choose a site to set its limit."))

    def _set(self) -> None:
        watts = round(self.kw.value() * 1000)
        self.submitted.emit(watts if watts > 0 else None)
