"""The drill-down of the Reports view: the sessions behind a bar, row or heat-map cell."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.price_format import format_money
from app.services.analytics import SessionRow


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportSessions", text)


def _local(value: datetime, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def session_cells(row: SessionRow, currency: str, zone: tzinfo) -> list[str]:
    """Times in the report's zone, the one its hours and days are counted in."""
    return [
        str(row.transaction_id),
        f"{row.station_id} / {row.connector_id}",
        row.id_tag,
        _local(row.started_at, zone),
        _local(row.ended_at, zone) if row.ended_at else _tr("charging"),
        f"{row.energy_wh / 1000:.2f}",
        "" if row.revenue_minor is None else format_money(row.revenue_minor, currency),
    ]


class ReportSessionsDialog(QDialog):
    def __init__(
        self,
        title: str,
        rows: Sequence[SessionRow],
        currency: str,
        zone: tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Sessions behind the figure"))
        self.rows = tuple(rows)
        header = [
            _tr("Transaction"),
            _tr("Connector"),
            _tr("Tag"),
            _tr("Started"),
            _tr("Ended"),
            _tr("Energy in range (kWh)"),
            _tr("Revenue"),
        ]
        self.table = QTableWidget(len(self.rows), len(header), self)
        self.table.setHorizontalHeaderLabels(header)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for r, row in enumerate(self.rows):
            for c, text in enumerate(session_cells(row, currency, zone)):
                item = QTableWidgetItem(text)
                if c in (0, 5, 6):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.title = QLabel(
            _tr("{what}: {count} sessions").format(what=title, count=len(self.rows)), self
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)
