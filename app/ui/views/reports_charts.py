"""The Reports view's charts: utilisation bars (pyqtgraph) and the weekday × hour heat map.

A click on a bar or a heat-map cell emits what was clicked, so the view can list the
sessions behind it. Both draw from the same report the tables show.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.analytics import HOURS, WEEKDAYS
from app.domain.analytics_demand import HeatMap
from app.ui.views.graphs_panels import SITE_COLOUR
from app.ui.views.reports_tables import DrillKey

LOW = QColor("#ffffff")
HIGH = QColor("#0b4f9c")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Reports", text)


def weekday_names() -> list[str]:
    return [_tr("Mon"), _tr("Tue"), _tr("Wed"), _tr("Thu"), _tr("Fri"), _tr("Sat"), _tr("Sun")]


def shade(share: float) -> QColor:
    """LOW … HIGH by share (0…1), through the same blue as the graphs."""
    t = min(max(share, 0.0), 1.0) ** 0.7
    return QColor.fromRgbF(
        LOW.redF() + (HIGH.redF() - LOW.redF()) * t,
        LOW.greenF() + (HIGH.greenF() - LOW.greenF()) * t,
        LOW.blueF() + (HIGH.blueF() - LOW.blueF()) * t,
    )


class UtilisationChart(pg.PlotWidget):  # type: ignore[misc]
    """One bar per station or connector: its utilisation in %. Click: `picked(key)`."""

    picked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.setMinimumHeight(220)
        self.item: pg.PlotItem = self.getPlotItem()
        self.item.setMenuEnabled(False)
        self.item.hideButtons()
        self.item.showGrid(y=True, alpha=0.2)
        self.item.setLabel("left", _tr("Utilisation (%)"))
        self.item.getViewBox().setMouseEnabled(x=False, y=False)
        self.keys: list[DrillKey] = []
        self.values: list[float] = []
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=SITE_COLOUR)
        self.item.addItem(self.bars)
        self.labels: list[pg.TextItem] = []

    def show_bars(self, labels: list[str], shares: list[float], keys: list[DrillKey]) -> None:
        self.keys = keys
        self.values = [s * 100 for s in shares]
        x = np.arange(len(labels), dtype=float)
        self.bars.setOpts(x=x, height=np.array(self.values, dtype=float), width=0.7)
        for label in self.labels:
            self.item.removeItem(label)
        self.labels = []
        for i, value in enumerate(self.values):
            label = pg.TextItem(f"{value:.1f} %", color="#333333", anchor=(0.5, 1.0))
            label.setPos(float(i), value)
            self.item.addItem(label)
            self.labels.append(label)
        axis = self.item.getAxis("bottom")
        axis.setTicks([list(zip(x.tolist(), labels, strict=True))])
        top = max([*self.values, 10.0])
        self.item.setYRange(0, min(100.0, top * 1.15) if top < 100 else 100.0)
        self.item.setXRange(-0.6, max(len(labels) - 0.4, 0.6), padding=0)

    def bar_at(self, position: QPointF) -> int | None:
        point = self.item.getViewBox().mapSceneToView(self.mapToScene(position.toPoint()))
        index: int = round(float(point.x()))
        if 0 <= index < len(self.keys) and abs(point.x() - index) <= 0.35:
            return index
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.picked.emit(self.keys[index])
            event.accept()
            return
        super().mousePressEvent(event)


class HeatMapView(QWidget):
    """Occupancy by local hour (columns) and weekday (rows), with a colour legend.
    Click a cell: `picked(weekday, hour)`."""

    picked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QTableWidget(WEEKDAYS, HOURS, self)
        self.grid.setVerticalHeaderLabels(weekday_names())
        self.grid.setHorizontalHeaderLabels([f"{h:02d}" for h in range(HOURS)])
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.setMinimumHeight(230)
        self.grid.cellClicked.connect(self.picked.emit)
        legend = QHBoxLayout()
        legend.addWidget(QLabel(_tr("Share of the hour connectors were occupied:"), self))
        for share in (0.0, 0.25, 0.5, 0.75, 1.0):
            swatch = QLabel(f" {round(share * 100)} % ", self)
            text = "black" if share < 0.5 else "white"
            swatch.setStyleSheet(
                f"background: {shade(share).name()}; color: {text}; border: 1px solid #bbb;"
            )
            legend.addWidget(swatch)
        legend.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid, 1)
        layout.addLayout(legend)

    def show_heat(self, heat: HeatMap) -> None:
        names = weekday_names()
        for d in range(WEEKDAYS):
            for h in range(HOURS):
                share = heat.occupancy_at(d, h)
                percent = round(share * 100)
                # Empty hours stay blank, so the busy ones stand out.
                text = "" if share == 0 else str(percent) if percent else "<1"
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(shade(share)))
                item.setForeground(QBrush(QColor("black" if share < 0.5 else "white")))
                item.setToolTip(
                    _tr("{day} {hour:02d}–{end:02d}: occupied {occ} %, all busy {sat} %").format(
                        day=names[d],
                        hour=h,
                        end=(h + 1) % 24,
                        occ=round(share * 100),
                        sat=round(heat.saturation_at(d, h) * 100),
                    )
                )
                self.grid.setItem(d, h, item)
